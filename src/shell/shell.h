/*
 * shell.h - the interactive (pprof) shell.
 *
 * `cpprof profile` without a report opens it: it greets with the
 * profile's header, then reads commands until quit, exit or the end of
 * input and answers each as pprof's shell does: report commands
 * (`top10`, `list REGEXP`, `peek`, `tags`, ...), variable assignments
 * (`nodefraction=0.1`, `cum=true`, `:`, sample type shortcuts), `o`,
 * `help`.  Variables persist from one command to the next; every command
 * starts from the same loaded profile, which the shell never changes.
 *
 * The caller says how a report is produced and delivered (to stdout, to
 * a file, to a viewer): the shell only decides what to run.
 */
#ifndef CPPROF_SHELL_H
#define CPPROF_SHELL_H

#include "options/options.h"
#include "profile/profile.h"
#include "util/error.h"

/* Produces one report of p and delivers it (data: the caller's, passed on); errors in e. */
typedef int (*shell_report_fn)(void *data, const struct profile *p, const struct config *cfg,
			       const char *command, const char *command_arg, struct error *e);

/*
 * Runs the shell on p, starting from the command line's settings.
 * Returns 0 when the user leaves, -1 if input could not be read (in e).
 */
int shell_run(const struct profile *p, const struct config *initial, shell_report_fn run_report,
	      void *data, struct error *e);

#endif
