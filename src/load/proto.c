#include "load/proto.h"

#include <libdeflate.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile.pb-c.h"
#include "profile/scan.h"
#include "profile/wire.h"
#include "util/parallel.h"

int is_gzip(const uint8_t *data, size_t len)
{
	return len >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

/* The size the last gzip member records for itself, as a first guess. */
static size_t gzip_size_hint(const uint8_t *data, size_t len)
{
	if (len < 18)
		return 4096;
	const uint8_t *t = data + len - 4;
	size_t isize = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
	size_t cap = len * 1032;	/* deflate's best ratio */
	if (isize < len || isize > cap)
		isize = len * 4;
	return isize + 1;
}

/*
 * The fast path: libdeflate inflates whole members at once, several times
 * faster than zlib.  Returns false on any failure, which zlib's path then
 * reports in Go's words.
 */
static bool gunzip_fast(const uint8_t *data, size_t len, uint8_t **out, size_t *out_len)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	if (!d)
		return false;
	size_t cap = gzip_size_hint(data, len), n = 0, consumed = 0;
	uint8_t *buf = xmalloc(cap);
	bool ok = true;
	struct prefault pf;
	prefault_start(&pf, buf, cap);
	while (ok && consumed < len) {
		size_t in_used, produced;
		enum libdeflate_result rc = libdeflate_gzip_decompress_ex(d, data + consumed, len - consumed, buf + n,
									  cap - n, &in_used, &produced);
		if (rc == LIBDEFLATE_INSUFFICIENT_SPACE) {
			prefault_finish(&pf);
			cap *= 2;
			buf = xrealloc(buf, cap);
			continue;
		}
		ok = rc == LIBDEFLATE_SUCCESS && (consumed + in_used == len || is_gzip(data + consumed + in_used,
											len - consumed - in_used));
		consumed += in_used;
		n += produced;
	}
	prefault_finish(&pf);
	libdeflate_free_decompressor(d);
	if (!ok) {
		free(buf);
		return false;
	}
	*out = buf;
	*out_len = n;
	return true;
}

int gunzip(const uint8_t *data, size_t len, uint8_t **out, size_t *out_len, struct error *e)
{
	if (gunzip_fast(data, len, out, out_len))
		return 0;
	size_t cap = gzip_size_hint(data, len), n = 0;
	uint8_t *buf = xmalloc(cap);
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK) {
		free(buf);
		return error_set(e, "decompressing profile: %s", "zlib initialisation failed");
	}
	z.next_in = (Bytef *)data;
	const char *err = NULL;
	size_t consumed = 0;
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		size_t in_left = len - consumed;
		size_t out_left = cap - n;
		z.avail_in = in_left > UINT32_MAX ? UINT32_MAX : (uInt)in_left;
		z.avail_out = out_left > UINT32_MAX ? UINT32_MAX : (uInt)out_left;
		z.next_out = buf + n;
		uInt avail_in = z.avail_in, avail_out = z.avail_out;
		int rc = inflate(&z, Z_NO_FLUSH);
		consumed += avail_in - z.avail_in;
		n += avail_out - z.avail_out;
		if (rc == Z_STREAM_END) {
			if (consumed == len)
				break;
			/* Another member follows, as gzip allows. */
			if (!is_gzip(data + consumed, len - consumed)) {
				err = "gzip: invalid header";
				break;
			}
			inflateReset(&z);
			continue;
		}
		if (rc == Z_BUF_ERROR || (rc == Z_OK && consumed == len && z.avail_out != 0)) {
			if (consumed == len) {
				err = "unexpected EOF";
				break;
			}
			continue;
		}
		if (rc == Z_DATA_ERROR) {
			if (z.msg && strstr(z.msg, "incorrect data check"))
				err = "gzip: invalid checksum";
			else if (z.msg && strstr(z.msg, "header"))
				err = "gzip: invalid header";
			else
				err = "flate: corrupt input";
			break;
		}
		if (rc != Z_OK) {
			err = "flate: corrupt input";
			break;
		}
	}
	inflateEnd(&z);
	if (err) {
		free(buf);
		return error_set(e, "decompressing profile: %s", err);
	}
	*out = buf;
	*out_len = n;
	return 0;
}

