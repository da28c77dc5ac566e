#include "profile/builder.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

void builder_init(struct profile_builder *b, struct profile *p)
{
	memset(b, 0, sizeof(*b));
	b->p = p;
	hmap_init(&b->string_index, 256);
	hmap_init(&b->function_index, 256);
	strbuf_init(&b->samples);
	builder_string(b, "");
}

int64_t builder_string(struct profile_builder *b, const char *s)
{
	struct profile *p = b->p;
	uint64_t h = hash_bytes(s, strlen(s), 7);
	if (h == HASH_EMPTY_KEY)
		h = 0;
	int inserted;
	uint32_t *head = hmap_put(&b->string_index, h, NONE, &inserted);
	for (uint32_t i = *head; i != NONE; i = b->string_chain[i])
		if (!strcmp(p->strings[i], s))
			return i;
	xgrow((void **)&p->strings, &b->strings_cap, p->nstrings + 1, sizeof(*p->strings));
	xgrow((void **)&b->string_chain, &b->chain_cap, p->nstrings + 1, sizeof(*b->string_chain));
	uint32_t i = (uint32_t)p->nstrings++;
	p->strings[i] = arena_strdup(&p->arena, s);
	b->string_chain[i] = *head;
	*head = i;
	return i;
}

/* Strings in the tables point into the profile's own string table. */
const char *builder_intern(struct profile_builder *b, const char *s)
{
	int64_t i = builder_string(b, s ? s : "");	/* may move the table */
	return b->p->strings[i];
}

int32_t builder_mapping(struct profile_builder *b, const struct mapping *m)
{
	struct profile *p = b->p;
	xgrow((void **)&p->mappings, &b->mappings_cap, p->nmappings + 1, sizeof(*p->mappings));
	struct mapping *n = &p->mappings[p->nmappings];
	*n = *m;
	n->id = p->nmappings + 1;
	n->file = builder_intern(b, m->file);
	n->build_id = builder_intern(b, m->build_id);
	return (int32_t)p->nmappings++;
}

int32_t builder_function(struct profile_builder *b, const char *name, const char *system_name,
			 const char *filename, int64_t start_line)
{
	struct profile *p = b->p;
	name = builder_intern(b, name);
	system_name = builder_intern(b, system_name);
	filename = builder_intern(b, filename);
	/* Interned strings compare by pointer. */
	uint64_t h = hash_mix(hash_mix(hash_mix((uintptr_t)name, (uintptr_t)system_name),
				       (uintptr_t)filename), (uint64_t)start_line);
	if (h == HASH_EMPTY_KEY)
		h = 0;
	int inserted;
	uint32_t *head = hmap_put(&b->function_index, h, NONE, &inserted);
	for (uint32_t i = *head; i != NONE; i = b->function_chain[i]) {
		const struct function *f = &p->functions[i];
		if (f->name == name && f->system_name == system_name && f->filename == filename &&
		    f->start_line == start_line)
			return (int32_t)i;
	}
	xgrow((void **)&p->functions, &b->functions_cap, p->nfunctions + 1, sizeof(*p->functions));
	xgrow((void **)&b->function_chain, &b->function_chain_cap, p->nfunctions + 1,
	      sizeof(*b->function_chain));
	uint32_t i = (uint32_t)p->nfunctions++;
	struct function *f = &p->functions[i];
	f->id = i + 1;
	f->name = name;
	f->system_name = system_name;
	f->filename = filename;
	f->start_line = start_line;
	b->function_chain[i] = *head;
	*head = i;
	return (int32_t)i;
}

int32_t builder_location(struct profile_builder *b, int32_t mapping, uint64_t address,
			 const struct line *lines, uint32_t nlines, bool is_folded)
{
	struct profile *p = b->p;
	xgrow((void **)&p->locations, &b->locations_cap, p->nlocations + 1, sizeof(*p->locations));
	struct location *l = &p->locations[p->nlocations];
	memset(l, 0, sizeof(*l));
	l->id = p->nlocations + 1;
	l->mapping = mapping;
	l->address = address;
	l->is_folded = is_folded;
	l->nlines = nlines;
	l->lines = arena_array(&p->arena, nlines, sizeof(struct line));
	if (nlines)
		memcpy(l->lines, lines, nlines * sizeof(struct line));
	return (int32_t)p->nlocations++;
}

static size_t varint_size(uint64_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		n++;
		v >>= 7;
	}
	return n;
}

/* Writes a varint at p (room for 10 bytes); returns the byte after it. */
static char *write_varint(char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (char)((v & 0x7f) | 0x80);
		v >>= 7;
	}
	*p++ = (char)v;
	return p;
}

static void put_varint(struct strbuf *sb, uint64_t v)
{
	char buf[10];
	strbuf_add(sb, buf, (size_t)(write_varint(buf, v) - buf));
}

