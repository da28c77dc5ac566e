#include "symbolize/dwarfindex.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize/lines.h"

#define NONE UINT32_MAX

/*
 * An address range and what it belongs to.  Several ranges may hold an
 * address; a segment index answers, for any address, the one a
 * preference picks among them.
 */
struct range {
	uint64_t low, high;
	uint32_t id;
};

/* Disjoint segments: [start, next start) belongs to id (NONE: to nothing). */
struct segment {
	uint64_t start;
	uint32_t id;
};

struct segment_index {
	struct segment *segs;
	size_t n;
};

/* True if range a is preferred over range b. */
typedef bool (*prefer_fn)(const struct range *a, const struct range *b);

struct heap {
	uint32_t *items;	/* indexes into ranges */
	size_t n;
	const struct range *ranges;
	prefer_fn prefer;
};

static bool heap_before(const struct heap *h, uint32_t a, uint32_t b)
{
	return h->prefer(&h->ranges[a], &h->ranges[b]);
}

static void heap_push(struct heap *h, uint32_t v)
{
	size_t i = h->n++;
	h->items[i] = v;
	while (i > 0 && heap_before(h, h->items[i], h->items[(i - 1) / 2])) {
		uint32_t t = h->items[i];
		h->items[i] = h->items[(i - 1) / 2];
		h->items[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void heap_pop(struct heap *h)
{
	h->items[0] = h->items[--h->n];
	for (size_t i = 0;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && heap_before(h, h->items[l], h->items[m]))
			m = l;
		if (r < h->n && heap_before(h, h->items[r], h->items[m]))
			m = r;
		if (m == i)
			break;
		uint32_t t = h->items[i];
		h->items[i] = h->items[m];
		h->items[m] = t;
		i = m;
	}
}

static const struct range *sort_ranges;

static int by_low(const void *a, const void *b)
{
	const struct range *l = &sort_ranges[*(const uint32_t *)a], *r = &sort_ranges[*(const uint32_t *)b];
	return (l->low > r->low) - (l->low < r->low);
}

static int by_high(const void *a, const void *b)
{
	const struct range *l = &sort_ranges[*(const uint32_t *)a], *r = &sort_ranges[*(const uint32_t *)b];
	return (l->high > r->high) - (l->high < r->high);
}

static void add_segment(struct segment_index *ix, size_t *cap, uint64_t start, uint32_t id)
{
	if (ix->n && ix->segs[ix->n - 1].start == start) {
		ix->segs[ix->n - 1].id = id;
		if (ix->n > 1 && ix->segs[ix->n - 2].id == id)
			ix->n--;
		return;
	}
	if (ix->n && ix->segs[ix->n - 1].id == id)
		return;
	xgrow((void **)&ix->segs, cap, ix->n + 1, sizeof(*ix->segs));
	ix->segs[ix->n++] = (struct segment){ start, id };
}

/*
 * Sweeps the ranges' ends in address order with a heap of the ranges
 * open at each point: O(n log n), and lookups are one binary search.
 */
static void segment_index_build(struct segment_index *ix, const struct range *ranges, size_t n, prefer_fn prefer)
{
	memset(ix, 0, sizeof(*ix));
	uint32_t *starts = xmalloc((n + 1) * sizeof(uint32_t)), *ends = xmalloc((n + 1) * sizeof(uint32_t));
	uint8_t *closed = xcalloc(n + 1, 1);
	for (uint32_t i = 0; i < n; i++)
		starts[i] = ends[i] = i;
	sort_ranges = ranges;
	qsort(starts, n, sizeof(uint32_t), by_low);
	qsort(ends, n, sizeof(uint32_t), by_high);
	struct heap h = { xmalloc((n + 1) * sizeof(uint32_t)), 0, ranges, prefer };
	size_t cap = 0, s = 0, e = 0;
	while (s < n || e < n) {
		uint64_t at = e < n ? ranges[ends[e]].high : UINT64_MAX;
		if (s < n && ranges[starts[s]].low < at)
			at = ranges[starts[s]].low;
		for (; e < n && ranges[ends[e]].high == at; e++)
			closed[ends[e]] = 1;
		for (; s < n && ranges[starts[s]].low == at; s++)
			heap_push(&h, starts[s]);
		while (h.n && closed[h.items[0]])
			heap_pop(&h);
		add_segment(ix, &cap, at, h.n ? ranges[h.items[0]].id : NONE);
	}
	free(h.items);
	free(closed);
	free(starts);
	free(ends);
}

static uint32_t segment_index_find(const struct segment_index *ix, uint64_t addr)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ix->segs[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? ix->segs[lo - 1].id : NONE;
}

/* The unit with the smaller index comes first, as binutils reads units in order. */
static bool prefer_first_unit(const struct range *a, const struct range *b)
{
	return a->id < b->id;
}

/* binutils' best fit: the shortest range; of equal ones, the function read last. */
static bool prefer_best_fit(const struct range *a, const struct range *b)
{
	uint64_t la = a->high - a->low, lb = b->high - b->low;
	return la != lb ? la < lb : a->id > b->id;
}

struct unit {
	Dwarf_Off die_offset;
	bool go;
	const char *comp_dir;
	unsigned addr_size;
	bool has_lines;
	struct line_table lines;

	bool functions_read;
	struct dwarf_function *functions;
	size_t nfunctions;
	struct segment_index function_at;
};

struct dwarf_index {
	Dwarf *dw;
	struct arena arena;
	struct dwarf_sections sections;
	struct unit *units;
	size_t nunits;
	bool indexed;
	struct segment_index line_unit;	/* first unit whose line table covers an address */
	struct segment_index die_unit;	/* first unit whose DIE ranges cover it */
};

static const uint8_t *section_bytes(struct elf_image *img, const char *name, size_t *size)
{
	const struct elf_section *s = elf_image_section(img, name);
	if (!s) {
		char z[64];
		snprintf(z, sizeof(z), ".z%s", name + 1);
		s = elf_image_section(img, z);
	}
	*size = 0;
	return s ? elf_image_section_data(img, s, size) : NULL;
}

struct dwarf_index *dwarf_index_open(struct elf_image *img)
{
	if (!img->has_dwarf)
		return NULL;
	Dwarf *dw = dwarf_begin_elf(img->elf, DWARF_C_READ, NULL);
	if (!dw)
		return NULL;
	struct dwarf_index *ix = xcalloc(1, sizeof(*ix));
	ix->dw = dw;
	arena_init(&ix->arena);
	struct dwarf_sections *s = &ix->sections;
	s->line = section_bytes(img, ".debug_line", &s->line_size);
	s->str = section_bytes(img, ".debug_str", &s->str_size);
	s->line_str = section_bytes(img, ".debug_line_str", &s->line_str_size);
	return ix;
}

void dwarf_index_close(struct dwarf_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nunits; i++) {
		free(ix->units[i].functions);
		free(ix->units[i].function_at.segs);
	}
	free(ix->units);
	free(ix->line_unit.segs);
	free(ix->die_unit.segs);
	arena_free(&ix->arena);
	dwarf_end(ix->dw);
	free(ix);
}

/* binutils' mangle_style(lang) == 0: languages whose DW_AT_name is the linkage name. */
static bool name_is_linkage(int lang)
{
	switch (lang) {
	case DW_LANG_C89: case DW_LANG_C: case DW_LANG_Cobol74: case DW_LANG_Cobol85:
	case DW_LANG_Fortran77: case DW_LANG_Pascal83: case DW_LANG_PLI: case DW_LANG_C99:
	case DW_LANG_UPC: case DW_LANG_C11: case DW_LANG_Mips_Assembler:
	case 0x8765 /* DW_LANG_Upc */: case 0x8004 /* HP_Basic91 */: case 0x8006 /* HP_IMacro */:
	case 0x8007 /* HP_Assembler */:
		return true;
	default:
		return false;
	}
}

static void add_range(struct range **rs, size_t *n, size_t *cap, uint64_t low, uint64_t high, uint32_t id)
{
	if (low >= high)
		return;
	xgrow((void **)rs, cap, *n + 1, sizeof(**rs));
	(*rs)[(*n)++] = (struct range){ low, high, id };
}

/* Reads every unit's header attributes and line table, and indexes which unit covers what. */
static void index_units(struct dwarf_index *ix)
{
	ix->indexed = true;
	struct range *lines = NULL, *dies = NULL;
	size_t nlines = 0, lines_cap = 0, ndies = 0, dies_cap = 0, units_cap = 0;
	Dwarf_CU *cu = NULL;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die cudie;
	while (dwarf_get_units(ix->dw, cu, &cu, &version, &unit_type, &cudie, NULL) == 0) {
		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial && unit_type != DW_UT_skeleton)
			continue;
		xgrow((void **)&ix->units, &units_cap, ix->nunits + 1, sizeof(*ix->units));
		struct unit *u = &ix->units[ix->nunits];
		memset(u, 0, sizeof(*u));
		uint32_t id = (uint32_t)ix->nunits++;
		u->die_offset = dwarf_dieoffset(&cudie);
		u->go = dwarf_srclang(&cudie) == DW_LANG_Go;
		Dwarf_Attribute a;
		u->comp_dir = dwarf_formstring(dwarf_attr(&cudie, DW_AT_comp_dir, &a));
		uint8_t addr_size = 8;
		dwarf_cu_info(cu, NULL, NULL, NULL, NULL, NULL, &addr_size, NULL);
		u->addr_size = addr_size;
		Dwarf_Word stmt_list;
		if (!dwarf_attr(&cudie, DW_AT_stmt_list, &a) || dwarf_formudata(&a, &stmt_list) != 0)
			continue;	/* binutils uses no unit without a line table */
		u->has_lines = line_table_decode(&u->lines, &ix->arena, &ix->sections, stmt_list, u->comp_dir,
						 u->addr_size);
		if (!u->has_lines)
			continue;
		for (size_t i = 0; i < u->lines.nseqs; i++)
			add_range(&lines, &nlines, &lines_cap, u->lines.seqs[i].low, u->lines.seqs[i].high, id);
		Dwarf_Addr base, start, end;
		for (ptrdiff_t off = 0; (off = dwarf_ranges(&cudie, off, &base, &start, &end)) > 0;)
			add_range(&dies, &ndies, &dies_cap, start, end, id);
	}
	segment_index_build(&ix->line_unit, lines, nlines, prefer_first_unit);
	segment_index_build(&ix->die_unit, dies, ndies, prefer_first_unit);
	free(lines);
	free(dies);
}

