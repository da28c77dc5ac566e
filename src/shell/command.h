/*
 * command.h - one line of shell input as pprof reads it:
 *
 *   COMMAND[N] [ARG] [N] [focus_regex]* [-ignore_regex]* [-cum] [>file]
 *
 * "top10" is "top 10"; a number sets nodecount, words are focus
 * regexps, words starting with '-' ignore regexps (tagfocus and
 * tagignore for `tags`), -cum sorts by cumulative weight, >file sends the
 * report to a file.  The settings apply to this one command: they are
 * made on a copy of the current configuration.
 */
#ifndef CPPROF_SHELL_COMMAND_H
#define CPPROF_SHELL_COMMAND_H

#include "options/options.h"
#include "util/error.h"

struct shell_command {
	const struct command_def *def;
	char *arg;		/* the regexp of list, peek, disasm, weblist; or NULL */
	struct config cfg;	/* the configuration this command runs with */
};

/* True if word, with any trailing digits removed, names a report command. */
bool shell_is_command(const char *word);

/* Parses a line into *cmd, starting from base; errors carry pprof's wording. */
int shell_parse_command(const char *line, const struct config *base, struct shell_command *cmd,
			struct error *e);
void shell_command_free(struct shell_command *cmd);

#endif
