/*
 * objfile.h - a binary opened for symbolization and disassembly: the ELF
 * file, its separate debug file if it has one, the DWARF index and the
 * symbol table that names code, and the arithmetic that turns a sampled
 * address into an address of the file.
 *
 * Frames are what `addr2line -f -i` prints for an address (innermost
 * first, pprof's reading of it), except in Go binaries, where they are
 * what `go tool pprof` reports: one frame, from the binary's pclntab (the
 * function the code was compiled into, at the position of the innermost
 * inlined line), or from DWARF where the pclntab knows no function.
 *
 * An objfile owns both ELF images and the index; the strings of frames
 * and symbols point into it and live until objfile_close().
 */
#ifndef CPPROF_OBJFILE_H
#define CPPROF_OBJFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "symbolize/dwarfindex.h"
#include "symbolize/elfimage.h"
#include "symbolize/gopclntab.h"
#include "util/error.h"

/* Where a mapping of the binary was in the profiled process. */
struct objmap {
	uint64_t start, limit, offset;
};

struct objfile {
	char *path;
	struct elf_image image;
	struct elf_image debug;		/* separate debug file; debug.elf NULL if none */
	char *debug_path;
	struct dwarf_index *dwarf;	/* over debug if present, else image; may be NULL */
	struct elf_image *names;	/* whose symbol table names functions */
	bool go;			/* a Go binary: pclntab holds its functions and lines */
	struct go_pclntab pclntab;

	struct objmap map;
	bool base_known;		/* computed from the first address, as pprof does */
	bool base_failed;
	uint64_t base;
};

struct frame {
	const char *function;	/* "" if unknown */
	const char *file;	/* "" if unknown */
	int64_t line;		/* 0 if unknown (-1 in Go code outside its line table) */
};

/* Most frames one address yields (deeper inline chains are cut). */
enum { MAX_FRAMES = 64 };

/*
 * Opens the binary at path for a mapping, and its debug file: by build
 * ID under /usr/lib/debug/.build-id, by .gnu_debuglink, or from
 * debuginfod when DEBUGINFOD_URLS is set.  Errors are pprof's wording.
 */
int objfile_open(struct objfile *o, const char *path, const struct objmap *map, struct error *e);
void objfile_close(struct objfile *o);

/*
 * pprof's ObjAddr: the file address of a sampled address.  The load bias
 * is computed once, from the program header that maps the first address
 * asked about.  Returns false if it cannot be computed.
 */
bool objfile_address(struct objfile *o, uint64_t addr, uint64_t *file_addr);

/* The frames of a file address, innermost first; 0 if nothing is known. */
size_t objfile_frames(struct objfile *o, uint64_t file_addr, struct frame *frames);

/* Only the function name the symbol table gives (-symbolize=fastlocal): 0 or 1 frame. */
size_t objfile_symbol_frame(struct objfile *o, uint64_t file_addr, struct frame *frames);

/*
 * How an instruction at a file address is annotated, as the tools pprof
 * disassembles with do: in Go code the line table's file and line (Go's
 * disassembler); elsewhere also the innermost function (objdump -l).
 */
bool objfile_line(struct objfile *o, uint64_t file_addr, const char **function, const char **file,
		  int64_t *line);

/* A symbol as disassembly lists it: [start, start + size). */
struct objsym {
	const char *name;
	uint64_t start, size;
};

/*
 * The symbols of the binary's symbol table (its dynamic one when it has
 * no other) that match: named so that match() accepts the name, or, if
 * addr is not 0, holding addr.  Symbols at 0 with size 0 are left out.
 * Returns how many; *out (malloc'd) holds them in table order.
 */
size_t objfile_symbols(struct objfile *o, bool (*match)(void *ctx, const char *name), void *ctx, uint64_t addr,
		       struct objsym **out);

/* The file's bytes from file address addr to the end of its section; NULL if none. */
const uint8_t *objfile_code(struct objfile *o, uint64_t addr, size_t *size);

/* The ELF machine (EM_X86_64, ...), for choosing a disassembler. */
unsigned objfile_machine(const struct objfile *o);

#endif
