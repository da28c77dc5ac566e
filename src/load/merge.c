#include "load/merge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "profile/builder.h"
#include "util/arena.h"
#include "util/hash.h"
#include "util/units.h"

#define NONE UINT32_MAX
#define UNMAPPED (-2)	/* a source entry not mapped into the output yet */

/* ---- Units and headers (measurement.ScaleProfiles, combineHeaders) ---- */

static void format_value_type(struct strbuf *sb, const struct value_type *t)
{
	strbuf_addf(sb, "{%s %s 0 0}", t->type, t->unit);
}

/* pprof's compatibleValueTypes: types equal but for a plural s, units of one family. */
static bool compatible_types(const struct value_type *a, const struct value_type *b)
{
	size_t la = strlen(a->type), lb = strlen(b->type);
	if (la && a->type[la - 1] == 's')
		la--;
	if (lb && b->type[lb - 1] == 's')
		lb--;
	if (la != lb || strncmp(a->type, b->type, la))
		return false;
	return units_compatible(a->unit, b->unit);
}

/*
 * pprof's CommonValueType: the finest of compatible types, or NULL (no
 * scaling) for a single profile.  types[i] is profile i's.
 */
static int common_type(const struct value_type *const *types, size_t n, const struct value_type **common,
		       const char *what, struct error *e)
{
	*common = NULL;
	if (n <= 1)
		return 0;
	const struct value_type *finest = types[0];
	for (size_t i = 1; i < n; i++) {
		if (!compatible_types(finest, types[i])) {
			struct strbuf msg = STRBUF_INIT;
			strbuf_addf(&msg, "%s: incompatible types: ", what);
			format_value_type(&msg, finest);
			strbuf_addch(&msg, ' ');
			format_value_type(&msg, types[i]);
			error_set(e, "%s", msg.buf);
			strbuf_release(&msg);
			return -1;
		}
		const char *unit;
		if (unit_scale(1, types[i]->unit, finest->unit, &unit) < 1)
			finest = types[i];
	}
	*common = finest;
	return 0;
}

/* What ScaleProfiles makes common: the period type and each sample type. */
struct common_units {
	const struct value_type *period;	/* NULL: unchanged */
	const struct value_type **samples;	/* per value; entries NULL: unchanged */
	size_t nvalues;
};

static int common_units(const struct merge_source *src, size_t n, struct common_units *cu, struct error *e)
{
	memset(cu, 0, sizeof(*cu));
	const struct value_type **types = xmalloc((n + 1) * sizeof(*types));
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		types[i] = &src[i].prof->period_type;
	rc = common_type(types, n, &cu->period, "period type", e);
	cu->nvalues = src[0].prof->nsample_types;
	for (size_t i = 1; rc == 0 && i < n; i++)
		if (src[i].prof->nsample_types != cu->nvalues)
			rc = error_set(e, "inconsistent samples type count: %zu != %zu", cu->nvalues,
				       src[i].prof->nsample_types);
	cu->samples = xcalloc(cu->nvalues + 1, sizeof(*cu->samples));
	for (size_t k = 0; rc == 0 && k < cu->nvalues; k++) {
		for (size_t i = 0; i < n; i++)
			types[i] = &src[i].prof->sample_types[k];
		rc = common_type(types, n, &cu->samples[k], "sample types", e);
	}
	free(types);
	return rc;
}

/* A source's value types as scaling leaves them: its own, in the common unit. */
static struct value_type scaled_type(const struct value_type *t, const struct value_type *common)
{
	struct value_type s = { t->type, common ? common->unit : t->unit };
	return s;
}

static void format_sample_types(struct strbuf *sb, const struct profile *p, const struct common_units *cu)
{
	strbuf_addch(sb, '[');
	for (size_t k = 0; k < p->nsample_types; k++) {
		struct value_type t = scaled_type(&p->sample_types[k], k < cu->nvalues ? cu->samples[k] : NULL);
		if (k)
			strbuf_addch(sb, ' ');
		format_value_type(sb, &t);
	}
	strbuf_addch(sb, ']');
}

