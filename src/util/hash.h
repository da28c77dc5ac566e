/*
 * hash.h - an open-addressing map from 64-bit keys to 32-bit values.
 *
 * Keys are any uint64_t except HASH_EMPTY_KEY; callers that hash strings or
 * tuples reduce them to such a key themselves and resolve collisions of
 * the reduction by comparing the values' own data (see hash_str()).
 * The map owns its slot array; hmap_free() releases it.
 */
#ifndef CPPROF_HASH_H
#define CPPROF_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_EMPTY_KEY UINT64_MAX

struct hmap {
	uint64_t *keys;
	uint32_t *vals;
	size_t mask;	/* capacity - 1; capacity is a power of two */
	size_t count;
};

void hmap_init(struct hmap *m, size_t expected);
void hmap_free(struct hmap *m);
/* The value for key, or NULL. */
uint32_t *hmap_get(const struct hmap *m, uint64_t key);
/*
 * The value slot for key, inserting it with value `fresh` if absent;
 * *inserted tells which happened.
 */
uint32_t *hmap_put(struct hmap *m, uint64_t key, uint32_t fresh, int *inserted);

/* A well-mixed 64-bit hash of bytes and of a 64-bit integer. */
uint64_t hash_bytes(const void *data, size_t len, uint64_t seed);
static inline uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}
static inline uint64_t hash_mix(uint64_t h, uint64_t v)
{
	return hash_u64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

#endif
