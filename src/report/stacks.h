/*
 * stacks.h - the distinct call stacks of a report's samples, for folded
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
 * Ownership: a stack_set owns its arrays; it borrows the report, whose
 * node names it points at, and must not outlive it.
 */
#ifndef CPPROF_REPORT_STACKS_H
#define CPPROF_REPORT_STACKS_H

#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

struct stack {
	uint64_t first;		/* into stack_set.frames */
	uint32_t depth;
	int64_t value;		/* sum of the samples' values */
	int64_t negative;	/* the part of value from negative samples (a base profile) */
	int64_t divisor;	/* sum of the samples' first values, for -mean */
};

struct stack_set {
	uint32_t *frames;	/* frame name ranks, stacks back to back */
	uint64_t nframes, frames_cap;
	struct stack *stacks;
	size_t count, cap;
	const char **names;	/* by rank: a frame's name */
	size_t nnames;
};

void stack_set_build(struct stack_set *s, struct report *r);
void stack_set_free(struct stack_set *s);

/* A stack's frames, root first. */
static inline const uint32_t *stack_frames(const struct stack_set *s, const struct stack *st)
{
	return s->frames + st->first;
}

/* The value a stack stands for: its sum, or the mean per event with -mean. */
int64_t stack_value(const struct report *r, const struct stack *st);

#endif
