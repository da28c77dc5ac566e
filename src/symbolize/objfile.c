#include "symbolize/objfile.h"

#include <elf.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize/debugfile.h"

enum { PAGE_SIZE = 4096 };
#define KERNEL_HALF (UINT64_C(1) << 63)

/* pprof's FindTextProgHeader: the executable segment holding .text. */
static const struct elf_segment *text_segment(const struct elf_image *img)
{
	const struct elf_section *text = elf_image_section(img, ".text");
	for (size_t i = 0; text && i < img->nloads; i++) {
		const struct elf_segment *s = &img->loads[i];
		if (s->exec && text->addr >= s->vaddr && text->addr < s->vaddr + s->memsz)
			return s;
	}
	return NULL;
}

/* pprof's kernelBase, without the _stext symbol: the bias of kernel-like mappings. */
static bool kernel_base(const struct elf_segment *seg, const struct objmap *m, uint64_t *base)
{
	if (seg->vaddr == m->start - m->offset) {
		*base = m->offset;
		return true;
	}
	if (m->start >= seg->vaddr && m->limit > m->start &&
	    (m->offset == 0 || m->offset == UINT64_C(0xc000000000000000) || m->offset == m->start)) {
		*base = m->start - seg->vaddr;
		return true;
	}
	return false;
}

/*
 * pprof's GetBase: what to subtract from a sampled address to get an
 * address of the file, given the segment that maps it.
 */
static int get_base(const struct elf_image *img, const struct elf_segment *seg, const struct objmap *m,
		    uint64_t *base, struct error *e)
{
	*base = 0;
	if (m->start == 0 && m->offset == 0 && (m->limit == UINT64_MAX || m->limit == 0))
		return 0;	/* a mapping of everything: addresses are already the file's */
	switch (img->type) {
	case ET_EXEC:
		if (!seg)
			return 0;
		if (m->start > 0 && m->start < KERNEL_HALF) {
			*base = m->start - m->offset + seg->offset - seg->vaddr;
			return 0;
		}
		if (kernel_base(seg, m, base))
			return 0;
		if (m->start == 0 && m->limit != 0) {
			*base = m->start - seg->vaddr;
			return 0;
		}
		return error_set(e, "don't know how to handle EXEC segment: start=0x%llx limit=0x%llx offset=0x%llx",
				 (unsigned long long)m->start, (unsigned long long)m->limit,
				 (unsigned long long)m->offset);
	case ET_REL:
		if (m->offset != 0)
			return error_set(e, "don't know how to handle mapping.Offset");
		*base = m->start;
		return 0;
	case ET_DYN:
		if (!seg) {
			*base = m->start - m->offset;
			return 0;
		}
		if (kernel_base(seg, m, base))
			return 0;
		*base = m->start - m->offset + seg->offset - seg->vaddr;
		return 0;
	default:
		return error_set(e, "don't know how to handle FileHeader.Type %d", img->type);
	}
}

/*
 * pprof's ProgramHeadersForMapping and HeaderForFileOffset: the loadable
 * segment a mapping's address comes from.  Layouts with a separate code
 * segment (-z separate-code) need this: the first executable segment is
 * not necessarily the one at the mapping's offset.
 */
static const struct elf_segment *segment_for(const struct elf_image *img, const struct objmap *m, uint64_t addr,
					     bool *ambiguous)
{
	*ambiguous = false;
	if (m->start >= m->limit || m->limit >= KERNEL_HALF)
		return text_segment(img);
	uint64_t map_limit = m->offset + (m->limit - m->start);
	uint64_t file_offset = addr - m->start + m->offset;
	const struct elf_segment *only = NULL, *match = NULL;
	size_t candidates = 0, matches = 0;
	for (size_t i = 0; i < img->nloads; i++) {
		const struct elf_segment *s = &img->loads[i];
		if (s->filesz == 0)
			continue;
		uint64_t seg_limit = s->offset + s->memsz;
		if (!(m->offset < seg_limit && s->offset < map_limit))
			continue;
		uint64_t page_offset = s->vaddr & (PAGE_SIZE - 1);
		uint64_t aligned = s->offset > page_offset ? s->offset - page_offset : 0;
		if (m->offset < aligned)
			continue;
		if (m->offset > s->offset && seg_limit < m->offset + PAGE_SIZE && map_limit >= seg_limit + PAGE_SIZE)
			continue;
		candidates++;
		only = s;
		if (file_offset >= s->offset && file_offset < s->offset + s->memsz) {
			matches++;
			match = s;
		}
	}
	if (candidates == 1)
		return only;
	*ambiguous = candidates == 0 || matches != 1;
	return matches == 1 ? match : NULL;
}

