#include "graph/graph.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/tags.h"
#include "util/int64.h"
#include "util/path.h"
#include "util/strbuf.h"

#define NO_NODE UINT32_MAX

static uint64_t info_hash(const struct node_info *n)
{
	uint64_t h = hash_bytes(n->name, strlen(n->name), 1);
	h = hash_bytes(n->orig_name, strlen(n->orig_name), h);
	h = hash_bytes(n->file, strlen(n->file), h);
	h = hash_bytes(n->objfile, strlen(n->objfile), h);
	h = hash_mix(h, n->address);
	h = hash_mix(h, (uint64_t)n->start_line);
	h = hash_mix(h, (uint64_t)n->lineno);
	return h == HASH_EMPTY_KEY ? 0 : h;
}

static bool info_equal(const struct node_info *a, const struct node_info *b)
{
	return a->address == b->address && a->start_line == b->start_line && a->lineno == b->lineno &&
	       !strcmp(a->name, b->name) && !strcmp(a->orig_name, b->orig_name) &&
	       !strcmp(a->file, b->file) && !strcmp(a->objfile, b->objfile);
}

static uint32_t node_find_or_add(struct node_set *ns, const struct node_info *info)
{
	uint64_t h = info_hash(info);
	int inserted;
	uint32_t *head = hmap_put(&ns->index, h, NO_NODE, &inserted);
	for (uint32_t id = *head; id != NO_NODE; id = ns->chain[id])
		if (info_equal(&ns->info[id], info))
			return id;
	size_t cap = ns->cap;
	xgrow((void **)&ns->info, &cap, ns->count + 1, sizeof(*ns->info));
	cap = ns->cap;
	xgrow((void **)&ns->chain, &cap, ns->count + 1, sizeof(*ns->chain));
	ns->cap = cap;
	uint32_t id = (uint32_t)ns->count++;
	ns->info[id] = *info;
	ns->chain[id] = *head;
	*head = id;
	return id;
}

/* pprof's nodeInfo for one line of a location (line NULL: a location without lines). */
static void line_info(struct node_set *ns, const struct profile *p, const struct location *l,
		      const struct line *line, const struct node_options *o, struct node_info *ni)
{
	const char *objfile = l->mapping >= 0 ? p->mappings[l->mapping].file : "";
	memset(ni, 0, sizeof(*ni));
	ni->name = ni->orig_name = ni->file = ni->objfile = "";
	ni->address = o->address ? l->address : 0;
	if (!line) {
		ni->objfile = objfile;
		return;
	}
	const struct function *f = &p->functions[line->function];
	ni->lineno = o->linenumber ? line->line : 0;
	if (o->function)
		ni->name = f->name;
	if (o->filename && *f->filename && o->raw_paths) {
		ni->file = path_clean(&ns->arena, f->filename);
	} else if (o->filename && *f->filename) {
		char *trimmed = trim_path(f->filename, o->trim_path, o->source_path);
		ni->file = path_clean(&ns->arena, trimmed);
		free(trimmed);
	}
	if (o->obj_names || !*ni->name) {
		ni->objfile = objfile;
		ni->start_line = f->start_line;
	}
}

void node_set_build(struct node_set *ns, const struct view *v, const struct node_options *o)
{
	const struct profile *p = v->prof;
	memset(ns, 0, sizeof(*ns));
	arena_init(&ns->arena);
	hmap_init(&ns->index, 1024);
	size_t n = p->nlocations, total = 0;
	for (size_t i = 0; i < n; i++)
		total += p->locations[i].nlines ? v->line_count[i] : 1;
	ns->loc_first = xmalloc((n + 1) * sizeof(uint32_t));
	ns->loc_count = xmalloc((n + 1) * sizeof(uint32_t));
	ns->loc_nodes = xmalloc((total + 1) * sizeof(uint32_t));
	ns->loc_single = xmalloc((n + 1) * sizeof(uint32_t));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct location *l = &p->locations[i];
		struct node_info ni;
		ns->loc_first[i] = (uint32_t)k;
		if (l->nlines == 0) {
			line_info(ns, p, l, NULL, o, &ni);
			ns->loc_nodes[k++] = node_find_or_add(ns, &ni);
		}
		for (uint32_t j = 0; l->nlines && j < v->line_count[i]; j++) {
			line_info(ns, p, l, &l->lines[v->lines[v->line_first[i] + j]], o, &ni);
			ns->loc_nodes[k++] = node_find_or_add(ns, &ni);
		}
		ns->loc_count[i] = (uint32_t)(k - ns->loc_first[i]);
		ns->loc_single[i] = ns->loc_count[i] == 1 ? ns->loc_nodes[ns->loc_first[i]] : NO_NODE;
		if (ns->loc_count[i] > ns->max_loc_nodes)
			ns->max_loc_nodes = ns->loc_count[i];
	}
	ns->printable = xcalloc(ns->count + 1, sizeof(char *));
	ns->sprint = xcalloc(ns->count + 1, sizeof(char *));
}

void node_set_free(struct node_set *ns)
{
	for (size_t i = 0; i < ns->count; i++) {
		free(ns->printable[i]);
		free(ns->sprint[i]);
	}
	free(ns->printable);
	free(ns->sprint);
	free(ns->info);
	free(ns->chain);
	free(ns->loc_first);
	free(ns->loc_count);
	free(ns->loc_nodes);
	free(ns->loc_single);
	hmap_free(&ns->index);
	arena_free(&ns->arena);
	memset(ns, 0, sizeof(*ns));
}

static void add_component(struct strbuf *sb, const char *s)
{
	if (sb->len)
		strbuf_addch(sb, ' ');
	strbuf_addstr(sb, s);
}

