#include "load/source.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/fetch.h"
#include "load/proto.h"
#include "symbolize/symbolize.h"

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
 * mappings then learn their binaries and, for a remote source, where they
 * came from.
 */
static void grab(const struct invocation *inv, char *const *addrs, size_t n, const struct fetch_options *fo,
		 struct loaded_source *s, struct mapping_sources *ms)
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
		adjust_mappings(&l->profile, inv);
		if (l->fetch.url)
			fetch_note_sources(&l->profile, l->fetch.url, ms);
	}
}

/* pprof's account of the sources: each failure, then how many loaded. */
static int count_loaded(const struct loaded_source *s, size_t n, struct error *e)
{
	struct strbuf failures = STRBUF_INIT;
	size_t loaded = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i].ok)
			loaded++;
		else
			strbuf_addf(&failures, "%s: %s\n", s[i].addr, s[i].err.msg.buf);
	}
	int rc = 0;
	if (loaded == 0) {
		rc = error_set(e, "%sfailed to fetch any source profiles", failures.buf);
	} else if (loaded < n) {
		fputs(failures.buf, stderr);
		fprintf(stderr, "Fetched %zu source profiles out of %zu\n", loaded, n);
	}
	strbuf_release(&failures);
	return rc;
}

/* The profiles loaded, as one; *from is the source it came from when there was one. */
static int combine(struct loaded_source *s, size_t n, struct profile *p, struct loaded_source **from,
		   struct error *e)
{
	*from = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!s[i].ok)
			continue;
		if (*from)
			return error_set(e, "merging several profiles is not available in this version of cpprof");
		*from = &s[i];
	}
	*p = (*from)->profile;
	(*from)->ok = false;	/* p owns the profile now */
	return 0;
}

static void free_loaded(struct loaded_source *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i].ok)
			profile_free(&s[i].profile);
		fetch_free(&s[i].fetch);
		error_clear(&s[i].err);
	}
	free(s);
}

int load_sources(const struct invocation *inv, struct profile *p, struct error *e)
{
	size_t n = inv->nsources;
	struct fetch_options fo = { inv->seconds, inv->timeout, { inv->tls_cert, inv->tls_key, inv->tls_ca } };
	struct mapping_sources ms;
	mapping_sources_init(&ms);
	struct loaded_source *s = xcalloc(n, sizeof(*s)), *from = NULL;
	grab(inv, inv->sources, n, &fo, s, &ms);
	int rc = count_loaded(s, n, e);
	if (rc == 0)
		rc = combine(s, n, p, &from, e);
	if (rc == 0) {
		struct symbolz_options remote = fetch_symbolz_options(&fo, &ms);
		struct symbolize_options so = { inv->symbolize, inv->exec_name, &remote };
		rc = symbolize_profile(p, &so, e);
		if (rc < 0)
			profile_free(p);
	}
	if (rc == 0)
		fetch_unsource_mappings(p);
	/* pprof keeps a copy of what it fetched. */
	if (rc == 0 && from->fetch.url) {
		const struct strbuf *body = &from->fetch.http.body;
		rc = fetch_save(p, (const uint8_t *)body->buf, body->len, e);
		if (rc < 0)
			profile_free(p);
	}
	free_loaded(s, n);
	mapping_sources_free(&ms);
	return rc;
}
