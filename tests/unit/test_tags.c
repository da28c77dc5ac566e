/*
 * Labels, units and tags as the graph reports see them, pprof's short
 * function names, and call trees with their trimming.
 */
#include <stdlib.h>

#include "check.h"
#include "profile/scan.h"
#include "graph/calltree.h"
#include "graph/shorten.h"
#include "graph/tags.h"
#include "profile/builder.h"
#include "profile/labels.h"

/*
 * main -> work -> leaf (leaf inlined into work), main -> work,
 * main -> other, and main -> other -> leaf; labels: handler (string)
 * and bytes (numeric) on the first three.
 */
static void build(struct profile *p)
{
	struct profile_builder b;
	profile_init(p);
	builder_init(&b, p);
	struct value_type types[] = { { "samples", "count" } };
	builder_sample_types(&b, types, 1);
	struct mapping m = { .file = "/bin/x", .build_id = "" };
	int32_t map = builder_mapping(&b, &m);
	int32_t fmain = builder_function(&b, "main", "main", "x.go", 1);
	int32_t fwork = builder_function(&b, "work", "work", "x.go", 10);
	int32_t fleaf = builder_function(&b, "leaf", "leaf", "x.go", 20);
	int32_t fother = builder_function(&b, "other", "other", "x.go", 30);
	struct line lmain = { fmain, 2, 0 }, lwork = { fwork, 11, 0 }, lother = { fother, 31, 0 };
	struct line linl[] = { { fleaf, 21, 0 }, { fwork, 12, 0 } };
	uint32_t loc_main = (uint32_t)builder_location(&b, map, 0x10, &lmain, 1, false);
	uint32_t loc_work = (uint32_t)builder_location(&b, map, 0x20, &lwork, 1, false);
	uint32_t loc_inl = (uint32_t)builder_location(&b, map, 0x30, linl, 2, false);
	uint32_t loc_other = (uint32_t)builder_location(&b, map, 0x40, &lother, 1, false);
	struct line lleaf = { fleaf, 22, 0 };
	uint32_t loc_leaf = (uint32_t)builder_location(&b, map, 0x50, &lleaf, 1, false);
	int64_t handler = builder_string(&b, "handler"), bytes = builder_string(&b, "bytes");
	int64_t unit = builder_string(&b, "bytes"), kb = builder_string(&b, "kilobytes");
	struct label s1[] = { { handler, builder_string(&b, "a"), 0, 0 }, { bytes, 0, 1025, unit } };
	struct label s2[] = { { handler, builder_string(&b, "b"), 0, 0 }, { bytes, 0, 1024, unit } };
	struct label s3[] = { { bytes, 0, 7, kb }, { builder_string(&b, "request"), 0, 5, 0 } };
	uint32_t st1[] = { loc_inl, loc_main }, st2[] = { loc_work, loc_main }, st3[] = { loc_other, loc_main };
	uint32_t st4[] = { loc_leaf, loc_other, loc_main };
	int64_t v10[] = { 10 }, v5[] = { 5 }, v3[] = { 3 }, v1[] = { 1 };
	builder_sample(&b, st1, 2, v10, 1, s1, 2);
	builder_sample(&b, st2, 2, v5, 1, s2, 2);
	builder_sample(&b, st3, 2, v3, 1, s3, 2);
	builder_sample(&b, st4, 3, v1, 1, NULL, 0);
	builder_finish(&b);
}

static void test_units(const struct profile *p)
{
	struct profile_scan scan;
	struct strbuf warnings = STRBUF_INIT;
	profile_scan(&scan, p);
	label_units_warnings(&scan.units, &warnings);
	CHECK_STR(label_unit(&scan.units, "bytes"), "bytes");
	CHECK_STR(label_unit(&scan.units, "request"), "bytes");	/* pprof's guess for request sizes */
	CHECK_STR(label_unit(&scan.units, "missing"), "");
	CHECK_STR(warnings.buf, "For tag bytes used unit bytes, also encountered unit(s) kilobytes\n");
	scan_free(&scan);
	strbuf_release(&warnings);

	struct label labels[] = { { 1, 5, 0, 0 }, { 2, 0, 9, 0 }, { 1, 6, 0, 0 } };
	struct label_key keys[3];
	uint32_t order[3];
	/* string keys 1 and 2 of the test profile are "" and "samples": any name will do */
	CHECK(group_labels(p, labels, 3, false, keys, order) == 1);
	CHECK(keys[0].count == 2 && order[keys[0].first] == 0 && order[keys[0].first + 1] == 2);
	CHECK(group_labels(p, labels, 3, true, keys, order) == 1 && !keys[0].has_unit);
}

