/*
 * Go's net/url rules (load/url.c), pprof's adjustURL (fetch_url) and the
 * symbol handler's URL and answer lines (symbolize/symbolz.c).  The
 * expected values were printed by Go 1.19's net/url and pprof's code.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "load/fetch.h"
#include "load/url.h"
#include "symbolize/symbolz.h"

struct url_case {
	const char *input;
	const char *parsed;	/* url.Parse(input).String(), or NULL */
	const char *error;	/* url.Parse's error, or NULL */
	const char *adjusted;	/* pprof's adjustURL without and with -seconds=30 */
	const char *adjusted30;
	const char *symbolz;	/* symbolz() of adjusted30 */
};

static const struct url_case url_cases[] = {
	{ "localhost:6060", "localhost:6060", NULL,
	  "http://localhost:6060/debug/pprof/profile", "http://localhost:6060/debug/pprof/profile?seconds=30",
	  "http://localhost:6060/debug/pprof/symbol" },
	{ "127.0.0.1:8080", NULL, "parse \"127.0.0.1:8080\": first path segment in URL cannot contain colon",
	  "http://127.0.0.1:8080/debug/pprof/profile", "http://127.0.0.1:8080/debug/pprof/profile?seconds=30",
	  "http://127.0.0.1:8080/debug/pprof/symbol" },
	{ "http://h", "http://h", NULL,
	  "http://h/debug/pprof/profile", "http://h/debug/pprof/profile?seconds=30",
	  "http://h/debug/pprof/symbol" },
	{ "http://h/", "http://h/", NULL,
	  "http://h/debug/pprof/profile", "http://h/debug/pprof/profile?seconds=30",
	  "http://h/debug/pprof/symbol" },
	{ "https+insecure://h:1/x?b=2&a=1", "https+insecure://h:1/x?b=2&a=1", NULL,
	  "https+insecure://h:1/x?a=1&b=2", "https+insecure://h:1/x?a=1&b=2&seconds=30",
	  "https+insecure://h:1/symbolz" },
	{ "h:1/debug/pprof/heap?debug=1&debug=0", "h:1/debug/pprof/heap?debug=1&debug=0", NULL,
	  "http://h:1/debug/pprof/heap?debug=1&debug=0", "http://h:1/debug/pprof/heap?debug=1&debug=0&seconds=30",
	  "http://h:1/debug/pprof/symbol" },
	{ "profiles/cpu.pb.gz", "profiles/cpu.pb.gz", NULL,
	  NULL, NULL,
	  NULL },
	{ "/abs/cpu.pb", "/abs/cpu.pb", NULL,
	  NULL, NULL,
	  NULL },
	{ "file:///x", "file:///x", NULL,
	  NULL, NULL,
	  NULL },
	{ "file://h/x", "file://h/x", NULL,
	  "file://h/x", "file://h/x?seconds=30",
	  "file://h/symbolz" },
	{ "c:/x", "c:/x", NULL,
	  "http://c:/x", "http://c:/x?seconds=30",
	  "http://c:/symbolz" },
	{ "x:y", "x:y", NULL,
	  NULL, NULL,
	  NULL },
	{ "host:port", "host:port", NULL,
	  NULL, NULL,
	  NULL },
	{ "http://u:p@h:1/p%20q?x", "http://u:p@h:1/p%20q?x", NULL,
	  "http://u:p@h:1/p%20q?x=", "http://u:p@h:1/p%20q?seconds=30&x=",
	  "http://u:p@h:1/symbolz" },
	{ "http://[::1]:6060", "http://[::1]:6060", NULL,
	  "http://[::1]:6060/debug/pprof/profile", "http://[::1]:6060/debug/pprof/profile?seconds=30",
	  "http://[::1]:6060/debug/pprof/symbol" },
	{ "http://h/a%2fb", "http://h/a%2fb", NULL,
	  "http://h/a%2fb", "http://h/a%2fb?seconds=30",
	  "http://h/symbolz" },
	{ "http://h/a b", "http://h/a%20b", NULL,
	  "http://h/a%20b", "http://h/a%20b?seconds=30",
	  "http://h/symbolz" },
	{ "h:1?seconds=5;x=1&y", "h:1?seconds=5;x=1&y", NULL,
	  "http://h:1/debug/pprof/profile?y=", "http://h:1/debug/pprof/profile?seconds=30&y=",
	  "http://h:1/debug/pprof/symbol" },
	{ "http://h/#frag%20x", "http://h/#frag%20x", NULL,
	  "http://h/debug/pprof/profile#frag%20x", "http://h/debug/pprof/profile?seconds=30#frag%20x",
	  "http://h/debug/pprof/symbol#frag%20x" },
	{ "http://h:1/p?q=a+b&r=%zz", "http://h:1/p?q=a+b&r=%zz", NULL,
	  "http://h:1/p?q=a+b", "http://h:1/p?q=a+b&seconds=30",
	  "http://h:1/symbolz" },
	{ "mailto:x@y", "mailto:x@y", NULL,
	  "http://mailto:x@y/debug/pprof/profile", "http://mailto:x@y/debug/pprof/profile?seconds=30",
	  "http://mailto:x@y/debug/pprof/symbol" },
	{ "http://h:x/", NULL, "parse \"http://h:x/\": invalid port \":x\" after host",
	  "http://http://h:x/", "http://http://h:x/?seconds=30",
	  "http://http:/symbolz" },
	{ "http://h/%zz", NULL, "parse \"http://h/%zz\": invalid URL escape \"%zz\"",
	  NULL, NULL,
	  NULL },
	{ "1abc:80", NULL, "parse \"1abc:80\": first path segment in URL cannot contain colon",
	  "http://1abc:80/debug/pprof/profile", "http://1abc:80/debug/pprof/profile?seconds=30",
	  "http://1abc:80/debug/pprof/symbol" },
	{ ":80", NULL, "parse \":80\": missing protocol scheme",
	  "http://:80/debug/pprof/profile", "http://:80/debug/pprof/profile?seconds=30",
	  "http://:80/debug/pprof/symbol" },
	{ "http://h/debug/pprof/profile?seconds=30", "http://h/debug/pprof/profile?seconds=30", NULL,
	  "http://h/debug/pprof/profile?seconds=30", "http://h/debug/pprof/profile?seconds=30",
	  "http://h/debug/pprof/symbol" },
	{ "http://%41:1/", NULL, "parse \"http://%41:1/\": invalid URL escape \"%41\"",
	  "http://http://%41:1/", "http://http://%41:1/?seconds=30",
	  "http://http:/symbolz" },
	{ "http://h/?", "http://h/?", NULL,
	  "http://h/debug/pprof/profile?", "http://h/debug/pprof/profile?seconds=30",
	  "http://h/debug/pprof/symbol" },
	{ "http://h/p?", "http://h/p?", NULL,
	  "http://h/p?", "http://h/p?seconds=30",
	  "http://h/symbolz" },
};

