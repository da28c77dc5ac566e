/*
 * replay.c - runs seed inputs through a fuzzing entry point
 * (fuzz_parse.c or fuzz_web.c, linked with it) without a fuzzer, so that every build exercises it: each
 * file named on the command line (or found in a directory named there),
 * its inflated content if it is gzipped, their truncations, and copies
 * with bytes changed, inserted or removed by a fixed pseudo-random
 * sequence.  Under the sanitizers this is the robustness test of all
 * parsers; it prints how many inputs it ran.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load/proto.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t runs;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void run(const uint8_t *data, size_t len)
{
	LLVMFuzzerTestOneInput(data, len);
	runs++;
}

/* Prefixes: every length for a small input, evenly spaced ones for a big one. */
static void truncations(const uint8_t *data, size_t len)
{
	size_t count = len <= 512 ? len : len <= (1 << 20) ? 256 : 8;
	for (size_t i = 0; i < count; i++)
		run(data, len <= 512 ? i : (size_t)((double)len * i / count));
}

/* Copies with a few bytes changed, inserted or removed. */
static void mutations(const uint8_t *data, size_t len)
{
	if (len == 0 || len > (1 << 20))
		return;
	uint8_t *buf = malloc(len + 8);
	for (int round = 0; round < 64; round++) {
		memcpy(buf, data, len);
		size_t n = len;
		for (int edits = 1 + (int)(next_random() % 4); edits > 0; edits--) {
			size_t at = (size_t)(next_random() % n);
			uint8_t byte = (uint8_t)next_random();
			switch (next_random() % 3) {
			case 0:
				buf[at] = byte;
				break;
			case 1:
				memmove(buf + at + 1, buf + at, n - at);
				buf[at] = byte;
				n++;
				break;
			default:
				if (n > 1) {
					memmove(buf + at, buf + at + 1, n - at - 1);
					n--;
				}
			}
		}
		run(buf, n);
	}
	free(buf);
}

static void replay_bytes(const uint8_t *data, size_t len)
{
	run(data, len);
	truncations(data, len);
	mutations(data, len);
}

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	struct strbuf sb = STRBUF_INIT;
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(&sb, chunk, got);
	fclose(f);
	const uint8_t *data = (const uint8_t *)sb.buf;
	replay_bytes(data, sb.len);
	uint8_t *raw;
	size_t raw_len;
	struct error e = ERROR_INIT;
	if (is_gzip(data, sb.len) && gunzip(data, sb.len, &raw, &raw_len, &e) == 0) {
		replay_bytes(raw, raw_len);
		free(raw);
	}
	error_clear(&e);
	strbuf_release(&sb);
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's regular files, in name order so that runs repeat exactly. */
static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *ent;
	while ((ent = readdir(d)) != NULL) {
		if (ent->d_name[0] == '.')
			continue;
		xgrow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = strdup(ent->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), compare_names);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct strbuf path = STRBUF_INIT;
		struct stat st;
		strbuf_addf(&path, "%s/%s", dir, names[i]);
		if (stat(path.buf, &st) == 0 && S_ISREG(st.st_mode) && replay_file(path.buf) < 0)
			rc = -1;
		strbuf_release(&path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			rc = 1;
		} else if ((S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i])) < 0) {
			rc = 1;
		}
	}
	printf("%zu inputs\n", runs);
	return rc;
}
