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
 * line and an added line are.  Any other case is left to the merge.
 * Lines are looked up by a hash of their text without the newline, so a
 * collision or a missing final newline can only make a line look present:
 * that proves less, never something false.  The patch's own hunks, a diff
 * of the same two blobs, say first whether such a change can be there.
 */
#include "input/gitsrc_int.h"

#include <string.h>

struct line_set {
	unsigned *slot; /* 0: empty (a hash of 0 is stored as 1) */
	size_t mask;
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

/* Is there no line p[0..n) in the set?  (A hash in it: maybe there.) */
static int set_lacks(const struct line_set *s, const char *p, size_t n)
{
	unsigned h = line_hash(p, n);
	size_t k = h & s->mask;

	while (s->slot[k]) {
		if (s->slot[k] == h)
			return 0;
		k = (k + 1) & s->mask;
	}
	return 1;
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
	for (p = buf; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		set_add(s, line_hash(p, (size_t)(e - p)));
		p = nl ? nl + 1 : end;
	}
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

/* Is base line k (0-based) there and absent from ours? */
static int base_line_lacks(const struct base_lines *b, long k,
			   const struct line_set *ours)
{
	size_t from, to;

	if (k < 0 || (size_t)k >= b->nrec)
		return 0;
	from = b->start[k];
	to = b->start[k + 1];
	if (to > from && b->buf[to - 1] == '\n')
		to--;
	return set_lacks(ours, b->buf + from, to - from);
}

/* The changes of base -> theirs, one hunk each: is there one that must
   conflict (above)? */
struct scan {
	const struct line_set *ours;
	const struct base_lines *base;
	int removed, added, context; /* in the current hunk */
	int found;
};

static int scan_hunk(const git_diff_delta *d, const git_diff_hunk *h,
		     void *data)
{
	struct scan *sc = data;
	/* the first base line replaced, or where lines are inserted (a
	   hunk that removes nothing starts at the line before) */
	long i = h->old_lines ? h->old_start - 1 : h->old_start;

	sc->removed = sc->added = sc->context = 0;
	if (base_line_lacks(sc->base, i - 1, sc->ours) ||
	    base_line_lacks(sc->base, i + h->old_lines, sc->ours)) {
		sc->found = 1;
		return 1; /* proven: stop */
	}
	return 0;
}

static int scan_line(const git_diff_delta *d, const git_diff_hunk *h,
		     const git_diff_line *l, void *data)
{
	struct scan *sc = data;
	size_t n = l->content_len;

	if (n && l->content[n - 1] == '\n')
		n--;
	if (l->origin == GIT_DIFF_LINE_CONTEXT)
		sc->context = 1; /* more than one change: no proof */
	else if (l->origin == GIT_DIFF_LINE_DELETION && !sc->removed)
		sc->removed = set_lacks(sc->ours, l->content, n);
	else if (l->origin == GIT_DIFF_LINE_ADDITION && !sc->added)
		sc->added = set_lacks(sc->ours, l->content, n);
	if (sc->removed && sc->added && !sc->context) {
		sc->found = 1;
		return 1; /* proven: stop */
	}
	return 0;
}

int gitsrc_merge_must_conflict(const struct file_diff *fd,
			       git_blob *base, git_blob *theirs,
			       const char *ours, size_t ours_len)
{
	git_diff_options opts;
	struct line_set set = { NULL, 0 };
	struct base_lines lines;
	struct scan sc;

	set_build(&set, ours, ours_len);
	memset(&sc, 0, sizeof(sc));
	sc.ours = &set;
	if (hunks_may_conflict(fd, &set)) {
		base_lines_build(&lines, git_blob_rawcontent(base),
				 (size_t)git_blob_rawsize(base));
		sc.base = &lines;
		/* the merge's diff: xdiff's defaults, one hunk per change */
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		opts.context_lines = 0;
		opts.interhunk_lines = 0;
		git_diff_blobs(base, NULL, theirs, NULL, &opts, NULL, NULL,
			       scan_hunk, scan_line, &sc);
		free(lines.start);
	}
	free(set.slot);
	return sc.found;
}
