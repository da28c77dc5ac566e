#include "cli/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/source.h"
#include "options/options.h"
#include "report/report.h"
#include "shell/command.h"
#include "shell/shell.h"

enum { EXIT_OK = 0, EXIT_FAILURE_STATUS = 2 };

static int fail(struct error *e)
{
	error_print(e);
	return EXIT_FAILURE_STATUS;
}

/* Writes the report to -output's file, or to stdout. */
static int emit(const struct config *cfg, const struct strbuf *out, struct error *e)
{
	if (!cfg->output || !*cfg->output) {
		if (strbuf_write(out, stdout) < 0 || fflush(stdout) != 0)
			return error_set(e, "write /dev/stdout: write error");
		return 0;
	}
	fprintf(stderr, "Generating report in %s\n", cfg->output);
	FILE *f = fopen(cfg->output, "wb");
	if (!f)
		return error_set(e, "open %s: cannot create file", cfg->output);
	int rc = strbuf_write(out, f);
	if (fclose(f) != 0 || rc < 0)
		return error_set(e, "write %s: write error", cfg->output);
	return 0;
}

static int run_report(const struct profile *p, const struct config *cfg, const char *command,
		      const char *arg, struct error *e)
{
	struct strbuf out = STRBUF_INIT;
	int rc = report_generate(p, cfg, command, arg, &out, e);
	if (rc == 0)
		rc = emit(cfg, &out, e);
	strbuf_release(&out);
	return rc;
}

static int run_loaded(const struct invocation *inv, const struct profile *p, struct error *e)
{
	if (inv->command)
		return run_report(p, &inv->cfg, inv->command, inv->command_arg, e);
	if (inv->oneshot) {
		struct shell_command cmd;
		if (shell_parse_command(inv->oneshot, &inv->cfg, &cmd, e) < 0)
			return -1;
		int rc = run_report(p, &cmd.cfg, cmd.def->name, cmd.arg, e);
		shell_command_free(&cmd);
		return rc;
	}
	if (inv->http && *inv->http)
		return error_set(e, "the web interface (-http) is not available in this version of cpprof");
	return shell_run(p, &inv->cfg, run_report, e);
}

int cli_run(int argc, char **argv)
{
	struct invocation inv;
	struct error e = ERROR_INIT;
	int status = EXIT_OK;
	switch (invocation_parse(&inv, argc, argv, &e)) {
	case PARSE_HELP: {
		struct strbuf usage = STRBUF_INIT;
		usage_text(&usage);
		fprintf(stderr, "%s\n", usage.buf);
		strbuf_release(&usage);
		break;
	}
	case PARSE_ERROR:
		status = fail(&e);
		break;
	case PARSE_OK: {
		struct profile p;
		if (load_sources(&inv, &p, &e) < 0) {
			status = fail(&e);
			break;
		}
		if (run_loaded(&inv, &p, &e) < 0)
			status = fail(&e);
		profile_free(&p);
		break;
	}
	}
	invocation_free(&inv);
	error_clear(&e);
	return status;
}