static void format_bytes(struct strbuf *sb, int64_t v, const char *unit, const void *arg)
{
	(void)unit;
	(void)arg;
	/* 1025 and 1024 bytes both print as 1kB in pprof */
	strbuf_addstr(sb, v >= 1024 ? "1kB" : "small");
}

static uint32_t node_named(const struct node_set *ns, const char *name)
{
	for (uint32_t i = 0; i < ns->count; i++)
		if (!strcmp(ns->info[i].name, name))
			return i;
	return UINT32_MAX;
}

static const struct tag *find_tag(const struct node_tags *t, uint32_t n, const char *name, bool numeric)
{
	for (uint32_t i = 0; i < t->count[n]; i++) {
		const struct tag *tag = &t->tags[t->first[n] + i];
		if (tag->numeric == numeric && !strcmp(tag->name, name))
			return tag;
	}
	return NULL;
}

static void test_tags(const struct profile *p, const struct view *v, const struct node_set *ns)
{
	struct label_sets ls;
	struct stacks st;
	label_sets_init(&ls, p);
	stacks_build(&st, v, ns, &ls);
	CHECK(ls.count == 4 && ls.any);
	CHECK_STR(ls.texts[ls.sets[st.label_set[0]].joined], "handler:a");

	uint32_t work = node_named(ns, "work"), main_ = node_named(ns, "main");
	uint8_t *wanted = calloc(ns->count + 1, 1);
	wanted[work] = wanted[main_] = 1;
	struct node_tags t;
	node_tags_init(&t, &ls);
	node_tags_collect(&t, &st, wanted, ns->count);
	node_tags_finish(&t, ns->count, "bytes", format_bytes, NULL);
	const struct tag *a = find_tag(&t, work, "handler:a", false);
	CHECK(a && a->cum == 10 && a->flat == 0);
	const struct tag *b = find_tag(&t, work, "handler:b", false);
	CHECK(b && b->cum == 5 && b->flat == 5);
	/* numeric tags belong to their sample's string labels: two "1kB" tags, one per handler */
	uint32_t kb = 0;
	for (uint32_t i = 0; i < t.count[work]; i++)
		kb += t.tags[t.first[work] + i].numeric;
	CHECK(kb == 2);
	const struct tag *m = find_tag(&t, main_, "small", true);
	CHECK(m && m->cum == 3 && m->value == 7);
	uint32_t *counts = node_tags_counts(&t);
	CHECK(counts[work] == 2 && counts[main_] == 0);	/* only handler:b and its 1kB have flat weight */
	free(counts);
	node_tags_trim(&t, 6);
	CHECK(find_tag(&t, work, "handler:a", false) && !find_tag(&t, work, "handler:b", false));

	/* a second collection into the same sums finds them (the first indexes cells, the second hashes) */
	struct node_tags twice;
	node_tags_init(&twice, &ls);
	node_tags_collect(&twice, &st, wanted, ns->count);
	node_tags_collect(&twice, &st, wanted, ns->count);
	node_tags_finish(&twice, ns->count, "bytes", format_bytes, NULL);
	a = find_tag(&twice, work, "handler:a", false);
	b = find_tag(&twice, work, "handler:b", false);
	CHECK(a && a->cum == 20 && b && b->cum == 10 && b->flat == 10);
	node_tags_free(&twice);

	struct tag x = { .name = "x", .flat = 5 }, y = { .name = "y", .flat = -7 }, z = { .name = "w", .flat = 5 };
	struct tag *sorted[] = { &x, &y, &z };
	tags_sort(sorted, 3, true);
	CHECK(sorted[0] == &y && sorted[1] == &z && sorted[2] == &x);

	node_tags_free(&t);
	free(wanted);
	stacks_free(&st);
	label_sets_free(&ls);
}

static void check_short(const struct shortener *s, const char *name, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	shorten_function_name(s, name, &sb);
	CHECK_STR(sb.buf, want);
	strbuf_release(&sb);
}

