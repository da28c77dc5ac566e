/*
 * format.h - pprof's number formatting in reports: values in units (see
 * util/units.h) and percentages as "%5.2f%%", or "%5.2g%%" below 1%.
 */
#ifndef CPPROF_FORMAT_H
#define CPPROF_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/strbuf.h"
#include "util/units.h"

/* Appends value/total as pprof's Percentage: "  100%", "12.50%", "  0.5%". */
void format_percentage(struct strbuf *sb, int64_t value, int64_t total);
/* The same without the leading padding: "100%", "12.50%", "0.5%" (graph and flame labels). */
void format_percentage_trimmed(struct strbuf *sb, int64_t value, int64_t total);

#endif
