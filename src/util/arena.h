/*
 * arena.h - bump allocation for data that lives as long as its owner.
 *
 * An arena hands out memory from large blocks and frees it all at once
 * with arena_free().  Nothing allocated from an arena is freed one by one;
 * whoever owns the arena owns everything in it.  Allocation never fails:
 * on exhaustion of memory cpprof reports it and exits (see xmalloc), since
 * no report can be produced without memory.
 *
 * arena_mark()/arena_reset() rewind an arena to an earlier point, for
 * scratch data that is rebuilt for every item of a loop.
 */
#ifndef CPPROF_ARENA_H
#define CPPROF_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;	/* block being filled, newest first */
	size_t block_size;		/* size of the next block to allocate */
};

struct arena_mark {
	struct arena_block *block;
	size_t used;
};

#define ARENA_INIT { NULL, 0 }

void arena_init(struct arena *a);
/* Memory of `size` bytes aligned for any type; zero-filled. */
void *arena_alloc(struct arena *a, size_t size);
/* An array of n elements of `size` bytes; checks n*size for overflow. */
void *arena_array(struct arena *a, size_t n, size_t size);
/* A NUL-terminated copy of the first len bytes of s. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct arena_mark arena_mark(const struct arena *a);
void arena_reset(struct arena *a, struct arena_mark m);
void arena_free(struct arena *a);

/* malloc/realloc that exit with a message when memory runs out. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* Grow *p (an array of *cap elements of `size` bytes) to hold `need`. */
void xgrow(void **p, size_t *cap, size_t need, size_t size);

#endif
