#include "options/options.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

#define CFG(field) SCOPE_CONFIG, offsetof(struct config, field)
#define INV(field) SCOPE_SOURCE, offsetof(struct invocation, field)
#define LEG(field) SCOPE_LEGACY, offsetof(struct invocation, field)

const struct option_def option_table[] = {
	{ "output", OPT_STRING, CFG(output), NULL, "Output filename for file-based outputs\n" },
	{ "drop_negative", OPT_BOOL, CFG(drop_negative), NULL,
	  "Ignore negative differences\nDo not show any locations with values <0.\n" },
	{ "call_tree", OPT_BOOL, CFG(call_tree), NULL,
	  "Create a context-sensitive call tree\nTreat locations reached through different paths as separate.\n" },
	{ "relative_percentages", OPT_BOOL, CFG(relative_percentages), NULL,
	  "Show percentages relative to focused subgraph\n"
	  "If unset, percentages are relative to full graph before focusing\n"
	  "to facilitate comparison with original graph.\n" },
	{ "unit", OPT_STRING, CFG(unit), NULL,
	  "Measurement units to display\n"
	  "Scale the sample values to this unit.\n"
	  "For time-based profiles, use seconds, milliseconds, nanoseconds, etc.\n"
	  "For memory profiles, use megabytes, kilobytes, bytes, etc.\n"
	  "Using auto will scale each value independently to the most natural unit.\n" },
	{ "compact_labels", OPT_BOOL, CFG(compact_labels), NULL, "Show minimal headers" },
	{ "source_path", OPT_STRING, CFG(source_path), NULL, "Search path for source files" },
	{ "trim_path", OPT_STRING, CFG(trim_path), NULL, "Path to trim from source paths before search" },
	{ "intel_syntax", OPT_BOOL, CFG(intel_syntax), NULL,
	  "Show assembly in Intel syntax\nOnly applicable to commands `disasm` and `weblist`\n" },
	{ "nodecount", OPT_INT, CFG(nodecount), NULL,
	  "Max number of nodes to show\n"
	  "Uses heuristics to limit the number of locations to be displayed.\n"
	  "On graphs, dotted edges represent paths through nodes that have been removed.\n" },
	{ "nodefraction", OPT_FLOAT, CFG(nodefraction), NULL, "Hide nodes below <f>*total" },
	{ "edgefraction", OPT_FLOAT, CFG(edgefraction), NULL, "Hide edges below <f>*total" },
	{ "trim", OPT_BOOL, CFG(trim), NULL,
	  "Honor nodefraction/edgefraction/nodecount defaults\n"
	  "Set to false to get the full profile, without any trimming.\n" },
	{ "focus", OPT_STRING, CFG(focus), NULL,
	  "Restricts to samples going through a node matching regexp\n"
	  "Discard samples that do not include a node matching this regexp.\n"
	  "Matching includes the function name, filename or object name.\n" },
	{ "ignore", OPT_STRING, CFG(ignore), NULL,
	  "Skips paths going through any nodes matching regexp\n"
	  "If set, discard samples that include a node matching this regexp.\n"
	  "Matching includes the function name, filename or object name.\n" },
	{ "prune_from", OPT_STRING, CFG(prune_from), NULL,
	  "Drops any functions below the matched frame.\n"
	  "If set, any frames matching the specified regexp and any frames\n"
	  "below it will be dropped from each sample.\n" },
	{ "hide", OPT_STRING, CFG(hide), NULL,
	  "Skips nodes matching regexp\n"
	  "Discard nodes that match this location.\n"
	  "Other nodes from samples that include this location will be shown.\n"
	  "Matching includes the function name, filename or object name.\n" },
	{ "show", OPT_STRING, CFG(show), NULL,
	  "Only show nodes matching regexp\n"
	  "If set, only show nodes that match this location.\n"
	  "Matching includes the function name, filename or object name.\n" },
	{ "show_from", OPT_STRING, CFG(show_from), NULL,
	  "Drops functions above the highest matched frame.\n"
	  "If set, all frames above the highest match are dropped from every sample.\n"
	  "Matching includes the function name, filename or object name.\n" },
	{ "tagroot", OPT_STRING, CFG(tagroot), NULL,
	  "Adds pseudo stack frames for labels key/value pairs at the callstack root.\n"
	  "A comma-separated list of label keys.\n"
	  "The first key creates frames at the new root.\n" },
	{ "tagleaf", OPT_STRING, CFG(tagleaf), NULL,
	  "Adds pseudo stack frames for labels key/value pairs at the callstack leaf.\n"
	  "A comma-separated list of label keys.\n"
	  "The last key creates frames at the new leaf.\n" },
	{ "tagfocus", OPT_STRING, CFG(tagfocus), NULL,
	  "Restricts to samples with tags in range or matched by regexp\n"
	  "Use name=value syntax to limit the matching to a specific tag.\n"
	  "Numeric tag filter examples: 1kb, 1kb:10kb, memory=32mb:\n"
	  "String tag filter examples: foo, foo.*bar, mytag=foo.*bar\n" },
	{ "tagignore", OPT_STRING, CFG(tagignore), NULL,
	  "Discard samples with tags in range or matched by regexp\n"
	  "Use name=value syntax to limit the matching to a specific tag.\n"
	  "Numeric tag filter examples: 1kb, 1kb:10kb, memory=32mb:\n"
	  "String tag filter examples: foo, foo.*bar, mytag=foo.*bar\n" },
	{ "tagshow", OPT_STRING, CFG(tagshow), NULL,
	  "Only consider tags matching this regexp\nDiscard tags that do not match this regexp\n" },
	{ "taghide", OPT_STRING, CFG(taghide), NULL,
	  "Skip tags matching this regexp\nDiscard tags that match this regexp\n" },
	{ "divide_by", OPT_FLOAT, CFG(divide_by), NULL,
	  "Ratio to divide all samples before visualization\n"
	  "Divide all samples values by a constant, eg the number of processors or jobs.\n" },
	{ "mean", OPT_BOOL, CFG(mean), NULL,
	  "Average sample value over first value (count)\n"
	  "For memory profiles, report average memory per allocation.\n"
	  "For time-based profiles, report average time per event.\n" },
	{ "sample_index", OPT_STRING, CFG(sample_index), NULL,
	  "Sample value to report (0-based index or name)\n"
	  "Profiles contain multiple values per sample.\n"
	  "Use sample_index=i to select the ith value (starting at 0).\n" },
	{ "normalize", OPT_BOOL, CFG(normalize), NULL, "Scales profile based on the base profile.\n" },
	{ "noinlines", OPT_BOOL, CFG(noinlines), NULL,
	  "Ignore inlines.\nAttributes inlined functions to their first out-of-line caller.\n" },
	{ "cum", OPT_CHOICE, CFG(sort), "sort", "Sort entries based on cumulative weight\n" },
	{ "flat", OPT_CHOICE, CFG(sort), "sort", "Sort entries based on own weight\n" },
	{ "functions", OPT_CHOICE, CFG(granularity), "granularity",
	  "Aggregate at the function level.\nIgnores the filename where the function was defined.\n" },
	{ "filefunctions", OPT_CHOICE, CFG(granularity), "granularity",
	  "Aggregate at the function level.\nTakes into account the filename where the function was defined.\n" },
	{ "files", OPT_CHOICE, CFG(granularity), "granularity", "Aggregate at the file level." },
	{ "lines", OPT_CHOICE, CFG(granularity), "granularity", "Aggregate at the source code line level." },
	{ "addresses", OPT_CHOICE, CFG(granularity), "granularity",
	  "Aggregate at the address level.\nIncludes functions' addresses in the output.\n" },

	{ "diff_base", OPT_STRING, INV(flag_diff_base), NULL, "Source of base profile for comparison" },
	{ "base", OPT_STRING, INV(flag_base), NULL, "Source of base profile for profile subtraction" },
	{ "symbolize", OPT_STRING, INV(symbolize), NULL, "Options for profile symbolization" },
	{ "buildid", OPT_STRING, INV(build_id), NULL, "Override build id for first mapping" },
	{ "timeout", OPT_INT, INV(timeout), NULL, "Timeout in seconds for fetching a profile" },
	{ "add_comment", OPT_STRING, INV(add_comment), NULL, "Annotation string to record in the profile" },
	{ "seconds", OPT_INT, INV(seconds), NULL, "Length of time for dynamic profiles" },
	{ "tools", OPT_STRING, INV(tools), NULL, "Path for object tool pathnames" },
	{ "http", OPT_STRING, INV(http), NULL, "Present interactive web UI at the specified http host:port" },
	{ "no_browser", OPT_BOOL, INV(no_browser), NULL, "Skip opening a browser for the interactive web UI" },
	{ "tls_cert", OPT_STRING, INV(tls_cert), NULL, "TLS client certificate file for fetching profile and symbols" },
	{ "tls_key", OPT_STRING, INV(tls_key), NULL, "TLS private key file for fetching profile and symbols" },
	{ "tls_ca", OPT_STRING, INV(tls_ca), NULL, "TLS CA certs file for fetching profile and symbols" },

	{ "inuse_space", OPT_BOOL, LEG(inuse_space), "inuse_space", "Display in-use memory size" },
	{ "inuse_objects", OPT_BOOL, LEG(inuse_objects), "inuse_objects", "Display in-use object counts" },
	{ "alloc_space", OPT_BOOL, LEG(alloc_space), "alloc_space", "Display allocated memory size" },
	{ "alloc_objects", OPT_BOOL, LEG(alloc_objects), "alloc_objects", "Display allocated object counts" },
	{ "total_delay", OPT_BOOL, LEG(total_delay), "delay", "Display total delay at each region" },
	{ "contentions", OPT_BOOL, LEG(contentions), "contentions", "Display number of delays at each region" },
	{ "mean_delay", OPT_BOOL, LEG(mean_delay), "delay", "Display mean delay at each region" },
};
const size_t option_count = sizeof(option_table) / sizeof(option_table[0]);

