/* Unit tests of the symbolizer's parts: demangling, the line decoder, opening files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "symbolize/demangle.h"
#include "symbolize/lines.h"
#include "symbolize/objfile.h"
#include "filter/prune.h"
#include "profile/builder.h"

static void check_demangle(const char *name, enum demangle_mode mode, const char *want)
{
	char *got = demangle_name(name, mode);
	CHECK_STR(got ? got : name, want);
	free(got);
}

static void test_demangle(void)
{
	/* pprof's default: no parameters, return types, clones or template arguments */
	check_demangle("_ZNSt6vectorIiSaIiEE9push_backERKi", DEMANGLE_DEFAULT, "std::vector::push_back");
	check_demangle("_Z1fIiEvT_", DEMANGLE_DEFAULT, "f");
	check_demangle("_ZNK3Foo3getEv", DEMANGLE_DEFAULT, "Foo::get");
	check_demangle("_ZN12_GLOBAL__N_13fooEv", DEMANGLE_DEFAULT, "(anonymous namespace)::foo");
	check_demangle("_ZN3FoolsERKS_", DEMANGLE_DEFAULT, "Foo::operator<<");
	check_demangle("_ZN3FooltEi", DEMANGLE_DEFAULT, "Foo::operator<");
	check_demangle("_ZN3FooptEv", DEMANGLE_DEFAULT, "Foo::operator->");
	check_demangle("_ZZ4mainENKUlvE_clEv", DEMANGLE_DEFAULT, "main::{lambda()#1}::operator()");
	check_demangle("_Z3foov.cold", DEMANGLE_DEFAULT, "foo");
	/* templates: template arguments stay */
	check_demangle("_ZNSt6vectorIiSaIiEE9push_backERKi", DEMANGLE_TEMPLATES,
		       "std::vector<int, std::allocator<int> >::push_back");
	/* full: everything but clone suffixes */
	check_demangle("_Z3foov.cold", DEMANGLE_FULL, "foo()");
	check_demangle("_ZNK3Foo3getEv", DEMANGLE_FULL, "Foo::get() const");
	/* none: pprof's quirk, demangling everything */
	check_demangle("_Z3foov.cold", DEMANGLE_NONE, "foo() [clone .cold]");
	/* not mangled: C and Go names stay, demangled-looking C++ is simplified */
	check_demangle("main", DEMANGLE_DEFAULT, "main");
	check_demangle("main.(*builder).region", DEMANGLE_DEFAULT, "main.(*builder).region");
	check_demangle("main.(*List[...]).Push", DEMANGLE_DEFAULT, "main.(*List[...]).Push");
	check_demangle("ns::Foo<int>::bar(int)", DEMANGLE_DEFAULT, "ns::Foo::bar");
	check_demangle("ns::Foo<int>::bar(int)", DEMANGLE_TEMPLATES, "ns::Foo<int>::bar");
	check_demangle("ns::Foo<int>::bar(int)", DEMANGLE_FULL, "ns::Foo<int>::bar(int)");
	check_demangle("a::b(c))", DEMANGLE_DEFAULT, "a::b(c))");	/* a mismatch keeps the name */
	check_demangle("_Znotmangled", DEMANGLE_DEFAULT, "_Znotmangled");
}

/* A DWARF 4 line program with one sequence: rows at 0x1000 (line 10) and 0x1004 (line 12). */
static void test_lines(void)
{
	static const uint8_t header[] = {
		1, 1, 1, (uint8_t)-5, 14, 13,	/* min_inst, max_ops, is_stmt, line_base, range, opcode_base */
		0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1,	/* standard_opcode_lengths */
		's', 'r', 'c', 0, 0,		/* include_directories: "src" */
		'a', '.', 'c', 0, 1, 0, 0,	/* file 1: a.c in src */
		0,
	};
	static const uint8_t program[] = {
		0, 9, 2, 0x00, 0x10, 0, 0, 0, 0, 0, 0,	/* set_address 0x1000 */
		3, 9,				/* advance_line +9 -> 10 */
		1,				/* copy */
		2, 4,				/* advance_pc 4 */
		3, 2,				/* advance_line +2 -> 12 */
		1,				/* copy */
		2, 6,				/* advance_pc 6 */
		0, 1, 1,			/* end_sequence at 0x100a */
	};
	uint8_t data[10 + sizeof(header) + sizeof(program)];
	uint32_t unit_length = sizeof(data) - 4, header_length = sizeof(header);
	memcpy(data, &unit_length, 4);
	data[4] = 4;			/* version 4 */
	data[5] = 0;
	memcpy(data + 6, &header_length, 4);
	memcpy(data + 10, header, sizeof(header));
	memcpy(data + 10 + sizeof(header), program, sizeof(program));
	struct dwarf_sections s = { data, NULL, NULL, sizeof(data), 0, 0 };
	struct arena a = ARENA_INIT;
	struct line_table t;
	CHECK(line_table_decode(&t, &a, &s, 0, "/build", 8));
	const char *file = NULL;
	uint32_t line = 0;
	CHECK(line_table_lookup(&t, 0x1002, &file, &line));
	CHECK_STR(file, "/build/src/a.c");
	CHECK(line == 10);
	CHECK(line_table_lookup(&t, 0x1009, &file, &line) && line == 12);
	CHECK(!line_table_lookup(&t, 0x100a, &file, &line));
	CHECK(!line_table_lookup(&t, 0xfff, &file, &line));
	CHECK_STR(line_table_file(&t, 1), "/build/src/a.c");
	CHECK_STR(line_table_file(&t, 0), "<unknown>");
	CHECK_STR(line_table_file(&t, 7), "<unknown>");

	/* every truncation of the program is rejected or read safely */
	for (size_t n = 0; n < sizeof(data); n++) {
		struct dwarf_sections cut = { data, NULL, NULL, n, 0, 0 };
		struct line_table u;
		if (line_table_decode(&u, &a, &cut, 0, NULL, 8))
			line_table_lookup(&u, 0x1002, &file, &line);
	}
	arena_free(&a);
}

