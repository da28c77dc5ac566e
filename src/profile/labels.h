/*
 * labels.h - sample labels as pprof's decoder sees them.
 *
 * A label with a string value is a string label; one without, but with a
 * number or a unit, is numeric; anything else was dropped by pprof's
 * decoder.  pprof keeps a sample's labels in maps from key to the values
 * in order, which group_labels() reproduces, and it gives each numeric
 * key one unit for the whole profile (NumLabelUnits), which
 * num_units_compute() works out.
 *
 * Ownership: a num_units owns its arrays and borrows the profile's
 * strings.
 */
#ifndef CPPROF_LABELS_H
#define CPPROF_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/hash.h"
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

/* pprof's NumLabelUnits: the unit of each numeric label key. */
struct num_units {
	const char **keys;
	const char **units;
	size_t count, cap;
	struct hmap index;	/* hash of key -> entry */
};

/*
 * Works out the units of the profile's numeric labels: a key's first unit
 * named, else "bytes" for alignment and request, else the key itself.
 * Other units named for a key are reported in warnings, a line each.
 */
void num_units_compute(struct num_units *u, const struct profile *p, struct strbuf *warnings);
/* The unit of key, or "" for a key no sample has. */
const char *num_units_get(const struct num_units *u, const char *key);
void num_units_free(struct num_units *u);

#endif