/* Go's pclntab, with the text start Go's objfile reader uses: runtime.text, else .text. */
static void open_pclntab(struct objfile *o)
{
	const struct elf_section *s = elf_image_section(&o->image, ".gopclntab");
	const struct elf_section *text = elf_image_section(&o->image, ".text");
	size_t size;
	const uint8_t *data = s ? elf_image_section_data(&o->image, s, &size) : NULL;
	if (!data)
		return;
	uint64_t text_start = text ? text->addr : 0;
	elf_image_symbol_value(o->names, "runtime.text", &text_start);
	o->go = gopclntab_open(&o->pclntab, data, size, text_start);
}

int objfile_open(struct objfile *o, const char *path, const struct objmap *map, struct error *e)
{
	memset(o, 0, sizeof(*o));
	o->map = *map;
	if (elf_image_open(&o->image, path, e) < 0)
		return -1;
	uint64_t base;
	if (get_base(&o->image, text_segment(&o->image), map, &base, e) < 0) {
		error_prefix(e, "error reading ELF file %s: could not identify base for %s: ", path, path);
		elf_image_close(&o->image);
		return -1;
	}
	o->path = strdup(path);
	struct elf_image *dwarf_from = &o->image;
	if (!o->image.has_dwarf && (o->debug_path = debugfile_open(&o->image, path, &o->debug)))
		dwarf_from = &o->debug;
	o->dwarf = dwarf_index_open(dwarf_from);
	o->names = o->image.has_symtab || !o->debug.elf || !o->debug.has_symtab ? &o->image : &o->debug;
	elf_image_load_symbols(o->names);
	open_pclntab(o);
	return 0;
}

void objfile_close(struct objfile *o)
{
	dwarf_index_close(o->dwarf);
	if (o->debug.elf)
		elf_image_close(&o->debug);
	elf_image_close(&o->image);
	free(o->path);
	free(o->debug_path);
	memset(o, 0, sizeof(*o));
}

bool objfile_address(struct objfile *o, uint64_t addr, uint64_t *file_addr)
{
	if (!o->base_known) {
		o->base_known = true;
		const struct objmap *m = &o->map;
		bool everything = m->start == 0 && m->offset == 0 && (m->limit == UINT64_MAX || m->limit == 0);
		bool ambiguous = false;
		const struct elf_segment *seg = NULL;
		struct error e = ERROR_INIT;
		if (!everything && (addr < m->start || addr >= m->limit))
			o->base_failed = true;
		else if (!everything && o->image.nloads && !(seg = segment_for(&o->image, m, addr, &ambiguous)) &&
			 ambiguous)
			o->base_failed = true;
		else if (get_base(&o->image, seg, m, &o->base, &e) < 0)
			o->base_failed = true;
		error_clear(&e);
	}
	*file_addr = addr - o->base;
	return !o->base_failed;
}

/* pprof's reading of addr2line: "??" is no name, "??:0" and "FILE:?" no position. */
static void add_frame(struct frame *frames, size_t *n, const char *function, const char *file, int64_t line)
{
	if (*n >= MAX_FRAMES)
		return;
	struct frame f = { function ? function : "", line ? (file ? file : "??") : "", line };
	if (*f.function || *f.file || f.line)
		frames[(*n)++] = f;
}

/* DWARF's answer the way go tool pprof's DWARF fallback gives it. */
static size_t dwarf_go_frames(const struct dwarf_answer *a, const char *symbol, struct frame *frames)
{
	const struct dwarf_function *f = a->function;
	while (f && f->caller >= 0)
		f = &a->functions[f->caller];
	size_t n = 0;
	add_frame(frames, &n, f && f->name ? f->name : symbol, a->has_line ? a->file : NULL,
		  a->has_line ? a->line : 0);
	return n;
}

/*
 * Go code as go tool pprof reports it: the function of the pclntab at
 * the line of the innermost inlined code; where the pclntab knows no
 * function, DWARF's enclosing subprogram at the line table's line.
 */
static size_t go_frames(struct objfile *o, uint64_t addr, struct frame *frames)
{
	if (o->go && gopclntab_lookup(&o->pclntab, addr, &frames[0].function, &frames[0].file, &frames[0].line))
		return 1;
	struct dwarf_answer a = { 0 };
	if (o->dwarf)
		dwarf_index_lookup(o->dwarf, addr, &a);
	return a.found ? dwarf_go_frames(&a, NULL, frames) : 0;
}

