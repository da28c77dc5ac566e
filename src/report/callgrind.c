/*
 * callgrind.c - the `callgrind` report: the untrimmed address-level graph
 * in the format KCachegrind reads, with pprof's compression of names
 * ("(N) name" the first time, "(N)" after) and of addresses (relative to
 * the previous node's where that is shorter).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/format.h"
#include "report/report.h"

/* Callgrind's name compression: one table per kind of name. */
struct name_table {
	const char **names;
	size_t count, cap;
	struct hmap index;	/* hash of name -> first id - 1 */
	uint32_t *chain;
	size_t chain_cap;
};

static uint64_t text_hash(const char *s)
{
	uint64_t h = hash_bytes(s, strlen(s), 9);
	return h == HASH_EMPTY_KEY ? 0 : h;
}

/* pprof's callgrindName: "(N) name" for a new name, "(N)" for a known one, "" for none. */
static void add_name(struct strbuf *out, struct name_table *t, const char *name)
{
	if (!*name)
		return;
	int inserted;
	uint32_t *head = hmap_put(&t->index, text_hash(name), UINT32_MAX, &inserted);
	for (uint32_t i = *head; i != UINT32_MAX; i = t->chain[i]) {
		if (!strcmp(t->names[i], name)) {
			strbuf_addf(out, "(%u)", i + 1);
			return;
		}
	}
	xgrow((void **)&t->names, &t->cap, t->count + 1, sizeof(*t->names));
	xgrow((void **)&t->chain, &t->chain_cap, t->count + 1, sizeof(*t->chain));
	uint32_t id = (uint32_t)t->count++;
	t->names[id] = name;
	t->chain[id] = *head;
	*head = id;
	strbuf_addf(out, "(%u) %s", id + 1, name);
}

static void name_table_free(struct name_table *t)
{
	free(t->names);
	free(t->chain);
	hmap_free(&t->index);
}

/* pprof's callgrindAddress: absolute, "*" for the same, or a shorter "+N" / "-N". */
static void add_address(struct strbuf *out, const struct node_info *prev, uint64_t addr)
{
	char abs[32], rel[32];
	snprintf(abs, sizeof(abs), "0x%" PRIx64, addr);
	if (!prev) {
		strbuf_addstr(out, abs);
		return;
	}
	if (prev->address == addr) {
		strbuf_addch(out, '*');
		return;
	}
	snprintf(rel, sizeof(rel), "%+" PRId64, (int64_t)(addr - prev->address));
	strbuf_addstr(out, strlen(rel) < strlen(abs) ? rel : abs);
}

/*
 * The function a node belongs to, as pprof's Node.Function tells them
 * apart: its info without address and line, and in a call tree its
 * caller too.
 */
static bool same_function(const struct node_info *a, const struct node_info *b, uint32_t ctx_a, uint32_t ctx_b)
{
	return ctx_a == ctx_b && a->start_line == b->start_line && !strcmp(a->name, b->name) &&
	       !strcmp(a->orig_name, b->orig_name) && !strcmp(a->file, b->file) && !strcmp(a->objfile, b->objfile);
}

/* The nodes of the graph that share a file and a function name, and their distinct functions. */
struct name_group {
	uint32_t first;		/* a node of the group */
	uint32_t *functions;	/* a node of each distinct function, in order of appearance */
	size_t count, cap;
};

struct name_groups {
	struct name_group *groups;
	size_t count, cap;
	struct hmap index;	/* hash of (file, name) -> first group */
	uint32_t *chain;	/* next group with the same hash */
	size_t chain_cap;
};

static struct name_group *group_of(struct name_groups *gs, const struct node_set *ns, uint32_t n)
{
	const struct node_info *in = &ns->info[n];
	uint64_t h = hash_bytes(in->name, strlen(in->name), text_hash(in->file));
	if (h == HASH_EMPTY_KEY)
		h = 0;
	int inserted;
	uint32_t *head = hmap_put(&gs->index, h, UINT32_MAX, &inserted);
	for (uint32_t i = *head; i != UINT32_MAX; i = gs->chain[i]) {
		const struct node_info *ig = &ns->info[gs->groups[i].first];
		if (!strcmp(ig->name, in->name) && !strcmp(ig->file, in->file))
			return &gs->groups[i];
	}
	xgrow((void **)&gs->groups, &gs->cap, gs->count + 1, sizeof(*gs->groups));
	xgrow((void **)&gs->chain, &gs->chain_cap, gs->count + 1, sizeof(*gs->chain));
	uint32_t id = (uint32_t)gs->count++;
	memset(&gs->groups[id], 0, sizeof(gs->groups[id]));
	gs->groups[id].first = n;
	gs->chain[id] = *head;
	*head = id;
	return &gs->groups[id];
}

/*
 * pprof's getDisambiguatedNames: a node's function name, with " [i/n]"
 * where n different functions share its file and name.  Returns a
 * malloc'd name per node id (NULL for nodes not in the graph).
 */
