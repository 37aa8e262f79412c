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
void cdecl_refs_from_text(struct cdecl *d, const char *text, size_t len,
			   char **skip, size_t nskip)
{
	size_t i = 0;
	const char *tag = NULL;

	while (i < len) {
		size_t j, k;
		int c = (unsigned char)text[i];

		if (c == '"' || c == '\'') {
			for (i++; i < len && text[i] != c; i++)
				if (text[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (isdigit(c)) {
			while (i < len && cdecl_is_ident_char((unsigned char)text[i]))
				i++;
			continue;
		}
		if (!cdecl_is_ident_start(c)) {
			if (!isspace(c))
				tag = NULL;
			i++;
			continue;
		}
		for (j = i; j < len && cdecl_is_ident_char((unsigned char)text[j]); j++)
			;
		if ((j - i == 6 && (!memcmp(text + i, "struct", 6))) ||
		    (j - i == 5 && !memcmp(text + i, "union", 5)) ||
		    (j - i == 4 && !memcmp(text + i, "enum", 4))) {
			tag = text + i;
		} else if (tag) {
			struct strbuf sb = STRBUF_INIT;
			sb_init(&sb);
			for (k = 0; cdecl_is_ident_char((unsigned char)tag[k]); k++)
				sb_addch(&sb, tag[k]);
			sb_addch(&sb, ' ');
			sb_add(&sb, text + i, j - i);
			cdecl_add_unique(&d->refs, &d->nrefs, sb_detach(&sb, NULL));
			tag = NULL;
		} else if (!cdecl_is_keyword(text + i, j - i)) {
			int skipped = 0;
			for (k = 0; k < nskip; k++)
				if (strlen(skip[k]) == j - i &&
				    !memcmp(skip[k], text + i, j - i))
					skipped = 1;
			if (!skipped)
				cdecl_add_unique(&d->refs, &d->nrefs,
					   xstrndup(text + i, j - i));
		}
		i = j;
	}
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
