#include "symbolize/symbolize.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize/demangle.h"
#include "symbolize/debugfile.h"
#include "symbolize/locate.h"
#include "symbolize/objfile.h"
#include "symbolize/symbolz.h"
#include "util/path.h"

struct symbolize_mode {
	bool local, remote, fast, force;
	bool none;
	enum demangle_mode demangle;
};

/* pprof's parsing of -symbolize: unknown words are reported and ignored. */
static struct symbolize_mode parse_mode(const char *text)
{
	struct symbolize_mode m = { true, true, false, false, false, DEMANGLE_DEFAULT };
	if (!text)
		return m;
	char *lower = strdup(text);
	for (char *c = lower; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	char *rest = lower;
	for (char *word = strsep(&rest, ":"); word; word = strsep(&rest, ":")) {
		const char *d = !strncmp(word, "demangle=", 9) ? word + 9 : word;
		if (!*word)
			continue;
		if (!strcmp(word, "none") || !strcmp(word, "no")) {
			m.none = true;
			break;
		} else if (!strcmp(word, "local")) {
			m.remote = false, m.local = true;
		} else if (!strcmp(word, "fastlocal")) {
			m.remote = false, m.local = true, m.fast = true;
		} else if (!strcmp(word, "remote")) {
			m.remote = true, m.local = false;
		} else if (!strcmp(word, "force")) {
			m.force = true;
		} else if (!strcmp(d, "full") || !strcmp(d, "none") || !strcmp(d, "templates")) {
			m.demangle = !strcmp(d, "full") ? DEMANGLE_FULL : !strcmp(d, "none") ? DEMANGLE_NONE
												 : DEMANGLE_TEMPLATES;
			m.force = true;
		} else if (strcmp(d, "default")) {
			fprintf(stderr, "ignoring unrecognized symbolization option: %s\n", text);
			fprintf(stderr, "expecting -symbolize=[local|fastlocal|remote|none][:force]"
					"[:demangle=[none|full|templates|default]\n");
		}
	}
	free(lower);
	return m;
}

/* Everything one symbolization pass builds. */
struct symbolizer {
	struct profile *p;
	struct objfile **objs;		/* per mapping; NULL: not symbolized */
	struct hmap by_address;		/* hash of (mapping, address) -> index in results */
	struct address_result *results;
	size_t nresults, results_cap;
	struct hmap by_function;	/* hash of (name, file) -> first new function */
	uint32_t *function_chain;
	struct function *functions;	/* new functions, appended to the profile's at the end */
	size_t nfunctions, functions_cap, chain_cap;
	uint64_t next_id;		/* ids of new functions follow the profile's largest */
};

struct address_result {
	uint32_t mapping;
	uint64_t address;
	uint32_t next;		/* next result with the same hash */
	struct line *lines;
	uint32_t nlines;
	bool has_function, has_file, has_line;
};

static uint64_t key_of(uint64_t h)
{
	return h == HASH_EMPTY_KEY ? 0 : h;
}

/* The index in the profile of the function (name, file), added if new. */
static int32_t function_index(struct symbolizer *s, const char *name, const char *file)
{
	uint64_t h = key_of(hash_bytes(file, strlen(file), hash_bytes(name, strlen(name), 5)));
	int inserted;
	uint32_t *head = hmap_put(&s->by_function, h, UINT32_MAX, &inserted);
	for (uint32_t i = *head; i != UINT32_MAX; i = s->function_chain[i])
		if (!strcmp(s->functions[i].name, name) && !strcmp(s->functions[i].filename, file))
			return (int32_t)(s->p->nfunctions + i);
	xgrow((void **)&s->functions, &s->functions_cap, s->nfunctions + 1, sizeof(*s->functions));
	xgrow((void **)&s->function_chain, &s->chain_cap, s->nfunctions + 1, sizeof(*s->function_chain));
	uint32_t i = (uint32_t)s->nfunctions++;
	const char *n = arena_strdup(&s->p->arena, name);
	s->functions[i] = (struct function){ s->next_id++, n, n, arena_strdup(&s->p->arena, file), 0 };
	s->function_chain[i] = *head;
	*head = i;
	return (int32_t)(s->p->nfunctions + i);
}

static void symbolize_address(struct symbolizer *s, struct objfile *obj, struct address_result *r, bool fast)
{
	struct frame frames[MAX_FRAMES];
	uint64_t file_addr;
	size_t n = 0;
	if (objfile_address(obj, r->address, &file_addr))
		n = fast ? objfile_symbol_frame(obj, file_addr, frames) : objfile_frames(obj, file_addr, frames);
	r->lines = n ? arena_array(&s->p->arena, n, sizeof(struct line)) : NULL;
	r->nlines = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		r->lines[i] = (struct line){ function_index(s, frames[i].function, frames[i].file), frames[i].line, 0 };
		r->has_function |= *frames[i].function != 0;
		r->has_file |= *frames[i].file != 0;
		r->has_line |= frames[i].line != 0;
	}
}

