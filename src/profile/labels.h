/*
 * labels.h - sample labels as pprof's decoder sees them.
 *
 * A label with a string value is a string label; one without, but with a
 * number or a unit, is numeric; anything else was dropped by pprof's
 * decoder.  pprof keeps a sample's labels in maps from key to the values
 * in order, which group_labels() reproduces.  (The unit of each numeric
 * key, pprof's NumLabelUnits, is worked out by filter/scan.h.)
 */
#ifndef CPPROF_LABELS_H
#define CPPROF_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/strbuf.h"

static inline bool label_is_string(const struct label *l)
{
	return l->str != 0;
}

static inline bool label_is_numeric(const struct label *l)
{
	return l->str == 0 && (l->num != 0 || l->num_unit != 0);
}

/* One key of a sample's labels: its values are labels[order[first]] ... */
struct label_key {
	const char *name;
	size_t first, count;
	bool has_unit;		/* numeric: some value names a unit */
};

/*
 * Groups the string (or numeric) labels of a sample by key, keys in order
 * of first appearance, values in order.  keys and order need room for n.
 * Returns the number of keys.
 */
size_t group_labels(const struct profile *p, const struct label *labels, size_t n, bool numeric,
		    struct label_key *keys, uint32_t *order);

#endif
