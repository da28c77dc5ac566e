/*
 * addr2frames - prints the frames cpprof's symbolizer gives addresses of
 * a binary, one "function|file|line" line per frame after an "@ADDR"
 * line, for comparing with addr2line.
 *
 *   addr2frames BINARY ADDR...        addresses of the binary's file
 *   addr2frames -gperftools PROFILE   the addresses pprof symbolizes in a
 *                                     gperftools CPU profile (callers' -1)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize/objfile.h"
#include "util/hash.h"

/* The distinct sampled addresses of a 64-bit little-endian gperftools CPU profile. */
static int print_gperftools_addresses(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 1;
	uint64_t hdr[5];
	if (fread(hdr, 8, 5, f) != 5 || hdr[0] != 0 || hdr[1] != 3) {
		fclose(f);
		return 1;
	}
	struct hmap seen;
	hmap_init(&seen, 1024);
	uint64_t rec[2];
	while (fread(rec, 8, 2, f) == 2) {
		uint64_t count = rec[0], depth = rec[1];
		uint64_t *pcs = malloc((depth + 1) * 8);
		if (fread(pcs, 8, depth, f) != depth) {
			free(pcs);
			break;
		}
		if (count == 0 && depth == 1 && pcs[0] == 0) {
			free(pcs);
			break;	/* the trailer */
		}
		for (uint64_t i = 0; i < depth; i++) {
			uint64_t a = i ? pcs[i] - 1 : pcs[i];
			int inserted;
			hmap_put(&seen, a, 0, &inserted);
			if (inserted)
				printf("0x%" PRIx64 "\n", a);
		}
		free(pcs);
	}
	hmap_free(&seen);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-gperftools"))
		return print_gperftools_addresses(argv[2]);
	if (argc < 2) {
		fprintf(stderr, "usage: addr2frames BINARY ADDR... | -gperftools PROFILE\n");
		return 2;
	}
	struct objfile o;
	struct objmap everything = { 0, 0, 0 };
	struct error e = ERROR_INIT;
	if (objfile_open(&o, argv[1], &everything, &e) < 0) {
		error_print(&e);
		error_clear(&e);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		uint64_t addr = strtoull(argv[i], NULL, 16);
		struct frame frames[MAX_FRAMES];
		size_t n = objfile_frames(&o, addr, frames);
		printf("@0x%" PRIx64 "\n", addr);
		for (size_t k = 0; k < n; k++)
			printf("%s|%s|%lld\n", frames[k].function, frames[k].file, (long long)frames[k].line);
	}
	objfile_close(&o);
	return 0;
}
