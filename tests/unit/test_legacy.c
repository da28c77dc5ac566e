/*
 * The legacy parsers, each on inputs built here.  Expected results are
 * what pprof's own parser (its profile package) makes of the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "load/gotext.h"
#include "load/legacy.h"
#include "load/legacy_heap.h"
#include "util/strbuf.h"

/* Samples, locations and mappings of p, one per line, as the tests expect them. */
static char *describe(const struct profile *p)
{
	struct strbuf sb = STRBUF_INIT;
	struct sample_buf buf = { 0 };
	struct sample s;
	strbuf_addf(&sb, "period %s/%s %lld", p->period_type.type, p->period_type.unit,
		    (long long)p->period);
	if (p->duration_nanos)
		strbuf_addf(&sb, " duration %lld", (long long)p->duration_nanos);
	strbuf_addstr(&sb, "\ntypes");
	for (size_t i = 0; i < p->nsample_types; i++)
		strbuf_addf(&sb, " %s/%s", p->sample_types[i].type, p->sample_types[i].unit);
	strbuf_addch(&sb, '\n');
	for (size_t i = 0; i < p->samples.count; i++) {
		sample_decode(p, i, &s, &buf);
		strbuf_addstr(&sb, "sample");
		for (size_t j = 0; j < s.nvalues; j++)
			strbuf_addf(&sb, " %lld", (long long)s.values[j]);
		strbuf_addstr(&sb, " |");
		for (size_t j = 0; j < s.nlocations; j++)
			strbuf_addf(&sb, " %llu", (unsigned long long)p->locations[s.locations[j]].id);
		for (size_t j = 0; j < s.nlabels; j++)
			strbuf_addf(&sb, " | %s %lld", profile_string(p, s.labels[j].key),
				    (long long)s.labels[j].num);
		strbuf_addch(&sb, '\n');
	}
	for (size_t i = 0; i < p->nlocations; i++) {
		const struct location *l = &p->locations[i];
		strbuf_addf(&sb, "location %llu 0x%llx %llu", (unsigned long long)l->id,
			    (unsigned long long)l->address,
			    l->mapping >= 0 ? (unsigned long long)p->mappings[l->mapping].id : 0ULL);
		for (uint32_t j = 0; j < l->nlines; j++) {
			const struct function *f = &p->functions[l->lines[j].function];
			strbuf_addf(&sb, " [%s %s %lld]", f->name, f->filename, (long long)l->lines[j].line);
		}
		strbuf_addch(&sb, '\n');
	}
	for (size_t i = 0; i < p->nmappings; i++) {
		const struct mapping *m = &p->mappings[i];
		strbuf_addf(&sb, "mapping %llu 0x%llx 0x%llx 0x%llx \"%s\" \"%s\"\n",
			    (unsigned long long)m->id, (unsigned long long)m->start,
			    (unsigned long long)m->limit, (unsigned long long)m->offset, m->file, m->build_id);
	}
	sample_buf_free(&buf);
	return strbuf_detach(&sb, NULL);
}

/* Parses len bytes of data; the description, or "error: " and the message. */
static char *parse(const void *data, size_t len)
{
	struct profile p;
	struct error e = ERROR_INIT;
	profile_init(&p);
	char *out;
	if (legacy_parse(data, len, &p, &e) < 0) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "error: %s", e.msg.buf);
		out = strbuf_detach(&sb, NULL);
	} else {
		out = describe(&p);
	}
	profile_free(&p);
	error_clear(&e);
	return out;
}

static void check_parse(const char *text, const char *want, int line)
{
	char *got = parse(text, strlen(text));
	if (strcmp(got, want))
		fprintf(stderr, "line %d:\n got: %s\nwant: %s\n", line, got, want);
	CHECK(!strcmp(got, want));
	free(got);
}

#define CHECK_PARSE(text, want) check_parse(text, want, __LINE__)

