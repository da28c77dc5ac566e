/* The shell's parts: variables, help texts, completion, Go's quoting. */
#include <stdlib.h>

#include "check.h"
#include "options/options.h"
#include "profile/builder.h"
#include "shell/complete.h"
#include "shell/help.h"

/* Sets name=value and returns the error message, or "" on success. */
static const char *set(struct config *c, const char *name, const char *value)
{
	static struct error e = ERROR_INIT;
	error_clear(&e);
	if (config_set(c, name, value, &e) == 0)
		return "";
	return e.msg.buf;
}

static const char *get(const struct config *c, const char *name)
{
	static struct strbuf sb = STRBUF_INIT;
	strbuf_reset(&sb);
	config_get(c, config_variable(name), &sb);
	return sb.buf;
}

static void test_variables(void)
{
	struct config c;
	config_init_default(&c);
	CHECK(config_variable("sort") && config_variable("cum") && config_variable("granularity"));
	CHECK(!config_variable("base") && !config_variable("top") && !config_variable("inuse_space"));
	CHECK(config_variable_is_bool("mean") && config_variable_is_bool("lines"));
	CHECK(!config_variable_is_bool("sort") && !config_variable_is_bool("focus"));

	CHECK_STR(set(&c, "nodecount", "x"), "strconv.Atoi: parsing \"x\": invalid syntax");
	CHECK_STR(set(&c, "nodecount", "0x10"), "strconv.Atoi: parsing \"0x10\": invalid syntax");
	CHECK_STR(set(&c, "nodecount", "99999999999999999999"),
		  "strconv.Atoi: parsing \"99999999999999999999\": value out of range");
	CHECK_STR(set(&c, "nodecount", "+7"), "");
	CHECK_STR(get(&c, "nodecount"), "7");
	CHECK_STR(set(&c, "nodefraction", "abc"), "strconv.ParseFloat: parsing \"abc\": invalid syntax");
	CHECK_STR(set(&c, "nodefraction", "1e400"), "strconv.ParseFloat: parsing \"1e400\": value out of range");
	CHECK_STR(set(&c, "nodefraction", "0x10"), "strconv.ParseFloat: parsing \"0x10\": invalid syntax");
	CHECK_STR(set(&c, "nodefraction", "1_0.5"), "");
	CHECK_STR(get(&c, "nodefraction"), "10.5");
	CHECK_STR(set(&c, "mean", ""), "");
	CHECK(c.mean);
	CHECK_STR(set(&c, "mean", "No"), "");
	CHECK(!c.mean);
	CHECK_STR(set(&c, "mean", "x"), "illegal value \"x\" for bool variable");
	CHECK_STR(set(&c, "cum", ""), "unknown config field \"cum\"");
	CHECK_STR(set(&c, "cum", "true"), "");
	CHECK_STR(get(&c, "sort"), "cum");
	CHECK_STR(set(&c, "lines", "false"), "unknown config field \"lines\"");
	CHECK_STR(set(&c, "granularity", "bogus\t"), "invalid \"granularity\" value \"bogus\\t\"");
	CHECK_STR(set(&c, "granularity", "files"), "");
	CHECK_STR(get(&c, "granularity"), "files");
	CHECK_STR(set(&c, "focus", "a=b"), "");
	CHECK_STR(c.focus, "a=b");
	CHECK_STR(set(&c, "top", "1"), "unknown config field \"top\"");

	static const struct { const char *in, *out; } floats[] = {
		{ "0.005", "0.005" }, { "1e6", "1e+06" }, { "100000", "100000" }, { "123456789", "1.23456789e+08" },
		{ "1e-5", "1e-05" }, { "0.0001", "0.0001" }, { "-2.5e-7", "-2.5e-07" }, { "1e100", "1e+100" },
		{ "0", "0" }, { "inf", "+Inf" }, { "0x1p-2", "0.25" }, { "12.75", "12.75" },
	};
	for (size_t i = 0; i < sizeof(floats) / sizeof(floats[0]); i++) {
		CHECK_STR(set(&c, "divide_by", floats[i].in), "");
		CHECK_STR(get(&c, "divide_by"), floats[i].out);
	}
	config_free(&c);
}

static void test_quote(void)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_add_quoted(&sb, "a\"b\\\t\x01\x7f\xc3\xa9\xff\xc2\xa0z");
	CHECK_STR(sb.buf, "\"a\\\"b\\\\\\t\\x01\\x7f\xc3\xa9\\xff\\u00a0z\"");
	strbuf_release(&sb);
}

static void make_profile(struct profile *p)
{
	struct profile_builder b;
	profile_init(p);
	builder_init(&b, p);
	struct value_type types[] = { { "alloc_objects", "count" }, { "alloc_space", "bytes" } };
	builder_sample_types(&b, types, 2);
	const char *names[] = { "main.main", "main.numberDFS", "main.FindLoops", "runtime.mallocgc" };
	uint32_t locs[4];
	for (int i = 0; i < 4; i++) {
		struct line l = { builder_function(&b, names[i], names[i], "x.go", 1), 10, 0 };
		locs[i] = (uint32_t)builder_location(&b, -1, 0x1000 + (uint64_t)i, &l, 1, false);
	}
	uint32_t stack[] = { locs[3], locs[2], locs[1], locs[0] };
	int64_t values[] = { 2, 64 };
	builder_sample(&b, stack, 4, values, 2, NULL, 0);
	builder_finish(&b);
}

