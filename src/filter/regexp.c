#include "filter/regexp.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "filter/re2syntax.h"
#include "util/arena.h"

/*
 * Deep enough for any pattern Go accepts (its parse trees are at most
 * 1000 high; the translation adds at most one group per level).
 */
#define PARENS_NEST_LIMIT 4000

struct regex {
	pcre2_code *code;
	pcre2_match_data *match;
};

static pcre2_code *compile_translated(const char *pattern, const char *translated, struct error *e)
{
	int code;
	PCRE2_SIZE offset;
	pcre2_compile_context *ctx = pcre2_compile_context_create(NULL);
	pcre2_set_newline(ctx, PCRE2_NEWLINE_LF);
	pcre2_set_parens_nest_limit(ctx, PARENS_NEST_LIMIT);
	/* The translation is plain ASCII; ^ under (?m) also matches after a final newline, as in Go. */
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)translated, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_NO_UTF_CHECK | PCRE2_ALT_CIRCUMFLEX |
					       PCRE2_NEVER_BACKSLASH_C,
				       &code, &offset, ctx);
	pcre2_compile_context_free(ctx);
	if (!re) {
		/* Only limits Go does not have (such as PCRE2's pattern size) end here. */
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		error_set(e, "error parsing regexp: %s: `%s`", (const char *)msg, pattern);
	}
	return re;
}

struct regex *regex_compile(const char *pattern, struct error *e)
{
	struct strbuf translated = STRBUF_INIT;
	if (re2_translate(pattern, &translated, e) < 0) {
		strbuf_release(&translated);
		return NULL;
	}
	pcre2_code *re = compile_translated(pattern, translated.buf, e);
	strbuf_release(&translated);
	if (!re)
		return NULL;
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);	/* plain matching if JIT is unavailable */
	struct regex *r = xmalloc(sizeof(*r));
	r->code = re;
	r->match = pcre2_match_data_create_from_pattern(re, NULL);
	return r;
}

/*
 * Go reads invalid UTF-8 as one U+FFFD per bad byte; PCRE2 refuses such
 * subjects, so they are matched in that repaired form.
 */
static char *repair_utf8(const char *s, size_t len, size_t *out_len)
{
	char *out = xmalloc(len * 3 + 1);
	const char *end = s + len;
	size_t n = 0;
	while (s < end) {
		size_t size;
		if (go_decode_rune(s, end, &size) == GO_RUNE_ERROR && size == 1) {
			memcpy(out + n, "\xef\xbf\xbd", 3);
			n += 3;
		} else {
			memcpy(out + n, s, size);
			n += size;
		}
		s += size;
	}
	out[n] = '\0';
	*out_len = n;
	return out;
}

bool regex_match(const struct regex *re, const char *s)
{
	size_t len = strlen(s);
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->match, NULL);
	if (rc >= 0)
		return true;
	if (rc > PCRE2_ERROR_UTF8_ERR1 || rc < PCRE2_ERROR_UTF8_ERR21)
		return false;	/* no match (or a resource limit: no match either) */
	size_t fixed_len;
	char *fixed = repair_utf8(s, len, &fixed_len);
	rc = pcre2_match(re->code, (PCRE2_SPTR)fixed, fixed_len, 0, 0, re->match, NULL);
	free(fixed);
	return rc >= 0;
}

bool regex_group(const struct regex *re, const char *s, size_t group, size_t *start, size_t *end)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, strlen(s), 0, 0, re->match, NULL);
	if (rc < 0 || group >= pcre2_get_ovector_count(re->match))
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->match);
	if (ov[2 * group] == PCRE2_UNSET)
		return false;
	*start = ov[2 * group];
	*end = ov[2 * group + 1];
	return true;
}

void regex_free(struct regex *re)
{
	if (!re)
		return;
	pcre2_match_data_free(re->match);
	pcre2_code_free(re->code);
	free(re);
}
