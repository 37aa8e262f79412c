/*
 * headers_values.c - the values a trimmed update must not change behind a
 * reviewer's back: names redefined, enumerators renumbered, aggregate
 * layouts that differ between the target and upstream.
 */
#include "analyse/headers_int.h"

#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------------- values */

struct side {
	struct trim *x;
	int source; /* 1: look names up in the source, 0: in the target */
};

static int enumerator_value(struct trim *x, int source, int fi, long idx,
			    long long *out, int depth);

static int side_lookup(void *ctx, const char *name, long long *out, int depth)
{
	struct side *sd = ctx;
	struct trim *x = sd->x;
	struct nent *e = trim_nidx_get(sd->source ? &x->sidx : &x->tidx, name);

	for (; e; e = trim_nidx_next(e->next, name)) {
		struct cdecl *d = sd->source ? S(x, e->fi, (size_t)e->di) :
					       T(x, e->fi, e->di);
		if (d->kind == CD_DEFINE && d->value && *d->value)
			return cdecl_eval(d->value, side_lookup, ctx, depth, out);
		if (d->kind == CD_ENUMERATOR)
			return enumerator_value(x, sd->source, e->fi, e->di, out,
						depth);
	}
	return -1;
}

/* The value of enumerator idx: its own expression or the previous one's
   plus one, counted from its enum's start. */
static int enumerator_value(struct trim *x, int source, int fi, long idx,
			    long long *out, int depth)
{
	struct side sd = { x, source };
	long k = idx, off = 0;
	int parent;
	struct cdecl *d = source ? S(x, fi, (size_t)idx) : T(x, fi, (int)idx);

	parent = d->parent;
	for (;;) {
		struct cdecl *e = source ? S(x, fi, (size_t)k) : T(x, fi, (int)k);
		if (e->kind == CD_ENUMERATOR && e->parent == parent) {
			if (e->value && *e->value) {
				long long v;
				if (cdecl_eval(e->value, side_lookup, &sd, depth, &v))
					return -1;
				*out = v + off;
				return 0;
			}
			if (k != idx)
				off++;
		}
		if (k == 0)
			return -1;
		k--;
		e = source ? S(x, fi, (size_t)k) : T(x, fi, (int)k);
		if (source && x->f[fi].sd[k].g != x->f[fi].sd[idx].g)
			return -1;
		if (source ? (k == (long)(x->f[fi].g[x->f[fi].sd[idx].g].base + (size_t)parent))
			   : (k == parent)) {
			if (e->partial)
				return -1;
			*out = off;
			return 0;
		}
	}
}

/* The value of name in the target or the source, as text. */
char *trim_value_text(struct trim *x, int source, const char *name, int *known,
			long long *v)
{
	struct side sd = { x, source };
	struct nent *e = trim_nidx_get(source ? &x->sidx : &x->tidx, name);
	char buf[64];

	*known = 0;
	if (!e)
		return NULL;
	if (!side_lookup(&sd, name, v, 0)) {
		*known = 1;
		snprintf(buf, sizeof(buf), "%lld", *v);
		return xstrdup(buf);
	}
	{
		struct cdecl *d = source ? S(x, e->fi, (size_t)e->di) :
					   T(x, e->fi, e->di);
		return d->value ? xstrdup(d->value) : NULL;
	}
}

/*
 * name is defined in both: do the values agree?  A difference is a
 * conflict: a declaration kept (or a consumer) would see the target's
 * value where upstream has another.
 */
void trim_check_value(struct trim *x, const char *name, const char *by)
{
	int tk, sk;
	long long tv, sv;
	char *tt, *st;
	struct nent *te = trim_nidx_get(&x->tidx, name), *se = trim_nidx_get(&x->sidx, name);
	struct strbuf msg = STRBUF_INIT;
	struct cdecl *td;
	size_t i;

	if (!te || !se)
		return;
	td = T(x, te->fi, te->di);
	if (td->kind != CD_DEFINE && td->kind != CD_ENUMERATOR)
		return;
	for (i = 0; i < x->r->conflicts.n; i++)
		if (!strcmp(x->r->conflicts.v[i].name, name))
			return;
	tt = trim_value_text(x, 0, name, &tk, &tv);
	st = trim_value_text(x, 1, name, &sk, &sv);
	if (tk && sk && tv != sv) {
		sb_init(&msg);
		if (by)
			sb_addf(&msg, "%s needs %s, which the target defines as %s, upstream as %s",
				by, name, tt, st);
		else
			sb_addf(&msg, "the consumers use %s, which the target defines as %s, upstream as %s",
				name, tt, st);
		trim_value_add(&x->r->conflicts, x->f[te->fi].path, td->line, name,
			  tt, tt, st, msg.buf);
		sb_release(&msg);
	}
	free(tt);
	free(st);
}