static void test_shorten(void)
{
	struct shortener s;
	shortener_init(&s);
	check_short(&s, "main.(*T).Method", "main.(*T).Method");
	check_short(&s, "github.com/foo/bar.Func", "bar.Func");
	check_short(&s, "github.com/foo/bar/v2.Func", "bar.Func");
	check_short(&s, "github.com/foo/bar/v1.Func", "v1.Func");	/* v1 is no module version */
	check_short(&s, "java.util.ArrayList.add", "ArrayList.add");
	check_short(&s, "ns::Outer::Inner::method", "Inner::method");
	check_short(&s, "(anonymous namespace)::Foo::bar", "Foo::bar");
	check_short(&s, "malloc", "malloc");
	shortener_free(&s);
}

/* The edge into n in g, or NULL. */
static const struct edge *edge_into(const struct graph *g, uint32_t n)
{
	return g->in_count[n] ? &g->edges[g->in_edges[g->in_first[n]]] : NULL;
}

static void test_call_tree(const struct view *v, const struct node_set *ns)
{
	struct stacks st;
	stacks_build(&st, v, ns, NULL);
	struct call_tree t;
	struct graph g;
	call_tree_build(&t, &g, ns, &st, false);
	/* main, work, leaf under work, other, leaf under other */
	CHECK(t.ns.count == 5 && g.nnodes == 5);
	uint32_t leaf = UINT32_MAX, main_ = UINT32_MAX;
	for (uint32_t n = t.ns.count; n-- > 0;) {	/* the first of each name */
		if (!strcmp(t.ns.info[n].name, "leaf"))
			leaf = n;
		if (!strcmp(t.ns.info[n].name, "main"))
			main_ = n;
	}
	CHECK(g.cum[main_] == 19 && g.flat[leaf] == 10);
	const struct edge *e = edge_into(&g, leaf);
	CHECK(e && e->is_inline && !e->residual && e->weight == 10);

	/* dropping leaf's caller hangs leaf under main, residual, no longer inline */
	uint8_t kept[5] = { 0 };
	kept[main_] = kept[leaf] = 1;
	call_tree_trim(&g, kept);
	CHECK(g.nnodes == 2);	/* the other leaf went too */
	e = edge_into(&g, leaf);
	CHECK(e && e->src == main_ && e->residual && !e->is_inline && e->weight == 10);

	/* dropping the root leaves leaf without a caller */
	kept[main_] = 0;
	call_tree_trim(&g, kept);
	CHECK(g.nnodes == 1 && edge_into(&g, leaf) == NULL);
	graph_free(&g);
	call_tree_free(&t);
	stacks_free(&st);
}

static void test_redundant_edges(const struct view *v, const struct node_set *ns)
{
	struct stacks st;
	stacks_build(&st, v, ns, NULL);
	uint32_t main_ = node_named(ns, "main"), leaf = node_named(ns, "leaf"), work = node_named(ns, "work");
	/* without other, main reaches leaf directly (residual) and through work */
	uint8_t *kept = calloc(ns->count + 1, 1);
	kept[main_] = kept[leaf] = kept[work] = 1;
	struct graph_options o = { .kept = kept, .edges = true };
	struct graph g;
	graph_build(&g, ns, &st, &o);
	graph_sort(&g, ORDER_FLAT_NAME);
	CHECK(g.in_count[leaf] == 2);
	graph_remove_redundant_edges(&g);
	CHECK(g.in_count[leaf] == 1 && g.edges[g.in_edges[g.in_first[leaf]]].src == work);
	graph_free(&g);

	/* without work and other, the residual edge is the only way: it stays */
	kept[work] = 0;
	graph_build(&g, ns, &st, &o);
	graph_sort(&g, ORDER_FLAT_NAME);
	graph_remove_redundant_edges(&g);
	CHECK(g.in_count[leaf] == 1 && g.edges[g.in_edges[g.in_first[leaf]]].residual);
	graph_free(&g);
	free(kept);
	stacks_free(&st);
}

int main(void)
{
	struct profile p;
	build(&p);
	test_units(&p);
	struct view v;
	view_init(&v, &p, 0, false, false);
	struct node_options o = { .function = true };
	struct node_set ns;
	node_set_build(&ns, &v, &o);
	test_tags(&p, &v, &ns);
	test_shorten();
	test_call_tree(&v, &ns);
	test_redundant_edges(&v, &ns);
	node_set_free(&ns);
	view_free(&v);
	profile_free(&p);
	return check_done();
}
