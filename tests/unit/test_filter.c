/*
 * Filters as pprof applies them: frame filters, tag filters with every
 * unit pprof knows, label frames and drop_frames, on a small profile.
 */
#include <stdlib.h>

#include "check.h"
#include "filter/tagroot.h"
#include "filter/view.h"
#include "profile/builder.h"

/*
 * Locations: 0 main, 1 helper inlined into work, 2 malloc, 3 runtime.gc.
 * Samples (leaf first):
 *   A malloc <- helper+work <- main   10  tenant=acme bytes=64 (bytes)
 *   B helper+work <- main             20  tenant=globex bytes=2 (kilobytes)
 *   C runtime.gc <- main              30  (no labels)
 *   D (no frames)                     40
 */
static void build(struct profile *p, const char *drop_frames)
{
	struct profile_builder b;
	profile_init(p);
	builder_init(&b, p);
	struct value_type types[] = { { "samples", "count" }, { "cpu", "nanoseconds" } };
	builder_sample_types(&b, types, 2);
	struct mapping m = { .file = "/bin/app", .build_id = "", .start = 0x1000, .limit = 0x9000 };
	int32_t map = builder_mapping(&b, &m);
	int32_t fmain = builder_function(&b, "main.main", "", "main.go", 1);
	int32_t fwork = builder_function(&b, "main.work(int)", "", "work.go", 1);
	int32_t fhelper = builder_function(&b, "main.helper", "", "work.go", 9);
	int32_t fmalloc = builder_function(&b, "malloc", "", "malloc.c", 1);
	int32_t fgc = builder_function(&b, "runtime.gc", "", "mgc.go", 1);
	struct line lmain = { fmain, 10, 0 }, lwork[] = { { fhelper, 5, 0 }, { fwork, 20, 0 } };
	struct line lmalloc = { fmalloc, 1, 0 }, lgc = { fgc, 2, 0 };
	builder_location(&b, map, 0x1100, &lmain, 1, false);
	builder_location(&b, map, 0x1200, lwork, 2, false);
	builder_location(&b, map, 0x1300, &lmalloc, 1, false);
	builder_location(&b, map, 0x1400, &lgc, 1, false);
	int64_t key_tenant = builder_string(&b, "tenant"), key_bytes = builder_string(&b, "bytes");
	struct label la[] = { { key_tenant, builder_string(&b, "acme"), 0, 0 },
			      { key_bytes, 0, 64, builder_string(&b, "bytes") } };
	struct label lb[] = { { key_tenant, builder_string(&b, "globex"), 0, 0 },
			      { key_bytes, 0, 2, builder_string(&b, "kilobytes") } };
	uint32_t sa[] = { 2, 1, 0 }, sb[] = { 1, 0 }, sc[] = { 3, 0 };
	int64_t va[] = { 1, 10 }, vb[] = { 1, 20 }, vc[] = { 1, 30 }, vd[] = { 1, 40 };
	builder_sample(&b, sa, 3, va, 2, la, 2);
	builder_sample(&b, sb, 2, vb, 2, lb, 2);
	builder_sample(&b, sc, 2, vc, 2, NULL, 0);
	builder_sample(&b, NULL, 0, vd, 2, NULL, 0);
	builder_finish(&b);
	p->drop_frames = drop_frames;
}

/* The short name of a line's function: "main.work(int)" -> "work". */
static void add_short_name(struct strbuf *sb, const struct profile *p, const struct line *l)
{
	const char *name = p->functions[l->function].name;
	const char *dot = strrchr(name, '.');
	const char *paren = strchr(name, '(');
	const char *start = dot && (!paren || dot < paren) ? dot + 1 : name;
	strbuf_add(sb, start, paren ? (size_t)(paren - start) : strlen(start));
}

static bool show_labels;	/* list label keys too */

