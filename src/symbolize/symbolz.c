#include "symbolize/symbolz.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/url.h"
#include "util/hash.h"
#include "util/path.h"
#include "util/strbuf.h"

#define NONE UINT32_MAX

void mapping_sources_init(struct mapping_sources *ms)
{
	memset(ms, 0, sizeof(*ms));
	arena_init(&ms->arena);
}

void mapping_sources_add(struct mapping_sources *ms, const char *key, const char *url, uint64_t start)
{
	xgrow((void **)&ms->items, &ms->cap, ms->n + 1, sizeof(*ms->items));
	struct mapping_source *s = &ms->items[ms->n++];
	s->key = arena_strdup(&ms->arena, key);
	s->url = arena_strdup(&ms->arena, url);
	s->start = start;
}

void mapping_sources_free(struct mapping_sources *ms)
{
	free(ms->items);
	arena_free(&ms->arena);
	memset(ms, 0, sizeof(*ms));
}

/* The paths of gperftools' profile handlers (pprof_remote_servers.html). */
static bool has_gperftools_suffix(const char *path)
{
	static const char *const suffixes[] = { "/pprof/heap", "/pprof/growth", "/pprof/profile",
						"/pprof/pmuprofile", "/pprof/contention" };
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t s = strlen(suffixes[i]);
		if (n >= s && !strcmp(path + n - s, suffixes[i]))
			return true;
	}
	return false;
}

char *symbolz_url(struct arena *a, const char *source)
{
	struct go_url u;
	struct error e = ERROR_INIT;
	int rc = url_parse(a, source, &u, &e);
	error_clear(&e);
	if (rc < 0 || !*u.host)
		return NULL;
	/* Every handler of Go's net/http/pprof lives under /debug/pprof/. */
	if (strstr(u.path, "/debug/pprof/") || has_gperftools_suffix(u.path))
		u.path = path_clean(a, arena_printf(a, "%s/../symbol", u.path));
	else
		u.path = "/symbolz";
	u.raw_query = "";
	return url_string(a, &u);
}

bool symbolz_is_source_url(const char *file)
{
	struct arena a = ARENA_INIT;
	struct error e = ERROR_INIT;
	struct go_url u;
	bool yes = url_parse(&a, file, &u, &e) == 0 && strstr(u.scheme, "http");
	error_clear(&e);
	arena_free(&a);
	return yes;
}

/* pprof's adjust: addr moved by offset, or false if that overflows. */
static bool adjust(uint64_t addr, int64_t offset, uint64_t *out)
{
	uint64_t moved = addr + (uint64_t)offset;
	if (offset < 0 ? moved >= addr : moved < addr)
		return false;
	*out = moved;
	return true;
}

static bool is_hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* RE2's \s. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

bool symbolz_parse_line(const char *line, size_t len, const char **addr, size_t *addr_len,
			const char **name, size_t *name_len)
{
	for (size_t i = 0; i + 2 < len; i++) {
		if (line[i] != '0' || line[i + 1] != 'x')
			continue;
		size_t digits = i + 2;
		while (digits < len && is_hex_digit(line[digits]))
			digits++;
		size_t text = digits;
		while (text < len && is_space(line[text]))
			text++;
		if (digits == i + 2 || text == digits)
			continue;
		size_t end = text;
		while (end < len && line[end] != '\n')
			end++;
		*addr = line + i;
		*addr_len = digits - i;
		*name = line + text;
		*name_len = end - text;
		return true;
	}
	return false;
}

/* Go's strconv.ParseUint(text, 0, 64) for "0x..." text. */
static bool parse_hex(const char *text, size_t len, uint64_t *v)
{
	*v = 0;
	for (size_t i = 2; i < len; i++) {
		char c = text[i];
		unsigned d = c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
		if (*v >> 60)
			return false;
		*v = *v << 4 | d;
	}
	return true;
}

/* The functions a symbol answer names, by name, and the address each names. */
struct answer {
	struct hmap by_name;	/* hash of name -> first index in names */
	uint32_t *chain;	/* next index with the same hash */
	char **names;
	size_t n, cap, chain_cap;
	struct hmap by_address;	/* address -> index in names */
};

static uint32_t answer_function(struct answer *an, struct arena *a, const char *name, size_t len)
{
	uint64_t h = hash_bytes(name, len, 11);
	if (h == HASH_EMPTY_KEY)
		h = 0;
	int inserted;
	uint32_t *head = hmap_put(&an->by_name, h, NONE, &inserted);
	for (uint32_t i = *head; i != NONE; i = an->chain[i])
		if (strlen(an->names[i]) == len && !memcmp(an->names[i], name, len))
			return i;
	xgrow((void **)&an->names, &an->cap, an->n + 1, sizeof(*an->names));
	xgrow((void **)&an->chain, &an->chain_cap, an->n + 1, sizeof(*an->chain));
	uint32_t i = (uint32_t)an->n++;
	an->names[i] = arena_strndup(a, name, len);
	an->chain[i] = *head;
	*head = i;
	return i;
}

static void answer_free(struct answer *an)
{
	hmap_free(&an->by_name);
	hmap_free(&an->by_address);
	free(an->chain);
	free(an->names);
}

