/*
 * url.c - Go's net/url (Go 1.19): parsing, escaping and printing, rule
 * for rule, so that cpprof agrees with pprof on what is a URL and prints
 * the same URL.
 */
#include "load/url.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

/* The parts of a URL, each escaped its own way (net/url's encoding). */
enum url_part {
	PART_PATH,
	PART_PATH_SEGMENT,
	PART_HOST,
	PART_ZONE,
	PART_USER_PASSWORD,
	PART_QUERY_COMPONENT,
	PART_FRAGMENT,
};

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned char unhex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

/* Whether c must be escaped in this part of a URL (RFC 3986, as net/url reads it). */
static bool should_escape(unsigned char c, enum url_part part)
{
	if (is_alnum(c))
		return false;
	if ((part == PART_HOST || part == PART_ZONE) && c && strchr("!$&'()*+,;=:[]<>\"", c))
		return false;
	if (c == '-' || c == '_' || c == '.' || c == '~')
		return false;
	if (c && strchr("$&+,/:;=?@", c)) {
		switch (part) {
		case PART_PATH:
			return c == '?';
		case PART_PATH_SEGMENT:
			return c == '/' || c == ';' || c == ',' || c == '?';
		case PART_USER_PASSWORD:
			return c == '@' || c == '/' || c == '?' || c == ':';
		case PART_QUERY_COMPONENT:
			return true;
		case PART_FRAGMENT:
			return false;
		default:
			break;
		}
	}
	if (part == PART_FRAGMENT && (c == '!' || c == '(' || c == ')' || c == '*'))
		return false;
	return true;
}

static char *escape(struct arena *a, const char *s, enum url_part part)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf sb = STRBUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ' && part == PART_QUERY_COMPONENT) {
			strbuf_addch(&sb, '+');
		} else if (should_escape(*p, part)) {
			strbuf_addch(&sb, '%');
			strbuf_addch(&sb, hex[*p >> 4]);
			strbuf_addch(&sb, hex[*p & 15]);
		} else {
			strbuf_addch(&sb, *p);
		}
	}
	char *out = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return out;
}

/* The first three bytes at p, as Go's EscapeError quotes them. */
static int escape_error(struct arena *a, const char *p, struct error *e)
{
	size_t n = strnlen(p, 3);
	return error_set(e, "invalid URL escape %s", go_quote(a, arena_strndup(a, p, n)));
}

/* Checks s the way net/url's unescape does before decoding it. */
static int check_escapes(struct arena *a, const char *s, enum url_part part, struct error *e)
{
	for (const char *p = s; *p;) {
		unsigned char c = (unsigned char)*p;
		if (c == '%') {
			if (!is_hex((unsigned char)p[1]) || !is_hex((unsigned char)p[2]))
				return escape_error(a, p, e);
			unsigned char v = (unsigned char)(unhex((unsigned char)p[1]) << 4 | unhex((unsigned char)p[2]));
			/* Hosts %-encode only non-ASCII bytes, and "%25" for IPv6 zones (RFC 6874). */
			if (part == PART_HOST && unhex((unsigned char)p[1]) < 8 && strncmp(p, "%25", 3))
				return escape_error(a, p, e);
			if (part == PART_ZONE && strncmp(p, "%25", 3) && v != ' ' && should_escape(v, PART_HOST))
				return escape_error(a, p, e);
			p += 3;
			continue;
		}
		if ((part == PART_HOST || part == PART_ZONE) && c < 0x80 && should_escape(c, part)) {
			char bad[2] = { (char)c, 0 };
			return error_set(e, "invalid character %s in host name", go_quote(a, bad));
		}
		p++;
	}
	return 0;
}

/* net/url's unescape: NULL (with e set) if s holds a bad escape. */
static char *unescape(struct arena *a, const char *s, enum url_part part, struct error *e)
{
	if (check_escapes(a, s, part, e) < 0)
		return NULL;
	char *out = arena_alloc(a, strlen(s) + 1);
	size_t w = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '%') {
			out[w++] = (char)(unhex((unsigned char)p[1]) << 4 | unhex((unsigned char)p[2]));
			p += 2;
		} else if (*p == '+' && part == PART_QUERY_COMPONENT) {
			out[w++] = ' ';
		} else {
			out[w++] = *p;
		}
	}
	out[w] = '\0';
	return out;
}

/* Whether s needs no escaping beyond what it has (net/url's validEncoded). */
static bool valid_encoded(const char *s, enum url_part part)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!strchr("!$&'()*+,;=:@[]%", *p) && should_escape(*p, part))
			return false;
	return true;
}

