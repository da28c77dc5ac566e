/*
 * help.h - what the shell says about itself: `help`, `help NAME` and the
 * `o` listing of every variable's value, in pprof's words and layout.
 * Texts come from the option and command tables; the profile adds its
 * sample types.  Everything is appended to a strbuf the caller owns.
 */
#ifndef CPPROF_SHELL_HELP_H
#define CPPROF_SHELL_HELP_H

#include "options/options.h"
#include "profile/profile.h"
#include "util/error.h"
#include "util/strbuf.h"

/*
 * pprof's commandHelp: the overview for an empty topic, else the help of
 * a command or variable; "Unknown command: TOPIC" for anything else.
 */
int shell_help(const struct profile *p, const char *topic, struct strbuf *out, struct error *e);

/* pprof's printCurrentOptions: "  name = value //: choices", sorted, no final newline. */
void shell_list_options(const struct profile *p, const struct config *cfg, struct strbuf *out);

#endif
