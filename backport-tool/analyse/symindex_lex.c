/*
 * symindex_lex.c - the single-pass C lexer the index reads with: keywords,
 * identifiers, numbers, strings and comments skipped, directives marked.
 */
#include "analyse/symindex_int.h"

#include <string.h>

enum kw sym_keyword(const char *s, size_t n)
{
#define IS(lit) (n == sizeof(lit) - 1 && !memcmp(s, lit, n))
	switch (s[0]) {
	case '_':
		if (IS("_Bool") || IS("_Complex") || IS("__inline") ||
		    IS("__inline__") || IS("__restrict") || IS("_Atomic") ||
		    IS("__signed__") || IS("__const") || IS("__volatile__"))
			return KW_TYPE;
		if (IS("_Static_assert") || IS("_Alignas") || IS("_Alignof") ||
		    IS("_Generic") || IS("_Noreturn") || IS("_Thread_local") ||
		    IS("__attribute__") || IS("__typeof__") || IS("__asm__") ||
		    IS("__extension__") || IS("__typeof") || IS("__asm"))
			return KW_OTHER;
		return KW_NONE;
	case 'a':
		return IS("auto") ? KW_TYPE : IS("asm") ? KW_OTHER : KW_NONE;
	case 'b':
		return IS("break") ? KW_OTHER : KW_NONE;
	case 'c':
		return IS("char") || IS("const") ? KW_TYPE
		       : IS("case") || IS("continue") ? KW_OTHER : KW_NONE;
	case 'd':
		return IS("double") ? KW_TYPE
		       : IS("do") || IS("default") ? KW_OTHER : KW_NONE;
	case 'e':
		return IS("enum") ? KW_ENUM
		       : IS("extern") ? KW_TYPE : IS("else") ? KW_OTHER : KW_NONE;
	case 'f':
		return IS("float") ? KW_TYPE : IS("for") ? KW_OTHER : KW_NONE;
	case 'g':
		return IS("goto") ? KW_OTHER : KW_NONE;
	case 'i':
		return IS("int") || IS("inline") ? KW_TYPE
		       : IS("if") ? KW_OTHER : KW_NONE;
	case 'l':
		return IS("long") ? KW_TYPE : KW_NONE;
	case 'r':
		return IS("register") || IS("restrict") ? KW_TYPE
		       : IS("return") ? KW_OTHER : KW_NONE;
	case 's':
		if (IS("struct"))
			return KW_STRUCT;
		return IS("short") || IS("signed") || IS("static") ? KW_TYPE
		       : IS("sizeof") || IS("switch") ? KW_OTHER : KW_NONE;
	case 't':
		return IS("typedef") ? KW_TYPEDEF
		       : IS("typeof") ? KW_OTHER : KW_NONE;
	case 'u':
		return IS("union") ? KW_STRUCT
		       : IS("unsigned") ? KW_TYPE : KW_NONE;
	case 'v':
		return IS("void") || IS("volatile") ? KW_TYPE : KW_NONE;
	case 'w':
		return IS("while") ? KW_OTHER : KW_NONE;
	}
	return KW_NONE;
#undef IS
}

int sym_is_keyword(const char *s, size_t len)
{
	return len && sym_keyword(s, len) != KW_NONE;
}

static int is_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == '$';
}

static int is_ident_char(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Skip blanks, comments and escaped newlines; stop at a real newline. */
static void skip_space(struct lexer *lx)
{
	while (lx->p < lx->end) {
		char c = *lx->p;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			lx->p++;
		} else if (c == '\\' && lx->p + 1 < lx->end && lx->p[1] == '\n') {
			lx->p += 2;
			lx->line++;
		} else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
			const char *q = lx->p + 2;

			while (q + 1 < lx->end && !(q[0] == '*' && q[1] == '/')) {
				if (*q == '\n')
					lx->line++;
				q++;
			}
			lx->p = q + 1 < lx->end ? q + 2 : lx->end;
		} else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '/') {
			while (lx->p < lx->end && *lx->p != '\n') {
				if (*lx->p == '\\' && lx->p + 1 < lx->end &&
				    lx->p[1] == '\n') {
					lx->p++;
					lx->line++;
				}
				lx->p++;
			}
		} else {
			return;
		}
	}
}

static void skip_quoted(struct lexer *lx, char q)
{
	lx->p++;
	while (lx->p < lx->end && *lx->p != q && *lx->p != '\n') {
		if (*lx->p == '\\' && lx->p + 1 < lx->end) {
			if (lx->p[1] == '\n')
				lx->line++;
			lx->p++;
		}
		lx->p++;
	}
	if (lx->p < lx->end && *lx->p == q)
		lx->p++;
}

static void skip_line(struct lexer *lx)
{
	while (lx->p < lx->end && *lx->p != '\n') {
		if (*lx->p == '\\' && lx->p + 1 < lx->end && lx->p[1] == '\n') {
			lx->p++;
			lx->line++;
		}
		lx->p++;
	}
}

enum tok sym_lex(struct lexer *lx)
{
	for (;;) {
		const char *start;

		skip_space(lx);
		if (lx->p >= lx->end) {
			if (lx->in_pp) {
				lx->in_pp = 0;
				return T_PPEND;
			}
			return T_EOF;
		}
		start = lx->p;
		lx->tline = lx->line;
		if (*start == '\n') {
			lx->p++;
			lx->line++;
			lx->bol = 1;
			if (lx->in_pp) {
				lx->in_pp = 0;
				return T_PPEND;
			}
			continue;
		}
		if (*start == '#' && lx->bol) {
			const char *w;

			lx->p++;
			lx->bol = 0;
			skip_space(lx);
			w = lx->p;
			while (lx->p < lx->end && is_ident_char((unsigned char)*lx->p))
				lx->p++;
			lx->s = w;
			lx->n = (size_t)(lx->p - w);
			if (lx->n == 7 && !memcmp(w, "include", 7)) {
				skip_line(lx);
				continue;
			}
			lx->in_pp = 1;
			return lx->n == 6 && !memcmp(w, "define", 6) ? T_DEFINE
								    : T_PP;
		}
		lx->bol = 0;
		lx->s = start;
		if (is_ident_start((unsigned char)*start)) {
			while (lx->p < lx->end && is_ident_char((unsigned char)*lx->p))
				lx->p++;
			lx->n = (size_t)(lx->p - start);
			/* L"x", u8"x": a prefixed literal */
			if (lx->p < lx->end && (*lx->p == '"' || *lx->p == '\'') &&
			    lx->n <= 2 && (*start == 'L' || *start == 'u' || *start == 'U')) {
				skip_quoted(lx, *lx->p);
				return T_STRING;
			}
			return T_IDENT;
		}
		if (*start >= '0' && *start <= '9') {
			while (lx->p < lx->end && (is_ident_char((unsigned char)*lx->p) ||
						   *lx->p == '.'))
				lx->p++;
			lx->n = (size_t)(lx->p - start);
			return T_NUMBER;
		}
		if (*start == '"' || *start == '\'') {
			skip_quoted(lx, *start);
			lx->n = (size_t)(lx->p - start);
			return T_STRING;
		}
		if (*start == '-' && lx->p + 1 < lx->end && lx->p[1] == '>') {
			lx->p += 2;
			lx->n = 2;
			return T_PUNCT;
		}
		lx->p++;
		lx->n = 1;
		return T_PUNCT;
	}
}
