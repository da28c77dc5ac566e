/* Arena, strbuf, hash map and path helpers. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "util/arena.h"
#include "util/hash.h"
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

int main(void)
{
	test_arena();
	test_strbuf();
	test_hash();
	test_paths();
	return check_done();
}