const char *node_printable(const struct node_set *ns, uint32_t id)
{
	if (ns->printable[id])
		return ns->printable[id];
	const struct node_info *i = &ns->info[id];
	struct strbuf sb = STRBUF_INIT;
	char tmp[32];
	if (i->address) {
		snprintf(tmp, sizeof(tmp), "%016llx", (unsigned long long)i->address);
		add_component(&sb, tmp);
	}
	if (*i->name)
		add_component(&sb, i->name);
	if (i->lineno) {
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_addf(&sb, "%s:%lld", i->file, (long long)i->lineno);
	} else if (*i->file) {
		add_component(&sb, i->file);
	} else if (*i->name) {
		/* the function name says it all */
	} else if (*i->objfile) {
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_addf(&sb, "[%s]", path_base(i->objfile));
	} else {
		add_component(&sb, "<unknown>");
	}
	((struct node_set *)ns)->printable[id] = strbuf_detach(&sb, NULL);
	return ns->printable[id];
}

/* Go's fmt.Sprint of a NodeInfo, pprof's last tie-break between nodes. */
static const char *node_sprint(const struct node_set *ns, uint32_t id)
{
	if (ns->sprint[id])
		return ns->sprint[id];
	const struct node_info *i = &ns->info[id];
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "{%s %s %llu %s %lld %lld %s}", i->name, i->orig_name,
		    (unsigned long long)i->address, i->file, (long long)i->start_line,
		    (long long)i->lineno, i->objfile);
	((struct node_set *)ns)->sprint[id] = strbuf_detach(&sb, NULL);
	return ns->sprint[id];
}

/*
 * The edges of one aggregation pass while they are summed: an open
 * addressing table whose slot holds everything one sample's step needs
 * (key, the stamp of the last sample counted, the sums), so that each
 * step touches a single cache line.
 */
struct edge_slot {
	uint32_t src, dst;	/* src EMPTY_SLOT: free */
	uint32_t stamp;		/* the last sample that added to the edge */
	uint32_t order;		/* creation order, with the edge's two flags on top */
	int64_t weight, weight_div;
};

#define EMPTY_SLOT UINT32_MAX
#define SLOT_RESIDUAL 0x80000000u
#define SLOT_INLINE 0x40000000u
#define SLOT_ORDER 0x3fffffffu

struct edge_table {
	struct edge_slot *slots;
	size_t mask, count;
};

static void edge_table_init(struct edge_table *t, size_t cap)
{
	t->slots = xmalloc(cap * sizeof(*t->slots));
	for (size_t i = 0; i < cap; i++)
		t->slots[i].src = EMPTY_SLOT;
	t->mask = cap - 1;
	t->count = 0;
}

static inline size_t edge_hash(uint32_t src, uint32_t dst)
{
	return (size_t)hash_u64((uint64_t)src << 32 | dst);
}

static void edge_table_grow(struct edge_table *t)
{
	struct edge_table old = *t;
	edge_table_init(t, (old.mask + 1) * 2);
	t->count = old.count;
	for (size_t i = 0; i <= old.mask; i++) {
		const struct edge_slot *s = &old.slots[i];
		if (s->src == EMPTY_SLOT)
			continue;
		size_t j = edge_hash(s->src, s->dst) & t->mask;
		while (t->slots[j].src != EMPTY_SLOT)
			j = (j + 1) & t->mask;
		t->slots[j] = *s;
	}
	free(old.slots);
}

/* The slot of edge src -> dst, created with the flags of its first step. */
static inline struct edge_slot *edge_slot(struct edge_table *t, uint32_t src, uint32_t dst, bool residual,
					  bool is_inline)
{
	size_t i = edge_hash(src, dst) & t->mask;
	for (;;) {
		struct edge_slot *s = &t->slots[i];
		if (s->src == src && s->dst == dst)
			return s;
		if (s->src == EMPTY_SLOT)
			break;
		i = (i + 1) & t->mask;
	}
	if ((t->count + 1) * 2 > t->mask + 1) {
		edge_table_grow(t);
		return edge_slot(t, src, dst, residual, is_inline);
	}
	struct edge_slot *s = &t->slots[i];
	s->src = src;
	s->dst = dst;
	s->stamp = 0;
	s->order = (uint32_t)t->count++ | (residual ? SLOT_RESIDUAL : 0) | (is_inline ? SLOT_INLINE : 0);
	s->weight = s->weight_div = 0;
	return s;
}

/* Adds a sample's step to an edge once per sample: residual if any step was, inline if all were. */
static inline void edge_step(struct edge_table *t, uint32_t src, uint32_t dst, bool residual, bool is_inline,
			     uint32_t stamp, int64_t w, int64_t dw)
{
	struct edge_slot *s = edge_slot(t, src, dst, residual, is_inline);
	if (s->stamp == stamp)
		return;
	s->stamp = stamp;
	s->weight = add64(s->weight, w);
	s->weight_div = add64(s->weight_div, dw);
	if (residual)
		s->order |= SLOT_RESIDUAL;
	if (!is_inline)
		s->order &= ~SLOT_INLINE;
}

/* The graph's edges from the table, in the order they were created. */
static void edges_from_table(struct graph *g, struct edge_table *t)
{
	g->nedges = g->edges_cap = t->count;
	g->edges = xmalloc((t->count + 1) * sizeof(*g->edges));
	for (size_t i = 0; i <= t->mask; i++) {
		const struct edge_slot *s = &t->slots[i];
		if (s->src == EMPTY_SLOT)
			continue;
		struct edge *e = &g->edges[s->order & SLOT_ORDER];
		memset(e, 0, sizeof(*e));
		e->src = s->src;
		e->dst = s->dst;
		e->weight = s->weight;
		e->weight_div = s->weight_div;
		e->residual = s->order & SLOT_RESIDUAL;
		e->is_inline = s->order & SLOT_INLINE;
	}
}

