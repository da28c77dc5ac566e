/*
 * prune.h - pprof's frame pruning by function name (profile/prune.go).
 *
 * RemoveUninteresting: a profile's drop_frames regexp (legacy formats set
 * one) removes, in every sample, the first matching frame seen from the
 * root that lies below a frame of user code, together with everything
 * beneath it; keep_frames exempts names from drop_frames.  It applies to
 * every report of the profile, before any filter.
 *
 * PruneFrom (-prune_from): in every sample, everything beneath the
 * leafmost matching frame goes.
 *
 * Names are matched as pprof's simplifyFunc leaves them (argument lists
 * cut off, "(anonymous namespace)" and "operator()" kept).
 */
#ifndef CPPROF_PRUNE_H
#define CPPROF_PRUNE_H

#include <stdbool.h>
#include <stdint.h>

#include "filter/regexp.h"
#include "profile/profile.h"
#include "util/error.h"
#include "util/strbuf.h"

/* pprof's simplifyFunc: name without a leading '.' and without its argument list. */
void simplify_function_name(const char *name, struct strbuf *out);

/* True if the simplified name of the line's function matches re (lines without names never do). */
bool line_name_matches(const struct profile *p, const struct line *line, const struct regex *re);

enum {
	PRUNE_LOCATION = 1,	/* the location itself goes, with everything beneath it */
	PRUNE_BENEATH = 2,	/* everything beneath the location goes */
};

/*
 * What RemoveUninteresting removes from a profile: per location its flags
 * and the first of its lines that stays (lines before it, the inlined
 * callees, go).  Inactive when the profile has no drop_frames, or ones
 * that do not compile (pprof then prunes nothing).
 */
struct uninteresting {
	bool active;
	uint8_t *flags;
	uint32_t *first_line;
};

void uninteresting_init(struct uninteresting *u, const struct profile *p);
void uninteresting_free(struct uninteresting *u);
/* Index of the first (leafmost) location that stays of a sample's locations (leaf first). */
size_t uninteresting_sample_start(const struct uninteresting *u, const uint32_t *locations, size_t n);

/*
 * A copy of p with RemoveUninteresting applied: the same mappings,
 * functions and locations (lines trimmed), samples with their frames
 * pruned, and no drop_frames or keep_frames.
 */
void profile_remove_uninteresting(const struct profile *p, struct profile *out);

#endif
