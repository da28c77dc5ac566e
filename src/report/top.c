/*
 * top.c - the `top` and `text` reports: the heaviest nodes, one a line,
 * with flat, cumulative and running-sum percentages.
 */
#include "report/format.h"
#include "report/report.h"

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

static void add_padded(struct strbuf *sb, const struct strbuf *field, size_t width)
{
	if (field->len < width)
		strbuf_addchars(sb, ' ', width - field->len);
	strbuf_add(sb, field->buf, field->len);
}

int report_top(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	struct trimmed_graph t;
	report_trimmed_graph(r, &t);
	const struct graph *g = &t.g;
	report_select_unit(r, g);
	report_labels(r, &t, false, out);
	strbuf_addf(out, "%10s %5s%% %5s%% %10s %5s%%\n", "flat", "flat", "sum", "cum", "cum");

	struct strbuf flat = STRBUF_INIT, cum = STRBUF_INIT;
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		uint32_t n = g->nodes[i];
		int64_t fv = graph_flat_value(g, n), cv = graph_cum_value(g, n);
		flat_sum += fv;
		strbuf_reset(&flat);
		strbuf_reset(&cum);
		report_format_value(r, &flat, fv);
		report_format_value(r, &cum, cv);
		add_padded(out, &flat, 10);
		strbuf_addch(out, ' ');
		format_percentage(out, fv, r->total);
		strbuf_addch(out, ' ');
		format_percentage(out, flat_sum, r->total);
		strbuf_addch(out, ' ');
		add_padded(out, &cum, 10);
		strbuf_addch(out, ' ');
		format_percentage(out, cv, r->total);
		strbuf_addf(out, "  %s%s\n", node_printable(g->ns, n), inline_label(g, n));
	}
	strbuf_release(&flat);
	strbuf_release(&cum);
	trimmed_graph_free(&t);
	return 0;
}
