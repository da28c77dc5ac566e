/*
 * memmap.h - the memory maps at the end of legacy profiles
 * (/proc/self/maps lines after "--- Memory map: ---" or
 * "MAPPED_LIBRARIES:", or after the samples of a gperftools CPU profile),
 * read as pprof reads them: its two line formats, glog prefixes,
 * "name=value" substitutions, only executable entries; then pprof's
 * massageMappings (split regions merged, the main binary moved first) and
 * remapMappingIDs (each location given the first mapping holding it, with
 * pprof's repairs, and a catch-all mapping for the rest).
 */
#ifndef CPPROF_MEMMAP_H
#define CPPROF_MEMMAP_H

#include "load/gotext.h"
#include "load/legacy_profile.h"
#include "util/error.h"

/*
 * pprof's ParseMemoryMapFromScanner: the scanner's remaining lines are a
 * memory map; its mappings are added to lp's, then locations are
 * renumbered in first-use order and given their mappings.  Returns 0, or
 * -1 if the scanner fails.
 */
int memmap_read(struct legacy_profile *lp, struct go_scanner *s, struct error *e);

/*
 * pprof's parseAdditionalSections: skips lines up to a memory-map
 * sentinel (unless the current line is one), then memmap_read().
 */
int memmap_read_sections(struct legacy_profile *lp, struct go_scanner *s, struct error *e);

/* pprof's remapMappingIDs: gives every location with an address a mapping. */
void memmap_assign_locations(struct legacy_profile *lp);

#endif