/* The frames of a location's address, computed once per mapping and address. */
static const struct address_result *address_frames(struct symbolizer *s, const struct location *l, bool fast)
{
	uint64_t h = key_of(hash_mix(hash_u64((uint64_t)l->mapping), l->address));
	int inserted;
	uint32_t *head = hmap_put(&s->by_address, h, UINT32_MAX, &inserted);
	for (uint32_t i = *head; i != UINT32_MAX; i = s->results[i].next)
		if (s->results[i].mapping == (uint32_t)l->mapping && s->results[i].address == l->address)
			return &s->results[i];
	xgrow((void **)&s->results, &s->results_cap, s->nresults + 1, sizeof(*s->results));
	struct address_result *r = &s->results[s->nresults];
	memset(r, 0, sizeof(*r));
	r->mapping = (uint32_t)l->mapping;
	r->address = l->address;
	r->next = *head;
	*head = (uint32_t)s->nresults++;
	symbolize_address(s, s->objs[l->mapping], r, fast);
	return r;
}

/*
 * Opens a mapping's binary for symbolization, or says why not (pprof's
 * newMapping).  Returns NULL when the mapping is left alone.
 */
static struct objfile *open_mapping(const struct mapping *m, bool user_named, bool *missing)
{
	struct strbuf label = STRBUF_INIT;
	strbuf_addstr(&label, path_base(m->file));
	if (*m->build_id)
		strbuf_addf(&label, " (build ID %s)", m->build_id);
	struct objmap map = { m->start, m->limit, m->offset };
	struct objfile *obj = xcalloc(1, sizeof(*obj));
	struct error e = ERROR_INIT;
	int rc = objfile_open(obj, m->file, &map, &e);
	if (rc < 0 && *m->build_id) {
		char *fetched = debuginfod_fetch(m->build_id, true);
		if (fetched && objfile_open(obj, fetched, &map, &e) == 0)
			rc = 0;
		free(fetched);
	}
	if (rc < 0) {
		fprintf(stderr, "Local symbolization failed for %s: %s\n", label.buf, e.msg.buf);
		*missing = true;
		free(obj);
		obj = NULL;
	} else if (!*m->build_id && !user_named) {
		/* the file at the recorded path may be another build: not trusted */
		objfile_close(obj);
		free(obj);
		obj = NULL;
	} else if (*m->build_id && *obj->image.build_id && strcmp(m->build_id, obj->image.build_id)) {
		fprintf(stderr, "Local symbolization failed for %s: build ID mismatch\n", label.buf);
		objfile_close(obj);
		free(obj);
		obj = NULL;
	}
	error_clear(&e);
	strbuf_release(&label);
	return obj;
}

/* Opens the binaries of the mappings that need symbols; false if none does. */
static bool open_mappings(struct symbolizer *s, const struct symbolize_mode *mode, const bool *user_named)
{
	struct profile *p = s->p;
	bool *used = xcalloc(p->nmappings + 1, sizeof(bool));
	for (size_t i = 0; i < p->nlocations; i++)
		if (p->locations[i].mapping >= 0)
			used[p->locations[i].mapping] = true;
	bool missing = false, any = false;
	for (size_t i = 0; i < p->nmappings; i++) {
		const struct mapping *m = &p->mappings[i];
		if (!used[i] || (!mode->force && (m->has_functions || m->has_filenames || m->has_line_numbers)))
			continue;
		if (!*m->file) {
			if (i == 0)
				fprintf(stderr, "Main binary filename not available.\n");
			else
				missing = true;
			continue;
		}
		/* the server a profile was fetched from symbolizes it */
		if (mapping_unsymbolizable(m) || (!*m->build_id && symbolz_is_source_url(m->file)))
			continue;
		s->objs[i] = open_mapping(m, user_named[i], &missing);
		any |= s->objs[i] != NULL;
	}
	if (missing)
		fprintf(stderr, "Some binary filenames not available. Symbolization may be incomplete.\n"
				"Try setting PPROF_BINARY_PATH to the search path for local binaries.\n");
	free(used);
	return any;
}

