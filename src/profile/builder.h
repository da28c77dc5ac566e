/*
 * builder.h - making a profile from parts: the legacy parsers, merging,
 * base profiles and pseudo frames all build profiles this way.
 *
 * A builder fills a struct profile it was given: tables go into the
 * profile's arena, samples are encoded into a buffer the profile's sample
 * store takes over at builder_finish().  Strings are interned: the same
 * text always gets the same string-table index, and index 0 is "".
 * Mappings, functions and locations get ids 1, 2, ... in the order they
 * are added; builder_* functions return their indexes in the tables.
 * Until builder_finish() the profile must not be used.
 */
#ifndef CPPROF_BUILDER_H
#define CPPROF_BUILDER_H

#include "profile/profile.h"
#include "util/hash.h"
#include "util/strbuf.h"

struct profile_builder {
	struct profile *p;
	struct hmap string_index;	/* hash -> first string index */
	uint32_t *string_chain;		/* next index with the same hash */
	size_t strings_cap, chain_cap;
	size_t mappings_cap, functions_cap, locations_cap;
	struct hmap function_index;	/* dedup of identical functions */
	uint32_t *function_chain;
	size_t function_chain_cap;
	struct strbuf samples;		/* encoded Sample messages */
	uint64_t *scratch;
	size_t scratch_cap;
	struct label *labels;		/* scratch for builder_copy_sample() */
	size_t labels_cap;
};

void builder_init(struct profile_builder *b, struct profile *p);
/* The string-table index of s, adding it if new. */
int64_t builder_string(struct profile_builder *b, const char *s);
/* The profile's own copy of s (NULL reads as ""), adding it if new. */
const char *builder_intern(struct profile_builder *b, const char *s);
/* Adds a mapping (its id is replaced by the next id); returns its index. */
int32_t builder_mapping(struct profile_builder *b, const struct mapping *m);
/* The index of a function with these fields, added if new (ids are assigned). */
int32_t builder_function(struct profile_builder *b, const char *name, const char *system_name,
			 const char *filename, int64_t start_line);
/* Adds a location; lines are copied (function indexes). Returns its index. */
int32_t builder_location(struct profile_builder *b, int32_t mapping, uint64_t address,
			 const struct line *lines, uint32_t nlines, bool is_folded);
/*
 * Adds a sample: location indexes (leaf first), values, and labels whose
 * key, str and num_unit are string-table indexes of this profile.
 */
void builder_sample(struct profile_builder *b, const uint32_t *locations, size_t nlocations,
		    const int64_t *values, size_t nvalues, const struct label *labels, size_t nlabels);
/* Sets the sample types from (type, unit) string pairs. */
void builder_sample_types(struct profile_builder *b, const struct value_type *types, size_t n);
/*
 * Copies src's header: sample types, default sample type, period type and
 * period, time, duration, comments, drop_frames and keep_frames.
 */
void builder_copy_header(struct profile_builder *b, const struct profile *src);
/* A label of src with its strings interned in the profile being built. */
struct label builder_copy_label(struct profile_builder *b, const struct profile *src, const struct label *l);
/*
 * Adds sample s of profile src with the given location indexes (of this
 * profile, leaf first), its values, and its labels copied.
 */
void builder_copy_sample(struct profile_builder *b, const struct profile *src, const struct sample *s,
			 const uint32_t *locations, size_t nlocations);
/*
 * Copies all of src's mappings, functions and locations, in order, into
 * a builder whose tables are still empty, so that mapping and location
 * index i name the copies of src's entries i (functions are merged where
 * identical).  With first_line, location
 * i keeps only its lines from first_line[i] on.
 */
void builder_copy_tables(struct profile_builder *b, const struct profile *src, const uint32_t *first_line);
/* Hands the samples to the profile and indexes it; the builder is then empty. */
void builder_finish(struct profile_builder *b);

#endif
