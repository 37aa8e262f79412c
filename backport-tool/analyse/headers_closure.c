/*
 * headers_closure.c - what the consumers need that only the update has,
 * closed over what those declarations need (references, containers,
 * contents): the roots, then keep() and its reasons.
 */
#include "analyse/headers_int.h"

#include <stdlib.h>

/* ------------------------------------------------------------- closure */

static void need_name(struct trim *x, const char *name, const char *by)
{
	struct nent *e;

	if (trim_nidx_get(&x->tidx, name)) {
		trim_check_value(x, name, by);
		return;
	}
	for (e = trim_nidx_get(&x->sidx, name); e; e = trim_nidx_next(e->next, name)) {
		struct strbuf why = STRBUF_INIT;
		sb_init(&why);
		sb_addf(&why, "needed by %s", by);
		trim_keep(x, e->fi, (size_t)e->di, why.buf);
		sb_release(&why);
	}
}

/* A new declaration would define a name the target has: a redefinition. */
static void check_redefinition(struct trim *x, int fi, size_t si,
			       const char *in)
{
	struct cdecl *d = S(x, fi, si);
	struct nent *te;
	size_t n;

	if (!trim_names_global(d->kind))
		return;
	for (n = 0; n < d->nnames; n++) {
		int tk, sk;
		long long tv, sv;
		char *tt, *st;
		struct strbuf msg = STRBUF_INIT;
		te = trim_nidx_get(&x->tidx, d->names[n]);
		if (!te)
			continue;
		tt = trim_value_text(x, 0, d->names[n], &tk, &tv);
		st = trim_value_text(x, 1, d->names[n], &sk, &sv);
		if (tk && sk && tv == sv && d->kind == T(x, te->fi, te->di)->kind) {
			free(tt);
			free(st);
			continue; /* the same macro again: harmless */
		}
		sb_init(&msg);
		sb_addf(&msg, "%s would redefine %s, which the target has at %s:%ld%s%s",
			in, d->names[n], x->f[te->fi].path,
			T(x, te->fi, te->di)->line, tt ? " as " : "", tt ? tt : "");
		trim_value_add(&x->r->conflicts, x->f[fi].path, d->line, d->names[n], tt,
			  st, st, msg.buf);
		sb_release(&msg);
		free(tt);
		free(st);
	}
}

static void keep_refs(struct trim *x, int fi, size_t si)
{
	struct cdecl *d = S(x, fi, si);
	size_t r;
	const char *by = trim_decl_label(d);
	char *label;

	/* name what the report lists: an anonymous aggregate is part of
	   the tagged one around it */
	if ((d->kind == CD_STRUCT || d->kind == CD_UNION) && !d->name &&
	    trim_member_of(x, fi, si))
		by = trim_member_of(x, fi, si);
	label = xstrdup(by);
	for (r = 0; r < d->nrefs; r++)
		need_name(x, d->refs[r], label);
	free(label);
}

void trim_keep(struct trim *x, int fi, size_t si, const char *why)
{
	struct hfile *h = &x->f[fi];
	struct sdecl *s = &h->sd[si];
	struct cdecl *d = S(x, fi, si);
	long up;
	size_t k;

	if (s->kept || s->present)
		return;
	if (d->partial) {
		struct strbuf msg = STRBUF_INIT;
		sb_init(&msg);
		sb_addf(&msg, "%s is needed (%s) but the source shows only part of it",
			trim_decl_label(d), why);
		trim_value_add(&x->r->conflicts, h->path, 0, trim_decl_label(d), NULL, NULL,
			  NULL, msg.buf);
		sb_release(&msg);
		return;
	}
	s->kept = 1;
	s->why = xstrdup(why);
	up = trim_s_up(x, fi, si);
	if (up >= 0 && !h->sd[up].present) {
		struct strbuf w = STRBUF_INIT;
		sb_init(&w);
		sb_addf(&w, "holds %s", trim_decl_label(d));
		trim_keep(x, fi, (size_t)up, w.buf);
		sb_release(&w);
	}
	keep_refs(x, fi, si);
	if (d->kind == CD_STRUCT || d->kind == CD_UNION || d->kind == CD_ENUM) {
		/* a new aggregate comes whole: every line inside it */
		for (k = si + 1; k < h->nsd && h->sd[k].g == s->g; k++) {
			long a = trim_s_up(x, fi, k);
			while (a >= 0 && a != (long)si)
				a = trim_s_up(x, fi, (size_t)a);
			if (a != (long)si)
				continue;
			if (h->sd[k].present) {
				check_redefinition(x, fi, k, trim_decl_label(d));
				continue;
			}
			h->sd[k].kept = 1;
			free(h->sd[k].why);
			h->sd[k].why = xstrdup("part of it");
			keep_refs(x, fi, k);
		}
	}
}

static int is_tag_user(struct trim *x, int fi, long si)
{
	struct cdecl *d;
	size_t n;

	while (si >= 0) {
		int tm = x->f[fi].sd[si].tm;
		d = S(x, fi, (size_t)si);
		for (n = 0; n < d->nnames; n++)
			if (trim_nidx_get(&x->used, d->names[n]))
				return 1;
		/* a hunk's unnamed container: the target's names count */
		for (; d->partial && tm >= 0; tm = T(x, fi, tm)->parent)
			for (n = 0; n < T(x, fi, tm)->nnames; n++)
				if (trim_nidx_get(&x->used, T(x, fi, tm)->names[n]))
					return 1;
		si = trim_s_parent(x, fi, (size_t)si);
	}
	return 0;
}

/*
 * A used field sits in a nested aggregate upstream added around fields
 * the target has (a union member became a struct of two): inserting
 * lines cannot express that, so say what is missing.
 */
