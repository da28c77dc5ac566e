#include "load/source.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/proto.h"
#include "symbolize/prune.h"
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

int load_sources(const struct invocation *inv, struct profile *p, struct error *e)
{
	if (inv->nsources > 1)
		return error_set(e, "merging several profiles is not available in this version of cpprof");
	if (load_file(inv->sources[0], p, e) < 0) {
		error_prefix(e, "%s: ", inv->sources[0]);
		strbuf_addstr(&e->msg, "\nfailed to fetch any source profiles");
		return -1;
	}
	add_missing_mapping(p);
	struct symbolize_options so = { inv->symbolize, inv->exec_name, inv->build_id };
	if (symbolize_profile(p, &so, e) < 0)
		return -1;
	profile_remove_uninteresting(p);
	return 0;
}
