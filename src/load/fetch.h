/*
 * fetch.h - profiles from URLs, the way `go tool pprof` fetches them.
 *
 * fetch_url() decides whether a source is a URL and what pprof requests
 * for it (pprof's adjustURL: `host:port` means `http://host:port`, an
 * empty path means /debug/pprof/profile, -seconds sets ?seconds=, and the
 * time limit follows from both).  fetch_run() fetches any number of
 * sources at once, announcing each on stderr as pprof does.
 *
 * A profile fetched from a URL remembers where its mappings came from
 * (fetch_note_sources(), pprof's collectMappingSources), so that
 * symbolization can ask that server for symbols, and forgets it again
 * afterwards (fetch_unsource_mappings()).  fetch_save() keeps a copy of
 * what was fetched in $PPROF_TMPDIR or $HOME/pprof, named as pprof names
 * it, e.g. pprof.havlak.samples.cpu.001.pb.gz.
 *
 * A struct fetch owns its url and its exchange; fetch_free() releases them.
 */
#ifndef CPPROF_FETCH_H
#define CPPROF_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "load/http.h"
#include "profile/profile.h"
#include "symbolize/symbolz.h"

/* What the command line says about fetching. */
struct fetch_options {
	int seconds;		/* -seconds; <= 0 when not given */
	int timeout;		/* -timeout in seconds; <= 0 when not given */
	struct http_tls tls;
};

/* One remote source. */
struct fetch {
	const char *source;	/* as named on the command line */
	char *url;		/* what pprof requests for it; NULL: not a URL */
	struct http_exchange http;	/* its body, or why it failed */
};

/*
 * pprof's adjustURL: the URL to fetch for source (malloc'd), or NULL if
 * source is not a URL.  *limit_ms is how long the fetch may take: the
 * timeout (-timeout, else 1.5 times the profile's duration, else 60 s)
 * plus the 5 s pprof allows on top.
 */
char *fetch_url(const char *source, const struct fetch_options *o, long *limit_ms);

/* Sets f up to fetch source; false (and nothing to free) if source is not a URL. */
bool fetch_prepare(struct fetch *f, const char *source, const struct fetch_options *o);

/*
 * Fetches the n prepared sources concurrently.  Prints "Fetching profile
 * over HTTP from URL" (and "Please wait... (30s)" with -seconds) for each.
 */
void fetch_run(struct fetch *const *f, size_t n, const struct fetch_options *o);
void fetch_free(struct fetch *f);

/* How remote symbolization posts to the servers of ms. */
struct symbolz_options fetch_symbolz_options(const struct fetch_options *o, const struct mapping_sources *ms);

/*
 * pprof's collectMappingSources: records that p's mappings came from url,
 * and names url as the file of mappings that name no file nor build id.
 */
void fetch_note_sources(struct profile *p, const char *url, struct mapping_sources *ms);
/* pprof's unsourceMappings: mappings whose file is a URL get no file again. */
void fetch_unsource_mappings(struct profile *p);

/*
 * Saves data, the fetched form of p (gzipped here if it was not), as
 * pprof.<binary>.<sample types>.NNN.pb.gz in $PPROF_TMPDIR, else
 * $HOME/pprof, else the system's temporary directory.  Prints "Saved
 * profile in PATH", or why it could not ("Could not save profile: ..."),
 * and goes on: a failed save leaves no file behind.  Fails only when no
 * directory at all can be used, as pprof does.
 */
int fetch_save(const struct profile *p, const uint8_t *data, size_t len, struct error *e);

#endif
