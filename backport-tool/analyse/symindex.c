/*
 * symindex.c - which identifiers a C tree defines, and which ones a patch
 * uses.  A hand-written single-pass lexer feeds a small declaration
 * recogniser; no preprocessing, no types, just what a reviewer greps for.
 */
#include "analyse/symindex.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/gitsrc.h"
#include "util.h"

/* ---- the hash set ----------------------------------------------------- */

struct entry {
	const char *name; /* NULL: empty slot */
	uint32_t len, hash;
	uint32_t file;
	uint32_t kind;
	long line;
};

struct symindex {
	struct entry *tab;
	size_t size, count; /* size: power of two */
	char **files;
	size_t nfiles, files_alloc;
	char **arenas;      /* name storage, in chunks */
	size_t narenas, arenas_alloc, arena_left;
	char *arena_next;
	struct sym_def last; /* what lookup returns */
};

static uint32_t hash_name(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

struct symindex *symindex_new(void)
{
	struct symindex *ix = xcalloc(1, sizeof(*ix));

	ix->size = 1 << 14;
	ix->tab = xcalloc(ix->size, sizeof(*ix->tab));
	return ix;
}

void symindex_free(struct symindex *ix)
{
	size_t i;

	if (!ix)
		return;
	for (i = 0; i < ix->nfiles; i++)
		free(ix->files[i]);
	for (i = 0; i < ix->narenas; i++)
		free(ix->arenas[i]);
	free(ix->files);
	free(ix->arenas);
	free(ix->tab);
	free(ix);
}

static const char *arena_copy(struct symindex *ix, const char *s, size_t len)
{
	char *p;

	if (len + 1 > ix->arena_left) {
		size_t sz = len + 1 > 65536 ? len + 1 : 65536;

		ALLOC_GROW(ix->arenas, ix->narenas + 1, ix->arenas_alloc);
		ix->arenas[ix->narenas++] = ix->arena_next = xmalloc(sz);
		ix->arena_left = sz;
	}
	p = ix->arena_next;
	memcpy(p, s, len);
	p[len] = '\0';
	ix->arena_next += len + 1;
	ix->arena_left -= len + 1;
	return p;
}

static struct entry *slot(const struct symindex *ix, const char *s, size_t len,
			  uint32_t h)
{
	size_t mask = ix->size - 1, i = h & mask;

	for (;; i = (i + 1) & mask) {
		struct entry *e = &ix->tab[i];
		if (!e->name || (e->hash == h && e->len == len &&
				 !memcmp(e->name, s, len)))
			return e;
	}
}

static void grow(struct symindex *ix)
{
	struct entry *old = ix->tab;
	size_t i, n = ix->size;

	ix->size *= 2;
	ix->tab = xcalloc(ix->size, sizeof(*ix->tab));
	for (i = 0; i < n; i++)
		if (old[i].name)
			*slot(ix, old[i].name, old[i].len, old[i].hash) = old[i];
	free(old);
}

static void define(struct symindex *ix, uint32_t file, const char *s,
		   size_t len, long line, enum sym_kind kind)
{
	uint32_t h = hash_name(s, len);
	struct entry *e = slot(ix, s, len, h);

	if (e->name) {
		/* a definition beats a prototype seen earlier */
		if (e->kind == SYM_PROTOTYPE && kind == SYM_FUNCTION) {
			e->file = file;
			e->line = line;
			e->kind = kind;
		}
		return;
	}
	e->name = arena_copy(ix, s, len);
	e->len = (uint32_t)len;
	e->hash = h;
	e->file = file;
	e->line = line;
	e->kind = kind;
	if (++ix->count * 2 > ix->size)
		grow(ix);
}

const struct sym_def *symindex_lookup(const struct symindex *ix,
				      const char *name, size_t len)
{
	struct entry *e = slot(ix, name, len, hash_name(name, len));
	struct sym_def *d = (struct sym_def *)&ix->last;

	if (!e->name)
		return NULL;
	d->name = e->name;
	d->file = e->file < ix->nfiles ? ix->files[e->file] : "";
	d->line = e->line;
	d->kind = (enum sym_kind)e->kind;
	return d;
}

size_t symindex_count(const struct symindex *ix)
{
	return ix->count;
}

size_t symindex_files(const struct symindex *ix)
{
	return ix->nfiles;
}

const char *sym_kind_name(enum sym_kind k)
{
	static const char *const names[] = {
		"function", "prototype", "macro", "enumerator", "tag",
		"typedef", "member", "variable", "local"
	};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

/* ---- keywords ------------------------------------------------------- */

enum kw { KW_NONE, KW_TYPE, KW_TYPEDEF, KW_STRUCT, KW_ENUM, KW_OTHER };

static enum kw keyword(const char *s, size_t n)
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
	return len && keyword(s, len) != KW_NONE;
}

/* ---- the lexer -------------------------------------------------------- */

enum tok {
	T_EOF, T_IDENT, T_NUMBER, T_STRING, T_PUNCT,
	T_DEFINE,  /* "#define": the macro name follows */
	T_PP,      /* another directive: its tokens follow */
	T_PPEND    /* the end of a directive's line */
};

struct lexer {
	const char *p, *end;
	long line;
	int bol;   /* only blanks since the last newline */
	int in_pp; /* inside a directive */
	const char *s; /* the token */
	size_t n;
	long tline;
};

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

static enum tok lex(struct lexer *lx)
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

/* ---- the declaration recogniser ----------------------------------- */

enum scope_kind { SC_FILE, SC_STRUCT, SC_ENUM, SC_BLOCK, SC_INIT };

/* What we know about the declaration being read at one brace level. */
struct decl {
	int ntok;           /* tokens since the statement began */
	int first_ok;       /* it began with a type or identifier */
	int is_typedef;
	int init;           /* after '=': skipping the initializer */
	int depth;          /* ( and [ nesting */
	enum tok prev;      /* previous token at this level */
	char prevc;         /* its character, for T_PUNCT */
	enum kw prevkw;
	int pending;        /* 1 after struct/union, 2 after enum (and tag) */
	const char *tag;    /* the tag after struct/union/enum */
	size_t tag_n;
	long tag_line;
	const char *last;   /* declarator candidate */
	size_t last_n;
	long last_line;
	const char *fn;     /* function declarator */
	size_t fn_n;
	long fn_line;
	const char *fp;     /* (*name) */
	size_t fp_n;
	long fp_line;
	int fp_state;       /* 1 after '(', 2 after '(' '*' */
	int enum_expect;    /* an enumerator name comes next */
	int after_macro;    /* last follows "MACRO(...)": a macro-made type */
	int types;          /* type words seen (not static, const...) */
	int last_typed, fn_typed; /* a type word came before last / fn */
	int attr;           /* inside __attribute__((...)) after struct/enum */
};

struct scope {
	enum scope_kind kind;
	struct decl d;      /* the enclosing level's declaration, saved */
};

struct post_image;

struct parser {
	struct symindex *ix;
	uint32_t file;
	int locals;
	const struct post_image *pi; /* a patch: filter by line kind */
	struct scope *stack;
	size_t depth, alloc;
	struct decl d;
};

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

static int post_line_added(const struct post_image *pi, long line);

static void add(struct parser *ps, const char *s, size_t n, long line,
		enum sym_kind k)
{
	/*
	 * In a patch, a context line proves nothing about the target: only
	 * added lines define, except locals (a context line of the function
	 * the hunk is in; fragments make them look like file-scope variables).
	 */
	if (ps->pi && k != SYM_LOCAL && k != SYM_VARIABLE &&
	    !post_line_added(ps->pi, line))
		return;
	define(ps->ix, ps->file, s, n, line, k);
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
	enum kw kw = keyword(s, n);
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

static void on_punct(struct parser *ps, char c)
{
	struct decl *d = &ps->d;
	enum scope_kind sc = scope_top(ps);
	int pend = d->pending;

	d->pending = 0;
	if (d->attr) {
		/* the parentheses of __attribute__ after struct/enum */
		if (c == '(')
			d->attr++;
		else if (c == ')' && --d->attr == 1)
			d->attr = 0;
		d->pending = pend;
		if (d->attr || c == ')')
			return;
	}
	switch (c) {
	case '{':
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
		return;
	case '}':
		pop(ps);
		if (scope_top(ps) == SC_ENUM)
			ps->d.enum_expect = 0;
		return;
	}
	if (sc == SC_ENUM) {
		if (c == '(' || c == '[')
			d->depth++;
		else if ((c == ')' || c == ']') && d->depth)
			d->depth--;
		else if (c == ',' && d->depth == 0)
			d->enum_expect = 1;
		return;
	}
	if (sc == SC_INIT || (sc == SC_BLOCK && !ps->locals)) {
		if (c == ';')
			decl_reset(d);
		return;
	}
	switch (c) {
	case '(':
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
		break;
	case '[':
		d->depth++;
		break;
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
		if (d->depth == 0) {
			decl_finish(ps, 0);
			d->prev = T_IDENT; /* the next declarator follows a type */
			d->prevkw = KW_TYPE;
			d->prevc = ',';
			return;
		}
		break;
	case ';':
		if (pend && d->tag && d->ntok == 2 && sc != SC_BLOCK)
			add(ps, d->tag, d->tag_n, d->tag_line, SYM_TAG);
		if (d->depth == 0 || sc != SC_FILE) {
			decl_finish(ps, 0);
			decl_reset(d);
			return;
		}
		break;
	}
	if (c != '*' && c != '(')
		d->fp_state = 0;
	d->prev = T_PUNCT;
	d->prevc = c;
	d->ntok++;
}

/*
 * Read one text.  When uses is non-NULL, every identifier token is also
 * reported through it (with its line), for the patch side.
 */
typedef void (*ident_fn)(void *data, const char *s, size_t n, long line,
			 int in_define_params);

static void parse_text(struct parser *ps, const char *data, size_t len,
		       ident_fn uses, void *udata)
{
	struct lexer lx = { data, data + len, 1, 1, 0, NULL, 0, 1 };
	struct decl saved;
	int after_goto = 0;
	enum tok t;

	decl_reset(&ps->d);
	while ((t = lex(&lx)) != T_EOF) {
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
			if (lex(&lx) == T_IDENT) {
				add(ps, lx.s, lx.n, lx.tline, SYM_MACRO);
				/* "NAME(" without a blank: parameters */
				if (lx.p < lx.end && *lx.p == '(') {
					while ((t = lex(&lx)) != T_PPEND && t != T_EOF &&
					       !(t == T_PUNCT && lx.s[0] == ')'))
						if (t == T_IDENT && ps->locals)
							add(ps, lx.s, lx.n, lx.tline,
							    SYM_LOCAL);
				}
			}
			while ((t = lex(&lx)) != T_PPEND && t != T_EOF)
				if (t == T_IDENT && uses)
					uses(udata, lx.s, lx.n, lx.tline, 0);
			ps->d = saved;
			break;
		case T_PP:
			while ((t = lex(&lx)) != T_PPEND && t != T_EOF)
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

static uint32_t add_file_name(struct symindex *ix, const char *file)
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
	ps.file = add_file_name(ix, file);
	ps.locals = locals;
	parse_text(&ps, data, len, NULL, NULL);
	free(ps.stack);
}

/* ---- trees ---------------------------------------------------------- */

static int is_c_source(const char *name, size_t n)
{
	return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

static int read_fd(int fd, struct strbuf *buf)
{
	struct stat st;
	ssize_t r;

	sb_reset(buf);
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		sb_grow(buf, (size_t)st.st_size);
	for (;;) {
		sb_grow(buf, 65536);
		r = read(fd, buf->buf + buf->len, buf->alloc - buf->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		buf->len += (size_t)r;
	}
	buf->buf[buf->len] = '\0';
	return r < 0 ? -1 : 0;
}

static int walk_dir(struct symindex *ix, int dfd, struct strbuf *path,
		    struct strbuf *buf)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	size_t base = path->len;

	if (!d) {
		close(dfd);
		return error_at(path->buf, 0, "%s", strerror(errno));
	}
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		int type = e->d_type;

		if (e->d_name[0] == '.' &&
		    (n == 1 || (n == 2 && e->d_name[1] == '.') ||
		     !strcmp(e->d_name, ".git") || !strcmp(e->d_name, ".pc")))
			continue;
		if (type == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW))
				continue;
			type = S_ISDIR(st.st_mode) ? DT_DIR
			       : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
		}
		path->len = base;
		if (base)
			sb_addch(path, '/');
		sb_add(path, e->d_name, n);
		if (type == DT_DIR) {
			int sub = openat(dirfd(d), e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			if (sub >= 0)
				walk_dir(ix, sub, path, buf);
		} else if (type == DT_REG && is_c_source(e->d_name, n)) {
			int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW);
			if (fd < 0)
				continue;
			if (read_fd(fd, buf) == 0)
				symindex_add_text(ix, path->buf, buf->buf, buf->len, 0);
			close(fd);
		}
	}
	path->len = base;
	path->buf[base] = '\0';
	closedir(d);
	return 0;
}

int symindex_add_dir(struct symindex *ix, const char *dir)
{
	struct strbuf path = STRBUF_INIT, buf = STRBUF_INIT;
	int fd = open(dir, O_RDONLY | O_DIRECTORY), rc;

	if (fd < 0)
		return error_at(dir, 0, "%s", strerror(errno));
	sb_init(&path);
	sb_init(&buf);
	rc = walk_dir(ix, fd, &path, &buf);
	sb_release(&path);
	sb_release(&buf);
	return rc;
}

struct git_walk {
	struct symindex *ix;
	git_repository *repo;
	int rc;
};

static int git_walk_cb(const char *root, const git_tree_entry *e, void *data)
{
	struct git_walk *w = data;
	const char *name = git_tree_entry_name(e);
	struct strbuf path = STRBUF_INIT;
	git_blob *blob;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
	    git_tree_entry_filemode(e) == GIT_FILEMODE_LINK ||
	    !is_c_source(name, strlen(name)))
		return 0;
	if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(e)) < 0) {
		w->rc = error("cannot read blob %s%s", root, name);
		return 0;
	}
	sb_addf(&path, "%s%s", root, name);
	symindex_add_text(w->ix, path.buf, git_blob_rawcontent(blob),
			  (size_t)git_blob_rawsize(blob), 0);
	sb_release(&path);
	git_blob_free(blob);
	return 0;
}

