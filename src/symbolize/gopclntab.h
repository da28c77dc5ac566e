/*
 * gopclntab.h - Go's own table of functions, files and lines
 * (.gopclntab), read as Go's debug/gosym reads it, since that is where
 * `go tool pprof` takes the names and lines of Go code from.
 *
 * Formats of Go 1.2, 1.16, 1.18 and 1.20 are understood.  A function
 * covers the addresses up to the next one's entry; an address its line
 * tables do not cover has line -1 and no file, as in go tool pprof.
 * The table borrows the section bytes it was opened on.
 */
#ifndef CPPROF_GOPCLNTAB_H
#define CPPROF_GOPCLNTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct go_pclntab {
	const uint8_t *data;
	size_t size;
	int version;		/* 12, 116, 118 or 120 */
	bool big_endian;
	unsigned quantum, ptrsize;
	uint64_t nfunc;
	uint64_t text_start;
	const uint8_t *funcnames, *cutab, *filetab, *pctab, *funcdata, *functab;
	size_t funcnames_size, cutab_size, filetab_size, pctab_size, funcdata_size;
};

/* Parses the header; false if data is no pclntab this reader knows. */
bool gopclntab_open(struct go_pclntab *t, const uint8_t *data, size_t size, uint64_t text_start);

/*
 * gosym's PCToLine: false if pc is in no function; else the function's
 * name, the file ("" if unknown) and line (-1 if unknown).
 */
bool gopclntab_lookup(const struct go_pclntab *t, uint64_t pc, const char **function, const char **file,
		      int64_t *line);

#endif
