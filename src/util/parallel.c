#include "util/parallel.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The environment variable name as a positive number, or 0. */
static size_t env_count(const char *name)
{
	const char *env = getenv(name);
	if (!env || !*env)
		return 0;
	char *end;
	long n = strtol(env, &end, 10);
	return !*end && n > 0 ? (size_t)n : 0;
}

/* CPPROF_THREADS if set, else the online cores. */
static size_t thread_budget(void)
{
	size_t n = env_count("CPPROF_THREADS");
	if (n)
		return n;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	return cores < 1 ? 1 : (size_t)cores;
}

size_t parallel_ranges(size_t n, size_t bounds[PARALLEL_MAX + 1])
{
	size_t min_range = env_count("CPPROF_MIN_RANGE");
	if (!min_range)
		min_range = PARALLEL_RANGE;
	size_t count = n / min_range;
	size_t threads = thread_budget();
	if (count > threads)
		count = threads;
	if (count > PARALLEL_MAX)
		count = PARALLEL_MAX;
	if (count == 0)
		count = 1;
	/* inner bounds on multiples of 64: ranges never share a word of a bitmap */
	bounds[0] = 0;
	for (size_t i = 1; i < count; i++)
		bounds[i] = n / count * i / 64 * 64;
	bounds[count] = n;
	return count;
}

struct worker {
	void (*run)(void *part);
	void *part;
	pthread_t thread;
	bool started;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	w->run(w->part);
	return NULL;
}

void parallel_run(void (*run)(void *part), void *parts, size_t size, size_t count)
{
	struct worker workers[PARALLEL_MAX];
	char *base = parts;
	for (size_t i = 1; i < count && i < PARALLEL_MAX; i++) {
		workers[i].run = run;
		workers[i].part = base + i * size;
		workers[i].started = pthread_create(&workers[i].thread, NULL, work, &workers[i]) == 0;
	}
	if (count > 0)
		run(base);
	for (size_t i = 1; i < count && i < PARALLEL_MAX; i++) {
		if (workers[i].started)
			pthread_join(workers[i].thread, NULL);
		else
			run(workers[i].part);
	}
}

/* Buffers smaller than this are filled before a helper thread would start. */
#define PREFAULT_MIN ((size_t)8 << 20)
/* Pages populated per call: small enough to stay ahead of the writer from the start. */
#define PREFAULT_STEP ((size_t)2 << 20)

static void *populate(void *arg)
{
#ifdef MADV_POPULATE_WRITE
	struct prefault *pf = arg;
	char *p = pf->start, *end = p + pf->len;
	while (p < end) {
		size_t n = (size_t)(end - p) < PREFAULT_STEP ? (size_t)(end - p) : PREFAULT_STEP;
		if (madvise(p, n, MADV_POPULATE_WRITE) != 0)
			break;
		p += n;
	}
#else
	(void)arg;
#endif
	return NULL;
}

void prefault_start(struct prefault *pf, void *buf, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t mask = page > 0 ? (uintptr_t)page - 1 : 4095;
	uintptr_t first = ((uintptr_t)buf + mask) & ~mask, last = ((uintptr_t)buf + len) & ~mask;
	pf->started = false;
	if (last <= first || last - first < PREFAULT_MIN || thread_budget() < 2)
		return;
	pf->start = (void *)first;
	pf->len = last - first;
	pf->started = pthread_create(&pf->thread, NULL, populate, pf) == 0;
}

void prefault_finish(struct prefault *pf)
{
	if (pf->started)
		pthread_join(pf->thread, NULL);
	pf->started = false;
}
