#include "symbolize/prune.h"

#include <stdlib.h>
#include <string.h>

#include "filter/regexp.h"
#include "profile/wire.h"
#include "util/strbuf.h"

/*
 * pprof's simplifyFunc: the name up to its first '(', skipping the
 * parentheses of "(anonymous namespace)" and "operator()".
 */
static const char *simplified(const char *name, struct strbuf *sb)
{
	if (*name == '.')
		name++;
	for (const char *p = name; *p; p++) {
		if (!strncmp(p, "(anonymous namespace)", 21)) {
			p += 20;
		} else if (!strncmp(p, "operator()", 10)) {
			p += 9;
		} else if (*p == '(') {
			strbuf_reset(sb);
			strbuf_add(sb, name, (size_t)(p - name));
			return sb->buf;
		}
	}
	return name;
}

static struct regex *compile_whole(const char *pattern)
{
	struct strbuf sb = STRBUF_INIT;
	struct error e = ERROR_INIT;
	strbuf_addf(&sb, "^(%s)$", pattern);
	struct regex *re = regex_compile(sb.buf, &e);
	strbuf_release(&sb);
	error_clear(&e);
	return re;
}

enum { KEEP = 0, PRUNE = 1, PRUNE_BENEATH = 2 };

/* Cuts each location at its outermost dropped line; returns a PRUNE flag per location. */
static uint8_t *prune_locations(struct profile *p, const struct regex *drop, const struct regex *keep)
{
	uint8_t *flags = xcalloc(p->nlocations + 1, 1);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < p->nlocations; i++) {
		struct location *l = &p->locations[i];
		uint32_t k = l->nlines;
		while (k-- > 0) {
			const struct line *ln = &l->lines[k];
			if (ln->function < 0 || !*p->functions[ln->function].name)
				continue;
			const char *name = simplified(p->functions[ln->function].name, &sb);
			if (regex_match(drop, name) && !(keep && regex_match(keep, name)))
				break;
		}
		if (k == UINT32_MAX)
			continue;
		flags[i] = PRUNE_BENEATH;
		if (k == l->nlines - 1) {
			flags[i] |= PRUNE;
		} else {
			l->lines += k + 1;
			l->nlines -= k + 1;
		}
	}
	strbuf_release(&sb);
	return flags;
}

/* How many leaf-side locations of a sample go: pprof scans from the root past the first user frame. */
static size_t dropped_prefix(const struct sample *s, const uint8_t *flags)
{
	bool found_user = false;
	for (size_t i = s->nlocations; i-- > 0;) {
		uint8_t f = flags[s->locations[i]];
		if (f == KEEP) {
			found_user = true;
			continue;
		}
		if (!found_user)
			continue;
		return f & PRUNE ? i + 1 : i;
	}
	return 0;
}

static void put_varint(struct strbuf *sb, uint64_t v)
{
	while (v >= 0x80) {
		strbuf_addch(sb, (int)(v | 0x80));
		v >>= 7;
	}
	strbuf_addch(sb, (int)v);
}

/* The sample's encoding with its location ids replaced; other fields copied as they are. */
static void reencode(const struct profile *p, size_t i, const struct sample *s, size_t skip, struct strbuf *out)
{
	struct strbuf ids = STRBUF_INIT;
	for (size_t k = skip; k < s->nlocations; k++)
		put_varint(&ids, p->locations[s->locations[k]].id);
	if (ids.len) {
		put_varint(out, 1 << 3 | WIRE_LEN);
		put_varint(out, ids.len);
		strbuf_add(out, ids.buf, ids.len);
	}
	strbuf_release(&ids);
	const uint8_t *data = p->samples.data + p->samples.offset[i];
	struct wire w = wire_init(data, p->samples.length[i]);
	while (!wire_done(&w)) {
		const uint8_t *start = w.p;
		uint32_t field, type;
		if (wire_key(&w, &field, &type) < 0 || wire_skip(&w, type) < 0)
			break;	/* validated at load: cannot happen */
		if (field != 1)
			strbuf_add(out, start, (size_t)(w.p - start));
	}
}

static void prune_samples(struct profile *p, const uint8_t *flags)
{
	struct sample_store *st = &p->samples;
	struct strbuf data = STRBUF_INIT;
	struct sample_buf buf = { 0 };
	struct sample s;
	bool changed = false;
	uint64_t *offsets = xmalloc((st->count + 1) * sizeof(uint64_t));
	uint32_t *lengths = xmalloc((st->count + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < st->count; i++) {
		size_t at = data.len;
		size_t skip = sample_decode(p, i, &s, &buf) == 0 ? dropped_prefix(&s, flags) : 0;
		if (skip) {
			reencode(p, i, &s, skip, &data);
			changed = true;
		} else {
			strbuf_add(&data, st->data + st->offset[i], st->length[i]);
		}
		offsets[i] = at;
		lengths[i] = (uint32_t)(data.len - at);
	}
	sample_buf_free(&buf);
	if (!changed) {
		strbuf_release(&data);
		free(offsets);
		free(lengths);
		return;
	}
	free(st->owned_data);
	st->owned_data = strbuf_detach(&data, NULL);
	st->data = st->owned_data;
	memcpy(st->offset, offsets, st->count * sizeof(uint64_t));
	memcpy(st->length, lengths, st->count * sizeof(uint32_t));
	free(offsets);
	free(lengths);
}

void profile_remove_uninteresting(struct profile *p)
{
	if (!p->drop_frames || !*p->drop_frames)
		return;
	struct regex *drop = compile_whole(p->drop_frames), *keep = NULL;
	if (!drop)
		return;	/* pprof ignores a bad regexp here */
	if (p->keep_frames && *p->keep_frames && !(keep = compile_whole(p->keep_frames))) {
		regex_free(drop);
		return;
	}
	uint8_t *flags = prune_locations(p, drop, keep);
	prune_samples(p, flags);
	free(flags);
	regex_free(drop);
	regex_free(keep);
}
