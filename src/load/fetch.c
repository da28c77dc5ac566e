#include "load/fetch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#include "load/proto.h"
#include "load/url.h"
#include "util/path.h"

/* pprof allows this much on top of a fetch's timeout. */
enum { GRACE_MS = 5000, DEFAULT_TIMEOUT_MS = 60000 };

/* How many names pprof tries for a saved profile: NNN runs from 001 to 9999. */
enum { MAX_SAVE_INDEX = 10000 };

/* Go's strconv.ParseInt(s, 10, 32). */
static bool parse_int32(const char *s, long *v)
{
	const char *digits = s + (*s == '+' || *s == '-');
	if (!*digits || strspn(digits, "0123456789") != strlen(digits))
		return false;
	errno = 0;
	long long n = strtoll(s, NULL, 10);
	if (errno || n < INT32_MIN || n > INT32_MAX)
		return false;
	*v = (long)n;
	return true;
}

/* The URL pprof fetches for source, in the arena; NULL if source is no URL. */
static const char *adjust_url(struct arena *a, const char *source, const struct fetch_options *o,
			      long *limit_ms)
{
	struct go_url u;
	struct error e = ERROR_INIT;
	int rc = url_parse(a, source, &u, &e);
	/* url.Parse reads "host:port" as scheme "host": try it as http://host:port. */
	if (rc < 0 || (!*u.host && *u.scheme && strcmp(u.scheme, "file")))
		rc = url_parse(a, arena_printf(a, "http://%s", source), &u, &e);
	error_clear(&e);
	if (rc < 0 || !*u.host)
		return NULL;
	if (!*u.path || !strcmp(u.path, "/"))
		u.path = "/debug/pprof/profile";
	struct url_values query;
	url_values_parse(a, u.raw_query, &query);
	long seconds = 0;
	if (o->seconds > 0) {
		seconds = o->seconds;
		url_values_set(a, &query, "seconds", arena_printf(a, "%d", o->seconds));
	} else if (!parse_int32(url_values_get(&query, "seconds"), &seconds)) {
		seconds = 0;
	}
	long timeout_ms = DEFAULT_TIMEOUT_MS;
	if (o->timeout > 0)
		timeout_ms = o->timeout * 1000L;
	else if (seconds > 0)
		timeout_ms = seconds * 1500L;
	*limit_ms = timeout_ms + GRACE_MS;
	u.raw_query = url_values_encode(a, &query);
	return url_string(a, &u);
}

char *fetch_url(const char *source, const struct fetch_options *o, long *limit_ms)
{
	struct arena a = ARENA_INIT;
	const char *url = adjust_url(&a, source, o, limit_ms);
	char *copy = url ? strdup(url) : NULL;
	arena_free(&a);
	return copy;
}

/* Go's time.Duration String() for whole seconds: 30s, 1m30s, 2h0m0s. */
static void add_duration(struct strbuf *sb, long seconds)
{
	long h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
	if (h)
		strbuf_addf(sb, "%ldh%ldm%lds", h, m, s);
	else if (m)
		strbuf_addf(sb, "%ldm%lds", m, s);
	else
		strbuf_addf(sb, "%lds", s);
}

bool fetch_prepare(struct fetch *f, const char *source, const struct fetch_options *o)
{
	memset(f, 0, sizeof(*f));
	f->source = source;
	f->url = fetch_url(source, o, &f->http.limit_ms);
	f->http.url = f->url;
	strbuf_init(&f->http.body);
	strbuf_init(&f->http.err.msg);
	return f->url != NULL;
}

/* pprof's announcement of a fetch. */
static void announce(const struct fetch *f, const struct fetch_options *o)
{
	struct strbuf note = STRBUF_INIT;
	strbuf_addf(&note, "Fetching profile over HTTP from %s\n", f->url);
	if (o->seconds > 0) {
		strbuf_addstr(&note, "Please wait... (");
		add_duration(&note, o->seconds);
		strbuf_addstr(&note, ")\n");
	}
	fputs(note.buf, stderr);
	strbuf_release(&note);
}

