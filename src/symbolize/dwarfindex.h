/*
 * dwarfindex.h - addresses to source positions and inlined calls, from
 * an ELF file's DWARF, answered the way GNU addr2line answers them.
 *
 * The index finds the compilation unit that binutils would find for an
 * address (the first unit in .debug_info order whose line table or
 * functions cover it; a unit's own address ranges stand for its
 * functions), then in it the line-table row and the innermost
 * function (the smallest range holding the address, subprogram or
 * inlined call), with its chain of callers for inlined code.  Names
 * follow binutils' preference of linkage names and DW_AT_name through
 * abstract origins and specifications.
 *
 * Everything is read lazily and once: all line tables at the first
 * lookup (they decide which unit covers what), a unit's functions when
 * an address first falls in it.  DIEs are read with libdw; line tables
 * with the decoder in lines.h.  The index borrows the ELF image it was
 * made from (which must outlive it) and owns the rest.
 */
#ifndef CPPROF_DWARFINDEX_H
#define CPPROF_DWARFINDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "symbolize/elfimage.h"

struct dwarf_index;

/* One function of a unit: a subprogram, an entry point or an inlined call. */
struct dwarf_function {
	const char *name;	/* NULL if the DWARF names none */
	bool is_linkage;	/* a name binutils takes as final (C, or a linkage name) */
	bool inlined;		/* DW_TAG_inlined_subroutine */
	int32_t caller;		/* the function this call was inlined into, -1 if none */
	const char *call_file;	/* where it was inlined: DW_AT_call_file, or NULL */
	uint32_t call_line;
};

/* What the index knows about one address. */
struct dwarf_answer {
	bool found;			/* some unit's lines or functions cover it */
	bool has_line;
	const char *file;		/* the line-table row's file (NULL: none named) */
	uint32_t line;
	const struct dwarf_function *function;	/* innermost, or NULL */
	const struct dwarf_function *functions;	/* the unit's table (for callers) */
	bool go;			/* the unit is Go code */
};

/* An index over img's DWARF; NULL if it has none libdw can read. */
struct dwarf_index *dwarf_index_open(struct elf_image *img);
void dwarf_index_close(struct dwarf_index *ix);

void dwarf_index_lookup(struct dwarf_index *ix, uint64_t addr, struct dwarf_answer *out);

/* The file and line of addr's row, for annotating instructions; false if none. */
bool dwarf_index_line(struct dwarf_index *ix, uint64_t addr, const char **file, uint32_t *line);

#endif
