#include "graph/tags.h"

#include <stdlib.h>
#include <string.h>

#include "util/int64.h"
#include "util/parallel.h"

#define NONE UINT32_MAX

static uint32_t intern_text(struct label_sets *ls, const char *text, size_t len)
{
	uint64_t h = hash_bytes(text, len, 7);
	if (h == HASH_EMPTY_KEY)
		h = 0;
	int inserted;
	uint32_t *head = hmap_put(&ls->text_index, h, NONE, &inserted);
	for (uint32_t i = *head; i != NONE; i = ls->text_chain[i])
		if (strlen(ls->texts[i]) == len && !memcmp(ls->texts[i], text, len))
			return i;
	size_t cap = ls->texts_cap;
	xgrow((void **)&ls->texts, &cap, ls->ntexts + 1, sizeof(*ls->texts));
	cap = ls->texts_cap;
	xgrow((void **)&ls->text_chain, &cap, ls->ntexts + 1, sizeof(*ls->text_chain));
	ls->texts_cap = cap;
	uint32_t id = (uint32_t)ls->ntexts++;
	ls->texts[id] = arena_strndup(&ls->arena, text, len);
	ls->text_chain[id] = *head;
	*head = id;
	return id;
}

void label_sets_init(struct label_sets *ls, const struct profile *p)
{
	memset(ls, 0, sizeof(*ls));
	ls->prof = p;
	arena_init(&ls->arena);
	hmap_init(&ls->index, 64);
	hmap_init(&ls->text_index, 64);
	intern_text(ls, "", 0);
}

void label_sets_free(struct label_sets *ls)
{
	free(ls->sets);
	free(ls->chain);
	free(ls->texts);
	free(ls->text_chain);
	hmap_free(&ls->index);
	hmap_free(&ls->text_index);
	arena_free(&ls->arena);
	memset(ls, 0, sizeof(*ls));
}

static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* pprof's joinLabels: "key:value" for every string label, sorted, joined by \n. */
static uint32_t join_labels(struct label_sets *ls, const struct label *labels, uint32_t n)
{
	const struct profile *p = ls->prof;
	char **pairs = xmalloc((n + 1) * sizeof(char *));
	size_t npairs = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (labels[i].str == 0)
			continue;
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s:%s", profile_string(p, labels[i].key), profile_string(p, labels[i].str));
		pairs[npairs++] = strbuf_detach(&sb, NULL);
	}
	qsort(pairs, npairs, sizeof(char *), cmp_strings);
	struct strbuf joined = STRBUF_INIT;
	for (size_t i = 0; i < npairs; i++) {
		if (i)
			strbuf_addstr(&joined, "\\n");
		strbuf_addstr(&joined, pairs[i]);
		free(pairs[i]);
	}
	free(pairs);
	uint32_t id = intern_text(ls, joined.buf, joined.len);
	strbuf_release(&joined);
	return id;
}

static bool is_bytes_label(const struct profile *p, const struct label *l)
{
	return l->str == 0 && (l->num != 0 || l->num_unit != 0) && !strcmp(profile_string(p, l->key), "bytes");
}

static void describe_set(struct label_sets *ls, struct label_set *set)
{
	uint32_t nbytes = 0;
	for (uint32_t i = 0; i < set->nraw; i++)
		nbytes += is_bytes_label(ls->prof, &set->raw[i]);
	int64_t *bytes = arena_array(&ls->arena, nbytes ? nbytes : 1, sizeof(int64_t));
	nbytes = 0;
	for (uint32_t i = 0; i < set->nraw; i++)
		if (is_bytes_label(ls->prof, &set->raw[i]))
			bytes[nbytes++] = set->raw[i].num;
	set->bytes = bytes;
	set->nbytes = nbytes;
	set->joined = join_labels(ls, set->raw, set->nraw);
	if (set->joined != 0 || nbytes != 0)
		ls->any = true;
}

/* A hash of a sample's labels: one mixing round per label, its four fields multiplied apart in parallel. */
static uint64_t labels_hash(const struct label *labels, size_t n)
{
	uint64_t h = 11;
	for (size_t i = 0; i < n; i++) {
		const struct label *l = &labels[i];
		h = hash_u64(h + ((uint64_t)l->key * 0x9e3779b97f4a7c15ULL ^ (uint64_t)l->str * 0xc2b2ae3d27d4eb4fULL ^
				  (uint64_t)l->num * 0x165667b19e3779f9ULL ^ (uint64_t)l->num_unit * 0x27d4eb2f165667c5ULL));
	}
	return h;
}

