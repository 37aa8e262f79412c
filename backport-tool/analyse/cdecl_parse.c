/*
 * cdecl_parse.c - grouping tokens into statements at each brace level:
 * structs, unions and enums with their members, typedefs, prototypes,
 * variables; each with its exact line extent and attached comment.
 */
#include "analyse/cdecl_int.h"

#include <stdlib.h>

/* The declared name of tokens [a, b) (one declarator), or -1. */
static long declarator_name(const struct scanner *s, size_t a, size_t b,
			    int func)
{
	size_t i;
	long last = -1;
	int depth = 0;

	for (i = a; i + 1 < b; i++)
		if (cdecl_tok_is(s, i, "(") && (cdecl_tok_is(s, i + 1, "*") || cdecl_tok_is(s, i + 1, "^"))) {
			size_t j = i + 1;
			while (j < b && (cdecl_tok_is(s, j, "*") || cdecl_tok_is(s, j, "const")))
				j++;
			if (j < b && s->tok[j].type == T_IDENT)
				return (long)j;
		}
	for (i = a; i < b; i++) {
		size_t k = cdecl_skip_attribute(s, i, b);
		if (k != i) {
			i = k - 1;
			continue;
		}
		if (cdecl_tok_is(s, i, "(")) {
			if (depth == 0 && func && last >= 0)
				return last;
			depth++;
		} else if (cdecl_tok_is(s, i, ")")) {
			depth--;
		} else if (depth == 0 && (cdecl_tok_is(s, i, "[") || cdecl_tok_is(s, i, ":") ||
					  cdecl_tok_is(s, i, "="))) {
			break;
		} else if (depth == 0 && s->tok[i].type == T_IDENT &&
			   !cdecl_is_keyword(s->buf + s->tok[i].start,
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
		size_t k = cdecl_skip_attribute(s, i, b);
		if (k != i) {
			i = k - 1;
			continue;
		}
		if (cdecl_tok_is(s, i, "("))
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
		if (i < b && (cdecl_tok_is(s, i, "(") || cdecl_tok_is(s, i, "[") || cdecl_tok_is(s, i, "{")))
			depth++;
		else if (i < b && (cdecl_tok_is(s, i, ")") || cdecl_tok_is(s, i, "]") || cdecl_tok_is(s, i, "}")))
			depth--;
		if (i == b || (depth == 0 && cdecl_tok_is(s, i, ","))) {
			long nm = declarator_name(s, from, i, func);
			if (nm >= 0) {
				char *name = cdecl_tok_str(s, (size_t)nm);
				cdecl_add_name(d, name);
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
	int is_typedef = cdecl_tok_is(s, a, "typedef");
	int in_agg;

	cdecl_ctx_of(s, st, ctx);
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
	d = cdecl_new(s, kind, s->tok[a].line, end_line, ctx);
	if (kind == CD_VAR && b - a == 2 &&
	    (cdecl_tok_is(s, a, "struct") || cdecl_tok_is(s, a, "union") || cdecl_tok_is(s, a, "enum")))
		; /* forward declaration defines nothing */
	else if (kind == CD_FUNC)
		add_declarator_names(s, &s->f->v[d], a, b, 1);
	else
		add_declarator_names(s, &s->f->v[d], is_typedef ? a + 1 : a, b, 0);
	cdecl_refs_from_tokens(s, &s->f->v[d], a, b);
}

static void finish_enumerator(struct scanner *s, struct ctx_stack *st,
			      size_t a, size_t b, long end_line)
{
	int ctx[3], d;
	size_t i;

	if (a >= b || s->tok[a].type != T_IDENT)
		return;
	cdecl_ctx_of(s, st, ctx);
	d = cdecl_new(s, CD_ENUMERATOR, s->tok[a].line, end_line, ctx);
	{
		char *name = cdecl_tok_str(s, a);
		cdecl_add_name(&s->f->v[d], name);
		free(name);
	}
	for (i = a; i < b && !cdecl_tok_is(s, i, "="); i++)
		;
	if (i + 1 < b) {
		s->f->v[d].value = cdecl_normalize(s->buf, s->tok[i + 1].start,
					     s->tok[b - 1].end);
		cdecl_refs_from_tokens(s, &s->f->v[d], i + 1, b);
	}
}

/* Skip a balanced {...} starting at token i; returns the index of '}'. */
static size_t skip_braces(const struct scanner *s, size_t i)
{
	int depth = 0;

	for (; i < s->ntok; i++) {
		if (s->tok[i].type != T_PUNCT)
			continue;
		if (cdecl_tok_is(s, i, "{"))
			depth++;
		else if (cdecl_tok_is(s, i, "}") && --depth == 0)
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
		if (cdecl_tok_is(s, k, "struct"))
			kind = CD_STRUCT;
		else if (cdecl_tok_is(s, k, "union"))
			kind = CD_UNION;
		else if (cdecl_tok_is(s, k, "enum"))
			kind = CD_ENUM;
		else
			continue;
		if (!(k + 1 == i ||
		      (k + 2 == i && s->tok[k + 1].type == T_IDENT) ||
		      cdecl_skip_attribute(s, k + 1, i) == i))
			continue;
		cdecl_ctx_of(s, st, ctx);
		d = cdecl_new(s, kind, s->tok[a].line, s->tok[i].line, ctx);
		s->f->v[d].open_line = s->tok[i].line;
		if (k + 2 == i) {
			struct strbuf sb = STRBUF_INIT;
			sb_init(&sb);
			sb_add(&sb, s->buf + s->tok[k].start,
			       s->tok[k].end - s->tok[k].start);
			sb_addch(&sb, ' ');
			sb_add(&sb, s->buf + s->tok[k + 1].start,
			       s->tok[k + 1].end - s->tok[k + 1].start);
			cdecl_add_name(&s->f->v[d], sb.buf);
			sb_release(&sb);
		}
		cdecl_refs_from_tokens(s, &s->f->v[d], a, k);
		cdecl_ctx_push(st, d);
		*pending = -1;
		return i;
	}
	if (k == i && i >= a + 2 && cdecl_tok_is(s, a, "extern") &&
	    s->tok[a + 1].type == T_STRING) {
		cdecl_ctx_push(st, -1);
		return i;
	}
	if (has_top_paren(s, a, i) && !cdecl_tok_is(s, i - 1, "=")) {
		size_t close = skip_braces(s, i);
		cdecl_ctx_of(s, st, ctx);
		d = cdecl_new(s, CD_FUNC, s->tok[a].line, s->tok[close].end_line,
			     ctx);
		add_declarator_names(s, &s->f->v[d], a, i, 1);
		cdecl_refs_from_tokens(s, &s->f->v[d], a, close + 1);
		*pending = -2; /* statement done */
		return close;
	}
	return skip_braces(s, i); /* initializer: part of the statement */
}

/* Where the statement being read stands. */
struct stmt {
	long a;        /* its first token, or -1 */
	int pending;   /* aggregate closed, its statement still running */
	long head_end; /* the token after that aggregate's '}' */
};

/* '}' at token i: close the innermost container. */
static void close_brace(struct scanner *s, struct ctx_stack *st,
			struct stmt *m, size_t i)
{
	const struct token *t = &s->tok[i];
	int d = cdecl_ctx_pop(s, st, 0);

	if (d == -2) {
		s->f->unbalanced = 1;
		m->a = -1;
		return;
	}
	if (d < 0) {
		m->a = -1;
		return;
	}
	s->f->v[d].close_line = t->line;
	s->f->v[d].end_line = t->end_line;
	m->pending = d;
	m->head_end = (long)i + 1;
	m->a = (long)i; /* the declarators follow */
}

/* ';' at token i: the statement, or the aggregate's declarators, end. */
static void end_statement(struct scanner *s, struct ctx_stack *st,
			  struct stmt *m, size_t i)
{
	if (m->pending >= 0) {
		struct cdecl *d = &s->f->v[m->pending];

		d->end_line = s->tok[i].end_line;
		if (m->head_end >= 0 && (size_t)m->head_end < i) {
			/* "} name;" or "} typedef_name;" */
			add_declarator_names(s, d, (size_t)m->head_end, i, 0);
			cdecl_refs_from_tokens(s, d, (size_t)m->head_end, i);
		}
		m->pending = -1;
	} else if ((size_t)m->a < i) {
		finish_statement(s, st, (size_t)m->a, i);
	}
	m->a = -1;
	m->head_end = -1;
}

/*
 * Token i inside an enum body: ',' ends an enumerator, '}' the body
 * (*closed set), a value with a call is skipped to its matching ')'.
 * Returns the last token read.
 */
static size_t enum_token(struct scanner *s, struct ctx_stack *st,
			 struct stmt *m, size_t i, int *closed)
{
	int depth = 0;

	if (cdecl_tok_is(s, i, ",")) {
		finish_enumerator(s, st, (size_t)m->a, i, s->tok[i].line);
		m->a = -1;
	} else if (cdecl_tok_is(s, i, "}")) {
		if ((size_t)m->a < i)
			finish_enumerator(s, st, (size_t)m->a, i,
					  s->tok[i - 1].end_line);
		*closed = 1;
	} else if (cdecl_tok_is(s, i, "(") || cdecl_tok_is(s, i, "{")) {
		for (; i < s->ntok; i++) {
			if (cdecl_tok_is(s, i, "(") || cdecl_tok_is(s, i, "{"))
				depth++;
			else if ((cdecl_tok_is(s, i, ")") || cdecl_tok_is(s, i, "}")) &&
				 --depth == 0)
				break;
		}
	}
	return i;
}

/* The end of the text: what is still open is incomplete. */
static void finish_text(struct scanner *s, struct ctx_stack *st,
			const struct stmt *m)
{
	size_t i;

	if (m->a >= 0 && (size_t)m->a < s->ntok && m->pending < 0)
		finish_statement(s, st, (size_t)m->a, s->ntok);
	/* containers still open have no end: their text is incomplete */
	for (i = 0; i < st->n; i++)
		if (st->v[i] >= 0 && !s->f->v[st->v[i]].partial) {
			s->f->v[st->v[i]].partial = 1;
			s->f->unbalanced = 1;
		}
}

void cdecl_parse(struct scanner *s, struct ctx_stack *st)
{
	struct stmt m = { -1, -1, -1 };
	size_t i;

	for (i = 0; i < s->ntok; i++) {
		int ctx[3], closed = 0, p = 0;
		size_t j;

		if (s->tok[i].type == T_PP) {
			cdecl_scan_directive(s, st, i);
			continue;
		}
		cdecl_ctx_of(s, st, ctx);
		if (m.a < 0)
			m.a = (long)i;
		if (ctx[1] >= 0 && s->f->v[ctx[1]].kind == CD_ENUM &&
		    ctx[1] == ctx[0] && m.pending < 0) {
			i = enum_token(s, st, &m, i, &closed);
			if (closed)
				close_brace(s, st, &m, i);
		} else if (cdecl_tok_is(s, i, "{")) {
			j = open_brace(s, st, (size_t)m.a, i, &p);
			if (p == -2 || j == i)
				m.a = -1;
			m.head_end = -1;
			i = j;
		} else if (cdecl_tok_is(s, i, "}")) {
			close_brace(s, st, &m, i);
		} else if (cdecl_tok_is(s, i, ";")) {
			end_statement(s, st, &m, i);
		}
	}
	finish_text(s, st, &m);
}

/* Typedef names of "typedef struct x {...} y;": the aggregate's statement
   began with typedef, so its extra names are typedef names. */

/* Fill extents (bytes, comments) once every line range is known. */
void cdecl_finish_extents(struct scanner *s)
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
		d->start = cdecl_line_begin(s, d->line);
		d->end = cdecl_line_after(s, d->end_line);
		d->open_end = cdecl_line_after(s, d->open_line ? d->open_line : d->line);
		d->cline = d->line;
		while (d->kind != CD_COND_ELSE && d->cline > 1 &&
		       alone_start[d->cline - 1] && alone_start[d->cline - 1] < d->cline)
			d->cline = alone_start[d->cline - 1];
		d->cstart = cdecl_line_begin(s, d->cline);
	}
	free(alone_start);
	free(tail_end);
}
