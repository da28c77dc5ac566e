/*
 * output.h - how a finished report leaves cpprof, by pprof's command table.
 *
 * Graph commands (svg, pdf, png, gif, ps, web, eog, evince, gv) get the
 * DOT text of the graph and turn it into their format in-process (pprof's
 * postProcess).  Then the bytes go (pprof's visualizer and output rules):
 *   - to the file of -output, saying "Generating report in FILE";
 *   - for viewer commands, to a temporary file opened by the first viewer
 *     that starts (invokeVisualizer: $BROWSER and the usual browsers for
 *     web and weblist, eog, evince, gv, kcachegrind);
 *   - for binary formats, to a new file profileNNN.<suffix> in the current
 *     directory when stdout is a terminal or the shell runs (awayFromTTY);
 *   - else to stdout.
 *
 * An output_context lives as long as the command line or the shell
 * session: it owns the temporary files handed to viewers and removes
 * them in output_context_free(), as pprof does when it exits.
 */
#ifndef CPPROF_RENDER_OUTPUT_H
#define CPPROF_RENDER_OUTPUT_H

#include <stdbool.h>
#include <sys/types.h>

#include "options/options.h"
#include "util/error.h"
#include "util/strbuf.h"

struct output_context {
	bool interactive;	/* the shell runs: viewers stay in the background */
	bool terminal;		/* stdout is a terminal the user reads */
	char **temp_files;	/* given to viewers, removed at the end */
	size_t ntemp_files, temp_files_cap;
};

/* pprof's UI.IsTerminal: TERM is set (not "dumb") and stdin and stdout are terminals. */
bool output_is_terminal(void);

void output_context_init(struct output_context *ctx, bool interactive);
/* Removes the temporary files of viewers. */
void output_context_free(struct output_context *ctx);

/*
 * Post-processes the report of command (DOT text for graph commands) and
 * delivers it according to cfg->output and ctx.  The report may be
 * replaced by its processed bytes.
 */
int output_report(struct output_context *ctx, const char *command, const struct config *cfg,
		  struct strbuf *report, struct error *e);

/*
 * pprof's openBrowser for the web UI: starts the first browser that
 * starts (browsers as for `web`) on url, leaving it running; false if
 * none did.
 */
bool output_open_browser(const char *url);

#endif
