/*
 * view.h - the profile as one report sees it.
 *
 * A view selects the sample value a report measures (sample_index, mean)
 * and decides which samples, which frames of them and which inlined lines
 * of each location take part, without changing the profile.  Every report
 * walks its samples through view_next(), which yields them already
 * filtered, as often as it needs (trimming rebuilds graphs several times).
 *
 * The view owns its arrays; view_free() releases them.  The profile must
 * outlive the view.
 */
#ifndef CPPROF_VIEW_H
#define CPPROF_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/error.h"

struct view {
	const struct profile *prof;
	size_t value_index;		/* sample value measured */
	bool mean;			/* divide by value[0] */

	/*
	 * Lines of location i that frames are made of: indexes into the
	 * location's lines, innermost first, lines[first[i]] onwards,
	 * count[i] of them.  A location without lines keeps count 0 and
	 * has_lines false: it is one frame of its own (address only).
	 */
	uint32_t *line_first;
	uint32_t *line_count;
	uint32_t *lines;
};

/* A sample as a view yields it. */
struct view_sample {
	const uint32_t *locations;	/* leaf first */
	size_t nlocations;
	int64_t value;			/* the measured value */
	int64_t divisor;		/* value[0] for mean reports, else 0 */
	const struct sample *raw;
};

struct view_iter {
	bool skip_zero;		/* leave out samples whose value and divisor are 0 */
	size_t next;
	struct sample_buf buf;
	struct sample raw;
};

/*
 * Builds a view of prof measuring value_index; with noinlines only the
 * outermost line of each location remains.
 */
void view_init(struct view *v, const struct profile *prof, size_t value_index, bool mean, bool noinlines);
void view_free(struct view *v);

void view_iter_init(struct view_iter *it);
void view_iter_free(struct view_iter *it);
/* The next sample of the view; false at the end. */
bool view_next(const struct view *v, struct view_iter *it, struct view_sample *s);

/* pprof's SampleIndexByName: resolves sample_index ("" = default). */
int sample_index_by_name(const struct profile *p, const char *name, size_t *index, struct error *e);

#endif
