/*
 * gitsrc_conflict.c - a 3-way merge that must conflict, told without
 * making it: nearly every merge check tries on an old release fails, and
 * each one diffs the upstream pre-image with the target as well.
 *
 * git_merge_file (diff3 style: xdiff merges at level EAGER, nothing
 * refines a conflict away) diffs base -> ours and base -> theirs and
 * conflicts wherever a change of one overlaps a change of the other,
 * unless both are the same change.  Take a change C of base -> theirs
 * (a hunk of that diff without context: the merge's own change, as the
 * same xdiff with the same options computes it) that removes a line L
 * and adds a line Y, neither of them anywhere in ours:
 *  - L is in some change A of base -> ours (a line with no equal in the
 *    other file is never an unchanged one), and A overlaps C at L;
 *  - A's new lines are lines of ours, C's include Y: not the same change.
 * The merge's walk meets A and C together and records a conflict, which
 * stays.  Any other case is left to the merge itself.  Lines are looked
 * up by a hash of their text without the newline, so a collision or a
 * missing final newline can only make a line look present: that proves
 * less, never something false.  The patch's own hunks, a diff of the same
 * two blobs, say first whether such a change can be there at all.
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

/* Does some hunk of fd remove a line and add one that ours lacks?  Else
   no change of the merge can (the same blobs, the same lines). */
static int hunks_may_conflict(const struct file_diff *fd,
			      const struct line_set *ours)
{
	size_t h, i;

	for (h = 0; h < fd->nhunks; h++) {
		const struct hunk *hk = &fd->hunks[h];
		int removed = 0, added = 0;

		for (i = 0; i < hk->nlines; i++) {
			const struct pline *l = &hk->lines[i];

			if (l->kind == '-' && !removed)
				removed = set_lacks(ours, l->text, l->len);
			else if (l->kind == '+' && !added)
				added = set_lacks(ours, l->text, l->len);
		}
		if (removed && added)
			return 1;
	}
	return 0;
}

/* The changes of base -> theirs, one hunk each: is there one that removes
   a line and adds one, neither of them in ours? */
struct scan {
	const struct line_set *ours;
	int removed, added, context; /* in the current hunk */
	int found;
};

static int scan_hunk(const git_diff_delta *d, const git_diff_hunk *h,
		     void *data)
{
	struct scan *sc = data;

	sc->removed = sc->added = sc->context = 0;
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
	struct scan sc;

	set_build(&set, ours, ours_len);
	memset(&sc, 0, sizeof(sc));
	sc.ours = &set;
	if (hunks_may_conflict(fd, &set)) {
		/* the merge's diff: xdiff's defaults, one hunk per change */
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		opts.context_lines = 0;
		opts.interhunk_lines = 0;
		git_diff_blobs(base, NULL, theirs, NULL, &opts, NULL, NULL,
			       scan_hunk, scan_line, &sc);
	}
	free(set.slot);
	return sc.found;
}