static bool same_group(size_t i, size_t j)
{
	return option_table[i].kind == OPT_CHOICE && option_table[j].kind == OPT_CHOICE &&
	       !strcmp(option_table[i].group, option_table[j].group);
}

size_t option_group_end(size_t i)
{
	if (option_table[i].kind != OPT_CHOICE || (i > 0 && same_group(i - 1, i)))
		return 0;
	size_t end = i + 1;
	while (end < option_count && same_group(i, end))
		end++;
	return end;
}

/*
 * Shell help of the report commands, as pprof's reportHelp and listHelp
 * compose it: with or without -cum and >f.
 */
#define REPORT_USAGE(c, cum, redirect)                                                   \
	c " [n] [focus_regex]* [-ignore_regex]*" cum redirect "\n"                      \
	"Include up to n samples\n"                                                     \
	"Include samples matching focus_regex, and exclude ignore_regex."
#define SORTED_USAGE(c) REPORT_USAGE(c, " [-cum]", " >f") "\n" \
	"-cum sorts the output by cumulative weight\nOptionally save the report on the file f"
#define FILE_USAGE(c) REPORT_USAGE(c, "", " >f") "\nOptionally save the report on the file f"
#define VIEW_USAGE(c) REPORT_USAGE(c, "", "")
/* cpprof's folded and flame: whole stacks, so no count of nodes. */
#define STACKS_USAGE(c)                                                                  \
	c " [focus_regex]* [-ignore_regex]* >f\n"                                       \
	"Include samples matching focus_regex, and exclude ignore_regex.\n"             \
	"Optionally save the report on the file f"
