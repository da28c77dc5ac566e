/*
 * Graphs drawn by Graphviz in-process (with no `dot` program on PATH),
 * pprof's SVG changes, the svg goldens drawn from pprof's DOT, and where
 * outputs go: -output, files away from a terminal, viewers.
 *
 * Arguments: the shared testdata directory and tests/data/pprof-dot.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "render/gvc.h"
#include "render/output.h"
#include "render/svg.h"

static const char small_dot[] =
	"digraph \"t\" {\n"
	"N1 [label=\"main\\nf\" id=\"node1\" shape=box]\n"
	"N2 [label=\"g & h\" id=\"node2\" shape=box]\n"
	"N1 -> N2 [label=\" 10ms\"]\n"
	"}\n";

static char *saved_path;
static char work_dir[] = "/tmp/cpprof-render-XXXXXX";

static int read_file(const char *path, struct strbuf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(out, buf, n);
	fclose(f);
	return 0;
}

static void write_file(const char *path, const char *data, size_t len, int mode)
{
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	fwrite(data, 1, len, f);
	fclose(f);
	chmod(path, (mode_t)mode);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes PNG's per-row filters in place (8-bit samples); false for an unknown filter. */
static bool unfilter(unsigned char *rows, uint32_t stride, uint32_t height, uint32_t bpp)
{
	for (uint32_t y = 0; y < height; y++) {
		unsigned char *row = rows + (size_t)y * (stride + 1);
		const unsigned char *up = y ? row - (stride + 1) + 1 : NULL;
		int filter = row[0];
		row++;
		for (uint32_t i = 0; i < stride; i++) {
			int a = i >= bpp ? row[i - bpp] : 0, b = up ? up[i] : 0, c = up && i >= bpp ? up[i - bpp] : 0;
			int predicted[5] = { 0, a, b, (a + b) / 2, paeth(a, b, c) };
			if (filter > 4)
				return false;
			row[i] = (unsigned char)(row[i] + predicted[filter]);
		}
	}
	return true;
}

/* True if every pixel equals the first. */
static bool blank(const unsigned char *rows, uint32_t width, uint32_t height, uint32_t bpp)
{
	const unsigned char *first = rows + 1;
	for (uint32_t y = 0; y < height; y++)
		for (uint32_t x = 0; x < width; x++)
			if (memcmp(rows + (size_t)y * (width * bpp + 1) + 1 + (size_t)x * bpp, first, bpp))
				return false;
	return true;
}

/* A PNG whose chunks check out, whose pixels inflate to its size, and that is not blank (8-bit, not interlaced). */
static bool png_is_image(const unsigned char *p, size_t len)
{
	static const unsigned char signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	if (len < 8 || memcmp(p, signature, 8))
		return false;
	uint32_t width = 0, height = 0, channels = 0;
	struct strbuf idat = STRBUF_INIT;
	bool ended = false;
	for (size_t at = 8; at + 12 <= len && !ended;) {
		uint32_t n = be32(p + at);
		if (at + 12 + n > len)
			break;
		const unsigned char *type = p + at + 4, *data = p + at + 8;
		if (crc32(crc32(0, NULL, 0), type, n + 4) != be32(data + n))
			break;
		if (!memcmp(type, "IHDR", 4) && n >= 13 && data[8] == 8) {
			static const uint32_t by_colour_type[7] = { 1, 0, 3, 1, 2, 0, 4 };
			width = be32(data);
			height = be32(data + 4);
			channels = data[9] < 7 ? by_colour_type[data[9]] : 0;
		} else if (!memcmp(type, "IDAT", 4)) {
			strbuf_add(&idat, data, n);
		}
		ended = !memcmp(type, "IEND", 4);
		at += 12 + n;
	}
	bool ok = false;
	uLongf want = (uLongf)height * (1 + (uLongf)width * channels);
	if (ended && width && height && channels && want < (64u << 20)) {
		unsigned char *rows = malloc(want + 1);
		uLongf got = want + 1;
		if (uncompress(rows, &got, (const unsigned char *)idat.buf, idat.len) == Z_OK && got == want)
			ok = unfilter(rows, width * channels, height, channels) && !blank(rows, width, height, channels);
		free(rows);
	}
	strbuf_release(&idat);
	return ok;
}

