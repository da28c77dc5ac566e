#include "shell/complete.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "options/options.h"
#include "report/format.h"
#include "util/arena.h"

/* Words the shell answers besides the report commands and variables. */
static const char *const shell_words[] = { "help", "o", "options", "quit", "exit" };

/* Units offered for `unit=`, where the profile's sample units convert to them. */
static const char *const unit_names[] = { "B", "kB", "MB", "GB", "TB", "PB", "ns", "us", "ms", "s", "hrs" };

/* Variables whose values are regular expressions matched against function names. */
static const char *const function_variables[] = { "focus", "ignore", "hide", "show", "show_from",
						  "prune_from" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void completer_init(struct completer *c, const struct profile *p)
{
	c->prof = p;
	c->functions = xmalloc((p->nfunctions + 1) * sizeof(*c->functions));
	c->nfunctions = 0;
	for (size_t i = 0; i < p->nfunctions; i++)
		if (*p->functions[i].name)
			c->functions[c->nfunctions++] = p->functions[i].name;
	qsort(c->functions, c->nfunctions, sizeof(*c->functions), compare_strings);
	size_t n = 0;
	for (size_t i = 0; i < c->nfunctions; i++)
		if (n == 0 || strcmp(c->functions[n - 1], c->functions[i]))
			c->functions[n++] = c->functions[i];
	c->nfunctions = n;
}

void completer_free(struct completer *c)
{
	free(c->functions);
	c->functions = NULL;
	c->nfunctions = 0;
}

struct candidates {
	struct completion *out;
	size_t cap;
	const char *word;
	size_t len;
};

static void offer(struct candidates *cs, const char *name)
{
	if (strncmp(name, cs->word, cs->len))
		return;
	struct completion *out = cs->out;
	xgrow((void **)&out->candidates, &cs->cap, out->count + 1, sizeof(*out->candidates));
	out->candidates[out->count++] = strdup(name);
}

static void offer_with_prefix(struct candidates *cs, const char *prefix, const char *name)
{
	size_t n = strlen(prefix) + strlen(name) + 1;
	char *s = xmalloc(n);
	snprintf(s, n, "%s%s", prefix, name);
	offer(cs, s);
	free(s);
}

/* Function names starting with the word or, failing that, containing it (as pprof matches). */
static void offer_functions(const struct completer *c, struct candidates *cs)
{
	for (size_t i = 0; i < c->nfunctions; i++)
		offer(cs, c->functions[i]);
	if (cs->out->count > 0 || cs->len == 0)
		return;
	for (size_t i = 0; i < c->nfunctions; i++) {
		if (strstr(c->functions[i], cs->word)) {
			struct completion *out = cs->out;
			xgrow((void **)&out->candidates, &cs->cap, out->count + 1, sizeof(*out->candidates));
			out->candidates[out->count++] = strdup(c->functions[i]);
		}
	}
}

static void offer_sample_types(const struct profile *p, struct candidates *cs, bool shortcuts)
{
	for (size_t i = 0; i < p->nsample_types; i++) {
		offer(cs, p->sample_types[i].type);
		if (shortcuts) {
			offer_with_prefix(cs, "total_", p->sample_types[i].type);
			offer_with_prefix(cs, "mean_", p->sample_types[i].type);
		}
	}
}

static void offer_units(const struct profile *p, struct candidates *cs)
{
	offer(cs, "auto");
	offer(cs, "minimum");
	for (size_t u = 0; u < COUNT(unit_names); u++) {
		bool fits = false;
		for (size_t i = 0; i < p->nsample_types && !fits; i++)
			fits = units_compatible(p->sample_types[i].unit, unit_names[u]);
		if (fits)
			offer(cs, unit_names[u]);
	}
}

static bool is_function_variable(const char *name)
{
	for (size_t i = 0; i < COUNT(function_variables); i++)
		if (!strcmp(function_variables[i], name))
			return true;
	return false;
}

/* The values of variable `name` (before its '='). */
static void offer_values(const struct completer *c, const char *name, struct candidates *cs)
{
	const struct option_def *o = config_variable(name);
	if (!o)
		return;
	if (config_variable_is_bool(name)) {
		offer(cs, "true");
		offer(cs, "false");
	} else if (o->kind == OPT_CHOICE) {
		size_t first = (size_t)(o - option_table);
		for (size_t i = first; i < option_group_end(first); i++)
			offer(cs, option_table[i].name);
	} else if (!strcmp(name, "sample_index")) {
		offer_sample_types(c->prof, cs, false);
	} else if (!strcmp(name, "unit")) {
		offer_units(c->prof, cs);
	} else if (is_function_variable(name)) {
		offer_functions(c, cs);
	}
}

/* The first word: a command, a variable, a choice, a sample type or a word of the shell. */
static void offer_first_words(const struct completer *c, struct candidates *cs)
{
	for (size_t i = 0; i < command_count; i++)
		offer(cs, command_table[i].name);
	for (size_t i = 0; i < COUNT(shell_words); i++)
		offer(cs, shell_words[i]);
	for (size_t i = 0; i < option_count; i++) {
		const char *variable = config_variable_name(i);
		if (variable)
			offer(cs, variable);
		if (option_table[i].scope == SCOPE_CONFIG && option_table[i].kind == OPT_CHOICE)
			offer(cs, option_table[i].name);
	}
	offer_sample_types(c->prof, cs, true);
}

/* `help` topics: commands, and the variables and choices that have a help text. */
static void offer_help_topics(struct candidates *cs)
{
	for (size_t i = 0; i < command_count; i++)
		offer(cs, command_table[i].name);
	for (size_t i = 0; i < option_count; i++)
		if (option_table[i].scope == SCOPE_CONFIG)
			offer(cs, option_table[i].name);
}

/* What follows a unique first word: a space after a command, '=' after a variable needing a value. */
static char first_word_suffix(const char *word)
{
	if (command_find(word) || !strcmp(word, "help"))
		return ' ';
	if (config_variable(word) && !config_variable_is_bool(word))
		return '=';
	return 0;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* Counts the words of line[0..end) and copies the first into first (NUL-terminated, cut to size). */
static size_t words_before(const char *line, size_t end, char *first, size_t size)
{
	size_t n = 0;
	first[0] = '\0';
	for (size_t i = 0; i < end;) {
		while (i < end && is_space(line[i]))
			i++;
		if (i == end)
			break;
		size_t start = i;
		while (i < end && !is_space(line[i]))
			i++;
		if (n++ == 0)
			snprintf(first, size, "%.*s", (int)(i - start), line + start);
	}
	return n;
}

static void sort_unique(struct completion *out)
{
	if (out->count == 0)
		return;
	qsort(out->candidates, out->count, sizeof(*out->candidates), compare_strings);
	size_t n = 0;
	for (size_t i = 0; i < out->count; i++) {
		if (n > 0 && !strcmp(out->candidates[n - 1], out->candidates[i]))
			free(out->candidates[i]);
		else
			out->candidates[n++] = out->candidates[i];
	}
	out->count = n;
}

/* The report command a first word names, digits and all ("top10"). */
static const struct command_def *command_of(const char *word)
{
	char name[64];
	snprintf(name, sizeof(name), "%s", word);
	size_t n = strlen(name);
	while (n > 0 && name[n - 1] >= '0' && name[n - 1] <= '9')
		name[--n] = '\0';
	return command_find(name);
}

void complete_line(const struct completer *c, const char *line, struct completion *out)
{
	size_t end = strlen(line), start = end;
	while (start > 0 && !is_space(line[start - 1]))
		start--;
	memset(out, 0, sizeof(*out));
	char first[64];
	size_t before = words_before(line, start, first, sizeof(first));
	const char *word = line + start;
	const char *eq = strchr(word, '=');
	const struct command_def *cmd = before > 0 ? command_of(first) : NULL;
	if (before == 0 && eq) {
		char *name = strndup(word, (size_t)(eq - word));
		start += (size_t)(eq - word) + 1;
		struct candidates cs = { out, 0, line + start, end - start };
		offer_values(c, name, &cs);
		free(name);
	} else if (before == 0) {
		struct candidates cs = { out, 0, word, end - start };
		offer_first_words(c, &cs);
	} else if (before == 1 && !strcmp(first, "help")) {
		struct candidates cs = { out, 0, word, end - start };
		offer_help_topics(&cs);
	} else if (cmd && strcmp(cmd->name, "tags") && word[0] != '>') {
		start += word[0] == '-';
		struct candidates cs = { out, 0, line + start, end - start };
		offer_functions(c, &cs);
	}
	out->word_start = start;
	sort_unique(out);
	if (out->count == 1) {
		if (before == 0 && !eq)
			out->suffix = first_word_suffix(out->candidates[0]);
		else if (cmd || (before == 1 && !strcmp(first, "help")))
			out->suffix = ' ';
	}
}

void completion_free(struct completion *out)
{
	for (size_t i = 0; i < out->count; i++)
		free(out->candidates[i]);
	free(out->candidates);
	memset(out, 0, sizeof(*out));
}

size_t completion_common_prefix(const struct completion *out)
{
	if (out->count == 0)
		return 0;
	size_t n = strlen(out->candidates[0]);
	for (size_t i = 1; i < out->count; i++) {
		size_t k = 0;
		while (k < n && out->candidates[i][k] == out->candidates[0][k])
			k++;
		n = k;
	}
	while (n > 0 && ((unsigned char)out->candidates[0][n] & 0xc0) == 0x80)
		n--;	/* never inside a UTF-8 sequence */
	return n;
}