static void test_scanner(void)
{
	const char text[] = "a\r\n\nb\rc\nlast";
	struct go_scanner s;
	go_scanner_init(&s, text, sizeof(text) - 1);
	const char *want[] = { "a", "", "b\rc", "last" };
	for (int i = 0; i < 4; i++) {
		CHECK(go_scan(&s));
		CHECK(s.token.len == strlen(want[i]) && !memcmp(s.token.p, want[i], s.token.len));
	}
	CHECK(!go_scan(&s) && s.token.len == 0 && !s.too_long);

	/* A 65535-byte line is fine, a 65536-byte one stops the scan... */
	size_t n = 65536 + 10;
	char *big = malloc(n);
	memset(big, 'x', n);
	big[65535] = '\n';
	go_scanner_init(&s, big, n);
	CHECK(go_scan(&s) && s.token.len == 65535);
	CHECK(go_scan(&s) && s.token.len == 10);
	memset(big, 'x', n);
	go_scanner_init(&s, big, n);
	CHECK(!go_scan(&s) && s.too_long);
	struct error e = ERROR_INIT;
	CHECK(go_scanner_error(&s, &e) < 0);
	CHECK_STR(e.msg.buf, "line 1: bufio.Scanner: token too long");
	/* ...and, as in Go, a scan after that returns what the buffer holds. */
	CHECK(go_scan(&s) && s.token.len == 65536);
	CHECK(!go_scan(&s));
	free(big);
	error_clear(&e);
}

static bool trims_to(const char *s, const char *want)
{
	struct span t = go_trim_space(span_of(s, strlen(s)));
	return t.len == strlen(want) && !memcmp(t.p, want, t.len);
}

static void test_text(void)
{
	CHECK(trims_to(" \t\v x y \r\n", "x y"));
	CHECK(trims_to("\xc2\xa0x\xe3\x80\x80", "x"));	/* NBSP, ideographic space */
	CHECK(trims_to("\xc2x", "\xc2x"));		/* not a space: an invalid byte */

	int64_t v;
	uint64_t u;
	CHECK(go_parse_int(span_of("010", 3), 0, &v) == GO_PARSE_OK && v == 8);
	CHECK(go_parse_int(span_of("0x1F", 4), 0, &v) == GO_PARSE_OK && v == 31);
	CHECK(go_parse_int(span_of("-0b101", 6), 0, &v) == GO_PARSE_OK && v == -5);
	CHECK(go_parse_int(span_of("1_000", 5), 0, &v) == GO_PARSE_OK && v == 1000);
	CHECK(go_parse_int(span_of("1__0", 4), 0, &v) == GO_PARSE_SYNTAX);
	CHECK(go_parse_int(span_of("1_000", 5), 10, &v) == GO_PARSE_SYNTAX);
	CHECK(go_parse_int(span_of("09", 2), 0, &v) == GO_PARSE_SYNTAX);
	CHECK(go_parse_int(span_of("9223372036854775807", 19), 10, &v) == GO_PARSE_OK && v == INT64_MAX);
	CHECK(go_parse_int(span_of("9223372036854775808", 19), 10, &v) == GO_PARSE_RANGE);
	CHECK(go_parse_int(span_of("-9223372036854775808", 20), 10, &v) == GO_PARSE_OK && v == INT64_MIN);
	CHECK(go_parse_uint(span_of("0xffffffffffffffff", 18), 0, &u) == GO_PARSE_OK && u == UINT64_MAX);
	CHECK(go_parse_uint(span_of("0x10000000000000000", 19), 0, &u) == GO_PARSE_RANGE);
	CHECK(go_parse_uint(span_of("", 0), 0, &u) == GO_PARSE_SYNTAX);

	struct address_list list = { 0 };
	struct error e = ERROR_INIT;
	const char *addrs = " 0x1 0xABC 0x0x12 junk0xff 0x";
	CHECK(go_hex_addresses(span_of(addrs, strlen(addrs)), &list, &e) == 0);
	CHECK(list.n == 3 && list.v[0] == 1 && list.v[1] == 0 && list.v[2] == 0xff);
	const char *big = "0x1 0x10000000000000000";
	CHECK(go_hex_addresses(span_of(big, strlen(big)), &list, &e) < 0);
	CHECK_STR(e.msg.buf, "failed to parse as hex 64-bit number: 0x10000000000000000");
	free(list.v);
	error_clear(&e);

	CHECK(go_float_to_int64(1e300) == INT64_MIN && go_float_to_int64(-3.9) == -3);
}

