/*
 * headers_write.c - the trimmed update as one unified diff of pure
 * insertions (3 lines of context, quilt style), and the list of what it
 * dropped.
 */
#include "analyse/headers_int.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- text */

/* Start offset of line n of fragment g (1-based); past the end: len. */
static size_t frag_line_start(const struct frag *g, long n)
{
	struct frag *w = (struct frag *)g; /* the index is a cache */
	size_t i;

	if (!w->ls) {
		w->ls = xmalloc((size_t)(g->cd.nlines + 2) * sizeof(*w->ls));
		w->nls = 0;
		w->ls[w->nls++] = 0;
		w->ls[w->nls++] = 0;
		for (i = 0; i < g->len; i++)
			if (g->text[i] == '\n' && w->nls < (size_t)g->cd.nlines + 1)
				w->ls[w->nls++] = i + 1;
	}
	if (n < 1)
		return 0;
	if ((size_t)n >= w->nls)
		return g->len;
	return w->ls[n];
}

static int frag_line_blank(const struct frag *g, long n)
{
	const char *s = g->text + frag_line_start(g, n);

	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\n' || *s == '\0';
}

static void add_lines(struct strbuf *out, const struct frag *g, long a, long b)
{
	size_t s, e;

	if (a > b)
		return;
	s = frag_line_start(g, a);
	e = frag_line_start(g, b + 1);
	sb_add(out, g->text + s, e - s);
	if (e == g->len && (e == 0 || g->text[e - 1] != '\n'))
		sb_addch(out, '\n');
}

/* Blank lines directly above line a (not crossing into a declaration). */
static long lead_blank(const struct frag *g, long a)
{
	while (a > 1) {
		if (!frag_line_blank(g, a - 1))
			break;
		a--;
	}
	return a;
}

static long trail_blank(const struct frag *g, long b)
{
	while (b < g->cd.nlines) {
		if (!frag_line_blank(g, b + 1))
			break;
		b++;
	}
	return b;
}

static long decl_text(struct trim *x, int fi, size_t si, int before,
		      struct strbuf *out);

/* A new #if block with only its kept declarations. */
static void cond_text(struct trim *x, int fi, size_t si, struct strbuf *out)
{
	struct hfile *h = &x->f[fi];
	struct cdecl *d = S(x, fi, si);
	const struct frag *g = &h->g[h->sd[si].g];
	size_t k;

	add_lines(out, g, d->cline, d->open_line);
	for (k = si + 1; k < h->nsd && h->sd[k].g == h->sd[si].g; k++) {
		struct cdecl *c = S(x, fi, k);
		if (trim_s_up(x, fi, k) != (long)si)
			continue;
		if (c->kind == CD_COND_ELSE)
			add_lines(out, g, c->line, c->end_line);
		else if (h->sd[k].kept)
			decl_text(x, fi, k, 0, out);
	}
	add_lines(out, g, d->close_line, d->end_line);
}

static long decl_text(struct trim *x, int fi, size_t si, int before,
		      struct strbuf *out)
{
	struct hfile *h = &x->f[fi];
	struct cdecl *d = S(x, fi, si);
	const struct frag *g = &h->g[h->sd[si].g];
	size_t len0 = out->len;
	long a = d->cline, b = d->end_line, n = 0;
	size_t i;

	if (!before)
		add_lines(out, g, lead_blank(g, a), a - 1);
	if (d->kind == CD_COND)
		cond_text(x, fi, si, out);
	else
		add_lines(out, g, a, b);
	if (before)
		add_lines(out, g, b + 1, trail_blank(g, b));
	for (i = len0; i < out->len; i++)
		n += out->buf[i] == '\n';
	return n;
}

/* ---------------------------------------------------------------- diff */

struct insertion {
	long tline;
	long order;
	char *text;
	long nlines;
};

static int ins_cmp(const void *a, const void *b)
{
	const struct insertion *p = a, *q = b;

	if (p->tline != q->tline)
		return p->tline < q->tline ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

struct tlines {
	const char **p;
	size_t *len;
	long n;
};

static void tlines_split(struct tlines *t, const char *buf, size_t len)
{
	size_t i = 0;

	t->p = NULL;
	t->len = NULL;
	t->n = 0;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;
		t->p = xrealloc(t->p, (size_t)(t->n + 1) * sizeof(*t->p));
		t->len = xrealloc(t->len, (size_t)(t->n + 1) * sizeof(*t->len));
		t->p[t->n] = buf + i;
		t->len[t->n] = n;
		t->n++;
		i += n + 1;
	}
}

static void hunk_range(struct strbuf *out, long start, long count)
{
	if (count == 1)
		sb_addf(out, "%ld", start);
	else
		sb_addf(out, "%ld,%ld", start, count);
}

/* Unified diff of pure insertions into the target file. */
static void emit_file(struct hfile *h, struct insertion *ins, size_t n,
		      struct strbuf *out)
{
	struct tlines t;
	size_t i = 0;
	long added_before = 0;

