/*
 * place_search.c - GNU patch 2.7's search for a hunk (patch.c:
 * locate_hunk(), patch_match()), rule for rule and quirk for quirk (see
 * place.c), and the reason a hunk it did not place is given.
 */
#include "place/place_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Matching (GNU patch's patch_match)                                 */

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Equal once every white-space character is left out? */
static int ws_equal(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < an && is_ws(a[i]))
			i++;
		while (j < bn && is_ws(b[j]))
			j++;
		if (i == an || j == bn)
			return i == an && j == bn;
		if (a[i++] != b[j++])
			return 0;
	}
}

/* Does file line i (0-based) equal the pattern line?  Lengths first. */
static int line_equal(const struct text *t, long i, const struct pline *pl,
		      enum relax relax)
{
	const struct text_line *tl = &t->lines[i];
	size_t a = tl->len, b = pl->len;

	if (relax == EXACT) {
		int file_nl = !(t->noeol && i == (long)t->n - 1);

		if (a != b || file_nl != !pl->noeol)
			return 0;
		return !memcmp(tl->p, pl->text, a);
	}
	if (relax == RELAX_WS)
		return ws_equal(tl->p, a, pl->text, b);
	if (relax == RELAX_CR) {
		if (a && tl->p[a - 1] == '\r')
			a--;
		if (b && pl->text[b - 1] == '\r')
			b--;
	}
	return a == b && !memcmp(tl->p, pl->text, a);
}

/* ------------------------------------------------------------------ */
/* The search (GNU patch's locate_hunk)                               */

int search_misordered(const struct search *q, long where)
{
	return q->lfl > where - 1 + q->s->prefix;
}

/*
 * Does the side match with its first line at `where` (1-based), skipping
 * prefix_fuzz lines at the start and suffix_fuzz at the end?  With
 * ws_hash (RELAX_WS only), lines of other hashes are not compared.
 */
static int side_match(const struct search *q, long where, long prefix_fuzz,
		      long suffix_fuzz)
{
	const struct text *t = q->t;
	const struct side *s = q->s;
	long i, last = s->n - suffix_fuzz;

	for (i = prefix_fuzz; i < last; i++) {
		long li = where - 1 + i;

		if (li < 0 || li >= (long)t->n)
			return 0;
		if (q->ws_hash && q->ws_hash[li] != q->ws_side[i])
			return 0;
		if (!line_equal(t, li, s->l[i], q->relax))
			return 0;
	}
	return 1;
}

static int search_try(const struct search *q, long where, long pf, long sf)
{
	if (where == q->exclude)
		return 0;
	if (q->valid_only && search_misordered(q, where))
		return 0;
	return side_match(q, where, pf, sf);
}

/*
 * Offsets up to SEARCH_SCAN are tried one by one; past them the exact
 * search looks up the file's lines by content (text_index) instead: a place
 * needs the side's rarest compared line there, so only the places that
 * line gives are tried, in the order the loop would have tried them.  So
 * does the search that ignores white space, by text_ws_hash (lines equal
 * but for white space hash the same).
 */
#define SEARCH_SCAN 16

struct cand {
	long where, offset;
	int back; /* tried after the forward place of the same offset */
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->back - y->back;
}

/* The first file line that may equal side line i, and how many may:
   by line_ends_hash, or by text_ws_hash ignoring white space. */
static long index_first(const struct search *q, long i, long *count)
{
	const struct pline *pl = q->s->l[i];

	if (q->relax == RELAX_WS)
		return text_ws_index_first(q->t, q->ws_side[i], count);
	return text_index_first(q->t, line_ends_hash(pl->text, pl->len), count);
}

static long index_next(const struct search *q, long li)
{
	return q->relax == RELAX_WS ? text_ws_index_next(q->t, li)
				    : text_index_next(q->t, li);
}

/* The side's compared line (in [pf, last)) that the fewest file lines
   equal, and the first of them; -1 when one of them equals none. */
static long rarest_line(const struct search *q, long pf, long last, long *k)
{
	long i, best = -1, first = -1;

	for (i = pf; i < last; i++) {
		long count, f = index_first(q, i, &count);

		if (!count)
			return -1;
		if (best < 0 || count < best) {
			best = count;
			first = f;
			*k = i;
		}
	}
	return first;
}

/*
 * The exact search's loop from offset `from` to max_offset, forward up to
 * max_pos and back up to max_neg, for a search with no quirk on the way
 * (every place it tries starts at or after line 1): the first place,
 * in the loop's order, where search_try matches.
 */
