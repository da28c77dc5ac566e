/*
 * flame.c - the `flame` report, beyond pprof: the stacks of the samples
 * as an SVG flame graph (an icicle: the root on top, callees below their
 * callers, each frame as wide as the value spent in it).  The SVG stands
 * alone: hovering shows a frame's name and value, a click zooms into a
 * frame, "Reset zoom" goes back.  Frames narrower than a fraction of a
 * pixel are left out, which keeps graphs of millions of samples small.
 *
 * With a base profile (-diff_base, -base) samples of the base are
 * negative: a frame is then as wide as the larger of its two values and
 * coloured by the difference, red where the profile grew, blue where it
 * shrank.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/folding.h"
#include "report/format.h"
#include "report/report.h"

enum {
	SVG_WIDTH = 1200,
	MARGIN = 10,
	PLOT_WIDTH = SVG_WIDTH - 2 * MARGIN,
	FRAME_HEIGHT = 16,
	FONT_SIZE = 12,
	LINE_HEIGHT = 16,
};
/* Average advance of a character of the label font, for fitting labels. */
#define CHAR_WIDTH (0.59 * FONT_SIZE)
/* Frames narrower than this (in pixels) are not drawn, as in flamegraph.pl. */
#define MIN_FRAME_WIDTH 0.1

struct flame {
	struct report *r;
	const struct folded_stacks *s;
	bool differential;
	int64_t total;		/* the root's width, in values */
	int64_t min_width;	/* narrower frames are left out */
	uint32_t max_depth;
	struct strbuf frames;	/* the frames' SVG */
};

/* A frame while the stacks that pass through it are being read. */
struct open_frame {
	const char *name;
	int64_t start, width;
	int64_t grown, base;	/* differential: the profile's and the base's values */
};

/* A value in the report's unit ("auto" scaling unless -unit says otherwise). */
static void add_value(struct strbuf *out, const struct report *r, int64_t v)
{
	const char *unit = strcmp(r->cfg.unit, "minimum") ? r->cfg.unit : "auto";
	if (r->ratio > 0 && r->ratio != 1)
		v = (int64_t)((double)v * r->ratio);
	format_scaled(out, v, r->sample_unit, unit);
}