int symindex_add_git(struct symindex *ix, struct gitsrc *g, const char *rev,
		     const char *const *paths, size_t n)
{
	struct git_walk w = { ix, gitsrc_repository(g), 0 };
	git_object *obj;
	git_tree *tree;
	size_t i;

	if (git_revparse_single(&obj, w.repo, rev) < 0)
		return error("no such revision '%s'", rev);
	if (git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
		git_object_free(obj);
		return error("'%s' has no tree", rev);
	}
	git_object_free(obj);
	if (!n) {
		git_tree_walk(tree, GIT_TREEWALK_PRE, git_walk_cb, &w);
	} else {
		for (i = 0; i < n; i++) {
			struct strbuf blob = STRBUF_INIT;

			if (gitsrc_read_file(g, rev, paths[i], &blob) == 0)
				symindex_add_text(ix, paths[i], blob.buf, blob.len, 0);
			sb_release(&blob);
		}
	}
	git_tree_free(tree);
	return w.rc;
}

/* ---- a patch's uses ------------------------------------------------- */

/* The post-image of one hunk, with where each of its lines comes from. */
struct post_line {
	char kind;
	long new_line, patch_line;
};

struct post_image {
	struct strbuf text;
	struct post_line *lines;
	size_t n, alloc;
};

static void post_image_build(struct post_image *pi, const struct hunk *h)
{
	size_t i;
	long nl = h->new_start;

	sb_reset(&pi->text);
	pi->n = 0;
	for (i = 0; i < h->nlines; i++) {
		const struct pline *l = &h->lines[i];

		if (l->kind == '-')
			continue;
		ALLOC_GROW(pi->lines, pi->n + 1, pi->alloc);
		pi->lines[pi->n].kind = l->kind;
		pi->lines[pi->n].new_line = nl++;
		pi->lines[pi->n].patch_line = h->lineno + 1 + (long)i;
		pi->n++;
		sb_add(&pi->text, l->text, l->len);
		sb_addch(&pi->text, '\n');
	}
}

