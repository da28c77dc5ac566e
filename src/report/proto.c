/*
 * proto.c - the `proto` report: the profile as the report sees it (after
 * filtering, values divided by -divide_by) written back as a gzipped
 * profile.proto, which cpprof and pprof read like any other profile.
 *
 * The tables go through protobuf-c's packer; the samples, which can be
 * millions, are encoded directly after them (a message's fields may come
 * in any order).  The string table is the profile's own, so the labels
 * of samples keep their string indexes; strings the tables need that it
 * lacks (a binary named on the command line, symbols) are added at its
 * end.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile.pb-c.h"
#include "profile/labels.h"
#include "load/proto.h"
#include "report/report.h"

/* The output string table: the profile's, then any string it lacks. */
struct string_table {
	const char **strings;
	size_t count, cap;
	struct hmap index;	/* hash of text -> first index */
	uint32_t *chain;
	size_t chain_cap;
};

static uint64_t text_hash(const char *s)
{
	uint64_t h = hash_bytes(s, strlen(s), 13);
	return h == HASH_EMPTY_KEY ? 0 : h;
}

static int64_t find_string(const struct string_table *t, const char *s)
{
	const uint32_t *head = hmap_get(&t->index, text_hash(s));
	for (uint32_t i = head ? *head : UINT32_MAX; i != UINT32_MAX; i = t->chain[i])
		if (!strcmp(t->strings[i], s))
			return i;
	return -1;
}

/* Appends s; indexed, it is the one find_string() returns for its text. */
static int64_t append_string(struct string_table *t, const char *s, bool indexed)
{
	xgrow((void **)&t->strings, &t->cap, t->count + 1, sizeof(*t->strings));
	xgrow((void **)&t->chain, &t->chain_cap, t->count + 1, sizeof(*t->chain));
	uint32_t id = (uint32_t)t->count++;
	t->strings[id] = s;
	t->chain[id] = UINT32_MAX;
	if (indexed) {
		int inserted;
		uint32_t *head = hmap_put(&t->index, text_hash(s), id, &inserted);
		if (!inserted) {
			t->chain[id] = *head;
			*head = id;
		}
	}
	return id;
}

/* The index of text s, added at the end if the table lacks it. */
static int64_t string_index(struct string_table *t, const char *s)
{
	int64_t i = find_string(t, s);
	return i >= 0 ? i : append_string(t, s, true);
}

/* Starts with the profile's table as it is, duplicates included. */
static void string_table_init(struct string_table *t, const struct profile *p)
{
	memset(t, 0, sizeof(*t));
	hmap_init(&t->index, p->nstrings);
	for (size_t i = 0; i < p->nstrings; i++)
		append_string(t, p->strings[i], find_string(t, p->strings[i]) < 0);
	if (t->count == 0)
		append_string(t, "", true);
}

static void string_table_free(struct string_table *t)
{
	free(t->strings);
	free(t->chain);
	hmap_free(&t->index);
}

/* protobuf-c messages of the tables, allocated from one arena. */
struct tables {
	struct arena arena;
	struct string_table strings;
	Perftools__Profiles__Profile msg;
};

static Perftools__Profiles__ValueType *value_type(struct tables *t, const struct value_type *vt)
{
	Perftools__Profiles__ValueType *m = arena_alloc(&t->arena, sizeof(*m));
	perftools__profiles__value_type__init(m);
	m->type = string_index(&t->strings, vt->type);
	m->unit = string_index(&t->strings, vt->unit);
	return m;
}

