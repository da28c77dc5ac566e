/*
 * instructions.h - single instructions at sampled addresses, for the
 * listings that show them under their source lines (weblist).
 *
 * The binaries of the profile's mappings are opened on first use, and
 * the symbols holding the addresses asked about are disassembled once,
 * as for the disasm report (capstone, AT&T syntax or -intel_syntax's
 * Intel); a reader owns them until it is freed.
 */
#ifndef CPPROF_INSTRUCTIONS_H
#define CPPROF_INSTRUCTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "report/report.h"

struct instruction_reader {
	const struct profile *prof;
	bool intel;
	struct binary **bins;	/* one per mapping tried, opened or not */
	size_t nbins, cap;
};

void instruction_reader_init(struct instruction_reader *ir, const struct report *r);
/*
 * The instruction holding a sampled address (a caller's return address
 * falls inside its call) of the mapping of binary path, as nodes name
 * it: its address in *start and its text; false where the binary or its
 * symbol table cannot be read.
 */
bool instruction_at(struct instruction_reader *ir, const char *path, uint64_t address, uint64_t *start,
		    char *text, size_t size);
void instruction_reader_free(struct instruction_reader *ir);

#endif
