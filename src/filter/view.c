#include "filter/view.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/int64.h"

/* What the filters make of a location. */
enum {
	LOC_FOCUSED = 1,	/* matched by -focus (without -focus: every location) and not ignored */
	LOC_IGNORED = 2,	/* matched by -ignore */
	LOC_HIDDEN = 4,		/* -hide/-show left it no lines: removed from samples */
	LOC_SHOW_FROM = 8,	/* matched by -show_from */
	LOC_PRUNE_FROM = 16,	/* matched by -prune_from */
};

/* What the view learns as samples pass: regexp results by label string, label keys shown. */
struct view_memo {
	struct tag_memo tagfocus, tagignore;
	uint8_t *key_shown;	/* per string index: 0 not yet known, 1 hidden, 2 shown */
	bool tagshow_matched, taghide_matched;
};

/* Which filters matched anything, for pprof's warnings. */
struct matched {
	bool focus, ignore, hide, show, show_from, tagfocus, tagignore;
};

/* A regexp over function names and file names, remembered per function and mapping. */
struct name_match {
	const struct regex *re;
	uint8_t *function;	/* 0 not yet known, 1 no, 2 yes */
	uint8_t *mapping;
};

static void name_match_init(struct name_match *m, const struct regex *re, const struct profile *p)
{
	m->re = re;
	m->function = re ? xcalloc(p->nfunctions + 1, 1) : NULL;
	m->mapping = re ? xcalloc(p->nmappings + 1, 1) : NULL;
}

static void name_match_free(struct name_match *m)
{
	free(m->function);
	free(m->mapping);
}

static bool function_matches(struct name_match *m, const struct profile *p, int32_t f)
{
	if (f < 0)
		return false;
	if (!m->function[f]) {
		const struct function *fn = &p->functions[f];
		m->function[f] = regex_match(m->re, fn->name) || regex_match(m->re, fn->filename) ? 2 : 1;
	}
	return m->function[f] == 2;
}

static bool mapping_matches(struct name_match *m, const struct profile *p, int32_t map)
{
	if (map < 0)
		return false;
	if (!m->mapping[map])
		m->mapping[map] = regex_match(m->re, p->mappings[map].file) ? 2 : 1;
	return m->mapping[map] == 2;
}

/* The lines of one location as the filters leave them: indexes into its lines. */
struct line_list {
	const struct location *loc;
	uint32_t *idx;
	size_t n;
};

/* pprof's matchesName: a line's function or file name, or the mapping's file. */
static bool location_matches(const struct profile *p, const struct line_list *ll, struct name_match *m)
{
	for (size_t k = 0; k < ll->n; k++)
		if (function_matches(m, p, ll->loc->lines[ll->idx[k]].function))
			return true;
	return mapping_matches(m, p, ll->loc->mapping);
}

/* Keeps the lines whose function matches (want) or does not (!want), and lines without a function. */
static void keep_lines(const struct profile *p, struct line_list *ll, struct name_match *m, bool want)
{
	size_t n = 0;
	for (size_t k = 0; k < ll->n; k++) {
		int32_t f = ll->loc->lines[ll->idx[k]].function;
		if (f < 0 || function_matches(m, p, f) == want)
			ll->idx[n++] = ll->idx[k];
	}
	ll->n = n;
}

/* The filters that change lines or mark locations: steps 2, 3 and 6 of view.h, per location. */
struct location_filters {
	struct name_match focus, ignore, hide, show, show_from;
	const struct regex *prune_from;
	struct matched *matched;
};

static uint8_t focus_flags(const struct profile *p, struct line_list *ll, struct location_filters *lf)
{
	if (lf->ignore.re && location_matches(p, ll, &lf->ignore)) {
		lf->matched->ignore = true;
		return LOC_IGNORED;
	}
	if (!lf->focus.re || location_matches(p, ll, &lf->focus)) {
		lf->matched->focus = true;
		return LOC_FOCUSED;
	}
	return 0;
}

