#include "shell/shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "shell/command.h"
#include "shell/complete.h"
#include "shell/help.h"
#include "shell/ui.h"
#include "util/arena.h"

/* pprof ends a value at its last "//:", the mark of the comments `o` prints. */
#define COMMENT_START "//:"

struct shell {
	const struct profile *prof;
	struct config cfg;		/* the variables, as assignments left them */
	shell_report_fn run_report;
	void *report_data;		/* run_report's */
	struct shell_ui *ui;
};

/* The variables `:` clears. */
static const char *const clear_filters[] = { "focus", "ignore", "hide", "tagfocus", "tagignore" };

/* The commands one line stands for (pprof's shortcuts), at most one per filter `:` clears. */
struct expansion {
	char *cmds[sizeof(clear_filters) / sizeof(clear_filters[0])];
	size_t n;
};

static void expansion_add(struct expansion *x, const char *prefix, const char *s)
{
	size_t n = strlen(prefix) + strlen(s) + 1;
	x->cmds[x->n] = xmalloc(n);
	snprintf(x->cmds[x->n++], n, "%s%s", prefix, s);
}

static void expansion_free(struct expansion *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->cmds[i]);
	x->n = 0;
}

/* What selecting a sample type by name sets besides sample_index: NULL if line does not name type. */
static const char *sample_type_shortcut(const char *line, const char *type)
{
	if (!strcmp(line, type))
		return "";
	if (!strncmp(line, "total_", 6) && !strcmp(line + 6, type))
		return "mean=0";
	if (!strncmp(line, "mean_", 5) && !strcmp(line + 5, type))
		return "mean=1";
	return NULL;
}