static void add_header(struct tables *t, const struct profile *p)
{
	Perftools__Profiles__Profile *m = &t->msg;
	m->n_sample_type = p->nsample_types;
	m->sample_type = arena_array(&t->arena, p->nsample_types + 1, sizeof(*m->sample_type));
	for (size_t i = 0; i < p->nsample_types; i++)
		m->sample_type[i] = value_type(t, &p->sample_types[i]);
	m->drop_frames = string_index(&t->strings, p->drop_frames);
	m->keep_frames = string_index(&t->strings, p->keep_frames);
	m->time_nanos = p->time_nanos;
	m->duration_nanos = p->duration_nanos;
	if (p->has_period_type || *p->period_type.type || *p->period_type.unit)
		m->period_type = value_type(t, &p->period_type);
	m->period = p->period;
	m->n_comment = p->ncomments;
	m->comment = arena_array(&t->arena, p->ncomments + 1, sizeof(int64_t));
	for (size_t i = 0; i < p->ncomments; i++)
		m->comment[i] = string_index(&t->strings, p->comments[i]);
	m->default_sample_type = string_index(&t->strings, p->default_sample_type);
}

static void add_mappings(struct tables *t, const struct profile *p)
{
	Perftools__Profiles__Profile *m = &t->msg;
	m->n_mapping = p->nmappings;
	m->mapping = arena_array(&t->arena, p->nmappings + 1, sizeof(*m->mapping));
	for (size_t i = 0; i < p->nmappings; i++) {
		const struct mapping *src = &p->mappings[i];
		Perftools__Profiles__Mapping *mm = arena_alloc(&t->arena, sizeof(*mm));
		perftools__profiles__mapping__init(mm);
		mm->id = src->id;
		mm->memory_start = src->start;
		mm->memory_limit = src->limit;
		mm->file_offset = src->offset;
		mm->filename = string_index(&t->strings, src->file);
		mm->build_id = string_index(&t->strings, src->build_id);
		mm->has_functions = src->has_functions;
		mm->has_filenames = src->has_filenames;
		mm->has_line_numbers = src->has_line_numbers;
		mm->has_inline_frames = src->has_inline_frames;
		m->mapping[i] = mm;
	}
}

static void add_functions(struct tables *t, const struct profile *p)
{
	Perftools__Profiles__Profile *m = &t->msg;
	m->n_function = p->nfunctions;
	m->function = arena_array(&t->arena, p->nfunctions + 1, sizeof(*m->function));
	for (size_t i = 0; i < p->nfunctions; i++) {
		const struct function *src = &p->functions[i];
		Perftools__Profiles__Function *f = arena_alloc(&t->arena, sizeof(*f));
		perftools__profiles__function__init(f);
		f->id = src->id;
		f->name = string_index(&t->strings, src->name);
		f->system_name = string_index(&t->strings, src->system_name);
		f->filename = string_index(&t->strings, src->filename);
		f->start_line = src->start_line;
		m->function[i] = f;
	}
}

/* Locations with the lines the view keeps of them. */
static void add_locations(struct tables *t, const struct view *v)
{
	const struct profile *p = v->prof;
	Perftools__Profiles__Profile *m = &t->msg;
	m->n_location = p->nlocations;
	m->location = arena_array(&t->arena, p->nlocations + 1, sizeof(*m->location));
	for (size_t i = 0; i < p->nlocations; i++) {
		const struct location *src = &p->locations[i];
		Perftools__Profiles__Location *l = arena_alloc(&t->arena, sizeof(*l));
		perftools__profiles__location__init(l);
		l->id = src->id;
		l->mapping_id = src->mapping >= 0 ? p->mappings[src->mapping].id : 0;
		l->address = src->address;
		l->is_folded = src->is_folded;
		l->n_line = src->nlines ? v->line_count[i] : 0;
		l->line = arena_array(&t->arena, l->n_line + 1, sizeof(*l->line));
		for (size_t k = 0; k < l->n_line; k++) {
			const struct line *sl = &src->lines[v->lines[v->line_first[i] + k]];
			Perftools__Profiles__Line *ln = arena_alloc(&t->arena, sizeof(*ln));
			perftools__profiles__line__init(ln);
			ln->function_id = p->functions[sl->function].id;
			ln->line = sl->line;
			ln->column = sl->column;
			l->line[k] = ln;
		}
		m->location[i] = l;
	}
}