/* pprof's hide and show: lines matching -hide go, lines not matching -show go. */
static uint8_t hide_and_show(const struct profile *p, struct line_list *ll, struct location_filters *lf)
{
	uint8_t flags = 0;
	if (lf->hide.re && location_matches(p, ll, &lf->hide)) {
		lf->matched->hide = true;
		if (mapping_matches(&lf->hide, p, ll->loc->mapping))
			ll->n = 0;
		else
			keep_lines(p, ll, &lf->hide, false);
		if (ll->n == 0)
			flags |= LOC_HIDDEN;
	}
	if (lf->show.re) {
		if (!mapping_matches(&lf->show, p, ll->loc->mapping))
			keep_lines(p, ll, &lf->show, true);
		if (ll->n == 0)
			flags |= LOC_HIDDEN;
		else
			lf->matched->show = true;
	}
	return flags;
}

/* pprof's filterShowFromLocation: lines above the outermost match go. */
static uint8_t show_from(const struct profile *p, struct line_list *ll, struct location_filters *lf)
{
	if (!lf->show_from.re)
		return 0;
	if (mapping_matches(&lf->show_from, p, ll->loc->mapping)) {
		lf->matched->show_from = true;
		return LOC_SHOW_FROM;
	}
	for (size_t k = ll->n; k-- > 0;) {
		if (function_matches(&lf->show_from, p, ll->loc->lines[ll->idx[k]].function)) {
			ll->n = k + 1;
			lf->matched->show_from = true;
			return LOC_SHOW_FROM;
		}
	}
	return 0;
}

/* pprof's PruneFrom per location: lines inlined beneath the innermost match go. */
static uint8_t prune_from(const struct profile *p, struct line_list *ll, const struct regex *re)
{
	if (!re)
		return 0;
	for (size_t k = 0; k < ll->n; k++) {
		if (line_name_matches(p, &ll->loc->lines[ll->idx[k]], re)) {
			memmove(ll->idx, ll->idx + k, (ll->n - k) * sizeof(uint32_t));
			ll->n -= k;
			return LOC_PRUNE_FROM;
		}
	}
	return 0;
}

static void location_filters_init(struct location_filters *lf, const struct filter_set *f,
				  const struct profile *p, struct matched *matched)
{
	memset(lf, 0, sizeof(*lf));
	lf->matched = matched;
	name_match_init(&lf->focus, f ? f->focus : NULL, p);
	name_match_init(&lf->ignore, f ? f->ignore : NULL, p);
	name_match_init(&lf->hide, f ? f->hide : NULL, p);
	name_match_init(&lf->show, f ? f->show : NULL, p);
	name_match_init(&lf->show_from, f ? f->show_from : NULL, p);
	lf->prune_from = f ? f->prune_from : NULL;
}

static void location_filters_free(struct location_filters *lf)
{
	name_match_free(&lf->focus);
	name_match_free(&lf->ignore);
	name_match_free(&lf->hide);
	name_match_free(&lf->show);
	name_match_free(&lf->show_from);
}

/* Decides every location's lines and flags. */
static void filter_locations(struct view *v, struct location_filters *lf, bool noinlines)
{
	const struct profile *p = v->prof;
	size_t n = p->nlocations, total = 0;
	for (size_t i = 0; i < n; i++)
		total += p->locations[i].nlines;
	v->line_first = xmalloc((n + 1) * sizeof(uint32_t));
	v->line_count = xmalloc((n + 1) * sizeof(uint32_t));
	v->lines = xmalloc((total + 1) * sizeof(uint32_t));
	v->loc_flags = xcalloc(n + 1, 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct location *l = &p->locations[i];
		struct line_list ll = { l, v->lines + k, 0 };
		for (uint32_t j = v->drop.active ? v->drop.first_line[i] : 0; j < l->nlines; j++)
			ll.idx[ll.n++] = j;
		uint8_t flags = focus_flags(p, &ll, lf);
		flags |= hide_and_show(p, &ll, lf);
		flags |= show_from(p, &ll, lf);
		flags |= prune_from(p, &ll, lf->prune_from);
		if (noinlines && ll.n > 1) {
			ll.idx[0] = ll.idx[ll.n - 1];
			ll.n = 1;
		}
		v->loc_flags[i] = flags;
		v->hides_locations |= (flags & LOC_HIDDEN) != 0;
		v->focuses_locations |= (flags & (LOC_FOCUSED | LOC_IGNORED)) != LOC_FOCUSED;
		v->line_first[i] = (uint32_t)k;
		v->line_count[i] = (uint32_t)ll.n;
		k += ll.n;
	}
}

