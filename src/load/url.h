/*
 * url.h - URLs as Go's net/url parses and prints them.
 *
 * pprof decides whether a source is a URL, and prints the URL it fetches,
 * through net/url: url_parse() is Go's url.Parse, url_string() its
 * URL.String(), and url_values the url.Values of a query (parsed, changed
 * with Set, encoded with its keys sorted).  Reproducing those rules, not
 * merely parsing URLs, is what makes `host:port` a URL and `dir/x.pb.gz` a
 * file, and prints `?seconds=30` where pprof prints it.
 *
 * Every string these functions return, and every string of a go_url or
 * url_values they fill, is allocated in the arena passed to them.
 */
#ifndef CPPROF_URL_H
#define CPPROF_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/error.h"

/* Go's url.URL: [scheme:][//[userinfo@]host][/]path[?query][#fragment]. */
struct go_url {
	const char *scheme;	/* lower-cased */
	const char *opaque;	/* scheme:opaque, encoded */
	bool has_user, password_set;
	const char *username, *password;	/* decoded */
	const char *host;	/* host or host:port, decoded */
	const char *path;	/* decoded */
	const char *raw_path;	/* the encoding given, if not the default one */
	bool omit_host, force_query;
	const char *raw_query;	/* encoded, without '?' */
	const char *fragment;	/* decoded */
	const char *raw_fragment;
};

/*
 * Go's url.Parse.  Returns 0, or -1 with Go's reason in e, e.g.
 * "first path segment in URL cannot contain colon" or
 * "invalid port \":x\" after host".
 */
int url_parse(struct arena *a, const char *raw, struct go_url *u, struct error *e);
/* Go's URL.String(). */
char *url_string(struct arena *a, const struct go_url *u);
/* Go's URL.Hostname(): the host without port and without IPv6 brackets. */
char *url_hostname(struct arena *a, const struct go_url *u);

/* Go's url.Values: every key=value pair of a query, in order. */
struct url_values {
	struct url_pair {
		const char *key, *value;
	} *pairs;
	size_t n, cap;
};

/* Go's url.ParseQuery, ignoring (dropping) pairs it rejects. */
void url_values_parse(struct arena *a, const char *query, struct url_values *v);
/* The first value of key, or "". */
const char *url_values_get(const struct url_values *v, const char *key);
/* Replaces every value of key with this one. */
void url_values_set(struct arena *a, struct url_values *v, const char *key, const char *value);
/* Go's Values.Encode: "k=v&k2=v2", keys sorted, values in order. */
char *url_values_encode(struct arena *a, const struct url_values *v);

/* Go's strconv.Quote of s, for messages that quote a URL. */
char *go_quote(struct arena *a, const char *s);

#endif
