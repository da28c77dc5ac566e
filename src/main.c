/*
 * cpprof - a fast, standalone reimplementation of `go tool pprof`.
 * Pipeline: load -> symbolize -> filter -> aggregate -> report/render.
 */
#include "cli/run.h"

#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/*
 * Passes over a large profile allocate and free blocks of megabytes one
 * after another.  glibc would map each such block afresh and unmap it on
 * free, so that every pass paid the kernel again to fault in and zero
 * its pages; kept in the heap, freed blocks serve the next pass.
 */
static void keep_freed_memory(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, INT_MAX);
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

int main(int argc, char **argv)
{
	keep_freed_memory();
	return cli_run(argc, argv);
}
