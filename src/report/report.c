#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "filter/tagroot.h"
#include "load/merge.h"
#include "report/format.h"
#include "util/int64.h"
#include "util/path.h"

typedef int (*report_fn)(struct report *r, struct strbuf *out, struct error *e);

/*
 * Every report command: its report kind, the code that prints it, and
 * for binary outputs the suffix of the file pprof writes them to instead
 * of a terminal.
 */
static const struct report_command {
	const char *name;
	enum report_format format;
	report_fn generate;
	const char *file_suffix;
} report_commands[] = {
	{ "top", FORMAT_TEXT, report_top, NULL },
	{ "text", FORMAT_TEXT, report_top, NULL },
	{ "tree", FORMAT_TREE, report_tree, NULL },
	{ "peek", FORMAT_TREE, report_peek, NULL },
	{ "comments", FORMAT_COMMENTS, report_comments, NULL },
	{ "traces", FORMAT_TRACES, report_traces, NULL },
	{ "raw", FORMAT_RAW, report_raw, NULL },
	{ "tags", FORMAT_TAGS, report_tags, NULL },
	{ "dot", FORMAT_DOT, report_dot, NULL },
	{ "callgrind", FORMAT_CALLGRIND, report_callgrind, "callgraph.out" },
	{ "kcachegrind", FORMAT_CALLGRIND, report_callgrind, NULL },
	{ "proto", FORMAT_PROTO, report_proto, "pb.gz" },
	{ "topproto", FORMAT_TOPPROTO, report_topproto, "pb.gz" },
	{ "svg", FORMAT_DOT, report_dot, NULL },
	{ "pdf", FORMAT_DOT, report_dot, NULL },
	{ "png", FORMAT_DOT, report_dot, NULL },
	{ "gif", FORMAT_DOT, report_dot, NULL },
	{ "ps", FORMAT_DOT, report_dot, NULL },
	{ "web", FORMAT_DOT, report_dot, NULL },
	{ "eog", FORMAT_DOT, report_dot, NULL },
	{ "evince", FORMAT_DOT, report_dot, NULL },
	{ "gv", FORMAT_DOT, report_dot, NULL },
	{ "folded", FORMAT_STACKS, report_folded, NULL },
	{ "flame", FORMAT_STACKS, report_flame, NULL },
	{ "list", FORMAT_LIST, report_list, NULL },
	{ "disasm", FORMAT_DIS, report_disasm, NULL },
	{ "weblist", FORMAT_WEBLIST, report_weblist, NULL },
};

static const struct report_command *find_report(const char *name)
{
	for (size_t i = 0; i < sizeof(report_commands) / sizeof(report_commands[0]); i++)
		if (!strcmp(report_commands[i].name, name))
			return &report_commands[i];
	return NULL;
}

static void set_string(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
}

/* pprof's applyCommandOverrides. */
static void apply_command_overrides(struct config *c, const char *command, enum report_format format)
{
	bool trim = c->trim;
	if (!strcmp(command, "disasm")) {
		trim = false;
		set_string(&c->granularity, "addresses");
		c->noinlines = true;
	} else if (!strcmp(command, "weblist")) {
		trim = false;
		set_string(&c->granularity, "addresses");
		c->noinlines = false;
	} else if (!strcmp(command, "peek")) {
		trim = false;
	} else if (!strcmp(command, "list")) {
		trim = false;
		set_string(&c->granularity, "lines");
	} else if (!strcmp(command, "text") || !strcmp(command, "top") || !strcmp(command, "topproto")) {
		if (c->nodecount == -1)
			c->nodecount = 0;
	} else if (c->nodecount == -1) {
		c->nodecount = 80;
	}
	if (format == FORMAT_PROTO || format == FORMAT_RAW || format == FORMAT_CALLGRIND) {
		trim = false;
		set_string(&c->granularity, "addresses");
		c->noinlines = false;
	}
	if (!trim) {
		c->nodecount = 0;
		c->nodefraction = 0;
		c->edgefraction = 0;
	}
}

