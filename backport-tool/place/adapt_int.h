/*
 * adapt_int.h - what the files of the adaptation share (adapt.h says what
 * an adaptation is):
 *
 *   adapt_align.c   line comparison (exact, white space, identifier shape)
 *                   and the weighted LCS of the hunk's old side with a
 *                   target window
 *   adapt_rename.c  the consistent identifier map, and its use on a line
 *   adapt_indent.c  added lines in the target's indentation
 *   adapt.c         the driver: candidate windows, refusal rules, result
 */
#ifndef BT_ADAPT_INT_H
#define BT_ADAPT_INT_H

#include "place/adapt.h"

/* How well a hunk line matches a target line, best last. */
enum adapt_match {
	MATCH_NONE = 0,
	MATCH_LOOSE = 1, /* the same tokens but for up to 2 identifiers */
	MATCH_WS = 2,    /* equal ignoring leading and trailing white space */
	MATCH_EXACT = 3
};

struct adapt_tok {
	const char *p;
	size_t len;
	int ident;
};

#define ADAPT_MAX_TOKENS 256

/* Split a line into C-like tokens (white space dropped); returns how many,
   or -1 when there are more than max. */
int adapt_tokens(const char *s, size_t n, struct adapt_tok *out, int max);
enum adapt_match adapt_compare(const char *a, size_t an, const char *b,
			       size_t bn);
size_t adapt_lead(const char *s, size_t n); /* leading white space */
/* A hash of the line without its leading and trailing white space: lines
   adapt_match_line matches without renaming hash the same. */
unsigned adapt_trim_hash(const char *s, size_t n);
/* adapt_compare for a hunk line: a removed line never matches loosely. */
enum adapt_match adapt_match_line(const struct pline *pl,
				  const struct text_line *tl);
/*
 * A hash of a line's shape: the punctuation at its two ends.  Lines
 * adapt_compare matches in any way have the same shape.
 */
unsigned adapt_shape_hash(const char *s, size_t n);
/* adapt_match_line of pl (its adapt_shape_hash: shape) and line i of t,
   told NONE from the shapes where they differ (t's are made once). */
enum adapt_match adapt_match_at(const struct pline *pl, unsigned shape,
				const struct text *t, long i);

/*
 * Align lines pl[0..np) with target lines [lo, hi) (0-based) by weighted
 * LCS (an exact pair weighs most).  match[i] receives the target line of
 * pl[i] or -1, level[i] how it matched.
 */
void adapt_lcs(const struct pline *const *pl, long np, const struct text *t,
	       long lo, long hi, long *match, int *level);

/* The identifier map of one candidate. */
struct adapt_map {
	struct adapt_rename *v;
	size_t n, alloc;
};

/*
 * Collect the map from the aligned pairs (loose ones rename) and check it
 * is consistent: one name to one name, never kept where it is renamed
 * elsewhere, upstream's name nowhere in the target and the target's
 * nowhere in hunk h.  0, or -1 with why filled.
 */
int adapt_map_collect(struct adapt_map *m, const struct hunk *h,
		      const struct pline *const *pl, long np,
		      const long *match, const int *level,
		      const struct text *t, struct strbuf *why);
/* Append s with the map's names replaced. */
void adapt_map_line(const struct adapt_map *m, const char *s, size_t n,
		    struct strbuf *out);
void adapt_map_release(struct adapt_map *m);

/* Append line, its leading `from` indentation replaced by `to`. */
void adapt_indent_line(const char *from, size_t fl, const char *to, size_t tl,
		       const char *line, size_t n, struct strbuf *out);

#endif
