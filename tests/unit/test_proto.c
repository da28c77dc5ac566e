/* Decoding and validating profile.proto, on profiles built here. */
#include <stdlib.h>
#include <zlib.h>

#include "check.h"
#include "load/proto.h"
#include "pbwriter.h"

/* A profile: strings "", "samples", "count", "main", "a.go"; 1 function, 2 locations. */
static void write_tables(struct strbuf *p, int bad_function_id)
{
	struct strbuf m = STRBUF_INIT;
	const char *strings[] = { "", "samples", "count", "main", "a.go", "key", "val" };
	pb_uint(&m, 1, 1);
	pb_uint(&m, 2, 2);
	pb_msg(p, 1, &m);
	pb_uint(&m, 1, 1);
	pb_uint(&m, 2, 3);
	pb_uint(&m, 4, 4);
	pb_msg(p, 5, &m);
	for (uint64_t id = 1; id <= 2; id++) {
		struct strbuf line = STRBUF_INIT;
		pb_uint(&line, 1, bad_function_id ? 9 : 1);
		pb_uint(&line, 2, 10 * id);
		pb_uint(&m, 1, id);
		pb_uint(&m, 3, 0x1000 * id);
		pb_msg(&m, 4, &line);
		pb_msg(p, 4, &m);
		strbuf_release(&line);
	}
	for (size_t i = 0; i < sizeof(strings) / sizeof(*strings); i++)
		pb_str(p, 6, strings[i]);
	strbuf_release(&m);
}

static int decode(struct strbuf *p, struct profile *prof, struct error *e)
{
	uint8_t *buf = malloc(p->len + 1);
	memcpy(buf, p->buf, p->len);
	profile_init(prof);
	int rc = proto_decode(&buf, p->len, prof, e);
	free(buf);
	if (rc == 0)
		rc = profile_validate(prof, e);
	return rc;
}

static void test_valid(void)
{
	struct strbuf p = STRBUF_INIT, s = STRBUF_INIT, l = STRBUF_INIT;
	uint64_t locs[] = { 2, 1 };
	pb_packed(&s, 1, locs, 2);
	pb_uint(&s, 2, 7);			/* unpacked value */
	pb_uint(&l, 1, 5);
	pb_uint(&l, 2, 6);
	pb_msg(&s, 3, &l);
	pb_msg(&p, 2, &s);
	pb_uint(&s, 1, 1);			/* unpacked location */
	uint64_t vals[] = { 3 };
	pb_packed(&s, 2, vals, 1);
	pb_msg(&p, 2, &s);
	write_tables(&p, 0);
	pb_uint(&p, 9, 1234);

	struct profile prof;
	struct error e = ERROR_INIT;
	CHECK(decode(&p, &prof, &e) == 0);
	CHECK(prof.samples.count == 2 && prof.nlocations == 2 && prof.nfunctions == 1);
	CHECK(prof.time_nanos == 1234);
	CHECK_STR(prof.sample_types[0].type, "samples");
	struct sample_buf buf = { 0 };
	struct sample smp;
	CHECK(sample_decode(&prof, 0, &smp, &buf) == 0);
	CHECK(smp.nlocations == 2 && smp.locations[0] == 1 && smp.locations[1] == 0);
	CHECK(smp.nvalues == 1 && smp.values[0] == 7);
	CHECK(smp.nlabels == 1 && smp.labels[0].key == 5 && smp.labels[0].str == 6);
	CHECK(sample_decode(&prof, 1, &smp, &buf) == 0);
	CHECK(smp.nlocations == 1 && smp.values[0] == 3);
	const int64_t *v = sample_values(&prof, 0, &buf);
	CHECK(v && v[0] == 7);
	CHECK_STR(prof.functions[prof.locations[0].lines[0].function].name, "main");
	sample_buf_free(&buf);
	profile_free(&prof);
	strbuf_release(&p);
	strbuf_release(&s);
	strbuf_release(&l);
	error_clear(&e);
}

static void expect_error(struct strbuf *p, int rc_want, const char *msg)
{
	struct profile prof;
	struct error e = ERROR_INIT;
	CHECK(decode(p, &prof, &e) == rc_want);
	CHECK_STR(e.msg.buf, msg);
	profile_free(&prof);
	error_clear(&e);
	strbuf_reset(p);
}

static void test_errors(void)
{
	struct strbuf p = STRBUF_INIT, s = STRBUF_INIT;
	expect_error(&p, -1, "empty input file");

	pb_uint(&p, 9, 1);
	pb_uint(&p, 9, 2);
	expect_error(&p, -1, "concatenated profiles detected");

	strbuf_addstr(&p, "\xff\xff\xff");
	expect_error(&p, -1, "malformed profile format");

	uint64_t bad[] = { 77 };
	pb_packed(&s, 1, bad, 1);
	pb_uint(&s, 2, 1);
	pb_msg(&p, 2, &s);
	write_tables(&p, 0);
	expect_error(&p, -1, "sample has nil location");

	uint64_t two[] = { 1, 2 };
	pb_uint(&s, 1, 1);
	pb_packed(&s, 2, two, 2);
	pb_msg(&p, 2, &s);
	write_tables(&p, 0);
	expect_error(&p, -1, "mismatch: sample has 2 values vs. 1 types");

	write_tables(&p, 1);
	expect_error(&p, -1, "location id: 1 has a line with nil function");

	pb_uint(&p, 7, 99);	/* drop_frames outside the string table */
	write_tables(&p, 0);
	expect_error(&p, -1, "malformed profile format");

	struct strbuf l = STRBUF_INIT;
	pb_uint(&s, 2, 1);
	pb_uint(&l, 1, 40);	/* label key outside the string table */
	pb_msg(&s, 3, &l);
	pb_msg(&p, 2, &s);
	write_tables(&p, 0);
	expect_error(&p, -2, "malformed profile format");
	strbuf_release(&l);
	strbuf_release(&p);
	strbuf_release(&s);
}

static void test_gzip(void)
{
	const char text[] = "profile bytes";
	uint8_t gz[128];
	z_stream z;
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *)text;
	z.avail_in = sizeof(text);
	z.next_out = gz;
	z.avail_out = sizeof(gz);
	deflate(&z, Z_FINISH);
	size_t n = sizeof(gz) - z.avail_out;
	deflateEnd(&z);
	CHECK(is_gzip(gz, n));

	struct error e = ERROR_INIT;
	uint8_t *out;
	size_t out_len;
	CHECK(gunzip(gz, n, &out, &out_len, &e) == 0);
	CHECK(out_len == sizeof(text) && !memcmp(out, text, out_len));
	free(out);

	/* two members, as gzip allows */
	uint8_t twice[256];
	memcpy(twice, gz, n);
	memcpy(twice + n, gz, n);
	CHECK(gunzip(twice, 2 * n, &out, &out_len, &e) == 0);
	CHECK(out_len == 2 * sizeof(text));
	free(out);

	CHECK(gunzip(gz, n - 5, &out, &out_len, &e) == -1);
	CHECK_STR(e.msg.buf, "decompressing profile: unexpected EOF");
	gz[n - 6] ^= 0xff;	/* the CRC */
	CHECK(gunzip(gz, n, &out, &out_len, &e) == -1);
	CHECK_STR(e.msg.buf, "decompressing profile: gzip: invalid checksum");
	memcpy(twice + n, "junk", 4);
	CHECK(gunzip(twice, n + 4, &out, &out_len, &e) == -1);
	error_clear(&e);
}

int main(void)
{
	test_valid();
	test_errors();
	test_gzip();
	return check_done();
}
