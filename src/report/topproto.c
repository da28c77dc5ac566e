/*
 * topproto.c - the `topproto` report: the nodes of the top report as a
 * profile of their own, one sample per node with its cumulative and flat
 * values in the report's unit, written as gzipped profile.proto.
 */
#include <stdlib.h>
#include <string.h>

#include "profile.pb-c.h"
#include "report/format.h"
#include "load/proto.h"
#include "report/report.h"

/* The string table of the new profile. */
struct strings {
	const char **texts;
	size_t count, cap;
	struct hmap index;	/* hash of text -> index */
};

static int64_t string_index(struct strings *t, const char *s)
{
	uint64_t h = hash_bytes(s, strlen(s), 17);
	for (;;) {
		if (h == HASH_EMPTY_KEY)
			h = 0;
		int inserted;
		uint32_t *slot = hmap_put(&t->index, h, (uint32_t)t->count, &inserted);
		if (inserted) {
			xgrow((void **)&t->texts, &t->cap, t->count + 1, sizeof(*t->texts));
			t->texts[t->count++] = s;
			return *slot;
		}
		if (!strcmp(t->texts[*slot], s))
			return *slot;
		h = hash_mix(h, 1);	/* another text with this hash: probe on */
	}
}

/* pprof's functionMap: nodes of one function (name, original name, file, start line) share it. */
struct functions {
	struct hmap index;	/* hash of the function's fields -> first function index */
	uint32_t *chain;	/* next function with the same hash */
	size_t chain_cap;
};

/* The id of the node's Function, added to m if new. */
static uint64_t function_of(Perftools__Profiles__Profile *m, struct functions *fs, struct strings *st,
			    struct arena *a, const struct node_info *in)
{
	int64_t name = string_index(st, in->name), orig = string_index(st, in->orig_name);
	int64_t file = string_index(st, in->file);
	uint64_t h = hash_mix(hash_mix(hash_mix(hash_u64((uint64_t)name), (uint64_t)orig), (uint64_t)file),
			      (uint64_t)in->start_line);
	if (h == HASH_EMPTY_KEY)
		h = 0;
	int inserted;
	uint32_t *head = hmap_put(&fs->index, h, UINT32_MAX, &inserted);
	for (uint32_t i = *head; i != UINT32_MAX; i = fs->chain[i]) {
		const Perftools__Profiles__Function *f = m->function[i];
		if (f->name == name && f->system_name == orig && f->filename == file && f->start_line == in->start_line)
			return f->id;
	}
	Perftools__Profiles__Function *f = arena_alloc(a, sizeof(*f));
	perftools__profiles__function__init(f);
	f->id = m->n_function + 1;
	f->name = name;
	f->system_name = orig;
	f->filename = file;
	f->start_line = in->start_line;
	xgrow((void **)&fs->chain, &fs->chain_cap, m->n_function + 1, sizeof(*fs->chain));
	fs->chain[m->n_function] = *head;
	*head = (uint32_t)m->n_function;
	m->function[m->n_function++] = f;
	return f->id;
}

static Perftools__Profiles__ValueType *value_type(struct arena *a, struct strings *st, const char *type,
						  const char *unit)
{
	Perftools__Profiles__ValueType *vt = arena_alloc(a, sizeof(*vt));
	perftools__profiles__value_type__init(vt);
	vt->type = string_index(st, type);
	vt->unit = string_index(st, unit);
	return vt;
}

/* One location and one sample per node, in the report's order. */
static void add_nodes(const struct report *r, const struct graph *g, Perftools__Profiles__Profile *m,
		      struct strings *st, struct arena *a)
{
	size_t n = g->nnodes;
	struct functions fs = { .chain = NULL, .chain_cap = 0 };
	hmap_init(&fs.index, n);
	m->function = arena_array(a, n + 1, sizeof(*m->function));
	m->location = arena_array(a, n + 1, sizeof(*m->location));
	m->sample = arena_array(a, n + 1, sizeof(*m->sample));
	for (size_t i = 0; i < n; i++) {
		const struct node_info *in = &g->ns->info[g->nodes[i]];
		Perftools__Profiles__Line *line = arena_alloc(a, sizeof(*line));
		perftools__profiles__line__init(line);
		line->function_id = function_of(m, &fs, st, a, in);
		line->line = in->lineno;
		Perftools__Profiles__Location *l = arena_alloc(a, sizeof(*l));
		perftools__profiles__location__init(l);
		l->id = i + 1;
		l->address = in->address;
		l->n_line = 1;
		l->line = arena_array(a, 1, sizeof(*l->line));
		l->line[0] = line;
		m->location[m->n_location++] = l;

		const char *unit;
		Perftools__Profiles__Sample *s = arena_alloc(a, sizeof(*s));
		perftools__profiles__sample__init(s);
		s->n_location_id = 1;
		s->location_id = arena_array(a, 1, sizeof(uint64_t));
		s->location_id[0] = l->id;
		s->n_value = 2;
		s->value = arena_array(a, 2, sizeof(int64_t));
		s->value[0] = (int64_t)unit_scale(graph_cum_value(g, g->nodes[i]), r->sample_unit, r->output_unit, &unit);
		s->value[1] = (int64_t)unit_scale(graph_flat_value(g, g->nodes[i]), r->sample_unit, r->output_unit, &unit);
		m->sample[m->n_sample++] = s;
	}
	hmap_free(&fs.index);
	free(fs.chain);
}

int report_topproto(struct report *r, struct strbuf *out, struct error *e)
{
	struct trimmed_graph t;
	report_trimmed_graph(r, &t);
	report_select_unit(r, &t.g);

	const struct profile *p = r->prof;
	struct arena a;
	arena_init(&a);
	struct strings st = { 0 };
	hmap_init(&st.index, 256);
	string_index(&st, "");
	Perftools__Profiles__Profile m;
	perftools__profiles__profile__init(&m);
	m.n_sample_type = 2;
	m.sample_type = arena_array(&a, 2, sizeof(*m.sample_type));
	m.sample_type[0] = value_type(&a, &st, "cum", r->output_unit);
	m.sample_type[1] = value_type(&a, &st, "flat", r->output_unit);
	m.time_nanos = p->time_nanos;
	m.duration_nanos = p->duration_nanos;
	if (p->has_period_type || *p->period_type.type || *p->period_type.unit)
		m.period_type = value_type(&a, &st, p->period_type.type, p->period_type.unit);
	m.period = p->period;
	add_nodes(r, &t.g, &m, &st, &a);
	m.n_string_table = st.count;
	m.string_table = (char **)st.texts;

	struct strbuf encoded = STRBUF_INIT;
	size_t size = perftools__profiles__profile__get_packed_size(&m);
	strbuf_grow(&encoded, size);
	encoded.len = perftools__profiles__profile__pack(&m, (uint8_t *)encoded.buf);
	encoded.buf[encoded.len] = '\0';
	int rc = gzip_compress((const uint8_t *)encoded.buf, encoded.len, out, e);
	strbuf_release(&encoded);
	free(st.texts);
	hmap_free(&st.index);
	arena_free(&a);
	trimmed_graph_free(&t);
	return rc;
}
