/*
 * gitsrc_conflict.c - a 3-way merge that must conflict, told without
 * making it: nearly every merge check tries on an old release fails, and
 * each one diffs the upstream pre-image with the target as well.
 *
 * git_merge_file (diff3 style: xdiff merges at level EAGER, nothing
 * refines a conflict away) diffs base -> ours and base -> theirs, walks
 * the two lists of changes together and conflicts wherever a change A of
 * one and a change C of the other overlap -- neither ends before the
 * other begins, so touching counts -- unless both are the same change
 * (the same base lines replaced by the same lines).  Take C, a hunk of
 * base -> theirs without context (the merge's own change, as the same
 * xdiff with the same options computes it): it replaces base lines
 * [i, i + n) (n may be 0) by its added lines.  A base line with no equal
 * anywhere in ours is never an unchanged one, so it lies in some change A
 * of base -> ours, and changes are maximal runs:
 *  - a removed line of C absent from ours: A holds a line of C's range;
 *  - base line i - 1 or i + n absent from ours: A holds a neighbour of
 *    C's range, which touches it.
 * Either way A overlaps C, and the walk meets them together (a change
 * that overlaps C is never passed before C is reached).  They are not the
 * same change if A's range holds a line outside C's (the neighbour case),
 * or if C adds a line absent from ours (A's new lines are ours).  So C
 * must conflict when a neighbour is absent from ours, or when a removed
 * line and an added line are.
 * And when no change of ours touches C, its neighbours and removed lines
 * are unchanged with nothing inserted between them, so ours holds them
 * as one run of consecutive lines, base[i - 1, i + n]; when ours made
 * C itself, it holds C's neighbours around C's added lines.  So C must
 * conflict too when ours holds neither run (a neighbour at the file's
 * edge left out of both).  Any other case is left to the merge.
 * Lines are looked up by a hash of their text without the newline, so a
 * collision or a missing final newline can only make a line look present:
 * that proves less, never something false.  The patch's own hunks, a diff
 * of the same two blobs, say first whether such a change can be there.
 *
 * The commit's changes, as hashes of the lines the proof looks at, are
 * read off the patch's hunks where they are the merge's own (most files;
 * see "read off the patch's own hunks" below), else made by diffing the
 * two blobs, and kept by blob ids for the next target: the same commit is
 * judged on each (in gitsrc's table, gitsrc_table.c, within
 * GITSRC_CHANGES_BUDGET bytes).
 */
#include "input/gitsrc_int.h"
#include "input/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GITSRC_CHANGES_BUDGET ((size_t)32 << 20)

/*
 * The target's lines by hash: placement's index of the same content when
 * the caller lends it (merge_ours's has_line: apply does), else a set
 * made here.
 */
struct line_set {
	const struct merge_ours *lent;
	unsigned *slot; /* 0: empty (a hash of 0 is stored as 1) */
	size_t mask;
	const unsigned *line; /* every line's line_ends_hash, in order */
	size_t nline;
	unsigned *own_line;   /* line when made here */
};

/* line_ends_hash, never 0 (the empty slot) */
static unsigned line_hash(const char *p, size_t n)
{
	unsigned h = line_ends_hash(p, n);

	return h ? h : 1;
}

static void set_add(struct line_set *s, unsigned h)
{
	size_t k = h & s->mask;

	while (s->slot[k] && s->slot[k] != h)
		k = (k + 1) & s->mask;
	s->slot[k] = h;
}

/* Is h a line's hash that the set lacks?  (0: no line there.)  A hash in
   it means the line is maybe there. */
static int lacks(const struct line_set *s, unsigned h)
{
	const struct merge_ours *o = s->lent;
	size_t k;

	if (!h)
		return 0;
	if (o) /* line_hash made a hash of 0 one of 1 */
		return !o->has_line(o->lines, h) &&
		       (h != 1 || !o->has_line(o->lines, 0));
	for (k = h & s->mask; s->slot[k]; k = (k + 1) & s->mask)
		if (s->slot[k] == h)
			return 0;
	return 1;
}

