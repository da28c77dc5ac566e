/*
 * path.h - file name handling as pprof (Go's path/filepath) does it.
 * Returned strings are malloc'd unless an arena is passed.
 */
#ifndef CPPROF_PATH_H
#define CPPROF_PATH_H

#include "util/arena.h"

/* Go's filepath.Clean, in the arena. */
char *path_clean(struct arena *a, const char *path);
/* Go's filepath.Base: a pointer into path, or "." / "/" for empty or all-slash paths. */
const char *path_base(const char *path);
/*
 * pprof's trimPath: strips trim_path (a list separated by ':') or, when it
 * is empty, everything up to the base name of a source_path directory
 * found in path, then "/proc/self/cwd/" prefixes.  Returns a malloc'd copy.
 */
char *trim_path(const char *path, const char *trim_path, const char *source_path);

#endif