static void test_help(const struct profile *p)
{
	struct strbuf out = STRBUF_INIT;
	struct error e = ERROR_INIT;
	CHECK(shell_help(p, "peek", &out, &e) == 0);
	CHECK_STR(out.buf, "Output callers/callees of functions matching regexp\n  Usage:\n    peek func_regex\n"
			   "    Display callers and callees of functions matching func_regex.\n\n");
	strbuf_reset(&out);
	CHECK(shell_help(p, "compact_labels", &out, &e) == 0);
	CHECK_STR(out.buf, "Show minimal headers\n");
	strbuf_reset(&out);
	CHECK(shell_help(p, "sample_index", &out, &e) == 0);
	CHECK(strstr(out.buf, "with name in [alloc_objects alloc_space].\n\n") != NULL);
	CHECK(shell_help(p, "granularity", &out, &e) < 0);
	CHECK_STR(e.msg.buf, "Unknown command: granularity");
	strbuf_reset(&out);
	CHECK(shell_help(p, "", &out, &e) == 0);
	CHECK(strstr(out.buf, "    q/quit/exit/^D   Exit pprof\n\n  Options:\n") != NULL);
	CHECK(strstr(out.buf, "\n    granularity      \n      functions ") != NULL);

	struct config c;
	config_init_default(&c);
	strbuf_reset(&out);
	shell_list_options(p, &c, &out);
	CHECK(strstr(out.buf, "  sample_index              = alloc_space          //: [alloc_objects | alloc_space]\n"));
	CHECK(strstr(out.buf, "  nodecount                 = -1                   //: default\n"));
	CHECK(strstr(out.buf, "  focus                     = \"\"                   \n"));
	CHECK(!strstr(out.buf, "source_path"));
	config_free(&c);
	strbuf_release(&out);
	error_clear(&e);
}

/* Completes line; returns the candidates joined by spaces, the suffix appended after '|'. */
static const char *complete(const struct completer *c, const char *line, size_t *word_start)
{
	static struct strbuf sb = STRBUF_INIT;
	struct completion comp;
	complete_line(c, line, &comp);
	strbuf_reset(&sb);
	for (size_t i = 0; i < comp.count; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", comp.candidates[i]);
	if (comp.suffix)
		strbuf_addf(&sb, "|%c", comp.suffix);
	if (word_start)
		*word_start = comp.word_start;
	completion_free(&comp);
	return sb.buf;
}

static void test_completion(const struct profile *p)
{
	struct completer c;
	completer_init(&c, p);
	size_t start;
	CHECK_STR(complete(&c, "to", NULL), "top topproto total_alloc_objects total_alloc_space");
	CHECK_STR(complete(&c, "hel", NULL), "help| ");
	CHECK_STR(complete(&c, "  pee", NULL), "peek| ");
	CHECK_STR(complete(&c, "nodefr", NULL), "nodefraction|=");
	CHECK_STR(complete(&c, "noinl", NULL), "noinlines");
	CHECK_STR(complete(&c, "sample_index=alloc_s", &start), "alloc_space");
	CHECK(start == 13);
	CHECK_STR(complete(&c, "granularity=fil", NULL), "filefunctions files");
	CHECK_STR(complete(&c, "unit=m", NULL), "minimum");
	CHECK_STR(complete(&c, "unit=M", NULL), "MB");
	CHECK_STR(complete(&c, "call_tree=", NULL), "false true");
	CHECK_STR(complete(&c, "focus=main.F", NULL), "main.FindLoops");
	CHECK_STR(complete(&c, "top2 numberD", &start), "main.numberDFS| ");
	CHECK(start == 5);
	CHECK_STR(complete(&c, "list main.", NULL), "main.FindLoops main.main main.numberDFS");
	CHECK_STR(complete(&c, "top -malloc", &start), "runtime.mallocgc| ");
	CHECK(start == 5);
	CHECK_STR(complete(&c, "help sample_", NULL), "sample_index| ");
	CHECK_STR(complete(&c, "tags main", NULL), "");
	CHECK_STR(complete(&c, "top >ma", NULL), "");
	CHECK_STR(complete(&c, "bogus ma", NULL), "");
	struct completion comp;
	complete_line(&c, "granularity=f", &comp);
	CHECK(completion_common_prefix(&comp) == 1);
	completion_free(&comp);
	completer_free(&c);
}

int main(void)
{
	test_variables();
	test_quote();
	struct profile p;
	make_profile(&p);
	test_help(&p);
	test_completion(&p);
	profile_free(&p);
	return check_done();
}
