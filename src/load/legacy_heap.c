#include "load/legacy_heap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "load/memmap.h"

/* A cursor over one line for the hand-written forms of pprof's regexps. */
struct cursor {
	struct span s;
	size_t i;
};

static bool at(const struct cursor *c, char ch)
{
	return c->i < c->s.len && c->s.p[c->i] == ch;
}

static bool literal(struct cursor *c, const char *text)
{
	size_t n = strlen(text);
	if (c->s.len - c->i < n || memcmp(c->s.p + c->i, text, n))
		return false;
	c->i += n;
	return true;
}

/* ` *` */
static void spaces(struct cursor *c)
{
	while (at(c, ' '))
		c->i++;
}

/* `(\d+)` (or `(-?\d+)` if sign): greedy, as the next character is never a digit. */
static bool number(struct cursor *c, bool sign, struct span *out)
{
	size_t start = c->i;
	if (sign && at(c, '-'))
		c->i++;
	size_t digits = c->i;
	while (c->i < c->s.len && is_digit(c->s.p[c->i]))
		c->i++;
	if (c->i == digits) {
		c->i = start;
		return false;
	}
	*out = span_of(c->s.p + start, c->i - start);
	return true;
}

/* `(\d+): *(\d+) *\[ *(\d+): *(\d+) *\]`: the totals of a heap header. */
static bool header_totals(struct cursor *c, struct span n[4])
{
	if (!number(c, false, &n[0]) || !literal(c, ":"))
		return false;
	spaces(c);
	if (!number(c, false, &n[1]))
		return false;
	spaces(c);
	if (!literal(c, "["))
		return false;
	spaces(c);
	if (!number(c, false, &n[2]) || !literal(c, ":"))
		return false;
	spaces(c);
	if (!number(c, false, &n[3]))
		return false;
	spaces(c);
	return literal(c, "]");
}

struct heap_header {
	struct span totals[4];	/* inuse count, inuse bytes, alloc count, alloc bytes */
	struct span kind;	/* heap, heap_v2, heapprofile, ... */
	struct span rate;
};

/* The rest of heapHeaderRE after the totals: ` *@ *(heap[_a-z0-9]*)/?(\d*)`. */
static bool header_kind(struct cursor *c, struct heap_header *h)
{
	spaces(c);
	if (!literal(c, "@"))
		return false;
	spaces(c);
	size_t start = c->i;
	if (!literal(c, "heap"))
		return false;
	while (c->i < c->s.len && (c->s.p[c->i] == '_' || is_digit(c->s.p[c->i]) ||
				   (c->s.p[c->i] >= 'a' && c->s.p[c->i] <= 'z')))
		c->i++;
	h->kind = span_of(c->s.p + start, c->i - start);
	literal(c, "/");
	start = c->i;
	while (c->i < c->s.len && is_digit(c->s.p[c->i]))
		c->i++;
	h->rate = span_of(c->s.p + start, c->i - start);
	return true;
}

/*
 * pprof's heapHeaderRE and growthHeaderRE/fragmentationHeaderRE, which
 * may match anywhere in the line: at the first "heap profile:" from which
 * the rest matches.  kind_word NULL asks for the first, else for
 * " @ growth" or " @ fragmentation" after the totals.
 */
static bool match_header(struct span line, const char *kind_word, struct heap_header *h)
{
	for (size_t i = 0; i < line.len;) {
		const char *found = memmem(line.p + i, line.len - i, "heap profile:", 13);
		if (!found)
			return false;
		struct cursor c = { line, (size_t)(found - line.p) + 13 };
		spaces(&c);
		if (header_totals(&c, h->totals) &&
		    (kind_word ? literal(&c, " @ ") && literal(&c, kind_word) : header_kind(&c, h)))
			return true;
		i = (size_t)(found - line.p) + 1;
	}
	return false;
}

struct heap_format {
	bool sampled;		/* pprof's sampling "v2": values are scaled up */
	bool has_alloc;		/* alloc_* values besides inuse_* */
	int64_t period;
};

/* pprof's parseHeapHeader. */
static bool heap_format(const struct heap_header *h, struct heap_format *f)
{
	int64_t rate = 0;
	if (h->rate.len && go_parse_int(h->rate, 10, &rate) != GO_PARSE_OK)
		return false;
	/* As pprof, compares the numbers as text. */
	const struct span *t = h->totals;
	f->has_alloc = (!spans_equal(t[2], t[0]) && !span_is(t[2], "0")) ||
		       (!spans_equal(t[3], t[1]) && !span_is(t[3], "0"));
	if (span_is(h->kind, "heapz_v2") || span_is(h->kind, "heap_v2")) {
		f->sampled = true;
		f->period = rate;
	} else if (span_is(h->kind, "heapprofile")) {
		f->sampled = false;
		f->period = 1;
	} else if (span_is(h->kind, "heap")) {
		/* Go writes twice its MemProfileRate. */
		f->sampled = true;
		f->period = rate / 2;
	} else {
		return false;
	}
	return true;
}

