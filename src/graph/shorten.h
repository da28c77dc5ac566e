/*
 * shorten.h - pprof's ShortenFunctionName: the short form of a function
 * name a graph layout draws, without package paths (Go), module versions,
 * Java packages or C++ namespaces.
 *
 * A shortener owns the compiled patterns; shortener_free() releases them.
 */
#ifndef CPPROF_SHORTEN_H
#define CPPROF_SHORTEN_H

#include "filter/regexp.h"
#include "util/strbuf.h"

struct shortener {
	struct regex *go;	/* package path before the name */
	struct regex *java;	/* package and arguments around Class.method */
	struct regex *cpp;	/* namespaces before Class::method */
};

void shortener_init(struct shortener *s);
void shortener_free(struct shortener *s);
/* Appends the short form of name. */
void shorten_function_name(const struct shortener *s, const char *name, struct strbuf *out);

#endif
