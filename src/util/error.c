#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int error_set(struct error *e, const char *fmt, ...)
{
	va_list ap;
	strbuf_reset(&e->msg);
	va_start(ap, fmt);
	strbuf_vaddf(&e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int error_prefix(struct error *e, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_add(&sb, e->msg.buf, e->msg.len);
	strbuf_release(&e->msg);
	e->msg = sb;
	return -1;
}

void error_print(const struct error *e)
{
	fprintf(stderr, "%s\n", e->msg.buf);
}

void error_clear(struct error *e)
{
	strbuf_release(&e->msg);
}

const char *go_strerror(int err, char *buf, size_t size)
{
	snprintf(buf, size, "%s", strerror(err));
	if (buf[0])
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}
