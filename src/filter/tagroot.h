/*
 * tagroot.h - pprof's -tagroot and -tagleaf (its tagroot.go): pseudo
 * frames made of labels, added to every sample so that reports group
 * samples by label value.  A frame's function is named after the values
 * the sample has for a key (joined by commas; numeric ones formatted in
 * the report's unit) and its file after the key.  The first root key
 * becomes the new root, the last leaf key the new leaf.
 */
#ifndef CPPROF_TAGROOT_H
#define CPPROF_TAGROOT_H

#include "profile/profile.h"
#include "util/strbuf.h"

/*
 * Makes out: a copy of p (with its drop_frames applied, as pprof prunes
 * before it adds these frames) whose samples carry the frames of
 * root_keys and leaf_keys (comma-separated lists).  unit is the report's
 * -unit.  pprof's warnings about keys no sample has go into warnings.
 */
void profile_add_label_frames(const struct profile *p, const char *root_keys, const char *leaf_keys,
			      const char *unit, struct profile *out, struct strbuf *warnings);

#endif
