/*
 * fuzz_web.c - one fuzzing input: a request to the web UI, "PATH?QUERY"
 * (a path without '?' has no query), answered over a small profile with
 * two sample types, inlined frames and labels.  Every request must get
 * one of the answers pages.h describes, and a failure must say why;
 * anything else (a crash, a sanitizer report, an empty error) is a bug.
 * The query reaches Go's URL parsing, the variables' parsers and the
 * Go regexp translator.
 *
 * Built as a libFuzzer target with -Dfuzz=true under clang, and into
 * fuzz_web_replay, which runs seed requests through it with any compiler.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile/builder.h"
#include "web/pages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct profile prof;
static struct config cfg;

/* main -> work -> (inlined) step, and main -> alloc, with labels. */
static void build_profile(void)
{
	struct profile_builder b;
	profile_init(&prof);
	builder_init(&b, &prof);
	struct value_type types[] = { { "alloc_space", "bytes" }, { "inuse_space", "bytes" } };
	builder_sample_types(&b, types, 2);
	struct mapping m = { 1, 0x1000, 0x9000, 0, "prog", "", true, true, true, true };
	int32_t map = builder_mapping(&b, &m);
	const char *names[] = { "main.main", "main.work", "main.step", "runtime.alloc" };
	int32_t fn[4];
	for (int i = 0; i < 4; i++)
		fn[i] = builder_function(&b, names[i], names[i], "prog.go", 10 * i);
	struct line main_line = { fn[0], 12, 0 }, alloc_line = { fn[3], 40, 0 };
	struct line work_lines[] = { { fn[2], 25, 0 }, { fn[1], 21, 0 } };
	uint32_t l_main = (uint32_t)builder_location(&b, map, 0x1100, &main_line, 1, false);
	uint32_t l_work = (uint32_t)builder_location(&b, map, 0x1200, work_lines, 2, false);
	uint32_t l_alloc = (uint32_t)builder_location(&b, map, 0x1300, &alloc_line, 1, false);
	struct label label = { builder_string(&b, "bytes"), 0, 512, builder_string(&b, "bytes") };
	struct label thread = { builder_string(&b, "thread"), builder_string(&b, "t1"), 0, 0 };
	uint32_t a[] = { l_alloc, l_work, l_main }, w[] = { l_work, l_main };
	int64_t v1[] = { 512, 256 }, v2[] = { 100, 0 };
	builder_sample(&b, a, 3, v1, 2, &label, 1);
	builder_sample(&b, w, 2, v2, 2, &thread, 1);
	builder_finish(&b);
	config_init_default(&cfg);
}

static bool known_status(unsigned status)
{
	return status == 200 || status == 307 || status == 400 || status == 404 || status == 501;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!prof.samples.count)
		build_profile();
	char *request = strndup((const char *)data, size);
	char *query = strchr(request, '?');
	if (query)
		*query++ = '\0';
	struct web_ui ui = { &prof, &cfg };
	struct web_response resp;
	web_respond(&ui, request, query ? query : "", &resp);
	if (!known_status(resp.status) || resp.body.len == 0)
		abort();
	web_response_free(&resp);
	free(request);
	return 0;
}
