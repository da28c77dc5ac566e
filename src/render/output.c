#include "render/output.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "render/gvc.h"
#include "render/svg.h"
#include "util/arena.h"

extern char **environ;

/* Where a report goes when no -output is given (else: stdout). */
enum delivery {
	AWAY_FROM_TTY,	/* stdout, but a new file rather than a terminal */
	TO_VIEWER,	/* a temporary file, opened by a viewer */
};

static const char *const eog[] = { "eog", NULL };
static const char *const evince[] = { "evince", NULL };
static const char *const gv[] = { "gv --noantialias", NULL };
static const char *const kcachegrind[] = { "kcachegrind", NULL };

/* pprof's postProcess and visualizer columns; viewers NULL means the browsers. */
static const struct output_rule {
	const char *command;
	const char *render;	/* DOT drawn in this format, or NULL */
	bool massage;		/* the SVG gets pprof's changes */
	enum delivery delivery;
	const char *suffix;
	const char *const *viewers;
} output_rules[] = {
	{ "callgrind", NULL, false, AWAY_FROM_TTY, "callgraph.out", NULL },
	{ "proto", NULL, false, AWAY_FROM_TTY, "pb.gz", NULL },
	{ "topproto", NULL, false, AWAY_FROM_TTY, "pb.gz", NULL },
	{ "gif", "gif", false, AWAY_FROM_TTY, "gif", NULL },
	{ "pdf", "pdf", false, AWAY_FROM_TTY, "pdf", NULL },
	{ "png", "png", false, AWAY_FROM_TTY, "png", NULL },
	{ "ps", "ps", false, AWAY_FROM_TTY, "ps", NULL },
	{ "svg", "svg", true, AWAY_FROM_TTY, "svg", NULL },
	{ "flame", NULL, false, AWAY_FROM_TTY, "svg", NULL },
	{ "eog", "svg", false, TO_VIEWER, "svg", eog },
	{ "evince", "pdf", false, TO_VIEWER, "pdf", evince },
	{ "gv", "ps", false, TO_VIEWER, "ps", gv },
	{ "web", "svg", true, TO_VIEWER, "svg", NULL },
	{ "kcachegrind", NULL, false, TO_VIEWER, "grind", kcachegrind },
	{ "weblist", NULL, false, TO_VIEWER, "html", NULL },
};

static const struct output_rule *find_rule(const char *command)
{
	for (size_t i = 0; i < sizeof(output_rules) / sizeof(output_rules[0]); i++)
		if (!strcmp(output_rules[i].command, command))
			return &output_rules[i];
	return NULL;
}

bool output_is_terminal(void)
{
	const char *term = getenv("TERM");
	if (!term || !*term || !strcasecmp(term, "dumb"))
		return false;
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

void output_context_init(struct output_context *ctx, bool interactive)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->interactive = interactive;
	ctx->terminal = output_is_terminal();
}

void output_context_free(struct output_context *ctx)
{
	for (size_t i = 0; i < ctx->ntemp_files; i++) {
		unlink(ctx->temp_files[i]);
		free(ctx->temp_files[i]);
	}
	free(ctx->temp_files);
	memset(ctx, 0, sizeof(*ctx));
}


