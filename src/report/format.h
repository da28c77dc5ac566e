/*
 * format.h - pprof's measurement units and number formatting.
 *
 * Units come in families (bytes, time, GCU); a value in one unit scales to
 * another of its family, or to the most natural one ("auto", "minimum").
 * Labels follow Go's formatting: "%.2f" without a trailing ".00", "0"
 * for zero, and percentages as "%5.2f%%" or "%5.2g%%" below 1%.
 */
#ifndef CPPROF_FORMAT_H
#define CPPROF_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/strbuf.h"

/*
 * Converts value from from_unit to to_unit ("auto" or "minimum" pick the
 * natural unit).  Returns the scaled value; *unit_out is the unit printed
 * after it ("" for plain counts), a static string.
 */
double unit_scale(int64_t value, const char *from_unit, const char *to_unit, const char **unit_out);
/* The canonical unit a value would be printed in, as unit_scale gives it. */
const char *unit_of(int64_t value, const char *from_unit, const char *to_unit);
/* True if the two units can be converted into each other. */
bool units_compatible(const char *a, const char *b);

/* Appends value scaled to to_unit: "1.50s", "10ms", "2.25MB", "0". */
void format_scaled(struct strbuf *sb, int64_t value, const char *from_unit, const char *to_unit);
/* Appends value/total as pprof's Percentage: "  100%", "12.50%", "  0.5%". */
void format_percentage(struct strbuf *sb, int64_t value, int64_t total);

#endif
