/*
 * raw.c - the `raw` report: the profile as pprof's Profile.String()
 * prints it: header, samples with their location ids and labels, the
 * locations with their lines, and the mappings.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "profile/labels.h"
#include "report/report.h"

/* Go's Time.String() of a Unix time in nanoseconds, in the local time zone. */
static void go_time(struct strbuf *sb, int64_t nanos)
{
	time_t secs = (time_t)(nanos / 1000000000);
	int64_t frac = nanos % 1000000000;
	if (frac < 0) {
		frac += 1000000000;
		secs--;
	}
	struct tm tm;
	localtime_r(&secs, &tm);
	strbuf_addf(sb, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	if (frac) {
		char digits[16];
		snprintf(digits, sizeof(digits), "%09lld", (long long)frac);
		size_t n = strlen(digits);
		while (n > 0 && digits[n - 1] == '0')
			n--;
		strbuf_addf(sb, ".%.*s", (int)n, digits);
	}
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	strbuf_addf(sb, " %c%02ld%02ld %s", sign, off / 3600, off / 60 % 60, tm.tm_zone);
}

/* Go's fmtFrac: the fraction of v / 10^prec, without trailing zeros (or point). */
static void go_frac(char *buf, size_t *w, uint64_t *v, int prec)
{
	bool print = false;
	for (int i = 0; i < prec; i++) {
		int digit = (int)(*v % 10);
		print = print || digit != 0;
		if (print)
			buf[--*w] = (char)('0' + digit);
		*v /= 10;
	}
	if (print)
		buf[--*w] = '.';
}

static void go_int(char *buf, size_t *w, uint64_t v)
{
	*w = (size_t)(decimal_digits(buf + *w, v) - buf);
}

/* Go's Duration.String(): "4.493241s", "1m30s", "1.5ms", "0s". */
static void go_duration(struct strbuf *sb, int64_t d)
{
	char buf[40];
	size_t w = sizeof(buf);
	uint64_t u = d < 0 ? -(uint64_t)d : (uint64_t)d;
	if (u == 0) {
		strbuf_addstr(sb, "0s");
		return;
	}
	buf[--w] = 's';
	if (u < 1000000000) {
		int prec;
		if (u < 1000) {
			prec = 0;
			buf[--w] = 'n';
		} else if (u < 1000000) {
			prec = 3;
			buf[--w] = '\xb5';	/* U+00B5 MICRO SIGN */
			buf[--w] = '\xc2';
		} else {
			prec = 6;
			buf[--w] = 'm';
		}
		go_frac(buf, &w, &u, prec);
		go_int(buf, &w, u);
	} else {
		go_frac(buf, &w, &u, 9);
		go_int(buf, &w, u % 60);
		u /= 60;
		if (u > 0) {
			buf[--w] = 'm';
			go_int(buf, &w, u % 60);
			u /= 60;
			if (u > 0) {
				buf[--w] = 'h';
				go_int(buf, &w, u);
			}
		}
	}
	if (d < 0)
		buf[--w] = '-';
	strbuf_add(sb, buf + w, sizeof(buf) - w);
}

/* Go's "%.4v" of a string: its first four characters (runes). */
static void add_runes(struct strbuf *sb, const char *s, size_t max)
{
	size_t n = 0, i = 0;
	while (s[i] && n < max) {
		i++;
		while ((s[i] & 0xc0) == 0x80)
			i++;
		n++;
	}
	strbuf_add(sb, s, i);
}

static void print_header(const struct profile *p, struct strbuf *out)
{
	for (size_t i = 0; i < p->ncomments; i++)
		strbuf_addf(out, "Comment: %s\n", p->comments[i]);
	if (p->has_period_type || *p->period_type.type || *p->period_type.unit)
		strbuf_addf(out, "PeriodType: %s %s\n", p->period_type.type, p->period_type.unit);
	strbuf_addf(out, "Period: %lld\n", (long long)p->period);
	if (p->time_nanos != 0) {
		strbuf_addstr(out, "Time: ");
		go_time(out, p->time_nanos);
		strbuf_addch(out, '\n');
	}
	if (p->duration_nanos != 0) {
		struct strbuf d = STRBUF_INIT;
		go_duration(&d, p->duration_nanos);
		strbuf_addstr(out, "Duration: ");
		add_runes(out, d.buf, 4);
		strbuf_addch(out, '\n');
		strbuf_release(&d);
	}
	strbuf_addstr(out, "Samples:\n");
	for (size_t i = 0; i < p->nsample_types; i++) {
		const struct value_type *t = &p->sample_types[i];
		strbuf_addf(out, "%s%s/%s%s", i ? " " : "", t->type, t->unit,
			    !strcmp(t->type, p->default_sample_type) ? "[dflt]" : "");
	}
	strbuf_addch(out, '\n');
}

static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Go's labelsToString / numLabelsToString: "key:[v1 v2]" per key, sorted. */
static void print_labels(const struct profile *p, const struct sample *s, bool numeric, struct strbuf *out)
{
	struct label_key *keys = xmalloc((s->nlabels + 1) * sizeof(*keys));
	uint32_t *order = xmalloc((s->nlabels + 1) * sizeof(uint32_t));
	size_t nkeys = group_labels(p, s->labels, s->nlabels, numeric, keys, order);
	char **items = xmalloc((nkeys + 1) * sizeof(char *));
	for (size_t k = 0; k < nkeys; k++) {
		struct strbuf item = STRBUF_INIT;
		strbuf_addf(&item, "%s:[", keys[k].name);
		for (size_t i = 0; i < keys[k].count; i++) {
			const struct label *l = &s->labels[order[keys[k].first + i]];
			if (i)
				strbuf_addch(&item, ' ');
			if (!numeric)
				strbuf_addstr(&item, profile_string(p, l->str));
			else if (keys[k].has_unit)
				strbuf_addf(&item, "%lld %s", (long long)l->num, profile_string(p, l->num_unit));
			else
				strbuf_addf(&item, "%lld", (long long)l->num);
		}
		strbuf_addch(&item, ']');
		items[k] = strbuf_detach(&item, NULL);
	}
	qsort(items, nkeys, sizeof(char *), cmp_strings);
	if (nkeys)
		strbuf_addstr(out, "                ");
	for (size_t k = 0; k < nkeys; k++) {
		strbuf_addf(out, "%s%s", k ? " " : "", items[k]);
		free(items[k]);
	}
	if (nkeys)
		strbuf_addch(out, '\n');
	free(items);
	free(keys);
	free(order);
}

static void print_samples(const struct report *r, struct strbuf *out)
{
	const struct profile *p = r->prof;
	struct view_iter it;
	struct view_sample s;
	view_iter_init(&it);
	while (view_next(&r->view, &it, &s)) {
		for (size_t i = 0; i < s.raw->nvalues; i++) {
			strbuf_addch(out, ' ');
			strbuf_add_int(out, s.raw->values[i], 10);	/* " %10d" */
		}
		strbuf_addstr(out, ": ");
		for (size_t i = 0; i < s.nlocations; i++) {
			strbuf_add_uint(out, p->locations[s.locations[i]].id, 0);
			strbuf_addch(out, ' ');
		}
		strbuf_addch(out, '\n');
		print_labels(p, s.raw, false, out);
		print_labels(p, s.raw, true, out);
	}
	view_iter_free(&it);
}

static void print_location(const struct view *v, const struct location *l, size_t index, struct strbuf *out)
{
	const struct profile *p = v->prof;
	struct strbuf head = STRBUF_INIT;
	strbuf_addf(&head, "%6llu: 0x%llx ", (unsigned long long)l->id, (unsigned long long)l->address);
	if (l->mapping >= 0)
		strbuf_addf(&head, "M=%llu ", (unsigned long long)p->mappings[l->mapping].id);
	if (l->is_folded)
		strbuf_addstr(&head, "[F] ");
	uint32_t count = v->line_count[index];
	if (l->nlines == 0 || count == 0)
		strbuf_addf(out, "%s\n", head.buf);
	for (uint32_t k = 0; k < count; k++) {
		const struct line *line = &l->lines[v->lines[v->line_first[index] + k]];
		const struct function *f = &p->functions[line->function];
		strbuf_addf(out, "%s%s %s:%lld s=%lld", k ? "             " : head.buf, f->name, f->filename,
			    (long long)line->line, (long long)f->start_line);
		if (strcmp(f->name, f->system_name))
			strbuf_addf(out, "(%s)", f->system_name);
		strbuf_addch(out, '\n');
	}
	strbuf_release(&head);
}

static void print_mapping(const struct mapping *m, struct strbuf *out)
{
	/* Go's %#x: 0x0 for zero too */
	strbuf_addf(out, "%llu: 0x%llx/0x%llx/0x%llx %s %s %s%s%s%s\n", (unsigned long long)m->id,
		    (unsigned long long)m->start, (unsigned long long)m->limit, (unsigned long long)m->offset,
		    m->file, m->build_id, m->has_functions ? "[FN]" : "", m->has_filenames ? "[FL]" : "",
		    m->has_line_numbers ? "[LN]" : "", m->has_inline_frames ? "[IN]" : "");
}

int report_raw(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	const struct profile *p = r->prof;
	print_header(p, out);
	print_samples(r, out);
	strbuf_addstr(out, "Locations\n");
	for (size_t i = 0; i < p->nlocations; i++)
		print_location(&r->view, &p->locations[i], i, out);
	strbuf_addstr(out, "Mappings\n");
	for (size_t i = 0; i < p->nmappings; i++)
		print_mapping(&p->mappings[i], out);
	return 0;
}
