#include "load/legacy_java.h"

#include <stdlib.h>
#include <string.h>

#include "load/legacy_heap.h"
#include "load/memmap.h"
#include "util/path.h"

/* Go's regexp \w. */
static bool is_word(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_word_or_space(char c)
{
	return is_word(c) || c == ' ';
}

/* The next line of a buffer split at '\n', as pprof's Java parsers split it. */
struct line_cursor {
	const char *p;
	size_t len;
};

/* The next complete line (without its '\n'); false when no '\n' is left. */
static bool next_line(struct line_cursor *c, struct span *line)
{
	const char *nl = memchr(c->p, '\n', c->len);
	if (!nl)
		return false;
	*line = span_of(c->p, (size_t)(nl - c->p));
	return true;
}

static void skip_line(struct line_cursor *c, struct span line)
{
	c->p += line.len + 1;
	c->len -= line.len + 1;
}

/*
 * pprof's attributeRx, `([\w ]+)=([\w ]+)`: the first run of word
 * characters and spaces followed by '=' and another such run.
 */
static bool match_attribute(struct span s, struct span *name, struct span *value)
{
	size_t i = 0;
	while (i < s.len) {
		size_t start = i;
		while (i < s.len && is_word_or_space(s.p[i]))
			i++;
		if (i > start && i + 1 < s.len && s.p[i] == '=' && is_word_or_space(s.p[i + 1])) {
			size_t v = i + 1;
			while (v < s.len && is_word_or_space(s.p[v]))
				v++;
			*name = span_of(s.p + start, i - start);
			*value = span_of(s.p + i + 1, v - i - 1);
			return true;
		}
		if (i == start)
			i++;
	}
	return false;
}

enum java_kind { JAVA_HEAP, JAVA_CONTENTION, JAVA_CPU };

static enum legacy_result attribute_error(struct error *e, struct span line, struct span value)
{
	error_set(e, "failed to parse attribute %.*s: ", (int)line.len, line.p);
	int64_t v;
	go_parse_error(&e->msg, "ParseInt", value, go_parse_int(value, 0, &v));
	return LEGACY_FAILED;
}

static const char *copy_span(struct legacy_profile *lp, struct span s)
{
	return arena_strndup(&lp->arena, s.p, s.len);
}

/* One "name=value" header line of a heapz or contentionz profile. */
static enum legacy_result java_attribute(enum java_kind kind, struct span line, struct span name,
					 struct span value, struct legacy_profile *lp, struct error *e)
{
	int64_t v;
	if (span_is(name, "format")) {
		return span_is(value, "java") ? LEGACY_PARSED : LEGACY_UNRECOGNIZED;
	} else if (kind == JAVA_HEAP && span_is(name, "resolution")) {
		lp->nsample_types = 2;
		lp->sample_types[0] = (struct value_type){ "inuse_objects", "count" };
		lp->sample_types[1] = (struct value_type){ "inuse_space", copy_span(lp, value) };
	} else if (kind == JAVA_CONTENTION && span_is(name, "resolution")) {
		lp->nsample_types = 2;
		lp->sample_types[0] = (struct value_type){ "contentions", "count" };
		lp->sample_types[1] = (struct value_type){ "delay", copy_span(lp, value) };
	} else if (kind == JAVA_CONTENTION && span_is(name, "sampling period")) {
		lp->period_type = (struct value_type){ "contentions", "count" };
		if (go_parse_int(value, 0, &v) != GO_PARSE_OK)
			return attribute_error(e, line, value);
		lp->period = v;
	} else if (kind == JAVA_CONTENTION && span_is(name, "ms since reset")) {
		if (go_parse_int(value, 0, &v) != GO_PARSE_OK)
			return attribute_error(e, line, value);
		lp->duration_nanos = (int64_t)((uint64_t)v * 1000 * 1000);
	} else {
		return LEGACY_UNRECOGNIZED;
	}
	return LEGACY_PARSED;
}

/* pprof's parseJavaHeader: attribute lines up to the first other line. */
static enum legacy_result java_header(enum java_kind kind, struct line_cursor *c,
				      struct legacy_profile *lp, struct error *e)
{
	struct span raw, name, value;
	while (next_line(c, &raw)) {
		struct span line = go_trim_space(raw);
		if (line.len) {
			if (!match_attribute(line, &name, &value))
				return LEGACY_PARSED;
			enum legacy_result rc = java_attribute(kind, line, go_trim_space(name),
							       go_trim_space(value), lp, e);
			if (rc != LEGACY_PARSED)
				return rc;
		}
		skip_line(c, raw);
	}
	return LEGACY_PARSED;
}

/*
 * pprof's javaSampleRx, ` *(\d+) +(\d+) +@ +([ x0-9a-f]*)`: the first
 * digit run that starts "N N @ addresses".
 */
static bool match_java_sample(struct span s, struct span *v1, struct span *v2, struct span *addrs)
{
	for (size_t i = 0; i < s.len; i++) {
		if (!is_digit(s.p[i]) || (i > 0 && is_digit(s.p[i - 1])))
			continue;
		size_t k = i, d1, d2;
		while (k < s.len && is_digit(s.p[k]))
			k++;
		d1 = k;
		while (k < s.len && s.p[k] == ' ')
			k++;
		if (k == d1 || k == s.len || !is_digit(s.p[k]))
			continue;
		size_t s2 = k;
		while (k < s.len && is_digit(s.p[k]))
			k++;
		d2 = k;
		while (k < s.len && s.p[k] == ' ')
			k++;
		if (k == d2 || k == s.len || s.p[k] != '@')
			continue;
		size_t at = ++k;
		while (k < s.len && s.p[k] == ' ')
			k++;
		if (k == at)
			continue;
		*v1 = span_of(s.p + i, d1 - i);
		*v2 = span_of(s.p + s2, d2 - s2);
		*addrs = address_run(s, k);
		return true;
	}
	return false;
}

static enum legacy_result sample_value_error(struct error *e, struct span line, struct span v,
					     enum go_parse_result r)
{
	error_set(e, "parsing sample %.*s: ", (int)line.len, line.p);
	go_parse_error(&e->msg, "ParseInt", v, r);
	return LEGACY_FAILED;
}

/* One sample line; values are the second number, then the first. */
static enum legacy_result java_sample(enum java_kind kind, struct span line, struct span n1,
				      struct span n2, struct span addrs, struct address_list *stack,
				      struct legacy_profile *lp, struct error *e)
{
	stack->n = 0;
	if (go_hex_addresses(addrs, stack, e) < 0) {
		error_prefix(e, "malformed sample: %.*s: ", (int)line.len, line.p);
		return LEGACY_FAILED;
	}
	int64_t v[2];
	enum go_parse_result r;
	if ((r = go_parse_int(n2, 0, &v[0])) != GO_PARSE_OK)
		return sample_value_error(e, line, n2, r);
	if ((r = go_parse_int(n1, 0, &v[1])) != GO_PARSE_OK)
		return sample_value_error(e, line, n1, r);
	int64_t bytes = 0;
	if (kind == JAVA_HEAP) {
		const int64_t java_heap_sampling_rate = 524288;
		if (v[0] == 0) {
			error_set(e, "parsing sample %.*s: second value must be non-zero", (int)line.len,
				  line.p);
			return LEGACY_FAILED;
		}
		bytes = go_div(v[1], v[0]);
		heap_scale_sample(&v[0], &v[1], java_heap_sampling_rate);
	} else if (kind == JAVA_CONTENTION && lp->period != 0) {
		v[0] = (int64_t)((uint64_t)v[0] * (uint64_t)lp->period);
		v[1] = (int64_t)((uint64_t)v[1] * (uint64_t)lp->period);
	}
	size_t s = legacy_add_sample(lp, stack->v, stack->n, ADJUST_NONE, v, 2);
	lp->samples[s].bytes = bytes;
	lp->samples[s].has_bytes = kind == JAVA_HEAP;
	return LEGACY_PARSED;
}

/* pprof's parseJavaSamples: sample lines up to the first other line. */
static enum legacy_result java_samples(enum java_kind kind, struct line_cursor *c,
				       struct legacy_profile *lp, struct error *e)
{
	struct address_list stack = { 0 };
	enum legacy_result rc = LEGACY_PARSED;
	struct span raw, n1, n2, addrs;
	while (rc == LEGACY_PARSED && next_line(c, &raw)) {
		struct span line = go_trim_space(raw);
		if (line.len) {
			if (!match_java_sample(line, &n1, &n2, &addrs))
				break;
			rc = java_sample(kind, line, n1, n2, addrs, &stack, lp, e);
		}
		skip_line(c, raw);
	}
	free(stack.v);
	return rc;
}

/* pprof's javaLocationRx, `^\s*0x([[:xdigit:]]+)\s+(.*)\s*$`, on a trimmed line. */
static bool match_java_location(struct span s, struct span *hex, struct span *rest)
{
	if (s.len < 3 || s.p[0] != '0' || s.p[1] != 'x')
		return false;
	size_t k = 2;
	while (k < s.len && is_hex_digit(s.p[k]))
		k++;
	if (k == 2 || k == s.len || !is_re_space(s.p[k]))
		return false;
	*hex = span_of(s.p + 2, k - 2);
	while (k < s.len && is_re_space(s.p[k]))
		k++;
	*rest = span_of(s.p + k, s.len - k);
	return true;
}

/*
 * The last '(' that follows white space and leaves at least min_inside
 * characters before position end: where pprof's greedy `^(.*)\s+\(`
 * stops.  Returns its index, or 0 if there is none.
 */
static size_t last_paren(struct span s, size_t end, size_t min_inside)
{
	for (size_t p = end; p-- > 1;)
		if (s.p[p] == '(' && is_re_space(s.p[p - 1]) && p + min_inside < end)
			return p;
	return 0;
}

/* pprof's javaLocationFileLineRx, `^(.*)\s+\((.+):(-?[[:digit:]]+)\)$`. */
static bool match_file_line(struct span s, struct span *func, struct span *file, struct span *line)
{
	if (s.len == 0 || s.p[s.len - 1] != ')')
		return false;
	size_t close = s.len - 1, k = close;
	while (k > 0 && is_digit(s.p[k - 1]))
		k--;
	if (k == close)
		return false;
	size_t colon;
	if (k >= 2 && s.p[k - 1] == '-' && s.p[k - 2] == ':')
		colon = k - 2;
	else if (k >= 1 && s.p[k - 1] == ':')
		colon = k - 1;
	else
		return false;
	size_t open = last_paren(s, colon, 1);
	if (!open)
		return false;
	*func = span_of(s.p, open - 1);
	*file = span_of(s.p + open + 1, colon - open - 1);
	*line = span_of(s.p + colon + 1, close - colon - 1);
	return true;
}

/* pprof's javaLocationPathRx, `^(.*)\s+\((.*)\)$`. */
static bool match_path(struct span s, struct span *func, struct span *path)
{
	if (s.len == 0 || s.p[s.len - 1] != ')')
		return false;
	size_t close = s.len - 1;
	size_t open = last_paren(s, close, 0);
	if (!open)
		return false;
	*func = span_of(s.p, open - 1);
	*path = span_of(s.p + open + 1, close - open - 1);
	return true;
}

/* Java functions by name: pprof keeps one function per name, with the first file seen. */
struct name_index {
	struct hmap heads;	/* hash of a name -> the last function with that hash */
	uint32_t *next;		/* the function before it with the same hash */
	size_t cap;
};

static uint64_t name_hash(struct span name)
{
	uint64_t h = hash_bytes(name.p, name.len, 11);
	return h == HASH_EMPTY_KEY ? 0 : h;
}

static int32_t java_function(struct legacy_profile *lp, struct name_index *ix, struct span name,
			     const char *file)
{
	int inserted;
	uint32_t *head = hmap_put(&ix->heads, name_hash(name), UINT32_MAX, &inserted);
	for (uint32_t i = *head; i != UINT32_MAX; i = ix->next[i]) {
		const char *n = lp->functions[i].name;
		if (strlen(n) == name.len && !memcmp(n, name.p, name.len))
			return (int32_t)i;
	}
	uint32_t i = (uint32_t)lp->nfunctions++;
	xgrow((void **)&lp->functions, &lp->functions_cap, i + 1, sizeof(*lp->functions));
	xgrow((void **)&ix->next, &ix->cap, i + 1, sizeof(*ix->next));
	lp->functions[i].name = copy_span(lp, name);
	lp->functions[i].file = file;
	ix->next[i] = *head;
	*head = i;
	return (int32_t)i;
}

/* Names the location of one symbol-table line "function (file:line)". */
static void name_location(struct legacy_profile *lp, struct name_index *ix, struct legacy_location *loc,
			  struct span text)
{
	struct span func = text, file = span_of("", 0), number;
	const char *file_name = "";
	int64_t line = 0, n;
	if (match_file_line(text, &func, &file, &number)) {
		if (go_parse_int(number, 10, &n) == GO_PARSE_OK && n > 0)
			line = n;
		file_name = copy_span(lp, file);
	} else if (match_path(text, &func, &file)) {
		/* A shared library: only its base name is of interest. */
		char *path = arena_strndup(&lp->arena, file.p, file.len);
		file_name = path_base(path);
	} else if (span_contains(text, "generated stub/JIT")) {
		func = span_of("STUB", 4);
	}
	loc->function = java_function(lp, ix, func, file_name);
	loc->line = line;
	loc->address = 0;
}

/*
 * pprof's parseJavaLocations: the symbol table names the locations made
 * for its addresses; then locations are renumbered and given mappings.
 */
static enum legacy_result java_locations(struct line_cursor c, struct legacy_profile *lp,
					 struct error *e)
{
	struct name_index ix = { .next = NULL };
	hmap_init(&ix.heads, 64);
	enum legacy_result rc = LEGACY_PARSED;
	while (rc == LEGACY_PARSED && c.len > 0) {
		const char *nl = memchr(c.p, '\n', c.len);
		struct span raw = span_of(c.p, nl ? (size_t)(nl - c.p) + 1 : c.len);
		c.p += raw.len;
		c.len -= raw.len;
		struct span line = go_trim_space(raw), hex, rest;
		if (!line.len || !match_java_location(line, &hex, &rest))
			continue;
		uint64_t addr;
		enum go_parse_result r = go_parse_uint(hex, 16, &addr);
		if (r != GO_PARSE_OK) {
			error_set(e, "parsing sample %.*s: ", (int)line.len, line.p);
			go_parse_error(&e->msg, "ParseUint", hex, r);
			rc = LEGACY_FAILED;
			break;
		}
		int32_t loc = legacy_find_location(lp, addr);
		if (loc >= 0)
			name_location(lp, &ix, &lp->locations[loc], rest);
	}
	hmap_free(&ix.heads);
	free(ix.next);
	if (rc == LEGACY_PARSED) {
		legacy_remap_locations(lp);
		memmap_assign_locations(lp);
	}
	return rc;
}

/* pprof's Aggregate(address=false) and the CheckValid it ends with. */
static enum legacy_result aggregate(struct legacy_profile *lp, struct error *e)
{
	for (size_t i = 0; i < lp->nlocations; i++)
		lp->locations[i].address = 0;
	if (lp->nsample_types == 0 && lp->nsamples != 0) {
		error_set(e, "missing sample type information");
		return LEGACY_FAILED;
	}
	for (size_t i = 0; i < lp->nsamples; i++) {
		if (lp->samples[i].nvalues != lp->nsample_types) {
			error_set(e, "mismatch: sample has %u values vs. %zu types", lp->samples[i].nvalues,
				  lp->nsample_types);
			return LEGACY_FAILED;
		}
	}
	return LEGACY_PARSED;
}

enum legacy_result legacy_java_cpu(struct word_reader *r, int64_t period, struct legacy_profile *lp,
				   struct error *e)
{
	static const char *const types[][2] = { { "samples", "count" }, { "cpu", "nanoseconds" } };
	legacy_set_types(lp, "cpu", "nanoseconds", types, 2);
	lp->period = (int64_t)((uint64_t)period * 1000);
	enum legacy_result rc = legacy_cpu_samples(r, lp->period, false, lp);
	if (rc == LEGACY_PARSED)
		rc = java_locations((struct line_cursor){ (const char *)r->p, r->len }, lp, e);
	return rc == LEGACY_PARSED ? aggregate(lp, e) : rc;
}

enum legacy_result legacy_parse_java(const uint8_t *data, size_t len, struct legacy_profile *lp,
				     struct error *e)
{
	struct line_cursor c = { (const char *)data, len };
	const char *nl = memchr(c.p, '\n', c.len);
	if (!nl)
		return LEGACY_UNRECOGNIZED;
	struct span header = go_trim_space(span_of(c.p, (size_t)(nl - c.p)));
	enum java_kind kind;
	if (span_is(header, "--- heapz 1 ---"))
		kind = JAVA_HEAP;
	else if (span_is(header, "--- contentionz 1 ---"))
		kind = JAVA_CONTENTION;
	else
		return LEGACY_UNRECOGNIZED;
	skip_line(&c, span_of(c.p, (size_t)(nl - c.p)));
	enum legacy_result rc = java_header(kind, &c, lp, e);
	if (rc == LEGACY_PARSED)
		rc = java_samples(kind, &c, lp, e);
	if (rc == LEGACY_PARSED)
		rc = java_locations(c, lp, e);
	return rc == LEGACY_PARSED ? aggregate(lp, e) : rc;
}
