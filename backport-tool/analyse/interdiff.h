/*
 * interdiff.h - what a carried patch changed from its upstream version.
 *
 * A reviewer of a backport wants to see only what the backporter did: the
 * same change at other line numbers (the @@ lines moved) is no difference;
 * other context lines around a change, other added or removed lines, and
 * files added or dropped are.  Both patches are compared file by file
 * (by the path they change), hunk bodies as sequences of lines, so a hunk
 * split or joined differently shows up only as the context it gained.
 */
#ifndef BT_INTERDIFF_H
#define BT_INTERDIFF_H

#include <jansson.h>
#include <stddef.h>

#include "input/patch.h"
#include "util.h"

/* Ordered from no difference to the largest. */
enum interdiff_change {
	ID_SAME,    /* the same lines, perhaps at other line numbers */
	ID_CONTEXT, /* the same added/removed lines, other context */
	ID_CONTENT, /* other added or removed lines */
	ID_ADDED,   /* a file only the carried patch changes */
	ID_DROPPED  /* a file only the upstream patch changes */
};

/*
 * One line of the diff of the two hunk bodies.  side: ' ' in both, '-'
 * upstream only, '+' carried only, '@' the start of a group (text NULL;
 * up_hunk/car_hunk say where it is).  kind is the hunk line's own
 * ' ', '-' or '+'.
 */
struct interdiff_line {
	char side;
	char kind;
	const char *text; /* points into one of the patches */
	size_t len;
	size_t up_hunk, car_hunk; /* 1-based hunk numbers; 0 when not there */
};

struct interdiff_file {
	char *path;
	enum interdiff_change change;
	size_t hunks_moved;          /* hunks found at other line numbers */
	long moved_min, moved_max;   /* their offsets (carried - upstream) */
	size_t context_lines;        /* context lines only one side has */
	size_t content_lines;        /* +/- lines only one side has */
	struct interdiff_line *lines; /* the differences, with 2 lines around */
	size_t nlines, alloc;
	long up_line, car_line;      /* the file's header line in each patch */
};

struct interdiff {
	enum interdiff_change change; /* the largest over files */
	struct interdiff_file *files; /* in the upstream patch's order, then
					 the files only the carried one has */
	size_t nfiles, alloc;
};

/* Compare; fills out (release with interdiff_release).  Never fails. */
void interdiff_patches(const struct patch *upstream,
		       const struct patch *carried, struct interdiff *out);
void interdiff_release(struct interdiff *d);

/* "same", "context", "content", "added", "dropped" */
const char *interdiff_change_name(enum interdiff_change c);

/*
 * One line for a report: "same as upstream", "same as upstream, moved by
 * +12 lines", "hw/x.c: other context (2 lines); hw/y.c dropped", ...
 */
void interdiff_summary(const struct interdiff *d, struct strbuf *out);

/* The whole comparison as text, a diff of the two patches' hunk bodies. */
void interdiff_write(const struct interdiff *d, const char *up_name,
		     const char *car_name, struct strbuf *out);

/* {"change": ..., "files": [{"path", "change", "moved": {...}, ...}]} */
json_t *interdiff_json(const struct interdiff *d);

#endif