/* The label that fits in width pixels: the name, or its start and "..". */
static void add_label(struct strbuf *out, const char *name, double width)
{
	long fit = (long)((width - 6) / CHAR_WIDTH);
	if (fit < 3)
		return;
	size_t chars = 0, len = 0;
	for (const char *p = name; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	if (chars <= (size_t)fit) {
		strbuf_add_xml(out, name);
		return;
	}
	struct strbuf cut = STRBUF_INIT;
	for (chars = 0; name[len]; len++) {
		if (((unsigned char)name[len] & 0xc0) != 0x80 && chars++ == (size_t)fit - 2)
			break;
	}
	strbuf_add(&cut, name, len);
	strbuf_add_xml(out, cut.buf);
	strbuf_addstr(out, "..");
	strbuf_release(&cut);
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* flamegraph.pl's warm palette, the same colour for the same name. */
static void add_warm_colour(struct strbuf *out, const char *name)
{
	uint32_t h = name_hash(name);
	double a = (double)(h & 0xff) / 255, b = (double)((h >> 8) & 0xff) / 255, c = (double)((h >> 16) & 0xff) / 255;
	strbuf_addf(out, "rgb(%d,%d,%d)", 205 + (int)(50 * c), (int)(230 * a), (int)(55 * b));
}

/* Red for growth, blue for shrinkage, paler the smaller the change. */
static void add_diff_colour(struct strbuf *out, const struct open_frame *f)
{
	int64_t larger = f->grown > f->base ? f->grown : f->base;
	double change = larger ? (double)(f->grown - f->base) / (double)larger : 0;
	int pale = 255 - (int)(200 * (change < 0 ? -change : change));
	if (change >= 0)
		strbuf_addf(out, "rgb(255,%d,%d)", pale, pale);
	else
		strbuf_addf(out, "rgb(%d,%d,255)", pale, pale);
}

static void add_title(struct flame *fl, const struct open_frame *f)
{
	struct strbuf *out = &fl->frames;
	strbuf_add_xml(out, f->name);
	strbuf_addch(out, '\n');
	if (!fl->differential) {
		add_value(out, fl->r, f->width);
		strbuf_addstr(out, " (");
		format_percentage_trimmed(out, f->width, fl->r->total);
		strbuf_addch(out, ')');
		return;
	}
	add_value(out, fl->r, f->grown);
	strbuf_addstr(out, " vs base ");
	add_value(out, fl->r, f->base);
	strbuf_addstr(out, f->grown >= f->base ? " (+" : " (-");
	add_value(out, fl->r, f->grown >= f->base ? f->grown - f->base : f->base - f->grown);
	strbuf_addch(out, ')');
}

static double to_pixels(const struct flame *fl, int64_t v)
{
	return fl->total ? (double)v * PLOT_WIDTH / (double)fl->total : 0;
}

/* One frame at row depth (the root is row 0). */
static void emit_frame(struct flame *fl, const struct open_frame *f, uint32_t depth)
{
	if (f->width <= 0 || f->width < fl->min_width)
		return;
	if (depth > fl->max_depth)
		fl->max_depth = depth;
	struct strbuf *out = &fl->frames;
	double x = MARGIN + to_pixels(fl, f->start), w = to_pixels(fl, f->width);
	int y = (int)(depth * FRAME_HEIGHT);
	strbuf_addf(out, "<g class=\"f\" data-x=\"%lld\" data-e=\"%lld\" data-d=\"%u\"><title>",
		    (long long)f->start, (long long)(f->start + f->width), depth);
	add_title(fl, f);
	strbuf_addf(out, "</title><rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" rx=\"2\" fill=\"", x, y, w,
		    FRAME_HEIGHT - 1);
	if (fl->differential)
		add_diff_colour(out, f);
	else
		add_warm_colour(out, f->name);
	strbuf_addf(out, "\"/><text x=\"%.2f\" y=\"%d\">", x + 3, y + FONT_SIZE);
	add_label(out, f->name, w);
	strbuf_addstr(out, "</text></g>\n");
}

/* What one stack adds to the frames it passes through. */
struct contribution {
	int64_t width, grown, base;
};

static struct contribution stack_contribution(const struct flame *fl, const struct folded_stack *st)
{
	struct contribution c = { 0, 0, 0 };
	if (!fl->differential) {
		c.width = folded_value(fl->r, st);
		return c;
	}
	c.grown = st->value - st->negative;
	c.base = -st->negative;
	c.width = c.grown > c.base ? c.grown : c.base;
	return c;
}

static bool any_negative(const struct folded_stacks *s)
{
	for (size_t i = 0; i < s->count; i++)
		if (s->stacks[i].negative)
			return true;
	return false;
}

static int64_t total_width(const struct flame *fl)
{
	int64_t total = 0;
	for (size_t i = 0; i < fl->s->count; i++) {
		struct contribution c = stack_contribution(fl, &fl->s->stacks[i]);
		if (c.width > 0)
			total += c.width;
	}
	return total;
}

/*
 * Walks the sorted stacks as a depth-first walk of their tree: a frame
 * opens where a stack first differs from the one before, and is drawn
 * when the walk leaves it, its width then known.
 */
static void emit_frames(struct flame *fl)
{
	const struct folded_stacks *s = fl->s;
	struct open_frame *open = xmalloc(sizeof(*open));
	size_t open_cap = 1, nopen = 1;
	open[0] = (struct open_frame){ "root", 0, 0, 0, 0 };
	int64_t position = 0;
	const struct folded_stack *prev = NULL;
	for (size_t i = 0; i < s->count; i++) {
		const struct folded_stack *st = &s->stacks[i];
		struct contribution c = stack_contribution(fl, st);
		if (c.width <= 0)
			continue;
		const uint32_t *frames = folded_frames(s, st);
		size_t common = 0;
		if (prev) {
			const uint32_t *pf = folded_frames(s, prev);
			while (common < prev->depth && common < st->depth && pf[common] == frames[common])
				common++;
		}
		while (nopen > common + 1) {
			nopen--;
			emit_frame(fl, &open[nopen], (uint32_t)nopen);
		}
		xgrow((void **)&open, &open_cap, st->depth + 1, sizeof(*open));
		for (size_t d = common; d < st->depth; d++)
			open[nopen++] = (struct open_frame){ s->names[frames[d]], position, 0, 0, 0 };
		for (size_t d = 0; d < nopen; d++) {
			open[d].width += c.width;
			open[d].grown += c.grown;
			open[d].base += c.base;
		}
		position += c.width;
		prev = st;
	}
	while (nopen > 0) {
		nopen--;
		emit_frame(fl, &open[nopen], (uint32_t)nopen);
	}
	free(open);
}

/* Zooms by rewriting the frames' geometry from their data-x, data-e and data-d. */
static const char flame_script[] =
	"(function () {\n"
	"\"use strict\";\n"
	"var X0 = %d, W = %d, CHAR = %.2f;\n"
	"var root = document.documentElement;\n"
	"var frames = Array.prototype.slice.call(document.querySelectorAll(\"#frames > g\"));\n"
	"var details = document.getElementById(\"details\");\n"
	"var reset = document.getElementById(\"reset\");\n"
	"function num(g, a) { return Number(g.getAttribute(a)); }\n"
	"function label(name, w) {\n"
	"\tvar fit = Math.floor((w - 6) / CHAR);\n"
	"\tif (fit < 3)\n"
	"\t\treturn \"\";\n"
	"\treturn name.length <= fit ? name : name.slice(0, fit - 2) + \"..\";\n"
	"}\n"
	"function place(g, x, w) {\n"
	"\tvar rect = g.querySelector(\"rect\"), text = g.querySelector(\"text\");\n"
	"\trect.setAttribute(\"x\", (X0 + x).toFixed(2));\n"
	"\trect.setAttribute(\"width\", w.toFixed(2));\n"
	"\ttext.setAttribute(\"x\", (X0 + x + 3).toFixed(2));\n"
	"\ttext.textContent = label(g.querySelector(\"title\").textContent.split(\"\\n\")[0], w);\n"
	"\tg.style.display = \"\";\n"
	"}\n"
	"function zoom(target) {\n"
	"\tvar tx = num(target, \"data-x\"), te = num(target, \"data-e\"), td = num(target, \"data-d\");\n"
	"\tvar k = W / (te - tx);\n"
	"\tframes.forEach(function (g) {\n"
	"\t\tvar x = num(g, \"data-x\"), e = num(g, \"data-e\"), d = num(g, \"data-d\");\n"
	"\t\tif (d >= td && x >= tx && e <= te)\n"
	"\t\t\tplace(g, (x - tx) * k, (e - x) * k);\n"
	"\t\telse if (d < td && x <= tx && e >= te)\n"
	"\t\t\tplace(g, 0, W);\n"
	"\t\telse\n"
	"\t\t\tg.style.display = \"none\";\n"
	"\t});\n"
	"\treset.style.display = td > 0 ? \"\" : \"none\";\n"
	"}\n"
	"frames.forEach(function (g) {\n"
	"\tvar info = g.querySelector(\"title\").textContent.replace(\"\\n\", \": \");\n"
	"\tg.addEventListener(\"click\", function () { zoom(g); });\n"
	"\tg.addEventListener(\"mouseover\", function () { details.textContent = info; });\n"
	"\tg.addEventListener(\"mouseout\", function () { details.textContent = \" \"; });\n"
	"});\n"
	"reset.addEventListener(\"click\", function () {\n"
	"\tvar top = frames.filter(function (g) { return num(g, \"data-d\") === 0; })[0];\n"
	"\tif (top)\n"
	"\t\tzoom(top);\n"
	"});\n"
	"var wanted = /^#zoom=(.*)$/.exec(location.hash);\n"
	"if (wanted) {\n"
	"\tvar name = decodeURIComponent(wanted[1]);\n"
	"\tvar hit = frames.filter(function (g) {\n"
	"\t\treturn g.querySelector(\"title\").textContent.split(\"\\n\")[0] === name;\n"
	"\t})[0];\n"
	"\tif (hit)\n"
	"\t\tzoom(hit);\n"
	"}\n"
	"root.setAttribute(\"data-flame\", \"ready\");\n"
	"})();\n";

static void add_header_lines(struct strbuf *out, const struct strbuf *labels, int *y)
{
	const char *p = labels->buf;
	while (*p) {
		const char *nl = strchrnul(p, '\n');
		struct strbuf line = STRBUF_INIT;
		strbuf_add(&line, p, (size_t)(nl - p));
		strbuf_addf(out, "<text x=\"%d\" y=\"%d\">", MARGIN, *y);
		strbuf_add_xml(out, line.buf);
		strbuf_addstr(out, "</text>\n");
		strbuf_release(&line);
		*y += LINE_HEIGHT;
		p = *nl ? nl + 1 : nl;
	}
}

static void write_document(struct flame *fl, struct strbuf *out)
{
	struct strbuf labels = STRBUF_INIT;
	if (!fl->r->cfg.compact_labels)
		report_profile_labels(fl->r, &labels);
	int y = 24 + LINE_HEIGHT;
	struct strbuf header = STRBUF_INIT;
	add_header_lines(&header, &labels, &y);
	int reset_y = y, top = y + 8;
	int height = top + (int)((fl->max_depth + 1) * FRAME_HEIGHT) + 2 * LINE_HEIGHT;

	strbuf_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
			 "<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
			 "xmlns=\"http://www.w3.org/2000/svg\">\n",
		    SVG_WIDTH, height, SVG_WIDTH, height);
	strbuf_addf(out, "<style>\n"
			 "text { font-family: \"DejaVu Sans\", Verdana, sans-serif; font-size: %dpx; fill: #000; }\n"
			 "#title { font-size: 16px; }\n"
			 "#frames g { cursor: pointer; }\n"
			 "#frames g:hover rect { stroke: #000; stroke-width: 0.5; }\n"
			 "#reset { cursor: pointer; fill: #1a5fb4; }\n"
			 "</style>\n",
		    FONT_SIZE);
	strbuf_addf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f8f8f8\"/>\n", SVG_WIDTH, height);
	strbuf_addf(out, "<text id=\"title\" x=\"%d\" y=\"24\" text-anchor=\"middle\">%s</text>\n", SVG_WIDTH / 2,
		    fl->differential ? "Differential flame graph" : "Flame graph");
	strbuf_add(out, header.buf, header.len);
	strbuf_addf(out, "<text id=\"reset\" x=\"%d\" y=\"%d\" style=\"display: none\">Reset zoom</text>\n", MARGIN,
		    reset_y);
	strbuf_addf(out, "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n", MARGIN, height - LINE_HEIGHT / 2);
	strbuf_addf(out, "<g id=\"frames\" transform=\"translate(0,%d)\">\n", top);
	strbuf_add(out, fl->frames.buf, fl->frames.len);
	strbuf_addstr(out, "</g>\n");
	/* last, so that the elements it looks up exist when it runs */
	strbuf_addstr(out, "<script type=\"text/ecmascript\"><![CDATA[\n");
	strbuf_addf(out, flame_script, MARGIN, PLOT_WIDTH, CHAR_WIDTH);
	strbuf_addstr(out, "]]></script>\n");
	strbuf_addstr(out, "</svg>\n");
	strbuf_release(&header);
	strbuf_release(&labels);
}

int report_flame(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	struct folded_stacks s;
	folded_stacks_build(&s, r);
	struct flame fl = { .r = r, .s = &s, .frames = STRBUF_INIT };
	fl.differential = any_negative(&s);
	fl.total = total_width(&fl);
	fl.min_width = (int64_t)((double)fl.total * MIN_FRAME_WIDTH / PLOT_WIDTH);
	emit_frames(&fl);
	write_document(&fl, out);
	strbuf_release(&fl.frames);
	folded_stacks_free(&s);
	return 0;
}
