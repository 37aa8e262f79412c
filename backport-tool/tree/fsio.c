/*
 * fsio.c - the only code that touches a target directory on disk.
 *
 * Every path a patch names is checked by path_check() and then reached from
 * the tree's directory fd one component at a time: directories are opened
 * with O_DIRECTORY|O_NOFOLLOW and the final component is never followed, so
 * no symlink, whether it was there before or a patch created it, can lead a
 * read or a write out of the tree.
 *
 * fs_commit() writes a change set all-or-nothing, also against SIGKILL:
 *
 *  1. check every change against the disk (nothing is written yet);
 *  2. take the tree's lock (flock on its directory: one writer at a time),
 *     create the journal directory JOURNAL_DIR at the tree root, hard-link
 *     each original that will be replaced or deleted as "N.old" (a copy
 *     where the file system has no hard links), stage each new file as
 *     "N.new" (a replaced file keeps its permissions), then write the list
 *     of changes and the directories to create as "list" (fsync'ed, renamed
 *     into place): from now on the journal can undo everything;
 *  3. apply: unlink deleted files (removing directories they leave empty),
 *     create missing parents, rename each "N.new" over its target;
 *  4. fsync the directories, remove "list" (the commit point), then the
 *     rest of the journal.
 *
 * fs_recover() finds a journal left by a killed run.  Without "list" the
 * tree was never touched (or the commit had completed) and the journal is
 * just removed; with it, every change is undone: new files unlinked, created
 * directories removed, originals renamed back from "N.old".  Recovery is
 * itself idempotent, so it may be killed and re-run.
 *
 * The journal lives inside the tree, so its contents are untrusted too: the
 * paths in "list" go through path_check() and the same no-follow walk.
 *
 * Path checks and reads are fsio_path.c, the journal (step 2 and recovery)
 * fsio_journal.c; this file plans, applies and commits.
 */
#include "tree/fsio.h"
#include "tree/fsio_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- small helpers ------------------------------------------------------ */

int fs_write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Take the tree's lock: one writer or recoverer at a time.  fd or -1. */
static int lock_tree(struct fs_root *root)
{
	int fd = openat(fs_root_fd(root), ".", O_RDONLY | O_DIRECTORY |
						      O_CLOEXEC);

	if (fd < 0)
		return error("cannot open tree: %s", strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return error("another backport-tool is writing to this tree");
	}
	return fd;
}

static int cmp_change(const void *a, const void *b, void *changes)
{
	const struct fs_change *c = changes;

	return strcmp(c[*(const size_t *)a].path, c[*(const size_t *)b].path);
}

static void plan_release(struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->nmkdirs; i++)
		free(pl->mkdirs[i]);
	free(pl->mkdirs);
	free(pl->order);
	free(pl->existed);
	free(pl->perm);
}

