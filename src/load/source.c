#include "load/source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load/fetch.h"
#include "load/legacy.h"
#include "load/merge.h"
#include "load/proto.h"
#include "symbolize/symbolize.h"
#include "util/arena.h"
#include "util/parallel.h"

static int read_file(const char *path, uint8_t **data, size_t *len, struct error *e)
{
	char why[128];
	FILE *f = fopen(path, "rb");
	if (!f)
		return error_set(e, "open %s: %s", path, go_strerror(errno, why, sizeof(why)));
	/* a regular file is read into a buffer of its size, with room to see its end */
	struct stat sb;
	size_t cap = 1 << 16, n = 0;
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size < SIZE_MAX / 2)
		cap = (size_t)sb.st_size + 1;
	uint8_t *buf = xmalloc(cap);
	struct prefault pf;
	prefault_start(&pf, buf, cap);
	for (;;) {
		if (n == cap) {
			prefault_finish(&pf);
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	prefault_finish(&pf);
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

/*
 * pprof's ParseData: gunzip if gzipped, then profile.proto, then (unless
 * the input is empty or several profiles) the legacy formats.
 */
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
		if (!strcmp(msg, "empty input file") || !strcmp(msg, "concatenated profiles detected"))
			return error_prefix(e, "parsing profile: ");
		profile_free(p);
		profile_init(p);
		if (legacy_parse(*data, len, p, e) < 0)
			return error_prefix(e, "parsing profile: ");
	}
	int rc = profile_validate(p, e);
	if (rc == -2)
		return error_set(e, "parsing profile: unrecognized profile format");
	if (rc < 0)
		return error_prefix(e, "malformed profile: ");
	return 0;
}

/* Parses the malloc'd buffer data, which it frees. */
static int parse_owned(uint8_t *data, size_t len, struct profile *p, struct error *e)
{
	int rc = parse_data(&data, len, p, e);
	free(data);
	if (rc < 0) {
		profile_free(p);
		profile_init(p);
	}
	return rc;
}

int load_file(const char *path, struct profile *p, struct error *e)
{
	uint8_t *data = NULL;
	size_t len = 0;
	profile_init(p);
	if (read_file(path, &data, &len, e) < 0)
		return -1;
	return parse_owned(data, len, p, e);
}

int load_data(const uint8_t *data, size_t len, struct profile *p, struct error *e)
{
	uint8_t *copy = xmalloc(len + 1);
	if (len)
		memcpy(copy, data, len);
	profile_init(p);
	return parse_owned(copy, len, p, e);
}

/*
 * A profile without mappings gets one empty mapping for all its
 * locations, as pprof's locateBinaries gives it.
 */
static void add_missing_mapping(struct profile *p)
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
}

/* One source named on the command line, as loaded: its profile, or why not. */
struct loaded_source {
	const char *addr;
	struct fetch fetch;	/* fetch.url is NULL for a file */
	struct profile profile;
	bool ok;
	struct error err;
};

/* Decodes a fetched body, keeping the body itself (to be saved). */
static int parse_fetched(struct loaded_source *s, struct error *e)
{
	if (s->fetch.http.failed) {
		error_set(e, "%s", s->fetch.http.err.msg.buf);
		return -1;
	}
	const struct strbuf *body = &s->fetch.http.body;
	uint8_t *data = xmalloc(body->len ? body->len : 1);
	memcpy(data, body->buf, body->len);
	profile_init(&s->profile);
	int rc = parse_data(&data, body->len, &s->profile, e);
	free(data);
	if (rc < 0) {
		profile_free(&s->profile);
		profile_init(&s->profile);
	}
	return rc;
}

/*
 * pprof's grabProfile for each of the n addresses: URLs are fetched
 * concurrently, files read, and each decoded into its own profile, whose
 * mappings learn, for a remote source, where they came from.
 */
static void grab(char *const *addrs, size_t n, const struct fetch_options *fo, struct loaded_source *s,
		 struct mapping_sources *ms)
{
	struct fetch **remote = xcalloc(n, sizeof(*remote));
	size_t nremote = 0;
	for (size_t i = 0; i < n; i++) {
		s[i].addr = addrs[i];
		strbuf_init(&s[i].err.msg);
		if (fetch_prepare(&s[i].fetch, s[i].addr, fo))
			remote[nremote++] = &s[i].fetch;
	}
	fetch_run(remote, nremote, fo);
	free(remote);
	for (size_t i = 0; i < n; i++) {
		struct loaded_source *l = &s[i];
		int rc = l->fetch.url ? parse_fetched(l, &l->err) : load_file(l->addr, &l->profile, &l->err);
		l->ok = rc == 0;
		if (!l->ok)
			continue;
		add_missing_mapping(&l->profile);
		if (l->fetch.url)
			fetch_note_sources(&l->profile, l->fetch.url, ms);
	}
}

/* The sources of one list (the profiles, or the base profiles), grabbed and combined. */
struct grabbed {
	struct loaded_source *s;
	size_t n;
	size_t count;		/* how many loaded */
	size_t single;		/* when count == 1, which one */
	bool remote;		/* some were fetched: pprof saves a copy */
	struct profile p;	/* the combined profile, when count > 0 */
};

