/*
 * traces.c - the `traces` report: every sample on its own, untrimmed: its
 * labels, its value and its frames, leaf first, between separators.
 */
#include <stdlib.h>
#include <string.h>

#include "profile/labels.h"
#include "report/format.h"
#include "report/report.h"

static const char separator[] = "-----------+-------------------------------------------------------\n";

static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the lines, sorted, and frees them. */
static void add_sorted(struct strbuf *out, char **lines, size_t n)
{
	qsort(lines, n, sizeof(char *), cmp_strings);
	for (size_t i = 0; i < n; i++) {
		strbuf_addstr(out, lines[i]);
		free(lines[i]);
	}
}

/* One "%10s:  values" line per label key, string labels first, each kind sorted. */
static void print_labels(const struct report *r, const struct sample *s, struct strbuf *out)
{
	const struct profile *p = r->prof;
	struct label_key *keys = xmalloc((s->nlabels + 1) * sizeof(*keys));
	uint32_t *order = xmalloc((s->nlabels + 1) * sizeof(uint32_t));
	char **lines = xmalloc((s->nlabels + 1) * sizeof(char *));
	for (int numeric = 0; numeric <= 1; numeric++) {
		size_t nkeys = group_labels(p, s->labels, s->nlabels, numeric, keys, order);
		for (size_t k = 0; k < nkeys; k++) {
			const char *unit = label_unit(&r->scan->units, keys[k].name);
			struct strbuf line = STRBUF_INIT;
			strbuf_addf(&line, "%10s:  ", keys[k].name);
			for (size_t i = 0; i < keys[k].count; i++) {
				const struct label *l = &s->labels[order[keys[k].first + i]];
				if (i)
					strbuf_addch(&line, ' ');
				if (numeric)
					format_scaled(&line, l->num, unit, "auto");
				else
					strbuf_addstr(&line, profile_string(p, l->str));
			}
			strbuf_addch(&line, '\n');
			lines[k] = strbuf_detach(&line, NULL);
		}
		add_sorted(out, lines, nkeys);
	}
	free(keys);
	free(order);
	free(lines);
}

/* The frames of a sample, leaf first: the first line carries the value. */
static void print_stack(struct report *r, const struct node_set *ns, const struct view_sample *s, struct strbuf *out)
{
	int64_t v = s->value;
	if (s->divisor != 0)
		v /= s->divisor;
	struct strbuf value = STRBUF_INIT;
	report_format_value(r, &value, v);
	bool first = true;
	for (size_t i = 0; i < s->nlocations; i++) {
		uint32_t loc = s->locations[i], count = ns->loc_count[loc];
		for (uint32_t k = 0; k < count; k++) {
			/* "%10s   %s%s\n", without printf: a million samples have twenty frames each */
			strbuf_add_right(out, value.buf, first ? value.len : 0, 10);
			strbuf_addstr(out, "   ");
			strbuf_addstr(out, node_printable(ns, ns->loc_nodes[ns->loc_first[loc] + k]));
			if (k != count - 1)
				strbuf_addstr(out, " (inline)");
			strbuf_addch(out, '\n');
			first = false;
		}
	}
	strbuf_release(&value);
}

static bool has_frames(const struct node_set *ns, const struct view_sample *s)
{
	for (size_t i = 0; i < s->nlocations; i++)
		if (ns->loc_count[s->locations[i]])
			return true;
	return false;
}

int report_traces(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	size_t header = out->len;
	report_profile_labels(r, out);
	if (out->len == header)
		strbuf_addch(out, '\n');	/* pprof prints the empty list of labels as an empty line */

	/* pprof names the frames of traces without trim_path */
	struct node_options o = r->node_options;
	o.raw_paths = true;
	struct node_set ns;
	node_set_build(&ns, &r->view, &o);

	struct view_iter it;
	struct view_sample s;
	view_iter_init(&it);
	while (view_next(&r->view, &it, &s)) {
		if (!has_frames(&ns, &s))
			continue;
		strbuf_addstr(out, separator);
		print_labels(r, s.raw, out);
		print_stack(r, &ns, &s, out);
	}
	view_iter_free(&it);
	node_set_free(&ns);
	strbuf_addstr(out, separator);
	return 0;
}
