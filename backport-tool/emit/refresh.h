/*
 * refresh.h - a patch as it must be carried on the target.
 *
 * dpkg-source 3.0 (quilt) applies patches with fuzz 0, so a patch that
 * needed an offset or fuzz on the target is rewritten: the diff of each file
 * it touched between the target's content before and after the patch
 * (libgit2's diff of the two buffers, three lines of context), in the style
 * of a Debian ~/.quiltrc (-p ab, no timestamps, no index lines).  Being the
 * actual difference of the two contents, it applies with fuzz 0 by
 * construction.  The header the patch came with is kept and completed with
 * DEP-3 fields (dep3.h).
 *
 *     struct refresh_snapshot snap = { 0 };
 *     refresh_snapshot_take(&snap, tree, patch);   before apply_patch()
 *     apply_patch(&state, tree, patch, &result);
 *     refresh_patch(patch, &snap, tree, &info, &out, NULL);
 */
#ifndef BT_REFRESH_H
#define BT_REFRESH_H

#include <stddef.h>

#include "emit/dep3.h"
#include "input/patch.h"
#include "tree/tree.h"
#include "util.h"

/* A file as it was before the patch. */
struct refresh_file {
	char *path;
	char *data;
	size_t len;
	int exists;
	unsigned mode;
};

struct refresh_snapshot {
	struct refresh_file *v;
	size_t n, alloc;
};

/* Record every path p names (both sides of a rename) as t has it now.
   Returns 0, or -1 after an error reading the tree. */
int refresh_snapshot_take(struct refresh_snapshot *s, struct tree *t,
			  const struct patch *p);
void refresh_snapshot_release(struct refresh_snapshot *s);
/* refresh_snapshot_take, and the files st's move hook finds where upstream
   renamed p's missing files from (apply_moved_paths).  0 or -1. */
struct apply_state;
int refresh_snapshot_take_moved(struct refresh_snapshot *s, struct tree *t,
				const struct apply_state *st,
				const struct patch *p);

/* Put the snapshot's files back into t's overlay (undo a kept patch). */
void refresh_snapshot_restore(const struct refresh_snapshot *s,
			      struct tree *t);

/*
 * Append the quilt-style diff of one file ("--- a/PATH", "+++ b/PATH", or
 * /dev/null for a side that does not exist) to out; nothing when the two
 * are equal.  Returns 0, or -1 after an error for what a quilt patch cannot
 * carry (binary content, an empty new file).
 */
int refresh_diff_file(const char *path, const char *old, size_t old_len,
		      int old_exists, const char *new, size_t new_len,
		      int new_exists, struct strbuf *out);

/* Append the diff of every snapshot file against t now, in path order.
   Returns 0, or -1 after an error (a symlink, binary content). */
int refresh_diff(const struct refresh_snapshot *s, struct tree *t,
		 struct strbuf *out);

/*
 * Does the diff carry every hunk of p unchanged (the same context, removed
 * and added lines, possibly at other line numbers or inside a larger hunk)?
 * 1 yes, 0 no (fuzz or a merge changed it: DEP-3 "Origin: backport"),
 * -1 after an error parsing diff.
 */
int refresh_same_hunks(const struct patch *p, const char *diff, size_t len);

/*
 * The refreshed patch: p's header completed with DEP-3 fields (Origin says
 * "backport" when refresh_same_hunks finds the hunks changed), then the
 * diff.  When diff_at is not NULL it receives the offset in out where the
 * diff starts.  Returns 0, 1 when the patch changed nothing on the target
 * (already applied: out is left as it was), or -1 after an error.
 */
int refresh_patch(const struct patch *p, const struct refresh_snapshot *s,
		  struct tree *t, const struct dep3_info *info,
		  struct strbuf *out, size_t *diff_at);

#endif
