#include "load/memmap.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

/*
 * pprof's two line formats, in its own words (procMapsRE, briefMapsRE),
 * with Go's \s spelled out: Go's \s has no \v.  Both are anchored at the
 * start of the line and their optional parts make backtracking matter on
 * odd lines, so a backtracking engine with Go's leftmost-first choices
 * (PCRE2) reads them exactly as Go does.
 */
#define SP "[\\t\\n\\f\\r ]"
#define NOT_SP "[^\\t\\n\\f\\r ]"
#define HEX "(?:0x)?([[:xdigit:]]+)"
#define HEX_RANGE SP "*" HEX "[\\t\\n\\f\\r -]?" SP "*" HEX ":?"
#define PERM "(?:" SP "+([-rwxp]+))?"
#define SPACE_STRING "(?:" SP "+(" NOT_SP "+))?"
#define PROC_MAPS "^" HEX_RANGE PERM "(?:" SP "+([[:xdigit:]]+))?" SP "+[[:xdigit:]]+:[[:xdigit:]]+" \
	SP "+[[:digit:]]+" SPACE_STRING
#define BRIEF_MAPS "^" HEX_RANGE PERM SPACE_STRING "(?:" SP "+\\(@([[:xdigit:]]+)\\))?" \
	"(?:" SP "+([[:xdigit:]]+))?"

/* Backtracking budget per line; real lines need a few hundred steps. */
#define MATCH_LIMIT 10000000

struct map_regex {
	pcre2_code *code;
	pcre2_match_data *match;
};

/* pprof's "name=value" lines: later "$name" in a line is replaced by value. */
struct substitution {
	struct span old, new;
};

struct substitutions {
	struct substitution *items;
	size_t n, cap;
	/* A trie of the old strings; node 0 is the root. */
	struct hmap edges;	/* node << 8 | byte -> child */
	uint32_t *ends;		/* per node: first substitution ending there, or UINT32_MAX */
	size_t nnodes, nodes_cap;
};

struct map_reader {
	struct map_regex proc, brief;
	pcre2_match_context *context;
	struct substitutions subst;
	struct strbuf line;
	struct arena *arena;
};

static void regex_init(struct map_regex *r, const char *pattern)
{
	int code;
	PCRE2_SIZE offset;
	r->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &code, &offset, NULL);
	if (!r->code)
		abort();	/* the patterns are constants */
	pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
	r->match = pcre2_match_data_create_from_pattern(r->code, NULL);
}

static void regex_release(struct map_regex *r)
{
	pcre2_match_data_free(r->match);
	pcre2_code_free(r->code);
}

static uint32_t trie_node(struct substitutions *t)
{
	xgrow((void **)&t->ends, &t->nodes_cap, t->nnodes + 1, sizeof(*t->ends));
	t->ends[t->nnodes] = UINT32_MAX;
	return (uint32_t)t->nnodes++;
}

static void substitutions_init(struct substitutions *t)
{
	memset(t, 0, sizeof(*t));
	hmap_init(&t->edges, 16);
	trie_node(t);
}

static void substitutions_free(struct substitutions *t)
{
	hmap_free(&t->edges);
	free(t->items);
	free(t->ends);
}

/* Adds "$name" -> value; as in Go's strings.Replacer the first of equal names wins. */
static void substitutions_add(struct substitutions *t, struct span old, struct span new)
{
	xgrow((void **)&t->items, &t->cap, t->n + 1, sizeof(*t->items));
	t->items[t->n].old = old;
	t->items[t->n].new = new;
	uint32_t node = 0;
	for (size_t i = 0; i < old.len; i++) {
		uint64_t key = (uint64_t)node << 8 | (unsigned char)old.p[i];
		int inserted;
		uint32_t *child = hmap_put(&t->edges, key, UINT32_MAX, &inserted);
		if (inserted)
			*child = trie_node(t);
		node = *child;
	}
	if (t->ends[node] == UINT32_MAX)
		t->ends[node] = (uint32_t)t->n;
	t->n++;
}

