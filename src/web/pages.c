#include "web/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/url.h"
#include "render/gvc.h"
#include "render/svg.h"
#include "report/report.h"
#include "util/arena.h"
#include "web/assets.h"
#include "web/query.h"

/* One page being made: the request's parameters and the settings they give. */
struct page {
	const struct web_ui *ui;
	struct arena arena;
	struct url_values query;
	struct config cfg;
	struct strbuf legend;	/* a graph's legend or the profile's header lines: title, details box */
	struct strbuf notes;	/* the report's notes and warnings, shown above it */
};

static void respond_text(struct web_response *resp, unsigned status, const char *text)
{
	resp->status = status;
	resp->content_type = "text/plain; charset=utf-8";
	strbuf_addf(&resp->body, "%s\n", text);
}

/* Go's http.Error, which pprof also prints on stderr. */
static void respond_error(struct web_response *resp, unsigned status, const char *why)
{
	fprintf(stderr, "%s\n", why);
	respond_text(resp, status, why);
}

/*
 * Runs command over the profile with the page's settings: print makes
 * the report into out, and the legend gets a graph's legend, or else the
 * profile's header lines.
 */
static int run_report(struct page *pg, const char *command, const char *arg,
		      int (*print)(struct report *r, struct strbuf *out, struct error *e), struct strbuf *out,
		      struct error *e)
{
	struct report r;
	int rc = report_init(&r, pg->ui->prof, &pg->cfg, command, arg, &pg->notes, e);
	r.legend = &pg->legend;
	if (rc == 0)
		rc = print(&r, out, e);
	if (rc == 0 && !pg->legend.len)
		report_profile_labels(&r, &pg->legend);
	report_free(&r);
	return rc;
}

/* Drops what comes before the <svg> element (XML declaration, doctype, comments). */
static void add_svg_element(struct strbuf *out, const struct strbuf *svg)
{
	const char *at = strstr(svg->buf, "<svg");
	at = at ? at : svg->buf;
	strbuf_add(out, at, (size_t)(svg->buf + svg->len - at));
}

static int graph_view(struct page *pg, struct strbuf *body, struct error *e)
{
	struct strbuf dot = STRBUF_INIT, drawn = STRBUF_INIT, svg = STRBUF_INIT;
	int rc = run_report(pg, "svg", NULL, report_run, &dot, e);
	if (rc == 0 && render_dot(dot.buf, dot.len, "svg", &drawn, e) < 0) {
		error_set(e, "Could not execute dot; may need to install graphviz.");
		rc = 501;
	}
	if (rc == 0) {
		svg_massage(drawn.buf, drawn.len, &svg);
		strbuf_addstr(body, "<div id=\"ui-graph\">\n");
		add_svg_element(body, &svg);
		strbuf_addstr(body, "</div>\n");
	}
	strbuf_release(&dot);
	strbuf_release(&drawn);
	strbuf_release(&svg);
	return rc;
}

/* A cell of the top table: its text, and the value it sorts by. */
static void add_cell(struct strbuf *out, const struct strbuf *text, int64_t value)
{
	strbuf_addf(out, "<td data-v=\"%lld\">", (long long)value);
	strbuf_add_xml_len(out, text->buf, text->len);
	strbuf_addstr(out, "</td>");
}

struct top_table {
	struct strbuf *out;
	int64_t rows;
};

static void add_top_row(const struct top_row *row, void *arg)
{
	struct top_table *t = arg;
	struct strbuf *out = t->out;
	strbuf_addstr(out, "<tr data-name=\"");
	strbuf_add_xml_len(out, row->name.buf, row->name.len);
	strbuf_addstr(out, "\">");
	add_cell(out, &row->flat, row->flat_value);
	add_cell(out, &row->flat_pct, row->flat_value);
	add_cell(out, &row->sum_pct, -t->rows++);	/* sorted by it: the table's own order */
	add_cell(out, &row->cum, row->cum_value);
	add_cell(out, &row->cum_pct, row->cum_value);
	strbuf_addstr(out, "<td>");
	strbuf_add_xml_len(out, row->name.buf, row->name.len);
	strbuf_add_xml(out, row->inlined);
	strbuf_addstr(out, "</td></tr>\n");
}

