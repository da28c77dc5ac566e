/*
 * dot.c - the `dot` report: the trimmed call graph in Graphviz's DOT
 * language, as pprof's ComposeDot writes it: a legend box with the
 * report's labels, a box per node sized and coloured by its share, boxes
 * for its tags ("nodelets"), and the edges, heaviest first.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/shorten.h"
#include "report/format.h"
#include "report/report.h"
#include "util/int64.h"
#include "util/path.h"

/* pprof's escapeForDot: backslashes and quotes escaped, newlines left-justified. */
static void add_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			strbuf_addstr(sb, "\\\\");
		else if (*s == '"')
			strbuf_addstr(sb, "\\\"");
		else if (*s == '\n')
			strbuf_addstr(sb, "\\l");
		else
			strbuf_addch(sb, *s);
	}
}

/* Appends s with every occurrence of from replaced by to. */
static void add_replaced(struct strbuf *sb, const char *s, const char *from, const char *to)
{
	size_t n = strlen(from);
	for (const char *hit; (hit = strstr(s, from)); s = hit + n) {
		strbuf_add(sb, s, (size_t)(hit - s));
		strbuf_addstr(sb, to);
	}
	strbuf_addstr(sb, s);
}

/*
 * pprof's dotColor: a score in [-1, 1] from green through grey to red;
 * light for backgrounds, dark for foregrounds.
 */
static void add_color(struct strbuf *sb, double score, bool background)
{
	const double shift = 0.7;
	double saturation = background ? 0.1 : 1.0;
	double value = background ? 0.93 : 0.7;
	score = fmax(-1.0, fmin(1.0, score));
	if (fabs(score) < 0.2)
		saturation *= fabs(score) / 0.2;
	if (score > 0.0)
		score = pow(score, 1.0 - shift);
	if (score < 0.0)
		score = -pow(-score, 1.0 - shift);
	double r, g, b;
	if (score < 0.0) {
		g = value;
		r = value * (1 + saturation * score);
	} else {
		r = value;
		g = value * (1 - saturation * score);
	}
	b = value * (1 - saturation);
	strbuf_addf(sb, "#%02x%02x%02x", (unsigned)(uint8_t)(r * 255.0), (unsigned)(uint8_t)(g * 255.0),
		    (unsigned)(uint8_t)(b * 255.0));
}

struct dot {
	struct report *r;
	const struct trimmed_graph *t;
	const struct graph *g;
	struct shortener shortener;
	uint32_t *ids;		/* DOT id of each node id, 0 if not drawn */
	uint8_t *has_nodelets;
	struct strbuf *out;
};

static void add_value(const struct dot *d, struct strbuf *sb, int64_t v)
{
	report_format_value(d->r, sb, v);
}

/* pprof's multilinePrintableName: short name split at dots, then file:line or object. */
static void add_multiline_name(const struct dot *d, uint32_t n, struct strbuf *sb)
{
	const struct node_info *i = &d->g->ns->info[n];
	struct strbuf name = STRBUF_INIT, escaped = STRBUF_INIT, step = STRBUF_INIT;
	shorten_function_name(&d->shortener, i->name, &name);
	add_escaped(&escaped, name.buf);
	add_replaced(&step, escaped.buf, "::", "\\n");
	strbuf_reset(&name);
	add_replaced(&name, step.buf, "[...]", "[\xe2\x80\xa6]");
	strbuf_reset(&step);
	add_replaced(&step, name.buf, ".", "\\n");
	const char *file = *i->file ? path_base(i->file) : "";
	if (i->address)
		strbuf_addf(sb, "%016llx\\n", (unsigned long long)i->address);
	if (step.len)
		strbuf_addf(sb, "%s\\n", step.buf);
	if (i->lineno)
		strbuf_addf(sb, "%s:%lld\\n", file, (long long)i->lineno);
	else if (*file)
		strbuf_addf(sb, "%s\\n", file);
	else if (step.len)
		; /* the function name says it all */
	else if (*i->objfile)
		strbuf_addf(sb, "[%s]\\n", path_base(i->objfile));
	else
		strbuf_addstr(sb, "<unknown>\\n");
	strbuf_release(&name);
	strbuf_release(&escaped);
	strbuf_release(&step);
}

