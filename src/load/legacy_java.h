/*
 * legacy_java.h - the Java profiles pprof reads: heap and contention text
 * ("--- heapz 1 ---", "--- contentionz 1 ---": attributes, samples, then
 * a symbol table of "0xADDR function (file:line)" lines), and the Java
 * flavour of the binary CPU profile (legacy_cpu.h) followed by the same
 * symbol table.  Locations are named by the table and lose their
 * addresses, as pprof's Aggregate leaves them.
 */
#ifndef CPPROF_LEGACY_JAVA_H
#define CPPROF_LEGACY_JAVA_H

#include <stddef.h>
#include <stdint.h>

#include "load/legacy_cpu.h"
#include "load/legacy_profile.h"

/* pprof's parseJavaProfile. */
enum legacy_result legacy_parse_java(const uint8_t *data, size_t len, struct legacy_profile *lp,
				     struct error *e);

/* pprof's javaCPUProfile: r is just past the header. */
enum legacy_result legacy_java_cpu(struct word_reader *r, int64_t period, struct legacy_profile *lp,
				   struct error *e);

#endif
