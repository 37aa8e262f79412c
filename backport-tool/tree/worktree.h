/*
 * worktree.h - protect the user's uncommitted work before writing a tree.
 *
 * `apply` and `package` write into directories that are often git work
 * trees with the maintainer's own edits in them.  Like git apply, they
 * refuse to overwrite a file whose content git does not have yet.
 */
#ifndef BT_WORKTREE_H
#define BT_WORKTREE_H

#include <stddef.h>

/*
 * paths are relative to dir.  When dir lies inside a git work tree and any
 * of them has uncommitted changes (modified, staged, deleted, or untracked
 * and not ignored), print one error per such file and return -1, unless
 * force.  Outside a git work tree, or when everything is committed, 0.
 */
int worktree_check_clean(const char *dir, const char *const *paths, size_t n,
			 int force);

#endif
