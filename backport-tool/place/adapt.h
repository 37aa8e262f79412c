/*
 * adapt.h - the "adapted" verdict: a hunk that no exact, offset, fuzzy or
 * 3-way placement takes, rewritten as the maintainer would rewrite it, and
 * only when the rewrite is provably the same change.
 *
 * The hunk's old side (context and removed lines) is aligned with a window
 * of the target by a line-level weighted LCS (adapt_align.c): lines match
 * exactly, equal ignoring leading and trailing white space, or equal once
 * identifiers are renamed (adapt_rename.c: one consistent map, shown).
 * Every removed line must be found, in order, exactly or ignoring white
 * space (never through a rename); each change (a run of removed and added
 * lines) must have both its upstream neighbour lines found with nothing
 * between them in the target but its removed lines, so that the added
 * lines land between the same neighbours as upstream (drift right next to
 * a change is refused: the change may be about that line).  Added lines
 * are written in the target's indentation (adapt_indent.c) with the
 * rename map applied; renames come from context lines whose names the
 * added lines use, upstream's name absent from the target file and the
 * target's from the hunk.  The target's own context further away is kept.  Exactly one window
 * may qualify; otherwise the hunk stays a conflict, and the candidates and
 * why each was refused are said (adapt.c, the driver).
 */
#ifndef BT_ADAPT_H
#define BT_ADAPT_H

#include <stddef.h>

#include "input/patch.h"
#include "place/place.h"
#include "util.h"

enum adapt_kind {
	ADAPT_DRIFT = 1,      /* context upstream changed, added or lacks */
	ADAPT_WHITESPACE = 2, /* lines equal ignoring indentation */
	ADAPT_RENAME = 4      /* identifiers renamed consistently */
};

struct adapt_rename {
	char *from; /* upstream's name */
	char *to;   /* the target's */
	char *commit; /* the upstream commit that renamed it, or NULL when
			 the hunk's lines show it */
};

/* One line of the adapted hunk: ' ' and '-' are target lines (0-based),
   '+' lines are text in the adaptation's `added` buffer. */
struct adapt_line {
	char kind;
	size_t target;
	size_t off, len;
};

struct adaptation {
	unsigned kinds;             /* ADAPT_* bits; 0 when refused */
	long at;                    /* first target line of the hunk (1-based) */
	struct adapt_line *lines;
	size_t nlines, alloc;
	struct strbuf added;        /* the '+' lines' text */
	long context_missing;       /* upstream context lines not in the target */
	long context_extra;         /* target lines kept that upstream lacks */
	struct strbuf replaced;     /* the context lines replaced, "\n"-ended:
				       upstream's line, or "-> target's" */
	struct adapt_rename *renames;
	size_t nrenames, ralloc;
	long candidates;            /* windows tried */
	struct strbuf why;          /* refused: the candidates and why */
	long usec;                  /* time the search took */
};

/*
 * Try to adapt hunk h to target t: its window must start after line lfl
 * (0-based count of target lines already consumed) and end before line
 * limit (0-based; the next hunk placed).  Returns 1 when exactly
 * one placement qualifies (a is filled), 0 when refused (a->why says why;
 * a->kinds is 0).  a must be zeroed; release it with adaptation_release.
 */
int adapt_hunk(const struct text *t, const struct hunk *h, long lfl,
	       long limit, struct adaptation *a);
/*
 * adapt_hunk (or adapt_hunk_applied, when applied) with the renames of
 * upstream's history (opts->history) that h uses mapped in all its lines
 * first (adapt_history.c): the adaptation then names them with their
 * commit.  An ambiguous one that h uses refuses the hunk.
 */
int adapt_hunk_history(const struct text *t, const struct hunk *h, long lfl,
		       long limit, const struct place_opts *opts, int applied,
		       struct adaptation *a);
/*
 * Is h's change already in t, in an adapted form?  The reversed hunk
 * (added lines as the old side) must adapt by the same rules: then the
 * change is there (a->at says where).  Returns 1 or 0 as adapt_hunk.
 */
int adapt_hunk_applied(const struct text *t, const struct hunk *h, long lfl,
		       long limit, struct adaptation *a);
/* The target lines an adaptation covers end before this line (1-based
   last line). */
long adaptation_end(const struct adaptation *a);
void adaptation_release(struct adaptation *a);

/*
 * Adaptation may not change what GNU patch does with the other hunks of
 * fd: for each hunk, the target line (0-based, exclusive) its window must
 * end before, from opts->prior or a placement without adaptation; NULL
 * when no hunk conflicts.  nlines: the old file's line count.
 */
long *adapt_limits(const struct file_diff *fd, const char *old,
		   size_t old_len, const struct place_opts *opts,
		   size_t nlines);
void adaptation_free(struct adaptation *a);

/* "context drift (2 lines), renamed foo -> bar, whitespace"; nothing for a
   refused adaptation. */
void adaptation_describe(const struct adaptation *a, struct strbuf *out);
/* The kinds as words, comma separated: "drift,rename". */
void adaptation_kinds(const struct adaptation *a, struct strbuf *out);

#endif
