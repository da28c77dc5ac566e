/*
 * report.h - what every report shares: the effective options of one
 * command, the measured value and its unit, the total that percentages
 * refer to, the trimmed call graph, and pprof's header lines.
 *
 * report_init() applies pprof's per-command overrides to a copy of the
 * configuration, compiles the filters and builds the view and node set,
 * printing pprof's notes and warnings about them on stderr;
 * report_free() releases them.  Reports print into a strbuf owned by the
 * caller.
 */
#ifndef CPPROF_REPORT_H
#define CPPROF_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "filter/filter.h"
#include "profile/scan.h"
#include "filter/regexp.h"
#include "filter/view.h"
#include "graph/calltree.h"
#include "graph/graph.h"
#include "graph/tags.h"
#include "options/options.h"
#include "profile/labels.h"
#include "profile/profile.h"
#include "util/error.h"
#include "util/strbuf.h"

/* pprof's report kinds; several commands share one (top and text, dot and svg). */
enum report_format {
	FORMAT_CALLGRIND, FORMAT_COMMENTS, FORMAT_DIS, FORMAT_DOT, FORMAT_LIST, FORMAT_PROTO,
	FORMAT_RAW, FORMAT_TAGS, FORMAT_TEXT, FORMAT_TOPPROTO, FORMAT_TRACES, FORMAT_TREE,
	FORMAT_WEBLIST,
	FORMAT_STACKS,	/* whole stacks, never trimmed: folded, flame */
};

struct report {
	const struct profile *prof;	/* the profile reported: the input or one made from it */
	struct profile *merged;		/* the input merged, for reports that show samples, or NULL */
	struct profile *labelled;	/* with -tagroot/-tagleaf frames, or NULL */
	struct config cfg;		/* after the command's overrides */
	const char *command;
	const char *command_arg;
	struct regex *symbol;		/* command_arg compiled; NULL without one */
	enum report_format format;

	const struct profile_scan *scan;	/* totals and label units before filtering: prof's, or own_scan */
	struct profile_scan own_scan;
	struct filter_set filters;
	struct view view;
	struct node_options node_options;	/* what tells the nodes apart */
	struct node_set nodes;
	struct stacks stacks;		/* built on first use by report_trimmed_graph() */
	bool have_stacks;
	struct label_sets label_sets;	/* graph layouts: the samples' labels */
	struct strbuf *notes;		/* collects what report_init() prints, or NULL */
	struct strbuf *legend;		/* graph layouts: the legend's lines go here, not into a box, or NULL */
	const uint8_t *edges_of;	/* set by a report that prints only these nodes' edges */

	const char *sample_type;	/* printed as Type: (mean_ prefixed for -mean) */
	const char *sample_unit;
	char *type_label;
	double ratio;			/* 1 / divide_by */
	char output_unit[32];		/* fixed by report_select_unit() */
	int64_t total;
};

struct trimmed_graph {
	struct graph g;
	bool is_tree;
	struct call_tree tree;		/* with -call_tree: the nodes of g */
	bool has_tags;
	struct node_tags tags;		/* graph layouts: the tags of g's nodes */
	size_t orig_count;
	int dropped_nodes;
	int dropped_edges;
};

/*
 * Sets up a report for command (e.g. "top") over prof.  The notes and
 * warnings it prints on stderr are also appended to collect, if not NULL.
 */
int report_init(struct report *r, const struct profile *prof, const struct config *cfg, const char *command,
		const char *command_arg, struct strbuf *collect, struct error *e);
void report_free(struct report *r);

/* pprof's newTrimmedGraph: the graph after nodefraction, nodecount and edgefraction. */
void report_trimmed_graph(struct report *r, struct trimmed_graph *t);
void trimmed_graph_free(struct trimmed_graph *t);
/* pprof's selectOutputUnit: one unit for the whole report, from the graph's values. */
void report_select_unit(struct report *r, const struct graph *g);
/* pprof's valueOrDot for list and disasm lines: "%10s" of the value, "." for zero. */
void report_value_or_dot(const struct report *r, struct strbuf *sb, int64_t v);
/* The totals line of a list or disasm routine: "FLAT CUM (flat, cum) PCT of Total". */
void report_routine_totals(const struct report *r, struct strbuf *out, int64_t flat, int64_t cum);
/* A value in the report's unit, scaled by divide_by. */
void report_format_value(const struct report *r, struct strbuf *sb, int64_t v);
/* The profile's header lines (File:, Type:, Time:, Duration:), each ending in '\n'. */
void report_profile_labels(const struct report *r, struct strbuf *sb);
/* pprof's reportLabels: header, filters, "Showing nodes accounting for ...". */
void report_labels(const struct report *r, const struct trimmed_graph *t, bool full_headers, struct strbuf *sb);

/* One line of the top report, its fields formatted as printed (percentages end in '%'). */
struct top_row {
	int64_t flat_value, cum_value;	/* in the profile's unit */
	struct strbuf flat, flat_pct, sum_pct, cum, cum_pct;
	struct strbuf name;
	const char *inlined;		/* "", " (inline)" or " (partial-inline)", printed after the name */
};
typedef void top_row_fn(const struct top_row *row, void *arg);
/*
 * The top report's content: appends its labels to labels, then calls fn
 * for each node of the trimmed graph in order.  The text report and the
 * web UI's table both print these rows.
 */
void report_top_rows(struct report *r, struct strbuf *labels, top_row_fn *fn, void *arg);

/* Report generators, one per file named after the command. */
int report_top(struct report *r, struct strbuf *out, struct error *e);
int report_folded(struct report *r, struct strbuf *out, struct error *e);
int report_flame(struct report *r, struct strbuf *out, struct error *e);
int report_list(struct report *r, struct strbuf *out, struct error *e);
int report_disasm(struct report *r, struct strbuf *out, struct error *e);
int report_tree(struct report *r, struct strbuf *out, struct error *e);
int report_peek(struct report *r, struct strbuf *out, struct error *e);
int report_traces(struct report *r, struct strbuf *out, struct error *e);
int report_raw(struct report *r, struct strbuf *out, struct error *e);
int report_tags(struct report *r, struct strbuf *out, struct error *e);
int report_comments(struct report *r, struct strbuf *out, struct error *e);
int report_callgrind(struct report *r, struct strbuf *out, struct error *e);
int report_proto(struct report *r, struct strbuf *out, struct error *e);
int report_topproto(struct report *r, struct strbuf *out, struct error *e);

int report_dot(struct report *r, struct strbuf *out, struct error *e);
int report_weblist(struct report *r, struct strbuf *out, struct error *e);
/* weblist's listing without the page around it, and what it needs from the page: style and script. */
int report_weblist_body(struct report *r, struct strbuf *out, struct error *e);
extern const char weblist_style[];
extern const char weblist_script[];

/*
 * The suffix of the file a binary report goes to instead of a terminal
 * (pprof writes "profile001.<suffix>"), or NULL for text reports.
 */
const char *report_file_suffix(const char *command);

/* Runs the command of a report set up by report_init(), printing the report into out. */
int report_run(struct report *r, struct strbuf *out, struct error *e);
/* The whole profile as -proto encodes it with the default settings (gzipped profile.proto). */
int report_encode_profile(const struct profile *prof, struct strbuf *out, struct error *e);
/* Runs command on prof with cfg, printing the report into out. */
int report_generate(const struct profile *prof, const struct config *cfg, const char *command,
		    const char *command_arg, struct strbuf *out, struct error *e);

#endif
