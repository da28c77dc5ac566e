#include "util/path.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

char *path_clean(struct arena *a, const char *path)
{
	size_t n = strlen(path);
	if (n == 0)
		return arena_strdup(a, ".");
	bool rooted = path[0] == '/';
	char *out = arena_alloc(a, n + 2);
	size_t w = 0, r = 0, dotdot = 0;
	if (rooted) {
		out[w++] = '/';
		r = 1;
		dotdot = 1;
	}
	while (r < n) {
		if (path[r] == '/') {
			r++;
		} else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
			r++;
		} else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			for (; r < n && path[r] != '/'; r++)
				out[w++] = path[r];
		}
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = '\0';
	return out;
}

const char *path_base(const char *path)
{
	static char base[4096];
	size_t n = strlen(path);
	if (n == 0)
		return ".";
	while (n > 0 && path[n - 1] == '/')
		n--;
	if (n == 0)
		return "/";
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	size_t len = n - start;
	if (len >= sizeof(base))
		len = sizeof(base) - 1;
	memcpy(base, path + start, len);
	base[len] = '\0';
	return base;
}

static char *dup_from(const char *s)
{
	size_t n = strlen(s);
	char *p = xmalloc(n + 1);
	memcpy(p, s, n + 1);
	return p;
}

char *trim_path(const char *path, const char *trim, const char *search)
{
	trim = trim ? trim : "";
	search = search ? search : "";
	if (!*trim && *search) {
		char *list = dup_from(search);
		for (char *save = NULL, *dir = strtok_r(list, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
			struct strbuf want = STRBUF_INIT;
			strbuf_addf(&want, "/%s/", path_base(dir));
			const char *found = strstr(path, want.buf);
			if (found) {
				char *r = dup_from(found + want.len);
				strbuf_release(&want);
				free(list);
				return r;
			}
			strbuf_release(&want);
		}
		free(list);
	}
	struct strbuf prefixes = STRBUF_INIT;
	strbuf_addstr(&prefixes, trim);
	strbuf_addf(&prefixes, "%s/proc/self/cwd/./:/proc/self/cwd/", *trim ? ":" : "");
	char *result = NULL;
	for (char *save = NULL, *t = strtok_r(prefixes.buf, ":", &save); t && !result; t = strtok_r(NULL, ":", &save)) {
		struct strbuf prefix = STRBUF_INIT;
		strbuf_addstr(&prefix, t);
		if (prefix.len == 0 || prefix.buf[prefix.len - 1] != '/')
			strbuf_addch(&prefix, '/');
		if (!strncmp(path, prefix.buf, prefix.len))
			result = dup_from(path + prefix.len);
		strbuf_release(&prefix);
	}
	strbuf_release(&prefixes);
	return result ? result : dup_from(path);
}
