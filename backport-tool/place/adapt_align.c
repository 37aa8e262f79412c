/*
 * adapt_align.c - how a hunk line matches a target line, and the weighted
 * LCS that aligns the hunk's old side with a window of the target.
 */
#include "place/adapt_int.h"

#include <stdlib.h>
#include <string.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int is_ident(char c, int first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

size_t adapt_lead(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && is_space(s[i]))
		i++;
	return i;
}

/* Without leading and trailing white space; a trailing '\r' stays: a
   line ending is no indentation, and an added line would not get it. */
static void trim(const char **s, size_t *n)
{
	size_t l = adapt_lead(*s, *n);

	*s += l;
	*n -= l;
	while (*n && is_space((*s)[*n - 1]) && (*s)[*n - 1] != '\r')
		(*n)--;
}

int adapt_tokens(const char *s, size_t n, struct adapt_tok *out, int max)
{
	size_t i = 0;
	int k = 0;

	while (i < n) {
		size_t j = i + 1;

		if (is_space(s[i])) {
			i++;
			continue;
		}
		if (is_ident(s[i], 1) || (s[i] >= '0' && s[i] <= '9'))
			while (j < n && is_ident(s[j], 0))
				j++;
		if (k == max)
			return -1;
		out[k].p = s + i;
		out[k].len = j - i;
		out[k].ident = is_ident(s[i], 1);
		k++;
		i = j;
	}
	return k;
}

static int tok_eq(const struct adapt_tok *a, const struct adapt_tok *b)
{
	return a->len == b->len && !memcmp(a->p, b->p, a->len);
}

/* The same tokens but for one or two identifiers, and at least one equal
   token that is not punctuation alone. */
static int loose_equal(const char *a, size_t an, const char *b, size_t bn)
{
	struct adapt_tok ta[ADAPT_MAX_TOKENS], tb[ADAPT_MAX_TOKENS];
	int na = adapt_tokens(a, an, ta, ADAPT_MAX_TOKENS);
	int nb = adapt_tokens(b, bn, tb, ADAPT_MAX_TOKENS);
	int i, differ = 0, same_word = 0;

	if (na < 0 || na != nb)
		return 0;
	for (i = 0; i < na; i++) {
		if (tok_eq(&ta[i], &tb[i])) {
			same_word |= ta[i].ident;
			continue;
		}
		if (!ta[i].ident || !tb[i].ident || ++differ > 2)
			return 0;
	}
	return differ && same_word;
}

unsigned adapt_trim_hash(const char *s, size_t n)
{
	trim(&s, &n);
	return line_ends_hash(s, n);
}

static enum adapt_match compare(const char *a, size_t an, const char *b,
				 size_t bn, int loose)
{
	if (an == bn && !memcmp(a, b, an))
		return MATCH_EXACT;
	trim(&a, &an);
	trim(&b, &bn);
	if (!an || !bn)
		return MATCH_NONE; /* blank lines align only exactly */
	if (an == bn && !memcmp(a, b, an))
		return MATCH_WS;
	return loose && loose_equal(a, an, b, bn) ? MATCH_LOOSE : MATCH_NONE;
}

enum adapt_match adapt_compare(const char *a, size_t an, const char *b,
			       size_t bn)
{
	return compare(a, an, b, bn, 1);
}

enum adapt_match adapt_match_line(const struct pline *pl,
				  const struct text_line *tl)
{
	/* a removed line is found exactly or ignoring white space, never
	   by a rename: the wrong line would go */
	return compare(pl->text, pl->len, tl->p, tl->len, pl->kind != '-');
}

/*
 * The punctuation at a line's two ends, white space left out: the tokens
 * before its first and after its last identifier or number (at most 8
 * bytes each way).  Lines adapt_compare matches in any way have the same
 * tokens there (a loose match differs only in identifiers), so hash the
 * same; it is taken from the ends, so hashed in little time.
 */
static int is_word_char(char c)
{
	return is_ident(c, 0);
}

unsigned adapt_shape_hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	size_t i, j, k;

	for (i = 0, k = 0; i < n && k < 8 && !is_word_char(s[i]); i++)
		if (!is_space(s[i])) {
			h = (h ^ (unsigned char)s[i]) * 16777619u;
			k++;
		}
	h = (h ^ 1u) * 16777619u;
	for (j = n, k = 0; j > i && k < 8 && !is_word_char(s[j - 1]); j--)
		if (!is_space(s[j - 1])) {
			h = (h ^ (unsigned char)s[j - 1]) * 16777619u;
			k++;
		}
	return h;
}

/* Every line's adapt_shape_hash, made once and kept with t. */
static const unsigned *text_shapes(const struct text *t)
{
	struct text *memo = (struct text *)t; /* only its hashes are set */

	return text_hashes(t, &memo->shape_hash, adapt_shape_hash);
}

enum adapt_match adapt_match_at(const struct pline *pl, unsigned shape,
				const struct text *t, long i)
{
	if (text_shapes(t)[i] != shape)
		return MATCH_NONE;
	return adapt_match_line(pl, &t->lines[i]);
}

void adapt_lcs(const struct pline *const *pl, long np, const struct text *t,
	       long lo, long hi, long *match, int *level)
{
	long w = hi - lo, i, j, W = w + 1;
	long *dp;
	unsigned char *eq;
	unsigned *shape;

	for (i = 0; i < np; i++) {
		match[i] = -1;
		level[i] = MATCH_NONE;
	}
	if (np <= 0 || w <= 0)
		return;
	dp = xcalloc((size_t)(np + 1) * (size_t)W, sizeof(*dp));
	eq = xcalloc((size_t)np * (size_t)w, 1);
	shape = xmalloc((size_t)np * sizeof(*shape));
	for (i = 0; i < np; i++)
		shape[i] = adapt_shape_hash(pl[i]->text, pl[i]->len);
	/* dp[i][j]: best weight aligning pl[i..] with t[lo+j..hi) */
	for (i = np - 1; i >= 0; i--)
		for (j = w - 1; j >= 0; j--) {
			long best = dp[(i + 1) * W + j];
			int e = adapt_match_at(pl[i], shape[i], t, lo + j);

			eq[i * w + j] = (unsigned char)e;
			if (dp[i * W + j + 1] > best)
				best = dp[i * W + j + 1];
			if (e && dp[(i + 1) * W + j + 1] + e > best)
				best = dp[(i + 1) * W + j + 1] + e;
			dp[i * W + j] = best;
		}
	for (i = 0, j = 0; i < np && j < w;) {
		int e = eq[i * w + j];

		if (e && dp[i * W + j] == dp[(i + 1) * W + j + 1] + e) {
			match[i] = lo + j;
			level[i] = e;
			i++;
			j++;
		} else if (dp[i * W + j] == dp[(i + 1) * W + j]) {
			i++;
		} else {
			j++;
		}
	}
	free(dp);
	free(eq);
	free(shape);
}
