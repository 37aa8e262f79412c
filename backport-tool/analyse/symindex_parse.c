/*
 * symindex_parse.c - the declaration recogniser: from tokens to the names
 * a text defines (functions, variables, types, tags, enumerators, macros)
 * at file scope, one brace level at a time; with each its declared type
 * where one is written ("struct a *p", "Foo p"), the members of each struct
 * body by struct, and with locals the parameters and locals of each
 * function in that function's scope (the keys are listed in symindex.h).
 */
#include "analyse/symindex_int.h"

#include <stdio.h>
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

static const char *parser_file(const struct parser *ps)
{
	return ps->ix->files[ps->file];
}

/* A type as the index keeps it: "struct TAG" or the name. */
static void type_name(struct strbuf *out, const char *t, size_t n, int tag)
{
	sb_reset(out);
	if (!t || !n)
		return;
	if (tag)
		sb_addstr(out, "struct ");
	sb_add(out, t, n);
}

/* "NAME\x01PATH:FUNC": a parameter or local, seen only in its scope. */
static void define_local(struct parser *ps, const char *s, size_t n, long line,
			 const char *scope, const struct strbuf *type)
{
	struct strbuf key = STRBUF_INIT;

	sb_add(&key, s, n);
	sb_addch(&key, 1);
	sb_addstr(&key, scope);
	sym_define_typed(ps->ix, ps->file, key.buf, key.len, line, SYM_LOCAL,
			 type->len ? type->buf : NULL, type->len);
	/* "NAME\x01*": a local of that name somewhere */
	sb_reset(&key);
	sb_add(&key, s, n);
	sb_addstr(&key, "\x01*");
	sym_define(ps->ix, ps->file, key.buf, key.len, line, SYM_LOCAL);
	sb_release(&key);
}

/* The keys beside the plain name: see symindex.h. */
static void define_keys(struct parser *ps, const char *s, size_t n, long line,
			enum sym_kind k, const struct strbuf *type)
{
	const struct scope *top = ps->depth ? &ps->stack[ps->depth - 1] : NULL;
	struct strbuf key = STRBUF_INIT;

	if (k == SYM_MEMBER && top && top->sname)
		sb_addf(&key, "struct %.*s.", (int)top->sname_n, top->sname);
	else if (k == SYM_TYPEDEF)
		sb_addstr(&key, "typedef ");
	else if (k == SYM_VARIABLE)
		sb_addstr(&key, "var ");
	else
		return;
	sb_add(&key, s, n);
	sym_define_typed(ps->ix, ps->file, key.buf, key.len, line, k,
			 type->len ? type->buf : NULL, type->len);
	sb_release(&key);
}

static void record(struct parser *ps, const char *s, size_t n, long line,
		   enum sym_kind k, const char *t, size_t tn, int tag)
{
	struct strbuf type = STRBUF_INIT;
	int added = !ps->pi || sym_post_line_added(ps->pi, line);

	/*
	 * In a patch, a context line proves nothing about the target: only
	 * added lines define, except locals (a context line of the function
	 * the hunk is in; fragments make them look like file-scope variables,
	 * so those count only in that function).
	 */
	if (ps->pi && k != SYM_LOCAL && k != SYM_VARIABLE && !added)
		return;
	type_name(&type, t, tn, tag);
	if (ps->locals && (k == SYM_LOCAL ||
			   (k == SYM_VARIABLE && ps->in_fragment && !added))) {
		define_local(ps, s, n, line, ps->scope.buf, &type);
	} else {
		sym_define_typed(ps->ix, ps->file, s, n, line, k,
				 type.len ? type.buf : NULL, type.len);
		define_keys(ps, s, n, line, k, &type);
	}
	sb_release(&type);
}

static void add(struct parser *ps, const char *s, size_t n, long line,
		enum sym_kind k)
{
	record(ps, s, n, line, k, NULL, 0, 0);
}

