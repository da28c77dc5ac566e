/*
 * mkprofile - writes an unsymbolized profile.proto with N distinct
 * addresses spread evenly over a binary's executable segments, each the
 * leaf of its own sample, with the binary as the only mapping: the input
 * for timing symbolization.
 *
 * usage: mkprofile BINARY N OUTPUT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize/elfimage.h"
#include "util/strbuf.h"

static void varint(struct strbuf *sb, uint64_t v)
{
	while (v >= 0x80) {
		strbuf_addch(sb, (int)(v | 0x80));
		v >>= 7;
	}
	strbuf_addch(sb, (int)v);
}

static void field(struct strbuf *sb, unsigned n, uint64_t v)
{
	varint(sb, (uint64_t)n << 3);
	varint(sb, v);
}

static void bytes(struct strbuf *sb, unsigned n, const void *data, size_t len)
{
	varint(sb, (uint64_t)n << 3 | 2);
	varint(sb, len);
	strbuf_add(sb, data, len);
}

static void message(struct strbuf *sb, unsigned n, struct strbuf *m)
{
	bytes(sb, n, m->buf, m->len);
	strbuf_reset(m);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: mkprofile BINARY N OUTPUT\n");
		return 2;
	}
	struct elf_image img;
	struct error e = ERROR_INIT;
	if (elf_image_open(&img, argv[1], &e) < 0) {
		error_print(&e);
		return 1;
	}
	uint64_t n = strtoull(argv[2], NULL, 10), code = 0;
	for (size_t i = 0; i < img.nloads; i++)
		if (img.loads[i].exec)
			code += img.loads[i].memsz;
	if (n == 0 || code < n) {
		fprintf(stderr, "mkprofile: %s has too little code for %s addresses\n", argv[1], argv[2]);
		return 1;
	}
	struct strbuf out = STRBUF_INIT, m = STRBUF_INIT;
	const char *strings[] = { "", "samples", "count", argv[1], img.build_id };
	field(&m, 1, 1);
	field(&m, 2, 2);
	message(&out, 1, &m);
	for (uint64_t i = 1; i <= n; i++) {
		field(&m, 1, i);
		field(&m, 2, 1);
		message(&out, 2, &m);
	}
	/* the binary mapped where it says, as a non-PIE executable is */
	field(&m, 1, 1);
	field(&m, 2, img.loads[0].vaddr & ~(uint64_t)0xfff);
	field(&m, 3, img.loads[img.nloads - 1].vaddr + img.loads[img.nloads - 1].memsz);
	field(&m, 5, 3);
	field(&m, 6, 4);
	message(&out, 3, &m);
	uint64_t step = code / n, id = 1;
	for (size_t s = 0; s < img.nloads; s++) {
		const struct elf_segment *seg = &img.loads[s];
		for (uint64_t a = seg->vaddr; seg->exec && a < seg->vaddr + seg->memsz && id <= n; a += step) {
			field(&m, 1, id++);
			field(&m, 2, 1);
			field(&m, 3, a);
			message(&out, 4, &m);
		}
	}
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		bytes(&out, 6, strings[i], strlen(strings[i]));
	FILE *f = fopen(argv[3], "wb");
	if (!f || fwrite(out.buf, 1, out.len, f) != out.len || fclose(f) != 0) {
		perror(argv[3]);
		return 1;
	}
	printf("%llu addresses, one every %llu bytes of code\n", (unsigned long long)(id - 1),
	       (unsigned long long)step);
	strbuf_release(&out);
	strbuf_release(&m);
	elf_image_close(&img);
	return 0;
}