static int post_line_added(const struct post_image *pi, long line)
{
	return line >= 1 && (size_t)line <= pi->n && pi->lines[line - 1].kind == '+';
}

struct use_ctx {
	const struct post_image *pi;
	const char *path;
	struct sym_uses *out;
	struct symindex *seen;
};

static void collect_use(void *data, const char *s, size_t n, long line,
			int unused)
{
	struct use_ctx *u = data;
	const struct post_line *pl;
	struct sym_use *use;

	if (line < 1 || (size_t)line > u->pi->n)
		return;
	pl = &u->pi->lines[line - 1];
	if (pl->kind != '+' || keyword(s, n) != KW_NONE ||
	    symindex_lookup(u->seen, s, n))
		return;
	define(u->seen, 0, s, n, line, SYM_LOCAL);
	ALLOC_GROW(u->out->v, u->out->n + 1, u->out->alloc);
	use = &u->out->v[u->out->n++];
	use->name = xstrndup(s, n);
	use->path = u->path;
	use->line = pl->new_line;
	use->patch_line = pl->patch_line;
}

/* Run fn over the post-image of every hunk of p that changes a C file. */
static void for_each_post_image(const struct patch *p,
				void (*fn)(void *data, const struct post_image *pi,
					   const char *path),
				void *data)
{
	struct post_image pi = { STRBUF_INIT, NULL, 0, 0 };
	int strip = patch_strip_level(p);
	size_t f, h;

	sb_init(&pi.text);
	for (f = 0; f < p->nfiles; f++) {
		const struct file_diff *fd = &p->files[f];
		const char *path = file_diff_target(fd, strip);

		if (!path || fd->op == FILE_DELETE ||
		    !is_c_source(path, strlen(path)))
			continue;
		for (h = 0; h < fd->nhunks; h++) {
			post_image_build(&pi, &fd->hunks[h]);
			fn(data, &pi, path);
		}
	}
	sb_release(&pi.text);
	free(pi.lines);
}