/* A parameter of the function d->fn: local to it. */
static void add_parameter(struct parser *ps, const char *s, size_t n,
			  long line)
{
	const struct decl *d = &ps->d;
	struct strbuf scope = STRBUF_INIT, type = STRBUF_INIT;

	sb_addf(&scope, "%s:%.*s", parser_file(ps), (int)d->fn_n, d->fn);
	if (d->ptype_tag || (d->pcand && d->pcand != s))
		type_name(&type, d->ptype_tag ? d->ptype : d->pcand,
			  d->ptype_tag ? d->ptype_n : d->pcand_n, d->ptype_tag);
	define_local(ps, s, n, line, scope.buf, &type);
	ps->declared = s;
	sb_release(&scope);
	sb_release(&type);
}

/* The scope a function body, or the file after one, opens. */
static void scope_set(struct parser *ps, const char *fn, size_t n)
{
	if (!ps->locals)
		return;
	sb_reset(&ps->scope);
	sb_addf(&ps->scope, "%s:%.*s", parser_file(ps), (int)n, fn ? fn : "");
	ps->in_fragment = 0;
}

/* A struct body holds what the recogniser cannot name: "struct TAG?". */
static void struct_incomplete(struct parser *ps)
{
	const struct scope *top = ps->depth ? &ps->stack[ps->depth - 1] : NULL;
	struct strbuf key = STRBUF_INIT;

	if (!top || top->kind != SC_STRUCT || !top->sname)
		return;
	sb_addf(&key, "struct %.*s?", (int)top->sname_n, top->sname);
	sym_define(ps->ix, ps->file, key.buf, key.len, 0, SYM_TAG);
	sb_release(&key);
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
		record(ps, d->last, d->last_n, d->last_line,
		       d->is_typedef ? SYM_TYPEDEF : var, d->type, d->type_n,
		       d->type_tag);
	else
		goto out;
	d->ndecl++;
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
	ps->stack[ps->depth].sname = NULL;
	ps->stack[ps->depth].sname_n = 0;
	ps->depth++;
	decl_reset(&ps->d);
	if (k == SC_ENUM)
		ps->d.enum_expect = 1;
}