/* Every sample the view yields: "value:frame<frame", lines of a location joined by '+'; labels after '#'. */
static const char *yielded(const struct view *v)
{
	static struct strbuf out = STRBUF_INIT;
	const struct profile *p = v->prof;
	struct view_iter it;
	struct view_sample s;
	strbuf_reset(&out);
	view_iter_init(&it);
	while (view_next(v, &it, &s)) {
		strbuf_addf(&out, "%s%lld:", out.len ? " " : "", (long long)s.value);
		for (size_t k = 0; k < s.nlocations; k++) {
			uint32_t loc = s.locations[k];
			if (k)
				strbuf_addch(&out, '<');
			for (uint32_t j = 0; j < v->line_count[loc]; j++) {
				if (j)
					strbuf_addch(&out, '+');
				add_short_name(&out, p, &p->locations[loc].lines[v->lines[v->line_first[loc] + j]]);
			}
		}
		for (size_t k = 0; show_labels && k < s.nlabels; k++)
			strbuf_addf(&out, "#%s", p->strings[s.labels[k].key]);
	}
	view_iter_free(&it);
	return out.buf;
}

struct run {
	struct profile prof;
	struct profile_scan scan;
	struct filter_set filters;
	struct view view;
	struct strbuf notes;
	struct error e;
};

/* Filters the test profile with options "name=value" ...; NULL if they fail. */
static const char *filtered(struct run *r, const char *drop_frames, const char *const *options)
{
	struct config c;
	config_init_default(&c);
	for (size_t i = 0; options[i]; i++) {
		const char *eq = strchr(options[i], '=');
		char name[32];
		snprintf(name, sizeof(name), "%.*s", (int)(eq - options[i]), options[i]);
		CHECK(config_set(&c, name, eq + 1, &r->e) == 0);
	}
	build(&r->prof, drop_frames);
	profile_scan(&r->scan, &r->prof);
	strbuf_init(&r->notes);
	const char *result = NULL;
	if (filter_set_compile(&r->filters, &c, &r->notes, &r->e) == 0) {
		struct view_options vo = { 1, false, c.noinlines, c.relative_percentages, &r->filters, &r->scan };
		if (view_init_filtered(&r->view, &r->prof, &vo, &r->notes, &r->e) == 0)
			result = yielded(&r->view);
		view_free(&r->view);
		filter_set_free(&r->filters);
	}
	config_free(&c);
	return result;
}

static void run_free(struct run *r)
{
	scan_free(&r->scan);
	profile_free(&r->prof);
	strbuf_release(&r->notes);
	error_clear(&r->e);
}

#define FILTERS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void check_filter(const char *const *options, const char *want, const char *want_notes)
{
	struct run r = { .e = ERROR_INIT };
	CHECK_STR(filtered(&r, "", options), want);
	CHECK_STR(r.notes.buf, want_notes);
	run_free(&r);
}

static void check_frame_filters(void)
{
	/* the sample without frames never shows: pprof's FilterSamplesByName drops it */
	check_filter(FILTERS("focus="), "10:malloc<helper+work<main 20:helper+work<main 30:gc<main", "");
	check_filter(FILTERS("focus=work"), "10:malloc<helper+work<main 20:helper+work<main", "");
	check_filter(FILTERS("focus=malloc\\.c"), "10:malloc<helper+work<main", "");
	check_filter(FILTERS("focus=app"), "10:malloc<helper+work<main 20:helper+work<main 30:gc<main", "");
	check_filter(FILTERS("ignore=malloc"), "20:helper+work<main 30:gc<main", "");
	check_filter(FILTERS("focus=main", "ignore=gc"), "10:malloc<helper+work<main 20:helper+work<main", "");
	check_filter(FILTERS("hide=helper"), "10:malloc<work<main 20:work<main 30:gc<main", "");
	check_filter(FILTERS("hide=malloc|gc"), "10:helper+work<main 20:helper+work<main 30:main", "");
	check_filter(FILTERS("show=work|main"), "10:helper+work<main 20:helper+work<main 30:main", "");
	check_filter(FILTERS("show=main\\.work"), "10:work 20:work", "");
	check_filter(FILTERS("show_from=work"), "10:malloc<helper+work 20:helper+work", "");
	check_filter(FILTERS("show_from=helper"), "10:malloc<helper 20:helper", "");
	check_filter(FILTERS("prune_from=work"), "10:work<main 20:work<main 30:gc<main", "");
	check_filter(FILTERS("prune_from=^main\\.work$"), "10:work<main 20:work<main 30:gc<main", "");
	check_filter(FILTERS("noinlines=true", "hide=main\\.work"), "10:malloc<helper<main 20:helper<main 30:gc<main",
		     "");
	/* names and file names match: work.go hides the helper too, and the location goes */
	check_filter(FILTERS("hide=work"), "10:malloc<main 20:main 30:gc<main", "");
	check_filter(FILTERS("focus=nothing", "ignore=nothing", "hide=nothing", "show=nothing", "show_from=nothing"),
		     "",
		     "Focus expression matched no samples\nIgnore expression matched no samples\n"
		     "Hide expression matched no samples\nShow expression matched no samples\n"
		     "ShowFrom expression matched no samples\n");
}

