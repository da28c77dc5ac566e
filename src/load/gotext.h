/*
 * gotext.h - the pieces of Go's standard library that pprof's legacy
 * parsers lean on, with Go's exact behaviour, so that cpprof accepts and
 * rejects the same text as pprof: bufio.Scanner's line splitting (with its
 * 64 KiB line limit), strings.TrimSpace, strconv.ParseInt/ParseUint, and
 * the small helpers pprof's text formats share (parseHexAddresses,
 * isSpaceOrComment, isMemoryMapSentinel).
 *
 * Text is handled as byte spans (struct span) into the caller's buffer:
 * nothing here allocates except go_hex_addresses(), whose array the caller
 * owns.
 */
#ifndef CPPROF_GOTEXT_H
#define CPPROF_GOTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* A run of bytes inside some buffer; not NUL-terminated. */
struct span {
	const char *p;
	size_t len;
};

static inline struct span span_of(const char *p, size_t len)
{
	struct span s = { p, len };
	return s;
}

bool span_is(struct span s, const char *text);
bool spans_equal(struct span a, struct span b);
bool span_has_prefix(struct span s, const char *prefix);
bool span_contains(struct span s, const char *needle);
/* Go's strings.TrimSpace: ASCII and Unicode white space at both ends. */
struct span go_trim_space(struct span s);

/*
 * Go's bufio.Scanner with ScanLines over a buffer: lines end at '\n', a
 * trailing '\r' is dropped, and a line of 65536 bytes or more stops the
 * scan with "bufio.Scanner: token too long".  As in Go, a Scan after that
 * error yields the first 65536 bytes of the long line once more.
 */
struct go_scanner {
	const char *data;
	size_t len, pos;
	struct span token;	/* the current line; empty after a failed scan */
	size_t lines;		/* lines returned so far: the current line's number */
	bool too_long;		/* the error Go's Err() would return */
	bool pending;		/* the long line's head is still to be returned */
	bool done;
};

void go_scanner_init(struct go_scanner *s, const void *data, size_t len);
bool go_scan(struct go_scanner *s);
/* Sets e to the scanner's error (naming the line) and returns -1; 0 if none. */
int go_scanner_error(const struct go_scanner *s, struct error *e);

/* strconv's outcomes. */
enum go_parse_result { GO_PARSE_OK, GO_PARSE_SYNTAX, GO_PARSE_RANGE };

/* Go's strconv.ParseUint(s, base, 64) and ParseInt(s, base, 64); base 0 reads prefixes. */
enum go_parse_result go_parse_uint(struct span s, int base, uint64_t *out);
enum go_parse_result go_parse_int(struct span s, int base, int64_t *out);
/* Appends Go's wording of a failed parse: `strconv.ParseInt: parsing "s": value out of range`. */
void go_parse_error(struct strbuf *sb, const char *func, struct span s, enum go_parse_result r);

/* Go's a / b, which gives INT64_MIN for INT64_MIN / -1 (b must not be 0). */
static inline int64_t go_div(int64_t a, int64_t b)
{
	return b == -1 ? (int64_t)(0 - (uint64_t)a) : a / b;
}

/* Go's int64(f) on amd64: values out of range (and NaN) become INT64_MIN. */
int64_t go_float_to_int64(double f);

/* A growable list of addresses; the owner frees v. */
struct address_list {
	uint64_t *v;
	size_t n, cap;
};

/*
 * pprof's parseHexAddresses: appends every "0x[0-9a-f]+" of s to list, as
 * numbers.  A number over 64 bits gives -1 with pprof's wording in e.
 */
int go_hex_addresses(struct span s, struct address_list *list, struct error *e);

/* pprof's isSpaceOrComment: blank once trimmed, or starting with '#'. */
bool is_space_or_comment(struct span line);
/* pprof's isMemoryMapSentinel: "--- Memory map: ---" or "MAPPED_LIBRARIES:". */
bool is_memory_map_sentinel(struct span line);

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_hex_digit(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The digits of pprof's hexNumberRE, 0x[0-9a-f]+: lower case only. */
static inline bool is_lower_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

/*
 * The longest run of pprof's `[ x0-9a-f]*` from position i: the
 * addresses at the end of a sample line.
 */
struct span address_run(struct span s, size_t i);

/* Go's regexp \s: ASCII space, \t, \n, \f, \r (not \v). */
static inline bool is_re_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

#endif
