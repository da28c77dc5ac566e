/*
 * disasm.c - the `disasm` report: the instructions of every symbol that
 * matches a regexp and has samples, each annotated with the flat and
 * cumulative values of the samples at it (pprof's PrintAssembly).
 *
 * Symbols come from the binaries of the profile's mappings, found as
 * pprof lists them (the symbol table, each symbol's own size); the
 * instructions are decoded by capstone, in AT&T syntax or, with
 * -intel_syntax, Intel's.  Where the file or line changes, an
 * instruction is annotated with them from the binary's line table, or
 * else from the samples at it.
 */
#include <capstone/capstone.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/format.h"
#include "report/instructions.h"
#include "report/report.h"
#include "symbolize/objfile.h"
#include "util/path.h"

/* A symbol with samples, and the binary it is in. */
struct routine {
	struct objsym sym;
	struct objfile *obj;
	uint32_t *nodes;	/* graph nodes in the symbol, by address */
	size_t nnodes;
};

struct routines {
	struct routine *items;
	size_t count, cap;
	struct objfile **objs;	/* opened binaries, closed at the end */
	size_t nobjs, objs_cap;
};

static bool symbol_matches(void *ctx, const char *name)
{
	return regex_match(ctx, name);
}

/* Go's strconv.ParseUint(s, 0, 64): the regexp as an address, if it is a number. */
static bool parse_address(const char *s, uint64_t *addr)
{
	if (!*s || *s == '-' || *s == '+')
		return false;
	int base = 10;
	const char *digits = s;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, digits = s + 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, digits = s + 2;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8, digits = s + 2;
	else if (s[0] == '0' && s[1])
		base = 8, digits = s + 1;
	if (!*digits || strchr(digits, '_'))
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(digits, &end, base);
	if (*end || errno)
		return false;
	*addr = v;
	return true;
}

/* The binary of mapping m, placed as the mapping places it. */
static int open_binary(struct objfile *obj, const struct mapping *m, struct error *e)
{
	struct objmap map = { m->start, m->limit, m->offset };
	return objfile_open(obj, m->file, &map, e);
}

/* pprof's symbolsFromBinaries: the matching symbols of binaries with matching samples. */
static void find_routines(const struct report *r, const struct graph *g, const uint64_t *address,
			  struct routines *out)
{
	const struct profile *p = r->prof;
	const struct node_info *info = g->ns->info;
	for (size_t i = 0; i < p->nmappings; i++) {
		const struct mapping *m = &p->mappings[i];
		bool has_samples = false;
		for (size_t k = 0; k < g->nnodes && !has_samples; k++) {
			const struct node_info *ni = &info[g->nodes[k]];
			has_samples = *ni->objfile && !strcmp(ni->objfile, m->file) &&
				      regex_match(r->symbol, node_printable(g->ns, g->nodes[k]));
		}
		if (!has_samples && !(address && m->start <= *address && *address <= m->limit))
			continue;
		struct objfile *obj = xcalloc(1, sizeof(*obj));
		struct error e = ERROR_INIT;
		if (open_binary(obj, m, &e) < 0) {
			printf("%s\n", e.msg.buf);	/* pprof prints it on stdout, ahead of the report */
			error_clear(&e);
			free(obj);
			continue;
		}
		xgrow((void **)&out->objs, &out->objs_cap, out->nobjs + 1, sizeof(*out->objs));
		out->objs[out->nobjs++] = obj;
		struct objsym *syms;
		size_t n = objfile_symbols(obj, symbol_matches, r->symbol, address ? *address : 0, &syms);
		for (size_t k = 0; k < n; k++) {
			xgrow((void **)&out->items, &out->cap, out->count + 1, sizeof(*out->items));
			out->items[out->count++] = (struct routine){ syms[k], obj, NULL, 0 };
		}
		free(syms);
	}
}

static const struct graph *sort_graph;

static int by_address(const void *a, const void *b)
{
	const struct node_info *l = &sort_graph->ns->info[*(const uint32_t *)a];
	const struct node_info *r = &sort_graph->ns->info[*(const uint32_t *)b];
	if (l->address != r->address)
		return l->address < r->address ? -1 : 1;
	return (*(const uint32_t *)a > *(const uint32_t *)b) - (*(const uint32_t *)a < *(const uint32_t *)b);
}