/*
 * Adds the edges of from (a later run of samples) to into, in from's
 * creation order, so that into's order stays that of a single pass;
 * frees from.
 */
static void join_edge_tables(struct edge_table *into, struct edge_table *from)
{
	const struct edge_slot **by_order = xcalloc(from->count + 1, sizeof(*by_order));
	for (size_t i = 0; i <= from->mask; i++)
		if (from->slots[i].src != EMPTY_SLOT)
			by_order[from->slots[i].order & SLOT_ORDER] = &from->slots[i];
	for (size_t k = 0; k < from->count; k++) {
		const struct edge_slot *s = by_order[k];
		bool residual = s->order & SLOT_RESIDUAL, is_inline = s->order & SLOT_INLINE;
		struct edge_slot *d = edge_slot(into, s->src, s->dst, residual, is_inline);
		d->weight = add64(d->weight, s->weight);
		d->weight_div = add64(d->weight_div, s->weight_div);
		if (residual)
			d->order |= SLOT_RESIDUAL;
		if (!is_inline)
			d->order &= ~SLOT_INLINE;
	}
	free(by_order);
	free(from->slots);
}

/*
 * A sample's values go to every node of its stack once (however often
 * it recurs) and, as flat, to its leaf.
 */
static void add_values(const struct node_sums *sums, const uint32_t *frames, size_t n, int64_t w, int64_t dw,
		       uint32_t *seen, uint32_t stamp)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t node = frames[i] & FRAME_NODE;
		if (seen[node] != stamp) {
			seen[node] = stamp;
			sums->cum[node] = add64(sums->cum[node], w);
			sums->cum_div[node] = add64(sums->cum_div[node], dw);
		}
	}
	if (n > 0) {
		uint32_t leaf = frames[n - 1] & FRAME_NODE;
		sums->flat[leaf] = add64(sums->flat[leaf], w);
		sums->flat_div[leaf] = add64(sums->flat_div[leaf], dw);
	}
}

/* At most this many frames for a sample. */
static size_t sample_frame_bound(const struct node_set *ns, const struct view_sample *s)
{
	return s->nlocations * ns->max_loc_nodes;
}

/* A sample's frames as node ids, outermost location first and in each its outermost line first. */
static size_t sample_frames(const struct node_set *ns, const struct view_sample *s, uint32_t *out)
{
	size_t k = 0;
	for (size_t i = s->nlocations; i-- > 0;) {
		uint32_t loc = s->locations[i], single = ns->loc_single[loc];
		if (single != NO_NODE) {
			out[k++] = single;	/* most locations: one line, one node */
			continue;
		}
		uint32_t count = ns->loc_count[loc];
		const uint32_t *nodes = ns->loc_nodes + ns->loc_first[loc];
		for (uint32_t ni = count; ni-- > 0;)
			out[k++] = nodes[ni] | (ni != count - 1 ? FRAME_INLINE : 0);
	}
	return k;
}

/* Frames per block: a sample's frames lie in one block, and blocks never move. */
#define FRAME_BLOCK ((size_t)4 << 20)

/* Where the next frames of a stacks' last block go, and how many fit. */
struct frame_cursor {
	uint32_t *next;
	size_t room;
};

/* Room for n frames at c, in a new block of st if the last one lacks it. */
static uint32_t *frame_room(struct stacks *st, struct frame_cursor *c, size_t n)
{
	if (c->room < n || !c->next) {
		size_t size = n > FRAME_BLOCK ? n : FRAME_BLOCK;
		xgrow((void **)&st->blocks, &st->blocks_cap, st->nblocks + 1, sizeof(*st->blocks));
		c->next = st->blocks[st->nblocks++] = xmalloc(size * sizeof(uint32_t));
		c->room = size;
	}
	return c->next;
}

/* Takes the first n frames of the room at c. */
static void frame_use(struct frame_cursor *c, size_t n)
{
	c->next += n;
	c->room -= n;
}

/*
 * One range's share of stacks_build(): its kept samples go to the shared
 * per-sample arrays from index begin on (so no range writes another's),
 * their frames to blocks of its own, their labels to its own label sets.
 */
struct stacks_part {
	const struct view *v;
	const struct node_set *ns;
	struct stacks *out;		/* the per-sample arrays, room for every sample */
	size_t begin, end;		/* samples of the profile */
	struct label_sets *ls;		/* where labels are interned, or NULL */
	struct stacks own;		/* the frame blocks */
	size_t count;			/* samples kept */
	struct node_sums sums;
};

static void node_sums_alloc(struct node_sums *s, size_t nnodes)
{
	s->flat = xcalloc(nnodes + 1, sizeof(int64_t));
	s->flat_div = xcalloc(nnodes + 1, sizeof(int64_t));
	s->cum = xcalloc(nnodes + 1, sizeof(int64_t));
	s->cum_div = xcalloc(nnodes + 1, sizeof(int64_t));
}

static void node_sums_free(struct node_sums *s)
{
	free(s->flat);
	free(s->flat_div);
	free(s->cum);
	free(s->cum_div);
}