/* pprof's shortcuts: ":", TYPE, total_TYPE and mean_TYPE; any other line stands for itself. */
static void expand_shortcuts(const struct profile *p, const char *line, struct expansion *x)
{
	x->n = 0;
	if (!strcmp(line, ":"))
		for (size_t i = 0; i < sizeof(clear_filters) / sizeof(clear_filters[0]); i++)
			expansion_add(x, clear_filters[i], "=");
	/* a later sample type wins, as it overwrites an earlier one in pprof's table */
	for (size_t i = 0; i < p->nsample_types; i++) {
		const char *type = p->sample_types[i].type;
		const char *mean = sample_type_shortcut(line, type);
		if (!mean)
			continue;
		expansion_free(x);
		if (*mean)
			expansion_add(x, mean, "");
		expansion_add(x, "sample_index=", type);
	}
	if (x->n == 0)
		expansion_add(x, line, "");
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Go's strings.TrimSpace, in place. */
static char *trim(char *s)
{
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

static void print_error(struct shell *sh, struct error *e)
{
	shell_ui_print_error(sh->ui, e->msg.buf);
	error_clear(e);
}

/* sample_index takes an index or a name; pprof stores the name of the type it selects. */
static int set_sample_index(struct shell *sh, const char *value, struct error *e)
{
	size_t index;
	if (sample_index_by_name(sh->prof, value, &index, e) < 0)
		return -1;
	return config_set(&sh->cfg, "sample_index", sh->prof->sample_types[index].type, e);
}

/*
 * pprof's assignments: "name=value" (a comment after "//:" dropped) or,
 * for booleans and choices, a bare name.  Returns false if the line is no
 * assignment, true once it has been handled (errors printed).
 */
static bool try_assignment(struct shell *sh, const char *input)
{
	const char *eq = strchr(input, '=');
	char *raw = eq ? strndup(input, (size_t)(eq - input)) : strdup(input);
	const char *name = trim(raw);
	bool handled = config_variable(name) != NULL;
	if (handled) {
		char *value = strdup(eq ? eq + 1 : "");
		char *comment = NULL;
		for (char *p = value; (p = strstr(p, COMMENT_START)) != NULL; p++)
			comment = p;
		if (comment)
			*comment = '\0';
		struct error e = ERROR_INIT;
		int rc;
		if (!eq && !config_variable_is_bool(name))
			rc = error_set(&e, "please specify a value, e.g. %s=<val>", name);
		else if (!strcmp(name, "sample_index"))
			rc = set_sample_index(sh, trim(value), &e);
		else
			rc = config_set(&sh->cfg, name, trim(value), &e);
		if (rc < 0)
			print_error(sh, &e);
		error_clear(&e);
		free(value);
	}
	free(raw);
	return handled;
}

static void show_options(struct shell *sh)
{
	struct strbuf out = STRBUF_INIT;
	shell_list_options(sh->prof, &sh->cfg, &out);
	shell_ui_print(sh->ui, out.buf);
	strbuf_release(&out);
}

static void show_help(struct shell *sh, const char *topic)
{
	struct strbuf out = STRBUF_INIT;
	struct error e = ERROR_INIT;
	if (shell_help(sh->prof, topic, &out, &e) < 0)
		print_error(sh, &e);
	else
		shell_ui_print(sh->ui, out.buf);
	strbuf_release(&out);
	error_clear(&e);
}

/* The words after the first, joined by single spaces (pprof's help topic). */
static char *rest_of_words(const char *input)
{
	struct strbuf topic = STRBUF_INIT;
	const char *p = input;
	while (*p && !is_space(*p))
		p++;
	for (;;) {
		while (is_space(*p))
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && !is_space(*p))
			p++;
		strbuf_addf(&topic, "%s%.*s", topic.len ? " " : "", (int)(p - start), start);
	}
	return strbuf_detach(&topic, NULL);
}

static void run_report_command(struct shell *sh, const char *input)
{
	struct shell_command cmd;
	struct error e = ERROR_INIT;
	if (shell_parse_command(input, &sh->cfg, &cmd, &e) == 0) {
		if (sh->run_report(sh->report_data, sh->prof, &cmd.cfg, cmd.def->name, cmd.arg, &e) < 0)
			print_error(sh, &e);
		shell_command_free(&cmd);
	} else {
		print_error(sh, &e);
	}
	error_clear(&e);
}

/* True if the first word of input is w. */
static bool first_word_is(const char *input, const char *w)
{
	size_t len = strlen(w);
	return !strncmp(input, w, len) && (!input[len] || is_space(input[len]));
}

/* One command after shortcut expansion; returns true if it ends the shell. */
static bool run_input(struct shell *sh, const char *input)
{
	if (try_assignment(sh, input) || !*input)
		return false;
	if (first_word_is(input, "o") || first_word_is(input, "options")) {
		show_options(sh);
	} else if (first_word_is(input, "exit") || first_word_is(input, "quit") || first_word_is(input, "q")) {
		return true;
	} else if (first_word_is(input, "help")) {
		char *topic = rest_of_words(input);
		show_help(sh, topic);
		free(topic);
	} else {
		run_report_command(sh, input);
	}
	return false;
}

/* Runs one line of input; returns true if it ends the shell. */
static bool run_line(struct shell *sh, char *line)
{
	struct expansion x;
	expand_shortcuts(sh->prof, trim(line), &x);
	bool quit = false;
	for (size_t i = 0; i < x.n && !quit; i++)
		quit = run_input(sh, x.cmds[i]);
	expansion_free(&x);
	return quit;
}

/*
 * pprof's greetings: the profile's header as the variables describe it
 * (nothing if they do not fit the profile), a hint when the default
 * sample type has no samples, and how to get help.
 */
static void greet(struct shell *sh)
{
	struct config cfg;
	config_copy(&cfg, &sh->cfg);
	/* the header ignores filters: they are applied to reports only */
	const char *filters[] = { "focus", "ignore", "hide", "show", "show_from", "prune_from",
				  "tagfocus", "tagignore", "tagshow", "taghide" };
	struct error e = ERROR_INIT;
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		config_set(&cfg, filters[i], "", &e);
	struct report r;
	if (report_init(&r, sh->prof, &cfg, "top", NULL, NULL, &e) == 0) {
		struct strbuf labels = STRBUF_INIT;
		report_profile_labels(&r, &labels);
		shell_ui_print(sh->ui, labels.buf);
		if (r.total == 0 && sh->prof->nsample_types > 1) {
			shell_ui_print(sh->ui, "No samples were found with the default sample value type.");
			shell_ui_print(sh->ui, "Try \"sample_index\" command to analyze different sample values.\n");
		}
		strbuf_release(&labels);
	}
	report_free(&r);
	error_clear(&e);
	config_free(&cfg);
	shell_ui_print(sh->ui, "Entering interactive mode (type \"help\" for commands, \"o\" for options)");
}

int shell_run(const struct profile *p, const struct config *initial, shell_report_fn run_report,
	      void *data, struct error *e)
{
	struct shell sh = { .prof = p, .run_report = run_report, .report_data = data };
	struct completer completer;
	config_copy(&sh.cfg, initial);
	config_set(&sh.cfg, "compact_labels", "true", e);
	completer_init(&completer, p);
	sh.ui = shell_ui_open(&completer);
	greet(&sh);
	int rc;
	char *line;
	while ((rc = shell_ui_read_line(sh.ui, "(pprof) ", &line, e)) > 0) {
		bool quit = run_line(&sh, line);
		free(line);
		if (quit)
			break;
	}
	shell_ui_close(sh.ui);
	completer_free(&completer);
	config_free(&sh.cfg);
	return rc < 0 ? -1 : 0;
}