static void print_legend(const struct dot *d)
{
	if (d->r->legend) {	/* the web UI shows it beside the graph, as pprof's does */
		report_labels(d->r, d->t, true, d->r->legend);
		return;
	}
	struct strbuf labels = STRBUF_INIT;
	report_labels(d->r, d->t, true, &labels);
	if (labels.len && labels.buf[labels.len - 1] == '\n')
		labels.buf[--labels.len] = '\0';
	const char *end = strchr(labels.buf, '\n');
	char *title = strndup(labels.buf, end ? (size_t)(end - labels.buf) : labels.len);
	const char *file = d->r->prof->nmappings ? d->r->prof->mappings[0].file : "";
	strbuf_addstr(d->out, "subgraph cluster_L { \"");
	add_escaped(d->out, title);
	strbuf_addstr(d->out, "\" [shape=box fontsize=16 label=\"");
	add_escaped(d->out, labels.buf);
	strbuf_addstr(d->out, "\\l\"");
	if (*file)
		strbuf_addf(d->out, " tooltip=\"%s\"", path_base(file));
	strbuf_addstr(d->out, "] }\n");
	free(title);
	strbuf_release(&labels);
}

static void print_node(const struct dot *d, uint32_t n, double max_flat)
{
	const struct graph *g = d->g;
	int64_t flat = graph_flat_value(g, n), cum = graph_cum_value(g, n), total = d->r->total;
	struct strbuf label = STRBUF_INIT, flat_value = STRBUF_INIT, cum_value = STRBUF_INIT;
	add_multiline_name(d, n, &label);
	add_value(d, &flat_value, flat);
	if (flat != 0) {
		strbuf_addf(&label, "%s (", flat_value.buf);
		format_percentage_trimmed(&label, flat, total);
		strbuf_addch(&label, ')');
	} else {
		strbuf_addch(&label, '0');
	}
	strbuf_addstr(&cum_value, flat_value.buf);
	if (cum != flat) {
		strbuf_addstr(&label, flat != 0 ? "\\n" : " ");
		strbuf_reset(&cum_value);
		add_value(d, &cum_value, cum);
		strbuf_addf(&label, "of %s (", cum_value.buf);
		format_percentage_trimmed(&label, cum, total);
		strbuf_addch(&label, ')');
	}
	/* font sizes from 8 to 24, growing with the square root of the flat share */
	int font_size = 8;
	double abs_flat = fabs((double)flat);
	if (max_flat != 0 && flat != 0 && abs_flat <= max_flat)
		font_size += (int)ceil(16.0 * sqrt(abs_flat / max_flat));
	double score = (double)cum / fabs((double)total);
	strbuf_addf(d->out, "N%u [label=\"%s\" id=\"node%u\" fontsize=%d shape=box tooltip=\"", d->ids[n], label.buf,
		    d->ids[n], font_size);
	add_escaped(d->out, node_printable(g->ns, n));
	strbuf_addf(d->out, " (%s)\" color=\"", cum_value.buf);
	add_color(d->out, score, false);
	strbuf_addstr(d->out, "\" fillcolor=\"");
	add_color(d->out, score, true);
	strbuf_addstr(d->out, "\"]\n");
	strbuf_release(&label);
	strbuf_release(&flat_value);
	strbuf_release(&cum_value);
}

/* One nodelet box for a tag and the edge to it from its source. */
static void print_nodelet(const struct dot *d, struct strbuf *sb, const char *box, const char *source,
			  const char *name, int64_t w, const char *attr)
{
	struct strbuf weight = STRBUF_INIT;
	add_value(d, &weight, w);
	strbuf_addf(sb, "%s [label = \"%s\" id=\"%s\" fontsize=8 shape=box3d tooltip=\"%s\"]\n", box, name, box,
		    weight.buf);
	strbuf_addf(sb, "%s -> %s [label=\" %s\" weight=100 tooltip=\"%s\" labeltooltip=\"%s\"%s]\n", source, box,
		    weight.buf, weight.buf, weight.buf, attr);
	strbuf_release(&weight);
}

/* t's value in to_unit, as pprof's measurement.Scale converts it. */
static double scaled_value(const struct tag *t, const char *to_unit)
{
	const char *unit;
	return unit_scale(t->value, t->unit, to_unit, &unit);
}

/* pprof's tagDistance: how far apart two numeric tags' values are. */
static double tag_distance(const struct tag *t, const struct tag *u)
{
	double v = scaled_value(u, t->unit);
	return v < (double)t->value ? (double)t->value - v : v - (double)t->value;
}

/* pprof's tagGroupLabel: "min..max" of a group of numeric tags, and their summed values. */
static void group_tag(struct tag **group, size_t n, struct tag *out, struct arena *names)
{
	struct strbuf name = STRBUF_INIT;
	memset(out, 0, sizeof(*out));
	out->unit = "";
	if (n == 1) {
		format_scaled(&name, group[0]->value, group[0]->unit, "auto");
		out->flat = tag_flat_value(group[0]);
		out->cum = tag_cum_value(group[0]);
	} else {
		const struct tag *min = group[0], *max = group[0];
		int64_t f = min->flat, df = min->flat_div, c = min->cum, dc = min->cum_div;
		for (size_t i = 1; i < n; i++) {
			const struct tag *t = group[i];
			if ((int64_t)scaled_value(t, min->unit) < min->value)
				min = t;
			if ((int64_t)scaled_value(t, max->unit) > max->value)
				max = t;
			f += t->flat;
			df += t->flat_div;
			c += t->cum;
			dc += t->cum_div;
		}
		out->flat = df ? f / df : f;
		out->cum = dc ? c / dc : c;
		format_scaled(&name, min->value, min->unit, "auto");
		strbuf_addstr(&name, "..");
		format_scaled(&name, max->value, max->unit, "auto");
	}
	out->name = arena_strdup(names, name.buf);
	strbuf_release(&name);
}

