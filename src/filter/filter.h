/*
 * filter.h - the filter options of one report, compiled: -focus,
 * -ignore, -hide, -show, -show_from, -tagfocus, -tagignore, -prune_from,
 * -tagshow and -taghide (pprof's applyFocus).  The view (view.h) applies
 * them; this module only reads the options.
 *
 * Options are compiled in pprof's order, so that the first bad one is the
 * one reported, as "parsing focus regexp: error parsing regexp: ...".  A
 * bad -tagshow or -taghide is the exception pprof makes: it is reported
 * only after the other filters have run (and warned), so its error is
 * kept in late_error for the view to return.
 *
 * A filter_set owns its regexps and tag filters; filter_set_free()
 * releases them.
 */
#ifndef CPPROF_FILTER_H
#define CPPROF_FILTER_H

#include <stdbool.h>

#include "filter/regexp.h"
#include "filter/tagfilter.h"
#include "options/options.h"
#include "util/error.h"
#include "util/strbuf.h"

struct filter_set {
	struct regex *focus, *ignore, *hide, *show, *show_from, *prune_from;
	struct tag_filter *tagfocus, *tagignore;
	struct regex *tagshow, *taghide;
	struct error late_error;	/* a bad -tagshow or -taghide */
	bool late_failed;
};

/*
 * Compiles the filters of c.  pprof's notes on numeric tag filters
 * ("tagfocus:Interpreted ...") are added to notes.  Returns 0, or -1
 * with pprof's error in *e.
 */
int filter_set_compile(struct filter_set *f, const struct config *c, struct strbuf *notes, struct error *e);
void filter_set_free(struct filter_set *f);

/* True if any filter is set (the view then has work to do per sample). */
bool filter_set_active(const struct filter_set *f);

#endif
