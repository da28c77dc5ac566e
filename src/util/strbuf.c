#include "util/strbuf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

char strbuf_empty[1];

void strbuf_init(struct strbuf *sb)
{
	sb->buf = strbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	strbuf_grow(sb, 0);
	char *p = sb->buf;
	if (len)
		*len = sb->len;
	strbuf_init(sb);
	return p;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	size_t n = sb->alloc ? sb->alloc : 64;
	while (n < need)
		n *= 2;
	if (sb->alloc) {
		sb->buf = xrealloc(sb->buf, n);
	} else {
		sb->buf = xmalloc(n);
		sb->buf[0] = '\0';
	}
	sb->alloc = n;
}

void strbuf_reset(struct strbuf *sb)
{
	if (sb->alloc) {
		sb->len = 0;
		sb->buf[0] = '\0';
	}
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
	strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void strbuf_addchars(struct strbuf *sb, int c, size_t n)
{
	strbuf_grow(sb, n);
	memset(sb->buf + sb->len, c, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_add_right(struct strbuf *sb, const char *s, size_t len, size_t width)
{
	if (len < width)
		strbuf_addchars(sb, ' ', width - len);
	strbuf_add(sb, s, len);
}

char *decimal_digits(char *end, uint64_t v)
{
	char *p = end;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return p;
}

void strbuf_add_int(struct strbuf *sb, int64_t v, size_t width)
{
	char buf[24];
	char *p = decimal_digits(buf + sizeof(buf), v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
	if (v < 0)
		*--p = '-';
	strbuf_add_right(sb, p, (size_t)(buf + sizeof(buf) - p), width);
}

void strbuf_add_uint(struct strbuf *sb, uint64_t v, size_t width)
{
	char buf[24];
	char *p = decimal_digits(buf + sizeof(buf), v);
	strbuf_add_right(sb, p, (size_t)(buf + sizeof(buf) - p), width);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(sb->buf + sb->len, sb->alloc ? sb->alloc - sb->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if (sb->len + (size_t)n + 1 > sb->alloc) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

int strbuf_write(const struct strbuf *sb, FILE *f)
{
	if (sb->len && fwrite(sb->buf, 1, sb->len, f) != sb->len)
		return -1;
	return 0;
}

/* Length of the valid UTF-8 sequence at s and its code point; 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, uint32_t *rune)
{
	static const uint32_t min_rune[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n = s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (n == 0 || s[0] >= 0xf5)
		return 0;
	uint32_t r = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		r = r << 6 | (s[i] & 0x3f);
	}
	if (r < min_rune[n] || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff))
		return 0;
	*rune = r;
	return n;
}

/*
 * Non-ASCII code points Go's unicode.IsPrint rejects, in the ranges text
 * meets in practice: C1 controls, spaces other than ' ', invisible
 * formatting characters.
 */
static bool rune_is_unprintable(uint32_t r)
{
	return r <= 0xa0 || r == 0xad || r == 0x1680 || (r >= 0x2000 && r <= 0x200f) ||
	       (r >= 0x2028 && r <= 0x202f) || (r >= 0x205f && r <= 0x206f) || r == 0x3000 ||
	       r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb);
}

void strbuf_add_xml_len(struct strbuf *sb, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': strbuf_addstr(sb, "&amp;"); break;
		case '<': strbuf_addstr(sb, "&lt;"); break;
		case '>': strbuf_addstr(sb, "&gt;"); break;
		case '"': strbuf_addstr(sb, "&#34;"); break;
		case '\'': strbuf_addstr(sb, "&#39;"); break;
		default: strbuf_addch(sb, s[i]);
		}
	}
}

void strbuf_add_xml(struct strbuf *sb, const char *s)
{
	strbuf_add_xml_len(sb, s, strlen(s));
}

void strbuf_add_quoted(struct strbuf *sb, const char *s)
{
	static const char escapes[] = "\aa\bb\ff\nn\rr\tt\vv";
	const unsigned char *p = (const unsigned char *)s;
	strbuf_addch(sb, '"');
	while (*p) {
		const char *esc = *p < 0x20 ? memchr(escapes, *p, sizeof(escapes) - 1) : NULL;
		uint32_t rune;
		size_t n;
		if (*p == '"' || *p == '\\') {
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, *p++);
		} else if (esc) {
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, esc[1]);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			strbuf_addf(sb, "\\x%02x", *p++);
		} else if (*p < 0x80) {
			strbuf_addch(sb, *p++);
		} else if ((n = utf8_decode(p, &rune)) == 0) {
			strbuf_addf(sb, "\\x%02x", *p++);
		} else if (rune_is_unprintable(rune)) {
			strbuf_addf(sb, "\\u%04x", (unsigned)rune);
			p += n;
		} else {
			strbuf_add(sb, p, n);
			p += n;
		}
	}
	strbuf_addch(sb, '"');
}
