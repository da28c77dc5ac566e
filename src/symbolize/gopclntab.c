#include "symbolize/gopclntab.h"

#include <string.h>

enum { MAGIC_12 = 0xfffffffb, MAGIC_116 = 0xfffffffa, MAGIC_118 = 0xfffffff0, MAGIC_120 = 0xfffffff1 };

static uint32_t u32(const struct go_pclntab *t, const uint8_t *p)
{
	return t->big_endian ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
			     : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint64_t uword(const struct go_pclntab *t, const uint8_t *p, unsigned size)
{
	if (size == 4)
		return u32(t, p);
	uint64_t hi = u32(t, p + (t->big_endian ? 0 : 4)), lo = u32(t, p + (t->big_endian ? 4 : 0));
	return hi << 32 | lo;
}

/* The region of the table at offset off, or false if off is outside it. */
static bool region(const struct go_pclntab *t, uint64_t off, const uint8_t **p, size_t *size)
{
	if (off > t->size)
		return false;
	*p = t->data + off;
	*size = t->size - off;
	return true;
}

bool gopclntab_open(struct go_pclntab *t, const uint8_t *data, size_t size, uint64_t text_start)
{
	memset(t, 0, sizeof(*t));
	if (size < 16 || data[4] != 0 || data[5] != 0 || (data[6] != 1 && data[6] != 2 && data[6] != 4) ||
	    (data[7] != 4 && data[7] != 8))
		return false;
	t->data = data;
	t->size = size;
	t->quantum = data[6];
	t->ptrsize = data[7];
	uint32_t le = (uint32_t)data[3] << 24 | (uint32_t)data[2] << 16 | (uint32_t)data[1] << 8 | data[0];
	uint32_t be = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3];
	uint32_t magic = le;
	if (be == MAGIC_12 || be == MAGIC_116 || be == MAGIC_118 || be == MAGIC_120) {
		t->big_endian = true;
		magic = be;
	}
	t->version = magic == MAGIC_12 ? 12 : magic == MAGIC_116 ? 116 : magic == MAGIC_118 ? 118
		     : magic == MAGIC_120 ? 120 : 0;
	if (!t->version || size < 8 + 8 * (size_t)t->ptrsize)
		return false;
#define WORD(i) uword(t, data + 8 + (i) * t->ptrsize, t->ptrsize)
	bool ok = true;
	if (t->version >= 118) {
		t->nfunc = WORD(0);
		t->text_start = text_start;
		ok = region(t, WORD(3), &t->funcnames, &t->funcnames_size) && region(t, WORD(4), &t->cutab, &t->cutab_size) &&
		     region(t, WORD(5), &t->filetab, &t->filetab_size) && region(t, WORD(6), &t->pctab, &t->pctab_size) &&
		     region(t, WORD(7), &t->funcdata, &t->funcdata_size);
		t->functab = t->funcdata;
	} else if (t->version == 116) {
		t->nfunc = WORD(0);
		ok = region(t, WORD(2), &t->funcnames, &t->funcnames_size) && region(t, WORD(3), &t->cutab, &t->cutab_size) &&
		     region(t, WORD(4), &t->filetab, &t->filetab_size) && region(t, WORD(5), &t->pctab, &t->pctab_size) &&
		     region(t, WORD(6), &t->funcdata, &t->funcdata_size);
		t->functab = t->funcdata;
	} else {
		t->nfunc = uword(t, data + 8, t->ptrsize);
		t->funcdata = t->funcnames = t->pctab = data;
		t->funcdata_size = t->funcnames_size = t->pctab_size = size;
		t->functab = data + 8 + t->ptrsize;
		size_t functab_size = (2 * (size_t)t->nfunc + 1) * t->ptrsize;
		ok = 8 + t->ptrsize + functab_size + 4 <= size;
		if (ok) {
			uint32_t fileoff = u32(t, t->functab + functab_size);
			ok = region(t, fileoff, &t->filetab, &t->filetab_size);
		}
	}
#undef WORD
	size_t field = t->version >= 118 ? 4 : t->ptrsize;
	if (!ok || t->nfunc == 0 || t->nfunc > size ||
	    (size_t)(t->functab - data) + (2 * t->nfunc + 1) * field > size)
		return false;
	return true;
}

static size_t field_size(const struct go_pclntab *t)
{
	return t->version >= 118 ? 4 : t->ptrsize;
}

