/*
 * lines.h - one compilation unit's DWARF line table (.debug_line,
 * versions 2 to 5), decoded the way GNU addr2line reads it.
 *
 * The reading follows binutils' rules, since addr2line's answers are the
 * reference for programs not written in Go: of several rows at one
 * address only the last counts; sequences are sorted by start, nested
 * ones dropped and overlapping ones trimmed; file names are joined with
 * their directory and the compilation directory as binutils joins them
 * ("<unknown>" for a file number that names nothing).
 *
 * A line_table's arrays and strings live in the arena it was decoded
 * into; it owns nothing itself.
 */
#ifndef CPPROF_LINES_H
#define CPPROF_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

/* Section bytes the decoder reads (any may be empty). */
struct dwarf_sections {
	const uint8_t *line, *str, *line_str;
	size_t line_size, str_size, line_str_size;
};

struct line_row {
	uint64_t address;
	const char *file;	/* NULL if the row names no file */
	uint32_t line;
	bool end_sequence;
};

/* Rows [first, first + count) in address order; valid for [low, high). */
struct line_sequence {
	uint64_t low, high;
	uint32_t first, count;
};

struct line_table {
	struct line_sequence *seqs;	/* sorted by low, disjoint */
	size_t nseqs;
	struct line_row *rows;
	size_t nrows;
	const char **files;		/* joined names, by file number */
	size_t nfiles;
	bool zero_based;		/* DWARF 5: file 0 is a file */
};

/*
 * Decodes the line program at `offset` of sections->line for a unit with
 * the given compilation directory (may be NULL) and address size.
 * Returns false on malformed data (the table is then empty).
 */
bool line_table_decode(struct line_table *t, struct arena *a, const struct dwarf_sections *sections,
		       uint64_t offset, const char *comp_dir, unsigned addr_size);

/* The row for addr: its file and line; false if no sequence covers addr. */
bool line_table_lookup(const struct line_table *t, uint64_t addr, const char **file, uint32_t *line);

/* The name of file number n as DW_AT_call_file uses it. */
const char *line_table_file(const struct line_table *t, uint64_t n);

#endif
