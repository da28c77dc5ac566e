#include "profile/labels.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

size_t group_labels(const struct profile *p, const struct label *labels, size_t n, bool numeric,
		    struct label_key *keys, uint32_t *order)
{
	size_t nkeys = 0, k = 0;
	/* few labels per sample: a quadratic grouping is the cheapest */
	for (size_t i = 0; i < n; i++) {
		const struct label *l = &labels[i];
		if (!(numeric ? label_is_numeric(l) : label_is_string(l)))
			continue;
		const char *name = profile_string(p, l->key);
		bool seen = false;
		for (size_t j = 0; j < nkeys && !seen; j++)
			seen = !strcmp(keys[j].name, name);
		if (seen)
			continue;
		struct label_key *key = &keys[nkeys++];
		key->name = name;
		key->first = k;
		key->count = 0;
		key->has_unit = false;
		for (size_t j = i; j < n; j++) {
			const struct label *m = &labels[j];
			if (!(numeric ? label_is_numeric(m) : label_is_string(m)))
				continue;
			if (strcmp(profile_string(p, m->key), name))
				continue;
			order[k++] = (uint32_t)j;
			key->count++;
			if (m->num_unit != 0)
				key->has_unit = true;
		}
	}
	return nkeys;
}
