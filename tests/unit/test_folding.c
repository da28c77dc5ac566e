/* Folded stacks and flame graphs of small profiles made with the builder. */
#include <stdlib.h>

#include "check.h"
#include "profile/builder.h"
#include "report/report.h"

struct small {
	struct profile p;
	struct profile_builder b;
	uint32_t main_loc, a_loc, b_loc, odd_loc;
};

static void small_init(struct small *s)
{
	profile_init(&s->p);
	builder_init(&s->b, &s->p);
	struct value_type types[] = { { "samples", "count" }, { "cpu", "nanoseconds" } };
	builder_sample_types(&s->b, types, 2);
	struct mapping m = { .file = "/bin/x", .build_id = "" };
	int32_t map = builder_mapping(&s->b, &m);
	const char *names[] = { "main", "a", "b", "x<y>&z" };
	uint32_t *locs[] = { &s->main_loc, &s->a_loc, &s->b_loc, &s->odd_loc };
	for (int i = 0; i < 4; i++) {
		struct line l = { builder_function(&s->b, names[i], names[i], "x.c", 1), 10 + i, 0 };
		*locs[i] = (uint32_t)builder_location(&s->b, map, 0x1000 + 16 * (uint64_t)i, &l, 1, false);
	}
}

static void sample(struct small *s, const uint32_t *stack, size_t n, int64_t count, int64_t cpu)
{
	int64_t values[] = { count, cpu };
	builder_sample(&s->b, stack, n, values, 2, NULL, 0);
}

static char *report(struct small *s, const char *command, const char *option, const char *value)
{
	struct config cfg;
	config_init_default(&cfg);
	struct error e = ERROR_INIT;
	if (option)
		CHECK(config_set(&cfg, option, value, &e) == 0);
	struct strbuf out = STRBUF_INIT;
	CHECK(report_generate(&s->p, &cfg, command, NULL, &out, &e) == 0);
	config_free(&cfg);
	error_clear(&e);
	return strbuf_detach(&out, NULL);
}

static void check_report(struct small *s, const char *command, const char *option, const char *value,
			 const char *want)
{
	char *got = report(s, command, option, value);
	CHECK_STR(got, want);
	free(got);
}

static size_t count(const char *haystack, const char *needle)
{
	size_t n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_plain(void)
{
	struct small s;
	small_init(&s);
	uint32_t deep[] = { s.b_loc, s.a_loc, s.main_loc }, odd[] = { s.odd_loc, s.main_loc };
	sample(&s, deep, 3, 1, 10);
	sample(&s, deep, 3, 1, 5);
	sample(&s, deep + 1, 2, 2, 7);
	sample(&s, odd, 2, 1, 3);
	sample(&s, deep + 2, 1, 0, 0);	/* nothing to show */
	sample(&s, NULL, 0, 1, 100);	/* no stack */
	builder_finish(&s.b);

	/* one line per stack, sorted by frame names, values summed */
	check_report(&s, "folded", NULL, NULL, "main;a 7\nmain;a;b 15\nmain;x<y>&z 3\n");
	check_report(&s, "folded", "sample_index", "samples", "main;a 2\nmain;a;b 2\nmain;x<y>&z 1\n");
	check_report(&s, "folded", "mean", "true", "main;a 3\nmain;a;b 7\nmain;x<y>&z 3\n");
	check_report(&s, "folded", "divide_by", "2", "main;a 3.5\nmain;a;b 7.5\nmain;x<y>&z 1.5\n");
	check_report(&s, "folded", "granularity", "addresses",
		     "0000000000001000 main x.c:10;0000000000001010 a x.c:11 7\n"
		     "0000000000001000 main x.c:10;0000000000001010 a x.c:11;0000000000001020 b x.c:12 15\n"
		     "0000000000001000 main x.c:10;0000000000001030 x<y>&z x.c:13 3\n");

	char *svg = report(&s, "flame", NULL, NULL);
	CHECK(strstr(svg, ">Flame graph</text>") != NULL);
	CHECK(count(svg, "<g class=\"f\"") == 5);	/* root, main, a, b, x<y>&z */
	CHECK(strstr(svg, "<title>root\n25ns (20.00%)</title>") != NULL);	/* percentages of all samples */
	CHECK(strstr(svg, "data-x=\"0\" data-e=\"22\" data-d=\"2\"><title>a\n22ns (17.60%)</title>") != NULL);
	CHECK(strstr(svg, "data-x=\"7\" data-e=\"22\" data-d=\"3\"><title>b\n15ns (12.00%)</title>") != NULL);
	CHECK(strstr(svg, "<title>x&lt;y&gt;&amp;z\n3ns (2.40%)</title>") != NULL);
	CHECK(strstr(svg, "<rect x=\"10.00\" y=\"0\" width=\"1180.00\"") != NULL);	/* the root fills the width */
	CHECK(strstr(svg, "<text>Type: cpu</text>") == NULL && strstr(svg, ">Type: cpu</text>") != NULL);
	free(svg);
	/* a -unit other than the default applies to every value */
	svg = report(&s, "flame", "unit", "us");
	CHECK(strstr(svg, "<title>root\n0.03us (20.00%)</title>") != NULL);
	free(svg);
	profile_free(&s.p);
}

static void test_differential(void)
{
	struct small s;
	small_init(&s);
	uint32_t deep[] = { s.b_loc, s.a_loc, s.main_loc };
	sample(&s, deep, 3, 1, 10);
	sample(&s, deep, 3, -1, -4);	/* the base, negated as -diff_base does */
	sample(&s, deep + 1, 2, -1, -6);
	builder_finish(&s.b);

	check_report(&s, "folded", NULL, NULL, "main;a -6\nmain;a;b 6\n");
	char *svg = report(&s, "flame", NULL, NULL);
	CHECK(strstr(svg, ">Differential flame graph</text>") != NULL);
	/* b grew from 4 to 10: red; a (with b) stayed at 10: white */
	CHECK(strstr(svg, "<title>b\n10ns vs base 4ns (+6ns)</title><rect x=\"452.50\" y=\"48\" width=\"737.50\" "
			  "height=\"15\" rx=\"2\" fill=\"rgb(255,135,135)\"/>") != NULL);
	CHECK(strstr(svg, "<title>a\n10ns vs base 10ns (+0)</title>") != NULL);
	CHECK(strstr(svg, "fill=\"rgb(255,255,255)\"") != NULL);
	free(svg);
	profile_free(&s.p);
}

int main(void)
{
	test_plain();
	test_differential();
	return check_done();
}
