#include "filter/tagroot.h"

#include <stdlib.h>
#include <string.h>

#include "filter/prune.h"
#include "profile/builder.h"
#include "util/arena.h"
#include "util/hash.h"
#include "util/units.h"

/* A comma-separated list of label keys, empty ones left out. */
struct key_list {
	char **keys;
	size_t count;
};

static void split_keys(const char *list, struct key_list *k)
{
	memset(k, 0, sizeof(*k));
	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);
		if (len) {
			k->keys = xrealloc(k->keys, (k->count + 1) * sizeof(char *));
			k->keys[k->count] = xmalloc(len + 1);
			memcpy(k->keys[k->count], list, len);
			k->keys[k->count++][len] = '\0';
		}
		list = comma ? comma + 1 : NULL;
	}
}

static void free_keys(struct key_list *k)
{
	for (size_t i = 0; i < k->count; i++)
		free(k->keys[i]);
	free(k->keys);
}

struct label_frames {
	struct profile_builder *b;
	const struct profile *src;
	const char *unit;
	struct hmap locations;	/* name string << 32 | key string -> pseudo location */
	struct strbuf values;
	uint32_t *frames;
	size_t frames_cap;
};

static bool has_key(const struct profile *p, const struct label *l, const char *key)
{
	return !strcmp(p->strings[l->key], key);
}

/*
 * pprof's formatLabelValues: the sample's string values for key, then its
 * numeric ones, scaled to the report's unit where the key's labels have
 * units.  Returns false if it has none.
 */
static bool label_values(struct label_frames *lf, const struct sample *s, const char *key)
{
	const struct profile *p = lf->src;
	struct strbuf *out = &lf->values;
	bool any = false, with_units = false;
	strbuf_reset(out);
	for (size_t i = 0; i < s->nlabels; i++) {
		const struct label *l = &s->labels[i];
		if (l->str != 0 && has_key(p, l, key)) {
			strbuf_addf(out, "%s%s", any ? "," : "", p->strings[l->str]);
			any = true;
		}
		if (l->str == 0 && l->num_unit != 0 && has_key(p, l, key))
			with_units = true;
	}
	for (size_t i = 0; i < s->nlabels; i++) {
		const struct label *l = &s->labels[i];
		if (l->str != 0 || (l->num == 0 && l->num_unit == 0) || !has_key(p, l, key))
			continue;
		if (any)
			strbuf_addch(out, ',');
		if (with_units)
			format_scaled(out, l->num, l->num_unit ? p->strings[l->num_unit] : "", lf->unit);
		else
			format_scaled(out, l->num, "", "");
		any = true;
	}
	return any;
}

/* The pseudo location for a label frame, made at first use. */
static uint32_t frame_location(struct label_frames *lf, const char *name, const char *key)
{
	int64_t name_index = builder_string(lf->b, name), key_index = builder_string(lf->b, key);
	int inserted;
	uint32_t *slot = hmap_put(&lf->locations, (uint64_t)name_index << 32 | (uint64_t)key_index, 0, &inserted);
	if (inserted) {
		struct line line = { builder_function(lf->b, name, "", key, 0), 0, 0 };
		*slot = (uint32_t)builder_location(lf->b, -1, 0, &line, 1, false);
	}
	return *slot;
}

/*
 * pprof's makeLabelLocs: one frame per key, the last key's first, appended
 * to the frames being built.  Returns true if the sample had any of them.
 */
static bool add_frames(struct label_frames *lf, const struct sample *s, const struct key_list *keys, size_t *n)
{
	bool matched = false;
	for (size_t i = keys->count; i-- > 0;) {
		matched |= label_values(lf, s, keys->keys[i]);
		xgrow((void **)&lf->frames, &lf->frames_cap, *n + 1, sizeof(uint32_t));
		lf->frames[(*n)++] = frame_location(lf, lf->values.buf, keys->keys[i]);
	}
	return matched;
}

static void copy_samples(struct label_frames *lf, const struct key_list *roots, const struct key_list *leaves,
			 bool *root_matched, bool *leaf_matched)
{
	const struct profile *p = lf->src;
	struct sample_buf buf = { 0 };
	struct sample s;
	for (size_t i = 0; i < p->samples.count; i++) {
		if (sample_decode(p, i, &s, &buf) < 0)
			continue;	/* validated at load: cannot happen */
		size_t n = 0;
		*leaf_matched |= add_frames(lf, &s, leaves, &n);
		xgrow((void **)&lf->frames, &lf->frames_cap, n + s.nlocations + 1, sizeof(uint32_t));
		memcpy(lf->frames + n, s.locations, s.nlocations * sizeof(uint32_t));
		n += s.nlocations;
		*root_matched |= add_frames(lf, &s, roots, &n);
		builder_copy_sample(lf->b, p, &s, lf->frames, n);
	}
	sample_buf_free(&buf);
}

void profile_add_label_frames(const struct profile *p, const char *root_keys, const char *leaf_keys,
			      const char *unit, struct profile *out, struct strbuf *warnings)
{
	struct profile pruned;
	bool prune = *p->drop_frames != '\0';
	if (prune) {
		profile_remove_uninteresting(p, &pruned);
		p = &pruned;
	}
	struct key_list roots, leaves;
	split_keys(root_keys, &roots);
	split_keys(leaf_keys, &leaves);
	struct profile_builder b;
	profile_init(out);
	builder_init(&b, out);
	builder_copy_header(&b, p);
	builder_copy_tables(&b, p, NULL);
	struct label_frames lf = { &b, p, unit, { 0 }, STRBUF_INIT, NULL, 0 };
	hmap_init(&lf.locations, 64);
	bool root_matched = false, leaf_matched = false;
	copy_samples(&lf, &roots, &leaves, &root_matched, &leaf_matched);
	builder_finish(&b);
	if (root_keys && *root_keys && !root_matched)
		strbuf_addstr(warnings, "TagRoot expression matched no samples\n");
	if (leaf_keys && *leaf_keys && !leaf_matched)
		strbuf_addstr(warnings, "TagLeaf expression matched no samples\n");
	hmap_free(&lf.locations);
	strbuf_release(&lf.values);
	free(lf.frames);
	free_keys(&roots);
	free_keys(&leaves);
	if (prune)
		profile_free(&pruned);
}
