/*
 * error.h - errors are returned, not printed.
 *
 * A function that can fail takes a `struct error *` and returns -1 after
 * error_set() (or 0 on success).  Callers add context with error_prefix()
 * and pass the error up; only the top level (main, the shell loop) prints
 * it, once, with error_print().  The message never ends with a newline.
 */
#ifndef CPPROF_ERROR_H
#define CPPROF_ERROR_H

#include "util/strbuf.h"

struct error {
	struct strbuf msg;
};

#define ERROR_INIT { STRBUF_INIT }

/* Replaces the message; returns -1 so that `return error_set(...)` reads well. */
int error_set(struct error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Puts formatted context in front of the message; returns -1. */
int error_prefix(struct error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Writes the message and a newline to stderr. */
void error_print(const struct error *e);
void error_clear(struct error *e);
/* Go's wording of a system error: strerror's text, first letter in lower case. */
const char *go_strerror(int err, char *buf, size_t size);

#endif