/*
 * pprof's chunkedGrab: loads the addresses, prints each failure as
 * "ADDR: reason", and merges what loaded.  Returns 0, or -1 if the
 * profiles do not merge (pprof's reason in *e).
 */
static int grab_all(char *const *addrs, size_t n, const struct fetch_options *fo, struct mapping_sources *ms,
		    struct grabbed *g, struct error *e)
{
	memset(g, 0, sizeof(*g));
	g->n = n;
	g->s = xcalloc(n + 1, sizeof(*g->s));
	grab(addrs, n, fo, g->s, ms);
	struct merge_source *merging = xcalloc(n + 1, sizeof(*merging));
	for (size_t i = 0; i < n; i++) {
		if (!g->s[i].ok) {
			fprintf(stderr, "%s: %s\n", g->s[i].addr, g->s[i].err.msg.buf);
			continue;
		}
		g->remote = g->remote || g->s[i].fetch.url;
		merging[g->count++].prof = &g->s[i].profile;
	}
	int rc = 0;
	if (g->count == 1) {
		profile_init(&g->p);
		for (size_t i = 0; i < n; i++) {
			if (g->s[i].ok) {
				g->p = g->s[i].profile;	/* pprof merges even one; reports that show it do */
				g->s[i].ok = false;	/* g->p owns it now */
				g->single = i;
			}
		}
	} else if (g->count > 1) {
		rc = profile_merge(merging, g->count, &g->p, e);
		if (rc < 0)
			g->count = 0;
	}
	free(merging);
	return rc;
}

static void grabbed_free(struct grabbed *g, bool keep_profile)
{
	for (size_t i = 0; i < g->n; i++) {
		if (g->s[i].ok)
			profile_free(&g->s[i].profile);
		fetch_free(&g->s[i].fetch);
		error_clear(&g->s[i].err);
	}
	free(g->s);
	if (g->count > 0 && !keep_profile)
		profile_free(&g->p);
}

/* The body of the one fetched source a profile came from, or NULL. */
static const struct strbuf *single_fetched_body(const struct grabbed *g)
{
	if (g->count != 1 || !g->s[g->single].fetch.url)
		return NULL;
	return &g->s[g->single].fetch.http.body;
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

/* pprof's grabSourcesAndBases: its checks and messages, in its order. */
static int check_grabbed(const struct invocation *inv, const struct grabbed *src, const struct grabbed *base,
			 int src_rc, int base_rc, struct error *e)
{
	if (src_rc < 0)
		return error_prefix(e, "problem fetching source profiles: ");
	if (base_rc < 0)
		return error_prefix(e, "problem fetching base profiles: ");
	if (src->count == 0)
		return error_set(e, "failed to fetch any source profiles");
	if (inv->base && base->count == 0)
		return error_set(e, "failed to fetch any base profiles");
	if (src->count < inv->nsources)
		fprintf(stderr, "Fetched %zu source profiles out of %zu\n", src->count, inv->nsources);
	return 0;
}

/*
 * Saves a copy of a profile that was fetched, as pprof does: the bytes as
 * they came when the profile is one fetched source, else the profile as
 * cpprof encodes it.
 */
static int save_fetched(const struct profile *p, const struct grabbed *src, const struct grabbed *base,
			bool *save_encoded, struct error *e)
{
	const struct strbuf *body = base->count ? NULL : single_fetched_body(src);
	if (body)
		return fetch_save(p, (const uint8_t *)body->buf, body->len, e);
	*save_encoded = true;
	return 0;
}

int load_sources(const struct invocation *inv, struct profile *p, bool *save_encoded, struct error *e)
{
	*save_encoded = false;
	struct fetch_options fo = { inv->seconds, inv->timeout, { inv->tls_cert, inv->tls_key, inv->tls_ca } };
	struct mapping_sources ms;
	struct grabbed src, base;
	struct error base_err = ERROR_INIT;
	char *base_addrs[1] = { inv->base };
	mapping_sources_init(&ms);
	profile_init(p);
	int src_rc = grab_all(inv->sources, inv->nsources, &fo, &ms, &src, e);
	int base_rc = grab_all(base_addrs, inv->base ? 1 : 0, &fo, &ms, &base, &base_err);
	if (base_rc < 0)
		error_set(e, "%s", base_err.msg.buf);
	error_clear(&base_err);
	int rc = check_grabbed(inv, &src, &base, src_rc, base_rc, e);
	if (rc == 0 && base.count > 0)
		rc = apply_base(&src.p, &base.p, inv, p, e);
	bool moved = rc == 0 && base.count == 0;
	if (moved)
		*p = src.p;
	if (rc == 0) {
		struct symbolz_options remote = fetch_symbolz_options(&fo, &ms);
		struct symbolize_options so = { inv->symbolize, inv->exec_name, inv->build_id, &remote };
		rc = symbolize_profile(p, &so, e);
	}
	if (rc == 0)
		fetch_unsource_mappings(p);
	if (rc == 0 && (src.remote || base.remote))
		rc = save_fetched(p, &src, &base, save_encoded, e);
	if (rc < 0 && (moved || base.count > 0)) {
		profile_free(p);
		profile_init(p);
	}
	grabbed_free(&src, moved);
	grabbed_free(&base, false);
	mapping_sources_free(&ms);
	return rc;
}
