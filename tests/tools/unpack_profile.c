/*
 * unpack_profile - reads a gzipped (or plain) profile.proto with zlib and
 * protobuf-c's own unpacker, independently of cpprof's loader, checks
 * that its references resolve and prints the size of each table:
 *   samples N locations N functions N mappings N strings N
 * Exits 1 if the file is not a well-formed profile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile.pb-c.h"

static unsigned char *read_all(const char *path, size_t *len)
{
	gzFile f = gzopen(path, "rb");	/* reads plain files as they are */
	if (!f)
		return NULL;
	size_t cap = 1 << 20, n = 0;
	unsigned char *buf = malloc(cap);
	for (;;) {
		if (n == cap)
			buf = realloc(buf, cap *= 2);
		int got = gzread(f, buf + n, (unsigned)(cap - n));
		if (got < 0) {
			gzclose(f);
			free(buf);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	gzclose(f);
	*len = n;
	return buf;
}

static int has_id(uint64_t *ids, size_t n, uint64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* Every string index in range, every location and function id defined. */
static const char *check(const Perftools__Profiles__Profile *p)
{
	if (p->n_string_table == 0 || p->string_table[0][0] != '\0')
		return "string_table[0] is not empty";
	size_t ns = p->n_string_table;
	uint64_t *locs = malloc((p->n_location + 1) * sizeof(uint64_t));
	uint64_t *funcs = malloc((p->n_function + 1) * sizeof(uint64_t));
	const char *problem = NULL;
	for (size_t i = 0; i < p->n_location; i++)
		locs[i] = p->location[i]->id;
	for (size_t i = 0; i < p->n_function; i++) {
		funcs[i] = p->function[i]->id;
		if ((uint64_t)p->function[i]->name >= ns || (uint64_t)p->function[i]->filename >= ns)
			problem = "function string out of range";
	}
	for (size_t i = 0; i < p->n_location && !problem; i++)
		for (size_t k = 0; k < p->location[i]->n_line; k++)
			if (!has_id(funcs, p->n_function, p->location[i]->line[k]->function_id))
				problem = "line names no function";
	for (size_t i = 0; i < p->n_sample && !problem; i++) {
		const Perftools__Profiles__Sample *s = p->sample[i];
		if (s->n_value != p->n_sample_type)
			problem = "sample values do not match the sample types";
		for (size_t k = 0; k < s->n_location_id && !problem; k++)
			if (!has_id(locs, p->n_location, s->location_id[k]))
				problem = "sample names no location";
		for (size_t k = 0; k < s->n_label && !problem; k++)
			if ((uint64_t)s->label[k]->key >= ns || (uint64_t)s->label[k]->str >= ns)
				problem = "label string out of range";
	}
	free(locs);
	free(funcs);
	return problem;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: unpack_profile FILE\n");
		return 2;
	}
	size_t len;
	unsigned char *data = read_all(argv[1], &len);
	if (!data) {
		fprintf(stderr, "%s: cannot read\n", argv[1]);
		return 1;
	}
	Perftools__Profiles__Profile *p = perftools__profiles__profile__unpack(NULL, len, data);
	free(data);
	if (!p) {
		fprintf(stderr, "%s: protobuf-c cannot unpack it\n", argv[1]);
		return 1;
	}
	const char *problem = check(p);
	if (problem)
		fprintf(stderr, "%s: %s\n", argv[1], problem);
	else
		printf("samples %zu locations %zu functions %zu mappings %zu strings %zu\n", p->n_sample,
		       p->n_location, p->n_function, p->n_mapping, p->n_string_table);
	perftools__profiles__profile__free_unpacked(p, NULL);
	return problem ? 1 : 0;
}
