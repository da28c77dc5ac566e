/*
 * webui.h - pprof's -http=[host]:[port]: the web UI of one profile,
 * served by libmicrohttpd until cpprof gets SIGINT or SIGTERM.
 *
 * As in pprof: an empty host is localhost, an empty port a free one; a
 * UI served on a loopback name answers only loopback clients ("permission
 * denied" to others); "Serving web UI on http://HOST:PORT" goes to stderr
 * and, unless told not to, a browser is started on the first page (the
 * URL carries the command line's settings), else the URL is printed.
 * Requests are answered one at a time (web/pages.h makes the answers).
 */
#ifndef CPPROF_WEB_WEBUI_H
#define CPPROF_WEB_WEBUI_H

#include <stdbool.h>

#include "options/options.h"
#include "profile/profile.h"
#include "util/error.h"

/* Serves the web UI; returns 0 once interrupted, or -1 if it cannot start. */
int webui_serve(const char *hostport, const struct profile *p, const struct config *cfg, bool open_browser,
		struct error *e);

#endif