/* pprof's aggregate(): which parts of a frame the granularity keeps. */
static int granularity_options(const struct config *c, struct node_options *o, struct error *e)
{
	const char *g = c->granularity;
	memset(o, 0, sizeof(*o));
	if (!strcmp(g, "addresses")) {
		o->function = o->filename = o->linenumber = o->address = true;
	} else if (!strcmp(g, "lines")) {
		o->function = o->filename = o->linenumber = true;
	} else if (!strcmp(g, "files")) {
		o->filename = true;
	} else if (!strcmp(g, "functions")) {
		o->function = true;
	} else if (!strcmp(g, "filefunctions")) {
		o->function = o->filename = true;
	} else {
		return error_set(e, "unexpected granularity");
	}
	return 0;
}

/* Notes and warnings go to stderr as soon as they are known, as pprof prints them. */
static void print_notes(struct report *r, struct strbuf *notes)
{
	fputs(notes->buf, stderr);
	if (r->notes)
		strbuf_add(r->notes, notes->buf, notes->len);
	strbuf_reset(notes);
}

/*
 * pprof merges every profile it loads, even a single one: identical
 * samples summed, zero ones dropped, ids renumbered in order of use.
 * Only reports that show samples or ids can tell, so only they pay for it.
 */
static void merge_if_shown(struct report *r)
{
	if (r->format != FORMAT_RAW && r->format != FORMAT_TRACES && r->format != FORMAT_PROTO)
		return;
	r->merged = xmalloc(sizeof(*r->merged));
	profile_compact(r->prof, r->merged);
	r->prof = r->merged;
}

/*
 * -tagroot and -tagleaf: the report is of a copy with label frames.  Its
 * samples are the input's, in the same order, so the scan stands.
 */
static void add_label_frames(struct report *r, struct strbuf *notes)
{
	const struct config *c = &r->cfg;
	if ((!c->tagroot || !*c->tagroot) && (!c->tagleaf || !*c->tagleaf))
		return;
	r->labelled = xmalloc(sizeof(*r->labelled));
	profile_add_label_frames(r->prof, c->tagroot, c->tagleaf, c->unit, r->labelled, notes);
	r->prof = r->labelled;
	print_notes(r, notes);
}

static int compile_filters(struct report *r, struct strbuf *notes, struct error *e)
{
	int rc = filter_set_compile(&r->filters, &r->cfg, notes, e);
	print_notes(r, notes);
	return rc;
}

/*
 * The view, with pprof's total: over all samples before any filter, or
 * with -relative_percentages over those the filters keep.
 */
static int build_view(struct report *r, size_t index, struct strbuf *notes, struct error *e)
{
	struct view_options vo = { index, r->cfg.mean, r->cfg.noinlines, r->cfg.relative_percentages,
				   &r->filters, r->scan };
	int rc = view_init_filtered(&r->view, r->prof, &vo, notes, e);
	print_notes(r, notes);
	if (rc < 0)
		return -1;
	r->total = r->cfg.relative_percentages ? r->view.kept_total : scan_total(r->scan, index, r->cfg.mean);
	return 0;
}

/* pprof's sampleFormat and the checks of reportOptions: the value measured, its type and unit. */
static int report_sample_options(struct report *r, size_t *index, struct error *e)
{
	const struct profile *prof = r->prof;
	if (prof->nsample_types == 0)
		return error_set(e, "profile has no samples");
	if (sample_index_by_name(prof, r->cfg.sample_index, index, e) < 0)
		return -1;
	r->sample_type = prof->sample_types[*index].type;
	r->sample_unit = prof->sample_types[*index].unit;
	r->type_label = strdup(r->sample_type);
	if (r->cfg.mean) {
		free(r->type_label);
		size_t n = strlen(r->sample_type) + 6;
		r->type_label = xmalloc(n);
		snprintf(r->type_label, n, "mean_%s", r->sample_type);
	}
	if (r->cfg.divide_by == 0)
		return error_set(e, "zero divisor specified");
	r->ratio = 1 / r->cfg.divide_by;
	snprintf(r->output_unit, sizeof(r->output_unit), "%s", r->cfg.unit);
	return 0;
}

