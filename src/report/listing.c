#include "report/listing.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/path.h"

/* Lines before the first and after the last sampled line. */
enum { MARGIN = 5 };
/* bufio.Scanner's limit: pprof stops reading a file at a longer line. */
enum { MAX_LINE = 64 * 1024 };

/* Go's os.Open error text: "open PATH: no such file or directory". */
static char *open_error(const char *path, int err)
{
	struct strbuf sb = STRBUF_INIT;
	const char *why = strerror(err);
	strbuf_addf(&sb, "open %s: %s", path, why);
	size_t at = sb.len - strlen(why);
	if (sb.buf[at] >= 'A' && sb.buf[at] <= 'Z')
		sb.buf[at] += 'a' - 'A';
	return strbuf_detach(&sb, NULL);
}

/* pprof's openSourceFile: the trimmed name, absolute or searched up each search directory. */
static FILE *open_source(const struct source_reader *rd, const char *name, char **error)
{
	char *path = trim_path(name, rd->trim, rd->search_path);
	FILE *f = NULL;
	if (path[0] == '/') {
		if (!(f = fopen(path, "r")))
			*error = open_error(path, errno);
		free(path);
		return f;
	}
	struct arena scratch = ARENA_INIT;
	char *dirs = strdup(rd->search_path);
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d && !f; d = strtok_r(NULL, ":", &save)) {
		const char *dir = path_clean(&scratch, d);
		for (;;) {
			f = fopen(path_clean(&scratch, arena_printf(&scratch, "%s/%s", dir, path)), "r");
			const char *parent = path_clean(&scratch, arena_printf(&scratch, "%s/..", dir));
			if (f || !strcmp(parent, dir) || !strcmp(dir, "."))
				break;
			dir = parent;
		}
	}
	if (!f) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "could not find file %s on path %s", path, rd->search_path);
		*error = strbuf_detach(&sb, NULL);
	}
	free(dirs);
	arena_free(&scratch);
	free(path);
	return f;
}