static void index_post_image(void *data, const struct post_image *pi,
			     const char *path)
{
	struct symindex *ix = data;
	struct parser ps = { 0 };

	ps.ix = ix;
	ps.file = add_file_name(ix, path);
	ps.locals = 1;
	ps.pi = pi;
	parse_text(&ps, pi->text.buf, pi->text.len, NULL, NULL);
	free(ps.stack);
}

void symindex_add_patch(struct symindex *ix, const struct patch *p)
{
	for_each_post_image(p, index_post_image, ix);
}

struct uses_run {
	struct symindex *own;
	struct symindex *seen;
	struct sym_uses raw;
};

static void uses_post_image(void *data, const struct post_image *pi,
			    const char *path)
{
	struct uses_run *r = data;
	struct use_ctx u = { pi, path, &r->raw, r->seen };
	struct parser ps = { 0 };

	ps.ix = r->own;
	ps.file = add_file_name(r->own, path);
	ps.locals = 1;
	ps.pi = pi;
	parse_text(&ps, pi->text.buf, pi->text.len, collect_use, &u);
	free(ps.stack);
}

void symindex_patch_uses(const struct patch *p, struct symindex *defs,
			 struct sym_uses *out)
{
	struct uses_run r = { symindex_new(), symindex_new(), { NULL, 0, 0 } };
	size_t i;

	for_each_post_image(p, uses_post_image, &r);
	for (i = 0; i < r.raw.n; i++) {
		struct sym_use *u = &r.raw.v[i];

		if (symindex_lookup(r.own, u->name, strlen(u->name))) {
			free(u->name);
			continue;
		}
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = *u;
	}
	free(r.raw.v);
	if (defs)
		symindex_add_patch(defs, p);
	symindex_free(r.own);
	symindex_free(r.seen);
}

void sym_uses_release(struct sym_uses *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		free(u->v[i].name);
	free(u->v);
	u->v = NULL;
	u->n = u->alloc = 0;
}
