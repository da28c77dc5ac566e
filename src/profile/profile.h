/*
 * profile.h - the loaded profile: an immutable model of profile.proto.
 *
 * A struct profile owns everything it points to through its arena (tables,
 * strings) and its sample store (the encoded samples).  Once loaded and
 * symbolized it is never changed: every report builds its own structures
 * from it, so the same profile serves any number of reports.
 *
 * Samples are kept in their protobuf wire encoding (the Sample message of
 * profile.proto) and decoded on the fly by sample_decode(): a profile with
 * millions of samples costs little more than its encoded size.  Location,
 * function and mapping references inside the model are indexes into the
 * profile's tables (-1 where the id named nothing), never protobuf ids;
 * sample_decode() turns a sample's location ids into such indexes.
 */
#ifndef CPPROF_PROFILE_H
#define CPPROF_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/hash.h"

struct profile_scan;

struct value_type {
	const char *type;
	const char *unit;
};

struct mapping {
	uint64_t id;
	uint64_t start, limit, offset;
	const char *file;
	const char *build_id;
	bool has_functions, has_filenames, has_line_numbers, has_inline_frames;
};

struct function {
	uint64_t id;
	const char *name;
	const char *system_name;
	const char *filename;
	int64_t start_line;
};

/* One frame of a location; several mean inlined calls, innermost first. */
struct line {
	int32_t function;	/* index into profile.functions, -1 if none */
	int64_t line;
	int64_t column;
};

struct location {
	uint64_t id;
	int32_t mapping;	/* index into profile.mappings, -1 if none */
	uint64_t address;
	struct line *lines;
	uint32_t nlines;
	bool is_folded;
};

/* A label as encoded: string-table indexes, or num with num_unit. */
struct label {
	int64_t key;
	int64_t str;
	int64_t num;
	int64_t num_unit;
};

/* Encoded samples: sample i is bytes [offset[i], offset[i] + length[i]) of data. */
struct sample_store {
	const uint8_t *data;
	uint64_t *offset;
	uint32_t *length;
	size_t count;
	size_t cap;
	void *owned_data;	/* freed with the store; may be NULL */
};

struct profile {
	struct arena arena;

	const char **strings;	/* the string table, NUL-terminated copies */
	size_t nstrings;

	struct value_type *sample_types;
	size_t nsample_types;
	const char *default_sample_type;
	struct value_type period_type;
	bool has_period_type;	/* the message had one, maybe empty */
	int64_t period;
	int64_t time_nanos;
	int64_t duration_nanos;
	const char **comments;
	size_t ncomments;
	const char *drop_frames;
	const char *keep_frames;

	struct mapping *mappings;
	size_t nmappings;
	struct function *functions;
	size_t nfunctions;
	struct location *locations;
	size_t nlocations;

	struct sample_store samples;

	/* location id -> index: dense below location_dense_len, else hashed */
	int32_t *location_dense;
	size_t location_dense_len;
	bool location_ids_dense;	/* every id from 1 to location_dense_len - 1 is one */
	struct hmap location_sparse;

	/*
	 * The scan of the samples (profile/scan.h), made by the load's check
	 * as it reads them; NULL where the profile was built otherwise.
	 * Owned; valid as long as the samples do not change.
	 */
	struct profile_scan *scan;
};

/* A decoded sample; the arrays belong to the sample_buf that decoded it. */
struct sample {
	const uint32_t *locations;	/* location indexes, leaf first */
	size_t nlocations;
	const int64_t *values;
	size_t nvalues;
	const struct label *labels;
	size_t nlabels;
};

/* Reusable storage for decoding samples one after another. */
struct sample_buf {
	uint32_t *locations;
	size_t locations_cap;
	int64_t *values;
	size_t values_cap;
	struct label *labels;
	size_t labels_cap;
};

void profile_init(struct profile *p);
void profile_free(struct profile *p);
/* Drops the profile's scan, if any. */
void profile_forget_scan(struct profile *p);

/* Index of the location with this id, or -1. */
int32_t profile_location_index(const struct profile *p, uint64_t id);
/* Builds the id -> index table of locations; call once the table is final. */
void profile_index_locations(struct profile *p);

/*
 * pprof's Mapping.Unsymbolizable, with the names newer pprof added: kernel
 * and vdso mappings, GPU memory, anonymous and memfd regions.
 */
bool mapping_unsymbolizable(const struct mapping *m);

/* The string at index i of the string table, or NULL if out of range. */
const char *profile_string(const struct profile *p, int64_t i);

/*
 * Decodes sample i.  Location ids that name no location decode as
 * UINT32_MAX (profile_validate rejects such profiles).  Returns 0, or -1
 * if the encoding is malformed.
 */
int sample_decode(const struct profile *p, size_t i, struct sample *s, struct sample_buf *buf);
void sample_buf_free(struct sample_buf *buf);
/* Only the values of sample i (in buf), or NULL if malformed; skips the rest cheaply. */
const int64_t *sample_values(const struct profile *p, size_t i, struct sample_buf *buf);
/* Only the labels of sample i (in buf); returns 0, or -1 if malformed. */
int sample_labels(const struct profile *p, size_t i, struct sample_buf *buf, const struct label **labels,
		  size_t *n);

/*
 * Sample i without its locations (nlocations 0), which are skipped:
 * cheaper than sample_decode() where values and labels suffice.
 * Returns 0, or -1 if malformed.
 */
int sample_decode_labels(const struct profile *p, size_t i, struct sample *s, struct sample_buf *buf);

/* What sample_check() finds wrong with a sample. */
enum sample_fault {
	SAMPLE_OK,
	SAMPLE_INVALID,		/* pprof's CheckValid fails: values or locations */
	SAMPLE_MALFORMED,	/* pprof's decoder fails: encoding, label strings */
};

/*
 * Checks sample i: SAMPLE_MALFORMED if its encoding or a label's string
 * index is bad, SAMPLE_INVALID if its number of values differs from the
 * sample types' or it names no location, else SAMPLE_OK.  Leaves its
 * values and labels in s (in b), its locations unread (nlocations 0).
 */
enum sample_fault sample_check(const struct profile *p, size_t i, struct sample *s, struct sample_buf *b);

/* True if sample i has at least one location. */
bool sample_has_locations(const struct profile *p, size_t i);

/* Appends one encoded sample to the store (the bytes must stay valid). */
void sample_store_add(struct sample_store *st, uint64_t offset, uint32_t length);
void sample_store_free(struct sample_store *st);

#endif