/* The raw form, if it is a valid escaping of the decoded one; else the default escaping. */
static const char *escaped_form(struct arena *a, const char *raw, const char *decoded, enum url_part part)
{
	if (raw && *raw && valid_encoded(raw, part)) {
		struct error ignored = ERROR_INIT;
		const char *d = unescape(a, raw, part, &ignored);
		error_clear(&ignored);
		if (d && !strcmp(d, decoded))
			return raw;
	}
	return escape(a, decoded, part);
}

/* Splits off scheme: from raw, if raw starts with one ([a-zA-Z][a-zA-Z0-9+.-]*:). */
static int get_scheme(struct arena *a, const char *raw, const char **scheme, const char **rest,
		      struct error *e)
{
	*scheme = "";
	*rest = raw;
	for (const char *p = raw; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
			if (p == raw)
				return 0;
			continue;
		}
		if (c == ':') {
			if (p == raw)
				return error_set(e, "missing protocol scheme");
			char *s = arena_strndup(a, raw, (size_t)(p - raw));
			for (char *q = s; *q; q++)
				if (*q >= 'A' && *q <= 'Z')
					*q = (char)(*q - 'A' + 'a');
			*scheme = s;
			*rest = p + 1;
		}
		return 0;
	}
	return 0;
}

/* Whether port is "" or ":" followed by digits only. */
static bool valid_optional_port(const char *port)
{
	if (!*port)
		return true;
	if (*port != ':')
		return false;
	return strspn(port + 1, "0123456789") == strlen(port + 1);
}

static int invalid_port(struct arena *a, const char *port, struct error *e)
{
	return error_set(e, "invalid port %s after host", go_quote(a, port));
}

/* net/url's parseHost: host[:port], or [ipv6%25zone]:port. */
static const char *parse_host(struct arena *a, const char *host, struct error *e)
{
	if (host[0] == '[') {
		const char *close = strrchr(host, ']');
		if (!close) {
			error_set(e, "missing ']' in host");
			return NULL;
		}
		if (!valid_optional_port(close + 1)) {
			invalid_port(a, close + 1, e);
			return NULL;
		}
		const char *zone = strstr(host, "%25");
		if (zone && zone < close) {
			const char *h1 = unescape(a, arena_strndup(a, host, (size_t)(zone - host)), PART_HOST, e);
			const char *h2 = h1 ? unescape(a, arena_strndup(a, zone, (size_t)(close - zone)),
						       PART_ZONE, e) : NULL;
			const char *h3 = h2 ? unescape(a, close, PART_HOST, e) : NULL;
			return h3 ? arena_printf(a, "%s%s%s", h1, h2, h3) : NULL;
		}
	} else {
		const char *colon = strrchr(host, ':');
		if (colon && !valid_optional_port(colon)) {
			invalid_port(a, colon, e);
			return NULL;
		}
	}
	return unescape(a, host, PART_HOST, e);
}

static bool valid_userinfo(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!is_alnum(*p) && !strchr("-._:~!$&'()*+,;=%@", *p))
			return false;
	return true;
}

/* net/url's parseAuthority: [userinfo@]host. */
static int parse_authority(struct arena *a, const char *authority, struct go_url *u, struct error *e)
{
	const char *at = strrchr(authority, '@');
	u->host = parse_host(a, at ? at + 1 : authority, e);
	if (!u->host)
		return -1;
	if (!at)
		return 0;
	char *userinfo = arena_strndup(a, authority, (size_t)(at - authority));
	if (!valid_userinfo(userinfo))
		return error_set(e, "net/url: invalid userinfo");
	u->has_user = true;
	char *colon = strchr(userinfo, ':');
	if (colon) {
		*colon = '\0';
		u->password_set = true;
		u->password = unescape(a, colon + 1, PART_USER_PASSWORD, e);
		if (!u->password)
			return -1;
	}
	u->username = unescape(a, userinfo, PART_USER_PASSWORD, e);
	return u->username ? 0 : -1;
}

/*
 * Unescapes s, a part of a URL, into *value, and keeps s in *raw when it
 * is not the default encoding of that value (else "").
 */
static int set_unescaped(struct arena *a, const char *s, enum url_part part, const char **value, const char **raw,
			 struct error *e)
{
	const char *v = unescape(a, s, part, e);
	if (!v)
		return -1;
	*value = v;
	*raw = strcmp(escape(a, v, part), s) ? s : "";
	return 0;
}

static bool has_control_byte(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return true;
	return false;
}

