/*
 * fsroot.c - a target tree's root and the directories opened below it.
 *
 * The directories are kept in an array sorted by path, so that a lookup is
 * a binary search, and a directory and everything below it lie in the one
 * run of paths that start with its name.  Opening one is
 * recursive: the parent first (from the cache or opened itself), then one
 * openat of the last component.  The number kept is capped, because the
 * fds count against the process's limit: when the cap is reached the whole
 * cache is closed and refilled, which costs only speed.
 */
#include "tree/fsroot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define DIRS_MAX 256

struct fs_dir {
	char *path;
	int fd;
};

struct fs_root {
	int fd;
	int locked; /* this process holds the tree's lock (fs_root_lock) */
	struct fs_dir *dirs; /* sorted by path; "" (the root) is not in it */
	size_t n, alloc;
};

struct fs_root *fs_root_open(const char *dir)
{
	struct fs_root *root;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		error_at(dir, 0, "cannot open tree: %s", strerror(errno));
		return NULL;
	}
	root = xcalloc(1, sizeof(*root));
	root->fd = fd;
	return root;
}

static void dirs_clear(struct fs_root *root)
{
	size_t i;

	for (i = 0; i < root->n; i++) {
		close(root->dirs[i].fd);
		free(root->dirs[i].path);
	}
	root->n = 0;
}

void fs_root_close(struct fs_root *root)
{
	if (!root)
		return;
	dirs_clear(root);
	free(root->dirs);
	close(root->fd);
	free(root);
}

int fs_root_fd(const struct fs_root *root)
{
	return root->fd;
}

int fs_root_lock(struct fs_root *root)
{
	if (root->locked)
		return 0;
	if (flock(root->fd, LOCK_EX | LOCK_NB) < 0)
		return -1;
	root->locked = 1;
	return 0;
}

int fs_root_locked(const struct fs_root *root)
{
	return root->locked;
}

void fs_root_unlock(struct fs_root *root)
{
	if (root->locked && !flock(root->fd, LOCK_UN))
		root->locked = 0;
}

/* Compare a kept path with dir[0..len). */
static int dir_cmp(const char *kept, const char *dir, size_t len)
{
	int c = strncmp(kept, dir, len);

	return c ? c : (kept[len] ? 1 : 0);
}

/* Binary search: 1 and *pos when dir[0..len) is kept, else 0 and where. */
static int dirs_find(const struct fs_root *root, const char *dir, size_t len,
		     size_t *pos)
{
	size_t lo = 0, hi = root->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = dir_cmp(root->dirs[mid].path, dir, len);

		if (!c) {
			*pos = mid;
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return 0;
}

static void dirs_add(struct fs_root *root, const char *dir, size_t len,
		     int fd)
{
	size_t pos;

	if (root->n >= DIRS_MAX)
		dirs_clear(root);
	dirs_find(root, dir, len, &pos);
	ALLOC_GROW(root->dirs, root->n + 1, root->alloc);
	memmove(root->dirs + pos + 1, root->dirs + pos,
		(root->n - pos) * sizeof(*root->dirs));
	root->dirs[pos].path = xstrndup(dir, len);
	root->dirs[pos].fd = fd;
	root->n++;
}

/* O_DIRECTORY|O_NOFOLLOW on a symlink fails with ENOTDIR; tell them apart. */
static int is_symlink_at(int dir, const char *name)
{
	struct stat st;

	return !fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) &&
	       S_ISLNK(st.st_mode);
}

/* Open name in parent as a directory, never through a symlink. */
static int open_dir_at(int parent, const char *name, int create)
{
	const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(parent, name, flags);

	if (fd < 0 && errno == ENOENT && create &&
	    (!mkdirat(parent, name, 0777) || errno == EEXIST))
		fd = openat(parent, name, flags);
	if (fd < 0 && errno == ENOTDIR)
		errno = is_symlink_at(parent, name) ? ELOOP : ENOTDIR;
	return fd;
}

int fs_root_dir(struct fs_root *root, const char *dir, size_t len,
		int create)
{
	char name[NAME_MAX + 1];
	const char *last;
	size_t pos, plen;
	int parent, fd;

	if (!len)
		return root->fd;
	if (dirs_find(root, dir, len, &pos))
		return root->dirs[pos].fd;
	last = dir + len;
	while (last > dir && last[-1] != '/')
		last--;
	plen = last > dir ? (size_t)(last - dir) - 1 : 0;
	if (len - (size_t)(last - dir) > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(name, last, len - (size_t)(last - dir));
	name[len - (size_t)(last - dir)] = '\0';
	parent = fs_root_dir(root, dir, plen, create);
	if (parent < 0)
		return -1;
	fd = open_dir_at(parent, name, create);
	if (fd >= 0)
		dirs_add(root, dir, len, fd);
	return fd;
}

int fs_root_parent(struct fs_root *root, const char *path, int create,
		   const char **base)
{
	const char *slash = strrchr(path, '/');

	*base = slash ? slash + 1 : path;
	return fs_root_dir(root, path, slash ? (size_t)(slash - path) : 0,
			   create);
}

void fs_root_forget(struct fs_root *root, const char *dir, size_t len)
{
	size_t pos, end, keep;

	/* every path starting with dir sorts in one run from dir's place */
	dirs_find(root, dir, len, &pos);
	for (end = keep = pos; end < root->n; end++) {
		struct fs_dir *d = &root->dirs[end];

		if (strncmp(d->path, dir, len))
			break;
		if (d->path[len] && d->path[len] != '/') {
			root->dirs[keep++] = *d; /* "a/b-c" is not below "a/b" */
			continue;
		}
		close(d->fd);
		free(d->path);
	}
	memmove(root->dirs + keep, root->dirs + end,
		(root->n - end) * sizeof(*root->dirs));
	root->n -= end - keep;
}