/* Frames of a sample after steps 1 to 3 and 6; false if the sample is dropped. */
static bool filter_frames(const struct view *v, struct view_iter *it, const uint32_t **locs, size_t *n)
{
	const uint32_t *l = *locs;
	size_t cnt = *n;
	size_t start = uninteresting_sample_start(&v->drop, l, cnt);
	if (start > 0)	/* l is NULL for a sample without locations */
		l += start;
	cnt -= start;
	if (cnt == 0)
		return false;
	/* without -focus and -ignore every location is focused: nothing to look up */
	bool focused = !v->focuses_locations;
	for (size_t k = 0; k < cnt && v->focuses_locations; k++) {
		uint8_t f = v->loc_flags[l[k]];
		if (f & LOC_IGNORED)
			return false;
		focused |= (f & LOC_FOCUSED) != 0;
	}
	if (!focused)
		return false;
	if (v->hides_locations) {
		xgrow((void **)&it->locations, &it->locations_cap, cnt + 1, sizeof(uint32_t));
		size_t kept = 0;
		for (size_t k = 0; k < cnt; k++)
			if (!(v->loc_flags[l[k]] & LOC_HIDDEN))
				it->locations[kept++] = l[k];
		if (kept == 0)
			return false;
		l = it->locations;
		cnt = kept;
	}
	if (v->filters && v->filters->show_from) {
		size_t top = cnt;
		while (top > 0 && !(v->loc_flags[l[top - 1]] & LOC_SHOW_FROM))
			top--;
		if (top == 0)
			return false;
		cnt = top;
	}
	if (v->filters && v->filters->prune_from) {
		for (size_t k = 0; k < cnt; k++) {
			if (v->loc_flags[l[k]] & LOC_PRUNE_FROM) {
				l += k;
				cnt -= k;
				break;
			}
		}
	}
	*locs = l;
	*n = cnt;
	return true;
}

/* Step 4: -tagfocus and -tagignore; matched (if not NULL) records which matched. */
static bool filter_tags(const struct view *v, const struct sample *raw, struct matched *matched)
{
	const struct filter_set *f = v->filters;
	if (!f || (!f->tagfocus && !f->tagignore))
		return true;
	const struct profile *p = v->prof;
	bool focused = true, ignored = false;
	if (f->tagfocus)
		focused = tag_filter_match(f->tagfocus, p, raw->labels, raw->nlabels, &v->scan->units, &v->memo->tagfocus);
	if (f->tagignore)
		ignored = tag_filter_match(f->tagignore, p, raw->labels, raw->nlabels, &v->scan->units, &v->memo->tagignore);
	if (matched) {
		matched->tagfocus |= focused;
		matched->tagignore |= ignored;
	}
	return focused && !ignored;
}

/* pprof drops labels with neither a string, a number nor a unit when it reads a profile. */
static bool empty_label(const struct label *l)
{
	return l->str == 0 && l->num == 0 && l->num_unit == 0;
}

/* Step 5, pprof's FilterTagsByName: whether -tagshow and -taghide leave a label key. */
static bool key_shown(const struct view *v, int64_t key)
{
	const struct filter_set *f = v->filters;
	struct view_memo *m = v->memo;
	if (!m->key_shown[key]) {
		const char *name = v->prof->strings[key];
		bool show = !f->tagshow || regex_match(f->tagshow, name);
		bool hide = f->taghide && regex_match(f->taghide, name);
		m->tagshow_matched |= show;
		m->taghide_matched |= hide;
		m->key_shown[key] = show && !hide ? 2 : 1;
	}
	return m->key_shown[key] == 2;
}

