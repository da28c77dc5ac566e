/*
 * run.h - what cpprof does for one command line: a report, the shell, or
 * the web UI.  Returns the process exit status (0, or 2 after an error
 * has been printed once on stderr).
 */
#ifndef CPPROF_RUN_H
#define CPPROF_RUN_H

int cli_run(int argc, char **argv);

#endif
