#include "load/gotext.h"

#include <math.h>
#include <string.h>

#include "util/arena.h"

/* bufio.MaxScanTokenSize: the longest line Go's Scanner accepts, plus one. */
#define SCAN_LIMIT 65536

bool span_is(struct span s, const char *text)
{
	return s.len == strlen(text) && !memcmp(s.p, text, s.len);
}

bool spans_equal(struct span a, struct span b)
{
	return a.len == b.len && !memcmp(a.p, b.p, a.len);
}

bool span_has_prefix(struct span s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

bool span_contains(struct span s, const char *needle)
{
	return memmem(s.p, s.len, needle, strlen(needle)) != NULL;
}

static bool is_ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The UTF-8 encodings of the non-ASCII runes Go's unicode.IsSpace accepts. */
static const char *const unicode_spaces[] = {
	"\xc2\x85", "\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\x80", "\xe2\x80\x81", "\xe2\x80\x82",
	"\xe2\x80\x83", "\xe2\x80\x84", "\xe2\x80\x85", "\xe2\x80\x86", "\xe2\x80\x87",
	"\xe2\x80\x88", "\xe2\x80\x89", "\xe2\x80\x8a", "\xe2\x80\xa8", "\xe2\x80\xa9",
	"\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80",
};

/* Length of the white-space rune s starts (at_end: ends) with, or 0. */
static size_t space_rune(struct span s, bool at_end)
{
	if (s.len == 0)
		return 0;
	unsigned char c = (unsigned char)(at_end ? s.p[s.len - 1] : s.p[0]);
	if (c < 0x80)
		return is_ascii_space(c) ? 1 : 0;
	for (size_t i = 0; i < sizeof(unicode_spaces) / sizeof(*unicode_spaces); i++) {
		size_t n = strlen(unicode_spaces[i]);
		if (s.len >= n && !memcmp(at_end ? s.p + s.len - n : s.p, unicode_spaces[i], n))
			return n;
	}
	return 0;
}

struct span go_trim_space(struct span s)
{
	size_t n;
	while ((n = space_rune(s, false)) != 0) {
		s.p += n;
		s.len -= n;
	}
	while ((n = space_rune(s, true)) != 0)
		s.len -= n;
	return s;
}

void go_scanner_init(struct go_scanner *s, const void *data, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->data = data;
	s->len = len;
	s->token = span_of("", 0);
}

static struct span drop_cr(struct span t)
{
	if (t.len > 0 && t.p[t.len - 1] == '\r')
		t.len--;
	return t;
}

static bool scan_fail(struct go_scanner *s)
{
	s->token = span_of("", 0);
	return false;
}

bool go_scan(struct go_scanner *s)
{
	if (s->done)
		return scan_fail(s);
	if (s->pending) {
		/* Go hands out what its full buffer holds, then stops. */
		s->pending = false;
		s->done = true;
		s->token = drop_cr(span_of(s->data + s->pos, SCAN_LIMIT));
		s->pos += SCAN_LIMIT;
		s->lines++;
		return true;
	}
	size_t left = s->len - s->pos;
	if (left == 0) {
		s->done = true;
		return scan_fail(s);
	}
	const char *start = s->data + s->pos;
	const char *nl = memchr(start, '\n', left < SCAN_LIMIT ? left : SCAN_LIMIT);
	if (nl) {
		s->token = drop_cr(span_of(start, (size_t)(nl - start)));
		s->pos += (size_t)(nl - start) + 1;
	} else if (left < SCAN_LIMIT) {
		s->token = drop_cr(span_of(start, left));
		s->pos = s->len;
	} else {
		s->too_long = true;
		s->pending = true;
		return scan_fail(s);
	}
	s->lines++;
	return true;
}

int go_scanner_error(const struct go_scanner *s, struct error *e)
{
	if (!s->too_long)
		return 0;
	return error_set(e, "line %zu: bufio.Scanner: token too long", s->lines + 1);
}

static char lower(char c)
{
	return (char)(c | 0x20);
}

/* Go's underscoreOK: underscores only between digits (or after a base prefix). */
static bool underscores_ok(struct span s)
{
	char saw = '^';
	size_t i = 0;
	if (s.len >= 1 && (s.p[0] == '-' || s.p[0] == '+')) {
		s.p++;
		s.len--;
	}
	bool hex = false;
	if (s.len >= 2 && s.p[0] == '0' &&
	    (lower(s.p[1]) == 'b' || lower(s.p[1]) == 'o' || lower(s.p[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(s.p[1]) == 'x';
	}
	for (; i < s.len; i++) {
		char c = s.p[i];
		if (is_digit(c) || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
			saw = '0';
			continue;
		}
		if (c == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

/* The base a base-0 number announces, and the digits after its prefix. */
static int number_base(struct span *digits)
{
	struct span s = *digits;
	if (s.p[0] != '0')
		return 10;
	int base = 8;
	size_t skip = 1;
	if (s.len >= 3) {
		switch (lower(s.p[1])) {
		case 'b': base = 2, skip = 2; break;
		case 'o': base = 8, skip = 2; break;
		case 'x': base = 16, skip = 2; break;
		}
	}
	digits->p += skip;
	digits->len -= skip;
	return base;
}

enum go_parse_result go_parse_uint(struct span s, int base, uint64_t *out)
{
	*out = 0;
	if (s.len == 0)
		return GO_PARSE_SYNTAX;
	struct span whole = s;
	bool base0 = base == 0;
	if (base0)
		base = number_base(&s);
	uint64_t cutoff = UINT64_MAX / (uint64_t)base + 1;
	bool underscores = false;
	uint64_t n = 0;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];
		unsigned d;
		if (c == '_' && base0) {
			underscores = true;
			continue;
		} else if (is_digit(c)) {
			d = (unsigned)(c - '0');
		} else if (lower(c) >= 'a' && lower(c) <= 'z') {
			d = (unsigned)(lower(c) - 'a' + 10);
		} else {
			return GO_PARSE_SYNTAX;
		}
		if (d >= (unsigned)base)
			return GO_PARSE_SYNTAX;
		if (n >= cutoff)
			return GO_PARSE_RANGE;
		n *= (uint64_t)base;
		if (n + d < n)
			return GO_PARSE_RANGE;
		n += d;
	}
	if (underscores && !underscores_ok(whole))
		return GO_PARSE_SYNTAX;
	*out = n;
	return GO_PARSE_OK;
}

enum go_parse_result go_parse_int(struct span s, int base, int64_t *out)
{
	*out = 0;
	if (s.len == 0)
		return GO_PARSE_SYNTAX;
	bool neg = s.p[0] == '-';
	if (s.p[0] == '+' || s.p[0] == '-') {
		s.p++;
		s.len--;
	}
	uint64_t un;
	enum go_parse_result r = go_parse_uint(s, base, &un);
	if (r == GO_PARSE_SYNTAX)
		return r;
	const uint64_t cutoff = (uint64_t)1 << 63;
	if (r == GO_PARSE_RANGE || (!neg && un >= cutoff) || (neg && un > cutoff))
		return GO_PARSE_RANGE;
	*out = neg ? (int64_t)(0 - un) : (int64_t)un;
	return GO_PARSE_OK;
}

void go_parse_error(struct strbuf *sb, const char *func, struct span s, enum go_parse_result r)
{
	strbuf_addf(sb, "strconv.%s: parsing \"%.*s\": %s", func, (int)s.len, s.p,
		    r == GO_PARSE_RANGE ? "value out of range" : "invalid syntax");
}

int64_t go_float_to_int64(double f)
{
	/* CVTTSD2SQ's "integer indefinite" for anything it cannot represent. */
	if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
		return INT64_MIN;
	return (int64_t)f;
}

struct span address_run(struct span s, size_t i)
{
	size_t end = i;
	while (end < s.len && (s.p[end] == ' ' || s.p[end] == 'x' || is_lower_hex(s.p[end])))
		end++;
	return span_of(s.p + i, end - i);
}

int go_hex_addresses(struct span s, struct address_list *list, struct error *e)
{
	size_t i = 0;
	while (i + 2 < s.len) {
		if (s.p[i] != '0' || s.p[i + 1] != 'x' || !is_lower_hex(s.p[i + 2])) {
			i++;
			continue;
		}
		size_t end = i + 2;
		while (end < s.len && is_lower_hex(s.p[end]))
			end++;
		struct span number = span_of(s.p + i, end - i);
		uint64_t v;
		if (go_parse_uint(number, 0, &v) != GO_PARSE_OK)
			return error_set(e, "failed to parse as hex 64-bit number: %.*s", (int)number.len,
					 number.p);
		xgrow((void **)&list->v, &list->cap, list->n + 1, sizeof(*list->v));
		list->v[list->n++] = v;
		i = end;
	}
	return 0;
}

bool is_space_or_comment(struct span line)
{
	struct span t = go_trim_space(line);
	return t.len == 0 || t.p[0] == '#';
}

bool is_memory_map_sentinel(struct span line)
{
	return span_contains(line, "--- Memory map: ---") || span_contains(line, "MAPPED_LIBRARIES:");
}