static void pop(struct parser *ps)
{
	enum scope_kind k;

	if (!ps->depth) {
		/*
		 * A block a hunk began in ends: maybe its function, maybe not,
		 * so its scope lasts until another function's body opens.
		 */
		decl_reset(&ps->d);
		return;
	}
	k = ps->stack[--ps->depth].kind;
	ps->d = ps->stack[ps->depth].d;
	if (k == SC_BLOCK && ps->d.fn) {
		/* a function body ends the declaration */
		decl_reset(&ps->d);
		if (!ps->depth)
			scope_set(ps, NULL, 0);
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

/* A tag after struct/union/enum: defined only if "{" or ";" follows. */
static void on_tag(struct decl *d, const char *s, size_t n, long line, int pend)
{
	d->tag = s;
	d->tag_n = n;
	d->tag_line = line;
	if (d->depth == 0 && !d->type) {
		d->type = s;
		d->type_n = n;
		d->type_tag = 1;
	} else if (d->depth == 1) {
		d->ptype = s;
		d->ptype_n = n;
		d->ptype_tag = 1;
	}
	d->pending = pend;
	d->prev = T_IDENT;
	d->prevkw = KW_TYPE; /* type-ish, not a declarator */
	d->ntok++;
}

/* A plain name in a declaration: the declarator, a parameter, or a type. */
static void on_name(struct parser *ps, const char *s, size_t n, long line)
{
	struct decl *d = &ps->d;

	if (d->fp_state == 2 && d->depth == 1) {
		d->fp = s;
		d->fp_n = n;
		d->fp_line = line;
	} else if (d->depth == 0 && type_ish(d)) {
		if (!d->type && d->cand) {
			d->type = d->cand;
			d->type_n = d->cand_n;
		}
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
		if (!d->type) {
			d->type = s; /* a macro-made type: none we know */
			d->type_n = 0;
		}
	} else if (d->depth == 1 && ps->locals && d->fn && type_ish(d)) {
		/* a parameter of a function we are reading */
		add_parameter(ps, s, n, line);
	} else if (d->depth == 0) {
		d->cand = s;
		d->cand_n = n;
	} else if (d->depth == 1) {
		d->pcand = s;
		d->pcand_n = n;
	}
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
		on_tag(d, s, n, line, pend);
		return;
	} else if (kw == KW_NONE && d->first_ok) {
		on_name(ps, s, n, line);
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

/*
 * A struct or union body opens: its name (the tag, or "@N" for an
 * anonymous one) becomes the statement's type, and "struct NAME" is known.
 */
static void struct_body(struct parser *ps)
{
	struct decl *d = &ps->d;
	struct strbuf key = STRBUF_INIT;

	if (d->tag) {
		d->type = d->tag;
		d->type_n = d->tag_n;
	} else {
		char anon[32];
		int len = snprintf(anon, sizeof(anon), "@%u", ++ps->ix->anon);

		d->type = sym_arena_copy(ps->ix, anon, (size_t)len);
		d->type_n = (size_t)len;
	}
	d->type_tag = 1;
	sb_addf(&key, "struct %.*s", (int)d->type_n, d->type);
	sym_define(ps->ix, ps->file, key.buf, key.len, d->tag ? d->tag_line : 0,
		   SYM_TAG);
	sb_release(&key);
}

/* '{': a struct or enum body, an initializer, a function body or a block. */
static void open_brace(struct parser *ps, int pend, enum scope_kind sc)
{
	struct decl *d = &ps->d;

	if (pend && sc != SC_ENUM && sc != SC_INIT && !d->init &&
	    (sc != SC_BLOCK || ps->locals)) {
		if (d->tag)
			add(ps, d->tag, d->tag_n, d->tag_line, SYM_TAG);
		if (pend == 1)
			struct_body(ps);
		d->tag = NULL;
		push(ps, pend == 2 ? SC_ENUM : SC_STRUCT);
		if (pend == 1) {
			/* push() saved the statement, its type the body's name */
			const struct decl *outer = &ps->stack[ps->depth - 1].d;

			ps->stack[ps->depth - 1].sname = outer->type;
			ps->stack[ps->depth - 1].sname_n = outer->type_n;
		}
		return;
	}
	if (d->init || sc == SC_INIT) {
		push(ps, SC_INIT);
		return;
	}
	if (sc != SC_ENUM && d->depth == 0 && d->fn && !d->fp) {
		if (!ps->depth)
			scope_set(ps, d->fn, d->fn_n);
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
	if (++d->depth == 1) {
		d->ptype = d->pcand = NULL;
		d->ptype_tag = 0;
	}
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
		if (d->depth == 1) {
			d->ptype = d->pcand = NULL;
			d->ptype_tag = 0;
		}
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
		if (sc == SC_STRUCT && !d->ndecl && d->ntok)
			struct_incomplete(ps);
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

/* The access chain before a member: "p", "p.state", or broken. */
struct chain {
	struct strbuf sb, of;
	int ok;      /* sb is a chain of names */
	int access;  /* the last token was '.' or '->' */
};

static const char *chain_ident(struct chain *c, const char *s, size_t n)
{
	const char *of = NULL;

	if (c->access) {
		sb_reset(&c->of);
		if (c->ok)
			sb_add(&c->of, c->sb.buf, c->sb.len);
		of = c->of.buf ? c->of.buf : "";
		if (c->ok) {
			sb_addch(&c->sb, '.');
			sb_add(&c->sb, s, n);
		}
	} else {
		sb_reset(&c->sb);
		sb_add(&c->sb, s, n);
		c->ok = 1;
	}
	c->access = 0;
	return of;
}

static void chain_punct(struct chain *c, const char *s, size_t n)
{
	c->access = (n == 1 && s[0] == '.') || (n == 2 && s[0] == '-');
	if (!c->access)
		c->ok = 0;
}

/* "#define NAME(params) body": params are local to the body. */
static void parse_define(struct parser *ps, struct lexer *lx, ident_fn uses,
			 void *udata)
{
	struct decl saved = ps->d;
	struct strbuf outer = STRBUF_INIT;
	enum tok t;

	sb_addstr(&outer, ps->scope.buf ? ps->scope.buf : "");
	if (sym_lex(lx) == T_IDENT) {
		add(ps, lx->s, lx->n, lx->tline, SYM_MACRO);
		if (ps->locals) {
			sb_reset(&ps->scope);
			sb_addf(&ps->scope, "%s:#%.*s", parser_file(ps),
				(int)lx->n, lx->s);
		}
		/* "NAME(" without a blank: parameters */
		if (lx->p < lx->end && *lx->p == '(') {
			while ((t = sym_lex(lx)) != T_PPEND && t != T_EOF &&
			       !(t == T_PUNCT && lx->s[0] == ')'))
				if (t == T_IDENT && ps->locals)
					add(ps, lx->s, lx->n, lx->tline, SYM_LOCAL);
		}
	}
	while ((t = sym_lex(lx)) != T_PPEND && t != T_EOF)
		if (t == T_IDENT && uses)
			uses(udata, lx->s, lx->n, lx->tline, NULL);
	if (ps->locals) {
		sb_reset(&ps->scope);
		sb_addstr(&ps->scope, outer.buf ? outer.buf : "");
	}
	sb_release(&outer);
	ps->d = saved;
}

/* Another directive; an #include inside a struct body hides members. */
static void parse_directive(struct parser *ps, struct lexer *lx, ident_fn uses,
			    void *udata)
{
	enum tok t;
	int first = 1;

	while ((t = sym_lex(lx)) != T_PPEND && t != T_EOF) {
		if (first && t == T_IDENT && lx->n == 7 &&
		    !memcmp(lx->s, "include", 7))
			struct_incomplete(ps);
		first = 0;
		if (t == T_IDENT && uses)
			uses(udata, lx->s, lx->n, lx->tline, NULL);
	}
}

void sym_parse_text(struct parser *ps, const char *data, size_t len,
		       ident_fn uses, void *udata)
{
	struct lexer lx = { data, data + len, 1, 1, 0, NULL, 0, 1 };
	struct chain ch = { STRBUF_INIT, STRBUF_INIT, 0, 0 };
	int after_goto = 0;
	enum tok t;

	decl_reset(&ps->d);
	while ((t = sym_lex(&lx)) != T_EOF) {
		switch (t) {
		case T_IDENT: {
			const char *of = chain_ident(&ch, lx.s, lx.n);

			on_ident(ps, lx.s, lx.n, lx.tline);
			/* a goto names a label of the function, not a symbol */
			if (uses && !after_goto)
				uses(udata, lx.s, lx.n, lx.tline, of);
			after_goto = lx.n == 4 && !memcmp(lx.s, "goto", 4);
			continue;
		}
		case T_PUNCT:
			chain_punct(&ch, lx.s, lx.n);
			on_punct(ps, lx.s[0]);
			break;
		case T_STRING:
		case T_NUMBER:
			chain_punct(&ch, "", 0);
			ps->d.prev = t;
			ps->d.ntok++;
			break;
		case T_DEFINE:
			chain_punct(&ch, "", 0);
			parse_define(ps, &lx, uses, udata);
			break;
		case T_PP:
			chain_punct(&ch, "", 0);
			parse_directive(ps, &lx, uses, udata);
			break;
		default:
			break;
		}
		after_goto = 0;
	}
	while (ps->depth)
		pop(ps);
	sb_release(&ch.sb);
	sb_release(&ch.of);
}

uint32_t sym_add_file_name(struct symindex *ix, const char *file)
{
	ALLOC_GROW(ix->files, ix->nfiles + 1, ix->files_alloc);
	ix->files[ix->nfiles] = xstrdup(file);
	return (uint32_t)ix->nfiles++;
}

void sym_parser_init(struct parser *ps, struct symindex *ix, const char *file,
		     int locals)
{
	memset(ps, 0, sizeof(*ps));
	ps->ix = ix;
	ps->file = sym_add_file_name(ix, file);
	ps->locals = locals;
	sb_init(&ps->scope);
	scope_set(ps, NULL, 0);
}

void sym_parser_release(struct parser *ps)
{
	free(ps->stack);
	sb_release(&ps->scope);
}

void symindex_add_text(struct symindex *ix, const char *file,
		       const char *data, size_t len, int locals)
{
	struct parser ps;

	sym_parser_init(&ps, ix, file, locals);
	sym_parse_text(&ps, data, len, NULL, NULL);
	sym_parser_release(&ps);
}
