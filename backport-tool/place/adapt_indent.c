/*
 * adapt_indent.c - an added line written in the target's indentation.
 *
 * The neighbour line gives the two indentations: upstream's `from` and the
 * target's `to`.  When both are k repetitions of one unit ("\t\t" and
 * 8 spaces: "\t" -> 4 spaces), every leading unit of the added line is
 * converted, so a line less or more indented than its neighbour keeps its
 * level; otherwise a leading `from` is replaced by `to`.
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
		while (i + u <= lead && !memcmp(line + i, from, u)) {
			sb_add(out, to, v);
			i += u;
		}
		sb_add(out, line + i, n - i);
		return;
	}
	if (lead >= fl && !memcmp(line, from, fl)) {
		sb_add(out, to, tl);
		sb_add(out, line + fl, n - fl);
		return;
	}
	sb_add(out, line, n);
}
