/*
 * variables.c - the options as the shell's variables: looked up by name,
 * set from text and printed back the way pprof's config.go does it, with
 * Go's strconv for numbers and Go's wording of every error.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "options/options.h"
#include "util/arena.h"

static void *field_ptr(void *base, const struct option_def *o)
{
	return (char *)base + o->offset;
}

const char *config_variable_name(size_t i)
{
	const struct option_def *o = &option_table[i];
	if (o->scope != SCOPE_CONFIG)
		return NULL;
	if (o->kind != OPT_CHOICE)
		return o->name;
	return option_group_end(i) ? o->group : NULL;
}

/* The first choice of the group `choice` belongs to. */
static size_t group_start(size_t choice)
{
	while (!option_group_end(choice))
		choice--;
	return choice;
}

const struct option_def *config_variable(const char *name)
{
	for (size_t i = 0; i < option_count; i++) {
		const struct option_def *o = &option_table[i];
		const char *variable = config_variable_name(i);
		if (variable && !strcmp(variable, name))
			return o;
		if (o->scope == SCOPE_CONFIG && o->kind == OPT_CHOICE && !strcmp(o->name, name))
			return o;
	}
	return NULL;
}

/* True if name is a choice ("cum") rather than a variable ("sort"). */
static bool is_choice_name(const struct option_def *o, const char *name)
{
	return o->kind == OPT_CHOICE && !strcmp(o->name, name);
}

bool config_variable_is_bool(const char *name)
{
	const struct option_def *o = config_variable(name);
	return o && (o->kind == OPT_BOOL || is_choice_name(o, name));
}

/* pprof's stringToBool, which unlike Go's ParseBool takes "", "yes" and "no". */
static int string_to_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "t", "yes", "y", "1", "" };
	static const char *const no[] = { "false", "f", "no", "n", "0" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!strcasecmp(s, yes[i]))
			return *out = true, 0;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (!strcasecmp(s, no[i]))
			return *out = false, 0;
	return -1;
}

/* Go's strconv.Atoi: NULL, or the reason of its NumError. */
static const char *go_atoi(const char *s, long long *out)
{
	const char *digits = s + (*s == '+' || *s == '-');
	if (!*digits || strspn(digits, "0123456789") != strlen(digits))
		return "invalid syntax";
	errno = 0;
	*out = strtoll(s, NULL, 10);
	return errno == ERANGE ? "value out of range" : NULL;
}

static bool is_digit_of(int c, bool hex)
{
	return (c >= '0' && c <= '9') || (hex && ((c | 32) >= 'a' && (c | 32) <= 'f'));
}

/*
 * Go's strconv.ParseFloat(s, 64): decimal or hexadecimal (with a p
 * exponent) numbers, inf, infinity, nan, and '_' between digits.
 */
static const char *go_parse_float(const char *s, double *out)
{
	const char *body = s + (*s == '+' || *s == '-');
	bool hex = body[0] == '0' && (body[1] | 32) == 'x';
	bool signed_nan = body != s && (*body | 32) == 'n';
	if (!*body || strpbrk(s, " \t\n\v\f\r(") || signed_nan || (hex && !strpbrk(body, "pP")))
		return "invalid syntax";
	char *copy = xmalloc(strlen(s) + 1), *w = copy;
	const char *why = NULL;
	for (const char *p = s; *p; p++) {
		bool after_digit = p > body && (is_digit_of(p[-1], hex) || (hex && p == body + 2));
		if (*p == '_' && !(after_digit && is_digit_of(p[1], hex)))
			why = "invalid syntax";
		if (*p != '_')
			*w++ = *p;
	}
	*w = '\0';
	char *end;
	errno = 0;
	double v = strtod(copy, &end);
	if (!why && (*end || end == copy))
		why = "invalid syntax";
	if (!why && errno == ERANGE && isinf(v))
		why = "value out of range";
	free(copy);
	if (!why)
		*out = v;
	return why;
}

/* Stores a group's choice; pprof accepts only the names of its choices. */
static int set_choice(struct config *c, const struct option_def *o, const char *value, struct error *e)
{
	size_t first = (size_t)(o - option_table);
	for (size_t i = first; i < option_group_end(first); i++) {
		if (!strcmp(option_table[i].name, value)) {
			char **f = field_ptr(c, o);
			free(*f);
			*f = strdup(value);
			return 0;
		}
	}
	error_set(e, "invalid \"%s\" value ", o->group);
	strbuf_add_quoted(&e->msg, value);
	return -1;
}

