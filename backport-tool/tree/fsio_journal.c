/*
 * fsio_journal.c - the journal that makes fs_commit() all-or-nothing: the
 * backups and staged files of a change set, its list, and undoing a commit
 * that was killed half-way (steps 2 and recovery in fsio.c).
 */
#include "tree/fsio_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the journal -------------------------------------------------------- */

void fs_journal_name(char *buf, size_t size, size_t i, const char *ext)
{
	snprintf(buf, size, "%zu.%s", i, ext);
}

/* The journal's entries; NULL (errno set) when it cannot be read. */
static DIR *journal_opendir(int jfd)
{
	/* not dup(): a duplicate shares the directory's read position */
	int dfd = openat(jfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;

	if (!d && dfd >= 0) {
		int e = errno;

		close(dfd);
		errno = e;
	}
	return d;
}

/*
 * The nonce names the journal's record (fsio_record.c).  It is the name of
 * an empty file, "nonce.HEX": durable with the journal's directory, and
 * no block to write back, nor to discard when it goes on a file system
 * mounted with "discard".  A journal of an earlier backport-tool keeps it
 * in a file "nonce".
 */
#define NONCE_PREFIX "nonce."

static int nonce_entry(const char *name)
{
	return !strcmp(name, "nonce") ||
	       !strncmp(name, NONCE_PREFIX, strlen(NONCE_PREFIX));
}

int fs_journal_nonce_create(int jfd, const char *nonce)
{
	char name[sizeof(NONCE_PREFIX) + FS_NONCE_LEN];
	int fd;

	snprintf(name, sizeof(name), NONCE_PREFIX "%s", nonce);
	fd = openat(jfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				       O_CLOEXEC, 0600);
	return fd < 0 || close(fd) < 0 ? -1 : 0;
}

/* The nonce of an earlier backport-tool's journal, from its file. */
static int nonce_read_file(int jfd, char *nonce)
{
	char *data;
	int r = fs_journal_read(jfd, "nonce", &data);

	if (r)
		return r;
	data[strcspn(data, "\n")] = '\0';
	if (strlen(data) == FS_NONCE_LEN)
		memcpy(nonce, data, FS_NONCE_LEN + 1);
	else
		r = error(JOURNAL_DIR "/nonce: not a journal file");
	free(data);
	return r;
}

int fs_journal_nonce(int jfd, char nonce[FS_NONCE_LEN + 1])
{
	DIR *d = journal_opendir(jfd);
	struct dirent *de;
	int found = 0;

	if (!d)
		return error("cannot read journal: %s", strerror(errno));
	while (found < 2 && (de = readdir(d))) {
		if (!strcmp(de->d_name, "nonce"))
			nonce[0] = '\0'; /* an earlier version's: in the file */
		else if (nonce_entry(de->d_name) &&
			 strlen(de->d_name) == strlen(NONCE_PREFIX) + FS_NONCE_LEN)
			memcpy(nonce, de->d_name + strlen(NONCE_PREFIX),
			       FS_NONCE_LEN + 1);
		else
			continue;
		found++;
	}
	closedir(d);
	if (found > 1)
		return error(JOURNAL_DIR ": more than one nonce");
	if (found && !nonce[0])
		return nonce_read_file(jfd, nonce);
	return found ? 0 : 1;
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
 * As GNU patch: a file root replaces keeps its owner and group (another
 * user's tree stays theirs).  Only root can give a file away.
 */
static int keep_owner(const struct stat *orig)
{
	return orig && geteuid() == 0 &&
	       (orig->st_uid != 0 || orig->st_gid != getegid());
}

/*
 * Stage change i's new content as "i.new" in the journal.  perm: the
 * permissions of the file it replaces, or 0 for a new file (umask rules).
 */
int fs_journal_stage(int jfd, size_t i, const struct fs_change *c,
			 const struct stat *orig)
{
	mode_t perm = orig && S_ISREG(orig->st_mode) ? orig->st_mode & 0777 : 0;
	char name[64];
	int fd;

	fs_journal_name(name, sizeof(name), i, "new");
	if (c->mode == 0120000) {
		char *target = xstrndup(c->data, c->len);
		int r = symlinkat(target, jfd, name);
		free(target);
		if (r < 0)
			return error_at(c->path, 0, "cannot stage symlink: %s",
					strerror(errno));
		if (keep_owner(orig) && fchownat(jfd, name, orig->st_uid,
						 orig->st_gid,
						 AT_SYMLINK_NOFOLLOW) < 0)
			return error_at(c->path, 0, "cannot keep its owner: %s",
					strerror(errno));
		return 0;
	}
	fd = openat(jfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				       O_CLOEXEC,
		    c->mode == 0100755 ? 0777 : 0666);
	if (fd < 0)
		return error_at(c->path, 0, "cannot stage: %s", strerror(errno));
	/* no fsync here: journal_write_list syncs every staged file at once;
	   the owner before the mode, as chown clears set-id bits */
	if ((keep_owner(orig) &&
	     fchown(fd, orig->st_uid, orig->st_gid) < 0) ||
	    (perm && fchmod(fd, stage_perm(perm, c->mode)) < 0) ||
	    fs_write_all(fd, c->data, c->len) < 0) {
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
			const struct stat *orig)
{
	struct fs_change old = { path, NULL, 0, 0, 0 };
	char *data;
	char name[64], staged[64];
	int r;

	if (fs_read(root, path, &data, &old.len, &old.mode) != 0)
		return error_at(path, 0, "cannot back up");
	old.data = data;
	r = fs_journal_stage(jfd, i, &old, orig);
	free(data);
	if (r < 0)
		return -1;
	fs_journal_name(staged, sizeof(staged), i, "new");
	fs_journal_name(name, sizeof(name), i, "old");
	if (renameat(jfd, staged, jfd, name) < 0)
		return error_at(path, 0, "cannot back up: %s", strerror(errno));
	return 0;
}

/* Hard-link change i's original as "i.old": the inode stays untouched. */
int fs_journal_backup(struct fs_root *root, int jfd, size_t i, const char *path,
			  const struct stat *orig)
{
	char name[64];
	const char *base;
	int dir = fs_root_parent(root, path, 0, &base), r, e;

	if (dir < 0)
		return fs_walk_error(path, errno);
	fs_journal_name(name, sizeof(name), i, "old");
	r = linkat(dir, base, jfd, name, 0);
	e = errno;
	if (r < 0 && e == EXDEV)
		return error_at(path, 0, "on another file system than the tree "
				"root; cannot write it atomically");
	if (r < 0 && (e == EPERM || e == EMLINK || e == ENOTSUP))
		return journal_copy(root, jfd, i, path, orig) < 0 ? -1 : 1;
	if (r < 0)
		return error_at(path, 0, "cannot back up: %s", strerror(e));
	return 0;
}

void fs_journal_list(const struct plan *pl, struct strbuf *sb)
{
	size_t i;

	sb_init(sb);
	sb_addstr(sb, JOURNAL_MAGIC "\n");
	sb_addf(sb, "nonce %s\n", pl->nonce);
	for (i = 0; i < pl->nmkdirs; i++)
		sb_addf(sb, "d %s\n", pl->mkdirs[i]);
	for (i = 0; i < pl->n; i++)
		sb_addf(sb, "c %zu %c%c %s\n", i, pl->existed[i] ? 'b' : 'n',
			pl->changes[i].deleted ? 'd' : 'w',
			pl->changes[i].path);
}

/*
 * Write "list" durably: the point from which the journal can undo.  One
 * syncfs(2), before the tree is touched, puts on disk the staged files,
 * the backups, the nonce, the journal's own entry in the tree root,
 * "list", and the journal's record when the cache shares the tree's file
 * system (fsio_record.c).  One syncfs costs what a single fsync does; one
 * fsync per file made apply a third slower, but syncfs also waits for
 * whatever else is unwritten there.  A crash before it completes may leave
 * a list cut short: recovery finds it a beginning of the record's list
 * (fsio_record.c) and discards the journal, as the tree was not touched.
 * A list on disk before the backups is harmless while they are hard links
 * (the original itself); a backup copied where hard links fail must be on
 * disk first, or undoing could put a torn copy over the original: then
 * one syncfs more, before the list is written.
 */
int fs_journal_write_list(struct fs_root *root, int jfd, const struct plan *pl)
{
	struct strbuf sb;
	int fd, ret = 0;

	if (pl->copied && syncfs(jfd) < 0)
		return error("cannot sync journal: %s", strerror(errno));
	fs_journal_list(pl, &sb);
	fd = openat(jfd, "list", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					 O_CLOEXEC, 0600);
	if (fd < 0 || fs_write_all(fd, sb.buf, sb.len) < 0)
		ret = error("cannot write journal: %s", strerror(errno));
	if (fd >= 0 && close(fd) < 0 && !ret)
		ret = error("cannot write journal: %s", strerror(errno));
	sb_release(&sb);
	if (!ret && syncfs(jfd) < 0)
		ret = error("cannot sync journal: %s", strerror(errno));
	return ret;
}

/* Remove every entry of the journal, then the journal itself. */
int fs_journal_remove(struct fs_root *root, int jfd)
{
	DIR *d = journal_opendir(jfd);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return error("cannot read journal: %s", strerror(errno));
	/*
	 * "list" first: once it is gone the journal undoes nothing; its
	 * removal is synced before the backups go, so that a crash cannot
	 * leave a list whose backups are missing.  A committed journal has
	 * "done" instead (synced by the commit): nothing to sync then.
	 */
	if (unlinkat(jfd, "list", 0) == 0)
		fsync(jfd);
	else if (errno != ENOENT)
		ret = error("cannot remove journal: %s", strerror(errno));
	/* "done" and the nonce last: a journal killed while it is removed
	   still says what it was (fs_recover_journal) */
	while (!ret && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, "done") || nonce_entry(de->d_name))
			continue;
		if (unlinkat(jfd, de->d_name, 0) < 0 && errno != ENOENT)
			ret = error("cannot remove journal entry %s: %s",
				    de->d_name, strerror(errno));
	}
	if (!ret && unlinkat(jfd, "done", 0) < 0 && errno != ENOENT)
		ret = error("cannot remove journal: %s", strerror(errno));
	rewinddir(d);
	while (!ret && (de = readdir(d)))
		if (nonce_entry(de->d_name) &&
		    unlinkat(jfd, de->d_name, 0) < 0 && errno != ENOENT)
			ret = error("cannot remove journal: %s", strerror(errno));
	closedir(d);
	if (!ret && unlinkat(fs_root_fd(root), JOURNAL_DIR, AT_REMOVEDIR) < 0)
		ret = error("cannot remove journal: %s", strerror(errno));
	/*
	 * Not synced: the record may go first (fs_record_remove), and a crash
	 * may then leave the journal without it.  Whatever of the journal
	 * comes back has nothing left to do -- "list" went with a sync above,
	 * "done" only once its commit was durable -- and recovery removes it
	 * unproven, having checked that (fs_journal_unfinished).
	 */
	return ret;
}

int fs_journal_empty(int jfd)
{
	DIR *d = journal_opendir(jfd);
	struct dirent *de;
	int empty = 1;

	if (!d)
		return 0;
	while (empty && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    !nonce_entry(de->d_name))
			empty = 0;
	closedir(d);
	return empty;
}

int fs_journal_open(struct fs_root *root)
{
	return openat(fs_root_fd(root), JOURNAL_DIR,
		      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

struct undo_entry {
	size_t index;
	int backed_up;
	int deleted;
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

/* A path of the list: checked, the problem said unless quiet. */
static int list_path(const char *path, long lineno, int quiet)
{
	if (quiet)
		return path_problem(path) ? -1 : 0;
	return path_check(path, JOURNAL_DIR "/list", lineno);
}

static int undo_parse_line(struct undo *u, const char *line, long lineno,
			   int quiet)
{
	size_t index;
	char flag, op;
	int pos = 0;

	if (!strncmp(line, "nonce ", 6))
		return 0;
	if (!strncmp(line, "d ", 2)) {
		if (list_path(line + 2, lineno, quiet) < 0)
			return -1;
		ALLOC_GROW(u->mkdirs, u->nmkdirs + 1, u->alloc_mkdirs);
		u->mkdirs[u->nmkdirs++] = xstrdup(line + 2);
		return 0;
	}
	if (sscanf(line, "c %zu %c%c %n", &index, &flag, &op, &pos) != 3 ||
	    !pos || (flag != 'b' && flag != 'n') || (op != 'd' && op != 'w'))
		return quiet ? -1 : error_at(JOURNAL_DIR "/list", lineno,
					     "malformed line");
	if (list_path(line + pos, lineno, quiet) < 0)
		return -1;
	ALLOC_GROW(u->v, u->n + 1, u->alloc);
	u->v[u->n].index = index;
	u->v[u->n].backed_up = flag == 'b';
	u->v[u->n].deleted = op == 'd';
	u->v[u->n].path = xstrdup(line + pos);
	u->n++;
	return 0;
}

/*
 * Parse a list whose record was checked (fs_journal_read), or, quiet, one
 * whose record is gone (fs_journal_unfinished): its problems unsaid.
 */
static int undo_parse_as(struct undo *u, const char *list, int quiet)
{
	char *data = xstrdup(list), *line, *next;
	long lineno = 1;
	int ret = 0;

	memset(u, 0, sizeof(*u));
	if (strncmp(data, JOURNAL_MAGIC "\n", strlen(JOURNAL_MAGIC) + 1)) {
		free(data);
		return quiet ? -1 : error_at(JOURNAL_DIR "/list", 1, "not a "
					     "journal: the first line is not '"
					     JOURNAL_MAGIC "'");
	}
	for (line = data + strlen(JOURNAL_MAGIC) + 1; !ret && *line;
	     line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		ret = undo_parse_line(u, line, ++lineno, quiet);
	}
	free(data);
	return ret;
}

static int undo_parse(struct undo *u, const char *list)
{
	return undo_parse_as(u, list, 0);
}

int fs_journal_read(int jfd, const char *name, char **out)
{
	int fd = openat(jfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	size_t len;
	int ret;

	*out = NULL;
	if (fd < 0)
		return errno == ENOENT ? 1 : error(JOURNAL_DIR "/%s: %s", name,
						   strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size > MAX_INPUT_SIZE) {
		close(fd);
		return error(JOURNAL_DIR "/%s: not a journal file", name);
	}
	ret = fs_read_fd(fd, name, (size_t)st.st_size, out, &len);
	close(fd);
	if (!ret && memchr(*out, '\0', len)) {
		free(*out);
		*out = NULL;
		return error(JOURNAL_DIR "/%s: not a journal file", name);
	}
	return ret;
}

void fs_journal_deleted(const char *list, struct fs_recovered *out)
{
	struct undo u;
	size_t i;

	if (undo_parse(&u, list) < 0)
		return;
	for (i = 0; i < u.n; i++)
		if (u.v[i].deleted) {
			ALLOC_GROW(out->deleted, out->ndeleted + 1, out->alloc);
			out->deleted[out->ndeleted++] = xstrdup(u.v[i].path);
		}
	undo_release(&u);
}

/* Was change e's "N.new" renamed into the tree?  (Still staged: no.) */
static int entry_staged(int jfd, const struct undo_entry *e)
{
	char name[64];
	struct stat st;

	fs_journal_name(name, sizeof(name), e->index, "new");
	return !fstatat(jfd, name, &st, AT_SYMLINK_NOFOLLOW);
}

/* Put change e back as it was; each step is idempotent. */
static int undo_new_file(struct fs_root *root, int jfd, const struct undo_entry *e)
{
	const char *base;
	int dir;

	if (entry_staged(jfd, e))
		return 0; /* never renamed into the tree */
	dir = fs_root_parent(root, e->path, 0, &base);
	if (dir < 0)
		return errno == ENOENT ? 0 : fs_walk_error(e->path, errno);
	if (unlinkat(dir, base, 0) < 0 && errno != ENOENT)
		return error_at(e->path, 0, "cannot undo: %s", strerror(errno));
	fsync(dir);
	return 0;
}

/* Was the file a change deletes still there (never unlinked)? */
static int entry_present(struct fs_root *root, const struct undo_entry *e)
{
	const char *base;
	struct stat st;
	int dir = fs_root_parent(root, e->path, 0, &base);

	return dir >= 0 && !fstatat(dir, base, &st, AT_SYMLINK_NOFOLLOW);
}

/*
 * Put an original back -- only where the commit replaced or deleted it:
 * a file whose new content is still staged, or a deleted file still in
 * place, was never touched (an immutable file refuses the rename, and
 * restoring it would fail the same way).
 */
static int undo_restore(struct fs_root *root, int jfd, const struct undo_entry *e)
{
	char name[64];
	const char *base;
	int dir;

	fs_journal_name(name, sizeof(name), e->index, "old");
	if (faccessat(jfd, name, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return 0; /* already restored */
	if (e->deleted ? entry_present(root, e) : entry_staged(jfd, e))
		return 0; /* never replaced */
	dir = fs_root_parent(root, e->path, 1, &base);
	if (dir < 0)
		return fs_walk_error(e->path, errno);
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

int fs_journal_undo(struct fs_root *root, int jfd, const char *list)
{
	struct undo u;
	int r = undo_parse(&u, list);

	if (!r)
		r = undo_run(root, jfd, &u);
	undo_release(&u);
	return r;
}

/* ---- finishing a commit a crash interrupted while "done" was synced ----- */

/* A regular file's bytes, opened from dir without following a link. */
static int read_at(int dir, const char *name, const char *path, char **data,
		   size_t *len)
{
	int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	int r = -1;

	if (fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size <= MAX_INPUT_SIZE)
		r = fs_read_fd(fd, path, (size_t)st.st_size, data, len);
	if (fd >= 0)
		close(fd);
	return r;
}

/*
 * Is the file at dir/base still the original change e deleted?  Its
 * backup is a hard link to it (the same inode) or, where the file system
 * has none, a copy (the same bytes).
 */
static int still_original(int jfd, const struct undo_entry *e, int dir,
			  const char *base)
{
	char name[64], *a = NULL, *b = NULL;
	struct stat old, cur;
	size_t alen, blen;
	int same;

	fs_journal_name(name, sizeof(name), e->index, "old");
	if (fstatat(jfd, name, &old, AT_SYMLINK_NOFOLLOW) < 0 ||
	    fstatat(dir, base, &cur, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (old.st_dev == cur.st_dev && old.st_ino == cur.st_ino)
		return 1;
	if (!S_ISREG(old.st_mode) || !S_ISREG(cur.st_mode) ||
	    old.st_size != cur.st_size)
		return 0;
	same = !read_at(jfd, name, e->path, &a, &alen) &&
	       !read_at(dir, base, e->path, &b, &blen) && alen == blen &&
	       !memcmp(a, b, alen);
	free(a);
	free(b);
	return same;
}

/* Delete change e's file if the crash kept it; idempotent. */
static int finish_delete(struct fs_root *root, int jfd, const struct undo_entry *e)
{
	const char *base;
	int dir = fs_root_parent(root, e->path, 0, &base);

	if (dir < 0)
		return errno == ENOENT ? 0 : fs_walk_error(e->path, errno);
	if (!still_original(jfd, e, dir, base))
		return 0;
	if (unlinkat(dir, base, 0) < 0 && errno != ENOENT)
		return error_at(e->path, 0, "cannot delete: %s", strerror(errno));
	fs_remove_empty_parents(root, e->path);
	return 0;
}

/* Rename change e's staged file into place if the crash kept it staged. */
static int finish_write(struct fs_root *root, int jfd, const struct undo_entry *e)
{
	char name[64];
	const char *base;
	int dir;

	if (!entry_staged(jfd, e))
		return 0;
	dir = fs_root_parent(root, e->path, 1, &base);
	if (dir < 0)
		return fs_walk_error(e->path, errno);
	fs_journal_name(name, sizeof(name), e->index, "new");
	if (renameat(jfd, name, dir, base) < 0)
		return error_at(e->path, 0, "cannot write: %s", strerror(errno));
	return 0;
}

/*
 * Is anything of a "done" journal left to finish?  1 yes (or its list
 * cannot be read), 0 no: every staged file was renamed into place and no
 * file to delete is still the original.  It only reads: recovery asks it
 * of a journal whose record is gone.
 */
int fs_journal_unfinished(struct fs_root *root, int jfd, const char *done)
{
	struct undo u;
	size_t i;
	/* quiet: its refusal is the one line to say */
	int left = undo_parse_as(&u, done, 1) ? 1 : 0;

	for (i = 0; !left && i < u.n; i++) {
		const struct undo_entry *e = &u.v[i];
		const char *base;
		int dir;

		if (!e->deleted) {
			left = entry_staged(jfd, e);
			continue;
		}
		dir = fs_root_parent(root, e->path, 0, &base);
		left = dir < 0 ? errno != ENOENT
			       : still_original(jfd, e, dir, base);
	}
	undo_release(&u);
	return left;
}

int fs_journal_finish(struct fs_root *root, int jfd, const char *done)
{
	struct undo u;
	size_t i;
	int r = undo_parse(&u, done);

	for (i = 0; !r && i < u.n; i++)
		if (u.v[i].deleted)
			r = finish_delete(root, jfd, &u.v[i]);
	for (i = 0; !r && i < u.n; i++)
		if (!u.v[i].deleted)
			r = finish_write(root, jfd, &u.v[i]);
	/* what was made again is durable before the journal goes */
	if (!r && syncfs(fs_root_fd(root)) < 0)
		r = error("cannot sync the tree: %s", strerror(errno));
	undo_release(&u);
	return r;
}
