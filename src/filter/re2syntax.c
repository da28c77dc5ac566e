#include "filter/re2syntax.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/re2fold.h"
#include "util/arena.h"

/* Go's parse flags that can change inside a pattern. */
enum {
	FOLD_CASE = 1,	/* (?i) */
	MULTI_LINE = 2,	/* (?m): ^ and $ also at line ends */
	DOT_NL = 4,	/* (?s) */
	NON_GREEDY = 8,	/* (?U) */
	ALL_FLAGS = 15,
};

#define MAX_RUNE 0x10FFFF
#define RUNE_ERROR GO_RUNE_ERROR
#define MAX_HEIGHT 1000	/* Go's maxHeight */
#define MAX_REPEAT 1000	/* Go's repeat count limit */

/* An entry of the parse stack, like the Regexp values on Go's. */
enum item_kind { ITEM_EXPR, ITEM_PAREN, ITEM_BAR };

struct item {
	enum item_kind kind;
	struct strbuf text;	/* EXPR: the PCRE2 pattern */
	bool atom;		/* EXPR: a single PCRE2 item a quantifier may follow */
	int height;		/* EXPR: height of Go's parse tree */
	int64_t copies;		/* EXPR: most copies of anything its counted repeats make */
	int literal;		/* EXPR: a run of literals (1, or 2 under (?i)), which Go keeps as one node */
	unsigned flags;		/* PAREN: flags to restore at ')' */
	bool capture;		/* PAREN */
};

struct parser {
	const char *whole;
	const char *end;
	unsigned flags;
	struct item *stack;
	size_t n, cap;
	struct error *e;
};

static int go_error(struct parser *p, const char *code, const char *expr, size_t len)
{
	return error_set(p->e, "error parsing regexp: %s: `%.*s`", code, (int)len, expr);
}

static int go_error_to_end(struct parser *p, const char *code, const char *expr)
{
	return go_error(p, code, expr, (size_t)(p->end - expr));
}

int32_t go_decode_rune(const char *s, const char *end, size_t *size)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t avail = (size_t)(end - s);
	*size = avail ? 1 : 0;
	if (!avail)
		return RUNE_ERROR;
	unsigned char b0 = u[0];
	if (b0 < 0x80)
		return b0;
	size_t need;
	unsigned char lo = 0x80, hi = 0xBF;
	int32_t r;
	if (b0 >= 0xC2 && b0 <= 0xDF) {
		need = 2, r = b0 & 0x1F;
	} else if (b0 >= 0xE0 && b0 <= 0xEF) {
		need = 3, r = b0 & 0x0F;
		lo = b0 == 0xE0 ? 0xA0 : 0x80;
		hi = b0 == 0xED ? 0x9F : 0xBF;
	} else if (b0 >= 0xF0 && b0 <= 0xF4) {
		need = 4, r = b0 & 0x07;
		lo = b0 == 0xF0 ? 0x90 : 0x80;
		hi = b0 == 0xF4 ? 0x8F : 0xBF;
	} else {
		return RUNE_ERROR;
	}
	if (avail < need || u[1] < lo || u[1] > hi)
		return RUNE_ERROR;
	for (size_t i = 1; i < need; i++) {
		if (i > 1 && (u[i] < 0x80 || u[i] > 0xBF))
			return RUNE_ERROR;
		r = r << 6 | (u[i] & 0x3F);
	}
	*size = need;
	return r;
}

/* Go's nextRune: the rune at *t, advancing past it; an invalid encoding is an error. */
static int next_rune(struct parser *p, const char **t, int32_t *c)
{
	size_t size;
	*c = go_decode_rune(*t, p->end, &size);
	if (*c == RUNE_ERROR && size == 1)
		return go_error_to_end(p, "invalid UTF-8", *t);
	*t += size;
	return 0;
}

/* Go's checkUTF8 over [s, end). */
static int check_utf8(struct parser *p, const char *s, const char *end)
{
	while (s < end) {
		size_t size;
		if (go_decode_rune(s, end, &size) == RUNE_ERROR && size == 1)
			return go_error(p, "invalid UTF-8", s, (size_t)(end - s));
		s += size;
	}
	return 0;
}

