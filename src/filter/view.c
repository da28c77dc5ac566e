#include "filter/view.h"

#include <stdlib.h>
#include <string.h>

void view_init(struct view *v, const struct profile *prof, size_t value_index, bool mean, bool noinlines)
{
	memset(v, 0, sizeof(*v));
	v->prof = prof;
	v->value_index = value_index;
	v->mean = mean;
	size_t n = prof->nlocations, total = 0;
	for (size_t i = 0; i < n; i++)
		total += prof->locations[i].nlines;
	v->line_first = xmalloc((n + 1) * sizeof(uint32_t));
	v->line_count = xmalloc((n + 1) * sizeof(uint32_t));
	v->lines = xmalloc((total + 1) * sizeof(uint32_t));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct location *l = &prof->locations[i];
		v->line_first[i] = (uint32_t)k;
		uint32_t first = noinlines && l->nlines > 1 ? l->nlines - 1 : 0;
		for (uint32_t j = first; j < l->nlines; j++)
			v->lines[k++] = j;
		v->line_count[i] = (uint32_t)(k - v->line_first[i]);
	}
}

void view_free(struct view *v)
{
	free(v->line_first);
	free(v->line_count);
	free(v->lines);
	memset(v, 0, sizeof(*v));
}

void view_iter_init(struct view_iter *it)
{
	memset(it, 0, sizeof(*it));
}

void view_iter_free(struct view_iter *it)
{
	sample_buf_free(&it->buf);
}

bool view_next(const struct view *v, struct view_iter *it, struct view_sample *s)
{
	const struct profile *p = v->prof;
	while (it->next < p->samples.count) {
		size_t i = it->next++;
		if (it->skip_zero) {
			/* Most samples of a heap profile are 0 in-use: skip them cheaply. */
			const int64_t *values = sample_values(p, i, &it->buf);
			if (values && values[v->value_index] == 0 && (!v->mean || values[0] == 0))
				continue;
		}
		if (sample_decode(p, i, &it->raw, &it->buf) < 0)
			continue;	/* validated at load: cannot happen */
		s->locations = it->raw.locations;
		s->nlocations = it->raw.nlocations;
		s->value = it->raw.values[v->value_index];
		s->divisor = v->mean ? it->raw.values[0] : 0;
		s->raw = &it->raw;
		return true;
	}
	return false;
}

static bool parse_index(const char *s, long *out)
{
	char *end;
	if (!*s)
		return false;
	long v = strtol(s, &end, 10);
	if (*end)
		return false;
	*out = v;
	return true;
}

int sample_index_by_name(const struct profile *p, const char *name, size_t *index, struct error *e)
{
	size_t n = p->nsample_types;
	if (!name || !*name) {
		for (size_t i = 0; i < n && *p->default_sample_type; i++) {
			if (!strcmp(p->sample_types[i].type, p->default_sample_type)) {
				*index = i;
				return 0;
			}
		}
		*index = n - 1;
		return 0;
	}
	long i;
	if (parse_index(name, &i)) {
		if (i < 0 || (size_t)i >= n)
			return error_set(e, "sample_index %s is outside the range [0..%zu]", name, n - 1);
		*index = (size_t)i;
		return 0;
	}
	const char *no_inuse = strncmp(name, "inuse_", 6) ? name : name + 6;
	for (size_t k = 0; k < n; k++) {
		if (!strcmp(p->sample_types[k].type, name) || !strcmp(p->sample_types[k].type, no_inuse)) {
			*index = k;
			return 0;
		}
	}
	struct strbuf types = STRBUF_INIT;
	for (size_t k = 0; k < n; k++)
		strbuf_addf(&types, "%s%s", k ? " " : "", p->sample_types[k].type);
	error_set(e, "sample_index ");
	strbuf_add_quoted(&e->msg, name);
	strbuf_addf(&e->msg, " must be one of: [%s]", types.buf);
	strbuf_release(&types);
	return 0 - 1;
}