static void add_chunk(struct strbuf *png, const char *type, const unsigned char *data, uint32_t n)
{
	unsigned char be[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8),
				(unsigned char)n };
	strbuf_add(png, be, 4);
	size_t at = png->len;
	strbuf_add(png, type, 4);
	strbuf_add(png, data, n);
	uint32_t crc = (uint32_t)crc32(crc32(0, NULL, 0), (const unsigned char *)png->buf + at, n + 4);
	unsigned char c[4] = { (unsigned char)(crc >> 24), (unsigned char)(crc >> 16), (unsigned char)(crc >> 8),
			       (unsigned char)crc };
	strbuf_add(png, c, 4);
}

/* Checks a 2x1 grey PNG, a white pixel and one of value second (with PNG's Sub filter). */
static bool png_of_two_pixels(struct strbuf *png, unsigned char second)
{
	static const unsigned char ihdr[13] = { 0, 0, 0, 2, 0, 0, 0, 1, 8, 0, 0, 0, 0 };
	unsigned char row[3] = { 1, 0xff, (unsigned char)(second - 0xff) }, packed[64];
	uLongf n = sizeof(packed);
	compress(packed, &n, row, sizeof(row));
	strbuf_reset(png);
	strbuf_add(png, "\x89PNG\r\n\x1a\n", 8);
	add_chunk(png, "IHDR", ihdr, 13);
	add_chunk(png, "IDAT", packed, (uint32_t)n);
	add_chunk(png, "IEND", (const unsigned char *)"", 0);
	return png_is_image((const unsigned char *)png->buf, png->len);
}

static bool starts_with(const struct strbuf *sb, const char *prefix)
{
	return sb->len >= strlen(prefix) && !memcmp(sb->buf, prefix, strlen(prefix));
}

static void draw(const char *format, struct strbuf *out)
{
	struct error e = ERROR_INIT;
	strbuf_reset(out);
	int rc = render_dot(small_dot, strlen(small_dot), format, out, &e);
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", format, e.msg.buf);
	CHECK(rc == 0);
	error_clear(&e);
}

static int run(const char *command)
{
	setenv("PATH", saved_path, 1);
	int rc = system(command);
	setenv("PATH", work_dir, 1);
	return rc;
}

static void test_formats(void)
{
	struct strbuf out = STRBUF_INIT;
	draw("svg", &out);
	CHECK(starts_with(&out, "<?xml"));
	CHECK(strstr(out.buf, "<title>N1&#45;&gt;N2</title>") != NULL);
	CHECK(strstr(out.buf, ">g &amp; h</text>") != NULL);

	draw("png", &out);
	CHECK(png_is_image((const unsigned char *)out.buf, out.len));

	/* the check itself tells a blank picture from one with something on it */
	CHECK(!png_of_two_pixels(&out, 0xff) && png_of_two_pixels(&out, 0x00));

	draw("pdf", &out);
	CHECK(starts_with(&out, "%PDF-"));
	write_file("graph.pdf", out.buf, out.len, 0644);
	CHECK(run("pdftoppm -png -r 72 graph.pdf page") == 0);
	strbuf_reset(&out);
	CHECK(read_file("page-1.png", &out) == 0);
	CHECK(png_is_image((const unsigned char *)out.buf, out.len));

	draw("gif", &out);
	CHECK(starts_with(&out, "GIF8") && out.len > 10 && (out.buf[6] || out.buf[7]) && (out.buf[8] || out.buf[9]));
	draw("ps", &out);
	CHECK(starts_with(&out, "%!PS-Adobe"));

	struct error e = ERROR_INIT;
	CHECK(render_dot(small_dot, strlen(small_dot), "jpeg", &out, &e) < 0);
	CHECK_STR(e.msg.buf, "unknown graph format jpeg");
	CHECK(render_dot("digraph {", 9, "svg", &out, &e) < 0);
	CHECK(!strncmp(e.msg.buf, "graphviz could not read the graph: ", 35));
	error_clear(&e);
	strbuf_release(&out);
}

