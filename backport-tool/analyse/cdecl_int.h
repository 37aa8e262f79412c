/*
 * cdecl_int.h - the scanner's private state, shared by the cdecl_*.c
 * files: the tokens of one header, its comments and line starts, and the
 * stack of open braces and conditionals the parser keeps (see cdecl.c).
 */
#ifndef BT_CDECL_INT_H
#define BT_CDECL_INT_H

#include "analyse/cdecl.h"
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

struct ctx_stack {
	int *v;     /* decl index; -1 for extern "C" */
	size_t n, alloc;
};

/* cdecl_lex.c */
int cdecl_is_keyword(const char *s, size_t n);
int cdecl_is_ident_start(int c);
int cdecl_is_ident_char(int c);
void cdecl_index_lines(struct scanner *s);
size_t cdecl_line_begin(const struct scanner *s, long line);
size_t cdecl_line_after(const struct scanner *s, long line);
void cdecl_tokenize(struct scanner *s, int in_comment);
/* cdecl_decl.c */
int cdecl_tok_is(const struct scanner *s, size_t i, const char *str);
char *cdecl_tok_str(const struct scanner *s, size_t i);
void cdecl_add_unique(char ***v, size_t *n, char *str);
void cdecl_add_name(struct cdecl *d, const char *name);
int cdecl_new(struct scanner *s, enum cdecl_kind kind, long line,
		    long end_line, const int *ctx);
void cdecl_refs_from_text(struct cdecl *d, const char *text, size_t len,
			   char **skip, size_t nskip);
void cdecl_refs_from_tokens(struct scanner *s, struct cdecl *d, size_t a,
			     size_t b);
const char *cdecl_pp_word(const char *p, const char *end, size_t *n);
/* cdecl_directive.c */
void cdecl_ctx_of(const struct scanner *s, const struct ctx_stack *st,
		   int *ctx);
void cdecl_ctx_push(struct ctx_stack *st, int d);
int cdecl_ctx_pop(struct scanner *s, struct ctx_stack *st, int want_cond);
void cdecl_scan_directive(struct scanner *s, struct ctx_stack *st,
			   size_t ti);
size_t cdecl_skip_attribute(const struct scanner *s, size_t i, size_t b);
/* cdecl_parse.c */
void cdecl_parse(struct scanner *s, struct ctx_stack *st);
void cdecl_finish_extents(struct scanner *s);

#endif
