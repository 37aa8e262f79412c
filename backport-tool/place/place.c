/*
 * place.c - the placement engine: find where each hunk of a file diff goes
 * in the target's version of the file and judge how sure we are.
 *
 * The search mirrors GNU patch 2.7 (patch.c: locate_hunk(), patch_match(),
 * apply_hunk(), copy_till(); pch.c: another_hunk()) rule for rule, so that
 * `patch --dry-run -F2` and `backport-tool check` agree hunk by hunk on the
 * verdict, the offset, the fuzz and the "succeeded at" line.  Where this
 * file says "GNU patch" it means that code; the rules were checked against
 * the patch 2.7.6 binary Debian 12 ships (see tests/t1100).
 *
 * On top of GNU patch it reports what a reviewer wants to know and patch
 * does not say: a hunk whose post-image is already there ("applied"), a
 * hunk that could have gone to another place as well ("ambiguous_at"), and
 * a one-line reason for every hunk that does not apply.
 */
#include "place/place.h"
#include "place/adapt.h"

#include <stdlib.h>
#include <ctype.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* One side of a hunk                                                 */

/*
 * The pre-image (context and '-' lines) or the post-image (context and
 * '+' lines) of a hunk.  prefix/suffix are GNU patch's p_prefix_context and
 * p_suffix_context: the context lines before the first and after the last
 * changed line (pch.c counts them over the whole hunk, so both sides share
 * them).
 */
struct side {
	const struct pline **l;
	long n;
	size_t alloc;
	long prefix, suffix;
};

static void side_build(struct side *s, const struct hunk *h, char drop)
{
	size_t i;

	s->n = 0;
	for (i = 0; i < h->nlines; i++) {
		if (h->lines[i].kind == drop)
			continue;
		ALLOC_GROW(s->l, (size_t)s->n + 1, s->alloc);
		s->l[s->n++] = &h->lines[i];
	}
}

static void hunk_context(const struct hunk *h, long *prefix, long *suffix)
{
	size_t i = 0, j = h->nlines;

	while (i < h->nlines && h->lines[i].kind == ' ')
		i++;
	if (i == h->nlines) {
		/* No change at all: pch.c calls this malformed. */
		*prefix = (long)h->nlines;
		*suffix = 0;
		return;
	}
	while (j > i && h->lines[j - 1].kind == ' ')
		j--;
	*prefix = (long)i;
	*suffix = (long)(h->nlines - j);
}

/* ------------------------------------------------------------------ */
/* Matching (GNU patch's patch_match)                                 */

enum relax {
	EXACT,       /* byte for byte, '\r' and the final newline included */
	RELAX_EOF,   /* ignore whether the last line ends in a newline */
	RELAX_CR,    /* ... and a trailing '\r' */
	RELAX_WS     /* ... and all white space (only to explain a failure) */
};

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

/* A hash of the line's bytes other than white space: lines ws_equal
   finds equal hash the same. */
static unsigned ws_hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_ws(s[i]))
			h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
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

struct search {
	const struct text *t;
	const struct side *s;
	long first;       /* pch_first(): the stated line, +1 for an empty side */
	long first_guess; /* first + in_offset */
	long lfl;         /* last_frozen_line: input lines already consumed */
	long fuzz;
	enum relax relax;
	long exclude;     /* skip a match at this line (0: none) */
	int valid_only;   /* skip positions before the previous hunk's end */
	long within;      /* > 0: try only offsets below this distance */
	const unsigned *ws_hash; /* RELAX_WS: each file line's ws_hash, */
	const unsigned *ws_side; /* and each side line's (or both NULL) */
};

/* Would a hunk at `where` start before the previous one ended?  This is
   copy_till()'s "misordered hunks" test for the hunk's first change. */
static int search_misordered(const struct search *q, long where)
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
static long search_locate(const struct search *q)
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
static long search_fuzzy(struct search *q, long maxfuzz, long *fuzz)
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
/* Output (GNU patch's copy_till and apply_hunk)                      */

struct emit {
	struct strbuf *sb;  /* NULL: count nothing, write nothing */
	int need_nl;        /* the last line written had no newline */
};

