/*
 * source.h - turning the sources named on the command line into one
 * profile: reading files, recognizing their format, and reporting each
 * failure as pprof does ("SOURCE: reason", then "failed to fetch any
 * source profiles").
 */
#ifndef CPPROF_SOURCE_H
#define CPPROF_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

#include "options/options.h"
#include "profile/profile.h"
#include "util/error.h"

/* Reads one profile from a file: profile.proto (gzipped or not) or a legacy format. */
int load_file(const char *path, struct profile *p, struct error *e);
/* The same from bytes in memory (which stay the caller's). */
int load_data(const uint8_t *data, size_t len, struct profile *p, struct error *e);

/*
 * Loads the invocation's sources into p, merged if there are several,
 * with its base profile subtracted if it names one (-base, -diff_base,
 * -normalize), and symbolizes the result.  Sources that fail are reported
 * on stderr as pprof reports them; if none loads, or the profiles do not
 * merge, p is left empty and the reason is in *e.
 */
/*
 * Loads, merges and symbolizes the invocation's sources into p.  A copy
 * of what was fetched is saved, as pprof does; when fetched profiles were
 * merged, that copy must be p as cpprof encodes it, which the caller does
 * (*save_encoded says so) with fetch_save().
 */
int load_sources(const struct invocation *inv, struct profile *p, bool *save_encoded, struct error *e);

#endif
