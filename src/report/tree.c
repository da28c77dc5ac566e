/*
 * tree.c - the `tree` and `peek` reports: every node (or those whose name
 * matches peek's regexp) with its callers above and its callees below,
 * each edge's weight and its share of the node's cumulative value.
 */
#include <stdlib.h>

#include "filter/regexp.h"
#include "report/format.h"
#include "report/report.h"

static const char separator[] = "----------------------------------------------------------+-------------\n";

/* A caller or callee line: weight, share of the node's cum, name. */
static void print_edge(struct report *r, const struct edge *e, uint32_t other, int64_t cum, struct strbuf *out,
		       struct strbuf *field)
{
	const struct node_set *ns = &r->nodes;
	strbuf_reset(field);
	report_format_value(r, field, e->weight);
	strbuf_add_right(out, field->buf, field->len, 50);
	strbuf_addch(out, ' ');
	format_percentage(out, e->weight, cum);
	strbuf_addf(out, " |   %s%s\n", node_printable(ns, other), e->is_inline ? " (inline)" : "");
}

static void print_node(struct report *r, const struct graph *g, uint32_t n, int64_t flat_sum, struct strbuf *out,
		       struct strbuf *field)
{
	int64_t flat = graph_flat_value(g, n), cum = graph_cum_value(g, n);
	strbuf_reset(field);
	report_format_value(r, field, flat);
	strbuf_add_right(out, field->buf, field->len, 10);
	strbuf_addch(out, ' ');
	format_percentage(out, flat, r->total);
	strbuf_addch(out, ' ');
	format_percentage(out, flat_sum, r->total);
	strbuf_addch(out, ' ');
	strbuf_reset(field);
	report_format_value(r, field, cum);
	strbuf_add_right(out, field->buf, field->len, 10);
	strbuf_addch(out, ' ');
	format_percentage(out, cum, r->total);
	strbuf_addf(out, "                | %s\n", node_printable(g->ns, n));
}

/* pprof's printTree; with match, only the nodes it marks. Returns how many were printed. */
static size_t print_tree(struct report *r, const uint8_t *match, struct strbuf *out)
{
	struct trimmed_graph t;
	report_trimmed_graph(r, &t);
	const struct graph *g = &t.g;
	report_select_unit(r, g);
	report_labels(r, &t, false, out);
	strbuf_addstr(out, separator);
	strbuf_addstr(out, "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t \n");

	uint32_t *edges = xmalloc((g->nedges + 1) * sizeof(uint32_t));
	struct strbuf field = STRBUF_INIT;
	int64_t flat_sum = 0;
	size_t matched = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		uint32_t n = g->nodes[i];
		if (match && !match[n])
			continue;
		matched++;
		int64_t cum = graph_cum_value(g, n);
		strbuf_addstr(out, separator);
		size_t nin = graph_sorted_in(g, n, edges);
		for (size_t k = 0; k < nin; k++)
			print_edge(r, &g->edges[edges[k]], g->edges[edges[k]].src, cum, out, &field);
		flat_sum += graph_flat_value(g, n);
		print_node(r, g, n, flat_sum, out, &field);
		size_t nout = graph_sorted_out(g, n, edges);
		for (size_t k = 0; k < nout; k++)
			print_edge(r, &g->edges[edges[k]], g->edges[edges[k]].dst, cum, out, &field);
	}
	if (g->nnodes > 0)
		strbuf_addstr(out, separator);
	strbuf_release(&field);
	free(edges);
	trimmed_graph_free(&t);
	return matched;
}

int report_tree(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	print_tree(r, NULL, out);
	return 0;
}

/* Marks the nodes whose printable name the regexp matches. */
static uint8_t *matching_nodes(const struct node_set *ns, const struct regex *re)
{
	uint8_t *match = xcalloc(ns->count + 1, 1);
	for (uint32_t n = 0; n < ns->count; n++)
		match[n] = regex_match(re, node_printable(ns, n));
	return match;
}

int report_peek(struct report *r, struct strbuf *out, struct error *e)
{
	const char *arg = r->command_arg ? r->command_arg : "";
	struct regex *re = regex_compile(arg, e);
	if (!re)
		return error_prefix(e, "parsing argument regexp %s: ", arg);
	uint8_t *match = matching_nodes(&r->nodes, re);
	regex_free(re);
	/* only the matching nodes' callers and callees are printed: aggregate no other edges */
	r->edges_of = match;
	size_t matched = print_tree(r, match, out);
	r->edges_of = NULL;
	free(match);
	if (matched == 0)
		return error_set(e, "no matches found for regexp: %s", arg);
	return 0;
}