/*
 * pprof's collapsedTags: at most MAX_NODELETS numeric tags; beyond that,
 * each lighter tag joins the group of the heavy tag nearest in value.
 * Returns the number of tags in out (pointers into tags or groups).
 */
static size_t collapse_tags(struct tag **tags, size_t n, bool flat, struct tag *groups, struct tag **out,
			    struct arena *names)
{
	tags_sort(tags, n, flat);
	if (n <= MAX_NODELETS) {
		memcpy(out, tags, n * sizeof(*tags));
		return n;
	}
	struct tag **members = xmalloc(n * sizeof(*members));
	size_t *group_of = xmalloc(n * sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		size_t best = i;
		if (i >= MAX_NODELETS) {
			best = 0;
			double dist = tag_distance(tags[i], tags[0]);
			for (size_t g = 1; g < MAX_NODELETS; g++) {
				double nd = tag_distance(tags[i], tags[g]);
				if (nd < dist) {
					best = g;
					dist = nd;
				}
			}
		}
		group_of[i] = best;
	}
	for (size_t g = 0; g < MAX_NODELETS; g++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (group_of[i] == g)
				members[m++] = tags[i];
		group_tag(members, m, &groups[g], names);
		out[g] = &groups[g];
	}
	free(members);
	free(group_of);
	tags_sort(out, MAX_NODELETS, flat);
	return MAX_NODELETS;
}

/* pprof's numericNodelets: the numeric tags of one label (or of none) hung below source. */
static void print_numeric_nodelets(const struct dot *d, struct strbuf *sb, struct tag **tags, size_t n, bool flat,
				   const char *source)
{
	struct tag groups[MAX_NODELETS];
	struct tag **shown = xmalloc((n + 1) * sizeof(*shown));
	struct arena names;
	arena_init(&names);
	size_t count = collapse_tags(tags, n, flat, groups, shown, &names);
	for (size_t j = 0; j < count; j++) {
		const struct tag *t = shown[j];
		int64_t w = tag_cum_value(t);
		const char *attr = " style=\"dotted\"";
		if (flat || tag_flat_value(t) == tag_cum_value(t)) {
			w = tag_flat_value(t);
			attr = "";
		}
		if (w == 0)
			continue;
		char box[64];
		snprintf(box, sizeof(box), "N%s_%zu", source, j);
		print_nodelet(d, sb, box, source, t->name, w, attr);
	}
	arena_free(&names);
	free(shown);
}

/* The node's numeric tags that belong to label `label` (a text index). */
static size_t numeric_tags_of(const struct node_tags *nt, uint32_t n, uint32_t label, struct tag **out)
{
	size_t k = 0;
	for (uint32_t i = 0; i < nt->count[n]; i++) {
		struct tag *t = &nt->tags[nt->first[n] + i];
		if (t->numeric && t->label == label)
			out[k++] = t;
	}
	return k;
}

/*
 * pprof's addNodelets: the heaviest label tags, each with its numeric
 * tags, then the numeric tags of unlabelled samples.  Returns whether it
 * drew any.
 */
static bool print_nodelets(const struct dot *d, uint32_t n)
{
	const struct node_tags *nt = &d->t->tags;
	if (!d->t->has_tags || n >= nt->nnodes || nt->count[n] == 0)
		return false;
	bool flat = d->g->out_count[n] > 0;	/* leaves show cumulative tags */
	struct tag **labels = xmalloc((nt->count[n] + 1) * sizeof(*labels));
	struct tag **numeric = xmalloc((nt->count[n] + 1) * sizeof(*numeric));
	size_t nlabels = 0;
	for (uint32_t i = 0; i < nt->count[n]; i++)
		if (!nt->tags[nt->first[n] + i].numeric)
			labels[nlabels++] = &nt->tags[nt->first[n] + i];
	tags_sort(labels, nlabels, flat);
	if (nlabels > MAX_NODELETS)
		nlabels = MAX_NODELETS;

	struct strbuf nodelets = STRBUF_INIT;
	char node[32], box[64];
	snprintf(node, sizeof(node), "N%u", d->ids[n]);
	for (size_t i = 0; i < nlabels; i++) {
		const struct tag *t = labels[i];
		int64_t w = flat ? tag_flat_value(t) : tag_cum_value(t);
		if (w == 0)
			continue;
		snprintf(box, sizeof(box), "N%u_%zu", d->ids[n], i);
		print_nodelet(d, &nodelets, box, node, t->name, w, "");
		size_t k = numeric_tags_of(nt, n, t->label, numeric);
		if (k)
			print_numeric_nodelets(d, &nodelets, numeric, k, flat, box);
	}
	size_t k = numeric_tags_of(nt, n, 0, numeric);
	if (k)
		print_numeric_nodelets(d, &nodelets, numeric, k, flat, node);
	bool any = nodelets.len > 0;
	strbuf_add(d->out, nodelets.buf, nodelets.len);
	strbuf_release(&nodelets);
	free(labels);
	free(numeric);
	return any;
}

