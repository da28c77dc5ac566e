/*
 * legacy_contention.h - contention profiles in text: Go's debug=1 block
 * and mutex profiles ("--- contention:", "--- mutex:") and the older C++
 * "--- contentionz " ones.  "name = value" attributes (cycles/second,
 * sampling period, ms since reset) come first, then samples "CYCLES COUNT
 * @ 0xADDR ...".  pprof turns cycles into nanoseconds with the clock rate
 * and multiplies both values by the sampling period.
 */
#ifndef CPPROF_LEGACY_CONTENTION_H
#define CPPROF_LEGACY_CONTENTION_H

#include <stddef.h>
#include <stdint.h>

#include "load/legacy_profile.h"

/* pprof's parseContention. */
enum legacy_result legacy_parse_contention(const uint8_t *data, size_t len, struct legacy_profile *lp,
					   struct error *e);

#endif