static int top_table(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	struct top_table t = { out, 1 };
	struct strbuf labels = STRBUF_INIT;
	strbuf_addstr(out, "<table id=\"ui-top\"><thead><tr><th>Flat</th><th>Flat%</th><th>Sum%</th>"
			   "<th>Cum</th><th>Cum%</th><th>Name</th></tr></thead>\n<tbody>\n");
	report_top_rows(r, &labels, add_top_row, &t);
	strbuf_addstr(out, "</tbody></table>\n");
	strbuf_release(&labels);
	return 0;
}

static int top_view(struct page *pg, struct strbuf *body, struct error *e)
{
	pg->cfg.nodecount = 500;
	return run_report(pg, "top", NULL, top_table, body, e);
}

static int flame_view(struct page *pg, struct strbuf *body, struct error *e)
{
	struct strbuf svg = STRBUF_INIT;
	int rc = run_report(pg, "flame", NULL, report_run, &svg, e);
	if (rc == 0) {
		strbuf_addstr(body, "<div id=\"ui-flame\">\n");
		add_svg_element(body, &svg);
		strbuf_addstr(body, "</div>\n");
	}
	strbuf_release(&svg);
	return rc;
}

/* A text report of the functions f matches, as preformatted text. */
static int text_view(struct page *pg, const char *command, struct strbuf *body, struct error *e)
{
	struct strbuf text = STRBUF_INIT;
	int rc = run_report(pg, command, url_values_get(&pg->query, "f"), report_run, &text, e);
	if (rc == 0) {
		strbuf_addstr(body, "<pre>");
		strbuf_add_xml_len(body, text.buf, text.len);
		strbuf_addstr(body, "</pre>\n");
	}
	strbuf_release(&text);
	return rc;
}

static int peek_view(struct page *pg, struct strbuf *body, struct error *e)
{
	if (config_set(&pg->cfg, "granularity", "lines", e) < 0)
		return -1;
	return text_view(pg, "peek", body, e);
}

/* pprof's weblist: the source of the functions f matches, their instructions under the lines. */
static int source_view(struct page *pg, struct strbuf *body, struct error *e)
{
	return run_report(pg, "weblist", url_values_get(&pg->query, "f"), report_weblist_body, body, e);
}

static int disasm_view(struct page *pg, struct strbuf *body, struct error *e)
{
	return text_view(pg, "disasm", body, e);
}

/*
 * The views: each makes its page's body, and returns 0 or fails with
 * the HTTP status to answer: 400 for what the request asked (a bad
 * regexp, an unknown sample type), unless it says otherwise.
 */
static const struct page_view {
	const char *path;	/* under /ui */
	int (*make)(struct page *pg, struct strbuf *body, struct error *e);
} views[] = {
	{ "/", graph_view },		{ "/top", top_view },
	{ "/flamegraph", flame_view },	{ "/peek", peek_view },
	{ "/source", source_view },	{ "/disasm", disasm_view },
};

/* The value of the legend line that starts with key, or def. */
static void add_legend_value(struct strbuf *sb, const struct strbuf *legend, const char *key, const char *def)
{
	size_t n = strlen(key);
	for (const char *line = legend->buf; *line;) {
		const char *end = strchrnul(line, '\n');
		if ((size_t)(end - line) >= n && !memcmp(line, key, n)) {
			strbuf_add(sb, line + n, (size_t)(end - line) - n);
			return;
		}
		line = *end ? end + 1 : end;
	}
	strbuf_addstr(sb, def);
}

