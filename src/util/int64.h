/*
 * int64.h - Go's int64 arithmetic, which wraps around where C's would
 * overflow (undefined behaviour).  Sample values come from the input:
 * sums and products of them overflow on corrupt or hostile profiles, and
 * pprof then prints what wrapped values give.
 */
#ifndef CPPROF_INT64_H
#define CPPROF_INT64_H

#include <stdint.h>

static inline int64_t add64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static inline int64_t mul64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}

/* Go's abs of an int64: the most negative value stays itself. */
static inline int64_t abs64(int64_t v)
{
	return v < 0 ? (int64_t)(0 - (uint64_t)v) : v;
}

#endif
