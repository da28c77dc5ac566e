/*
 * options.h - every option cpprof knows, in one table.
 *
 * struct config holds the settings that shape a report (pprof's
 * "variables": they are command-line flags, shell variables and web UI
 * parameters alike).  struct invocation adds what only the command line
 * says: the sources, the binary, base profiles, the output format.
 *
 * option_table lists each option once with its kind, its place in the
 * structs and its help text; the command-line parser, the usage text, the
 * shell's `o` and `help` and the man page's option list all read it.
 *
 * Ownership: strings in a config or invocation are owned by it (freed by
 * config_free()/invocation_free()); config_copy() makes an independent copy.
 */
#ifndef CPPROF_OPTIONS_H
#define CPPROF_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

struct config {
	char *output;
	bool call_tree;
	bool relative_percentages;
	char *unit;
	bool compact_labels;
	char *source_path;
	char *trim_path;
	bool intel_syntax;
	bool mean;
	char *sample_index;
	double divide_by;
	bool normalize;
	char *sort;		/* "flat" or "cum" */
	char *tagroot;
	char *tagleaf;
	bool drop_negative;
	int nodecount;		/* -1: the command's default */
	double nodefraction;
	double edgefraction;
	bool trim;
	char *focus;
	char *ignore;
	char *prune_from;
	char *hide;
	char *show;
	char *show_from;
	char *tagfocus;
	char *tagignore;
	char *tagshow;
	char *taghide;
	bool noinlines;
	char *granularity;	/* functions, filefunctions, files, lines, addresses */
};

enum option_kind {
	OPT_BOOL,
	OPT_INT,
	OPT_FLOAT,
	OPT_STRING,
	OPT_CHOICE,	/* one value of a multiple-choice variable, a boolean flag */
};

/* Where an option lives: a report variable or a command-line-only setting. */
enum option_scope {
	SCOPE_CONFIG,	/* struct config: flag, shell variable, web parameter */
	SCOPE_SOURCE,	/* struct invocation: command line only */
	SCOPE_LEGACY,	/* command line only, a shorthand for sample_index */
};

struct option_def {
	const char *name;
	enum option_kind kind;
	enum option_scope scope;
	size_t offset;		/* of the field in struct config or struct invocation */
	const char *group;	/* OPT_CHOICE: the variable it sets, e.g. "granularity" */
	const char *help;	/* first line is the summary */
};

extern const struct option_def option_table[];
extern const size_t option_count;

/*
 * Choices of one variable stand together in the table.  For the index of
 * the first choice of a group, the index past its last; 0 for any other.
 */
size_t option_group_end(size_t i);

/* The report commands: output formats on the command line, commands in the shell. */
struct command_def {
	const char *name;
	bool has_param;		/* takes a regexp: -list=REGEXP, `list REGEXP` */
	const char *description;
	const char *usage;	/* shell help; NULL if none */
};

extern const struct command_def command_table[];
extern const size_t command_count;
const struct command_def *command_find(const char *name);
/* True for cpprof's own commands (folded, flame), which pprof's help texts leave out. */
bool command_beyond_pprof(const struct command_def *c);

struct invocation {
	struct config cfg;
	char *command;		/* report command, NULL for the shell */
	char *command_arg;	/* its regexp argument, or NULL */
	char *oneshot;		/* a shell command line to run once, e.g. "top10" */
	char **sources;
	size_t nsources;
	char *exec_name;	/* binary named before the sources, or NULL */
	char *build_id;
	char *symbolize;
	char *base;
	bool diff_base;
	char *add_comment;
	char *tools;
	char *http;
	bool no_browser;
	char *tls_cert, *tls_key, *tls_ca;
	int seconds, timeout;
	/* legacy sample selections, in pprof's order of precedence */
	bool inuse_space, inuse_objects, alloc_space, alloc_objects;
	bool total_delay, contentions, mean_delay;
	/* raw values of -base and -diff_base before they are combined */
	char *flag_base, *flag_diff_base;
};

void config_init_default(struct config *c);
void config_copy(struct config *dst, const struct config *src);
void config_free(struct config *c);

/*
 * The shell's variables (pprof's config fields): every SCOPE_CONFIG option
 * but the choices, and each group of choices under its group's name
 * ("sort", "granularity").  A choice's own name ("cum", "lines") is a
 * boolean variable too: setting it true selects it.
 */
/* The variable that option_table[i] stands for, or NULL (choices after a group's first). */
const char *config_variable_name(size_t i);
/* The table entry behind a variable or choice name, or NULL (pprof's isConfigurable). */
const struct option_def *config_variable(const char *name);
/* True for boolean variables and choices, which may be set without a value (isBoolConfig). */
bool config_variable_is_bool(const char *name);
/* pprof's configure(): sets a variable or choice from text, with Go's error wording. */
int config_set(struct config *c, const char *name, const char *value, struct error *e);
/* Appends a variable's value as pprof prints it (Go's fmt.Sprint of the field). */
void config_get(const struct config *c, const struct option_def *o, struct strbuf *sb);

/* Go's strconv.ParseBool: 1 t T TRUE true True, 0 f F FALSE false False. */
int option_parse_bool(const char *s, bool *out);
/*
 * Parses value by the option's kind into its field of base (a struct
 * config or struct invocation); returns NULL, or Go's reason for
 * rejecting it ("parse error", "value out of range").
 */
const char *option_store(void *base, const struct option_def *o, const char *value);

enum parse_status { PARSE_OK, PARSE_HELP, PARSE_ERROR };

/*
 * Parses argv the way pprof's flag package does.  On PARSE_ERROR the
 * message (and, where pprof prints it, the usage text) is in *e.
 */
enum parse_status invocation_parse(struct invocation *inv, int argc, char **argv, struct error *e);
void invocation_free(struct invocation *inv);

/* pprof's command-line usage text, without a final newline. */
void usage_text(struct strbuf *sb);
/* pprof's usage(false), the shell's `help`: commands, variables, groups; no final newline. */
void usage_shell_text(struct strbuf *sb);

#endif
