/*
 * calltree.h - pprof's call tree (-call_tree): a graph in which a node is
 * a node of the node set in one calling context, so that every node has
 * at most one caller.
 *
 * The tree's nodes form a node set of their own (each with a copy of its
 * node_info, so that names, sorting and printing work as for any graph);
 * the graph built over it has one edge per node, from its caller.
 *
 * Ownership: a call_tree owns its node set and arrays; it borrows the
 * strings of the node set it was built from, which must outlive it.
 */
#ifndef CPPROF_CALLTREE_H
#define CPPROF_CALLTREE_H

#include "graph/graph.h"
#include "graph/tags.h"

struct call_tree {
	struct node_set ns;
	uint32_t *parent;	/* caller of each tree node when built; UINT32_MAX for roots */
	uint32_t *base;		/* the node each tree node stands for, in the original set */
	uint32_t *leaf;		/* per sample of the stacks: its last tree node, or UINT32_MAX */
};

/* pprof's newTree: builds the tree of the samples and its graph g (with edges). */
void call_tree_build(struct call_tree *t, struct graph *g, const struct node_set *base, const struct stacks *st,
		     bool drop_negative);
void call_tree_free(struct call_tree *t);

/*
 * Adds the samples of st (those the tree was built from) to the tags of
 * the wanted tree nodes: cumulative on the path of each, flat at its leaf.
 */
void call_tree_collect_tags(const struct call_tree *t, const struct stacks *st, const uint8_t *wanted,
			    struct node_tags *tags);

/*
 * pprof's TrimTree: removes the graph's nodes not in kept, connecting
 * each kept node to its nearest kept ancestor by a residual edge.
 */
void call_tree_trim(struct graph *g, const uint8_t *kept);

#endif