	tlines_split(&t, h->ttext, h->tlen);
	sb_addf(out, "--- a/%s\n+++ b/%s\n", h->path, h->path);
	while (i < n) {
		size_t j = i, k;
		long first, last, added = 0, l;
		/* group insertions whose contexts touch */
		while (j + 1 < n && ins[j + 1].tline - ins[j].tline <= 6)
			j++;
		first = ins[i].tline - 2;
		if (first < 1)
			first = 1;
		last = ins[j].tline + 3;
		if (last > t.n)
			last = t.n;
		for (k = i; k <= j; k++)
			added += ins[k].nlines;
		{
			long ocount = last - first + 1;
			long ostart = first;
			if (ocount <= 0) {
				ocount = 0;
				ostart = ins[i].tline;
			}
			sb_addstr(out, "@@ -");
			hunk_range(out, ostart, ocount);
			sb_addstr(out, " +");
			hunk_range(out, ocount ? ostart + added_before :
						 ostart + added_before + 1,
				   ocount + added);
			sb_addstr(out, " @@\n");
		}
		k = i;
		for (l = first; l <= last || k <= j; l++) {
			while (k <= j && ins[k].tline == l - 1) {
				const char *p = ins[k].text;
				while (*p) {
					const char *nl = strchr(p, '\n');
					size_t len = nl ? (size_t)(nl - p) : strlen(p);
					sb_addch(out, '+');
					sb_add(out, p, len);
					sb_addch(out, '\n');
					p += len + (nl ? 1 : 0);
				}
				k++;
			}
			if (l > last)
				break;
			if (l >= 1 && l <= t.n) {
				sb_addch(out, ' ');
				sb_add(out, t.p[l - 1], t.len[l - 1]);
				sb_addch(out, '\n');
			}
		}
		added_before += added;
		i = j + 1;
	}
	free(t.p);
	free(t.len);
}

/* Does the update add any line of d?  (Always, for a headers tree.) */
static int in_update(const struct frag *g, const struct cdecl *d)
{
	long l;

	if (!g->plus)
		return 1;
	for (l = d->cline; l <= d->end_line && l <= g->cd.nlines; l++)
		if (g->plus[l])
			return 1;
	return 0;
}

void trim_report_dropped(struct trim *x)
{
	size_t fi, si;

	for (fi = 0; fi < x->nf; fi++) {
		struct hfile *h = &x->f[fi];
		for (si = 0; si < h->nsd; si++) {
			struct sdecl *s = &h->sd[si];
			struct cdecl *d = S(x, (int)fi, si);
			long up = trim_s_up(x, (int)fi, si);
			long lines;
			if (s->present || s->kept || d->partial ||
			    d->kind == CD_COND_ELSE)
				continue;
			if (up >= 0 && !h->sd[up].present &&
			    S(x, (int)fi, (size_t)up)->kind != CD_COND)
				continue; /* inside a dropped aggregate */
			if (up >= 0 && !h->sd[up].present && !h->sd[up].kept)
				continue; /* inside a dropped #if block */
			if (!in_update(&h->g[s->g], d))
				continue; /* context of a hunk: not the update's */
			lines = d->end_line - d->cline + 1;
			trim_item_add_field(&x->r->dropped, h->path, d,
				       trim_is_field(d) ? trim_member_of(x, (int)fi, si) : NULL,
				       trim_is_field(d) ? trim_member_designator(x, (int)fi, si) : NULL,
				       lines, NULL);
			x->r->dropped_lines += lines;
		}
	}
}

int trim_emit(struct trim *x, struct strbuf *diff)
{
	size_t fi, si;

	for (fi = 0; fi < x->nf; fi++) {
		struct hfile *h = &x->f[fi];
		struct insertion *ins = NULL;
		size_t n = 0;
		for (si = 0; si < h->nsd; si++) {
			struct sdecl *s = &h->sd[si];
			struct cdecl *d = S(x, (int)fi, si);
			struct strbuf sb = STRBUF_INIT;
			if (!s->root)
				continue;
			sb_init(&sb);
			ins = xrealloc(ins, (n + 1) * sizeof(*ins));
			ins[n].tline = s->tline;
			ins[n].order = (long)si;
			ins[n].nlines = decl_text(x, (int)fi, si, s->before, &sb);
			ins[n].text = sb_detach(&sb, NULL);
			x->r->kept_lines += ins[n].nlines;
			trim_item_add_field(&x->r->kept, h->path, d,
				       trim_is_field(d) ? trim_member_of(x, (int)fi, si) : NULL,
				       trim_is_field(d) ? trim_member_designator(x, (int)fi, si) : NULL,
				       ins[n].nlines, s->why);
			n++;
		}
		if (!n)
			continue;
		qsort(ins, n, sizeof(*ins), ins_cmp);
		emit_file(h, ins, n, diff);
		x->r->files = xrealloc(x->r->files,
				       (x->r->nfiles + 1) * sizeof(char *));
		x->r->files[x->r->nfiles++] = xstrdup(h->path);
		for (si = 0; si < n; si++)
			free(ins[si].text);
		free(ins);
	}
	return 0;
}