struct name_walk {
	const char *name;
	bool is_linkage;
	bool name_is_linkage;	/* in the language of the DIE being read */
	bool follow_origin;	/* DW_AT_abstract_origin is followed from the function's own DIE only */
	int depth;
};

static bool die_name_is_linkage(Dwarf_Die *die)
{
	Dwarf_Die cudie;
	return dwarf_diecu(die, &cudie, NULL, NULL) && name_is_linkage(dwarf_srclang(&cudie));
}

static void read_names(struct name_walk *w, Dwarf_Die *die);

static int name_attribute(Dwarf_Attribute *a, void *arg)
{
	struct name_walk *w = arg;
	unsigned at = dwarf_whatattr(a);
	if (at == DW_AT_name) {
		const char *s = dwarf_formstring(a);
		if (!w->name && s) {
			w->name = s;
			w->is_linkage |= w->name_is_linkage;
		}
	} else if (at == DW_AT_linkage_name || at == DW_AT_MIPS_linkage_name) {
		const char *s = dwarf_formstring(a);
		if (s) {
			w->name = s;
			w->is_linkage = true;
		}
	} else if (at == DW_AT_specification || (at == DW_AT_abstract_origin && w->follow_origin)) {
		Dwarf_Die ref;
		if (w->depth < 100 && dwarf_formref_die(a, &ref)) {
			/* binutils' find_abstract_instance: names of the referenced DIE */
			bool follow = w->follow_origin, linkage = w->name_is_linkage;
			w->follow_origin = false;
			w->depth++;
			read_names(w, &ref);
			w->depth--;
			w->follow_origin = follow;
			w->name_is_linkage = linkage;
		}
	}
	return DWARF_CB_OK;
}

