/*
 * cdecl_eval.c - evaluate a constant expression of a #define or an
 * enumerator (integers, casts, sizeof of basic types, operators, names
 * looked up by the caller).
 */
#include "analyse/cdecl_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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
			for (w = q; cdecl_is_ident_char((unsigned char)*q); q++)
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
		if (cdecl_is_ident_char((unsigned char)*end))
			e->bad = 1;
		e->p = end;
		return v;
	}
	if (*e->p == '\'' && e->p[1] && e->p[1] != '\\' && e->p[2] == '\'') {
		v = (unsigned char)e->p[1];
		e->p += 3;
		return v;
	}
	if (cdecl_is_ident_start((unsigned char)*e->p)) {
		const char *w = e->p;
		char *name;
		while (cdecl_is_ident_char((unsigned char)*e->p))
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
