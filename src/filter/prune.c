#include "filter/prune.h"

#include <stdlib.h>
#include <string.h>

#include "profile/builder.h"
#include "util/arena.h"

void simplify_function_name(const char *name, struct strbuf *out)
{
	static const char *const reserved[] = { "(anonymous namespace)", "operator()" };
	if (*name == '.')
		name++;	/* the PPC64 ELF v1 ABI's leading dot */
	size_t i = 0;
	while (name[i]) {
		size_t skip = 0;
		for (size_t r = 0; r < 2 && !skip; r++)
			if (!strncmp(name + i, reserved[r], strlen(reserved[r])))
				skip = strlen(reserved[r]);
		if (skip) {
			i += skip;
		} else if (name[i] == '(') {
			break;
		} else {
			i++;
		}
	}
	strbuf_add(out, name, i);
}

bool line_name_matches(const struct profile *p, const struct line *line, const struct regex *re)
{
	if (line->function < 0 || !*p->functions[line->function].name)
		return false;
	struct strbuf name = STRBUF_INIT;
	simplify_function_name(p->functions[line->function].name, &name);
	bool m = regex_match(re, name.buf);
	strbuf_release(&name);
	return m;
}

/* drop_frames or keep_frames as RemoveUninteresting compiles them: the whole name must match. */
static struct regex *whole_name_regex(const char *alternatives)
{
	struct strbuf pattern = STRBUF_INIT;
	struct error e = ERROR_INIT;
	strbuf_addf(&pattern, "^(%s)$", alternatives);
	struct regex *re = regex_compile(pattern.buf, &e);
	strbuf_release(&pattern);
	error_clear(&e);
	return re;
}

/* pprof's Prune, per location: the outermost dropped line, or -1. */
static int dropped_line(const struct profile *p, const struct location *l, const struct regex *drop,
			const struct regex *keep)
{
	for (int i = (int)l->nlines - 1; i >= 0; i--)
		if (line_name_matches(p, &l->lines[i], drop) &&
		    !(keep && line_name_matches(p, &l->lines[i], keep)))
			return i;
	return -1;
}

void uninteresting_init(struct uninteresting *u, const struct profile *p)
{
	memset(u, 0, sizeof(*u));
	if (!*p->drop_frames)
		return;
	struct regex *drop = whole_name_regex(p->drop_frames);
	struct regex *keep = *p->keep_frames ? whole_name_regex(p->keep_frames) : NULL;
	if (drop && (keep || !*p->keep_frames)) {
		u->active = true;
		u->flags = xcalloc(p->nlocations + 1, 1);
		u->first_line = xcalloc(p->nlocations + 1, sizeof(uint32_t));
		for (size_t i = 0; i < p->nlocations; i++) {
			const struct location *l = &p->locations[i];
			int d = dropped_line(p, l, drop, keep);
			if (d < 0)
				continue;
			u->flags[i] = PRUNE_BENEATH;
			if ((uint32_t)d == l->nlines - 1)
				u->flags[i] |= PRUNE_LOCATION;
			else
				u->first_line[i] = (uint32_t)d + 1;
		}
	}
	regex_free(drop);
	regex_free(keep);
}

void uninteresting_free(struct uninteresting *u)
{
	free(u->flags);
	free(u->first_line);
	memset(u, 0, sizeof(*u));
}

size_t uninteresting_sample_start(const struct uninteresting *u, const uint32_t *locations, size_t n)
{
	if (!u->active)
		return 0;
	/* From the root; frames above the first user frame are never pruned. */
	bool found_user = false;
	for (size_t i = n; i-- > 0;) {
		uint8_t f = u->flags[locations[i]];
		if (!f) {
			found_user = true;
			continue;
		}
		if (!found_user)
			continue;
		return f & PRUNE_LOCATION ? i + 1 : i;
	}
	return 0;
}

void profile_remove_uninteresting(const struct profile *p, struct profile *out)
{
	struct uninteresting u;
	struct profile_builder b;
	uninteresting_init(&u, p);
	profile_init(out);
	builder_init(&b, out);
	builder_copy_header(&b, p);
	out->drop_frames = "";
	out->keep_frames = "";
	builder_copy_tables(&b, p, u.active ? u.first_line : NULL);
	struct sample_buf buf = { 0 };
	struct sample s;
	for (size_t i = 0; i < p->samples.count; i++) {
		if (sample_decode(p, i, &s, &buf) < 0)
			continue;	/* validated at load: cannot happen */
		size_t start = uninteresting_sample_start(&u, s.locations, s.nlocations);
		builder_copy_sample(&b, p, &s, s.locations + start, s.nlocations - start);
	}
	sample_buf_free(&buf);
	builder_finish(&b);
	uninteresting_free(&u);
}
