#include "symbolize/lines.h"

#include <stdlib.h>
#include <string.h>

/* DWARF constants used here (dwarf.h would do, but these are all). */
enum {
	LNS_copy = 1, LNS_advance_pc, LNS_advance_line, LNS_set_file, LNS_set_column,
	LNS_negate_stmt, LNS_set_basic_block, LNS_const_add_pc, LNS_fixed_advance_pc,
	LNE_end_sequence = 1, LNE_set_address, LNE_define_file, LNE_set_discriminator,
	LNCT_path = 1, LNCT_directory_index,
	FORM_block2 = 0x03, FORM_block4 = 0x04, FORM_data2 = 0x05, FORM_data4 = 0x06,
	FORM_data8 = 0x07, FORM_string = 0x08, FORM_block = 0x09, FORM_block1 = 0x0a,
	FORM_data1 = 0x0b, FORM_sdata = 0x0d, FORM_strp = 0x0e, FORM_udata = 0x0f,
	FORM_data16 = 0x1e, FORM_line_strp = 0x1f, FORM_strx = 0x1a, FORM_strx1 = 0x25,
	FORM_strx2 = 0x26, FORM_strx3 = 0x27, FORM_strx4 = 0x28,
};

/* A bounds-checked cursor: once it runs past the end, it stays failed. */
struct cursor {
	const uint8_t *p, *end;
	bool failed;
};

static bool take(struct cursor *c, size_t n)
{
	if (c->failed || (size_t)(c->end - c->p) < n) {
		c->failed = true;
		c->p = c->end;
		return false;
	}
	return true;
}

static void skip(struct cursor *c, uint64_t n)
{
	if (take(c, n))
		c->p += n;
}

static uint64_t read_fixed(struct cursor *c, size_t n)
{
	if (!take(c, n))
		return 0;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)c->p[i] << (8 * i);	/* little-endian targets only */
	c->p += n;
	return v;
}

