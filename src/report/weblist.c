/*
 * weblist.c - the `weblist` report: list's annotated source as an HTML
 * page, where a click on a line with samples shows the instructions
 * sampled on it, each with its address, values and disassembly (from
 * the binary, when it can be read).  The web UI's source view shows the
 * same listing inside its own page.
 */
#include <stdlib.h>
#include <string.h>

#include "report/instructions.h"
#include "report/listing.h"

const char weblist_style[] =
	".weblist { padding: 0 10px; }\n"
	".weblist pre { margin: 0 0 16px 0; }\n"
	".weblist h2 { font-size: 15px; margin: 16px 0 2px 0; }\n"
	".weblist .filename { margin: 0 0 6px 0; color: #555; }\n"
	".weblist .live { cursor: pointer; background: #f3f3ff; }\n"
	".weblist .live:hover { background: #e0e0ff; }\n"
	".weblist .asm { display: none; color: #4a4a80; background: #fafaf0; }\n"
	".weblist .asm.shown { display: inline; }\n";

const char weblist_script[] =
	"document.addEventListener(\"click\", function (evt) {\n"
	"\tvar line = evt.target.closest && evt.target.closest(\".weblist .live\");\n"
	"\tvar asm = line && line.nextElementSibling;\n"
	"\tif (asm && asm.classList.contains(\"asm\"))\n"
	"\t\tasm.classList.toggle(\"shown\");\n"
	"});\n";

struct weblist {
	const struct report *r;
	struct source_reader rd;
	struct instruction_reader ir;
	struct strbuf *out;
};

static const struct graph *sort_graph;

/* By line, then address: the order instructions stand under their lines. */
static int by_line(const void *a, const void *b)
{
	const struct node_info *l = &sort_graph->ns->info[*(const uint32_t *)a];
	const struct node_info *r = &sort_graph->ns->info[*(const uint32_t *)b];
	if (l->lineno != r->lineno)
		return l->lineno < r->lineno ? -1 : 1;
	if (l->address != r->address)
		return l->address < r->address ? -1 : 1;
	return (*(const uint32_t *)a > *(const uint32_t *)b) - (*(const uint32_t *)a < *(const uint32_t *)b);
}

/* One instruction row: the instruction holding one or more sampled addresses. */
static void add_instruction(struct weblist *w, uint64_t address, const char *text, int64_t flat, int64_t cum)
{
	report_value_or_dot(w->r, w->out, flat);
	strbuf_addch(w->out, ' ');
	report_value_or_dot(w->r, w->out, cum);
	strbuf_addf(w->out, " %14llx: ", (unsigned long long)address);
	strbuf_add_xml(w->out, text);
	strbuf_addch(w->out, '\n');
}

/*
 * The instructions sampled on one line (nodes[*at...] while their line
 * is this one, by address); addresses within one instruction (a return
 * address and the call before it) add up on its row.
 */
static void add_instructions(struct weblist *w, const struct graph *g, const uint32_t *nodes, size_t n, size_t *at,
			     int64_t line)
{
	const struct node_info *info = g->ns->info;
	char text[192], row_text[192] = "";
	uint64_t row = 0;
	int64_t flat = 0, cum = 0;
	bool open = false;
	strbuf_addstr(w->out, "<span class=\"asm\">");
	for (; *at < n && info[nodes[*at]].lineno == line; (*at)++) {
		uint32_t node = nodes[*at];
		uint64_t start = info[node].address;
		if (!instruction_at(&w->ir, info[node].objfile, start, &start, text, sizeof(text)))
			text[0] = '\0';
		if (open && start != row)
			add_instruction(w, row, row_text, flat, cum);
		if (!open || start != row) {
			row = start;
			memcpy(row_text, text, sizeof(text));
			flat = cum = 0;
			open = true;
		}
		flat += g->flat[node];
		cum += g->cum[node];
	}
	if (open)
		add_instruction(w, row, row_text, flat, cum);
	strbuf_addstr(w->out, "</span>");
}

