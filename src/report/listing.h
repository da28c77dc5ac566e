/*
 * listing.h - what the source listings (list, weblist) share: the
 * matching functions grouped as pprof groups them, the lines a group's
 * listing spans and their values, and the source files, read once.
 *
 * Source files are found as pprof finds them: the profile's file name is
 * trimmed (-trim_path, or pprof's guess from -source_path), then looked up
 * in each directory of -source_path (default: the working directory) and
 * its parents.
 */
#ifndef CPPROF_LISTING_H
#define CPPROF_LISTING_H

#include "report/report.h"

/* One source file: lines[1..count] (lines[0] unused), or why it could not be read. */
struct source_file {
	char *path;
	char **lines;
	size_t count;
	char *error;
};

/* The files read so far; it owns them. */
struct source_reader {
	char *search_path;
	const char *trim;
	struct source_file *files;
	size_t nfiles, cap;
};

/* A reader with the report's -source_path (default: the working directory) and -trim_path. */
void source_reader_init(struct source_reader *rd, const struct report *r);
/* The file named name in the profile, read on first use. */
const struct source_file *source_get(struct source_reader *rd, const char *name);
void source_reader_free(struct source_reader *rd);

/* The nodes of one function in one file, in graph order. */
struct node_group {
	const uint32_t *nodes;
	size_t count;
};

/*
 * Called for each function that matches the report's regexp, by name,
 * then for each of its source files (pprof's NameOrder, then FileOrder);
 * a function none of whose nodes has a file comes as one group whose
 * nodes have file "".
 */
typedef void listing_fn(const struct graph *g, const struct node_group *fns, void *arg);
/*
 * Runs fn over the groups of the report's graph (all nodes, untrimmed);
 * fails with pprof's "no matches found for regexp: ..." if none.
 */
int listing_groups(struct report *r, listing_fn *fn, void *arg, struct error *e);

/* pprof's getSourceFromFile range: the lines to list, before clipping to the file's end. */
void listing_range(const struct graph *g, const struct node_group *fns, int64_t *start, int64_t *end);
/* The values of the group's nodes at one line, without the -mean divisor, as pprof's. */
void listing_line_values(const struct graph *g, const struct node_group *fns, int64_t line, int64_t *flat,
			 int64_t *cum);
/* The group's total values. */
void listing_totals(const struct graph *g, const struct node_group *fns, int64_t *flat, int64_t *cum);

#endif