void fetch_run(struct fetch *const *f, size_t n, const struct fetch_options *o)
{
	struct http_exchange **x = xcalloc(n ? n : 1, sizeof(*x));
	for (size_t i = 0; i < n; i++) {
		announce(f[i], o);
		x[i] = &f[i]->http;
	}
	http_run(x, n, &o->tls);
	free(x);
}

void fetch_free(struct fetch *f)
{
	http_exchange_free(&f->http);
	free(f->url);
	f->url = NULL;
}

struct symbolz_options fetch_symbolz_options(const struct fetch_options *o, const struct mapping_sources *ms)
{
	/* pprof sets no limit on symbol queries; cpprof allows each one a fetch's default time. */
	long limit_ms = (o->timeout > 0 ? o->timeout * 1000L : DEFAULT_TIMEOUT_MS) + GRACE_MS;
	struct symbolz_options so = { ms, o->tls, limit_ms };
	return so;
}

void fetch_note_sources(struct profile *p, const char *url, struct mapping_sources *ms)
{
	for (size_t i = 0; i < p->nmappings; i++) {
		struct mapping *m = &p->mappings[i];
		const char *key = *m->build_id ? m->build_id : m->file;
		/* The URL stands for a mapping nothing else names, so that its server symbolizes it. */
		if (!*key) {
			m->file = arena_strdup(&p->arena, url);
			key = m->file;
		}
		mapping_sources_add(ms, key, url, m->start);
	}
}

void fetch_unsource_mappings(struct profile *p)
{
	struct arena a = ARENA_INIT;
	struct error ignored = ERROR_INIT;
	for (size_t i = 0; i < p->nmappings; i++) {
		struct mapping *m = &p->mappings[i];
		struct go_url u;
		if (!*m->build_id && url_parse(&a, m->file, &u, &ignored) == 0 && *u.scheme)
			m->file = "";
	}
	error_clear(&ignored);
	arena_free(&a);
}


/* Go's os.MkdirAll(dir, 0755). */
static int make_dirs(struct arena *a, const char *dir, struct error *e)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		return error_set(e, "mkdir %s: not a directory", dir);
	}
	char *parent = arena_strdup(a, dir);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (make_dirs(a, parent, e) < 0)
			return -1;
	}
	if (mkdir(dir, 0755) < 0 && !(errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)))
		return error_set(e, "mkdir %s: %s", dir, go_strerror(errno, (char[128]){ 0 }, 128));
	return 0;
}

/* pprof's setTmpDir: $PPROF_TMPDIR, else $HOME/pprof, else the temporary directory. */
static const char *save_dir(struct arena *a)
{
	const char *candidates[3];
	size_t n = 0;
	const char *env = getenv("PPROF_TMPDIR");
	if (env && *env)
		candidates[n++] = env;
	env = getenv("HOME");
	if (env && *env)
		candidates[n++] = path_clean(a, arena_printf(a, "%s/pprof", env));
	env = getenv("TMPDIR");
	candidates[n++] = env && *env ? env : "/tmp";
	for (size_t i = 0; i < n; i++) {
		struct error e = ERROR_INIT;
		int rc = make_dirs(a, candidates[i], &e);
		if (rc < 0)
			fprintf(stderr, "Could not use temp dir %s: %s\n", candidates[i], e.msg.buf);
		error_clear(&e);
		if (rc == 0)
			return candidates[i];
	}
	return NULL;
}

/* pprof's name for a saved profile, up to the number: pprof.<binary>.<type>.<type>. */
static const char *save_prefix(struct arena *a, const struct profile *p)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "pprof.");
	if (p->nmappings > 0 && *p->mappings[0].file)
		strbuf_addf(&sb, "%s.", path_base(p->mappings[0].file));
	for (size_t i = 0; i < p->nsample_types; i++)
		strbuf_addf(&sb, "%s.", p->sample_types[i].type);
	const char *prefix = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return prefix;
}

