/*
 * headers_match.c - which declarations of the update the target already
 * has: by name, by container, by preprocessor condition, by fields.
 */
#include "analyse/headers_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ indexing */

int trim_names_global(enum cdecl_kind k)
{
	return k != CD_MEMBER && k != CD_INCLUDE && k != CD_COND &&
	       k != CD_COND_ELSE && k != CD_PP_OTHER && k != CD_UNDEF;
}

/* Names other declarations and consumers can use: not fields, and not
   the member name of a nested "union { ... } u;". */
int trim_indexed(const struct cdecl *d)
{
	if (!trim_names_global(d->kind))
		return 0;
	if ((d->kind == CD_STRUCT || d->kind == CD_UNION) && d->parent >= 0 &&
	    (!d->name || !strchr(d->name, ' ')))
		return 0;
	return 1;
}

void trim_index_all(struct trim *x)
{
	size_t fi, k, g;

	for (fi = 0; fi < x->nf; fi++) {
		struct hfile *h = &x->f[fi];
		for (k = 0; k < h->td.n; k++) {
			struct cdecl *d = &h->td.v[k];
			size_t n;
			if (!trim_indexed(d))
				continue;
			for (n = 0; n < d->nnames; n++)
				trim_nidx_add(&x->tidx, d->names[n], (int)fi, (int)k);
		}
		h->nsd = 0;
		for (g = 0; g < h->ng; g++)
			h->nsd += h->g[g].cd.n;
		h->sd = xcalloc(h->nsd + 1, sizeof(*h->sd));
		h->nsd = 0;
		for (g = 0; g < h->ng; g++) {
			h->g[g].base = h->nsd;
			for (k = 0; k < h->g[g].cd.n; k++) {
				struct sdecl *s = &h->sd[h->nsd++];
				struct cdecl *d = &h->g[g].cd.v[k];
				size_t n;
				s->g = (int)g;
				s->d = (int)k;
				s->tm = -1;
				if (!trim_indexed(d) || d->partial)
					continue;
				for (n = 0; n < d->nnames; n++)
					trim_nidx_add(&x->sidx, d->names[n], (int)fi,
						 (int)(h->nsd - 1));
			}
		}
	}
}

/* ------------------------------------------------------------ matching */

/* The target declaration of this file defining name, preferring kind. */
static int t_find(struct trim *x, int fi, const char *name, int parent)
{
	struct nent *e;
	int any = -1;

	for (e = trim_nidx_get(&x->tidx, name); e; e = trim_nidx_next(e->next, name)) {
		if (e->fi != fi)
			continue;
		if (parent < -1 || T(x, fi, e->di)->parent == parent)
			return e->di;
		if (any < 0)
			any = e->di;
	}
	return any;
}

/* A target member of aggregate tp (directly or in an anonymous one). */
int trim_t_find_member(struct trim *x, int fi, int tp, const char *name)
{
	struct hfile *h = &x->f[fi];
	size_t k;

	for (k = (size_t)tp + 1; k < h->td.n; k++) {
		struct cdecl *d = &h->td.v[k];
		int a = d->parent;
		if (d->line > h->td.v[tp].end_line)
			break;
		if (d->kind != CD_MEMBER && d->kind != CD_STRUCT &&
		    d->kind != CD_UNION)
			continue;
		if (!d->name || strcmp(d->name, name))
			if (!cdecl_defines(d, name))
				continue;
		while (a >= 0 && a != tp && !h->td.v[a].name)
			a = h->td.v[a].parent;
		if (a == tp)
			return (int)k;
	}
	return -1;
}

/* Source children (direct, through #if blocks) of container si. */
static int s_child_names_in_t(struct trim *x, int fi, size_t si, int tp)
{
	struct hfile *h = &x->f[fi];
	size_t k;

	for (k = si + 1; k < h->nsd; k++) {
		struct cdecl *d = S(x, fi, k);
		if (h->sd[k].g != h->sd[si].g)
			break;
		if (trim_s_parent(x, fi, k) != (long)si || !d->name)
			continue;
		if (tp >= 0) {
			/* an anonymous aggregate of the same kind inside tp */
			int m = trim_t_find_member(x, fi, tp, d->name);
			if (m >= 0 && T(x, fi, m)->parent != tp &&
			    T(x, fi, T(x, fi, m)->parent)->kind == S(x, fi, si)->kind)
				return T(x, fi, m)->parent;
		} else {
			int t = t_find(x, fi, d->name, -2);
			if (t >= 0 && T(x, fi, t)->parent >= 0 &&
			    T(x, fi, T(x, fi, t)->parent)->kind == CD_ENUM)
				return T(x, fi, t)->parent;
		}
	}
	return -1;
}

/* A field: a member, or a nested "struct { ... } name;". */
int trim_is_field(const struct cdecl *d)
{
	if (d->kind == CD_MEMBER)
		return d->name != NULL;
	return (d->kind == CD_STRUCT || d->kind == CD_UNION) && d->parent >= 0 &&
	       d->name && !strchr(d->name, ' ');
}

static int t_parent_by_fields(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	int *votes = xcalloc(h->td.n + 1, sizeof(int));
	int best = -1, tie = 0;
	size_t k, t;

	for (k = si + 1; k < h->nsd && h->sd[k].g == h->sd[si].g; k++) {
		const struct cdecl *c = S(x, fi, k);
		if (trim_s_parent(x, fi, k) != (long)si || !trim_is_field(c))
			continue;
		for (t = 0; t < h->td.n; t++)
			if (trim_is_field(&h->td.v[t]) && h->td.v[t].parent >= 0 &&
			    !strcmp(h->td.v[t].name, c->name))
				votes[h->td.v[t].parent]++;
	}
	for (t = 0; t < h->td.n; t++) {
		if (!votes[t])
			continue;
		if (best < 0 || votes[t] > votes[best]) {
			best = (int)t;
			tie = 0;
		} else if (votes[t] == votes[best]) {
			tie = 1;
		}
	}
	free(votes);
	return tie ? -1 : best;
}

