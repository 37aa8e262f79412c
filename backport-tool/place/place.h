/*
 * place.h - the placement engine: where does each hunk of a file diff go in
 * the target's version of the file, and how sure are we?
 *
 * The search follows GNU patch so that its results can be compared line for
 * line: the stated position (shifted by the offset earlier hunks of the same
 * file needed), then the nearest offset (forward first at equal distance),
 * then fuzz 1..max with GNU patch's prefix/suffix context rules; hunks never
 * overlap or move before the previous hunk's end.  On top of that it says
 * what GNU patch does not: "applied" when the hunk's post-image is already
 * there, and "ambiguous" when another position matches as well.
 *
 * Applied: at each fuzz level the pre-image is searched at, the post-image
 * is searched the same way (GNU patch does this for a file's first hunk
 * only, as its reversed-patch test), and preferred: with fuzz whenever it
 * is found, exactly when it is at least as near as the pre-image.  A
 * change that is there is thus never applied a second time.
 *
 * Ambiguous: a hunk placed away from where it was expected (its own
 * offset, or any fuzz) is questioned: ambiguous_at is the next position,
 * in GNU patch's search order, where the same lines match at the same
 * fuzz without overlapping the previous hunk.  That is wider than "the
 * mirror offset -k": a reviewer needs to know that the context is not
 * unique whenever patch had to search, because the nearest match is only
 * a guess then; a hunk found at its stated place is not questioned.
 */
#ifndef BT_PLACE_H
#define BT_PLACE_H

#include <stddef.h>

#include "input/patch.h"
#include "util.h"

/* Ordered from best to worst: a patch's verdict is its worst hunk's. */
enum verdict {
	V_CLEAN,    /* at the stated lines: "OK" */
	V_OFFSET,   /* exact, lines moved: "minor noise" */
	V_FUZZ,     /* context lines ignored: "noise" */
	V_MERGED,   /* a 3-way merge resolved it: "noise" */
	V_ADAPTED,  /* rewritten for the target, verified (adapt.h): "noise" */
	V_APPLIED,  /* already in the target: "already applied" */
	V_CONFLICT  /* no safe placement: "conflict" */
};

const char *verdict_name(enum verdict v);   /* "clean", "offset", ... */
const char *verdict_word(enum verdict v);   /* "OK", "minor noise", ... */
enum verdict verdict_worst(enum verdict a, enum verdict b);

struct adaptation;
struct gitsrc_rename;

struct hunk_result {
	enum verdict verdict;
	long offset;       /* lines moved from the stated position */
	int fuzz;          /* context lines ignored at each end */
	long at;           /* GNU patch's "succeeded at N": first line of the
			      hunk in the new file; for conflicts the stated line;
			      for "applied" the target line where it already is */
	long old_at;       /* first line of the pre-image in the old file, 0 if none */
	long ambiguous_at; /* another equally good position (new file line), or 0;
			      for "applied": where the pre-image matched too
			      (target line); with no_ambiguous a conflict
			      keeps both: at is where the hunk would have gone */
	const char *reason;/* static text for conflicts, NULL otherwise */
	struct adaptation *adapt; /* owned: the adaptation made (V_ADAPTED)
				     or refused (a conflict: adapt->why says
				     why), or NULL when none was tried */
};

/* Free what the results hold (their adaptations), not the array. */
void hunk_results_clear(struct hunk_result *res, size_t n);

/* The lines of a file, pointing into its buffer. */
struct text_line {
	const char *p;
	size_t len; /* without '\n' */
};

struct text {
	struct text_line *lines;
	size_t n, alloc;
	int noeol; /* the last line has no '\n' */
	/* made at the first ask and kept with the lines (NULL until then;
	   the lines never change): */
	unsigned *trim_hash; /* adapt.c's hash of each line */
	unsigned *shape_hash; /* adapt_align.c's hash of each line's shape */
	unsigned *ws_hash;   /* text_ws_hashes */
	struct text_index *index; /* text_index */
	struct text_index *ws_index; /* the same by text_ws_hash */
	struct text_index *trim_index; /* the same by trim_hash */
};

void text_split(struct text *t, const char *data, size_t len);
void text_release(struct text *t);
/* The bytes t holds, its memos included (a budget's measure). */
size_t text_memory(const struct text *t);

/* A hash of a line's bytes other than white space (' ', '\t', '\r',
   '\v', '\f'): lines equal but for white space hash the same. */
unsigned text_ws_hash(const char *s, size_t n);
/* Every line's text_ws_hash. */
const unsigned *text_ws_hashes(const struct text *t);
/*
 * Every line's hash(line), made at the first ask into *memo (one of t's
 * hash fields: t's lines never change) and kept there.
 */
const unsigned *text_hashes(const struct text *t, unsigned **memo,
			    unsigned (*hash)(const char *s, size_t n));

/*
 * The lines by line_ends_hash (util.h): the first line (0-based) of hash h, -1
 * for none, with *count the number of lines of that hash; the next one
 * after line i (in file order), -1 after the last.
 */
long text_index_first(const struct text *t, unsigned h, long *count);
long text_index_next(const struct text *t, long i);
/* Every line's line_ends_hash, in order (the index's). */
const unsigned *text_line_hashes(const struct text *t);
/* The same, by text_ws_hash. */
long text_ws_index_first(const struct text *t, unsigned h, long *count);
long text_ws_index_next(const struct text *t, long i);
/* The same by t->trim_hash (adapt.c's, made before the first ask). */
long text_trim_index_first(const struct text *t, unsigned h, long *count);
long text_trim_index_next(const struct text *t, long i);

struct place_opts {
	int max_fuzz;       /* 0..2 (GNU patch's -F); default 2 for check */
	int detect_applied; /* look for the post-image at each fuzz level */
	int no_ambiguous;   /* a hunk that also matches elsewhere conflicts */
	int adapt;          /* a hunk no search places may be adapted */
	int no_reasons;     /* a conflict gets no reason (the caller places
			       the file again to adapt it): no search for one */
	const struct hunk_result *prior; /* with adapt: the results of this
			       placement without it, if the caller has them
			       (NULL: place_file makes them) */
	const struct gitsrc_rename *history; /* with adapt: names upstream's
			       history renamed after the target's release
			       (gitsrc.h), applied to a hunk that uses them */
	size_t nhistory;
	struct text *text;  /* old already split (text_split) by a caller that
			       places the same content again: what placement
			       makes of its lines (index, hashes) stays with
			       it for the next time; NULL: split here */
};

/*
 * Place every hunk of fd on the file content old (old_len bytes; ignored
 * for a creation).  Fills res[fd->nhunks] and returns the worst verdict.
 * When no hunk conflicts and out is non-NULL, writes the new content there.
 * A hunk judged "applied" leaves its region as it is.  With opts->adapt, a
 * hunk that would conflict is adapted when adapt.h's rules allow it; the
 * results then own adaptations (hunk_results_clear).
 */
enum verdict place_file(const struct file_diff *fd, const char *old,
			size_t old_len, const struct place_opts *opts,
			struct hunk_result *res, struct strbuf *out);

#endif
