/* Units and number formatting against values pprof prints. */
#include "check.h"
#include "report/format.h"

static const char *scaled(int64_t v, const char *from, const char *to)
{
	static struct strbuf sb = STRBUF_INIT;
	strbuf_reset(&sb);
	format_scaled(&sb, v, from, to);
	return sb.buf;
}

static const char *pct(int64_t v, int64_t total)
{
	static struct strbuf sb = STRBUF_INIT;
	strbuf_reset(&sb);
	format_percentage(&sb, v, total);
	return sb.buf;
}

int main(void)
{
	CHECK_STR(scaled(1500000000, "nanoseconds", "auto"), "1.50s");
	CHECK_STR(scaled(10000000, "nanoseconds", "ms"), "10ms");
	CHECK_STR(scaled(8124000000, "nanoseconds", "ms"), "8124ms");
	CHECK_STR(scaled(0, "nanoseconds", "ms"), "0");
	CHECK_STR(scaled(-1, "nanoseconds", "s"), "0");
	CHECK_STR(scaled(2359296, "bytes", "auto"), "2.25MB");
	CHECK_STR(scaled(512, "bytes", "kb"), "0.50kB");
	CHECK_STR(scaled(3600000000000, "nanoseconds", "hours"), "1hrs");
	CHECK_STR(scaled(42, "count", "minimum"), "42");
	CHECK_STR(scaled(42, "samples", "auto"), "42");
	CHECK_STR(scaled(42, "widgets", "widgets"), "42widgets");
	CHECK_STR(scaled(-2048, "bytes", "auto"), "-2kB");
	CHECK_STR(scaled(5, "microgcu", "auto"), "5u*GCU");
	/* "μs" loses its plural "s" before lookup, as in pprof, and is unknown */
	CHECK_STR(scaled(5, "\xce\xbcs", "auto"), "5");

	CHECK_STR(pct(1, 1), "  100%");
	CHECK_STR(pct(1, 8), "12.50%");
	CHECK_STR(pct(1, 200), "  0.5%");
	CHECK_STR(pct(1, 10000), " 0.01%");
	CHECK_STR(pct(1, 10000000), "1e-05%");
	CHECK_STR(pct(5, 0), "    0%");
	CHECK_STR(pct(-3, 4), "75.00%");

	const char *u;
	CHECK(unit_scale(2000, "ms", "s", &u) == 2 && !strcmp(u, "s"));
	CHECK_STR(unit_of(100, "nanoseconds", "minimum"), "ns");
	CHECK(units_compatible("bytes", "kilobytes"));
	CHECK(!units_compatible("bytes", "nanoseconds"));
	return check_done();
}