/* Whether the first segment of a path (up to '/') contains a colon. */
static bool first_segment_has_colon(const char *path)
{
	size_t n = strcspn(path, "/");
	const char *colon = memchr(path, ':', n);
	return colon != NULL;
}

/* net/url's parse, for everything before '#'. */
static int parse_reference(struct arena *a, const char *raw, struct go_url *u, struct error *e)
{
	if (has_control_byte(raw))
		return error_set(e, "net/url: invalid control character in URL");
	if (!strcmp(raw, "*")) {
		u->path = "*";
		return 0;
	}
	const char *rest;
	if (get_scheme(a, raw, &u->scheme, &rest, e) < 0)
		return -1;
	const char *question = strchr(rest, '?');
	if (question && !question[1] && question == strrchr(rest, '?')) {
		u->force_query = true;
		rest = arena_strndup(a, rest, (size_t)(question - rest));
	} else if (question) {
		u->raw_query = question + 1;
		rest = arena_strndup(a, rest, (size_t)(question - rest));
	}
	if (rest[0] != '/') {
		if (*u->scheme) {
			/* Rootless paths are opaque (RFC 3986). */
			u->opaque = rest;
			return 0;
		}
		if (first_segment_has_colon(rest))
			return error_set(e, "first path segment in URL cannot contain colon");
	}
	if ((*u->scheme || strncmp(rest, "///", 3)) && !strncmp(rest, "//", 2)) {
		const char *slash = strchr(rest + 2, '/');
		size_t len = slash ? (size_t)(slash - rest - 2) : strlen(rest + 2);
		if (parse_authority(a, arena_strndup(a, rest + 2, len), u, e) < 0)
			return -1;
		rest = slash ? slash : "";
	} else if (*u->scheme && rest[0] == '/') {
		u->omit_host = true;
	}
	return set_unescaped(a, rest, PART_PATH, &u->path, &u->raw_path, e);
}

int url_parse(struct arena *a, const char *raw, struct go_url *u, struct error *e)
{
	static const struct go_url empty = {
		.scheme = "", .opaque = "", .username = "", .password = "", .host = "",
		.path = "", .raw_path = "", .raw_query = "", .fragment = "", .raw_fragment = "",
	};
	*u = empty;
	const char *hash = strchr(raw, '#');
	const char *ref = hash ? arena_strndup(a, raw, (size_t)(hash - raw)) : raw;
	if (parse_reference(a, ref, u, e) < 0)
		return error_prefix(e, "parse %s: ", go_quote(a, ref));
	if (hash && hash[1] && set_unescaped(a, hash + 1, PART_FRAGMENT, &u->fragment, &u->raw_fragment, e) < 0)
		return error_prefix(e, "parse %s: ", go_quote(a, raw));
	return 0;
}

static void add_authority(struct arena *a, const struct go_url *u, struct strbuf *sb)
{
	if (u->omit_host && !*u->host && !u->has_user)
		return;
	if (*u->host || *u->path || u->has_user)
		strbuf_addstr(sb, "//");
	if (u->has_user) {
		strbuf_addstr(sb, escape(a, u->username, PART_USER_PASSWORD));
		if (u->password_set) {
			strbuf_addch(sb, ':');
			strbuf_addstr(sb, escape(a, u->password, PART_USER_PASSWORD));
		}
		strbuf_addch(sb, '@');
	}
	if (*u->host)
		strbuf_addstr(sb, escape(a, u->host, PART_HOST));
}

char *url_string(struct arena *a, const struct go_url *u)
{
	struct strbuf sb = STRBUF_INIT;
	if (*u->scheme) {
		strbuf_addstr(&sb, u->scheme);
		strbuf_addch(&sb, ':');
	}
	if (*u->opaque) {
		strbuf_addstr(&sb, u->opaque);
	} else {
		if (*u->scheme || *u->host || u->has_user)
			add_authority(a, u, &sb);
		const char *path = !strcmp(u->path, "*") && !*u->raw_path
					   ? "*" : escaped_form(a, u->raw_path, u->path, PART_PATH);
		if (*path && path[0] != '/' && *u->host)
			strbuf_addch(&sb, '/');
		/* "a:b" alone would read as a scheme (RFC 3986 section 4.2). */
		if (sb.len == 0 && first_segment_has_colon(path))
			strbuf_addstr(&sb, "./");
		strbuf_addstr(&sb, path);
	}
	if (u->force_query || *u->raw_query) {
		strbuf_addch(&sb, '?');
		strbuf_addstr(&sb, u->raw_query);
	}
	if (*u->fragment) {
		strbuf_addch(&sb, '#');
		strbuf_addstr(&sb, escaped_form(a, u->raw_fragment, u->fragment, PART_FRAGMENT));
	}
	char *out = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return out;
}