#define LIST_USAGE(c, redirect)                                                          \
	c "<func_regex|address> [-focus_regex]* [-ignore_regex]*" redirect "\n"         \
	"Include functions matching func_regex, or including the address specified.\n" \
	"Include samples matching focus_regex, and exclude ignore_regex."

const struct command_def command_table[] = {
	{ "callgrind", false, "Outputs a graph in callgrind format", FILE_USAGE("callgrind") },
	{ "comments", false, "Output all profile comments", NULL },
	{ "disasm", true, "Output assembly listings annotated with samples",
	  LIST_USAGE("disasm", " >f") "\nOptionally save the report on the file f" },
	{ "dot", false, "Outputs a graph in DOT format", FILE_USAGE("dot") },
	{ "eog", false, "Visualize graph through eog", VIEW_USAGE("eog") },
	{ "evince", false, "Visualize graph through evince", VIEW_USAGE("evince") },
	{ "flame", false, "Outputs a flame graph in SVG format", STACKS_USAGE("flame") },
	{ "folded", false, "Outputs folded stacks, one line per distinct stack", STACKS_USAGE("folded") },
	{ "gif", false, "Outputs a graph image in GIF format", FILE_USAGE("gif") },
	{ "gv", false, "Visualize graph through gv", VIEW_USAGE("gv") },
	{ "kcachegrind", false, "Visualize report in KCachegrind", VIEW_USAGE("kcachegrind") },
	{ "list", true, "Output annotated source for functions matching regexp", LIST_USAGE("list", "") },
	{ "pdf", false, "Outputs a graph in PDF format", FILE_USAGE("pdf") },
	{ "peek", true, "Output callers/callees of functions matching regexp",
	  "peek func_regex\nDisplay callers and callees of functions matching func_regex." },
	{ "png", false, "Outputs a graph image in PNG format", FILE_USAGE("png") },
	{ "proto", false, "Outputs the profile in compressed protobuf format", NULL },
	{ "ps", false, "Outputs a graph in PS format", FILE_USAGE("ps") },
	{ "raw", false, "Outputs a text representation of the raw profile", NULL },
	{ "svg", false, "Outputs a graph in SVG format", FILE_USAGE("svg") },
	{ "tags", false, "Outputs all tags in the profile",
	  "tags [tag_regex]* [-ignore_regex]* [>file]\n"
	  "List tags with key:value matching tag_regex and exclude ignore_regex." },
	{ "text", false, "Outputs top entries in text form", SORTED_USAGE("text") },
	{ "top", false, "Outputs top entries in text form", SORTED_USAGE("top") },
	{ "topproto", false, "Outputs top entries in compressed protobuf format", NULL },
	{ "traces", false, "Outputs all profile samples in text form", NULL },
	{ "tree", false, "Outputs a text rendering of call graph", SORTED_USAGE("tree") },
	{ "web", false, "Visualize graph through web browser", VIEW_USAGE("web") },
	{ "weblist", true, "Display annotated source in a web browser", LIST_USAGE("weblist", "") },
};
const size_t command_count = sizeof(command_table) / sizeof(command_table[0]);

