/*
 * merge.h - several profiles made one, as pprof's combineProfiles does
 * it: their units made common (measurement.ScaleProfiles: every value
 * scaled to the finest unit any of them uses), their headers checked and
 * combined, and their samples merged (profile.Merge).
 *
 * Merging keeps one of each mapping, function and location however many
 * profiles have it, numbers them anew in order of first use (mapping 0,
 * the main binary, first), sums samples with the same frames and labels,
 * and drops samples whose values are all zero.  pprof merges even a
 * single profile: that is what profile_compact() does.
 *
 * Each source can be scaled first, per sample value (pprof's ScaleN,
 * which base profiles use: -1 to subtract, the ratio of totals for
 * -normalize), and given a label on every sample (pprof::base=true for
 * -diff_base).
 *
 * The merged profile is built in out, which owns everything; the sources
 * are not changed.
 */
#ifndef CPPROF_MERGE_H
#define CPPROF_MERGE_H

#include "profile/profile.h"
#include "util/error.h"

struct merge_source {
	const struct profile *prof;
	const double *ratios;		/* per sample value, applied first; NULL: none */
	const char *label_key;		/* set on every sample (replacing its values); NULL: none */
	const char *label_value;
};

/*
 * Merges n profiles into out.  Returns 0, or -1 with pprof's reason in *e,
 * e.g. "period type: incompatible types: {cpu nanoseconds 0 0} {space
 * bytes 0 0}".
 */
int profile_merge(const struct merge_source *sources, size_t n, struct profile *out, struct error *e);

/* pprof's Merge of a single profile: p with duplicates summed, zeros dropped, ids renumbered. */
void profile_compact(const struct profile *p, struct profile *out);

/*
 * pprof's Normalize: the ratios that scale each value of p so that its
 * sum over p's samples equals the sum over base's (0 where p's is 0).
 * Returns 0, or -1 if the two profiles are not of the same types.
 */
int normalize_ratios(const struct profile *p, const struct profile *base, double *ratios, struct error *e);

#endif