static void filter_labels(const struct view *v, struct view_iter *it, const struct sample *raw,
			  struct view_sample *s)
{
	bool labels_filtered = v->filters && (v->filters->tagshow || v->filters->taghide);
	bool any_dropped = false;
	for (size_t k = 0; k < raw->nlabels && !any_dropped; k++)
		any_dropped = empty_label(&raw->labels[k]) || (labels_filtered && !key_shown(v, raw->labels[k].key));
	s->labels = raw->labels;
	s->nlabels = raw->nlabels;
	if (!any_dropped)
		return;
	xgrow((void **)&it->labels, &it->labels_cap, raw->nlabels + 1, sizeof(struct label));
	size_t n = 0;
	for (size_t k = 0; k < raw->nlabels; k++) {
		const struct label *l = &raw->labels[k];
		if (!empty_label(l) && (!labels_filtered || key_shown(v, l->key)))
			it->labels[n++] = *l;
	}
	s->labels = it->labels;
	s->nlabels = n;
}

static bool bit(const uint64_t *bits, size_t i)
{
	return bits[i / 64] >> (i % 64) & 1;
}

static void set_bit(uint64_t *bits, size_t i)
{
	bits[i / 64] |= (uint64_t)1 << (i % 64);
}

/* A sample that weighs nothing in the view: no value and no divisor. */
static bool zero_for_view(const struct view *v, size_t i)
{
	return !scan_nonzero(v->scan, v->value_index, i) && (!v->mean || !scan_nonzero(v->scan, 0, i));
}

/* Sums of the kept samples, for pprof's computeTotal over them. */
struct kept_sums {
	int64_t total, div, base_total, base_div;
};

static void add_kept(const struct view *v, const struct view_sample *s, struct kept_sums *k)
{
	int64_t value = abs64(s->value);
	int64_t div = v->mean ? s->raw->values[0] : 0;
	k->total = add64(k->total, value);
	k->div += div;
	if (is_diff_base_sample(v->prof, s->labels, s->nlabels)) {
		k->base_total = add64(k->base_total, value);
		k->base_div += div;
	}
}

static int64_t kept_total(const struct kept_sums *k)
{
	int64_t total = k->total, div = k->div;
	if (k->base_total > 0) {
		total = k->base_total;
		div = k->base_div;
	}
	return div != 0 ? total / div : total;
}

/* Whether a warning still waits for some sample to match. */
static bool warnings_pending(const struct view *v, const struct matched *m)
{
	const struct filter_set *f = v->filters;
	if (!f)
		return false;
	return (f->tagfocus && !m->tagfocus) || (f->tagignore && !m->tagignore) ||
	       (f->tagshow && !v->memo->tagshow_matched) || (f->taghide && !v->memo->taghide_matched);
}

/* Whether a sample's frames can decide whether it stays (else: only whether it has any). */
static bool frames_decide(const struct view *v)
{
	const struct filter_set *f = v->filters;
	return v->drop.active || v->hides_locations ||
	       (f && (f->focus || f->ignore || f->hide || f->show || f->show_from));
}

/*
 * Decides every sample once, for the warnings of the tag filters and for
 * kept_total.  Samples that weigh nothing in this view are only decided
 * while a warning still waits for a match.
 */
