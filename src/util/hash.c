#include "util/hash.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

static void alloc_slots(struct hmap *m, size_t cap)
{
	m->keys = xmalloc(cap * sizeof(*m->keys));
	m->vals = xmalloc(cap * sizeof(*m->vals));
	memset(m->keys, 0xff, cap * sizeof(*m->keys));
	m->mask = cap - 1;
	m->count = 0;
}

void hmap_init(struct hmap *m, size_t expected)
{
	size_t cap = 16;
	while (cap < expected * 2)
		cap *= 2;
	alloc_slots(m, cap);
}

void hmap_free(struct hmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

uint32_t *hmap_get(const struct hmap *m, uint64_t key)
{
	size_t i = hash_u64(key) & m->mask;
	for (;;) {
		if (m->keys[i] == key)
			return &m->vals[i];
		if (m->keys[i] == HASH_EMPTY_KEY)
			return NULL;
		i = (i + 1) & m->mask;
	}
}

static void rehash(struct hmap *m)
{
	struct hmap old = *m;
	alloc_slots(m, (old.mask + 1) * 2);
	for (size_t i = 0; i <= old.mask; i++) {
		if (old.keys[i] == HASH_EMPTY_KEY)
			continue;
		int ins;
		*hmap_put(m, old.keys[i], old.vals[i], &ins) = old.vals[i];
	}
	hmap_free(&old);
}

uint32_t *hmap_put(struct hmap *m, uint64_t key, uint32_t fresh, int *inserted)
{
	if ((m->count + 1) * 4 > (m->mask + 1) * 3)
		rehash(m);
	size_t i = hash_u64(key) & m->mask;
	for (;;) {
		if (m->keys[i] == key) {
			*inserted = 0;
			return &m->vals[i];
		}
		if (m->keys[i] == HASH_EMPTY_KEY) {
			m->keys[i] = key;
			m->vals[i] = fresh;
			m->count++;
			*inserted = 1;
			return &m->vals[i];
		}
		i = (i + 1) & m->mask;
	}
}

uint64_t hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);
	while (len >= 8) {
		uint64_t v;
		memcpy(&v, p, 8);
		h = hash_mix(h, v);
		p += 8;
		len -= 8;
	}
	uint64_t tail = 0;
	memcpy(&tail, p, len);
	return hash_mix(h, tail);
}