uint32_t label_sets_intern(struct label_sets *ls, const struct label *labels, size_t n)
{
	size_t size = n * sizeof(struct label);
	uint64_t h = labels_hash(labels, n);
	if (h == HASH_EMPTY_KEY)
		h = 0;
	int inserted;
	uint32_t *head = hmap_put(&ls->index, h, NONE, &inserted);
	for (uint32_t i = *head; i != NONE; i = ls->chain[i])
		if (ls->sets[i].nraw == n && (!size || !memcmp(ls->sets[i].raw, labels, size)))
			return i;
	size_t cap = ls->cap;
	xgrow((void **)&ls->sets, &cap, ls->count + 1, sizeof(*ls->sets));
	cap = ls->cap;
	xgrow((void **)&ls->chain, &cap, ls->count + 1, sizeof(*ls->chain));
	ls->cap = cap;
	uint32_t id = (uint32_t)ls->count++;
	struct label_set *set = &ls->sets[id];
	struct label *raw = arena_array(&ls->arena, n ? n : 1, sizeof(struct label));
	if (size)
		memcpy(raw, labels, size);
	set->raw = raw;
	set->nraw = (uint32_t)n;
	describe_set(ls, set);
	ls->chain[id] = *head;
	*head = id;
	return id;
}

/* The weight of the samples of one label set at one node. */
struct tag_sum {
	uint32_t node, set;
	int64_t flat, flat_div, cum, cum_div;
};

void node_tags_init(struct node_tags *t, const struct label_sets *ls)
{
	memset(t, 0, sizeof(*t));
	t->ls = ls;
	arena_init(&t->arena);
	hmap_init(&t->sum_index, 256);
}

void node_tags_free(struct node_tags *t)
{
	free(t->cells);
	free(t->sums);
	free(t->tags);
	free(t->first);
	free(t->count);
	hmap_free(&t->sum_index);
	arena_free(&t->arena);
	memset(t, 0, sizeof(*t));
}

/* The sums of node's samples with label set `set`, created empty if new. */
static struct tag_sum *tag_sum_at(struct node_tags *t, uint32_t node, uint32_t set)
{
	int inserted;
	uint32_t *slot;
	if (t->cells) {
		slot = &t->cells[(size_t)t->rank[node] * t->nsets + set];
		inserted = *slot == NONE;
		if (inserted)
			*slot = (uint32_t)t->nsums;
	} else {
		slot = hmap_put(&t->sum_index, (uint64_t)node << 32 | set, (uint32_t)t->nsums, &inserted);
	}
	if (inserted) {
		xgrow((void **)&t->sums, &t->sums_cap, t->nsums + 1, sizeof(*t->sums));
		struct tag_sum *s = &t->sums[t->nsums++];
		memset(s, 0, sizeof(*s));
		s->node = node;
		s->set = set;
	}
	return &t->sums[*slot];
}

void node_tags_add(struct node_tags *t, uint32_t node, uint32_t set, int64_t w, int64_t dw, bool flat)
{
	const struct label_set *ls = &t->ls->sets[set];
	if (ls->joined == 0 && ls->nbytes == 0)
		return;		/* no labels: no tags */
	struct tag_sum *s = tag_sum_at(t, node, set);
	if (flat) {
		s->flat = add64(s->flat, w);
		s->flat_div = add64(s->flat_div, dw);
	} else {
		s->cum = add64(s->cum, w);
		s->cum_div = add64(s->cum_div, dw);
	}
}

/* One range's share of node_tags_collect(): the samples [begin, end) of the stacks. */
struct tags_part {
	struct node_tags *t;
	const struct stacks *st;
	const uint8_t *wanted;
	size_t nnodes, begin, end;
};

static void collect_tags_part(void *arg)
{
	const struct tags_part *tp = arg;
	const struct stacks *st = tp->st;
	uint32_t *seen = xcalloc(tp->nnodes + 1, sizeof(uint32_t));
	for (size_t i = tp->begin; i < tp->end; i++) {
		uint32_t set = st->label_set[i];
		const struct label_set *ls = &tp->t->ls->sets[set];
		if (ls->joined == 0 && ls->nbytes == 0)
			continue;
		int64_t w = st->value[i], dw = st->divisor ? st->divisor[i] : 0;
		uint32_t stamp = (uint32_t)i + 1;
		const uint32_t *frames = st->frames[i];
		uint32_t n = st->nframes[i];
		for (uint32_t f = 0; f < n; f++) {
			uint32_t node = frames[f] & FRAME_NODE;
			if (tp->wanted[node] && seen[node] != stamp) {
				seen[node] = stamp;
				node_tags_add(tp->t, node, set, w, dw, false);
			}
		}
		if (n > 0) {
			uint32_t leaf = frames[n - 1] & FRAME_NODE;
			if (tp->wanted[leaf])
				node_tags_add(tp->t, leaf, set, w, dw, true);
		}
	}
	free(seen);
}

