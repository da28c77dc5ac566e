/*
 * tags.h - sample labels as a graph layout shows them: pprof's node tags.
 *
 * A label_sets interns the distinct label combinations of samples.  Each
 * set is seen as pprof's graph sees it: the string labels joined into one
 * text ("key:value" pairs, sorted, separated by a literal \n), and the
 * values of the numeric label "bytes", the only numeric label a graph
 * keeps.
 *
 * node_tags sums the weight of samples per node and label set, for the
 * nodes a report needs, and then turns the sums into pprof's tags: one
 * label tag per distinct joined text, and numeric tags per joined text and
 * formatted value (the value that first created a tag stays its value).
 *
 * Ownership: a label_sets owns its arena and tables and borrows the
 * profile; a node_tags owns its arrays and borrows the label_sets.
 */
#ifndef CPPROF_TAGS_H
#define CPPROF_TAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "graph/graph.h"
#include "profile/profile.h"
#include "util/arena.h"
#include "util/hash.h"
#include "util/strbuf.h"

struct label_set {
	const struct label *raw;	/* the labels as encoded, the interning key */
	uint32_t nraw;
	uint32_t joined;		/* index of its joined string labels in texts */
	const int64_t *bytes;		/* values of the numeric label "bytes" */
	uint32_t nbytes;
};

struct label_sets {
	const struct profile *prof;
	struct arena arena;
	struct label_set *sets;
	size_t count, cap;
	uint32_t *chain;		/* next set with the same hash */
	struct hmap index;
	const char **texts;		/* interned joined labels; texts[0] is "" */
	size_t ntexts, texts_cap;
	uint32_t *text_chain;
	struct hmap text_index;
	bool any;			/* some set has string labels or bytes */
};

void label_sets_init(struct label_sets *ls, const struct profile *p);
void label_sets_free(struct label_sets *ls);
/* The set of a sample's labels, added if new. */
uint32_t label_sets_intern(struct label_sets *ls, const struct label *labels, size_t n);

struct tag {
	uint32_t label;		/* joined labels of the samples (a text index) */
	bool numeric;
	const char *name;	/* the joined labels, or the formatted value */
	const char *unit;	/* numeric tags: the unit of value */
	int64_t value;
	int64_t flat, flat_div, cum, cum_div;
};

/* Formats a numeric tag's value as its name, e.g. "64B". */
typedef void (*tag_format_fn)(struct strbuf *sb, int64_t value, const char *unit, const void *arg);

struct tag_sum;

struct node_tags {
	const struct label_sets *ls;
	struct arena arena;		/* tag names */
	/* sums per (node, label set), in the order they were created */
	struct tag_sum *sums;
	size_t nsums, sums_cap;
	struct hmap sum_index;
	/*
	 * While a collection has few enough cells (wanted node, label set):
	 * the index of each cell's sum, or UINT32_MAX, in place of sum_index.
	 */
	uint32_t *cells;
	const uint32_t *rank;	/* per node id: its row of cells */
	size_t nsets;
	/* after node_tags_finish(): node n's tags are tags[first[n]], count[n] of them */
	struct tag *tags;
	size_t ntags;
	uint32_t *first, *count;
	size_t nnodes;
};

void node_tags_init(struct node_tags *t, const struct label_sets *ls);
void node_tags_free(struct node_tags *t);
/* Adds a sample's weight to node's tags (cumulative, or flat for its leaf). */
void node_tags_add(struct node_tags *t, uint32_t node, uint32_t set, int64_t w, int64_t dw, bool flat);
/*
 * Adds the samples of st to the tags of the wanted nodes (a byte per node
 * id) as a graph counts them: cumulative once per sample, flat for the
 * leaf.
 */
void node_tags_collect(struct node_tags *t, const struct stacks *st, const uint8_t *wanted, size_t nnodes);
/*
 * Turns the sums into the tags of nodes 0 .. nnodes-1; numeric tags of
 * unit `unit` are named by fmt.
 */
void node_tags_finish(struct node_tags *t, size_t nnodes, const char *unit, tag_format_fn fmt, const void *arg);
/* pprof's TrimLowFrequencyTags: keeps tags with |flat| or |cum| >= cutoff. */
void node_tags_trim(struct node_tags *t, int64_t cutoff);
/* pprof's countTags: a node's tags with a flat value, per node id (caller frees). */
uint32_t *node_tags_counts(const struct node_tags *t);

/* pprof's SortTags: by |flat| (or |cum| first), then name. */
void tags_sort(struct tag **tags, size_t n, bool flat);
int64_t tag_flat_value(const struct tag *t);
int64_t tag_cum_value(const struct tag *t);

#endif
