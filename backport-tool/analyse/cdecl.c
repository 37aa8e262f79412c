/*
 * cdecl.c - split a C header into declarations with exact line extents.
 *
 * Two passes: a tokenizer that knows comments, strings, line continuations
 * and preprocessor lines (one token per directive), then a small parser
 * that groups tokens into statements at each brace level.  It understands
 * what kernel uapi headers are made of and nothing more; whatever it does
 * not recognise becomes a CD_OTHER entry, which still has an extent and
 * can serve as an anchor.  See cdecl.h.
 */
#include "analyse/cdecl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum tok_type { T_IDENT, T_NUMBER, T_STRING, T_PUNCT, T_PP };

struct token {
	enum tok_type type;
	size_t start, end;
	long line, end_line;
};

struct comment {
	long line, end_line;
	int alone; /* nothing but blanks around it on its lines */
};

struct scanner {
	const char *buf;
	size_t len;
	struct token *tok;
	size_t ntok, atok;
	struct comment *com;
	size_t ncom, acom;
	size_t *lstart; /* byte offset of each line start, 1-based */
	size_t nlstart, alstart;
	struct cdecl_file *f;
};

static const char *const keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if",
	"inline", "int", "long", "register", "restrict", "return", "short",
	"signed", "sizeof", "static", "struct", "switch", "typedef", "union",
	"unsigned", "void", "volatile", "while", "_Bool", "__inline__",
	"__inline", "__volatile__", "__const", "__restrict", "__signed__",
	"__extension__", "__attribute__", "__attribute", "__asm__", "asm",
	"__asm", "defined", "__VA_ARGS__", "_Static_assert", NULL
};

static int is_keyword(const char *s, size_t n)
{
	size_t i;

	for (i = 0; keywords[i]; i++)
		if (strlen(keywords[i]) == n && !memcmp(keywords[i], s, n))
			return 1;
	return 0;
}

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_' || c == '$';
}

static int is_ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '$';
}

/* ---------------------------------------------------------------- lexer */

static void add_line_start(struct scanner *s, size_t off)
{
	ALLOC_GROW(s->lstart, s->nlstart + 1, s->alstart);
	s->lstart[s->nlstart++] = off;
}

static void index_lines(struct scanner *s)
{
	size_t i;

	add_line_start(s, 0); /* index 0 unused */
	add_line_start(s, 0);
	for (i = 0; i < s->len; i++)
		if (s->buf[i] == '\n' && i + 1 < s->len)
			add_line_start(s, i + 1);
	s->f->nlines = (long)s->nlstart - 1;
	add_line_start(s, s->len); /* sentinel: "line n+1" */
}

static size_t line_begin(const struct scanner *s, long line)
{
	if (line < 1)
		return 0;
	if ((size_t)line >= s->nlstart)
		return s->len;
	return s->lstart[line];
}

static size_t line_after(const struct scanner *s, long line)
{
	return line_begin(s, line + 1);
}

struct lexer {
	struct scanner *s;
	size_t p;
	long line;
};

static int lx_peek(const struct lexer *lx, size_t k)
{
	return lx->p + k < lx->s->len ? (unsigned char)lx->s->buf[lx->p + k] : -1;
}

static void lx_advance(struct lexer *lx)
{
	if (lx->s->buf[lx->p] == '\n')
		lx->line++;
	lx->p++;
}

/* Blank from the line start to `off`? */
static int blank_before(const struct scanner *s, size_t off)
{
	while (off > 0 && s->buf[off - 1] != '\n') {
		off--;
		if (!isspace((unsigned char)s->buf[off]))
			return 0;
	}
	return 1;
}

static int blank_after(const struct scanner *s, size_t off)
{
	while (off < s->len && s->buf[off] != '\n') {
		if (!isspace((unsigned char)s->buf[off]))
			return 0;
		off++;
	}
	return 1;
}

static void add_comment(struct scanner *s, long line, long end_line,
			int alone)
{
	ALLOC_GROW(s->com, s->ncom + 1, s->acom);
	s->com[s->ncom].line = line;
	s->com[s->ncom].end_line = end_line;
	s->com[s->ncom].alone = alone;
	s->ncom++;
}

/* At "/" "*" (or inside one when started there): skip past its end. */
static void lx_block_comment(struct lexer *lx, int opened)
{
	size_t start = lx->p;
	long line = lx->line;

	if (!opened) {
		lx_advance(lx);
		lx_advance(lx);
	}
	while (lx->p < lx->s->len &&
	       !(lx_peek(lx, 0) == '*' && lx_peek(lx, 1) == '/'))
		lx_advance(lx);
	if (lx->p < lx->s->len) {
		lx_advance(lx);
		lx_advance(lx);
	}
	add_comment(lx->s, line, lx->line,
		    (opened || blank_before(lx->s, start)) &&
			    blank_after(lx->s, lx->p));
}

static void lx_line_comment(struct lexer *lx)
{
	size_t start = lx->p;

	while (lx->p < lx->s->len && lx->s->buf[lx->p] != '\n')
		lx->p++;
	add_comment(lx->s, lx->line, lx->line, blank_before(lx->s, start));
}

static void lx_quoted(struct lexer *lx)
{
	int q = lx_peek(lx, 0);

	lx_advance(lx);
	while (lx->p < lx->s->len && lx_peek(lx, 0) != q &&
	       lx_peek(lx, 0) != '\n') {
		if (lx_peek(lx, 0) == '\\' && lx->p + 1 < lx->s->len)
			lx_advance(lx);
		lx_advance(lx);
	}
	if (lx->p < lx->s->len && lx_peek(lx, 0) == q)
		lx_advance(lx);
}

