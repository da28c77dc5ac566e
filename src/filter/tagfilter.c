#include "filter/tagfilter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/units.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A match of pprof's ([+-]?[[:digit:]]+)([[:alpha:]]+)? in some text. */
struct number {
	const char *start, *digits_end, *end;
};

/* The leftmost match at or after from, as Go's FindAll finds them. */
static bool find_number(const char *from, struct number *n)
{
	for (const char *p = from; *p; p++) {
		const char *q = p;
		if (*q == '+' || *q == '-')
			q++;
		if (!is_digit(*q))
			continue;
		while (is_digit(*q))
			q++;
		n->start = p;
		n->digits_end = q;
		while (is_alpha(*q))
			q++;
		n->end = q;
		return true;
	}
	return false;
}

/* Go's strconv.ParseInt of the number's digits, failing as pprof fails. */
static int parse_number(const struct number *n, int64_t *v, struct error *e)
{
	char digits[64];
	size_t len = (size_t)(n->digits_end - n->start);
	errno = 0;
	if (len < sizeof(digits)) {
		memcpy(digits, n->start, len);
		digits[len] = '\0';
		*v = strtoll(digits, NULL, 10);
	}
	if (len >= sizeof(digits) || errno == ERANGE)
		return error_set(e, "failed to parse int %.*s: strconv.ParseInt: parsing \"%.*s\": value out of range",
				 (int)len, n->start, (int)len, n->start);
	return 0;
}

/* pprof's measurement.Scale(value, unit, to), with the unit it lands in. */
static double scale(int64_t value, const char *unit, size_t unit_len, const char *to, char **landed)
{
	char *from = xmalloc(unit_len + 1);
	memcpy(from, unit, unit_len);
	from[unit_len] = '\0';
	const char *out;
	double v = unit_scale(value, from, to ? to : from, &out);
	*landed = strdup(out);
	free(from);
	return v;
}

static bool text_is(const char *text, const char *prefix, const struct number *n, const char *suffix)
{
	size_t plen = strlen(prefix), nlen = (size_t)(n->end - n->start);
	return !strncmp(text, prefix, plen) && !strncmp(text + plen, n->start, nlen) &&
	       !strcmp(text + plen + nlen, suffix);
}

int tag_parse_range(const char *text, struct tag_filter *f, struct error *e)
{
	struct number n0, n1;
	int64_t v0, v1;
	if (!find_number(text, &n0))
		return 0;
	bool two = find_number(n0.end, &n1);
	if (parse_number(&n0, &v0, e) < 0)
		return -1;
	char *unit;
	double low = scale(v0, n0.digits_end, (size_t)(n0.end - n0.digits_end), NULL, &unit);
	if (!two) {
		if (text_is(text, "", &n0, ""))
			f->range = RANGE_EQUAL;
		else if (text_is(text, "", &n0, ":"))
			f->range = RANGE_FROM;
		else if (text_is(text, ":", &n0, ""))
			f->range = RANGE_UPTO;
		else
			return free(unit), 0;
		f->low = f->high = low;
		f->unit = unit;
		return 1;
	}
	size_t len0 = (size_t)(n0.end - n0.start);
	if (strncmp(text, n0.start, len0) || text[len0] != ':' || !text_is(text + len0 + 1, "", &n1, ""))
		return free(unit), 0;
	if (parse_number(&n1, &v1, e) < 0)
		return free(unit), -1;
	char *unit1;
	double high = scale(v1, n1.digits_end, (size_t)(n1.end - n1.digits_end), unit, &unit1);
	bool same = !strcmp(unit, unit1);
	free(unit1);
	if (!same)
		return free(unit), 0;
	f->range = RANGE_BETWEEN;
	f->low = low;
	f->high = high;
	f->unit = unit;
	return 1;
}

static int compile_regexps(struct tag_filter *f, const char *name, const char *value, struct error *e)
{
	const char *start = value;
	for (;;) {
		const char *comma = strchr(start, ',');
		size_t len = comma ? (size_t)(comma - start) : strlen(start);
		char *pattern = xmalloc(len + 1);
		memcpy(pattern, start, len);
		pattern[len] = '\0';
		struct regex *re = regex_compile(pattern, e);
		free(pattern);
		if (!re)
			return error_prefix(e, "parsing %s regexp: ", name);
		f->regexps = xrealloc(f->regexps, (f->nregexps + 1) * sizeof(*f->regexps));
		f->regexps[f->nregexps++] = re;
		if (!comma)
			return 0;
		start = comma + 1;
	}
}

int tag_filter_compile(struct tag_filter *f, const char *name, const char *value, struct strbuf *notes,
		       struct error *e)
{
	memset(f, 0, sizeof(*f));
	const char *eq = strchr(value, '=');
	if (eq) {
		if (eq > value) {
			f->key = xmalloc((size_t)(eq - value) + 1);
			memcpy(f->key, value, (size_t)(eq - value));
			f->key[eq - value] = '\0';
		}
		value = eq + 1;
	}
	int rc = tag_parse_range(value, f, e);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		f->numeric = true;
		strbuf_addf(notes, "%s:Interpreted '%s' as range, not regexp\n", name, value);
		return 0;
	}
	return compile_regexps(f, name, value, e);
}