/* Is there no line p[0..n) in the set? */
static int set_lacks(const struct line_set *s, const char *p, size_t n)
{
	return lacks(s, line_hash(p, n));
}

/* Every line of buf, without its newline. */
static void set_build(struct line_set *s, const char *buf, size_t len)
{
	const char *p, *end = buf + len;
	size_t nlines = 1, size = 16;

	for (p = buf; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
		nlines++;
	while (size < 2 * nlines)
		size *= 2;
	s->slot = xcalloc(size, sizeof(*s->slot));
	s->mask = size - 1;
	s->own_line = xmalloc(nlines * sizeof(*s->own_line));
	s->nline = 0;
	for (p = buf; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		s->own_line[s->nline] = line_ends_hash(p, (size_t)(e - p));
		set_add(s, line_hash(p, (size_t)(e - p)));
		s->nline++;
		p = nl ? nl + 1 : end;
	}
	s->line = s->own_line;
}

/*
 * Can the merge's changes hold a proof?  Only if some hunk of fd has a
 * removed or context line that ours lacks (the merge's changes and their
 * neighbours are lines of the patch's hunks, give or take how the two
 * diffs slide a change; this only saves the diff when nothing can be
 * proven, a miss costs a merge, never a wrong answer).
 */
static int hunks_may_conflict(const struct file_diff *fd,
			      const struct line_set *ours)
{
	size_t h, i;

	for (h = 0; h < fd->nhunks; h++) {
		const struct hunk *hk = &fd->hunks[h];

		for (i = 0; i < hk->nlines; i++) {
			const struct pline *l = &hk->lines[i];

			if (l->kind != '+' && set_lacks(ours, l->text, l->len))
				return 1;
		}
	}
	return 0;
}

/* Where each line of base begins (nrec + 1 offsets, the last its end). */
struct base_lines {
	const char *buf;
	size_t *start, nrec;
};

static void base_lines_build(struct base_lines *b, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	size_t alloc = 0;

	b->buf = buf;
	b->start = NULL;
	b->nrec = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		ALLOC_GROW(b->start, b->nrec + 2, alloc);
		b->start[b->nrec++] = (size_t)(p - buf);
		p = nl ? nl + 1 : end;
	}
	ALLOC_GROW(b->start, b->nrec + 1, alloc);
	b->start[b->nrec] = len;
}

/* The hash of base line k (0-based), or 0 when there is none. */
static unsigned base_line_hash(const struct base_lines *b, long k)
{
	size_t from, to;

	if (k < 0 || (size_t)k >= b->nrec)
		return 0;
	from = b->start[k];
	to = b->start[k + 1];
	if (to > from && b->buf[to - 1] == '\n')
		to--;
	return line_hash(b->buf + from, to - from);
}

/* ---- the commit's changes, kept by blob ids ----------------------------- */

/*
 * One change of base -> theirs: the hashes of its neighbours (0: none,
 * the file's edge), then of its removed lines and of its added lines, in
 * the owner's hash array.
 */
struct change {
	unsigned before, after;
	size_t rem, nrem, add, nadd;
	int usable; /* one change (no context line in its hunk) */
};

struct changes {
	struct gitsrc_entry e; /* first: the table's header (no path) */
	struct change *v;
	size_t n;
	unsigned *hash;
	size_t nhash;
	int partial;          /* read off the patch, some not usable (a group
				 that slides): the blobs' diff may prove more */
	struct changes *full; /* that diff, when made */
};

static void changes_free(struct gitsrc_entry *e)
{
	struct changes *c = (struct changes *)e;

	if (c->full)
		changes_free(&c->full->e);
	free(c->v);
	free(c->hash);
	free(c);
}

struct collect {
	struct changes *c;
	const struct base_lines *base;
	size_t alloc, alloc_hash;
};

