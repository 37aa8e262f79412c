/*
 * place_int.h - what place.c (the placer: a hunk, a file, its output) and
 * place_search.c (GNU patch's search for a hunk, and why it failed) share.
 */
#ifndef BT_PLACE_INT_H
#define BT_PLACE_INT_H

#include "place/place.h"

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

/* How two lines are compared (GNU patch's patch_match). */
enum relax {
	EXACT,       /* byte for byte, '\r' and the final newline included */
	RELAX_EOF,   /* ignore whether the last line ends in a newline */
	RELAX_CR,    /* ... and a trailing '\r' */
	RELAX_WS     /* ... and all white space (only to explain a failure) */
};

/* One search of a side in a file (GNU patch's locate_hunk). */
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
	const unsigned *ws_hash; /* RELAX_WS: each file line's text_ws_hash, */
	const unsigned *ws_side; /* and each side line's (or both NULL) */
};

/* Would a hunk at `where` start before the previous one ended?  This is
   copy_till()'s "misordered hunks" test for the hunk's first change. */
int search_misordered(const struct search *q, long where);
/* The line (1-based) where the side's first line goes, or 0. */
long search_locate(const struct search *q);
/* Try fuzz 0..maxfuzz like patch's main loop; returns where, sets *fuzz. */
long search_fuzzy(struct search *q, long maxfuzz, long *fuzz);
/* Why no search placed hunk h: the exact search q failed at every fuzz up
   to maxfuzz. */
const char *conflict_reason(struct search *q, long maxfuzz,
			    const struct hunk *h);

#endif
