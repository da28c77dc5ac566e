/*
 * Merging profiles as pprof's profile.Merge and ScaleProfiles do: units
 * made common, identical samples summed, zeros dropped, ids renumbered,
 * and pprof's errors for profiles that do not go together.
 */
#include <stdlib.h>

#include "check.h"
#include "load/merge.h"
#include "profile/builder.h"

struct spec {
	struct value_type types[2];
	const char *period_unit;
	int64_t scale;		/* cpu values are 10, 20, ... times this */
	uint64_t map_start;
	bool base_label;
};

/*
 * Locations 0 main, 1 work, 2 unused (never in a sample).
 * Samples: work<-main 1; main 2; work<-main 1 again (a duplicate); main 0 (zero).
 */
static void build(struct profile *p, const struct spec *sp)
{
	struct profile_builder b;
	profile_init(p);
	builder_init(&b, p);
	builder_sample_types(&b, sp->types, 2);
	p->period_type.type = "cpu";
	p->period_type.unit = sp->period_unit;
	p->period = 10 * sp->scale;
	p->time_nanos = 1000;
	struct mapping m = { .file = "/bin/app", .build_id = "", .start = sp->map_start,
			     .limit = sp->map_start + 0x8000 };
	int32_t map = builder_mapping(&b, &m);
	int32_t fmain = builder_function(&b, "main", "", "main.go", 1);
	int32_t fwork = builder_function(&b, "work", "", "main.go", 5);
	struct line lmain = { fmain, 2, 0 }, lwork = { fwork, 6, 0 };
	builder_location(&b, map, sp->map_start + 0x100, &lmain, 1, false);
	builder_location(&b, map, sp->map_start + 0x200, &lwork, 1, false);
	builder_location(&b, map, sp->map_start + 0x300, &lwork, 1, false);
	uint32_t stack[] = { 1, 0 };
	bool cpu_first = !strcmp(sp->types[0].type, "cpu");
	int64_t counts[] = { 1, 2, 1, 0 }, cpu[] = { 10, 20, 10, 0 };
	for (int i = 0; i < 4; i++) {
		int64_t v[2];
		v[cpu_first ? 0 : 1] = cpu[i] * sp->scale;
		v[cpu_first ? 1 : 0] = counts[i];
		struct label l = { builder_string(&b, "tenant"), builder_string(&b, "acme"), 0, 0 };
		builder_sample(&b, i == 1 || i == 3 ? stack + 1 : stack, i == 1 || i == 3 ? 1 : 2, v, 2, &l, 1);
	}
	builder_finish(&b);
}

static const struct spec ns = { { { "samples", "count" }, { "cpu", "nanoseconds" } }, "nanoseconds", 1000000,
				 0x1000, false };
static const struct spec ms = { { { "samples", "count" }, { "cpu", "milliseconds" } }, "milliseconds", 1,
				 0x5000, false };
static const struct spec swapped = { { { "cpu", "nanoseconds" }, { "samples", "count" } }, "nanoseconds",
				      1000000, 0x1000, false };
static const struct spec heap = { { { "alloc_objects", "count" }, { "alloc_space", "bytes" } }, "bytes", 1,
				   0x1000, false };

/* "v0/v1@loc,loc" per sample, in order. */
static const char *samples_of(const struct profile *p)
{
	static struct strbuf out = STRBUF_INIT;
	struct sample_buf buf = { 0 };
	struct sample s;
	strbuf_reset(&out);
	for (size_t i = 0; i < p->samples.count; i++) {
		CHECK(sample_decode(p, i, &s, &buf) == 0);
		strbuf_addf(&out, "%s%lld/%lld@", i ? " " : "", (long long)s.values[0], (long long)s.values[1]);
		for (size_t k = 0; k < s.nlocations; k++)
			strbuf_addf(&out, "%s%llu", k ? "," : "", (unsigned long long)p->locations[s.locations[k]].id);
		for (size_t k = 0; k < s.nlabels; k++)
			strbuf_addf(&out, "#%s=%s", p->strings[s.labels[k].key], p->strings[s.labels[k].str]);
	}
	sample_buf_free(&buf);
	return out.buf;
}

