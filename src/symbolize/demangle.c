#include "symbolize/demangle.h"

#include <libiberty/demangle.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

/* The prefixes pprof's demangler accepts as mangled names. */
static bool looks_mangled(const char *name)
{
	return !strncmp(name, "_Z", 2) || !strncmp(name, "___Z", 4) || !strncmp(name, "_R", 2);
}

/* Removes trailing " [clone .xxx]" parts. */
static void drop_clone_suffixes(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ']') {
		char *open = NULL;
		for (char *p = s + n - 1; p > s; p--) {
			if (*p == '[') {
				open = p;
				break;
			}
		}
		if (!open || open == s || open[-1] != ' ' || strncmp(open, "[clone ", 7))
			break;
		n = (size_t)(open - 1 - s);
		s[n] = '\0';
	}
}

/* Length of an operator name at s ("operator<<=" and the like), or 0. */
static size_t operator_length(const char *s, const char *start)
{
	if (strncmp(s, "operator", 8) || (s > start && (s[-1] == '_' || (s[-1] >= 'a' && s[-1] <= 'z') ||
							(s[-1] >= 'A' && s[-1] <= 'Z') || (s[-1] >= '0' && s[-1] <= '9'))))
		return 0;
	size_t n = 8;
	if (strchr("<>-=", s[n]) && s[n])
		while (s[n] && strchr("<>-=*", s[n]))
			n++;
	return n;
}

/* Drops template argument lists, leaving operator names whole. */
static char *drop_template_args(const char *s)
{
	struct strbuf out = STRBUF_INIT;
	int depth = 0;
	for (const char *p = s; *p;) {
		size_t op = operator_length(p, s);
		if (op) {
			if (depth == 0)
				strbuf_add(&out, p, op);
			p += op;
			continue;
		}
		if (*p == '<') {
			depth++;
		} else if (*p == '>' && depth > 0) {
			depth--;
		} else if (depth == 0) {
			strbuf_addch(&out, *p);
		}
		p++;
	}
	return strbuf_detach(&out, NULL);
}

static char *demangle(const char *name, enum demangle_mode mode)
{
	int style = !strncmp(name, "_R", 2) ? DMGL_RUST : DMGL_GNU_V3;
	const char *mangled = !strncmp(name, "___Z", 4) ? name + 2 : name;
	bool params = mode == DEMANGLE_FULL || mode == DEMANGLE_NONE;
	char *d = cplus_demangle(mangled, DMGL_ANSI | style | (params ? DMGL_PARAMS : 0));
	if (!d)
		return NULL;
	if (mode == DEMANGLE_FULL)
		drop_clone_suffixes(d);
	if (mode == DEMANGLE_DEFAULT) {
		char *plain = drop_template_args(d);
		free(d);
		d = plain;
	}
	return d;
}

/* pprof's looksLikeDemangledCPlusPlus. */
static bool looks_demangled(const char *name)
{
	if (strstr(name, ".<") || strstr(name, "])."))
		return false;
	return strpbrk(name, "<>[]") || strstr(name, "::");
}

/* pprof's removeMatching: drops nested start..end groups; a mismatched end keeps the name. */
static void remove_matching(char *name, char start, char end)
{
	char *copy = strdup(name);
	size_t w = 0, first = 0;
	int nesting = 0;
	for (const char *p = copy; *p; p++) {
		if (*p == start && ++nesting == 1) {
			first = w;
		} else if (*p == end) {
			if (--nesting < 0) {
				strcpy(name, copy);
				break;
			}
			if (nesting == 0) {
				w = first;
				continue;
			}
		}
		name[w++] = *p;
	}
	if (nesting >= 0)
		name[w] = '\0';
	free(copy);
}

char *demangle_name(const char *name, enum demangle_mode mode)
{
	if (looks_mangled(name)) {
		char *d = demangle(name, mode);
		if (d && strcmp(d, name))
			return d;
		free(d);
	}
	if (!looks_demangled(name) || mode == DEMANGLE_FULL || mode == DEMANGLE_NONE)
		return NULL;
	char *simple = strdup(name);
	remove_matching(simple, '(', ')');
	if (mode == DEMANGLE_DEFAULT)
		remove_matching(simple, '<', '>');
	if (!strcmp(simple, name)) {
		free(simple);
		return NULL;
	}
	return simple;
}