/* The earliest-added substitution whose old string starts s, or UINT32_MAX. */
static uint32_t substitution_at(const struct substitutions *t, struct span s)
{
	uint32_t best = UINT32_MAX, node = 0;
	for (size_t i = 0; i < s.len; i++) {
		const uint32_t *child = hmap_get(&t->edges, (uint64_t)node << 8 | (unsigned char)s.p[i]);
		if (!child)
			break;
		node = *child;
		if (t->ends[node] < best)
			best = t->ends[node];
	}
	return best;
}

/* Go's strings.Replacer over the substitutions so far. */
static void substitute(const struct substitutions *t, struct span s, struct strbuf *out)
{
	strbuf_reset(out);
	size_t i = 0;
	while (i < s.len) {
		uint32_t k = s.p[i] == '$' && t->n ? substitution_at(t, span_of(s.p + i, s.len - i))
						   : UINT32_MAX;
		if (k == UINT32_MAX) {
			strbuf_addch(out, s.p[i++]);
			continue;
		}
		strbuf_add(out, t->items[k].new.p, t->items[k].new.len);
		i += t->items[k].old.len;
	}
}

/*
 * pprof's removeLoggingInfo: drops a glog prefix, `^[^\[\]]+:[0-9]+]\s`
 * ("file.cc:123] ").
 */
static struct span remove_logging_info(struct span s)
{
	size_t r = 0;
	while (r < s.len && s.p[r] != '[' && s.p[r] != ']')
		r++;
	if (r == s.len || s.p[r] != ']' || r + 1 >= s.len || !is_re_space(s.p[r + 1]))
		return s;
	size_t d = r;
	while (d > 0 && is_digit(s.p[d - 1]))
		d--;
	if (d == r || d < 2 || s.p[d - 1] != ':')
		return s;
	return span_of(s.p + r + 2, s.len - r - 2);
}

/* Match groups as Go reports them: "" for a group that took no part. */
static struct span group(const struct map_regex *r, const struct span line, uint32_t i)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->match);
	if (ov[2 * i] == PCRE2_UNSET)
		return span_of("", 0);
	return span_of(line.p + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
}

/* 1 on a match, 0 on none, -1 if the line is too intricate to decide. */
static int regex_exec(const struct map_reader *mr, const struct map_regex *r, struct span line)
{
	int rc = pcre2_match(r->code, (PCRE2_SPTR)line.p, line.len, 0, 0, r->match, mr->context);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return rc > 0 ? 1 : -1;
}

enum entry_kind { ENTRY_MAPPING, ENTRY_SKIPPED, ENTRY_UNRECOGNIZED, ENTRY_TOO_COMPLEX };

static bool parse_hex(struct span s, uint64_t *v)
{
	return go_parse_uint(s, 16, v) == GO_PARSE_OK;
}

/* pprof's parseMappingEntry. */
static enum entry_kind parse_entry(struct map_reader *mr, struct span line, struct mapping *m)
{
	struct span start, end, perm, offset, file, build_id = span_of("", 0);
	int rc = regex_exec(mr, &mr->proc, line);
	if (rc > 0) {
		start = group(&mr->proc, line, 1), end = group(&mr->proc, line, 2);
		perm = group(&mr->proc, line, 3), offset = group(&mr->proc, line, 4);
		file = group(&mr->proc, line, 5);
	} else if (rc == 0 && (rc = regex_exec(mr, &mr->brief, line)) > 0) {
		start = group(&mr->brief, line, 1), end = group(&mr->brief, line, 2);
		perm = group(&mr->brief, line, 3), file = group(&mr->brief, line, 4);
		offset = group(&mr->brief, line, 5), build_id = group(&mr->brief, line, 6);
	} else {
		return rc < 0 ? ENTRY_TOO_COMPLEX : ENTRY_UNRECOGNIZED;
	}
	if (perm.len && !memchr(perm.p, 'x', perm.len))
		return ENTRY_SKIPPED;
	memset(m, 0, sizeof(*m));
	if (!parse_hex(start, &m->start) || !parse_hex(end, &m->limit) ||
	    (offset.len && !parse_hex(offset, &m->offset)))
		return ENTRY_UNRECOGNIZED;
	m->file = arena_strndup(mr->arena, file.p, file.len);
	m->build_id = arena_strndup(mr->arena, build_id.p, build_id.len);
	return ENTRY_MAPPING;
}

