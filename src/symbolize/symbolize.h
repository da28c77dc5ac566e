/*
 * symbolize.h - adding function names, files and lines to locations that
 * lack them, from the binaries the profile came from.
 *
 * symbolize_profile() follows pprof's -symbolize=MODE grammar
 * ([local|fastlocal|remote|none][:force][:demangle=...]) and decides, per
 * mapping, whether it needs symbols and whether a binary can be found.
 */
#ifndef CPPROF_SYMBOLIZE_H
#define CPPROF_SYMBOLIZE_H

#include "profile/profile.h"
#include "symbolize/symbolz.h"
#include "util/error.h"

struct symbolize_options {
	const char *mode;	/* the -symbolize value, may be NULL */
	const char *exec_name;	/* binary named on the command line, or NULL */
	const struct symbolz_options *remote;	/* servers of fetched profiles, or NULL */
};

int symbolize_profile(struct profile *p, const struct symbolize_options *o, struct error *e);

#endif