/* Adds from's sums to t's, in the order from created them. */
static void merge_node_tags(struct node_tags *t, const struct node_tags *from)
{
	for (size_t k = 0; k < from->nsums; k++) {
		const struct tag_sum *s = &from->sums[k];
		struct tag_sum *d = tag_sum_at(t, s->node, s->set);
		d->flat = add64(d->flat, s->flat);
		d->flat_div = add64(d->flat_div, s->flat_div);
		d->cum = add64(d->cum, s->cum);
		d->cum_div = add64(d->cum_div, s->cum_div);
	}
}

/* Cells (wanted node, label set) worth indexing directly; more are hashed. */
#define MAX_CELLS ((size_t)1 << 20)

/* Indexes the sums of an empty t by cell while a collection adds to them. */
static void index_cells(struct node_tags *t, const uint32_t *rank, size_t nwanted)
{
	t->nsets = t->ls->count;
	t->rank = rank;
	t->cells = xmalloc((nwanted * t->nsets + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < nwanted * t->nsets; i++)
		t->cells[i] = NONE;
}

/* Back to hashing: sum_index learns the sums made while cells were indexed. */
static void drop_cells(struct node_tags *t)
{
	if (!t->cells)
		return;
	for (size_t k = 0; k < t->nsums; k++) {
		int inserted;
		*hmap_put(&t->sum_index, (uint64_t)t->sums[k].node << 32 | t->sums[k].set, (uint32_t)k, &inserted) =
			(uint32_t)k;
	}
	free(t->cells);
	t->cells = NULL;
	t->rank = NULL;
}

/*
 * A range of samples per core, the later ranges' sums merged in order:
 * the sums are created in the order a single pass creates them.
 */
void node_tags_collect(struct node_tags *t, const struct stacks *st, const uint8_t *wanted, size_t nnodes)
{
	if (!t->ls->any)
		return;
	/* wanted nodes are few (the first nodecount of a graph): index their cells directly */
	uint32_t *rank = xmalloc((nnodes + 1) * sizeof(uint32_t));
	size_t nwanted = 0;
	for (size_t id = 0; id <= nnodes; id++)
		rank[id] = wanted[id] ? (uint32_t)nwanted++ : NONE;
	bool direct = t->nsums == 0 && nwanted * t->ls->count <= MAX_CELLS;
	size_t bounds[PARALLEL_MAX + 1];
	size_t nparts = parallel_ranges(st->count, bounds);
	struct node_tags own[PARALLEL_MAX];
	struct tags_part parts[PARALLEL_MAX];
	for (size_t r = 0; r < nparts; r++) {
		struct node_tags *part = r == 0 ? t : &own[r];
		if (r > 0)
			node_tags_init(part, t->ls);
		if (direct)
			index_cells(part, rank, nwanted);
		parts[r] = (struct tags_part){ part, st, wanted, nnodes, bounds[r], bounds[r + 1] };
	}
	parallel_run(collect_tags_part, parts, sizeof(parts[0]), nparts);
	for (size_t r = 1; r < nparts; r++) {
		merge_node_tags(t, &own[r]);
		node_tags_free(&own[r]);
	}
	drop_cells(t);
	free(rank);
}

static void add_sums(struct tag *tag, const struct tag_sum *s)
{
	tag->flat = add64(tag->flat, s->flat);
	tag->flat_div = add64(tag->flat_div, s->flat_div);
	tag->cum = add64(tag->cum, s->cum);
	tag->cum_div = add64(tag->cum_div, s->cum_div);
}

/* Finds a node's tags by label, kind and name while they are made. */
struct tag_finder {
	struct hmap index;	/* hash -> first tag index */
	uint32_t *chain;	/* next tag with the same hash */
	size_t chain_cap;
};

static uint64_t tag_key(uint32_t node, uint32_t label, bool numeric, const char *name)
{
	uint64_t h = hash_mix(hash_mix(hash_u64(node), label), numeric);
	h = hash_bytes(name, strlen(name), h);
	return h == HASH_EMPTY_KEY ? 0 : h;
}

/* The tag of node with this label and name, added if new. */
static struct tag *find_or_add_tag(struct node_tags *t, struct tag_finder *tf, size_t *cap, uint32_t node,
				   uint32_t label, bool numeric, const char *name, const char *unit, int64_t value)
{
	int inserted;
	uint32_t *head = hmap_put(&tf->index, tag_key(node, label, numeric, name), NONE, &inserted);
	for (uint32_t i = *head; i != NONE; i = tf->chain[i]) {
		struct tag *tag = &t->tags[i];
		if (tag->label == label && tag->numeric == numeric && !strcmp(tag->name, name))
			return tag;
	}
	xgrow((void **)&t->tags, cap, t->ntags + 1, sizeof(*t->tags));
	xgrow((void **)&tf->chain, &tf->chain_cap, t->ntags + 1, sizeof(*tf->chain));
	uint32_t id = (uint32_t)t->ntags++;
	struct tag *tag = &t->tags[id];
	memset(tag, 0, sizeof(*tag));
	tag->label = label;
	tag->numeric = numeric;
	tag->name = arena_strdup(&t->arena, name);
	tag->unit = unit;
	tag->value = value;
	tf->chain[id] = *head;
	*head = id;
	return tag;
}

static int cmp_sums(const void *pa, const void *pb, void *arg)
{
	const struct tag_sum *sums = arg;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	if (sums[a].node != sums[b].node)
		return sums[a].node < sums[b].node ? -1 : 1;
	return a < b ? -1 : a > b;
}

void node_tags_finish(struct node_tags *t, size_t nnodes, const char *unit, tag_format_fn fmt, const void *arg)
{
	t->nnodes = nnodes;
	t->first = xcalloc(nnodes + 1, sizeof(uint32_t));
	t->count = xcalloc(nnodes + 1, sizeof(uint32_t));
	/* group the sums by node, each node's in the order they were created */
	uint32_t *order = xmalloc((t->nsums + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < t->nsums; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, t->nsums, sizeof(uint32_t), cmp_sums, t->sums);

	struct tag_finder tf = { .chain = NULL, .chain_cap = 0 };
	hmap_init(&tf.index, t->nsums);
	size_t cap = 0;
	struct strbuf name = STRBUF_INIT;
	for (size_t i = 0; i < t->nsums;) {
		uint32_t node = t->sums[order[i]].node;
		size_t from = t->ntags;
		for (; i < t->nsums && t->sums[order[i]].node == node; i++) {
			const struct tag_sum *s = &t->sums[order[i]];
			const struct label_set *set = &t->ls->sets[s->set];
			if (set->joined != 0)
				add_sums(find_or_add_tag(t, &tf, &cap, node, set->joined, false,
							 t->ls->texts[set->joined], "", 0), s);
			for (uint32_t b = 0; b < set->nbytes; b++) {
				strbuf_reset(&name);
				fmt(&name, set->bytes[b], unit, arg);
				add_sums(find_or_add_tag(t, &tf, &cap, node, set->joined, true, name.buf, unit,
							 set->bytes[b]), s);
			}
		}
		t->first[node] = (uint32_t)from;
		t->count[node] = (uint32_t)(t->ntags - from);
	}
	strbuf_release(&name);
	hmap_free(&tf.index);
	free(tf.chain);
	free(order);
}

void node_tags_trim(struct node_tags *t, int64_t cutoff)
{
	for (size_t n = 0; n < t->nnodes; n++) {
		if (t->count[n] == 0)
			continue;	/* tags is NULL where no node has any */
		struct tag *tags = t->tags + t->first[n];
		uint32_t kept = 0;
		for (uint32_t i = 0; i < t->count[n]; i++)
			if (abs64(tags[i].flat) >= cutoff || abs64(tags[i].cum) >= cutoff)
				tags[kept++] = tags[i];
		t->count[n] = kept;
	}
}

uint32_t *node_tags_counts(const struct node_tags *t)
{
	uint32_t *counts = xcalloc(t->nnodes + 1, sizeof(uint32_t));
	for (size_t n = 0; n < t->nnodes; n++)
		for (uint32_t i = 0; i < t->count[n]; i++)
			counts[n] += t->tags[t->first[n] + i].flat != 0;
	return counts;
}

int64_t tag_flat_value(const struct tag *t)
{
	return t->flat_div ? t->flat / t->flat_div : t->flat;
}

int64_t tag_cum_value(const struct tag *t)
{
	return t->cum_div ? t->cum / t->cum_div : t->cum;
}

static int cmp_tags(const void *pa, const void *pb, void *arg)
{
	const struct tag *a = *(struct tag *const *)pa, *b = *(struct tag *const *)pb;
	bool flat = *(const bool *)arg;
	/* pprof leaves values of equal size (v, -v) unordered: order them by name */
	if (!flat && abs64(a->cum) != abs64(b->cum))
		return abs64(a->cum) > abs64(b->cum) ? -1 : 1;
	if (abs64(a->flat) != abs64(b->flat))
		return abs64(a->flat) > abs64(b->flat) ? -1 : 1;
	return strcmp(a->name, b->name);
}

void tags_sort(struct tag **tags, size_t n, bool flat)
{
	qsort_r(tags, n, sizeof(*tags), cmp_tags, &flat);
}
