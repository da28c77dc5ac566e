#include "symbolize/symbolize.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/path.h"

struct symbolize_mode {
	bool local, remote, fast, force;
	bool none;
};

/* pprof's parsing of -symbolize: unknown words are reported and ignored. */
static struct symbolize_mode parse_mode(const char *text)
{
	struct symbolize_mode m = { true, true, false, false, false };
	if (!text)
		return m;
	char *lower = strdup(text);
	for (char *c = lower; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	char *rest = lower;
	for (char *word = strsep(&rest, ":"); word; word = strsep(&rest, ":")) {
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
		} else if (!strncmp(word, "demangle=", 9) &&
			   (!strcmp(word + 9, "full") || !strcmp(word + 9, "none") || !strcmp(word + 9, "templates"))) {
			m.force = true;
		} else if (strcmp(word, "demangle=default") && strcmp(word, "default")) {
			fprintf(stderr, "ignoring unrecognized symbolization option: %s\n", text);
			fprintf(stderr, "expecting -symbolize=[local|fastlocal|remote|none][:force]"
					"[:demangle=[none|full|templates|default]\n");
		}
	}
	free(lower);
	return m;
}

/* Mappings that locations use, by index. */
static bool *used_mappings(const struct profile *p)
{
	bool *used = calloc(p->nmappings + 1, sizeof(bool));
	for (size_t i = 0; i < p->nlocations; i++)
		if (p->locations[i].mapping >= 0)
			used[p->locations[i].mapping] = true;
	return used;
}

/* pprof's Mapping.Unsymbolizable: kernel, vdso and device mappings. */
static bool unsymbolizable(const struct mapping *m)
{
	const char *name = path_base(m->file);
	return name[0] == '[' || !strncmp(name, "linux-vdso", 10) || !strncmp(m->file, "/dev/dri/", 9);
}

/* Whether the mapping's binary can be read; says why not as pprof does. */
static bool binary_opens(const struct mapping *m)
{
	char why[128];
	FILE *f = fopen(m->file, "rb");
	if (f) {
		fclose(f);
		return true;
	}
	fprintf(stderr, "Local symbolization failed for %s", path_base(m->file));
	if (*m->build_id)
		fprintf(stderr, " (build ID %s)", m->build_id);
	fprintf(stderr, ": open %s: %s\n", m->file, go_strerror(errno, why, sizeof(why)));
	return false;
}

static void local_symbolize(struct profile *p, const struct symbolize_mode *m)
{
	bool *used = used_mappings(p);
	bool missing = false;
	for (size_t i = 0; i < p->nmappings; i++) {
		const struct mapping *map = &p->mappings[i];
		if (!used[i])
			continue;
		if (!m->force && (map->has_functions || map->has_filenames || map->has_line_numbers))
			continue;
		if (!*map->file) {
			if (i == 0)
				fprintf(stderr, "Main binary filename not available.\n");
			else
				missing = true;
			continue;
		}
		/* Kernel and vdso mappings have no file; the server a profile was fetched from symbolizes it. */
		if (unsymbolizable(map) || (!*map->build_id && symbolz_is_source_url(map->file)))
			continue;
		if (!binary_opens(map))
			missing = true;
	}
	if (missing)
		fprintf(stderr, "Some binary filenames not available. Symbolization may be incomplete.\n"
				"Try setting PPROF_BINARY_PATH to the search path for local binaries.\n");
	free(used);
}

int symbolize_profile(struct profile *p, const struct symbolize_options *o, struct error *e)
{
	struct symbolize_mode m = parse_mode(o->mode);
	if (m.none)
		return 0;
	if (m.local)
		local_symbolize(p, &m);
	if (m.remote && symbolz_symbolize(p, m.force, o->remote, e) < 0)
		return -1;
	return 0;
}
