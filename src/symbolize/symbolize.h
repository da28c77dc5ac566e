/*
 * symbolize.h - giving a loaded profile's addresses function names,
 * files, lines and inlined frames from the binaries it came from, and
 * demangling its names: pprof's locateBinaries and Symbolize, done once
 * when the profile is loaded, before any report reads it.
 *
 * symbolize_profile() follows pprof's -symbolize=MODE grammar
 * ([local|fastlocal|remote|none][:force][:demangle=...]).  A mapping is
 * symbolized when it has no symbols yet (or with force) and its binary
 * can be trusted: a binary the user named (on the command line, on
 * $PPROF_BINARY_PATH or in $HOME/pprof/binaries), or a file at the
 * mapping's recorded path whose build ID matches the mapping's.  A
 * mapping that records no build ID is never symbolized from its recorded
 * path, which may hold another build of the program.  Each distinct
 * address of a mapping is symbolized once.
 *
 * Locations of symbolized mappings get new lines and functions in the
 * profile's arena; messages go to stderr as pprof prints them.
 */
#ifndef CPPROF_SYMBOLIZE_H
#define CPPROF_SYMBOLIZE_H

#include "profile/profile.h"
#include "symbolize/symbolz.h"
#include "util/error.h"

struct symbolize_options {
	const char *mode;	/* the -symbolize value, may be NULL */
	const char *exec_name;	/* binary named on the command line, or NULL */
	const char *build_id;	/* -buildid, or NULL */
	const struct symbolz_options *remote;	/* servers of fetched profiles, or NULL */
};

int symbolize_profile(struct profile *p, const struct symbolize_options *o, struct error *e);

#endif
