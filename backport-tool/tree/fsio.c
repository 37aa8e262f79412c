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
 *  2. take the tree's lock (flock on its directory: one writer at a time;
 *     apply takes it before its first read, fsroot.h), write the record
 *     that will prove the journal ours, with the list of changes the plan
 *     makes (fsio_record.c), create the journal
 *     directory JOURNAL_DIR at the tree root, named by the record's
 *     nonce (an empty file, fs_journal_nonce_create),
 *     hard-link each original that will be replaced or deleted as "N.old"
 *     (a copy where the file system has no hard links), stage each new
 *     file as "N.new" (a replaced file keeps its permissions, and its owner
 *     when root writes it), then write the list of changes and the
 *     directories to create as "list", and sync it all: from now on the
 *     journal can undo everything (a list cut short by a crash is a
 *     beginning of the record's: the tree was not touched);
 *  3. apply: unlink deleted files (removing directories they leave empty),
 *     create missing parents, rename each "N.new" over its target;
 *  4. rename "list" to "done" and sync (the commit point: the changes
 *     and "done" durable together), remove the journal ("done" and the
 *     nonce last), then the record, neither waited for.
 *
 * fs_recover_journal() finds a journal left by a killed run and acts on it
 * only if its record proves it ours, for this tree: with "list", every
 * change that was made is undone (new files unlinked, created directories
 * removed, originals renamed back from "N.old" where the commit replaced or
 * deleted them); with "done" the commit had completed, and what a crash
 * during its sync lost is made again (a staged file still in the journal
 * renamed into place, a file to delete still the original unlinked)
 * before the journal is removed; with neither the tree was never touched.
 * Recovery is itself idempotent, so it may be killed and re-run.  BT_TEST_KILL_AT=N (tests
 * only) kills a commit after its step N (fs_commit_step).
 *
 * The journal lives inside the tree, so its contents are untrusted too: a
 * journal without its record is refused if it has anything to act on (a
 * "list", or a "done" with something left to finish), and even a proven
 * list's paths go through path_check() and the same no-follow walk.  One
 * with nothing to act on is only removed: what a crash can bring back of a
 * journal whose removal was not waited for, after its record went.
 *
 * Path checks and reads are fsio_path.c, the journal (step 2 and recovery)
 * fsio_journal.c; this file plans, applies and commits.
 */
#include "tree/fsio.h"
#include "tree/fsio_int.h"

#include <errno.h>
#include <signal.h>
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

/* Take the tree's lock: one writer or recoverer at a time.  0 or -1. */
static int lock_tree(struct fs_root *root)
{
	if (fs_root_lock(root) < 0)
		return errno == EWOULDBLOCK
			       ? error("another backport-tool is writing to "
				       "this tree")
			       : error("cannot lock the tree: %s",
				       strerror(errno));
	return 0;
}

void fs_commit_step(struct plan *pl)
{
	if (++pl->step == pl->kill_at)
		raise(SIGKILL);
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
	free(pl->st);
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
	pl->st[i] = st;
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
	pl->st = xcalloc(n, sizeof(*pl->st));
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

void fs_remove_empty_parents(struct fs_root *root, const char *path)
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
	fs_remove_empty_parents(root, c->path);
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
 * The commit point: "list" becomes "done", and one syncfs(2) of the tree's
 * file system makes it durable with every rename and unlink (one call for
 * all the directories that hold a change).  A crash during that sync may
 * keep "done" and lose some of the changes: recovery finishes them from
 * what the journal still holds (fs_journal_finish), the staged files
 * having been on disk since step 2.  Syncing the changes before "done",
 * and "done" before the backups go, would cost one wait more.
 */
static int commit_point(struct fs_root *root, int jfd, const struct plan *pl)
{
	if (renameat(jfd, "list", jfd, "done") < 0)
		return error("cannot finish the journal: %s", strerror(errno));
	if (syncfs(fs_root_fd(root)) < 0)
		return error("cannot sync the tree: %s", strerror(errno));
	return 0;
}

/* ---- commit and recover ------------------------------------------------- */

static int commit_prepare(struct fs_root *root, int jfd, struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++) {
		const struct fs_change *c = &pl->changes[i];
		const struct stat *orig = pl->existed[i] ? &pl->st[i] : NULL;
		/* the backup first: its copying fallback passes through "i.new" */
		int r = orig ? fs_journal_backup(root, jfd, i, c->path, orig) : 0;

		if (r < 0)
			return -1;
		pl->copied |= r;
		if (!c->deleted && fs_journal_stage(jfd, i, c, orig) < 0)
			return -1;
	}
	fs_commit_step(pl); /* staged, no list: the tree is untouched */
	if (fs_journal_write_list(root, jfd, pl) < 0)
		return -1;
	fs_commit_step(pl); /* the list: from here on it undoes */
	return 0;
}

static int commit_apply(struct fs_root *root, int jfd, struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++) {
		if (pl->changes[i].deleted &&
		    apply_delete(root, &pl->changes[i]) < 0)
			return -1;
		if (pl->changes[i].deleted)
			fs_commit_step(pl);
	}
	for (i = 0; i < pl->n; i++) {
		if (!pl->changes[i].deleted &&
		    apply_write(root, jfd, i, &pl->changes[i]) < 0)
			return -1;
		if (!pl->changes[i].deleted)
			fs_commit_step(pl);
	}
	return 0;
}

