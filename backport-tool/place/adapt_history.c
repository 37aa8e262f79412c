/*
 * adapt_history.c - renames from upstream's history (input/gitsrc.h's
 * gitsrc_find_renames): a hunk that uses a name upstream gave something
 * after the target's release is adapted with the release's name in all its
 * lines, and the adaptation names the commit that renamed it.
 */
#include "place/adapt_int.h"
#include "input/gitsrc.h"

#include <stdlib.h>
#include <string.h>

static int hunk_uses(const struct hunk *h, const char *name)
{
	struct adapt_tok tk[ADAPT_MAX_TOKENS];
	size_t l, wl = strlen(name);
	int n, k;

	for (l = 0; l < h->nlines; l++) {
		n = adapt_tokens(h->lines[l].text, h->lines[l].len, tk,
				 ADAPT_MAX_TOKENS);
		for (k = 0; k < n; k++)
			if (tk[k].ident && tk[k].len == wl &&
			    !memcmp(tk[k].p, name, wl))
				return 1;
	}
	return 0;
}

/* The history renames h uses, as a map; -1 with why when one of them is
   ambiguous. */
static int history_map(const struct hunk *h, const struct place_opts *o,
		       struct adapt_map *m, struct strbuf *why)
{
	size_t i;

	for (i = 0; i < o->nhistory; i++) {
		const struct gitsrc_rename *r = &o->history[i];

		if (!hunk_uses(h, r->from))
			continue;
		if (!r->to) {
			sb_addf(why, "%s was renamed from %s in commit %.10s: "
				"ambiguous", r->from, r->also, r->commit);
			return -1;
		}
		ALLOC_GROW(m->v, m->n + 1, m->alloc);
		m->v[m->n].from = xstrdup(r->from);
		m->v[m->n].to = xstrdup(r->to);
		m->v[m->n].commit = xstrdup(r->commit);
		m->n++;
	}
	return 0;
}

static void take_history(struct adaptation *a, struct adapt_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		ALLOC_GROW(a->renames, a->nrenames + 1, a->ralloc);
		a->renames[a->nrenames++] = m->v[i];
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
	a->kinds |= ADAPT_RENAME;
}

int adapt_hunk_history(const struct text *t, const struct hunk *h, long lfl,
		       long limit, const struct place_opts *opts, int applied,
		       struct adaptation *a)
{
	struct adapt_map m = { 0 };
	struct strbuf text = STRBUF_INIT, func = STRBUF_INIT;
	struct hunk mh = *h;
	struct pline *l;
	size_t i, *off;
	int ret;

	if (history_map(h, opts, &m, &a->why) < 0) {
		adapt_map_release(&m);
		return 0;
	}
	if (!m.n)
		return applied ? adapt_hunk_applied(t, h, lfl, limit, a)
			       : adapt_hunk(t, h, lfl, limit, a);
	l = xcalloc(h->nlines + 1, sizeof(*l));
	off = xcalloc(h->nlines + 1, sizeof(*off));
	for (i = 0; i < h->nlines; i++) {
		l[i] = h->lines[i];
		off[i] = text.len;
		adapt_map_line(&m, h->lines[i].text, h->lines[i].len, &text);
		l[i].len = text.len - off[i];
	}
	for (i = 0; i < h->nlines; i++)
		l[i].text = text.buf + off[i];
	mh.lines = l;
	if (h->func) { /* the heading's function may be one of the renamed */
		adapt_map_line(&m, h->func, h->func_len, &func);
		mh.func = func.buf;
		mh.func_len = func.len;
	}
	ret = applied ? adapt_hunk_applied(t, &mh, lfl, limit, a)
		      : adapt_hunk(t, &mh, lfl, limit, a);
	if (!ret && a->nlines && !a->kinds) {
		/* placed as it is once renamed: the rename is the adaptation */
		sb_reset(&a->why);
		ret = 1;
	}
	if (ret)
		take_history(a, &m);
	adapt_map_release(&m);
	sb_release(&text);
	sb_release(&func);
	free(off);
	free(l);
	return ret;
}