/* pprof's compatible(), which Merge asks of the scaled profiles: types exactly equal. */
static int check_compatible(const struct merge_source *src, size_t n, const struct common_units *cu,
			    struct error *e)
{
	const struct profile *p0 = src[0].prof;
	struct value_type pt0 = scaled_type(&p0->period_type, cu->period);
	for (size_t i = 1; i < n; i++) {
		const struct profile *p = src[i].prof;
		struct value_type pt = scaled_type(&p->period_type, cu->period);
		if (strcmp(pt0.type, pt.type) || strcmp(pt0.unit, pt.unit)) {
			struct strbuf msg = STRBUF_INIT;
			strbuf_addstr(&msg, "incompatible period types &");
			format_value_type(&msg, &pt0);
			strbuf_addstr(&msg, " and &");
			format_value_type(&msg, &pt);
			error_set(e, "%s", msg.buf);
			strbuf_release(&msg);
			return -1;
		}
		bool same = p->nsample_types == p0->nsample_types;
		for (size_t k = 0; same && k < p->nsample_types; k++) {
			const struct value_type *common = k < cu->nvalues ? cu->samples[k] : NULL;
			struct value_type a = scaled_type(&p0->sample_types[k], common);
			struct value_type b = scaled_type(&p->sample_types[k], common);
			same = !strcmp(a.type, b.type) && !strcmp(a.unit, b.unit);
		}
		if (!same) {
			struct strbuf msg = STRBUF_INIT;
			strbuf_addstr(&msg, "incompatible sample types ");
			format_sample_types(&msg, p0, cu);
			strbuf_addstr(&msg, " and ");
			format_sample_types(&msg, p, cu);
			error_set(e, "%s", msg.buf);
			strbuf_release(&msg);
			return -1;
		}
	}
	return 0;
}

/* pprof's combineHeaders, on the scaled profiles. */
static void combine_headers(struct profile_builder *b, const struct merge_source *src, size_t n,
			    const struct common_units *cu)
{
	struct profile *out = b->p;
	const struct profile *p0 = src[0].prof;
	struct value_type *types = xmalloc((p0->nsample_types + 1) * sizeof(*types));
	for (size_t k = 0; k < p0->nsample_types; k++)
		types[k] = scaled_type(&p0->sample_types[k], cu->samples[k]);
	builder_sample_types(b, types, p0->nsample_types);
	free(types);
	struct value_type pt = scaled_type(&p0->period_type, cu->period);
	out->period_type.type = builder_intern(b, pt.type);
	out->period_type.unit = builder_intern(b, pt.unit);
	out->drop_frames = builder_intern(b, p0->drop_frames);
	out->keep_frames = builder_intern(b, p0->keep_frames);
	const char *default_type = "";
	size_t ncomments = 0;
	for (size_t i = 0; i < n; i++)
		ncomments += src[i].prof->ncomments;
	out->comments = arena_array(&out->arena, ncomments, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const struct profile *p = src[i].prof;
		if (out->time_nanos == 0 || p->time_nanos < out->time_nanos)
			out->time_nanos = p->time_nanos;
		out->duration_nanos += p->duration_nanos;
		int64_t period = p->period;
		if (cu->period) {
			const char *unit;
			period = (int64_t)unit_scale(p->period, p->period_type.unit, cu->period->unit, &unit);
		}
		if (out->period == 0 || out->period < period)
			out->period = period;
		for (size_t c = 0; c < p->ncomments; c++) {
			bool seen = false;
			for (size_t k = 0; k < out->ncomments && !seen; k++)
				seen = !strcmp(out->comments[k], p->comments[c]);
			if (!seen)
				out->comments[out->ncomments++] = builder_intern(b, p->comments[c]);
		}
		if (!*default_type)
			default_type = p->default_sample_type;
	}
	out->default_sample_type = builder_intern(b, default_type);
}

/* ---- Merging ---- */

struct merged_sample {
	size_t locations, labels, values;	/* offsets into the merger's pools */
	uint32_t nlocations, nlabels;
};

/* Where a source's entries went: per source index, the output index (UNMAPPED until used). */
struct source_map {
	int32_t *mapping;
	int64_t *mapping_delta;		/* output start - source start, for addresses */
	int32_t *function;
	int32_t *location;
	int64_t *string;		/* string-table index (-1 until used) */
};

