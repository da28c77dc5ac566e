/*
 * elfimage.h - an ELF file opened for reading with libelf: its type,
 * sections, loadable segments, build ID and .gnu_debuglink, and the
 * ELF symbol table searched the way binutils searches it.
 *
 * An elf_image owns its file descriptor, its libelf handle and the
 * tables read from it; elf_image_close() releases them all.  Compressed
 * debug sections are decompressed in place when the image is opened, so
 * that whoever reads them (libdw, the line decoder) sees plain bytes.
 */
#ifndef CPPROF_ELFIMAGE_H
#define CPPROF_ELFIMAGE_H

#include <libelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/error.h"

struct elf_section {
	const char *name;
	uint64_t addr, size, offset;
	uint32_t index;
	bool alloc;	/* occupies memory when loaded (SHF_ALLOC) */
	bool nobits;	/* no bytes in the file (SHT_NOBITS) */
};

struct elf_segment {	/* a PT_LOAD program header */
	uint64_t offset, vaddr, filesz, memsz;
	bool exec;
};

/* A symbol that could name code, with what binutils' choice among them needs. */
struct elf_symbol {
	const char *name;
	uint64_t value, size;
	uint32_t section;	/* section header index */
	uint32_t order;		/* position in the symbol table */
	bool function;		/* STT_FUNC */
	bool notype;		/* STT_NOTYPE */
};

struct elf_image {
	struct arena arena;
	int fd;
	Elf *elf;
	int type;			/* ET_EXEC, ET_DYN, ... */
	unsigned machine;		/* EM_X86_64, ... */
	bool is64;
	const char *build_id;		/* lower-case hex, "" if none */
	const char *debuglink;		/* .gnu_debuglink file name, or NULL */
	uint32_t debuglink_crc;
	struct elf_section *sections;	/* in section header order */
	size_t nsections;
	struct elf_segment *loads;
	size_t nloads;
	bool has_dwarf;			/* a .debug_info section with bytes */
	bool has_symtab;		/* a .symtab with symbols */

	/* the symbol table, loaded on first use */
	bool symbols_loaded;
	struct elf_symbol *symbols;	/* sorted by section, value, order */
	size_t nsymbols;
};

/*
 * Opens path.  Errors are worded as Go's: "open PATH: no such file or
 * directory", or "open PATH: unrecognized object file" for files that
 * are not ELF.
 */
int elf_image_open(struct elf_image *img, const char *path, struct error *e);
void elf_image_close(struct elf_image *img);

/* The first section occupying memory at addr, as addr2line picks it; NULL if none. */
const struct elf_section *elf_image_section_at(const struct elf_image *img, uint64_t addr);
/* The section named name, or NULL. */
const struct elf_section *elf_image_section(const struct elf_image *img, const char *name);
/* The bytes of a section (NULL for sections without bytes). */
const uint8_t *elf_image_section_data(const struct elf_image *img, const struct elf_section *s, size_t *size);

/* The value of the symbol named name in the symbol table; false if there is none. */
bool elf_image_symbol_value(const struct elf_image *img, const char *name, uint64_t *value);

/* Loads the symbol table: .symtab, or .dynsym when there is none. */
void elf_image_load_symbols(struct elf_image *img);
/*
 * binutils' _bfd_elf_find_function: the symbol of section `section` that
 * addr2line names addr after: the closest at or below addr, and among
 * several there the one binutils prefers.  NULL if none.
 */
const struct elf_symbol *elf_image_function_at(const struct elf_image *img, uint32_t section, uint64_t addr);

#endif
