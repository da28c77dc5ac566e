/*
 * list.c - the `list` report: the source of every function matching a
 * regexp, each line annotated with the flat and cumulative values of the
 * samples attributed to it (pprof's printSource).
 */
#include "report/listing.h"

struct list {
	const struct report *r;
	struct source_reader rd;
	struct strbuf *out;
};

static void print_lines(const struct list *l, const struct graph *g, const struct node_group *fns,
			const struct source_file *sf)
{
	int64_t start, end;
	listing_range(g, fns, &start, &end);
	for (int64_t line = start; line <= end && line <= (int64_t)sf->count; line++) {
		int64_t flat, cum;
		listing_line_values(g, fns, line, &flat, &cum);
		report_value_or_dot(l->r, l->out, flat);
		strbuf_addch(l->out, ' ');
		report_value_or_dot(l->r, l->out, cum);
		strbuf_addf(l->out, " %6lld:%s\n", (long long)line, sf->lines[line]);
	}
}

/* A ROUTINE per function and source file. */
static void print_group(const struct graph *g, const struct node_group *fns, void *arg)
{
	struct list *l = arg;
	const struct node_info *first = &g->ns->info[fns->nodes[0]];
	if (!*first->file) {
		strbuf_addf(l->out, "No source information for %s\n", first->name);
		return;
	}
	int64_t flat, cum;
	listing_totals(g, fns, &flat, &cum);
	const struct source_file *sf = source_get(&l->rd, first->file);
	strbuf_addf(l->out, "ROUTINE ======================== %s in %s\n", first->name, first->file);
	report_routine_totals(l->r, l->out, flat, cum);
	if (sf->error)
		strbuf_addf(l->out, " Error: %s\n", sf->error);
	else
		print_lines(l, g, fns, sf);
}

int report_list(struct report *r, struct strbuf *out, struct error *e)
{
	struct strbuf body = STRBUF_INIT;
	struct list l = { r, { 0 }, &body };
	source_reader_init(&l.rd, r);
	int rc = listing_groups(r, print_group, &l, e);
	if (rc == 0) {
		strbuf_addstr(out, "Total: ");
		report_format_value(r, out, r->total);
		strbuf_addch(out, '\n');
		strbuf_add(out, body.buf, body.len);
	}
	strbuf_release(&body);
	source_reader_free(&l.rd);
	return rc;
}