/* Gives every location of an opened mapping the frames of its address. */
static void symbolize_locations(struct symbolizer *s, bool fast)
{
	struct profile *p = s->p;
	for (size_t i = 0; i < p->nlocations; i++) {
		struct location *l = &p->locations[i];
		if (l->mapping < 0 || !s->objs[l->mapping])
			continue;
		const struct address_result *r = address_frames(s, l, fast);
		if (r->nlines == 0)
			continue;
		l->lines = r->lines;
		l->nlines = r->nlines;
		l->is_folded = false;
		struct mapping *m = &p->mappings[l->mapping];
		m->has_functions |= r->has_function;
		m->has_filenames |= r->has_file;
		m->has_line_numbers |= r->has_line;
		m->has_inline_frames = true;
	}
}

/* Appends the new functions to the profile's table. */
static void add_functions(struct symbolizer *s)
{
	struct profile *p = s->p;
	if (s->nfunctions == 0)
		return;
	struct function *all = arena_array(&p->arena, p->nfunctions + s->nfunctions, sizeof(*all));
	if (p->nfunctions)
		memcpy(all, p->functions, p->nfunctions * sizeof(*all));
	memcpy(all + p->nfunctions, s->functions, s->nfunctions * sizeof(*all));
	p->functions = all;
	p->nfunctions += s->nfunctions;
}

static void local_symbolize(struct profile *p, const struct symbolize_mode *mode, const bool *user_named)
{
	struct symbolizer s = { 0 };
	s.p = p;
	s.objs = xcalloc(p->nmappings + 1, sizeof(*s.objs));
	s.next_id = 1;
	for (size_t i = 0; i < p->nfunctions; i++)
		if (p->functions[i].id >= s.next_id)
			s.next_id = p->functions[i].id + 1;
	if (open_mappings(&s, mode, user_named)) {
		hmap_init(&s.by_address, p->nlocations);
		hmap_init(&s.by_function, 256);
		symbolize_locations(&s, mode->fast);
		add_functions(&s);
		hmap_free(&s.by_address);
		hmap_free(&s.by_function);
	}
	for (size_t i = 0; i < p->nmappings; i++) {
		if (s.objs[i]) {
			objfile_close(s.objs[i]);
			free(s.objs[i]);
		}
	}
	free(s.objs);
	free(s.results);
	free(s.functions);
	free(s.function_chain);
}

/* pprof's Demangle: every function's name from its system name, unless already demangled. */
static void demangle_functions(struct profile *p, bool force, enum demangle_mode mode)
{
	for (size_t i = 0; i < p->nfunctions; i++) {
		struct function *f = &p->functions[i];
		if (force && *f->name && *f->system_name)
			f->name = f->system_name;
		if (*f->name && strcmp(f->system_name, f->name))
			continue;
		char *d = demangle_name(f->system_name, mode);
		f->name = d ? arena_strdup(&p->arena, d) : f->system_name;
		free(d);
	}
}

int symbolize_profile(struct profile *p, const struct symbolize_options *o, struct error *e)
{
	bool *user_named = xcalloc(p->nmappings + 1, sizeof(bool));
	locate_binaries(p, o->exec_name, o->build_id, user_named);
	struct symbolize_mode m = parse_mode(o->mode);
	int rc = 0;
	if (!m.none) {
		if (m.local)
			local_symbolize(p, &m, user_named);
		if (m.remote)
			rc = symbolz_symbolize(p, m.force, o->remote, e);
		if (rc == 0)
			demangle_functions(p, m.force, m.demangle);
	}
	free(user_named);
	return rc;
}
