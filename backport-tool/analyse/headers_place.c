/*
 * headers_place.c - where each kept declaration goes in the target file:
 * after the nearest earlier sibling the target has.
 */
#include "analyse/headers_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ placement */

/* The target container a source declaration sits in (-1: file level). */
static long s_key(struct trim *x, int fi, size_t si)
{
	long up = trim_s_up(x, fi, si);

	if (up < 0)
		return -1;
	return x->f[fi].sd[up].tm >= 0 ? x->f[fi].sd[up].tm : -2 - up;
}

/* The target's include guard (the outermost #if), or -1. */
static int t_guard(struct hfile *h)
{
	size_t k;

	for (k = 0; k < h->td.n; k++)
		if (h->td.v[k].kind == CD_COND && h->td.v[k].up < 0)
			return (int)k;
	return -1;
}

void trim_place(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	struct sdecl *s = &h->sd[si];
	long key = s_key(x, fi, si), up = trim_s_up(x, fi, si);
	size_t k;
	int guard;

	s->anchor = -1;
	for (k = si; k-- > 0;) {
		if (s_key(x, fi, k) != key)
			continue;
		if (h->sd[k].present && h->sd[k].tm >= 0) {
			s->tline = h->td.v[h->sd[k].tm].end_line;
			s->anchor = h->sd[k].tm;
			return;
		}
	}
	for (k = si + 1; k < h->nsd; k++) {
		if (s_key(x, fi, k) != key)
			continue;
		if (h->sd[k].present && h->sd[k].tm >= 0) {
			s->tline = h->td.v[h->sd[k].tm].cline - 1;
			s->before = 1;
			return;
		}
	}
	if (up >= 0 && h->sd[up].tm >= 0) {
		s->tline = h->td.v[h->sd[up].tm].open_line;
		return;
	}
	guard = t_guard(h);
	s->tline = guard >= 0 ? h->td.v[guard].close_line - 1 : h->td.nlines;
	s->before = 1;
}

/*
 * An enumerator placed after the target's last one, which has no comma:
 * upstream changed that line too, and an insertion alone would not
 * compile.  Refuse rather than write a broken header.
 */
static void check_comma(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	struct sdecl *s = &h->sd[si];
	struct cdecl *a;
	char *t;
	size_t n;

	if (S(x, fi, si)->kind != CD_ENUMERATOR || s->anchor < 0)
		return;
	a = &h->td.v[s->anchor];
	if (a->kind != CD_ENUMERATOR)
		return;
	t = cdecl_normalize(h->ttext, a->start, a->end);
	n = strlen(t);
	if (!n || t[n - 1] != ',') {
		struct strbuf msg = STRBUF_INIT;
		sb_init(&msg);
		sb_addf(&msg, "%s would follow %s, which has no comma in the target: upstream changed that line too",
			S(x, fi, si)->name, a->name);
		trim_value_add(&x->r->conflicts, h->path, a->line, S(x, fi, si)->name,
			  NULL, NULL, NULL, msg.buf);
		sb_release(&msg);
	}
	free(t);
}

void trim_place_all(struct trim *x)
{
	size_t fi, si;

	for (fi = 0; fi < x->nf; fi++)
		for (si = 0; si < x->f[fi].nsd; si++) {
			struct sdecl *s = &x->f[fi].sd[si];
			long up = trim_s_up(x, (int)fi, si);
			if (!s->kept || (up >= 0 && x->f[fi].sd[up].kept))
				continue;
			s->root = 1;
			trim_place(x, (int)fi, si);
			check_comma(x, (int)fi, si);
		}
}