const struct command_def *command_find(const char *name)
{
	for (size_t i = 0; i < command_count; i++)
		if (!strcmp(command_table[i].name, name))
			return &command_table[i];
	return NULL;
}

bool command_beyond_pprof(const struct command_def *c)
{
	static const char *const own[] = { "flame", "folded" };
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strcmp(c->name, own[i]))
			return true;
	return false;
}

static char *xstrdup_or_null(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *p = xmalloc(n + 1);
	memcpy(p, s, n + 1);
	return p;
}

static void *field_ptr(void *base, const struct option_def *o)
{
	return (char *)base + o->offset;
}

void config_init_default(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->unit = xstrdup_or_null("minimum");
	c->nodecount = -1;
	c->nodefraction = 0.005;
	c->edgefraction = 0.001;
	c->trim = true;
	c->divide_by = 1.0;
	c->sort = xstrdup_or_null("flat");
	c->granularity = xstrdup_or_null("functions");
}

/* Visits each distinct string field of struct config once. */
static void for_each_config_string(struct config *c, void (*fn)(char **field, const char *from),
				   const struct config *from)
{
	for (size_t i = 0; i < option_count; i++) {
		const struct option_def *o = &option_table[i];
		if (o->scope != SCOPE_CONFIG || (o->kind != OPT_STRING && o->kind != OPT_CHOICE))
			continue;
		if (o->kind == OPT_CHOICE && !option_group_end(i))
			continue;	/* the group's first choice stands for it */
		fn((char **)field_ptr(c, o), from ? *(char *const *)field_ptr((void *)from, o) : NULL);
	}
}