/* ---------------------------------------------------- enumerator values */

struct eslot {
	const char *name;
	const char *expr;  /* explicit value or NULL */
	long line2;        /* 2 * target line (+1 for insertions) */
	long order;
	int side;          /* 0 target, 1 inserted */
	long idx;
	long long v;
	int known;
	char *text;        /* symbolic "expr+off" when unknown */
};

static int eslot_cmp(const void *a, const void *b)
{
	const struct eslot *p = a, *q = b;

	if (p->line2 != q->line2)
		return p->line2 < q->line2 ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

/* Values of a sequence of enumerators, evaluated against both sides. */
static void eslot_values(struct trim *x, struct eslot *v, size_t n)
{
	const char *base = NULL;
	long off = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		struct side t = { x, 0 }, s = { x, 1 };
		long long b = 0;
		int known;
		if (v[i].expr && *v[i].expr) {
			base = v[i].expr;
			off = 0;
		} else if (i > 0) {
			off++;
		}
		known = !base || !cdecl_eval(base, side_lookup, &t, 0, &b) ||
			!cdecl_eval(base, side_lookup, &s, 0, &b);
		v[i].known = known;
		v[i].v = b + off;
		if (!known) {
			struct strbuf sb = STRBUF_INIT;
			sb_init(&sb);
			sb_addf(&sb, "%s + %ld", base, off);
			v[i].text = sb_detach(&sb, NULL);
		} else {
			char buf[32];
			snprintf(buf, sizeof(buf), "%lld", v[i].v);
			v[i].text = xstrdup(buf);
		}
	}
}