static void collect_hash(struct collect *cl, unsigned h)
{
	ALLOC_GROW(cl->c->hash, cl->c->nhash + 1, cl->alloc_hash);
	cl->c->hash[cl->c->nhash++] = h;
}

static int collect_hunk(const git_diff_delta *d, const git_diff_hunk *h,
			void *data)
{
	struct collect *cl = data;
	struct change *ch;
	/* the first base line replaced, or where lines are inserted (a
	   hunk that removes nothing starts at the line before) */
	long i = h->old_lines ? h->old_start - 1 : h->old_start;

	ALLOC_GROW(cl->c->v, cl->c->n + 1, cl->alloc);
	ch = &cl->c->v[cl->c->n++];
	memset(ch, 0, sizeof(*ch));
	ch->before = base_line_hash(cl->base, i - 1);
	ch->after = base_line_hash(cl->base, i + h->old_lines);
	ch->usable = 1;
	return 0;
}

/* Lines come grouped: a hunk's removed lines, then its added ones. */
static int collect_line(const git_diff_delta *d, const git_diff_hunk *h,
			const git_diff_line *l, void *data)
{
	struct collect *cl = data;
	struct change *ch = cl->c->n ? &cl->c->v[cl->c->n - 1] : NULL;
	size_t n = l->content_len;

	if (!ch || l->origin == GIT_DIFF_LINE_CONTEXT_EOFNL ||
	    l->origin == GIT_DIFF_LINE_ADD_EOFNL ||
	    l->origin == GIT_DIFF_LINE_DEL_EOFNL)
		return 0; /* "\\ No newline at end of file": not a line */
	if (n && l->content[n - 1] == '\n')
		n--;
	if (l->origin == GIT_DIFF_LINE_DELETION && !ch->nadd) {
		if (!ch->nrem)
			ch->rem = cl->c->nhash;
		ch->nrem++;
	} else if (l->origin == GIT_DIFF_LINE_ADDITION) {
		if (!ch->nadd)
			ch->add = cl->c->nhash;
		ch->nadd++;
	} else {
		ch->usable = 0; /* context, or out of order: no proof */
		return 0;
	}
	collect_hash(cl, line_hash(l->content, n));
	return 0;
}

