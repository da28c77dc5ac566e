#include "load/legacy_cpu.h"

#include <stdlib.h>
#include <string.h>

#include "load/legacy_java.h"
#include "load/memmap.h"

uint64_t word_read(struct word_reader *r)
{
	if (r->len < r->size) {
		r->exhausted = true;
		r->len = 0;
		return 0;
	}
	uint64_t v = 0;
	for (unsigned i = 0; i < r->size; i++) {
		unsigned byte = r->big_endian ? i : r->size - 1 - i;
		v = v << 8 | r->p[byte];
	}
	r->p += r->size;
	r->len -= r->size;
	return v;
}

enum legacy_result legacy_cpu_samples(struct word_reader *r, int64_t period, bool adjust,
				      struct legacy_profile *lp)
{
	struct address_list stack = { 0 };
	enum legacy_result result = LEGACY_PARSED;
	while (!r->exhausted && r->len > 0) {
		uint64_t count = word_read(r);
		uint64_t depth = word_read(r);
		/* pprof bounds the depth by 4-byte words whatever the word size. */
		if (r->exhausted || depth > r->len / 4) {
			result = LEGACY_UNRECOGNIZED;
			break;
		}
		xgrow((void **)&stack.v, &stack.cap, depth + 1, sizeof(*stack.v));
		for (uint64_t i = 0; i < depth; i++)
			stack.v[i] = word_read(r);
		if (count == 0 && depth == 1 && stack.v[0] == 0)
			break;	/* the end marker */
		int64_t values[] = { (int64_t)count, (int64_t)(count * (uint64_t)period) };
		legacy_add_sample(lp, stack.v, depth, adjust ? ADJUST_CALLERS : ADJUST_NONE, values, 2);
	}
	free(stack.v);
	return result;
}

/* Removes frame 1 wherever it is `loc`. */
static void strip_second_frame(struct legacy_profile *lp, uint32_t loc)
{
	for (size_t s = 0; s < lp->nsamples; s++)
		if (lp->samples[s].nframes > 1 && lp->frames[lp->samples[s].first + 1] == loc)
			legacy_drop_frame(lp, s, 1);
}

/*
 * When nearly every sample (all but one in 32) has the same second frame,
 * that frame is the signal handler's, not the program's: pprof removes it,
 * twice at most.  Locations are still one per address here.
 */
static void strip_signal_frames(struct legacy_profile *lp)
{
	size_t margin = lp->nsamples / 32;
	uint32_t *uses = xmalloc((lp->nlocations + 1) * sizeof(*uses));
	for (int iter = 0; iter < 2; iter++) {
		memset(uses, 0, (lp->nlocations + 1) * sizeof(*uses));
		for (size_t s = 0; s < lp->nsamples; s++)
			if (lp->samples[s].nframes > 1)
				uses[lp->frames[lp->samples[s].first + 1]]++;
		/* Only one location can be that common. */
		for (uint32_t loc = 0; loc < lp->nlocations; loc++) {
			if (uses[loc] && uses[loc] >= lp->nsamples - margin) {
				strip_second_frame(lp, loc);
				break;
			}
		}
	}
	free(uses);
}

static enum legacy_result cpu_profile(struct word_reader *r, int64_t period, struct legacy_profile *lp,
				      struct error *e)
{
	static const char *const types[][2] = { { "samples", "count" }, { "cpu", "nanoseconds" } };
	legacy_set_types(lp, "cpu", "nanoseconds", types, 2);
	lp->period = (int64_t)((uint64_t)period * 1000);
	enum legacy_result rc = legacy_cpu_samples(r, lp->period, true, lp);
	if (rc != LEGACY_PARSED)
		return rc;
	strip_signal_frames(lp);
	struct go_scanner maps;
	go_scanner_init(&maps, r->p, r->len);
	if (memmap_read(lp, &maps, e) < 0) {
		error_prefix(e, "memory map ");
		return LEGACY_FAILED;
	}
	legacy_drop_duplicate_leaves(lp);
	return LEGACY_PARSED;
}

enum legacy_result legacy_parse_cpu(const uint8_t *data, size_t len, struct legacy_profile *lp,
				    struct error *e)
{
	static const struct { unsigned size; bool big_endian; } words[] = {
		{ 4, false }, { 4, true }, { 8, false }, { 8, true },
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++) {
		struct word_reader r = { data, len, words[i].size, words[i].big_endian, false };
		uint64_t h[5];
		for (int k = 0; k < 5; k++)
			h[k] = word_read(&r);
		if (r.exhausted || h[0] != 0 || h[1] != 3 || h[3] == 0 || h[4] != 0)
			continue;
		if (h[2] == 0)
			return cpu_profile(&r, (int64_t)h[3], lp, e);
		if (h[2] == 1)
			return legacy_java_cpu(&r, (int64_t)h[3], lp, e);
	}
	return LEGACY_UNRECOGNIZED;
}
