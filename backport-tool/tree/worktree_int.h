/*
 * worktree_int.h - what worktree*.c share.  worktree.c asks libgit2 for the
 * status of each path; before that, worktree_fast.c answers the common case
 * (every path committed and untouched) from .git/index (stat data, else
 * the file hashed as a blob: worktree_sha1.c), and worktree_head.c reads
 * HEAD's tree id for it, so that a one-patch apply does not pay for
 * starting libgit2 and reading the whole index with it.
 * The fast path only ever says "clean"; any doubt hands over to libgit2.
 */
#ifndef BT_WORKTREE_INT_H
#define BT_WORKTREE_INT_H

#include <stddef.h>
#include <stdint.h>

#define WT_OID_LEN 20 /* SHA-1 repositories only; others go to libgit2 */

/* worktree_sha1.c: SHA-1, to hash a file as git hashes a blob */
struct wt_sha1 {
	uint32_t h[5];
	unsigned long long len;
	unsigned char buf[64];
};
void wt_sha1_init(struct wt_sha1 *c);
void wt_sha1_update(struct wt_sha1 *c, const void *data, size_t len);
void wt_sha1_final(struct wt_sha1 *c, unsigned char *out);

/*
 * HEAD's tree id from the repository in gitdir (a ".git" directory):
 * refs read as git stores them, the commit as a loose object or an
 * undeltified one in a pack (alternates included).  0 found, 1 cannot
 * tell (anything unusual: the caller asks libgit2).
 */
int worktree_head_tree(const char *gitdir, unsigned char *oid);

/*
 * Are paths (relative to workdir, whose ".git" directory is gitdir) all
 * unchanged since HEAD, as far as stat data proves it?  0 yes, every one;
 * 1 cannot tell (a change, a racily clean entry, an index or repository
 * this reader does not know): the caller asks libgit2.
 */
int worktree_fast_clean(const char *workdir, const char *gitdir,
			const char *prefix, const char *const *paths, size_t n);

#endif
