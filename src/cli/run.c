#include "cli/run.h"

#include <stdio.h>
#include <stdlib.h>

#include "load/fetch.h"
#include "load/source.h"
#include "options/options.h"
#include "render/output.h"
#include "report/report.h"
#include "shell/command.h"
#include "shell/shell.h"
#include "web/webui.h"

enum { EXIT_OK = 0, EXIT_FAILURE_STATUS = 2 };

static int fail(struct error *e)
{
	error_print(e);
	return EXIT_FAILURE_STATUS;
}

static int run_report(struct output_context *ctx, const struct profile *p, const struct config *cfg,
		      const char *command, const char *arg, struct error *e)
{
	struct strbuf out = STRBUF_INIT;
	int rc = report_generate(p, cfg, command, arg, &out, e);
	if (rc == 0)
		rc = output_report(ctx, command, cfg, &out, e);
	strbuf_release(&out);
	return rc;
}

/* The shell's reports: delivered as in pprof's interactive mode (ctx->interactive). */
static int run_shell_report(void *ctx, const struct profile *p, const struct config *cfg, const char *command,
			    const char *arg, struct error *e)
{
	return run_report(ctx, p, cfg, command, arg, e);
}

static int run_command(struct output_context *ctx, const struct invocation *inv, const struct profile *p,
		       struct error *e)
{
	if (inv->command)
		return run_report(ctx, p, &inv->cfg, inv->command, inv->command_arg, e);
	if (inv->oneshot) {
		struct shell_command cmd;
		if (shell_parse_command(inv->oneshot, &inv->cfg, &cmd, e) < 0)
			return -1;
		int rc = run_report(ctx, p, &cmd.cfg, cmd.def->name, cmd.arg, e);
		shell_command_free(&cmd);
		return rc;
	}
	if (inv->http && *inv->http)
		return webui_serve(inv->http, p, &inv->cfg, !inv->no_browser, e);
	ctx->interactive = true;
	return shell_run(p, &inv->cfg, run_shell_report, ctx, e);
}

static int run_loaded(const struct invocation *inv, const struct profile *p, struct error *e)
{
	struct output_context ctx;
	output_context_init(&ctx, false);
	int rc = run_command(&ctx, inv, p, e);
	output_context_free(&ctx);
	return rc;
}

/* pprof keeps a copy of fetched profiles; merged ones are saved as -proto writes them. */
static int save_merged(const struct profile *p, struct error *e)
{
	struct strbuf encoded = STRBUF_INIT;
	int rc = report_encode_profile(p, &encoded, e);
	if (rc == 0)
		rc = fetch_save(p, (const uint8_t *)encoded.buf, encoded.len, e);
	strbuf_release(&encoded);
	return rc;
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
		bool save_encoded;
		if (load_sources(&inv, &p, &save_encoded, &e) < 0) {
			status = fail(&e);
			break;
		}
		if (save_encoded && save_merged(&p, &e) < 0) {
			status = fail(&e);
			profile_free(&p);
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
