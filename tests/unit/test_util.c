/* Arena, strbuf, hash map, path and parallel helpers. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "util/arena.h"
#include "util/hash.h"
#include "util/parallel.h"
#include "util/path.h"
#include "util/strbuf.h"

static void test_arena(void)
{
	struct arena a = ARENA_INIT;
	char *s = arena_strdup(&a, "hello");
	CHECK_STR(s, "hello");
	struct arena_mark m = arena_mark(&a);
	for (int i = 0; i < 100000; i++) {
		int *p = arena_alloc(&a, sizeof(int) * 3);
		CHECK(((uintptr_t)p % sizeof(max_align_t)) == 0 || i > 0);
		p[2] = i;
	}
	arena_reset(&a, m);
	CHECK_STR(s, "hello");
	CHECK_STR(arena_printf(&a, "%d-%s", 7, "x"), "7-x");
	arena_free(&a);
}

static void test_strbuf(void)
{
	struct strbuf sb = STRBUF_INIT;
	CHECK(sb.len == 0 && sb.buf[0] == '\0');
	strbuf_addstr(&sb, "ab");
	strbuf_addf(&sb, "%05d", 42);
	strbuf_addchars(&sb, '-', 3);
	CHECK_STR(sb.buf, "ab00042---");
	for (int i = 0; i < 1000; i++)
		strbuf_addch(&sb, 'x');
	CHECK(sb.len == 1010 && sb.buf[sb.len] == '\0');
	size_t len;
	char *p = strbuf_detach(&sb, &len);
	CHECK(len == 1010 && sb.len == 0);
	free(p);

	/* decimals as printf writes them */
	const int64_t ints[] = { 0, 7, -7, 1234567890123, INT64_MAX, INT64_MIN };
	struct strbuf want = STRBUF_INIT;
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		strbuf_reset(&sb);
		strbuf_reset(&want);
		strbuf_add_int(&sb, ints[i], 10);
		strbuf_add_int(&sb, ints[i], 0);
		strbuf_add_uint(&sb, (uint64_t)ints[i], 3);
		strbuf_addf(&want, "%10lld%lld%3llu", (long long)ints[i], (long long)ints[i],
			    (unsigned long long)ints[i]);
		CHECK_STR(sb.buf, want.buf);
	}
	strbuf_release(&want);
	strbuf_reset(&sb);
	strbuf_add_right(&sb, "ab", 2, 4);
	strbuf_add_right(&sb, "abcdef", 6, 4);
	CHECK_STR(sb.buf, "  ababcdef");
	strbuf_release(&sb);
}

static void test_hash(void)
{
	struct hmap m;
	hmap_init(&m, 4);
	int ins;
	for (uint64_t k = 0; k < 50000; k++)
		*hmap_put(&m, k * 7919, 0, &ins) = (uint32_t)k;
	CHECK(m.count == 50000);
	CHECK(*hmap_get(&m, 7919 * 1234) == 1234);
	CHECK(hmap_get(&m, 3) == NULL);
	hmap_put(&m, 7919, 5, &ins);
	CHECK(ins == 0);
	hmap_free(&m);
}

static void test_paths(void)
{
	struct arena a = ARENA_INIT;
	CHECK_STR(path_clean(&a, "/a/b/../c//d/./"), "/a/c/d");
	CHECK_STR(path_clean(&a, "../x/../../y"), "../../y");
	CHECK_STR(path_clean(&a, ""), ".");
	CHECK_STR(path_clean(&a, "/.."), "/");
	CHECK_STR(path_base("/build/havlak/havlak"), "havlak");
	CHECK_STR(path_base("dir/"), "dir");
	CHECK_STR(path_base(""), ".");
	char *t = trim_path("/build/havlak/loops.go", "/build", "");
	CHECK_STR(t, "havlak/loops.go");
	free(t);
	t = trim_path("/build/havlak/loops.go", "", "src/havlak");
	CHECK_STR(t, "loops.go");
	free(t);
	t = trim_path("/proc/self/cwd/x.c", "", "");
	CHECK_STR(t, "x.c");
	free(t);
	arena_free(&a);
}

struct square_part {
	size_t begin, end;
	uint64_t sum;
};

static void sum_squares(void *arg)
{
	struct square_part *sp = arg;
	for (size_t i = sp->begin; i < sp->end; i++)
		sp->sum += (uint64_t)i * i;
}

/* Ranges cover [0, n) in order, split on multiples of 64, and every part runs once. */
static void test_parallel(void)
{
	size_t bounds[PARALLEL_MAX + 1];
	CHECK(parallel_ranges(0, bounds) == 1 && bounds[0] == 0 && bounds[1] == 0);
	CHECK(parallel_ranges(PARALLEL_RANGE - 1, bounds) == 1 && bounds[0] == 0 &&
	      bounds[1] == PARALLEL_RANGE - 1);
	setenv("CPPROF_MIN_RANGE", "1000", 1);
	setenv("CPPROF_THREADS", "3", 1);
	size_t n = 1000003, count = parallel_ranges(n, bounds);
	CHECK(count == 3);
	setenv("CPPROF_THREADS", "100", 1);
	CHECK(parallel_ranges(n, bounds) == PARALLEL_MAX);
	setenv("CPPROF_THREADS", "3", 1);
	count = parallel_ranges(n, bounds);
	CHECK(bounds[0] == 0 && bounds[count] == n);
	struct square_part parts[PARALLEL_MAX];
	for (size_t r = 0; r < count; r++) {
		CHECK(bounds[r] < bounds[r + 1]);
		CHECK(r == 0 || bounds[r] % 64 == 0);
		parts[r] = (struct square_part){ bounds[r], bounds[r + 1], 0 };
	}
	parallel_run(sum_squares, parts, sizeof(parts[0]), count);
	uint64_t total = 0, want = 0;
	for (size_t r = 0; r < count; r++)
		total += parts[r].sum;
	for (size_t i = 0; i < n; i++)
		want += (uint64_t)i * i;
	CHECK(total == want);
	unsetenv("CPPROF_THREADS");
	unsetenv("CPPROF_MIN_RANGE");
}

int main(void)
{
	test_arena();
	test_strbuf();
	test_hash();
	test_paths();
	test_parallel();
	return check_done();
}