static void check_tag_filters(void)
{
	show_labels = true;
	check_filter(FILTERS("tagfocus=tenant=acme"), "10:malloc<helper+work<main#tenant#bytes", "");
	check_filter(FILTERS("tagfocus=acme,bytes"), "", "TagFocus expression matched no samples\n");
	check_filter(FILTERS("tagfocus=tenant:acme"), "10:malloc<helper+work<main#tenant#bytes", "");
	check_filter(FILTERS("tagfocus=tenant=acme,globex", "tagignore=tenant=glob"),
		     "10:malloc<helper+work<main#tenant#bytes", "");
	/* a key has one unit, the first seen: the 2 kilobytes count as 2 bytes */
	check_filter(FILTERS("tagfocus=bytes=2kb"), "",
		     "tagfocus:Interpreted '2kb' as range, not regexp\nTagFocus expression matched no samples\n");
	check_filter(FILTERS("tagfocus=bytes=2b"), "20:helper+work<main#tenant#bytes",
		     "tagfocus:Interpreted '2b' as range, not regexp\n");
	check_filter(FILTERS("tagfocus=64b:1kb"), "10:malloc<helper+work<main#tenant#bytes",
		     "tagfocus:Interpreted '64b:1kb' as range, not regexp\n");
	check_filter(FILTERS("tagfocus=bytes=64"), "",
		     "tagfocus:Interpreted '64' as range, not regexp\nTagFocus expression matched no samples\n");
	check_filter(FILTERS("tagignore=bytes=:1kb"), "30:gc<main",
		     "tagignore:Interpreted ':1kb' as range, not regexp\n");
	check_filter(FILTERS("tagshow=ten"), "10:malloc<helper+work<main#tenant 20:helper+work<main#tenant "
					     "30:gc<main", "");
	check_filter(FILTERS("taghide=ten", "tagshow=nothing"), "10:malloc<helper+work<main 20:helper+work<main "
								"30:gc<main",
		     "TagShow expression matched no samples\n");
	check_filter(FILTERS("taghide=nothing"), "10:malloc<helper+work<main#tenant#bytes "
						 "20:helper+work<main#tenant#bytes 30:gc<main",
		     "TagHide expression matched no samples\n");
	show_labels = false;
}

static void check_errors(void)
{
	struct run r = { .e = ERROR_INIT };
	CHECK(!filtered(&r, "", FILTERS("ignore=[a-")));
	CHECK_STR(r.e.msg.buf, "parsing ignore regexp: error parsing regexp: missing closing ]: `[a-`");
	run_free(&r);
	struct run t = { .e = ERROR_INIT };
	CHECK(!filtered(&t, "", FILTERS("tagfocus=tenant=(", "prune_from=(")));
	CHECK_STR(t.e.msg.buf, "parsing tagfocus regexp: error parsing regexp: missing closing ): `(`");
	run_free(&t);
	/* a bad -tagshow is reported after the other filters have warned */
	struct run s = { .e = ERROR_INIT };
	CHECK(!filtered(&s, "", FILTERS("focus=nothing", "tagshow=(")));
	CHECK_STR(s.e.msg.buf, "parsing tagshow regexp: error parsing regexp: missing closing ): `(`");
	CHECK_STR(s.notes.buf, "Focus expression matched no samples\n");
	run_free(&s);
}

