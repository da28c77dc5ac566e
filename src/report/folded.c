/*
 * folded.c - the `folded` report, beyond pprof: one line per distinct
 * stack, "root;caller;callee value", the input of flamegraph.pl,
 * speedscope and similar tools.  Values are in the sample type's unit
 * (divided by -divide_by, per event with -mean).
 */
#include <stdio.h>
#include <string.h>

#include "report/folding.h"
#include "report/report.h"

/* A value scaled by -divide_by: an integer when it is one, else plain decimals. */
static void add_value(struct strbuf *out, const struct report *r, int64_t v)
{
	if (r->ratio == 1) {
		strbuf_addf(out, "%lld", (long long)v);
		return;
	}
	char buf[64];
	snprintf(buf, sizeof(buf), "%.6f", (double)v * r->ratio);
	size_t n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		n--;
	if (n > 0 && buf[n - 1] == '.')
		n--;
	if (n == 2 && !strncmp(buf, "-0", 2))
		strbuf_addch(out, '0');
	else
		strbuf_add(out, buf, n);
}

int report_folded(struct report *r, struct strbuf *out, struct error *e)
{
	(void)e;
	struct folded_stacks s;
	folded_stacks_build(&s, r);
	for (size_t i = 0; i < s.count; i++) {
		const struct folded_stack *st = &s.stacks[i];
		int64_t v = folded_value(r, st);
		if (v == 0)
			continue;
		const uint32_t *frames = folded_frames(&s, st);
		for (uint32_t d = 0; d < st->depth; d++) {
			if (d)
				strbuf_addch(out, ';');
			strbuf_addstr(out, s.names[frames[d]]);
		}
		strbuf_addch(out, ' ');
		add_value(out, r, v);
		strbuf_addch(out, '\n');
	}
	folded_stacks_free(&s);
	return 0;
}