static void build_stacks_part(void *arg)
{
	struct stacks_part *sp = arg;
	const struct node_set *ns = sp->ns;
	struct stacks *out = sp->out;
	uint32_t *seen = xcalloc(ns->count + 1, sizeof(uint32_t));
	struct frame_cursor cursor = { NULL, 0 };
	struct view_iter it;
	struct view_sample s;
	view_iter_range(&it, sp->begin, sp->end);
	while (view_next(sp->v, &it, &s)) {
		uint32_t *frames = frame_room(&sp->own, &cursor, sample_frame_bound(ns, &s));
		size_t n = sample_frames(ns, &s, frames);
		frame_use(&cursor, n);
		size_t i = sp->begin + sp->count++;
		out->frames[i] = frames;
		out->nframes[i] = (uint32_t)n;
		out->value[i] = s.value;
		if (out->divisor)
			out->divisor[i] = s.divisor;
		if (sp->ls)
			out->label_set[i] = label_sets_intern(sp->ls, s.raw->labels, s.raw->nlabels);
		add_values(&sp->sums, frames, n, s.value, s.divisor, seen, (uint32_t)sp->count);
	}
	view_iter_free(&it);
	free(seen);
}

/* Adds the first n node values of from to into. */
static void node_sums_add(struct node_sums *into, const struct node_sums *from, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		into->flat[i] = add64(into->flat[i], from->flat[i]);
		into->flat_div[i] = add64(into->flat_div[i], from->flat_div[i]);
		into->cum[i] = add64(into->cum[i], from->cum[i]);
		into->cum_div[i] = add64(into->cum_div[i], from->cum_div[i]);
	}
}

/* Moves n per-sample entries of st from index from down to index to. */
static void stacks_move(struct stacks *st, size_t to, size_t from, size_t n)
{
	if (to == from)
		return;
	memmove(st->frames + to, st->frames + from, n * sizeof(*st->frames));
	memmove(st->nframes + to, st->nframes + from, n * sizeof(*st->nframes));
	memmove(st->value + to, st->value + from, n * sizeof(*st->value));
	if (st->divisor)
		memmove(st->divisor + to, st->divisor + from, n * sizeof(*st->divisor));
	if (st->label_set)
		memmove(st->label_set + to, st->label_set + from, n * sizeof(*st->label_set));
}

/*
 * Appends a part's samples to those of st, its label sets re-interned
 * into ls in the order the part created them: the ids a single pass
 * would give.
 */
static void stacks_append(struct stacks *st, struct stacks_part *sp, struct label_sets *ls)
{
	size_t at = st->count;
	stacks_move(st, at, sp->begin, sp->count);
	st->count += sp->count;
	if (sp->ls && sp->ls != ls) {
		uint32_t *ids = xmalloc((sp->ls->count + 1) * sizeof(uint32_t));
		for (size_t j = 0; j < sp->ls->count; j++)
			ids[j] = label_sets_intern(ls, sp->ls->sets[j].raw, sp->ls->sets[j].nraw);
		for (size_t i = at; i < st->count; i++)
			st->label_set[i] = ids[st->label_set[i]];
		free(ids);
		label_sets_free(sp->ls);
		free(sp->ls);
	}
	node_sums_add(&st->values, &sp->sums, sp->ns->count + 1);
	node_sums_free(&sp->sums);
	for (size_t b = 0; b < sp->own.nblocks; b++) {
		xgrow((void **)&st->blocks, &st->blocks_cap, st->nblocks + 1, sizeof(*st->blocks));
		st->blocks[st->nblocks++] = sp->own.blocks[b];
	}
	free(sp->own.blocks);
}

/* The per-sample arrays of st, with room for n samples. */
static void stacks_alloc(struct stacks *st, size_t n, bool mean, bool labels, size_t nnodes)
{
	memset(st, 0, sizeof(*st));
	st->frames = xmalloc((n + 1) * sizeof(*st->frames));
	st->nframes = xmalloc((n + 1) * sizeof(*st->nframes));
	st->value = xmalloc((n + 1) * sizeof(*st->value));
	if (mean)
		st->divisor = xmalloc((n + 1) * sizeof(*st->divisor));
	if (labels)
		st->label_set = xmalloc((n + 1) * sizeof(*st->label_set));
	node_sums_alloc(&st->values, nnodes);
}

void stacks_build(struct stacks *st, const struct view *v, const struct node_set *ns, struct label_sets *ls)
{
	size_t nsamples = v->prof->samples.count;
	size_t bounds[PARALLEL_MAX + 1];
	size_t nparts = parallel_ranges(nsamples, bounds);
	struct stacks_part parts[PARALLEL_MAX];
	stacks_alloc(st, nsamples, v->mean, ls != NULL, ns->count);
	for (size_t r = 0; r < nparts; r++) {
		struct stacks_part *sp = &parts[r];
		memset(sp, 0, sizeof(*sp));
		sp->v = v;
		sp->ns = ns;
		sp->out = st;
		sp->begin = bounds[r];
		sp->end = bounds[r + 1];
		sp->ls = ls;
		if (ls && r > 0) {
			sp->ls = xmalloc(sizeof(*sp->ls));
			label_sets_init(sp->ls, ls->prof);
		}
		node_sums_alloc(&sp->sums, ns->count);
	}
	parallel_run(build_stacks_part, parts, sizeof(parts[0]), nparts);
	for (size_t r = 0; r < nparts; r++)
		stacks_append(st, &parts[r], ls);
}

void stacks_free(struct stacks *st)
{
	free(st->frames);
	free(st->nframes);
	free(st->value);
	free(st->divisor);
	free(st->label_set);
	node_sums_free(&st->values);
	for (size_t b = 0; b < st->nblocks; b++)
		free(st->blocks[b]);
	free(st->blocks);
	memset(st, 0, sizeof(*st));
}

