/*
 * proto.h - profile.proto input: gzip detection, inflation, decoding and
 * pprof's validation.
 *
 * proto_parse() takes ownership of nothing: it copies what it keeps of
 * `data` into the profile, except that on success the profile's sample
 * store points into `*owned`, which proto_parse() takes over (it sets
 * *owned to NULL) when the samples are read in place.
 *
 * Errors carry pprof's wording, without the source name, e.g.
 * "decompressing profile: unexpected EOF" or
 * "parsing profile: unrecognized profile format".
 */
#ifndef CPPROF_PROTO_H
#define CPPROF_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/error.h"
#include "util/strbuf.h"

/* True if data starts with the gzip magic number. */
int is_gzip(const uint8_t *data, size_t len);
/* Appends len bytes of data to out as a gzip stream (as profile.proto files are written). */
int gzip_compress(const uint8_t *data, size_t len, struct strbuf *out, struct error *e);
/* Inflates a whole (possibly multi-member) gzip buffer into a malloc'd buffer. */
int gunzip(const uint8_t *data, size_t len, uint8_t **out, size_t *out_len, struct error *e);

/*
 * Decodes an uncompressed profile.proto message held in the malloc'd
 * buffer *buf of len bytes; on success the profile owns *buf (set to
 * NULL).  Returns 0; or -1 with a message saying why the bytes are not a
 * valid profile.proto: "empty input file", "concatenated profiles detected",
 * or another decoding failure, after which pprof tries the legacy formats.
 */
int proto_decode(uint8_t **buf, size_t len, struct profile *p, struct error *e);

/*
 * pprof's checks of a decoded profile: returns 0; -1 with the reason
 * pprof's CheckValid gives ("malformed profile: <reason>"); or -2 when a
 * sample's labels name strings outside the table, which pprof's decoder
 * rejects before validating ("malformed profile format").
 */
int profile_validate(struct profile *p, struct error *e);

#endif
