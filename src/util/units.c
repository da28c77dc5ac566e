#include "util/units.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

struct unit {
	const char *name;
	const char *aliases[4];
	double factor;
};

struct unit_family {
	const struct unit *units;
	size_t count;
	struct unit fallback;	/* used when no unit fits or to_unit is unknown */
};

static const struct unit bytes_units[] = {
	{ "B", { "b", "byte" }, 1 },
	{ "kB", { "kb", "kbyte", "kilobyte" }, 1024.0 },
	{ "MB", { "mb", "mbyte", "megabyte" }, 1048576.0 },
	{ "GB", { "gb", "gbyte", "gigabyte" }, 1073741824.0 },
	{ "TB", { "tb", "tbyte", "terabyte" }, 1099511627776.0 },
	{ "PB", { "pb", "pbyte", "petabyte" }, 1125899906842624.0 },
};

static const struct unit time_units[] = {
	{ "ns", { "ns", "nanosecond" }, 1 },
	{ "us", { "\xce\xbcs", "us", "microsecond" }, 1e3 },
	{ "ms", { "ms", "millisecond" }, 1e6 },
	{ "s", { "s", "sec", "second" }, 1e9 },
	{ "hrs", { "hour", "hr" }, 3600e9 },
};

static const struct unit gcu_units[] = {
	{ "n*GCU", { "nanogcu" }, 1e-9 },
	{ "u*GCU", { "microgcu" }, 1e-6 },
	{ "m*GCU", { "milligcu" }, 1e-3 },
	{ "GCU", { "gcu" }, 1 },
	{ "k*GCU", { "kilogcu" }, 1e3 },
	{ "M*GCU", { "megagcu" }, 1e6 },
	{ "G*GCU", { "gigagcu" }, 1e9 },
	{ "T*GCU", { "teragcu" }, 1e12 },
	{ "P*GCU", { "petagcu" }, 1e15 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct unit_family families[] = {
	{ bytes_units, COUNT(bytes_units), { "B", { 0 }, 1 } },
	{ time_units, COUNT(time_units), { "s", { 0 }, 1e9 } },
	{ gcu_units, COUNT(gcu_units), { "GCU", { 0 }, 1 } },
};

/* pprof's sniffUnit: lower case, a plural "s" dropped from names over two bytes. */
static const struct unit *sniff_unit(const struct unit_family *f, const char *name)
{
	char buf[64];
	size_t n = strlen(name);
	if (n >= sizeof(buf))
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[n] = '\0';
	if (n > 2 && buf[n - 1] == 's')
		buf[--n] = '\0';
	for (size_t i = 0; i < f->count; i++)
		for (size_t a = 0; a < 4 && f->units[i].aliases[a]; a++)
			if (!strcmp(buf, f->units[i].aliases[a]))
				return &f->units[i];
	return NULL;
}

static bool auto_scale(const struct unit_family *f, double value, double *out, const char **unit)
{
	double factor = 0;
	for (size_t i = 0; i < f->count; i++) {
		if (f->units[i].factor >= factor && value / f->units[i].factor >= 1.0) {
			factor = f->units[i].factor;
			*unit = f->units[i].name;
		}
	}
	if (factor == 0)
		return false;
	*out = value / factor;
	return true;
}

static bool convert_unit(const struct unit_family *f, int64_t value, const char *from,
			 const char *to, double *out, const char **unit)
{
	const struct unit *fu = sniff_unit(f, from);
	if (!fu)
		return false;
	double v = (double)value * fu->factor;
	if (!strcmp(to, "minimum") || !strcmp(to, "auto")) {
		if (auto_scale(f, v, out, unit))
			return true;
		*out = v / f->fallback.factor;
		*unit = f->fallback.name;
		return true;
	}
	const struct unit *tu = sniff_unit(f, to);
	if (!tu)
		tu = &f->fallback;
	*out = v / tu->factor;
	*unit = tu->name;
	return true;
}

double unit_scale(int64_t value, const char *from, const char *to, const char **unit_out)
{
	if (value < 0 && value != INT64_MIN) {	/* Go's -value > 0: false where negation wraps */
		double v = unit_scale(-value, from, to, unit_out);
		return -v;
	}
	double out;
	for (size_t i = 0; i < COUNT(families); i++)
		if (convert_unit(&families[i], value, from, to, &out, unit_out))
			return out;
	static const char *const plain[] = { "count", "sample", "unit", "minimum", "auto" };
	*unit_out = to;
	for (size_t i = 0; i < COUNT(plain); i++)
		if (!strcmp(to, plain[i]))
			*unit_out = "";
	return (double)value;
}

const char *unit_of(int64_t value, const char *from_unit, const char *to_unit)
{
	const char *u;
	unit_scale(value, from_unit, to_unit, &u);
	return u;
}

bool units_compatible(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return true;
	for (size_t i = 0; i < COUNT(families); i++)
		if (sniff_unit(&families[i], a) && sniff_unit(&families[i], b))
			return true;
	return false;
}

void format_scaled(struct strbuf *sb, int64_t value, const char *from_unit, const char *to_unit)
{
	const char *unit;
	double v = unit_scale(value, from_unit, to_unit, &unit);
	char num[64];
	int n = snprintf(num, sizeof(num), "%.2f", v);
	if (n >= 3 && !strcmp(num + n - 3, ".00"))
		num[n - 3] = '\0';
	if (!strcmp(num, "0") || !strcmp(num, "-0")) {
		strbuf_addch(sb, '0');
		return;
	}
	strbuf_addstr(sb, num);
	strbuf_addstr(sb, unit);
}