/* pprof's heapSampleRE: `(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)`, from pos. */
static bool sample_at(struct span line, size_t pos, struct span n[4], struct span *addrs)
{
	struct cursor c = { line, pos };
	if (!number(&c, true, &n[0]) || !literal(&c, ":"))
		return false;
	spaces(&c);
	if (!number(&c, true, &n[1]))
		return false;
	spaces(&c);
	if (!literal(&c, "["))
		return false;
	spaces(&c);
	if (!number(&c, false, &n[2]) || !literal(&c, ":"))
		return false;
	spaces(&c);
	if (!number(&c, false, &n[3]))
		return false;
	spaces(&c);
	if (!literal(&c, "] @"))
		return false;
	*addrs = address_run(line, c.i);
	return true;
}

/*
 * The leftmost match: it starts at a digit run, or at a '-' just before
 * one; if a run fails, starting later inside it fails the same way.
 */
static bool match_sample(struct span line, struct span n[4], struct span *addrs)
{
	for (size_t i = 0; i < line.len; i++) {
		if (!is_digit(line.p[i]) || (i > 0 && is_digit(line.p[i - 1])))
			continue;
		size_t start = i > 0 && line.p[i - 1] == '-' ? i - 1 : i;
		if (sample_at(line, start, n, addrs))
			return true;
	}
	return false;
}

double go_exp(double x)
{
	/* Go's exp_amd64.s, FMA variant: Shibata's method from SLEEF. */
	const double ln2u = 0.69314718055966295651160180568695068359375;
	const double ln2l = 0.28235290563031577122588448175013436025525412068e-12;
	const double log2e = 1.4426950408889634073599246810018920;
	const double overflow = 7.09782712893384e+02;
	if (isnan(x) || x == INFINITY)
		return x;
	if (x == -INFINITY)
		return 0;
	if (x > overflow)
		return INFINITY;
	/* CVTSD2SL: round to nearest even, "integer indefinite" out of range. */
	double t = nearbyint(log2e * x);
	int32_t k = t >= -2147483648.0 && t <= 2147483647.0 ? (int32_t)t : INT32_MIN;
	double fk = k;
	x = fma(-ln2u, fk, x);
	x = fma(-ln2l, fk, x);
	x *= 0.0625;
	double p = 2.4801587301587301587e-5;
	p = fma(p, x, 1.9841269841269841270e-4);
	p = fma(p, x, 1.3888888888888888889e-3);
	p = fma(p, x, 8.3333333333333333333e-3);
	p = fma(p, x, 4.1666666666666666667e-2);
	p = fma(p, x, 1.6666666666666666667e-1);
	p = fma(p, x, 0.5);
	p = fma(p, x, 1.0);
	x *= p;
	x *= x + 2.0;
	x *= x + 2.0;
	x *= x + 2.0;
	x = fma(x, x + 2.0, 1.0);
	/* x * 2**k, through the denormal range as the assembly does it. */
	int64_t biased = (int64_t)k + 0x3ff;
	if (biased <= 0) {
		if (biased < -52)
			return 0;
		uint64_t bits = (uint64_t)(biased + 0x3fe) << 52;
		double scale;
		memcpy(&scale, &bits, sizeof(scale));
		x *= scale;
		biased = 1;
	} else if (biased >= 0x7ff) {
		return INFINITY;
	}
	uint64_t bits = (uint64_t)biased << 52;
	double scale;
	memcpy(&scale, &bits, sizeof(scale));
	return x * scale;
}

void heap_scale_sample(int64_t *count, int64_t *size, int64_t rate)
{
	if (*count == 0 || *size == 0) {
		*count = *size = 0;
		return;
	}
	if (rate <= 1)
		return;	/* every allocation was recorded, or the rate is unknown */
	double avg = (double)*size / (double)*count;
	double scale = 1 / (1 - go_exp(-avg / (double)rate));
	*count = go_float_to_int64((double)*count * scale);
	*size = go_float_to_int64((double)*size * scale);
}

static enum legacy_result malformed(struct error *e, struct span line, const char *what,
				    struct span v, enum go_parse_result r)
{
	error_set(e, "malformed sample: %.*s: ", (int)line.len, line.p);
	go_parse_error(&e->msg, what, v, r);
	return LEGACY_FAILED;
}

