#include "profile/profile.h"

#include <stdlib.h>
#include <string.h>

#include "profile/scan.h"
#include "profile/wire.h"
#include "util/path.h"

void profile_init(struct profile *p)
{
	memset(p, 0, sizeof(*p));
	arena_init(&p->arena);
	p->period_type.type = "";
	p->period_type.unit = "";
	p->default_sample_type = "";
	p->drop_frames = "";
	p->keep_frames = "";
}

void profile_free(struct profile *p)
{
	profile_forget_scan(p);
	sample_store_free(&p->samples);
	free(p->location_dense);
	if (p->location_sparse.keys)
		hmap_free(&p->location_sparse);
	arena_free(&p->arena);
	memset(p, 0, sizeof(*p));
}

void profile_forget_scan(struct profile *p)
{
	if (p->scan) {
		scan_free(p->scan);
		free(p->scan);
		p->scan = NULL;
	}
}

bool mapping_unsymbolizable(const struct mapping *m)
{
	const char *base = path_base(m->file);
	return base[0] == '[' || !strncmp(base, "linux-vdso", 10) || !strncmp(m->file, "/dev/dri/", 9) ||
	       !strncmp(m->file, "//anon", 6) || !strncmp(m->file, "memfd:", 6);
}

const char *profile_string(const struct profile *p, int64_t i)
{
	if (i < 0 || (uint64_t)i >= p->nstrings)
		return NULL;
	return p->strings[i];
}

void profile_index_locations(struct profile *p)
{
	free(p->location_dense);
	if (p->location_sparse.keys)
		hmap_free(&p->location_sparse);
	p->location_dense_len = p->nlocations + 1;
	p->location_dense = xmalloc(p->location_dense_len * sizeof(int32_t));
	for (size_t i = 0; i < p->location_dense_len; i++)
		p->location_dense[i] = -1;
	hmap_init(&p->location_sparse, 0);
	size_t dense_ids = 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		uint64_t id = p->locations[i].id;
		if (id < p->location_dense_len) {
			dense_ids += id > 0 && p->location_dense[id] < 0;
			p->location_dense[id] = (int32_t)i;
		} else if (id != HASH_EMPTY_KEY) {
			int ins;
			*hmap_put(&p->location_sparse, id, (uint32_t)i, &ins) = (uint32_t)i;
		}
	}
	p->location_ids_dense = dense_ids == p->location_dense_len - 1;
}

int32_t profile_location_index(const struct profile *p, uint64_t id)
{
	if (id < p->location_dense_len)
		return p->location_dense[id];
	if (id == HASH_EMPTY_KEY)
		return -1;
	const uint32_t *v = hmap_get(&p->location_sparse, id);
	return v ? (int32_t)*v : -1;
}

static int decode_label(struct wire *w, struct label *l)
{
	memset(l, 0, sizeof(*l));
	while (!wire_done(w)) {
		uint32_t field, type;
		uint64_t v;
		if (wire_key(w, &field, &type) < 0)
			return -1;
		if (type != WIRE_VARINT || field < 1 || field > 4) {
			if (wire_skip(w, type) < 0)
				return -1;
			continue;
		}
		if (wire_varint(w, &v) < 0)
			return -1;
		switch (field) {
		case 1: l->key = (int64_t)v; break;
		case 2: l->str = (int64_t)v; break;
		case 3: l->num = (int64_t)v; break;
		case 4: l->num_unit = (int64_t)v; break;
		}
	}
	return 0;
}

static inline uint32_t location_index(const struct profile *p, uint64_t id)
{
	int32_t idx = id < p->location_dense_len ? p->location_dense[id] : profile_location_index(p, id);
	return idx < 0 ? UINT32_MAX : (uint32_t)idx;
}

/* Room for `more` further elements in a decode array. */
#define RESERVE(arr, cap, n, more)                                                \
	do {                                                                      \
		if ((n) + (more) > (cap))                                         \
			xgrow((void **)&(arr), &(cap), (n) + (more), sizeof(*(arr))); \
	} while (0)

/* The varints of a location_id (1) or value (2) field: a packed run, or the one varint. */
static int scalar_run(struct wire *w, uint32_t type, struct wire *run)
{
	if (type == WIRE_VARINT) {
		uint64_t v;
		*run = *w;
		if (wire_varint(w, &v) < 0)
			return -1;
		run->end = w->p;
		return 0;
	}
	return type == WIRE_LEN ? wire_sub(w, run) : -1;
}

