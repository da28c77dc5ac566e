#include "graph/calltree.h"

#include <stdlib.h>
#include <string.h>

#include "util/int64.h"

#define NONE UINT32_MAX

/* The growing arrays of a tree under construction, indexed by tree node. */
struct tree_builder {
	struct call_tree *t;
	size_t count, cap;
	int64_t *flat, *flat_div, *cum, *cum_div;
	struct edge *edges;	/* edges[n]: from n's caller to n */
	struct hmap children;	/* hash of (parent, base node) -> first tree node */
	uint32_t *chain;	/* next tree node with the same hash */
};

/* Room for more tree nodes in every per-node array. */
static void tree_grow(struct tree_builder *b)
{
	size_t cap = b->cap ? b->cap * 2 : 1024;
	b->t->parent = xrealloc(b->t->parent, cap * sizeof(uint32_t));
	b->t->base = xrealloc(b->t->base, cap * sizeof(uint32_t));
	b->chain = xrealloc(b->chain, cap * sizeof(uint32_t));
	b->flat = xrealloc(b->flat, cap * sizeof(int64_t));
	b->flat_div = xrealloc(b->flat_div, cap * sizeof(int64_t));
	b->cum = xrealloc(b->cum, cap * sizeof(int64_t));
	b->cum_div = xrealloc(b->cum_div, cap * sizeof(int64_t));
	b->edges = xrealloc(b->edges, cap * sizeof(struct edge));
	b->cap = cap;
}

/* The tree node for base as a callee of parent (NONE: a root), added if new. */
static uint32_t tree_node(struct tree_builder *b, uint32_t parent, uint32_t base)
{
	uint64_t key = hash_mix(hash_u64(parent), base);
	if (key == HASH_EMPTY_KEY)
		key = 0;
	int inserted;
	uint32_t *head = hmap_put(&b->children, key, NONE, &inserted);
	for (uint32_t n = *head; n != NONE; n = b->chain[n])
		if (b->t->parent[n] == parent && b->t->base[n] == base)
			return n;
	if (b->count + 1 >= b->cap)
		tree_grow(b);
	uint32_t n = (uint32_t)b->count++;
	b->t->parent[n] = parent;
	b->t->base[n] = base;
	b->flat[n] = b->flat_div[n] = b->cum[n] = b->cum_div[n] = 0;
	memset(&b->edges[n], 0, sizeof(b->edges[n]));
	b->edges[n].src = parent;
	b->edges[n].dst = n;
	b->edges[n].is_inline = true;
	b->edges[n].removed = parent == NONE;
	b->chain[n] = *head;
	*head = n;
	return n;
}

/*
 * One sample: every frame is a child of the frame before it, counted each
 * time.  Returns the sample's last tree node.
 */
static uint32_t add_stack(struct tree_builder *b, const uint32_t *frames, size_t n, int64_t w, int64_t dw)
{
	uint32_t parent = NONE;
	for (size_t i = 0; i < n; i++) {
		uint32_t node = tree_node(b, parent, frames[i] & FRAME_NODE);
		b->cum[node] = add64(b->cum[node], w);
		b->cum_div[node] = add64(b->cum_div[node], dw);
		if (parent != NONE) {
			struct edge *e = &b->edges[node];
			e->weight = add64(e->weight, w);
			e->weight_div = add64(e->weight_div, dw);
			if (!(frames[i] & FRAME_INLINE))
				e->is_inline = false;
		}
		parent = node;
	}
	if (parent != NONE) {
		b->flat[parent] = add64(b->flat[parent], w);
		b->flat_div[parent] = add64(b->flat_div[parent], dw);
	}
	return parent;
}

/* The tree's own node set: a copy of the base node's info per tree node. */
static void tree_node_set(struct call_tree *t, const struct node_set *base, size_t count)
{
	struct node_set *ns = &t->ns;
	arena_init(&ns->arena);
	ns->count = ns->cap = count;
	ns->info = xmalloc((count + 1) * sizeof(*ns->info));
	for (size_t i = 0; i < count; i++)
		ns->info[i] = base->info[t->base[i]];
	ns->printable = xcalloc(count + 1, sizeof(char *));
	ns->sprint = xcalloc(count + 1, sizeof(char *));
}