static void note_restructured(struct trim *x, int fi, size_t si)
{
	struct cdecl *d = S(x, fi, si);
	const char *of = trim_member_of(x, fi, si);
	struct strbuf msg = STRBUF_INIT;
	long a = trim_s_parent(x, fi, si);

	long wrap = -1;
	size_t k;
	int around = 0;

	while (a >= 0 && !x->f[fi].sd[a].present) {
		wrap = a;
		a = trim_s_parent(x, fi, (size_t)a);
	}
	if (a < 0 || wrap < 0 || S(x, fi, (size_t)wrap)->name ||
	    x->f[fi].sd[a].tm < 0)
		return;
	/* the new anonymous aggregate holds a field the target has */
	for (k = (size_t)wrap + 1; k < x->f[fi].nsd &&
	     x->f[fi].sd[k].g == x->f[fi].sd[wrap].g; k++)
		if (trim_s_parent(x, fi, k) == wrap && S(x, fi, k)->name &&
		    trim_t_find_member(x, fi, x->f[fi].sd[a].tm, S(x, fi, k)->name) >= 0)
			around = 1;
	if (!around)
		return;
	sb_init(&msg);
	{
		char *des = trim_member_designator(x, fi, si);
		sb_addf(&msg, "%s%s%s is in a nested aggregate upstream added around existing fields; a trimmed diff cannot add it",
			des, of ? " of " : "", of ? of : "");
		free(des);
	}
	trim_value_add(&x->r->warnings, x->f[fi].path,
		  x->f[fi].g[x->f[fi].sd[si].g].plus ? 0 : d->line, d->name,
		  NULL, NULL, NULL, msg.buf);
	sb_release(&msg);
}

/*
 * A header the consumers include and use that the target has no copy of
 * (QEMU started copying it later): a trimmed diff adds declarations to
 * existing copies, it does not create files, so say what is missing.
 */
void trim_check_new_headers(struct trim *x)
{
	size_t b;
	struct nent *e;

	if (!x->o->source_dir)
		return;
	for (b = 0; b < x->includes.nb; b++)
		for (e = x->includes.b[b]; e; e = e->next) {
			struct strbuf path = STRBUF_INIT, tpath = STRBUF_INIT;
			struct strbuf text, msg = STRBUF_INIT;
			struct tree_file tf;
			struct cdecl_file cd;
			size_t k, used = 0;
			sb_init(&path);
			sb_init(&tpath);
			sb_addf(&path, "%s/%s", x->o->source_dir, e->name);
			sb_addf(&tpath, "linux-headers/%s", e->name);
			if (tree_get(x->t, tpath.buf, &tf) == TREE_ENOENT &&
			    !read_whole_file(path.buf, MAX_INPUT_SIZE, &text)) {
				sb_init(&msg);
				cdecl_scan(&cd, text.buf, text.len);
				for (k = 0; k < cd.n; k++) {
					const char *n = cd.v[k].name;
					if (!n || !trim_indexed(&cd.v[k]) ||
					    !trim_nidx_get(&x->used, n) ||
					    trim_nidx_get(&x->tidx, n) || trim_nidx_get(&x->cdefs, n))
						continue;
					sb_addf(&msg, "%s%s", used++ ? ", " : "", n);
					if (used == 5) {
						sb_addstr(&msg, ", ...");
						break;
					}
				}
				if (used) {
					struct strbuf m = STRBUF_INIT;
					sb_init(&m);
					sb_addf(&m, "the consumers include %s and use %s; the target has no copy of it, and a trimmed diff does not create files",
						e->name, msg.buf);
					trim_value_add(&x->r->warnings, tpath.buf, 0, e->name,
						  NULL, NULL, NULL, m.buf);
					sb_release(&m);
				}
				cdecl_file_release(&cd);
				sb_release(&text);
				sb_release(&msg);
			}
			sb_release(&path);
			sb_release(&tpath);
		}
}

void trim_find_roots(struct trim *x)
{
	size_t b, fi, si;
	struct nent *e;

	for (b = 0; b < x->used.nb; b++)
		for (e = x->used.b[b]; e; e = e->next) {
			struct nent *se;
			int first = 1;
			x->r->nused++;
			if (trim_nidx_get(&x->tidx, e->name)) {
				trim_check_value(x, e->name, NULL);
				continue;
			}
			if (trim_nidx_get(&x->cdefs, e->name))
				continue;
			for (se = trim_nidx_get(&x->sidx, e->name); se;
			     se = trim_nidx_next(se->next, e->name)) {
				struct cdecl *d = S(x, se->fi, (size_t)se->di);
				if (first)
					trim_item_add(&x->r->needed, x->f[se->fi].path, d,
						 NULL, 0, NULL);
				first = 0;
				trim_keep(x, se->fi, (size_t)se->di, "used");
			}
		}
	/* new fields of structs the target has, when both are used */
	for (fi = 0; fi < x->nf; fi++)
		for (si = 0; si < x->f[fi].nsd; si++) {
			struct cdecl *d = S(x, (int)fi, si);
			long par = trim_s_parent(x, (int)fi, si);
			if (!trim_is_field(d) || x->f[fi].sd[si].present || par < 0 ||
			    !trim_nidx_get(&x->used, d->name) ||
			    !is_tag_user(x, (int)fi, par))
				continue;
			if (!x->f[fi].sd[par].present) {
				note_restructured(x, (int)fi, si);
				continue;
			}
			trim_item_add_field(&x->r->needed, x->f[fi].path, d,
				       trim_member_of(x, (int)fi, si),
				       trim_member_designator(x, (int)fi, si), 0, NULL);
			trim_keep(x, (int)fi, si, "used");
		}
}
