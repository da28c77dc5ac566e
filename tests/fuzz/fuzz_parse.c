/*
 * fuzz_parse.c - one fuzzing input: any bytes, read as a profile the way
 * a file is (gzip, profile.proto, then the legacy formats), and when they
 * make a profile, its top report.  The input must give a profile or one
 * error message; anything else (a crash, a sanitizer report, an error
 * without words) is a bug.
 *
 * Built as a libFuzzer target with -Dfuzz=true under clang, and into
 * fuzz_replay, which runs seed inputs through it with any compiler.
 */
#include <stdint.h>
#include <stdlib.h>

#include "load/source.h"
#include "options/options.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void report(const struct profile *p)
{
	struct config cfg;
	struct strbuf out = STRBUF_INIT;
	struct error e = ERROR_INIT;
	config_init_default(&cfg);
	if (report_generate(p, &cfg, "top", NULL, &out, &e) < 0 && e.msg.len == 0)
		abort();
	config_free(&cfg);
	strbuf_release(&out);
	error_clear(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile p;
	struct error e = ERROR_INIT;
	if (load_data(data, size, &p, &e) == 0)
		report(&p);
	else if (e.msg.len == 0)
		abort();
	profile_free(&p);
	error_clear(&e);
	return 0;
}
