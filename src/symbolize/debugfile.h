/*
 * debugfile.h - finding files by build ID and debug link: a binary's
 * separate debug information, and binaries or debug files fetched from
 * debuginfod servers.
 *
 * Debug files are looked for where GDB and the distributions put them:
 * /usr/lib/debug/.build-id/xx/yyyy.debug, then the .gnu_debuglink name
 * next to the binary, in its .debug directory and under /usr/lib/debug
 * (checked against the link's CRC).  debuginfod is asked only when
 * DEBUGINFOD_URLS is set, and last.
 */
#ifndef CPPROF_DEBUGFILE_H
#define CPPROF_DEBUGFILE_H

#include <stdbool.h>

#include "symbolize/elfimage.h"

/*
 * Opens the separate debug file of img (a binary read from path) into
 * debug; returns its path (malloc'd), or NULL if none was found.
 */
char *debugfile_open(const struct elf_image *img, const char *path, struct elf_image *debug);

/*
 * A file with this build ID from debuginfod: the executable, or its
 * debug information.  Returns the path of the cached file (malloc'd), or
 * NULL when DEBUGINFOD_URLS is unset or no server has it.
 */
char *debuginfod_fetch(const char *build_id, bool executable);

#endif