static uint64_t read_uleb(struct cursor *c)
{
	uint64_t v = 0;
	for (unsigned shift = 0;; shift += 7) {
		if (!take(c, 1))
			return 0;
		uint8_t b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
}

static int64_t read_sleb(struct cursor *c)
{
	int64_t v = 0;
	unsigned shift = 0;
	uint8_t b;
	do {
		if (!take(c, 1))
			return 0;
		b = *c->p++;
		if (shift < 64)
			v |= (int64_t)((uint64_t)(b & 0x7f) << shift);
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		v |= -((int64_t)1 << shift);
	return v;
}

static const char *read_cstr(struct cursor *c)
{
	if (c->failed)
		return NULL;
	const uint8_t *nul = memchr(c->p, 0, (size_t)(c->end - c->p));
	if (!nul) {
		c->failed = true;
		return NULL;
	}
	const char *s = (const char *)c->p;
	c->p = nul + 1;
	return s;
}

/* A string at offset of a string section, or NULL if out of range. */
static const char *section_str(const uint8_t *data, size_t size, uint64_t off)
{
	if (off >= size || !memchr(data + off, 0, size - off))
		return NULL;
	return (const char *)data + off;
}

struct file_entry {
	const char *name;
	uint64_t dir;
};

/* The directory and file tables while the header is read. */
struct header_tables {
	const char **dirs;
	size_t ndirs, dirs_cap;
	struct file_entry *files;
	size_t nfiles, files_cap;
};

static void add_dir(struct header_tables *h, const char *dir)
{
	xgrow((void **)&h->dirs, &h->dirs_cap, h->ndirs + 1, sizeof(*h->dirs));
	h->dirs[h->ndirs++] = dir;
}

static void add_file(struct header_tables *h, const char *name, uint64_t dir)
{
	xgrow((void **)&h->files, &h->files_cap, h->nfiles + 1, sizeof(*h->files));
	h->files[h->nfiles++] = (struct file_entry){ name, dir };
}

/* One attribute value of a DWARF 5 entry format; strings and numbers, the rest skipped. */
static void read_form(struct cursor *c, uint64_t form, unsigned offset_size, const struct dwarf_sections *s,
		      const char **str, uint64_t *num)
{
	switch (form) {
	case FORM_string: *str = read_cstr(c); break;
	case FORM_line_strp: *str = section_str(s->line_str, s->line_str_size, read_fixed(c, offset_size)); break;
	case FORM_strp: *str = section_str(s->str, s->str_size, read_fixed(c, offset_size)); break;
	case FORM_strx: case FORM_udata: *num = read_uleb(c); break;
	case FORM_sdata: *num = (uint64_t)read_sleb(c); break;
	case FORM_data1: case FORM_strx1: *num = read_fixed(c, 1); break;
	case FORM_data2: case FORM_strx2: *num = read_fixed(c, 2); break;
	case FORM_strx3: *num = read_fixed(c, 3); break;
	case FORM_data4: case FORM_strx4: *num = read_fixed(c, 4); break;
	case FORM_data8: *num = read_fixed(c, 8); break;
	case FORM_data16: skip(c, 16); break;
	case FORM_block1: skip(c, read_fixed(c, 1)); break;
	case FORM_block2: skip(c, read_fixed(c, 2)); break;
	case FORM_block4: skip(c, read_fixed(c, 4)); break;
	case FORM_block: skip(c, read_uleb(c)); break;
	default: c->failed = true; break;
	}
}

/* DWARF 5 directory or file table: a format description, then the entries. */
static void read_entry_table(struct cursor *c, unsigned offset_size, const struct dwarf_sections *s,
			     struct header_tables *h, bool files)
{
	uint8_t nformats = (uint8_t)read_fixed(c, 1);
	uint64_t formats[2 * 255];
	for (unsigned i = 0; i < nformats; i++) {
		formats[2 * i] = read_uleb(c);
		formats[2 * i + 1] = read_uleb(c);
	}
	uint64_t count = read_uleb(c);
	if (nformats == 0 && count != 0)
		c->failed = true;
	for (uint64_t n = 0; n < count && !c->failed; n++) {
		const char *name = NULL;
		uint64_t dir = 0;
		for (unsigned i = 0; i < nformats && !c->failed; i++) {
			const char *str = NULL;
			uint64_t num = 0;
			read_form(c, formats[2 * i + 1], offset_size, s, &str, &num);
			if (formats[2 * i] == LNCT_path)
				name = str;
			else if (formats[2 * i] == LNCT_directory_index)
				dir = num;
		}
		if (files)
			add_file(h, name, dir);
		else
			add_dir(h, name);
	}
}

/* binutils' concat_filename: the file joined with its directory and the compilation directory. */
static const char *join_file(struct arena *a, const struct header_tables *h, const char *comp_dir,
			     bool zero_based, uint64_t n)
{
	if (!zero_based) {
		if (n == 0)
			return "<unknown>";
		n--;
	}
	if (n >= h->nfiles || !h->files[n].name)
		return "<unknown>";
	const char *name = h->files[n].name;
	if (name[0] == '/')
		return name;
	uint64_t d = h->files[n].dir;
	if (!zero_based)
		d--;	/* directory 0 wraps to "none" */
	const char *subdir = d < h->ndirs ? h->dirs[d] : NULL;
	const char *dir = NULL;
	if (!subdir || subdir[0] != '/')
		dir = comp_dir;
	if (!dir) {
		dir = subdir;
		subdir = NULL;
	}
	if (!dir)
		return name;
	if (subdir)
		return arena_printf(a, "%s/%s/%s", dir, subdir, name);
	return arena_printf(a, "%s/%s", dir, name);
}

struct header {
	unsigned version, offset_size;
	uint8_t min_inst_length, max_ops, line_range, opcode_base;
	int8_t line_base;
	uint8_t opcode_lengths[256];
	const uint8_t *program, *end;
};

static bool read_header(struct cursor *c, const struct dwarf_sections *s, struct header *hd,
			struct header_tables *h)
{
	uint64_t length = read_fixed(c, 4);
	hd->offset_size = 4;
	if (length == 0xffffffff) {
		length = read_fixed(c, 8);
		hd->offset_size = 8;
	}
	if (c->failed || length > (uint64_t)(c->end - c->p))
		return false;
	c->end = c->p + length;
	hd->end = c->end;
	hd->version = (unsigned)read_fixed(c, 2);
	if (hd->version < 2 || hd->version > 5)
		return false;
	if (hd->version >= 5) {
		read_fixed(c, 1);		/* address size */
		if (read_fixed(c, 1) != 0)	/* segment selector size */
			return false;
	}
	uint64_t header_length = read_fixed(c, hd->offset_size);
	if (c->failed || header_length > (uint64_t)(c->end - c->p))
		return false;
	hd->program = c->p + header_length;
	hd->min_inst_length = (uint8_t)read_fixed(c, 1);
	hd->max_ops = hd->version >= 4 ? (uint8_t)read_fixed(c, 1) : 1;
	read_fixed(c, 1);	/* default_is_stmt */
	hd->line_base = (int8_t)read_fixed(c, 1);
	hd->line_range = (uint8_t)read_fixed(c, 1);
	hd->opcode_base = (uint8_t)read_fixed(c, 1);
	if (hd->max_ops == 0 || hd->opcode_base == 0)
		return false;
	memset(hd->opcode_lengths, 0, sizeof(hd->opcode_lengths));
	for (unsigned i = 1; i < hd->opcode_base; i++)
		hd->opcode_lengths[i] = (uint8_t)read_fixed(c, 1);
	if (hd->version >= 5) {
		read_entry_table(c, hd->offset_size, s, h, false);
		read_entry_table(c, hd->offset_size, s, h, true);
	} else {
		for (const char *dir; (dir = read_cstr(c)) && *dir;)
			add_dir(h, dir);
		for (const char *file; (file = read_cstr(c)) && *file;) {
			uint64_t dir = read_uleb(c);
			read_uleb(c);	/* time */
			read_uleb(c);	/* size */
			add_file(h, file, dir);
		}
	}
	return !c->failed;
}

/* Rows of the sequence being decoded, and the decoded sequences. */
struct decoder {
	struct line_row *rows;
	size_t nrows, rows_cap;
	struct line_sequence *seqs;
	size_t nseqs, seqs_cap;
	size_t seq_start;	/* first row of the open sequence */
};

static int row_cmp(const void *pa, const void *pb)
{
	const struct line_row *a = pa, *b = pb;
	if (a->address != b->address)
		return a->address < b->address ? -1 : 1;
	return a < b ? -1 : a > b;	/* stable: rows are sorted in place by index */
}

/*
 * Adds a row.  binutils keeps only the last of rows repeating the
 * previous row's address (and end flag), and starts a new sequence after
 * an end of sequence.
 */
static void add_row(struct decoder *d, uint64_t address, const char *file, uint32_t line, bool end)
{
	if (d->nrows > d->seq_start) {
		struct line_row *last = &d->rows[d->nrows - 1];
		if (last->address == address && last->end_sequence == end) {
			*last = (struct line_row){ address, file, line, end };
			return;
		}
	}
	xgrow((void **)&d->rows, &d->rows_cap, d->nrows + 1, sizeof(*d->rows));
	d->rows[d->nrows++] = (struct line_row){ address, file, line, end };
}

/* Closes the open sequence at its end_sequence row. */
static void end_sequence(struct decoder *d)
{
	struct line_row *rows = d->rows + d->seq_start;
	size_t n = d->nrows - d->seq_start;
	bool sorted = true;
	for (size_t i = 1; i < n - 1 && sorted; i++)
		sorted = rows[i - 1].address <= rows[i].address;
	if (!sorted) {
		/* out-of-order rows (rare compilers): sort all but the end row, keeping order among equals */
		struct line_row end_row = rows[n - 1];
		qsort(rows, n - 1, sizeof(*rows), row_cmp);
		rows[n - 1] = end_row;
	}
	uint64_t low = rows[0].address, high = rows[n - 1].address;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].address < low)
			low = rows[i].address;
		if (rows[i].address > high)
			high = rows[i].address;
	}
	xgrow((void **)&d->seqs, &d->seqs_cap, d->nseqs + 1, sizeof(*d->seqs));
	d->seqs[d->nseqs++] = (struct line_sequence){ low, high, (uint32_t)d->seq_start, (uint32_t)n };
	d->seq_start = d->nrows;
}

