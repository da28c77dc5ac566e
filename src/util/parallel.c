#include "util/parallel.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
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