static void test_open_errors(const char *self)
{
	struct objfile o;
	struct objmap m = { 0, 0, 0 };
	struct error e = ERROR_INIT;
	CHECK(objfile_open(&o, "/nonexistent/prog", &m, &e) < 0);
	CHECK_STR(e.msg.buf, "open /nonexistent/prog: no such file or directory");
	char path[] = "/tmp/cpprof-test-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0 && write(fd, "not an object file", 18) == 18);
	close(fd);
	char want[128];
	snprintf(want, sizeof(want), "open %s: unrecognized object file", path);
	CHECK(objfile_open(&o, path, &m, &e) < 0);
	CHECK_STR(e.msg.buf, want);
	unlink(path);
	/* this test program itself opens, and its main() has a name and a line */
	CHECK(objfile_open(&o, self, &m, &e) == 0);
	objfile_close(&o);
	error_clear(&e);
}

/* The location ids of sample i, leaf first, as "3 2 1". */
static const char *sample_ids(const struct profile *p, size_t i, char *out, size_t size)
{
	struct sample_buf buf = { 0 };
	struct sample s;
	out[0] = '\0';
	if (sample_decode(p, i, &s, &buf) == 0)
		for (size_t k = 0; k < s.nlocations; k++)
			snprintf(out + strlen(out), size - strlen(out), "%s%llu", k ? " " : "",
				 (unsigned long long)p->locations[s.locations[k]].id);
	sample_buf_free(&buf);
	return out;
}

/* drop_frames: dropped frames and the frames below them leave samples, after the first user frame. */
static void test_prune(void)
{
	struct profile p, out;
	struct profile_builder b;
	profile_init(&p);
	builder_init(&b, &p);
	struct value_type vt = { "samples", "count" };
	builder_sample_types(&b, &vt, 1);
	struct mapping m = { .file = "prog", .build_id = "" };
	int32_t map = builder_mapping(&b, &m);
	const char *names[] = { "main", "work", "malloc", "tc_alloc", "operator new(unsigned long)", "free" };
	int32_t fn[6];
	for (int i = 0; i < 6; i++)
		fn[i] = builder_function(&b, names[i], names[i], "", 0);
	uint32_t loc[6];
	for (int i = 0; i < 6; i++) {
		struct line l = { fn[i], 10 + i, 0 };
		loc[i] = (uint32_t)builder_location(&b, map, 0x1000 + (uint64_t)i, &l, 1, false);
	}
	/* one location with an inlined malloc into work: the line of work stays */
	struct line inl[2] = { { fn[3], 1, 0 }, { fn[2], 2, 0 } };
	uint32_t mixed = (uint32_t)builder_location(&b, map, 0x2000, inl, 2, false);
	struct line inl2[2] = { { fn[2], 1, 0 }, { fn[1], 2, 0 } };
	uint32_t partly = (uint32_t)builder_location(&b, map, 0x3000, inl2, 2, false);
	int64_t one = 1;
	uint32_t s0[] = { loc[3], loc[2], loc[1], loc[0] };	/* tc_alloc malloc work main */
	uint32_t s1[] = { loc[5], loc[0] };			/* free main: nothing to drop */
	uint32_t s2[] = { loc[3], loc[2] };			/* tc_alloc malloc: no user frame above malloc */
	uint32_t s3[] = { loc[4], loc[1], loc[0] };		/* operator new work main */
	uint32_t s4[] = { mixed, loc[1], loc[0] };
	uint32_t s5[] = { partly, loc[0] };
	builder_sample(&b, s0, 4, &one, 1, NULL, 0);
	builder_sample(&b, s1, 2, &one, 1, NULL, 0);
	builder_sample(&b, s2, 2, &one, 1, NULL, 0);
	builder_sample(&b, s3, 3, &one, 1, NULL, 0);
	builder_sample(&b, s4, 3, &one, 1, NULL, 0);
	builder_sample(&b, s5, 2, &one, 1, NULL, 0);
	builder_finish(&b);
	p.drop_frames = "malloc|operator new";
	profile_remove_uninteresting(&p, &out);
	char ids[64];
	CHECK_STR(sample_ids(&out, 0, ids, sizeof(ids)), "2 1");
	CHECK_STR(sample_ids(&out, 1, ids, sizeof(ids)), "6 1");
	CHECK_STR(sample_ids(&out, 2, ids, sizeof(ids)), "4 3");
	CHECK_STR(sample_ids(&out, 3, ids, sizeof(ids)), "2 1");
	CHECK_STR(sample_ids(&out, 4, ids, sizeof(ids)), "2 1");
	CHECK_STR(sample_ids(&out, 5, ids, sizeof(ids)), "8 1");
	const struct location *l = &out.locations[partly];
	CHECK(l->nlines == 1 && l->lines[0].function == fn[1]);
	struct sample_buf buf = { 0 };
	CHECK(sample_values(&out, 3, &buf) != NULL);
	sample_buf_free(&buf);
	profile_free(&out);
	profile_free(&p);
}

int main(int argc, char **argv)
{
	(void)argc;
	test_demangle();
	test_lines();
	test_open_errors(argv[0]);
	test_prune();
	return check_done();
}