static int write_all(int fd, const uint8_t *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Writes data to fd (whose write rc is the outcome so far) and closes
 * it; on failure removes path and reports "write NAME: why".
 */
static int finish_file(int fd, int rc, const uint8_t *data, size_t len, const char *path, const char *name,
		       struct error *e)
{
	if (rc == 0)
		rc = write_all(fd, data, len);
	int err = errno;
	if (close(fd) < 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	if (rc < 0) {
		unlink(path);
		return error_set(e, "write %s: %s", name, go_strerror(err, (char[128]){ 0 }, 128));
	}
	return 0;
}

/*
 * A file with the whole of data in dir, not yet under its final name; NULL
 * on failure, which is reported as pprof would: about the first name.
 */
static char *write_hidden(struct arena *a, const char *dir, const char *prefix, const uint8_t *data,
			  size_t len, struct error *e)
{
	const char *first = path_clean(a, arena_printf(a, "%s/%s001.pb.gz", dir, prefix));
	char *tmp = arena_printf(a, "%s/.pprof-save-XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		error_set(e, "open %s: %s", first, go_strerror(errno, (char[128]){ 0 }, 128));
		return NULL;
	}
	mode_t mask = umask(0);
	umask(mask);
	if (finish_file(fd, fchmod(fd, 0666 & ~mask), data, len, tmp, first, e) < 0)
		return NULL;
	return tmp;
}

/* Outcomes of trying one name for a saved profile. */
enum { NAME_TAKEN = 1, NO_LINKS = 2 };

/* Writes data to a new file of that name, removing it again if that fails. */
static int write_exclusive(const char *name, const uint8_t *data, size_t len,
			   struct error *e)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		return errno == EEXIST ? NAME_TAKEN : error_set(e, "open %s: %s", name, go_strerror(errno, (char[128]){ 0 }, 128));
	return finish_file(fd, 0, data, len, name, name, e);
}

/* Links the hidden file under name: 0, NAME_TAKEN, NO_LINKS, or -1. */
static int link_new(const char *hidden, const char *name, struct error *e)
{
	if (link(hidden, name) == 0)
		return 0;
	if (errno == EEXIST)
		return NAME_TAKEN;
	if (errno == EPERM || errno == ENOTSUP || errno == ENOSYS)
		return NO_LINKS;
	return error_set(e, "open %s: %s", name, go_strerror(errno, (char[128]){ 0 }, 128));
}

/*
 * Gives the hidden file the first free name PREFIX.NNN.pb.gz: link() never
 * replaces an existing file, so the name appears only with all its content.
 * Where the file system has no links, the file is written under its name.
 */
static char *publish(struct arena *a, const char *hidden, const char *dir, const char *prefix,
		     const uint8_t *data, size_t len, struct error *e)
{
	bool links = true;
	for (int i = 1; i < MAX_SAVE_INDEX; i++) {
		char *name = path_clean(a, arena_printf(a, "%s/%s%03d.pb.gz", dir, prefix, i));
		int rc = links ? link_new(hidden, name, e) : NO_LINKS;
		if (rc == NO_LINKS) {
			links = false;
			rc = write_exclusive(name, data, len, e);
		}
		if (rc == 0)
			return name;
		if (rc < 0)
			return NULL;
	}
	error_set(e, "could not create file of the form %s/%s001.pb.gz", dir, prefix);
	return NULL;
}

int fetch_save(const struct profile *p, const uint8_t *data, size_t len, struct error *e)
{
	struct arena a = ARENA_INIT;
	struct error why = ERROR_INIT;
	struct strbuf gz = STRBUF_INIT;
	int rc = 0;
	if (!is_gzip(data, len)) {
		if (gzip_compress(data, len, &gz, &why) < 0)
			error_set(&why, "compressing profile failed");
		data = (const uint8_t *)gz.buf;
		len = gz.len;
	}
	const char *dir = why.msg.len ? NULL : save_dir(&a);
	if (!dir && !why.msg.len)
		rc = error_set(e, "failed to identify temp dir");
	const char *prefix = save_prefix(&a, p);
	char *hidden = dir ? write_hidden(&a, dir, prefix, data, len, &why) : NULL;
	char *name = hidden ? publish(&a, hidden, dir, prefix, data, len, &why) : NULL;
	if (hidden)
		unlink(hidden);
	if (name)
		fprintf(stderr, "Saved profile in %s\n", name);
	else if (rc == 0)
		fprintf(stderr, "Could not save profile: %s\n", why.msg.buf);
	strbuf_release(&gz);
	error_clear(&why);
	arena_free(&a);
	return rc;
}