int report_init(struct report *r, const struct profile *prof, const struct config *cfg, const char *command,
		const char *command_arg, struct strbuf *collect, struct error *e)
{
	const struct report_command *rc = find_report(command);
	memset(r, 0, sizeof(*r));
	r->notes = collect;
	if (!rc)
		return error_set(e, "the %s report is not available in this version of cpprof", command);
	r->prof = prof;
	r->command = command;
	r->command_arg = command_arg;
	r->format = rc->format;
	config_copy(&r->cfg, cfg);
	apply_command_overrides(&r->cfg, command, r->format);

	struct strbuf notes = STRBUF_INIT;
	merge_if_shown(r);
	r->scan = profile_scan_of(r->prof, &r->own_scan);
	label_units_warnings(&r->scan->units, &notes);
	print_notes(r, &notes);
	add_label_frames(r, &notes);
	/* pprof filters before it computes the total only for relative percentages */
	bool relative = r->cfg.relative_percentages;
	int status = relative ? compile_filters(r, &notes, e) : 0;
	size_t index = 0;
	if (status == 0)
		status = report_sample_options(r, &index, e);
	if (status == 0 && command_arg && !(r->symbol = regex_compile(command_arg, e)))
		status = error_prefix(e, "parsing argument regexp %s: ", command_arg);
	if (status == 0 && !relative)
		status = compile_filters(r, &notes, e);
	struct node_options no;
	if (status == 0)
		status = granularity_options(&r->cfg, &no, e);
	if (status == 0)
		status = build_view(r, index, &notes, e);
	strbuf_release(&notes);
	if (status < 0)
		return -1;
	no.obj_names = r->format == FORMAT_RAW || r->format == FORMAT_LIST || r->format == FORMAT_WEBLIST ||
		       r->format == FORMAT_DIS || r->format == FORMAT_CALLGRIND;
	no.trim_path = r->cfg.trim_path;
	no.source_path = r->cfg.source_path;
	r->node_options = no;
	node_set_build(&r->nodes, &r->view, &no);
	return 0;
}

void report_free(struct report *r)
{
	if (r->prof) {
		node_set_free(&r->nodes);
		view_free(&r->view);
		filter_set_free(&r->filters);
		if (r->scan == &r->own_scan)
			scan_free(&r->own_scan);
	}
	if (r->have_stacks) {
		stacks_free(&r->stacks);
		if (r->format == FORMAT_DOT)
			label_sets_free(&r->label_sets);
	}
	struct profile *made[] = { r->merged, r->labelled };
	for (size_t i = 0; i < 2; i++) {
		if (made[i]) {
			profile_free(made[i]);
			free(made[i]);
		}
	}
	config_free(&r->cfg);
	regex_free(r->symbol);
	free(r->type_label);
	memset(r, 0, sizeof(*r));
}

/*
 * Go's int64(f) on amd64: values out of range (huge fractions, infinite
 * or NaN ones) become the most negative int64 rather than undefined.
 */
static int64_t to_int64(double f)
{
	if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
		return INT64_MIN;
	return (int64_t)f;
}

static size_t count_kept(const struct graph *g, const uint8_t *kept)
{
	size_t n = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		n += kept[g->nodes[i]];
	return n;
}

/* The samples as node stacks, decoded once for all the passes of a report. */
static const struct stacks *report_stacks(struct report *r)
{
	if (!r->have_stacks) {
		bool with_labels = r->format == FORMAT_DOT;
		if (with_labels)
			label_sets_init(&r->label_sets, r->prof);
		stacks_build(&r->stacks, &r->view, &r->nodes, with_labels ? &r->label_sets : NULL);
		r->have_stacks = true;
	}
	return &r->stacks;
}

static void build_graph(struct report *r, struct graph *g, const uint8_t *kept, bool edges)
{
	struct graph_options o = { kept, r->edges_of, edges, r->cfg.drop_negative };
	graph_build(g, &r->nodes, report_stacks(r), &o);
}

/*
 * A graph straight from the view's samples, without node stacks: for
 * reports that pass over the samples at most twice, decoding them again
 * costs less than keeping them decoded.
 */
static void view_graph(struct report *r, struct graph *g, const uint8_t *kept, bool edges)
{
	struct graph_options o = { kept, r->edges_of, edges, r->cfg.drop_negative };
	graph_build_once(g, &r->nodes, &r->view, &o);
}

/* Keeps only the kept nodes in the graph's node list, in order. */
static void keep_nodes(struct graph *g, const uint8_t *kept)
{
	size_t n = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		if (kept[g->nodes[i]])
			g->nodes[n++] = g->nodes[i];
	g->nnodes = n;
}

struct cutoffs {
	int64_t node, edge;
};

static struct cutoffs graph_cutoffs(const struct graph *g, const struct config *c)
{
	int64_t total = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		total = add64(total, g->flat[g->nodes[i]]);
	struct cutoffs cut = { abs64(to_int64((double)total * c->nodefraction)),
			       abs64(to_int64((double)total * c->edgefraction)) };
	return cut;
}

