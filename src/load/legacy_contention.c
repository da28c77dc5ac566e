#include "load/legacy_contention.h"

#include <stdlib.h>
#include <string.h>

#include "load/memmap.h"

/*
 * One "name = value" attribute.  pprof gives up on the format (so that
 * the next parser may try) on any name or value it does not expect.
 */
static bool attribute(struct span key, struct span value, int64_t *cpu_hz, struct legacy_profile *lp)
{
	int64_t v;
	if (span_is(key, "discarded samples"))
		return true;
	if (!span_is(key, "cycles/second") && !span_is(key, "sampling period") &&
	    !span_is(key, "ms since reset"))
		return false;
	if (go_parse_int(value, 0, &v) != GO_PARSE_OK)
		return false;
	if (span_is(key, "cycles/second"))
		*cpu_hz = v;
	else if (span_is(key, "sampling period"))
		lp->period = v;
	else
		lp->duration_nanos = (int64_t)((uint64_t)v * 1000 * 1000);
	return true;
}

/* The attribute lines; leaves the scanner on the first line that is not one. */
static enum legacy_result attributes(struct go_scanner *s, int64_t *cpu_hz, struct legacy_profile *lp,
				     struct error *e)
{
	while (go_scan(s)) {
		struct span line = go_trim_space(s->token);
		if (is_space_or_comment(line))
			continue;
		if (span_has_prefix(line, "---"))
			break;
		const char *eq = memchr(line.p, '=', line.len);
		if (!eq)
			break;
		struct span key = go_trim_space(span_of(line.p, (size_t)(eq - line.p)));
		struct span value = go_trim_space(span_of(eq + 1, line.len - (size_t)(eq + 1 - line.p)));
		if (!attribute(key, value, cpu_hz, lp))
			return LEGACY_UNRECOGNIZED;
	}
	return go_scanner_error(s, e) < 0 ? LEGACY_FAILED : LEGACY_PARSED;
}

static size_t digits_end(struct span s, size_t i)
{
	while (i < s.len && is_digit(s.p[i]))
		i++;
	return i;
}

static bool at_space_at(struct span s, size_t i)
{
	return s.len - i >= 2 && s.p[i] == ' ' && s.p[i + 1] == '@';
}

/*
 * pprof's contentionSampleRE, `(\d+) *(\d+) @([ x0-9a-f]*)`, leftmost
 * first: from the first digit run that can start it.  Without spaces
 * between the numbers the first one gives its last digit to the second,
 * as a backtracking match does.
 */
static bool match_sample(struct span s, struct span *n1, struct span *n2, struct span *addrs)
{
	size_t after = 0;
	for (size_t i = 0; i < s.len; i = after) {
		if (!is_digit(s.p[i])) {
			after = i + 1;
			continue;
		}
		size_t j = digits_end(s, i), k = j;
		after = j;
		while (k < s.len && s.p[k] == ' ')
			k++;
		size_t m = digits_end(s, k);
		if (m > k && at_space_at(s, m)) {
			*n1 = span_of(s.p + i, j - i);
			*n2 = span_of(s.p + k, m - k);
		} else if (j - i >= 2 && at_space_at(s, j)) {
			*n1 = span_of(s.p + i, j - i - 1);
			*n2 = span_of(s.p + j - 1, 1);
			m = j;
		} else {
			continue;
		}
		*addrs = address_run(s, m + 2);
		return true;
	}
	return false;
}

static enum legacy_result malformed(struct error *e, struct span line, struct span v,
				    enum go_parse_result r)
{
	error_set(e, "malformed sample: %.*s: ", (int)line.len, line.p);
	go_parse_error(&e->msg, "ParseInt", v, r);
	return LEGACY_FAILED;
}

/* pprof's parseContentionSample: delay in nanoseconds and count, unsampled. */
static enum legacy_result contention_sample(struct span line, int64_t cpu_hz,
					    struct address_list *stack, struct legacy_profile *lp,
					    struct error *e)
{
	struct span t1, t2, addrs;
	if (!match_sample(line, &t1, &t2, &addrs))
		return LEGACY_UNRECOGNIZED;
	int64_t cycles, count;
	enum go_parse_result r;
	if ((r = go_parse_int(t1, 10, &cycles)) != GO_PARSE_OK)
		return malformed(e, line, t1, r);
	if ((r = go_parse_int(t2, 10, &count)) != GO_PARSE_OK)
		return malformed(e, line, t2, r);
	int64_t period = lp->period;
	if (period > 0) {
		if (cpu_hz > 0) {
			double cpu_ghz = (double)cpu_hz / 1e9;
			cycles = go_float_to_int64((double)cycles * (double)period / cpu_ghz);
		}
		count = (int64_t)((uint64_t)count * (uint64_t)period);
	}
	stack->n = 0;
	if (go_hex_addresses(addrs, stack, e) < 0) {
		error_prefix(e, "malformed sample: %.*s: ", (int)line.len, line.p);
		return LEGACY_FAILED;
	}
	int64_t values[] = { count, cycles };
	legacy_add_sample(lp, stack->v, stack->n, ADJUST_ALL, values, 2);
	return LEGACY_PARSED;
}

/* The samples, from the line the attributes stopped at. */
static enum legacy_result samples(struct go_scanner *s, int64_t cpu_hz,
				  struct legacy_profile *lp, struct error *e)
{
	struct address_list stack = { 0 };
	enum legacy_result rc = LEGACY_PARSED;
	do {
		struct span line = go_trim_space(s->token);
		if (span_has_prefix(line, "---"))
			break;
		if (is_space_or_comment(line))
			continue;
		rc = contention_sample(line, cpu_hz, &stack, lp, e);
		if (rc == LEGACY_FAILED)
			legacy_line_error(e, s);
	} while (rc == LEGACY_PARSED && go_scan(s));
	free(stack.v);
	if (rc == LEGACY_PARSED && (go_scanner_error(s, e) < 0 || memmap_read_sections(lp, s, e) < 0))
		rc = LEGACY_FAILED;
	return rc;
}

enum legacy_result legacy_parse_contention(const uint8_t *data, size_t len, struct legacy_profile *lp,
					   struct error *e)
{
	static const char *const types[][2] = { { "contentions", "count" }, { "delay", "nanoseconds" } };
	struct go_scanner s;
	go_scanner_init(&s, data, len);
	if (!go_scan(&s))
		return go_scanner_error(&s, e) < 0 ? LEGACY_FAILED : LEGACY_UNRECOGNIZED;
	if (!span_has_prefix(s.token, "--- contentionz ") && !span_has_prefix(s.token, "--- mutex:") &&
	    !span_has_prefix(s.token, "--- contention:"))
		return LEGACY_UNRECOGNIZED;
	legacy_set_types(lp, "contentions", "count", types, 2);
	lp->period = 1;
	int64_t cpu_hz = 0;	/* cycles/second, if known */
	enum legacy_result rc = attributes(&s, &cpu_hz, lp, e);
	return rc == LEGACY_PARSED ? samples(&s, cpu_hz, lp, e) : rc;
}
