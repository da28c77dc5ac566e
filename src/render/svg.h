/*
 * svg.h - Graphviz's SVG made browsable, as pprof's massageSVG does it:
 * the drawing fills the window, and a script lets the reader pan it by
 * dragging and zoom it with the wheel.
 */
#ifndef CPPROF_RENDER_SVG_H
#define CPPROF_RENDER_SVG_H

#include <stddef.h>

#include "util/strbuf.h"

/*
 * Appends to out the SVG in svg (len bytes) with pprof's changes: "&;"
 * quoted, the fixed size and viewBox of the root replaced by 100%, the
 * pan/zoom script and a "viewport" group around the graph.
 */
void svg_massage(const char *svg, size_t len, struct strbuf *out);

/* The pan/zoom script (JavaScript, no CDATA end inside). */
extern const char svg_panzoom_script[];

#endif
