/*
 * gvc.h - DOT text laid out and drawn in-process by Graphviz.
 *
 * pprof pipes its DOT graph through the `dot` program; cpprof calls the
 * same engine through libgvc, so graphs need no program on PATH and come
 * out as `dot -T<format>` would print them with the same Graphviz.
 */
#ifndef CPPROF_RENDER_GVC_H
#define CPPROF_RENDER_GVC_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"
#include "util/strbuf.h"

/* True for the formats render_dot() draws: svg, pdf, png, gif, ps. */
bool render_format_known(const char *format);

/*
 * Lays out the graph in dot (len bytes, no NUL needed) with the dot
 * engine and appends the drawing in format to out.  Graphviz's warnings
 * go to stderr, as dot's would; its errors end up in *e.
 */
int render_dot(const char *dot, size_t len, const char *format, struct strbuf *out, struct error *e);

#endif