static void test_parse_and_adjust(void)
{
	struct fetch_options plain = { 0 }, thirty = { .seconds = 30 };
	for (size_t i = 0; i < sizeof(url_cases) / sizeof(url_cases[0]); i++) {
		const struct url_case *c = &url_cases[i];
		struct arena a = ARENA_INIT;
		struct error e = ERROR_INIT;
		struct go_url u;
		int rc = url_parse(&a, c->input, &u, &e);
		if (c->parsed) {
			CHECK(rc == 0);
			CHECK_STR(rc == 0 ? url_string(&a, &u) : e.msg.buf, c->parsed);
		} else {
			CHECK(rc < 0);
			CHECK_STR(e.msg.buf, c->error);
		}
		long limit;
		char *adjusted = fetch_url(c->input, &plain, &limit);
		char *adjusted30 = fetch_url(c->input, &thirty, &limit);
		if (c->adjusted) {
			CHECK_STR(adjusted, c->adjusted);
			CHECK_STR(adjusted30, c->adjusted30);
			CHECK_STR(symbolz_url(&a, adjusted30), c->symbolz);
		} else {
			CHECK(!adjusted && !adjusted30);
		}
		free(adjusted);
		free(adjusted30);
		error_clear(&e);
		arena_free(&a);
	}
}

static long limit_of(const char *source, int seconds, int timeout)
{
	struct fetch_options o = { .seconds = seconds, .timeout = timeout };
	long limit = -1;
	free(fetch_url(source, &o, &limit));
	return limit;
}