/* A numeric tag's name: pprof formats it in the report's configured unit. */
static void format_tag(struct strbuf *sb, int64_t value, const char *unit, const void *arg)
{
	format_scaled(sb, value, unit, (const char *)arg);
}

/* The tags of the wanted nodes of a graph layout. */
static void collect_tags(struct report *r, struct trimmed_graph *t, const uint8_t *wanted)
{
	node_tags_collect(&t->tags, &r->stacks, wanted, r->nodes.count);
	node_tags_finish(&t->tags, r->nodes.count, label_unit(&r->scan->units, "bytes"), format_tag, r->cfg.unit);
}

/* The nodes' nodelet counts for choosing the top nodes of a layout, or NULL. */
static uint32_t *nodelet_counts(const struct trimmed_graph *t)
{
	return t->has_tags ? node_tags_counts(&t->tags) : NULL;
}

/* The first n nodes of the graph's order, as a byte per node id. */
static uint8_t *first_nodes(const struct graph *g, size_t n)
{
	return graph_top_nodes(g, (int)n, NULL);
}

/*
 * pprof's newTrimmedGraph, step by step: every refinement rebuilds the
 * graph from the samples, so that residual edges bridge dropped nodes.
 * Graph layouts (DOT) choose nodes by edge entropy and need each step.
 * Node values never change between rebuilds, and neither do the tags of
 * a node, so those are collected once, for the candidates.
 */
static void trim_stepwise(struct report *r, struct trimmed_graph *t, enum node_order order)
{
	const struct config *c = &r->cfg;
	build_graph(r, &t->g, NULL, false);
	struct cutoffs cut = graph_cutoffs(&t->g, c);
	uint8_t *kept = NULL;
	if (cut.node > 0) {
		size_t before = t->g.nnodes;
		kept = graph_nodes_above(&t->g, cut.node);
		t->dropped_nodes = (int)(before - count_kept(&t->g, kept));
		if (t->dropped_nodes == 0) {
			free(kept);
			kept = NULL;
		}
	}
	graph_free(&t->g);
	build_graph(r, &t->g, kept, true);
	free(kept);
	t->orig_count = t->g.nnodes;
	graph_sort(&t->g, order);
	t->has_tags = r->label_sets.any;
	if (t->has_tags) {
		/* only the first nodecount nodes can be chosen */
		size_t n = c->nodecount > 0 ? (size_t)c->nodecount : t->g.nnodes;
		uint8_t *wanted = first_nodes(&t->g, n);
		collect_tags(r, t, wanted);
		free(wanted);
		node_tags_trim(&t->tags, cut.node);
	}
	if (c->nodecount > 0) {
		graph_trim_edges(&t->g, cut.edge);
		uint32_t *nodelets = nodelet_counts(t);
		kept = graph_top_nodes(&t->g, c->nodecount, nodelets);
		free(nodelets);
		if (count_kept(&t->g, kept) != t->g.nnodes) {
			graph_free(&t->g);
			build_graph(r, &t->g, kept, true);
			graph_sort(&t->g, order);
		}
		free(kept);
	}
	t->dropped_edges = graph_trim_edges(&t->g, cut.edge);
	graph_remove_redundant_edges(&t->g);
}

/*
 * Whether a report reads the edges of its trimmed graph: top lists nodes
 * and marks one inlined only by its in-edges, which are never inlined
 * where no location has inlined lines; -topproto keeps nodes alone.
 */
static bool reads_edges(const struct report *r)
{
	if (r->format == FORMAT_TOPPROTO)
		return false;
	return r->format != FORMAT_TEXT || r->nodes.max_loc_nodes > 1;
}

/*
 * The same result in two passes where nodes are chosen by their values
 * alone: node values do not change when a graph is rebuilt with fewer
 * nodes, so the first pass (values only) decides the final nodes and the
 * second aggregates just their edges.  Without any trimming, or without
 * edges to read, one pass does.
 */