/* pprof's nodesPerSymbol: the nodes whose file address falls in [start, start + size - 1). */
static void assign_nodes(struct routine *rt, const struct graph *g)
{
	const struct node_info *info = g->ns->info;
	rt->nodes = xmalloc((g->nnodes + 1) * sizeof(uint32_t));
	for (size_t k = 0; k < g->nnodes; k++) {
		const struct node_info *ni = &info[g->nodes[k]];
		const struct objmap *m = &rt->obj->map;
		bool everything = m->start == 0 && m->offset == 0 && (m->limit == 0 || m->limit == UINT64_MAX);
		if (!everything && (ni->address < m->start || ni->address >= m->limit))
			continue;	/* another mapping's sample */
		uint64_t addr;
		if (objfile_address(rt->obj, ni->address, &addr) && addr >= rt->sym.start &&
		    addr < rt->sym.start + rt->sym.size - 1)
			rt->nodes[rt->nnodes++] = g->nodes[k];
	}
	sort_graph = g;
	qsort(rt->nodes, rt->nnodes, sizeof(uint32_t), by_address);
}

static int by_name(const void *a, const void *b)
{
	const struct routine *l = a, *r = b;
	int c = strcmp(l->sym.name, r->sym.name);
	if (c)
		return c;
	return (l->sym.start > r->sym.start) - (l->sym.start < r->sym.start);
}

/* One decoded instruction. */
struct instruction {
	uint64_t address;
	char text[192];
};

static bool disassembler(const struct objfile *obj, bool intel, csh *cs)
{
	cs_arch arch;
	cs_mode mode;
	switch (objfile_machine(obj)) {
	case EM_X86_64: arch = CS_ARCH_X86, mode = CS_MODE_64; break;
	case EM_386: arch = CS_ARCH_X86, mode = CS_MODE_32; break;
	case EM_AARCH64: arch = CS_ARCH_ARM64, mode = CS_MODE_ARM; break;
	case EM_ARM: arch = CS_ARCH_ARM, mode = CS_MODE_ARM; break;
	case EM_PPC64: arch = CS_ARCH_PPC, mode = CS_MODE_64 | CS_MODE_LITTLE_ENDIAN; break;
	case EM_S390: arch = CS_ARCH_SYSZ, mode = CS_MODE_BIG_ENDIAN; break;
	default: return false;
	}
	if (cs_open(arch, mode, cs) != CS_ERR_OK)
		return false;
	if (arch == CS_ARCH_X86)
		cs_option(*cs, CS_OPT_SYNTAX, intel ? CS_OPT_SYNTAX_INTEL : CS_OPT_SYNTAX_ATT);
	return true;
}

/*
 * The instructions in [start, end), as Go's disassembler walks them: the
 * bytes end at `end` (pprof's end is one short of the symbol's, so its
 * last instruction may not decode), and an undecodable byte is one
 * instruction "?".
 */
static int decode(struct objfile *obj, uint64_t start, uint64_t end, bool intel, struct instruction **out,
		  size_t *n, struct error *e)
{
	*out = NULL;
	*n = 0;
	csh cs;
	if (!disassembler(obj, intel, &cs))
		return error_set(e, "cannot disassemble %s: unsupported machine %u", obj->path, objfile_machine(obj));
	size_t avail, cap = 0;
	const uint8_t *code = objfile_code(obj, start, &avail);
	if (end > start && avail > end - start)
		avail = end - start;
	cs_insn *insn = cs_malloc(cs);
	for (uint64_t pc = start; code && pc < end && pc - start < avail;) {
		const uint8_t *bytes = code + (pc - start);
		size_t left = avail - (pc - start);
		uint64_t at = pc;
		xgrow((void **)out, &cap, *n + 1, sizeof(**out));
		struct instruction *in = &(*out)[(*n)++];
		in->address = pc;
		if (cs_disasm_iter(cs, &bytes, &left, &at, insn)) {
			snprintf(in->text, sizeof(in->text), "%s%s%s", insn->mnemonic, *insn->op_str ? " " : "",
				 insn->op_str);
			pc += insn->size;
		} else {
			snprintf(in->text, sizeof(in->text), "?");
			pc++;
		}
	}
	cs_free(insn, 1);
	cs_close(&cs);
	return 0;
}

/* pprof's assemblyInstruction: an instruction with its samples and position. */
struct annotated {
	uint64_t address;
	const char *text;
	const char *function, *file;
	int64_t line;
	int64_t flat, flat_div, cum, cum_div;
};

