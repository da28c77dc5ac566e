/*
 * graph.h - samples aggregated into a call graph, as pprof builds it.
 *
 * A node_set is the universe of nodes one report can show: one node per
 * distinct node_info (function, file, line, address, object, as the
 * granularity keeps them), and for every location of the view the nodes
 * its frames map to, innermost first.  It is built once per report.
 *
 * A graph is one aggregation pass over the view's samples into a subset
 * of that universe (all of it, or the nodes kept by trimming): flat and
 * cum per node (a node counted once per sample however often it recurs),
 * and weighted edges between callers and callees (residual where dropped
 * nodes lie between them, inline where the call was inlined).
 *
 * Ownership: a node_set owns its arena and arrays; a graph owns its own
 * arrays and borrows the node_set, which must outlive it.
 */
#ifndef CPPROF_GRAPH_H
#define CPPROF_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "filter/view.h"
#include "util/arena.h"
#include "util/hash.h"

struct node_info {
	const char *name;	/* "" if none, as every string here */
	const char *orig_name;
	uint64_t address;
	const char *file;
	int64_t start_line;
	int64_t lineno;
	const char *objfile;
};

/* Which parts of a frame tell nodes apart (pprof's granularity). */
struct node_options {
	bool function, filename, linenumber, address;
	bool obj_names;		/* keep the object file name in every node */
	const char *trim_path;	/* rewrite of source file names, see trim_path() */
	const char *source_path;
};

struct node_set {
	struct arena arena;
	struct node_info *info;
	size_t count, cap;
	uint32_t *chain;	/* next id with the same hash */
	struct hmap index;	/* hash of node_info -> first id */

	/* per location of the view: its nodes, innermost first */
	uint32_t *loc_first;
	uint32_t *loc_count;
	uint32_t *loc_nodes;

	char **printable;	/* lazily computed names, see node_printable() */
	char **sprint;
};

struct edge {
	uint32_t src, dst;
	int64_t weight, weight_div;
	bool residual;
	bool is_inline;
	bool removed;
};

struct graph {
	const struct node_set *ns;
	int64_t *flat, *flat_div, *cum, *cum_div;	/* per node id */
	struct edge *edges;
	size_t nedges, edges_cap;
	struct hmap edge_index;		/* src << 32 | dst -> edge */

	uint32_t *nodes;		/* node ids in the graph, in report order */
	size_t nnodes;

	/* adjacency of the nodes in the graph: edge indexes by node id */
	uint32_t *in_first, *in_count, *in_edges;
	uint32_t *out_first, *out_count, *out_edges;
};

enum node_order { ORDER_FLAT_NAME, ORDER_FLAT_CUM_NAME, ORDER_CUM_NAME, ORDER_NAME, ORDER_FILE,
		  ORDER_ADDRESS, ORDER_ENTROPY };

void node_set_build(struct node_set *ns, const struct view *v, const struct node_options *o);
void node_set_free(struct node_set *ns);
/* pprof's PrintableName: address, function, file:line or [object] or <unknown>. */
const char *node_printable(const struct node_set *ns, uint32_t id);

enum graph_flags {
	GRAPH_EDGES = 1,		/* aggregate edges too, not only node values */
	GRAPH_DROP_NEGATIVE = 2,	/* leave out nodes whose values are negative */
};

/*
 * Aggregates the view's samples.  kept (a byte per node id) restricts the
 * graph to those nodes, NULL keeps all.  Node values do not depend on
 * kept: a kept node has the same flat and cum in any graph, only the
 * edges between kept nodes change.
 */
void graph_build(struct graph *g, const struct node_set *ns, const struct view *v, const uint8_t *kept,
		 unsigned flags);
void graph_free(struct graph *g);

/* Node values, mean-adjusted where a divisor was summed. */
int64_t graph_flat_value(const struct graph *g, uint32_t id);
int64_t graph_cum_value(const struct graph *g, uint32_t id);
int64_t edge_weight_value(const struct edge *e);

void graph_sort(struct graph *g, enum node_order order);
/* Bytes per node id: nodes whose |cum| >= cutoff. */
uint8_t *graph_nodes_above(const struct graph *g, int64_t cutoff);
/* Bytes per node id: the first max_nodes nodes of the graph's order. */
uint8_t *graph_top_nodes(const struct graph *g, int max_nodes, bool visual);
/* Removes edges with |weight| < cutoff; returns how many. */
int graph_trim_edges(struct graph *g, int64_t cutoff);
/* Rebuilds the adjacency lists after edges were removed. */
void graph_index_edges(struct graph *g);
/* Edges into / out of a node, sorted by pprof's edge order. */
size_t graph_sorted_in(const struct graph *g, uint32_t id, uint32_t *out);
size_t graph_sorted_out(const struct graph *g, uint32_t id, uint32_t *out);

#endif
