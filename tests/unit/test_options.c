/* The command line, parsed as pprof's flag package does. */
#include <stdlib.h>

#include "check.h"
#include "options/options.h"
#include "shell/command.h"

static enum parse_status parse(struct invocation *inv, struct error *e, int argc, const char **argv)
{
	return invocation_parse(inv, argc, (char **)argv, e);
}

/* Every option of the table is documented in the man page. */
static void check_man_page(const char *path)
{
	FILE *f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	struct strbuf man = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&man, buf, n);
	fclose(f);
	for (size_t i = 0; i < option_count; i++) {
		char want[128];
		snprintf(want, sizeof(want), "\\-%s", option_table[i].name);
		if (!strstr(man.buf, want)) {
			fprintf(stderr, "man page lacks %s\n", want);
			CHECK(0);
		}
	}
	strbuf_release(&man);
}

int main(int argc, char **argv)
{
	struct invocation inv;
	struct error e = ERROR_INIT;

	const char *a1[] = { "cpprof", "-top", "--nodecount", "12", "-cum", "-trim=false", "-unit=ms", "p.pb.gz" };
	CHECK(parse(&inv, &e, 8, a1) == PARSE_OK);
	CHECK_STR(inv.command, "top");
	CHECK(inv.cfg.nodecount == 12 && !inv.cfg.trim);
	CHECK_STR(inv.cfg.sort, "cum");
	CHECK_STR(inv.cfg.unit, "ms");
	CHECK(inv.nsources == 1);
	CHECK_STR(inv.sources[0], "p.pb.gz");
	invocation_free(&inv);

	const char *a2[] = { "cpprof", "-top", "-traces", "p" };
	CHECK(parse(&inv, &e, 4, a2) == PARSE_ERROR);
	CHECK_STR(e.msg.buf, "must set at most one output format");
	invocation_free(&inv);

	const char *a3[] = { "cpprof", "-nodecount=x", "p" };
	CHECK(parse(&inv, &e, 3, a3) == PARSE_ERROR);
	CHECK(!strncmp(e.msg.buf, "invalid value \"x\" for flag -nodecount: parse error\nusage:", 57));
	invocation_free(&inv);

	const char *a4[] = { "cpprof", "-files", "-lines", "-top", "p" };
	CHECK(parse(&inv, &e, 5, a4) == PARSE_ERROR);
	CHECK_STR(e.msg.buf, "conflicting options set: [files lines]");
	invocation_free(&inv);

	const char *a5[] = { "cpprof", "-alloc_space", "-list", "main\\.f", "p" };
	CHECK(parse(&inv, &e, 5, a5) == PARSE_OK);
	CHECK_STR(inv.cfg.sample_index, "alloc_space");
	CHECK_STR(inv.command_arg, "main\\.f");
	invocation_free(&inv);

	const char *a6[] = { "cpprof", "-h" };
	CHECK(parse(&inv, &e, 2, a6) == PARSE_HELP);
	invocation_free(&inv);

	const char *a7[] = { "cpprof", "top10", "p.pb.gz" };
	CHECK(parse(&inv, &e, 3, a7) == PARSE_OK);
	CHECK_STR(inv.oneshot, "top10");
	invocation_free(&inv);

	const char *a8[] = { "cpprof", "-base", "a", "-diff_base=b", "p" };
	CHECK(parse(&inv, &e, 5, a8) == PARSE_ERROR);
	CHECK_STR(e.msg.buf, "-base and -diff_base flags cannot both be specified");
	invocation_free(&inv);

	struct config base;
	config_init_default(&base);
	struct shell_command cmd;
	CHECK(shell_parse_command("top20 -cum main -runtime", &base, &cmd, &e) == 0);
	CHECK(cmd.cfg.nodecount == 20);
	CHECK_STR(cmd.cfg.sort, "cum");
	CHECK_STR(cmd.cfg.focus, "main");
	CHECK_STR(cmd.cfg.ignore, "runtime");
	shell_command_free(&cmd);
	CHECK(shell_parse_command("top", &base, &cmd, &e) == 0 && cmd.cfg.nodecount == 10);
	shell_command_free(&cmd);
	CHECK(shell_parse_command("list", &base, &cmd, &e) < 0);
	CHECK_STR(e.msg.buf, "command list requires an argument");
	CHECK(shell_parse_command("nodecount 5", &base, &cmd, &e) < 0);
	CHECK_STR(e.msg.buf, "did you mean: nodecount=5");
	CHECK(shell_parse_command("bogus", &base, &cmd, &e) < 0);
	CHECK_STR(e.msg.buf, "unrecognized command: \"bogus\"");
	config_free(&base);

	struct strbuf usage = STRBUF_INIT;
	usage_text(&usage);
	CHECK(strstr(usage.buf, "    -relative_percentages Show percentages relative to focused subgraph\n") != NULL);
	CHECK(strstr(usage.buf, "    granularity      \n      -functions       Aggregate at the function level.\n") != NULL);
	strbuf_release(&usage);
	error_clear(&e);
	if (argc > 1)
		check_man_page(argv[1]);
	return check_done();
}
