#include "render/gvc.h"

#include <gvc.h>
#include <stdio.h>
#include <string.h>

static const char *const known_formats[] = { "svg", "pdf", "png", "gif", "ps" };

bool render_format_known(const char *format)
{
	for (size_t i = 0; i < sizeof(known_formats) / sizeof(known_formats[0]); i++)
		if (!strcmp(known_formats[i], format))
			return true;
	return false;
}

/*
 * Graphviz reports through one process-wide callback, so its messages of
 * the render in progress are collected here and sorted out afterwards.
 */
static struct strbuf graphviz_messages = STRBUF_INIT;

static int collect_message(char *msg)
{
	strbuf_addstr(&graphviz_messages, msg);
	return 0;
}

/* The messages without their trailing newline, for an error. */
static const char *messages_text(void)
{
	while (graphviz_messages.len && graphviz_messages.buf[graphviz_messages.len - 1] == '\n')
		graphviz_messages.buf[--graphviz_messages.len] = '\0';
	return graphviz_messages.len ? graphviz_messages.buf : "no reason given";
}

/*
 * One Graphviz context for the whole process, as the dot program has:
 * Graphviz's text layout remembers the last font name by pointer into the
 * context's font table, so a second context would have it read freed
 * memory.
 */
static GVC_t *graphviz_context(void)
{
	static GVC_t *context;
	if (!context)
		context = gvContext();
	return context;
}

static int draw(GVC_t *gvc, const char *dot, const char *format, struct strbuf *out, struct error *e)
{
	Agraph_t *g = agmemread(dot);
	if (!g)
		return error_set(e, "graphviz could not read the graph: %s", messages_text());
	int rc = 0;
	if (gvLayout(gvc, g, "dot") != 0) {
		rc = error_set(e, "graphviz could not lay out the graph: %s", messages_text());
	} else {
		char *data = NULL;
		unsigned int n = 0;
		if (gvRenderData(gvc, g, format, &data, &n) != 0)
			rc = error_set(e, "graphviz could not draw the graph as %s: %s", format, messages_text());
		else
			strbuf_add(out, data, n);
		gvFreeRenderData(data);
		gvFreeLayout(gvc, g);
	}
	agclose(g);
	return rc;
}

int render_dot(const char *dot, size_t len, const char *format, struct strbuf *out, struct error *e)
{
	if (!render_format_known(format))
		return error_set(e, "unknown graph format %s", format);
	/* agmemread wants a C string; the DOT text may come without its NUL. */
	struct strbuf text = STRBUF_INIT;
	strbuf_add(&text, dot, len);
	strbuf_reset(&graphviz_messages);
	agusererrf previous = agseterrf(collect_message);
	agseterr(AGWARN);
	int rc = draw(graphviz_context(), text.buf, format, out, e);
	agseterrf(previous);
	if (rc == 0 && graphviz_messages.len)
		fputs(graphviz_messages.buf, stderr);
	strbuf_release(&graphviz_messages);
	strbuf_release(&text);
	return rc;
}
