/*
 * legacy_heap.h - heap profiles in text: tcmalloc's ("heap profile: N: M
 * [N: M] @ heapprofile", "heap_v2/RATE", "heapz_v2/RATE", growthz,
 * fragmentationz) and Go's debug=1 heap profile ("@ heap/2*RATE", with
 * "#" comments), each sample "inuse_count: inuse_bytes [alloc_count:
 * alloc_bytes] @ addresses", then an optional memory map
 * (MAPPED_LIBRARIES:).  Sampled profiles are scaled up as pprof does, by
 * the probability that an allocation of the sample's size was sampled.
 */
#ifndef CPPROF_LEGACY_HEAP_H
#define CPPROF_LEGACY_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "load/legacy_profile.h"

/* pprof's parseHeap. */
enum legacy_result legacy_parse_heap(const uint8_t *data, size_t len, struct legacy_profile *lp,
				     struct error *e);

/* pprof's scaleHeapSample: count and size unsampled for a Poisson sampling rate. */
void heap_scale_sample(int64_t *count, int64_t *size, int64_t rate);

/* Go's math.Exp as it computes on amd64, to the last bit. */
double go_exp(double x);

#endif