/* Reads a DIE's naming attributes in their order, as binutils does. */
static void read_names(struct name_walk *w, Dwarf_Die *die)
{
	w->name_is_linkage = die_name_is_linkage(die);
	dwarf_getattrs(die, name_attribute, w, 0);
}

/* A function of the unit being read, and the ranges of all its functions. */
struct function_reader {
	struct unit *u;
	size_t cap;
	struct range *ranges;
	size_t nranges, ranges_cap;
};

/* binutils' arange_add: ranges that touch an earlier one extend it. */
static void add_function_range(struct function_reader *fr, size_t first, uint64_t low, uint64_t high, uint32_t id)
{
	if (low >= high)
		return;
	for (size_t i = first; i < fr->nranges; i++) {
		struct range *r = &fr->ranges[i];
		if (low == r->high) {
			r->high = high;
			return;
		}
		if (high == r->low) {
			r->low = low;
			return;
		}
	}
	add_range(&fr->ranges, &fr->nranges, &fr->ranges_cap, low, high, id);
}

static uint32_t add_function(struct function_reader *fr, Dwarf_Die *die, int tag, int32_t enclosing)
{
	struct unit *u = fr->u;
	xgrow((void **)&u->functions, &fr->cap, u->nfunctions + 1, sizeof(*u->functions));
	uint32_t id = (uint32_t)u->nfunctions++;
	struct dwarf_function *f = &u->functions[id];
	memset(f, 0, sizeof(*f));
	struct name_walk w = { NULL, false, false, true, 0 };
	read_names(&w, die);
	f->name = w.name;
	f->is_linkage = w.is_linkage;
	f->inlined = tag == DW_TAG_inlined_subroutine;
	f->caller = f->inlined ? enclosing : -1;
	Dwarf_Attribute a;
	Dwarf_Word v;
	if (dwarf_attr(die, DW_AT_call_file, &a) && dwarf_formudata(&a, &v) == 0)
		f->call_file = line_table_file(&u->lines, v);
	if (dwarf_attr(die, DW_AT_call_line, &a) && dwarf_formudata(&a, &v) == 0)
		f->call_line = (uint32_t)v;
	size_t first = fr->nranges;
	Dwarf_Addr base, start, end;
	for (ptrdiff_t off = 0; (off = dwarf_ranges(die, off, &base, &start, &end)) > 0;)
		add_function_range(fr, first, start, end, id);
	return id;
}