static void trim_by_values(struct report *r, struct trimmed_graph *t, enum node_order order)
{
	const struct config *c = &r->cfg;
	uint8_t *kept = NULL;
	bool edges = reads_edges(r);
	bool untrimmed = c->nodefraction == 0 && c->nodecount <= 0;
	struct cutoffs cut = { 0, 0 };
	if (!untrimmed) {
		view_graph(r, &t->g, NULL, false);
		size_t all = t->g.nnodes;
		cut = graph_cutoffs(&t->g, c);
		if (cut.node > 0) {
			kept = graph_nodes_above(&t->g, cut.node);
			keep_nodes(&t->g, kept);
			free(kept);
			t->dropped_nodes = (int)(all - t->g.nnodes);
		}
		t->orig_count = t->g.nnodes;
		graph_sort(&t->g, order);
		if (c->nodecount > 0 && (size_t)c->nodecount < t->g.nnodes)
			t->g.nnodes = (size_t)c->nodecount;
		if (!edges)
			return;		/* the nodes chosen, in order, with their values */
		kept = t->g.nnodes < all ? first_nodes(&t->g, t->g.nnodes) : NULL;
		graph_free(&t->g);
	}
	view_graph(r, &t->g, kept, edges);
	if (untrimmed) {
		cut = graph_cutoffs(&t->g, c);
		t->orig_count = t->g.nnodes;
	}
	free(kept);
	graph_sort(&t->g, order);
	t->dropped_edges = graph_trim_edges(&t->g, cut.edge);
}

/*
 * newTrimmedGraph for -call_tree: the same steps on pprof's call tree,
 * trimmed in place (a tree cannot be rebuilt from the samples with fewer
 * nodes without losing the contexts).
 */
static void trim_tree(struct report *r, struct trimmed_graph *t, enum node_order order)
{
	const struct config *c = &r->cfg;
	bool visual = r->format == FORMAT_DOT;
	const struct stacks *st = report_stacks(r);
	t->is_tree = true;
	call_tree_build(&t->tree, &t->g, &r->nodes, st, c->drop_negative);
	struct cutoffs cut = graph_cutoffs(&t->g, c);
	if (cut.node > 0) {
		uint8_t *kept = graph_nodes_above(&t->g, cut.node);
		size_t n = count_kept(&t->g, kept);
		if (n != t->g.nnodes) {
			t->dropped_nodes = (int)(t->g.nnodes - n);
			call_tree_trim(&t->g, kept);
		}
		free(kept);
	}
	t->orig_count = t->g.nnodes;
	graph_sort(&t->g, order);
	t->has_tags = visual && r->label_sets.any;
	if (t->has_tags) {
		/* as for graphs: only the first nodecount nodes can be chosen */
		size_t n = c->nodecount > 0 ? (size_t)c->nodecount : t->g.nnodes;
		uint8_t *wanted = first_nodes(&t->g, n);
		call_tree_collect_tags(&t->tree, st, wanted, &t->tags);
		free(wanted);
		node_tags_finish(&t->tags, t->tree.ns.count, label_unit(&r->scan->units, "bytes"), format_tag,
				 r->cfg.unit);
		node_tags_trim(&t->tags, cut.node);
	}
	if (c->nodecount > 0) {
		graph_trim_edges(&t->g, cut.edge);
		uint32_t *nodelets = nodelet_counts(t);
		uint8_t *kept = graph_top_nodes(&t->g, c->nodecount, nodelets);
		free(nodelets);
		if (count_kept(&t->g, kept) != t->g.nnodes) {
			call_tree_trim(&t->g, kept);
			graph_sort(&t->g, order);
		}
		free(kept);
	}
	t->dropped_edges = graph_trim_edges(&t->g, cut.edge);
	if (visual)
		graph_remove_redundant_edges(&t->g);
}

void report_trimmed_graph(struct report *r, struct trimmed_graph *t)
{
	bool visual = r->format == FORMAT_DOT;
	enum node_order order = visual ? ORDER_ENTROPY : !strcmp(r->cfg.sort, "cum") ? ORDER_CUM_NAME : ORDER_FLAT_NAME;
	memset(t, 0, sizeof(*t));
	/* -call_tree is honored by graph layouts and callgrind only */
	if (visual)
		node_tags_init(&t->tags, &r->label_sets);
	if (r->cfg.call_tree && (visual || r->format == FORMAT_CALLGRIND))
		trim_tree(r, t, order);
	else if (visual)
		trim_stepwise(r, t, order);
	else
		trim_by_values(r, t, order);
}

void trimmed_graph_free(struct trimmed_graph *t)
{
	graph_free(&t->g);
	if (t->is_tree)
		call_tree_free(&t->tree);
	node_tags_free(&t->tags);
	memset(t, 0, sizeof(*t));
}