static void decide_samples(struct view *v, bool relative, struct matched *matched)
{
	const struct profile *p = v->prof;
	size_t words = p->samples.count / 64 + 1;
	v->decided = xcalloc(words, sizeof(uint64_t));
	v->kept = xcalloc(words, sizeof(uint64_t));
	struct view_iter it;
	struct view_sample s;
	struct kept_sums sums = { 0, 0, 0, 0 };
	bool frames = frames_decide(v);
	view_iter_init(&it);
	for (size_t i = 0; i < p->samples.count; i++) {
		if (zero_for_view(v, i) && !warnings_pending(v, matched))
			continue;
		/* without frame filters, a sample stays if it has frames at all: no need to read them */
		int rc = frames ? sample_decode(p, i, &it.raw, &it.buf) : sample_decode_labels(p, i, &it.raw, &it.buf);
		if (rc < 0)
			continue;	/* validated at load: cannot happen */
		set_bit(v->decided, i);
		const uint32_t *locs = it.raw.locations;
		size_t n = it.raw.nlocations;
		bool stays = frames ? filter_frames(v, &it, &locs, &n) : sample_has_locations(p, i);
		if (!stays || !filter_tags(v, &it.raw, matched))
			continue;
		set_bit(v->kept, i);
		s.raw = &it.raw;
		s.value = it.raw.values[v->value_index];
		filter_labels(v, &it, &it.raw, &s);
		if (relative)
			add_kept(v, &s, &sums);
	}
	view_iter_free(&it);
	v->kept_total = kept_total(&sums);
}

/* Whether samples must be decided up front: see decide_samples(). */
static bool decide_up_front(const struct filter_set *f, bool relative)
{
	return relative || (f && (f->tagfocus || f->tagignore || f->tagshow || f->taghide));
}

static void warn(struct strbuf *warnings, bool matched, const char *option)
{
	if (!matched)
		strbuf_addf(warnings, "%s expression matched no samples\n", option);
}

static void memo_init(struct view *v)
{
	v->memo = xcalloc(1, sizeof(*v->memo));
	tag_memo_init(&v->memo->tagfocus, v->prof);
	tag_memo_init(&v->memo->tagignore, v->prof);
	v->memo->key_shown = xcalloc(v->prof->nstrings + 1, 1);
}

static void memo_free(struct view_memo *m)
{
	if (!m)
		return;
	tag_memo_free(&m->tagfocus);
	tag_memo_free(&m->tagignore);
	free(m->key_shown);
	free(m);
}

int view_init_filtered(struct view *v, const struct profile *prof, const struct view_options *o,
		       struct strbuf *warnings, struct error *e)
{
	memset(v, 0, sizeof(*v));
	v->prof = prof;
	v->value_index = o->value_index;
	v->mean = o->mean;
	v->filters = o->filters;
	v->scan = o->scan;
	uninteresting_init(&v->drop, prof);
	memo_init(v);

	struct matched matched = { false, false, false, false, false, false, false };
	struct location_filters lf;
	location_filters_init(&lf, o->filters, prof, &matched);
	filter_locations(v, &lf, o->noinlines);
	location_filters_free(&lf);
	if (decide_up_front(o->filters, o->relative))
		decide_samples(v, o->relative, &matched);

	const struct filter_set *f = o->filters;
	if (!f)
		return 0;
	warn(warnings, !f->focus || matched.focus, "Focus");
	warn(warnings, !f->ignore || matched.ignore, "Ignore");
	warn(warnings, !f->hide || matched.hide, "Hide");
	warn(warnings, !f->show || matched.show, "Show");
	warn(warnings, !f->show_from || matched.show_from, "ShowFrom");
	warn(warnings, !f->tagfocus || matched.tagfocus, "TagFocus");
	warn(warnings, !f->tagignore || matched.tagignore, "TagIgnore");
	if (f->late_failed) {
		error_set(e, "%s", f->late_error.msg.buf);
		return -1;
	}
	warn(warnings, !f->tagshow || v->memo->tagshow_matched, "TagShow");
	warn(warnings, !f->taghide || v->memo->taghide_matched, "TagHide");
	return 0;
}

void view_init(struct view *v, const struct profile *prof, size_t value_index, bool mean, bool noinlines)
{
	struct profile_scan *own = xmalloc(sizeof(*own));
	const struct profile_scan *scan = profile_scan_of(prof, own);
	if (scan != own) {
		free(own);
		own = NULL;
	}
	struct view_options o = { value_index, mean, noinlines, false, NULL, scan };
	struct strbuf none = STRBUF_INIT;
	struct error e = ERROR_INIT;
	view_init_filtered(v, prof, &o, &none, &e);	/* cannot fail without filters */
	v->own_scan = own;
	strbuf_release(&none);
	error_clear(&e);
}

