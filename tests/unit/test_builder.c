/* Building profiles from parts, and reading back what was built. */
#include "check.h"
#include "profile/builder.h"

int main(void)
{
	struct profile p;
	struct profile_builder b;
	profile_init(&p);
	builder_init(&b, &p);
	struct value_type types[] = { { "alloc_objects", "count" }, { "alloc_space", "bytes" } };
	builder_sample_types(&b, types, 2);
	struct mapping m = { .file = "/bin/x", .build_id = "" };
	int32_t map = builder_mapping(&b, &m);
	int32_t f1 = builder_function(&b, "main", "main", "x.c", 3);
	int32_t f2 = builder_function(&b, "work", "work", "x.c", 9);
	CHECK(builder_function(&b, "main", "main", "x.c", 3) == f1);
	struct line l1 = { f1, 4, 0 }, l2[] = { { f2, 10, 0 }, { f1, 5, 0 } };
	int32_t loc1 = builder_location(&b, map, 0x1000, &l1, 1, false);
	int32_t loc2 = builder_location(&b, map, 0x2000, l2, 2, false);
	uint32_t stack[] = { (uint32_t)loc2, (uint32_t)loc1 };
	int64_t values[] = { 3, 300 };
	struct label lab = { builder_string(&b, "bytes"), 0, 100, builder_string(&b, "bytes") };
	builder_sample(&b, stack, 2, values, 2, &lab, 1);
	int64_t big[] = { 1, -5 };
	builder_sample(&b, stack + 1, 1, big, 2, NULL, 0);
	CHECK(builder_string(&b, "main") == builder_string(&b, "main"));
	CHECK(builder_string(&b, "") == 0);
	builder_finish(&b);

	CHECK(p.nfunctions == 2 && p.nlocations == 2 && p.nmappings == 1 && p.samples.count == 2);
	CHECK(p.mappings[0].id == 1 && p.locations[1].id == 2);
	CHECK_STR(p.sample_types[1].unit, "bytes");
	CHECK(profile_location_index(&p, 2) == 1);
	struct sample_buf buf = { 0 };
	struct sample s;
	CHECK(sample_decode(&p, 0, &s, &buf) == 0);
	CHECK(s.nlocations == 2 && s.locations[0] == (uint32_t)loc2 && s.locations[1] == (uint32_t)loc1);
	CHECK(s.nvalues == 2 && s.values[1] == 300);
	CHECK(s.nlabels == 1 && s.labels[0].num == 100);
	CHECK_STR(profile_string(&p, s.labels[0].key), "bytes");
	CHECK(sample_decode(&p, 1, &s, &buf) == 0);
	CHECK(s.nlocations == 1 && s.values[1] == -5);
	CHECK(p.locations[1].nlines == 2);
	CHECK_STR(p.functions[p.locations[1].lines[0].function].name, "work");
	sample_buf_free(&buf);
	profile_free(&p);
	return check_done();
}
