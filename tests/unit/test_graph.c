/* Aggregation into nodes and edges: recursion, inlining, kept sets. */
#include <stdlib.h>

#include "check.h"
#include "graph/graph.h"
#include "load/proto.h"
#include "pbwriter.h"

/*
 * Functions 1 main, 2 work, 3 leaf; location 1 = main, 2 = work,
 * 3 = leaf inlined into work (two lines), 4 = work again (recursion).
 */
static void build(struct profile *prof)
{
	struct strbuf p = STRBUF_INIT, m = STRBUF_INIT, line = STRBUF_INIT;
	const char *strings[] = { "", "cpu", "nanoseconds", "main", "work", "leaf", "x.go" };
	struct { uint64_t locs[4]; size_t n; uint64_t value; } samples[] = {
		{ { 3, 4, 2, 1 }, 4, 10 },	/* leaf<-work(inline) <- work <- work <- main */
		{ { 2, 1 }, 2, 5 },
		{ { 1 }, 1, 1 },
		{ { 2, 1 }, 2, 0 },		/* zero: no effect */
	};
	for (size_t i = 0; i < 4; i++) {
		pb_packed(&m, 1, samples[i].locs, samples[i].n);
		pb_uint(&m, 2, samples[i].value);
		pb_msg(&p, 2, &m);
	}
	pb_uint(&m, 1, 1);
	pb_uint(&m, 2, 2);
	pb_msg(&p, 1, &m);
	for (uint64_t f = 1; f <= 3; f++) {
		pb_uint(&m, 1, f);
		pb_uint(&m, 2, 2 + f);
		pb_uint(&m, 4, 6);
		pb_msg(&p, 5, &m);
	}
	uint64_t loc_fn[][2] = { { 1, 0 }, { 2, 0 }, { 3, 2 }, { 2, 0 } };
	for (uint64_t id = 1; id <= 4; id++) {
		pb_uint(&m, 1, id);
		for (int k = 0; k < 2 && loc_fn[id - 1][k]; k++) {
			pb_uint(&line, 1, loc_fn[id - 1][k]);
			pb_uint(&line, 2, id * 10 + (uint64_t)k);
			pb_msg(&m, 4, &line);
		}
		pb_msg(&p, 4, &m);
	}
	for (size_t i = 0; i < sizeof(strings) / sizeof(*strings); i++)
		pb_str(&p, 6, strings[i]);

	uint8_t *buf = malloc(p.len);
	memcpy(buf, p.buf, p.len);
	struct error e = ERROR_INIT;
	profile_init(prof);
	CHECK(proto_decode(&buf, p.len, prof, &e) == 0);
	CHECK(profile_validate(prof, &e) == 0);
	free(buf);
	error_clear(&e);
	strbuf_release(&p);
	strbuf_release(&m);
	strbuf_release(&line);
}

static uint32_t node_named(const struct node_set *ns, const char *name)
{
	for (uint32_t i = 0; i < ns->count; i++)
		if (!strcmp(ns->info[i].name, name))
			return i;
	return UINT32_MAX;
}

static const struct edge *edge_between(const struct graph *g, uint32_t a, uint32_t b)
{
	for (size_t i = 0; i < g->nedges; i++)
		if (g->edges[i].src == a && g->edges[i].dst == b && !g->edges[i].removed)
			return &g->edges[i];
	return NULL;
}

int main(void)
{
	struct profile prof;
	build(&prof);
	struct view v;
	view_init(&v, &prof, 0, false, false);
	struct node_options o = { .function = true };
	struct node_set ns;
	node_set_build(&ns, &v, &o);
	CHECK(ns.count == 3);
	uint32_t main_ = node_named(&ns, "main"), work = node_named(&ns, "work"), leaf = node_named(&ns, "leaf");

	struct graph g;
	struct stacks st;
	struct graph_options all = { .edges = true };
	stacks_build(&st, &v, &ns, NULL);
	CHECK(st.count == 3);	/* the zero sample is left out */
	graph_build(&g, &ns, &st, &all);
	CHECK(g.nnodes == 3);
	CHECK(g.cum[main_] == 16 && g.flat[main_] == 1);
	CHECK(g.cum[work] == 15 && g.flat[work] == 5);	/* recursion counted once */
	CHECK(g.cum[leaf] == 10 && g.flat[leaf] == 10);
	const struct edge *e = edge_between(&g, main_, work);
	CHECK(e && e->weight == 15 && !e->is_inline && !e->residual);
	e = edge_between(&g, work, leaf);
	CHECK(e && e->weight == 10 && e->is_inline);
	CHECK(edge_between(&g, work, work) == NULL);	/* self edges are not kept */
	graph_sort(&g, ORDER_FLAT_NAME);
	CHECK(g.nodes[0] == leaf && g.nodes[1] == work && g.nodes[2] == main_);
	graph_sort(&g, ORDER_CUM_NAME);
	CHECK(g.nodes[0] == main_ && g.nodes[1] == work);
	CHECK_STR(node_printable(&ns, leaf), "leaf");
	graph_free(&g);

	/* Without work, main calls leaf through a residual edge; values stay. */
	uint8_t kept[3] = { 0 };
	kept[main_] = kept[leaf] = 1;
	struct graph_options some = { .kept = kept, .edges = true };
	graph_build(&g, &ns, &st, &some);
	CHECK(g.nnodes == 2 && g.cum[leaf] == 10 && g.flat[main_] == 1);
	e = edge_between(&g, main_, leaf);
	CHECK(e && e->residual && e->weight == 10);
	graph_free(&g);
	stacks_free(&st);
	node_set_free(&ns);

	/* Line granularity tells the two work locations apart. */
	struct node_options lines = { .function = true, .filename = true, .linenumber = true };
	node_set_build(&ns, &v, &lines);
	CHECK(ns.count == 5);
	CHECK_STR(node_printable(&ns, ns.loc_nodes[ns.loc_first[3]]), "work x.go:40");
	node_set_free(&ns);

	/* noinlines keeps only the outermost line of each location */
	view_free(&v);
	view_init(&v, &prof, 0, false, true);
	node_set_build(&ns, &v, &o);
	stacks_build(&st, &v, &ns, NULL);
	graph_build(&g, &ns, &st, &all);
	CHECK(node_named(&ns, "leaf") == UINT32_MAX);
	CHECK(g.flat[node_named(&ns, "work")] == 15);
	graph_free(&g);
	stacks_free(&st);
	node_set_free(&ns);
	view_free(&v);
	profile_free(&prof);
	return check_done();
}
