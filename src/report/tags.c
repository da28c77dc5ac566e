/*
 * tags.c - the `tags` report: every label key of the samples with the
 * total value of the samples that carry it, and each of its values with
 * its share, heaviest first, in right-aligned columns.
 */
#include <stdlib.h>
#include <string.h>

#include "profile/labels.h"
#include "report/format.h"
#include "report/report.h"
#include "util/int64.h"

/* The value of one label key, with the weight of the samples that have it. */
struct tag_value {
	char *name;
	int64_t weight;
};

struct tag_key {
	const char *name;
	struct tag_value *values;
	size_t count, cap;
	struct hmap index;	/* hash of value name -> value */
};

struct tag_table {
	struct tag_key *keys;
	size_t count, cap;
	struct hmap index;	/* hash of key name -> key */
};

static uint64_t name_hash(const char *s, uint64_t seed)
{
	uint64_t h = hash_bytes(s, strlen(s), seed);
	return h == HASH_EMPTY_KEY ? 0 : h;
}

/*
 * The slot of name in an index whose entries are named by name_of; a
 * different name with the same hash probes on to another key.
 */
static uint32_t *find_slot(struct hmap *index, const char *name, uint32_t fresh, int *inserted,
			   const char *(*name_of)(const void *, uint32_t), const void *table)
{
	uint64_t h = name_hash(name, 5);
	for (;;) {
		uint32_t *slot = hmap_put(index, h, fresh, inserted);
		if (*inserted || !strcmp(name_of(table, *slot), name))
			return slot;
		h = hash_mix(h, 1);
		if (h == HASH_EMPTY_KEY)
			h = 0;
	}
}

static const char *key_name(const void *t, uint32_t i)
{
	return ((const struct tag_table *)t)->keys[i].name;
}

static const char *value_name(const void *k, uint32_t i)
{
	return ((const struct tag_key *)k)->values[i].name;
}

static void add_tag(struct tag_table *t, const char *key, const char *value, int64_t weight)
{
	int inserted;
	uint32_t *slot = find_slot(&t->index, key, (uint32_t)t->count, &inserted, key_name, t);
	if (inserted) {
		xgrow((void **)&t->keys, &t->cap, t->count + 1, sizeof(*t->keys));
		struct tag_key *k = &t->keys[t->count++];
		memset(k, 0, sizeof(*k));
		k->name = key;
		hmap_init(&k->index, 16);
	}
	struct tag_key *k = &t->keys[*slot];
	slot = find_slot(&k->index, value, (uint32_t)k->count, &inserted, value_name, k);
	if (inserted) {
		xgrow((void **)&k->values, &k->cap, k->count + 1, sizeof(*k->values));
		k->values[k->count].name = strdup(value);
		k->values[k->count].weight = 0;
		k->count++;
	}
	k->values[*slot].weight = add64(k->values[*slot].weight, weight);
}

static void tag_table_free(struct tag_table *t)
{
	for (size_t i = 0; i < t->count; i++) {
		for (size_t j = 0; j < t->keys[i].count; j++)
			free(t->keys[i].values[j].name);
		free(t->keys[i].values);
		hmap_free(&t->keys[i].index);
	}
	free(t->keys);
	hmap_free(&t->index);
}

/*
 * The labels of the samples as they are encoded (string indexes, or the
 * number of a numeric label) with the weight of the samples carrying
 * each: a million samples repeat a few hundred labels, which are named
 * once each afterwards.
 */
struct raw_label {
	int64_t key, value;
	bool numeric;
	int64_t weight;
};

struct raw_labels {
	struct raw_label *items;
	size_t count, cap;
	struct hmap index;	/* hash -> first item with it */
	uint32_t *chain;	/* next item with the same hash */
	size_t chain_cap;
};

#define NO_ITEM UINT32_MAX

static void add_raw(struct raw_labels *rl, int64_t key, int64_t value, bool numeric, int64_t weight)
{
	uint64_t h = hash_mix(hash_mix(hash_u64((uint64_t)key), (uint64_t)value), numeric);
	if (h == HASH_EMPTY_KEY)
		h = 0;
	int inserted;
	uint32_t *head = hmap_put(&rl->index, h, NO_ITEM, &inserted);
	for (uint32_t i = *head; i != NO_ITEM; i = rl->chain[i]) {
		struct raw_label *l = &rl->items[i];
		if (l->key == key && l->value == value && l->numeric == numeric) {
			l->weight = add64(l->weight, weight);
			return;
		}
	}
	xgrow((void **)&rl->items, &rl->cap, rl->count + 1, sizeof(*rl->items));
	xgrow((void **)&rl->chain, &rl->chain_cap, rl->count + 1, sizeof(*rl->chain));
	rl->items[rl->count] = (struct raw_label){ key, value, numeric, weight };
	rl->chain[rl->count] = *head;
	*head = (uint32_t)rl->count++;
}