/* An unrecognized line "name=value" defines a substitution. */
static void maybe_substitution(struct map_reader *mr, struct span line)
{
	const char *eq = memchr(line.p, '=', line.len);
	if (!eq)
		return;
	struct span name = go_trim_space(span_of(line.p, (size_t)(eq - line.p)));
	struct span value = go_trim_space(span_of(eq + 1, line.len - (size_t)(eq + 1 - line.p)));
	char *old = arena_alloc(mr->arena, name.len + 2);
	old[0] = '$';
	memcpy(old + 1, name.p, name.len);
	substitutions_add(&mr->subst, span_of(old, name.len + 1),
			  span_of(arena_strndup(mr->arena, value.p, value.len), value.len));
}

static void add_mapping(struct legacy_profile *lp, const struct mapping *m)
{
	xgrow((void **)&lp->mappings, &lp->mappings_cap, lp->nmappings + 1, sizeof(*lp->mappings));
	lp->mappings[lp->nmappings++] = *m;
}

/* pprof's parseProcMapsFromScanner. */
static int read_entries(struct map_reader *mr, struct legacy_profile *lp, struct go_scanner *s,
			struct error *e)
{
	while (go_scan(s)) {
		substitute(&mr->subst, remove_logging_info(s->token), &mr->line);
		struct span line = span_of(mr->line.buf, mr->line.len);
		struct mapping m;
		switch (parse_entry(mr, line, &m)) {
		case ENTRY_MAPPING:
			add_mapping(lp, &m);
			break;
		case ENTRY_UNRECOGNIZED:
			maybe_substitution(mr, line);
			break;
		case ENTRY_SKIPPED:
			break;
		case ENTRY_TOO_COMPLEX:
			error_set(e, "memory map entry too complex to read");
			return legacy_line_error(e, s);
		}
	}
	return go_scanner_error(s, e);
}

static bool same_or_unset(const char *a, const char *b)
{
	return !*a || !*b || !strcmp(a, b);
}

/* pprof's adjacent: m2 continues m1 (a region split in two). */
static bool adjacent(const struct mapping *m1, const struct mapping *m2)
{
	if (!same_or_unset(m1->file, m2->file) || !same_or_unset(m1->build_id, m2->build_id))
		return false;
	if (m1->limit != m2->start)
		return false;
	if (m1->offset != 0 && m2->offset != 0 && m1->offset + (m1->limit - m1->start) != m2->offset)
		return false;
	return true;
}

/* pprof's libRx, `([.]so$|[.]so[._][0-9]+)`: the name of a shared library. */
static bool is_library(struct span f)
{
	for (size_t i = 0; i + 3 <= f.len; i++) {
		if (memcmp(f.p + i, ".so", 3))
			continue;
		if (i + 3 == f.len)
			return true;
		if ((f.p[i + 3] == '.' || f.p[i + 3] == '_') && i + 4 < f.len && is_digit(f.p[i + 4]))
			return true;
	}
	return false;
}

/* pprof's guess at the main binary: a named mapping that is not a library or "[...]". */
static bool could_be_main(const char *file, struct strbuf *tmp)
{
	strbuf_reset(tmp);
	for (const char *p = file; *p;) {
		if (!strncmp(p, "(deleted)", 9)) {
			p += 9;
			continue;
		}
		strbuf_addch(tmp, *p++);
	}
	struct span f = go_trim_space(span_of(tmp->buf, tmp->len));
	return f.len && !is_library(f) && f.p[0] != '[';
}