static void push_token(struct scanner *s, enum tok_type type, size_t start,
		       size_t end, long line, long end_line)
{
	struct token *t;

	ALLOC_GROW(s->tok, s->ntok + 1, s->atok);
	t = &s->tok[s->ntok++];
	t->type = type;
	t->start = start;
	t->end = end;
	t->line = line;
	t->end_line = end_line;
}

/* A directive runs to the end of its logical line; a comment that opens
   on it carries it to the comment's end line. */
static void lx_directive(struct lexer *lx)
{
	size_t start = lx->p;
	long line = lx->line;

	while (lx->p < lx->s->len) {
		int c = lx_peek(lx, 0);
		if (c == '\n')
			break;
		if (c == '\\' && lx_peek(lx, 1) == '\n') {
			lx_advance(lx);
			lx_advance(lx);
			continue;
		}
		if (c == '/' && lx_peek(lx, 1) == '*') {
			lx_block_comment(lx, 0);
			lx->s->ncom--; /* part of the directive, not attachable */
			continue;
		}
		if (c == '/' && lx_peek(lx, 1) == '/') {
			while (lx->p < lx->s->len && lx_peek(lx, 0) != '\n')
				lx->p++;
			break;
		}
		if (c == '"' || c == '\'') {
			lx_quoted(lx);
			continue;
		}
		lx_advance(lx);
	}
	push_token(lx->s, T_PP, start, lx->p, line, lx->line);
}

static void tokenize(struct scanner *s, int in_comment)
{
	struct lexer lx = { s, 0, 1 };
	int at_line_start = 1;

	if (in_comment)
		lx_block_comment(&lx, 1);
	while (lx.p < s->len) {
		int c = lx_peek(&lx, 0);
		size_t start = lx.p;
		long line = lx.line;

		if (c == '\n') {
			lx_advance(&lx);
			at_line_start = 1;
			continue;
		}
		if (isspace(c) || (c == '\\' && lx_peek(&lx, 1) == '\n')) {
			lx_advance(&lx);
			continue;
		}
		if (c == '/' && lx_peek(&lx, 1) == '*') {
			lx_block_comment(&lx, 0);
			continue;
		}
		if (c == '/' && lx_peek(&lx, 1) == '/') {
			lx_line_comment(&lx);
			continue;
		}
		if (c == '#' && at_line_start) {
			lx_directive(&lx);
			continue;
		}
		at_line_start = 0;
		if (is_ident_start(c)) {
			while (lx.p < s->len && is_ident_char(lx_peek(&lx, 0)))
				lx.p++;
			push_token(s, T_IDENT, start, lx.p, line, line);
		} else if (isdigit(c) || (c == '.' && isdigit(lx_peek(&lx, 1)))) {
			while (lx.p < s->len && (is_ident_char(lx_peek(&lx, 0)) ||
						 lx_peek(&lx, 0) == '.'))
				lx.p++;
			push_token(s, T_NUMBER, start, lx.p, line, line);
		} else if (c == '"' || c == '\'') {
			lx_quoted(&lx);
			push_token(s, T_STRING, start, lx.p, line, lx.line);
		} else {
			lx_advance(&lx);
			push_token(s, T_PUNCT, start, lx.p, line, line);
		}
	}
}

/* --------------------------------------------------------------- decls */

static int tok_is(const struct scanner *s, size_t i, const char *str)
{
	size_t n = strlen(str);
	return i < s->ntok && s->tok[i].end - s->tok[i].start == n &&
	       !memcmp(s->buf + s->tok[i].start, str, n);
}

static char *tok_str(const struct scanner *s, size_t i)
{
	return xstrndup(s->buf + s->tok[i].start,
			s->tok[i].end - s->tok[i].start);
}

static void add_unique(char ***v, size_t *n, char *str)
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

static void decl_add_name(struct cdecl *d, const char *name)
{
	if (!d->name)
		d->name = xstrdup(name);
	add_unique(&d->names, &d->nnames, xstrdup(name));
}

static int decl_new(struct scanner *s, enum cdecl_kind kind, long line,
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
static void refs_from_text(struct cdecl *d, const char *text, size_t len,
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
			while (i < len && is_ident_char((unsigned char)text[i]))
				i++;
			continue;
		}
		if (!is_ident_start(c)) {
			if (!isspace(c))
				tag = NULL;
			i++;
			continue;
		}
		for (j = i; j < len && is_ident_char((unsigned char)text[j]); j++)
			;
		if ((j - i == 6 && (!memcmp(text + i, "struct", 6))) ||
		    (j - i == 5 && !memcmp(text + i, "union", 5)) ||
		    (j - i == 4 && !memcmp(text + i, "enum", 4))) {
			tag = text + i;
		} else if (tag) {
			struct strbuf sb = STRBUF_INIT;
			sb_init(&sb);
			for (k = 0; is_ident_char((unsigned char)tag[k]); k++)
				sb_addch(&sb, tag[k]);
			sb_addch(&sb, ' ');
			sb_add(&sb, text + i, j - i);
			add_unique(&d->refs, &d->nrefs, sb_detach(&sb, NULL));
			tag = NULL;
		} else if (!is_keyword(text + i, j - i)) {
			int skipped = 0;
			for (k = 0; k < nskip; k++)
				if (strlen(skip[k]) == j - i &&
				    !memcmp(skip[k], text + i, j - i))
					skipped = 1;
			if (!skipped)
				add_unique(&d->refs, &d->nrefs,
					   xstrndup(text + i, j - i));
		}
		i = j;
	}
}

static void refs_from_tokens(struct scanner *s, struct cdecl *d, size_t a,
			     size_t b)
{
	if (a < b)
		refs_from_text(d, s->buf + s->tok[a].start,
			       s->tok[b - 1].end - s->tok[a].start, d->names,
			       d->nnames);
}