static void print_edge(const struct dot *d, const struct edge *e)
{
	const struct graph *g = d->g;
	int64_t w = edge_weight_value(e), total = d->r->total;
	struct strbuf weight = STRBUF_INIT, tooltip = STRBUF_INIT;
	add_value(d, &weight, w);
	struct strbuf *out = d->out;
	strbuf_addf(out, "N%u -> N%u [label=\" %s%s\"", d->ids[e->src], d->ids[e->dst], weight.buf,
		    e->is_inline ? "\\n (inline)" : "");
	if (total != 0) {
		int64_t weight_attr = 1 + (abs64(mul64(w, 100) / total) < 100 ? abs64(mul64(w, 100) / total)
											 : 100);
		if (weight_attr > 1)
			strbuf_addf(out, " weight=%lld", (long long)weight_attr);
		int64_t width = 1 + (abs64(mul64(w, 5) / total) < 5 ? abs64(mul64(w, 5) / total) : 5);
		if (width > 1)
			strbuf_addf(out, " penwidth=%lld", (long long)width);
		strbuf_addstr(out, " color=\"");
		add_color(out, (double)w / fabs((double)total), false);
		strbuf_addch(out, '"');
	}
	strbuf_addch(&tooltip, '"');
	add_escaped(&tooltip, node_printable(g->ns, e->src));
	strbuf_addstr(&tooltip, e->residual ? " ... " : " -> ");
	add_escaped(&tooltip, node_printable(g->ns, e->dst));
	strbuf_addf(&tooltip, " (%s)\"", weight.buf);
	strbuf_addf(out, " tooltip=%s labeltooltip=%s", tooltip.buf, tooltip.buf);
	if (e->residual)
		strbuf_addstr(out, " style=\"dotted\"");
	if (d->has_nodelets[e->src])
		strbuf_addstr(out, " minlen=2");
	strbuf_addstr(out, "]\n");
	strbuf_release(&weight);
	strbuf_release(&tooltip);
}

/* pprof's ComposeDot. */
static void compose(struct dot *d)
{
	const struct graph *g = d->g;
	const struct profile *p = d->r->prof;
	const char *file = p->nmappings ? p->mappings[0].file : "";
	strbuf_addf(d->out, "digraph \"%s\" {\n", *file ? path_base(file) : "unnamed");
	strbuf_addstr(d->out, "node [style=filled fillcolor=\"#f8f8f8\"]\n");
	print_legend(d);
	if (g->nnodes > 0) {
		double max_flat = fabs((double)graph_flat_value(g, g->nodes[0]));
		for (size_t i = 0; i < g->nnodes; i++) {
			d->ids[g->nodes[i]] = (uint32_t)i + 1;
			double f = fabs((double)graph_flat_value(g, g->nodes[i]));
			if (f > max_flat)
				max_flat = f;
		}
		for (size_t i = 0; i < g->nnodes; i++) {
			print_node(d, g->nodes[i], max_flat);
			d->has_nodelets[g->nodes[i]] = print_nodelets(d, g->nodes[i]);
		}
		uint32_t *edges = xmalloc((g->nedges + 1) * sizeof(uint32_t));
		size_t n = graph_sorted_edges(g, edges);
		for (size_t i = 0; i < n; i++)
			print_edge(d, &g->edges[edges[i]]);
		free(edges);
	}
	strbuf_addstr(d->out, "}\n");
}

int report_dot(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	struct trimmed_graph t;
	report_trimmed_graph(r, &t);
	report_select_unit(r, &t.g);
	struct dot d = { .r = r, .t = &t, .g = &t.g, .out = out };
	size_t n = t.g.ns->count + 1;
	d.ids = xcalloc(n, sizeof(uint32_t));
	d.has_nodelets = xcalloc(n, 1);
	shortener_init(&d.shortener);
	compose(&d);
	shortener_free(&d.shortener);
	free(d.ids);
	free(d.has_nodelets);
	trimmed_graph_free(&t);
	return 0;
}