/* RemoveUninteresting: the first dropped frame below user code goes, with what is beneath it. */
static void check_drop_frames(void)
{
	struct run r = { .e = ERROR_INIT };
	CHECK_STR(filtered(&r, "malloc", FILTERS("focus=")), "10:helper+work<main 20:helper+work<main 30:gc<main");
	run_free(&r);
	struct run h = { .e = ERROR_INIT };
	CHECK_STR(filtered(&h, "main\\.helper", FILTERS("focus=")), "10:work<main 20:work<main 30:gc<main");
	run_free(&h);
	/* drop_frames match whole simplified names: "main.work(int)" is "main.work" */
	struct run w = { .e = ERROR_INIT };
	CHECK_STR(filtered(&w, "main\\.work", FILTERS("focus=")), "10:main 20:main 30:gc<main");
	run_free(&w);
	struct run none = { .e = ERROR_INIT };
	CHECK_STR(filtered(&none, "main\\.main", FILTERS("focus=")),
		  "10:malloc<helper+work<main 20:helper+work<main 30:gc<main");
	run_free(&none);

	struct profile p, pruned;
	build(&p, "malloc");
	profile_remove_uninteresting(&p, &pruned);
	struct sample_buf buf = { 0 };
	struct sample s;
	CHECK(pruned.samples.count == 4 && !*pruned.drop_frames);
	CHECK(sample_decode(&pruned, 0, &s, &buf) == 0 && s.nlocations == 2 && s.nlabels == 2);
	sample_buf_free(&buf);
	profile_free(&pruned);
	profile_free(&p);
}

