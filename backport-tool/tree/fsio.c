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
 */
#include "tree/fsio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree/tree.h"
#include "util.h"

#define JOURNAL_DIR ".backport-tool-journal"
#define JOURNAL_MAGIC "backport-tool journal 1"

/* ---- path checks -------------------------------------------------------- */

/* Quote a path for a one-line message: control bytes as \ooo. */
static const char *path_quote(struct strbuf *sb, const char *path)
{
	const unsigned char *p;

	sb_init(sb);
	for (p = (const unsigned char *)path; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			sb_addf(sb, "\\%03o", *p);
		else
			sb_addch(sb, *p);
	}
	return sb->buf;
}

static int path_refuse(const char *path, const char *where, long line,
		       const char *why)
{
	struct strbuf q;

	error_at(where, line, "unsafe path '%s': %s", path_quote(&q, path),
		 why);
	sb_release(&q);
	return -1;
}

static int component_is(const char *c, size_t len, const char *name)
{
	return strlen(name) == len && !strncmp(c, name, len);
}

int path_check(const char *path, const char *where, long line)
{
	const char *c, *end;
	size_t len;

	if (!path || !*path)
		return error_at(where, line, "unsafe path '': empty path");
	for (c = path; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return path_refuse(path, where, line,
					   "control character in path");
	if (strlen(path) >= PATH_MAX)
		return path_refuse(path, where, line, "path too long");
	if (*path == '/')
		return path_refuse(path, where, line, "absolute path");
	for (c = path; ; c = end + 1) {
		end = strchrnul(c, '/');
		len = (size_t)(end - c);
		if (!len)
			return path_refuse(path, where, line,
					   "empty path component");
		if (component_is(c, len, ".."))
			return path_refuse(path, where, line,
					   "'..' component");
		if (component_is(c, len, "."))
			return path_refuse(path, where, line,
					   "'.' component");
		if (len == 4 && !strncasecmp(c, ".git", 4))
			return path_refuse(path, where, line,
					   "inside a .git directory");
		if (c == path && component_is(c, len, JOURNAL_DIR))
			return path_refuse(path, where, line,
					   "backport-tool's own journal");
		if (!*end)
			break;
	}
	return 0;
}

/* ---- reading below the root without following symlinks ---------------- */

static int walk_error(const char *path, int err)
{
	if (err == ELOOP)
		return error_at(path, 0, "a leading component is a symlink, "
				"refusing to follow it");
	if (err == ENOTDIR)
		return error_at(path, 0, "a leading component is not a "
				"directory");
	return error_at(path, 0, "%s", strerror(err));
}

static unsigned mode_of(const struct stat *st)
{
	if (S_ISLNK(st->st_mode))
		return 0120000;
	return (st->st_mode & 0111) ? 0100755 : 0100644;
}

static int read_link(int dir, const char *base, const char *path,
		     const struct stat *st, char **data, size_t *len)
{
	size_t size = st->st_size > 0 ? (size_t)st->st_size : PATH_MAX;
	char *buf = xmalloc(size + 1);
	ssize_t n = readlinkat(dir, base, buf, size + 1);

	if (n < 0 || (size_t)n > size) {
		free(buf);
		return error_at(path, 0, "cannot read symlink: %s",
				n < 0 ? strerror(errno) : "changed while read");
	}
	buf[n] = '\0';
	*data = buf;
	*len = (size_t)n;
	return 0;
}

static int read_fd(int fd, const char *path, size_t size, char **data,
		   size_t *len)
{
	char *buf = xmalloc(size + 1);
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return error_at(path, 0, "read error: %s",
					n < 0 ? strerror(errno) :
						"file shrank while read");
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

static int read_regular(int dir, const char *base, const char *path,
			char **data, size_t *len, unsigned *mode)
{
	struct stat st;
	int fd, ret;

	/* O_NONBLOCK: a fifo swapped in after the lstat must not hang us. */
	fd = openat(dir, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return error_at(path, 0, "%s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return error_at(path, 0, "not a regular file");
	}
	if ((unsigned long long)st.st_size > MAX_INPUT_SIZE) {
		close(fd);
		return error_at(path, 0, "larger than %zu bytes, refused",
				MAX_INPUT_SIZE);
	}
	ret = read_fd(fd, path, (size_t)st.st_size, data, len);
	close(fd);
	if (!ret)
		*mode = mode_of(&st);
	return ret;
}

int fs_read(struct fs_root *root, const char *path, char **data, size_t *len,
	    unsigned *mode)
{
	const char *base;
	struct stat st;
	int dir, ret;

	dir = fs_root_parent(root, path, 0, &base);
	if (dir < 0)
		return errno == ENOENT ? TREE_ENOENT : walk_error(path, errno);
	if (fstatat(dir, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		return errno == ENOENT ? TREE_ENOENT : error_at(path, 0, "%s",
							strerror(errno));
	}
	if (S_ISLNK(st.st_mode)) {
		ret = read_link(dir, base, path, &st, data, len);
		if (!ret)
			*mode = 0120000;
	} else if (S_ISREG(st.st_mode)) {
		ret = read_regular(dir, base, path, data, len, mode);
	} else {
		ret = error_at(path, 0, "not a regular file");
	}
	return ret;
}

/* ---- small helpers ------------------------------------------------------ */

static int write_all(int fd, const char *data, size_t len)
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

/* ---- checking a change set against the disk ----------------------------- */

struct plan {
	const struct fs_change *changes;
	size_t n;
	size_t *order;    /* indices sorted by path */
	int *existed;     /* the target exists now */
	mode_t *perm;     /* its permission bits, when a regular file */
	char **mkdirs;    /* directories to create, parents first */
	size_t nmkdirs, alloc_mkdirs;
};

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
		return walk_error(c->path, errno);
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

/* ---- the journal -------------------------------------------------------- */

static void journal_name(char *buf, size_t size, size_t i, const char *ext)
{
	snprintf(buf, size, "%zu.%s", i, ext);
}

/*
 * The permissions a replaced file keeps: its own (a private 0600 file
 * stays private), with the executable bits set or cleared as mode says.
 */
static mode_t stage_perm(mode_t orig, unsigned mode)
{
	if (mode == 0100755 && !(orig & 0111))
		orig |= (orig & 0444) >> 2;
	if (mode == 0100644)
		orig &= ~(mode_t)0111;
	return orig;
}

/*
 * Stage change i's new content as "i.new" in the journal.  perm: the
 * permissions of the file it replaces, or 0 for a new file (umask rules).
 */
static int journal_stage(int jfd, size_t i, const struct fs_change *c,
			 mode_t perm)
{
	char name[64];
	int fd;

	journal_name(name, sizeof(name), i, "new");
	if (c->mode == 0120000) {
		char *target = xstrndup(c->data, c->len);
		int r = symlinkat(target, jfd, name);
		free(target);
		if (r < 0)
			return error_at(c->path, 0, "cannot stage symlink: %s",
					strerror(errno));
		return 0;
	}
	fd = openat(jfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				       O_CLOEXEC,
		    c->mode == 0100755 ? 0777 : 0666);
	if (fd < 0)
		return error_at(c->path, 0, "cannot stage: %s", strerror(errno));
	/* no fsync here: journal_write_list syncs every staged file at once */
	if ((perm && fchmod(fd, stage_perm(perm, c->mode)) < 0) ||
	    write_all(fd, c->data, c->len) < 0) {
		int e = errno;
		close(fd);
		return error_at(c->path, 0, "cannot stage: %s", strerror(e));
	}
	if (close(fd) < 0)
		return error_at(c->path, 0, "cannot stage: %s", strerror(errno));
	return 0;
}

/* Copy path's original to "i.old", for file systems without hard links. */
static int journal_copy(struct fs_root *root, int jfd, size_t i, const char *path,
			mode_t perm)
{
	struct fs_change old = { path, NULL, 0, 0, 0 };
	char *data;
	char name[64], staged[64];
	int r;

	if (fs_read(root, path, &data, &old.len, &old.mode) != 0)
		return error_at(path, 0, "cannot back up");
	old.data = data;
	r = journal_stage(jfd, i, &old, perm);
	free(data);
	if (r < 0)
		return -1;
	journal_name(staged, sizeof(staged), i, "new");
	journal_name(name, sizeof(name), i, "old");
	if (renameat(jfd, staged, jfd, name) < 0)
		return error_at(path, 0, "cannot back up: %s", strerror(errno));
	return 0;
}

/* Hard-link change i's original as "i.old": the inode stays untouched. */
static int journal_backup(struct fs_root *root, int jfd, size_t i, const char *path,
			  mode_t perm)
{
	char name[64];
	const char *base;
	int dir = fs_root_parent(root, path, 0, &base), r, e;

	if (dir < 0)
		return walk_error(path, errno);
	journal_name(name, sizeof(name), i, "old");
	r = linkat(dir, base, jfd, name, 0);
	e = errno;
	if (r < 0 && e == EXDEV)
		return error_at(path, 0, "on another file system than the tree "
				"root; cannot write it atomically");
	if (r < 0 && (e == EPERM || e == EMLINK || e == ENOTSUP))
		return journal_copy(root, jfd, i, path, perm);
	if (r < 0)
		return error_at(path, 0, "cannot back up: %s", strerror(e));
	return 0;
}

static void journal_list(const struct plan *pl, struct strbuf *sb)
{
	size_t i;

	sb_init(sb);
	sb_addstr(sb, JOURNAL_MAGIC "\n");
	for (i = 0; i < pl->nmkdirs; i++)
		sb_addf(sb, "d %s\n", pl->mkdirs[i]);
	for (i = 0; i < pl->n; i++)
		sb_addf(sb, "c %zu %c %s\n", i, pl->existed[i] ? 'b' : 'n',
			pl->changes[i].path);
}

/* Write "list" durably: the point from which the journal can undo. */
static int journal_write_list(struct fs_root *root, int jfd, const struct plan *pl)
{
	struct strbuf sb;
	int fd, ret = 0;

	journal_list(pl, &sb);
	/*
	 * The staged files and backups must be on disk before "list" says
	 * they are: one syncfs(2) for all of them costs what a single fsync
	 * does, where one fsync per file made apply a third slower.
	 */
	if (syncfs(jfd) < 0) {
		sb_release(&sb);
		return error("cannot sync journal: %s", strerror(errno));
	}
	fd = openat(jfd, "list.tmp", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					     O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, sb.buf, sb.len) < 0 || fsync(fd) < 0)
		ret = error("cannot write journal: %s", strerror(errno));
	if (fd >= 0 && close(fd) < 0 && !ret)
		ret = error("cannot write journal: %s", strerror(errno));
	sb_release(&sb);
	if (!ret && renameat(jfd, "list.tmp", jfd, "list") < 0)
		ret = error("cannot write journal: %s", strerror(errno));
	if (!ret && (fsync(jfd) < 0 || fsync(fs_root_fd(root)) < 0))
		ret = error("cannot sync journal: %s", strerror(errno));
	return ret;
}

/* Remove every entry of the journal, then the journal itself. */
static int journal_remove(struct fs_root *root, int jfd)
{
	int dfd = dup(jfd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;
	int ret = 0;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return error("cannot read journal: %s", strerror(errno));
	}
	/* "list" first: once it is gone the journal undoes nothing. */
	if (unlinkat(jfd, "list", 0) < 0 && errno != ENOENT)
		ret = error("cannot remove journal: %s", strerror(errno));
	else
		fsync(jfd);
	while (!ret && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(jfd, de->d_name, 0) < 0 && errno != ENOENT)
			ret = error("cannot remove journal entry %s: %s",
				    de->d_name, strerror(errno));
	}
	closedir(d);
	if (!ret && unlinkat(fs_root_fd(root), JOURNAL_DIR, AT_REMOVEDIR) < 0)
		ret = error("cannot remove journal: %s", strerror(errno));
	if (!ret)
		fsync(fs_root_fd(root));
	return ret;
}

static int journal_open(struct fs_root *root)
{
	return openat(fs_root_fd(root), JOURNAL_DIR,
		      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
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
		return walk_error(c->path, errno);
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
		return walk_error(c->path, errno);
	journal_name(name, sizeof(name), i, "new");
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

struct undo_entry {
	size_t index;
	int backed_up;
	char *path;
};

struct undo {
	char **mkdirs;
	size_t nmkdirs, alloc_mkdirs;
	struct undo_entry *v;
	size_t n, alloc;
};

static void undo_release(struct undo *u)
{
	size_t i;

	for (i = 0; i < u->nmkdirs; i++)
		free(u->mkdirs[i]);
	for (i = 0; i < u->n; i++)
		free(u->v[i].path);
	free(u->mkdirs);
	free(u->v);
}

static int undo_parse_line(struct undo *u, const char *line, long lineno)
{
	size_t index;
	char flag;
	int pos = 0;

	if (!strncmp(line, "d ", 2)) {
		if (path_check(line + 2, JOURNAL_DIR "/list", lineno) < 0)
			return -1;
		ALLOC_GROW(u->mkdirs, u->nmkdirs + 1, u->alloc_mkdirs);
		u->mkdirs[u->nmkdirs++] = xstrdup(line + 2);
		return 0;
	}
	if (sscanf(line, "c %zu %c %n", &index, &flag, &pos) != 2 || !pos ||
	    (flag != 'b' && flag != 'n'))
		return error_at(JOURNAL_DIR "/list", lineno, "malformed line");
	if (path_check(line + pos, JOURNAL_DIR "/list", lineno) < 0)
		return -1;
	ALLOC_GROW(u->v, u->n + 1, u->alloc);
	u->v[u->n].index = index;
	u->v[u->n].backed_up = flag == 'b';
	u->v[u->n].path = xstrdup(line + pos);
	u->n++;
	return 0;
}

static int undo_read(struct undo *u, int jfd)
{
	int fd = openat(jfd, "list", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char *data, *line, *next;
	size_t len;
	long lineno = 1;
	int ret = 0;

	memset(u, 0, sizeof(*u));
	if (fd < 0)
		return errno == ENOENT ? 1 : error("cannot read journal: %s",
						   strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size > MAX_INPUT_SIZE) {
		close(fd);
		return error(JOURNAL_DIR "/list: not a journal");
	}
	ret = read_fd(fd, JOURNAL_DIR "/list", (size_t)st.st_size, &data, &len);
	close(fd);
	if (ret)
		return -1;
	if (strncmp(data, JOURNAL_MAGIC "\n", strlen(JOURNAL_MAGIC) + 1) ||
	    memchr(data, '\0', len)) {
		free(data);
		return error(JOURNAL_DIR "/list: not a journal");
	}
	for (line = data + strlen(JOURNAL_MAGIC) + 1; !ret && *line;
	     line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		ret = undo_parse_line(u, line, ++lineno);
	}
	free(data);
	return ret;
}

/* Put change e back as it was; each step is idempotent. */
static int undo_new_file(struct fs_root *root, int jfd, const struct undo_entry *e)
{
	char name[64];
	const char *base;
	struct stat st;
	int dir;

	journal_name(name, sizeof(name), e->index, "new");
	if (!fstatat(jfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return 0; /* never renamed into the tree */
	dir = fs_root_parent(root, e->path, 0, &base);
	if (dir < 0)
		return errno == ENOENT ? 0 : walk_error(e->path, errno);
	if (unlinkat(dir, base, 0) < 0 && errno != ENOENT)
		return error_at(e->path, 0, "cannot undo: %s", strerror(errno));
	fsync(dir);
	return 0;
}

static int undo_restore(struct fs_root *root, int jfd, const struct undo_entry *e)
{
	char name[64];
	const char *base;
	int dir;

	journal_name(name, sizeof(name), e->index, "old");
	if (faccessat(jfd, name, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return 0; /* already restored */
	dir = fs_root_parent(root, e->path, 1, &base);
	if (dir < 0)
		return walk_error(e->path, errno);
	if (renameat(jfd, name, dir, base) < 0)
		return error_at(e->path, 0, "cannot restore: %s",
				strerror(errno));
	fsync(dir);
	return 0;
}

static void undo_rmdir(struct fs_root *root, const char *path)
{
	const char *base;
	int dir = fs_root_parent(root, path, 0, &base);

	if (dir < 0)
		return;
	if (!unlinkat(dir, base, AT_REMOVEDIR)) {
		fsync(dir);
		fs_root_forget(root, path, strlen(path));
	}
}

/* New files out, created directories out, originals back. */
static int undo_run(struct fs_root *root, int jfd, const struct undo *u)
{
	size_t i;
	int ret = 0;

	for (i = u->n; i-- > 0;)
		if (!u->v[i].backed_up && undo_new_file(root, jfd, &u->v[i]) < 0)
			ret = -1;
	for (i = u->nmkdirs; i-- > 0;)
		undo_rmdir(root, u->mkdirs[i]);
	for (i = u->n; i-- > 0;)
		if (u->v[i].backed_up && undo_restore(root, jfd, &u->v[i]) < 0)
			ret = -1;
	return ret;
}

static int journal_undo(struct fs_root *root, int jfd)
{
	struct undo u;
	int r = undo_read(&u, jfd);

	if (r == 1)
		return 0; /* no list: the tree was not touched, or is complete */
	if (!r)
		r = undo_run(root, jfd, &u);
	undo_release(&u);
	return r;
}

/* ---- commit and recover ------------------------------------------------- */

static int commit_prepare(struct fs_root *root, int jfd, const struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++) {
		const struct fs_change *c = &pl->changes[i];
		/* the backup first: its copying fallback passes through "i.new" */
		if (pl->existed[i] &&
		    journal_backup(root, jfd, i, c->path, pl->perm[i]) < 0)
			return -1;
		if (!c->deleted && journal_stage(jfd, i, c, pl->perm[i]) < 0)
			return -1;
	}
	return journal_write_list(root, jfd, pl);
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
	jfd = journal_open(root);
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
		if (journal_undo(root, jfd) < 0) {
			error("could not undo the partial write; " JOURNAL_DIR
			      " is kept for 'backport-tool apply --recover'");
			keep = 1;
		}
	}
	if (!keep && journal_remove(root, jfd) < 0)
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
	jfd = journal_open(root);
	if (jfd < 0) {
		int e = errno;
		close(lock);
		return e == ENOENT ? 0 : error(JOURNAL_DIR ": %s", strerror(e));
	}
	ret = journal_undo(root, jfd);
	if (!ret)
		ret = journal_remove(root, jfd);
	close(jfd);
	close(lock);
	return ret < 0 ? -1 : 1;
}