static int t_find_cond(struct trim *x, int fi, const struct cdecl *d, int tup)
{
	struct hfile *h = &x->f[fi];
	size_t k;
	int loose = -1;

	for (k = 0; k < h->td.n; k++) {
		struct cdecl *t = &h->td.v[k];
		if (t->kind != CD_COND || h->tcond_used[k] || !t->value ||
		    strcmp(t->value, d->value))
			continue;
		if (t->up == tup)
			return (int)k;
		if (loose < 0)
			loose = (int)k;
	}
	return loose;
}

/*
 * The preprocessor lines and the declarations uapi headers do not really
 * have: matched by their text.  1 when d was one of them.
 */
static int match_directive(struct trim *x, int fi, size_t si, long up)
{
	struct hfile *h = &x->f[fi];
	struct sdecl *s = &h->sd[si];
	struct cdecl *d = S(x, fi, si);
	int tup = up >= 0 ? h->sd[up].tm : -1;
	size_t k;

	switch (d->kind) {
	case CD_COND:
		s->tm = t_find_cond(x, fi, d, tup);
		s->present = s->tm >= 0;
		if (s->present)
			h->tcond_used[s->tm] = 1;
		return 1;
	case CD_COND_ELSE:
		s->present = up < 0 || h->sd[up].present;
		if (tup >= 0)
			for (k = (size_t)tup + 1; k < h->td.n; k++)
				if (h->td.v[k].kind == CD_COND_ELSE &&
				    h->td.v[k].up == tup &&
				    !strcmp(h->td.v[k].value, d->value)) {
					s->tm = (int)k;
					break;
				}
		return 1;
	case CD_INCLUDE:
		for (k = 0; k < h->td.n; k++)
			if (h->td.v[k].kind == CD_INCLUDE && h->td.v[k].name &&
			    d->name && !strcmp(h->td.v[k].name, d->name)) {
				s->tm = (int)k;
				break;
			}
		s->present = s->tm >= 0;
		return 1;
	case CD_VAR:
		/* uapi headers declare no variables: a misread, never needed */
		s->present = 1;
		return 1;
	case CD_PP_OTHER:
	case CD_UNDEF:
	case CD_OTHER:
		s->present = 1;
		for (k = 0; k < h->td.n; k++)
			if (h->td.v[k].kind == d->kind && h->td.v[k].value &&
			    d->value && !strcmp(h->td.v[k].value, d->value)) {
				s->tm = (int)k;
				break;
			}
		return 1;
	default:
		return 0;
	}
}

/* A declaration without a name: an enum, or an anonymous aggregate. */
static void match_unnamed(struct trim *x, int fi, size_t si, long par)
{
	struct hfile *h = &x->f[fi];
	struct sdecl *s = &h->sd[si];
	struct cdecl *d = S(x, fi, si);
	int aggregate = d->kind == CD_STRUCT || d->kind == CD_UNION;

	if (d->kind == CD_ENUM) {
		s->tm = s_child_names_in_t(x, fi, si, -1);
	} else if (aggregate && par >= 0 && h->sd[par].tm >= 0) {
		s->tm = s_child_names_in_t(x, fi, si, h->sd[par].tm);
	} else if (aggregate && d->partial && par < 0) {
		/* a hunk began inside an aggregate it does not name: the
		   target's aggregate with most of the fields it shows */
		s->tm = t_parent_by_fields(x, fi, si);
		s->present = 1;
		return;
	} else if (aggregate) {
		/* anonymous: new with a new container, else unknown (a
		   fragment's partial container): assume the target has it */
		s->present = !(par >= 0 && !h->sd[par].present);
		return;
	} else {
		s->present = 1; /* unnamed declaration: defines nothing */
		return;
	}
	s->present = s->tm >= 0 || (d->partial && d->kind != CD_ENUM);
}

static void match_one(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	struct sdecl *s = &h->sd[si];
	struct cdecl *d = S(x, fi, si);
	long par = trim_s_parent(x, fi, si);

	if (match_directive(x, fi, si, trim_s_up(x, fi, si)))
		return;
	if (d->kind == CD_MEMBER) {
		if (par >= 0 && h->sd[par].tm >= 0 && d->name) {
			s->tm = trim_t_find_member(x, fi, h->sd[par].tm, d->name);
			s->present = s->tm >= 0;
		} else {
			s->present = par >= 0 && h->sd[par].present &&
				     h->sd[par].tm < 0; /* unknown partial */
		}
		return;
	}
	if ((d->kind == CD_STRUCT || d->kind == CD_UNION) && par >= 0 &&
	    d->name && !strchr(d->name, ' ')) {
		/* "struct { ... } smm;" inside an aggregate: a member */
		if (h->sd[par].tm >= 0) {
			s->tm = trim_t_find_member(x, fi, h->sd[par].tm, d->name);
			s->present = s->tm >= 0;
		} else {
			s->present = h->sd[par].present;
		}
		return;
	}
	if (d->name) {
		s->present = trim_nidx_get(&x->tidx, d->name) != NULL;
		s->tm = t_find(x, fi, d->name, par >= 0 ? h->sd[par].tm : -1);
		return;
	}
	match_unnamed(x, fi, si, par);
}

void trim_match_all(struct trim *x)
{
	size_t fi, si;

	for (fi = 0; fi < x->nf; fi++)
		for (si = 0; si < x->f[fi].nsd; si++)
			match_one(x, (int)fi, si);
}
