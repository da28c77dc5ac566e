/*
 * comments.c - the `comments` report: the profile's free-form comments,
 * one a line, as recorded.
 */
#include "report/report.h"

int report_comments(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	for (size_t i = 0; i < r->prof->ncomments; i++)
		strbuf_addf(out, "%s\n", r->prof->comments[i]);
	return 0;
}