/* The change whose path is exactly path[0..len), or NULL. */
static const struct fs_change *plan_find(const struct plan *pl,
					 const char *path, size_t len)
{
	size_t lo = 0, hi = pl->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *p = pl->changes[pl->order[mid]].path;
		int c = strncmp(p, path, len);
		if (!c)
			c = p[len] ? 1 : 0;
		if (!c)
			return &pl->changes[pl->order[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int plan_has_mkdir(const struct plan *pl, const char *path, size_t len)
{
	size_t i;

	for (i = pl->nmkdirs; i-- > 0;)
		if (!strncmp(pl->mkdirs[i], path, len) && !pl->mkdirs[i][len])
			return 1;
	return 0;
}

static int check_mode(const struct fs_change *c,
		      const struct fs_commit_opts *opts)
{
	if (c->deleted || c->mode == 0100644 || c->mode == 0100755)
		return 0;
	if (c->mode == 0120000) {
		if (!opts || !opts->allow_symlinks)
			return error_at(c->path, 0, "refusing to create a "
					"symlink (allow symlinks to permit it)");
		if (!c->len || memchr(c->data, '\0', c->len))
			return error_at(c->path, 0, "invalid symlink target");
		return 0;
	}
	return error_at(c->path, 0, "unsupported file mode %o", c->mode);
}

/*
 * Check the leading directories of a change that writes a file: each must
 * be a real directory, or absent (then planned for creation, with all
 * below it), or a file this change set deletes.
 */
static int plan_parents(struct plan *pl, struct fs_root *root,
			const struct fs_change *c)
{
	const char *slash;
	int missing = 0; /* a directory above is to be created */

	for (slash = strchr(c->path, '/'); slash; slash = strchr(slash + 1, '/')) {
		size_t len = (size_t)(slash - c->path);
		const struct fs_change *other = plan_find(pl, c->path, len);

		if (other && !other->deleted)
			return error_at(c->path, 0, "'%s' is written as a %s "
					"by the same change set; refusing to "
					"write below it", other->path,
					other->mode == 0120000 ? "symlink"
							       : "file");
		if (plan_has_mkdir(pl, c->path, len)) {
			missing = 1;
			continue;
		}
		if (!missing && fs_root_dir(root, c->path, len, 0) >= 0)
			continue;
		if (!missing && errno == ELOOP)
			return error_at(c->path, 0, "a leading component is a "
					"symlink, refusing to follow it");
		if (!missing && errno == ENOTDIR && !other)
			return error_at(c->path, 0, "a leading component is "
					"not a directory");
		if (!missing && errno != ENOENT && errno != ENOTDIR)
			return error_at(c->path, 0, "%s", strerror(errno));
		missing = 1;
		ALLOC_GROW(pl->mkdirs, pl->nmkdirs + 1, pl->alloc_mkdirs);
		pl->mkdirs[pl->nmkdirs++] = xstrndup(c->path, len);
	}
	return 0;
}

/* The target itself: absent, a regular file, or (if allowed) a symlink. */
static int plan_target(struct plan *pl, struct fs_root *root, size_t i,
		       const struct fs_commit_opts *opts)
{
	const struct fs_change *c = &pl->changes[i];
	const char *base;
	struct stat st;
	int dir = fs_root_parent(root, c->path, 0, &base), r;

	/* ENOTDIR: a file on the way, which plan_parents() judges */
	if (dir < 0 && (errno == ENOENT || (errno == ENOTDIR && !c->deleted))) {
		if (c->deleted)
			return error_at(c->path, 0, "file to delete is missing");
		pl->existed[i] = 0;
		return 0;
	}
	if (dir < 0)
		return fs_walk_error(c->path, errno);
	r = fstatat(dir, base, &st, AT_SYMLINK_NOFOLLOW);
	if (r < 0 && errno == ENOENT) {
		if (c->deleted)
			return error_at(c->path, 0, "file to delete is missing");
		pl->existed[i] = 0;
		return 0;
	}
	if (r < 0)
		return error_at(c->path, 0, "%s", strerror(errno));
	if (S_ISLNK(st.st_mode) && !(opts && opts->allow_symlinks))
		return error_at(c->path, 0, "is a symlink; refusing to write "
				"through or replace it");
	if (!S_ISLNK(st.st_mode) && !S_ISREG(st.st_mode))
		return error_at(c->path, 0, "not a regular file");
	pl->existed[i] = 1;
	pl->perm[i] = S_ISREG(st.st_mode) ? st.st_mode & 0777 : 0;
	return 0;
}

static int plan_make(struct plan *pl, struct fs_root *root, const struct fs_change *changes,
		     size_t n, const struct fs_commit_opts *opts)
{
	size_t i;

	memset(pl, 0, sizeof(*pl));
	pl->changes = changes;
	pl->n = n;
	pl->order = xcalloc(n, sizeof(*pl->order));
	pl->existed = xcalloc(n, sizeof(*pl->existed));
	pl->perm = xcalloc(n, sizeof(*pl->perm));
	for (i = 0; i < n; i++) {
		if (path_check(changes[i].path, NULL, 0) < 0 ||
		    check_mode(&changes[i], opts) < 0)
			return -1;
		pl->order[i] = i;
	}
	qsort_r(pl->order, n, sizeof(*pl->order), cmp_change,
		(void *)changes);
	for (i = 1; i < n; i++)
		if (!strcmp(changes[pl->order[i - 1]].path,
			    changes[pl->order[i]].path))
			return error_at(changes[pl->order[i]].path, 0,
					"changed twice in one change set");
	for (i = 0; i < n; i++) {
		const struct fs_change *c = &changes[pl->order[i]];
		if (plan_target(pl, root, pl->order[i], opts) < 0)
			return -1;
		if (!c->deleted && plan_parents(pl, root, c) < 0)
			return -1;
	}
	return 0;
}

/* ---- applying and undoing ------------------------------------------------ */

/* Remove path's directories, deepest first, while they are empty. */
static void remove_empty_parents(struct fs_root *root, const char *path)
{
	char *dir = xstrdup(path), *slash;

	while ((slash = strrchr(dir, '/'))) {
		const char *base;
		int fd;

		*slash = '\0';
		fd = fs_root_parent(root, dir, 0, &base);
		if (fd < 0)
			break;
		if (unlinkat(fd, base, AT_REMOVEDIR) < 0)
			break;
		fsync(fd);
		fs_root_forget(root, dir, strlen(dir));
	}
	free(dir);
}

static int apply_delete(struct fs_root *root, const struct fs_change *c)
{
	const char *base;
	int dir = fs_root_parent(root, c->path, 0, &base);

	if (dir < 0)
		return fs_walk_error(c->path, errno);
	if (unlinkat(dir, base, 0) < 0)
		return error_at(c->path, 0, "cannot delete: %s",
				strerror(errno));
	remove_empty_parents(root, c->path);
	return 0;
}

static int apply_write(struct fs_root *root, int jfd, size_t i, const struct fs_change *c)
{
	char name[64];
	const char *base;
	int dir = fs_root_parent(root, c->path, 1, &base), r;

	if (dir < 0)
		return fs_walk_error(c->path, errno);
	fs_journal_name(name, sizeof(name), i, "new");
	r = renameat(jfd, name, dir, base);
	if (r < 0)
		return error_at(c->path, 0, "cannot write: %s", strerror(errno));
	return 0;
}

/*
 * Make the renames and unlinks durable before the journal goes.  One
 * syncfs(2) of the tree's file system covers every directory that holds a
 * change (fsync'ing each of them cost one call per directory).
 */
static int commit_sync(struct fs_root *root, const struct plan *pl)
{
	if (pl->n && syncfs(fs_root_fd(root)) < 0)
		return error("cannot sync the tree: %s", strerror(errno));
	return 0;
}

/* ---- commit and recover ------------------------------------------------- */

static int commit_prepare(struct fs_root *root, int jfd, const struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++) {
		const struct fs_change *c = &pl->changes[i];
		/* the backup first: its copying fallback passes through "i.new" */
		if (pl->existed[i] &&
		    fs_journal_backup(root, jfd, i, c->path, pl->perm[i]) < 0)
			return -1;
		if (!c->deleted && fs_journal_stage(jfd, i, c, pl->perm[i]) < 0)
			return -1;
	}
	return fs_journal_write_list(root, jfd, pl);
}

static int commit_apply(struct fs_root *root, int jfd, const struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (pl->changes[i].deleted &&
		    apply_delete(root, &pl->changes[i]) < 0)
			return -1;
	for (i = 0; i < pl->n; i++)
		if (!pl->changes[i].deleted &&
		    apply_write(root, jfd, i, &pl->changes[i]) < 0)
			return -1;
	return 0;
}

static int journal_create(struct fs_root *root)
{
	int jfd;

	if (mkdirat(fs_root_fd(root), JOURNAL_DIR, 0700) < 0) {
		if (errno == EEXIST)
			return error("an interrupted run left " JOURNAL_DIR
				     " in the tree; run 'backport-tool apply "
				     "--recover' first");
		return error("cannot create " JOURNAL_DIR ": %s",
			     strerror(errno));
	}
	jfd = fs_journal_open(root);
	if (jfd < 0)
		return error("cannot open " JOURNAL_DIR ": %s",
			     strerror(errno));
	return jfd;
}

int fs_commit(struct fs_root *root, const struct fs_change *changes, size_t n,
	      const struct fs_commit_opts *opts)
{
	struct plan pl;
	int lock, jfd, ret, keep = 0;

	if (!n)
		return 0;
	if (plan_make(&pl, root, changes, n, opts) < 0) {
		plan_release(&pl);
		return -1;
	}
	lock = lock_tree(root);
	if (lock < 0) {
		plan_release(&pl);
		return -1;
	}
	jfd = journal_create(root);
	if (jfd < 0) {
		close(lock);
		plan_release(&pl);
		return -1;
	}
	ret = commit_prepare(root, jfd, &pl);
	if (!ret && (commit_apply(root, jfd, &pl) < 0 ||
		     commit_sync(root, &pl) < 0)) {
		ret = -1;
		if (fs_journal_undo(root, jfd) < 0) {
			error("could not undo the partial write; " JOURNAL_DIR
			      " is kept for 'backport-tool apply --recover'");
			keep = 1;
		}
	}
	if (!keep && fs_journal_remove(root, jfd) < 0)
		ret = -1;
	close(jfd);
	close(lock);
	plan_release(&pl);
	return ret;
}

int fs_recover(struct fs_root *root)
{
	int lock, jfd, ret;

	if (faccessat(fs_root_fd(root), JOURNAL_DIR, F_OK, AT_SYMLINK_NOFOLLOW) < 0 &&
	    errno == ENOENT)
		return 0;
	lock = lock_tree(root);
	if (lock < 0)
		return -1;
	/* opened under the lock: a commit that just finished took it away */
	jfd = fs_journal_open(root);
	if (jfd < 0) {
		int e = errno;
		close(lock);
		return e == ENOENT ? 0 : error(JOURNAL_DIR ": %s", strerror(e));
	}
	ret = fs_journal_undo(root, jfd);
	if (!ret)
		ret = fs_journal_remove(root, jfd);
	close(jfd);
	close(lock);
	return ret < 0 ? -1 : 1;
}
