#include "render/svg.h"

#include <stdbool.h>
#include <string.h>

/*
 * Works on the element with id "viewport" and the <svg> around it, in an
 * SVG document or in a web page: the wheel zooms around the pointer,
 * dragging pans, a double click returns to the first view.  It starts
 * once the document is loaded, since it comes before the graph.
 */
const char svg_panzoom_script[] =
	"\n"
	"window.addEventListener(\"load\", function () {\n"
	"\"use strict\";\n"
	"var viewport = document.getElementById(\"viewport\");\n"
	"var root = viewport && viewport.ownerSVGElement;\n"
	"if (!root || !root.createSVGMatrix)\n"
	"\treturn;\n"
	"var first = viewport.getAttribute(\"transform\");\n"
	"var drag = null;\n"
	"function current() {\n"
	"\tvar t = viewport.transform.baseVal.consolidate();\n"
	"\treturn t ? t.matrix : root.createSVGMatrix();\n"
	"}\n"
	"function show(m) {\n"
	"\tviewport.setAttribute(\"transform\", \"matrix(\" + [m.a, m.b, m.c, m.d, m.e, m.f].join(\",\") + \")\");\n"
	"}\n"
	"function pointer(evt) {\n"
	"\tvar p = root.createSVGPoint();\n"
	"\tp.x = evt.clientX;\n"
	"\tp.y = evt.clientY;\n"
	"\treturn p.matrixTransform(root.getScreenCTM().inverse());\n"
	"}\n"
	"root.addEventListener(\"wheel\", function (evt) {\n"
	"\tevt.preventDefault();\n"
	"\tvar lines = evt.deltaMode === 0 ? evt.deltaY / 40 : evt.deltaMode === 1 ? evt.deltaY : evt.deltaY * 10;\n"
	"\tvar k = Math.pow(1.1, -Math.max(-10, Math.min(10, lines)));\n"
	"\tvar p = pointer(evt);\n"
	"\tshow(root.createSVGMatrix().translate(p.x, p.y).scale(k).translate(-p.x, -p.y).multiply(current()));\n"
	"}, { passive: false });\n"
	"root.addEventListener(\"mousedown\", function (evt) {\n"
	"\tif (evt.button !== 0)\n"
	"\t\treturn;\n"
	"\tdrag = { from: pointer(evt), matrix: current() };\n"
	"\tevt.preventDefault();\n"
	"});\n"
	"root.addEventListener(\"mousemove\", function (evt) {\n"
	"\tif (!drag)\n"
	"\t\treturn;\n"
	"\tvar p = pointer(evt);\n"
	"\tshow(root.createSVGMatrix().translate(p.x - drag.from.x, p.y - drag.from.y).multiply(drag.matrix));\n"
	"});\n"
	"root.addEventListener(\"mouseup\", function () { drag = null; });\n"
	"root.addEventListener(\"mouseleave\", function () { drag = null; });\n"
	"root.addEventListener(\"dblclick\", function () { viewport.setAttribute(\"transform\", first); });\n"
	"root.setAttribute(\"data-panzoom\", \"ready\");\n"
	"});\n";

static bool is_go_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* Matches `\s*NAME="[^"]+"` at p; returns the end of the match or NULL. */
static const char *match_attribute(const char *p, const char *end, const char *name)
{
	while (p < end && is_go_space(*p))
		p++;
	size_t n = strlen(name);
	if ((size_t)(end - p) < n + 2 || memcmp(p, name, n) || p[n] != '=' || p[n + 1] != '"')
		return NULL;
	p += n + 2;
	const char *value = p;
	while (p < end && *p != '"')
		p++;
	return p < end && p > value ? p + 1 : NULL;
}

/* pprof's `<svg\s*width="[^"]+"\s*height="[^"]+"\s*viewBox="[^"]+"`, at p. */
static const char *match_svg_size(const char *p, const char *end)
{
	if ((size_t)(end - p) < 4 || memcmp(p, "<svg", 4))
		return NULL;
	p += 4;
	if (!(p = match_attribute(p, end, "width")) || !(p = match_attribute(p, end, "height")))
		return NULL;
	return match_attribute(p, end, "viewBox");
}

/* pprof's `<g id="graph\d"`, at p. */
static const char *match_graph_group(const char *p, const char *end)
{
	static const char prefix[] = "<g id=\"graph";
	size_t n = sizeof(prefix) - 1;
	if ((size_t)(end - p) < n + 2 || memcmp(p, prefix, n))
		return NULL;
	p += n;
	return *p >= '0' && *p <= '9' && p[1] == '"' ? p + 2 : NULL;
}

static const char *match_svg_close(const char *p, const char *end)
{
	return (size_t)(end - p) >= 6 && !memcmp(p, "</svg>", 6) ? p + 6 : NULL;
}

/* The first match of a pattern in [s, end): its start, and *match_end. */
static const char *find_first(const char *s, const char *end, const char *(*match)(const char *, const char *),
			      const char **match_end)
{
	for (const char *p = s; p < end; p++) {
		p = memchr(p, '<', (size_t)(end - p));
		if (!p)
			break;
		if ((*match_end = match(p, end)))
			return p;
	}
	return NULL;
}

/* Replaces the first match in *sb by the result of edit(match text). */
static void edit_first(struct strbuf *sb, const char *(*match)(const char *, const char *),
		       const char *before, bool keep_match, const char *after)
{
	const char *end = sb->buf + sb->len, *match_end;
	const char *at = find_first(sb->buf, end, match, &match_end);
	if (!at)
		return;
	struct strbuf edited = STRBUF_INIT;
	strbuf_add(&edited, sb->buf, (size_t)(at - sb->buf));
	strbuf_addstr(&edited, before);
	if (keep_match)
		strbuf_add(&edited, at, (size_t)(match_end - at));
	strbuf_addstr(&edited, after);
	strbuf_add(&edited, match_end, (size_t)(end - match_end));
	strbuf_release(sb);
	*sb = edited;
}

/* Graphviz leaves some ampersands unquoted ("&;"), which no XML parser takes. */
static void quote_bare_ampersands(const char *svg, size_t len, struct strbuf *out)
{
	const char *p = svg, *end = svg + len;
	while (p < end) {
		const char *amp = memmem(p, (size_t)(end - p), "&;", 2);
		if (!amp) {
			strbuf_add(out, p, (size_t)(end - p));
			break;
		}
		strbuf_add(out, p, (size_t)(amp - p));
		strbuf_addstr(out, "&amp;;");
		p = amp + 2;
	}
}

void svg_massage(const char *svg, size_t len, struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	quote_bare_ampersands(svg, len, &sb);
	edit_first(&sb, match_svg_size, "<svg width=\"100%\" height=\"100%\"", false, "");

	struct strbuf script = STRBUF_INIT;
	strbuf_addf(&script, "<script type=\"text/ecmascript\"><![CDATA[%s]]></script>"
			     "<g id=\"viewport\" transform=\"scale(0.5,0.5) translate(0,0)\">",
		    svg_panzoom_script);
	edit_first(&sb, match_graph_group, script.buf, true, "");
	strbuf_release(&script);

	edit_first(&sb, match_svg_close, "</g>", true, "");
	strbuf_add(out, sb.buf, sb.len);
	strbuf_release(&sb);
}
