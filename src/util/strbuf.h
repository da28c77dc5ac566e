/*
 * strbuf.h - a growable byte string.
 *
 * Invariants: buf is never NULL after strbuf_init (it points at a static
 * empty string until something is added); buf[len] is always '\0', so
 * buf can be passed to any C string function; the strbuf owns buf until
 * strbuf_detach() hands it to the caller.
 */
#ifndef CPPROF_STRBUF_H
#define CPPROF_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;	/* 0 while buf is the static empty string */
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* Hands buf to the caller (who frees it) and leaves sb empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
/* Appends c n times. */
void strbuf_addchars(struct strbuf *sb, int c, size_t n);
/* Appends the len bytes of s right-aligned in width columns, as printf's %*s does. */
void strbuf_add_right(struct strbuf *sb, const char *s, size_t len, size_t width);
/*
 * Appends v in decimal, right-aligned in width columns (0: none), as
 * printf's %*lld and %llu do, without printf's cost per call.
 */
void strbuf_add_int(struct strbuf *sb, int64_t v, size_t width);
/* Writes the decimal digits of v backwards, ending just before end; returns where they start. */
char *decimal_digits(char *end, uint64_t v);
void strbuf_add_uint(struct strbuf *sb, uint64_t v, size_t width);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/*
 * Appends s as Go's strconv.Quote (the %q verb) writes it: in double quotes,
 * with \" \\ \n \t ..., \xNN for bytes that are no UTF-8 and \uNNNN for
 * control characters.
 */
void strbuf_add_quoted(struct strbuf *sb, const char *s);
/* Appends s (len bytes) as XML or HTML text or attribute value: & < > " ' as entities. */
void strbuf_add_xml_len(struct strbuf *sb, const char *s, size_t len);
/* strbuf_add_xml_len() of a string. */
void strbuf_add_xml(struct strbuf *sb, const char *s);
/* Writes the contents to f; returns 0, or -1 on a write error. */
int strbuf_write(const struct strbuf *sb, FILE *f);

#endif