/* Reads the handler's answer: "0xADDR name" lines; others are ignored, as is a last unfinished line. */
static int read_answer(struct answer *an, struct profile *p, int64_t offset, const struct strbuf *body,
		       struct error *e)
{
	const char *line = body->buf, *end = body->buf + body->len;
	const char *nl;
	while ((nl = memchr(line, '\n', (size_t)(end - line)))) {
		const char *addr_text, *name;
		size_t addr_len, name_len;
		uint64_t orig, addr;
		if (symbolz_parse_line(line, (size_t)(nl + 1 - line), &addr_text, &addr_len, &name, &name_len)) {
			if (!parse_hex(addr_text, addr_len, &orig))
				return error_set(e, "unexpected parse failure %.*s: strconv.ParseUint: parsing "
						    "\"%.*s\": value out of range", (int)addr_len, addr_text,
						 (int)addr_len, addr_text);
			if (!adjust(orig, -offset, &addr))
				return error_set(e, "cannot adjust symbolz address %" PRIu64 " by %" PRId64
						    ", it would overflow", orig, -offset);
			uint32_t f = answer_function(an, &p->arena, name, name_len);
			int inserted;
			if (addr != HASH_EMPTY_KEY)
				*hmap_put(&an->by_address, addr, f, &inserted) = f;
		}
		line = nl + 1;
	}
	return 0;
}

/* Adds the answer's functions to p and gives each answered location of mapping mi its line. */
static void apply_answer(struct profile *p, size_t mi, const struct answer *an)
{
	size_t first = p->nfunctions;
	struct function *functions = arena_array(&p->arena, first + an->n + 1, sizeof(*functions));
	if (first)
		memcpy(functions, p->functions, first * sizeof(*functions));
	for (size_t i = 0; i < an->n; i++) {
		struct function *f = &functions[first + i];
		f->id = first + i + 1;
		f->name = f->system_name = an->names[i];
		f->filename = "";
	}
	p->functions = functions;
	p->nfunctions = first + an->n;
	for (size_t i = 0; i < p->nlocations; i++) {
		struct location *l = &p->locations[i];
		const uint32_t *f = l->mapping == (int32_t)mi && l->address != HASH_EMPTY_KEY
					    ? hmap_get(&an->by_address, l->address) : NULL;
		if (!f)
			continue;
		l->lines = arena_alloc(&p->arena, sizeof(struct line));
		l->lines[0].function = (int32_t)(first + *f);
		l->nlines = 1;
	}
}

/* The query for mapping mi: its unsymbolized addresses, as the server knows them, joined by '+'. */
static int build_query(const struct profile *p, size_t mi, int64_t offset, struct strbuf *query,
		       struct error *e)
{
	for (size_t i = 0; i < p->nlocations; i++) {
		const struct location *l = &p->locations[i];
		uint64_t addr;
		if (l->mapping != (int32_t)mi || l->address == 0 || l->nlines != 0)
			continue;
		if (!adjust(l->address, offset, &addr))
			return error_set(e, "cannot adjust address %" PRIu64 " by %" PRId64
					    ", it would overflow (mapping %s)", l->address, offset,
					 p->mappings[mi].file);
		strbuf_addf(query, "%s0x%" PRIx64, query->len ? "+" : "", addr);
	}
	return 0;
}

/* Posts the query to the symbol handler at url and applies its answer to mapping mi. */
static int post_query(struct profile *p, size_t mi, const char *url, int64_t offset, const char *query,
		      const struct symbolz_options *o, struct error *e)
{
	struct http_exchange x = { .url = url, .post = query, .limit_ms = o->limit_ms };
	struct http_exchange *px = &x;
	http_run(&px, 1, &o->tls);
	int rc = 0;
	if (x.failed) {
		rc = error_set(e, "http post %s: %s", url, x.err.msg.buf);
	} else {
		struct answer an;
		memset(&an, 0, sizeof(an));
		hmap_init(&an.by_name, 64);
		hmap_init(&an.by_address, 64);
		rc = read_answer(&an, p, offset, &x.body, e);
		if (rc == 0)
			apply_answer(p, mi, &an);
		answer_free(&an);
	}
	http_exchange_free(&x);
	return rc;
}

static int symbolize_mapping(struct profile *p, size_t mi, const char *url, int64_t offset,
			     const struct symbolz_options *o, struct error *e)
{
	struct strbuf query = STRBUF_INIT;
	int rc = build_query(p, mi, offset, &query, e);
	if (rc == 0 && query.len > 0)
		rc = post_query(p, mi, url, offset, query.buf, o, e);
	strbuf_release(&query);
	return rc;
}

/* Tries the sources recorded under key for mapping mi; true once one answered. */
static int try_sources(struct profile *p, size_t mi, const char *key, const struct symbolz_options *o,
		       bool *done, struct error *e)
{
	const struct mapping_sources *ms = o->sources;
	struct arena scratch = ARENA_INIT;
	int rc = 0;
	for (size_t i = 0; i < ms->n && !*done && rc == 0; i++) {
		if (strcmp(ms->items[i].key, key))
			continue;
		const char *url = symbolz_url(&scratch, ms->items[i].url);
		if (!url)
			continue;
		int64_t offset = (int64_t)(ms->items[i].start - p->mappings[mi].start);
		rc = symbolize_mapping(p, mi, url, offset, o, e);
		*done = rc == 0;
	}
	arena_free(&scratch);
	return rc;
}

int symbolz_symbolize(struct profile *p, bool force, const struct symbolz_options *o, struct error *e)
{
	if (!o || !o->sources || o->sources->n == 0)
		return 0;
	for (size_t mi = 0; mi < p->nmappings; mi++) {
		struct mapping *m = &p->mappings[mi];
		/* symbolz gives function names only, so only they tell a mapping is done. */
		if ((!force && m->has_functions) || mapping_unsymbolizable(m))
			continue;
		bool done = false;
		if (try_sources(p, mi, m->file, o, &done, e) < 0)
			return -1;
		if (!done && *m->build_id && try_sources(p, mi, m->build_id, o, &done, e) < 0)
			return -1;
		if (done)
			m->has_functions = true;
	}
	return 0;
}
