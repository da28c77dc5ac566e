/*
 * pbwriter.h - writes protobuf messages by hand, so that tests can build
 * profiles (valid and broken) without fixtures.
 */
#ifndef CPPROF_PBWRITER_H
#define CPPROF_PBWRITER_H

#include <stdint.h>

#include "util/strbuf.h"

static inline void pb_varint(struct strbuf *sb, uint64_t v)
{
	while (v >= 0x80) {
		strbuf_addch(sb, (int)((v & 0x7f) | 0x80));
		v >>= 7;
	}
	strbuf_addch(sb, (int)v);
}

static inline void pb_uint(struct strbuf *sb, uint32_t field, uint64_t v)
{
	pb_varint(sb, (uint64_t)field << 3);
	pb_varint(sb, v);
}

static inline void pb_bytes(struct strbuf *sb, uint32_t field, const void *data, size_t len)
{
	pb_varint(sb, (uint64_t)field << 3 | 2);
	pb_varint(sb, len);
	strbuf_add(sb, data, len);
}

static inline void pb_str(struct strbuf *sb, uint32_t field, const char *s)
{
	pb_bytes(sb, field, s, strlen(s));
}

static inline void pb_msg(struct strbuf *sb, uint32_t field, struct strbuf *sub)
{
	pb_bytes(sb, field, sub->buf, sub->len);
	strbuf_reset(sub);
}

static inline void pb_packed(struct strbuf *sb, uint32_t field, const uint64_t *v, size_t n)
{
	struct strbuf p = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		pb_varint(&p, v[i]);
	pb_bytes(sb, field, p.buf, p.len);
	strbuf_release(&p);
}

#endif
