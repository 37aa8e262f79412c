/*
 * merge.h - the target's file as a 3-way merge gets it: what apply.h's
 * merge hook passes (place/ fills it) and gitsrc_merge reads (input/).
 * It lives here so that the input stage needs nothing of placement: the
 * lines placement indexed come as a lookup, not as its text.
 */
#ifndef BT_MERGE_H
#define BT_MERGE_H

#include <stddef.h>

struct tree;

struct merge_ours {
	const char *data;
	size_t len;
	const unsigned char *id; /* its git blob id (tree.h's tree_file.id),
				    or NULL: then tree_get_id(tree, path)
				    works it out, when tree is set */
	struct tree *tree;       /* where it is, or NULL */
	const char *path;
	/* Is there a line whose line_ends_hash (util.h, the line without
	   its newline) is h?  Asked of placement's index of the same
	   content; NULL: the merge makes its own set of the lines. */
	int (*has_line)(const void *lines, unsigned h);
	/* every line's line_ends_hash, in order (n of them) */
	const unsigned *(*line_hashes)(const void *lines, size_t *n);
	const void *lines;
};

#endif