static void emit_line(struct emit *e, const char *p, size_t len, int nl)
{
	if (!e->sb)
		return;
	/* copy_till(): a line after an incomplete one gets its newline. */
	if (e->need_nl)
		sb_addch(e->sb, '\n');
	sb_add(e->sb, p, len);
	if (nl)
		sb_addch(e->sb, '\n');
	e->need_nl = !nl;
}

/* Copy input lines up to and including line `last` (1-based): one copy,
   since the lines lie one after the other in the input. */
static void emit_copy_till(struct emit *e, const struct text *t, long *lfl,
			   long last)
{
	const struct text_line *a, *z;
	int nl;

	if (last > (long)t->n)
		last = (long)t->n;
	if (*lfl >= last)
		return;
	a = &t->lines[*lfl];
	z = &t->lines[last - 1];
	nl = !(t->noeol && last == (long)t->n);
	*lfl = last;
	if (!e->sb)
		return;
	if (e->need_nl)
		sb_addch(e->sb, '\n');
	sb_add(e->sb, a->p, (size_t)(z->p + z->len - a->p) + (nl ? 1 : 0));
	e->need_nl = !nl;
}

/*
 * Write the hunk placed at `where`: input lines up to its first change,
 * then its changed part.  Context lines come from the input, never from
 * the patch, so a hunk placed with fuzz keeps the target's context.  The
 * suffix context is left to the next copy, as in apply_hunk(), so
 * last_frozen_line ends after the last change.
 */
