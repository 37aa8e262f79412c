/*
 * headers_model.c - the header trimmer's model: a name index, the walks
 * from a declaration to its container, and the report's item lists.
 */
#include "analyse/headers_int.h"

#include <stdlib.h>
#include <string.h>

static unsigned long hash_str(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

void trim_nidx_init(struct nidx *x)
{
	x->nb = 4096;
	x->b = xcalloc(x->nb, sizeof(*x->b));
}

void trim_nidx_add(struct nidx *x, const char *name, int fi, int di)
{
	struct nent *e = xmalloc(sizeof(*e));
	unsigned long h = hash_str(name) % x->nb;

	e->name = xstrdup(name);
	e->fi = fi;
	e->di = di;
	e->next = x->b[h];
	x->b[h] = e;
}

/* First entry for name; iterate with trim_nidx_next. */
struct nent *trim_nidx_next(struct nent *e, const char *name)
{
	for (; e; e = e->next)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

struct nent *trim_nidx_get(const struct nidx *x, const char *name)
{
	return trim_nidx_next(x->b[hash_str(name) % x->nb], name);
}

void trim_nidx_free(struct nidx *x)
{
	size_t i;

	for (i = 0; i < x->nb; i++)
		while (x->b[i]) {
			struct nent *e = x->b[i];
			x->b[i] = e->next;
			free(e->name);
			free(e);
		}
	free(x->b);
}

/* Source index of a declaration's container, or -1. */
long trim_s_up(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	struct cdecl *d = S(x, fi, si);

	return d->up < 0 ? -1 : (long)(h->g[h->sd[si].g].base + (size_t)d->up);
}

long trim_s_parent(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	struct cdecl *d = S(x, fi, si);

	return d->parent < 0 ? -1 :
			       (long)(h->g[h->sd[si].g].base + (size_t)d->parent);
}

/* The aggregate a member belongs to, as code names it: the nearest
   ancestor with a tag ("struct foo"), through anonymous ones. */
const char *trim_member_of(struct trim *x, int fi, size_t si)
{
	long a = trim_s_parent(x, fi, si);

	while (a >= 0) {
		const struct cdecl *p = S(x, fi, (size_t)a);
		int tm = x->f[fi].sd[a].tm;
		if (p->name && strchr(p->name, ' '))
			return p->name;
		for (; p->partial && tm >= 0; tm = x->f[fi].td.v[tm].parent)
			if (x->f[fi].td.v[tm].name &&
			    strchr(x->f[fi].td.v[tm].name, ' '))
				return x->f[fi].td.v[tm].name;
		a = trim_s_parent(x, fi, (size_t)a);
	}
	return NULL;
}

/* "system_event.ndata": the field as offsetof() names it in trim_member_of(). */
char *trim_member_designator(struct trim *x, int fi, size_t si)
{
	struct strbuf sb = STRBUF_INIT;
	long a = (long)si;
	char *rest;

	sb_init(&sb);
	while (a >= 0) {
		const struct cdecl *p = S(x, fi, (size_t)a);
		if ((p->name && strchr(p->name, ' ')) || p->partial)
			break;
		if (p->name) {
			rest = sb_detach(&sb, NULL);
			sb_init(&sb);
			sb_addstr(&sb, p->name);
			if (*rest)
				sb_addf(&sb, ".%s", rest);
			free(rest);
		}
		a = trim_s_parent(x, fi, (size_t)a);
	}
	return sb_detach(&sb, NULL);
}

const char *trim_decl_label(const struct cdecl *d)
{
	if (d->name)
		return d->name;
	if (d->value)
		return d->value;
	return cdecl_kind_name(d->kind);
}

/* ----------------------------------------------------- report helpers */

void trim_item_add_field(struct headers_items *v, const char *path,
			   const struct cdecl *d, const char *of,
			   char *designator, long lines, const char *why)
{
	struct headers_item *it;

	ALLOC_GROW(v->v, v->n + 1, v->alloc);
	it = &v->v[v->n++];
	it->path = xstrdup(path);
	it->name = xstrdup(trim_decl_label(d));
	it->kind = cdecl_kind_name(d->kind);
	it->of = of ? xstrdup(of) : NULL;
	it->designator = designator;
	it->lines = lines;
	it->why = why ? xstrdup(why) : NULL;
}

void trim_item_add(struct headers_items *v, const char *path,
		     const struct cdecl *d, const char *of, long lines,
		     const char *why)
{
	trim_item_add_field(v, path, d, of, NULL, lines, why);
}

void trim_value_add(struct headers_values *v, const char *path, long line,
		      const char *name, const char *tv, const char *rv,
		      const char *uv, const char *message)
{
	struct headers_value *e;

	ALLOC_GROW(v->v, v->n + 1, v->alloc);
	e = &v->v[v->n++];
	e->path = xstrdup(path);
	e->line = line;
	e->name = xstrdup(name);
	e->target = tv ? xstrdup(tv) : NULL;
	e->result = rv ? xstrdup(rv) : NULL;
	e->upstream = uv ? xstrdup(uv) : NULL;
	e->message = xstrdup(message);
}