void view_free(struct view *v)
{
	free(v->line_first);
	free(v->line_count);
	free(v->lines);
	free(v->loc_flags);
	free(v->decided);
	free(v->kept);
	uninteresting_free(&v->drop);
	memo_free(v->memo);
	if (v->own_scan) {
		scan_free(v->own_scan);
		free(v->own_scan);
	}
	memset(v, 0, sizeof(*v));
}

void view_iter_init(struct view_iter *it)
{
	memset(it, 0, sizeof(*it));
	it->end = SIZE_MAX;
}

void view_iter_range(struct view_iter *it, size_t begin, size_t end)
{
	view_iter_init(it);
	it->skip_zero = true;
	it->next = begin;
	it->end = end;
}

void view_iter_free(struct view_iter *it)
{
	sample_buf_free(&it->buf);
	free(it->locations);
	free(it->labels);
}

bool view_next(const struct view *v, struct view_iter *it, struct view_sample *s)
{
	const struct profile *p = v->prof;
	size_t end = it->end < p->samples.count ? it->end : p->samples.count;
	while (it->next < end) {
		size_t i = it->next++;
		bool decided = v->decided && bit(v->decided, i);
		if (decided && !bit(v->kept, i))
			continue;
		if (v->decided && !decided && it->skip_zero)
			continue;	/* undecided samples weigh nothing */
		/* Most samples of a heap profile are 0 in-use: skip them unread. */
		if (it->skip_zero && zero_for_view(v, i))
			continue;
		if (sample_decode(p, i, &it->raw, &it->buf) < 0)
			continue;	/* validated at load: cannot happen */
		const uint32_t *locs = it->raw.locations;
		size_t n = it->raw.nlocations;
		if (!filter_frames(v, it, &locs, &n))
			continue;
		if (!decided && !filter_tags(v, &it->raw, NULL))
			continue;
		s->locations = locs;
		s->nlocations = n;
		s->value = it->raw.values[v->value_index];
		s->divisor = v->mean ? it->raw.values[0] : 0;
		filter_labels(v, it, &it->raw, s);
		/* reports see the labels -tagshow/-taghide leave, as pprof's profile has them */
		it->shown = it->raw;
		it->shown.labels = s->labels;
		it->shown.nlabels = s->nlabels;
		s->raw = &it->shown;
		return true;
	}
	return false;
}

static bool parse_index(const char *s, long *out)
{
	char *end;
	if (!*s)
		return false;
	long v = strtol(s, &end, 10);
	if (*end)
		return false;
	*out = v;
	return true;
}

int sample_index_by_name(const struct profile *p, const char *name, size_t *index, struct error *e)
{
	size_t n = p->nsample_types;
	if (!name || !*name) {
		for (size_t i = 0; i < n && *p->default_sample_type; i++) {
			if (!strcmp(p->sample_types[i].type, p->default_sample_type)) {
				*index = i;
				return 0;
			}
		}
		*index = n - 1;
		return 0;
	}
	long i;
	if (parse_index(name, &i)) {
		if (i < 0 || (size_t)i >= n)
			return error_set(e, "sample_index %s is outside the range [0..%zu]", name, n - 1);
		*index = (size_t)i;
		return 0;
	}
	const char *no_inuse = strncmp(name, "inuse_", 6) ? name : name + 6;
	for (size_t k = 0; k < n; k++) {
		if (!strcmp(p->sample_types[k].type, name) || !strcmp(p->sample_types[k].type, no_inuse)) {
			*index = k;
			return 0;
		}
	}
	struct strbuf types = STRBUF_INIT;
	for (size_t k = 0; k < n; k++)
		strbuf_addf(&types, "%s%s", k ? " " : "", p->sample_types[k].type);
	error_set(e, "sample_index ");
	strbuf_add_quoted(&e->msg, name);
	strbuf_addf(&e->msg, " must be one of: [%s]", types.buf);
	strbuf_release(&types);
	return 0 - 1;
}
