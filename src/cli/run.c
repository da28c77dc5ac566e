#include "cli/run.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/source.h"
#include "options/options.h"
#include "report/report.h"
#include "shell/command.h"

enum { EXIT_OK = 0, EXIT_FAILURE_STATUS = 2 };

static int fail(struct error *e)
{
	error_print(e);
	return EXIT_FAILURE_STATUS;
}

/* Go's wording of a system error: strerror's text, lower-cased. */
static void add_go_strerror(struct error *e, int err)
{
	const char *msg = strerror(err);
	strbuf_addch(&e->msg, tolower((unsigned char)msg[0]));
	strbuf_addstr(&e->msg, msg + 1);
}

static int write_file(const char *path, FILE *f, const struct strbuf *out, struct error *e)
{
	int rc = strbuf_write(out, f);
	int err = errno;
	if (fclose(f) != 0 || rc < 0) {
		error_set(e, "write %s: ", path);
		add_go_strerror(e, err ? err : EIO);
		return -1;
	}
	return 0;
}

/*
 * pprof's awayFromTTY: a binary report meant for stdout goes to a new
 * file profileNNN.<suffix> in the current directory when stdout is a
 * terminal.
 */
static int emit_away_from_tty(const char *suffix, const struct strbuf *out, struct error *e)
{
	char name[64];
	for (int i = 1; i < 10000; i++) {
		snprintf(name, sizeof(name), "profile%03d.%s", i, suffix);
		int fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0666);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0) {
			error_set(e, "open %s: ", name);
			add_go_strerror(e, errno);
			return -1;
		}
		fprintf(stderr, "Generating report in %s\n", name);
		return write_file(name, fdopen(fd, "wb"), out, e);
	}
	return error_set(e, "could not create file of the form profile001.%s", suffix);
}

/* Writes the report to -output's file, or to stdout. */
static int emit(const struct config *cfg, const char *command, const struct strbuf *out, struct error *e)
{
	if (!cfg->output || !*cfg->output) {
		const char *suffix = report_file_suffix(command);
		if (suffix && isatty(STDOUT_FILENO))
			return emit_away_from_tty(suffix, out, e);
		if (strbuf_write(out, stdout) < 0 || fflush(stdout) != 0)
			return error_set(e, "write /dev/stdout: write error");
		return 0;
	}
	fprintf(stderr, "Generating report in %s\n", cfg->output);
	FILE *f = fopen(cfg->output, "wb");
	if (!f) {
		error_set(e, "open %s: ", cfg->output);
		add_go_strerror(e, errno);
		return -1;
	}
	return write_file(cfg->output, f, out, e);
}

static int run_report(const struct profile *p, const struct config *cfg, const char *command,
		      const char *arg, struct error *e)
{
	struct strbuf out = STRBUF_INIT;
	int rc = report_generate(p, cfg, command, arg, &out, e);
	if (rc == 0)
		rc = emit(cfg, command, &out, e);
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
	return error_set(e, "the interactive shell is not available in this version of cpprof; "
			    "name a report, e.g. -top");
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
