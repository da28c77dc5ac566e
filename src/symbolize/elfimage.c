#include "symbolize/elfimage.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Go's wording of an open error: "open PATH: no such file or directory". */
static int open_error(struct error *e, const char *path, int err)
{
	char why[128];
	snprintf(why, sizeof(why), "%s", strerror(err));
	why[0] = (char)tolower((unsigned char)why[0]);
	return error_set(e, "open %s: %s", path, why);
}

static void read_sections(struct elf_image *img)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(img->elf, &shstrndx) != 0)
		return;
	size_t n = 0;
	elf_getshdrnum(img->elf, &n);
	img->sections = arena_array(&img->arena, n + 1, sizeof(*img->sections));
	for (Elf_Scn *scn = elf_nextscn(img->elf, NULL); scn; scn = elf_nextscn(img->elf, scn)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || img->nsections >= n)
			continue;
		const char *name = elf_strptr(img->elf, shstrndx, sh.sh_name);
		name = name ? name : "";
		/* decompress debug sections in place, once, for every later reader */
		if (sh.sh_flags & SHF_COMPRESSED)
			elf_compress(scn, 0, 0);
		else if (!strncmp(name, ".zdebug", 7))
			elf_compress_gnu(scn, 0, 0);
		struct elf_section *s = &img->sections[img->nsections++];
		s->name = name;
		s->addr = sh.sh_addr;
		s->size = sh.sh_size;
		s->offset = sh.sh_offset;
		s->index = (uint32_t)elf_ndxscn(scn);
		s->alloc = (sh.sh_flags & SHF_ALLOC) != 0;
		s->nobits = sh.sh_type == SHT_NOBITS;
		if ((!strcmp(name, ".debug_info") || !strcmp(name, ".zdebug_info")) && !s->nobits && sh.sh_size)
			img->has_dwarf = true;
		if (sh.sh_type == SHT_SYMTAB && sh.sh_entsize && sh.sh_size / sh.sh_entsize > 1)
			img->has_symtab = true;
	}
}

static void read_segments(struct elf_image *img)
{
	size_t n = 0;
	if (elf_getphdrnum(img->elf, &n) != 0)
		return;
	img->loads = arena_array(&img->arena, n + 1, sizeof(*img->loads));
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(img->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		img->loads[img->nloads++] = (struct elf_segment){ ph.p_offset, ph.p_vaddr, ph.p_filesz, ph.p_memsz,
								   (ph.p_flags & PF_X) != 0 };
	}
}

/* The GNU build ID note in data, as lower-case hex; NULL if none. */
static const char *find_build_id(struct elf_image *img, Elf_Data *data)
{
	GElf_Nhdr nh;
	size_t off = 0, name_off, desc_off;
	while (data && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		const char *name = (const char *)data->d_buf + name_off;
		if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 || memcmp(name, "GNU", 4))
			continue;
		const uint8_t *desc = (const uint8_t *)data->d_buf + desc_off;
		char *hex = arena_alloc(&img->arena, 2 * nh.n_descsz + 1);
		for (size_t i = 0; i < nh.n_descsz; i++)
			snprintf(hex + 2 * i, 3, "%02x", desc[i]);
		return hex;
	}
	return NULL;
}