static long search_indexed(const struct search *q, long from, long max_offset,
			   long max_pos, long max_neg, long pf, long sf)
{
	struct cand *c = NULL;
	size_t n = 0, alloc = 0, i;
	long k = 0, li = rarest_line(q, pf, q->s->n - sf, &k), found = 0;

	for (; li >= 0; li = index_next(q, li)) {
		long where = li + 1 - k, off = where - q->first_guess;
		int back = off < 0;

		if (back)
			off = -off;
		if (off < from || off > max_offset ||
		    off > (back ? max_neg : max_pos))
			continue;
		ALLOC_GROW(c, n + 1, alloc);
		c[n].where = where;
		c[n].offset = off;
		c[n++].back = back;
	}
	if (n > 1)
		qsort(c, n, sizeof(*c), cand_cmp);
	for (i = 0; i < n && !found; i++)
		if (search_try(q, c[i].where, pf, sf))
			found = c[i].where;
	free(c);
	return found;
}

/*
 * Returns the line where the side's first line goes, or 0.  Mirrors
 * locate_hunk() of patch 2.7.6, including its quirks:
 *
 *  - prefix_fuzz = fuzz + prefix_context - context, likewise suffix_fuzz,
 *    with context = max(prefix_context, suffix_context).  A hunk with less
 *    leading than trailing context was cut short by the start of the file:
 *    while prefix_fuzz < 0 it can only match at line 1, and only if its
 *    stated line is 1 (the "pch_first () <= 1" test).  One with less
 *    trailing context can only match at the end of the file.
 *  - min_where = last_frozen_line + 1 (older patches subtracted the
 *    matched prefix context; 2.7.6 does not, as tests/t1100 shows).
 *  - offsets 0, +1, -1, +2, -2, ...: forward first at equal distance.
 *  - when the first guess lies before min_where (hunks out of order), the
 *    loop runs from a negative offset and can find a position before the
 *    previous hunk; apply_hunk() then fails with "misordered hunks".  The
 *    caller checks for that with search_misordered().
 */
long search_locate(const struct search *q)
{
	const struct side *s = q->s;
	long input_lines = (long)q->t->n, pat_lines = s->n;
	long first_guess = q->first_guess;
	long context = s->prefix < s->suffix ? s->suffix : s->prefix;
	long prefix_fuzz = q->fuzz + s->prefix - context;
	long suffix_fuzz = q->fuzz + s->suffix - context;
	long max_where = input_lines - (pat_lines - suffix_fuzz) + 1;
	long min_where = q->lfl + 1;
	long max_pos_offset = max_where - first_guess;
	long max_neg_offset = first_guess - min_where;
	long max_offset = max_pos_offset < max_neg_offset ? max_neg_offset
							  : max_pos_offset;
	long min_offset, offset;

	if (!pat_lines) /* an empty pre-image matches anywhere */
		return q->exclude ? 0 : first_guess;

	/* Do not try lines <= 0. */
	if (first_guess <= max_neg_offset)
		max_neg_offset = first_guess - 1;

	if (prefix_fuzz < 0 && q->first <= 1) {
		/* Can only match the start of the file. */
		if (suffix_fuzz < 0 &&
		    (pat_lines != input_lines || s->prefix < q->lfl))
			return 0; /* ... and only the entire file */
		offset = 1 - first_guess;
		if (q->lfl <= s->prefix && offset <= max_pos_offset &&
		    search_try(q, first_guess + offset, 0, suffix_fuzz))
			return first_guess + offset;
		return 0;
	} else if (prefix_fuzz < 0) {
		prefix_fuzz = 0;
	}

	if (suffix_fuzz < 0) {
		/* Can only match the end of the file. */
		offset = first_guess - (input_lines - pat_lines + 1);
		if (offset <= max_neg_offset &&
		    search_try(q, first_guess - offset, prefix_fuzz, 0))
			return first_guess - offset;
		return 0;
	}

	if (q->within > 0 && max_offset >= q->within)
		max_offset = q->within - 1;
	min_offset = max_pos_offset < 0   ? first_guess - max_where
		     : max_neg_offset < 0 ? first_guess - min_where
					  : 0;
	for (offset = min_offset; offset <= max_offset; offset++) {
		if (offset > SEARCH_SCAN && min_offset == 0 &&
		    (q->relax == EXACT || q->relax == RELAX_WS) &&
		    prefix_fuzz < pat_lines - suffix_fuzz)
			return search_indexed(q, offset, max_offset,
					      max_pos_offset, max_neg_offset,
					      prefix_fuzz, suffix_fuzz);
		/*
		 * patch would walk, one by one, offsets whose forward place
		 * starts before line 1 (side_match() fails at its first
		 * line) and whose backward place is out of range: after a
		 * hunk stated at line 533333333333333, ~10^15 of them.
		 * Jump over them; the places tried stay the same.
		 */
		if (offset > max_neg_offset &&
		    prefix_fuzz < pat_lines - suffix_fuzz &&
		    first_guess + offset < 1 - prefix_fuzz)
			offset = 1 - prefix_fuzz - first_guess;
		if (offset <= max_pos_offset &&
		    search_try(q, first_guess + offset, prefix_fuzz,
			       suffix_fuzz))
			return first_guess + offset;
		if (offset <= max_neg_offset &&
		    search_try(q, first_guess - offset, prefix_fuzz,
			       suffix_fuzz))
			return first_guess - offset;
	}
	return 0;
}