/* Marks a gathered frame that follows dropped frames (node ids stay below 2^30). */
#define GATHERED_RESIDUAL 0x40000000u
#define GATHERED_NODE 0x3fffffffu

/*
 * The kept frames of a stack, in order, each marked GATHERED_RESIDUAL if
 * dropped frames precede it; returns how many.  Without a branch on
 * which frames are kept: that is often near half of them, in no order a
 * branch predictor could learn.
 */
static size_t gather_kept(const uint32_t *frames, size_t n, const uint8_t *kept, uint32_t *out)
{
	size_t m = 0;
	uint32_t after_dropped = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t frame = frames[i];
		bool keep = kept[frame & FRAME_NODE] != 0;
		out[m] = frame | after_dropped;
		m += keep;
		after_dropped = keep ? 0 : GATHERED_RESIDUAL;
	}
	return m;
}

/*
 * A sample's steps between its gathered frames, outermost first: a step
 * over dropped nodes is residual, self steps are not edges.
 */
static void add_steps(struct edge_table *t, const uint32_t *frames, size_t n, int64_t w, int64_t dw,
		      uint32_t stamp, const uint8_t *edges_of)
{
	for (size_t i = 1; i < n; i++) {
		uint32_t parent = frames[i - 1] & GATHERED_NODE, node = frames[i] & GATHERED_NODE;
		if (node != parent && (!edges_of || edges_of[node] || edges_of[parent]))
			edge_step(t, parent, node, frames[i] & GATHERED_RESIDUAL, frames[i] & FRAME_INLINE, stamp, w,
				  dw);
	}
}

/* A sample's edges between the kept nodes of its stack; scratch has room for its n frames. */
static void add_edges(struct edge_table *t, const uint32_t *frames, size_t n, int64_t w, int64_t dw,
		      uint32_t stamp, const struct graph_options *o, uint32_t *scratch)
{
	if (o->kept) {
		n = gather_kept(frames, n, o->kept, scratch);
		frames = scratch;
	}
	add_steps(t, frames, n, w, dw, stamp, o->edges_of);
}

/* One range's share of graph_build_once(): the view's samples [begin, end). */
struct view_pass {
	const struct view *v;
	const struct node_set *ns;
	const struct graph_options *o;
	size_t begin, end;
	struct node_sums sums;
	struct edge_table t;
};

static void run_view_pass(void *arg)
{
	struct view_pass *vp = arg;
	const struct node_set *ns = vp->ns;
	uint32_t *seen = xcalloc(ns->count + 1, sizeof(uint32_t));
	uint32_t *frames = NULL, *scratch = NULL;
	size_t frames_cap = 0, scratch_cap = 0;
	uint32_t stamp = 0;
	struct view_iter it;
	struct view_sample s;
	view_iter_range(&it, vp->begin, vp->end);
	while (view_next(vp->v, &it, &s)) {
		size_t need = sample_frame_bound(ns, &s);
		if (need > frames_cap) {
			xgrow((void **)&frames, &frames_cap, need, sizeof(*frames));
			xgrow((void **)&scratch, &scratch_cap, need, sizeof(*scratch));
		}
		size_t n = sample_frames(ns, &s, frames);
		add_values(&vp->sums, frames, n, s.value, s.divisor, seen, ++stamp);
		if (vp->o->edges)
			add_edges(&vp->t, frames, n, s.value, s.divisor, stamp, vp->o, scratch);
	}
	view_iter_free(&it);
	free(frames);
	free(scratch);
	free(seen);
}

void graph_build_once(struct graph *g, const struct node_set *ns, const struct view *v,
		      const struct graph_options *o)
{
	size_t bounds[PARALLEL_MAX + 1];
	size_t nparts = parallel_ranges(v->prof->samples.count, bounds);
	struct view_pass passes[PARALLEL_MAX];
	for (size_t r = 0; r < nparts; r++) {
		passes[r] = (struct view_pass){ v, ns, o, bounds[r], bounds[r + 1], { NULL, NULL, NULL, NULL },
						{ NULL, 0, 0 } };
		node_sums_alloc(&passes[r].sums, ns->count);
		edge_table_init(&passes[r].t, 1024);
	}
	parallel_run(run_view_pass, passes, sizeof(passes[0]), nparts);

	graph_alloc(g, ns);
	struct node_sums sums = { g->flat, g->flat_div, g->cum, g->cum_div };
	for (size_t r = 0; r < nparts; r++) {
		node_sums_add(&sums, &passes[r].sums, ns->count + 1);
		node_sums_free(&passes[r].sums);
		if (r > 0)
			join_edge_tables(&passes[0].t, &passes[r].t);
	}
	edges_from_table(g, &passes[0].t);
	free(passes[0].t.slots);
	graph_select_nodes(g, o->kept, o->drop_negative);
}

static bool is_negative(const struct graph *g, uint32_t n)
{
	return g->flat[n] < 0 || (g->flat[n] == 0 && g->cum[n] < 0);
}

void graph_alloc(struct graph *g, const struct node_set *ns)
{
	size_t n = ns->count + 1;
	memset(g, 0, sizeof(*g));
	g->ns = ns;
	g->flat = xcalloc(n, sizeof(int64_t));
	g->flat_div = xcalloc(n, sizeof(int64_t));
	g->cum = xcalloc(n, sizeof(int64_t));
	g->cum_div = xcalloc(n, sizeof(int64_t));
	g->nodes = xmalloc(n * sizeof(uint32_t));
}

