/*
 * wire.h - reading the protobuf wire format.
 *
 * A struct wire is a cursor over a byte range; every read checks bounds
 * and returns -1 on malformed or truncated input, leaving the cursor
 * unusable.  Used for the hot, simple messages (the top level of Profile
 * and Sample) that cpprof decodes without building protobuf-c structs.
 */
#ifndef CPPROF_WIRE_H
#define CPPROF_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { WIRE_VARINT = 0, WIRE_I64 = 1, WIRE_LEN = 2, WIRE_I32 = 5 };

struct wire {
	const uint8_t *p;
	const uint8_t *end;
};

static inline struct wire wire_init(const uint8_t *data, size_t len)
{
	struct wire w = { data, data + len };
	return w;
}

static inline int wire_done(const struct wire *w)
{
	return w->p >= w->end;
}

/* A little-endian 32-bit word as the host reads it. */
static inline uint32_t le32(uint32_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap32(x);
#else
	return x;
#endif
}

static inline int wire_varint(struct wire *w, uint64_t *out)
{
	const uint8_t *p = w->p;
	if (p < w->end && *p < 0x80) {
		*out = *p;
		w->p = p + 1;
		return 0;
	}
	if (w->end - p >= 10) {
		/*
		 * Room for the longest varint: no bounds check per byte, and
		 * up to four bytes (ids and counts) without a branch per byte.
		 */
		uint32_t x;
		memcpy(&x, p, 4);
		x = le32(x);
		uint32_t stops = ~x & 0x80808080u;	/* high bit clear: the last byte */
		if (stops) {
			unsigned len = ((unsigned)__builtin_ctz(stops) >> 3) + 1;
			uint32_t v = (x & 0x7fu) | ((x >> 1) & 0x3f80u) | ((x >> 2) & 0x1fc000u) |
				     ((x >> 3) & 0xfe00000u);
			*out = v & (0xffffffffu >> (32 - 7 * len));
			w->p = p + len;
			return 0;
		}
		uint64_t v = 0;
		for (unsigned i = 0; i < 10; i++) {
			uint8_t b = p[i];
			v |= (uint64_t)(b & 0x7f) << (7 * i);
			if (b < 0x80) {
				*out = v;
				w->p = p + i + 1;
				return 0;
			}
		}
		return -1;
	}
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 70; shift += 7) {
		if (p >= w->end)
			return -1;
		uint8_t b = *p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80) {
			*out = v;
			w->p = p;
			return 0;
		}
	}
	return -1;
}

static inline int wire_key(struct wire *w, uint32_t *field, uint32_t *type)
{
	uint64_t k;
	if (wire_varint(w, &k) < 0 || (k >> 3) == 0 || (k >> 3) > UINT32_MAX)
		return -1;
	*field = (uint32_t)(k >> 3);
	*type = (uint32_t)(k & 7);
	return 0;
}

/* Reads a length-delimited field into *sub. */
static inline int wire_sub(struct wire *w, struct wire *sub)
{
	uint64_t len;
	if (wire_varint(w, &len) < 0 || len > (uint64_t)(w->end - w->p))
		return -1;
	sub->p = w->p;
	sub->end = w->p + len;
	w->p += len;
	return 0;
}

static inline int wire_skip(struct wire *w, uint32_t type)
{
	uint64_t v;
	struct wire sub;
	switch (type) {
	case WIRE_VARINT:
		return wire_varint(w, &v);
	case WIRE_I64:
		if (w->end - w->p < 8)
			return -1;
		w->p += 8;
		return 0;
	case WIRE_LEN:
		return wire_sub(w, &sub);
	case WIRE_I32:
		if (w->end - w->p < 4)
			return -1;
		w->p += 4;
		return 0;
	default:
		return -1;
	}
}

#endif
