#include "shell/command.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

/* Splits s at runs of white space, as Go's strings.Fields. */
static char **split_fields(const char *s, size_t *n)
{
	char **words = NULL;
	size_t cap = 0;
	*n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f')
			s++;
		if (!*s)
			break;
		const char *start = s;
		while (*s && !(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f'))
			s++;
		xgrow((void **)&words, &cap, *n + 1, sizeof(*words));
		words[(*n)++] = strndup(start, (size_t)(s - start));
	}
	return words;
}

static void free_fields(char **words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	free(words);
}

/* Length of word without its trailing digits; 0 if it is all digits. */
static size_t name_length(const char *word)
{
	size_t n = strlen(word);
	while (n > 0 && word[n - 1] >= '0' && word[n - 1] <= '9')
		n--;
	return n;
}

bool shell_is_command(const char *word)
{
	if (command_find(word))
		return true;
	size_t n = name_length(word);
	if (n == 0 || n == strlen(word))
		return false;
	char *name = strndup(word, n);
	bool found = command_find(name) != NULL;
	free(name);
	return found;
}

/* Go's strconv.ParseInt(t, 10, 32). */
static bool parse_count(const char *t, int *out)
{
	const char *p = t + (*t == '+' || *t == '-');
	if (!*p || strspn(p, "0123456789") != strlen(p))
		return false;
	errno = 0;
	long long v = strtoll(t, NULL, 10);
	if (errno == ERANGE || v > INT_MAX || v < INT_MIN)
		return false;
	*out = (int)v;
	return true;
}

/* pprof's catRegex: alternatives joined by '|'. */
static void cat_regex(char **acc, const char *re)
{
	size_t a = *acc ? strlen(*acc) : 0, b = strlen(re);
	char *s = xmalloc(a + b + 2);
	if (a && b)
		snprintf(s, a + b + 2, "%s|%s", *acc, re);
	else
		snprintf(s, a + b + 2, "%s%s", *acc ? *acc : "", re);
	free(*acc);
	*acc = s;
}

static void replace(char **field, char *value)
{
	free(*field);
	*field = value;
}

static int unknown_command(const char *name, char **args, size_t nargs, struct error *e)
{
	for (size_t i = 0; i < option_count; i++)
		if (option_table[i].scope == SCOPE_CONFIG && !strcmp(option_table[i].name, name))
			return error_set(e, "did you mean: %s=%s", name, nargs ? args[0] : "<val>");
	error_set(e, "unrecognized command: ");
	strbuf_add_quoted(&e->msg, name);
	return -1;
}

/* Applies the words after the command (and its argument) to cmd->cfg. */
static int apply_words(struct shell_command *cmd, char **words, size_t n, struct error *e)
{
	char *focus = NULL, *ignore = NULL;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *t = words[i];
		int count;
		if (parse_count(t, &count)) {
			cmd->cfg.nodecount = count;
		} else if (t[0] == '>') {
			const char *file = t + 1;
			if (!*file) {
				if (++i >= n) {
					rc = error_set(e, "unexpected end of line after >");
					break;
				}
				file = words[i];
			}
			replace(&cmd->cfg.output, strdup(file));
		} else if (t[0] == '-') {
			if (!strcmp(t, "--cum") || !strcmp(t, "-cum"))
				replace(&cmd->cfg.sort, strdup("cum"));
			else
				cat_regex(&ignore, t + 1);
		} else {
			cat_regex(&focus, t);
		}
	}
	bool tags = !strcmp(cmd->def->name, "tags");
	if (focus && *focus)
		replace(tags ? &cmd->cfg.tagfocus : &cmd->cfg.focus, focus), focus = NULL;
	if (ignore && *ignore)
		replace(tags ? &cmd->cfg.tagignore : &cmd->cfg.ignore, ignore), ignore = NULL;
	free(focus);
	free(ignore);
	return rc;
}

int shell_parse_command(const char *line, const struct config *base, struct shell_command *cmd,
			struct error *e)
{
	size_t n;
	char **words = split_fields(line, &n);
	memset(cmd, 0, sizeof(*cmd));
	if (n == 0) {
		free_fields(words, n);
		return error_set(e, "unrecognized command: \"\"");
	}
	size_t first_arg = 1;
	cmd->def = command_find(words[0]);
	size_t len = name_length(words[0]);
	if (!cmd->def && len > 0 && len < strlen(words[0])) {
		/* "top10" is "top 10": move the digits into a word of their own. */
		xgrow((void **)&words, &(size_t){ n }, n + 1, sizeof(*words));
		memmove(words + 2, words + 1, (n - 1) * sizeof(*words));
		words[1] = strdup(words[0] + len);
		words[0][len] = '\0';
		n++;
		cmd->def = command_find(words[0]);
	}
	int rc = 0;
	if (!cmd->def) {
		rc = unknown_command(words[0], words + 1, n - 1, e);
	} else if (cmd->def->has_param && n < 2) {
		rc = error_set(e, "command %s requires an argument", words[0]);
	} else {
		if (cmd->def->has_param)
			cmd->arg = strdup(words[first_arg++]);
		config_copy(&cmd->cfg, base);
		rc = apply_words(cmd, words + first_arg, n - first_arg, e);
		bool top = !strcmp(cmd->def->name, "text") || !strcmp(cmd->def->name, "top");
		if (rc == 0 && cmd->cfg.nodecount == -1 && top)
			cmd->cfg.nodecount = 10;
	}
	free_fields(words, n);
	if (rc < 0)
		shell_command_free(cmd);
	return rc;
}

void shell_command_free(struct shell_command *cmd)
{
	if (cmd->def)
		config_free(&cmd->cfg);
	free(cmd->arg);
	memset(cmd, 0, sizeof(*cmd));
}