char *url_hostname(struct arena *a, const struct go_url *u)
{
	const char *h = u->host;
	size_t len = strlen(h);
	const char *colon = strrchr(h, ':');
	if (colon && valid_optional_port(colon))
		len = (size_t)(colon - h);
	if (len >= 2 && h[0] == '[' && h[len - 1] == ']')
		return arena_strndup(a, h + 1, len - 2);
	return arena_strndup(a, h, len);
}

static void values_add(struct arena *a, struct url_values *v, const char *key, const char *value)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		struct url_pair *pairs = arena_array(a, cap, sizeof(*pairs));
		if (v->n)
			memcpy(pairs, v->pairs, v->n * sizeof(*pairs));
		v->pairs = pairs;
		v->cap = cap;
	}
	v->pairs[v->n].key = key;
	v->pairs[v->n].value = value;
	v->n++;
}

void url_values_parse(struct arena *a, const char *query, struct url_values *v)
{
	memset(v, 0, sizeof(*v));
	struct error ignored = ERROR_INIT;
	while (*query) {
		size_t len = strcspn(query, "&");
		char *pair = arena_strndup(a, query, len);
		query += len + (query[len] == '&');
		/* Go 1.17 and later reject ';' as a separator: such pairs are dropped. */
		if (!*pair || strchr(pair, ';'))
			continue;
		char *eq = strchr(pair, '=');
		if (eq)
			*eq = '\0';
		const char *key = unescape(a, pair, PART_QUERY_COMPONENT, &ignored);
		const char *value = key ? unescape(a, eq ? eq + 1 : "", PART_QUERY_COMPONENT, &ignored) : NULL;
		if (value)
			values_add(a, v, key, value);
	}
	error_clear(&ignored);
}

const char *url_values_get(const struct url_values *v, const char *key)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->pairs[i].key, key))
			return v->pairs[i].value;
	return "";
}

void url_values_set(struct arena *a, struct url_values *v, const char *key, const char *value)
{
	size_t w = 0;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->pairs[i].key, key))
			v->pairs[w++] = v->pairs[i];
	v->n = w;
	values_add(a, v, arena_strdup(a, key), arena_strdup(a, value));
}

char *url_values_encode(struct arena *a, const struct url_values *v)
{
	struct url_pair *sorted = arena_array(a, v->n ? v->n : 1, sizeof(*sorted));
	if (v->n)
		memcpy(sorted, v->pairs, v->n * sizeof(*sorted));
	/* A stable merge sort by key: a key's values keep their order. */
	for (size_t width = 1; width < v->n; width *= 2) {
		struct url_pair *merged = arena_array(a, v->n, sizeof(*merged));
		for (size_t lo = 0; lo < v->n; lo += 2 * width) {
			size_t mid = lo + width < v->n ? lo + width : v->n;
			size_t hi = lo + 2 * width < v->n ? lo + 2 * width : v->n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				merged[k++] = strcmp(sorted[j].key, sorted[i].key) < 0 ? sorted[j++] : sorted[i++];
			while (i < mid)
				merged[k++] = sorted[i++];
			while (j < hi)
				merged[k++] = sorted[j++];
		}
		sorted = merged;
	}
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < v->n; i++) {
		if (sb.len)
			strbuf_addch(&sb, '&');
		strbuf_addstr(&sb, escape(a, sorted[i].key, PART_QUERY_COMPONENT));
		strbuf_addch(&sb, '=');
		strbuf_addstr(&sb, escape(a, sorted[i].value, PART_QUERY_COMPONENT));
	}
	char *out = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return out;
}

char *go_quote(struct arena *a, const char *s)
{
	static const char *const named[] = { ['\a'] = "\\a", ['\b'] = "\\b", ['\f'] = "\\f",
					     ['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
					     ['\v'] = "\\v" };
	struct strbuf sb = STRBUF_INIT;
	strbuf_addch(&sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addf(&sb, "\\%c", *p);
		else if (*p < sizeof(named) / sizeof(named[0]) && named[*p])
			strbuf_addstr(&sb, named[*p]);
		else if (*p < ' ' || *p == 0x7f)
			strbuf_addf(&sb, "\\x%02x", *p);
		else
			strbuf_addch(&sb, *p);	/* UTF-8 passes as it is */
	}
	strbuf_addch(&sb, '"');
	char *out = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return out;
}