void report_select_unit(struct report *r, const struct graph *g)
{
	if (strcmp(r->cfg.unit, "minimum") || g->nnodes == 0)
		return;
	int64_t min_value = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		int64_t v = abs64(graph_flat_value(g, g->nodes[i]));
		if (v == 0)
			v = abs64(graph_cum_value(g, g->nodes[i]));
		if (v > 0 && (min_value == 0 || v < min_value))
			min_value = v;
	}
	int64_t max_value = r->total;
	if (min_value == 0)
		min_value = max_value;
	if (r->ratio > 0 && r->ratio != 1) {
		min_value = to_int64((double)min_value * r->ratio);
		max_value = to_int64((double)max_value * r->ratio);
	}
	const char *min_unit = unit_of(min_value, r->sample_unit, "minimum");
	const char *max_unit = unit_of(max_value, r->sample_unit, "minimum");
	const char *unit = min_unit;
	if (strcmp(min_unit, max_unit) && mul64(min_value, 100) < max_value && r->format != FORMAT_CALLGRIND)
		unit = unit_of(mul64(100, min_value), r->sample_unit, "minimum");
	snprintf(r->output_unit, sizeof(r->output_unit), "%s", *unit ? unit : r->sample_unit);
}

void report_value_or_dot(const struct report *r, struct strbuf *sb, int64_t v)
{
	struct strbuf field = STRBUF_INIT;
	if (v == 0)
		strbuf_addch(&field, '.');
	else
		report_format_value(r, &field, v);
	strbuf_addf(sb, "%10s", field.buf);
	strbuf_release(&field);
}

void report_routine_totals(const struct report *r, struct strbuf *out, int64_t flat, int64_t cum)
{
	struct strbuf f = STRBUF_INIT, c = STRBUF_INIT;
	report_format_value(r, &f, flat);
	report_format_value(r, &c, cum);
	strbuf_addf(out, "%10s %10s (flat, cum) ", f.buf, c.buf);
	format_percentage(out, cum, r->total);
	strbuf_addstr(out, " of Total\n");
	strbuf_release(&f);
	strbuf_release(&c);
}

void report_format_value(const struct report *r, struct strbuf *sb, int64_t v)
{
	if (r->ratio > 0 && r->ratio != 1)
		v = to_int64((double)v * r->ratio);
	format_scaled(sb, v, r->sample_unit, r->output_unit);
}

/* Go's time layout "Jan 2, 2006 at 3:04pm (MST)" in the local time zone. */
static void format_time(struct strbuf *sb, int64_t nanos)
{
	time_t secs = (time_t)(nanos / 1000000000);
	if (nanos < 0 && nanos % 1000000000)
		secs--;
	struct tm tm;
	localtime_r(&secs, &tm);
	char month[8], zone[16];
	strftime(month, sizeof(month), "%b", &tm);
	strftime(zone, sizeof(zone), "%Z", &tm);
	int hour = tm.tm_hour % 12;
	strbuf_addf(sb, "%s %d, %d at %d:%02d%s (%s)", month, tm.tm_mday, tm.tm_year + 1900,
		    hour ? hour : 12, tm.tm_min, tm.tm_hour >= 12 ? "pm" : "am", zone);
}

void report_profile_labels(const struct report *r, struct strbuf *sb)
{
	const struct profile *p = r->prof;
	if (p->nmappings > 0) {
		if (*p->mappings[0].file)
			strbuf_addf(sb, "File: %s\n", path_base(p->mappings[0].file));
		if (*p->mappings[0].build_id)
			strbuf_addf(sb, "Build ID: %s\n", p->mappings[0].build_id);
	}
	for (size_t i = 0; i < p->ncomments; i++)
		if (p->comments[i][0] != '#')
			strbuf_addf(sb, "%s\n", p->comments[i]);
	if (*r->type_label)
		strbuf_addf(sb, "Type: %s\n", r->type_label);
	if (p->time_nanos != 0) {
		strbuf_addstr(sb, "Time: ");
		format_time(sb, p->time_nanos);
		strbuf_addch(sb, '\n');
	}
	if (p->duration_nanos != 0) {
		strbuf_addstr(sb, "Duration: ");
		format_scaled(sb, p->duration_nanos, "nanoseconds", "auto");
		strbuf_addstr(sb, ", Total samples = ");
		report_format_value(r, sb, r->total);
		strbuf_addch(sb, ' ');
		const char *unit;
		double total_ns = unit_scale(r->total, r->sample_unit, "nanoseconds", &unit);
		if (!strcmp(unit, "ns") && total_ns != 0) {
			strbuf_addch(sb, '(');
			format_percentage(sb, (int64_t)total_ns, p->duration_nanos);
			strbuf_addch(sb, ')');
		}
		strbuf_addch(sb, '\n');
	}
}

