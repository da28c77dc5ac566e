/*
 * http.h - HTTP GETs and POSTs through libcurl, several at once, failing
 * with the words Go's net/http client uses.
 *
 * pprof talks HTTP twice: to fetch profiles (fetch.c) and to post
 * addresses to a symbol handler (symbolize/symbolz.c).  Both go through
 * http_run(), which performs any number of exchanges concurrently in one
 * thread and leaves each one's body or error in its struct http_exchange.
 *
 * Rules taken from pprof and Go: the scheme "https+insecure" is https
 * without certificate verification (nothing else turns verification
 * off); redirects are followed (at most 10); requests to loopback hosts
 * never go through a proxy; an answer other than 200 fails with
 * "server response: <status>", plus the body when a Go pprof handler sent
 * it (X-Go-Pprof and a text/plain body).  A transport failure reads like
 * Go's: `Get "URL": dial tcp 127.0.0.1:1: connect: connection refused`.
 * TLS settings that cannot be used fail every exchange, as in pprof.
 *
 * An exchange owns its body and error; http_exchange_free() releases them.
 */
#ifndef CPPROF_HTTP_H
#define CPPROF_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"
#include "util/strbuf.h"

/* Client certificate and trusted CAs, from -tls_cert, -tls_key, -tls_ca. */
struct http_tls {
	const char *cert;
	const char *key;
	const char *ca;
};

struct http_exchange {
	/* What to do */
	const char *url;	/* as pprof prints it; may use https+insecure */
	const char *post;	/* body to POST as application/octet-stream; NULL: GET */
	long limit_ms;		/* the whole exchange must end within this */
	/* What happened */
	bool failed;
	struct error err;	/* why, when failed */
	struct strbuf body;	/* the answer's body, when not failed */
};

/* Performs the n exchanges concurrently; each records its own outcome (failed, err, body). */
void http_run(struct http_exchange *const *x, size_t n, const struct http_tls *tls);

void http_exchange_free(struct http_exchange *x);

#endif
