#include "report/format.h"

#include <math.h>

void format_percentage(struct strbuf *sb, int64_t value, int64_t total)
{
	double ratio = 0;
	if (total != 0)
		ratio = fabs((double)value / (double)total) * 100;
	if (ratio >= 99.95 && ratio <= 100.05)
		strbuf_addstr(sb, "  100%");
	else if (ratio >= 1.0)
		strbuf_addf(sb, "%5.2f%%", ratio);
	else
		strbuf_addf(sb, "%5.2g%%", ratio);
}

void format_percentage_trimmed(struct strbuf *sb, int64_t value, int64_t total)
{
	struct strbuf pct = STRBUF_INIT;
	format_percentage(&pct, value, total);
	const char *p = pct.buf;
	while (*p == ' ')
		p++;
	strbuf_addstr(sb, p);
	strbuf_release(&pct);
}