static const struct eslot *eslot_find(const struct eslot *v, size_t n,
				      const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

static void eslots_free(struct eslot *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/* Target enumerators of enum te plus inserted ones (all new ones when
   all is set) in their resulting order. */
static struct eslot *enum_result(struct trim *x, int fi, int te, long sparent,
				 int all, size_t *np)
{
	struct hfile *h = &x->f[fi];
	struct eslot *v = NULL;
	size_t n = 0, k;

	for (k = 0; k < h->td.n; k++) {
		struct cdecl *d = &h->td.v[k];
		if (d->kind != CD_ENUMERATOR || d->parent != te)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		memset(&v[n], 0, sizeof(*v));
		v[n].name = d->name;
		v[n].expr = d->value;
		v[n].line2 = 2 * d->line;
		v[n].order = (long)k;
		n++;
	}
	for (k = 0; k < h->nsd; k++) {
		struct cdecl *d = S(x, fi, k);
		struct sdecl *s = &h->sd[k];
		if (d->kind != CD_ENUMERATOR || trim_s_parent(x, fi, k) != sparent ||
		    s->present || !(s->kept || all))
			continue;
		if (!s->kept)
			trim_place(x, fi, k);
		v = xrealloc(v, (n + 1) * sizeof(*v));
		memset(&v[n], 0, sizeof(*v));
		v[n].name = d->name;
		v[n].expr = d->value;
		v[n].line2 = 2 * s->tline + 1;
		v[n].order = 1000000L + (long)k;
		v[n].side = 1;
		n++;
	}
	qsort(v, n, sizeof(*v), eslot_cmp);
	eslot_values(x, v, n);
	*np = n;
	return v;
}

static struct eslot *enum_source(struct trim *x, int fi, long sparent,
				 size_t *np)
{
	struct hfile *h = &x->f[fi];
	struct eslot *v = NULL;
	size_t n = 0, k;

	for (k = (size_t)sparent + 1; k < h->nsd; k++) {
		struct cdecl *d = S(x, fi, k);
		if (h->sd[k].g != h->sd[sparent].g)
			break;
		if (d->kind != CD_ENUMERATOR || trim_s_parent(x, fi, k) != sparent)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		memset(&v[n], 0, sizeof(*v));
		v[n].name = d->name;
		v[n].expr = d->value;
		v[n].order = (long)k;
		n++;
	}
	eslot_values(x, v, n);
	*np = n;
	return v;
}

static int eslot_same(const struct eslot *a, const struct eslot *b)
{
	if (a->known && b->known)
		return a->v == b->v;
	return !strcmp(a->text, b->text);
}

static void check_enum(struct trim *x, int fi, long sparent)
{
	struct hfile *h = &x->f[fi];
	int te = h->sd[sparent].tm;
	struct cdecl *sd = S(x, fi, (size_t)sparent);
	size_t nr, nu, nt, i;
	struct eslot *res = enum_result(x, fi, te, sparent, 0, &nr);
	struct eslot *up = sd->partial ? enum_result(x, fi, te, sparent, 1, &nu) :
					 enum_source(x, fi, sparent, &nu);
	struct eslot *tv = enum_result(x, fi, te, -9, 0, &nt);

	for (i = 0; i < nr; i++) {
		const struct eslot *u = eslot_find(up, nu, res[i].name);
		const struct eslot *t = eslot_find(tv, nt, res[i].name);
		struct strbuf msg = STRBUF_INIT;
		long line = t ? T(x, fi, (int)t->order)->line : 0;
		if (u && !eslot_same(&res[i], u)) {
			sb_init(&msg);
			sb_addf(&msg, "%s would be %s after the trimmed diff, upstream has %s%s",
				res[i].name, res[i].text, u->text,
				t ? "" : ": keep the enumerators before it too");
			trim_value_add(&x->r->conflicts, h->path, line, res[i].name,
				  t ? t->text : NULL, res[i].text, u->text, msg.buf);
		} else if (t && !eslot_same(&res[i], t)) {
			sb_init(&msg);
			sb_addf(&msg, "%s changes from %s to %s, as upstream",
				res[i].name, t->text, res[i].text);
			trim_value_add(x->o->strict ? &x->r->conflicts : &x->r->changed,
				  h->path, line, res[i].name, t->text, res[i].text,
				  u ? u->text : NULL, msg.buf);
		}
		sb_release(&msg);
	}
	eslots_free(res, nr);
	eslots_free(up, nu);
	eslots_free(tv, nt);
}

/* ---------------------------------------------------- aggregate layout */

struct mslot {
	const char *name;
	char *text;   /* normalised declaration, "[0]" spelt "[]" */
	long line2;
	long order;
};

static int mslot_cmp(const void *a, const void *b)
{
	const struct mslot *p = a, *q = b;

	if (p->line2 != q->line2)
		return p->line2 < q->line2 ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

static int is_layout(enum cdecl_kind k)
{
	return k == CD_MEMBER || k == CD_STRUCT || k == CD_UNION;
}

static char *layout_text(const char *buf, size_t start, size_t end)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = start;
	char *t, *p;

	/* macros defined between the fields are not part of the layout */
	sb_init(&sb);
	while (i < end) {
		const char *nl = memchr(buf + i, '\n', end - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) + 1 : end - i, k = 0;
		while (k < n && (buf[i + k] == ' ' || buf[i + k] == '\t'))
			k++;
		if (k == n || buf[i + k] != '#')
			sb_add(&sb, buf + i, n);
		else
			while (n >= 2 && buf[i + n - 2] == '\\' && i + n < end) {
				/* a continued directive: skip its next line too */
				const char *nl2 = memchr(buf + i + n, '\n', end - i - n);
				i += n;
				n = nl2 ? (size_t)(nl2 - (buf + i)) + 1 : end - i;
			}
		i += n;
	}
	t = cdecl_normalize(sb.buf, 0, sb.len);
	sb_release(&sb);

	while ((p = strstr(t, "[0]")))
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
	return t;
}

static void mslot_add(struct mslot **v, size_t *n, const struct cdecl *d,
		      const char *buf, long line2, long order)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].name = d->name ? d->name : "";
	(*v)[*n].text = layout_text(buf, d->start, d->end);
	(*v)[*n].line2 = line2;
	(*v)[*n].order = order;
	(*n)++;
}

