#include "report/folding.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"

#define NO_STACK UINT32_MAX

struct name_order {
	const char *name;
	uint32_t id;
};

static int compare_names(const void *a, const void *b)
{
	const struct name_order *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/*
 * Ranks every node of the set by its printed name, equal names sharing a
 * rank, so that comparing ranks compares names.  Returns rank by node id.
 */
static uint32_t *rank_nodes(struct folded_stacks *s, const struct node_set *ns)
{
	struct name_order *order = xmalloc((ns->count + 1) * sizeof(*order));
	for (size_t i = 0; i < ns->count; i++)
		order[i] = (struct name_order){ node_printable(ns, (uint32_t)i), (uint32_t)i };
	qsort(order, ns->count, sizeof(*order), compare_names);
	uint32_t *rank = xmalloc((ns->count + 1) * sizeof(*rank));
	s->names = xmalloc((ns->count + 1) * sizeof(*s->names));
	for (size_t i = 0; i < ns->count; i++) {
		if (i == 0 || strcmp(order[i].name, order[i - 1].name))
			s->names[s->nnames++] = order[i].name;
		rank[order[i].id] = (uint32_t)(s->nnames - 1);
	}
	free(order);
	return rank;
}

/* The sample's frames, root first, as name ranks. */
static size_t sample_frames(const struct node_set *ns, const uint32_t *rank, const struct view_sample *vs,
			    uint32_t **buf, size_t *cap)
{
	size_t n = 0;
	for (size_t i = vs->nlocations; i-- > 0;) {
		uint32_t loc = vs->locations[i];
		const uint32_t *nodes = ns->loc_nodes + ns->loc_first[loc];
		for (uint32_t k = ns->loc_count[loc]; k-- > 0;) {
			xgrow((void **)buf, cap, n + 1, sizeof(**buf));
			(*buf)[n++] = rank[nodes[k]];
		}
	}
	return n;
}

/* Hash chains of stacks whose frames hash alike. */
struct fold_index {
	struct hmap heads;
	uint32_t *next;
	size_t next_cap;
};

static uint32_t find_or_add(struct folded_stacks *s, struct fold_index *ix, const uint32_t *frames, size_t n)
{
	uint64_t h = hash_bytes(frames, n * sizeof(*frames), 7);
	if (h == HASH_EMPTY_KEY)
		h = 0;
	int inserted;
	uint32_t *head = hmap_put(&ix->heads, h, NO_STACK, &inserted);
	for (uint32_t i = *head; i != NO_STACK; i = ix->next[i]) {
		const struct folded_stack *st = &s->stacks[i];
		if (st->depth == n && !memcmp(folded_frames(s, st), frames, n * sizeof(*frames)))
			return i;
	}
	xgrow((void **)&s->stacks, &s->cap, s->count + 1, sizeof(*s->stacks));
	xgrow((void **)&ix->next, &ix->next_cap, s->count + 1, sizeof(*ix->next));
	size_t cap = (size_t)s->frames_cap;
	xgrow((void **)&s->frames, &cap, (size_t)s->nframes + n, sizeof(*s->frames));
	s->frames_cap = cap;
	uint32_t id = (uint32_t)s->count++;
	s->stacks[id] = (struct folded_stack){ .first = s->nframes, .depth = (uint32_t)n };
	memcpy(s->frames + s->nframes, frames, n * sizeof(*frames));
	s->nframes += n;
	ix->next[id] = *head;
	*head = id;
	return id;
}

static int compare_stacks(const void *a, const void *b, void *frames)
{
	const struct folded_stack *x = a, *y = b;
	const uint32_t *fx = (const uint32_t *)frames + x->first, *fy = (const uint32_t *)frames + y->first;
	uint32_t n = x->depth < y->depth ? x->depth : y->depth;
	for (uint32_t i = 0; i < n; i++)
		if (fx[i] != fy[i])
			return fx[i] < fy[i] ? -1 : 1;
	return (x->depth > y->depth) - (x->depth < y->depth);
}

void folded_stacks_build(struct folded_stacks *s, struct report *r)
{
	memset(s, 0, sizeof(*s));
	uint32_t *rank = rank_nodes(s, &r->nodes);
	struct fold_index ix = { .next = NULL };
	hmap_init(&ix.heads, 1024);
	uint32_t *frames = NULL;
	size_t cap = 0;
	struct view_iter it;
	struct view_sample vs;
	view_iter_init(&it);
	it.skip_zero = true;
	while (view_next(&r->view, &it, &vs)) {
		size_t n = sample_frames(&r->nodes, rank, &vs, &frames, &cap);
		if (n == 0)
			continue;
		uint32_t id = find_or_add(s, &ix, frames, n);
		struct folded_stack *st = &s->stacks[id];
		st->value += vs.value;
		st->negative += vs.value < 0 ? vs.value : 0;
		st->divisor += vs.divisor;
	}
	view_iter_free(&it);
	free(frames);
	free(ix.next);
	hmap_free(&ix.heads);
	free(rank);
	if (s->count > 1)	/* no stacks at all when filters match nothing: stacks is NULL */
		qsort_r(s->stacks, s->count, sizeof(*s->stacks), compare_stacks, s->frames);
}

void folded_stacks_free(struct folded_stacks *s)
{
	free(s->frames);
	free(s->stacks);
	free(s->names);
	memset(s, 0, sizeof(*s));
}

int64_t folded_value(const struct report *r, const struct folded_stack *st)
{
	if (!r->view.mean)
		return st->value;
	return st->divisor ? st->value / st->divisor : 0;
}
