#include "load/http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "load/url.h"
#include "util/arena.h"

/* The libcurl ABI cpprof is written against (libcurl 7.x and 8.x). */
#define CURL_SONAME "libcurl.so.4"

/* Go's net/http follows at most this many redirects. */
enum { MAX_REDIRECTS = 10 };

/* OpenSSL's X509_V_ERR_* codes that Go reports as an unknown authority or a bad date. */
static const long unknown_authority[] = { 2, 18, 19, 20, 21 };
static const long bad_date[] = { 9, 10 };

/*
 * libcurl is loaded when the first exchange starts, not with cpprof: it
 * brings some thirty libraries (TLS, HTTP/2, Kerberos, LDAP...) whose
 * loading would cost every run milliseconds, while few runs fetch.
 */
static struct curl_library {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *curl);
	const char *(*easy_strerror)(CURLcode code);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_add_handle)(CURLM *multi, CURL *curl);
	CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *curl);
	CURLMcode (*multi_perform)(CURLM *multi, int *running);
	CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd extra[], unsigned int n, int timeout_ms,
				int *ready);
	CURLMsg *(*multi_info_read)(CURLM *multi, int *left);
	CURLMcode (*multi_cleanup)(CURLM *multi);
	const char *(*multi_strerror)(CURLMcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
} lib;

#define CURL_SYMBOL(name) { "curl_" #name, offsetof(struct curl_library, name) }

static const struct curl_symbol {
	const char *name;
	size_t offset;
} curl_symbols[] = {
	CURL_SYMBOL(global_init), CURL_SYMBOL(global_cleanup), CURL_SYMBOL(easy_init),
	CURL_SYMBOL(easy_setopt), CURL_SYMBOL(easy_getinfo), CURL_SYMBOL(easy_cleanup),
	CURL_SYMBOL(easy_strerror), CURL_SYMBOL(multi_init), CURL_SYMBOL(multi_add_handle),
	CURL_SYMBOL(multi_remove_handle), CURL_SYMBOL(multi_perform), CURL_SYMBOL(multi_poll),
	CURL_SYMBOL(multi_info_read), CURL_SYMBOL(multi_cleanup), CURL_SYMBOL(multi_strerror),
	CURL_SYMBOL(slist_append), CURL_SYMBOL(slist_free_all),
};

/* Loads libcurl once; returns NULL, or why it cannot be used. */
static const char *load_curl(void)
{
	static bool tried;
	static char failure[512];
	if (tried)
		return failure[0] ? failure : NULL;
	tried = true;
	void *handle = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		snprintf(failure, sizeof(failure), "cannot load %s: %s", CURL_SONAME, dlerror());
		return failure;
	}
	for (size_t i = 0; i < sizeof(curl_symbols) / sizeof(curl_symbols[0]); i++) {
		void *f = dlsym(handle, curl_symbols[i].name);
		if (!f) {
			snprintf(failure, sizeof(failure), "cannot load %s: no %s", CURL_SONAME,
				 curl_symbols[i].name);
			return failure;
		}
		/* POSIX guarantees that a function's address survives this copy. */
		memcpy((char *)&lib + curl_symbols[i].offset, &f, sizeof(f));
	}
	return NULL;
}

/* One exchange in flight. */
struct transfer {
	struct http_exchange *x;
	CURL *curl;
	struct arena arena;
	const char *request_url;	/* the URL Go would request: https+insecure made https */
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	/* the response being received: status line and the headers pprof reads */
	char *status;			/* "404 Not Found" */
	long code;
	bool go_pprof, text_plain, content_type_seen;
	bool final_headers;		/* the headers of the final response are in */
	bool added, done;		/* to the multi handle; finished */
};

/* Whether the header line is `name: value`, and its value without blanks around it. */
static bool header_value(const char *line, size_t len, const char *name, const char **value, size_t *vlen)
{
	size_t n = strlen(name);
	if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
		return false;
	const char *v = line + n + 1;
	const char *end = line + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*value = v;
	*vlen = (size_t)(end - v);
	return true;
}