static uint64_t func_pc(const struct go_pclntab *t, uint64_t i)
{
	uint64_t u = uword(t, t->functab + 2 * i * field_size(t), (unsigned)field_size(t));
	return t->version >= 118 ? u + t->text_start : u;
}

/* The _func record of function i, or NULL if it lies outside the table. */
static const uint8_t *func_data(const struct go_pclntab *t, uint64_t i, size_t *size)
{
	uint64_t off = uword(t, t->functab + (2 * i + 1) * field_size(t), (unsigned)field_size(t));
	size_t first = t->version >= 118 ? 4 : t->ptrsize;
	if (off > t->funcdata_size || t->funcdata_size - off < first + 8 * 4)
		return NULL;
	*size = t->funcdata_size - off;
	return t->funcdata + off;
}

/* Field n (1..8) of a _func: the fields after the entry are 4 bytes each. */
static uint32_t func_field(const struct go_pclntab *t, const uint8_t *f, unsigned n)
{
	size_t first = t->version >= 118 ? 4 : t->ptrsize;
	return u32(t, f + first + (n - 1) * 4);
}

static const char *string_at(const uint8_t *base, size_t size, uint64_t off)
{
	if (off >= size || !memchr(base + off, 0, size - off))
		return NULL;
	return (const char *)base + off;
}

static bool read_varint(const uint8_t **p, const uint8_t *end, uint32_t *v)
{
	*v = 0;
	for (unsigned shift = 0; shift < 35; shift += 7) {
		if (*p >= end)
			return false;
		uint8_t b = *(*p)++;
		*v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

/* gosym's pcvalue: the value of a pc-value table at target, -1 if it does not cover it. */
static int32_t pc_value(const struct go_pclntab *t, uint32_t off, uint64_t entry, uint64_t target)
{
	if (off >= t->pctab_size)
		return -1;
	const uint8_t *p = t->pctab + off, *end = t->pctab + t->pctab_size;
	int32_t val = -1;
	uint64_t pc = entry;
	for (bool first = true;; first = false) {
		uint32_t uvdelta, pcdelta;
		if (!read_varint(&p, end, &uvdelta) || (uvdelta == 0 && !first))
			return -1;
		int32_t vdelta = (int32_t)(uvdelta & 1 ? ~(uvdelta >> 1) : uvdelta >> 1);
		if (!read_varint(&p, end, &pcdelta))
			return -1;
		pc += (uint64_t)pcdelta * t->quantum;
		val += vdelta;
		if (target < pc)
			return val;
	}
}

static const char *file_name(const struct go_pclntab *t, const uint8_t *f, int32_t fno)
{
	if (t->version == 12) {
		if (fno <= 0 || (uint64_t)fno * 4 + 4 > t->filetab_size)
			return "";
		const char *s = string_at(t->funcdata, t->funcdata_size, u32(t, t->filetab + 4 * (size_t)fno));
		return s ? s : "";
	}
	if (fno < 0)
		return "";
	uint64_t at = ((uint64_t)func_field(t, f, 8) + (uint64_t)fno) * 4;
	if (at + 4 > t->cutab_size)
		return "";
	uint32_t off = u32(t, t->cutab + at);
	const char *s = off == UINT32_MAX ? NULL : string_at(t->filetab, t->filetab_size, off);
	return s ? s : "";
}

bool gopclntab_lookup(const struct go_pclntab *t, uint64_t pc, const char **function, const char **file,
		      int64_t *line)
{
	if (pc < func_pc(t, 0) || pc >= func_pc(t, t->nfunc))
		return false;
	uint64_t lo = 0, hi = t->nfunc;
	while (lo < hi) {	/* the last function whose entry is at or below pc */
		uint64_t mid = (lo + hi) / 2;
		if (func_pc(t, mid) > pc)
			hi = mid;
		else
			lo = mid + 1;
	}
	size_t size;
	const uint8_t *f = lo ? func_data(t, lo - 1, &size) : NULL;
	if (!f)
		return false;
	uint64_t entry = t->version >= 118 ? u32(t, f) + t->text_start : uword(t, f, t->ptrsize);
	const char *name = string_at(t->funcnames, t->funcnames_size, func_field(t, f, 1));
	*function = name ? name : "";
	*file = file_name(t, f, pc_value(t, func_field(t, f, 5), entry, pc));
	*line = pc_value(t, func_field(t, f, 6), entry, pc);
	return true;
}