/* Reads location_id (1) or value (2), packed or not. */
static int decode_scalars(const struct profile *p, struct wire *w, uint32_t field, uint32_t type,
			  struct sample_buf *b, size_t *nloc, size_t *nval)
{
	uint64_t v;
	struct wire packed;
	if (scalar_run(w, type, &packed) < 0)
		return -1;
	/* A packed run of n bytes holds at most n varints. */
	size_t most = (size_t)(packed.end - packed.p);
	if (field == 1) {
		RESERVE(b->locations, b->locations_cap, *nloc, most);
		uint32_t *out = b->locations + *nloc;
		/* the hottest loop of a large profile: keep the table in registers */
		const int32_t *dense = p->location_dense;
		uint64_t dense_len = p->location_dense_len;
		while (!wire_done(&packed)) {
			if (wire_varint(&packed, &v) < 0)
				return -1;
			int32_t idx = v < dense_len ? dense[v] : profile_location_index(p, v);
			*out++ = idx < 0 ? UINT32_MAX : (uint32_t)idx;
		}
		*nloc = (size_t)(out - b->locations);
	} else {
		RESERVE(b->values, b->values_cap, *nval, most);
		int64_t *out = b->values + *nval;
		while (!wire_done(&packed)) {
			if (wire_varint(&packed, &v) < 0)
				return -1;
			*out++ = (int64_t)v;
		}
		*nval = (size_t)(out - b->values);
	}
	return 0;
}

enum { WANT_LOCATIONS = 1, WANT_VALUES = 2, WANT_LABELS = 4 };

/* Decodes the fields of sample i that want names; skips the others unread. */
static int decode_sample(const struct profile *p, size_t i, unsigned want, struct sample *s, struct sample_buf *b)
{
	const struct sample_store *st = &p->samples;
	struct wire w = wire_init(st->data + st->offset[i], st->length[i]);
	size_t nloc = 0, nval = 0, nlab = 0;

	while (!wire_done(&w)) {
		uint32_t field, type;
		if (wire_key(&w, &field, &type) < 0)
			return -1;
		if ((field == 1 && (want & WANT_LOCATIONS)) || (field == 2 && (want & WANT_VALUES))) {
			if (decode_scalars(p, &w, field, type, b, &nloc, &nval) < 0)
				return -1;
		} else if (field == 3 && type == WIRE_LEN && (want & WANT_LABELS)) {
			struct wire sub;
			if (wire_sub(&w, &sub) < 0)
				return -1;
			RESERVE(b->labels, b->labels_cap, nlab, 1);
			if (decode_label(&sub, &b->labels[nlab]) < 0)
				return -1;
			nlab++;
		} else if (wire_skip(&w, type) < 0) {
			return -1;
		}
	}
	s->locations = want & WANT_LOCATIONS ? b->locations : NULL;
	s->nlocations = nloc;
	s->values = b->values;
	s->nvalues = nval;
	s->labels = b->labels;
	s->nlabels = nlab;
	return 0;
}

/* A label's string indexes are in range, as pprof's decoder requires. */
static bool label_strings_valid(const struct profile *p, const struct label *l)
{
	if (!profile_string(p, l->key))
		return false;
	if (l->str != 0)
		return profile_string(p, l->str) != NULL;
	return l->num_unit == 0 || profile_string(p, l->num_unit) != NULL;
}

