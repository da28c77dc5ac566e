#include "graph/shorten.h"

#include <stdlib.h>
#include <string.h>

static struct regex *compile(const char *pattern)
{
	struct error e = ERROR_INIT;
	struct regex *re = regex_compile(pattern, &e);
	if (!re) {
		/* the patterns are constants: failing to compile them is a bug */
		error_print(&e);
		abort();
	}
	error_clear(&e);
	return re;
}

void shortener_init(struct shortener *s)
{
	s->go = compile("^(?:[\\w\\-\\.]+\\/)+(.+)");
	s->java = compile("^(?:[a-z]\\w*\\.)*([A-Z][\\w\\$]*\\.(?:<init>|[a-z][\\w\\$]*(?:\\$\\d+)?))(?:(?:\\()|$)");
	s->cpp = compile("^(?:[_a-zA-Z]\\w*::)+(_*[A-Z]\\w*::~?[_a-zA-Z]\\w*(?:<.*>)?)");
}

void shortener_free(struct shortener *s)
{
	regex_free(s->go);
	regex_free(s->java);
	regex_free(s->cpp);
	memset(s, 0, sizeof(*s));
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The length of a module version "/vN" at name[i] followed by '.' or '/'
 * (N = 2..9 or a number of two or more digits not starting with 0), or 0:
 * pprof's goVerRegExp ^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$.
 */
static size_t version_at(const char *name, size_t i)
{
	if (name[i] != '/' || name[i + 1] != 'v')
		return 0;
	size_t d = i + 2, n = 0;
	while (is_digit(name[d + n]))
		n++;
	if (n == 0 || name[d] == '0' || (n == 1 && name[d] == '1'))
		return 0;
	if (name[d + n] != '.' && name[d + n] != '/')
		return 0;
	return 2 + n;
}

/* Removes "(anonymous namespace)::" in front and the first module version. */
static char *strip_prefixes(const char *name)
{
	static const char anonymous[] = "(anonymous namespace)::";
	if (!strncmp(name, anonymous, sizeof(anonymous) - 1))
		name += sizeof(anonymous) - 1;
	struct strbuf sb = STRBUF_INIT;
	if (!strchr(name, '\n')) {
		for (size_t i = 0; name[i]; i++) {
			size_t n = version_at(name, i);
			if (n) {
				strbuf_add(&sb, name, i);
				strbuf_addstr(&sb, name + i + n);
				return strbuf_detach(&sb, NULL);
			}
		}
	}
	strbuf_addstr(&sb, name);
	return strbuf_detach(&sb, NULL);
}

void shorten_function_name(const struct shortener *s, const char *name, struct strbuf *out)
{
	char *f = strip_prefixes(name);
	const struct regex *res[] = { s->go, s->java, s->cpp };
	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		size_t start, end;
		if (regex_group(res[i], f, 1, &start, &end)) {
			strbuf_add(out, f + start, end - start);
			free(f);
			return;
		}
	}
	strbuf_addstr(out, f);
	free(f);
}
