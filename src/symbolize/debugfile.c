#include "symbolize/debugfile.h"

#include <elfutils/debuginfod.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "util/error.h"
#include "util/strbuf.h"

#define DEBUG_ROOT "/usr/lib/debug"

/* Opens path into debug if it is an ELF file with DWARF; returns path (owned) or frees it. */
static char *try_debug(char *path, struct elf_image *debug)
{
	struct error e = ERROR_INIT;
	bool ok = elf_image_open(debug, path, &e) == 0;
	error_clear(&e);
	if (ok && debug->has_dwarf)
		return path;
	if (ok)
		elf_image_close(debug);
	free(path);
	return NULL;
}

static char *build_id_path(const char *build_id)
{
	if (strlen(build_id) < 3)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, DEBUG_ROOT "/.build-id/%.2s/%s.debug", build_id, build_id + 2);
	return strbuf_detach(&sb, NULL);
}

/* GDB's check of a debug link: the CRC-32 of the whole file. */
static bool crc_matches(const char *path, uint32_t want)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	uLong crc = crc32(0, NULL, 0);
	unsigned char buf[1 << 16];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		crc = crc32(crc, buf, (uInt)n);
	fclose(f);
	return (uint32_t)crc == want;
}

static char *by_debuglink(const struct elf_image *img, const char *path, struct elf_image *debug)
{
	char *dir = strdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	char *abs_dir = dir[0] == '/' ? dir : NULL;
	const char *formats[] = { "%s%s", "%s.debug/%s", DEBUG_ROOT "%s%s" };
	char *found = NULL;
	for (size_t i = 0; i < 3 && !found; i++) {
		if (i == 2 && !abs_dir)
			break;
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, formats[i], dir, img->debuglink);
		if (strcmp(sb.buf, path) && access(sb.buf, R_OK) == 0 && crc_matches(sb.buf, img->debuglink_crc))
			found = try_debug(strbuf_detach(&sb, NULL), debug);
		strbuf_release(&sb);
	}
	free(dir);
	return found;
}

char *debugfile_open(const struct elf_image *img, const char *path, struct elf_image *debug)
{
	char *found = NULL;
	if (*img->build_id) {
		char *p = build_id_path(img->build_id);
		if (p && access(p, R_OK) == 0)
			found = try_debug(p, debug);
		else
			free(p);
	}
	if (!found && img->debuglink)
		found = by_debuglink(img, path, debug);
	if (!found && *img->build_id) {
		char *p = debuginfod_fetch(img->build_id, false);
		if (p)
			found = try_debug(p, debug);
	}
	return found;
}

char *debuginfod_fetch(const char *build_id, bool executable)
{
	const char *urls = getenv("DEBUGINFOD_URLS");
	if (!urls || !*urls || !*build_id)
		return NULL;
	debuginfod_client *client = debuginfod_begin();
	if (!client)
		return NULL;
	char *path = NULL;
	const unsigned char *id = (const unsigned char *)build_id;
	int fd = executable ? debuginfod_find_executable(client, id, 0, &path)
			    : debuginfod_find_debuginfo(client, id, 0, &path);
	debuginfod_end(client);
	if (fd < 0)
		return NULL;
	close(fd);
	return path;
}