/* The page's query with one parameter replaced, as an href's query part. */
static void add_query(struct strbuf *sb, struct page *pg, const char *name, const char *value)
{
	struct url_values q = pg->query;
	q.pairs = arena_array(&pg->arena, q.n + 1, sizeof(*q.pairs));
	if (q.n)
		memcpy(q.pairs, pg->query.pairs, q.n * sizeof(*q.pairs));
	q.cap = q.n + 1;
	if (name)
		url_values_set(&pg->arena, &q, name, value);
	strbuf_addch(sb, '?');
	strbuf_add_xml(sb, url_values_encode(&pg->arena, &q));
}

static void add_view_menu(struct strbuf *sb, struct page *pg)
{
	static const struct {
		const char *path, *title;
		bool searched;	/* of the functions the search box matches */
	} items[] = {
		{ "./top", "Top", false },	      { "./", "Graph", false },
		{ "./flamegraph", "Flame Graph", false }, { "./peek", "Peek", true },
		{ "./source", "Source", true },	      { "./disasm", "Disassemble", true },
	};
	strbuf_addstr(sb, "<div class=\"ui-menu\"><span>View</span><div class=\"ui-submenu\">\n");
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		strbuf_addf(sb, "<a href=\"%s", items[i].path);
		add_query(sb, pg, NULL, NULL);
		strbuf_addf(sb, "\"%s>%s</a>\n", items[i].searched ? " data-param=\"f\"" : "", items[i].title);
	}
	strbuf_addstr(sb, "</div></div>\n");
}

static void add_sample_menu(struct strbuf *sb, struct page *pg)
{
	const struct profile *p = pg->ui->prof;
	if (p->nsample_types < 2)
		return;
	const char *current = pg->cfg.sample_index && *pg->cfg.sample_index ? pg->cfg.sample_index : NULL;
	strbuf_addstr(sb, "<div class=\"ui-menu\"><span>Sample</span><div class=\"ui-submenu\">\n");
	for (size_t i = 0; i < p->nsample_types; i++) {
		const char *type = p->sample_types[i].type;
		bool is_current = current ? !strcmp(current, type) : i + 1 == p->nsample_types;
		strbuf_addstr(sb, "<a href=\"");
		add_query(sb, pg, "si", type);
		strbuf_addf(sb, "\"%s>", is_current ? " class=\"ui-current\"" : "");
		strbuf_add_xml(sb, type);
		strbuf_addstr(sb, "</a>\n");
	}
	strbuf_addstr(sb, "</div></div>\n");
}

static void add_refine_menu(struct strbuf *sb, struct page *pg)
{
	static const struct {
		const char *param, *title;
	} items[] = {
		{ "f", "Focus" }, { "i", "Ignore" }, { "h", "Hide" }, { "s", "Show" }, { "sf", "Show from" },
	};
	strbuf_addstr(sb, "<div class=\"ui-menu\"><span>Refine</span><div class=\"ui-submenu\">\n");
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		strbuf_addstr(sb, "<a href=\"");
		add_query(sb, pg, NULL, NULL);
		strbuf_addf(sb, "\" data-param=\"%s\">%s</a>\n", items[i].param, items[i].title);
	}
	strbuf_addstr(sb, "<hr><a href=\"?\">Reset</a>\n</div></div>\n");
}