static void put_word(struct strbuf *sb, uint64_t v, unsigned size, bool big_endian)
{
	for (unsigned i = 0; i < size; i++) {
		unsigned shift = 8 * (big_endian ? size - 1 - i : i);
		strbuf_addch(sb, (int)((v >> shift) & 0xff));
	}
}

/*
 * A gperftools CPU profile: every stack has the signal handler (0x500000)
 * second, which pprof removes; the last one repeats its leaf.
 */
static void test_cpu(unsigned size, bool big_endian)
{
	static const uint64_t samples[][4] = {
		{ 2, 0x401000, 0x500000, 0x402000 },
		{ 1, 0x401010, 0x500000, 0x402000 },
		{ 1, 0x403001, 0x500000, 0x403001 },
	};
	struct strbuf sb = STRBUF_INIT;
	const uint64_t header[] = { 0, 3, 0, 10000, 0 };
	for (int i = 0; i < 5; i++)
		put_word(&sb, header[i], size, big_endian);
	for (int i = 0; i < 3; i++) {
		put_word(&sb, samples[i][0], size, big_endian);
		put_word(&sb, 3, size, big_endian);
		for (int k = 1; k < 4; k++)
			put_word(&sb, samples[i][k], size, big_endian);
	}
	const uint64_t end[] = { 0, 1, 0 };
	for (int i = 0; i < 3; i++)
		put_word(&sb, end[i], size, big_endian);
	strbuf_addstr(&sb, "00400000-00404000 r-xp 00000000 00:00 1 /lib/libc.so.6\n"
			   "00500000-00501000 r-xp 00000000 00:00 2 /bin/prog\n");
	char *got = parse(sb.buf, sb.len);
	CHECK_STR(got, "period cpu/nanoseconds 10000000\n"
		       "types samples/count cpu/nanoseconds\n"
		       "sample 2 20000000 | 1 2\n"
		       "sample 1 10000000 | 3 2\n"
		       "sample 1 10000000 | 4\n"
		       "location 1 0x401000 2\n"
		       "location 2 0x401fff 2\n"
		       "location 3 0x401010 2\n"
		       "location 4 0x403001 2\n"
		       "location 5 0x403000 2\n"
		       "mapping 1 0x500000 0x501000 0x0 \"/bin/prog\" \"\"\n"
		       "mapping 2 0x400000 0x404000 0x0 \"/lib/libc.so.6\" \"\"\n");
	free(got);
	/* Cut inside a stack, it is no profile pprof knows. */
	got = parse(sb.buf, 5 * size + 3 * size);
	CHECK_STR(got, "error: unrecognized profile format");
	free(got);
	strbuf_release(&sb);
}

