/*
 * view.h - the profile as one report sees it.
 *
 * A view selects the sample value a report measures (sample_index, mean)
 * and decides which samples, which frames of them, which inlined lines of
 * each location and which labels take part, without changing the
 * profile.  It applies, in pprof's order:
 *   1. the profile's drop_frames/keep_frames (pprof's RemoveUninteresting);
 *   2. -focus and -ignore (samples), -hide and -show (lines of locations,
 *      and locations left without lines), dropping samples left without
 *      frames (pprof's FilterSamplesByName);
 *   3. -show_from (frames above the highest match);
 *   4. -tagfocus and -tagignore (samples, by label);
 *   5. -tagshow and -taghide (labels);
 *   6. -prune_from (frames beneath the lowest match);
 *   7. -noinlines (only the outermost line of each location).
 * Every report walks its samples through view_next(), which yields them
 * filtered, as often as it needs (trimming rebuilds graphs several times).
 * Reports that print locations print the lines the view keeps.
 *
 * Filters pprof warns about when they match nothing print their warning
 * into the caller's buffer at view_init_filtered(); where that depends on
 * samples (tag filters), the view decides every sample once up front and
 * remembers the outcome, so later passes skip dropped samples unread.
 *
 * The view owns its arrays; view_free() releases them.  The profile, the
 * filter set and the scan must outlive the view.
 */
#ifndef CPPROF_VIEW_H
#define CPPROF_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "filter/filter.h"
#include "filter/prune.h"
#include "profile/scan.h"
#include "profile/profile.h"
#include "util/error.h"
#include "util/strbuf.h"

struct view_memo;

struct view {
	const struct profile *prof;
	size_t value_index;		/* sample value measured */
	bool mean;			/* divide by value[0] */

	/*
	 * Lines of location i that frames are made of: indexes into the
	 * location's lines, innermost first, lines[first[i]] onwards,
	 * count[i] of them.  A location without lines keeps count 0: it is
	 * one frame of its own (address only).
	 */
	uint32_t *line_first;
	uint32_t *line_count;
	uint32_t *lines;

	/* Filtering; see view.c.  filters is NULL for an unfiltered view. */
	struct filter_set *filters;
	const struct profile_scan *scan;
	struct uninteresting drop;
	uint8_t *loc_flags;		/* per location: LOC_* bits */
	bool hides_locations;		/* some location lost all its lines */
	bool focuses_locations;		/* some location is not focused, or ignored */
	uint64_t *decided, *kept;	/* per sample bits, after the up-front pass */
	struct view_memo *memo;
	int64_t kept_total;		/* with relative: pprof's computeTotal over the kept samples */
	struct profile_scan *own_scan;	/* the scan, where the view made it itself */
};

/* A sample as a view yields it. */
struct view_sample {
	const uint32_t *locations;	/* leaf first */
	size_t nlocations;
	int64_t value;			/* the measured value */
	int64_t divisor;		/* value[0] for mean reports, else 0 */
	const struct label *labels;	/* those -tagshow/-taghide leave, empty ones dropped */
	size_t nlabels;
	const struct sample *raw;	/* as decoded: all values; the labels above */
};

/*
 * A walk over the samples [next, end) of a view; view_iter_init() sets it
 * to all of them.  Several threads may walk one view at once, each with
 * an iterator of its own, if they skip_zero: the view then consults only
 * what it decided up front.
 */
struct view_iter {
	bool skip_zero;		/* leave out samples whose value and divisor are 0 */
	size_t next, end;
	struct sample_buf buf;
	struct sample raw;
	struct sample shown;	/* raw with the labels -tagshow/-taghide leave */
	uint32_t *locations;	/* scratch for frames left after -hide/-show */
	size_t locations_cap;
	struct label *labels;	/* scratch for labels left after -tagshow/-taghide */
	size_t labels_cap;
};

struct view_options {
	size_t value_index;
	bool mean;
	bool noinlines;
	bool relative;			/* compute kept_total (-relative_percentages) */
	struct filter_set *filters;	/* NULL: none */
	const struct profile_scan *scan;	/* of prof: label units, samples that weigh anything */
};

/*
 * Builds a view of prof with filters.  pprof's warnings ("Focus
 * expression matched no samples", ...) go into warnings, one a line.
 * Returns 0, or -1 with the late error of the filter set (a bad -tagshow
 * or -taghide) in *e.
 */
int view_init_filtered(struct view *v, const struct profile *prof, const struct view_options *o,
		       struct strbuf *warnings, struct error *e);
/* Builds an unfiltered view of prof measuring value_index (owning a scan of prof unless prof has one). */
void view_init(struct view *v, const struct profile *prof, size_t value_index, bool mean, bool noinlines);
void view_free(struct view *v);

void view_iter_init(struct view_iter *it);
/* A walk over the samples [begin, end) that skips zero ones: one per thread. */
void view_iter_range(struct view_iter *it, size_t begin, size_t end);
void view_iter_free(struct view_iter *it);
/* The next sample of the view; false at the end. */
bool view_next(const struct view *v, struct view_iter *it, struct view_sample *s);

/* pprof's SampleIndexByName: resolves sample_index ("" = default). */
int sample_index_by_name(const struct profile *p, const char *name, size_t *index, struct error *e);

#endif