/* Try fuzz 0..maxfuzz like patch's main loop; returns where, sets *fuzz. */
long search_fuzzy(struct search *q, long maxfuzz, long *fuzz)
{
	long where;

	for (q->fuzz = 0; q->fuzz <= maxfuzz; q->fuzz++) {
		where = search_locate(q);
		if (where) {
			*fuzz = q->fuzz;
			return where;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Explaining a failure                                               */

/* At the expected place, do the context lines match and only lines the
   hunk removes differ?  Then the target changed the very code. */
static int removed_lines_differ(const struct search *q)
{
	const struct side *s = q->s;
	long i, removed_differ = 0;

	for (i = 0; i < s->n; i++) {
		long li = q->first_guess - 1 + i;

		if (li < 0 || li >= (long)q->t->n)
			return 0;
		if (line_equal(q->t, li, s->l[i], EXACT))
			continue;
		if (s->l[i]->kind == ' ')
			return 0;
		removed_differ = 1;
	}
	return removed_differ;
}

/* Does a line of the side or of the file end in c ('\r'), or lack its
   newline (c 0)?  If none does, a search relaxed for it is the search
   before it again. */
static int side_has_end(const struct side *s, const struct text *t, char c)
{
	long i;

	if (!c && t->noeol)
		return 1;
	for (i = 0; i < s->n; i++)
		if (c ? s->l[i]->len && s->l[i]->text[s->l[i]->len - 1] == c
		      : s->l[i]->noeol)
			return 1;
	for (i = 0; c && i < (long)t->n; i++)
		if (t->lines[i].len && t->lines[i].p[t->lines[i].len - 1] == c)
			return 1;
	return 0;
}

/* The search ignoring white space, lines of another ws_hash skipped. */
static int search_ws(const struct search *q, long maxfuzz)
{
	struct search r = *q;
	unsigned *sh = xmalloc(((size_t)q->s->n + 1) * sizeof(*sh));
	long i, fuzz, found;

	for (i = 0; i < q->s->n; i++)
		sh[i] = text_ws_hash(q->s->l[i]->text, q->s->l[i]->len);
	r.relax = RELAX_WS;
	r.ws_hash = text_ws_hashes(q->t);
	r.ws_side = sh;
	found = search_fuzzy(&r, maxfuzz, &fuzz) != 0;
	free(sh);
	return found;
}

/*
 * Why no search placed the hunk: the exact search q failed at every fuzz
 * up to maxfuzz.  A relaxed search that ignores what no line has (a
 * missing final newline, a '\r') is that search again, and is not made.
 */
const char *conflict_reason(struct search *q, long maxfuzz,
			    const struct hunk *h)
{
	struct search r = *q;
	long fuzz;

	r.relax = RELAX_EOF;
	if (side_has_end(q->s, q->t, 0) && search_fuzzy(&r, maxfuzz, &fuzz))
		return "newline at end of file differs";
	r.relax = RELAX_CR;
	if (side_has_end(q->s, q->t, '\r') && search_fuzzy(&r, maxfuzz, &fuzz))
		return "line endings differ";
	/* before "file ends early": re-indented code may be shorter */
	if (search_ws(q, maxfuzz))
		return "context differs in whitespace";
	if (q->first_guess + q->s->n - 1 > (long)q->t->n && h->old_count > 0)
		return "file ends early";
	if (removed_lines_differ(q))
		return "lines to remove differ";
	return "context differs";
}