/* Reads lines as bufio.Scanner does: '\n' ends a line, a '\r' before it is dropped. */
static void read_lines(FILE *f, struct source_file *sf)
{
	size_t cap = 64;
	sf->lines = xmalloc(cap * sizeof(char *));
	sf->lines[0] = NULL;
	sf->count = 0;
	char *line = NULL;
	size_t line_cap = 0;
	ssize_t n;
	while ((n = getline(&line, &line_cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (n > MAX_LINE || memchr(line, '\0', (size_t)n))
			break;
		xgrow((void **)&sf->lines, &cap, sf->count + 2, sizeof(char *));
		sf->lines[++sf->count] = strdup(line);
	}
	free(line);
}

const struct source_file *source_get(struct source_reader *rd, const char *name)
{
	for (size_t i = 0; i < rd->nfiles; i++)
		if (!strcmp(rd->files[i].path, name))
			return &rd->files[i];
	xgrow((void **)&rd->files, &rd->cap, rd->nfiles + 1, sizeof(*rd->files));
	struct source_file *sf = &rd->files[rd->nfiles++];
	memset(sf, 0, sizeof(*sf));
	sf->path = strdup(name);
	FILE *f = open_source(rd, name, &sf->error);
	if (f) {
		read_lines(f, sf);
		fclose(f);
	}
	return sf;
}

void source_reader_free(struct source_reader *rd)
{
	for (size_t i = 0; i < rd->nfiles; i++) {
		struct source_file *sf = &rd->files[i];
		for (size_t l = 1; l <= sf->count; l++)
			free(sf->lines[l]);
		free(sf->lines);
		free(sf->path);
		free(sf->error);
	}
	free(rd->files);
	free(rd->search_path);
}

void source_reader_init(struct source_reader *rd, const struct report *r)
{
	char cwd[4096];
	const char *search = r->cfg.source_path && *r->cfg.source_path ? r->cfg.source_path
			     : getcwd(cwd, sizeof(cwd)) ? cwd : ".";
	memset(rd, 0, sizeof(*rd));
	rd->search_path = strdup(search);
	rd->trim = r->cfg.trim_path ? r->cfg.trim_path : "";
}

void listing_range(const struct graph *g, const struct node_group *fns, int64_t *start, int64_t *end)
{
	const struct node_info *first = &g->ns->info[fns->nodes[0]];
	*start = first->start_line ? first->start_line : first->lineno - MARGIN;
	*end = first->lineno + MARGIN;
	for (size_t i = 0; i < fns->count; i++) {
		const struct node_info *ni = &g->ns->info[fns->nodes[i]];
		int64_t node_start = ni->start_line ? ni->start_line : ni->lineno - MARGIN;
		if (node_start < *start)
			*start = node_start;
		else if (ni->lineno + MARGIN > *end)
			*end = ni->lineno + MARGIN;
	}
	if (*start < 1)
		*start = 1;
}

void listing_line_values(const struct graph *g, const struct node_group *fns, int64_t line, int64_t *flat,
			 int64_t *cum)
{
	*flat = *cum = 0;
	for (size_t i = 0; i < fns->count; i++) {
		if (g->ns->info[fns->nodes[i]].lineno != line)
			continue;
		*flat += g->flat[fns->nodes[i]];
		*cum += g->cum[fns->nodes[i]];
	}
}

void listing_totals(const struct graph *g, const struct node_group *fns, int64_t *flat, int64_t *cum)
{
	*flat = *cum = 0;
	for (size_t i = 0; i < fns->count; i++) {
		*flat += g->flat[fns->nodes[i]];
		*cum += g->cum[fns->nodes[i]];
	}
}

/* A matching node and its place in the graph, to keep graph order within a group. */
struct match {
	uint32_t node;
	uint32_t rank;
};

static const struct node_info *sort_info;

/* By function name, then file name (pprof's NameOrder and FileOrder), then graph order. */
static int match_cmp(const void *pa, const void *pb)
{
	const struct match *a = pa, *b = pb;
	const struct node_info *l = &sort_info[a->node], *r = &sort_info[b->node];
	int c = strcmp(l->name, r->name);
	if (!c)
		c = strcmp(l->file, r->file);
	return c ? c : (a->rank > b->rank) - (a->rank < b->rank);
}

/* One function, ms[0..n) all of its nodes: a group per source file. */
static void function_groups(const struct graph *g, const struct match *ms, size_t n, uint32_t *scratch,
			    listing_fn *fn, void *arg)
{
	const struct node_info *info = g->ns->info;
	size_t i = 0;
	while (i < n && !*info[ms[i].node].file)
		i++;
	if (i == n) {
		scratch[0] = ms[0].node;
		fn(g, &(struct node_group){ scratch, 1 }, arg);
		return;
	}
	while (i < n) {
		struct node_group fns = { scratch, 0 };
		const char *file = info[ms[i].node].file;
		for (; i < n && !strcmp(info[ms[i].node].file, file); i++)
			scratch[fns.count++] = ms[i].node;
		fn(g, &fns, arg);
	}
}

int listing_groups(struct report *r, listing_fn *fn, void *arg, struct error *e)
{
	struct graph graph;
	const struct graph *g = &graph;
	graph_build_once(&graph, &r->nodes, &r->view, &(struct graph_options){ .drop_negative = r->cfg.drop_negative });
	const struct node_info *info = g->ns->info;
	struct match *ms = xmalloc((g->nnodes + 1) * sizeof(*ms));
	size_t n = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		if (regex_match(r->symbol, info[g->nodes[i]].name))
			ms[n++] = (struct match){ g->nodes[i], (uint32_t)i };
	if (n == 0) {
		free(ms);
		graph_free(&graph);
		return error_set(e, "no matches found for regexp: %s", r->command_arg);
	}
	sort_info = info;
	qsort(ms, n, sizeof(*ms), match_cmp);
	uint32_t *scratch = xmalloc((n + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && !strcmp(info[ms[j].node].name, info[ms[i].node].name))
			j++;
		function_groups(g, ms + i, j - i, scratch, fn, arg);
		i = j;
	}
	free(scratch);
	free(ms);
	graph_free(&graph);
	return 0;
}