static void dup_field(char **field, const char *from)
{
	*field = xstrdup_or_null(from);
}

static void free_field(char **field, const char *from)
{
	(void)from;
	free(*field);
	*field = NULL;
}

void config_copy(struct config *dst, const struct config *src)
{
	*dst = *src;
	for_each_config_string(dst, dup_field, src);
}

void config_free(struct config *c)
{
	for_each_config_string(c, free_field, NULL);
}

int option_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };
	for (size_t i = 0; i < 6; i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Go's strconv.ParseInt(s, 0, 64) for an int flag: "parse error" or "value out of range". */
static const char *parse_int(const char *s, int *out)
{
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (!*p || strchr(p, '_') || *p == ' ')
		return "parse error";
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 0);
	if (*end)
		return "parse error";
	if (errno == ERANGE || v > INT32_MAX || v < INT32_MIN)
		return "value out of range";
	*out = (int)v;
	return NULL;
}

static const char *parse_float(const char *s, double *out)
{
	if (!*s || isspace((unsigned char)*s))
		return "parse error";
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end)
		return "parse error";
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
		return "value out of range";
	*out = v;
	return NULL;
}

const char *option_store(void *base, const struct option_def *o, const char *value)
{
	void *f = field_ptr(base, o);
	switch (o->kind) {
	case OPT_BOOL:
		return option_parse_bool(value, f) < 0 ? "parse error" : NULL;
	case OPT_INT:
		return parse_int(value, f);
	case OPT_FLOAT:
		return parse_float(value, f);
	case OPT_STRING:
		free(*(char **)f);
		*(char **)f = xstrdup_or_null(value);
		return NULL;
	case OPT_CHOICE:
		break;
	}
	return NULL;
}