static char **disambiguated_names(const struct graph *g, const uint32_t *context)
{
	const struct node_set *ns = g->ns;
	struct name_groups gs = { 0 };
	hmap_init(&gs.index, g->nnodes);
	uint32_t *group = xmalloc((ns->count + 1) * sizeof(uint32_t));
	uint32_t *function = xmalloc((ns->count + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < g->nnodes; i++) {
		uint32_t n = g->nodes[i];
		struct name_group *ng = group_of(&gs, ns, n);
		size_t f = 0;
		while (f < ng->count && !same_function(&ns->info[ng->functions[f]], &ns->info[n],
						       context ? context[ng->functions[f]] : 0,
						       context ? context[n] : 0))
			f++;
		if (f == ng->count) {
			xgrow((void **)&ng->functions, &ng->cap, ng->count + 1, sizeof(*ng->functions));
			ng->functions[ng->count++] = n;
		}
		group[n] = (uint32_t)(ng - gs.groups);
		function[n] = (uint32_t)f;
	}
	char **names = xcalloc(ns->count + 1, sizeof(char *));
	for (size_t i = 0; i < g->nnodes; i++) {
		uint32_t n = g->nodes[i];
		size_t functions = gs.groups[group[n]].count;
		struct strbuf name = STRBUF_INIT;
		strbuf_addstr(&name, ns->info[n].name);
		if (functions > 1)
			strbuf_addf(&name, " [%u/%zu]", function[n] + 1, functions);
		names[n] = strbuf_detach(&name, NULL);
	}
	for (size_t i = 0; i < gs.count; i++)
		free(gs.groups[i].functions);
	free(gs.groups);
	free(gs.chain);
	hmap_free(&gs.index);
	free(group);
	free(function);
	return names;
}

struct callgrind {
	struct report *r;
	const struct graph *g;
	char **names;
	struct name_table objfiles, files, functions;
	struct strbuf *out;
};

static int64_t scaled(const struct report *r, int64_t v)
{
	const char *unit;
	return (int64_t)unit_scale(v, r->sample_unit, r->output_unit, &unit);
}

static void print_calls(struct callgrind *c, uint32_t n, const struct node_info *prev, uint32_t *edges)
{
	const struct graph *g = c->g;
	size_t nout = graph_sorted_out(g, n, edges);
	for (size_t k = 0; k < nout; k++) {
		const struct edge *e = &g->edges[edges[k]];
		const struct node_info *callee = &g->ns->info[e->dst];
		strbuf_addstr(c->out, "cfl=");
		add_name(c->out, &c->files, callee->file);
		strbuf_addstr(c->out, "\ncfn=");
		add_name(c->out, &c->functions, c->names[e->dst]);
		strbuf_addstr(c->out, "\ncalls=0 ");
		add_address(c->out, prev, callee->address);
		strbuf_addf(c->out, " %lld\n* * %lld\n", (long long)callee->lineno, (long long)scaled(c->r, e->weight));
	}
}

static void print_nodes(struct callgrind *c)
{
	const struct graph *g = c->g;
	const struct node_info *prev = NULL;
	uint32_t *edges = xmalloc((g->nedges + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < g->nnodes; i++) {
		uint32_t n = g->nodes[i];
		const struct node_info *in = &g->ns->info[n];
		if (!prev || strcmp(in->objfile, prev->objfile) || strcmp(in->file, prev->file) ||
		    strcmp(in->name, prev->name)) {
			strbuf_addstr(c->out, "\nob=");
			add_name(c->out, &c->objfiles, in->objfile);
			strbuf_addstr(c->out, "\nfl=");
			add_name(c->out, &c->files, in->file);
			strbuf_addstr(c->out, "\nfn=");
			add_name(c->out, &c->functions, in->name);
			strbuf_addch(c->out, '\n');
		}
		add_address(c->out, prev, in->address);
		strbuf_addf(c->out, " %lld %lld\n", (long long)in->lineno, (long long)scaled(c->r, graph_flat_value(g, n)));
		print_calls(c, n, prev, edges);
		prev = in;
	}
	free(edges);
}

int report_callgrind(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	struct trimmed_graph t;
	report_trimmed_graph(r, &t);
	report_select_unit(r, &t.g);
	struct callgrind c = { .r = r, .g = &t.g, .out = out };
	c.names = disambiguated_names(&t.g, t.is_tree ? t.tree.parent : NULL);
	hmap_init(&c.objfiles.index, 16);
	hmap_init(&c.files.index, 64);
	hmap_init(&c.functions.index, 256);
	strbuf_addf(out, "positions: instr line\nevents: %s(%s)\n", r->type_label, r->output_unit);
	print_nodes(&c);
	for (size_t i = 0; i < t.g.ns->count; i++)
		free(c.names[i]);
	free(c.names);
	name_table_free(&c.objfiles);
	name_table_free(&c.files);
	name_table_free(&c.functions);
	trimmed_graph_free(&t);
	return 0;
}