struct machine {
	uint64_t address;
	unsigned op_index;
	const char *file;
	int64_t line;
};

static void advance(struct machine *m, const struct header *hd, uint64_t operation_advance)
{
	if (hd->max_ops == 1) {
		m->address += hd->min_inst_length * operation_advance;
	} else {
		m->address += hd->min_inst_length * ((m->op_index + operation_advance) / hd->max_ops);
		m->op_index = (unsigned)((m->op_index + operation_advance) % hd->max_ops);
	}
}

static void emit(struct decoder *d, const struct machine *m, bool end)
{
	const char *file = m->file && *m->file ? m->file : NULL;
	add_row(d, m->address, file, (uint32_t)m->line, end);
	if (end)
		end_sequence(d);
}

/* Runs the line number program; false on malformed data. */
static bool run_program(struct cursor *c, const struct header *hd, struct decoder *d, struct arena *a,
			const struct header_tables *h, const char *comp_dir, bool zero_based, unsigned addr_size)
{
	while (c->p < c->end && !c->failed) {
		struct machine m = { 0, 0, NULL, 1 };
		if (h->nfiles)
			m.file = join_file(a, h, comp_dir, zero_based, zero_based ? 0 : 1);
		bool ended = false;
		while (!ended && c->p < c->end && !c->failed) {
			uint8_t op = (uint8_t)read_fixed(c, 1);
			if (op >= hd->opcode_base) {
				if (hd->line_range == 0)
					return false;
				uint8_t adj = (uint8_t)(op - hd->opcode_base);
				advance(&m, hd, adj / hd->line_range);
				m.line += hd->line_base + adj % hd->line_range;
				emit(d, &m, false);
				continue;
			}
			switch (op) {
			case 0: {
				uint64_t len = read_uleb(c);
				const uint8_t *next = c->p + len;
				if (len == 0 || len > (uint64_t)(c->end - c->p))
					return false;
				uint8_t ext = (uint8_t)read_fixed(c, 1);
				if (ext == LNE_end_sequence) {
					emit(d, &m, true);
					ended = true;
				} else if (ext == LNE_set_address) {
					m.address = read_fixed(c, len - 1 <= 8 ? (size_t)(len - 1) : addr_size);
					m.op_index = 0;
				}
				/* define_file, set_discriminator and vendor ops: nothing a lookup needs */
				c->p = next;
				break;
			}
			case LNS_copy: emit(d, &m, false); break;
			case LNS_advance_pc: advance(&m, hd, read_uleb(c)); break;
			case LNS_advance_line: m.line += read_sleb(c); break;
			case LNS_set_file: m.file = join_file(a, h, comp_dir, zero_based, read_uleb(c)); break;
			case LNS_set_column: read_uleb(c); break;
			case LNS_negate_stmt: case LNS_set_basic_block: break;
			case LNS_const_add_pc:
				if (hd->line_range == 0)
					return false;
				advance(&m, hd, (255 - hd->opcode_base) / hd->line_range);
				break;
			case LNS_fixed_advance_pc: m.address += read_fixed(c, 2); m.op_index = 0; break;
			default:
				for (unsigned i = 0; i < hd->opcode_lengths[op]; i++)
					read_uleb(c);
				break;
			}
		}
	}
	return !c->failed;
}

