/*
 * Go regexp syntax through PCRE2: what Go accepts matches as in Go, what
 * Go rejects (PCRE2's extensions among it) fails with Go's message.  The
 * expected messages are Go 1.19's own.
 */
#include <stdlib.h>

#include "check.h"
#include "filter/regexp.h"

static bool matches(const char *pattern, const char *s)
{
	struct error e = ERROR_INIT;
	struct regex *re = regex_compile(pattern, &e);
	bool m = re && regex_match(re, s);
	regex_free(re);
	error_clear(&e);
	return m;
}

static const char *compile_error(const char *pattern)
{
	static struct error e = ERROR_INIT;
	struct regex *re = regex_compile(pattern, &e);
	regex_free(re);
	return re ? "" : e.msg.buf;
}

static void check_accepted(void)
{
	CHECK(matches("numberDFS", "main.numberDFS"));
	CHECK(matches("^runtime\\.mallocgc$", "runtime.mallocgc"));
	CHECK(!matches("^runtime\\.mallocgc$", "runtime.mallocgc2"));
	CHECK(matches("gcBgMarkWorker|mallocgc", "runtime.mallocgc"));
	CHECK(matches("a.*?b", "xaxxb"));
	CHECK(matches("\xce\xbc.", "\xce\xbcs"));
	/* flags: (?i) folds as Go does (Kelvin sign, long s), (?s), (?m), (?U), negation */
	CHECK(matches("(?i)FINDLOOPS", "main.FindLoops"));
	CHECK(matches("(?i)k", "\xe2\x84\xaa"));
	CHECK(matches("(?i)[[:upper:]]", "\xc5\xbf"));
	CHECK(!matches("(?i)\\W", "\xe2\x84\xaa"));
	CHECK(matches("(?i)\\p{Lu}", "a"));
	CHECK(!matches("(?i:a)b", "AB"));
	CHECK(matches("(?i-i:a)", "a") && !matches("(?i-i:a)", "A"));
	CHECK(!matches("a.b", "a\nb") && matches("(?s)a.b", "a\nb"));
	CHECK(!matches("^b", "a\nb") && matches("(?m)^b", "a\nb") && matches("(?m)^$", "a\n"));
	CHECK(matches("a$", "a") && !matches("a$", "a\n") && matches("(?m)a$", "a\n"));
	CHECK(matches("(?U)a+$", "aa"));
	/* Go's escapes, not PCRE2's: \v is a vertical tab, \s leaves it out, \123 is octal */
	CHECK(matches("^\\v$", "\v") && !matches("\\s", "\v"));
	CHECK(matches("\\101\\x42\\x{43}", "ABC") && !matches("\\0", ""));
	CHECK(matches("\\Qa.b\\E+", "a.bb") && !matches("\\Qa.b\\E", "axb"));
	CHECK(matches("fn\\d+$", "main.fn2000") && !matches("\\d", "\xd9\xa3"));
	CHECK(matches("\\pL\\p{Greek}\\P{Greek}", "x\xce\xb1y") && matches("[\\p{^Greek}]", "a"));
	CHECK(matches("[[:alpha:]][[:^digit:]]\\w\\W", "a.b ") && matches("\\bfoo\\B", "foox"));
	CHECK(matches("^[]a]+$", "]a]") && matches("^[a-]+$", "-a") && matches("[^\\n]", "x"));
	CHECK(matches("(?P<name>x)y", "xy") && matches("a{,5}", "a{,5}") && matches("a{1", "a{1"));
	CHECK(matches("^(?:)*$", "") && matches("^*", "") && matches("\\b+x", "x"));
	CHECK(matches("a(?i)*", "aa") && matches("((a{10}){10}){10}", "b") == false);
	CHECK(matches("\\_\\-\\.", "_-."));
	/* Go reads invalid UTF-8 in subjects as U+FFFD, one per byte */
	CHECK(matches("^a\xef\xbf\xbd\xef\xbf\xbd" "b$", "a\xff\xfe" "b"));
	CHECK(matches("^a..b$", "a\xff\xfe" "b"));
}

static const struct {
	const char *pattern, *error;
} rejected[] = {
#include "regexp_errors.inc"
	{ "a\xffz", "error parsing regexp: invalid UTF-8: `\xffz`" },
};

/* n nested captures around a literal. */
static char *nested(int n)
{
	char *s = malloc(2 * (size_t)n + 2), *p = s;
	for (int i = 0; i < n; i++)
		*p++ = '(';
	*p++ = 'a';
	for (int i = 0; i < n; i++)
		*p++ = ')';
	*p = '\0';
	return s;
}

static void check_nesting(void)
{
	/* Go's parse trees are at most 1000 high: 999 captures and the literal */
	char *ok = nested(999), *deep = nested(1000), *open = nested(100);
	CHECK(matches(ok, "a"));
	CHECK(!strncmp(compile_error(deep), "error parsing regexp: expression nests too deeply: `(((", 55));
	open[100 + 1] = '\0';
	CHECK(!strncmp(compile_error(open), "error parsing regexp: missing closing ): `(((", 45));
	free(ok);
	free(deep);
	free(open);
}

int main(void)
{
	check_accepted();
	for (size_t i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++)
		CHECK_STR(compile_error(rejected[i].pattern), rejected[i].error);
	check_nesting();
	return check_done();
}