static void test_massage(void)
{
	const char *in = "<svg width=\"62pt\" height=\"116pt\"\n viewBox=\"0.00 0.00 62.00 116.00\" xmlns=\"x\">\n"
			 "<g id=\"graph0\" class=\"graph\">\n<text>a&;b</text></g>\n</svg>\n";
	struct strbuf want = STRBUF_INIT, out = STRBUF_INIT;
	strbuf_addf(&want, "<svg width=\"100%%\" height=\"100%%\" xmlns=\"x\">\n"
			   "<script type=\"text/ecmascript\"><![CDATA[%s]]></script>"
			   "<g id=\"viewport\" transform=\"scale(0.5,0.5) translate(0,0)\">"
			   "<g id=\"graph0\" class=\"graph\">\n<text>a&amp;;b</text></g>\n</g></svg>\n",
		    svg_panzoom_script);
	svg_massage(in, strlen(in), &out);
	CHECK_STR(out.buf, want.buf);

	/* nothing to change: the text stays as it is */
	strbuf_reset(&out);
	const char *plain = "<svg width=\"\" height=\"1\" viewBox=\"2\"><g id=\"graphx\"></g>";
	svg_massage(plain, strlen(plain), &out);
	CHECK_STR(out.buf, plain);

	CHECK(!strstr(svg_panzoom_script, "]]>") && !strstr(svg_panzoom_script, "</script") &&
	      !strstr(svg_panzoom_script, "</svg>"));
	strbuf_release(&want);
	strbuf_release(&out);
}

/* The SVG without its <script> elements (and a newline after each), as the golden runner compares it. */
static void strip_scripts(struct strbuf *sb)
{
	char *at;
	while ((at = strstr(sb->buf, "<script"))) {
		char *end = strstr(at, "</script>");
		if (!end)
			break;
		end += 9;
		if (*end == '\n')
			end++;
		memmove(at, end, (size_t)(sb->buf + sb->len - end) + 1);
		sb->len -= (size_t)(end - at);
	}
}

static void test_svg_goldens(const char *testdata, const char *dot_dir)
{
	static const char *const cases[] = { "svg-block", "svg-cpu-nf", "svg-heap-alloc", "svg-lab-focus", "svg-ms" };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf path = STRBUF_INIT;
		struct strbuf dot = STRBUF_INIT, drawn = STRBUF_INIT, svg = STRBUF_INIT, want = STRBUF_INIT;
		struct error e = ERROR_INIT;
		strbuf_addf(&path, "%s/%s.dot", dot_dir, cases[i]);
		CHECK(read_file(path.buf, &dot) == 0);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/golden/expected/%s.out", testdata, cases[i]);
		CHECK(read_file(path.buf, &want) == 0);
		strbuf_release(&path);
		CHECK(render_dot(dot.buf, dot.len, "svg", &drawn, &e) == 0);
		svg_massage(drawn.buf, drawn.len, &svg);
		strip_scripts(&svg);
		strip_scripts(&want);
		if (want.len == 0 || strcmp(svg.buf, want.buf)) {
			fprintf(stderr, "%s: the drawing differs from the golden\n", cases[i]);
			CHECK(0);
		}
		strbuf_release(&dot);
		strbuf_release(&drawn);
		strbuf_release(&svg);
		strbuf_release(&want);
		error_clear(&e);
	}
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && st.st_size > 0;
}

static int deliver(struct output_context *ctx, const char *command, const char *output, struct error *e)
{
	struct config cfg;
	config_init_default(&cfg);
	if (output)
		cfg.output = strdup(output);
	struct strbuf report = STRBUF_INIT;
	strbuf_addstr(&report, small_dot);
	int rc = output_report(ctx, command, &cfg, &report, e);
	strbuf_release(&report);
	config_free(&cfg);
	return rc;
}

static void test_files(void)
{
	struct output_context ctx;
	struct error e = ERROR_INIT;
	struct strbuf got = STRBUF_INIT;
	output_context_init(&ctx, false);
	CHECK(deliver(&ctx, "svg", "named.svg", &e) == 0);
	CHECK(read_file("named.svg", &got) == 0);
	CHECK(starts_with(&got, "<?xml") && strstr(got.buf, "<g id=\"viewport\"") != NULL);

	/* a terminal, or the shell, gets no binary: it goes to profileNNN.<format> */
	ctx.terminal = true;
	CHECK(deliver(&ctx, "png", NULL, &e) == 0);
	CHECK(deliver(&ctx, "png", NULL, &e) == 0);
	CHECK(exists("profile001.png") && exists("profile002.png"));
	ctx.terminal = false;
	ctx.interactive = true;
	CHECK(deliver(&ctx, "pdf", NULL, &e) == 0);
	CHECK(exists("profile001.pdf"));

	CHECK(deliver(&ctx, "svg", "no/such/dir/x.svg", &e) < 0);
	CHECK_STR(e.msg.buf, "open no/such/dir/x.svg: no such file or directory");
	output_context_free(&ctx);
	strbuf_release(&got);
	error_clear(&e);
}

