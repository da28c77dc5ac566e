#include "filter/regexp.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

struct regex {
	pcre2_code *code;
	pcre2_match_data *match;
};

/* Go's wording for the syntax errors its users meet most. */
static void go_error(struct error *e, const char *pattern, int code, size_t offset)
{
	const char *bracket;
	switch (code) {
	case PCRE2_ERROR_MISSING_CLOSING_PARENTHESIS:
		error_set(e, "error parsing regexp: missing closing ): `%s`", pattern);
		return;
	case PCRE2_ERROR_MISSING_SQUARE_BRACKET:
		bracket = strrchr(pattern, '[');
		error_set(e, "error parsing regexp: missing closing ]: `%s`", bracket ? bracket : pattern);
		return;
	case PCRE2_ERROR_UNMATCHED_CLOSING_PARENTHESIS:
		error_set(e, "error parsing regexp: unexpected ): `%s`", pattern);
		return;
	case PCRE2_ERROR_QUANTIFIER_INVALID:
	case PCRE2_ERROR_QUANTIFIER_OUT_OF_ORDER:
		error_set(e, "error parsing regexp: missing argument to repetition operator: `%.1s`",
			  pattern + (offset ? offset - 1 : 0));
		return;
	case PCRE2_ERROR_END_BACKSLASH:
		error_set(e, "error parsing regexp: trailing backslash at end of expression: ``");
		return;
	default: {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		error_set(e, "error parsing regexp: %s: `%s`", (const char *)msg, pattern);
	}
	}
}

struct regex *regex_compile(const char *pattern, struct error *e)
{
	int code;
	PCRE2_SIZE offset;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_NO_UTF_CHECK | PCRE2_DOLLAR_ENDONLY, &code,
				       &offset, NULL);
	if (!re) {
		go_error(e, pattern, code, offset);
		return NULL;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);	/* plain matching if JIT is unavailable */
	struct regex *r = xmalloc(sizeof(*r));
	r->code = re;
	r->match = pcre2_match_data_create_from_pattern(re, NULL);
	return r;
}

bool regex_match(const struct regex *re, const char *s)
{
	return pcre2_match(re->code, (PCRE2_SPTR)s, strlen(s), 0, 0, re->match, NULL) >= 0;
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
