/*
 * tagfilter.h - pprof's -tagfocus and -tagignore: which samples a label
 * filter matches.
 *
 * "KEY=VALUE" limits the filter to one label key, a bare VALUE looks at
 * every key.  A VALUE that reads as a number or range with an optional
 * unit ("48b", "1kb:", ":512b", "1kb:10kb") matches numeric labels whose
 * value, in the unit of their key, falls in it; pprof's quirks hold: the
 * bounds must carry a unit the label's unit converts to, so "bytes=48"
 * and "bytes=1xb:" match nothing.  Any other VALUE is a comma-separated
 * list of regexps over string labels: with a key, any regexp matching any
 * value of that key; without, every regexp matching some "key:value".
 *
 * A tag_filter owns its strings and regexps.  Regexp results are
 * remembered per label string of one profile in a tag_memo.
 */
#ifndef CPPROF_TAGFILTER_H
#define CPPROF_TAGFILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "filter/regexp.h"
#include "profile/scan.h"
#include "profile/profile.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/strbuf.h"

enum tag_range { RANGE_EQUAL, RANGE_FROM, RANGE_UPTO, RANGE_BETWEEN };

struct tag_filter {
	char *key;		/* NULL: any key */
	bool numeric;
	enum tag_range range;
	double low, high;	/* bounds, in unit */
	char *unit;		/* as pprof's Scale names it: "kB", "B", "", or the text given */
	struct regex **regexps;
	size_t nregexps;
};

/* Remembered regexp results for the label strings of one profile. */
struct tag_memo {
	struct hmap results;	/* string pair -> 1 + bits of the regexps that matched */
	uint64_t nstrings;
};

/*
 * Compiles the value of option name ("tagfocus", "tagignore").  A numeric
 * filter adds pprof's note "NAME:Interpreted 'VALUE' as range, not
 * regexp" to notes.  Returns 0, or -1 with pprof's error in *e.
 */
int tag_filter_compile(struct tag_filter *f, const char *name, const char *value, struct strbuf *notes,
		       struct error *e);
void tag_filter_free(struct tag_filter *f);

void tag_memo_init(struct tag_memo *m, const struct profile *p);
void tag_memo_free(struct tag_memo *m);

/* True if the filter matches a sample with these labels (units: the profile's label units). */
bool tag_filter_match(const struct tag_filter *f, const struct profile *p, const struct label *labels,
		      size_t nlabels, const struct label_units *units, struct tag_memo *memo);

/*
 * pprof's parseTagFilterRange: 1 if text is a number or range with units
 * (range, bounds and unit are set in f), 0 if it is not (a regexp, then),
 * -1 with the reason in *e if a number is too large for 64 bits.
 */
int tag_parse_range(const char *text, struct tag_filter *f, struct error *e);

#endif
