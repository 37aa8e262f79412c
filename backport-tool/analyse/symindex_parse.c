/*
 * symindex_parse.c - the declaration recogniser: from tokens to the names
 * a text defines (functions, variables, types, tags, enumerators, macros)
 * at file scope, one brace level at a time.
 */
#include "analyse/symindex_int.h"

#include <stdlib.h>
#include <string.h>

static void decl_reset(struct decl *d)
{
	memset(d, 0, sizeof(*d));
	d->prev = T_PUNCT;
	d->prevc = ';';
}

static enum scope_kind scope_top(const struct parser *ps)
{
	return ps->depth ? ps->stack[ps->depth - 1].kind : SC_FILE;
}

static void add(struct parser *ps, const char *s, size_t n, long line,
		enum sym_kind k)
{
	/*
	 * In a patch, a context line proves nothing about the target: only
	 * added lines define, except locals (a context line of the function
	 * the hunk is in; fragments make them look like file-scope variables).
	 */
	if (ps->pi && k != SYM_LOCAL && k != SYM_VARIABLE &&
	    !sym_post_line_added(ps->pi, line))
		return;
	sym_define(ps->ix, ps->file, s, n, line, k);
}

/* A declarator ends (',' ';' or '{' of a function): record it. */
static void decl_finish(struct parser *ps, int is_definition)
{
	struct decl *d = &ps->d;
	enum scope_kind sc = scope_top(ps);
	enum sym_kind var = sc == SC_FILE ? SYM_VARIABLE
			    : sc == SC_STRUCT ? SYM_MEMBER : SYM_LOCAL;

	if (sc == SC_BLOCK && !ps->locals)
		goto out;
	if (d->fp && (d->is_typedef || sc != SC_BLOCK || ps->locals))
		add(ps, d->fp, d->fp_n, d->fp_line,
		    d->is_typedef ? SYM_TYPEDEF : var);
	else if (d->fn && sc != SC_STRUCT)
		add(ps, d->fn, d->fn_n, d->fn_line,
		    d->is_typedef ? SYM_TYPEDEF
		    : is_definition ? SYM_FUNCTION : SYM_PROTOTYPE);
	else if (d->last)
		add(ps, d->last, d->last_n, d->last_line,
		    d->is_typedef ? SYM_TYPEDEF : var);
out:
	d->last = d->fn = d->fp = NULL;
	d->fp_state = 0;
	d->init = 0;
}

static int type_ish(const struct decl *d)
{
	return (d->prev == T_IDENT && (d->prevkw == KW_NONE || d->prevkw == KW_TYPE ||
				       d->prevkw == KW_STRUCT || d->prevkw == KW_ENUM)) ||
	       (d->prev == T_PUNCT && d->prevc == '*' && d->ntok > 1);
}

static void push(struct parser *ps, enum scope_kind k)
{
	ALLOC_GROW(ps->stack, ps->depth + 1, ps->alloc);
	ps->stack[ps->depth].kind = k;
	ps->stack[ps->depth].d = ps->d;
	ps->depth++;
	decl_reset(&ps->d);
	if (k == SC_ENUM)
		ps->d.enum_expect = 1;
}

static void pop(struct parser *ps)
{
	enum scope_kind k;

	if (!ps->depth) {
		decl_reset(&ps->d);
		return;
	}
	k = ps->stack[--ps->depth].kind;
	ps->d = ps->stack[ps->depth].d;
	if (k == SC_BLOCK && ps->d.fn) {
		/* a function body ends the declaration */
		decl_reset(&ps->d);
	} else if (k == SC_STRUCT || k == SC_ENUM) {
		ps->d.prev = T_IDENT; /* "struct {...}" acts as a type name */
		ps->d.prevkw = KW_NONE;
		ps->d.pending = 0;
	}
}

/* Words that qualify a declaration without naming its type. */
static int is_storage_word(const char *s, size_t n)
{
	static const char *const words[] = {
		"static", "extern", "inline", "const", "volatile", "register",
		"auto", "restrict", "__inline", "__inline__", "__restrict",
		"__const", "__volatile__", NULL
	};
	size_t i;

	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == n && !memcmp(words[i], s, n))
			return 1;
	return 0;
}

