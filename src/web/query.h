/*
 * query.h - the web UI's URL parameters and the report variables they
 * stand for (pprof's urlparam table: f for focus, si for sample_index...).
 *
 * A page's report starts from the configuration of the command line and
 * takes every non-empty parameter on top of it; the browser is first sent
 * to a URL that carries the command line's settings that differ from the
 * defaults, so that the pages say what the shell would.
 */
#ifndef CPPROF_WEB_QUERY_H
#define CPPROF_WEB_QUERY_H

#include "load/url.h"
#include "options/options.h"
#include "util/arena.h"
#include "util/error.h"

/*
 * pprof's applyURL: sets each variable whose parameter has a non-empty
 * value in q.  Fails with "error setting config field NAME: why".
 */
int query_apply(struct config *cfg, const struct url_values *q, struct error *e);

/*
 * pprof's makeURL: the parameters of cfg's variables that differ from
 * their defaults (booleans as "t" or "f"), added to q.
 */
void query_from_config(struct arena *a, const struct config *cfg, struct url_values *q);

#endif