void graph_select_nodes(struct graph *g, const uint8_t *kept, bool drop_negative)
{
	g->nnodes = 0;
	for (uint32_t id = 0; id < g->ns->count; id++) {
		if (kept && !kept[id])
			continue;
		if (g->cum[id] == 0 && g->flat[id] == 0)
			continue;
		if (drop_negative && is_negative(g, id))
			continue;
		g->nodes[g->nnodes++] = id;
	}
	graph_index_edges(g);
}

/* One range's share of an edge pass: the samples [begin, end) of the stacks. */
struct edge_pass {
	const struct stacks *st;
	const struct graph_options *o;
	size_t begin, end;
	struct edge_table t;
};

static void run_edge_pass(void *arg)
{
	struct edge_pass *ep = arg;
	const struct stacks *st = ep->st;
	uint32_t *scratch = NULL;
	size_t cap = 0;
	edge_table_init(&ep->t, 1024);
	for (size_t i = ep->begin; i < ep->end; i++) {
		if (st->nframes[i] > cap)
			xgrow((void **)&scratch, &cap, st->nframes[i], sizeof(*scratch));
		add_edges(&ep->t, st->frames[i], st->nframes[i], st->value[i], st->divisor ? st->divisor[i] : 0,
			  (uint32_t)i + 1, ep->o, scratch);
	}
	free(scratch);
}

/*
 * The edges of all the stacks' samples, a range of samples per core, the
 * ranges' tables merged in order: an edge counts once per sample, and
 * every sample is in one range.
 */
static void stacks_edges(const struct stacks *st, const struct graph_options *o, struct edge_table *t)
{
	size_t bounds[PARALLEL_MAX + 1];
	size_t nparts = parallel_ranges(st->count, bounds);
	struct edge_pass passes[PARALLEL_MAX];
	for (size_t r = 0; r < nparts; r++)
		passes[r] = (struct edge_pass){ st, o, bounds[r], bounds[r + 1], { NULL, 0, 0 } };
	parallel_run(run_edge_pass, passes, sizeof(passes[0]), nparts);
	for (size_t r = 1; r < nparts; r++)
		join_edge_tables(&passes[0].t, &passes[r].t);
	*t = passes[0].t;
}

void graph_build(struct graph *g, const struct node_set *ns, const struct stacks *st,
		 const struct graph_options *o)
{
	size_t n = ns->count + 1;
	graph_alloc(g, ns);
	/* a node's values are the same in any graph that keeps it */
	memcpy(g->flat, st->values.flat, n * sizeof(int64_t));
	memcpy(g->flat_div, st->values.flat_div, n * sizeof(int64_t));
	memcpy(g->cum, st->values.cum, n * sizeof(int64_t));
	memcpy(g->cum_div, st->values.cum_div, n * sizeof(int64_t));
	if (o->edges) {
		struct edge_table t;
		stacks_edges(st, o, &t);
		edges_from_table(g, &t);
		free(t.slots);
	}
	graph_select_nodes(g, o->kept, o->drop_negative);
}

static void free_adjacency(struct graph *g)
{
	free(g->in_first);
	free(g->in_count);
	free(g->in_edges);
	free(g->out_first);
	free(g->out_count);
	free(g->out_edges);
}

void graph_index_edges(struct graph *g)
{
	size_t n = g->ns->count + 1;
	free_adjacency(g);
	g->in_first = xcalloc(n, sizeof(uint32_t));
	g->in_count = xcalloc(n, sizeof(uint32_t));
	g->out_first = xcalloc(n, sizeof(uint32_t));
	g->out_count = xcalloc(n, sizeof(uint32_t));
	g->in_edges = xmalloc((g->nedges + 1) * sizeof(uint32_t));
	g->out_edges = xmalloc((g->nedges + 1) * sizeof(uint32_t));
	for (size_t e = 0; e < g->nedges; e++) {
		if (g->edges[e].removed)
			continue;
		g->in_count[g->edges[e].dst]++;
		g->out_count[g->edges[e].src]++;
	}
	uint32_t in = 0, out = 0;
	for (size_t i = 0; i < n; i++) {
		g->in_first[i] = in;
		g->out_first[i] = out;
		in += g->in_count[i];
		out += g->out_count[i];
		g->in_count[i] = g->out_count[i] = 0;
	}
	for (size_t e = 0; e < g->nedges; e++) {
		const struct edge *ed = &g->edges[e];
		if (ed->removed)
			continue;
		g->in_edges[g->in_first[ed->dst] + g->in_count[ed->dst]++] = (uint32_t)e;
		g->out_edges[g->out_first[ed->src] + g->out_count[ed->src]++] = (uint32_t)e;
	}
}

void graph_free(struct graph *g)
{
	free(g->flat);
	free(g->flat_div);
	free(g->cum);
	free(g->cum_div);
	free(g->edges);
	free(g->nodes);
	free_adjacency(g);
	memset(g, 0, sizeof(*g));
}

int64_t graph_flat_value(const struct graph *g, uint32_t id)
{
	return g->flat_div[id] ? g->flat[id] / g->flat_div[id] : g->flat[id];
}

int64_t graph_cum_value(const struct graph *g, uint32_t id)
{
	return g->cum_div[id] ? g->cum[id] / g->cum_div[id] : g->cum[id];
}

int64_t edge_weight_value(const struct edge *e)
{
	return e->weight_div ? e->weight / e->weight_div : e->weight;
}

struct sort_ctx {
	const struct graph *g;
	enum node_order order;
	const int64_t *score;
};

#define CMP_DESC(a, b) do { if ((a) != (b)) return (a) > (b) ? -1 : 1; } while (0)
#define CMP_ASC(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

static int cmp_str_asc(const char *a, const char *b)
{
	return strcmp(a, b) < 0 ? -1 : 1;
}

