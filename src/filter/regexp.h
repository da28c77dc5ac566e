/*
 * regexp.h - regular expressions with Go's (RE2) syntax, as pprof's
 * options take them: unanchored search, UTF-8, `(?i)`, `\d`, non-greedy
 * repeats.  A pattern is checked and translated by re2syntax.c, so that
 * exactly what Go accepts is accepted, then matched by PCRE2
 * (JIT-compiled where available).  Subjects in invalid UTF-8 match as Go
 * reads them, each bad byte standing for U+FFFD.
 *
 * A struct regex owns its compiled code; regex_free() releases it.
 * Compilation errors are worded as Go's regexp package words them, e.g.
 * "error parsing regexp: missing closing ): `(`".
 */
#ifndef CPPROF_REGEXP_H
#define CPPROF_REGEXP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

struct regex;

/* Compiles pattern; NULL with the reason in *e on a syntax error. */
struct regex *regex_compile(const char *pattern, struct error *e);
/* True if the regexp matches anywhere in s. */
bool regex_match(const struct regex *re, const char *s);
/*
 * True if the regexp matches in s and capture group `group` took part in
 * the leftmost match; [*start, *end) is then the group's text.
 */
bool regex_group(const struct regex *re, const char *s, size_t group, size_t *start, size_t *end);
void regex_free(struct regex *re);

#endif