static void on_ident(struct parser *ps, const char *s, size_t n, long line)
{
	struct decl *d = &ps->d;
	enum scope_kind sc = scope_top(ps);
	enum kw kw = sym_keyword(s, n);
	int pend = d->pending;

	d->pending = 0;
	if (d->attr) {
		d->pending = pend;
		goto out;
	}
	if (sc == SC_ENUM) {
		if (d->enum_expect && kw == KW_NONE && d->depth == 0)
			add(ps, s, n, line, SYM_ENUMERATOR);
		d->enum_expect = 0;
		return;
	}
	if (d->init || sc == SC_INIT || (sc == SC_BLOCK && !ps->locals))
		goto out;
	if (d->ntok == 0)
		d->first_ok = kw == KW_NONE || kw == KW_TYPE || kw == KW_STRUCT ||
			      kw == KW_ENUM || kw == KW_TYPEDEF;
	if (pend && n >= 13 && !memcmp(s, "__attribute__", 13) && n == 13) {
		/* struct __attribute__((packed)) tag { */
		d->pending = pend;
		d->attr = 1;
		goto out;
	}
	if (kw == KW_TYPEDEF) {
		d->is_typedef = 1;
	} else if (kw == KW_STRUCT || kw == KW_ENUM) {
		d->pending = kw == KW_STRUCT ? 1 : 2;
	} else if (kw == KW_NONE && pend && d->prev == T_IDENT &&
		   (d->prevkw == KW_STRUCT || d->prevkw == KW_ENUM)) {
		/* a tag: defined only if "{" or ";" follows */
		d->tag = s;
		d->tag_n = n;
		d->tag_line = line;
		d->pending = pend;
		d->prev = T_IDENT;
		d->prevkw = KW_TYPE; /* type-ish, not a declarator */
		d->ntok++;
		return;
	} else if (kw == KW_NONE && d->first_ok) {
		if (d->fp_state == 2 && d->depth == 1) {
			d->fp = s;
			d->fp_n = n;
			d->fp_line = line;
		} else if (d->depth == 0 && type_ish(d)) {
			d->last = s;
			d->last_n = n;
			d->last_line = line;
			d->after_macro = 0;
			d->last_typed = d->types > 0;
		} else if (d->depth == 0 && (!d->fn || !d->fn_typed) &&
			   d->prev == T_PUNCT && d->prevc == ')') {
			/*
			 * static QLIST_HEAD(, Foo) name; typedef M(a, b) Name;
			 * but not "void f(void) QEMU_NORETURN;"
			 */
			d->fn = NULL;
			d->last = s;
			d->last_n = n;
			d->last_line = line;
			d->after_macro = 1;
		} else if (d->depth == 1 && ps->locals && d->fn && type_ish(d)) {
			/* a parameter of a function we are reading */
			add(ps, s, n, line, SYM_LOCAL);
		}
	}
	d->fp_state = 0;
out:
	if (d->depth == 0 && (kw == KW_NONE || kw == KW_STRUCT || kw == KW_ENUM ||
			      (kw == KW_TYPE && !is_storage_word(s, n))))
		d->types++;
	d->prev = T_IDENT;
	d->prevkw = kw;
	d->ntok++;
}

/*
 * Inside __attribute__((...)) after struct/enum: count its parentheses.
 * 1 when c belonged to it.
 */
static int attribute_punct(struct decl *d, char c, int pend)
{
	if (c == '(')
		d->attr++;
	else if (c == ')' && --d->attr == 1)
		d->attr = 0;
	d->pending = pend;
	return d->attr || c == ')';
}

/* '{': a struct or enum body, an initializer, a function body or a block. */
static void open_brace(struct parser *ps, int pend, enum scope_kind sc)
{
	struct decl *d = &ps->d;

	if (pend && sc != SC_ENUM && sc != SC_INIT && !d->init &&
	    (sc != SC_BLOCK || ps->locals)) {
		if (d->tag)
			add(ps, d->tag, d->tag_n, d->tag_line, SYM_TAG);
		d->tag = NULL;
		push(ps, pend == 2 ? SC_ENUM : SC_STRUCT);
		return;
	}
	if (d->init || sc == SC_INIT) {
		push(ps, SC_INIT);
		return;
	}
	if (sc != SC_ENUM && d->depth == 0 && d->fn && !d->fp) {
		decl_finish(ps, 1);
		d->fn = (const char *)1; /* remember: a function body */
		push(ps, SC_BLOCK);
		return;
	}
	if (d->prev == T_STRING && sc == SC_FILE) {
		/* extern "C" { : still file scope */
		decl_reset(d);
		return;
	}
	push(ps, SC_BLOCK);
}

/* Inside an enum body: only the commas between enumerators matter. */
static void enum_punct(struct decl *d, char c)
{
	if (c == '(' || c == '[')
		d->depth++;
	else if ((c == ')' || c == ']') && d->depth)
		d->depth--;
	else if (c == ',' && d->depth == 0)
		d->enum_expect = 1;
}

/* '(' : a function declarator when it follows a name at depth 0. */
static void open_paren(struct decl *d)
{
	if (d->after_macro) {
		/* "M1(a) M2(b)": two macro calls, not a declarator */
		d->last = NULL;
		d->after_macro = 0;
	}
	if (d->depth == 0 && d->last && d->prev == T_IDENT && !d->init &&
	    !d->fn) {
		d->fn = d->last;
		d->fn_n = d->last_n;
		d->fn_line = d->last_line;
		d->fn_typed = d->last_typed;
		d->last = NULL;
	}
	d->fp_state = 1;
	d->depth++;
}

/*
 * Punctuation inside a declaration.  1 when the statement or declarator
 * ended here (nothing more to note), 0 when c is a token of it.
 */
