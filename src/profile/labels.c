#include "profile/labels.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

size_t group_labels(const struct profile *p, const struct label *labels, size_t n, bool numeric,
		    struct label_key *keys, uint32_t *order)
{
	size_t nkeys = 0, k = 0;
	/* few labels per sample: a quadratic grouping is the cheapest */
	for (size_t i = 0; i < n; i++) {
		const struct label *l = &labels[i];
		if (!(numeric ? label_is_numeric(l) : label_is_string(l)))
			continue;
		const char *name = profile_string(p, l->key);
		bool seen = false;
		for (size_t j = 0; j < nkeys && !seen; j++)
			seen = !strcmp(keys[j].name, name);
		if (seen)
			continue;
		struct label_key *key = &keys[nkeys++];
		key->name = name;
		key->first = k;
		key->count = 0;
		key->has_unit = false;
		for (size_t j = i; j < n; j++) {
			const struct label *m = &labels[j];
			if (!(numeric ? label_is_numeric(m) : label_is_string(m)))
				continue;
			if (strcmp(profile_string(p, m->key), name))
				continue;
			order[k++] = (uint32_t)j;
			key->count++;
			if (m->num_unit != 0)
				key->has_unit = true;
		}
	}
	return nkeys;
}

static uint64_t key_hash(const char *s)
{
	uint64_t h = hash_bytes(s, strlen(s), 3);
	return h == HASH_EMPTY_KEY ? 0 : h;
}

/* The entry of key, added with unit "" if new. */
static size_t entry_of(struct num_units *u, const char *key)
{
	uint64_t h = key_hash(key);
	for (;;) {
		int inserted;
		uint32_t *slot = hmap_put(&u->index, h, (uint32_t)u->count, &inserted);
		if (!inserted && strcmp(u->keys[*slot], key)) {
			h = hash_mix(h, 1);	/* another key with this hash: probe on */
			if (h == HASH_EMPTY_KEY)
				h = 0;
			continue;
		}
		if (inserted) {
			size_t cap = u->cap;
			xgrow((void **)&u->keys, &cap, u->count + 1, sizeof(*u->keys));
			cap = u->cap;
			xgrow((void **)&u->units, &cap, u->count + 1, sizeof(*u->units));
			u->cap = cap;
			u->keys[u->count] = key;
			u->units[u->count] = "";
			u->count++;
		}
		return *slot;
	}
}

/* A unit named besides a key's own unit, for the warning. */
struct ignored_unit {
	const char *key, *unit;
};

static int cmp_ignored(const void *pa, const void *pb)
{
	const struct ignored_unit *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	return c ? c : strcmp(a->unit, b->unit);
}

static void add_ignored(struct ignored_unit **ign, size_t *n, size_t *cap, const char *key, const char *unit)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*ign)[i].key, key) && !strcmp((*ign)[i].unit, unit))
			return;
	xgrow((void **)ign, cap, *n + 1, sizeof(**ign));
	(*ign)[*n].key = key;
	(*ign)[*n].unit = unit;
	(*n)++;
}

static void warn_ignored(const struct num_units *u, struct ignored_unit *ign, size_t n, struct strbuf *warnings)
{
	if (n == 0)
		return;
	qsort(ign, n, sizeof(*ign), cmp_ignored);
	for (size_t i = 0; i < n;) {
		const char *key = ign[i].key;
		strbuf_addf(warnings, "For tag %s used unit %s, also encountered unit(s) ", key,
			    num_units_get(u, key));
		for (size_t j = i; i < n && !strcmp(ign[i].key, key); i++)
			strbuf_addf(warnings, "%s%s", i > j ? ", " : "", ign[i].unit);
		strbuf_addch(warnings, '\n');
	}
}

void num_units_compute(struct num_units *u, const struct profile *p, struct strbuf *warnings)
{
	memset(u, 0, sizeof(*u));
	hmap_init(&u->index, 16);
	struct sample_buf buf = { 0 };
	struct ignored_unit *ign = NULL;
	size_t nign = 0, ign_cap = 0;
	int64_t last_key = -1;	/* samples mostly repeat the same keys: remember the last */
	size_t last_entry = 0;
	for (size_t i = 0; i < p->samples.count; i++) {
		const struct label *labels;
		size_t n;
		if (sample_labels(p, i, &buf, &labels, &n) < 0)
			continue;	/* validated at load: cannot happen */
		for (size_t j = 0; j < n; j++) {
			if (!label_is_numeric(&labels[j]))
				continue;
			if (labels[j].key != last_key) {
				last_key = labels[j].key;
				last_entry = entry_of(u, profile_string(p, last_key));
			}
			size_t e = last_entry;
			const char *unit = labels[j].num_unit ? profile_string(p, labels[j].num_unit) : "";
			if (!*unit)
				continue;
			if (!*u->units[e])
				u->units[e] = unit;
			else if (strcmp(u->units[e], unit))
				add_ignored(&ign, &nign, &ign_cap, u->keys[e], unit);
		}
	}
	sample_buf_free(&buf);
	for (size_t e = 0; e < u->count; e++) {
		if (*u->units[e])
			continue;
		const char *key = u->keys[e];
		u->units[e] = !strcmp(key, "alignment") || !strcmp(key, "request") ? "bytes" : key;
	}
	if (warnings)
		warn_ignored(u, ign, nign, warnings);
	free(ign);
}

const char *num_units_get(const struct num_units *u, const char *key)
{
	uint64_t h = key_hash(key);
	for (;;) {
		const uint32_t *slot = hmap_get(&u->index, h);
		if (!slot)
			return "";
		if (!strcmp(u->keys[*slot], key))
			return u->units[*slot];
		h = hash_mix(h, 1);
		if (h == HASH_EMPTY_KEY)
			h = 0;
	}
}

void num_units_free(struct num_units *u)
{
	free(u->keys);
	free(u->units);
	hmap_free(&u->index);
	memset(u, 0, sizeof(*u));
}
