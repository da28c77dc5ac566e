/*
 * units.h - pprof's measurement units (its internal/measurement package).
 *
 * Units come in families (bytes, time, GCU); a value in one unit scales to
 * another of its family, or to the most natural one ("auto", "minimum").
 * Profiles, label values, tag filters and reports all speak these units,
 * so they live below all of them.  Labels follow Go's formatting: "%.2f"
 * without a trailing ".00", and "0" for zero.
 */
#ifndef CPPROF_UNITS_H
#define CPPROF_UNITS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/strbuf.h"

/*
 * pprof's Scale: converts value from from_unit to to_unit ("auto" or
 * "minimum" pick the natural unit).  Returns the scaled value; *unit_out
 * is the unit printed after it ("" for plain counts), a static string or
 * to_unit itself.
 */
double unit_scale(int64_t value, const char *from_unit, const char *to_unit, const char **unit_out);
/* The canonical unit a value would be printed in, as unit_scale gives it. */
const char *unit_of(int64_t value, const char *from_unit, const char *to_unit);
/* True if the two units can be converted into each other. */
bool units_compatible(const char *a, const char *b);

/* pprof's ScaledLabel: value scaled to to_unit, e.g. "1.50s", "10ms", "2.25MB", "0". */
void format_scaled(struct strbuf *sb, int64_t value, const char *from_unit, const char *to_unit);

#endif