struct merger {
	struct profile_builder b;
	struct profile *out;
	size_t nvalues;
	struct hmap mapping_heads, location_heads, sample_heads;	/* hash -> first index */
	uint32_t *mapping_next, *location_next, *sample_next;		/* chains by index */
	size_t mapping_next_cap, location_next_cap, sample_next_cap;
	struct merged_sample *samples;
	size_t nsamples, samples_cap;
	uint32_t *location_pool;
	size_t nlocation_pool, location_pool_cap;
	struct label *label_pool;
	size_t nlabel_pool, label_pool_cap;
	int64_t *value_pool;
	size_t nvalue_pool, value_pool_cap;
	struct line *lines;		/* scratch */
	size_t lines_cap;
};

static uint64_t nonempty_hash(uint64_t h)
{
	return h == HASH_EMPTY_KEY ? 0 : h;
}

/* Chains: index i's successor among entries of the same hash. */
static uint32_t *chain_head(struct hmap *heads, uint64_t hash)
{
	int inserted;
	return hmap_put(heads, nonempty_hash(hash), NONE, &inserted);
}

static void chain_push(uint32_t **next, size_t *cap, uint32_t *head, uint32_t index)
{
	xgrow((void **)next, cap, index + 1, sizeof(uint32_t));
	(*next)[index] = *head;
	*head = index;
}

/* pprof's Mapping.key: size rounded up to 4 KB, offset, and build id or else file. */
static uint64_t mapping_hash(const struct mapping *m, uint64_t *size, const char **name)
{
	*size = m->limit - m->start + 0xfff;
	*size -= *size % 0x1000;
	*name = *m->build_id ? m->build_id : m->file;
	return hash_bytes(*name, strlen(*name), hash_mix(*size, m->offset));
}

static int32_t map_mapping(struct merger *mg, const struct profile *src, struct source_map *sm, int32_t i)
{
	if (i < 0)
		return -1;
	if (sm->mapping[i] != UNMAPPED)
		return sm->mapping[i];
	const struct mapping *m = &src->mappings[i];
	uint64_t size;
	const char *name;
	uint64_t h = mapping_hash(m, &size, &name);
	uint32_t *head = chain_head(&mg->mapping_heads, h);
	for (uint32_t k = *head; k != NONE; k = mg->mapping_next[k]) {
		const struct mapping *o = &mg->out->mappings[k];
		uint64_t osize;
		const char *oname;
		mapping_hash(o, &osize, &oname);
		if (osize == size && o->offset == m->offset && !strcmp(oname, name)) {
			sm->mapping[i] = (int32_t)k;
			sm->mapping_delta[i] = (int64_t)o->start - (int64_t)m->start;
			return (int32_t)k;
		}
	}
	int32_t k = builder_mapping(&mg->b, m);
	chain_push(&mg->mapping_next, &mg->mapping_next_cap, head, (uint32_t)k);
	sm->mapping[i] = k;
	sm->mapping_delta[i] = 0;
	return k;
}

static int32_t map_function(struct merger *mg, const struct profile *src, struct source_map *sm, int32_t i)
{
	if (i < 0)
		return -1;
	if (sm->function[i] == UNMAPPED) {
		const struct function *f = &src->functions[i];
		sm->function[i] = builder_function(&mg->b, f->name, f->system_name, f->filename, f->start_line);
	}
	return sm->function[i];
}

/* pprof's Location.key: address within the mapping, mapping, lines (function, line), folding. */
static uint64_t location_hash(const struct profile *out, int32_t mapping, uint64_t address, const struct line *lines,
			      uint32_t nlines, bool folded)
{
	uint64_t h = hash_mix(address - (mapping >= 0 ? out->mappings[mapping].start : 0), (uint64_t)(mapping + 1));
	h = hash_mix(h, (uint64_t)folded << 32 | nlines);
	for (uint32_t k = 0; k < nlines; k++)
		h = hash_mix(hash_mix(h, (uint64_t)(lines[k].function + 1)), (uint64_t)lines[k].line);
	return h;
}

