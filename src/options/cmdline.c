/*
 * cmdline.c - the command line, parsed the way pprof's flag package does:
 * -flag, --flag, -flag=value, -flag value (not for booleans); parsing
 * stops at the first argument that is not a flag, or after "--".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options/options.h"
#include "shell/command.h"
#include "util/arena.h"

/* Flags seen, before they are applied: choices and output formats. */
struct seen_flags {
	bool choice[64];		/* by index into option_table */
	bool command[64];		/* by index into command_table */
	char *command_param[64];
};

static void *option_base(struct invocation *inv, const struct option_def *o)
{
	return o->scope == SCOPE_CONFIG ? (void *)&inv->cfg : (void *)inv;
}

static const struct option_def *find_option(const char *name)
{
	for (size_t i = 0; i < option_count; i++)
		if (!strcmp(option_table[i].name, name))
			return &option_table[i];
	return NULL;
}

static int find_command(const char *name)
{
	for (size_t i = 0; i < command_count; i++)
		if (!strcmp(command_table[i].name, name))
			return (int)i;
	return -1;
}

/* A flag error as Go's flag package reports it: the reason, then the usage text. */
static int usage_error(struct error *e, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addch(&sb, '\n');
	usage_text(&sb);
	error_set(e, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

static bool is_bool_flag(const struct option_def *o, int cmd)
{
	if (cmd >= 0)
		return !command_table[cmd].has_param;
	return o->kind == OPT_BOOL || o->kind == OPT_CHOICE;
}

/* Applies one flag; `value` is NULL for a bare boolean flag. */
static int apply_flag(struct invocation *inv, struct seen_flags *seen, const char *name,
		      const struct option_def *o, int cmd, const char *value, struct error *e)
{
	bool b = true;
	const char *why;
	if (is_bool_flag(o, cmd) && value && option_parse_bool(value, &b) < 0)
		return usage_error(e, "invalid boolean value \"%s\" for -%s: parse error", value, name);
	if (cmd >= 0) {
		if (command_table[cmd].has_param) {
			free(seen->command_param[cmd]);
			seen->command_param[cmd] = strdup(value);
		} else {
			seen->command[cmd] = b;
		}
		return 0;
	}
	if (o->kind == OPT_CHOICE) {
		seen->choice[o - option_table] = b;
		return 0;
	}
	if (o->kind == OPT_BOOL) {
		*(bool *)((char *)option_base(inv, o) + o->offset) = b;
		return 0;
	}
	why = option_store(option_base(inv, o), o, value);
	if (why)
		return usage_error(e, "invalid value \"%s\" for flag -%s: %s", value, name, why);
	return 0;
}

/*
 * Parses the flag at argv[*i]; returns 1 if argv[*i] ends the flags, 0 if
 * a flag was consumed, 2 for -help, -1 on error.
 */
static int parse_one(struct invocation *inv, struct seen_flags *seen, int argc, char **argv, int *i,
		     struct error *e)
{
	const char *s = argv[*i];
	if (strlen(s) < 2 || s[0] != '-')
		return 1;
	int minuses = 1;
	if (s[1] == '-') {
		minuses = 2;
		if (s[2] == '\0') {
			(*i)++;
			return 1;
		}
	}
	const char *name = s + minuses;
	if (name[0] == '-' || name[0] == '=')
		return usage_error(e, "bad flag syntax: %s", s);
	(*i)++;
	const char *eq = strchr(name, '=');
	char *flag = eq ? strndup(name, (size_t)(eq - name)) : strdup(name);
	const char *value = eq ? eq + 1 : NULL;
	const struct option_def *o = find_option(flag);
	int cmd = o ? -1 : find_command(flag);
	int rc;
	if (!o && cmd < 0) {
		if (!strcmp(flag, "help") || !strcmp(flag, "h"))
			rc = 2;
		else
			rc = usage_error(e, "flag provided but not defined: -%s", flag);
	} else if (!is_bool_flag(o, cmd) && !value && *i >= argc) {
		rc = usage_error(e, "flag needs an argument: -%s", flag);
	} else {
		if (!is_bool_flag(o, cmd) && !value)
			value = argv[(*i)++];
		rc = apply_flag(inv, seen, flag, o, cmd, value, e);
	}
	free(flag);
	return rc;
}

static bool is_build_id(const char *s)
{
	return strspn(s, "0123456789abcdefABCDEF") == strlen(s);
}

/* pprof takes the first of several arguments as the binary if it opens as one. */
static bool is_object_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	unsigned char magic[4] = { 0 };
	size_t n = fread(magic, 1, 4, f);
	fclose(f);
	return n == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

static bool seen_any_command(const struct seen_flags *seen)
{
	for (size_t i = 0; i < command_count; i++)
		if (seen->command[i] || (seen->command_param[i] && *seen->command_param[i]))
			return true;
	return false;
}

/* A first argument that is no file but starts with a report command runs once. */
static bool oneshot_word(const char *arg)
{
	FILE *f = fopen(arg, "rb");
	if (f) {
		fclose(f);
		return false;
	}
	size_t n = strcspn(arg, " \t");
	char *word = strndup(arg, n);
	bool yes = shell_is_command(word);
	free(word);
	return yes;
}

static int apply_choices(struct invocation *inv, const struct seen_flags *seen, struct error *e)
{
	for (size_t i = 0; i < option_count; i++) {
		const struct option_def *o = &option_table[i];
		size_t end = option_group_end(i);
		if (!end)
			continue;
		struct strbuf set = STRBUF_INIT;
		const char *chosen = NULL;
		int n = 0;
		for (size_t j = i; j < end; j++) {
			if (!seen->choice[j])
				continue;
			strbuf_addf(&set, "%s%s", n ? " " : "", option_table[j].name);
			chosen = option_table[j].name;
			n++;
		}
		if (n > 1) {
			error_set(e, "conflicting options set: [%s]", set.buf);
			strbuf_release(&set);
			return -1;
		}
		strbuf_release(&set);
		if (chosen) {
			char **f = (char **)((char *)&inv->cfg + o->offset);
			free(*f);
			*f = strdup(chosen);
		}
	}
	return 0;
}

static int choose_command(struct invocation *inv, struct seen_flags *seen, struct error *e)
{
	for (size_t i = 0; i < command_count; i++) {
		bool set = command_table[i].has_param ? seen->command_param[i] && *seen->command_param[i]
						      : seen->command[i];
		if (!set)
			continue;
		if (inv->command)
			return error_set(e, "must set at most one output format");
		inv->command = strdup(command_table[i].name);
		if (command_table[i].has_param) {
			inv->command_arg = seen->command_param[i];
			seen->command_param[i] = NULL;
		}
	}
	return 0;
}

/* The legacy shorthands, in pprof's order of precedence. */
static void apply_legacy_sample_flags(struct invocation *inv)
{
	static const char *const order[] = { "total_delay", "mean_delay", "contentions", "inuse_space",
					     "inuse_objects", "alloc_space", "alloc_objects" };
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const struct option_def *o = find_option(order[i]);
		if (!*(bool *)((char *)inv + o->offset))
			continue;
		if (!inv->cfg.sample_index || !*inv->cfg.sample_index) {
			free(inv->cfg.sample_index);
			inv->cfg.sample_index = strdup(o->group);
		} else {
			fprintf(stderr, "Multiple value selections, ignoring -%s\n", o->name);
		}
	}
	if (inv->mean_delay)
		inv->cfg.mean = true;
}

static int finish(struct invocation *inv, struct seen_flags *seen, int argc, char **argv, int i,
		  struct error *e)
{
	if (i >= argc) {
		struct strbuf sb = STRBUF_INIT;
		usage_text(&sb);
		strbuf_addstr(&sb, "\nno profile source specified");
		error_set(e, "%s", sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	if (argc - i > 1 && !seen_any_command(seen) && oneshot_word(argv[i]))
		inv->oneshot = strdup(argv[i++]);
	if (argc - i > 1) {
		if (is_object_file(argv[i])) {
			inv->exec_name = strdup(argv[i++]);
		} else if ((!inv->build_id || !*inv->build_id) && is_build_id(argv[i])) {
			free(inv->build_id);
			inv->build_id = strdup(argv[i++]);
		}
	}
	if (apply_choices(inv, seen, e) < 0 || choose_command(inv, seen, e) < 0)
		return -1;
	if (inv->command && inv->http && *inv->http)
		return error_set(e, "-http is not compatible with an output format on the command line");
	if (inv->no_browser && !(inv->http && *inv->http))
		return error_set(e, "-no_browser only makes sense with -http");
	apply_legacy_sample_flags(inv);
	bool base = inv->flag_base && *inv->flag_base;
	bool diff = inv->flag_diff_base && *inv->flag_diff_base;
	if (base && diff)
		return error_set(e, "-base and -diff_base flags cannot both be specified");
	if (base || diff) {
		inv->base = strdup(base ? inv->flag_base : inv->flag_diff_base);
		inv->diff_base = diff;
	}
	if (inv->cfg.normalize && !inv->base)
		return error_set(e, "must have base profile to normalize by");
	inv->nsources = (size_t)(argc - i);
	inv->sources = xcalloc(inv->nsources, sizeof(char *));
	for (size_t k = 0; k < inv->nsources; k++)
		inv->sources[k] = strdup(argv[i + (int)k]);
	return 0;
}

enum parse_status invocation_parse(struct invocation *inv, int argc, char **argv, struct error *e)
{
	struct seen_flags seen;
	memset(&seen, 0, sizeof(seen));
	memset(inv, 0, sizeof(*inv));
	config_init_default(&inv->cfg);
	inv->seconds = -1;
	inv->timeout = -1;
	const char *tools = getenv("PPROF_TOOLS");
	inv->tools = strdup(tools ? tools : "");

	int i = 1, rc = 0;
	while (i < argc && (rc = parse_one(inv, &seen, argc, argv, &i, e)) == 0)
		;
	enum parse_status status = PARSE_OK;
	if (rc == 2)
		status = PARSE_HELP;
	else if (rc < 0 || finish(inv, &seen, argc, argv, i, e) < 0)
		status = PARSE_ERROR;
	for (size_t k = 0; k < command_count; k++)
		free(seen.command_param[k]);
	return status;
}

void invocation_free(struct invocation *inv)
{
	config_free(&inv->cfg);
	free(inv->command);
	free(inv->command_arg);
	free(inv->oneshot);
	for (size_t i = 0; i < inv->nsources; i++)
		free(inv->sources[i]);
	free(inv->sources);
	char **strings[] = { &inv->exec_name, &inv->build_id, &inv->symbolize, &inv->base,
			     &inv->add_comment, &inv->tools, &inv->http, &inv->tls_cert,
			     &inv->tls_key, &inv->tls_ca, &inv->flag_base, &inv->flag_diff_base };
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		free(*strings[i]);
		*strings[i] = NULL;
	}
}
