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
#include "util/parallel.h"

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
	bool raw_paths;		/* file names as recorded (cleaned), without trim_path */
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
	uint32_t *loc_single;	/* the node of a one-node location, else UINT32_MAX */
	uint32_t max_loc_nodes;	/* of any location */

	char **printable;	/* lazily computed names, see node_printable() */
	char **sprint;
};

/*
 * The view's samples with their frames already turned into node ids: what
 * every aggregation pass walks, decoded from the profile only once.  The
 * frames of sample i are frames[i][0] .. frames[i][nframes[i] - 1],
 * outermost caller first; FRAME_INLINE marks a frame whose call was
 * inlined into the next outer one (a location line that is not its last).
 */
#define FRAME_INLINE 0x80000000u
#define FRAME_NODE 0x7fffffffu

struct label_sets;

/* Values per node id: what a sample adds to the nodes of its stack. */
struct node_sums {
	int64_t *flat, *flat_div, *cum, *cum_div;
};

struct stacks {
	const uint32_t **frames;
	uint32_t *nframes;
	int64_t *value;
	int64_t *divisor;	/* value[0] per sample for mean reports, else NULL */
	uint32_t *label_set;	/* per sample, when built with label sets; else NULL */
	size_t count;
	struct node_sums values;	/* the same in every graph that keeps the node */
	uint32_t **blocks;	/* what frames point into */
	size_t nblocks, blocks_cap;
};

/*
 * Decodes the view's samples (those with a value or divisor) once, a
 * range of samples per core.  With ls, every sample's labels are interned
 * into ls as well, in sample order.
 */
void stacks_build(struct stacks *st, const struct view *v, const struct node_set *ns, struct label_sets *ls);
void stacks_free(struct stacks *st);

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

	uint32_t *nodes;		/* node ids in the graph, in report order */
	size_t nnodes;

	/* adjacency of the nodes in the graph: edge indexes by node id */
	uint32_t *in_first, *in_count, *in_edges;
	uint32_t *out_first, *out_count, *out_edges;
};

/* Labels drawn as boxes beside a node of a graph layout, at most. */
#define MAX_NODELETS 4

enum node_order { ORDER_FLAT_NAME, ORDER_FLAT_CUM_NAME, ORDER_CUM_NAME, ORDER_NAME, ORDER_FILE,
		  ORDER_ADDRESS, ORDER_ENTROPY };

void node_set_build(struct node_set *ns, const struct view *v, const struct node_options *o);
void node_set_free(struct node_set *ns);
/* pprof's PrintableName: address, function, file:line or [object] or <unknown>. */
const char *node_printable(const struct node_set *ns, uint32_t id);

/* What one aggregation pass keeps. */
struct graph_options {
	const uint8_t *kept;		/* a byte per node id: the graph's nodes; NULL for all */
	const uint8_t *edges_of;	/* aggregate only edges touching these nodes; NULL for all */
	bool edges;			/* aggregate edges at all, not only node values */
	bool drop_negative;		/* leave out nodes whose values are negative */
};

/*
 * Aggregates the samples into a graph of node set ns.  Node values do not
 * depend on o->kept: a kept node has the same flat and cum in any graph,
 * only the edges between kept nodes change (residual where dropped nodes
 * lie between them).
 */
void graph_build(struct graph *g, const struct node_set *ns, const struct stacks *st,
		 const struct graph_options *o);
/*
 * The same graph in a single pass over the view's samples, without
 * keeping them: for reports that need no more than one.
 */
void graph_build_once(struct graph *g, const struct node_set *ns, const struct view *v,
		      const struct graph_options *o);
void graph_free(struct graph *g);

/* For graph builders: empty per-node arrays for node set ns. */
void graph_alloc(struct graph *g, const struct node_set *ns);
/* For graph builders: lists the nodes with values (of kept, if given) and indexes the edges. */
void graph_select_nodes(struct graph *g, const uint8_t *kept, bool drop_negative);

/* Node values, mean-adjusted where a divisor was summed. */
int64_t graph_flat_value(const struct graph *g, uint32_t id);
int64_t graph_cum_value(const struct graph *g, uint32_t id);
int64_t edge_weight_value(const struct edge *e);

void graph_sort(struct graph *g, enum node_order order);
/* Bytes per node id: nodes whose |cum| >= cutoff. */
uint8_t *graph_nodes_above(const struct graph *g, int64_t cutoff);
/*
 * Bytes per node id: the first max_nodes nodes of the graph's order.  A
 * graph layout counts each node's nodelets (a count per node id, at most
 * four are drawn) against the limit too; nodelets NULL counts none.
 */
uint8_t *graph_top_nodes(const struct graph *g, int max_nodes, const uint32_t *nodelets);
/* Removes edges with |weight| < cutoff; returns how many. */
int graph_trim_edges(struct graph *g, int64_t cutoff);
/* Rebuilds the adjacency lists after edges were removed. */
void graph_index_edges(struct graph *g);
/*
 * pprof's RemoveRedundantEdges: drops residual edges whose destination is
 * reachable from their source another way, lightest first.
 */
void graph_remove_redundant_edges(struct graph *g);
/* Edges into / out of a node, sorted by pprof's edge order. */
size_t graph_sorted_in(const struct graph *g, uint32_t id, uint32_t *out);
size_t graph_sorted_out(const struct graph *g, uint32_t id, uint32_t *out);
/* The edges out of all the graph's nodes, sorted by pprof's edge order. */
size_t graph_sorted_edges(const struct graph *g, uint32_t *out);

#endif