static bool same_location(const struct location *o, int32_t mapping, uint64_t address, const struct line *lines,
			  uint32_t nlines, bool folded)
{
	if (o->mapping != mapping || o->address != address || o->is_folded != folded || o->nlines != nlines)
		return false;
	for (uint32_t k = 0; k < nlines; k++)
		if (o->lines[k].function != lines[k].function || o->lines[k].line != lines[k].line)
			return false;
	return true;
}

static uint32_t map_location(struct merger *mg, const struct profile *src, struct source_map *sm, uint32_t i)
{
	if (sm->location[i] != UNMAPPED)
		return (uint32_t)sm->location[i];
	const struct location *l = &src->locations[i];
	int32_t mapping = map_mapping(mg, src, sm, l->mapping);
	uint64_t address = l->address + (uint64_t)(mapping >= 0 ? sm->mapping_delta[l->mapping] : 0);
	xgrow((void **)&mg->lines, &mg->lines_cap, l->nlines + 1, sizeof(struct line));
	for (uint32_t k = 0; k < l->nlines; k++) {
		mg->lines[k] = l->lines[k];
		mg->lines[k].function = map_function(mg, src, sm, l->lines[k].function);
	}
	uint64_t h = location_hash(mg->out, mapping, address, mg->lines, l->nlines, l->is_folded);
	uint32_t *head = chain_head(&mg->location_heads, h);
	for (uint32_t k = *head; k != NONE; k = mg->location_next[k]) {
		if (same_location(&mg->out->locations[k], mapping, address, mg->lines, l->nlines, l->is_folded)) {
			sm->location[i] = (int32_t)k;
			return k;
		}
	}
	int32_t k = builder_location(&mg->b, mapping, address, mg->lines, l->nlines, l->is_folded);
	chain_push(&mg->location_next, &mg->location_next_cap, head, (uint32_t)k);
	sm->location[i] = k;
	return (uint32_t)k;
}

/* A label in its sorted place: pprof keys samples (and writes them) with labels sorted by key. */
struct ordered_label {
	struct label label;
	const char *key;
	size_t position;
};

static int label_order(const void *pa, const void *pb)
{
	const struct ordered_label *a = pa, *b = pb;
	bool a_num = a->label.str == 0, b_num = b->label.str == 0;
	if (a_num != b_num)
		return a_num ? 1 : -1;	/* string labels first */
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	return a->position < b->position ? -1 : 1;
}

/* A source string's index in the output's string table. */
static int64_t map_string(struct merger *mg, const struct profile *src, struct source_map *sm, int64_t i)
{
	if (sm->string[i] < 0)
		sm->string[i] = builder_string(&mg->b, src->strings[i]);
	return sm->string[i];
}

static struct label map_label(struct merger *mg, const struct profile *src, struct source_map *sm,
			      const struct label *l)
{
	struct label out = *l;
	out.key = map_string(mg, src, sm, l->key);
	out.str = l->str ? map_string(mg, src, sm, l->str) : 0;
	out.num_unit = l->num_unit ? map_string(mg, src, sm, l->num_unit) : 0;
	return out;
}

/* Stable: the few labels of a sample need no more than an insertion sort. */
static void sort_labels(struct ordered_label *labels, size_t n)
{
	if (n > 16) {
		qsort(labels, n, sizeof(*labels), label_order);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct ordered_label l = labels[i];
		size_t k = i;
		for (; k > 0 && label_order(&labels[k - 1], &l) > 0; k--)
			labels[k] = labels[k - 1];
		labels[k] = l;
	}
}

