/*
 * top.c - the `top` and `text` reports: the heaviest nodes, one a line,
 * with flat, cumulative and running-sum percentages.
 */
#include "report/format.h"
#include "report/report.h"
#include "util/int64.h"

/* " (inline)" when every call into the node was inlined, " (partial-inline)" when some were. */
static const char *inline_label(const struct graph *g, uint32_t n)
{
	bool is_inline = false, not_inline = false;
	for (uint32_t k = 0; k < g->in_count[n]; k++) {
		if (g->edges[g->in_edges[g->in_first[n] + k]].is_inline)
			is_inline = true;
		else
			not_inline = true;
	}
	if (!is_inline)
		return "";
	return not_inline ? " (partial-inline)" : " (inline)";
}

void report_top_rows(struct report *r, struct strbuf *labels, top_row_fn *fn, void *arg)
{
	struct trimmed_graph t;
	report_trimmed_graph(r, &t);
	const struct graph *g = &t.g;
	report_select_unit(r, g);
	report_labels(r, &t, false, labels);

	struct top_row row = { 0, 0, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, "" };
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		uint32_t n = g->nodes[i];
		int64_t fv = graph_flat_value(g, n), cv = graph_cum_value(g, n);
		flat_sum = add64(flat_sum, fv);
		struct strbuf *fields[] = { &row.flat, &row.flat_pct, &row.sum_pct, &row.cum, &row.cum_pct, &row.name };
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
			strbuf_reset(fields[f]);
		row.flat_value = fv;
		row.cum_value = cv;
		report_format_value(r, &row.flat, fv);
		format_percentage(&row.flat_pct, fv, r->total);
		format_percentage(&row.sum_pct, flat_sum, r->total);
		report_format_value(r, &row.cum, cv);
		format_percentage(&row.cum_pct, cv, r->total);
		strbuf_addstr(&row.name, node_printable(g->ns, n));
		row.inlined = inline_label(g, n);
		fn(&row, arg);
	}
	strbuf_release(&row.flat);
	strbuf_release(&row.flat_pct);
	strbuf_release(&row.sum_pct);
	strbuf_release(&row.cum);
	strbuf_release(&row.cum_pct);
	strbuf_release(&row.name);
	trimmed_graph_free(&t);
}

/* A row as pprof's text report prints it. */
static void print_row(const struct top_row *row, void *arg)
{
	struct strbuf *out = arg;
	strbuf_add_right(out, row->flat.buf, row->flat.len, 10);
	strbuf_addf(out, " %s %s ", row->flat_pct.buf, row->sum_pct.buf);
	strbuf_add_right(out, row->cum.buf, row->cum.len, 10);
	strbuf_addf(out, " %s  %s%s\n", row->cum_pct.buf, row->name.buf, row->inlined);
}

int report_top(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	struct strbuf rows = STRBUF_INIT;
	report_top_rows(r, out, print_row, &rows);
	strbuf_addf(out, "%10s %5s%% %5s%% %10s %5s%%\n", "flat", "flat", "sum", "cum", "cum");
	strbuf_add(out, rows.buf, rows.len);
	strbuf_release(&rows);
	return 0;
}