/* Packs the tables (every field but the samples) into out. */
static void pack_tables(const struct report *r, struct strbuf *out)
{
	struct tables t;
	arena_init(&t.arena);
	perftools__profiles__profile__init(&t.msg);
	string_table_init(&t.strings, r->prof);
	add_header(&t, r->prof);
	add_mappings(&t, r->prof);
	add_functions(&t, r->prof);
	add_locations(&t, &r->view);
	t.msg.n_string_table = t.strings.count;
	t.msg.string_table = (char **)t.strings.strings;
	size_t size = perftools__profiles__profile__get_packed_size(&t.msg);
	strbuf_grow(out, size);
	out->len += perftools__profiles__profile__pack(&t.msg, (uint8_t *)out->buf + out->len);
	out->buf[out->len] = '\0';
	string_table_free(&t.strings);
	arena_free(&t.arena);
}

static void put_varint(struct strbuf *sb, uint64_t v)
{
	uint8_t buf[10];
	size_t n = 0;
	while (v >= 0x80) {
		buf[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	buf[n++] = (uint8_t)v;
	strbuf_add(sb, buf, n);
}

static void put_tag(struct strbuf *sb, uint32_t field, uint32_t type)
{
	put_varint(sb, (uint64_t)field << 3 | type);
}

/* A length-delimited field holding msg. */
static void put_message(struct strbuf *sb, uint32_t field, const struct strbuf *msg)
{
	put_tag(sb, field, 2);
	put_varint(sb, msg->len);
	strbuf_add(sb, msg->buf, msg->len);
}

static void put_int_field(struct strbuf *sb, uint32_t field, int64_t v)
{
	if (v == 0)
		return;
	put_tag(sb, field, 0);
	put_varint(sb, (uint64_t)v);
}

/* Encodes one Sample message (location ids, values, labels) into msg. */
static void encode_sample(const struct report *r, const struct view_sample *s, struct strbuf *msg,
			  struct strbuf *packed)
{
	const struct profile *p = r->prof;
	double ratio = r->ratio;
	strbuf_reset(msg);
	strbuf_reset(packed);
	for (size_t i = 0; i < s->nlocations; i++)
		put_varint(packed, p->locations[s->locations[i]].id);
	if (packed->len)
		put_message(msg, 1, packed);
	strbuf_reset(packed);
	for (size_t i = 0; i < s->raw->nvalues; i++) {
		int64_t v = s->raw->values[i];
		if (ratio > 0 && ratio != 1)
			v = (int64_t)((double)v * ratio);
		put_varint(packed, (uint64_t)v);
	}
	if (packed->len)
		put_message(msg, 2, packed);
	for (size_t i = 0; i < s->raw->nlabels; i++) {
		const struct label *l = &s->raw->labels[i];
		if (!label_is_string(l) && !label_is_numeric(l))
			continue;	/* pprof's decoder drops these */
		strbuf_reset(packed);
		put_int_field(packed, 1, l->key);
		put_int_field(packed, 2, l->str);
		put_int_field(packed, 3, l->num);
		put_int_field(packed, 4, l->num_unit);
		put_message(msg, 3, packed);
	}
}

static void add_samples(const struct report *r, struct strbuf *out)
{
	struct strbuf msg = STRBUF_INIT, packed = STRBUF_INIT;
	struct view_iter it;
	struct view_sample s;
	view_iter_init(&it);
	while (view_next(&r->view, &it, &s)) {
		encode_sample(r, &s, &msg, &packed);
		put_message(out, 2, &msg);
	}
	view_iter_free(&it);
	strbuf_release(&msg);
	strbuf_release(&packed);
}

int report_proto(struct report *r, struct strbuf *out, struct error *e)
{
	struct strbuf encoded = STRBUF_INIT;
	pack_tables(r, &encoded);
	add_samples(r, &encoded);
	int rc = gzip_compress((const uint8_t *)encoded.buf, encoded.len, out, e);
	strbuf_release(&encoded);
	return rc;
}
