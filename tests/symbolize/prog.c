/*
 * The symbolization test program: it samples a few of its own addresses
 * and its library's, then writes them as a profile.proto file with the
 * mappings of its code as the process had them (so a PIE, a shared
 * library and -z separate-code layouts all appear as they do in real
 * profiles), and prints what each sample must symbolize to.
 *
 * usage: prog PROFILE [nobuildid]  ("nobuildid": record no build IDs)
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample.h"

long shape_area(long w, long h);

enum { MAX_SAMPLES = 16 };
static uintptr_t addrs[MAX_SAMPLES];
static int nsamples;

void sample_here(const char *function, int line)
{
	/* the call's return address minus one is inside the call, as profilers report callers */
	uintptr_t pc = (uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0)) - 1;
	if (nsamples < MAX_SAMPLES) {
		addrs[nsamples++] = pc;
		printf("%s %d\n", function, line);
	}
}

static int __attribute__((noinline)) compute(int n)
{
	sample_here(__func__, __LINE__);
	return n + (int)shape_area(n, 2);
}

/* A tiny protobuf writer: varints and length-delimited fields. */
struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *data, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void varint(struct buf *b, uint64_t v)
{
	unsigned char c;
	while (v >= 0x80) {
		c = (unsigned char)(v | 0x80);
		put(b, &c, 1);
		v >>= 7;
	}
	c = (unsigned char)v;
	put(b, &c, 1);
}

static void field_uint(struct buf *b, int field, uint64_t v)
{
	varint(b, (uint64_t)field << 3);
	varint(b, v);
}

static void field_bytes(struct buf *b, int field, const void *data, size_t n)
{
	varint(b, (uint64_t)field << 3 | 2);
	varint(b, n);
	put(b, data, n);
}

static void field_msg(struct buf *b, int field, struct buf *m)
{
	field_bytes(b, field, m->p, m->len);
	m->len = 0;
}

static const char *strings[64];
static int nstrings;

static int str(const char *s)
{
	for (int i = 0; i < nstrings; i++)
		if (!strcmp(strings[i], s))
			return i;
	strings[nstrings] = strdup(s);
	return nstrings++;
}

struct mapping {
	uintptr_t start, limit, offset;
	char file[512], build_id[64];
};
static struct mapping maps[16];
static int nmaps;
static int with_build_ids = 1;

/* The GNU build ID note of a loaded object, as hex. */
static void build_id(struct dl_phdr_info *info, char *out)
{
	out[0] = '\0';
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const unsigned char *n = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		const unsigned char *end = n + ph->p_memsz;
		while (n + 12 <= end) {
			uint32_t namesz, descsz, type;
			memcpy(&namesz, n, 4);
			memcpy(&descsz, n + 4, 4);
			memcpy(&type, n + 8, 4);
			const unsigned char *name = n + 12, *desc = name + ((namesz + 3) & ~3u);
			if (type == 3 && namesz == 4 && !memcmp(name, "GNU", 4)) {
				for (uint32_t k = 0; k < descsz; k++)
					sprintf(out + 2 * k, "%02x", desc[k]);
				return;
			}
			n = desc + ((descsz + 3) & ~3u);
		}
	}
}

/* One mapping per executable segment of the program and its library, as /proc/PID/maps has them. */
static int add_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	const char *self = arg;
	const char *file = info->dlpi_name[0] ? info->dlpi_name : self;
	if (!strstr(file, "libshape") && strcmp(file, self))
		return 0;
	for (int i = 0; i < info->dlpi_phnum && nmaps < 16; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		struct mapping *m = &maps[nmaps++];
		uintptr_t page = 4096;
		m->start = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
		m->limit = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + page - 1) & ~(page - 1);
		m->offset = ph->p_offset & ~(page - 1);
		snprintf(m->file, sizeof(m->file), "%s", file);
		if (with_build_ids)
			build_id(info, m->build_id);
		else
			m->build_id[0] = '\0';
	}
	return 0;
}

static void write_profile(const char *path, const char *self)
{
	dl_iterate_phdr(add_object, (void *)self);
	/* the program's own mapping comes first: pprof takes it as the main binary */
	for (int i = 0; i < nmaps; i++) {
		if (!strcmp(maps[i].file, self) && i) {
			struct mapping t = maps[0];
			maps[0] = maps[i];
			maps[i] = t;
		}
	}
	struct buf out = { 0 }, m = { 0 };
	str("");
	int samples = str("samples"), count = str("count");
	field_uint(&m, 1, (uint64_t)samples);
	field_uint(&m, 2, (uint64_t)count);
	field_msg(&out, 1, &m);
	for (int i = 0; i < nsamples; i++) {
		field_uint(&m, 1, (uint64_t)i + 1);
		field_uint(&m, 2, 1);
		field_msg(&out, 2, &m);
	}
	for (int i = 0; i < nmaps; i++) {
		field_uint(&m, 1, (uint64_t)i + 1);
		field_uint(&m, 2, maps[i].start);
		field_uint(&m, 3, maps[i].limit);
		field_uint(&m, 4, maps[i].offset);
		field_uint(&m, 5, (uint64_t)str(maps[i].file));
		field_uint(&m, 6, (uint64_t)str(maps[i].build_id));
		field_msg(&out, 3, &m);
	}
	for (int i = 0; i < nsamples; i++) {
		int map = 0;
		for (int k = 0; k < nmaps; k++)
			if (addrs[i] >= maps[k].start && addrs[i] < maps[k].limit)
				map = k + 1;
		field_uint(&m, 1, (uint64_t)i + 1);
		field_uint(&m, 2, (uint64_t)map);
		field_uint(&m, 3, addrs[i]);
		field_msg(&out, 4, &m);
	}
	for (int i = 0; i < nstrings; i++)
		field_bytes(&out, 6, strings[i], strlen(strings[i]));
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(out.p, 1, out.len, f) != out.len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	free(out.p);
	free(m.p);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	with_build_ids = !(argc > 2 && !strcmp(argv[2], "nobuildid"));
	int total = compute(20);
	char self[512];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 1;
	self[n] = '\0';
	write_profile(argv[1], self);
	return total > 0 ? 0 : 1;
}