static bool is_alnum(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int unhex(int32_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A rune as PCRE2 reads it literally, in or out of a class. */
static void emit_rune(struct strbuf *sb, int32_t c)
{
	if (is_alnum(c))
		strbuf_addch(sb, (char)c);
	else
		strbuf_addf(sb, "\\x{%x}", (unsigned)c);
}

/*
 * A literal under (?i): ASCII letters spelled as Go's case-folding orbit
 * (which adds the Kelvin sign to k and the long s to s), other runes
 * left to PCRE2's Unicode case folding.
 */
static void emit_folded(struct strbuf *sb, int32_t c)
{
	if (c < 0x80 && !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
		emit_rune(sb, c);
		return;
	}
	if (c >= 0x80) {
		strbuf_addstr(sb, "(?i:");
		emit_rune(sb, c);
		strbuf_addch(sb, ')');
		return;
	}
	int32_t lower = c | 0x20;
	strbuf_addf(sb, "[%c%c", (char)(lower - 0x20), (char)lower);
	if (lower == 'k')
		strbuf_addstr(sb, "\\x{212a}");
	if (lower == 's')
		strbuf_addstr(sb, "\\x{17f}");
	strbuf_addch(sb, ']');
}

static struct item *push(struct parser *p, enum item_kind kind)
{
	xgrow((void **)&p->stack, &p->cap, p->n + 1, sizeof(*p->stack));
	struct item *it = &p->stack[p->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	strbuf_init(&it->text);
	it->height = 1;
	it->copies = 1;
	return it;
}

static void pop(struct parser *p)
{
	strbuf_release(&p->stack[--p->n].text);
}

static struct item *push_expr(struct parser *p, const char *text, bool atom)
{
	struct item *it = push(p, ITEM_EXPR);
	strbuf_addstr(&it->text, text);
	it->atom = atom;
	return it;
}

static void push_literal(struct parser *p, int32_t c)
{
	struct item *it = push(p, ITEM_EXPR);
	if (p->flags & FOLD_CASE)
		emit_folded(&it->text, c);
	else
		emit_rune(&it->text, c);
	it->atom = true;
	it->literal = p->flags & FOLD_CASE ? 2 : 1;
}

static int check_height(struct parser *p, int height)
{
	if (height > MAX_HEIGHT)
		return go_error_to_end(p, "expression nests too deeply", p->whole);
	return 0;
}

/* Index of the first item above the topmost '(' (with bars: above the topmost pseudo item). */
static size_t above_pseudo(const struct parser *p, bool stop_at_bar)
{
	size_t i = p->n;
	while (i > 0 && p->stack[i - 1].kind != ITEM_PAREN &&
	       !(stop_at_bar && p->stack[i - 1].kind == ITEM_BAR))
		i--;
	return i;
}

/* Go's concat: the items above the topmost '|' or '(' become one. */
static int concat(struct parser *p)
{
	size_t first = above_pseudo(p, true), k = p->n - first;
	if (k == 0) {
		push_expr(p, "", false);
		return 0;
	}
	if (k == 1)
		return 0;
	struct item *dst = &p->stack[first];
	int height = dst->height, nodes = 1;
	int64_t copies = dst->copies;
	for (size_t i = first + 1; i < p->n; i++) {
		const struct item *it = &p->stack[i];
		strbuf_add(&dst->text, it->text.buf, it->text.len);
		height = it->height > height ? it->height : height;
		copies = it->copies > copies ? it->copies : copies;
		/* Go merges neighbouring literals of the same case folding into one node */
		if (!it->literal || it->literal != p->stack[i - 1].literal)
			nodes++;
	}
	int literal = nodes == 1 ? dst->literal : 0;
	while (p->n > first + 1)
		pop(p);
	dst->atom = false;
	dst->literal = literal;
	dst->height = nodes == 1 ? height : height + 1;
	dst->copies = copies;
	return check_height(p, dst->height);
}

/* Go's alternate: the branches above the topmost '(' become one alternation. */
static int alternate(struct parser *p)
{
	size_t first = above_pseudo(p, false);
	if (p->n - first <= 1)
		return 0;
	struct strbuf alt = STRBUF_INIT;
	int height = 0;
	int64_t copies = 1;
	strbuf_addstr(&alt, "(?:");
	for (size_t i = first; i < p->n; i++) {
		const struct item *it = &p->stack[i];
		if (it->kind == ITEM_BAR) {
			strbuf_addch(&alt, '|');
			continue;
		}
		strbuf_add(&alt, it->text.buf, it->text.len);
		height = it->height > height ? it->height : height;
		copies = it->copies > copies ? it->copies : copies;
	}
	strbuf_addch(&alt, ')');
	while (p->n > first)
		pop(p);
	struct item *it = push(p, ITEM_EXPR);
	strbuf_release(&it->text);
	it->text = alt;
	it->atom = true;
	it->height = height + 1;
	it->copies = copies;
	return check_height(p, it->height);
}

static int parse_vertical_bar(struct parser *p)
{
	if (concat(p) < 0)
		return -1;
	push(p, ITEM_BAR);
	return 0;
}

static int parse_right_paren(struct parser *p)
{
	if (concat(p) < 0 || alternate(p) < 0)
		return -1;
	if (p->n < 2 || p->stack[p->n - 2].kind != ITEM_PAREN)
		return go_error_to_end(p, "unexpected )", p->whole);
	struct item inner = p->stack[p->n - 1];
	p->n--;
	struct item *paren = &p->stack[p->n - 1];
	p->flags = paren->flags;
	bool capture = paren->capture;
	strbuf_release(&paren->text);
	*paren = inner;
	/* Only Go's capturing groups capture: callers read groups by number. */
	if (capture || !paren->atom) {
		struct strbuf grouped = STRBUF_INIT;
		strbuf_addf(&grouped, capture ? "(%s)" : "(?:%s)", inner.text.buf);
		strbuf_release(&paren->text);
		paren->text = grouped;
		paren->atom = true;
	}
	if (capture) {
		paren->height++;
		paren->literal = 0;
	}
	return check_height(p, paren->height);
}

/* Go's parseInt: a decimal without leading zeros; -1 if it reaches 1e8. */
static bool parse_int(const char **s, const char *end, int *n)
{
	const char *t = *s;
	if (t == end || *t < '0' || *t > '9')
		return false;
	if (end - t >= 2 && t[0] == '0' && t[1] >= '0' && t[1] <= '9')
		return false;
	*n = 0;
	for (; t < end && *t >= '0' && *t <= '9'; t++) {
		if (*n >= 100000000)
			*n = -1;
		if (*n >= 0)
			*n = *n * 10 + (*t - '0');
	}
	*s = t;
	return true;
}

/* Go's parseRepeat: {min}, {min,} (max -1) or {min,max}; false if s is not of that form. */
static bool parse_repeat(const char *s, const char *end, int *min, int *max, const char **rest)
{
	if (s == end || *s != '{')
		return false;
	s++;
	if (!parse_int(&s, end, min) || s == end)
		return false;
	if (*s != ',') {
		*max = *min;
	} else {
		s++;
		if (s == end)
			return false;
		if (*s == '}') {
			*max = -1;
		} else {
			if (!parse_int(&s, end, max))
				return false;
			if (*max < 0)
				*min = -1;
		}
	}
	if (s == end || *s != '}')
		return false;
	*rest = s + 1;
	return true;
}

/*
 * Go's repeat: applies a repetition operator spelled by [before, *after)
 * to the top of the stack.  last_repeat is where the previous operator
 * began if the previous token was one.
 */
static int apply_repeat(struct parser *p, const char *quantifier, int min, int max, bool counted,
		  const char *before, const char **after, const char *last_repeat)
{
	unsigned flags = p->flags;
	const char *a = *after;
	if (a < p->end && *a == '?') {
		a++;
		flags ^= NON_GREEDY;
	}
	if (last_repeat)
		return go_error(p, "invalid nested repetition operator", last_repeat, (size_t)(a - last_repeat));
	if (p->n == 0 || p->stack[p->n - 1].kind != ITEM_EXPR)
		return go_error(p, "missing argument to repetition operator", before, (size_t)(a - before));
	struct item *it = &p->stack[p->n - 1];
	if (!it->atom) {
		struct strbuf grouped = STRBUF_INIT;
		strbuf_addf(&grouped, "(?:%s)", it->text.buf);
		strbuf_release(&it->text);
		it->text = grouped;
	}
	strbuf_addstr(&it->text, quantifier);
	if (flags & NON_GREEDY)
		strbuf_addch(&it->text, '?');
	it->atom = false;
	it->literal = 0;
	it->height++;
	if (check_height(p, it->height) < 0)
		return -1;
	if (counted) {
		int64_t m = max < 0 ? min : max;
		it->copies = m == 0 ? 1 : m * it->copies;
		if ((min >= 2 || max >= 2) && it->copies > MAX_REPEAT)
			return go_error(p, "invalid repeat count", before, (size_t)(a - before));
	}
	*after = a;
	return 0;
}

/* Go's parseEscape: the rune a backslash escape stands for. */
static int parse_escape(struct parser *p, const char **s, int32_t *r)
{
	const char *start = *s, *t = *s + 1;
	int32_t c;
	if (t == p->end)
		return go_error(p, "trailing backslash at end of expression", "", 0);
	if (next_rune(p, &t, &c) < 0)
		return -1;
	if (c < 0x80 && !is_alnum(c)) {
		*r = c;	/* escaped punctuation stands for itself */
		*s = t;
		return 0;
	}
	switch (c) {
	case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		if (t == p->end || *t < '0' || *t > '7')
			break;	/* a backreference: not supported */
		/* fallthrough */
	case '0':
		*r = c - '0';
		for (int i = 1; i < 3 && t < p->end && *t >= '0' && *t <= '7'; i++)
			*r = *r * 8 + (*t++ - '0');
		*s = t;
		return 0;
	case 'x': {
		if (t == p->end)
			break;
		if (next_rune(p, &t, &c) < 0)
			return -1;
		if (c == '{') {
			int nhex = 0;
			int32_t v = 0;
			for (;;) {
				if (t == p->end)
					goto invalid;
				if (next_rune(p, &t, &c) < 0)
					return -1;
				if (c == '}')
					break;
				if (unhex(c) < 0)
					goto invalid;
				v = v * 16 + unhex(c);
				if (v > MAX_RUNE)
					goto invalid;
				nhex++;
			}
			if (nhex == 0)
				break;
			*r = v;
			*s = t;
			return 0;
		}
		int x = unhex(c);
		if (next_rune(p, &t, &c) < 0)
			return -1;
		int y = unhex(c);
		if (x < 0 || y < 0)
			break;
		*r = x * 16 + y;
		*s = t;
		return 0;
	}
	case 'a': *r = '\a'; *s = t; return 0;
	case 'f': *r = '\f'; *s = t; return 0;
	case 'n': *r = '\n'; *s = t; return 0;
	case 'r': *r = '\r'; *s = t; return 0;
	case 't': *r = '\t'; *s = t; return 0;
	case 'v': *r = '\v'; *s = t; return 0;
	}
invalid:
	return go_error(p, "invalid escape sequence", start, (size_t)(t - start));
}

/* The Unicode classes Go 1.19 knows: its categories and scripts (Unicode 13), and Any. */
static const char *const unicode_classes[] = {
	"Any",
	"C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
	"N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk",
	"Sm", "So", "Z", "Zl", "Zp", "Zs",
	"Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian", "Avestan", "Balinese",
	"Bamum", "Bassa_Vah", "Batak", "Bengali", "Bhaiksuki", "Bopomofo", "Brahmi", "Braille",
	"Buginese", "Buhid", "Canadian_Aboriginal", "Carian", "Caucasian_Albanian", "Chakma",
	"Cham", "Cherokee", "Chorasmian", "Common", "Coptic", "Cuneiform", "Cypriot", "Cyrillic",
	"Deseret", "Devanagari", "Dives_Akuru", "Dogra", "Duployan", "Egyptian_Hieroglyphs",
	"Elbasan", "Elymaic", "Ethiopic", "Georgian", "Glagolitic", "Gothic", "Grantha", "Greek",
	"Gujarati", "Gunjala_Gondi", "Gurmukhi", "Han", "Hangul", "Hanifi_Rohingya", "Hanunoo",
	"Hatran", "Hebrew", "Hiragana", "Imperial_Aramaic", "Inherited", "Inscriptional_Pahlavi",
	"Inscriptional_Parthian", "Javanese", "Kaithi", "Kannada", "Katakana", "Kayah_Li",
	"Kharoshthi", "Khitan_Small_Script", "Khmer", "Khojki", "Khudawadi", "Lao", "Latin",
	"Lepcha", "Limbu", "Linear_A", "Linear_B", "Lisu", "Lycian", "Lydian", "Mahajani",
	"Makasar", "Malayalam", "Mandaic", "Manichaean", "Marchen", "Masaram_Gondi",
	"Medefaidrin", "Meetei_Mayek", "Mende_Kikakui", "Meroitic_Cursive",
	"Meroitic_Hieroglyphs", "Miao", "Modi", "Mongolian", "Mro", "Multani", "Myanmar",
	"Nabataean", "Nandinagari", "New_Tai_Lue", "Newa", "Nko", "Nushu",
	"Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki", "Old_Hungarian", "Old_Italic",
	"Old_North_Arabian", "Old_Permic", "Old_Persian", "Old_Sogdian", "Old_South_Arabian",
	"Old_Turkic", "Oriya", "Osage", "Osmanya", "Pahawh_Hmong", "Palmyrene", "Pau_Cin_Hau",
	"Phags_Pa", "Phoenician", "Psalter_Pahlavi", "Rejang", "Runic", "Samaritan",
	"Saurashtra", "Sharada", "Shavian", "Siddham", "SignWriting", "Sinhala", "Sogdian",
	"Sora_Sompeng", "Soyombo", "Sundanese", "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa",
	"Tai_Le", "Tai_Tham", "Tai_Viet", "Takri", "Tamil", "Tangut", "Telugu", "Thaana", "Thai",
	"Tibetan", "Tifinagh", "Tirhuta", "Ugaritic", "Vai", "Wancho", "Warang_Citi", "Yezidi",
	"Yi", "Zanabazar_Square",
};

static bool known_unicode_class(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(unicode_classes) / sizeof(unicode_classes[0]); i++)
		if (strlen(unicode_classes[i]) == len && !memcmp(unicode_classes[i], name, len))
			return true;
	return false;
}

/*
 * A character class under construction.  PCRE2 class items go in items;
 * a part no class can hold (the complement of a Unicode class widened by
 * case folding) becomes a whole one-character matcher in alts, each
 * preceded by '|'.
 */
struct class_buf {
	struct strbuf items;
	struct strbuf alts;
};

static void class_init(struct class_buf *cb)
{
	strbuf_init(&cb->items);
	strbuf_init(&cb->alts);
}

static void class_release(struct class_buf *cb)
{
	strbuf_release(&cb->items);
	strbuf_release(&cb->alts);
}

/* The class as one PCRE2 atom matching one character (any other, if negated). */
static void class_emit(const struct class_buf *cb, bool negated, bool fold, struct strbuf *out)
{
	if (fold)
		strbuf_addstr(out, "(?i:");
	if (!cb->alts.len) {
		strbuf_addf(out, "[%s%s]", negated ? "^" : "", cb->items.buf);
	} else {
		strbuf_addstr(out, negated ? "(?!" : "(?:");
		if (cb->items.len)
			strbuf_addf(out, "[%s]%s", cb->items.buf, cb->alts.buf);
		else
			strbuf_addstr(out, cb->alts.buf + 1);
		strbuf_addstr(out, negated ? ")(?s:.)" : ")");
	}
	if (fold)
		strbuf_addch(out, ')');
}

static void emit_range(struct strbuf *sb, int32_t lo, int32_t hi)
{
	emit_rune(sb, lo);
	if (hi != lo) {
		strbuf_addch(sb, '-');
		emit_rune(sb, hi);
	}
}

/* Go's Perl classes (perlGroup) and POSIX classes (posixGroup) as rune range pairs. */
struct ascii_class {
	const char *name;
	unsigned char pairs[8];
	size_t npairs;
};

static const struct ascii_class perl_classes[] = {
	{ "d", { '0', '9' }, 1 },
	{ "s", { '\t', '\n', '\f', '\r', ' ', ' ' }, 3 },
	{ "w", { '0', '9', 'A', 'Z', '_', '_', 'a', 'z' }, 4 },
};

static const struct ascii_class posix_classes[] = {
	{ "alnum", { '0', '9', 'A', 'Z', 'a', 'z' }, 3 },
	{ "alpha", { 'A', 'Z', 'a', 'z' }, 2 },
	{ "ascii", { 0x00, 0x7F }, 1 },
	{ "blank", { '\t', '\t', ' ', ' ' }, 2 },
	{ "cntrl", { 0x00, 0x1F, 0x7F, 0x7F }, 2 },
	{ "digit", { '0', '9' }, 1 },
	{ "graph", { '!', '~' }, 1 },
	{ "lower", { 'a', 'z' }, 1 },
	{ "print", { ' ', '~' }, 1 },
	{ "punct", { '!', '/', ':', '@', '[', '`', '{', '~' }, 4 },
	{ "space", { '\t', '\r', ' ', ' ' }, 2 },
	{ "upper", { 'A', 'Z' }, 1 },
	{ "word", { '0', '9', 'A', 'Z', '_', '_', 'a', 'z' }, 4 },
	{ "xdigit", { '0', '9', 'A', 'F', 'a', 'f' }, 3 },
};

/*
 * An ASCII class as explicit ranges, folded and negated as Go's
 * appendGroup does it: under (?i) a class holding k or s also holds the
 * Kelvin sign and the long s, and the negation comes after the folding.
 */
static void emit_ascii_class(struct class_buf *cb, const struct ascii_class *c, int sign, bool fold)
{
	bool in[128] = { false };
	for (size_t i = 0; i < c->npairs; i++)
		for (int r = c->pairs[2 * i]; r <= c->pairs[2 * i + 1]; r++)
			in[r] = true;
	if (fold)
		for (int r = 'A'; r <= 'Z'; r++)
			in[r] = in[r + 32] = in[r] || in[r + 32];
	int32_t ranges[2 * 130];
	size_t n = 0;
	for (int r = 0; r < 128; r++) {
		if (!in[r])
			continue;
		if (n && ranges[n - 1] == r - 1) {
			ranges[n - 1] = r;
		} else {
			ranges[n++] = r;
			ranges[n++] = r;
		}
	}
	int32_t extra[] = { 0x17F, 0x212A };
	bool add[] = { fold && in['s'], fold && in['k'] };
	for (size_t i = 0; i < 2; i++) {
		if (add[i]) {
			ranges[n++] = extra[i];
			ranges[n++] = extra[i];
		}
	}
	if (sign > 0) {
		for (size_t i = 0; i < n; i += 2)
			emit_range(&cb->items, ranges[i], ranges[i + 1]);
		return;
	}
	int32_t next = 0;
	for (size_t i = 0; i < n; i += 2) {
		if (next <= ranges[i] - 1)
			emit_range(&cb->items, next, ranges[i] - 1);
		next = ranges[i + 1] + 1;
	}
	if (next <= MAX_RUNE)
		emit_range(&cb->items, next, MAX_RUNE);
}

static const struct fold_table *find_fold_table(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(fold_tables) / sizeof(fold_tables[0]); i++)
		if (strlen(fold_tables[i].name) == len && !memcmp(fold_tables[i].name, name, len))
			return &fold_tables[i];
	return NULL;
}

/* A Unicode class; under (?i) widened by Go's fold table for it, if it has one. */
static void emit_unicode_class(struct class_buf *cb, const char *name, size_t len, int sign, bool fold)
{
	const struct fold_table *ft = fold ? find_fold_table(name, len) : NULL;
	if (!ft) {
		strbuf_addf(&cb->items, "\\%c{%.*s}", sign > 0 ? 'p' : 'P', (int)len, name);
		return;
	}
	struct strbuf *out = &cb->items;
	if (sign < 0) {
		out = &cb->alts;
		strbuf_addstr(out, "|[^");
	}
	strbuf_addf(out, "\\p{%.*s}", (int)len, name);
	for (size_t i = 0; i < ft->count; i++) {
		const struct rune_range *r = &ft->ranges[i];
		if (r->stride == 1) {
			emit_range(out, r->lo, r->hi);
			continue;
		}
		for (int32_t c = r->lo; c <= r->hi; c += r->stride)
			emit_rune(out, c);
	}
	if (sign < 0)
		strbuf_addch(out, ']');
}

/*
 * Go's parseUnicodeClass for \pN, \p{Name}, \PN, \P{^Name} at *t.
 * Returns 1 if one was parsed, 0 if *t does not start one, -1 on error.
 */
static int parse_unicode_class(struct parser *p, const char **t, struct class_buf *cb)
{
	const char *s = *t;
	if (p->end - s < 2 || s[0] != '\\' || (s[1] != 'p' && s[1] != 'P'))
		return 0;
	int sign = s[1] == 'P' ? -1 : 1;
	const char *u = s + 2, *name, *name_end, *seq_end;
	int32_t c;
	if (next_rune(p, &u, &c) < 0)
		return -1;
	if (c != '{') {
		name = s + 2;
		name_end = seq_end = u;
	} else {
		const char *brace = memchr(s, '}', (size_t)(p->end - s));
		if (!brace) {
			if (check_utf8(p, s, p->end) < 0)
				return -1;
			return go_error_to_end(p, "invalid character class range", s);
		}
		name = s + 3;
		name_end = brace;
		seq_end = u = brace + 1;
		if (check_utf8(p, name, name_end) < 0)
			return -1;
	}
	if (name < name_end && *name == '^') {
		sign = -sign;
		name++;
	}
	size_t len = (size_t)(name_end - name);
	if (!known_unicode_class(name, len))
		return go_error(p, "invalid character class range", s, (size_t)(seq_end - s));
	emit_unicode_class(cb, name, len, sign, p->flags & FOLD_CASE);
	*t = u;
	return 1;
}

/* Go's \d \D \s \S \w \W at *t; false if *t does not start one. */
static bool parse_perl_class(struct parser *p, const char **t, struct class_buf *cb)
{
	const char *s = *t;
	if (p->end - s < 2 || s[0] != '\\')
		return false;
	for (size_t i = 0; i < sizeof(perl_classes) / sizeof(perl_classes[0]); i++) {
		const struct ascii_class *c = &perl_classes[i];
		if (s[1] == c->name[0] || s[1] == c->name[0] - 32) {
			emit_ascii_class(cb, c, s[1] == c->name[0] ? 1 : -1, p->flags & FOLD_CASE);
			*t = s + 2;
			return true;
		}
	}
	return false;
}

/* Go's parseNamedClass for [:alpha:] or [:^alpha:]: 1 if parsed, 0 if not one, -1 on error. */
static int parse_named_class(struct parser *p, const char **t, struct class_buf *cb)
{
	const char *s = *t;
	if (p->end - s < 2 || s[0] != '[' || s[1] != ':')
		return 0;
	const char *close = strstr(s + 2, ":]");
	if (!close)
		return 0;
	const char *name = s + 2;
	size_t len = (size_t)(close - name);
	int sign = 1;
	if (len && *name == '^')
		name++, len--, sign = -1;
	for (size_t i = 0; i < sizeof(posix_classes) / sizeof(posix_classes[0]); i++) {
		const struct ascii_class *c = &posix_classes[i];
		if (strlen(c->name) == len && !memcmp(c->name, name, len)) {
			emit_ascii_class(cb, c, sign, p->flags & FOLD_CASE);
			*t = close + 2;
			return 1;
		}
	}
	return go_error(p, "invalid character class range", s, (size_t)(close + 2 - s));
}

static int parse_class_char(struct parser *p, const char **t, const char *whole_class, int32_t *r)
{
	if (*t == p->end)
		return go_error_to_end(p, "missing closing ]", whole_class);
	if (**t == '\\')
		return parse_escape(p, t, r);
	return next_rune(p, t, r);
}

/* One item of a class: a named, Unicode or Perl class, a rune or a range. */
static int parse_class_item(struct parser *p, const char **t, const char *whole_class, struct class_buf *cb)
{
	int rc;
	if (p->end - *t > 2 && (rc = parse_named_class(p, t, cb)) != 0)
		return rc < 0 ? -1 : 0;
	if ((rc = parse_unicode_class(p, t, cb)) != 0)
		return rc < 0 ? -1 : 0;
	if (parse_perl_class(p, t, cb))
		return 0;
	const char *range = *t;
	int32_t lo, hi;
	if (parse_class_char(p, t, whole_class, &lo) < 0)
		return -1;
	hi = lo;
	if (p->end - *t >= 2 && (*t)[0] == '-' && (*t)[1] != ']') {
		(*t)++;
		if (parse_class_char(p, t, whole_class, &hi) < 0)
			return -1;
		if (hi < lo)
			return go_error(p, "invalid character class range", range, (size_t)(*t - range));
	}
	emit_range(&cb->items, lo, hi);
	return 0;
}

/* Go's parseClass: [...] at *t. */
static int parse_class(struct parser *p, const char **t)
{
	const char *whole_class = *t;
	const char *s = *t + 1;
	bool negated = false;
	if (s < p->end && *s == '^') {
		negated = true;
		s++;
	}
	struct class_buf cb;
	class_init(&cb);
	for (bool first = true; s == p->end || *s != ']' || first; first = false) {
		if (parse_class_item(p, &s, whole_class, &cb) < 0) {
			class_release(&cb);
			return -1;
		}
	}
	struct item *it = push(p, ITEM_EXPR);
	class_emit(&cb, negated, p->flags & FOLD_CASE, &it->text);
	it->atom = true;
	class_release(&cb);
	*t = s + 1;
	return 0;
}

static bool is_capture_name(const char *name, const char *end)
{
	if (name == end)
		return false;
	for (; name < end; name++)
		if (*name != '_' && !is_alnum((unsigned char)*name))
			return false;
	return true;
}

/* Go's parsePerlFlags: (?P<name>, (?flags), (?flags: at *t. */
static int parse_perl_flags(struct parser *p, const char **t)
{
	const char *s = *t;
	if (p->end - s > 4 && s[2] == 'P' && s[3] == '<') {
		const char *close = memchr(s, '>', (size_t)(p->end - s));
		if (!close) {
			if (check_utf8(p, s, p->end) < 0)
				return -1;
			return go_error_to_end(p, "invalid named capture", s);
		}
		if (check_utf8(p, s + 4, close) < 0)
			return -1;
		if (!is_capture_name(s + 4, close))
			return go_error(p, "invalid named capture", s, (size_t)(close + 1 - s));
		struct item *paren = push(p, ITEM_PAREN);
		paren->flags = p->flags;
		paren->capture = true;
		*t = close + 1;
		return 0;
	}
	const char *u = s + 2;
	unsigned flags = p->flags;
	int sign = 1;
	bool saw_flag = false;
	while (u < p->end) {
		int32_t c;
		if (next_rune(p, &u, &c) < 0)
			return -1;
		unsigned bit = c == 'i' ? FOLD_CASE : c == 'm' ? MULTI_LINE : c == 's' ? DOT_NL :
			       c == 'U' ? NON_GREEDY : 0;
		if (bit) {
			flags |= bit;
			saw_flag = true;
		} else if (c == '-') {
			if (sign < 0)
				break;
			sign = -1;
			flags = ~flags;	/* so that setting a bit clears it */
			saw_flag = false;
		} else if (c == ':' || c == ')') {
			if (sign < 0) {
				if (!saw_flag)
					break;
				flags = ~flags;
			}
			if (c == ':') {
				struct item *paren = push(p, ITEM_PAREN);
				paren->flags = p->flags;
			}
			p->flags = flags & ALL_FLAGS;
			*t = u;
			return 0;
		} else {
			break;
		}
	}
	return go_error(p, "invalid or unsupported Perl syntax", s, (size_t)(u - s));
}

/* Backslash sequences outside classes. */
static int parse_backslash(struct parser *p, const char **t)
{
	const char *s = *t;
	if (p->end - s >= 2) {
		switch (s[1]) {
		case 'A': push_expr(p, "\\A", false); *t = s + 2; return 0;
		case 'b': push_expr(p, "\\b", false); *t = s + 2; return 0;
		case 'B': push_expr(p, "\\B", false); *t = s + 2; return 0;
		case 'z': push_expr(p, "\\z", false); *t = s + 2; return 0;
		case 'C': return go_error(p, "invalid escape sequence", s, 2);
		case 'Q': {
			const char *lit = s + 2;
			const char *stop = strstr(lit, "\\E");
			const char *lit_end = stop ? stop : p->end;
			while (lit < lit_end) {
				int32_t c;
				size_t size;
				c = go_decode_rune(lit, lit_end, &size);
				if (c == RUNE_ERROR && size == 1)
					return go_error(p, "invalid UTF-8", lit, (size_t)(lit_end - lit));
				push_literal(p, c);
				lit += size;
			}
			*t = stop ? stop + 2 : p->end;
			return 0;
		}
		}
	}
	struct class_buf cb;
	class_init(&cb);
	int rc = parse_unicode_class(p, t, &cb);
	if (rc == 0 && parse_perl_class(p, t, &cb))
		rc = 1;
	if (rc > 0) {
		struct item *it = push(p, ITEM_EXPR);
		class_emit(&cb, false, false, &it->text);
		it->atom = true;
	}
	class_release(&cb);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	int32_t c;
	if (parse_escape(p, t, &c) < 0)
		return -1;
	push_literal(p, c);
	return 0;
}

static const char *quantifier_text(char op, int min, int max, char *buf, size_t size)
{
	if (op != '{')
		snprintf(buf, size, "%c", op);
	else if (max < 0)
		snprintf(buf, size, "{%d,}", min);
	else if (max == min)
		snprintf(buf, size, "{%d}", min);
	else
		snprintf(buf, size, "{%d,%d}", min, max);
	return buf;
}

/*
 * One token at *t: the body of Go's parse loop.  *repeat is set to the
 * start of the token if it is a repetition operator.
 */
static int parse_token(struct parser *p, const char **t, const char **repeat_start, const char *last_repeat)
{
	const char *s = *t;
	char q[32];
	int min = 0, max = 0;
	switch (*s) {
	case '(': {
		if (p->end - s >= 2 && s[1] == '?')
			return parse_perl_flags(p, t);
		struct item *paren = push(p, ITEM_PAREN);
		paren->flags = p->flags;
		paren->capture = true;
		*t = s + 1;
		return 0;
	}
	case '|':
		*t = s + 1;
		return parse_vertical_bar(p);
	case ')':
		*t = s + 1;
		return parse_right_paren(p);
	case '^':
		push_expr(p, p->flags & MULTI_LINE ? "(?m:^)" : "\\A", false);
		*t = s + 1;
		return 0;
	case '$':
		push_expr(p, p->flags & MULTI_LINE ? "(?m:$)" : "\\z", false);
		*t = s + 1;
		return 0;
	case '.':
		push_expr(p, p->flags & DOT_NL ? "(?s:.)" : "[^\\n]", true);
		*t = s + 1;
		return 0;
	case '[':
		return parse_class(p, t);
	case '*':
	case '+':
	case '?':
		*t = s + 1;
		*repeat_start = s;
		return apply_repeat(p, quantifier_text(*s, 0, 0, q, sizeof(q)), 0, 0, false, s, t, last_repeat);
	case '{': {
		const char *after;
		if (!parse_repeat(s, p->end, &min, &max, &after)) {
			push_literal(p, '{');	/* not a repetition: a literal { */
			*t = s + 1;
			return 0;
		}
		if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max))
			return go_error(p, "invalid repeat count", s, (size_t)(after - s));
		*t = after;
		*repeat_start = s;
		return apply_repeat(p, quantifier_text('{', min, max, q, sizeof(q)), min, max, true, s, t, last_repeat);
	}
	case '\\':
		return parse_backslash(p, t);
	default: {
		int32_t c;
		if (next_rune(p, t, &c) < 0)
			return -1;
		push_literal(p, c);
		return 0;
	}
	}
}

static void parser_free(struct parser *p)
{
	while (p->n > 0)
		pop(p);
	free(p->stack);
}

int re2_translate(const char *pattern, struct strbuf *pcre, struct error *e)
{
	struct parser p = { pattern, pattern + strlen(pattern), 0, NULL, 0, 0, e };
	const char *t = pattern, *last_repeat = NULL;
	int rc = 0;
	while (rc == 0 && t < p.end) {
		const char *repeat = NULL;
		rc = parse_token(&p, &t, &repeat, last_repeat);
		last_repeat = repeat;
	}
	if (rc == 0)
		rc = concat(&p);
	if (rc == 0)
		rc = alternate(&p);
	if (rc == 0 && p.n != 1)
		rc = go_error_to_end(&p, "missing closing )", pattern);
	if (rc == 0)
		strbuf_add(pcre, p.stack[0].text.buf, p.stack[0].text.len);
	parser_free(&p);
	return rc;
}
