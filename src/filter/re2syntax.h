/*
 * re2syntax.h - Go's regular expression syntax (RE2, as Go's
 * regexp/syntax parses it with the Perl flags regexp.Compile uses),
 * checked and rewritten as a PCRE2 pattern that matches the same strings.
 *
 * Parsing follows Go's parser step by step, so that a pattern Go rejects
 * is rejected here with Go's message and Go's quoted fragment, e.g.
 * "error parsing regexp: invalid nested repetition operator: `*+`".
 * The PCRE2 pattern spells every construct out on its own, so PCRE2's
 * extensions (backreferences, lookaround, possessive repeats, \h, \R...)
 * can never be reached and Go's meaning wins where the two differ:
 * `\s` excludes \v, `\v` is the vertical tab, `^`/`$` anchor the whole text
 * unless (?m), `\123` is octal, (?i) folds as Go's tables fold.  Groups
 * come out as plain captures: PCRE2 nests non-capturing groups much less
 * deeply than Go nests its parse trees (1000 levels).  Go's limits on the
 * compiled size of enormous patterns are not reproduced; PCRE2 reports
 * its own limits there.
 */
#ifndef CPPROF_RE2SYNTAX_H
#define CPPROF_RE2SYNTAX_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/strbuf.h"

/*
 * Appends to pcre a PCRE2 pattern (for PCRE2_UTF) equivalent to the Go
 * pattern.  Returns 0, or -1 with Go's error message in *e.
 */
int re2_translate(const char *pattern, struct strbuf *pcre, struct error *e);

#define GO_RUNE_ERROR 0xFFFD

/*
 * Go's utf8.DecodeRuneInString over [s, end): the rune and its size;
 * GO_RUNE_ERROR with size 1 for an invalid encoding, size 0 at the end.
 */
int32_t go_decode_rune(const char *s, const char *end, size_t *size);

#endif