static int seq_cmp(const void *pa, const void *pb)
{
	const struct line_sequence *a = pa, *b = pb;
	if (a->low != b->low)
		return a->low < b->low ? -1 : 1;
	if (a->high != b->high)
		return a->high > b->high ? -1 : 1;	/* the largest first */
	return (a->first > b->first) - (a->first < b->first);
}

/* binutils' sort_line_sequences: sorted, nested ones dropped, overlapping ones trimmed. */
static void sort_sequences(struct line_table *t)
{
	if (t->nseqs == 0)
		return;
	qsort(t->seqs, t->nseqs, sizeof(*t->seqs), seq_cmp);
	size_t n = 1;
	uint64_t last_high = t->seqs[0].high;
	for (size_t i = 1; i < t->nseqs; i++) {
		struct line_sequence s = t->seqs[i];
		if (s.low < last_high) {
			if (s.high <= last_high)
				continue;
			s.low = last_high;
		}
		last_high = s.high;
		t->seqs[n++] = s;
	}
	t->nseqs = n;
}

bool line_table_decode(struct line_table *t, struct arena *a, const struct dwarf_sections *s, uint64_t offset,
		       const char *comp_dir, unsigned addr_size)
{
	memset(t, 0, sizeof(*t));
	if (offset >= s->line_size)
		return false;
	struct cursor c = { s->line + offset, s->line + s->line_size, false };
	struct header hd;
	struct header_tables h = { 0 };
	struct decoder d = { 0 };
	bool ok = read_header(&c, s, &hd, &h) && hd.program <= hd.end;
	bool zero_based = hd.version >= 5;
	if (ok) {
		c.p = hd.program;
		ok = run_program(&c, &hd, &d, a, &h, comp_dir, zero_based, addr_size);
	}
	if (ok) {
		t->rows = arena_array(a, d.nrows + 1, sizeof(*t->rows));
		if (d.nrows)
			memcpy(t->rows, d.rows, d.nrows * sizeof(*t->rows));
		t->nrows = d.nrows;
		t->seqs = arena_array(a, d.nseqs + 1, sizeof(*t->seqs));
		if (d.nseqs)
			memcpy(t->seqs, d.seqs, d.nseqs * sizeof(*t->seqs));
		t->nseqs = d.nseqs;
		sort_sequences(t);
		t->zero_based = zero_based;
		t->nfiles = h.nfiles + 1;
		t->files = arena_array(a, t->nfiles, sizeof(*t->files));
		for (size_t i = 0; i < t->nfiles; i++)
			t->files[i] = join_file(a, &h, comp_dir, zero_based, i);
	}
	free(h.dirs);
	free(h.files);
	free(d.rows);
	free(d.seqs);
	return ok;
}

bool line_table_lookup(const struct line_table *t, uint64_t addr, const char **file, uint32_t *line)
{
	size_t lo = 0, hi = t->nseqs;
	const struct line_sequence *seq = NULL;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (addr < t->seqs[mid].low) {
			hi = mid;
		} else if (addr >= t->seqs[mid].high) {
			lo = mid + 1;
		} else {
			seq = &t->seqs[mid];
			break;
		}
	}
	if (!seq)
		return false;
	const struct line_row *rows = t->rows + seq->first;
	lo = 0;
	hi = seq->count;
	while (lo < hi) {	/* the last row at or before addr */
		size_t mid = (lo + hi) / 2;
		if (rows[mid].address <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || lo >= seq->count)
		return false;
	const struct line_row *r = &rows[lo - 1];
	if (r->end_sequence)
		return false;
	*file = r->file;
	*line = r->line;
	return true;
}

const char *line_table_file(const struct line_table *t, uint64_t n)
{
	return n < t->nfiles ? t->files[n] : "<unknown>";
}
