/*
 * The web UI's URL parameters (web/query.c) and the answers that need no
 * profile (web/pages.c): the redirect to /ui/ and unknown pages.  The
 * pages themselves are compared with the command line by tests/web.py.
 */
#include <string.h>

#include "check.h"
#include "web/pages.h"
#include "web/query.h"

/* pprof's makeURL: the settings that differ from the defaults, keys sorted, sample_index left out. */
static void test_first_url(void)
{
	struct config cfg;
	struct error e = ERROR_INIT;
	struct arena a;
	struct url_values q = { NULL, 0, 0 };
	config_init_default(&cfg);
	arena_init(&a);
	CHECK(config_set(&cfg, "focus", "main\\.f", &e) == 0);
	CHECK(config_set(&cfg, "nodecount", "10", &e) == 0);
	CHECK(config_set(&cfg, "call_tree", "true", &e) == 0);
	CHECK(config_set(&cfg, "trim", "false", &e) == 0);
	CHECK(config_set(&cfg, "sample_index", "alloc_space", &e) == 0);
	CHECK(config_set(&cfg, "cum", "true", &e) == 0);
	query_from_config(&a, &cfg, &q);
	CHECK_STR(url_values_encode(&a, &q), "calltree=t&f=main%5C.f&n=10&sort=cum&trim=f");
	arena_free(&a);
	config_free(&cfg);
	error_clear(&e);
}

/* pprof's applyURL: non-empty parameters set their variables; a bad value names its field. */
static void test_apply(void)
{
	struct config cfg;
	struct error e = ERROR_INIT;
	struct arena a;
	struct url_values q;
	config_init_default(&cfg);
	arena_init(&a);
	url_values_parse(&a, "si=alloc_space&g=lines&f=&nf=0.5&dropneg=t", &q);
	CHECK(query_apply(&cfg, &q, &e) == 0);
	CHECK_STR(cfg.sample_index, "alloc_space");
	CHECK_STR(cfg.granularity, "lines");
	CHECK(!cfg.focus || !*cfg.focus);
	CHECK(cfg.nodefraction == 0.5 && cfg.drop_negative);
	url_values_parse(&a, "g=words", &q);
	CHECK(query_apply(&cfg, &q, &e) < 0);
	CHECK_STR(e.msg.buf, "error setting config field granularity: invalid \"granularity\" value \"words\"");
	url_values_parse(&a, "calltree=maybe", &q);
	CHECK(query_apply(&cfg, &q, &e) < 0);
	CHECK_STR(e.msg.buf, "error setting config field call_tree: illegal value \"maybe\" for bool variable");
	arena_free(&a);
	config_free(&cfg);
	error_clear(&e);
}

static void test_paths(void)
{
	struct config cfg;
	config_init_default(&cfg);
	struct web_ui ui = { NULL, &cfg };
	struct web_response r;
	web_respond(&ui, "/", "f=a%20b", &r);
	CHECK(r.status == 307);
	CHECK_STR(r.location, "/ui/?f=a%20b");
	web_response_free(&r);
	web_respond(&ui, "/ui", "", &r);
	CHECK(r.status == 307);
	CHECK_STR(r.location, "/ui/");
	web_response_free(&r);
	web_respond(&ui, "/ui/saveconfig", "", &r);
	CHECK(r.status == 404);
	CHECK_STR(r.body.buf, "404 page not found\n");
	web_response_free(&r);
	config_free(&cfg);
}

int main(void)
{
	test_first_url();
	test_apply();
	test_paths();
	return check_done();
}