static struct changes *changes_make(git_repository *repo, const git_oid *a,
				    const git_oid *b)
{
	git_blob *ba = NULL, *bb = NULL;
	struct base_lines lines;
	struct collect cl;
	git_diff_options opts;
	struct changes *c;

	if (git_blob_lookup(&ba, repo, a) < 0 ||
	    git_blob_lookup(&bb, repo, b) < 0) {
		git_blob_free(ba);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	git_oid_cpy(&c->e.a, a);
	git_oid_cpy(&c->e.b, b);
	c->e.free = changes_free;
	base_lines_build(&lines, git_blob_rawcontent(ba),
			 (size_t)git_blob_rawsize(ba));
	memset(&cl, 0, sizeof(cl));
	cl.c = c;
	cl.base = &lines;
	/* the merge's diff: xdiff's defaults, one hunk per change */
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	if (git_diff_blobs(ba, NULL, bb, NULL, &opts, NULL, NULL, collect_hunk,
			   collect_line, &cl) < 0)
		c->n = 0; /* nothing to prove with */
	free(lines.start);
	git_blob_free(ba);
	git_blob_free(bb);
	c->e.bytes = sizeof(*c) + c->n * sizeof(*c->v) +
		     c->nhash * sizeof(*c->hash);
	return c;
}

/* ---- the same changes, read off the patch's own hunks ------------------ */

/*
 * The patch is xdiff's diff of the same two blobs with the same algorithm
 * and three lines of context, but made with the indent heuristic (as git
 * format-patch makes it), and the merge diffs without.  The heuristic is
 * only a choice among the places a group of changed lines can slide to
 * (xdl_change_compact: a group [s, e) of one side slides up when line
 * s - 1 equals line e - 1, down when line e equals line s).  Where the two
 * diffs differ, the heuristic moved a group off the place the other diff
 * keeps, and the group it moved, or the group a later one merged it into,
 * can still slide in the final diff: sliding is reversible, and a group
 * that merged with it can slide by as much.  So when no group of either
 * side can slide in the patch, the merge's diff is the patch's, and its
 * changes are the patch's runs of changed lines, each between its hunk's
 * context lines (none before: the file's first line; none after: its
 * end, as three lines of context are cut only there).
 * A run whose groups cannot slide is that change even when another run
 * slides: both diffs merge groups alike (a sliding group takes in every
 * changed line it meets, before the last shift), line a group up with
 * the other side's alike (xdiff does so before the heuristic's choice),
 * and move only the groups that can slide, each within the range it was
 * slid over, where it never touches another group.  So the runs that
 * cannot slide are usable, the others are kept unusable (the changes are
 * "partial"), and the proof tries them first: the blobs' diff is made
 * only when they prove nothing.  For a text that is not that diff's
 * shape, changes_make diffs the blobs.  BT_TEST_CHANGES=verify checks
 * every usable change against the diff wherever both are made.
 */

static int pline_eq(const struct pline *x, const struct pline *y)
{
	return x && y && x->len == y->len && !memcmp(x->text, y->text, x->len);
}

/* Can the group of lines g[0..n) (one side's run) slide between its
   neighbours before and after (NULL: the file's edge)? */
static int group_slides(const struct pline *before, const struct pline *const *g,
			size_t n, const struct pline *after)
{
	return n && (pline_eq(before, g[n - 1]) || pline_eq(after, g[0]));
}

static unsigned pline_hash(const struct pline *l)
{
	return l ? line_hash(l->text, l->len) : 0;
}

/*
 * One run of changed lines, hk->lines[i..j): its removed lines first,
 * then its added ones.  0, or 1 when the patch cannot give the change.
 */
static int derive_run(struct collect *cl, const struct hunk *hk, size_t i,
		      size_t j, const struct pline **side, size_t alloc_side)
{
	const struct pline *before = i ? &hk->lines[i - 1] : NULL;
	const struct pline *after = j < hk->nlines ? &hk->lines[j] : NULL;
	struct change *ch;
	size_t k, nrem = 0, nadd;
	int slides;

	if (!before && hk->old_start > 1)
		return 1; /* context cut short: not three lines */
	while (i + nrem < j && hk->lines[i + nrem].kind == '-')
		nrem++;
	nadd = j - i - nrem;
	for (k = i + nrem; k < j; k++)
		if (hk->lines[k].kind != '+')
			return 1; /* removed after added: not one change */
	if (nrem > alloc_side || nadd > alloc_side)
		return 1;
	for (k = 0; k < nrem; k++)
		side[k] = &hk->lines[i + k];
	slides = group_slides(before, side, nrem, after);
	for (k = 0; k < nadd; k++)
		side[k] = &hk->lines[i + nrem + k];
	slides = slides || group_slides(before, side, nadd, after);
	ALLOC_GROW(cl->c->v, cl->c->n + 1, cl->alloc);
	ch = &cl->c->v[cl->c->n++];
	memset(ch, 0, sizeof(*ch));
	if (slides) { /* a change, but maybe not at these lines */
		cl->c->partial = 1;
		return 0;
	}
	ch->before = pline_hash(before);
	ch->after = pline_hash(after);
	ch->usable = 1;
	ch->rem = nrem ? cl->c->nhash : 0; /* as collect_line leaves them */
	ch->nrem = nrem;
	for (k = 0; k < nrem; k++)
		collect_hash(cl, pline_hash(&hk->lines[i + k]));
	ch->add = nadd ? cl->c->nhash : 0;
	ch->nadd = nadd;
	for (k = 0; k < nadd; k++)
		collect_hash(cl, pline_hash(&hk->lines[i + nrem + k]));
	return 0;
}

static int derive_hunk(struct collect *cl, const struct hunk *hk,
		       const struct pline **side, size_t alloc_side)
{
	size_t i, j;

	for (i = 0; i < hk->nlines; i = j) {
		if (hk->lines[i].noeol)
			return 1; /* a last line without newline: xdiff's
				     records tell it apart, the hashes not */
		if (hk->lines[i].kind == ' ') {
			j = i + 1;
			continue;
		}
		for (j = i; j < hk->nlines && hk->lines[j].kind != ' '; j++)
			if (hk->lines[j].noeol)
				return 1;
		if (derive_run(cl, hk, i, j, side, alloc_side))
			return 1;
	}
	return 0;
}

static struct changes *changes_derive(const struct file_diff *fd,
				      const git_oid *a, const git_oid *b)
{
	const struct pline **side;
	struct changes *c = xcalloc(1, sizeof(*c));
	struct collect cl;
	size_t h, most = 0;
	int bad = !fd->nhunks;

	for (h = 0; h < fd->nhunks; h++)
		if (fd->hunks[h].nlines > most)
			most = fd->hunks[h].nlines;
	side = xmalloc((most ? most : 1) * sizeof(*side));
	memset(&cl, 0, sizeof(cl));
	cl.c = c;
	for (h = 0; !bad && h < fd->nhunks; h++)
		bad = derive_hunk(&cl, &fd->hunks[h], side, most);
	free(side);
	if (bad) {
		changes_free(&c->e);
		return NULL;
	}
	git_oid_cpy(&c->e.a, a);
	git_oid_cpy(&c->e.b, b);
	c->e.free = changes_free;
	c->e.bytes = sizeof(*c) + c->n * sizeof(*c->v) +
		     c->nhash * sizeof(*c->hash);
	return c;
}

static int hashes_equal(const struct changes *x, size_t i,
			const struct changes *y, size_t j, size_t n)
{
	return !n || !memcmp(x->hash + i, y->hash + j, n * sizeof(*x->hash));
}

/* Is every usable change of x (read off a patch) the change of y (the
   blobs' diff) in its place, the same count of changes in all? */
static int changes_agree(const struct changes *x, const struct changes *y)
{
	size_t i;

	if (x->n != y->n)
		return 0;
	for (i = 0; i < x->n; i++) {
		const struct change *p = &x->v[i], *q = &y->v[i];

		if (!p->usable)
			continue;
		if (!q->usable || p->before != q->before ||
		    p->after != q->after || p->nrem != q->nrem ||
		    p->nadd != q->nadd ||
		    !hashes_equal(x, p->rem, y, q->rem, p->nrem) ||
		    !hashes_equal(x, p->add, y, q->add, p->nadd))
			return 0;
	}
	return 1;
}

/* BT_TEST_CHANGES=verify: a change read off the patch that the blobs' own
   diff does not give is a bug; say so and stop. */
static void changes_verify(struct gitsrc *g, const struct changes *c,
			   const git_oid *a, const git_oid *b)
{
	struct changes *m;
	char ha[GIT_OID_HEXSZ + 1], hb[GIT_OID_HEXSZ + 1];

	if (!gitsrc_verifying("BT_TEST_CHANGES") ||
	    !(m = changes_make(g->repo, a, b)))
		return;
	if (!changes_agree(c, m)) {
		fprintf(stderr, "backport-tool: BT_TEST_CHANGES: %s..%s: the "
			"patch's changes are not the merge's\n",
			git_oid_tostr(ha, sizeof(ha), a),
			git_oid_tostr(hb, sizeof(hb), b));
		exit(3);
	}
	changes_free(&m->e);
}

void gitsrc_changes_report(const struct gitsrc *g)
{
	if (gitsrc_verifying("BT_TEST_CHANGES"))
		fprintf(stderr, "backport-tool: BT_TEST_CHANGES: %zu read off "
			"the patches and verified, %zu diffed\n",
			g->changes_read, g->changes_diffed);
	if (g->proofs_checked)
		fprintf(stderr, "backport-tool: BT_TEST_PROOF: %zu proofs of a "
			"conflict checked by merging\n", g->proofs_checked);
}

/* The changes of blob a -> blob b, made once; NULL when unreadable. */
static struct changes *changes_get(struct gitsrc *g, const struct file_diff *fd,
				   const git_oid *a, const git_oid *b)
{
	struct changes *c;

	c = (struct changes *)gitsrc_table_get(&g->changes, a, b, NULL);
	if (c)
		return c;
	if ((c = changes_derive(fd, a, b)) != NULL) {
		g->changes_read++;
		changes_verify(g, c, a, b);
	} else if ((c = changes_make(g->repo, a, b)) != NULL) {
		g->changes_diffed++;
	}
	if (c)
		gitsrc_table_put(&g->changes, &c->e, GITSRC_CHANGES_BUDGET);
	return c;
}

/* Partial changes' full set, the blobs' diff, made once and kept with
   them; NULL when unreadable. */
static const struct changes *changes_full(struct gitsrc *g, struct changes *c)
{
	if (!c->full && (c->full = changes_make(g->repo, &c->e.a, &c->e.b))) {
		g->changes_diffed++;
		gitsrc_table_grew(&g->changes, &c->e, c->full->e.bytes);
	}
	return c->full;
}

/* ---- the proof ------------------------------------------------------------ */

static int any_lacks(const struct line_set *ours, const unsigned *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lacks(ours, h[i]))
			return 1;
	return 0;
}

