#include "web/query.h"

#include <string.h>

#include "util/strbuf.h"

/* Each variable a URL may set, in the order of pprof's config fields. */
static const struct {
	const char *variable, *param;
} params[] = {
	{ "call_tree", "calltree" },	{ "relative_percentages", "rel" },
	{ "unit", "unit" },		{ "compact_labels", "compact" },
	{ "intel_syntax", "intel" },	{ "mean", "mean" },
	{ "sample_index", "si" },	{ "normalize", "norm" },
	{ "sort", "sort" },		{ "drop_negative", "dropneg" },
	{ "nodecount", "n" },		{ "nodefraction", "nf" },
	{ "edgefraction", "ef" },	{ "trim", "trim" },
	{ "focus", "f" },		{ "ignore", "i" },
	{ "prune_from", "prunefrom" },	{ "hide", "h" },
	{ "show", "s" },		{ "show_from", "sf" },
	{ "tagfocus", "tf" },		{ "tagignore", "ti" },
	{ "tagshow", "ts" },		{ "taghide", "th" },
	{ "noinlines", "noinlines" },	{ "granularity", "g" },
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
		const struct option_def *o = config_variable(params[i].variable);
		strbuf_reset(&value);
		strbuf_reset(&def);
		config_get(cfg, o, &value);
		config_get(&defaults, o, &def);
		/* pprof keeps sample_index out of its URLs (not a saved setting) */
		if (!strcmp(params[i].param, "si") || !strcmp(value.buf, def.buf))
			continue;
		if (o->kind == OPT_BOOL)
			value.buf[1] = '\0';
		url_values_set(a, q, params[i].param, value.buf);
	}
	strbuf_release(&value);
	strbuf_release(&def);
	config_free(&defaults);
}
