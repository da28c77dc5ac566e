/*
 * complete.h - tab completion of a shell line: command names, variable
 * names, variable values (sample types, units, choices, true/false,
 * function names for the filter variables), `help` topics, and function
 * names for the arguments of report commands.
 *
 * A completer holds what completion draws on, gathered from the profile
 * once; it borrows the profile's strings, so the profile must outlive it.
 */
#ifndef CPPROF_SHELL_COMPLETE_H
#define CPPROF_SHELL_COMPLETE_H

#include <stddef.h>

#include "profile/profile.h"

struct completer {
	const struct profile *prof;
	const char **functions;	/* distinct function names, sorted */
	size_t nfunctions;
};

/* The candidates for the word before the cursor. */
struct completion {
	size_t word_start;	/* where the word being completed starts, in bytes */
	char **candidates;	/* replacements of the word: sorted, distinct */
	size_t count;
	char suffix;		/* what follows a unique candidate: ' ', '=' or nothing */
};

void completer_init(struct completer *c, const struct profile *p);
void completer_free(struct completer *c);

/* Completes the word that ends at the end of `line` (the text before the cursor). */
void complete_line(const struct completer *c, const char *line, struct completion *out);
void completion_free(struct completion *out);

/* The longest prefix all candidates share, in bytes. */
size_t completion_common_prefix(const struct completion *out);

#endif