static int compare_nodes(const struct node_set *ns, uint32_t l, uint32_t r)
{
	int c = strcmp(node_sprint(ns, l), node_sprint(ns, r));
	if (c)
		return c < 0 ? -1 : 1;
	/* equal only in call trees, where pprof's order is random: keep creation order */
	return l < r ? -1 : l > r ? 1 : 0;
}

static int node_cmp(const void *pa, const void *pb, void *arg)
{
	const struct sort_ctx *c = arg;
	const struct graph *g = c->g;
	const struct node_set *ns = g->ns;
	uint32_t l = *(const uint32_t *)pa, r = *(const uint32_t *)pb;
	switch (c->order) {
	case ORDER_FLAT_NAME:
		CMP_DESC(abs64(g->flat[l]), abs64(g->flat[r]));
		if (strcmp(node_printable(ns, l), node_printable(ns, r)))
			return cmp_str_asc(node_printable(ns, l), node_printable(ns, r));
		CMP_DESC(abs64(g->cum[l]), abs64(g->cum[r]));
		break;
	case ORDER_FLAT_CUM_NAME:
		CMP_DESC(abs64(g->flat[l]), abs64(g->flat[r]));
		CMP_DESC(abs64(g->cum[l]), abs64(g->cum[r]));
		if (strcmp(node_printable(ns, l), node_printable(ns, r)))
			return cmp_str_asc(node_printable(ns, l), node_printable(ns, r));
		break;
	case ORDER_NAME:
		if (strcmp(ns->info[l].name, ns->info[r].name))
			return cmp_str_asc(ns->info[l].name, ns->info[r].name);
		break;
	case ORDER_FILE:
		if (strcmp(ns->info[l].file, ns->info[r].file))
			return cmp_str_asc(ns->info[l].file, ns->info[r].file);
		CMP_ASC(ns->info[l].start_line, ns->info[r].start_line);
		break;
	case ORDER_ADDRESS:
		CMP_ASC(ns->info[l].address, ns->info[r].address);
		break;
	case ORDER_CUM_NAME:
	case ORDER_ENTROPY:
		CMP_DESC(abs64(c->score[l]), abs64(c->score[r]));
		if (strcmp(node_printable(ns, l), node_printable(ns, r)))
			return cmp_str_asc(node_printable(ns, l), node_printable(ns, r));
		CMP_DESC(abs64(g->flat[l]), abs64(g->flat[r]));
		break;
	}
	return compare_nodes(ns, l, r);
}

/*
 * Go's math.Log (the algorithm of its amd64 assembly and of its portable
 * code alike), so that entropy scores, which are truncated to integers
 * and decide the order of nodes, come out exactly as pprof computes them.
 */
static double go_log(double x)
{
	const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
	const double l1 = 6.666666666666735130e-01, l2 = 3.999999999940941908e-01;
	const double l3 = 2.857142874366239149e-01, l4 = 2.222219843214978396e-01;
	const double l5 = 1.818357216161805012e-01, l6 = 1.531383769920937332e-01;
	const double l7 = 1.479819860511658591e-01;
	if (isnan(x) || isinf(x) || x <= 0)
		return log(x);
	int ki;
	double f1 = frexp(x, &ki);
	if (f1 < M_SQRT2 / 2) {
		f1 *= 2;
		ki--;
	}
	double f = f1 - 1, k = ki;
	double s = f / (2 + f), s2 = s * s, s4 = s2 * s2;
	double t1 = s2 * (l1 + s4 * (l3 + s4 * (l5 + s4 * l7)));
	double t2 = s4 * (l2 + s4 * (l4 + s4 * l6));
	double r = t1 + t2, hfsq = 0.5 * f * f;
	return k * ln2_hi - ((hfsq - (s * (hfsq + r) + k * ln2_lo)) - f);
}

/* Go's math.Log2. */
static double go_log2(double x)
{
	int exp;
	double frac = frexp(x, &exp);
	if (frac == 0.5)
		return exp - 1;
	return go_log(frac) * 1.44269504088896340735992468100189214 + exp;
}

/* pprof's edgeEntropyScore over a node's edges into or out of it. */
static double edge_entropy(const struct graph *g, const uint32_t *edges, uint32_t n, int64_t self)
{
	double score = 0;
	int64_t total = self;
	for (uint32_t k = 0; k < n; k++)
		if (g->edges[edges[k]].weight > 0)
			total += abs64(g->edges[edges[k]].weight);
	if (total == 0)
		return 0;
	for (uint32_t k = 0; k < n; k++) {
		double frac = (double)abs64(g->edges[edges[k]].weight) / (double)total;
		score += -frac * go_log2(frac);
	}
	if (self > 0) {
		double frac = (double)abs64(self) / (double)total;
		score += -frac * go_log2(frac);
	}
	return score;
}

/* pprof's entropyScore: favours nodes where paths split or join. */
static int64_t *graph_entropy_scores(const struct graph *g)
{
	int64_t *scores = xcalloc(g->ns->count + 1, sizeof(int64_t));
	for (size_t i = 0; i < g->nnodes; i++) {
		uint32_t n = g->nodes[i];
		double score = 0;
		if (g->in_count[n] == 0)
			score++;
		else
			score += edge_entropy(g, g->in_edges + g->in_first[n], g->in_count[n], 0);
		if (g->out_count[n] == 0)
			score++;
		else
			score += edge_entropy(g, g->out_edges + g->out_first[n], g->out_count[n], g->flat[n]);
		scores[n] = (int64_t)(score * (double)g->cum[n]) + g->flat[n];
	}
	return scores;
}

