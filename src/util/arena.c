#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

enum { ARENA_MIN_BLOCK = 64 * 1024, ARENA_MAX_BLOCK = 16 * 1024 * 1024 };

static void out_of_memory(size_t size)
{
	fprintf(stderr, "cpprof: out of memory (allocating %zu bytes)\n", size);
	exit(2);
}

/* Blocks this large ask for transparent huge pages. */
#define HUGE_BLOCK ((size_t)4 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

/*
 * A large profile's buffers (the inflated profile, node stacks, edge
 * tables) are filled page by page: with 2 MB pages, where the kernel
 * gives them on request, that is a few hundred page faults instead of
 * tens of thousands, and fewer TLB misses when they are walked at random.
 */
static void *advise_huge(void *p, size_t size)
{
	if (size < HUGE_BLOCK)
		return p;
	uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + size) & ~(HUGE_PAGE - 1);
	if (end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE);
	return p;
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return advise_huge(p, size);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return advise_huge(p, n * size);
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return advise_huge(p, size);
}

void xgrow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	*p = xrealloc(*p, n * size);
	*cap = n;
}

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->block_size = 0;
}

static struct arena_block *new_block(struct arena *a, size_t need)
{
	size_t size = a->block_size ? a->block_size : ARENA_MIN_BLOCK;
	if (size < ARENA_MAX_BLOCK)
		a->block_size = size * 2;
	if (size < need)
		size = need;
	struct arena_block *b = xmalloc(sizeof(*b) + size);
	b->size = size;
	b->used = 0;
	b->next = a->head;
	a->head = b;
	return b;
}

void *arena_alloc(struct arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < size)
		b = new_block(a, size);
	void *p = (char *)b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

void *arena_array(struct arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	return arena_alloc(a, n * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

struct arena_mark arena_mark(const struct arena *a)
{
	struct arena_mark m = { a->head, a->head ? a->head->used : 0 };
	return m;
}

void arena_reset(struct arena *a, struct arena_mark m)
{
	while (a->head != m.block) {
		struct arena_block *b = a->head;
		a->head = b->next;
		free(b);
	}
	if (a->head)
		a->head->used = m.used;
}

void arena_free(struct arena *a)
{
	arena_reset(a, (struct arena_mark){ NULL, 0 });
	a->block_size = 0;
}
