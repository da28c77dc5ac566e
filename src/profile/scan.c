#include "profile/scan.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/int64.h"
#include "util/parallel.h"

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

/* Adds unit to key's units: the first one given wins, the others are ignored. */
static void note_unit(struct label_unit *lu, const char *unit)
{
	if (!lu->unit)
		lu->unit = unit;
	else if (strcmp(lu->unit, unit))
		add_ignored(lu, unit);
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
		if (*unit)
			note_unit(lu, unit);
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

static void add_totals(struct scan_part *sp, size_t i, const struct sample *smp)
{
	bool base = is_diff_base_sample(sp->p, smp->labels, smp->nlabels);
	size_t n = smp->nvalues < sp->nvalues ? smp->nvalues : sp->nvalues;
	for (size_t k = 0; k < n; k++) {
		int64_t v = abs64(smp->values[k]);
		sp->abs_total[k] = add64(sp->abs_total[k], v);
		if (base)
			sp->abs_total_base[k] = add64(sp->abs_total_base[k], v);
		if (v)
			sp->nonzero[k][i / 64] |= (uint64_t)1 << (i % 64);
	}
	if (smp->nvalues > 0) {
		sp->first_total = add64(sp->first_total, smp->values[0]);
		if (base)
			sp->first_total_base = add64(sp->first_total_base, smp->values[0]);
	}
}

void scan_add(struct scan_part *sp, size_t i, const struct sample *smp)
{
	add_totals(sp, i, smp);
	scan_units(&sp->us, smp);
}

static void scan_range(void *arg)
{
	struct scan_part *sp = arg;
	struct sample_buf buf = { 0 };
	struct sample smp;
	for (size_t i = sp->begin; i < sp->end; i++)
		if (sample_decode_labels(sp->p, i, &smp, &buf) == 0)	/* validated at load: never fails */
			scan_add(sp, i, &smp);
	sample_buf_free(&buf);
}

/*
 * Adds a later range's units to u: what a single pass would have found,
 * since a key's first unit comes from the first range that gives one.
 */
static void merge_units(struct label_units *u, size_t *cap, const struct label_units *from)
{
	for (size_t i = 0; i < from->count; i++) {
		const struct label_unit *f = &from->keys[i];
		size_t at = 0;
		while (at < u->count && strcmp(u->keys[at].key, f->key))
			at++;
		if (at == u->count) {
			xgrow((void **)&u->keys, cap, u->count + 1, sizeof(struct label_unit));
			memset(&u->keys[u->count++], 0, sizeof(struct label_unit));
			u->keys[at].key = f->key;
		}
		if (f->unit)
			note_unit(&u->keys[at], f->unit);
		for (size_t k = 0; k < f->nignored; k++)
			note_unit(&u->keys[at], f->ignored[k]);
	}
}

static void free_units(struct label_units *u)
{
	for (size_t i = 0; i < u->count; i++)
		free(u->keys[i].ignored);
	free(u->keys);
}

void scan_begin(struct profile_scan *s, const struct profile *p, struct scan_part *parts, const size_t *bounds,
		size_t nparts)
{
	memset(s, 0, sizeof(*s));
	s->nvalues = p->nsample_types;
	s->abs_total = xcalloc(s->nvalues + 1, sizeof(int64_t));
	s->abs_total_base = xcalloc(s->nvalues + 1, sizeof(int64_t));
	s->nonzero = xmalloc((s->nvalues + 1) * sizeof(uint64_t *));
	for (size_t k = 0; k < s->nvalues; k++)
		s->nonzero[k] = xcalloc(p->samples.count / 64 + 1, sizeof(uint64_t));
	for (size_t r = 0; r < nparts; r++) {
		struct scan_part *sp = &parts[r];
		memset(sp, 0, sizeof(*sp));
		sp->p = p;
		sp->nonzero = s->nonzero;
		sp->nvalues = s->nvalues;
		sp->begin = bounds[r];
		sp->end = bounds[r + 1];
		sp->abs_total = xcalloc(s->nvalues + 1, sizeof(int64_t));
		sp->abs_total_base = xcalloc(s->nvalues + 1, sizeof(int64_t));
		sp->us = (struct unit_scan){ p, &sp->units, 0, xmalloc((p->nstrings + 1) * sizeof(uint32_t)) };
		for (size_t i = 0; i <= p->nstrings; i++)
			sp->us.entry_of[i] = NO_ENTRY;
	}
}

void scan_end(struct profile_scan *s, struct scan_part *parts, size_t nparts)
{
	size_t cap = 0;
	for (size_t r = 0; r < nparts; r++) {
		struct scan_part *sp = &parts[r];
		for (size_t k = 0; k < s->nvalues; k++) {
			s->abs_total[k] = add64(s->abs_total[k], sp->abs_total[k]);
			s->abs_total_base[k] = add64(s->abs_total_base[k], sp->abs_total_base[k]);
		}
		s->first_total = add64(s->first_total, sp->first_total);
		s->first_total_base = add64(s->first_total_base, sp->first_total_base);
		merge_units(&s->units, &cap, &sp->units);
		free(sp->abs_total);
		free(sp->abs_total_base);
		free(sp->us.entry_of);
		free_units(&sp->units);
	}
	infer_units(&s->units);
}

/* A range of samples per core, merged in range order. */
void profile_scan(struct profile_scan *s, const struct profile *p)
{
	size_t bounds[PARALLEL_MAX + 1];
	size_t nparts = parallel_ranges(p->samples.count, bounds);
	struct scan_part parts[PARALLEL_MAX];
	scan_begin(s, p, parts, bounds, nparts);
	parallel_run(scan_range, parts, sizeof(parts[0]), nparts);
	scan_end(s, parts, nparts);
}

const struct profile_scan *profile_scan_of(const struct profile *p, struct profile_scan *own)
{
	if (p->scan)
		return p->scan;
	profile_scan(own, p);
	return own;
}

void scan_free(struct profile_scan *s)
{
	free(s->abs_total);
	free(s->abs_total_base);
	for (size_t k = 0; k < s->nvalues && s->nonzero; k++)
		free(s->nonzero[k]);
	free(s->nonzero);
	free_units(&s->units);
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