static void add_lines(struct weblist *w, const struct graph *g, const struct node_group *fns,
		      const struct source_file *sf)
{
	uint32_t *nodes = xmalloc((fns->count + 1) * sizeof(uint32_t));
	memcpy(nodes, fns->nodes, fns->count * sizeof(uint32_t));
	sort_graph = g;
	qsort(nodes, fns->count, sizeof(uint32_t), by_line);
	int64_t start, end;
	listing_range(g, fns, &start, &end);
	size_t at = 0;
	for (int64_t line = start; line <= end && line <= (int64_t)sf->count; line++) {
		while (at < fns->count && g->ns->info[nodes[at]].lineno < line)
			at++;
		bool live = at < fns->count && g->ns->info[nodes[at]].lineno == line;
		int64_t flat, cum;
		listing_line_values(g, fns, line, &flat, &cum);
		strbuf_addstr(w->out, live ? "<span class=\"live\">" : "<span>");
		report_value_or_dot(w->r, w->out, flat);
		strbuf_addch(w->out, ' ');
		report_value_or_dot(w->r, w->out, cum);
		strbuf_addf(w->out, " %6lld:", (long long)line);
		strbuf_add_xml(w->out, sf->lines[line]);
		strbuf_addstr(w->out, "\n</span>");
		if (live)
			add_instructions(w, g, nodes, fns->count, &at, line);
	}
	free(nodes);
}

/* A function in one source file: its name, file, totals and lines. */
static void add_group(const struct graph *g, const struct node_group *fns, void *arg)
{
	struct weblist *w = arg;
	const struct node_info *first = &g->ns->info[fns->nodes[0]];
	strbuf_addstr(w->out, "<h2>");
	strbuf_add_xml(w->out, first->name);
	strbuf_addstr(w->out, "</h2>\n");
	if (!*first->file) {
		strbuf_addstr(w->out, "<p class=\"filename\">No source information</p>\n");
		return;
	}
	strbuf_addstr(w->out, "<p class=\"filename\">");
	strbuf_add_xml(w->out, first->file);
	strbuf_addstr(w->out, "</p>\n<pre>");
	int64_t flat, cum;
	listing_totals(g, fns, &flat, &cum);
	struct strbuf totals = STRBUF_INIT;
	report_routine_totals(w->r, &totals, flat, cum);
	strbuf_add_xml(w->out, totals.buf);
	strbuf_release(&totals);
	const struct source_file *sf = source_get(&w->rd, first->file);
	if (sf->error) {
		strbuf_addstr(w->out, " Error: ");
		strbuf_add_xml(w->out, sf->error);
		strbuf_addch(w->out, '\n');
	} else {
		add_lines(w, g, fns, sf);
	}
	strbuf_addstr(w->out, "</pre>\n");
}

int report_weblist_body(struct report *r, struct strbuf *out, struct error *e)
{
	struct strbuf body = STRBUF_INIT;
	struct weblist w = { r, { 0 }, { 0 }, &body };
	source_reader_init(&w.rd, r);
	instruction_reader_init(&w.ir, r);
	int rc = listing_groups(r, add_group, &w, e);
	if (rc == 0) {
		strbuf_addstr(out, "<div class=\"weblist\">\n<p>Total: ");
		report_format_value(r, out, r->total);
		strbuf_addstr(out, "</p>\n");
		strbuf_add(out, body.buf, body.len);
		strbuf_addstr(out, "</div>\n");
	}
	strbuf_release(&body);
	instruction_reader_free(&w.ir);
	source_reader_free(&w.rd);
	return rc;
}

int report_weblist(struct report *r, struct strbuf *out, struct error *e)
{
	struct strbuf body = STRBUF_INIT, labels = STRBUF_INIT;
	int rc = report_weblist_body(r, &body, e);
	if (rc == 0) {
		report_profile_labels(r, &labels);
		strbuf_addstr(out, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>");
		strbuf_add_xml(out, r->command_arg ? r->command_arg : "");
		strbuf_addf(out, "</title>\n<style>\nbody { font-family: \"DejaVu Sans\", Verdana, sans-serif; }\n"
				 "pre { font-family: \"DejaVu Sans Mono\", monospace; }\n%s</style>\n</head>\n<body>\n<pre>",
			    weblist_style);
		strbuf_add_xml(out, labels.buf);
		strbuf_addstr(out, "</pre>\n");
		strbuf_add(out, body.buf, body.len);
		strbuf_addf(out, "<script>\n%s</script>\n</body>\n</html>\n", weblist_script);
	}
	strbuf_release(&labels);
	strbuf_release(&body);
	return rc;
}
