/*
 * symbolz.h - remote symbolization: asking the server a profile was
 * fetched from for the names of its addresses, as pprof's symbolz package
 * does.
 *
 * A profile fetched from http://host/debug/pprof/profile has its symbol
 * handler at http://host/debug/pprof/symbol (any other path: /symbolz).
 * For every mapping that came from such a server and has no function
 * names yet, symbolz_symbolize() posts the addresses of its unsymbolized
 * locations ("0x401000+0x401100") and gives each answered address
 * ("0x401000 main.leaf") a function of that name.
 *
 * struct mapping_sources records where mappings came from: for each
 * mapping of a fetched profile, its key (build id, else file name, else
 * the URL itself), the URL and the mapping's start address there.  It owns
 * copies of all its strings.
 */
#ifndef CPPROF_SYMBOLZ_H
#define CPPROF_SYMBOLZ_H

#include <stdbool.h>
#include <stdint.h>

#include "load/http.h"
#include "profile/profile.h"
#include "util/arena.h"
#include "util/error.h"

struct mapping_source {
	const char *key;
	const char *url;
	uint64_t start;
};

struct mapping_sources {
	struct arena arena;
	struct mapping_source *items;
	size_t n, cap;
};

void mapping_sources_init(struct mapping_sources *ms);
void mapping_sources_add(struct mapping_sources *ms, const char *key, const char *url, uint64_t start);
void mapping_sources_free(struct mapping_sources *ms);

/* Where to post symbol queries, and how. */
struct symbolz_options {
	const struct mapping_sources *sources;
	struct http_tls tls;
	long limit_ms;		/* for each query */
};

/* Whether a mapping's file is the URL it was fetched from (an absolute URL with an http scheme). */
bool symbolz_is_source_url(const char *file);

/* The symbol handler for a profile URL, in the arena; NULL if source is no URL with a host. */
char *symbolz_url(struct arena *a, const char *source);

/*
 * pprof's symbolz.Symbolize: names the functions of p's remote mappings
 * (all of them with force, else those without function names).  Returns
 * 0, or -1 if a query failed: pprof gives up then.
 */
int symbolz_symbolize(struct profile *p, bool force, const struct symbolz_options *o, struct error *e);

/*
 * Reads one line of a symbol handler's answer, as pprof's
 * `(0x[[:xdigit:]]+)\s+(.*)` does: true if it names an address, with the
 * address text in addr (addr_len bytes) and the name, up to the end of
 * the line, in name (name_len bytes).
 */
bool symbolz_parse_line(const char *line, size_t len, const char **addr, size_t *addr_len,
			const char **name, size_t *name_len);

#endif
