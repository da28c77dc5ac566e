/*
 * legacy.h - the profile formats that came before profile.proto, tried in
 * pprof's order when bytes are not a profile.proto message: gperftools
 * CPU (legacy_cpu.h), heap text (legacy_heap.h), Go count profiles
 * (legacy_count.h), threadz (legacy_thread.h), contention
 * (legacy_contention.h) and Java (legacy_java.h).
 *
 * The first parser that recognizes the bytes decides: its error, if the
 * bytes are malformed, is final.  A parsed profile gets the drop_frames
 * (and keep_frames) pprof gives legacy profiles: allocator frames for
 * heap profiles, lock routines for contention, profiler frames otherwise.
 */
#ifndef CPPROF_LEGACY_H
#define CPPROF_LEGACY_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/error.h"

/*
 * Parses data into p (freshly initialised).  Returns 0, or -1 with
 * pprof's reason ("unrecognized profile format", or what is malformed and
 * on which line), without the "parsing profile: " pprof puts before it.
 */
int legacy_parse(const uint8_t *data, size_t len, struct profile *p, struct error *e);

#endif
