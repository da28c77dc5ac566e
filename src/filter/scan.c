#include "filter/scan.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

#define NO_ENTRY UINT32_MAX

bool label_is(const struct profile *p, const struct label *l, const char *key, const char *value)
{
	return l->str != 0 && !strcmp(p->strings[l->key], key) && !strcmp(p->strings[l->str], value);
}

bool is_diff_base_sample(const struct profile *p, const struct label *labels, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (label_is(p, &labels[i], "pprof::base", "true"))
			return true;
	return false;
}

/* Builds the units table; entry_of caches the entry of each key's string index. */
struct unit_scan {
	const struct profile *p;
	struct label_units *u;
	size_t cap;
	uint32_t *entry_of;
};

static struct label_unit *unit_entry(struct unit_scan *us, int64_t key)
{
	if (us->entry_of[key] == NO_ENTRY) {
		const char *name = us->p->strings[key];
		uint32_t found = NO_ENTRY;
		for (size_t i = 0; i < us->u->count && found == NO_ENTRY; i++)
			if (!strcmp(us->u->keys[i].key, name))
				found = (uint32_t)i;
		if (found == NO_ENTRY) {
			xgrow((void **)&us->u->keys, &us->cap, us->u->count + 1, sizeof(struct label_unit));
			found = (uint32_t)us->u->count++;
			memset(&us->u->keys[found], 0, sizeof(struct label_unit));
			us->u->keys[found].key = name;
		}
		us->entry_of[key] = found;
	}
	return &us->u->keys[us->entry_of[key]];
}

static void add_ignored(struct label_unit *lu, const char *unit)
{
	size_t at = 0;
	while (at < lu->nignored && strcmp(lu->ignored[at], unit) < 0)
		at++;
	if (at < lu->nignored && !strcmp(lu->ignored[at], unit))
		return;
	lu->ignored = xrealloc(lu->ignored, (lu->nignored + 1) * sizeof(*lu->ignored));
	memmove(lu->ignored + at + 1, lu->ignored + at, (lu->nignored - at) * sizeof(*lu->ignored));
	lu->ignored[at] = unit;
	lu->nignored++;
}

/* pprof's NumLabelUnits, one sample at a time: the first unit of a key wins. */
static void scan_units(struct unit_scan *us, const struct sample *s)
{
	for (size_t i = 0; i < s->nlabels; i++) {
		const struct label *l = &s->labels[i];
		if (l->str != 0 || (l->num == 0 && l->num_unit == 0))
			continue;
		struct label_unit *lu = unit_entry(us, l->key);
		const char *unit = l->num_unit ? us->p->strings[l->num_unit] : "";
		if (!*unit)
			continue;
		if (!lu->unit)
			lu->unit = unit;
		else if (strcmp(lu->unit, unit))
			add_ignored(lu, unit);
	}
}

static void infer_units(struct label_units *u)
{
	for (size_t i = 0; i < u->count; i++) {
		struct label_unit *lu = &u->keys[i];
		if (lu->unit)
			continue;
		if (!strcmp(lu->key, "alignment") || !strcmp(lu->key, "request"))
			lu->unit = "bytes";
		else
			lu->unit = lu->key;
	}
}

static void add_totals(struct profile_scan *s, const struct profile *p, size_t i, const struct sample *smp)
{
	bool base = is_diff_base_sample(p, smp->labels, smp->nlabels);
	size_t n = smp->nvalues < s->nvalues ? smp->nvalues : s->nvalues;
	for (size_t k = 0; k < n; k++) {
		int64_t v = smp->values[k] < 0 ? -smp->values[k] : smp->values[k];
		s->abs_total[k] += v;
		if (base)
			s->abs_total_base[k] += v;
		if (v)
			s->nonzero[k][i / 64] |= (uint64_t)1 << (i % 64);
	}
	if (smp->nvalues > 0) {
		s->first_total += smp->values[0];
		if (base)
			s->first_total_base += smp->values[0];
	}
}

void profile_scan(struct profile_scan *s, const struct profile *p)
{
	memset(s, 0, sizeof(*s));
	s->nvalues = p->nsample_types;
	s->abs_total = xcalloc(s->nvalues + 1, sizeof(int64_t));
	s->abs_total_base = xcalloc(s->nvalues + 1, sizeof(int64_t));
	s->nonzero = xmalloc((s->nvalues + 1) * sizeof(uint64_t *));
	for (size_t k = 0; k < s->nvalues; k++)
		s->nonzero[k] = xcalloc(p->samples.count / 64 + 1, sizeof(uint64_t));
	struct unit_scan us = { p, &s->units, 0, xmalloc((p->nstrings + 1) * sizeof(uint32_t)) };
	for (size_t i = 0; i <= p->nstrings; i++)
		us.entry_of[i] = NO_ENTRY;
	struct sample_buf buf = { 0 };
	struct sample smp;
	for (size_t i = 0; i < p->samples.count; i++) {
		if (sample_decode_labels(p, i, &smp, &buf) < 0)
			continue;	/* validated at load: cannot happen */
		add_totals(s, p, i, &smp);
		scan_units(&us, &smp);
	}
	sample_buf_free(&buf);
	free(us.entry_of);
	infer_units(&s->units);
}

void scan_free(struct profile_scan *s)
{
	free(s->abs_total);
	free(s->abs_total_base);
	for (size_t k = 0; k < s->nvalues && s->nonzero; k++)
		free(s->nonzero[k]);
	free(s->nonzero);
	for (size_t i = 0; i < s->units.count; i++)
		free(s->units.keys[i].ignored);
	free(s->units.keys);
	memset(s, 0, sizeof(*s));
}

int64_t scan_total(const struct profile_scan *s, size_t value_index, bool mean)
{
	int64_t total = s->abs_total[value_index], div = mean ? s->first_total : 0;
	if (s->abs_total_base[value_index] > 0) {
		total = s->abs_total_base[value_index];
		div = mean ? s->first_total_base : 0;
	}
	return div != 0 ? total / div : total;
}

const char *label_unit(const struct label_units *u, const char *key)
{
	for (size_t i = 0; i < u->count; i++)
		if (!strcmp(u->keys[i].key, key))
			return u->keys[i].unit;
	return "";
}

static int by_key(const void *a, const void *b)
{
	return strcmp((*(const struct label_unit *const *)a)->key, (*(const struct label_unit *const *)b)->key);
}

void label_units_warnings(const struct label_units *u, struct strbuf *out)
{
	/* in key order: pprof's order is that of a Go map, which varies */
	const struct label_unit **sorted = xmalloc((u->count + 1) * sizeof(*sorted));
	for (size_t i = 0; i < u->count; i++)
		sorted[i] = &u->keys[i];
	qsort(sorted, u->count, sizeof(*sorted), by_key);
	for (size_t i = 0; i < u->count; i++) {
		const struct label_unit *lu = sorted[i];
		if (!lu->nignored)
			continue;
		strbuf_addf(out, "For tag %s used unit %s, also encountered unit(s) ", lu->key, lu->unit);
		for (size_t k = 0; k < lu->nignored; k++)
			strbuf_addf(out, "%s%s", k ? ", " : "", lu->ignored[k]);
		strbuf_addch(out, '\n');
	}
	free(sorted);
}
