/*
 * locate.h - pprof's locateBinaries: where each mapping's binary is on
 * this machine.
 *
 * Each directory of $PPROF_BINARY_PATH (default $HOME/pprof/binaries) is
 * searched for $buildid/$name, every file in $buildid/, $path/$buildid, $name and
 * $path (pprof 1.19), and for the xx/yyyy.debug build-ID layout newer
 * pprof added; a file found there with the mapping's build ID (or any
 * file, for mappings without one) becomes the mapping's file.  Then the
 * binary named on the command line replaces the main mapping's file.
 */
#ifndef CPPROF_LOCATE_H
#define CPPROF_LOCATE_H

#include <stdbool.h>

#include "profile/profile.h"

/*
 * Rewrites mapping file names (and the main build ID) in p.  user_named
 * (one per mapping) tells which files the user pointed at: found on the
 * search path or named on the command line.
 */
void locate_binaries(struct profile *p, const char *exec_name, const char *build_id, bool *user_named);

#endif