/* pprof's printTags: counts every label of every sample with the sample's value. */
static void collect(const struct report *r, struct tag_table *t)
{
	const struct profile *p = r->prof;
	struct raw_labels rl;
	memset(&rl, 0, sizeof(rl));
	hmap_init(&rl.index, 64);
	struct view_iter it;
	struct view_sample s;
	view_iter_init(&it);
	while (view_next(&r->view, &it, &s)) {
		for (size_t i = 0; i < s.raw->nlabels; i++) {
			const struct label *l = &s.raw->labels[i];
			if (label_is_string(l))
				add_raw(&rl, l->key, l->str, false, s.value);
			else if (label_is_numeric(l))
				add_raw(&rl, l->key, l->num, true, s.value);
		}
	}
	view_iter_free(&it);

	struct strbuf name = STRBUF_INIT;
	for (size_t i = 0; i < rl.count; i++) {
		const struct raw_label *l = &rl.items[i];
		const char *key = profile_string(p, l->key);
		if (!l->numeric) {
			add_tag(t, key, profile_string(p, l->value), l->weight);
			continue;
		}
		strbuf_reset(&name);
		format_scaled(&name, l->value, label_unit(&r->scan->units, key), r->cfg.unit);
		add_tag(t, key, name.buf, l->weight);
	}
	strbuf_release(&name);
	free(rl.items);
	free(rl.chain);
	hmap_free(&rl.index);
}

static int cmp_keys(const void *pa, const void *pb)
{
	return strcmp(((const struct tag_key *)pa)->name, ((const struct tag_key *)pb)->name);
}

/* pprof's SortTags by flat weight: heaviest first, then by name. */
static int cmp_values(const void *pa, const void *pb)
{
	const struct tag_value *a = pa, *b = pb;
	if (abs64(a->weight) != abs64(b->weight))
		return abs64(a->weight) > abs64(b->weight) ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* "%.1f%s" of a weight scaled to the report's unit. */
static void add_weight(const struct report *r, struct strbuf *sb, int64_t weight)
{
	const char *unit;
	double v = unit_scale(weight, r->sample_unit, r->cfg.unit, &unit);
	strbuf_addf(sb, "%.1f%s", v, unit);
}

/*
 * One key's block, as Go's tabwriter aligns it (right-aligned cells, one
 * space of padding): the key and its total, then a line per value.
 */
static void print_key(const struct report *r, struct tag_key *k, struct strbuf *out)
{
	int64_t total = 0;
	for (size_t i = 0; i < k->count; i++)
		total += k->values[i].weight;
	qsort(k->values, k->count, sizeof(*k->values), cmp_values);

	struct strbuf *cells = xcalloc(k->count + 1, sizeof(struct strbuf));
	size_t width = 0;
	for (size_t i = 0; i < k->count; i++) {
		strbuf_init(&cells[i]);
		add_weight(r, &cells[i], k->values[i].weight);
		if (total > 0) {
			strbuf_addstr(&cells[i], " (");
			format_percentage(&cells[i], k->values[i].weight, total);
			strbuf_addch(&cells[i], ')');
		}
		strbuf_addch(&cells[i], ':');
		if (cells[i].len > width)
			width = cells[i].len;
	}
	size_t first = strlen(k->name) + 1;	/* "key:" */
	if (first < 1)
		first = 1;
	strbuf_addchars(out, ' ', 1);
	strbuf_addf(out, "%s: Total ", k->name);
	add_weight(r, out, total);
	strbuf_addch(out, '\n');
	for (size_t i = 0; i < k->count; i++) {
		strbuf_addchars(out, ' ', first + 1);
		strbuf_addchars(out, ' ', width + 1 - cells[i].len);
		strbuf_addf(out, "%s %s\n", cells[i].buf, k->values[i].name);
		strbuf_release(&cells[i]);
	}
	strbuf_addch(out, '\n');
	free(cells);
}

int report_tags(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	struct tag_table t;
	memset(&t, 0, sizeof(t));
	hmap_init(&t.index, 16);
	collect(r, &t);
	if (t.count > 1)
		qsort(t.keys, t.count, sizeof(*t.keys), cmp_keys);
	for (size_t i = 0; i < t.count; i++)
		print_key(r, &t.keys[i], out);
	tag_table_free(&t);
	return 0;
}
