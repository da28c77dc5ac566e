#include "load/legacy_profile.h"

#include <stdlib.h>
#include <string.h>

#include "profile/builder.h"

void legacy_profile_init(struct legacy_profile *lp)
{
	memset(lp, 0, sizeof(*lp));
	arena_init(&lp->arena);
	hmap_init(&lp->by_address, 256);
	lp->all_ones_location = -1;
	lp->period_type.type = lp->period_type.unit = "";
	lp->drop_frames = lp->keep_frames = "";
}

void legacy_profile_free(struct legacy_profile *lp)
{
	hmap_free(&lp->by_address);
	free(lp->locations);
	free(lp->frames);
	free(lp->samples);
	free(lp->mappings);
	free(lp->functions);
	arena_free(&lp->arena);
	memset(lp, 0, sizeof(*lp));
}

void legacy_set_types(struct legacy_profile *lp, const char *period_type, const char *period_unit,
		      const char *const types[][2], size_t ntypes)
{
	lp->period_type.type = period_type;
	lp->period_type.unit = period_unit;
	lp->nsample_types = ntypes;
	for (size_t i = 0; i < ntypes; i++) {
		lp->sample_types[i].type = types[i][0];
		lp->sample_types[i].unit = types[i][1];
	}
}

int32_t legacy_find_location(const struct legacy_profile *lp, uint64_t address)
{
	if (address == HASH_EMPTY_KEY)
		return lp->all_ones_location;
	const uint32_t *v = hmap_get(&lp->by_address, address);
	return v ? (int32_t)*v : -1;
}

uint32_t legacy_location(struct legacy_profile *lp, uint64_t address)
{
	uint32_t next = (uint32_t)lp->nlocations;
	uint32_t index;
	if (address == HASH_EMPTY_KEY) {
		if (lp->all_ones_location < 0)
			lp->all_ones_location = (int32_t)next;
		index = (uint32_t)lp->all_ones_location;
	} else {
		int inserted;
		index = *hmap_put(&lp->by_address, address, next, &inserted);
	}
	if (index == next) {
		xgrow((void **)&lp->locations, &lp->locations_cap, next + 1, sizeof(*lp->locations));
		struct legacy_location *l = &lp->locations[next];
		l->address = address;
		l->mapping = -1;
		l->function = -1;
		l->line = 0;
		lp->nlocations++;
	}
	return index;
}

size_t legacy_add_sample(struct legacy_profile *lp, const uint64_t *addrs, size_t naddrs,
			 enum frame_adjust adjust, const int64_t *values, size_t nvalues)
{
	xgrow((void **)&lp->samples, &lp->samples_cap, lp->nsamples + 1, sizeof(*lp->samples));
	xgrow((void **)&lp->frames, &lp->frames_cap, lp->nframes + naddrs, sizeof(*lp->frames));
	struct legacy_sample *s = &lp->samples[lp->nsamples];
	memset(s, 0, sizeof(*s));
	s->first = lp->nframes;
	s->nframes = (uint32_t)naddrs;
	s->nvalues = (uint32_t)nvalues;
	memcpy(s->values, values, nvalues * sizeof(*values));
	for (size_t i = 0; i < naddrs; i++) {
		uint64_t a = addrs[i];
		if (adjust == ADJUST_ALL || (adjust == ADJUST_CALLERS && i > 0))
			a--;
		lp->frames[lp->nframes++] = legacy_location(lp, a);
	}
	return lp->nsamples++;
}

void legacy_drop_frame(struct legacy_profile *lp, size_t s, uint32_t i)
{
	struct legacy_sample *smp = &lp->samples[s];
	uint32_t *f = legacy_frames(lp, s);
	memmove(f + i, f + i + 1, (smp->nframes - i - 1) * sizeof(*f));
	smp->nframes--;
}

void legacy_remap_locations(struct legacy_profile *lp)
{
	uint32_t *renumber = xmalloc((lp->nlocations + 1) * sizeof(uint32_t));
	memset(renumber, 0xff, (lp->nlocations + 1) * sizeof(uint32_t));
	struct legacy_location *used = xmalloc((lp->nlocations + 1) * sizeof(*used));
	size_t n = 0;
	for (size_t s = 0; s < lp->nsamples; s++) {
		uint32_t *f = legacy_frames(lp, s);
		for (uint32_t i = 0; i < lp->samples[s].nframes; i++) {
			if (renumber[f[i]] == UINT32_MAX) {
				used[n] = lp->locations[f[i]];
				renumber[f[i]] = (uint32_t)n++;
			}
			f[i] = renumber[f[i]];
		}
	}
	free(lp->locations);
	free(renumber);
	lp->locations = used;
	lp->nlocations = n;
	lp->locations_cap = lp->nlocations + 1;
	/* Addresses no longer name locations by index. */
	hmap_free(&lp->by_address);
	hmap_init(&lp->by_address, 0);
	lp->all_ones_location = -1;
}

void legacy_drop_duplicate_leaves(struct legacy_profile *lp)
{
	for (size_t s = 0; s < lp->nsamples; s++) {
		const uint32_t *f = legacy_frames(lp, s);
		if (lp->samples[s].nframes > 1 &&
		    lp->locations[f[0]].address == lp->locations[f[1]].address + 1)
			legacy_drop_frame(lp, s, 1);
	}
}


static void build_locations(const struct legacy_profile *lp, struct profile_builder *b)
{
	for (size_t i = 0; i < lp->nlocations; i++) {
		const struct legacy_location *l = &lp->locations[i];
		struct line line = { -1, l->line, 0 };
		uint32_t nlines = 0;
		if (l->function >= 0) {
			const struct legacy_function *f = &lp->functions[l->function];
			line.function = builder_function(b, f->name, f->name, f->file, 0);
			nlines = 1;
		}
		builder_location(b, l->mapping, l->address, &line, nlines, false);
	}
}

static void build_samples(const struct legacy_profile *lp, struct profile_builder *b)
{
	int64_t bytes_key = builder_string(b, "bytes");
	for (size_t i = 0; i < lp->nsamples; i++) {
		const struct legacy_sample *s = &lp->samples[i];
		/* A zero label does not survive pprof's copy of the profile. */
		struct label bytes = { bytes_key, 0, s->bytes, 0 };
		size_t nlabels = s->has_bytes && s->bytes != 0 ? 1 : 0;
		builder_sample(b, legacy_frames(lp, i), s->nframes, s->values, s->nvalues, &bytes, nlabels);
	}
}

void legacy_profile_build(const struct legacy_profile *lp, struct profile *p)
{
	struct profile_builder b;
	builder_init(&b, p);
	builder_sample_types(&b, lp->sample_types, lp->nsample_types);
	p->period_type.type = builder_intern(&b, lp->period_type.type);
	p->period_type.unit = builder_intern(&b, lp->period_type.unit);
	p->period = lp->period;
	p->duration_nanos = lp->duration_nanos;
	p->drop_frames = builder_intern(&b, lp->drop_frames);
	p->keep_frames = builder_intern(&b, lp->keep_frames);
	for (size_t i = 0; i < lp->nmappings; i++)
		builder_mapping(&b, &lp->mappings[i]);
	build_locations(lp, &b);
	build_samples(lp, &b);
	builder_finish(&b);
}

int legacy_line_error(struct error *e, const struct go_scanner *s)
{
	return error_prefix(e, "line %zu: ", s->lines);
}
