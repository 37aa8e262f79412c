/*
 * cdecl_decl.c - building declarations from tokens: names, the normalized
 * text two declarations are compared by, and the identifiers one refers to.
 */
#include "analyse/cdecl_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------------- decls */

int cdecl_tok_is(const struct scanner *s, size_t i, const char *str)
{
	size_t n = strlen(str);
	return i < s->ntok && s->tok[i].end - s->tok[i].start == n &&
	       !memcmp(s->buf + s->tok[i].start, str, n);
}

char *cdecl_tok_str(const struct scanner *s, size_t i)
{
	return xstrndup(s->buf + s->tok[i].start,
			s->tok[i].end - s->tok[i].start);
}

void cdecl_add_unique(char ***v, size_t *n, char *str)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i], str)) {
			free(str);
			return;
		}
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = str;
}

void cdecl_add_name(struct cdecl *d, const char *name)
{
	if (!d->name)
		d->name = xstrdup(name);
	cdecl_add_unique(&d->names, &d->nnames, xstrdup(name));
}

int cdecl_new(struct scanner *s, enum cdecl_kind kind, long line,
		    long end_line, const int *ctx)
{
	struct cdecl_file *f = s->f;
	struct cdecl *d;

	ALLOC_GROW(f->v, f->n + 1, f->alloc);
	d = &f->v[f->n];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->up = ctx[0];
	d->parent = ctx[1];
	d->cond = ctx[2];
	d->line = line;
	d->end_line = end_line;
	return (int)f->n++;
}

/* Normalise whitespace (and drop comments) of buf[start, end). */
char *cdecl_normalize(const char *buf, size_t start, size_t end)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = start;
	int space = 0;

	sb_init(&sb);
	while (i < end) {
		char c = buf[i];
		if (c == '/' && i + 1 < end && buf[i + 1] == '*') {
			i += 2;
			while (i + 1 < end && !(buf[i] == '*' && buf[i + 1] == '/'))
				i++;
			i += 2;
			space = 1;
			continue;
		}
		if (c == '/' && i + 1 < end && buf[i + 1] == '/')
			break;
		if (c == '\\' && i + 1 < end && buf[i + 1] == '\n') {
			i += 2;
			space = 1;
			continue;
		}
		if (isspace((unsigned char)c)) {
			space = 1;
			i++;
			continue;
		}
		if (space && sb.len)
			sb_addch(&sb, ' ');
		space = 0;
		sb_addch(&sb, c);
		i++;
	}
	return sb_detach(&sb, NULL);
}

/* Identifiers of text, as refs of d, except the names in skip[]. */
struct refs_ctx {
	struct cdecl *d;
	char **skip;
	size_t nskip;
};

static void ref_add(void *data, const char *id, size_t n)
{
	struct refs_ctx *c = data;
	size_t k;

	if (!memchr(id, ' ', n) && cdecl_is_keyword(id, n))
		return;
	for (k = 0; k < c->nskip; k++)
		if (strlen(c->skip[k]) == n && !memcmp(c->skip[k], id, n))
			return;
	cdecl_add_unique(&c->d->refs, &c->d->nrefs, xstrndup(id, n));
}

void cdecl_refs_from_text(struct cdecl *d, const char *text, size_t len,
			   char **skip, size_t nskip)
{
	struct refs_ctx c = { d, skip, nskip };
	int in_comment = 0;

	cdecl_for_each_ident(text, len, &in_comment, ref_add, &c);
}

void cdecl_refs_from_tokens(struct scanner *s, struct cdecl *d, size_t a,
			     size_t b)
{
	if (a < b)
		cdecl_refs_from_text(d, s->buf + s->tok[a].start,
			       s->tok[b - 1].end - s->tok[a].start, d->names,
			       d->nnames);
}

/* The directive's words: "#  define" -> keyword start. */
const char *cdecl_pp_word(const char *p, const char *end, size_t *n)
{
	const char *w;

	p++; /* '#' */
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	w = p;
	while (p < end && cdecl_is_ident_char((unsigned char)*p))
		p++;
	*n = (size_t)(p - w);
	return w;
}