/* pprof's annotateAssembly: each instruction gets the samples up to the next one. */
static void annotate(const struct graph *g, const struct routine *rt, const struct instruction *insts, size_t n,
		     struct annotated *out, struct arena *a)
{
	const struct node_info *info = g->ns->info;
	size_t s = 0;
	for (size_t i = 0; i < n; i++) {
		struct annotated *an = &out[i];
		memset(an, 0, sizeof(*an));
		an->address = insts[i].address;
		an->text = insts[i].text;
		an->function = an->file = "";
		const char *function, *file;
		int64_t line;
		if (objfile_line(rt->obj, an->address, &function, &file, &line)) {
			an->function = function;
			an->file = *file ? arena_strdup(a, path_base(file)) : "";
			an->line = line;
		}
		uint64_t next = i + 1 < n ? insts[i + 1].address : UINT64_MAX;
		for (; s < rt->nnodes; s++) {
			uint32_t node = rt->nodes[s];
			uint64_t addr;
			if (!objfile_address(rt->obj, info[node].address, &addr) || addr >= next)
				break;
			an->flat += g->flat[node];
			an->flat_div += g->flat_div[node];
			an->cum += g->cum[node];
			an->cum_div += g->cum_div[node];
			if (*info[node].file && !*an->file)
				an->file = arena_strdup(a, path_base(info[node].file));
			if (info[node].lineno && !an->line)
				an->line = info[node].lineno;
			if (*info[node].name && !*an->function)
				an->function = info[node].name;
		}
	}
}

static void print_instructions(const struct report *r, const struct annotated *ins, size_t n, struct strbuf *out)
{
	const char *function = "", *file = "";
	int64_t line = 0;
	struct strbuf loc = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const struct annotated *an = &ins[i];
		strbuf_reset(&loc);
		if (strcmp(an->function, function) || strcmp(an->file, file) || an->line != line) {
			function = an->function, file = an->file, line = an->line;
			if (*function)
				strbuf_addf(&loc, "%s ", function);
			if (*file) {
				strbuf_addstr(&loc, file);
				if (line)
					strbuf_addf(&loc, ":%lld", (long long)line);
			}
		}
		if (loc.len && strlen(an->text) >= 40)
			strbuf_addf(out, "%74s;%s\n", "", loc.buf);
		report_value_or_dot(r, out, an->flat_div ? an->flat / an->flat_div : an->flat);
		strbuf_addch(out, ' ');
		report_value_or_dot(r, out, an->cum_div ? an->cum / an->cum_div : an->cum);
		strbuf_addf(out, " %10llx: ", (unsigned long long)an->address);
		if (loc.len && strlen(an->text) < 40)
			strbuf_addf(out, "%-40s;%s\n", an->text, loc.buf);
		else
			strbuf_addf(out, "%s\n", an->text);
	}
	strbuf_release(&loc);
}

static int print_routine(const struct report *r, const struct graph *g, const struct routine *rt,
			 struct strbuf *out, struct error *e)
{
	int64_t flat = 0, cum = 0;
	for (size_t i = 0; i < rt->nnodes; i++) {
		flat += g->flat[rt->nodes[i]];
		cum += g->cum[rt->nodes[i]];
	}
	struct instruction *insts;
	size_t n;
	uint64_t end = rt->sym.start + rt->sym.size - 1;
	if (decode(rt->obj, rt->sym.start, end, r->cfg.intel_syntax, &insts, &n, e) < 0)
		return -1;
	struct arena a = ARENA_INIT;
	struct annotated *ins = xmalloc((n + 1) * sizeof(*ins));
	annotate(g, rt, insts, n, ins, &a);
	strbuf_addf(out, "ROUTINE ======================== %s\n", rt->sym.name);
	report_routine_totals(r, out, flat, cum);
	print_instructions(r, ins, n, out);
	free(ins);
	free(insts);
	arena_free(&a);
	return 0;
}

static void routines_free(struct routines *rs)
{
	for (size_t i = 0; i < rs->count; i++)
		free(rs->items[i].nodes);
	free(rs->items);
	for (size_t i = 0; i < rs->nobjs; i++) {
		objfile_close(rs->objs[i]);
		free(rs->objs[i]);
	}
	free(rs->objs);
}

int report_disasm(struct report *r, struct strbuf *out, struct error *e)
{
	struct graph g;
	graph_build_once(&g, &r->nodes, &r->view, &(struct graph_options){ .drop_negative = r->cfg.drop_negative });
	uint64_t address;
	bool has_address = parse_address(r->command_arg, &address);
	strbuf_addstr(out, "Total: ");
	report_format_value(r, out, r->total);
	strbuf_addch(out, '\n');

	struct routines rs = { 0 };
	find_routines(r, &g, has_address ? &address : NULL, &rs);
	size_t kept = 0;
	for (size_t i = 0; i < rs.count; i++) {
		assign_nodes(&rs.items[i], &g);
		if (rs.items[i].nnodes)
			rs.items[kept++] = rs.items[i];
		else
			free(rs.items[i].nodes);
	}
	rs.count = kept;
	if (rs.count)
		qsort(rs.items, rs.count, sizeof(*rs.items), by_name);
	int rc = 0;
	if (rs.count == 0)
		rc = error_set(e, "no matches found for regexp: %s", r->command_arg);
	for (size_t i = 0; i < rs.count && rc == 0; i++)
		rc = print_routine(r, &g, &rs.items[i], out, e);
	routines_free(&rs);
	graph_free(&g);
	return rc;
}

