/*
 * parallel.h - one pass over many samples, shared between the cores.
 *
 * The passes that read every sample of a large profile (checking them,
 * decoding them into node stacks, aggregating their edges) split the
 * samples into consecutive ranges, one per core, and combine the ranges'
 * results in range order afterwards, so that the outcome is the same
 * bytes whatever the number of cores: whatever a pass creates in order
 * of first sight (edges, label sets) it merges range by range.
 *
 * A pass owns its parts; parallel_run() only runs them.  Each part must
 * touch nothing shared but what it only reads.
 */
#ifndef CPPROF_PARALLEL_H
#define CPPROF_PARALLEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* At most this many ranges (and threads) for one pass. */
#define PARALLEL_MAX 8

/* Fewest samples worth a thread of their own. */
#define PARALLEL_RANGE 50000

/*
 * Splits [0, n) into consecutive ranges of PARALLEL_RANGE items or more,
 * at most one per thread allowed (the online cores, or the environment's
 * CPPROF_THREADS) and PARALLEL_MAX: range i is [bounds[i], bounds[i + 1]).
 * CPPROF_MIN_RANGE replaces PARALLEL_RANGE, so that tests can split even
 * small profiles.  Inner bounds are multiples of 64, so that ranges
 * writing a bit per item never write the same word.  Returns the number
 * of ranges: 1 for small n, an empty one for n == 0.
 */
size_t parallel_ranges(size_t n, size_t bounds[PARALLEL_MAX + 1]);

/*
 * Calls run on each of the count parts (part i at parts + i * size), the
 * first on the calling thread and the others each on a thread of its own,
 * and returns when all have finished.  A part whose thread cannot be
 * started runs on the calling thread.
 */
void parallel_run(void (*run)(void *part), void *parts, size_t size, size_t count);

/*
 * Faults in the pages of a fresh buffer on another core, first to last,
 * while the calling thread fills it: the first write to each page of new
 * memory costs a trip to the kernel, which zeroes it, and a single
 * writer such as an inflater would otherwise pay for every page itself.
 * The contents are never changed.  Does nothing for small buffers, with
 * one thread allowed, or where the kernel cannot populate pages (before
 * Linux 5.14).  prefault_finish() waits for the helper; call it before
 * the buffer is freed or moved.
 */
struct prefault {
	void *start;
	size_t len;
	pthread_t thread;
	bool started;
};

void prefault_start(struct prefault *pf, void *buf, size_t len);
void prefault_finish(struct prefault *pf);

#endif