/* The sample's labels as the output keeps them: interned, empty ones dropped, the source's label set, sorted. */
static size_t canonical_labels(struct merger *mg, const struct merge_source *src, struct source_map *sm,
			       const struct sample *s, struct ordered_label **scratch, size_t *cap)
{
	struct profile_builder *b = &mg->b;
	size_t n = 0;
	xgrow((void **)scratch, cap, s->nlabels + 2, sizeof(**scratch));
	for (size_t i = 0; i < s->nlabels; i++) {
		const struct label *l = &s->labels[i];
		if (l->str == 0 && l->num == 0 && l->num_unit == 0)
			continue;
		if (src->label_key && l->str != 0 && !strcmp(src->prof->strings[l->key], src->label_key))
			continue;	/* replaced below */
		(*scratch)[n].label = map_label(mg, src->prof, sm, l);
		(*scratch)[n].position = n;
		n++;
	}
	if (src->label_key) {
		struct label set = { builder_string(b, src->label_key), builder_string(b, src->label_value), 0, 0 };
		(*scratch)[n].label = set;
		(*scratch)[n].position = n;
		n++;
	}
	for (size_t i = 0; i < n; i++)
		(*scratch)[i].key = mg->out->strings[(*scratch)[i].label.key];
	sort_labels(*scratch, n);
	return n;
}

/* pprof's ScaleN: scales the values whose ratio is not 1; false if those all end up 0. */
static bool scale_values(int64_t *values, size_t n, const double *ratios)
{
	bool all_ones = true, keep = false;
	for (size_t k = 0; k < n; k++)
		all_ones &= ratios[k] == 1;
	if (all_ones)
		return true;
	for (size_t k = 0; k < n; k++) {
		if (ratios[k] == 1)
			continue;
		values[k] = (int64_t)round((double)values[k] * ratios[k]);
		keep |= values[k] != 0;
	}
	return keep;
}

static bool all_zero(const int64_t *values, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (values[k])
			return false;
	return true;
}

static uint64_t sample_hash(const uint32_t *locations, size_t nloc, const struct ordered_label *labels, size_t nlab)
{
	uint64_t h = hash_mix(nloc, nlab);
	for (size_t k = 0; k < nloc; k++)
		h = hash_mix(h, locations[k]);
	for (size_t k = 0; k < nlab; k++) {
		const struct label *l = &labels[k].label;
		h = hash_mix(hash_mix(h, (uint64_t)l->key), hash_mix((uint64_t)l->str, hash_mix((uint64_t)l->num,
											    (uint64_t)l->num_unit)));
	}
	return h;
}

static bool same_sample(const struct merger *mg, const struct merged_sample *m, const uint32_t *locations,
			size_t nloc, const struct ordered_label *labels, size_t nlab)
{
	if (m->nlocations != nloc || m->nlabels != nlab)
		return false;
	if (memcmp(mg->location_pool + m->locations, locations, nloc * sizeof(uint32_t)))
		return false;
	for (size_t k = 0; k < nlab; k++) {
		const struct label *a = &mg->label_pool[m->labels + k], *b = &labels[k].label;
		if (a->key != b->key || a->str != b->str || a->num != b->num || a->num_unit != b->num_unit)
			return false;
	}
	return true;
}

/* pprof's mapSample: adds the values to an identical sample, or keeps a new one. */
static void add_sample(struct merger *mg, const uint32_t *locations, size_t nloc, const struct ordered_label *labels,
		       size_t nlab, const int64_t *values)
{
	uint32_t *head = chain_head(&mg->sample_heads, sample_hash(locations, nloc, labels, nlab));
	for (uint32_t k = *head; k != NONE; k = mg->sample_next[k]) {
		struct merged_sample *m = &mg->samples[k];
		if (same_sample(mg, m, locations, nloc, labels, nlab)) {
			for (size_t v = 0; v < mg->nvalues; v++)
				mg->value_pool[m->values + v] += values[v];
			return;
		}
	}
	xgrow((void **)&mg->samples, &mg->samples_cap, mg->nsamples + 1, sizeof(*mg->samples));
	struct merged_sample *m = &mg->samples[mg->nsamples];
	m->locations = mg->nlocation_pool;
	m->nlocations = (uint32_t)nloc;
	m->labels = mg->nlabel_pool;
	m->nlabels = (uint32_t)nlab;
	m->values = mg->nvalue_pool;
	xgrow((void **)&mg->location_pool, &mg->location_pool_cap, mg->nlocation_pool + nloc + 1, sizeof(uint32_t));
	memcpy(mg->location_pool + mg->nlocation_pool, locations, nloc * sizeof(uint32_t));
	mg->nlocation_pool += nloc;
	xgrow((void **)&mg->label_pool, &mg->label_pool_cap, mg->nlabel_pool + nlab + 1, sizeof(struct label));
	for (size_t k = 0; k < nlab; k++)
		mg->label_pool[mg->nlabel_pool++] = labels[k].label;
	xgrow((void **)&mg->value_pool, &mg->value_pool_cap, mg->nvalue_pool + mg->nvalues + 1, sizeof(int64_t));
	memcpy(mg->value_pool + mg->nvalue_pool, values, mg->nvalues * sizeof(int64_t));
	mg->nvalue_pool += mg->nvalues;
	chain_push(&mg->sample_next, &mg->sample_next_cap, head, (uint32_t)mg->nsamples);
	mg->nsamples++;
}