/* Like pprof's GetBuildID: note segments first, then note sections. */
static void read_build_id(struct elf_image *img)
{
	img->build_id = "";
	size_t n = 0;
	if (elf_getphdrnum(img->elf, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			GElf_Phdr ph;
			if (!gelf_getphdr(img->elf, (int)i, &ph) || ph.p_type != PT_NOTE)
				continue;
			Elf_Data *d = elf_getdata_rawchunk(img->elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
			const char *id = find_build_id(img, d);
			if (id) {
				img->build_id = id;
				return;
			}
		}
	}
	for (Elf_Scn *scn = elf_nextscn(img->elf, NULL); scn; scn = elf_nextscn(img->elf, scn)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		const char *id = find_build_id(img, elf_getdata(scn, NULL));
		if (id) {
			img->build_id = id;
			return;
		}
	}
}

static void read_debuglink(struct elf_image *img)
{
	const struct elf_section *s = elf_image_section(img, ".gnu_debuglink");
	size_t size;
	const uint8_t *data = s ? elf_image_section_data(img, s, &size) : NULL;
	if (!data)
		return;
	const uint8_t *nul = memchr(data, 0, size);
	if (!nul || nul == data)
		return;
	size_t crc_at = ((size_t)(nul - data) + 4) & ~(size_t)3;
	if (crc_at + 4 > size)
		return;
	img->debuglink = arena_strndup(&img->arena, (const char *)data, (size_t)(nul - data));
	memcpy(&img->debuglink_crc, data + crc_at, 4);
}

int elf_image_open(struct elf_image *img, const char *path, struct error *e)
{
	memset(img, 0, sizeof(*img));
	img->fd = -1;
	arena_init(&img->arena);
	elf_version(EV_CURRENT);
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0) {
		open_error(e, path, errno);
		elf_image_close(img);
		return -1;
	}
	img->elf = elf_begin(img->fd, ELF_C_READ_MMAP, NULL);
	GElf_Ehdr eh;
	if (!img->elf || elf_kind(img->elf) != ELF_K_ELF || !gelf_getehdr(img->elf, &eh)) {
		error_set(e, "open %s: unrecognized object file", path);
		elf_image_close(img);
		return -1;
	}
	img->type = eh.e_type;
	img->machine = eh.e_machine;
	img->is64 = gelf_getclass(img->elf) == ELFCLASS64;
	read_sections(img);
	read_segments(img);
	read_build_id(img);
	read_debuglink(img);
	return 0;
}

void elf_image_close(struct elf_image *img)
{
	if (img->elf)
		elf_end(img->elf);
	if (img->fd >= 0)
		close(img->fd);
	free(img->symbols);
	arena_free(&img->arena);
	memset(img, 0, sizeof(*img));
	img->fd = -1;
}

const struct elf_section *elf_image_section_at(const struct elf_image *img, uint64_t addr)
{
	for (size_t i = 0; i < img->nsections; i++) {
		const struct elf_section *s = &img->sections[i];
		if (s->alloc && addr >= s->addr && addr - s->addr < s->size)
			return s;
	}
	return NULL;
}

const struct elf_section *elf_image_section(const struct elf_image *img, const char *name)
{
	for (size_t i = 0; i < img->nsections; i++)
		if (!strcmp(img->sections[i].name, name))
			return &img->sections[i];
	return NULL;
}

const uint8_t *elf_image_section_data(const struct elf_image *img, const struct elf_section *s, size_t *size)
{
	Elf_Scn *scn = elf_getscn(img->elf, s->index);
	Elf_Data *d = scn && !s->nobits ? elf_getdata(scn, NULL) : NULL;
	if (!d || !d->d_buf) {
		*size = 0;
		return NULL;
	}
	*size = d->d_size;
	return d->d_buf;
}

/* binutils' _bfd_elf_maybe_function_sym: could this symbol name code? */
static bool maybe_function(const GElf_Sym *sym, uint32_t shndx)
{
	int type = GELF_ST_TYPE(sym->st_info);
	if (type == STT_SECTION || type == STT_FILE || type == STT_OBJECT || type == STT_COMMON ||
	    type == STT_TLS || type == 8 /* STT_RELC */ || type == 9 /* STT_SRELC */)
		return false;
	if (shndx == SHN_UNDEF || (shndx >= SHN_LORESERVE && shndx <= SHN_HIRESERVE))
		return false;
	/* annobin's hidden local markers are not functions */
	return !(sym->st_size == 0 && GELF_ST_BIND(sym->st_info) == STB_LOCAL && type == STT_NOTYPE &&
		 GELF_ST_VISIBILITY(sym->st_other) == STV_HIDDEN);
}

