/*
 * legacy_thread.h - thread profiles in text ("threadz"): an optional
 * "--- threadz N ---" header, then per thread a "--- Thread ID (name:
 * NAME/N) stack: ---" line followed by its stack addresses, or by "same as
 * previous thread" to count one more of the previous stack.
 */
#ifndef CPPROF_LEGACY_THREAD_H
#define CPPROF_LEGACY_THREAD_H

#include <stddef.h>
#include <stdint.h>

#include "load/legacy_profile.h"

/* pprof's parseThread. */
enum legacy_result legacy_parse_thread(const uint8_t *data, size_t len, struct legacy_profile *lp,
				       struct error *e);

#endif
