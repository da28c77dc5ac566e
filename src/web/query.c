#include "web/query.h"

#include <stdbool.h>
#include <string.h>

#include "util/strbuf.h"

/*
 * Each variable a URL may set, in the order of pprof's config fields, and
 * whether pprof writes it into the URLs it makes (sample_index is not one
 * of its saved settings).
 */
static const struct {
	const char *variable, *param;
	bool saved;
} params[] = {
	{ "call_tree", "calltree", true },	{ "relative_percentages", "rel", true },
	{ "unit", "unit", true },		{ "compact_labels", "compact", true },
	{ "intel_syntax", "intel", true },	{ "mean", "mean", true },
	{ "sample_index", "si", false },	{ "normalize", "norm", true },
	{ "sort", "sort", true },		{ "drop_negative", "dropneg", true },
	{ "nodecount", "n", true },		{ "nodefraction", "nf", true },
	{ "edgefraction", "ef", true },		{ "trim", "trim", true },
	{ "focus", "f", true },			{ "ignore", "i", true },
	{ "prune_from", "prunefrom", true },	{ "hide", "h", true },
	{ "show", "s", true },			{ "show_from", "sf", true },
	{ "tagfocus", "tf", true },		{ "tagignore", "ti", true },
	{ "tagshow", "ts", true },		{ "taghide", "th", true },
	{ "noinlines", "noinlines", true },	{ "granularity", "g", true },
};

enum { NPARAMS = sizeof(params) / sizeof(params[0]) };

int query_apply(struct config *cfg, const struct url_values *q, struct error *e)
{
	for (size_t i = 0; i < NPARAMS; i++) {
		const char *value = url_values_get(q, params[i].param);
		if (!*value)
			continue;
		if (config_set(cfg, params[i].variable, value, e) < 0)
			return error_prefix(e, "error setting config field %s: ", params[i].variable);
	}
	return 0;
}

void query_from_config(struct arena *a, const struct config *cfg, struct url_values *q)
{
	struct config defaults;
	config_init_default(&defaults);
	struct strbuf value = STRBUF_INIT, def = STRBUF_INIT;
	for (size_t i = 0; i < NPARAMS; i++) {
		if (!params[i].saved)
			continue;
		const struct option_def *o = config_variable(params[i].variable);
		strbuf_reset(&value);
		strbuf_reset(&def);
		config_get(cfg, o, &value);
		config_get(&defaults, o, &def);
		if (!strcmp(value.buf, def.buf))
			continue;
		if (o->kind == OPT_BOOL)
			value.buf[1] = '\0';
		url_values_set(a, q, params[i].param, value.buf);
	}
	strbuf_release(&value);
	strbuf_release(&def);
	config_free(&defaults);
}