size_t objfile_frames(struct objfile *o, uint64_t addr, struct frame *frames)
{
	if (o->go)
		return go_frames(o, addr, frames);
	const struct elf_section *sec = elf_image_section_at(&o->image, addr);
	if (!sec)
		return 0;
	struct dwarf_answer a = { 0 };
	if (o->dwarf)
		dwarf_index_lookup(o->dwarf, addr, &a);
	const struct elf_symbol *sym = elf_image_function_at(o->names, sec->index, addr);
	if (!a.found && !sym)
		return 0;
	if (a.go)
		return dwarf_go_frames(&a, sym ? sym->name : NULL, frames);
	/* binutils names the innermost function by the symbol table unless DWARF's name is final */
	const char *name = a.function && a.function->is_linkage ? a.function->name
			   : sym ? sym->name
			   : a.function ? a.function->name : NULL;
	size_t n = 0;
	add_frame(frames, &n, name, a.has_line ? a.file : NULL, a.has_line ? a.line : 0);
	for (const struct dwarf_function *f = a.function; f && f->inlined && f->caller >= 0;
	     f = &a.functions[f->caller])
		add_frame(frames, &n, a.functions[f->caller].name, f->call_file, f->call_line);
	return n;
}

size_t objfile_symbol_frame(struct objfile *o, uint64_t addr, struct frame *frames)
{
	const struct elf_section *sec = elf_image_section_at(&o->image, addr);
	const struct elf_symbol *sym = sec ? elf_image_function_at(o->names, sec->index, addr) : NULL;
	size_t n = 0;
	if (sym)
		add_frame(frames, &n, sym->name, NULL, 0);
	return n;
}

bool objfile_line(struct objfile *o, uint64_t addr, const char **function, const char **file, int64_t *line)
{
	*function = "";
	if (o->go) {
		/* Go's disassembler annotates with the pclntab's file and line alone */
		struct frame f;
		if (go_frames(o, addr, &f) == 0)
			return false;
		*file = f.file;
		*line = f.line;
		return true;
	}
	struct frame frames[MAX_FRAMES];
	if (objfile_frames(o, addr, frames) == 0)
		return false;
	*function = frames[0].function;
	*file = frames[0].file;
	*line = frames[0].line;
	return true;
}

/* The symbol table disassembly lists: .symtab (of the debug file if stripped), else .dynsym. */
static Elf_Scn *listing_table(struct objfile *o, struct elf_image **img, GElf_Shdr *sh)
{
	struct elf_image *order[] = { &o->image, o->debug.elf ? &o->debug : NULL, &o->image };
	for (size_t pass = 0; pass < 3; pass++) {
		if (!order[pass])
			continue;
		GElf_Word want = pass < 2 ? SHT_SYMTAB : SHT_DYNSYM;
		for (Elf_Scn *scn = elf_nextscn(order[pass]->elf, NULL); scn; scn = elf_nextscn(order[pass]->elf, scn)) {
			if (gelf_getshdr(scn, sh) && sh->sh_type == want && sh->sh_entsize) {
				*img = order[pass];
				return scn;
			}
		}
	}
	return NULL;
}

/* Whether a symbol of a real section lies inside it (symbols of no section pass). */
static bool within_section(const struct elf_image *img, const GElf_Sym *sym)
{
	if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= SHN_LORESERVE)
		return true;
	for (size_t i = 0; i < img->nsections; i++) {
		const struct elf_section *s = &img->sections[i];
		if (s->index == sym->st_shndx)
			return !s->alloc || (sym->st_value >= s->addr && sym->st_size <= s->size &&
					     sym->st_value - s->addr <= s->size - sym->st_size);
	}
	return true;
}

size_t objfile_symbols(struct objfile *o, bool (*match)(void *ctx, const char *name), void *ctx, uint64_t addr,
		       struct objsym **out)
{
	*out = NULL;
	struct elf_image *img;
	GElf_Shdr sh;
	Elf_Scn *scn = listing_table(o, &img, &sh);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	if (!data)
		return 0;
	size_t n = sh.sh_size / sh.sh_entsize, count = 0, cap = 0;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, (int)i, &sym) || (sym.st_value == 0 && sym.st_size == 0))
			continue;
		if (!within_section(img, &sym))
			continue;	/* a size past its section's end: corrupt, and ruinous to disassemble */
		const char *name = elf_strptr(img->elf, sh.sh_link, sym.st_name);
		name = name ? name : "";
		bool holds = addr && sym.st_value <= addr && addr < sym.st_value + sym.st_size;
		if (!holds && !match(ctx, name))
			continue;
		xgrow((void **)out, &cap, count + 1, sizeof(**out));
		(*out)[count++] = (struct objsym){ name, sym.st_value, sym.st_size };
	}
	return count;
}

const uint8_t *objfile_code(struct objfile *o, uint64_t addr, size_t *size)
{
	const struct elf_section *s = elf_image_section_at(&o->image, addr);
	size_t len;
	const uint8_t *data = s ? elf_image_section_data(&o->image, s, &len) : NULL;
	if (!data || addr - s->addr >= len) {
		*size = 0;
		return NULL;
	}
	*size = len - (addr - s->addr);
	return data + (addr - s->addr);
}

unsigned objfile_machine(const struct objfile *o)
{
	return o->image.machine;
}
