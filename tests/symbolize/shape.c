/* A shared library for the symbolization test: a function and an inlined helper. */
#include "sample.h"

static inline __attribute__((always_inline)) long square(long x)
{
	sample_here(__func__, __LINE__);
	return x * x;
}

long shape_area(long w, long h)
{
	sample_here(__func__, __LINE__);
	return w * h + square(w);
}