static void test_heap(void)
{
	/* tcmalloc's sampled heap profile: values scaled up by 1/(1-exp(-size/rate)). */
	CHECK_PARSE("heap profile: 3: 3072 [5: 5120] @ heap_v2/524288\n"
		    "1: 1024 [2: 2048] @ 0x1000 0x2000\n"
		    "2: 2048 [3: 3072] @ 0x1000 0x3000\n",
		    "period space/bytes 524288\n"
		    "types alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes\n"
		    "sample 1025 1049600 512 524800 | 1 2 | bytes 1024\n"
		    "sample 1537 1574400 1025 1049600 | 1 3 | bytes 1024\n"
		    "location 1 0xfff 1\n"
		    "location 2 0x1fff 1\n"
		    "location 3 0x2fff 1\n"
		    "mapping 1 0x0 0xffffffffffffffff 0x0 \"\" \"\"\n");
	/* Go's debug=1 heap profile: the header says twice the rate; comments are skipped. */
	CHECK_PARSE("heap profile: 10: 1000 [20: 4000] @ heap/32768\n"
		    "10: 1000 [20: 4000] @ 0x401001 0x402001\n"
		    "# runtime.MemStats\n# Alloc = 1\n",
		    "period space/bytes 16384\n"
		    "types alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes\n"
		    "sample 1648 329684 1643 164340 | 1 2 | bytes 100\n"
		    "location 1 0x401000 1\n"
		    "location 2 0x402000 1\n"
		    "mapping 1 0x0 0xffffffffffffffff 0x0 \"\" \"\"\n");
	/* An unsampled tcmalloc dump, without alloc values, and its libraries. */
	CHECK_PARSE("heap profile:   2:   300 [   2:   300] @ heapprofile\n"
		    "     2:   300 [     2:   300] @ 0x400101 0x7f0000000101\n"
		    "\nMAPPED_LIBRARIES:\n"
		    "00400000-00401000 r-xp 00000000 08:01 7 /bin/app\n"
		    "7f0000000000-7f0000001000 r-xp 00000000 08:01 8 /lib/libc.so.6\n",
		    "period space/bytes 1\n"
		    "types objects/count space/bytes\n"
		    "sample 2 300 | 1 2 | bytes 150\n"
		    "location 1 0x400100 1\n"
		    "location 2 0x7f0000000100 2\n"
		    "mapping 1 0x400000 0x401000 0x0 \"/bin/app\" \"\"\n"
		    "mapping 2 0x7f0000000000 0x7f0000001000 0x0 \"/lib/libc.so.6\" \"\"\n");
	CHECK_PARSE("heap profile: 1: 2 [1: 2] @ heapprofile\n1: 2 [1: 2] @ 0x1\n0: 5 [1: 2] @ 0x2\n",
		    "error: line 3: inuse count was 0 but inuse bytes was 5");
	CHECK_PARSE("heap profile: 1: 2 [1: 2] @ heapprofile\n1 2 @ 0x1\n",
		    "error: line 2: unexpected number of sample values: got 0, want 6");
	CHECK_PARSE("heap profile: 1: 2 [1: 2] @ heapprofile\n99999999999999999999: 2 [1: 2] @ 0x1\n",
		    "error: line 2: malformed sample: 99999999999999999999: 2 [1: 2] @ 0x1: "
		    "strconv.ParseInt: parsing \"99999999999999999999\": value out of range");
	CHECK(go_exp(0) == 1 && go_exp(-1000) == 0 && go_exp(1000) > 1e308);
}

static void test_contention(void)
{
	/* Cycles to nanoseconds at 2 GHz, both values times the sampling period. */
	CHECK_PARSE("--- contentionz 1 ---\ncycles/second = 2000000000\nsampling period = 100\n"
		    "ms since reset = 5000\n  4000 3 @ 0x401001 0x402001\n10 1 @ 0x401001\n",
		    "period contentions/count 100 duration 5000000000\n"
		    "types contentions/count delay/nanoseconds\n"
		    "sample 300 200000 | 1 2\n"
		    "sample 100 500 | 1\n"
		    "location 1 0x401000 1\n"
		    "location 2 0x402000 1\n"
		    "mapping 1 0x0 0xffffffffffffffff 0x0 \"\" \"\"\n");
	/* Go's block profile; "123 @" splits as a backtracking regexp splits it. */
	CHECK_PARSE("--- contention:\ncycles/second=1000000000\nsampling period=2\n5 2 @ 0x11\n"
		    "123 @ 0x21\n",
		    "period contentions/count 2\n"
		    "types contentions/count delay/nanoseconds\n"
		    "sample 4 10 | 1\n"
		    "sample 6 24 | 2\n"
		    "location 1 0x10 1\n"
		    "location 2 0x20 1\n"
		    "mapping 1 0x0 0xffffffffffffffff 0x0 \"\" \"\"\n");
	/* An unknown attribute: not this format after all. */
	CHECK_PARSE("--- mutex:\nresolution = 1\n5 2 @ 0x11\n", "error: unrecognized profile format");
}