static void emit_hunk(struct emit *e, const struct text *t, long *lfl,
		      const struct hunk *h, long where, long prefix,
		      long suffix)
{
	size_t i, end = h->nlines - (size_t)suffix;
	long old = where - 1 + prefix; /* input lines before the change */

	emit_copy_till(e, t, lfl, old);
	for (i = (size_t)prefix; i < end; i++) {
		const struct pline *pl = &h->lines[i];

		switch (pl->kind) {
		case '-':
			(*lfl)++;
			break;
		case '+':
			emit_line(e, pl->text, pl->len, !pl->noeol);
			break;
		default:
			emit_copy_till(e, t, lfl, *lfl + 1);
			break;
		}
	}
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

/* Each file line's ws_hash, made at the first ask (*cache) and kept for
   the file's other hunks. */
static const unsigned *text_ws_hashes(const struct text *t, unsigned **cache)
{
	size_t i;

	if (*cache)
		return *cache;
	*cache = xmalloc((t->n + 1) * sizeof(**cache));
	for (i = 0; i < t->n; i++)
		(*cache)[i] = ws_hash(t->lines[i].p, t->lines[i].len);
	return *cache;
}

/* The search ignoring white space, lines of another ws_hash skipped. */
static int search_ws(const struct search *q, long maxfuzz, unsigned **cache)
{
	struct search r = *q;
	unsigned *sh = xmalloc(((size_t)q->s->n + 1) * sizeof(*sh));
	long i, fuzz, found;

	for (i = 0; i < q->s->n; i++)
		sh[i] = ws_hash(q->s->l[i]->text, q->s->l[i]->len);
	r.relax = RELAX_WS;
	r.ws_hash = text_ws_hashes(q->t, cache);
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
static const char *conflict_reason(struct search *q, long maxfuzz,
				   const struct hunk *h, unsigned **ws_cache)
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
	if (search_ws(q, maxfuzz, ws_cache))
		return "context differs in whitespace";
	if (q->first_guess + q->s->n - 1 > (long)q->t->n && h->old_count > 0)
		return "file ends early";
	if (removed_lines_differ(q))
		return "lines to remove differ";
	return "context differs";
}

/* ------------------------------------------------------------------ */
/* One file                                                           */

struct placer {
	const struct file_diff *fd;
	const struct place_opts *opts;
	struct text t;
	struct side pre, post;
	long in_offset;  /* how far the input has moved (GNU's in_offset) */
	long out_offset; /* output line minus input line (out_offset) */
	long lfl;        /* last_frozen_line */
	long prev_start; /* old_start of the previous placed hunk */
	struct emit e;
	const long *limits; /* adaptation: where each hunk's window must end */
	size_t hunk;        /* index of the hunk being placed */
	unsigned *ws_hash;  /* conflict_reason's line hashes, once made */
};

static long hunk_first(const struct hunk *h, long side_len)
{
	/* pch.c: "if (!p_ptrn_lines) p_first++;  do append, not insert" */
	return h->old_start + (side_len ? 0 : 1);
}

static long max_fuzz_for(const struct placer *pl, long prefix, long suffix)
{
	long context = prefix < suffix ? suffix : prefix;
	long maxfuzz = pl->opts ? pl->opts->max_fuzz : 0;

	if (maxfuzz < 0)
		maxfuzz = 0;
	return maxfuzz < context ? maxfuzz : context;
}

/* Another position as good as the chosen one (same fuzz), or 0. */
static long place_other(struct search q, long fuzz, long where)
{
	q.fuzz = fuzz;
	q.exclude = where;
	q.valid_only = 1;
	return search_locate(&q);
}

static void place_conflict(struct placer *pl, const struct hunk *h,
			   struct hunk_result *res, const char *reason)
{
	res->verdict = V_CONFLICT;
	res->offset = 0;
	res->fuzz = 0;
	res->old_at = 0;
	res->at = hunk_first(h, pl->pre.n) + pl->out_offset;
	res->reason = reason;
}

static long distance(long a, long b)
{
	return a < b ? b - a : a - b;
}

/*
 * Is the hunk's post-image already there, at this fuzz?  GNU patch asks
 * this for a file's first hunk, between one fuzz level and the next
 * ("Reversed (or previously applied) patch detected!"); we ask it for
 * every hunk and at every level the pre-image is searched at, so a change
 * that is there is not applied a second time.  pre is where the pre-image
 * matched at this fuzz (0: nowhere).  With fuzz, a post-image found
 * anywhere wins when it holds an added line with a word in it (see
 * hunk_adds_words): its changed lines are there, and a second copy of them
 * is what fuzz would write.  Exactly (fuzz 0), the nearer of the two wins,
 * the post-image at equal distance, so that of two like blocks the one
 * still without the change gets it.  "at" is the line of the target where
 * the change already is.  Where the pre-image matched as well, the choice
 * is named: ambiguous_at is that line (with no_ambiguous, a conflict).
 * Returns 1 for applied, -1 for that conflict, 0 for neither.
 */
/*
 * Does h add a line with a word in it?  Fuzz trims only context, so such a
 * line is in every trimmed post-image: finding it there is evidence that
 * the change is in the file.  A hunk that only deletes (or adds blank lines
 * and braces) has a post-image of context alone, and two joined context
 * lines ("return FATAL;", "}") are found almost anywhere.
 */
static int hunk_adds_words(const struct hunk *h)
{
	size_t i, k;

	for (i = 0; i < h->nlines; i++)
		for (k = 0; h->lines[i].kind == '+' && k < h->lines[i].len; k++)
			if (isalnum((unsigned char)h->lines[i].text[k]))
				return 1;
	return 0;
}

static int place_applied(struct placer *pl, const struct hunk *h,
			 struct search q, long pre, struct hunk_result *res)
{
	long where;

	if (!pl->post.n || !pl->opts || !pl->opts->detect_applied)
		return 0;
	if (q.fuzz && !hunk_adds_words(h))
		return 0; /* only the exact, whole post-image says it is there */
	if (pre && !q.fuzz) {
		if (pre == q.first_guess)
			return 0; /* where it was expected: nothing is nearer */
		q.within = distance(pre, q.first_guess) + 1;
	}
	q.s = &pl->post;
	q.relax = EXACT;
	where = search_locate(&q);
	if (!where || search_misordered(&q, where))
		return 0;
	res->verdict = V_APPLIED;
	res->offset = where - q.first;
	res->fuzz = (int)q.fuzz;
	res->at = where;
	res->old_at = where;
	res->reason = NULL;
	if (pre && !search_misordered(&q, pre))
		res->ambiguous_at = pre;
	if (res->ambiguous_at && pl->opts->no_ambiguous) {
		res->verdict = V_CONFLICT;
		res->reason = "ambiguous placement";
		return -1;
	}
	/* The region holds post-image lines: later hunks move with it. */
	pl->in_offset = where - q.first + (pl->post.n - pl->pre.n);
	emit_copy_till(&pl->e, &pl->t, &pl->lfl,
		       where - 1 + pl->post.n - pl->post.suffix);
	pl->prev_start = h->old_start;
	return 1;
}

/* Would GNU patch's own search (fuzz up to 2) place the hunk?  Then it is
   no adaptation's business: the hunk needs -F, as check says. */
static int fuzz_places(const struct search *q, long prefix, long suffix,
		       long max_fuzz)
{
	struct search r = *q;
	long context = prefix < suffix ? suffix : prefix, fuzz;

	if (context <= max_fuzz)
		return 0; /* the search just made went as far */
	return search_fuzzy(&r, context < 2 ? context : 2, &fuzz) != 0;
}

/* Write an adaptation's hunk: its lines as a hunk of their own, placed
   exactly at its first target line. */
static void emit_adapted(struct placer *pl, const struct adaptation *a)
{
	struct hunk syn;
	struct pline *l = xcalloc(a->nlines + 1, sizeof(*l));
	size_t i;

	memset(&syn, 0, sizeof(syn));
	for (i = 0; i < a->nlines; i++) {
		const struct adapt_line *al = &a->lines[i];

		l[i].kind = al->kind;
		if (al->kind == '+') {
			l[i].text = a->added.buf + al->off;
			l[i].len = al->len;
		} else {
			l[i].text = pl->t.lines[al->target].p;
			l[i].len = pl->t.lines[al->target].len;
		}
	}
	syn.lines = l;
	syn.nlines = a->nlines;
	emit_hunk(&pl->e, &pl->t, &pl->lfl, &syn, a->at, 0, 0);
	free(l);
}

/* The change is there already, in an adapted form (adapt_hunk_applied):
   its region is left as it is. */
static enum verdict place_adapted_applied(struct placer *pl,
					  const struct search *q,
					  struct hunk_result *res,
					  struct adaptation *r)
{
	res->adapt = r;
	res->verdict = V_APPLIED;
	res->reason = NULL;
	res->offset = r->at - q->first;
	res->fuzz = 0;
	res->at = r->at;
	res->old_at = r->at;
	emit_copy_till(&pl->e, &pl->t, &pl->lfl, adaptation_end(r));
	return V_APPLIED;
}

/*
 * No search placed h: adapt it (adapt.h), or find its change already
 * there in an adapted form (applied), or keep the conflict, its reason
 * then saying why no adaptation was made.  Both at once is a choice
 * between two readings: a conflict.
 */
static enum verdict place_adapt(struct placer *pl, const struct hunk *h,
				const struct search *q, struct hunk_result *res)
{
	struct adaptation *a = xcalloc(1, sizeof(*a));
	struct adaptation *r = xcalloc(1, sizeof(*r));
	long delta = 0, limit = pl->limits[pl->hunk];
	size_t i;
	int fwd = adapt_hunk_history(&pl->t, h, pl->lfl, limit, pl->opts, 0, a);
	int back = pl->opts->detect_applied &&
		   adapt_hunk_history(&pl->t, h, pl->lfl, limit, pl->opts, 1, r);

	res->adapt = a;
	if (back && !fwd) {
		adaptation_free(a);
		return place_adapted_applied(pl, q, res, r);
	}
	if (back) {
		adaptation_release(a);
		sb_addf(&a->why, "the change may be there already (at %ld) "
			"or not (at %ld)", r->at, a->at);
	}
	adaptation_free(r);
	if (!fwd || back) {
		if (!a->why.len)
			sb_addstr(&a->why, "no candidate");
		return V_CONFLICT; /* the reason stays; a->why adds to it */
	}
	for (i = 0; i < a->nlines; i++)
		delta += a->lines[i].kind == '+' ? 1
			 : a->lines[i].kind == '-' ? -1 : 0;
	res->verdict = V_ADAPTED;
	res->reason = NULL;
	res->offset = a->at - q->first;
	res->fuzz = 0;
	res->at = a->at + pl->out_offset;
	res->old_at = a->at;
	/* in_offset stays, as after a hunk GNU patch fails: later hunks are
	   searched as patch searches them */
	emit_adapted(pl, a);
	pl->out_offset += delta;
	return V_ADAPTED;
}

static enum verdict place_hunk(struct placer *pl, const struct hunk *h,
			       struct hunk_result *res)
{
	struct search q;
	long prefix, suffix, maxfuzz, where, fuzz = 0;

	memset(res, 0, sizeof(*res));
	hunk_context(h, &prefix, &suffix);
	side_build(&pl->pre, h, '+');
	side_build(&pl->post, h, '-');
	pl->pre.prefix = pl->post.prefix = prefix;
	pl->pre.suffix = pl->post.suffix = suffix;
	maxfuzz = max_fuzz_for(pl, prefix, suffix);

	memset(&q, 0, sizeof(q));
	q.t = &pl->t;
	q.s = &pl->pre;
	q.first = hunk_first(h, pl->pre.n);
	q.first_guess = q.first + pl->in_offset;
	q.lfl = pl->lfl;
	q.relax = EXACT;

	for (where = 0; fuzz <= maxfuzz; fuzz++) {
		q.fuzz = fuzz;
		where = search_locate(&q);
		switch (place_applied(pl, h, q, where, res)) {
		case 1:
			return V_APPLIED;
		case -1:
			return V_CONFLICT;
		}
		if (where)
			break;
	}
	if (where && search_misordered(&q, where)) {
		place_conflict(pl, h, res,
			       h->old_start < pl->prev_start
				       ? "hunks are out of order"
				       : "hunk would overlap the previous one");
		return V_CONFLICT;
	}
	if (!where) {
		place_conflict(pl, h, res,
			       pl->opts && pl->opts->no_reasons
				       ? "not asked"
				       : conflict_reason(&q, maxfuzz, h,
							 &pl->ws_hash));
		if (pl->limits && !fuzz_places(&q, prefix, suffix, maxfuzz))
			return place_adapt(pl, h, &q, res);
		return V_CONFLICT;
	}

	pl->in_offset = where - q.first;
	res->offset = pl->in_offset;
	res->fuzz = (int)fuzz;
	res->at = where + pl->out_offset;
	res->old_at = pl->pre.n ? where : 0;
	res->verdict = fuzz ? V_FUZZ : res->offset ? V_OFFSET : V_CLEAN;
	if (where != q.first_guess || fuzz) {
		long other = place_other(q, fuzz, where);

		if (other)
			res->ambiguous_at = other + pl->out_offset;
	}
	if (res->ambiguous_at && pl->opts && pl->opts->no_ambiguous) {
		/* --no-ambiguous: a guess between two places is refused */
		res->verdict = V_CONFLICT;
		res->reason = "ambiguous placement";
		return V_CONFLICT;
	}
	emit_hunk(&pl->e, &pl->t, &pl->lfl, h, where, prefix, suffix);
	pl->out_offset += pl->post.n - pl->pre.n;
	pl->prev_start = h->old_start;
	return res->verdict;
}

enum verdict place_file(const struct file_diff *fd, const char *old,
			size_t old_len, const struct place_opts *opts,
			struct hunk_result *res, struct strbuf *out)
{
	struct placer pl;
	struct strbuf sb = STRBUF_INIT;
	enum verdict worst = V_CLEAN;
	size_t i;

	memset(&pl, 0, sizeof(pl));
	pl.fd = fd;
	pl.opts = opts;
	if (fd->op == FILE_CREATE)
		old_len = 0;
	text_split(&pl.t, old, old_len);
	pl.e.sb = out ? &sb : NULL;
	if (out)
		sb_grow(&sb, old_len + old_len / 8);

	if (opts && opts->adapt)
		pl.limits = adapt_limits(fd, old, old_len, opts, pl.t.n);
	for (i = 0; i < fd->nhunks; i++) {
		pl.hunk = i;
		worst = verdict_worst(worst,
				      place_hunk(&pl, &fd->hunks[i], &res[i]));
	}
	free((long *)pl.limits);

	if (out && worst != V_CONFLICT) {
		emit_copy_till(&pl.e, &pl.t, &pl.lfl, (long)pl.t.n);
		sb_release(out);
		*out = sb;
	} else {
		sb_release(&sb);
	}
	free(pl.pre.l);
	free(pl.post.l);
	free(pl.ws_hash);
	text_release(&pl.t);
	return worst;
}