/* pprof's addValues: one count/bytes pair, scaled if sampled. */
static enum legacy_result add_values(struct span line, struct span count_text, struct span size_text,
				     const char *label, const struct heap_format *f, int64_t *out,
				     int64_t *blocksize, struct error *e)
{
	int64_t count, size;
	enum go_parse_result r;
	if ((r = go_parse_int(count_text, 10, &count)) != GO_PARSE_OK)
		return malformed(e, line, "ParseInt", count_text, r);
	if ((r = go_parse_int(size_text, 10, &size)) != GO_PARSE_OK)
		return malformed(e, line, "ParseInt", size_text, r);
	if (count == 0 && size != 0) {
		error_set(e, "%s count was 0 but %s bytes was %lld", label, label, (long long)size);
		return LEGACY_FAILED;
	}
	if (count != 0) {
		*blocksize = go_div(size, count);
		if (f->sampled)
			heap_scale_sample(&count, &size, f->period);
	}
	out[0] = count;
	out[1] = size;
	return LEGACY_PARSED;
}

/* pprof's parseHeapSample, and the sample it makes. */
static enum legacy_result heap_sample(struct span line, const struct heap_format *f,
				      struct address_list *stack, struct legacy_profile *lp,
				      struct error *e)
{
	struct span n[4], addrs;
	if (!match_sample(line, n, &addrs)) {
		error_set(e, "unexpected number of sample values: got 0, want 6");
		return LEGACY_FAILED;
	}
	int64_t values[4], blocksize = 0;
	size_t nvalues = 0;
	if (f->has_alloc) {
		if (add_values(line, n[2], n[3], "allocation", f, values, &blocksize, e) != LEGACY_PARSED)
			return LEGACY_FAILED;
		nvalues = 2;
	}
	if (add_values(line, n[0], n[1], "inuse", f, values + nvalues, &blocksize, e) != LEGACY_PARSED)
		return LEGACY_FAILED;
	nvalues += 2;
	stack->n = 0;
	if (go_hex_addresses(addrs, stack, e) < 0) {
		error_prefix(e, "malformed sample: %.*s: ", (int)line.len, line.p);
		return LEGACY_FAILED;
	}
	size_t s = legacy_add_sample(lp, stack->v, stack->n, ADJUST_ALL, values, nvalues);
	lp->samples[s].bytes = blocksize;
	lp->samples[s].has_bytes = true;
	return LEGACY_PARSED;
}

/* The samples up to the memory map, then the map. */
static enum legacy_result heap_body(struct go_scanner *s, const struct heap_format *f,
				    struct legacy_profile *lp, struct error *e)
{
	struct address_list stack = { 0 };
	enum legacy_result rc = LEGACY_PARSED;
	while (go_scan(s)) {
		struct span line = go_trim_space(s->token);
		if (is_space_or_comment(line))
			continue;
		if (is_memory_map_sentinel(line))
			break;
		if ((rc = heap_sample(line, f, &stack, lp, e)) != LEGACY_PARSED) {
			legacy_line_error(e, s);
			break;
		}
	}
	free(stack.v);
	if (rc != LEGACY_PARSED)
		return rc;
	if (go_scanner_error(s, e) < 0 || memmap_read_sections(lp, s, e) < 0)
		return LEGACY_FAILED;
	return LEGACY_PARSED;
}

enum legacy_result legacy_parse_heap(const uint8_t *data, size_t len, struct legacy_profile *lp,
				     struct error *e)
{
	static const char *const inuse_types[][2] = { { "objects", "count" }, { "space", "bytes" } };
	static const char *const all_types[][2] = {
		/* alloc first, so that pprof's default (the last) is inuse_space */
		{ "alloc_objects", "count" }, { "alloc_space", "bytes" },
		{ "inuse_objects", "count" }, { "inuse_space", "bytes" },
	};
	struct go_scanner s;
	go_scanner_init(&s, data, len);
	if (!go_scan(&s))
		return go_scanner_error(&s, e) < 0 ? LEGACY_FAILED : LEGACY_UNRECOGNIZED;
	struct heap_header h;
	struct heap_format f = { false, false, 1 };
	if (match_header(s.token, NULL, &h)) {
		if (!heap_format(&h, &f))
			return LEGACY_UNRECOGNIZED;
	} else if (!match_header(s.token, "growth", &h) && !match_header(s.token, "fragmentation", &h)) {
		return LEGACY_UNRECOGNIZED;
	}
	if (f.has_alloc)
		legacy_set_types(lp, "space", "bytes", all_types, 4);
	else
		legacy_set_types(lp, "space", "bytes", inuse_types, 2);
	lp->period = f.period;
	return heap_body(&s, &f, lp, e);
}
