#include "load/legacy_thread.h"

#include <stdlib.h>
#include <string.h>

#include "load/memmap.h"

/* pprof's threadzStartRE, `--- threadz \d+ ---`, anywhere in the line. */
static bool is_threadz_start(struct span line)
{
	for (size_t i = 0; i < line.len;) {
		const char *found = memmem(line.p + i, line.len - i, "--- threadz ", 12);
		if (!found)
			return false;
		size_t k = (size_t)(found - line.p) + 12, digits = k;
		while (k < line.len && is_digit(line.p[k]))
			k++;
		if (k > digits && line.len - k >= 4 && !memcmp(line.p + k, " ---", 4))
			return true;
		i = (size_t)(found - line.p) + 1;
	}
	return false;
}

/* Whether "/\d+\) stack: ---" occurs in s at or after position from. */
static bool has_name_end(struct span s, size_t from)
{
	static const char tail[] = ") stack: ---";
	const size_t n = sizeof(tail) - 1;
	for (size_t i = from; i < s.len;) {
		const char *found = memmem(s.p + i, s.len - i, tail, n);
		if (!found)
			return false;
		size_t d = (size_t)(found - s.p);
		while (d > from && is_digit(s.p[d - 1]))
			d--;
		if (d < (size_t)(found - s.p) && d > from && s.p[d - 1] == '/')
			return true;
		i = (size_t)(found - s.p) + 1;
	}
	return false;
}

/*
 * pprof's threadStartRE, `--- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\)
 * stack: ---`, anywhere in the line.
 */
static bool is_thread_start(struct span line)
{
	for (size_t i = 0; i < line.len;) {
		const char *found = memmem(line.p + i, line.len - i, "--- Thread ", 11);
		if (!found)
			return false;
		size_t k = (size_t)(found - line.p) + 11, hex = k;
		while (k < line.len && is_hex_digit(line.p[k]))
			k++;
		if (k > hex && line.len - k >= 8 && !memcmp(line.p + k, " (name: ", 8) &&
		    has_name_end(line, k + 8))
			return true;
		i = (size_t)(found - line.p) + 1;
	}
	return false;
}

/*
 * pprof's parseThreadSample: the addresses of one stack, up to the next
 * "---" line, which it leaves in *next.  A stack "same as previous
 * thread" has no addresses.
 */
static enum legacy_result thread_stack(struct go_scanner *s, struct span *next,
				       struct address_list *stack, struct error *e)
{
	bool same_as_previous = false;
	struct span line = span_of("", 0);
	stack->n = 0;
	while (go_scan(s)) {
		line = go_trim_space(s->token);
		if (line.len == 0)
			continue;
		if (span_has_prefix(line, "---"))
			break;
		if (span_contains(line, "same as previous thread")) {
			same_as_previous = true;
			continue;
		}
		if (go_hex_addresses(line, stack, e) < 0) {
			error_prefix(e, "malformed sample: %.*s: ", (int)line.len, line.p);
			legacy_line_error(e, s);
			return LEGACY_FAILED;
		}
	}
	if (go_scanner_error(s, e) < 0)
		return LEGACY_FAILED;
	*next = line;
	if (same_as_previous)
		stack->n = 0;
	return LEGACY_PARSED;
}

/* The threads, from the first "--- Thread" line up to the memory map. */
static enum legacy_result threads(struct go_scanner *s, struct span line, struct legacy_profile *lp,
				  struct error *e)
{
	struct address_list stack = { 0 };
	enum legacy_result rc = LEGACY_PARSED;
	while (rc == LEGACY_PARSED && !is_memory_map_sentinel(line)) {
		if (span_has_prefix(line, "---- no stack trace for"))
			break;
		if (!is_thread_start(line)) {
			rc = LEGACY_UNRECOGNIZED;
			break;
		}
		rc = thread_stack(s, &line, &stack, e);
		if (rc != LEGACY_PARSED)
			break;
		if (stack.n == 0) {
			/* One more thread with the last stack. */
			if (lp->nsamples > 0)
				lp->samples[lp->nsamples - 1].values[0]++;
			continue;
		}
		int64_t one = 1;
		legacy_add_sample(lp, stack.v, stack.n, ADJUST_CALLERS, &one, 1);
	}
	free(stack.v);
	if (rc == LEGACY_PARSED && memmap_read_sections(lp, s, e) < 0)
		rc = LEGACY_FAILED;
	if (rc == LEGACY_PARSED)
		legacy_drop_duplicate_leaves(lp);
	return rc;
}

enum legacy_result legacy_parse_thread(const uint8_t *data, size_t len, struct legacy_profile *lp,
				       struct error *e)
{
	static const char *const types[][2] = { { "thread", "count" } };
	struct go_scanner s;
	go_scanner_init(&s, data, len);
	while (go_scan(&s) && is_space_or_comment(s.token))
		;
	struct span line = s.token;
	if (is_threadz_start(line)) {
		/* Comments up to the first stack. */
		while (go_scan(&s)) {
			line = s.token;
			if (is_memory_map_sentinel(line) || span_has_prefix(line, "-"))
				break;
		}
	} else if (!is_thread_start(line)) {
		return LEGACY_UNRECOGNIZED;
	}
	legacy_set_types(lp, "thread", "count", types, 1);
	lp->period = 1;
	return threads(&s, line, lp, e);
}
