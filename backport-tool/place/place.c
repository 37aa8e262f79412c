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
#include "place/place_int.h"
#include "place/adapt.h"

#include <stdlib.h>
#include <ctype.h>
#include <string.h>

/* ------------------------------------------------------------------ */

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
				       : conflict_reason(&q, maxfuzz, h));
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
	if (opts && opts->text && fd->op != FILE_CREATE)
		pl.t = *opts->text;
	else
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
	if (opts && opts->text && fd->op != FILE_CREATE)
		*opts->text = pl.t; /* with the memos made here */
	else
		text_release(&pl.t);
	return worst;
}
