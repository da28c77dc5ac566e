/*
 * prune.h - pprof's RemoveUninteresting: the frames a profile's
 * drop_frames regexp names (unless keep_frames keeps them), and every
 * frame below them towards the leaf, leave the samples.
 *
 * It runs right after symbolization, since it matches function names;
 * legacy profiles name allocator and runtime internals this way.  Changed
 * locations lose their inner lines, changed samples are re-encoded into
 * a new sample buffer that the profile's store then owns.
 */
#ifndef CPPROF_PRUNE_H
#define CPPROF_PRUNE_H

#include "profile/profile.h"

void profile_remove_uninteresting(struct profile *p);

#endif
