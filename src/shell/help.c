#include "shell/help.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

/* "[a b c]" or "[a | b | c]": the sample types as Go prints a []string or pprof joins them. */
static void add_sample_types(const struct profile *p, const char *sep, struct strbuf *out)
{
	strbuf_addch(out, '[');
	for (size_t i = 0; i < p->nsample_types; i++)
		strbuf_addf(out, "%s%s", i ? sep : "", p->sample_types[i].type);
	strbuf_addch(out, ']');
}

/* pprof's command.help: description, then the usage lines indented. */
static void command_help(const struct command_def *c, struct strbuf *out)
{
	strbuf_addf(out, "%s\n", c->description);
	if (c->usage) {
		strbuf_addstr(out, "  Usage:\n");
		for (const char *line = c->usage; line; ) {
			const char *nl = strchr(line, '\n');
			int len = nl ? (int)(nl - line) : (int)strlen(line);
			strbuf_addf(out, "    %.*s\n", len, line);
			line = nl ? nl + 1 : NULL;
		}
	}
	strbuf_addch(out, '\n');
}

/* The help of a variable or choice: the table's text, which names a group only through its choices. */
static const struct option_def *variable_help(const char *name)
{
	for (size_t i = 0; i < option_count; i++)
		if (option_table[i].scope == SCOPE_CONFIG && !strcmp(option_table[i].name, name))
			return &option_table[i];
	return NULL;
}

int shell_help(const struct profile *p, const char *topic, struct strbuf *out, struct error *e)
{
	if (!*topic) {
		usage_shell_text(out);
		strbuf_addstr(out, "\n  :   Clear focus/ignore/hide/tagfocus/tagignore\n\n"
				   "  type \"help <cmd|option>\" for more information\n");
		return 0;
	}
	const struct command_def *c = command_find(topic);
	if (c) {
		command_help(c, out);
		return 0;
	}
	const struct option_def *o = variable_help(topic);
	if (!o)
		return error_set(e, "Unknown command: %s", topic);
	strbuf_addstr(out, o->help);
	if (!strcmp(o->name, "sample_index")) {
		strbuf_addstr(out, "Or use sample_index=name, with name in ");
		add_sample_types(p, " ", out);
		strbuf_addstr(out, ".\n");
	}
	strbuf_addch(out, '\n');
	return 0;
}

/* Appends s padded with spaces to width characters, counting UTF-8 sequences as one, as Go's %-*s. */
static void add_padded(struct strbuf *out, const char *s, size_t width)
{
	size_t chars = 0;
	for (const char *q = s; *q; q++)
		chars += ((unsigned char)*q & 0xc0) != 0x80;
	strbuf_addstr(out, s);
	if (chars < width)
		strbuf_addchars(out, ' ', width - chars);
}

/* The choices of the group starting at table index i, sorted: "[cum | flat]". */
static void add_choices(size_t i, struct strbuf *out)
{
	size_t end = option_group_end(i), n = 0;
	const char **names = xmalloc((end - i) * sizeof(*names));
	for (size_t j = i; j < end; j++)
		names[n++] = option_table[j].name;
	for (size_t a = 1; a < n; a++)	/* a handful of names: insertion sort */
		for (size_t b = a; b > 0 && strcmp(names[b - 1], names[b]) > 0; b--) {
			const char *t = names[b];
			names[b] = names[b - 1];
			names[b - 1] = t;
		}
	strbuf_addch(out, '[');
	for (size_t j = 0; j < n; j++)
		strbuf_addf(out, "%s%s", j ? " | " : "", names[j]);
	strbuf_addch(out, ']');
	free(names);
}

/* One line of `o`, or NULL for variables pprof leaves out (source_path). */
static char *option_line(const struct profile *p, const struct config *cfg, size_t i)
{
	const struct option_def *o = &option_table[i];
	const char *name = config_variable_name(i);
	if (!strcmp(name, "source_path"))
		return NULL;
	struct strbuf value = STRBUF_INIT, comment = STRBUF_INIT, line = STRBUF_INIT;
	config_get(cfg, o, &value);
	if (o->kind == OPT_CHOICE) {
		add_choices(i, &comment);
	} else if (!strcmp(name, "sample_index")) {
		if (!value.len && p->nsample_types)
			strbuf_addstr(&value, p->sample_types[p->nsample_types - 1].type);
		add_sample_types(p, " | ", &comment);
	} else if (!strcmp(name, "nodecount") && !strcmp(value.buf, "-1")) {
		strbuf_addstr(&comment, "default");
	} else if (!value.len) {
		strbuf_addstr(&value, "\"\"");
	}
	strbuf_addstr(&line, "  ");
	add_padded(&line, name, 25);
	strbuf_addstr(&line, " = ");
	add_padded(&line, value.buf, 20);
	strbuf_addf(&line, " %s%s", comment.len ? "//: " : "", comment.buf);
	strbuf_release(&value);
	strbuf_release(&comment);
	return strbuf_detach(&line, NULL);
}

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void shell_list_options(const struct profile *p, const struct config *cfg, struct strbuf *out)
{
	char **lines = xmalloc(option_count * sizeof(*lines));
	size_t n = 0;
	for (size_t i = 0; i < option_count; i++)
		if (config_variable_name(i) && (lines[n] = option_line(p, cfg, i)) != NULL)
			n++;
	qsort(lines, n, sizeof(*lines), compare_lines);
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(out, "%s%s", i ? "\n" : "", lines[i]);
		free(lines[i]);
	}
	free(lines);
}