/* The journal directory and its nonce, which names the record. */
static int journal_create(struct fs_root *root, struct plan *pl)
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
	if (fs_journal_nonce_create(jfd, pl->nonce) < 0) {
		error("cannot write the nonce in " JOURNAL_DIR ": %s",
		      strerror(errno));
		fs_journal_remove(root, jfd);
		close(jfd);
		return -1;
	}
	fs_commit_step(pl); /* the journal exists, empty */
	return jfd;
}

/* Committed: the journal goes, then its record. */
static int commit_done(struct fs_root *root, int jfd, struct plan *pl)
{
	fs_commit_step(pl);
	if (fs_journal_remove(root, jfd) < 0)
		return -1;
	fs_commit_step(pl);
	fs_record_remove(pl->nonce);
	return 0;
}

/* Write the journal and apply it; on failure undo and remove it. */
static int commit_run(struct fs_root *root, struct plan *pl)
{
	struct strbuf list = STRBUF_INIT;
	int jfd, ret;

	if (fs_record_nonce(pl->nonce) < 0)
		return -1;
	fs_journal_list(pl, &list);
	ret = fs_record_new(root, pl->nonce, list.buf, list.len);
	sb_release(&list);
	if (ret < 0)
		return -1;
	jfd = journal_create(root, pl);
	if (jfd < 0) {
		fs_record_remove(pl->nonce);
		return -1;
	}
	fs_record_sweep(root, pl->nonce);
	ret = commit_prepare(root, jfd, pl);
	if (!ret && (commit_apply(root, jfd, pl) < 0 ||
		     commit_point(root, jfd, pl) < 0)) {
		ret = -1;
		fs_journal_list(pl, &list);
		/* a "done" not known durable goes back to undoing */
		if ((renameat(jfd, "done", jfd, "list") < 0 && errno != ENOENT) ||
		    fs_journal_undo(root, jfd, list.buf) < 0) {
			sb_release(&list);
			close(jfd);
			return error("could not undo the partial write; "
				     JOURNAL_DIR " is kept for 'backport-tool "
				     "apply --recover'");
		}
		sb_release(&list);
	}
	if (!ret)
		ret = commit_done(root, jfd, pl);
	else if (fs_journal_remove(root, jfd) == 0)
		fs_record_remove(pl->nonce);
	close(jfd);
	return ret;
}

int fs_commit(struct fs_root *root, const struct fs_change *changes, size_t n,
	      const struct fs_commit_opts *opts)
{
	const char *kill_at = getenv("BT_TEST_KILL_AT");
	struct plan pl;
	int ret = -1;
	int had_lock = fs_root_locked(root);

	if (!n)
		return 0;
	/* a writer that locked before reading keeps the lock; else it is
	   taken for the commit only */
	if (plan_make(&pl, root, changes, n, opts) == 0 &&
	    lock_tree(root) == 0) {
		pl.kill_at = kill_at ? atol(kill_at) : 0;
		ret = commit_run(root, &pl);
		if (!had_lock)
			fs_root_unlock(root);
	}
	plan_release(&pl);
	return ret;
}

/* ---- recovery ------------------------------------------------------------ */

int fs_journal_pending(struct fs_root *root)
{
	struct stat st;

	return !fstatat(fs_root_fd(root), JOURNAL_DIR "/list", &st,
			AT_SYMLINK_NOFOLLOW);
}