/* A redirect curl follows, or an informational answer: another response comes. */
static bool is_interim(long code)
{
	return (code >= 100 && code < 200) || code == 301 || code == 302 || code == 303 || code == 307 ||
	       code == 308;
}

/* A response starts: "HTTP/1.1 404 Not Found" gives the status Go prints, "404 Not Found". */
static void on_status_line(struct transfer *t, const char *line, size_t len)
{
	const char *space = memchr(line, ' ', len);
	const char *status = space ? space : line + len;
	while (status < line + len && *status == ' ')
		status++;
	t->status = arena_strndup(&t->arena, status, (size_t)(line + len - status));
	t->code = strtol(t->status, NULL, 10);
	t->go_pprof = t->text_plain = t->content_type_seen = false;
	t->final_headers = false;
	strbuf_reset(&t->x->body);	/* only the last response's body counts */
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct transfer *t = ctx;
	size_t len = size * n, line_len = len;
	while (line_len > 0 && (data[line_len - 1] == '\n' || data[line_len - 1] == '\r'))
		line_len--;
	const char *value;
	size_t vlen;
	if (line_len >= 5 && !strncmp(data, "HTTP/", 5)) {
		on_status_line(t, data, line_len);
	} else if (line_len == 0) {
		t->final_headers = !is_interim(t->code);
	} else if (header_value(data, line_len, "X-Go-Pprof", &value, &vlen)) {
		t->go_pprof = t->go_pprof || vlen > 0;
	} else if (!t->content_type_seen && header_value(data, line_len, "Content-Type", &value, &vlen)) {
		/* Go's Header.Get reads the first Content-Type only. */
		t->content_type_seen = true;
		t->text_plain = memmem(value, vlen, "text/plain", 10) != NULL;
	}
	return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct transfer *t = ctx;
	strbuf_add(&t->x->body, data, size * n);
	return size * n;
}

/* Go's net.IP.IsLoopback, and "localhost": hosts Go never reaches through a proxy. */
static bool is_loopback(const char *host)
{
	unsigned char addr[16];
	if (!strcasecmp(host, "localhost"))
		return true;
	if (inet_pton(AF_INET, host, addr) == 1)
		return addr[0] == 127;
	if (inet_pton(AF_INET6, host, addr) != 1)
		return false;
	static const unsigned char loopback6[16] = { [15] = 1 };
	static const unsigned char v4_mapped[12] = { [10] = 0xff, [11] = 0xff };
	return !memcmp(addr, loopback6, 16) || (!memcmp(addr, v4_mapped, 12) && addr[12] == 127);
}


/* Whether path can be opened for reading (errno tells why not). */
static bool readable(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f)
		fclose(f);
	return f != NULL;
}

/* pprof's checks of -tls_cert, -tls_key and -tls_ca, made before any request. */
static int check_tls(const struct http_tls *tls, struct error *e)
{
	bool cert = tls->cert && *tls->cert, key = tls->key && *tls->key;
	if (key && !cert)
		return error_set(e, "-tls_key is specified, so -tls_cert must also be specified");
	if (cert && !key)
		return error_set(e, "-tls_cert is specified, so -tls_key must also be specified");
	const char *unreadable = NULL;
	if (cert && !readable(tls->cert))
		unreadable = tls->cert;
	else if (cert && !readable(tls->key))
		unreadable = tls->key;
	if (unreadable)
		return error_set(e, "could not load certificate/key pair specified by -tls_cert and -tls_key: "
				    "open %s: %s", unreadable, go_strerror(errno, (char[128]){ 0 }, 128));
	if (tls->ca && *tls->ca && !readable(tls->ca))
		return error_set(e, "could not load CA specified by -tls_ca: open %s: %s", tls->ca,
				 go_strerror(errno, (char[128]){ 0 }, 128));
	return 0;
}

/* The URL Go requests: https+insecure is https without verification. */
static int request_url(struct transfer *t, bool *insecure, struct error *e)
{
	struct go_url u;
	if (url_parse(&t->arena, t->x->url, &u, e) < 0)
		return -1;
	*insecure = !strcmp(u.scheme, "https+insecure");
	if (*insecure)
		u.scheme = "https";
	t->request_url = url_string(&t->arena, &u);
	if (is_loopback(url_hostname(&t->arena, &u)))
		lib.easy_setopt(t->curl, CURLOPT_PROXY, "");
	return 0;
}