/* Notes in *unknown whether some location id of a run names no location. */
static int check_locations(const struct profile *p, struct wire *run, bool *unknown)
{
	uint64_t v;
	if (p->location_ids_dense) {
		/* every id from 1 up names a location: the run's extremes tell */
		uint64_t lo = UINT64_MAX, hi = 0;
		while (!wire_done(run)) {
			if (wire_varint(run, &v) < 0)
				return -1;
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		*unknown |= lo == 0 || hi >= p->location_dense_len;	/* an empty run has neither */
		return 0;
	}
	while (!wire_done(run)) {
		if (wire_varint(run, &v) < 0)
			return -1;
		*unknown |= location_index(p, v) == UINT32_MAX;
	}
	return 0;
}

/* Appends a run of values to b->values[*n...]. */
static int read_values(struct wire *run, struct sample_buf *b, size_t *n)
{
	uint64_t v;
	RESERVE(b->values, b->values_cap, *n, (size_t)(run->end - run->p));
	while (!wire_done(run)) {
		if (wire_varint(run, &v) < 0)
			return -1;
		b->values[(*n)++] = (int64_t)v;
	}
	return 0;
}

enum sample_fault sample_check(const struct profile *p, size_t i, struct sample *s, struct sample_buf *b)
{
	const struct sample_store *st = &p->samples;
	struct wire w = wire_init(st->data + st->offset[i], st->length[i]);
	size_t nval = 0, nlab = 0;
	bool unknown = false;
	while (!wire_done(&w)) {
		uint32_t field, type;
		struct wire sub;
		if (wire_key(&w, &field, &type) < 0)
			return SAMPLE_MALFORMED;
		if (field == 1 || field == 2) {
			if (scalar_run(&w, type, &sub) < 0 ||
			    (field == 1 ? check_locations(p, &sub, &unknown) : read_values(&sub, b, &nval)) < 0)
				return SAMPLE_MALFORMED;
		} else if (field == 3 && type == WIRE_LEN) {
			RESERVE(b->labels, b->labels_cap, nlab, 1);
			struct label *l = &b->labels[nlab++];
			if (wire_sub(&w, &sub) < 0 || decode_label(&sub, l) < 0 || !label_strings_valid(p, l))
				return SAMPLE_MALFORMED;
		} else if (wire_skip(&w, type) < 0) {
			return SAMPLE_MALFORMED;
		}
	}
	*s = (struct sample){ NULL, 0, b->values, nval, b->labels, nlab };
	return nval != p->nsample_types || unknown ? SAMPLE_INVALID : SAMPLE_OK;
}

int sample_decode(const struct profile *p, size_t i, struct sample *s, struct sample_buf *b)
{
	return decode_sample(p, i, WANT_LOCATIONS | WANT_VALUES | WANT_LABELS, s, b);
}

const int64_t *sample_values(const struct profile *p, size_t i, struct sample_buf *b)
{
	struct sample s;
	return decode_sample(p, i, WANT_VALUES, &s, b) < 0 ? NULL : s.values;
}

int sample_decode_labels(const struct profile *p, size_t i, struct sample *s, struct sample_buf *b)
{
	return decode_sample(p, i, WANT_VALUES | WANT_LABELS, s, b);
}

int sample_labels(const struct profile *p, size_t i, struct sample_buf *b, const struct label **labels,
		  size_t *n)
{
	struct sample s;
	if (decode_sample(p, i, WANT_LABELS, &s, b) < 0)
		return -1;
	*labels = s.labels;
	*n = s.nlabels;
	return 0;
}

bool sample_has_locations(const struct profile *p, size_t i)
{
	const struct sample_store *st = &p->samples;
	struct wire w = wire_init(st->data + st->offset[i], st->length[i]);
	while (!wire_done(&w)) {
		uint32_t field, type;
		struct wire sub;
		if (wire_key(&w, &field, &type) < 0)
			return false;
		if (field == 1 && type == WIRE_LEN) {
			if (wire_sub(&w, &sub) < 0)
				return false;
			if (!wire_done(&sub))
				return true;
		} else if (field == 1) {
			return true;
		} else if (wire_skip(&w, type) < 0) {
			return false;
		}
	}
	return false;
}

void sample_buf_free(struct sample_buf *b)
{
	free(b->locations);
	free(b->values);
	free(b->labels);
	memset(b, 0, sizeof(*b));
}

void sample_store_add(struct sample_store *st, uint64_t offset, uint32_t length)
{
	if (st->count == st->cap) {
		size_t cap = st->cap;
		xgrow((void **)&st->offset, &cap, st->count + 1, sizeof(*st->offset));
		cap = st->cap;
		xgrow((void **)&st->length, &cap, st->count + 1, sizeof(*st->length));
		st->cap = cap;
	}
	st->offset[st->count] = offset;
	st->length[st->count] = length;
	st->count++;
}

void sample_store_free(struct sample_store *st)
{
	free(st->offset);
	free(st->length);
	free(st->owned_data);
	memset(st, 0, sizeof(*st));
}