static void mslots_free(struct mslot *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/*
 * Fields inserted into an aggregate the target has must give upstream's
 * layout: the result's members, in order, are upstream's first members.
 * A field upstream has between them, or one it respelt (pad[3] became
 * flags + pad[2]), would move every offset after it.
 */

/*
 * A hunk shows only some fields of the aggregate: they must appear, in
 * that order and next to each other, in the result (aligned on the first
 * one the target has).
 */
static void check_window(struct trim *x, int fi, size_t si,
			 const struct mslot *res, size_t nres,
			 const struct mslot *up, size_t nup)
{
	size_t i, j;
	long off = 0;
	int aligned = 0;

	for (i = 0; i < nup && !aligned; i++)
		for (j = 0; j < nres; j++)
			if (res[j].order < 1000000L && !strcmp(res[j].text, up[i].text)) {
				off = (long)j - (long)i;
				aligned = 1;
				break;
			}
	if (!aligned)
		return;
	for (i = 0; i < nup; i++) {
		long r = (long)i + off;
		struct strbuf msg = STRBUF_INIT;
		if (r < 0 || r >= (long)nres || !strcmp(res[r].text, up[i].text))
			continue;
		sb_init(&msg);
		sb_addf(&msg, "fields added to %s would not give upstream's layout: '%s' would be where upstream has '%s'",
			trim_member_of(x, fi, si + 1) ? trim_member_of(x, fi, si + 1) : "an aggregate",
			res[r].text, up[i].text);
		trim_value_add(&x->r->conflicts, x->f[fi].path, 0, res[r].name, NULL,
			  res[r].text, up[i].text, msg.buf);
		sb_release(&msg);
		return;
	}
}

static void check_aggregate(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	int ta = h->sd[si].tm;
	struct mslot *res = NULL, *up = NULL;
	size_t nres = 0, nup = 0, k;

	for (k = 0; k < h->td.n; k++)
		if (h->td.v[k].parent == ta && is_layout(h->td.v[k].kind))
			mslot_add(&res, &nres, &h->td.v[k], h->ttext,
				  2 * h->td.v[k].line, (long)k);
	for (k = si + 1; k < h->nsd && h->sd[k].g == h->sd[si].g; k++) {
		struct cdecl *d = S(x, fi, k);
		const char *buf = h->g[h->sd[k].g].text;
		if (trim_s_parent(x, fi, k) != (long)si || !is_layout(d->kind))
			continue;
		mslot_add(&up, &nup, d, buf, 0, (long)k);
		if (h->sd[k].root)
			mslot_add(&res, &nres, d, buf, 2 * h->sd[k].tline + 1,
				  1000000L + (long)k);
	}
	qsort(res, nres, sizeof(*res), mslot_cmp);
	if (S(x, fi, si)->partial) {
		check_window(x, fi, si, res, nres, up, nup);
		mslots_free(res, nres);
		mslots_free(up, nup);
		return;
	}
	for (k = 0; k < nres; k++) {
		struct strbuf msg = STRBUF_INIT;
		if (k < nup && !strcmp(res[k].text, up[k].text))
			continue;
		sb_init(&msg);
		sb_addf(&msg, "fields added to %s would not give upstream's layout: member %zu would be '%s', upstream has '%s'",
			trim_decl_label(S(x, fi, si)), k + 1, res[k].text,
			k < nup ? up[k].text : "nothing");
		trim_value_add(&x->r->conflicts, h->path, S(x, fi, si)->line,
			  trim_decl_label(S(x, fi, si)), NULL, res[k].text,
			  k < nup ? up[k].text : NULL, msg.buf);
		sb_release(&msg);
		break;
	}
	mslots_free(res, nres);
	mslots_free(up, nup);
}

/*
 * Did the trim put something new inside si?  For a struct: a root that
 * changes its layout (layout set); for an enum: a kept enumerator.
 */
static int has_new_child(struct trim *x, int fi, size_t si, int layout)
{
	struct hfile *h = &x->f[fi];
	size_t k;

	for (k = si + 1; k < h->nsd && h->sd[k].g == h->sd[si].g; k++)
		if (trim_s_parent(x, fi, k) == (long)si &&
		    (layout ? h->sd[k].root && is_layout(S(x, fi, k)->kind)
			    : h->sd[k].kept))
			return 1;
	return 0;
}

void trim_check_aggregates(struct trim *x)
{
	size_t fi, si;

	for (fi = 0; fi < x->nf; fi++) {
		struct hfile *h = &x->f[fi];
		for (si = 0; si < h->nsd; si++) {
			struct cdecl *d = S(x, (int)fi, si);
			/* a union's members all sit at offset 0: adding one
			   moves nothing */
			if (d->kind != CD_STRUCT || !h->sd[si].present ||
			    h->sd[si].tm < 0 ||
			    h->td.v[h->sd[si].tm].kind != CD_STRUCT)
				continue;
			if (has_new_child(x, (int)fi, si, 1))
				check_aggregate(x, (int)fi, si);
		}
	}
}

void trim_check_enums(struct trim *x)
{
	size_t fi, si;

	for (fi = 0; fi < x->nf; fi++) {
		struct hfile *h = &x->f[fi];
		for (si = 0; si < h->nsd; si++) {
			struct cdecl *d = S(x, (int)fi, si);
			if (d->kind != CD_ENUM || !h->sd[si].present ||
			    h->sd[si].tm < 0)
				continue;
			if (has_new_child(x, (int)fi, si, 0))
				check_enum(x, (int)fi, (long)si);
		}
	}
}
