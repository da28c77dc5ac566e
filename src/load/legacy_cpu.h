/*
 * legacy_cpu.h - gperftools' CPU profiles (pprof's "profilez"): machine
 * words of 32 or 64 bits in either byte order, told apart by the header
 * (0, 3, 0, sampling period in microseconds, 0); then samples (count,
 * depth, addresses leaf first), an end marker (0, 1, 0) and the process's
 * /proc/self/maps as text.  A third header word of 1 marks a Java CPU
 * profile, whose tail is a symbol table instead (legacy_java.h).
 *
 * As pprof does, the parser removes up to two frames the profiler's
 * signal handler pushed on almost every stack, and a leaf repeated as its
 * own caller.
 */
#ifndef CPPROF_LEGACY_CPU_H
#define CPPROF_LEGACY_CPU_H

#include <stddef.h>
#include <stdint.h>

#include "load/legacy_profile.h"

/* pprof's word readers: get32l, get32b, get64l, get64b. */
struct word_reader {
	const uint8_t *p;
	size_t len;		/* bytes left */
	unsigned size;		/* 4 or 8 */
	bool big_endian;
	bool exhausted;		/* a read ran past the end (Go's nil slice) */
};

/* The next word, or 0 (and exhausted set) if fewer bytes than a word are left. */
uint64_t word_read(struct word_reader *r);

/*
 * pprof's parseCPUSamples: samples up to the end marker or the end of the
 * data, their caller frames moved back by one byte if adjust.  Leaves r
 * after the marker; LEGACY_UNRECOGNIZED if a stack runs past the end.
 */
enum legacy_result legacy_cpu_samples(struct word_reader *r, int64_t period, bool adjust,
				      struct legacy_profile *lp);

enum legacy_result legacy_parse_cpu(const uint8_t *data, size_t len, struct legacy_profile *lp,
				    struct error *e);

#endif