/* Timeout: -timeout, else 1.5 times the duration, else 60 s; then 5 s more. */
static void test_limits(void)
{
	CHECK(limit_of("h:1", 0, 0) == 65000);
	CHECK(limit_of("h:1", 30, 0) == 50000);
	CHECK(limit_of("h:1/debug/pprof/profile?seconds=5", 0, 0) == 12500);
	CHECK(limit_of("h:1/debug/pprof/profile?seconds=5", 0, 3) == 8000);
	CHECK(limit_of("h:1/debug/pprof/profile?seconds=5", 2, 0) == 8000);
	CHECK(limit_of("h:1/debug/pprof/profile?seconds=-5", 0, 0) == 65000);
	CHECK(limit_of("h:1/debug/pprof/profile?seconds=5x", 0, 0) == 65000);
	CHECK(limit_of("h:1/debug/pprof/profile?seconds=%2B4", 0, 0) == 11000);
	CHECK(limit_of("h:1/debug/pprof/profile?seconds=99999999999", 0, 0) == 65000);
}

static void test_values(void)
{
	struct arena a = ARENA_INIT;
	struct url_values v;
	url_values_parse(&a, "b=2&a=1&b=1&c&d=x%20y+z&e=%zz&f;g=1", &v);
	CHECK_STR(url_values_get(&v, "b"), "2");
	CHECK_STR(url_values_get(&v, "d"), "x y z");
	CHECK_STR(url_values_get(&v, "nothing"), "");
	CHECK_STR(url_values_encode(&a, &v), "a=1&b=2&b=1&c=&d=x+y+z");
	url_values_set(&a, &v, "b", "3");
	url_values_set(&a, &v, "k y", "a&b");
	CHECK_STR(url_values_encode(&a, &v), "a=1&b=3&c=&d=x+y+z&k+y=a%26b");
	CHECK_STR(go_quote(&a, "a\"b\\c\td\x01"), "\"a\\\"b\\\\c\\td\\x01\"");
	arena_free(&a);
}

static void test_symbol_lines(void)
{
	const char *addr, *name;
	size_t alen, nlen;
	const char *line = "0x401000 main.leaf\n";
	CHECK(symbolz_parse_line(line, strlen(line), &addr, &alen, &name, &nlen));
	CHECK(alen == 8 && !strncmp(addr, "0x401000", 8));
	CHECK(nlen == 9 && !strncmp(name, "main.leaf", 9));
	line = "num_symbols: 1\n";
	CHECK(!symbolz_parse_line(line, strlen(line), &addr, &alen, &name, &nlen));
	line = "0x12g 0xAB \t a b\r\n";
	CHECK(symbolz_parse_line(line, strlen(line), &addr, &alen, &name, &nlen));
	CHECK(alen == 4 && !strncmp(addr, "0xAB", 4));
	CHECK(nlen == 4 && !strncmp(name, "a b\r", 4));
	line = "0x10 \n";
	CHECK(symbolz_parse_line(line, strlen(line), &addr, &alen, &name, &nlen) && nlen == 0);
	line = "0x10";
	CHECK(!symbolz_parse_line(line, strlen(line), &addr, &alen, &name, &nlen));
}

static void test_symbolz_url(void)
{
	struct arena a = ARENA_INIT;
	CHECK_STR(symbolz_url(&a, "http://h:1/debug/pprof/heap?seconds=3"), "http://h:1/debug/pprof/symbol");
	CHECK_STR(symbolz_url(&a, "http://h:1/pprof/heap"), "http://h:1/pprof/symbol");
	CHECK_STR(symbolz_url(&a, "http://h:1/pprof/contention"), "http://h:1/pprof/symbol");
	CHECK_STR(symbolz_url(&a, "http://h:1/other/profile"), "http://h:1/symbolz");
	CHECK(symbolz_url(&a, "/not/a/url") == NULL);
	CHECK(symbolz_is_source_url("https+insecure://h:1/debug/pprof/profile"));
	CHECK(!symbolz_is_source_url("/build/havlak/havlak"));
	CHECK(!symbolz_is_source_url("ftp://h/x"));
	arena_free(&a);
}

int main(void)
{
	test_parse_and_adjust();
	test_limits();
	test_values();
	test_symbol_lines();
	test_symbolz_url();
	return check_done();
}