/*
 * Go writes profiles gzipped at the default level; so does cpprof, with
 * libdeflate's equivalent level, several times faster than zlib's.
 */
int gzip_compress(const uint8_t *data, size_t len, struct strbuf *out, struct error *e)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
	if (!c)
		return error_set(e, "compressing profile: %s", "out of memory");
	size_t bound = libdeflate_gzip_compress_bound(c, len);
	strbuf_grow(out, bound);
	size_t n = libdeflate_gzip_compress(c, data, len, out->buf + out->len, bound);
	libdeflate_free_compressor(c);
	if (n == 0)
		return error_set(e, "compressing profile: %s", "deflate failed");
	out->len += n;
	out->buf[out->len] = '\0';
	return 0;
}

/* protobuf-c allocations for the small tables come from the profile's arena. */
static void *arena_pb_alloc(void *data, size_t size)
{
	return arena_alloc(data, size);
}

static void arena_pb_free(void *data, void *ptr)
{
	(void)data;
	(void)ptr;
}

/* Growable arrays of the unpacked messages, before they are resolved. */
struct raw_tables {
	Perftools__Profiles__ValueType **sample_types;
	size_t nsample_types, sample_types_cap;
	Perftools__Profiles__Mapping **mappings;
	size_t nmappings, mappings_cap;
	Perftools__Profiles__Location **locations;
	size_t nlocations, locations_cap;
	Perftools__Profiles__Function **functions;
	size_t nfunctions, functions_cap;
	struct str_ref { const uint8_t *p; uint32_t len; } *str;
	size_t nstrings, strings_cap;
	int64_t *comments;
	size_t ncomments, comments_cap;
	Perftools__Profiles__ValueType *period_type;
	int64_t drop_frames, keep_frames, default_sample_type;
	int time_seen;
};

static void raw_tables_free(struct raw_tables *t)
{
	free(t->sample_types);
	free(t->mappings);
	free(t->locations);
	free(t->functions);
	free(t->str);
	free(t->comments);
}

#define PUSH(arr, n, cap, v)                                      \
	do {                                                      \
		xgrow((void **)&(arr), &(cap), (n) + 1, sizeof(*(arr))); \
		(arr)[(n)++] = (v);                               \
	} while (0)

static int read_varint_field(struct wire *w, uint32_t type, uint64_t *v)
{
	if (type != WIRE_VARINT)
		return -1;
	return wire_varint(w, v);
}

/* Reads comment (13): repeated int64, packed or not. */
static int read_comments(struct wire *w, uint32_t type, struct raw_tables *t)
{
	uint64_t v;
	if (type == WIRE_VARINT) {
		if (wire_varint(w, &v) < 0)
			return -1;
		PUSH(t->comments, t->ncomments, t->comments_cap, (int64_t)v);
		return 0;
	}
	struct wire sub;
	if (type != WIRE_LEN || wire_sub(w, &sub) < 0)
		return -1;
	while (!wire_done(&sub)) {
		if (wire_varint(&sub, &v) < 0)
			return -1;
		PUSH(t->comments, t->ncomments, t->comments_cap, (int64_t)v);
	}
	return 0;
}

/* Unpacks a length-delimited sub-message with protobuf-c into the arena. */
#define UNPACK(kind, sub, alloc) \
	perftools__profiles__##kind##__unpack(alloc, (size_t)((sub).end - (sub).p), (sub).p)