static void test_count_and_thread(void)
{
	CHECK_PARSE("goroutine profile: total 5\n4 @ 0x401011 0x402011\n#\t0x401010\tmain.f+0x10\n"
		    "010 @ 0x401011\n",
		    "period goroutine/count 1\n"
		    "types goroutine/count\n"
		    "sample 4 | 1 2\n"
		    "sample 8 | 1\n"
		    "location 1 0x401010 1\n"
		    "location 2 0x402010 1\n"
		    "mapping 1 0x0 0xffffffffffffffff 0x0 \"\" \"\"\n");
	CHECK_PARSE("threadcreate profile: total 1\n1 @ 0x1 \n", "error: line 2: malformed profile format");
	CHECK_PARSE("--- threadz 2 ---\ncomment\n--- Thread 1a (name: main/1) stack: ---\n"
		    "  0x401000 0x402001\n--- Thread 1b (name: w/2) stack: ---\n  same as previous thread\n"
		    "--- Thread 1c (name: w/3) stack: ---\n0x403000 0x403001\n--- Memory map: ---\n"
		    "00400000-00404000 r-xp 00000000 00:00 1 /bin/prog\n",
		    "period thread/count 1\n"
		    "types thread/count\n"
		    "sample 2 | 1 2\n"
		    "sample 1 | 3 3\n"
		    "location 1 0x401000 1\n"
		    "location 2 0x402000 1\n"
		    "location 3 0x403000 1\n"
		    "mapping 1 0x400000 0x404000 0x0 \"/bin/prog\" \"\"\n");
}

static void test_java(void)
{
	CHECK_PARSE("--- heapz 1 ---\nformat = java\nresolution = bytes\n 2 1024 @ 0x10 0x20\n"
		    " 1 512 @ 0x10 0x30\n--- symbols\n0x10 com.x.A.f (A.java:12)\n"
		    "0x20 com.x.B.g (/lib/libjvm.so)\n0x30 generated stub/JIT\n",
		    "period / 0\n"
		    "types inuse_objects/count inuse_space/bytes\n"
		    "sample 274877906944 536870912 | 1 2\n"
		    "sample 137438953472 268435456 | 1 3\n"
		    "location 1 0x0 0 [com.x.A.f A.java 12]\n"
		    "location 2 0x0 0 [com.x.B.g libjvm.so 0]\n"
		    "location 3 0x0 0 [STUB  0]\n");
	CHECK_PARSE("--- heapz 1 ---\nformat = java\n 2 1 @ 0x10\n", "error: missing sample type information");
}

/*
 * Memory maps: a region split in two is merged, "name=value" lines
 * define $name, glog prefixes go, non-executable entries are skipped,
 * the brief format has an offset and a build id, an address below a
 * mapping with an offset extends the mapping down, and addresses no
 * mapping holds get a catch-all mapping.
 */
