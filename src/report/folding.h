/*
 * folding.h - samples folded into their distinct call stacks of a report's samples, for folded
 * stacks and flame graphs.
 *
 * Every sample the view yields becomes a stack of frames, root first, one
 * frame per node of the report's node set (so granularity, inlining and
 * every filter apply as in the graph); a frame is named as pprof prints
 * the node.  Samples whose stacks print the same are one stack with the
 * values summed.  Stacks are sorted by their frames' names, frame by
 * frame, a stack before those it is a prefix of.  Samples without any
 * frame have no stack.
 *
 * Ownership: a folded_stacks owns its arrays; it borrows the report, whose
 * node names it points at, and must not outlive it.
 */
#ifndef CPPROF_REPORT_FOLDING_H
#define CPPROF_REPORT_FOLDING_H

#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

struct folded_stack {
	uint64_t first;		/* into folded_stacks.frames */
	uint32_t depth;
	int64_t value;		/* sum of the samples' values */
	int64_t negative;	/* the part of value from negative samples (a base profile) */
	int64_t divisor;	/* sum of the samples' first values, for -mean */
};

struct folded_stacks {
	uint32_t *frames;	/* frame name ranks, stacks back to back */
	uint64_t nframes, frames_cap;
	struct folded_stack *stacks;
	size_t count, cap;
	const char **names;	/* by rank: a frame's name */
	size_t nnames;
};

void folded_stacks_build(struct folded_stacks *s, struct report *r);
void folded_stacks_free(struct folded_stacks *s);

/* A stack's frames, root first. */
static inline const uint32_t *folded_frames(const struct folded_stacks *s, const struct folded_stack *st)
{
	return s->frames + st->first;
}

/* The value a stack stands for: its sum, or the mean per event with -mean. */
int64_t folded_value(const struct report *r, const struct folded_stack *st);

#endif
