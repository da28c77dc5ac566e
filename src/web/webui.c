#include "web/webui.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "load/url.h"
#include "render/output.h"
#include "util/arena.h"
#include "web/pages.h"
#include "web/query.h"

struct server {
	struct web_ui ui;
	bool local_only;	/* served on a loopback name: loopback clients only */
};

/* pprof's isLocalhost. */
static bool is_localhost(const char *host)
{
	return !strcmp(host, "localhost") || !strcmp(host, "127.0.0.1") || !strcmp(host, "[::1]") ||
	       !strcmp(host, "::1");
}

static bool client_is_loopback(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!info || !info->client_addr)
		return false;
	const struct sockaddr *sa = info->client_addr;
	if (sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)sa)->sin_addr.s_addr == htonl(INADDR_LOOPBACK);
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return false;
}

/* Keeps each request's whole URI (with its query, which pprof parses the way Go does). */
static void *keep_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	return strdup(uri);
}

static void forget_uri(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)c;
	(void)why;
	free(*req_cls);
	*req_cls = NULL;
}

static enum MHD_Result queue(struct MHD_Connection *c, const struct web_response *resp)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(resp->body.len, resp->body.buf, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
	if (resp->location)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, resp->location);
	if (resp->disposition)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, resp->disposition);
	enum MHD_Result rc = MHD_queue_response(c, resp->status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *path, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **req_cls)
{
	(void)method;
	(void)version;
	(void)upload;
	const struct server *srv = cls;
	if (*upload_size) {	/* request bodies mean nothing here */
		*upload_size = 0;
		return MHD_YES;
	}
	struct web_response resp;
	if (srv->local_only && !client_is_loopback(c)) {
		memset(&resp, 0, sizeof(resp));
		strbuf_init(&resp.body);
		resp.status = 403;
		resp.content_type = "text/plain; charset=utf-8";
		strbuf_addstr(&resp.body, "permission denied\n");
	} else {
		const char *uri = *req_cls ? *req_cls : path;
		const char *query = strchr(uri, '?');
		web_respond(&srv->ui, path, query ? query + 1 : "", &resp);
	}
	enum MHD_Result rc = queue(c, &resp);
	web_response_free(&resp);
	return rc;
}

static int address_error(struct error *e, const char *hostport, const char *why)
{
	return error_set(e, "could not split http address: address %s: %s", hostport, why);
}

/* Go's net.SplitHostPort, with pprof's words around its errors. */
static int split_host_port(const char *hostport, char **host, char **port, struct error *e)
{
	const char *colon = strrchr(hostport, ':');
	const char *start = hostport, *end;
	if (!colon)
		return address_error(e, hostport, "missing port in address");
	if (*hostport == '[') {
		end = strchr(hostport, ']');
		if (!end)
			return address_error(e, hostport, "missing ']' in address");
		if (end + 1 != colon)
			return address_error(e, hostport, end[1] ? "too many colons in address" :
								   "missing port in address");
		start = hostport + 1;
	} else {
		end = colon;
		if (memchr(hostport, ':', (size_t)(end - hostport)))
			return address_error(e, hostport, "too many colons in address");
	}
	if (memchr(start, '[', (size_t)(end - start)))
		return address_error(e, hostport, "unexpected '[' in address");
	if (memchr(start, ']', (size_t)(end - start)) || strchr(colon + 1, ']'))
		return address_error(e, hostport, "unexpected ']' in address");
	*host = strndup(start, (size_t)(end - start));
	*port = strdup(colon + 1);
	return 0;
}

/* pprof's port: a free one when empty, else an integer (strconv.Atoi's words). */
static int parse_port(const char *text, long *port, struct error *e)
{
	const char *p = text + (*text == '+' || *text == '-');
	bool digits = *p != '\0';
	for (; *p; p++)
		digits &= *p >= '0' && *p <= '9';
	if (*text && !digits)
		return error_set(e, "invalid port number: strconv.Atoi: parsing \"%s\": invalid syntax", text);
	*port = *text ? strtol(text, NULL, 10) : 0;
	if (*port < 0 || *port > 65535)
		return error_set(e, "listen tcp: address %s: invalid port", text);
	return 0;
}

