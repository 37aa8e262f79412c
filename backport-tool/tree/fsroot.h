/*
 * fsroot.h - a target tree's root directory, and the directories below it
 * that a command has reached, each opened once.
 *
 * Every path a patch names is reached from the root one component at a
 * time with O_DIRECTORY|O_NOFOLLOW, so that no symlink leads a read or a
 * write out of the tree.  Reading a series' files and writing them back
 * walks the same few directories over and over; keeping each directory's
 * fd for the life of the root makes that one openat per directory instead
 * of one per component per access (qemu's 73-patch series: ~2,250 openat
 * and close calls down to ~100).
 *
 * Only directories the no-follow walk opened are kept, never an absence;
 * fs_root_forget() drops a directory this process removed.  A directory
 * renamed or replaced by another process while the root is open is not
 * noticed -- as with any walk by fd, only for longer -- so a root lives
 * for one command.
 */
#ifndef BT_FSROOT_H
#define BT_FSROOT_H

#include <stddef.h>

struct fs_root;

/* Open a target directory; NULL after an error message. */
struct fs_root *fs_root_open(const char *dir);
void fs_root_close(struct fs_root *root);

/* The root directory's own fd (owned by root). */
int fs_root_fd(const struct fs_root *root);

/*
 * Take the tree's lock (flock on the root directory: one writer at a
 * time), held until fs_root_close.  A command that writes takes it before
 * its first read, so that what it read is still there when it commits.
 * 0 (also when already held), or -1 with errno EWOULDBLOCK when another
 * process holds it.
 */
int fs_root_lock(struct fs_root *root);
int fs_root_locked(const struct fs_root *root);
void fs_root_unlock(struct fs_root *root);

/*
 * The directory dir[0..len) below the root ("" is the root), opened
 * without following symlinks; with create, missing directories are made.
 * Returns an fd owned by root: use it before the next call on root, never
 * close it.  -1 with errno set: ELOOP (a symlink on the way), ENOTDIR (a
 * file on the way), ENOENT (missing), or another open error.
 */
int fs_root_dir(struct fs_root *root, const char *dir, size_t len,
		int create);

/* The directory holding path's last component; *base is that component. */
int fs_root_parent(struct fs_root *root, const char *path, int create,
		   const char **base);

/* dir was removed: drop it and everything below it. */
void fs_root_forget(struct fs_root *root, const char *dir, size_t len);

#endif
