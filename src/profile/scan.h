/*
 * scan.h - what a report needs to know about all samples before it
 * filters any: one pass that reads their values and labels (never their
 * locations) and yields
 *   - per sample value, the sums of |value| over all samples and over the
 *     samples of a -diff_base base (labelled pprof::base=true), with the
 *     sums of value[0] that -mean divides by: pprof's computeTotal;
 *   - the unit of each numeric label key: pprof's NumLabelUnits;
 *   - per sample value, which samples have it non-zero, so that later
 *     passes skip samples that weigh nothing without reading them.
 *
 * A struct profile_scan owns its arrays; scan_free() releases them.  Key
 * and unit strings point into the scanned profile.
 */
#ifndef CPPROF_SCAN_H
#define CPPROF_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/strbuf.h"

/* The unit of one numeric label key, and the other units seen for it. */
struct label_unit {
	const char *key;
	const char *unit;
	const char **ignored;	/* sorted, distinct */
	size_t nignored;
};

struct label_units {
	struct label_unit *keys;
	size_t count;
};

struct profile_scan {
	size_t nvalues;
	int64_t *abs_total;		/* per value index: sum of |value| */
	int64_t *abs_total_base;	/* the same over diff-base samples */
	int64_t first_total;		/* sum of value[0], -mean's divisor */
	int64_t first_total_base;
	struct label_units units;
	uint64_t **nonzero;		/* per value index: a bit per sample */
};

/* Scans every sample of p. */
void profile_scan(struct profile_scan *s, const struct profile *p);
/* The scan p keeps (made by the load's check), else p scanned into own, which the caller frees then. */
const struct profile_scan *profile_scan_of(const struct profile *p, struct profile_scan *own);
void scan_free(struct profile_scan *s);

/*
 * The same scan from a pass that reads every sample anyway (the load's
 * check), a range per core: scan_begin() prepares s and one part per
 * range [bounds[r], bounds[r + 1]), each range's thread gives its part
 * each sample's values and labels in order (scan_add), and scan_end()
 * merges the parts into s in range order and frees them.
 */
struct unit_scan {
	const struct profile *p;
	struct label_units *u;
	size_t cap;
	uint32_t *entry_of;	/* per string index: its key's entry in u */
};

struct scan_part {
	const struct profile *p;
	uint64_t **nonzero;	/* s's bitmaps: each range sets the bits of its own samples */
	size_t nvalues, begin, end;
	int64_t *abs_total, *abs_total_base;
	int64_t first_total, first_total_base;
	struct label_units units;
	struct unit_scan us;
};

void scan_begin(struct profile_scan *s, const struct profile *p, struct scan_part *parts, const size_t *bounds,
		size_t nparts);
void scan_add(struct scan_part *part, size_t i, const struct sample *smp);
void scan_end(struct profile_scan *s, struct scan_part *parts, size_t nparts);

/* True if sample i has value value_index non-zero. */
static inline bool scan_nonzero(const struct profile_scan *s, size_t value_index, size_t i)
{
	return s->nonzero[value_index][i / 64] >> (i % 64) & 1;
}

/* pprof's computeTotal for one sample value: diff-base samples only, if any count. */
int64_t scan_total(const struct profile_scan *s, size_t value_index, bool mean);

/*
 * The unit of numeric label key (the first unit given to it; else bytes
 * for "alignment" and "request", else the key itself), or "" if no sample
 * has a numeric label with this key.
 */
const char *label_unit(const struct label_units *u, const char *key);
/* pprof's warnings about keys given several units, one line each. */
void label_units_warnings(const struct label_units *u, struct strbuf *out);

/* True if the label is a string label with key and value (pprof's HasLabel). */
bool label_is(const struct profile *p, const struct label *l, const char *key, const char *value);
/* pprof's DiffBaseSample: the sample has the label pprof::base=true. */
bool is_diff_base_sample(const struct profile *p, const struct label *labels, size_t n);

#endif