/* The directive's words: "#  define" -> keyword start. */
static const char *pp_word(const char *p, const char *end, size_t *n)
{
	const char *w;

	p++; /* '#' */
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	w = p;
	while (p < end && is_ident_char((unsigned char)*p))
		p++;
	*n = (size_t)(p - w);
	return w;
}

static int word_is(const char *w, size_t n, const char *str)
{
	return strlen(str) == n && !memcmp(w, str, n);
}

struct ctx_stack {
	int *v;     /* decl index; -1 for extern "C" */
	size_t n, alloc;
};

static void ctx_of(const struct scanner *s, const struct ctx_stack *st,
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

static void ctx_push(struct ctx_stack *st, int d)
{
	ALLOC_GROW(st->v, st->n + 1, st->alloc);
	st->v[st->n++] = d;
}

/* Remove the innermost entry satisfying want (cond or not); its index. */
static int ctx_pop(struct scanner *s, struct ctx_stack *st, int want_cond)
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

static void scan_directive(struct scanner *s, struct ctx_stack *st,
			   size_t ti)
{
	const struct token *t = &s->tok[ti];
	const char *p = s->buf + t->start, *end = s->buf + t->end;
	size_t n;
	const char *w = pp_word(p, end, &n);
	const char *rest = w + n;
	int ctx[3], d;

	ctx_of(s, st, ctx);
	if (word_is(w, n, "if") || word_is(w, n, "ifdef") ||
	    word_is(w, n, "ifndef")) {
		d = decl_new(s, CD_COND, t->line, t->end_line, ctx);
		s->f->v[d].value = cdecl_normalize(s->buf, t->start, t->end);
		refs_from_text(&s->f->v[d], rest, (size_t)(end - rest), NULL, 0);
		s->f->v[d].open_line = t->end_line;
		ctx_push(st, d);
		return;
	}
	if (word_is(w, n, "elif") || word_is(w, n, "else")) {
		d = decl_new(s, CD_COND_ELSE, t->line, t->end_line, ctx);
		s->f->v[d].value = cdecl_normalize(s->buf, t->start, t->end);
		return;
	}
	if (word_is(w, n, "endif")) {
		int c = ctx_pop(s, st, 1);
		if (c < 0) {
			s->f->unbalanced = 1;
			decl_new(s, CD_PP_OTHER, t->line, t->end_line, ctx);
			return;
		}
		s->f->v[c].end_line = t->end_line;
		s->f->v[c].close_line = t->line;
		return;
	}
	if (word_is(w, n, "define") || word_is(w, n, "undef")) {
		const char *nm = rest, *ne;
		int fn;
		while (nm < end && (*nm == ' ' || *nm == '\t'))
			nm++;
		for (ne = nm; ne < end && is_ident_char((unsigned char)*ne); ne++)
			;
		fn = ne < end && *ne == '(';
		d = decl_new(s, word_is(w, n, "undef") ? CD_UNDEF :
				fn ? CD_DEFINE_FN : CD_DEFINE,
			     t->line, t->end_line, ctx);
		if (ne > nm) {
			char *name = xstrndup(nm, (size_t)(ne - nm));
			decl_add_name(&s->f->v[d], name);
			free(name);
		}
		if (word_is(w, n, "define")) {
			const char *body = ne;
			char **params = NULL;
			size_t nparams = 0, i;
			if (fn) {
				const char *q = ne + 1;
				while (q < end && *q != ')') {
					const char *a;
					while (q < end && !is_ident_start((unsigned char)*q) && *q != ')')
						q++;
					for (a = q; q < end && is_ident_char((unsigned char)*q); q++)
						;
					if (q > a)
						add_unique(&params, &nparams,
							   xstrndup(a, (size_t)(q - a)));
				}
				body = q < end ? q + 1 : end;
			}
			s->f->v[d].value = cdecl_normalize(s->buf, (size_t)(body - s->buf),
						     t->end);
			for (i = 0; i < s->f->v[d].nnames; i++)
				add_unique(&params, &nparams,
					   xstrdup(s->f->v[d].names[i]));
			refs_from_text(&s->f->v[d], s->f->v[d].value,
				       strlen(s->f->v[d].value), params, nparams);
			for (i = 0; i < nparams; i++)
				free(params[i]);
			free(params);
		}
		return;
	}
	if (word_is(w, n, "include")) {
		const char *a = rest, *b;
		d = decl_new(s, CD_INCLUDE, t->line, t->end_line, ctx);
		while (a < end && *a != '<' && *a != '"')
			a++;
		if (a < end) {
			for (b = a + 1; b < end && *b != '>' && *b != '"'; b++)
				;
			s->f->v[d].name = xstrndup(a + 1, (size_t)(b - a - 1));
		}
		s->f->v[d].value = cdecl_normalize(s->buf, t->start, t->end);
		return;
	}
	d = decl_new(s, CD_PP_OTHER, t->line, t->end_line, ctx);
	s->f->v[d].value = cdecl_normalize(s->buf, t->start, t->end);
}

/* Index past the attribute group starting at i ("__attribute__((...))"). */
static size_t skip_attribute(const struct scanner *s, size_t i, size_t b)
{
	int depth = 0;

	if (!(tok_is(s, i, "__attribute__") || tok_is(s, i, "__attribute")))
		return i;
	i++;
	for (; i < b; i++) {
		if (tok_is(s, i, "("))
			depth++;
		else if (tok_is(s, i, ")") && --depth == 0)
			return i + 1;
	}
	return i;
}

/* The declared name of tokens [a, b) (one declarator), or -1. */
static long declarator_name(const struct scanner *s, size_t a, size_t b,
			    int func)
{
	size_t i;
	long last = -1;
	int depth = 0;

	for (i = a; i + 1 < b; i++)
		if (tok_is(s, i, "(") && (tok_is(s, i + 1, "*") || tok_is(s, i + 1, "^"))) {
			size_t j = i + 1;
			while (j < b && (tok_is(s, j, "*") || tok_is(s, j, "const")))
				j++;
			if (j < b && s->tok[j].type == T_IDENT)
				return (long)j;
		}
	for (i = a; i < b; i++) {
		size_t k = skip_attribute(s, i, b);
		if (k != i) {
			i = k - 1;
			continue;
		}
		if (tok_is(s, i, "(")) {
			if (depth == 0 && func && last >= 0)
				return last;
			depth++;
		} else if (tok_is(s, i, ")")) {
			depth--;
		} else if (depth == 0 && (tok_is(s, i, "[") || tok_is(s, i, ":") ||
					  tok_is(s, i, "="))) {
			break;
		} else if (depth == 0 && s->tok[i].type == T_IDENT &&
			   !is_keyword(s->buf + s->tok[i].start,
				       s->tok[i].end - s->tok[i].start)) {
			last = (long)i;
		}
	}
	return last;
}

static int has_top_paren(const struct scanner *s, size_t a, size_t b)
{
	size_t i;

	for (i = a; i < b; i++) {
		size_t k = skip_attribute(s, i, b);
		if (k != i) {
			i = k - 1;
			continue;
		}
		if (tok_is(s, i, "("))
			return 1;
	}
	return 0;
}

/* Names of the comma-separated declarators in [a, b). */
static void add_declarator_names(struct scanner *s, struct cdecl *d, size_t a,
				 size_t b, int func)
{
	size_t i, from = a;
	int depth = 0;

	for (i = a; i <= b; i++) {
		if (i < b && (tok_is(s, i, "(") || tok_is(s, i, "[") || tok_is(s, i, "{")))
			depth++;
		else if (i < b && (tok_is(s, i, ")") || tok_is(s, i, "]") || tok_is(s, i, "}")))
			depth--;
		if (i == b || (depth == 0 && tok_is(s, i, ","))) {
			long nm = declarator_name(s, from, i, func);
			if (nm >= 0) {
				char *name = tok_str(s, (size_t)nm);
				decl_add_name(d, name);
				free(name);
			}
			from = i + 1;
		}
	}
}

/* Extend end_line over a comment that starts on it and ends later. */
static long extend_over_comment(const long *tail_end, long nlines,
				long end_line)
{
	if (end_line >= 1 && end_line <= nlines && tail_end[end_line] > end_line)
		return tail_end[end_line];
	return end_line;
}

/* A statement [a, b) ended by ';' at token b (or b == end). */
static void finish_statement(struct scanner *s, struct ctx_stack *st,
			     size_t a, size_t b)
{
	int ctx[3], d;
	enum cdecl_kind kind;
	long end_line = b < s->ntok ? s->tok[b].end_line : s->tok[b - 1].end_line;
	int is_typedef = tok_is(s, a, "typedef");
	int in_agg;

	ctx_of(s, st, ctx);
	in_agg = ctx[1] >= 0 && (s->f->v[ctx[1]].kind == CD_STRUCT ||
				 s->f->v[ctx[1]].kind == CD_UNION);
	if (in_agg && !is_typedef)
		kind = CD_MEMBER;
	else if (is_typedef)
		kind = CD_TYPEDEF;
	else if (has_top_paren(s, a, b))
		kind = CD_FUNC;
	else
		kind = CD_VAR;
	d = decl_new(s, kind, s->tok[a].line, end_line, ctx);
	if (kind == CD_VAR && b - a == 2 &&
	    (tok_is(s, a, "struct") || tok_is(s, a, "union") || tok_is(s, a, "enum")))
		; /* forward declaration defines nothing */
	else if (kind == CD_FUNC)
		add_declarator_names(s, &s->f->v[d], a, b, 1);
	else
		add_declarator_names(s, &s->f->v[d], is_typedef ? a + 1 : a, b, 0);
	refs_from_tokens(s, &s->f->v[d], a, b);
}

static void finish_enumerator(struct scanner *s, struct ctx_stack *st,
			      size_t a, size_t b, long end_line)
{
	int ctx[3], d;
	size_t i;

	if (a >= b || s->tok[a].type != T_IDENT)
		return;
	ctx_of(s, st, ctx);
	d = decl_new(s, CD_ENUMERATOR, s->tok[a].line, end_line, ctx);
	{
		char *name = tok_str(s, a);
		decl_add_name(&s->f->v[d], name);
		free(name);
	}
	for (i = a; i < b && !tok_is(s, i, "="); i++)
		;
	if (i + 1 < b) {
		s->f->v[d].value = cdecl_normalize(s->buf, s->tok[i + 1].start,
					     s->tok[b - 1].end);
		refs_from_tokens(s, &s->f->v[d], i + 1, b);
	}
}

/* Skip a balanced {...} starting at token i; returns the index of '}'. */
static size_t skip_braces(const struct scanner *s, size_t i)
{
	int depth = 0;

	for (; i < s->ntok; i++) {
		if (s->tok[i].type != T_PUNCT)
			continue;
		if (tok_is(s, i, "{"))
			depth++;
		else if (tok_is(s, i, "}") && --depth == 0)
			return i;
	}
	return s->ntok - 1;
}

/* '{' at token i ends statement head [a, i): open what it opens. */
static size_t open_brace(struct scanner *s, struct ctx_stack *st, size_t a,
			 size_t i, int *pending)
{
	size_t k;
	int ctx[3], d;

	for (k = a; k < i; k++) {
		enum cdecl_kind kind;
		if (tok_is(s, k, "struct"))
			kind = CD_STRUCT;
		else if (tok_is(s, k, "union"))
			kind = CD_UNION;
		else if (tok_is(s, k, "enum"))
			kind = CD_ENUM;
		else
			continue;
		if (!(k + 1 == i ||
		      (k + 2 == i && s->tok[k + 1].type == T_IDENT) ||
		      skip_attribute(s, k + 1, i) == i))
			continue;
		ctx_of(s, st, ctx);
		d = decl_new(s, kind, s->tok[a].line, s->tok[i].line, ctx);
		s->f->v[d].open_line = s->tok[i].line;
		if (k + 2 == i) {
			struct strbuf sb = STRBUF_INIT;
			sb_init(&sb);
			sb_add(&sb, s->buf + s->tok[k].start,
			       s->tok[k].end - s->tok[k].start);
			sb_addch(&sb, ' ');
			sb_add(&sb, s->buf + s->tok[k + 1].start,
			       s->tok[k + 1].end - s->tok[k + 1].start);
			decl_add_name(&s->f->v[d], sb.buf);
			sb_release(&sb);
		}
		refs_from_tokens(s, &s->f->v[d], a, k);
		ctx_push(st, d);
		*pending = -1;
		return i;
	}
	if (k == i && i >= a + 2 && tok_is(s, a, "extern") &&
	    s->tok[a + 1].type == T_STRING) {
		ctx_push(st, -1);
		return i;
	}
	if (has_top_paren(s, a, i) && !tok_is(s, i - 1, "=")) {
		size_t close = skip_braces(s, i);
		ctx_of(s, st, ctx);
		d = decl_new(s, CD_FUNC, s->tok[a].line, s->tok[close].end_line,
			     ctx);
		add_declarator_names(s, &s->f->v[d], a, i, 1);
		refs_from_tokens(s, &s->f->v[d], a, close + 1);
		*pending = -2; /* statement done */
		return close;
	}
	return skip_braces(s, i); /* initializer: part of the statement */
}

static void parse(struct scanner *s, struct ctx_stack *st)
{
	size_t i;
	long a = -1;     /* statement start */
	int pending = -1;/* aggregate closed, its statement still running */
	long head_end = -1;

	for (i = 0; i < s->ntok; i++) {
		const struct token *t = &s->tok[i];
		int ctx[3];
		int in_enum;

		if (t->type == T_PP) {
			scan_directive(s, st, i);
			continue;
		}
		ctx_of(s, st, ctx);
		in_enum = ctx[1] >= 0 && s->f->v[ctx[1]].kind == CD_ENUM &&
			  ctx[1] == ctx[0] && pending < 0;
		if (a < 0)
			a = (long)i;
		if (in_enum) {
			if (tok_is(s, i, ",")) {
				finish_enumerator(s, st, (size_t)a, i, t->line);
				a = -1;
			} else if (tok_is(s, i, "}")) {
				if ((size_t)a < i)
					finish_enumerator(s, st, (size_t)a, i,
							  s->tok[i - 1].end_line);
				goto close;
			} else if (tok_is(s, i, "(") || tok_is(s, i, "{")) {
				/* value with a call: skip to the matching ')' */
				int depth = 0;
				for (; i < s->ntok; i++) {
					if (tok_is(s, i, "(") || tok_is(s, i, "{"))
						depth++;
					else if ((tok_is(s, i, ")") || tok_is(s, i, "}")) && --depth == 0)
						break;
				}
			}
			continue;
		}
		if (tok_is(s, i, "{")) {
			int p = 0;
			size_t j = open_brace(s, st, (size_t)a, i, &p);
			if (p == -2) {
				a = -1;
			} else if (j == i) {
				a = -1;
			}
			head_end = -1;
			i = j;
			continue;
		}
		if (tok_is(s, i, "}")) {
close:;
			int d = ctx_pop(s, st, 0);
			if (d == -2) {
				s->f->unbalanced = 1;
				a = -1;
				continue;
			}
			if (d >= 0) {
				s->f->v[d].close_line = t->line;
				s->f->v[d].end_line = t->end_line;
				pending = d;
				head_end = (long)i + 1;
				a = (long)i; /* the declarators follow */
			} else {
				a = -1;
			}
			continue;
		}
		if (tok_is(s, i, ";")) {
			if (pending >= 0) {
				struct cdecl *d = &s->f->v[pending];
				d->end_line = t->end_line;
				if (head_end >= 0 && (size_t)head_end < i) {
					/* "} name;" or "} typedef_name;" */
					add_declarator_names(s, d, (size_t)head_end, i, 0);
					refs_from_tokens(s, d, (size_t)head_end, i);
				}
				pending = -1;
			} else if ((size_t)a < i) {
				finish_statement(s, st, (size_t)a, i);
			}
			a = -1;
			head_end = -1;
			continue;
		}
	}
	if (a >= 0 && (size_t)a < s->ntok && pending < 0)
		finish_statement(s, st, (size_t)a, s->ntok);
	/* containers still open have no end: their text is incomplete */
	for (i = 0; i < st->n; i++)
		if (st->v[i] >= 0 && !s->f->v[st->v[i]].partial) {
			s->f->v[st->v[i]].partial = 1;
			s->f->unbalanced = 1;
		}
}

/* Typedef names of "typedef struct x {...} y;": the aggregate's statement
   began with typedef, so its extra names are typedef names. */

/* Fill extents (bytes, comments) once every line range is known. */
static void finish_extents(struct scanner *s)
{
	long nl = s->f->nlines;
	long *alone_start = xcalloc((size_t)nl + 2, sizeof(long));
	long *tail_end = xcalloc((size_t)nl + 2, sizeof(long));
	size_t i, c;

	/* comments alone on their lines, by end line; trailing ones by start */
	for (c = 0; c < s->ncom; c++) {
		const struct comment *m = &s->com[c];
		if (m->line < 1 || m->end_line > nl)
			continue;
		if (m->alone && !alone_start[m->end_line])
			alone_start[m->end_line] = m->line;
		else if (!m->alone && m->end_line > tail_end[m->line])
			tail_end[m->line] = m->end_line;
	}
	for (i = 0; i < s->f->n; i++) {
		struct cdecl *d = &s->f->v[i];
		if (d->partial)
			continue;
		if (d->kind != CD_COND && !cdecl_is_container(d->kind))
			d->end_line = extend_over_comment(tail_end, nl, d->end_line);
		if (d->end_line < d->line)
			d->end_line = d->line;
		d->start = line_begin(s, d->line);
		d->end = line_after(s, d->end_line);
		d->open_end = line_after(s, d->open_line ? d->open_line : d->line);
		d->cline = d->line;
		while (d->kind != CD_COND_ELSE && d->cline > 1 &&
		       alone_start[d->cline - 1] && alone_start[d->cline - 1] < d->cline)
			d->cline = alone_start[d->cline - 1];
		d->cstart = line_begin(s, d->cline);
	}
	free(alone_start);
	free(tail_end);
}

static void scanner_release(struct scanner *s)
{
	free(s->tok);
	free(s->com);
	free(s->lstart);
}

/* Does the fragment begin inside a comment ("*" "/" before any opener)? */
static int starts_in_comment(const char *buf, size_t len)
{
	size_t i = 0;

	/* " * text": the middle of a block comment (code never starts a
	   line with '*' in a header) */
	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	if (i < len && buf[i] == '*')
		return 1;
	for (i = 0; i + 1 < len; i++) {
		if (buf[i] == '/' && buf[i + 1] == '*')
			return 0;
		if (buf[i] == '*' && buf[i + 1] == '/')
			return 1;
	}
	return 0;
}

/*
 * The container a hunk heading names: "struct foo {", "enum {",
 * "typedef struct foo {".  Leaves kind alone when it names none.
 */
static void parse_heading(const char *h, enum cdecl_kind *kind, char *name,
			  size_t size)
{
	char kw[16], nm[200];
	int n = 0;

	if (sscanf(h, " typedef %n", &n) >= 0 && n)
		h += n;
	if (sscanf(h, " %15[a-z] %199[A-Za-z0-9_]", kw, nm) < 1)
		return;
	if (!strchr(h, '{'))
		return;
	if (!strcmp(kw, "struct"))
		*kind = CD_STRUCT;
	else if (!strcmp(kw, "union"))
		*kind = CD_UNION;
	else if (!strcmp(kw, "enum"))
		*kind = CD_ENUM;
	else
		return;
	if (sscanf(h, " %15[a-z] %199[A-Za-z0-9_]", kw, nm) == 2)
		snprintf(name, size, "%s %s", kw, nm);
}

/*
 * A fragment that starts on the continuation lines of a #define begun
 * before it: C tokens up to the first directive, with nothing that ends
 * a statement among them, are that macro's tail.  Drop them.
 */
static void drop_macro_tail(struct scanner *s)
{
	size_t i;

	for (i = 0; i < s->ntok && s->tok[i].type != T_PP; i++)
		if (tok_is(s, i, ";") || tok_is(s, i, "{") || tok_is(s, i, "}") ||
		    tok_is(s, i, ","))
			return;
	if (i == 0 || i == s->ntok)
		return;
	memmove(s->tok, s->tok + i, (s->ntok - i) * sizeof(*s->tok));
	s->ntok -= i;
}

/*
 * Does the fragment begin inside something, though no '}' says so?  Its
 * first C statement tells: uapi headers declare no variables and run no
 * code at file level, so a member ("type name;"), an enumerator ("NAME,"),
 * an assignment or a statement keyword means we are inside an aggregate
 * or a function body.
 */
static int starts_inside(const struct scanner *s)
{
	static const char *const stmt[] = {
		"if", "else", "return", "switch", "case", "default", "for",
		"while", "do", "break", "continue", "goto", NULL
	};
	size_t i, first = (size_t)-1, k;
	int paren = 0, depth = 0;

	for (i = 0; i < s->ntok; i++) {
		if (s->tok[i].type == T_PP)
			continue;
		if (first == (size_t)-1) {
			first = i;
			if (tok_is(s, i, "typedef") || tok_is(s, i, "extern") ||
			    tok_is(s, i, "static"))
				return 0;
			for (k = 0; stmt[k]; k++)
				if (tok_is(s, i, stmt[k]))
					return 1;
		}
		if (tok_is(s, i, "("))
			paren = 1, depth++;
		else if (tok_is(s, i, ")"))
			depth--;
		else if (depth == 0 && tok_is(s, i, "="))
			return 1;
		else if (tok_is(s, i, "{") || tok_is(s, i, "}"))
			return 0;
		else if (depth == 0 && (tok_is(s, i, ";") || tok_is(s, i, ",")))
			/* "struct foo;" declares a tag at file level */
			return !paren && !(i == first + 2 &&
					   (tok_is(s, first, "struct") ||
					    tok_is(s, first, "union") ||
					    tok_is(s, first, "enum")));
	}
	return 0;
}

static void scan(struct cdecl_file *f, const char *buf, size_t len,
		 int fragment, const char *heading)
{
	struct scanner s;
	struct ctx_stack st = { NULL, 0, 0 };

	memset(f, 0, sizeof(*f));
	memset(&s, 0, sizeof(s));
	s.buf = buf;
	s.len = len;
	s.f = f;
	index_lines(&s);
	tokenize(&s, fragment && starts_in_comment(buf, len));
	if (fragment)
		drop_macro_tail(&s);
	if (fragment) {
		/* How many '}' close containers opened before the fragment? */
		long depth = 0, min = 0;
		size_t i;
		int commas = 0, semis = 0;
		for (i = 0; i < s.ntok; i++) {
			if (tok_is(&s, i, "{"))
				depth++;
			else if (tok_is(&s, i, "}") && --depth < min)
				min = depth;
			else if (depth == min && tok_is(&s, i, ","))
				commas++;
			else if (depth == min && tok_is(&s, i, ";"))
				semis++;
		}
		/* No stray '}', but the first statement is not one a header
		   has at file level: the hunk starts inside something. */
		if (min == 0 && starts_inside(&s))
			min = -1;
		for (i = 0; i < (size_t)-min; i++) {
			int ctx[3], d;
			enum cdecl_kind kind = commas > semis ? CD_ENUM : CD_STRUCT;
			char name[256] = "";
			if (i + 1 == (size_t)-min && heading)
				parse_heading(heading, &kind, name, sizeof(name));
			ctx_of(&s, &st, ctx);
			d = decl_new(&s, kind, 1, 1, ctx);
			f->v[d].partial = 1;
			if (name[0])
				decl_add_name(&f->v[d], name);
			ctx_push(&st, d);
		}
	}
	parse(&s, &st);
	finish_extents(&s);
	free(st.v);
	scanner_release(&s);
}

void cdecl_scan(struct cdecl_file *f, const char *buf, size_t len)
{
	scan(f, buf, len, 0, NULL);
}

void cdecl_scan_fragment(struct cdecl_file *f, const char *buf, size_t len,
			 const char *heading)
{
	scan(f, buf, len, 1, heading);
}

void cdecl_file_release(struct cdecl_file *f)
{
	size_t i, k;

	for (i = 0; i < f->n; i++) {
		struct cdecl *d = &f->v[i];
		free(d->name);
		for (k = 0; k < d->nnames; k++)
			free(d->names[k]);
		free(d->names);
		for (k = 0; k < d->nrefs; k++)
			free(d->refs[k]);
		free(d->refs);
		free(d->value);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

int cdecl_is_container(enum cdecl_kind k)
{
	return k == CD_STRUCT || k == CD_UNION || k == CD_ENUM || k == CD_COND;
}

const char *cdecl_kind_name(enum cdecl_kind k)
{
	static const char *const names[] = {
		"define", "define", "undef", "include", "directive", "if",
		"else", "struct", "union", "enum", "member", "enumerator",
		"typedef", "function", "declaration", "other"
	};
	return names[k];
}

int cdecl_defines(const struct cdecl *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nnames; i++)
		if (!strcmp(d->names[i], name))
			return 1;
	return 0;
}

/* ------------------------------------------------------------ evaluator */

struct eval {
	const char *p;
	cdecl_lookup_fn lookup;
	void *ctx;
	int depth;
	int bad;
};

static long long ev_cond(struct eval *e);

static void ev_space(struct eval *e)
{
	while (isspace((unsigned char)*e->p))
		e->p++;
}

static int ev_accept(struct eval *e, const char *op)
{
	size_t n = strlen(op);

	ev_space(e);
	if (strncmp(e->p, op, n))
		return 0;
	/* do not take "<" from "<<" or "&" from "&&" */
	if (n == 1 && (e->p[1] == op[0] || e->p[1] == '=') &&
	    strchr("<>&|=", op[0]))
		return 0;
	e->p += n;
	return 1;
}

static int is_type_word(const char *s, size_t n)
{
	static const char *const types[] = {
		"int", "long", "unsigned", "signed", "short", "char",
		"__u8", "__u16", "__u32", "__u64", "__s8", "__s16", "__s32",
		"__s64", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
		"int8_t", "int16_t", "int32_t", "int64_t", "__le16", "__le32",
		"__le64", "__be16", "__be32", "__be64", "size_t", NULL
	};
	size_t i;

	for (i = 0; types[i]; i++)
		if (strlen(types[i]) == n && !memcmp(types[i], s, n))
			return 1;
	return 0;
}

static long long ev_primary(struct eval *e)
{
	long long v;

	ev_space(e);
	if (*e->p == '(') {
		/* a cast "(unsigned long)" or a parenthesised expression */
		const char *q = e->p + 1, *w;
		int cast = 1, words = 0;
		while (*q && *q != ')') {
			while (*q == ' ')
				q++;
			for (w = q; is_ident_char((unsigned char)*q); q++)
				;
			if (q == w || !is_type_word(w, (size_t)(q - w))) {
				cast = 0;
				break;
			}
			words++;
			while (*q == ' ')
				q++;
		}
		if (cast && words && *q == ')') {
			e->p = q + 1;
			return ev_primary(e);
		}
		e->p++;
		v = ev_cond(e);
		if (!ev_accept(e, ")"))
			e->bad = 1;
		return v;
	}
	if (isdigit((unsigned char)*e->p)) {
		char *end;
		v = (long long)strtoull(e->p, &end, 0);
		while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
			end++;
		if (is_ident_char((unsigned char)*end))
			e->bad = 1;
		e->p = end;
		return v;
	}
	if (*e->p == '\'' && e->p[1] && e->p[1] != '\\' && e->p[2] == '\'') {
		v = (unsigned char)e->p[1];
		e->p += 3;
		return v;
	}
	if (is_ident_start((unsigned char)*e->p)) {
		const char *w = e->p;
		char *name;
		while (is_ident_char((unsigned char)*e->p))
			e->p++;
		name = xstrndup(w, (size_t)(e->p - w));
		ev_space(e);
		if (*e->p == '(' || !e->lookup || e->depth > 32 ||
		    e->lookup(e->ctx, name, &v, e->depth + 1))
			e->bad = 1;
		free(name);
		return e->bad ? 0 : v;
	}
	e->bad = 1;
	return 0;
}

static long long ev_unary(struct eval *e)
{
	if (ev_accept(e, "-"))
		return -ev_unary(e);
	if (ev_accept(e, "+"))
		return ev_unary(e);
	if (ev_accept(e, "~"))
		return ~ev_unary(e);
	if (ev_accept(e, "!"))
		return !ev_unary(e);
	return ev_primary(e);
}

static long long ev_binary(struct eval *e, int level)
{
	static const char *const ops[][4] = {
		{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" },
		{ "<=", ">=", "<", ">" }, { "<<", ">>" }, { "+", "-" },
		{ "*", "/", "%" }
	};
	long long v, r;
	int k, found;

	if (level == 10)
		return ev_unary(e);
	v = ev_binary(e, level + 1);
	do {
		found = 0;
		for (k = 0; k < 4 && ops[level][k]; k++) {
			const char *op = ops[level][k];
			if (!ev_accept(e, op))
				continue;
			found = 1;
			r = ev_binary(e, level + 1);
			if (!strcmp(op, "||")) v = v || r;
			else if (!strcmp(op, "&&")) v = v && r;
			else if (!strcmp(op, "|")) v |= r;
			else if (!strcmp(op, "^")) v ^= r;
			else if (!strcmp(op, "&")) v &= r;
			else if (!strcmp(op, "==")) v = v == r;
			else if (!strcmp(op, "!=")) v = v != r;
			else if (!strcmp(op, "<=")) v = v <= r;
			else if (!strcmp(op, ">=")) v = v >= r;
			else if (!strcmp(op, "<")) v = v < r;
			else if (!strcmp(op, ">")) v = v > r;
			else if (!strcmp(op, "<<")) v = (long long)((unsigned long long)v << (r & 63));
			else if (!strcmp(op, ">>")) v >>= (r & 63);
			else if (!strcmp(op, "+")) v += r;
			else if (!strcmp(op, "-")) v -= r;
			else if (!strcmp(op, "*")) v *= r;
			else if (r == 0) e->bad = 1;
			else if (!strcmp(op, "/")) v /= r;
			else v %= r;
			break;
		}
	} while (found && !e->bad);
	return v;
}

static long long ev_cond(struct eval *e)
{
	long long c = ev_binary(e, 0), a, b;

	if (!ev_accept(e, "?"))
		return c;
	a = ev_cond(e);
	if (!ev_accept(e, ":"))
		e->bad = 1;
	b = ev_cond(e);
	return c ? a : b;
}

int cdecl_eval(const char *expr, cdecl_lookup_fn lookup, void *ctx,
	       int depth, long long *out)
{
	struct eval e = { expr, lookup, ctx, depth, 0 };
	long long v;

	if (!expr || !*expr)
		return -1;
	v = ev_cond(&e);
	ev_space(&e);
	if (e.bad || *e.p)
		return -1;
	*out = v;
	return 0;
}

/* ----------------------------------------------------------- consumers */

void cdecl_for_each_ident(const char *buf, size_t len, int *in_comment,
			  cdecl_ident_fn fn, void *ctx)
{
	size_t i = 0;
	const char *tag = NULL;
	size_t taglen = 0;

	if (*in_comment) {
		while (i + 1 < len && !(buf[i] == '*' && buf[i + 1] == '/'))
			i++;
		if (i + 1 >= len) {
			return;
		}
		i += 2;
		*in_comment = 0;
	}
	while (i < len) {
		int c = (unsigned char)buf[i];
		size_t j;

		if (c == '/' && i + 1 < len && buf[i + 1] == '*') {
			i += 2;
			while (i + 1 < len && !(buf[i] == '*' && buf[i + 1] == '/'))
				i++;
			if (i + 1 >= len) {
				*in_comment = 1;
				return;
			}
			i += 2;
			continue;
		}
		if (c == '/' && i + 1 < len && buf[i + 1] == '/') {
			while (i < len && buf[i] != '\n')
				i++;
			continue;
		}
		if (c == '"' || c == '\'') {
			for (i++; i < len && buf[i] != c && buf[i] != '\n'; i++)
				if (buf[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (isdigit(c)) {
			while (i < len && is_ident_char((unsigned char)buf[i]))
				i++;
			continue;
		}
		if (!is_ident_start(c)) {
			if (!isspace(c))
				tag = NULL;
			i++;
			continue;
		}
		for (j = i; j < len && is_ident_char((unsigned char)buf[j]); j++)
			;
		if ((j - i == 6 && !memcmp(buf + i, "struct", 6)) ||
		    (j - i == 5 && !memcmp(buf + i, "union", 5)) ||
		    (j - i == 4 && !memcmp(buf + i, "enum", 4))) {
			tag = buf + i;
			taglen = j - i;
		} else if (tag) {
			char name[300];
			if (taglen + 1 + (j - i) < sizeof(name)) {
				memcpy(name, tag, taglen);
				name[taglen] = ' ';
				memcpy(name + taglen + 1, buf + i, j - i);
				fn(ctx, name, taglen + 1 + (j - i));
			}
			tag = NULL;
		} else {
			fn(ctx, buf + i, j - i);
		}
		i = j;
	}
}