void graph_sort(struct graph *g, enum node_order order)
{
	struct sort_ctx c = { g, order, g->cum };
	int64_t *scores = NULL;
	if (order == ORDER_ENTROPY)
		c.score = scores = graph_entropy_scores(g);
	qsort_r(g->nodes, g->nnodes, sizeof(uint32_t), node_cmp, &c);
	free(scores);
}

uint8_t *graph_nodes_above(const struct graph *g, int64_t cutoff)
{
	uint8_t *kept = xcalloc(g->ns->count + 1, 1);
	for (size_t i = 0; i < g->nnodes; i++)
		if (abs64(g->cum[g->nodes[i]]) >= cutoff)
			kept[g->nodes[i]] = 1;
	return kept;
}

uint8_t *graph_top_nodes(const struct graph *g, int max_nodes, const uint32_t *nodelets)
{
	uint8_t *kept = xcalloc(g->ns->count + 1, 1);
	size_t n = max_nodes > 0 && (size_t)max_nodes < g->nnodes ? (size_t)max_nodes : g->nnodes;
	if (nodelets && max_nodes > 0) {
		/* pprof's selectTopNodes: a node and its nodelets count together */
		size_t count = 0;
		for (size_t i = 0; i < g->nnodes; i++) {
			uint32_t tags = nodelets[g->nodes[i]];
			count += (tags > MAX_NODELETS ? MAX_NODELETS : tags) + 1;
			if (count >= (size_t)max_nodes) {
				n = i + 1;
				break;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		kept[g->nodes[i]] = 1;
	return kept;
}

int graph_trim_edges(struct graph *g, int64_t cutoff)
{
	int dropped = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		uint32_t n = g->nodes[i];
		for (uint32_t k = 0; k < g->in_count[n]; k++) {
			struct edge *e = &g->edges[g->in_edges[g->in_first[n] + k]];
			if (!e->removed && abs64(e->weight) < cutoff) {
				e->removed = true;
				dropped++;
			}
		}
	}
	if (dropped)
		graph_index_edges(g);
	return dropped;
}

static int edge_cmp(const void *pa, const void *pb, void *arg)
{
	const struct graph *g = arg;
	const struct edge *a = &g->edges[*(const uint32_t *)pa], *b = &g->edges[*(const uint32_t *)pb];
	/* pprof leaves weights of equal size (w, -w) unordered: order them by name */
	if (abs64(a->weight) != abs64(b->weight))
		return abs64(a->weight) > abs64(b->weight) ? -1 : 1;
	int c = strcmp(node_printable(g->ns, a->src), node_printable(g->ns, b->src));
	if (c)
		return c;
	c = strcmp(node_printable(g->ns, a->dst), node_printable(g->ns, b->dst));
	if (c)
		return c;
	/* same names only in call trees, where pprof's order is random: keep creation order */
	return a < b ? -1 : a > b;
}

size_t graph_sorted_in(const struct graph *g, uint32_t id, uint32_t *out)
{
	size_t n = g->in_count[id];
	memcpy(out, g->in_edges + g->in_first[id], n * sizeof(uint32_t));
	qsort_r(out, n, sizeof(uint32_t), edge_cmp, (void *)g);
	return n;
}

size_t graph_sorted_edges(const struct graph *g, uint32_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		uint32_t id = g->nodes[i];
		memcpy(out + n, g->out_edges + g->out_first[id], g->out_count[id] * sizeof(uint32_t));
		n += g->out_count[id];
	}
	qsort_r(out, n, sizeof(uint32_t), edge_cmp, (void *)g);
	return n;
}

size_t graph_sorted_out(const struct graph *g, uint32_t id, uint32_t *out)
{
	size_t n = g->out_count[id];
	memcpy(out, g->out_edges + g->out_first[id], n * sizeof(uint32_t));
	qsort_r(out, n, sizeof(uint32_t), edge_cmp, (void *)g);
	return n;
}

/* pprof's isRedundantEdge: can e's source reach its destination without e? */
static bool is_redundant_edge(const struct graph *g, uint32_t e, uint32_t *queue, uint32_t *seen, uint32_t stamp)
{
	uint32_t src = g->edges[e].src, head = 0, tail = 0;
	queue[tail++] = g->edges[e].dst;
	seen[g->edges[e].dst] = stamp;
	while (head < tail) {
		uint32_t n = queue[head++];
		for (uint32_t k = 0; k < g->in_count[n]; k++) {
			uint32_t ie = g->in_edges[g->in_first[n] + k];
			const struct edge *in = &g->edges[ie];
			if (ie == e || in->removed || seen[in->src] == stamp)
				continue;
			if (in->src == src)
				return true;
			seen[in->src] = stamp;
			queue[tail++] = in->src;
		}
	}
	return false;
}

void graph_remove_redundant_edges(struct graph *g)
{
	size_t n = g->ns->count + 1;
	uint32_t *queue = xmalloc(n * sizeof(uint32_t));
	uint32_t *seen = xcalloc(n, sizeof(uint32_t));
	uint32_t *in = xmalloc((g->nedges + 1) * sizeof(uint32_t));
	uint32_t stamp = 0;
	bool removed = false;
	for (size_t i = g->nnodes; i-- > 0;) {
		size_t nin = graph_sorted_in(g, g->nodes[i], in);
		for (size_t j = nin; j-- > 0;) {
			struct edge *e = &g->edges[in[j]];
			if (!e->residual)
				break;	/* never drop an edge heavier than a direct call */
			if (is_redundant_edge(g, in[j], queue, seen, ++stamp)) {
				e->removed = true;
				removed = true;
			}
		}
	}
	free(queue);
	free(seen);
	free(in);
	if (removed)
		graph_index_edges(g);
}