/* A symbol's instructions, decoded once. */
struct decoded_symbol {
	uint64_t start, end;	/* file addresses */
	struct instruction *insts;
	size_t n;
};

/* A mapping's binary, when it opened, and the symbols decoded so far. */
struct binary {
	const struct mapping *mapping;
	struct objfile obj;
	bool opened;
	struct decoded_symbol *syms;
	size_t nsyms, cap;
};

void instruction_reader_init(struct instruction_reader *ir, const struct report *r)
{
	memset(ir, 0, sizeof(*ir));
	ir->prof = r->prof;
	ir->intel = r->cfg.intel_syntax;
}

/* The mapping of binary path holding address, opened on first use; NULL if there is none. */
static struct binary *binary_for(struct instruction_reader *ir, const char *path, uint64_t address)
{
	const struct profile *p = ir->prof;
	const struct mapping *m = NULL;
	for (size_t i = 0; i < p->nmappings && !m; i++)
		if (!strcmp(p->mappings[i].file, path) && p->mappings[i].start <= address &&
		    (address < p->mappings[i].limit || p->mappings[i].limit == 0))
			m = &p->mappings[i];
	if (!m || !*path)
		return NULL;
	for (size_t i = 0; i < ir->nbins; i++)
		if (ir->bins[i]->mapping == m)
			return ir->bins[i];
	xgrow((void **)&ir->bins, &ir->cap, ir->nbins + 1, sizeof(*ir->bins));
	struct binary *b = ir->bins[ir->nbins++] = xcalloc(1, sizeof(*b));
	b->mapping = m;
	struct error e = ERROR_INIT;
	b->opened = open_binary(&b->obj, m, &e) == 0;
	error_clear(&e);
	return b;
}

static bool no_name(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return false;
}

/* The instructions of the symbol holding file address at, decoded on first use; NULL if none. */
static const struct decoded_symbol *symbol_at(struct instruction_reader *ir, struct binary *b, uint64_t at)
{
	for (size_t i = 0; i < b->nsyms; i++)
		if (b->syms[i].start <= at && at < b->syms[i].end)
			return &b->syms[i];
	struct objsym *syms;
	size_t n = objfile_symbols(&b->obj, no_name, NULL, at, &syms);
	struct decoded_symbol d = { 0, 0, NULL, 0 };
	struct error e = ERROR_INIT;
	if (n > 0) {
		d.start = syms[0].start;
		d.end = syms[0].start + syms[0].size;
		if (decode(&b->obj, d.start, d.end, ir->intel, &d.insts, &d.n, &e) < 0)
			n = 0;
	}
	error_clear(&e);
	free(syms);
	if (n == 0)
		return NULL;
	xgrow((void **)&b->syms, &b->cap, b->nsyms + 1, sizeof(*b->syms));
	b->syms[b->nsyms] = d;
	return &b->syms[b->nsyms++];
}

bool instruction_at(struct instruction_reader *ir, const char *path, uint64_t address, uint64_t *start,
		    char *text, size_t size)
{
	struct binary *b = binary_for(ir, path, address);
	uint64_t at;
	const struct decoded_symbol *d;
	if (!b || !b->opened || !objfile_address(&b->obj, address, &at) || !(d = symbol_at(ir, b, at)))
		return false;
	/* the last instruction that starts at or before the address: a return address falls inside one */
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->insts[mid].address <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	const struct instruction *in = &d->insts[lo - 1];
	*start = address - (at - in->address);
	snprintf(text, size, "%s", in->text);
	return true;
}

void instruction_reader_free(struct instruction_reader *ir)
{
	for (size_t i = 0; i < ir->nbins; i++) {
		struct binary *b = ir->bins[i];
		for (size_t k = 0; k < b->nsyms; k++)
			free(b->syms[k].insts);
		free(b->syms);
		if (b->opened)
			objfile_close(&b->obj);
		free(b);
	}
	free(ir->bins);
	memset(ir, 0, sizeof(*ir));
}
