/*
 * demangle.h - C++ (and Rust) symbol names made readable, as pprof
 * shows them.
 *
 * pprof's default drops parameters, return types, clone suffixes and
 * template arguments ("std::vector::push_back"); -symbolize=demangle=
 * templates keeps template arguments, =full keeps everything but clone
 * suffixes, and =none, by a quirk of pprof kept here, demangles fully,
 * clone suffixes included.  Names that are not mangled but look like
 * demangled C++ are simplified by pprof's bracket heuristics.  The
 * demangling itself is libiberty's, the code behind c++filt.
 */
#ifndef CPPROF_DEMANGLE_H
#define CPPROF_DEMANGLE_H

enum demangle_mode { DEMANGLE_DEFAULT, DEMANGLE_TEMPLATES, DEMANGLE_FULL, DEMANGLE_NONE };

/* The name pprof shows for a symbol name: malloc'd, or NULL if it is the name itself. */
char *demangle_name(const char *system_name, enum demangle_mode mode);

#endif