/* Deeper DIE nesting than any compiler writes is malformed data: ignored. */
enum { MAX_DIE_DEPTH = 512 };

/* Every subprogram, entry point and inlined call below die, with its enclosing function. */
static void read_functions_below(struct function_reader *fr, Dwarf_Die *die, int32_t enclosing, int depth)
{
	Dwarf_Die child;
	if (depth > MAX_DIE_DEPTH || dwarf_child(die, &child) != 0)
		return;
	do {
		int tag = dwarf_tag(&child);
		int32_t inner = enclosing;
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine || tag == DW_TAG_entry_point)
			inner = (int32_t)add_function(fr, &child, tag, enclosing);
		read_functions_below(fr, &child, inner, depth + 1);
	} while (dwarf_siblingof(&child, &child) == 0);
}

static void read_functions(struct dwarf_index *ix, struct unit *u)
{
	u->functions_read = true;
	Dwarf_Die cudie;
	if (!dwarf_offdie(ix->dw, u->die_offset, &cudie))
		return;
	struct function_reader fr = { u, 0, NULL, 0, 0 };
	read_functions_below(&fr, &cudie, -1, 0);
	segment_index_build(&u->function_at, fr.ranges, fr.nranges, prefer_best_fit);
	free(fr.ranges);
}

static const struct dwarf_function *function_at(struct dwarf_index *ix, struct unit *u, uint64_t addr)
{
	if (!u->functions_read)
		read_functions(ix, u);
	uint32_t id = segment_index_find(&u->function_at, addr);
	return id == NONE ? NULL : &u->functions[id];
}

static void answer(struct dwarf_index *ix, struct unit *u, uint64_t addr, struct dwarf_answer *out)
{
	out->function = function_at(ix, u, addr);
	out->functions = u->functions;
	out->has_line = line_table_lookup(&u->lines, addr, &out->file, &out->line);
	out->found = out->has_line || out->function;
	out->go = u->go;
}

void dwarf_index_lookup(struct dwarf_index *ix, uint64_t addr, struct dwarf_answer *out)
{
	memset(out, 0, sizeof(*out));
	if (!ix->indexed)
		index_units(ix);
	uint32_t by_line = segment_index_find(&ix->line_unit, addr);
	uint32_t by_die = segment_index_find(&ix->die_unit, addr);
	/* an earlier unit whose functions, not its lines, cover addr comes first */
	if (by_die != NONE && (by_line == NONE || by_die < by_line)) {
		answer(ix, &ix->units[by_die], addr, out);
		if (out->found)
			return;
		memset(out, 0, sizeof(*out));
	}
	if (by_line != NONE)
		answer(ix, &ix->units[by_line], addr, out);
}

bool dwarf_index_line(struct dwarf_index *ix, uint64_t addr, const char **file, uint32_t *line)
{
	if (!ix->indexed)
		index_units(ix);
	uint32_t u = segment_index_find(&ix->line_unit, addr);
	return u != NONE && line_table_lookup(&ix->units[u].lines, addr, file, line);
}