static void check_compact(void)
{
	struct profile p, c;
	build(&p, &ns);
	profile_compact(&p, &c);
	/* duplicates summed, the zero sample gone, the unused location gone, ids in order of use */
	CHECK_STR(samples_of(&c), "2/20000000@1,2#tenant=acme 2/20000000@2#tenant=acme");
	CHECK(c.nlocations == 2 && c.nfunctions == 2 && c.nmappings == 1);
	CHECK_STR(c.functions[c.locations[0].lines[0].function].name, "work");
	CHECK(c.period == 10000000 && c.time_nanos == 1000);
	profile_free(&c);
	profile_free(&p);
}

static void check_units(void)
{
	struct profile a, b, m;
	struct error e = ERROR_INIT;
	build(&a, &ms);
	build(&b, &ns);
	struct merge_source both[] = { { &a, NULL, NULL, NULL }, { &b, NULL, NULL, NULL } };
	CHECK(profile_merge(both, 2, &m, &e) == 0);
	/* milliseconds scaled to the finer nanoseconds; the same frames at another address range merge */
	CHECK_STR(m.sample_types[1].unit, "nanoseconds");
	CHECK_STR(m.period_type.unit, "nanoseconds");
	CHECK(m.period == 10000000);
	CHECK_STR(samples_of(&m), "4/40000000@1,2#tenant=acme 4/40000000@2#tenant=acme");
	CHECK(m.nmappings == 1 && m.mappings[0].start == 0x5000 && m.locations[1].address == 0x5100);
	profile_free(&m);
	profile_free(&a);
	profile_free(&b);
	error_clear(&e);
}

static void check_incompatible(const struct spec *x, const struct spec *y, const char *want)
{
	struct profile a, b, m;
	struct error e = ERROR_INIT;
	build(&a, x);
	build(&b, y);
	struct merge_source both[] = { { &a, NULL, NULL, NULL }, { &b, NULL, NULL, NULL } };
	CHECK(profile_merge(both, 2, &m, &e) < 0);
	CHECK_STR(e.msg.buf, want);
	profile_free(&m);
	profile_free(&a);
	profile_free(&b);
	error_clear(&e);
}

static void check_errors(void)
{
	/* the same sample types in another order: pprof compares them index by index */
	struct spec same_period = swapped;
	check_incompatible(&ns, &same_period,
			   "sample types: incompatible types: {samples count 0 0} {cpu nanoseconds 0 0}");
	check_incompatible(&ns, &heap, "period type: incompatible types: {cpu nanoseconds 0 0} {cpu bytes 0 0}");
}

/* A -diff_base: the base negated and labelled, kept apart from the source's samples. */
static void check_base(void)
{
	struct profile a, b, m;
	struct error e = ERROR_INIT;
	build(&a, &ns);
	build(&b, &ms);
	double negate[] = { -1, -1 };
	struct merge_source both[] = { { &a, NULL, NULL, NULL }, { &b, negate, "pprof::base", "true" } };
	CHECK(profile_merge(both, 2, &m, &e) == 0);
	CHECK_STR(samples_of(&m), "2/20000000@1,2#tenant=acme 2/20000000@2#tenant=acme "
				  "-2/-20000000@1,2#pprof::base=true#tenant=acme "
				  "-2/-20000000@2#pprof::base=true#tenant=acme");
	profile_free(&m);
	/* -base: the same samples cancel out, and what only they used goes */
	struct merge_source plain[] = { { &a, NULL, NULL, NULL }, { &b, negate, NULL, NULL } };
	CHECK(profile_merge(plain, 2, &m, &e) == 0);
	CHECK(m.samples.count == 0 && m.nlocations == 0 && m.nmappings == 1);
	profile_free(&m);
	double ratios[2];
	CHECK(normalize_ratios(&a, &a, ratios, &e) == 0 && ratios[0] == 1 && ratios[1] == 1);
	CHECK(normalize_ratios(&a, &b, ratios, &e) < 0);
	CHECK_STR(e.msg.buf,
		  "incompatible period types &{cpu nanoseconds 0 0} and &{cpu milliseconds 0 0}");
	profile_free(&a);
	profile_free(&b);
	error_clear(&e);
}

int main(void)
{
	check_compact();
	check_units();
	check_errors();
	check_base();
	return check_done();
}