/* pprof's legendActiveFilters: "Active filters:" and each filter, cut at 80 bytes. */
static void active_filters(const struct config *c, struct strbuf *sb)
{
	const char *names[] = { "focus", "ignore", "hide", "show", "show_from",
				"tagfocus", "tagignore", "tagshow", "taghide" };
	const char *values[] = { c->focus, c->ignore, c->hide, c->show, c->show_from,
				 c->tagfocus, c->tagignore, c->tagshow, c->taghide };
	bool any = false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!values[i] || !*values[i])
			continue;
		if (!any)
			strbuf_addstr(sb, "Active filters:\n");
		any = true;
		struct strbuf f = STRBUF_INIT;
		strbuf_addf(&f, "%s=%s", names[i], values[i]);
		if (f.len > 80)
			strbuf_addf(sb, "   %.80s\xe2\x80\xa6\n", f.buf);
		else
			strbuf_addf(sb, "   %s\n", f.buf);
		strbuf_release(&f);
	}
}

static void dropped_label(struct strbuf *sb, int count, const char *what, const char *measure,
			  const struct report *r, double fraction)
{
	strbuf_addf(sb, "Dropped %d %s%s (%s <= ", count, what, count > 1 ? "s" : "", measure);
	report_format_value(r, sb, abs64(to_int64((double)r->total * fraction)));
	strbuf_addstr(sb, ")\n");
}

void report_labels(const struct report *r, const struct trimmed_graph *t, bool full_headers, struct strbuf *sb)
{
	const struct graph *g = &t->g;
	if (full_headers || !r->cfg.compact_labels)
		report_profile_labels(r, sb);
	active_filters(&r->cfg, sb);
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		flat_sum = add64(flat_sum, graph_flat_value(g, g->nodes[i]));
	struct strbuf pct = STRBUF_INIT;
	format_percentage(&pct, flat_sum, r->total);
	const char *p = pct.buf;
	while (*p == ' ')
		p++;
	strbuf_addstr(sb, "Showing nodes accounting for ");
	report_format_value(r, sb, flat_sum);
	strbuf_addf(sb, ", %s of ", p);
	report_format_value(r, sb, r->total);
	strbuf_addstr(sb, " total\n");
	strbuf_release(&pct);
	if (r->total != 0) {
		if (t->dropped_nodes > 0)
			dropped_label(sb, t->dropped_nodes, "node", "cum", r, r->cfg.nodefraction);
		/* only graphs, which print full headers, count dropped edges */
		if (full_headers && t->dropped_edges > 0)
			dropped_label(sb, t->dropped_edges, "edge", "freq", r, r->cfg.edgefraction);
		if (g->nnodes > 0 && g->nnodes < t->orig_count)
			strbuf_addf(sb, "Showing top %zu nodes out of %zu\n", g->nnodes, t->orig_count);
	}
	if (full_headers)
		strbuf_addstr(sb, "\nSee https://git.io/JfYMW for how to read the graph\n");
}

const char *report_file_suffix(const char *command)
{
	const struct report_command *rc = find_report(command);
	return rc ? rc->file_suffix : NULL;
}

int report_run(struct report *r, struct strbuf *out, struct error *e)
{
	return find_report(r->command)->generate(r, out, e);
}

int report_encode_profile(const struct profile *prof, struct strbuf *out, struct error *e)
{
	struct config defaults;
	config_init_default(&defaults);
	int rc = report_generate(prof, &defaults, "proto", NULL, out, e);
	config_free(&defaults);
	return rc;
}

int report_generate(const struct profile *prof, const struct config *cfg, const char *command,
		    const char *command_arg, struct strbuf *out, struct error *e)
{
	struct report r;
	int rc = report_init(&r, prof, cfg, command, command_arg, NULL, e);
	if (rc == 0)
		rc = report_run(&r, out, e);
	report_free(&r);
	return rc;
}
