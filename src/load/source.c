#include "load/source.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/merge.h"
#include "load/proto.h"
#include "symbolize/symbolize.h"
#include "util/arena.h"

/* Go's wording of a system error: strerror's text, lower-cased. */
static const char *go_strerror(int err, char *buf, size_t size)
{
	snprintf(buf, size, "%s", strerror(err));
	if (buf[0])
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

static int read_file(const char *path, uint8_t **data, size_t *len, struct error *e)
{
	char why[128];
	FILE *f = fopen(path, "rb");
	if (!f)
		return error_set(e, "open %s: %s", path, go_strerror(errno, why, sizeof(why)));
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = xmalloc(cap);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int failed = ferror(f);
	int err = errno;
	fclose(f);
	if (failed) {
		free(buf);
		return error_set(e, "read %s: %s", path, go_strerror(err, why, sizeof(why)));
	}
	*data = buf;
	*len = n;
	return 0;
}

/* pprof's ParseData: gunzip if gzipped, then profile.proto, then legacy formats. */
static int parse_data(uint8_t **data, size_t len, struct profile *p, struct error *e)
{
	if (is_gzip(*data, len)) {
		uint8_t *raw;
		size_t raw_len;
		if (gunzip(*data, len, &raw, &raw_len, e) < 0)
			return -1;
		free(*data);
		*data = raw;
		len = raw_len;
	}
	if (proto_decode(data, len, p, e) < 0) {
		const char *msg = e->msg.buf;
		if (strcmp(msg, "empty input file") && strcmp(msg, "concatenated profiles detected"))
			error_set(e, "unrecognized profile format");
		return error_prefix(e, "parsing profile: ");
	}
	int rc = profile_validate(p, e);
	if (rc == -2)
		return error_set(e, "parsing profile: unrecognized profile format");
	if (rc < 0)
		return error_prefix(e, "malformed profile: ");
	return 0;
}

int load_file(const char *path, struct profile *p, struct error *e)
{
	uint8_t *data = NULL;
	size_t len = 0;
	profile_init(p);
	if (read_file(path, &data, &len, e) < 0)
		return -1;
	int rc = parse_data(&data, len, p, e);
	free(data);
	if (rc < 0) {
		profile_free(p);
		profile_init(p);
	}
	return rc;
}

/*
 * The part of pprof's locateBinaries that needs no search: a profile
 * without mappings gets one empty mapping for all its locations, and a
 * binary or build id named on the command line replaces the main
 * mapping's.
 */
static void adjust_mappings(struct profile *p, const struct invocation *inv)
{
	if (p->nmappings == 0) {
		p->mappings = arena_alloc(&p->arena, sizeof(struct mapping));
		p->nmappings = 1;
		p->mappings[0].id = 1;
		p->mappings[0].file = "";
		p->mappings[0].build_id = "";
		for (size_t i = 0; i < p->nlocations; i++)
			p->locations[i].mapping = 0;
	}
	if (inv->exec_name)
		p->mappings[0].file = arena_strdup(&p->arena, inv->exec_name);
	if (inv->build_id && *inv->build_id)
		p->mappings[0].build_id = arena_strdup(&p->arena, inv->build_id);
}

/* pprof's grabProfile: one source loaded, or its failure printed as "SOURCE: reason". */
static bool grab(const char *source, const struct invocation *inv, struct profile *p)
{
	struct error e = ERROR_INIT;
	bool ok = load_file(source, p, &e) == 0;
	if (ok)
		adjust_mappings(p, inv);
	else
		fprintf(stderr, "%s: %s\n", source, e.msg.buf);
	error_clear(&e);
	return ok;
}

/*
 * pprof's chunkedGrab: loads the sources that can be loaded, merged into
 * p if there are several.  Returns how many loaded (p is set if any), or
 * -1 if they do not merge.
 */
static int grab_all(char *const *sources, size_t n, const struct invocation *inv, struct profile *p,
		    struct error *e)
{
	struct profile *loaded = xcalloc(n + 1, sizeof(*loaded));
	struct merge_source *merging = xcalloc(n + 1, sizeof(*merging));
	size_t count = 0;
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		if (grab(sources[i], inv, &loaded[count]))
			merging[count].prof = &loaded[count], count++;
	if (count == 1)
		*p = loaded[0];	/* pprof merges even one; that is left to reports that show it */
	else if (count > 1)
		rc = profile_merge(merging, count, p, e);
	for (size_t i = 0; i < count && count > 1; i++)
		profile_free(&loaded[i]);
	free(loaded);
	free(merging);
	return rc < 0 ? -1 : (int)count;
}

/* pprof's base profiles: subtracted (-base), or subtracted and marked pprof::base=true (-diff_base). */
static int apply_base(struct profile *src, struct profile *base, const struct invocation *inv, struct profile *p,
		      struct error *e)
{
	size_t n = base->nsample_types;
	double *normalize = NULL, *negate = xmalloc((n + 1) * sizeof(double));
	for (size_t k = 0; k < n; k++)
		negate[k] = -1;
	int rc = 0;
	if (inv->cfg.normalize) {
		normalize = xmalloc((src->nsample_types + 1) * sizeof(double));
		rc = normalize_ratios(src, base, normalize, e);
	}
	if (rc == 0) {
		struct merge_source both[2] = {
			{ src, normalize, NULL, NULL },
			{ base, negate, inv->diff_base ? "pprof::base" : NULL, "true" },
		};
		rc = profile_merge(both, 2, p, e);
	}
	free(normalize);
	free(negate);
	return rc;
}

/* Loads sources and base, reporting failures in pprof's order and words. */
static int fetch_profiles(const struct invocation *inv, struct profile *p, struct error *e)
{
	struct profile src, base;
	struct error base_error = ERROR_INIT;
	int nsrc = grab_all(inv->sources, inv->nsources, inv, &src, e);
	int nbase = inv->base ? grab_all(&inv->base, 1, inv, &base, &base_error) : 0;
	error_clear(&base_error);	/* one base profile cannot fail to merge */
	int rc = 0;
	if (nsrc < 0)
		rc = error_prefix(e, "problem fetching source profiles: ");
	else if (nsrc == 0)
		rc = error_set(e, "failed to fetch any source profiles");
	else if (inv->base && nbase == 0)
		rc = error_set(e, "failed to fetch any base profiles");
	if (rc == 0 && (size_t)nsrc < inv->nsources)
		fprintf(stderr, "Fetched %d source profiles out of %zu\n", nsrc, inv->nsources);
	if (rc == 0 && nbase > 0)
		rc = apply_base(&src, &base, inv, p, e);
	else if (rc == 0)
		*p = src;
	if (nsrc > 0 && (rc < 0 || nbase > 0))
		profile_free(&src);
	if (nbase > 0)
		profile_free(&base);
	return rc;
}

int load_sources(const struct invocation *inv, struct profile *p, struct error *e)
{
	profile_init(p);
	if (fetch_profiles(inv, p, e) < 0)
		return -1;
	struct symbolize_options so = { inv->symbolize, inv->exec_name };
	if (symbolize_profile(p, &so, e) < 0) {
		profile_free(p);
		profile_init(p);
		return -1;
	}
	return 0;
}
