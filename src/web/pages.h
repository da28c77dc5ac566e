/*
 * pages.h - the pages of the web UI, as pprof's -http serves them: what
 * to answer to a GET of a path and query, independent of the server.
 *
 * Everything lives under /ui/; any other path redirects there with its
 * query.  The views are pprof's: the call graph (/ui/), the top table
 * (/ui/top, 500 nodes), a flame graph (/ui/flamegraph), and for the
 * functions that the f parameter matches callers and callees by line
 * (/ui/peek), annotated source (/ui/source) and disassembly
 * (/ui/disasm); /ui/download sends the profile.  Each page starts from
 * the command line's settings and applies the URL's parameters
 * (web/query.h).  A page that cannot be made answers 400 with the
 * reason, which also goes to stderr, as pprof does.
 *
 * A response owns its body; web_response_free() releases it.
 */
#ifndef CPPROF_WEB_PAGES_H
#define CPPROF_WEB_PAGES_H

#include "options/options.h"
#include "profile/profile.h"
#include "util/strbuf.h"

/* What every page is made from. */
struct web_ui {
	const struct profile *prof;
	const struct config *cfg;	/* the command line's settings */
};

struct web_response {
	unsigned status;		/* HTTP status code */
	const char *content_type;
	const char *location;		/* redirects: where to */
	const char *disposition;	/* Content-Disposition, or NULL */
	struct strbuf body;
	char *owned;			/* what location points into, freed with the response */
};

/* The answer to a GET of path with query (after '?', "" for none). */
void web_respond(const struct web_ui *ui, const char *path, const char *query, struct web_response *resp);
void web_response_free(struct web_response *resp);

#endif