static int read_message_field(struct profile *p, struct raw_tables *t, uint32_t field,
			      struct wire *sub, ProtobufCAllocator *alloc, const uint8_t *base)
{
	switch (field) {
	case 1: {
		Perftools__Profiles__ValueType *vt = UNPACK(value_type, *sub, alloc);
		if (!vt)
			return -1;
		PUSH(t->sample_types, t->nsample_types, t->sample_types_cap, vt);
		return 0;
	}
	case 2:
		sample_store_add(&p->samples, (uint64_t)(sub->p - base), (uint32_t)(sub->end - sub->p));
		return 0;
	case 3: {
		Perftools__Profiles__Mapping *m = UNPACK(mapping, *sub, alloc);
		if (!m)
			return -1;
		PUSH(t->mappings, t->nmappings, t->mappings_cap, m);
		return 0;
	}
	case 4: {
		Perftools__Profiles__Location *l = UNPACK(location, *sub, alloc);
		if (!l)
			return -1;
		PUSH(t->locations, t->nlocations, t->locations_cap, l);
		return 0;
	}
	case 5: {
		Perftools__Profiles__Function *f = UNPACK(function, *sub, alloc);
		if (!f)
			return -1;
		PUSH(t->functions, t->nfunctions, t->functions_cap, f);
		return 0;
	}
	case 6: {
		struct str_ref ref = { sub->p, (uint32_t)(sub->end - sub->p) };
		PUSH(t->str, t->nstrings, t->strings_cap, ref);
		return 0;
	}
	case 11:
		t->period_type = UNPACK(value_type, *sub, alloc);
		return t->period_type ? 0 : -1;
	default:
		return 0;
	}
}

static int read_scalar_field(struct profile *p, struct raw_tables *t, uint32_t field, uint64_t v)
{
	switch (field) {
	case 7: t->drop_frames = (int64_t)v; break;
	case 8: t->keep_frames = (int64_t)v; break;
	case 9:
		if (t->time_seen)
			return -2;
		t->time_seen = 1;
		p->time_nanos = (int64_t)v;
		break;
	case 10: p->duration_nanos = (int64_t)v; break;
	case 12: p->period = (int64_t)v; break;
	case 14: t->default_sample_type = (int64_t)v; break;
	}
	return 0;
}

/* Walks the top-level fields of Profile; -2 means concatenated profiles. */
static int read_top_level(struct profile *p, struct raw_tables *t, const uint8_t *data, size_t len)
{
	ProtobufCAllocator alloc = { arena_pb_alloc, arena_pb_free, &p->arena };
	struct wire w = wire_init(data, len);
	while (!wire_done(&w)) {
		uint32_t field, type;
		uint64_t v;
		if (wire_key(&w, &field, &type) < 0)
			return -1;
		switch (field) {
		case 1: case 2: case 3: case 4: case 5: case 6: case 11: {
			struct wire sub;
			if (type != WIRE_LEN || wire_sub(&w, &sub) < 0)
				return -1;
			if (read_message_field(p, t, field, &sub, &alloc, data) < 0)
				return -1;
			break;
		}
		case 13:
			if (read_comments(&w, type, t) < 0)
				return -1;
			break;
		case 7: case 8: case 9: case 10: case 12: case 14: case 15: {
			if (read_varint_field(&w, type, &v) < 0)
				return -1;
			int rc = read_scalar_field(p, t, field, v);
			if (rc < 0)
				return rc;
			break;
		}
		default:
			if (wire_skip(&w, type) < 0)
				return -1;
		}
	}
	return 0;
}

/* pprof's getString: an index outside the table makes the profile malformed. */
static int get_string(const struct profile *p, int64_t i, const char **out)
{
	const char *s = profile_string(p, i);
	if (!s)
		return -1;
	*out = s;
	return 0;
}

static int build_strings(struct profile *p, const struct raw_tables *t)
{
	p->nstrings = t->nstrings;
	p->strings = arena_array(&p->arena, t->nstrings ? t->nstrings : 1, sizeof(char *));
	for (size_t i = 0; i < t->nstrings; i++)
		p->strings[i] = arena_strndup(&p->arena, (const char *)t->str[i].p, t->str[i].len);
	if (t->nstrings == 0 || p->strings[0][0] != '\0')
		return -1;	/* "string_table[0] must be ''" */
	return 0;
}

