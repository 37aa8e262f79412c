/*
 * cdecl_directive.c - preprocessor lines: #define, #undef and include
 * guards become declarations; #if/#ifdef/#else/#endif open and close the
 * conditional blocks declarations are nested in.
 */
#include "analyse/cdecl_int.h"

#include <stdlib.h>
#include <string.h>

static int word_is(const char *w, size_t n, const char *str)
{
	return strlen(str) == n && !memcmp(w, str, n);
}

void cdecl_ctx_of(const struct scanner *s, const struct ctx_stack *st,
		   int *ctx)
{
	size_t i;

	ctx[0] = ctx[1] = ctx[2] = -1;
	for (i = st->n; i-- > 0;) {
		int d = st->v[i];
		if (d < 0)
			continue;
		if (ctx[0] < 0)
			ctx[0] = d;
		if (ctx[1] < 0 && s->f->v[d].kind != CD_COND)
			ctx[1] = d;
		if (ctx[2] < 0 && s->f->v[d].kind == CD_COND)
			ctx[2] = d;
	}
}

void cdecl_ctx_push(struct ctx_stack *st, int d)
{
	ALLOC_GROW(st->v, st->n + 1, st->alloc);
	st->v[st->n++] = d;
}

/* Remove the innermost entry satisfying want (cond or not); its index. */
int cdecl_ctx_pop(struct scanner *s, struct ctx_stack *st, int want_cond)
{
	size_t i;

	for (i = st->n; i-- > 0;) {
		int d = st->v[i];
		int is_cond = d >= 0 && s->f->v[d].kind == CD_COND;
		if (is_cond != want_cond)
			continue;
		memmove(st->v + i, st->v + i + 1, (st->n - i - 1) * sizeof(int));
		st->n--;
		return d;
	}
	return -2;
}

/* The body of "#define NAME(params) body": its text and what it uses. */
static void define_body(struct scanner *s, int d, const char *ne,
			const char *end, int fn, size_t tend)
{
	const char *body = ne;
	char **params = NULL;
	size_t nparams = 0, i;

	if (fn) {
		const char *q = ne + 1;
		while (q < end && *q != ')') {
			const char *a;
			while (q < end && !cdecl_is_ident_start((unsigned char)*q) && *q != ')')
				q++;
			for (a = q; q < end && cdecl_is_ident_char((unsigned char)*q); q++)
				;
			if (q > a)
				cdecl_add_unique(&params, &nparams,
						 xstrndup(a, (size_t)(q - a)));
		}
		body = q < end ? q + 1 : end;
	}
	s->f->v[d].value = cdecl_normalize(s->buf, (size_t)(body - s->buf), tend);
	for (i = 0; i < s->f->v[d].nnames; i++)
		cdecl_add_unique(&params, &nparams, xstrdup(s->f->v[d].names[i]));
	cdecl_refs_from_text(&s->f->v[d], s->f->v[d].value,
			     strlen(s->f->v[d].value), params, nparams);
	for (i = 0; i < nparams; i++)
		free(params[i]);
	free(params);
}

/* "#define" or "#undef" token t, its name starting after rest. */
static void scan_define(struct scanner *s, const struct token *t,
			const char *rest, const char *end, int undef,
			const int *ctx)
{
	const char *nm = rest, *ne;
	int fn, d;

	while (nm < end && (*nm == ' ' || *nm == '\t'))
		nm++;
	for (ne = nm; ne < end && cdecl_is_ident_char((unsigned char)*ne); ne++)
		;
	fn = ne < end && *ne == '(';
	d = cdecl_new(s, undef ? CD_UNDEF : fn ? CD_DEFINE_FN : CD_DEFINE,
		      t->line, t->end_line, ctx);
	if (ne > nm) {
		char *name = xstrndup(nm, (size_t)(ne - nm));
		cdecl_add_name(&s->f->v[d], name);
		free(name);
	}
	if (!undef)
		define_body(s, d, ne, end, fn, t->end);
}

/* "#include <x.h>" or "#include \"x.h\"": the name between the marks. */
static void scan_include(struct scanner *s, const struct token *t,
			 const char *rest, const char *end, const int *ctx)
{
	const char *a = rest, *b;
	int d = cdecl_new(s, CD_INCLUDE, t->line, t->end_line, ctx);

	while (a < end && *a != '<' && *a != '"')
		a++;
	if (a < end) {
		for (b = a + 1; b < end && *b != '>' && *b != '"'; b++)
			;
		s->f->v[d].name = xstrndup(a + 1, (size_t)(b - a - 1));
	}
	s->f->v[d].value = cdecl_normalize(s->buf, t->start, t->end);
}

/* "#endif": close the innermost conditional (a stray one is noted). */
static void scan_endif(struct scanner *s, struct ctx_stack *st,
		       const struct token *t, const int *ctx)
{
	int c = cdecl_ctx_pop(s, st, 1);

	if (c < 0) {
		s->f->unbalanced = 1;
		cdecl_new(s, CD_PP_OTHER, t->line, t->end_line, ctx);
		return;
	}
	s->f->v[c].end_line = t->end_line;
	s->f->v[c].close_line = t->line;
}

void cdecl_scan_directive(struct scanner *s, struct ctx_stack *st,
			   size_t ti)
{
	const struct token *t = &s->tok[ti];
	const char *p = s->buf + t->start, *end = s->buf + t->end;
	size_t n;
	const char *w = cdecl_pp_word(p, end, &n);
	const char *rest = w + n;
	int ctx[3], d;

	cdecl_ctx_of(s, st, ctx);
	if (word_is(w, n, "if") || word_is(w, n, "ifdef") ||
	    word_is(w, n, "ifndef")) {
		d = cdecl_new(s, CD_COND, t->line, t->end_line, ctx);
		s->f->v[d].value = cdecl_normalize(s->buf, t->start, t->end);
		cdecl_refs_from_text(&s->f->v[d], rest, (size_t)(end - rest), NULL, 0);
		s->f->v[d].open_line = t->end_line;
		cdecl_ctx_push(st, d);
	} else if (word_is(w, n, "elif") || word_is(w, n, "else")) {
		d = cdecl_new(s, CD_COND_ELSE, t->line, t->end_line, ctx);
		s->f->v[d].value = cdecl_normalize(s->buf, t->start, t->end);
	} else if (word_is(w, n, "endif")) {
		scan_endif(s, st, t, ctx);
	} else if (word_is(w, n, "define") || word_is(w, n, "undef")) {
		scan_define(s, t, rest, end, word_is(w, n, "undef"), ctx);
	} else if (word_is(w, n, "include")) {
		scan_include(s, t, rest, end, ctx);
	} else {
		d = cdecl_new(s, CD_PP_OTHER, t->line, t->end_line, ctx);
		s->f->v[d].value = cdecl_normalize(s->buf, t->start, t->end);
	}
}

/* Index past the attribute group starting at i ("__attribute__((...))"). */
size_t cdecl_skip_attribute(const struct scanner *s, size_t i, size_t b)
{
	int depth = 0;

	if (!(cdecl_tok_is(s, i, "__attribute__") || cdecl_tok_is(s, i, "__attribute")))
		return i;
	i++;
	for (; i < b; i++) {
		if (cdecl_tok_is(s, i, "("))
			depth++;
		else if (cdecl_tok_is(s, i, ")") && --depth == 0)
			return i + 1;
	}
	return i;
}
