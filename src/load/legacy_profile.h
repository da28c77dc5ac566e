/*
 * legacy_profile.h - what pprof's legacy parsers build before it becomes a
 * profile: samples over bare addresses, the mappings of a memory map, and
 * for Java profiles the function each address names.
 *
 * pprof's parsers make a location per distinct address as they read, drop
 * and renumber them afterwards (remapLocationIDs, in first-use order) and
 * only then learn the mappings from the memory map at the end of the text.
 * A struct legacy_profile holds that state: it owns all its arrays and its
 * arena; legacy_profile_build() copies the result into a struct profile.
 */
#ifndef CPPROF_LEGACY_PROFILE_H
#define CPPROF_LEGACY_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "load/gotext.h"
#include "profile/profile.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/hash.h"

#define LEGACY_MAX_VALUES 4

/* What each parser says about the bytes it was given. */
enum legacy_result {
	LEGACY_PARSED,
	LEGACY_UNRECOGNIZED,	/* not this format: pprof tries the next parser */
	LEGACY_FAILED,		/* this format, but malformed: the error is final */
};

struct legacy_location {
	uint64_t address;
	int32_t mapping;	/* index into mappings, -1 for none */
	int32_t function;	/* Java only: index into functions, -1 for none */
	int64_t line;
};

struct legacy_sample {
	size_t first;		/* its first frame in frames[] */
	uint32_t nframes;	/* location indexes, leaf first */
	uint32_t nvalues;
	int64_t values[LEGACY_MAX_VALUES];
	int64_t bytes;		/* heap samples: the allocation size label */
	bool has_bytes;
};

struct legacy_function {
	const char *name;
	const char *file;
};

struct legacy_profile {
	struct arena arena;	/* strings */
	struct value_type sample_types[LEGACY_MAX_VALUES];
	size_t nsample_types;
	struct value_type period_type;
	int64_t period;
	int64_t duration_nanos;
	const char *drop_frames, *keep_frames;

	struct legacy_location *locations;
	size_t nlocations, locations_cap;
	struct hmap by_address;		/* address -> location index */
	int32_t all_ones_location;	/* the hash map cannot key UINT64_MAX */

	uint32_t *frames;
	size_t nframes, frames_cap;
	struct legacy_sample *samples;
	size_t nsamples, samples_cap;
	struct mapping *mappings;
	size_t nmappings, mappings_cap;
	struct legacy_function *functions;
	size_t nfunctions, functions_cap;
};

/* Which frames pprof moves back by one byte, from a return address onto its call. */
enum frame_adjust { ADJUST_NONE, ADJUST_CALLERS, ADJUST_ALL };

void legacy_profile_init(struct legacy_profile *lp);
void legacy_profile_free(struct legacy_profile *lp);

/* Sets the period type (type, unit) and the sample types, given as type/unit pairs. */
void legacy_set_types(struct legacy_profile *lp, const char *period_type, const char *period_unit,
		      const char *const types[][2], size_t ntypes);

/* The index of the location of address, made on first sight. */
uint32_t legacy_location(struct legacy_profile *lp, uint64_t address);
/* The index of the location of address, or -1 if none was made. */
int32_t legacy_find_location(const struct legacy_profile *lp, uint64_t address);

/* Appends a sample over addrs (leaf first); returns its index. */
size_t legacy_add_sample(struct legacy_profile *lp, const uint64_t *addrs, size_t naddrs,
			 enum frame_adjust adjust, const int64_t *values, size_t nvalues);
/* Removes frame i of sample s. */
void legacy_drop_frame(struct legacy_profile *lp, size_t s, uint32_t i);

/* The frames of sample s; NULL if it has none (frames may be NULL then). */
static inline uint32_t *legacy_frames(const struct legacy_profile *lp, size_t s)
{
	return lp->samples[s].nframes ? lp->frames + lp->samples[s].first : NULL;
}

/* pprof's remapLocationIDs: keeps the locations samples use, in first-use order. */
void legacy_remap_locations(struct legacy_profile *lp);
/* pprof's cleanupDuplicateLocations: drops a leaf repeated as its own caller. */
void legacy_drop_duplicate_leaves(struct legacy_profile *lp);

/* Copies the result into p (which must be freshly initialised). */
void legacy_profile_build(const struct legacy_profile *lp, struct profile *p);

/* Prefixes e with the number of the scanner's current line; returns -1. */
int legacy_line_error(struct error *e, const struct go_scanner *s);

#endif
