#include "filter/filter.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

/* pprof's compileRegexOption: nothing for an empty value. */
static int compile_option(struct regex **re, const char *name, const char *value, struct error *e)
{
	*re = NULL;
	if (!value || !*value)
		return 0;
	*re = regex_compile(value, e);
	if (!*re)
		return error_prefix(e, "parsing %s regexp: ", name);
	return 0;
}

static int compile_tag_option(struct tag_filter **f, const char *name, const char *value, struct strbuf *notes,
			      struct error *e)
{
	*f = NULL;
	if (!value || !*value)
		return 0;
	*f = xcalloc(1, sizeof(**f));
	if (tag_filter_compile(*f, name, value, notes, e) < 0) {
		tag_filter_free(*f);
		free(*f);
		*f = NULL;
		return -1;
	}
	return 0;
}

int filter_set_compile(struct filter_set *f, const struct config *c, struct strbuf *notes, struct error *e)
{
	memset(f, 0, sizeof(*f));
	strbuf_init(&f->late_error.msg);
	if (compile_option(&f->focus, "focus", c->focus, e) < 0 ||
	    compile_option(&f->ignore, "ignore", c->ignore, e) < 0 ||
	    compile_option(&f->hide, "hide", c->hide, e) < 0 ||
	    compile_option(&f->show, "show", c->show, e) < 0 ||
	    compile_option(&f->show_from, "show_from", c->show_from, e) < 0 ||
	    compile_tag_option(&f->tagfocus, "tagfocus", c->tagfocus, notes, e) < 0 ||
	    compile_tag_option(&f->tagignore, "tagignore", c->tagignore, notes, e) < 0 ||
	    compile_option(&f->prune_from, "prune_from", c->prune_from, e) < 0) {
		filter_set_free(f);
		return -1;
	}
	if (compile_option(&f->tagshow, "tagshow", c->tagshow, &f->late_error) < 0 ||
	    compile_option(&f->taghide, "taghide", c->taghide, &f->late_error) < 0) {
		f->late_failed = true;
		regex_free(f->tagshow);
		f->tagshow = NULL;
	}
	return 0;
}

static void free_tag_filter(struct tag_filter *f)
{
	if (f) {
		tag_filter_free(f);
		free(f);
	}
}

void filter_set_free(struct filter_set *f)
{
	struct regex *all[] = { f->focus, f->ignore, f->hide, f->show, f->show_from, f->prune_from,
				f->tagshow, f->taghide };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		regex_free(all[i]);
	free_tag_filter(f->tagfocus);
	free_tag_filter(f->tagignore);
	error_clear(&f->late_error);
	memset(f, 0, sizeof(*f));
}

bool filter_set_active(const struct filter_set *f)
{
	return f->focus || f->ignore || f->hide || f->show || f->show_from || f->prune_from || f->tagfocus ||
	       f->tagignore || f->tagshow || f->taghide || f->late_failed;
}