static int symbol_cmp(const void *pa, const void *pb)
{
	const struct elf_symbol *a = pa, *b = pb;
	if (a->section != b->section)
		return a->section < b->section ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

static Elf_Scn *find_symbol_table(const struct elf_image *img, GElf_Shdr *sh)
{
	Elf_Scn *dynsym = NULL;
	GElf_Shdr dynsh;
	for (Elf_Scn *scn = elf_nextscn(img->elf, NULL); scn; scn = elf_nextscn(img->elf, scn)) {
		GElf_Shdr h;
		if (!gelf_getshdr(scn, &h) || !h.sh_entsize || h.sh_size / h.sh_entsize < 2)
			continue;
		if (h.sh_type == SHT_SYMTAB) {
			*sh = h;
			return scn;
		}
		if (h.sh_type == SHT_DYNSYM && !dynsym) {
			dynsym = scn;
			dynsh = h;
		}
	}
	if (dynsym)
		*sh = dynsh;
	return dynsym;
}

bool elf_image_symbol_value(const struct elf_image *img, const char *name, uint64_t *value)
{
	GElf_Shdr sh;
	Elf_Scn *scn = find_symbol_table(img, &sh);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	size_t n = data ? sh.sh_size / sh.sh_entsize : 0;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		const char *s = gelf_getsym(data, (int)i, &sym) ? elf_strptr(img->elf, sh.sh_link, sym.st_name) : NULL;
		if (s && !strcmp(s, name)) {
			*value = sym.st_value;
			return true;
		}
	}
	return false;
}

void elf_image_load_symbols(struct elf_image *img)
{
	if (img->symbols_loaded)
		return;
	img->symbols_loaded = true;
	GElf_Shdr sh;
	Elf_Scn *scn = find_symbol_table(img, &sh);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	if (!data)
		return;
	Elf_Data *xndx = NULL;
	for (Elf_Scn *x = elf_nextscn(img->elf, NULL); x; x = elf_nextscn(img->elf, x)) {
		GElf_Shdr xh;
		if (gelf_getshdr(x, &xh) && xh.sh_type == SHT_SYMTAB_SHNDX && xh.sh_link == elf_ndxscn(scn))
			xndx = elf_getdata(x, NULL);
	}
	size_t n = sh.sh_size / sh.sh_entsize;
	img->symbols = xmalloc(n * sizeof(*img->symbols));
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		Elf32_Word shndx_ext;
		if (!gelf_getsymshndx(data, xndx, (int)i, &sym, &shndx_ext))
			continue;
		uint32_t shndx = sym.st_shndx == SHN_XINDEX ? shndx_ext : sym.st_shndx;
		if (!maybe_function(&sym, shndx))
			continue;
		const char *name = elf_strptr(img->elf, sh.sh_link, sym.st_name);
		int type = GELF_ST_TYPE(sym.st_info);
		img->symbols[img->nsymbols++] = (struct elf_symbol){
			name ? name : "", sym.st_value, sym.st_size, shndx, (uint32_t)i,
			type == STT_FUNC, type == STT_NOTYPE,
		};
	}
	qsort(img->symbols, img->nsymbols, sizeof(*img->symbols), symbol_cmp);
}

/* binutils' better_fit, for two symbols at the same address. */
static bool better_fit(const struct elf_symbol *best, const struct elf_symbol *sym, uint64_t addr)
{
	uint64_t best_size = best->size ? best->size : 1, size = sym->size ? sym->size : 1;
	if (best->value + best_size <= addr)	/* the best does not reach addr: the larger does */
		return size > best_size;
	if (sym->value + size <= addr)
		return false;
	if (best->function != sym->function)
		return sym->function;
	if (best->notype != sym->notype)
		return best->notype;
	return size < best_size;
}

const struct elf_symbol *elf_image_function_at(const struct elf_image *img, uint32_t section, uint64_t addr)
{
	/* the last symbol at or below addr in the section */
	size_t lo = 0, hi = img->nsymbols;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct elf_symbol *s = &img->symbols[mid];
		if (s->section < section || (s->section == section && s->value <= addr))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || img->symbols[lo - 1].section != section)
		return NULL;
	size_t first = lo - 1;
	uint64_t value = img->symbols[first].value;
	while (first > 0 && img->symbols[first - 1].section == section && img->symbols[first - 1].value == value)
		first--;
	/* the aliases at that address, in symbol-table order, as binutils meets them */
	const struct elf_symbol *best = &img->symbols[first];
	for (size_t i = first + 1; i < lo; i++)
		if (better_fit(best, &img->symbols[i], addr))
			best = &img->symbols[i];
	return best;
}
