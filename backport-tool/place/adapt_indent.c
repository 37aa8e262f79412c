/*
 * adapt_indent.c - an added line written in the target's indentation.
 *
 * The neighbour line gives the two indentations: upstream's `from` and the
 * target's `to`.  When both are k repetitions of one unit ("\t\t" and
 * 8 spaces: "\t" -> 4 spaces), every leading unit of the added line is
 * converted, so a line less or more indented than its neighbour keeps its
 * level; otherwise a leading `from` is replaced by `to`.  What is left of
 * the indentation after that (a tab among space-indented lines, as
 * upstream code has) keeps its distance in columns from the neighbour:
 * upstream's "\t_TIFFfree()" under a 4-space neighbour whose target
 * neighbour has 2 spaces becomes 6 spaces, as a maintainer writes it.
 */
#include "place/adapt_int.h"

#include <string.h>

/* Is s (n bytes) k repetitions of its first n/k bytes? */
static int repeats(const char *s, size_t n, size_t k)
{
	size_t u = n / k, i;

	if (!u || n % k)
		return 0;
	for (i = u; i < n; i++)
		if (s[i] != s[i - u])
			return 0;
	return 1;
}

/* The largest k both indentations repeat a unit k times, or 0. */
static size_t common_units(const char *from, size_t fl, const char *to,
			   size_t tl)
{
	size_t k;

	for (k = fl < tl ? fl : tl; k > 0; k--)
		if (repeats(from, fl, k) && repeats(to, tl, k))
			return k;
	return 0;
}

/* The column after s (n bytes of white space), tabs every 8. */
static long columns(const char *s, size_t n)
{
	long col = 0;
	size_t i;

	for (i = 0; i < n; i++)
		col = s[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
	return col;
}

/*
 * line's indentation written anew: as many columns from to as line's are
 * from from, in to's style (tabs, then spaces, when to has a tab).
 */
static void indent_by_columns(const char *from, size_t fl, const char *to,
			      size_t tl, const char *line, size_t lead,
			      struct strbuf *out)
{
	long col = columns(to, tl) + columns(line, lead) - columns(from, fl);

	if (col < 0)
		col = 0;
	for (; memchr(to, '\t', tl) && col >= 8; col -= 8)
		sb_addch(out, '\t');
	for (; col > 0; col--)
		sb_addch(out, ' ');
}

void adapt_indent_line(const char *from, size_t fl, const char *to, size_t tl,
		       const char *line, size_t n, struct strbuf *out)
{
	size_t lead = adapt_lead(line, n), k, u, v, i = 0;

	if (fl == tl && !memcmp(from, to, fl)) {
		sb_add(out, line, n);
		return;
	}
	k = common_units(from, fl, to, tl);
	if (k) {
		u = fl / k;
		v = tl / k;
		while (i + u <= lead && !memcmp(line + i, from, u))
			i += u;
		if (i == lead) { /* whole units: each converted */
			for (; i; i -= u)
				sb_add(out, to, v);
			sb_add(out, line + lead, n - lead);
			return;
		}
	} else if (lead >= fl && !memcmp(line, from, fl)) {
		sb_add(out, to, tl);
		sb_add(out, line + fl, n - fl);
		return;
	}
	indent_by_columns(from, fl, to, tl, line, lead, out);
	sb_add(out, line + lead, n - lead);
}