static void put_packed(struct strbuf *sb, uint32_t field, const uint64_t *v, size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += varint_size(v[i]);
	put_varint(sb, (uint64_t)field << 3 | 2);
	put_varint(sb, len);
	strbuf_grow(sb, len);
	char *p = sb->buf + sb->len;
	for (size_t i = 0; i < n; i++)
		p = write_varint(p, v[i]);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

static void put_label(struct strbuf *sb, const struct label *l)
{
	const int64_t fields[] = { l->key, l->str, l->num, l->num_unit };
	size_t len = 0;
	for (uint32_t f = 0; f < 4; f++)
		if (fields[f])
			len += 1 + varint_size((uint64_t)fields[f]);
	put_varint(sb, 3 << 3 | 2);
	put_varint(sb, len);
	for (uint32_t f = 0; f < 4; f++) {
		if (!fields[f])
			continue;
		put_varint(sb, (uint64_t)(f + 1) << 3);
		put_varint(sb, (uint64_t)fields[f]);
	}
}

void builder_sample(struct profile_builder *b, const uint32_t *locations, size_t nlocations,
		    const int64_t *values, size_t nvalues, const struct label *labels, size_t nlabels)
{
	/* Encoded straight into the buffer the store takes over at builder_finish(). */
	size_t start = b->samples.len;
	size_t most = nlocations > nvalues ? nlocations : nvalues;
	xgrow((void **)&b->scratch, &b->scratch_cap, most + 1, sizeof(*b->scratch));
	for (size_t i = 0; i < nlocations; i++)
		b->scratch[i] = b->p->locations[locations[i]].id;
	if (nlocations)
		put_packed(&b->samples, 1, b->scratch, nlocations);
	for (size_t i = 0; i < nvalues; i++)
		b->scratch[i] = (uint64_t)values[i];
	if (nvalues)
		put_packed(&b->samples, 2, b->scratch, nvalues);
	for (size_t i = 0; i < nlabels; i++)
		put_label(&b->samples, &labels[i]);
	sample_store_add(&b->p->samples, start, (uint32_t)(b->samples.len - start));
}

void builder_sample_types(struct profile_builder *b, const struct value_type *types, size_t n)
{
	struct profile *p = b->p;
	p->sample_types = arena_array(&p->arena, n, sizeof(struct value_type));
	p->nsample_types = n;
	for (size_t i = 0; i < n; i++) {
		p->sample_types[i].type = builder_intern(b, types[i].type);
		p->sample_types[i].unit = builder_intern(b, types[i].unit);
	}
}

/* Moves a table grown with xgrow into the profile's arena, its single owner. */
static void *to_arena(struct profile *p, void *table, size_t n, size_t size)
{
	void *copy = arena_array(&p->arena, n, size);
	if (n)
		memcpy(copy, table, n * size);
	free(table);
	return copy;
}

void builder_finish(struct profile_builder *b)
{
	struct profile *p = b->p;
	size_t len;
	p->strings = to_arena(p, p->strings, p->nstrings, sizeof(*p->strings));
	p->mappings = to_arena(p, p->mappings, p->nmappings, sizeof(*p->mappings));
	p->functions = to_arena(p, p->functions, p->nfunctions, sizeof(*p->functions));
	p->locations = to_arena(p, p->locations, p->nlocations, sizeof(*p->locations));
	free(p->samples.owned_data);
	p->samples.owned_data = strbuf_detach(&b->samples, &len);
	p->samples.data = p->samples.owned_data;
	profile_index_locations(p);
	hmap_free(&b->string_index);
	hmap_free(&b->function_index);
	free(b->string_chain);
	free(b->function_chain);
	free(b->scratch);
	free(b->labels);
	memset(b, 0, sizeof(*b));
}

void builder_copy_header(struct profile_builder *b, const struct profile *src)
{
	struct profile *p = b->p;
	builder_sample_types(b, src->sample_types, src->nsample_types);
	p->default_sample_type = builder_intern(b, src->default_sample_type);
	p->period_type.type = builder_intern(b, src->period_type.type);
	p->period_type.unit = builder_intern(b, src->period_type.unit);
	p->period = src->period;
	p->time_nanos = src->time_nanos;
	p->duration_nanos = src->duration_nanos;
	p->drop_frames = builder_intern(b, src->drop_frames);
	p->keep_frames = builder_intern(b, src->keep_frames);
	p->comments = arena_array(&p->arena, src->ncomments, sizeof(char *));
	p->ncomments = src->ncomments;
	for (size_t i = 0; i < src->ncomments; i++)
		p->comments[i] = builder_intern(b, src->comments[i]);
}

struct label builder_copy_label(struct profile_builder *b, const struct profile *src, const struct label *l)
{
	struct label out = *l;
	out.key = builder_string(b, src->strings[l->key]);
	out.str = l->str ? builder_string(b, src->strings[l->str]) : 0;
	out.num_unit = l->num_unit ? builder_string(b, src->strings[l->num_unit]) : 0;
	return out;
}

void builder_copy_tables(struct profile_builder *b, const struct profile *src, const uint32_t *first_line)
{
	int32_t *function_index = xmalloc((src->nfunctions + 1) * sizeof(int32_t));
	for (size_t i = 0; i < src->nmappings; i++)
		builder_mapping(b, &src->mappings[i]);
	for (size_t i = 0; i < src->nfunctions; i++) {
		const struct function *f = &src->functions[i];
		function_index[i] = builder_function(b, f->name, f->system_name, f->filename, f->start_line);
	}
	struct line *lines = NULL;
	size_t lines_cap = 0;
	for (size_t i = 0; i < src->nlocations; i++) {
		const struct location *l = &src->locations[i];
		uint32_t first = first_line ? first_line[i] : 0;
		xgrow((void **)&lines, &lines_cap, l->nlines + 1, sizeof(*lines));
		for (uint32_t k = first; k < l->nlines; k++) {
			lines[k - first] = l->lines[k];
			if (l->lines[k].function >= 0)
				lines[k - first].function = function_index[l->lines[k].function];
		}
		builder_location(b, l->mapping, l->address, lines, l->nlines - first, l->is_folded);
	}
	free(lines);
	free(function_index);
}

void builder_copy_sample(struct profile_builder *b, const struct profile *src, const struct sample *s,
			 const uint32_t *locations, size_t nlocations)
{
	xgrow((void **)&b->labels, &b->labels_cap, s->nlabels + 1, sizeof(*b->labels));
	for (size_t k = 0; k < s->nlabels; k++)
		b->labels[k] = builder_copy_label(b, src, &s->labels[k]);
	builder_sample(b, locations, nlocations, s->values, s->nvalues, b->labels, s->nlabels);
}
