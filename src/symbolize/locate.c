#include "symbolize/locate.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize/elfimage.h"
#include "util/path.h"
#include "util/strbuf.h"

/* The candidate files for a mapping in one search directory, in pprof's order. */
static size_t candidates(struct arena *a, const char *dir, const struct mapping *m, char ***out)
{
	size_t n = 0, cap = 8;
	char **names = xmalloc(cap * sizeof(char *));
	const char *base = *m->file ? path_base(m->file) : "";
	base = arena_strdup(a, base);
#define ADD(s) do { xgrow((void **)&names, &cap, n + 1, sizeof(char *)); names[n++] = path_clean(a, (s)); } while (0)
	if (*m->build_id) {
		ADD(arena_printf(a, "%s/%s/%s", dir, m->build_id, base));
		glob_t g;
		if (glob(arena_printf(a, "%s/%s/*", dir, m->build_id), 0, NULL, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++)
				ADD(g.gl_pathv[i]);
		}
		globfree(&g);
		ADD(arena_printf(a, "%s/%s/%s", dir, m->file, m->build_id));
		if (strlen(m->build_id) > 2)
			ADD(arena_printf(a, "%s/%.2s/%s.debug", dir, m->build_id, m->build_id + 2));
	}
	if (*m->file) {
		if (*base)
			ADD(arena_printf(a, "%s/%s", dir, base));
		ADD(arena_printf(a, "%s/%s", dir, m->file));
	}
#undef ADD
	*out = names;
	return n;
}

/* The first candidate that opens as a binary with the mapping's build ID, or NULL. */
static const char *search_dir(struct arena *a, const char *dir, const struct mapping *m)
{
	char **names;
	size_t n = candidates(a, dir, m, &names);
	const char *found = NULL;
	for (size_t i = 0; i < n && !found; i++) {
		struct elf_image img;
		struct error e = ERROR_INIT;
		if (elf_image_open(&img, names[i], &e) == 0) {
			if (*m->build_id && strcmp(m->build_id, img.build_id))
				fprintf(stderr, "Ignoring local file %s: build-id mismatch (%s != %s)\n", names[i],
					m->build_id, img.build_id);
			else
				found = names[i];
			elf_image_close(&img);
		}
		error_clear(&e);
	}
	free(names);
	return found;
}

void locate_binaries(struct profile *p, const char *exec_name, const char *build_id, bool *user_named)
{
	const char *env = getenv("PPROF_BINARY_PATH");
	struct strbuf search = STRBUF_INIT;
	if (env && *env)
		strbuf_addstr(&search, env);
	else
		strbuf_addf(&search, "%s/pprof/binaries", getenv("HOME") ? getenv("HOME") : "");
	struct arena scratch = ARENA_INIT;
	for (size_t i = 0; i < p->nmappings; i++) {
		struct mapping *m = &p->mappings[i];
		char *dirs = strdup(search.buf);
		const char *found = NULL;
		for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save))
			found = search_dir(&scratch, d, m);
		if (found) {
			m->file = arena_strdup(&p->arena, found);
			user_named[i] = true;
		}
		free(dirs);
	}
	arena_free(&scratch);
	strbuf_release(&search);
	if (p->nmappings && exec_name && *exec_name) {
		p->mappings[0].file = arena_strdup(&p->arena, exec_name);
		user_named[0] = true;
	}
	if (p->nmappings && build_id && *build_id)
		p->mappings[0].build_id = arena_strdup(&p->arena, build_id);
}