static void check_simplify(void)
{
	const char *cases[][2] = {
		{ "main.work(int)", "main.work" },
		{ ".foo", "foo" },
		{ "(anonymous namespace)::f(int)", "(anonymous namespace)::f" },
		{ "Cls::operator()(int)", "Cls::operator()" },
		{ "plain", "plain" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		simplify_function_name(cases[i][0], &sb);
		CHECK_STR(sb.buf, cases[i][1]);
		strbuf_release(&sb);
	}
}

/* Numeric tag filters: the unit of the bounds as pprof's Scale names it. */
static void check_range(const char *text, enum tag_range range, double low, double high, const char *unit)
{
	struct tag_filter f;
	struct error e = ERROR_INIT;
	memset(&f, 0, sizeof(f));
	CHECK(tag_parse_range(text, &f, &e) == 1);
	CHECK(f.range == range && f.low == low && (range == RANGE_EQUAL || range == RANGE_FROM || f.high == high));
	CHECK_STR(f.unit, unit);
	tag_filter_free(&f);
	error_clear(&e);
}

static void check_not_range(const char *text)
{
	struct tag_filter f;
	struct error e = ERROR_INIT;
	memset(&f, 0, sizeof(f));
	CHECK(tag_parse_range(text, &f, &e) == 0);
	tag_filter_free(&f);
	error_clear(&e);
}

static void check_ranges(void)
{
	const char *units[][2] = {
		{ "b", "B" }, { "byte", "B" }, { "bytes", "B" }, { "KB", "kB" }, { "kb", "kB" },
		{ "kbyte", "kB" }, { "kilobytes", "kB" }, { "mb", "MB" }, { "megabyte", "MB" },
		{ "gb", "GB" }, { "gigabytes", "GB" }, { "tb", "TB" }, { "terabyte", "TB" },
		{ "pb", "PB" }, { "petabytes", "PB" }, { "ns", "ns" }, { "nanoseconds", "ns" },
		{ "us", "us" }, { "microsecond", "us" }, { "ms", "ms" }, { "milliseconds", "ms" },
		{ "s", "s" }, { "sec", "s" }, { "seconds", "s" }, { "hour", "hrs" }, { "hrs", "hrs" },
		{ "nanogcu", "n*GCU" }, { "microgcu", "u*GCU" }, { "milligcu", "m*GCU" }, { "gcu", "GCU" },
		{ "kilogcu", "k*GCU" }, { "megagcu", "M*GCU" }, { "gigagcu", "G*GCU" },
		{ "teragcu", "T*GCU" }, { "petagcu", "P*GCU" }, { "xb", "xb" }, { "", "" },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		char text[32];
		snprintf(text, sizeof(text), "5%s", units[i][0]);
		check_range(text, RANGE_EQUAL, 5, 5, units[i][1]);
		snprintf(text, sizeof(text), "5%s:", units[i][0]);
		check_range(text, RANGE_FROM, 5, 5, units[i][1]);
		snprintf(text, sizeof(text), ":5%s", units[i][0]);
		check_range(text, RANGE_UPTO, 5, 5, units[i][1]);
	}
	check_range("1kb:2mb", RANGE_BETWEEN, 1, 2048, "kB");
	check_range("1mb:512kb", RANGE_BETWEEN, 1, 0.5, "MB");
	check_range("-5:+7", RANGE_BETWEEN, -5, 7, "");
	check_range("1s:1500ms", RANGE_BETWEEN, 1, 1.5, "s");
	check_not_range("acme");
	check_not_range("1kb:2ms");		/* bounds in different families: a regexp */
	check_not_range("a1");
	check_not_range("1:2:3");
	check_not_range("5\xce\xbcs");		/* pprof's [[:alpha:]] is ASCII */
	struct tag_filter f;
	struct error e = ERROR_INIT;
	memset(&f, 0, sizeof(f));
	CHECK(tag_parse_range("99999999999999999999b", &f, &e) < 0);
	CHECK_STR(e.msg.buf, "failed to parse int 99999999999999999999: strconv.ParseInt: parsing "
			     "\"99999999999999999999\": value out of range");
	error_clear(&e);
}

/* -tagroot and -tagleaf frames, as reports see them through a view. */
static void check_label_frames(void)
{
	struct profile p, labelled;
	struct strbuf warnings = STRBUF_INIT;
	build(&p, "");
	profile_add_label_frames(&p, "tenant", "bytes,nothing", "minimum", &labelled, &warnings);
	CHECK_STR(warnings.buf, "");
	struct view v;
	view_init(&v, &labelled, 1, false, false);
	const struct profile *lp = &labelled;
	/* a frame per value and key: 64B, 2kB, acme, globex, and "" for each key */
	CHECK(lp->nlocations == 4 + 7);
	struct view_iter it;
	struct view_sample s;
	view_iter_init(&it);
	CHECK(view_next(&v, &it, &s) && s.nlocations == 3 + 3);
	const struct function *leaf = &lp->functions[lp->locations[s.locations[0]].lines[0].function];
	const struct function *root = &lp->functions[lp->locations[s.locations[5]].lines[0].function];
	CHECK_STR(leaf->name, "");	/* the last leaf key is the leaf */
	CHECK_STR(leaf->filename, "nothing");
	CHECK_STR(root->name, "acme");
	CHECK_STR(root->filename, "tenant");
	CHECK(view_next(&v, &it, &s));
	CHECK_STR(lp->functions[lp->locations[s.locations[1]].lines[0].function].name, "2kB");
	view_iter_free(&it);
	view_free(&v);
	profile_free(&labelled);
	profile_add_label_frames(&p, "nothing", "", "minimum", &labelled, &warnings);
	CHECK_STR(warnings.buf, "TagRoot expression matched no samples\n");
	profile_free(&labelled);
	strbuf_release(&warnings);
	profile_free(&p);
}

int main(void)
{
	check_frame_filters();
	check_tag_filters();
	check_errors();
	check_drop_frames();
	check_simplify();
	check_ranges();
	check_label_frames();
	return check_done();
}