/*
 * pprof's massageMappings.  Locations have no mappings yet at this point,
 * so merging regions needs no location updates.
 */
static void massage_mappings(struct legacy_profile *lp)
{
	size_t kept = lp->nmappings ? 1 : 0;
	for (size_t i = 1; i < lp->nmappings; i++) {
		struct mapping *last = &lp->mappings[kept - 1], *m = &lp->mappings[i];
		if (!adjacent(last, m)) {
			lp->mappings[kept++] = *m;
			continue;
		}
		last->limit = m->limit;
		if (*m->file)
			last->file = m->file;
		if (*m->build_id)
			last->build_id = m->build_id;
	}
	lp->nmappings = kept;
	struct strbuf tmp = STRBUF_INIT;
	for (size_t i = 0; i < lp->nmappings; i++) {
		if (!could_be_main(lp->mappings[i].file, &tmp))
			continue;
		struct mapping first = lp->mappings[0];
		lp->mappings[0] = lp->mappings[i];
		lp->mappings[i] = first;
		break;
	}
	strbuf_release(&tmp);
}

int memmap_read(struct legacy_profile *lp, struct go_scanner *s, struct error *e)
{
	struct map_reader mr;
	memset(&mr, 0, sizeof(mr));
	regex_init(&mr.proc, PROC_MAPS);
	regex_init(&mr.brief, BRIEF_MAPS);
	mr.context = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mr.context, MATCH_LIMIT);
	substitutions_init(&mr.subst);
	strbuf_init(&mr.line);
	mr.arena = &lp->arena;
	int rc = read_entries(&mr, lp, s, e);
	strbuf_release(&mr.line);
	substitutions_free(&mr.subst);
	pcre2_match_context_free(mr.context);
	regex_release(&mr.proc);
	regex_release(&mr.brief);
	if (rc < 0)
		return -1;
	massage_mappings(lp);
	legacy_remap_locations(lp);
	memmap_assign_locations(lp);
	return 0;
}

int memmap_read_sections(struct legacy_profile *lp, struct go_scanner *s, struct error *e)
{
	while (!is_memory_map_sentinel(s->token) && go_scan(s))
		;
	if (go_scanner_error(s, e) < 0)
		return -1;
	return memmap_read(lp, s, e);
}

/*
 * The first mapping, in table order, whose interval [lo, hi) holds an
 * address: a segment tree of the least mapping index over the elementary
 * intervals between all interval ends, so that each lookup and each
 * added interval costs O(log n).
 */
struct first_holder {
	const uint64_t *points;	/* sorted distinct interval ends */
	size_t npoints;
	uint32_t *tree;		/* 2 * segments slots; UINT32_MAX for none */
	size_t segments;
};

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The index of the first point above x. */
static size_t upper_bound(const uint64_t *v, size_t n, uint64_t x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void holder_init(struct first_holder *h, const uint64_t *points, size_t npoints)
{
	h->points = points;
	h->npoints = npoints;
	h->segments = npoints ? npoints - 1 : 0;
	h->tree = xmalloc((2 * h->segments + 1) * sizeof(*h->tree));
	memset(h->tree, 0xff, (2 * h->segments + 1) * sizeof(*h->tree));
}

static void holder_add(struct first_holder *h, uint64_t lo, uint64_t hi, uint32_t v)
{
	if (lo >= hi)
		return;
	/* lo and hi are points, so each is the start of its segment. */
	size_t l = upper_bound(h->points, h->npoints, lo) - 1 + h->segments;
	size_t r = upper_bound(h->points, h->npoints, hi) - 1 + h->segments;
	for (; l < r; l >>= 1, r >>= 1) {
		if (l & 1) {
			if (v < h->tree[l])
				h->tree[l] = v;
			l++;
		}
		if (r & 1) {
			r--;
			if (v < h->tree[r])
				h->tree[r] = v;
		}
	}
}

static uint32_t holder_find(const struct first_holder *h, uint64_t a)
{
	if (h->segments == 0 || a < h->points[0] || a >= h->points[h->npoints - 1])
		return UINT32_MAX;
	uint32_t best = UINT32_MAX;
	for (size_t i = upper_bound(h->points, h->npoints, a) - 1 + h->segments; i >= 1; i >>= 1)
		if (h->tree[i] < best)
			best = h->tree[i];
	return best;
}

/* Where a mapping would start once pprof's repair moves it down by its offset. */
static bool moved_start(const struct mapping *m, uint64_t *start)
{
	if (m->offset == 0 || m->offset > m->start)
		return false;
	*start = m->start - m->offset;
	return true;
}

/* Every interval end a lookup may meet, sorted and distinct. */
static size_t interval_points(const struct legacy_profile *lp, uint64_t **out)
{
	uint64_t *v = xmalloc((3 * lp->nmappings + 1) * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < lp->nmappings; i++) {
		const struct mapping *m = &lp->mappings[i];
		v[n++] = m->start;
		v[n++] = m->limit;
		if (moved_start(m, &v[n]))
			n++;
	}
	qsort(v, n, sizeof(*v), compare_u64);
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++)
		if (distinct == 0 || v[i] != v[distinct - 1])
			v[distinct++] = v[i];
	*out = v;
	return distinct;
}