void fs_recovered_release(struct fs_recovered *r)
{
	size_t i;

	for (i = 0; i < r->ndeleted; i++)
		free(r->deleted[i]);
	free(r->deleted);
	memset(r, 0, sizeof(*r));
}

/*
 * Is the journal this program's, for this tree?  Its nonce names a record
 * outside the tree that holds the same list.  0 yes, 1 no, -1 error.
 */
static int journal_proven(struct fs_root *root, int jfd, const char *list)
{
	char nonce[FS_NONCE_LEN + 1];
	int r = fs_journal_nonce(jfd, nonce);

	return r ? r : fs_record_check(root, nonce, list,
				       list ? strlen(list) : 0);
}

/* Remove the record the journal's nonce names (after the journal). */
static void journal_forget(int jfd)
{
	char nonce[FS_NONCE_LEN + 1];

	if (!fs_journal_nonce(jfd, nonce))
		fs_record_remove(nonce);
}

/* The journal in jfd: act on it as its state says, if it is proven. */
static int recover_open(struct fs_root *root, int jfd, int force,
			struct fs_recovered *out)
{
	char *list = NULL, *done = NULL;
	int r = fs_journal_read(jfd, "list", &list), proven;

	if (r == 1)
		r = fs_journal_read(jfd, "done", &done);
	if (r < 0 && !force)
		return -1;
	proven = r < 0 ? 1 : journal_proven(root, jfd, list ? list : done);
	r = 0;
	if (proven == 2) { /* a list cut short: the tree was never touched */
		free(list);
		list = NULL;
		proven = 0;
	}
	if (proven < 0 && !force)
		r = -1;
	else if (proven && !force && !list &&
		 (!done || !fs_journal_unfinished(root, jfd, done)))
		out->how = FS_RECOVERED_LEFTOVER; /* see fs_journal_remove */
	else if (proven && !force)
		r = error(JOURNAL_DIR ": a journal this backport-tool did not "
			  "write for this tree; left untouched (inspect it, "
			  "or discard it: apply --recover --force)");
	else if (proven)
		out->how = FS_RECOVERED_FORCED;
	else if (list) {
		r = fs_journal_undo(root, jfd, list);
		out->how = FS_RECOVERED_ROLLED_BACK;
	} else if (done) {
		r = fs_journal_finish(root, jfd, done);
		fs_journal_deleted(done, out);
		out->how = FS_RECOVERED_FINISHED;
	} else {
		out->how = FS_RECOVERED_DISCARDED;
	}
	if (!r && !proven)
		journal_forget(jfd);
	if (!r)
		r = fs_journal_remove(root, jfd);
	free(list);
	free(done);
	return r;
}

int fs_recover_journal(struct fs_root *root, int force,
		       struct fs_recovered *out)
{
	int had_lock = fs_root_locked(root), jfd, ret = 0;

	memset(out, 0, sizeof(*out));
	if (faccessat(fs_root_fd(root), JOURNAL_DIR, F_OK, AT_SYMLINK_NOFOLLOW) < 0 &&
	    errno == ENOENT) {
		/* no journal: any record of this tree is stale (a run killed
		   after removing its journal); only a lock holder may say so */
		if (had_lock)
			fs_record_sweep(root, "");
		return 0;
	}
	if (lock_tree(root) < 0)
		return -1;
	/* opened under the lock: a commit that just finished took it away */
	jfd = fs_journal_open(root);
	if (jfd < 0 && errno != ENOENT)
		ret = error(JOURNAL_DIR ": %s", strerror(errno));
	/* killed as it was made or removed: nothing in it to act on */
	if (jfd >= 0 && fs_journal_empty(jfd)) {
		journal_forget(jfd);
		ret = fs_journal_remove(root, jfd);
		out->how = FS_RECOVERED_EMPTY;
	} else if (jfd >= 0)
		ret = recover_open(root, jfd, force, out);
	if (jfd >= 0)
		close(jfd);
	if (!had_lock)
		fs_root_unlock(root);
	return ret;
}

int fs_recover(struct fs_root *root)
{
	struct fs_recovered r;
	int ret = fs_recover_journal(root, 0, &r);

	if (!ret && r.how != FS_RECOVERED_NOTHING)
		ret = 1;
	fs_recovered_release(&r);
	return ret;
}