static void test_memory_map(void)
{
	CHECK_PARSE("goroutine profile: total 2\n1 @ 0x401011 0x600801 0x700801\n"
		    "1 @ 0x7ff001 0x900001 0x401801\n--- Memory map: ---\n"
		    "00401000-00401800 r-xp 00001000 00:00 1 /bin/prog\n"
		    "00401800-00402000 r-xp 00001800 00:00 1 /bin/prog\n"
		    "lib = /usr/lib/libz.so.1\n"
		    "600000-601000 r-xp 00000000 00:00 0 $lib\n"
		    "I0101 12:00:00 file.cc:12] 700000-701000 r-xp 00000000 00:00 0 /bin/other\n"
		    "00800000-00801000 r-xp 00002000 00:00 0 /lib/libq.so\n"
		    "00a00000-00a01000 rw-p 00000000 00:00 0 /bin/data\n"
		    "0xb00000-0xb01000 /opt/brief.so (@1000) 0123abcd\n",
		    "period goroutine/count 1\n"
		    "types goroutine/count\n"
		    "sample 1 | 1 2 3\n"
		    "sample 1 | 4 5 6\n"
		    "location 1 0x401010 1\n"
		    "location 2 0x600800 2\n"
		    "location 3 0x700800 3\n"
		    "location 4 0x7ff000 4\n"
		    "location 5 0x900000 6\n"
		    "location 6 0x401800 1\n"
		    "mapping 1 0x400000 0x402000 0x0 \"/bin/prog\" \"\"\n"
		    "mapping 2 0x600000 0x601000 0x0 \"/usr/lib/libz.so.1\" \"\"\n"
		    "mapping 3 0x700000 0x701000 0x0 \"/bin/other\" \"\"\n"
		    "mapping 4 0x7fe000 0x801000 0x0 \"/lib/libq.so\" \"\"\n"
		    "mapping 5 0xb00000 0xb01000 0x1000 \"/opt/brief.so\" \"0123abcd\"\n"
		    "mapping 6 0x0 0xffffffffffffffff 0x0 \"\" \"\"\n");
	/* A huge-page region in front of the main binary is dropped. */
	CHECK_PARSE("goroutine profile: total 1\n1 @ 0x500001\n--- Memory map: ---\n"
		    "00400000-00500000 r-xp 00000000 00:00 0 /anon_hugepage\n"
		    "00500000-00600000 r-xp 00000000 00:00 0 /bin/prog\n",
		    "period goroutine/count 1\n"
		    "types goroutine/count\n"
		    "sample 1 | 1\n"
		    "location 1 0x500000 1\n"
		    "mapping 1 0x500000 0x600000 0x0 \"/bin/prog\" \"\"\n");
}

static void test_frame_info(void)
{
	struct profile p;
	struct error e = ERROR_INIT;
	const char heap[] = "heap profile: 1: 2 [1: 2] @ heapprofile\n1: 2 [1: 2] @ 0x1\n";
	profile_init(&p);
	CHECK(legacy_parse((const uint8_t *)heap, sizeof(heap) - 1, &p, &e) == 0);
	CHECK(!strncmp(p.drop_frames, "calloc|cfree|malloc|", 20));
	CHECK_STR(p.keep_frames, "runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*");
	profile_free(&p);
	const char mutex[] = "--- mutex:\n1 1 @ 0x1\n";
	profile_init(&p);
	CHECK(legacy_parse((const uint8_t *)mutex, sizeof(mutex) - 1, &p, &e) == 0);
	CHECK(!strncmp(p.drop_frames, "RecordLockProfileData|", 22) && !*p.keep_frames);
	profile_free(&p);
	const char text[] = "goroutine 1 [running]:\nmain.main()\n";
	profile_init(&p);
	CHECK(legacy_parse((const uint8_t *)text, sizeof(text) - 1, &p, &e) < 0);
	CHECK_STR(e.msg.buf, "unrecognized profile format");
	profile_free(&p);
	error_clear(&e);
}

int main(void)
{
	test_scanner();
	test_text();
	test_cpu(4, false);
	test_cpu(4, true);
	test_cpu(8, false);
	test_cpu(8, true);
	test_heap();
	test_contention();
	test_count_and_thread();
	test_java();
	test_memory_map();
	test_frame_info();
	return check_done();
}