static void source_map_init(struct source_map *sm, const struct profile *p)
{
	sm->mapping = xmalloc((p->nmappings + 1) * sizeof(int32_t));
	sm->mapping_delta = xcalloc(p->nmappings + 1, sizeof(int64_t));
	sm->function = xmalloc((p->nfunctions + 1) * sizeof(int32_t));
	sm->location = xmalloc((p->nlocations + 1) * sizeof(int32_t));
	sm->string = xmalloc((p->nstrings + 1) * sizeof(int64_t));
	for (size_t i = 0; i < p->nstrings; i++)
		sm->string[i] = -1;
	for (size_t i = 0; i < p->nmappings; i++)
		sm->mapping[i] = UNMAPPED;
	for (size_t i = 0; i < p->nfunctions; i++)
		sm->function[i] = UNMAPPED;
	for (size_t i = 0; i < p->nlocations; i++)
		sm->location[i] = UNMAPPED;
}

static void source_map_free(struct source_map *sm)
{
	free(sm->mapping);
	free(sm->mapping_delta);
	free(sm->function);
	free(sm->location);
	free(sm->string);
}

/* The ratios ScaleProfiles scales a source's values by to reach the common units. */
static void unit_ratios(const struct profile *p, const struct common_units *cu, double *ratios)
{
	for (size_t k = 0; k < cu->nvalues; k++) {
		const char *unit;
		ratios[k] = cu->samples[k] ? unit_scale(1, p->sample_types[k].unit, cu->samples[k]->unit, &unit) : 1;
	}
}

static void merge_samples(struct merger *mg, const struct merge_source *src, const struct common_units *cu)
{
	const struct profile *p = src->prof;
	struct source_map sm;
	source_map_init(&sm, p);
	if (mg->out->nmappings == 0 && p->nmappings > 0)
		map_mapping(mg, p, &sm, 0);	/* the main binary stays first */
	double *to_common = xmalloc((cu->nvalues + 1) * sizeof(double));
	unit_ratios(p, cu, to_common);
	int64_t *values = xcalloc(mg->nvalues + 1, sizeof(int64_t));
	uint32_t *locations = NULL;
	size_t locations_cap = 0, labels_cap = 0;
	struct ordered_label *labels = NULL;
	struct sample_buf buf = { 0 };
	struct sample s;
	for (size_t i = 0; i < p->samples.count; i++) {
		if (sample_decode(p, i, &s, &buf) < 0)
			continue;	/* validated at load: cannot happen */
		memset(values, 0, mg->nvalues * sizeof(int64_t));
		memcpy(values, s.values, (s.nvalues < mg->nvalues ? s.nvalues : mg->nvalues) * sizeof(int64_t));
		if ((src->ratios && !scale_values(values, mg->nvalues, src->ratios)) ||
		    !scale_values(values, mg->nvalues, to_common) || all_zero(values, mg->nvalues))
			continue;
		xgrow((void **)&locations, &locations_cap, s.nlocations + 1, sizeof(uint32_t));
		for (size_t k = 0; k < s.nlocations; k++)
			locations[k] = map_location(mg, p, &sm, s.locations[k]);
		size_t nlab = canonical_labels(mg, src, &sm, &s, &labels, &labels_cap);
		add_sample(mg, locations, s.nlocations, labels, nlab, values);
	}
	sample_buf_free(&buf);
	free(labels);
	free(locations);
	free(values);
	free(to_common);
	source_map_free(&sm);
}

