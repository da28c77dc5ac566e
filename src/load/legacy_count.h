/*
 * legacy_count.h - Go's count profiles in text (debug=1 of goroutine,
 * threadcreate and other runtime/pprof profiles that only count):
 * "NAME profile: total N", then "COUNT @ 0xADDR ..." lines, each followed
 * by "#" lines that pprof ignores.  The values are NAME/count.
 */
#ifndef CPPROF_LEGACY_COUNT_H
#define CPPROF_LEGACY_COUNT_H

#include <stddef.h>
#include <stdint.h>

#include "load/legacy_profile.h"

/* pprof's parseGoCount. */
enum legacy_result legacy_parse_count(const uint8_t *data, size_t len, struct legacy_profile *lp,
				      struct error *e);

#endif