void tag_filter_free(struct tag_filter *f)
{
	free(f->key);
	free(f->unit);
	for (size_t i = 0; i < f->nregexps; i++)
		regex_free(f->regexps[i]);
	free(f->regexps);
	memset(f, 0, sizeof(*f));
}

void tag_memo_init(struct tag_memo *m, const struct profile *p)
{
	hmap_init(&m->results, 64);
	m->nstrings = p->nstrings;
}

void tag_memo_free(struct tag_memo *m)
{
	hmap_free(&m->results);
}

static bool numeric_match(const struct tag_filter *f, const struct profile *p, const struct label *l,
			  const struct label_units *units)
{
	const char *key = p->strings[l->key];
	if (f->key && strcmp(key, f->key))
		return false;
	const char *landed;
	double v = unit_scale(l->num, label_unit(units, key), f->unit, &landed);
	if (strcmp(landed, f->unit))
		return false;
	switch (f->range) {
	case RANGE_EQUAL: return v == f->low;
	case RANGE_FROM: return v >= f->low;
	case RANGE_UPTO: return v <= f->high;
	case RANGE_BETWEEN: return v >= f->low && v <= f->high;
	}
	return false;
}

/* The text a string label is matched as: its value if the filter has a key, else "key:value". */
static void label_text(const struct tag_filter *f, const struct profile *p, const struct label *l,
		       struct strbuf *text)
{
	if (!f->key)
		strbuf_addf(text, "%s:", p->strings[l->key]);
	strbuf_addstr(text, p->strings[l->str]);
}

/* The bits of the filter's regexps (at most 31 of them) that match a string label, remembered. */
static uint32_t memo_bits(const struct tag_filter *f, const struct profile *p, const struct label *l,
			  struct tag_memo *memo)
{
	uint64_t pair = f->key ? (uint64_t)l->str : (uint64_t)l->key * memo->nstrings + (uint64_t)l->str;
	const uint32_t *known = pair != HASH_EMPTY_KEY ? hmap_get(&memo->results, pair) : NULL;
	if (known)
		return *known - 1;
	struct strbuf text = STRBUF_INIT;
	label_text(f, p, l, &text);
	uint32_t bits = 0;
	for (size_t i = 0; i < f->nregexps; i++)
		if (regex_match(f->regexps[i], text.buf))
			bits |= (uint32_t)1 << i;
	strbuf_release(&text);
	if (pair != HASH_EMPTY_KEY) {
		int inserted;
		*hmap_put(&memo->results, pair, 0, &inserted) = bits + 1;
	}
	return bits;
}

#define MEMO_REGEXPS 31

/* Whether regexp i of the filter matches a string label. */
static bool label_matches(const struct tag_filter *f, const struct profile *p, const struct label *l, size_t i,
			  struct tag_memo *memo)
{
	if (f->nregexps <= MEMO_REGEXPS)
		return memo_bits(f, p, l, memo) >> i & 1;
	struct strbuf text = STRBUF_INIT;
	label_text(f, p, l, &text);
	bool m = regex_match(f->regexps[i], text.buf);
	strbuf_release(&text);
	return m;
}

/* Without a key: every regexp must match some string label. */
static bool every_regexp_matches(const struct tag_filter *f, const struct profile *p, const struct label *labels,
				 size_t n, struct tag_memo *memo)
{
	for (size_t i = 0; i < f->nregexps; i++) {
		bool found = false;
		for (size_t k = 0; k < n && !found; k++)
			found = labels[k].str != 0 && label_matches(f, p, &labels[k], i, memo);
		if (!found)
			return false;
	}
	return true;
}

/* With a key: some regexp must match some value of that key. */
static bool some_regexp_matches(const struct tag_filter *f, const struct profile *p, const struct label *labels,
				size_t n, struct tag_memo *memo)
{
	for (size_t k = 0; k < n; k++) {
		const struct label *l = &labels[k];
		if (l->str == 0 || strcmp(p->strings[l->key], f->key))
			continue;
		for (size_t i = 0; i < f->nregexps; i++)
			if (label_matches(f, p, l, i, memo))
				return true;
	}
	return false;
}

bool tag_filter_match(const struct tag_filter *f, const struct profile *p, const struct label *labels,
		      size_t nlabels, const struct label_units *units, struct tag_memo *memo)
{
	if (f->numeric) {
		for (size_t i = 0; i < nlabels; i++) {
			const struct label *l = &labels[i];
			if (l->str == 0 && (l->num != 0 || l->num_unit != 0) && numeric_match(f, p, l, units))
				return true;
		}
		return false;
	}
	if (!f->key)
		return every_regexp_matches(f, p, labels, nlabels, memo);
	return some_regexp_matches(f, p, labels, nlabels, memo);
}