static void merger_init(struct merger *mg, struct profile *out, size_t nvalues, size_t nsamples)
{
	memset(mg, 0, sizeof(*mg));
	mg->out = out;
	mg->nvalues = nvalues;
	profile_init(out);
	builder_init(&mg->b, out);
	hmap_init(&mg->mapping_heads, 16);
	hmap_init(&mg->location_heads, 1024);
	hmap_init(&mg->sample_heads, nsamples);
}

/* Hands the merged samples to the builder; returns true if some sum to zero. */
static bool emit_samples(struct merger *mg)
{
	bool zeros = false;
	for (size_t i = 0; i < mg->nsamples; i++) {
		const struct merged_sample *m = &mg->samples[i];
		const int64_t *values = mg->value_pool + m->values;
		zeros |= all_zero(values, mg->nvalues);
		builder_sample(&mg->b, mg->location_pool + m->locations, m->nlocations, values, mg->nvalues,
			       mg->label_pool + m->labels, m->nlabels);
	}
	return zeros;
}

static void merger_free(struct merger *mg)
{
	hmap_free(&mg->mapping_heads);
	hmap_free(&mg->location_heads);
	hmap_free(&mg->sample_heads);
	free(mg->mapping_next);
	free(mg->location_next);
	free(mg->sample_next);
	free(mg->samples);
	free(mg->location_pool);
	free(mg->label_pool);
	free(mg->value_pool);
	free(mg->lines);
}

int profile_merge(const struct merge_source *sources, size_t n, struct profile *out, struct error *e)
{
	struct common_units cu;
	profile_init(out);
	if (n == 0)
		return error_set(e, "no profiles to merge");
	if (common_units(sources, n, &cu, e) < 0 || check_compatible(sources, n, &cu, e) < 0) {
		free(cu.samples);
		return -1;
	}
	struct merger mg;
	size_t nsamples = 0;
	for (size_t i = 0; i < n; i++)
		nsamples += sources[i].prof->samples.count;
	merger_init(&mg, out, cu.nvalues, nsamples);
	combine_headers(&mg.b, sources, n, &cu);
	for (size_t i = 0; i < n; i++)
		merge_samples(&mg, &sources[i], &cu);
	bool zeros = emit_samples(&mg);
	builder_finish(&mg.b);
	merger_free(&mg);
	free(cu.samples);
	if (zeros) {
		/* Samples that summed to zero go, and what only they used: merge again. */
		struct profile merged = *out;
		profile_compact(&merged, out);
		profile_free(&merged);
	}
	return 0;
}

void profile_compact(const struct profile *p, struct profile *out)
{
	struct merge_source one = { p, NULL, NULL, NULL };
	struct error e = ERROR_INIT;
	profile_merge(&one, 1, out, &e);	/* one profile is compatible with itself */
	error_clear(&e);
}

int normalize_ratios(const struct profile *p, const struct profile *base, double *ratios, struct error *e)
{
	struct merge_source pair[2] = { { p, NULL, NULL, NULL }, { base, NULL, NULL, NULL } };
	struct common_units same = { NULL, NULL, p->nsample_types };
	same.samples = xcalloc(p->nsample_types + 1, sizeof(*same.samples));
	int rc = check_compatible(pair, 2, &same, e);
	free(same.samples);
	if (rc < 0)
		return -1;
	size_t n = p->nsample_types;
	int64_t *sums = xcalloc(2 * n + 1, sizeof(int64_t));
	struct sample_buf buf = { 0 };
	for (int which = 0; which < 2; which++) {
		const struct profile *q = pair[which].prof;
		for (size_t i = 0; i < q->samples.count; i++) {
			const int64_t *values = sample_values(q, i, &buf);
			for (size_t k = 0; values && k < n; k++)
				sums[which * n + k] += values[k];
		}
	}
	sample_buf_free(&buf);
	for (size_t k = 0; k < n; k++)
		ratios[k] = sums[k] == 0 ? 0.0 : (double)sums[n + k] / (double)sums[k];
	free(sums);
	return 0;
}