/* An id -> index lookup over a table, as pprof resolves ids (last one wins). */
struct id_index {
	struct hmap map;
};

static void id_index_build(struct id_index *ix, size_t n, uint64_t (*id_of)(const void *, size_t),
			   const void *table)
{
	hmap_init(&ix->map, n);
	for (size_t i = 0; i < n; i++) {
		uint64_t id = id_of(table, i);
		if (id == HASH_EMPTY_KEY)
			continue;
		int ins;
		*hmap_put(&ix->map, id, (uint32_t)i, &ins) = (uint32_t)i;
	}
}

static int32_t id_index_get(const struct id_index *ix, uint64_t id)
{
	const uint32_t *v = hmap_get(&ix->map, id);
	return v ? (int32_t)*v : -1;
}

static uint64_t mapping_id(const void *t, size_t i) { return ((const struct mapping *)t)[i].id; }
static uint64_t function_id(const void *t, size_t i) { return ((const struct function *)t)[i].id; }

static int build_mappings(struct profile *p, const struct raw_tables *t)
{
	p->nmappings = t->nmappings;
	p->mappings = arena_array(&p->arena, t->nmappings, sizeof(struct mapping));
	for (size_t i = 0; i < t->nmappings; i++) {
		const Perftools__Profiles__Mapping *r = t->mappings[i];
		struct mapping *m = &p->mappings[i];
		m->id = r->id;
		m->start = r->memory_start;
		m->limit = r->memory_limit;
		m->offset = r->file_offset;
		if (get_string(p, r->filename, &m->file) < 0 || get_string(p, r->build_id, &m->build_id) < 0)
			return -1;
		m->has_functions = r->has_functions;
		m->has_filenames = r->has_filenames;
		m->has_line_numbers = r->has_line_numbers;
		m->has_inline_frames = r->has_inline_frames;
	}
	return 0;
}

static int build_functions(struct profile *p, const struct raw_tables *t)
{
	p->nfunctions = t->nfunctions;
	p->functions = arena_array(&p->arena, t->nfunctions, sizeof(struct function));
	for (size_t i = 0; i < t->nfunctions; i++) {
		const Perftools__Profiles__Function *r = t->functions[i];
		struct function *f = &p->functions[i];
		f->id = r->id;
		if (get_string(p, r->name, &f->name) < 0 ||
		    get_string(p, r->system_name, &f->system_name) < 0 ||
		    get_string(p, r->filename, &f->filename) < 0)
			return -1;
		f->start_line = r->start_line;
	}
	return 0;
}

static void build_locations(struct profile *p, const struct raw_tables *t)
{
	struct id_index mappings, functions;
	id_index_build(&mappings, p->nmappings, mapping_id, p->mappings);
	id_index_build(&functions, p->nfunctions, function_id, p->functions);
	p->nlocations = t->nlocations;
	p->locations = arena_array(&p->arena, t->nlocations, sizeof(struct location));
	for (size_t i = 0; i < t->nlocations; i++) {
		const Perftools__Profiles__Location *r = t->locations[i];
		struct location *l = &p->locations[i];
		l->id = r->id;
		l->mapping = r->mapping_id ? id_index_get(&mappings, r->mapping_id) : -1;
		l->address = r->address;
		l->is_folded = r->is_folded;
		l->nlines = (uint32_t)r->n_line;
		l->lines = arena_array(&p->arena, r->n_line, sizeof(struct line));
		for (size_t j = 0; j < r->n_line; j++) {
			const Perftools__Profiles__Line *rl = r->line[j];
			l->lines[j].function = rl->function_id ? id_index_get(&functions, rl->function_id) : -1;
			l->lines[j].line = rl->line;
			l->lines[j].column = rl->column;
		}
	}
	hmap_free(&mappings.map);
	hmap_free(&functions.map);
	profile_index_locations(p);
}