static void set_tls(CURL *c, const struct http_tls *tls, bool insecure)
{
	if (insecure) {
		lib.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		lib.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (tls->cert && *tls->cert) {
		lib.easy_setopt(c, CURLOPT_SSLCERT, tls->cert);
		lib.easy_setopt(c, CURLOPT_SSLKEY, tls->key);
	}
	if (tls->ca && *tls->ca)
		lib.easy_setopt(c, CURLOPT_CAINFO, tls->ca);
}

static void set_request(struct transfer *t)
{
	CURL *c = t->curl;
	lib.easy_setopt(c, CURLOPT_URL, t->request_url);
	lib.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	lib.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	lib.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	lib.easy_setopt(c, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
	/* Go sends the path as it is, and speaks HTTP/1.1 with a custom TLS config. */
	lib.easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	lib.easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	lib.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
	lib.easy_setopt(c, CURLOPT_USERAGENT, "cpprof");
	lib.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	lib.easy_setopt(c, CURLOPT_TIMEOUT_MS, t->x->limit_ms);
	lib.easy_setopt(c, CURLOPT_ERRORBUFFER, t->errbuf);
	lib.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	lib.easy_setopt(c, CURLOPT_HEADERDATA, t);
	lib.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	lib.easy_setopt(c, CURLOPT_WRITEDATA, t);
	lib.easy_setopt(c, CURLOPT_PRIVATE, t);
	if (t->x->post) {
		t->headers = lib.slist_append(t->headers, "Content-Type: application/octet-stream");
		t->headers = lib.slist_append(t->headers, "Expect:");
		lib.easy_setopt(c, CURLOPT_HTTPHEADER, t->headers);
		lib.easy_setopt(c, CURLOPT_POSTFIELDS, t->x->post);
		lib.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(t->x->post));
	}
}

/* Prepares a transfer; on failure the exchange has failed already. */
static int start(struct transfer *t, struct http_exchange *x, const struct http_tls *tls)
{
	t->x = x;
	arena_init(&t->arena);
	t->curl = lib.easy_init();
	bool insecure = false;
	int rc = t->curl ? 0 : error_set(&x->err, "cannot start a transfer");
	if (rc == 0)
		rc = request_url(t, &insecure, &x->err);
	if (rc == 0 && check_tls(tls, &x->err) < 0)
		rc = error_prefix(&x->err, "%s %s: ", x->post ? "Post" : "Get",
				  go_quote(&t->arena, t->request_url));
	if (rc < 0) {
		x->failed = true;
		return -1;
	}
	set_tls(t->curl, tls, insecure);
	set_request(t);
	return 0;
}

static bool listed(long v, const long *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

static const char *hostname_of(struct transfer *t, const char *url)
{
	struct go_url u;
	struct error ignored = ERROR_INIT;
	int rc = url_parse(&t->arena, url, &u, &ignored);
	error_clear(&ignored);
	return rc < 0 ? url : url_hostname(&t->arena, &u);
}

/* The address Go dials for url: host:port, the port defaulting to the scheme's. */
static const char *dial_address(struct transfer *t, const char *url)
{
	struct go_url u;
	struct error ignored = ERROR_INIT;
	int rc = url_parse(&t->arena, url, &u, &ignored);
	error_clear(&ignored);
	if (rc < 0)
		return url;
	const char *host = url_hostname(&t->arena, &u);
	const char *colon = strrchr(u.host, ':');
	const char *port = colon && !strchr(colon, ']') && colon[1] ? colon + 1
			 : !strcmp(u.scheme, "http") ? "80" : "443";
	return arena_printf(&t->arena, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
}

/* "IP:port" of the peer, with IPv6 in brackets, as Go prints addresses. */
static const char *peer_address(struct transfer *t, CURLINFO ip_info, CURLINFO port_info)
{
	char *ip = NULL;
	long port = 0;
	lib.easy_getinfo(t->curl, ip_info, &ip);
	lib.easy_getinfo(t->curl, port_info, &port);
	if (!ip || !*ip)
		return NULL;
	return arena_printf(&t->arena, strchr(ip, ':') ? "[%s]:%ld" : "%s:%ld", ip, port);
}

/* libcurl's explanation of a failure. */
static const char *curl_reason(const struct transfer *t, CURLcode rc)
{
	return *t->errbuf ? t->errbuf : lib.easy_strerror(rc);
}

static const char *tls_failure(struct transfer *t)
{
	long verify = 0;
	lib.easy_getinfo(t->curl, CURLINFO_SSL_VERIFYRESULT, &verify);
	if (listed(verify, unknown_authority, sizeof(unknown_authority) / sizeof(long)))
		return "x509: certificate signed by unknown authority";
	if (listed(verify, bad_date, sizeof(bad_date) / sizeof(long)))
		return "x509: certificate has expired or is not yet valid";
	return curl_reason(t, CURLE_PEER_FAILED_VERIFICATION);
}

/* A socket error while talking: Go's "read tcp LOCAL->PEER: read: reason". */
static const char *io_failure(struct transfer *t, CURLcode rc, const char *op)
{
	long err = 0;
	lib.easy_getinfo(t->curl, CURLINFO_OS_ERRNO, &err);
	const char *local = peer_address(t, CURLINFO_LOCAL_IP, CURLINFO_LOCAL_PORT);
	const char *peer = peer_address(t, CURLINFO_PRIMARY_IP, CURLINFO_PRIMARY_PORT);
	if (!err || !local || !peer)
		return curl_reason(t, rc);
	return arena_printf(&t->arena, "%s tcp %s->%s: %s: %s", op, local, peer, op,
			    go_strerror((int)err, (char[128]){ 0 }, 128));
}

/*
 * Go's words for a failed transfer.  *wrapped tells whether Go puts
 * `Get "URL": ` in front: it does for failures before the response's
 * headers, not for those while reading its body.
 */
static const char *transport_failure(struct transfer *t, CURLcode rc, const char *url, bool *wrapped)
{
	long err = 0;
	*wrapped = !t->final_headers;
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return arena_printf(&t->arena, "dial tcp: lookup %s: no such host", hostname_of(t, url));
	case CURLE_COULDNT_CONNECT: {
		lib.easy_getinfo(t->curl, CURLINFO_OS_ERRNO, &err);
		const char *peer = peer_address(t, CURLINFO_PRIMARY_IP, CURLINFO_PRIMARY_PORT);
		return arena_printf(&t->arena, "dial tcp %s: connect: %s", peer ? peer : dial_address(t, url),
				    go_strerror(err ? (int)err : ECONNREFUSED, (char[128]){ 0 }, 128));
	}
	case CURLE_OPERATION_TIMEDOUT:
		return t->final_headers
			       ? "context deadline exceeded (Client.Timeout or context cancellation while reading body)"
			       : "net/http: timeout awaiting response headers";
	case CURLE_PEER_FAILED_VERIFICATION:
		return tls_failure(t);
	case CURLE_SSL_CONNECT_ERROR:
		if (strstr(t->errbuf, "wrong version number"))
			return "tls: first record does not look like a TLS handshake";
		return curl_reason(t, rc);
	case CURLE_GOT_NOTHING:
		return "EOF";
	case CURLE_PARTIAL_FILE:
		return "unexpected EOF";
	case CURLE_RECV_ERROR:
		return io_failure(t, rc, "read");
	case CURLE_SEND_ERROR:
		return io_failure(t, rc, "write");
	case CURLE_TOO_MANY_REDIRECTS:
		*wrapped = true;
		return "stopped after 10 redirects";
	case CURLE_UNSUPPORTED_PROTOCOL: {
		size_t n = strcspn(url, ":");
		return arena_printf(&t->arena, "unsupported protocol scheme %s",
				    go_quote(&t->arena, arena_strndup(&t->arena, url, n)));
	}
	default:
		return curl_reason(t, rc);
	}
}

/* pprof's statusCodeError. */
static void status_failure(struct transfer *t)
{
	struct http_exchange *x = t->x;
	const char *status = t->status ? t->status : arena_printf(&t->arena, "%ld", t->code);
	if (t->go_pprof && t->text_plain) {
		size_t len = x->body.len;
		if (len > 0 && x->body.buf[len - 1] == '\n')
			len--;
		error_set(&x->err, "server response: %s - %.*s", status, (int)len, x->body.buf);
	} else {
		error_set(&x->err, "server response: %s", status);
	}
	x->failed = true;
}

static void finish(struct transfer *t, CURLcode rc)
{
	struct http_exchange *x = t->x;
	t->done = true;
	if (rc == CURLE_OK) {
		long code = 0;
		lib.easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
		if (code != 200) {
			t->code = code;
			status_failure(t);
		}
		return;
	}
	long redirects = 0;
	char *effective = NULL;
	lib.easy_getinfo(t->curl, CURLINFO_REDIRECT_COUNT, &redirects);
	lib.easy_getinfo(t->curl, CURLINFO_EFFECTIVE_URL, &effective);
	const char *url = redirects > 0 && effective ? effective : t->request_url;
	bool wrapped;
	const char *why = transport_failure(t, rc, url, &wrapped);
	if (wrapped)
		error_set(&x->err, "%s %s: %s", x->post ? "Post" : "Get", go_quote(&t->arena, url), why);
	else
		error_set(&x->err, "%s", why);
	x->failed = true;
}

static void fail_all(struct transfer *t, size_t n, const char *why)
{
	for (size_t i = 0; i < n; i++) {
		if (!t[i].added || t[i].done)
			continue;
		error_set(&t[i].x->err, "%s", why);
		t[i].x->failed = true;
	}
}

/* Drives every transfer to its end, finishing each as it completes. */
static void perform(CURLM *multi, struct transfer *t, size_t n)
{
	int running = 1;
	while (running) {
		CURLMcode mc = lib.multi_perform(multi, &running);
		if (mc == CURLM_OK && running)
			mc = lib.multi_poll(multi, NULL, 0, 1000, NULL);
		if (mc != CURLM_OK) {
			fail_all(t, n, lib.multi_strerror(mc));
			return;
		}
		CURLMsg *msg;
		int left;
		while ((msg = lib.multi_info_read(multi, &left))) {
			char *done = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			lib.easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &done);
			finish((struct transfer *)(void *)done, msg->data.result);
		}
	}
}

void http_run(struct http_exchange *const *x, size_t n, const struct http_tls *tls)
{
	for (size_t i = 0; i < n; i++) {
		x[i]->failed = false;
		strbuf_init(&x[i]->body);
		strbuf_init(&x[i]->err.msg);
	}
	const char *unusable = n ? load_curl() : NULL;
	if (unusable) {
		for (size_t i = 0; i < n; i++) {
			error_set(&x[i]->err, "%s", unusable);
			x[i]->failed = true;
		}
		return;
	}
	if (n == 0)
		return;
	lib.global_init(CURL_GLOBAL_DEFAULT);
	CURLM *multi = lib.multi_init();
	struct transfer *t = xcalloc(n, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		if (start(&t[i], x[i], tls) < 0)
			continue;
		t[i].added = lib.multi_add_handle(multi, t[i].curl) == CURLM_OK;
		if (!t[i].added) {
			error_set(&x[i]->err, "cannot start a transfer");
			x[i]->failed = true;
		}
	}
	perform(multi, t, n);
	for (size_t i = 0; i < n; i++) {
		if (t[i].added)
			lib.multi_remove_handle(multi, t[i].curl);
		if (t[i].curl)
			lib.easy_cleanup(t[i].curl);
		lib.slist_free_all(t[i].headers);
		arena_free(&t[i].arena);
		if (x[i]->failed)
			strbuf_release(&x[i]->body);
	}
	free(t);
	lib.multi_cleanup(multi);
	lib.global_cleanup();
}

void http_exchange_free(struct http_exchange *x)
{
	strbuf_release(&x->body);
	error_clear(&x->err);
}