/* pprof's repairs of mappings some profilers record wrongly. */
static void repair_main_mapping(struct legacy_profile *lp)
{
	struct mapping *m = lp->mappings;
	if (lp->nmappings > 1 && !strncmp(m[0].file, "/anon_hugepage", 14) && m[0].limit == m[1].start) {
		memmove(m, m + 1, (lp->nmappings - 1) * sizeof(*m));
		lp->nmappings--;
	}
	const uint64_t expected_start = 0x400000;
	if (lp->nmappings > 0 && m[0].start - m[0].offset == expected_start) {
		m[0].start = expected_start;
		m[0].offset = 0;
	}
}

/* The mapping pprof makes for addresses no mapping holds: all of memory, no file. */
static int32_t add_catch_all(struct legacy_profile *lp)
{
	struct mapping all = { .limit = UINT64_MAX, .file = "", .build_id = "" };
	add_mapping(lp, &all);
	return (int32_t)lp->nmappings - 1;
}

void memmap_assign_locations(struct legacy_profile *lp)
{
	repair_main_mapping(lp);
	uint64_t *points;
	size_t npoints = interval_points(lp, &points);
	struct first_holder holds, below;	/* [start, limit), and [start - offset, start) */
	holder_init(&holds, points, npoints);
	holder_init(&below, points, npoints);
	for (size_t i = 0; i < lp->nmappings; i++) {
		const struct mapping *m = &lp->mappings[i];
		uint64_t start;
		holder_add(&holds, m->start, m->limit, (uint32_t)i);
		if (moved_start(m, &start))
			holder_add(&below, start, m->start, (uint32_t)i);
	}
	int32_t catch_all = -1;
	for (size_t i = 0; i < lp->nlocations; i++) {
		struct legacy_location *l = &lp->locations[i];
		if (l->mapping >= 0 || l->address == 0)
			continue;
		uint32_t m = holder_find(&holds, l->address);
		/* Once the catch-all exists pprof's first search finds it instead. */
		if (m == UINT32_MAX && catch_all < 0) {
			m = holder_find(&below, l->address);
			if (m != UINT32_MAX) {
				/* The first part of a region split in two, lost by the profiler. */
				struct mapping *mm = &lp->mappings[m];
				holder_add(&holds, mm->start - mm->offset, mm->start, m);
				mm->start -= mm->offset;
				mm->offset = 0;
			}
		}
		if (m == UINT32_MAX) {
			if (catch_all < 0)
				catch_all = add_catch_all(lp);
			m = (uint32_t)catch_all;
		}
		l->mapping = (int32_t)m;
	}
	free(holds.tree);
	free(below.tree);
	free(points);
}