/* A strconv error as Go prints it: strconv.Atoi: parsing "x": invalid syntax. */
static int numeric_error(struct error *e, const char *func, const char *value, const char *why)
{
	error_set(e, "strconv.%s: parsing ", func);
	strbuf_add_quoted(&e->msg, value);
	strbuf_addf(&e->msg, ": %s", why);
	return -1;
}

/* pprof's config.set: the value of variable o from text. */
static int set_field(struct config *c, const struct option_def *o, const char *value, struct error *e)
{
	void *f = field_ptr(c, o);
	const char *why;
	switch (o->kind) {
	case OPT_CHOICE:
		return set_choice(c, o, value, e);
	case OPT_STRING:
		free(*(char **)f);
		*(char **)f = strdup(value);
		return 0;
	case OPT_INT: {
		long long v;
		if ((why = go_atoi(value, &v)) != NULL)
			return numeric_error(e, "Atoi", value, why);
		/* a count beyond INT_MAX means "all", as INT_MAX does */
		*(int *)f = v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
		return 0;
	}
	case OPT_FLOAT:
		if ((why = go_parse_float(value, f)) != NULL)
			return numeric_error(e, "ParseFloat", value, why);
		return 0;
	case OPT_BOOL:
		if (string_to_bool(value, f) < 0)
			return error_set(e, "illegal value \"%s\" for bool variable", value);
		return 0;
	}
	return 0;
}

int config_set(struct config *c, const char *name, const char *value, struct error *e)
{
	const struct option_def *o = config_variable(name);
	if (o && !is_choice_name(o, name))
		return set_field(c, o, value, e);
	bool b;
	if (o && option_parse_bool(value, &b) == 0 && b)
		return set_field(c, &option_table[group_start((size_t)(o - option_table))], name, e);
	error_set(e, "unknown config field ");
	strbuf_add_quoted(&e->msg, name);
	return -1;
}

/*
 * Go's fmt.Sprint of a float64: the shortest digits that read back as the
 * same number, in exponent form below 1e-4 and from 1e6 on ("1e+06").
 */
static void add_go_float(struct strbuf *sb, double v)
{
	if (isnan(v) || isinf(v)) {
		strbuf_addstr(sb, isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
		return;
	}
	char buf[40];
	for (int prec = 0; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	char digits[24];
	size_t nd = 0;
	const char *p = buf + (buf[0] == '-');
	for (; *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	int exp = atoi(p + 1);
	if (v == 0)
		exp = 0;
	if (buf[0] == '-')
		strbuf_addch(sb, '-');
	if (exp < -4 || exp >= 6) {
		strbuf_addch(sb, digits[0]);
		if (nd > 1)
			strbuf_addf(sb, ".%.*s", (int)(nd - 1), digits + 1);
		strbuf_addf(sb, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
	} else if (exp < 0) {
		strbuf_addstr(sb, "0.");
		strbuf_addchars(sb, '0', (size_t)(-exp - 1));
		strbuf_add(sb, digits, nd);
	} else {
		size_t whole = (size_t)exp + 1;
		strbuf_add(sb, digits, nd < whole ? nd : whole);
		if (nd < whole)
			strbuf_addchars(sb, '0', whole - nd);
		else if (nd > whole)
			strbuf_addf(sb, ".%.*s", (int)(nd - whole), digits + whole);
	}
}

void config_get(const struct config *c, const struct option_def *o, struct strbuf *sb)
{
	const void *f = (const char *)c + o->offset;
	switch (o->kind) {
	case OPT_STRING:
	case OPT_CHOICE:
		if (*(char *const *)f)
			strbuf_addstr(sb, *(char *const *)f);
		break;
	case OPT_INT:
		strbuf_addf(sb, "%d", *(const int *)f);
		break;
	case OPT_FLOAT:
		add_go_float(sb, *(const double *)f);
		break;
	case OPT_BOOL:
		strbuf_addstr(sb, *(const bool *)f ? "true" : "false");
		break;
	}
}
