#include "shell/ui.h"

#include <ctype.h>
#include <errno.h>
#include <histedit.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/arena.h"

/* pprof's history file in $HOME, and how many lines of it are kept. */
#define HISTORY_FILE ".pprof_history"
#define HISTORY_SIZE 1000

/* At most this many candidates are listed on a terminal for one Tab. */
#define MAX_LISTED 200

struct shell_ui {
	const struct completer *completer;
	EditLine *el;		/* NULL when lines are read plainly */
	History *history;
	char *history_path;	/* NULL without $HOME */
	char *last_line;	/* the newest line of the history, if any */
	const char *prompt;	/* of the line being read */
	bool color;		/* errors in red */
};

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* pprof's readline UI is used when stdin is a terminal and TERM is set and not dumb. */
static bool wants_terminal(void)
{
	const char *term = getenv("TERM");
	return term && *term && strcasecmp(term, "dumb") && isatty(STDIN_FILENO);
}

static char *prompt_of(EditLine *el)
{
	struct shell_ui *ui;
	el_get(el, EL_CLIENTDATA, &ui);
	return (char *)ui->prompt;
}

/* Characters (not bytes) of UTF-8 text from s to end, as libedit counts them. */
static int utf8_chars(const char *s, const char *end)
{
	int n = 0;
	for (; s < end; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static int utf8_length(const char *s)
{
	return utf8_chars(s, s + strlen(s));
}

static int terminal_columns(EditLine *el)
{
	int cols = 0;
	if (el_get(el, EL_GETTC, "co", &cols, NULL) != 0 || cols <= 0)
		cols = 80;
	return cols;
}

/* Lists the candidates below the line, in columns; the line is drawn again after. */
static void list_candidates(EditLine *el, const struct completion *comp)
{
	size_t shown = comp->count < MAX_LISTED ? comp->count : MAX_LISTED, width = 0;
	for (size_t i = 0; i < shown; i++) {
		size_t n = (size_t)utf8_length(comp->candidates[i]);
		width = n > width ? n : width;
	}
	width += 2;
	size_t columns = (size_t)terminal_columns(el) / width;
	columns = columns ? columns : 1;
	size_t rows = (shown + columns - 1) / columns;
	fputc('\n', stderr);
	for (size_t r = 0; r < rows; r++) {
		for (size_t col = 0; col < columns; col++) {
			size_t i = col * rows + r;
			if (i >= shown)
				break;
			bool last = col + 1 == columns || i + rows >= shown;
			const char *s = comp->candidates[i];
			fprintf(stderr, "%s%*s", s, last ? 0 : (int)(width - (size_t)utf8_length(s)), "");
		}
		fputc('\n', stderr);
	}
	if (shown < comp->count)
		fprintf(stderr, "... and %zu more\n", comp->count - shown);
}

/* Replaces the word before the cursor by len bytes of text, then suffix if any. */
static void replace_word(EditLine *el, const char *word, const char *text, size_t len, char suffix)
{
	char *insert = xmalloc(len + 2);
	memcpy(insert, text, len);
	insert[len] = suffix;
	insert[len + (suffix != 0)] = '\0';
	el_deletestr(el, utf8_length(word));
	el_insertstr(el, insert);
	free(insert);
}

/*
 * Tab: a unique candidate replaces the word; several extend it to their
 * common prefix, or are listed when they share no more than the word.
 */
static unsigned char complete_key(EditLine *el, int ch)
{
	(void)ch;
	struct shell_ui *ui;
	el_get(el, EL_CLIENTDATA, &ui);
	const LineInfo *li = el_line(el);
	char *before = strndup(li->buffer, (size_t)(li->cursor - li->buffer));
	struct completion comp;
	complete_line(ui->completer, before, &comp);
	const char *word = before + comp.word_start;
	size_t common = completion_common_prefix(&comp), len = strlen(word);
	unsigned char status = CC_REFRESH;
	if (comp.count == 0) {
		status = CC_REFRESH_BEEP;
	} else if (comp.count == 1) {
		replace_word(el, word, comp.candidates[0], strlen(comp.candidates[0]), comp.suffix);
	} else if (common > len && !strncmp(comp.candidates[0], word, len)) {
		replace_word(el, word, comp.candidates[0], common, 0);
	} else {
		list_candidates(el, &comp);
		status = CC_REDISPLAY;
	}
	completion_free(&comp);
	free(before);
	return status;
}

static void add_history_line(struct shell_ui *ui, const char *line)
{
	HistEvent ev;
	history(ui->history, &ev, H_ENTER, line);
	free(ui->last_line);
	ui->last_line = strdup(line);
}

/*
 * Reads the history file; when it has grown well past HISTORY_SIZE it is
 * rewritten with the newest lines only.
 */
static void load_history(struct shell_ui *ui)
{
	FILE *f = fopen(ui->history_path, "r");
	if (!f)
		return;
	char **lines = NULL, *line = NULL;
	size_t nlines = 0, cap = 0, linecap = 0;
	ssize_t n;
	while ((n = getline(&line, &linecap, f)) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		xgrow((void **)&lines, &cap, nlines + 1, sizeof(*lines));
		lines[nlines++] = strdup(line);
	}
	free(line);
	fclose(f);
	size_t first = nlines > HISTORY_SIZE ? nlines - HISTORY_SIZE : 0;
	for (size_t i = first; i < nlines; i++)
		add_history_line(ui, lines[i]);
	if (nlines > HISTORY_SIZE + HISTORY_SIZE / 2 && (f = fopen(ui->history_path, "w")) != NULL) {
		for (size_t i = first; i < nlines; i++)
			fprintf(f, "%s\n", lines[i]);
		fclose(f);
	}
	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
}

/* Adds a line to the history and appends it to the file, as it is read. */
static void remember(struct shell_ui *ui, const char *line)
{
	if (!line[strspn(line, " \t")] || (ui->last_line && !strcmp(ui->last_line, line)))
		return;
	add_history_line(ui, line);
	FILE *f = ui->history_path ? fopen(ui->history_path, "a") : NULL;
	if (f) {
		fprintf(f, "%s\n", line);
		fclose(f);
	}
}

static void open_terminal(struct shell_ui *ui)
{
	setlocale(LC_CTYPE, "");
	ui->el = el_init("cpprof", stdin, stderr, stderr);
	if (!ui->el)
		return;
	HistEvent ev;
	ui->history = history_init();
	history(ui->history, &ev, H_SETSIZE, HISTORY_SIZE);
	el_set(ui->el, EL_CLIENTDATA, ui);
	el_set(ui->el, EL_PROMPT, prompt_of);
	el_set(ui->el, EL_EDITOR, "emacs");
	el_set(ui->el, EL_SIGNAL, 1);	/* follows window size changes */
	el_set(ui->el, EL_HIST, history, ui->history);
	/* the wide call: the narrow one copies the strings, and libedit never frees the copies */
	el_wset(ui->el, EL_ADDFN, L"cpprof-complete", L"Complete a command, option, value or function",
		complete_key);
	el_set(ui->el, EL_BIND, "^I", "cpprof-complete", NULL);
	el_set(ui->el, EL_BIND, "^U", "vi-kill-line-prev", NULL);	/* as in readline */
	el_source(ui->el, NULL);	/* the user's ~/.editrc */
	const char *home = getenv("HOME");
	if (home && *home) {
		size_t n = strlen(home) + sizeof(HISTORY_FILE) + 1;
		ui->history_path = xmalloc(n);
		snprintf(ui->history_path, n, "%s/%s", home, HISTORY_FILE);
		load_history(ui);
	}
	ui->color = isatty(STDERR_FILENO);
}

struct shell_ui *shell_ui_open(const struct completer *c)
{
	struct shell_ui *ui = xcalloc(1, sizeof(*ui));
	ui->completer = c;
	if (wants_terminal())
		open_terminal(ui);
	return ui;
}

void shell_ui_close(struct shell_ui *ui)
{
	if (ui->el)
		el_end(ui->el);
	if (ui->history)
		history_end(ui->history);
	free(ui->history_path);
	free(ui->last_line);
	free(ui);
}

/* pprof's plain UI: the prompt on stdout, then a line as it comes (the last may lack its newline). */
static int read_plain(const char *prompt, char **line, struct error *e)
{
	fputs(prompt, stdout);
	fflush(stdout);
	size_t cap = 0;
	*line = NULL;
	ssize_t n = getline(line, &cap, stdin);
	if (n < 0) {
		free(*line);
		*line = NULL;
		if (ferror(stdin)) {
			/* Go's wording of a system error: strerror's text in lower case */
			char why[128];
			snprintf(why, sizeof(why), "%s", strerror(errno));
			why[0] = (char)tolower((unsigned char)why[0]);
			return error_set(e, "read /dev/stdin: %s", why);
		}
		return 0;
	}
	if (n > 0 && (*line)[n - 1] == '\n')
		(*line)[n - 1] = '\0';
	return 1;
}

/* Empties libedit's line buffer, which an interrupted read leaves as it was. */
static void drop_line(EditLine *el)
{
	const LineInfo *li = el_line(el);
	el_cursor(el, utf8_chars(li->cursor, li->lastchar));
	li = el_line(el);
	el_deletestr(el, utf8_chars(li->buffer, li->cursor));
}

/* A line from libedit; Ctrl-C drops the line being typed and prompts again, Ctrl-D on an empty line ends. */
static int read_terminal(struct shell_ui *ui, const char *prompt, char **line)
{
	struct sigaction on_int, saved;
	memset(&on_int, 0, sizeof(on_int));
	on_int.sa_handler = on_interrupt;	/* no SA_RESTART: the read returns */
	sigemptyset(&on_int.sa_mask);
	sigaction(SIGINT, &on_int, &saved);
	ui->prompt = prompt;
	const char *s;
	int count;
	for (;;) {
		interrupted = 0;
		s = el_gets(ui->el, &count);
		if (!interrupted)
			break;
		fputs("^C\n", stderr);
		drop_line(ui->el);
	}
	sigaction(SIGINT, &saved, NULL);
	if (!s || count <= 0) {
		fputc('\n', stderr);
		return 0;
	}
	*line = strdup(s);
	(*line)[strcspn(*line, "\n")] = '\0';
	remember(ui, *line);
	return 1;
}

int shell_ui_read_line(struct shell_ui *ui, const char *prompt, char **line, struct error *e)
{
	if (ui->el)
		return read_terminal(ui, prompt, line);
	return read_plain(prompt, line, e);
}

static void print_text(const char *text, const char *before, const char *after)
{
	size_t n = strlen(text);
	fprintf(stderr, "%s%s%s%s", before, text, n && text[n - 1] == '\n' ? "" : "\n", after);
}

void shell_ui_print(struct shell_ui *ui, const char *text)
{
	(void)ui;
	print_text(text, "", "");
}

void shell_ui_print_error(struct shell_ui *ui, const char *text)
{
	if (ui->color)
		print_text(text, "\033[0;31m", "\033[0m");
	else
		print_text(text, "", "");
}