/* The line of the usage text for one command or option: "    %-16s %s". */
static char *help_line(const char *prefix, const char *name, const char *help)
{
	struct strbuf sb = STRBUF_INIT;
	struct strbuf label = STRBUF_INIT;
	strbuf_addf(&label, "%s%s", prefix, name);
	const char *nl = strchr(help, '\n');
	int summary_len = nl ? (int)(nl - help) : (int)strlen(help);
	strbuf_addf(&sb, "    %-16s %.*s", label.buf, summary_len, help);
	strbuf_release(&label);
	return strbuf_detach(&sb, NULL);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_sorted_lines(struct strbuf *sb, char **lines, size_t n)
{
	qsort(lines, n, sizeof(*lines), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addch(sb, '\n');
		strbuf_addstr(sb, lines[i]);
		free(lines[i]);
	}
}

/*
 * pprof's usage(): report commands, variables and option groups; as flags
 * for the command line, as commands and variables for the shell.
 */
static void usage_options(struct strbuf *sb, bool command_line)
{
	const char *prefix = command_line ? "-" : "";
	char **lines = xmalloc((command_count + option_count + 2) * sizeof(*lines));
	size_t n = 0;
	strbuf_addstr(sb, command_line ? "  Output formats (select at most one):\n" : "  Commands:\n");
	for (size_t i = 0; i < command_count; i++)
		if (!command_beyond_pprof(&command_table[i]))
			lines[n++] = help_line(prefix, command_table[i].name, command_table[i].description);
	add_sorted_lines(sb, lines, n);
	if (!command_line) {
		char *o = help_line("", "o/options", "List options and their current values");
		char *q = help_line("", "q/quit/exit/^D", "Exit pprof");
		strbuf_addf(sb, "\n%s\n%s", o, q);
		free(o);
		free(q);
	}
	strbuf_addstr(sb, "\n\n  Options:\n");
	n = 0;
	for (size_t i = 0; i < option_count; i++) {
		const struct option_def *o = &option_table[i];
		if (o->scope == SCOPE_CONFIG && o->kind != OPT_CHOICE)
			lines[n++] = help_line(prefix, o->name, o->help);
	}
	add_sorted_lines(sb, lines, n);
	strbuf_addstr(sb, "\n\n  Option groups (only set one per group):\n");
	n = 0;
	for (size_t i = 0; i < option_count; i++) {
		size_t end = option_group_end(i);
		if (!end)
			continue;
		struct strbuf group = STRBUF_INIT;
		char *head = help_line("", option_table[i].group, "");
		strbuf_addstr(&group, head);
		free(head);
		for (size_t j = i; j < end; j++) {
			char *line = help_line(prefix, option_table[j].name, option_table[j].help);
			strbuf_addf(&group, "\n  %s", line);
			free(line);
		}
		lines[n++] = strbuf_detach(&group, NULL);
	}
	add_sorted_lines(sb, lines, n);
	free(lines);
}

void usage_shell_text(struct strbuf *sb)
{
	usage_options(sb, false);
}

void usage_text(struct strbuf *sb)
{
	strbuf_addstr(sb,
		"usage:\n"
		"\n"
		"Produce output in the specified format.\n"
		"\n"
		"   pprof <format> [options] [binary] <source> ...\n"
		"\n"
		"Omit the format to get an interactive shell whose commands can be used\n"
		"to generate various views of a profile\n"
		"\n"
		"   pprof [options] [binary] <source> ...\n"
		"\n"
		"Omit the format and provide the \"-http\" flag to get an interactive web\n"
		"interface at the specified host:port that can be used to navigate through\n"
		"various views of a profile.\n"
		"\n"
		"   pprof -http [host]:[port] [options] [binary] <source> ...\n"
		"\n"
		"Details:\n");
	usage_options(sb, true);
	strbuf_addstr(sb,
		"\n\n"
		"  Source options:\n"
		"    -seconds              Duration for time-based profile collection\n"
		"    -timeout              Timeout in seconds for profile collection\n"
		"    -buildid              Override build id for main binary\n"
		"    -add_comment          Free-form annotation to add to the profile\n"
		"                          Displayed on some reports or with pprof -comments\n"
		"    -diff_base source     Source of base profile for comparison\n"
		"    -base source          Source of base profile for profile subtraction\n"
		"    profile.pb.gz         Profile in compressed protobuf format\n"
		"    legacy_profile        Profile in legacy pprof format\n"
		"    http://host/profile   URL for profile handler to retrieve\n"
		"    -symbolize=           Controls source of symbol information\n"
		"      none                  Do not attempt symbolization\n"
		"      local                 Examine only local binaries\n"
		"      fastlocal             Only get function names from local binaries\n"
		"      remote                Do not examine local binaries\n"
		"      force                 Force re-symbolization\n"
		"    Binary                  Local path or build id of binary for symbolization\n"
		"    -tls_cert             TLS client certificate file for fetching profile and symbols\n"
		"    -tls_key              TLS private key file for fetching profile and symbols\n"
		"    -tls_ca               TLS CA certs file for fetching profile and symbols"
		"\n\n"
		"  Misc options:\n"
		"   -http              Provide web interface at host:port.\n"
		"                      Host is optional and 'localhost' by default.\n"
		"                      Port is optional and a randomly available port by default.\n"
		"   -no_browser        Skip opening a browser for the interactive web UI.\n"
		"   -tools             Search path for object tools\n"
		"\n"
		"  Legacy convenience options:\n"
		"   -inuse_space           Same as -sample_index=inuse_space\n"
		"   -inuse_objects         Same as -sample_index=inuse_objects\n"
		"   -alloc_space           Same as -sample_index=alloc_space\n"
		"   -alloc_objects         Same as -sample_index=alloc_objects\n"
		"   -total_delay           Same as -sample_index=delay\n"
		"   -contentions           Same as -sample_index=contentions\n"
		"   -mean_delay            Same as -mean -sample_index=delay\n"
		"\n"
		"  Environment Variables:\n"
		"   PPROF_TMPDIR       Location for saved profiles (default $HOME/pprof)\n"
		"   PPROF_TOOLS        Search path for object-level tools\n"
		"   PPROF_BINARY_PATH  Search path for local binary files\n"
		"                      default: $HOME/pprof/binaries\n"
		"                      searches $name, $path, $buildid/$name, $path/$buildid\n"
		"   * On Windows, %USERPROFILE% is used instead of $HOME");
}