void call_tree_build(struct call_tree *t, struct graph *g, const struct node_set *base, const struct stacks *st,
		     bool drop_negative)
{
	memset(t, 0, sizeof(*t));
	struct tree_builder b = { .t = t };
	hmap_init(&b.children, 1024);
	t->leaf = xmalloc((st->count + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < st->count; i++) {
		t->leaf[i] = add_stack(&b, st->frames[i], st->nframes[i], st->value[i], st->divisor ? st->divisor[i] : 0);
	}
	hmap_free(&b.children);
	tree_node_set(t, base, b.count);

	memset(g, 0, sizeof(*g));
	g->ns = &t->ns;
	if (b.cap == 0)
		tree_grow(&b);	/* no samples: still arrays to free */
	free(b.chain);
	g->flat = b.flat;
	g->flat_div = b.flat_div;
	g->cum = b.cum;
	g->cum_div = b.cum_div;
	g->edges = b.edges;
	g->nedges = g->edges_cap = b.count;
	g->nodes = xmalloc((b.count + 1) * sizeof(uint32_t));
	graph_select_nodes(g, NULL, drop_negative);
}

void call_tree_free(struct call_tree *t)
{
	node_set_free(&t->ns);
	free(t->parent);
	free(t->base);
	free(t->leaf);
	memset(t, 0, sizeof(*t));
}

void call_tree_collect_tags(const struct call_tree *t, const struct stacks *st, const uint8_t *wanted,
			    struct node_tags *tags)
{
	if (!tags->ls->any)
		return;
	for (size_t i = 0; i < st->count; i++) {
		uint32_t leaf = t->leaf[i], set = st->label_set[i];
		if (leaf == NONE)
			continue;
		int64_t w = st->value[i], dw = st->divisor ? st->divisor[i] : 0;
		for (uint32_t n = leaf; n != NONE; n = t->parent[n])
			if (wanted[n])
				node_tags_add(tags, n, set, w, dw, false);
		if (wanted[leaf])
			node_tags_add(tags, leaf, set, w, dw, true);
	}
}

/* The edge into tree node n, or NONE: trees have at most one. */
static uint32_t parent_edge(const struct graph *g, uint32_t n)
{
	return g->in_count[n] ? g->in_edges[g->in_first[n]] : NONE;
}

void call_tree_trim(struct graph *g, const uint8_t *kept)
{
	size_t count = g->ns->count;
	uint8_t *removed = xcalloc(count + 1, 1);
	for (size_t i = 0; i < g->nnodes; i++)
		removed[g->nodes[i]] = !kept[g->nodes[i]];
	/*
	 * A removed node hands its children to its own nearest kept
	 * ancestor (none if it has no caller), through residual edges
	 * that stay inline only if every call on the way was.  Callers
	 * come before their callees in node order.
	 */
	uint32_t *ancestor = xmalloc((count + 1) * sizeof(uint32_t));
	uint8_t *all_inline = xcalloc(count + 1, 1);
	for (uint32_t n = 0; n < count; n++) {
		ancestor[n] = NONE;
		uint32_t e = removed[n] ? parent_edge(g, n) : NONE;
		if (e == NONE)
			continue;
		uint32_t p = g->edges[e].src;
		ancestor[n] = removed[p] ? ancestor[p] : p;
		all_inline[n] = g->edges[e].is_inline && (!removed[p] || all_inline[p]);
	}
	for (uint32_t n = 0; n < count; n++) {
		uint32_t e = parent_edge(g, n);
		if (e == NONE)
			continue;
		struct edge *ed = &g->edges[e];
		uint32_t p = ed->src;
		if (removed[n]) {
			ed->removed = true;
		} else if (removed[p]) {
			if (ancestor[p] == NONE) {
				ed->removed = true;
			} else {
				ed->src = ancestor[p];
				ed->residual = true;
				ed->is_inline = all_inline[p] && ed->is_inline;
			}
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		if (!removed[g->nodes[i]])
			g->nodes[n++] = g->nodes[i];
	g->nnodes = n;
	free(removed);
	free(ancestor);
	free(all_inline);
	graph_index_edges(g);
	graph_remove_redundant_edges(g);
}
