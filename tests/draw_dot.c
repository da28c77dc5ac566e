/*
 * draw-dot FORMAT FILE.dot: draws a DOT file as cpprof's graph commands
 * draw the DOT report (svg with pprof's changes), for tests that start
 * from pprof's own DOT.
 */
#include <stdio.h>

#include "render/output.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: draw-dot svg|pdf|png|gif|ps FILE.dot\n");
		return 2;
	}
	struct strbuf dot = STRBUF_INIT;
	struct error e = ERROR_INIT;
	FILE *f = fopen(argv[2], "rb");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&dot, buf, n);
	fclose(f);
	struct config cfg;
	config_init_default(&cfg);
	struct output_context ctx;
	output_context_init(&ctx, false);
	ctx.terminal = false;
	int rc = output_report(&ctx, argv[1], &cfg, &dot, &e);
	if (rc < 0)
		error_print(&e);
	output_context_free(&ctx);
	config_free(&cfg);
	strbuf_release(&dot);
	error_clear(&e);
	return rc < 0 ? 2 : 0;
}
