/*
 * cdecl_lex.c - the tokenizer: comments (kept, with the blank lines around
 * them), strings, line continuations, and one token per preprocessor line.
 */
#include "analyse/cdecl_int.h"

#include <ctype.h>
#include <string.h>

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

int cdecl_is_keyword(const char *s, size_t n)
{
	size_t i;

	for (i = 0; keywords[i]; i++)
		if (strlen(keywords[i]) == n && !memcmp(keywords[i], s, n))
			return 1;
	return 0;
}

int cdecl_is_ident_start(int c)
{
	return isalpha(c) || c == '_' || c == '$';
}

int cdecl_is_ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '$';
}

/* ---------------------------------------------------------------- lexer */

static void add_line_start(struct scanner *s, size_t off)
{
	ALLOC_GROW(s->lstart, s->nlstart + 1, s->alstart);
	s->lstart[s->nlstart++] = off;
}

void cdecl_index_lines(struct scanner *s)
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

size_t cdecl_line_begin(const struct scanner *s, long line)
{
	if (line < 1)
		return 0;
	if ((size_t)line >= s->nlstart)
		return s->len;
	return s->lstart[line];
}

size_t cdecl_line_after(const struct scanner *s, long line)
{
	return cdecl_line_begin(s, line + 1);
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

void cdecl_tokenize(struct scanner *s, int in_comment)
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
		if (cdecl_is_ident_start(c)) {
			while (lx.p < s->len && cdecl_is_ident_char(lx_peek(&lx, 0)))
				lx.p++;
			push_token(s, T_IDENT, start, lx.p, line, line);
		} else if (isdigit(c) || (c == '.' && isdigit(lx_peek(&lx, 1)))) {
			while (lx.p < s->len && (cdecl_is_ident_char(lx_peek(&lx, 0)) ||
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