static int build_header(struct profile *p, const struct raw_tables *t)
{
	p->nsample_types = t->nsample_types;
	p->sample_types = arena_array(&p->arena, t->nsample_types, sizeof(struct value_type));
	for (size_t i = 0; i < t->nsample_types; i++) {
		if (get_string(p, t->sample_types[i]->type, &p->sample_types[i].type) < 0 ||
		    get_string(p, t->sample_types[i]->unit, &p->sample_types[i].unit) < 0)
			return -1;
	}
	if (t->period_type &&
	    (get_string(p, t->period_type->type, &p->period_type.type) < 0 ||
	     get_string(p, t->period_type->unit, &p->period_type.unit) < 0))
		return -1;
	p->has_period_type = t->period_type != NULL;
	p->ncomments = t->ncomments;
	p->comments = arena_array(&p->arena, t->ncomments, sizeof(char *));
	for (size_t i = 0; i < t->ncomments; i++)
		if (get_string(p, t->comments[i], &p->comments[i]) < 0)
			return -1;
	if (get_string(p, t->drop_frames, &p->drop_frames) < 0 ||
	    get_string(p, t->keep_frames, &p->keep_frames) < 0 ||
	    get_string(p, t->default_sample_type, &p->default_sample_type) < 0)
		return -1;
	return 0;
}

int proto_decode(uint8_t **bufp, size_t len, struct profile *p, struct error *e)
{
	struct raw_tables t;
	memset(&t, 0, sizeof(t));
	if (len == 0)
		return error_set(e, "empty input file");
	p->samples.data = *bufp;
	int rc = read_top_level(p, &t, *bufp, len);
	if (rc == -2) {
		raw_tables_free(&t);
		return error_set(e, "concatenated profiles detected");
	}
	if (rc == 0)
		rc = build_strings(p, &t);
	if (rc == 0)
		rc = build_mappings(p, &t);
	if (rc == 0)
		rc = build_functions(p, &t);
	if (rc == 0) {
		build_locations(p, &t);
		rc = build_header(p, &t);
	}
	raw_tables_free(&t);
	if (rc < 0)
		return error_set(e, "malformed profile format");
	p->samples.owned_data = *bufp;
	*bufp = NULL;
	return 0;
}

/* The first CheckValid complaint about sample s, or NULL. */
static const char *sample_problem(const struct profile *p, const struct sample *s, struct error *e)
{
	if (s->nvalues != p->nsample_types) {
		error_set(e, "mismatch: sample has %zu values vs. %zu types", s->nvalues, p->nsample_types);
		return e->msg.buf;
	}
	for (size_t j = 0; j < s->nlocations; j++)
		if (s->locations[j] == UINT32_MAX)
			return "sample has nil location";
	return NULL;
}

/* One range's share of the sample checks, which scan each sample's values and labels as they go. */
struct sample_scan {
	const struct profile *p;
	struct scan_part *scan;
	size_t first_invalid;	/* lowest sample failing CheckValid, or SIZE_MAX */
	bool malformed;		/* some sample failed to decode */
};

static void scan_samples(void *arg)
{
	struct sample_scan *sc = arg;
	struct sample_buf buf = { 0 };
	struct sample s;
	sc->first_invalid = SIZE_MAX;
	for (size_t i = sc->scan->begin; i < sc->scan->end; i++) {
		enum sample_fault f = sample_check(sc->p, i, &s, &buf);
		if (f == SAMPLE_MALFORMED) {
			sc->malformed = true;
			break;
		}
		if (f == SAMPLE_INVALID && sc->first_invalid == SIZE_MAX)
			sc->first_invalid = i;
		scan_add(sc->scan, i, &s);
	}
	sample_buf_free(&buf);
}

