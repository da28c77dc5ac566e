/* Go regexp syntax through PCRE2, and Go's wording of syntax errors. */
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

int main(void)
{
	CHECK(matches("numberDFS", "main.numberDFS"));
	CHECK(matches("^runtime\\.mallocgc$", "runtime.mallocgc"));
	CHECK(!matches("^runtime\\.mallocgc$", "runtime.mallocgc2"));
	CHECK(matches("(?i)FINDLOOPS", "main.FindLoops"));
	CHECK(matches("fn\\d+$", "main.fn2000"));
	CHECK(matches("gcBgMarkWorker|mallocgc", "runtime.mallocgc"));
	CHECK(matches("a.*?b", "xaxxb"));
	CHECK(matches("\xce\xbc.", "\xce\xbcs"));
	CHECK_STR(compile_error("("), "error parsing regexp: missing closing ): `(`");
	CHECK_STR(compile_error("[a-"), "error parsing regexp: missing closing ]: `[a-`");
	CHECK_STR(compile_error("a)"), "error parsing regexp: unexpected ): `a)`");
	return check_done();
}