static int write_all(int fd, const struct strbuf *data)
{
	size_t done = 0;
	while (done < data->len) {
		ssize_t n = write(fd, data->buf + done, data->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Writes data to an open file and closes it; the errors name path as Go does. */
static int finish_file(int fd, const char *path, const struct strbuf *data, struct error *e)
{
	char why[128];
	int rc = write_all(fd, data);
	int err = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	if (rc < 0)
		return error_set(e, "write %s: %s", path, go_strerror(err, why, sizeof(why)));
	return 0;
}

static int write_named_file(const char *path, const struct strbuf *data, struct error *e)
{
	char why[128];
	fprintf(stderr, "Generating report in %s\n", path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0)
		return error_set(e, "open %s: %s", path, go_strerror(errno, why, sizeof(why)));
	return finish_file(fd, path, data, e);
}

/* pprof's newTempFile: the first of dir/prefix001suffix ... that does not exist yet. */
static int create_temp_file(const char *dir, const char *prefix, const char *suffix, char **path,
			    struct error *e)
{
	char why[128];
	for (int index = 1; index < 10000; index++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s%s%s%03d%s", dir, *dir ? "/" : "", prefix, index, suffix);
		char *name = strbuf_detach(&sb, NULL);
		int fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0666);
		if (fd >= 0) {
			*path = name;
			return fd;
		}
		int err = errno;
		if (err != EEXIST) {
			error_set(e, "open %s: %s", name, go_strerror(err, why, sizeof(why)));
			free(name);
			return -1;
		}
		free(name);
	}
	return error_set(e, "could not create file of the form %s%03d%s", prefix, 1, suffix);
}

/* pprof's awayFromTTY: binary output goes to profileNNN.<suffix>, not to a terminal. */
static int write_away_from_tty(const struct output_rule *rule, const struct strbuf *data, struct error *e)
{
	char *path;
	struct strbuf suffix = STRBUF_INIT;
	strbuf_addf(&suffix, ".%s", rule->suffix);
	int fd = create_temp_file("", "profile", suffix.buf, &path, e);
	strbuf_release(&suffix);
	if (fd < 0)
		return -1;
	fprintf(stderr, "Generating report in %s\n", path);
	int rc = finish_file(fd, path, data, e);
	free(path);
	return rc;
}

static int write_stdout(const struct strbuf *data, struct error *e)
{
	if (strbuf_write(data, stdout) < 0 || fflush(stdout) != 0)
		return error_set(e, "write /dev/stdout: write error");
	return 0;
}

/* pprof's browsers(): $BROWSER, the usual browsers, xdg-open on a desktop. */
static size_t browsers(const char **out)
{
	static const char *const usual[] = { "chrome", "google-chrome", "chromium", "firefox", "sensible-browser" };
	size_t n = 0;
	const char *user = getenv("BROWSER");
	if (user && *user)
		out[n++] = user;
	for (size_t i = 0; i < sizeof(usual) / sizeof(usual[0]); i++)
		out[n++] = usual[i];
	const char *display = getenv("DISPLAY");
	if (display && *display)
		out[n++] = "xdg-open";
	out[n] = NULL;
	return n;
}

static char **split_spaces(const char *s, const char *last, size_t *n)
{
	size_t count = 2;
	for (const char *p = s; *p; p++)
		count += *p == ' ';
	char **args = xcalloc(count + 1, sizeof(char *));
	*n = 0;
	for (const char *p = s;; p++) {
		const char *end = strchrnul(p, ' ');
		args[(*n)++] = strndup(p, (size_t)(end - p));
		if (!*end)
			break;
		p = end;
	}
	args[(*n)++] = strdup(last);
	args[*n] = NULL;
	return args;
}

static void free_args(char **args, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(args[i]);
	free(args);
}

/*
 * Starts `viewer file` (viewer split at spaces, as pprof's exec.Command
 * gets it) with stdin and stdout on /dev/null; Go's words if it cannot.
 */
static int start_viewer(const char *viewer, const char *file, pid_t *pid, struct error *e)
{
	char why[128];
	size_t n;
	char **args = split_spaces(viewer, file, &n);
	int rc = 0;
	if (!*args[0]) {
		rc = error_set(e, "exec: no command");
	} else {
		posix_spawn_file_actions_t actions;
		posix_spawn_file_actions_init(&actions);
		posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
		posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
		/* a viewer gets no blocked signals (the web UI blocks SIGINT and SIGTERM for itself) */
		posix_spawnattr_t attr;
		sigset_t none;
		sigemptyset(&none);
		posix_spawnattr_init(&attr);
		posix_spawnattr_setsigmask(&attr, &none);
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
		int err = posix_spawnp(pid, args[0], &actions, &attr, args, environ);
		posix_spawnattr_destroy(&attr);
		posix_spawn_file_actions_destroy(&actions);
		if (err == ENOENT && !strchr(args[0], '/'))
			rc = error_set(e, "exec: \"%s\": executable file not found in $PATH", args[0]);
		else if (err)
			rc = error_set(e, "fork/exec %s: %s", args[0], go_strerror(err, why, sizeof(why)));
	}
	free_args(args, n);
	return rc;
}

/* Go's exec.Cmd.Wait: an error for a viewer that did not exit with status 0. */
static int wait_viewer(pid_t pid, struct error *e)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return error_set(e, "exit status %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return error_set(e, "signal: %s", strsignal(WTERMSIG(status)));
	return 0;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Gives a viewer that returns at once (a wrapper handing the file on) a second to open it. */
static void give_viewer_time(const struct timespec *start)
{
	double left = 1.0 - seconds_since(start);
	if (left <= 0)
		return;
	struct timespec ts = { 0, (long)(left * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void keep_temp_file(struct output_context *ctx, char *path)
{
	xgrow((void **)&ctx->temp_files, &ctx->temp_files_cap, ctx->ntemp_files + 1, sizeof(char *));
	ctx->temp_files[ctx->ntemp_files++] = path;
}

/* pprof's invokeVisualizer: a temporary file, opened by the first viewer that starts. */
static int visualize(struct output_context *ctx, const struct output_rule *rule, const struct strbuf *data,
		     struct error *e)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char *path;
	struct strbuf suffix = STRBUF_INIT;
	strbuf_addf(&suffix, ".%s", rule->suffix);
	int fd = create_temp_file(dir, "pprof", suffix.buf, &path, e);
	strbuf_release(&suffix);
	if (fd < 0)
		return -1;
	keep_temp_file(ctx, path);
	if (finish_file(fd, path, data, e) < 0)
		return -1;

	const char *list[16];
	const char *const *viewers = rule->viewers;
	if (!viewers) {
		browsers(list);
		viewers = list;
	}
	for (size_t i = 0; viewers[i]; i++) {
		pid_t pid;
		struct timespec start;
		clock_gettime(CLOCK_MONOTONIC, &start);
		if (start_viewer(viewers[i], path, &pid, e) < 0)
			continue;
		int rc = ctx->interactive ? 0 : wait_viewer(pid, e);
		give_viewer_time(&start);
		return rc;
	}
	return -1;	/* e holds why the last viewer did not start */
}

bool output_open_browser(const char *url)
{
	const char *list[16];
	browsers(list);
	for (size_t i = 0; list[i]; i++) {
		pid_t pid;
		struct error ignored = ERROR_INIT;
		int rc = start_viewer(list[i], url, &pid, &ignored);
		error_clear(&ignored);
		if (rc == 0)
			return true;
	}
	return false;
}

/* pprof's postProcess of graph commands: DOT drawn by Graphviz. */
static int draw_graph(const struct output_rule *rule, struct strbuf *report, struct error *e)
{
	struct strbuf drawn = STRBUF_INIT;
	if (render_dot(report->buf, report->len, rule->render, &drawn, e) < 0) {
		strbuf_release(&drawn);
		return -1;
	}
	strbuf_reset(report);
	if (rule->massage)
		svg_massage(drawn.buf, drawn.len, report);
	else
		strbuf_add(report, drawn.buf, drawn.len);
	strbuf_release(&drawn);
	return 0;
}

int output_report(struct output_context *ctx, const char *command, const struct config *cfg,
		  struct strbuf *report, struct error *e)
{
	const struct output_rule *rule = find_rule(command);
	if (rule && rule->render && draw_graph(rule, report, e) < 0)
		return -1;
	if (cfg->output && *cfg->output)
		return write_named_file(cfg->output, report, e);
	if (rule && rule->delivery == TO_VIEWER)
		return visualize(ctx, rule, report, e);
	if (rule && rule->delivery == AWAY_FROM_TTY && (ctx->terminal || ctx->interactive))
		return write_away_from_tty(rule, report, e);
	return write_stdout(report, e);
}