/* Does ours lack the run before, mid[0..n), after (0: no such line) as
   consecutive lines?  Hashes as line_hash makes them (0 read as 1). */
static int run_absent(const struct line_set *ours, unsigned before,
		      const unsigned *mid, size_t n, unsigned after)
{
	size_t len = (before != 0) + n + (after != 0), i, k;

	if (!len)
		return 0; /* nothing to find: found */
	for (i = 0; i + len <= ours->nline; i++) {
		for (k = 0; k < len; k++) {
			unsigned want = k == 0 && before ? before
					: k == len - 1 && after ? after
					: mid[k - (before != 0)];
			unsigned have = ours->line[i + k];

			if ((have ? have : 1) != want)
				break;
		}
		if (k == len)
			return 0;
	}
	return 1;
}

static int change_must_conflict(const struct changes *c, const struct change *ch,
				const struct line_set *ours)
{
	if (!ch->usable)
		return 0;
	if (lacks(ours, ch->before) || lacks(ours, ch->after))
		return 1;
	if (any_lacks(ours, c->hash + ch->rem, ch->nrem) &&
	    any_lacks(ours, c->hash + ch->add, ch->nadd))
		return 1;
	return run_absent(ours, ch->before, c->hash + ch->rem, ch->nrem,
			  ch->after) &&
	       run_absent(ours, ch->before, c->hash + ch->add, ch->nadd,
			  ch->after);
}

static int changes_must_conflict(const struct changes *c,
				 const struct line_set *ours)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (change_must_conflict(c, &c->v[i], ours))
			return 1;
	return 0;
}

int gitsrc_merge_must_conflict(struct gitsrc *g, const struct file_diff *fd,
			       const git_oid *base, const git_oid *theirs,
			       const struct merge_ours *ours)
{
	struct line_set set = { ours->has_line && ours->line_hashes ? ours : NULL,
				NULL, 0, NULL, 0, NULL };
	struct changes *c = NULL;
	int found = 0;

	if (set.lent)
		set.line = ours->line_hashes(ours->lines, &set.nline);
	else
		set_build(&set, ours->data, ours->len);
	if (hunks_may_conflict(fd, &set) &&
	    (c = changes_get(g, fd, base, theirs)) != NULL)
		found = changes_must_conflict(c, &set);
	if (c && !found && c->partial && changes_full(g, c))
		found = changes_must_conflict(c->full, &set);
	free(set.slot);
	free(set.own_line);
	return found;
}