static int declarator_punct(struct parser *ps, char c, int pend,
			    enum scope_kind sc)
{
	struct decl *d = &ps->d;

	switch (c) {
	case '(': open_paren(d); break;
	case '[': d->depth++; break;
	case ')':
	case ']':
		if (d->depth)
			d->depth--;
		break;
	case '*':
		if (d->fp_state == 1)
			d->fp_state = 2;
		break;
	case '=':
		if (d->depth == 0 && !d->init) {
			decl_finish(ps, 0);
			d->init = 1;
		}
		break;
	case ':':
		if (d->depth == 0 && sc == SC_STRUCT && !d->init) {
			decl_finish(ps, 0);
			d->init = 1; /* skip the bit-field width */
		}
		break;
	case ',':
		if (d->depth)
			break;
		decl_finish(ps, 0);
		d->prev = T_IDENT; /* the next declarator follows a type */
		d->prevkw = KW_TYPE;
		d->prevc = ',';
		return 1;
	case ';':
		if (pend && d->tag && d->ntok == 2 && sc != SC_BLOCK)
			add(ps, d->tag, d->tag_n, d->tag_line, SYM_TAG);
		if (d->depth && sc == SC_FILE)
			break;
		decl_finish(ps, 0);
		decl_reset(d);
		return 1;
	}
	return 0;
}

static void on_punct(struct parser *ps, char c)
{
	struct decl *d = &ps->d;
	enum scope_kind sc = scope_top(ps);
	int pend = d->pending;

	d->pending = 0;
	if (d->attr && attribute_punct(d, c, pend))
		return;
	if (c == '{') {
		open_brace(ps, pend, sc);
		return;
	}
	if (c == '}') {
		pop(ps);
		if (scope_top(ps) == SC_ENUM)
			ps->d.enum_expect = 0;
		return;
	}
	if (sc == SC_ENUM) {
		enum_punct(d, c);
		return;
	}
	if (sc == SC_INIT || (sc == SC_BLOCK && !ps->locals)) {
		if (c == ';')
			decl_reset(d);
		return;
	}
	if (declarator_punct(ps, c, pend, sc))
		return;
	if (c != '*' && c != '(')
		d->fp_state = 0;
	d->prev = T_PUNCT;
	d->prevc = c;
	d->ntok++;
}

void sym_parse_text(struct parser *ps, const char *data, size_t len,
		       ident_fn uses, void *udata)
{
	struct lexer lx = { data, data + len, 1, 1, 0, NULL, 0, 1 };
	struct decl saved;
	int after_goto = 0;
	enum tok t;

	decl_reset(&ps->d);
	while ((t = sym_lex(&lx)) != T_EOF) {
		switch (t) {
		case T_IDENT:
			on_ident(ps, lx.s, lx.n, lx.tline);
			/* a goto names a label of the function, not a symbol */
			if (uses && !after_goto)
				uses(udata, lx.s, lx.n, lx.tline, 0);
			after_goto = lx.n == 4 && !memcmp(lx.s, "goto", 4);
			continue;
		case T_PUNCT:
			on_punct(ps, lx.s[0]);
			break;
		case T_STRING:
		case T_NUMBER:
			ps->d.prev = t;
			ps->d.ntok++;
			break;
		case T_DEFINE:
			saved = ps->d;
			if (sym_lex(&lx) == T_IDENT) {
				add(ps, lx.s, lx.n, lx.tline, SYM_MACRO);
				/* "NAME(" without a blank: parameters */
				if (lx.p < lx.end && *lx.p == '(') {
					while ((t = sym_lex(&lx)) != T_PPEND && t != T_EOF &&
					       !(t == T_PUNCT && lx.s[0] == ')'))
						if (t == T_IDENT && ps->locals)
							add(ps, lx.s, lx.n, lx.tline,
							    SYM_LOCAL);
				}
			}
			while ((t = sym_lex(&lx)) != T_PPEND && t != T_EOF)
				if (t == T_IDENT && uses)
					uses(udata, lx.s, lx.n, lx.tline, 0);
			ps->d = saved;
			break;
		case T_PP:
			while ((t = sym_lex(&lx)) != T_PPEND && t != T_EOF)
				if (t == T_IDENT && uses)
					uses(udata, lx.s, lx.n, lx.tline, 0);
			break;
		default:
			break;
		}
		after_goto = 0;
	}
	while (ps->depth)
		pop(ps);
}

uint32_t sym_add_file_name(struct symindex *ix, const char *file)
{
	ALLOC_GROW(ix->files, ix->nfiles + 1, ix->files_alloc);
	ix->files[ix->nfiles] = xstrdup(file);
	return (uint32_t)ix->nfiles++;
}

void symindex_add_text(struct symindex *ix, const char *file,
		       const char *data, size_t len, int locals)
{
	struct parser ps = { 0 };

	ps.ix = ix;
	ps.file = sym_add_file_name(ix, file);
	ps.locals = locals;
	sym_parse_text(&ps, data, len, NULL, NULL);
	free(ps.stack);
}
