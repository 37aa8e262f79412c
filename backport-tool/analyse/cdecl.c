/*
 * cdecl.c - split a C header into declarations with exact line extents.
 *
 * Two passes: a tokenizer that knows comments, strings, line continuations
 * and preprocessor lines (one token per directive), then a small parser
 * that groups tokens into statements at each brace level.  It understands
 * what kernel uapi headers are made of and nothing more; whatever it does
 * not recognise becomes a CD_OTHER entry, which still has an extent and
 * can serve as an anchor.  See cdecl.h.
 *
 * The passes, one file each (their shared state: cdecl_int.h):
 *   cdecl_lex.c        tokens, comments, line starts
 *   cdecl_directive.c  preprocessor lines and conditional blocks
 *   cdecl_parse.c      statements at each brace level
 *   cdecl_decl.c       declarations: names, normalized text, references
 *   cdecl_eval.c       constant expressions (#if, enumerator values)
 * This file drives them and answers questions about the result.
 */
#include "analyse/cdecl.h"
#include "analyse/cdecl_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		if (cdecl_tok_is(s, i, ";") || cdecl_tok_is(s, i, "{") || cdecl_tok_is(s, i, "}") ||
		    cdecl_tok_is(s, i, ","))
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
			if (cdecl_tok_is(s, i, "typedef") || cdecl_tok_is(s, i, "extern") ||
			    cdecl_tok_is(s, i, "static"))
				return 0;
			for (k = 0; stmt[k]; k++)
				if (cdecl_tok_is(s, i, stmt[k]))
					return 1;
		}
		if (cdecl_tok_is(s, i, "("))
			paren = 1, depth++;
		else if (cdecl_tok_is(s, i, ")"))
			depth--;
		else if (depth == 0 && cdecl_tok_is(s, i, "="))
			return 1;
		else if (cdecl_tok_is(s, i, "{") || cdecl_tok_is(s, i, "}"))
			return 0;
		else if (depth == 0 && (cdecl_tok_is(s, i, ";") || cdecl_tok_is(s, i, ",")))
			/* "struct foo;" declares a tag at file level */
			return !paren && !(i == first + 2 &&
					   (cdecl_tok_is(s, first, "struct") ||
					    cdecl_tok_is(s, first, "union") ||
					    cdecl_tok_is(s, first, "enum")));
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
	cdecl_index_lines(&s);
	cdecl_tokenize(&s, fragment && starts_in_comment(buf, len));
	if (fragment)
		drop_macro_tail(&s);
	if (fragment) {
		/* How many '}' close containers opened before the fragment? */
		long depth = 0, min = 0;
		size_t i;
		int commas = 0, semis = 0;
		for (i = 0; i < s.ntok; i++) {
			if (cdecl_tok_is(&s, i, "{"))
				depth++;
			else if (cdecl_tok_is(&s, i, "}") && --depth < min)
				min = depth;
			else if (depth == min && cdecl_tok_is(&s, i, ","))
				commas++;
			else if (depth == min && cdecl_tok_is(&s, i, ";"))
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
			cdecl_ctx_of(&s, &st, ctx);
			d = cdecl_new(&s, kind, 1, 1, ctx);
			f->v[d].partial = 1;
			if (name[0])
				cdecl_add_name(&f->v[d], name);
			cdecl_ctx_push(&st, d);
		}
	}
	cdecl_parse(&s, &st);
	cdecl_finish_extents(&s);
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
			while (i < len && cdecl_is_ident_char((unsigned char)buf[i]))
				i++;
			continue;
		}
		if (!cdecl_is_ident_start(c)) {
			if (!isspace(c))
				tag = NULL;
			i++;
			continue;
		}
		for (j = i; j < len && cdecl_is_ident_char((unsigned char)buf[j]); j++)
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
