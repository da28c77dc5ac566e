#include "load/legacy_count.h"

#include <stdlib.h>
#include <string.h>

#include "load/memmap.h"

static bool all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(p[i]))
			return false;
	return n > 0;
}

/* pprof's countStartRE, `\A(\S+) profile: total \d+\z`: sets the profile's name. */
static bool match_start(struct span line, struct span *name)
{
	static const char middle[] = " profile: total ";
	const size_t n = sizeof(middle) - 1;
	size_t k = 0;
	while (k < line.len && !is_re_space(line.p[k]))
		k++;
	if (k == 0 || line.len - k < n || memcmp(line.p + k, middle, n))
		return false;
	*name = span_of(line.p, k);
	return all_digits(line.p + k + n, line.len - k - n);
}

/*
 * pprof's countRE, `\A(\d+) @(( 0x[0-9a-f]+)+)\z`: the count, and the
 * addresses as " 0x..." words up to the end of the line.
 */
static bool match_sample(struct span line, struct span *count, struct span *addrs)
{
	size_t k = 0;
	while (k < line.len && is_digit(line.p[k]))
		k++;
	if (k == 0 || line.len - k < 2 || memcmp(line.p + k, " @", 2))
		return false;
	*count = span_of(line.p, k);
	*addrs = span_of(line.p + k + 2, line.len - k - 2);
	size_t i = 0;
	do {
		if (addrs->len - i < 4 || memcmp(addrs->p + i, " 0x", 3))
			return false;
		i += 3;
		size_t start = i;
		while (i < addrs->len && is_lower_hex(addrs->p[i]))
			i++;
		if (i == start)
			return false;
	} while (i < addrs->len);
	return true;
}

/*
 * One "COUNT @ 0x... 0x..." line; false if pprof calls it malformed (its
 * own reasons do not reach the user).
 */
static bool count_sample(struct span line, struct address_list *stack, struct legacy_profile *lp)
{
	struct span count_text, addrs;
	int64_t count;
	struct error ignored = ERROR_INIT;
	stack->n = 0;
	bool ok = match_sample(line, &count_text, &addrs) &&
		  go_parse_int(count_text, 0, &count) == GO_PARSE_OK &&
		  go_hex_addresses(addrs, stack, &ignored) == 0;
	error_clear(&ignored);
	if (ok)
		legacy_add_sample(lp, stack->v, stack->n, ADJUST_ALL, &count, 1);
	return ok;
}

static enum legacy_result count_samples(struct go_scanner *s, struct legacy_profile *lp, struct error *e)
{
	struct address_list stack = { 0 };
	enum legacy_result rc = LEGACY_PARSED;
	while (go_scan(s)) {
		if (is_space_or_comment(s->token))
			continue;
		if (span_has_prefix(s->token, "---"))
			break;
		if (!count_sample(s->token, &stack, lp)) {
			error_set(e, "malformed profile format");
			legacy_line_error(e, s);
			rc = LEGACY_FAILED;
			break;
		}
	}
	free(stack.v);
	if (rc == LEGACY_PARSED && (go_scanner_error(s, e) < 0 || memmap_read_sections(lp, s, e) < 0))
		rc = LEGACY_FAILED;
	return rc;
}

enum legacy_result legacy_parse_count(const uint8_t *data, size_t len, struct legacy_profile *lp,
				      struct error *e)
{
	struct go_scanner s;
	go_scanner_init(&s, data, len);
	while (go_scan(&s) && is_space_or_comment(s.token))
		;
	if (go_scanner_error(&s, e) < 0)
		return LEGACY_FAILED;
	struct span name;
	if (!match_start(s.token, &name))
		return LEGACY_UNRECOGNIZED;
	const char *type = arena_strndup(&lp->arena, name.p, name.len);
	const char *types[][2] = { { type, "count" } };
	legacy_set_types(lp, type, "count", types, 1);
	lp->period = 1;
	return count_samples(&s, lp, e);
}