/* A listening socket on host:port, and the port it got; Go's words on failure. */
static int listen_on(const char *host, long port, int *fd, unsigned *bound, struct error *e)
{
	char why[128], service[16];
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *list;
	snprintf(service, sizeof(service), "%ld", port);
	/* localhost is the loopback address (RFC 6761), even where no hosts file says so */
	if (!strcmp(host, "localhost"))
		host = "127.0.0.1";
	if (getaddrinfo(host, service, &hints, &list) != 0)
		return error_set(e, "listen tcp: lookup %s: no such host", host);
	const struct addrinfo *ai = list;	/* as Go: IPv4 first */
	for (const struct addrinfo *a = list; a; a = a->ai_next)
		if (a->ai_family == AF_INET) {
			ai = a;
			break;
		}
	char numeric[INET6_ADDRSTRLEN + 8];
	getnameinfo(ai->ai_addr, ai->ai_addrlen, numeric, sizeof(numeric), NULL, 0, NI_NUMERICHOST);
	int rc = 0, one = 1;
	const char *step = "socket";
	*fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*fd >= 0) {
		setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		step = "bind";
		if (bind(*fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			step = "listen";
			if (listen(*fd, SOMAXCONN) == 0)
				step = NULL;
		}
	}
	if (step) {
		int err = errno;
		rc = error_set(e, ai->ai_family == AF_INET6 ? "listen tcp [%s]:%ld: %s: %s" : "listen tcp %s:%ld: %s: %s",
			       numeric, port, step, go_strerror(err, why, sizeof(why)));
		if (*fd >= 0)
			close(*fd);
	} else {
		struct sockaddr_storage sa;
		socklen_t len = sizeof(sa);
		getsockname(*fd, (struct sockaddr *)&sa, &len);
		*bound = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port :
							 ((struct sockaddr_in *)&sa)->sin_port);
	}
	freeaddrinfo(list);
	return rc;
}

/* Go's net.JoinHostPort. */
static void add_host_port(struct strbuf *sb, const char *host, unsigned port)
{
	strbuf_addf(sb, strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
}

/* pprof's openBrowser: the first page, with the command line's settings in its URL. */
static void open_first_page(const char *base, const struct config *cfg)
{
	struct arena a;
	struct url_values q = { NULL, 0, 0 };
	arena_init(&a);
	query_from_config(&a, cfg, &q);
	struct strbuf url = STRBUF_INIT;
	strbuf_addstr(&url, base);
	if (q.n)
		strbuf_addf(&url, "?%s", url_values_encode(&a, &q));
	if (!output_open_browser(url.buf))
		fprintf(stderr, "%s\n", url.buf);
	strbuf_release(&url);
	arena_free(&a);
}

/* Blocks until SIGINT or SIGTERM arrives (blocked in every thread started after the mask). */
static void wait_for_interrupt(const sigset_t *set)
{
	int sig;
	while (sigwait(set, &sig) != 0)
		;
}

int webui_serve(const char *hostport, const struct profile *p, const struct config *cfg, bool open_browser,
		struct error *e)
{
	char *host = NULL, *port_text = NULL;
	long port = 0;
	int fd = -1;
	unsigned bound = 0;
	if (split_host_port(hostport, &host, &port_text, e) < 0)
		return -1;
	if (!*host) {
		free(host);
		host = strdup("localhost");
	}
	int rc = parse_port(port_text, &port, e);
	if (rc == 0)
		rc = listen_on(host, port, &fd, &bound, e);
	struct server srv = { { p, cfg }, is_localhost(host) };
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	struct MHD_Daemon *d = NULL;
	bool masked = rc == 0;
	if (masked) {
		pthread_sigmask(SIG_BLOCK, &set, &old);
		d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL, answer, &srv,
				     MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_URI_LOG_CALLBACK, keep_uri, NULL,
				     MHD_OPTION_NOTIFY_COMPLETED, forget_uri, NULL, MHD_OPTION_END);
		if (!d) {
			close(fd);
			rc = error_set(e, "serving the web UI on %s failed", hostport);
		}
	}
	if (rc == 0) {
		struct strbuf url = STRBUF_INIT;
		strbuf_addstr(&url, "http://");
		add_host_port(&url, host, bound);
		fprintf(stderr, "Serving web UI on %s\n", url.buf);
		if (open_browser)
			open_first_page(url.buf, cfg);
		strbuf_release(&url);
		wait_for_interrupt(&set);
		MHD_stop_daemon(d);
	}
	if (masked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	free(host);
	free(port_text);
	return rc;
}
