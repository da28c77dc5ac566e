/*
 * ui.h - where the shell's lines come from and where its messages go.
 *
 * As in pprof, a terminal (stdin a terminal, TERM set and not "dumb")
 * gets line editing: here libedit, with history kept in
 * $HOME/.pprof_history and tab completion.  Any other input is read line
 * by line as it comes, and the prompt is written to stdout, as pprof's
 * plain UI does.  Messages go to stderr, errors in red on a terminal;
 * reports are not the UI's business (stdout).
 *
 * The UI borrows the completer, which must outlive it.
 */
#ifndef CPPROF_SHELL_UI_H
#define CPPROF_SHELL_UI_H

#include <stdbool.h>

#include "shell/complete.h"
#include "util/error.h"

struct shell_ui;

/* Opens the UI that suits stdin; never fails (a terminal it cannot set up is read plainly). */
struct shell_ui *shell_ui_open(const struct completer *c);
void shell_ui_close(struct shell_ui *ui);

/*
 * Prompts and reads a line.  Returns 1 with *line (malloc'd, without its
 * newline), 0 at the end of input, -1 on a read error (in e).
 */
int shell_ui_read_line(struct shell_ui *ui, const char *prompt, char **line, struct error *e);

/* Writes text to stderr with a final newline if it lacks one (pprof's UI.Print). */
void shell_ui_print(struct shell_ui *ui, const char *text);
/* The same for an error message (pprof's UI.PrintErr). */
void shell_ui_print_error(struct shell_ui *ui, const char *text);

#endif