/* Why the first sample failing CheckValid fails. */
static int report_invalid(const struct profile *p, size_t bad, struct error *e)
{
	struct sample_buf buf = { 0 };
	struct sample s;
	struct error why = ERROR_INIT;
	sample_decode(p, bad, &s, &buf);
	error_set(e, "%s", sample_problem(p, &s, &why));
	sample_buf_free(&buf);
	error_clear(&why);
	return -1;
}

/*
 * pprof's two checks of the samples: decoding (string indexes of labels,
 * -2) fails the whole profile before CheckValid (-1) reports the first
 * invalid sample.  Large profiles are checked a range per core.  A
 * profile that passes keeps the scan of its samples the check made.
 */
static int check_samples(struct profile *p, struct error *e)
{
	size_t bounds[PARALLEL_MAX + 1];
	size_t nranges = parallel_ranges(p->samples.count, bounds);
	struct scan_part parts[PARALLEL_MAX];
	struct sample_scan scans[PARALLEL_MAX];
	struct profile_scan *scan = xmalloc(sizeof(*scan));
	scan_begin(scan, p, parts, bounds, nranges);
	for (size_t r = 0; r < nranges; r++)
		scans[r] = (struct sample_scan){ p, &parts[r], SIZE_MAX, false };
	parallel_run(scan_samples, scans, sizeof(scans[0]), nranges);
	scan_end(scan, parts, nranges);

	int rc = 0;
	size_t bad = SIZE_MAX;
	for (size_t r = 0; r < nranges && rc == 0; r++) {
		if (scans[r].malformed) {
			error_set(e, "malformed profile format");
			rc = -2;
		} else if (bad == SIZE_MAX) {
			bad = scans[r].first_invalid;
		}
	}
	if (rc == 0 && bad != SIZE_MAX)
		rc = report_invalid(p, bad, e);
	if (rc < 0) {
		scan_free(scan);
		free(scan);
		return rc;
	}
	profile_forget_scan(p);
	p->scan = scan;
	return 0;
}

/* Reports the first duplicate or reserved id of a table, as pprof words it. */
static int check_ids(size_t n, uint64_t (*id_of)(const void *, size_t), const void *table,
		     const char *kind, const char *zero_word, struct error *e)
{
	struct hmap seen;
	int rc = 0;
	hmap_init(&seen, n);
	for (size_t i = 0; i < n && rc == 0; i++) {
		uint64_t id = id_of(table, i);
		int ins = 1;
		if (id == 0)
			rc = error_set(e, "found %s with reserved %s=0", kind, zero_word);
		else if (id != HASH_EMPTY_KEY)
			hmap_put(&seen, id, 0, &ins);
		if (rc == 0 && !ins)
			rc = error_set(e, "multiple %ss with same id: %llu", kind, (unsigned long long)id);
	}
	hmap_free(&seen);
	return rc;
}

static uint64_t location_id(const void *t, size_t i) { return ((const struct location *)t)[i].id; }

int profile_validate(struct profile *p, struct error *e)
{
	if (p->nsample_types == 0 && p->samples.count != 0)
		return error_set(e, "missing sample type information");
	int rc = check_samples(p, e);
	if (rc < 0)
		return rc;
	if (check_ids(p->nmappings, mapping_id, p->mappings, "mapping", "ID", e) < 0 ||
	    check_ids(p->nfunctions, function_id, p->functions, "function", "ID", e) < 0 ||
	    check_ids(p->nlocations, location_id, p->locations, "location", "id", e) < 0)
		return -1;
	for (size_t i = 0; i < p->nlocations; i++) {
		const struct location *l = &p->locations[i];
		for (uint32_t j = 0; j < l->nlines; j++)
			if (l->lines[j].function < 0)
				return error_set(e, "location id: %llu has a line with nil function",
						 (unsigned long long)l->id);
	}
	return 0;
}