static void test_viewers(void)
{
	struct output_context ctx;
	struct error e = ERROR_INIT;
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;
	char script[8192];
	snprintf(script, sizeof(script), "#!/bin/sh\necho \"$@\" > %s/args\n/bin/cp \"$2\" %s/seen\n", work_dir, work_dir);
	write_file("browser", script, strlen(script), 0755);
	snprintf(script, sizeof(script), "#!/bin/sh\necho \"$@\" > %s/args\n/bin/cp \"$1\" %s/seen\n", work_dir, work_dir);
	write_file("eog", script, strlen(script), 0755);
	snprintf(script, sizeof(script), "#!/bin/sh\necho \"$@\" > %s/args\n/bin/cp \"$2\" %s/seen\n", work_dir, work_dir);
	write_file("gv", script, strlen(script), 0755);
	setenv("TMPDIR", work_dir, 1);
	unsetenv("DISPLAY");

	/* web: $BROWSER first, with its own arguments, given the massaged SVG */
	char browser[4200];
	snprintf(browser, sizeof(browser), "%s/browser --new-window", work_dir);
	setenv("BROWSER", browser, 1);
	output_context_init(&ctx, false);
	CHECK(deliver(&ctx, "web", NULL, &e) == 0);
	CHECK(read_file("args", &got) == 0);
	strbuf_addf(&want, "--new-window %s/pprof001.svg\n", work_dir);
	CHECK_STR(got.buf, want.buf);
	strbuf_reset(&got);
	CHECK(read_file("seen", &got) == 0 && strstr(got.buf, "<g id=\"viewport\"") != NULL);
	CHECK(exists("pprof001.svg"));
	output_context_free(&ctx);
	CHECK(!exists("pprof001.svg"));	/* removed at the end */

	/* eog and gv are found on PATH; gv gets pprof's --noantialias and PostScript */
	output_context_init(&ctx, false);
	CHECK(deliver(&ctx, "eog", NULL, &e) == 0);
	strbuf_reset(&got);
	CHECK(read_file("seen", &got) == 0 && starts_with(&got, "<?xml") && !strstr(got.buf, "viewport"));
	CHECK(deliver(&ctx, "gv", NULL, &e) == 0);
	strbuf_reset(&got);
	CHECK(read_file("args", &got) == 0 && !strncmp(got.buf, "--noantialias ", 14));
	strbuf_reset(&got);
	CHECK(read_file("seen", &got) == 0 && starts_with(&got, "%!PS-Adobe"));

	/* no browser anywhere: the last one's failure, in Go's words */
	unsetenv("BROWSER");
	CHECK(deliver(&ctx, "web", NULL, &e) < 0);
	CHECK_STR(e.msg.buf, "exec: \"sensible-browser\": executable file not found in $PATH");
	setenv("BROWSER", "/bin/false", 1);
	CHECK(deliver(&ctx, "web", NULL, &e) < 0);
	CHECK_STR(e.msg.buf, "exit status 1");
	unsetenv("BROWSER");
	output_context_free(&ctx);
	strbuf_release(&got);
	strbuf_release(&want);
	error_clear(&e);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_render TESTDATA PPROF-DOT-DIR\n");
		return 2;
	}
	char testdata[4096], dot_dir[4096];
	CHECK(realpath(argv[1], testdata) != NULL && realpath(argv[2], dot_dir) != NULL);
	CHECK(mkdtemp(work_dir) != NULL && chdir(work_dir) == 0);
	/* Graphviz runs in-process: no `dot` program needs to be found (PATH holds only this directory). */
	saved_path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", work_dir, 1);

	test_formats();
	test_massage();
	test_svg_goldens(testdata, dot_dir);
	test_files();
	test_viewers();

	CHECK(run("rm -rf -- \"$PWD\"") == 0);
	free(saved_path);
	return check_done();
}
