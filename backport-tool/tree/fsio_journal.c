/*
 * fsio_journal.c - the journal that makes fs_commit() all-or-nothing: the
 * backups and staged files of a change set, its list, and undoing a commit
 * that was killed half-way (steps 2 and recovery in fsio.c).
 */
#include "tree/fsio_int.h"

#include <dirent.h>
#include <errno.h>
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
int fs_journal_stage(int jfd, size_t i, const struct fs_change *c,
			 mode_t perm)
{
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
		return 0;
	}
	fd = openat(jfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				       O_CLOEXEC,
		    c->mode == 0100755 ? 0777 : 0666);
	if (fd < 0)
		return error_at(c->path, 0, "cannot stage: %s", strerror(errno));
	/* no fsync here: journal_write_list syncs every staged file at once */
	if ((perm && fchmod(fd, stage_perm(perm, c->mode)) < 0) ||
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
			mode_t perm)
{
	struct fs_change old = { path, NULL, 0, 0, 0 };
	char *data;
	char name[64], staged[64];
	int r;

	if (fs_read(root, path, &data, &old.len, &old.mode) != 0)
		return error_at(path, 0, "cannot back up");
	old.data = data;
	r = fs_journal_stage(jfd, i, &old, perm);
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
			  mode_t perm)
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
int fs_journal_write_list(struct fs_root *root, int jfd, const struct plan *pl)
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
	if (fd < 0 || fs_write_all(fd, sb.buf, sb.len) < 0 || fsync(fd) < 0)
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
int fs_journal_remove(struct fs_root *root, int jfd)
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

int fs_journal_open(struct fs_root *root)
{
	return openat(fs_root_fd(root), JOURNAL_DIR,
		      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
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
	ret = fs_read_fd(fd, JOURNAL_DIR "/list", (size_t)st.st_size, &data, &len);
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

	fs_journal_name(name, sizeof(name), e->index, "new");
	if (!fstatat(jfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return 0; /* never renamed into the tree */
	dir = fs_root_parent(root, e->path, 0, &base);
	if (dir < 0)
		return errno == ENOENT ? 0 : fs_walk_error(e->path, errno);
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

	fs_journal_name(name, sizeof(name), e->index, "old");
	if (faccessat(jfd, name, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return 0; /* already restored */
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

int fs_journal_undo(struct fs_root *root, int jfd)
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