/* The whole HTML page around a view's body. */
static void add_page(struct strbuf *out, struct page *pg, const struct strbuf *body)
{
	struct strbuf title = STRBUF_INIT;
	add_legend_value(&title, &pg->legend, "File: ", "unknown");
	strbuf_addch(&title, ' ');
	add_legend_value(&title, &pg->legend, "Type: ", "unknown");

	strbuf_addstr(out, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>");
	strbuf_add_xml_len(out, title.buf, title.len);
	strbuf_addf(out, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<div id=\"ui-header\">\n"
			 "<h1><a href=\"./\">cpprof</a></h1>\n", web_style, weblist_style);
	add_view_menu(out, pg);
	add_sample_menu(out, pg);
	add_refine_menu(out, pg);
	strbuf_addstr(out, "<div class=\"ui-menu\"><a href=\"./download\">Download</a></div>\n"
			   "<input id=\"ui-search\" type=\"text\" placeholder=\"Search regexp\" autocomplete=\"off\" "
			   "autocapitalize=\"none\" size=\"40\" value=\"");
	strbuf_add_xml(out, url_values_get(&pg->query, "f"));
	strbuf_addstr(out, "\">\n<span id=\"ui-title\" title=\"Show the profile's details\">");
	strbuf_add_xml_len(out, title.buf, title.len);
	strbuf_addstr(out, "</span>\n<div id=\"ui-legend\">");
	strbuf_add_xml_len(out, pg->legend.buf, pg->legend.len);
	strbuf_addstr(out, "</div>\n</div>\n");
	if (pg->notes.len) {
		strbuf_addstr(out, "<div id=\"ui-notes\">");
		strbuf_add_xml_len(out, pg->notes.buf, pg->notes.len);
		strbuf_addstr(out, "</div>\n");
	}
	strbuf_addstr(out, "<div id=\"ui-content\">\n");
	strbuf_add(out, body->buf, body->len);
	strbuf_addf(out, "</div>\n<script>\n%s%s</script>\n</body>\n</html>\n", web_script, weblist_script);
	strbuf_release(&title);
}

static void respond_view(const struct web_ui *ui, const struct page_view *v, const char *query,
			 struct web_response *resp)
{
	struct page pg = { .ui = ui, .legend = STRBUF_INIT, .notes = STRBUF_INIT };
	struct error e = ERROR_INIT;
	struct strbuf body = STRBUF_INIT;
	arena_init(&pg.arena);
	url_values_parse(&pg.arena, query, &pg.query);
	config_copy(&pg.cfg, ui->cfg);
	int rc = query_apply(&pg.cfg, &pg.query, &e);
	if (rc == 0)
		rc = v->make(&pg, &body, &e);
	if (rc != 0) {
		respond_error(resp, rc > 0 ? (unsigned)rc : 400, e.msg.buf);
	} else {
		resp->status = 200;
		resp->content_type = "text/html";
		add_page(&resp->body, &pg, &body);
	}
	strbuf_release(&body);
	strbuf_release(&pg.legend);
	strbuf_release(&pg.notes);
	config_free(&pg.cfg);
	arena_free(&pg.arena);
	error_clear(&e);
}

/* The profile as pprof's Profile.Write encodes it. */
static void respond_download(const struct web_ui *ui, struct web_response *resp)
{
	struct error e = ERROR_INIT;
	if (report_encode_profile(ui->prof, &resp->body, &e) < 0) {
		strbuf_reset(&resp->body);
		respond_error(resp, 500, e.msg.buf);
	} else {
		resp->status = 200;
		resp->content_type = "application/vnd.google.protobuf+gzip";
		resp->disposition = "attachment;filename=profile.pb.gz";
	}
	error_clear(&e);
}

void web_respond(const struct web_ui *ui, const char *path, const char *query, struct web_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	strbuf_init(&resp->body);
	if (strncmp(path, "/ui/", 4)) {
		/* pprof serves at /ui/ and sends everything else there, keeping the query */
		struct strbuf where = STRBUF_INIT;
		strbuf_addstr(&where, "/ui/");
		if (*query)
			strbuf_addf(&where, "?%s", query);
		resp->owned = strbuf_detach(&where, NULL);
		resp->location = resp->owned;
		resp->status = 307;
		resp->content_type = "text/html; charset=utf-8";
		strbuf_addstr(&resp->body, "<a href=\"");
		strbuf_add_xml(&resp->body, resp->location);
		strbuf_addstr(&resp->body, "\">Temporary Redirect</a>.\n\n");
		return;
	}
	const char *sub = path + 3;
	if (!strcmp(sub, "/download")) {
		respond_download(ui, resp);
		return;
	}
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		if (!strcmp(sub, views[i].path)) {
			respond_view(ui, &views[i], query, resp);
			return;
		}
	}
	respond_text(resp, 404, "404 page not found");
}

void web_response_free(struct web_response *resp)
{
	strbuf_release(&resp->body);
	free(resp->owned);
	memset(resp, 0, sizeof(*resp));
}
