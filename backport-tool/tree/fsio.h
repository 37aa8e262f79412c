/*
 * fsio.h - the only code that touches a target directory on disk.
 *
 * A patch is untrusted input, so every path it names is checked before use
 * (path_check), every file is reached from the tree's root one directory at
 * a time without following symlinks (fsroot.h), and a set of changes
 * is written all-or-nothing: a journal names each file's backup before the
 * first rename, so a run killed half-way is rolled back by the next one
 * (fs_recover_journal) and the tree equals either its old or its new
 * state.  Only a journal this program wrote for the tree is acted on.
 */
#ifndef BT_FSIO_H
#define BT_FSIO_H

#include <stddef.h>

#include "tree/fsroot.h"

/*
 * Refuse paths a patch must not name: empty, absolute, with "." or ".."
 * components, empty components, NUL or control characters, or longer than
 * PATH_MAX.  where/line locate the patch line for the message.  0 or -1.
 */
int path_check(const char *path, const char *where, long line);
/* the same check, quiet: why path is refused, or NULL */
const char *path_problem(const char *path);

/*
 * Read path below root without following any symlink on the way.  A
 * symlink as the final component is read as its target text (mode 0120000).
 * Returns 0, 1 (TREE_ENOENT) when absent, or -1 after an error (not a
 * regular file or symlink, a symlink in a leading component, I/O error).
 */
int fs_read(struct fs_root *root, const char *path, char **data, size_t *len,
	    unsigned *mode);

struct fs_change {
	const char *path;
	const char *data; /* new content; ignored when deleted */
	size_t len;
	unsigned mode;    /* 0100644, 0100755, or 0120000 (only with allow_symlinks) */
	int deleted;
};

struct fs_commit_opts {
	int allow_symlinks; /* write mode 0120000 entries as symlinks */
};

/*
 * Write all changes below root or none of them: temp files + rename(2),
 * never through a symlink, parents created as needed, directories left
 * empty by deletions removed.  Returns 0 or -1 (the tree is as it was).
 */
int fs_commit(struct fs_root *root, const struct fs_change *changes, size_t n,
	      const struct fs_commit_opts *opts);

/* What recovery found and did. */
enum fs_recovered_how {
	FS_RECOVERED_NOTHING = 0, /* no journal */
	FS_RECOVERED_EMPTY,       /* killed as it was made or removed */
	FS_RECOVERED_DISCARDED,   /* killed before the tree was touched */
	FS_RECOVERED_ROLLED_BACK, /* killed half-way: the old tree is back */
	FS_RECOVERED_FINISHED,    /* killed past the commit point: complete */
	FS_RECOVERED_FORCED,      /* an unproven journal removed (force) */
	FS_RECOVERED_LEFTOVER     /* one unproven but with nothing to act on */
};

struct fs_recovered {
	enum fs_recovered_how how;
	char **deleted;           /* FINISHED: the files the commit deleted */
	size_t ndeleted, alloc;
};

/*
 * Finish or roll back a commit that was interrupted (a journal left in the
 * tree), under the tree's lock.  Only a journal this program wrote for this
 * tree is acted on (its record, fsio_record.c); any other is refused and
 * left as it is, or with force removed without acting on it.  Fills out
 * (release it with fs_recovered_release); 0, or -1 after an error.
 */
int fs_recover_journal(struct fs_root *root, int force,
		       struct fs_recovered *out);
void fs_recovered_release(struct fs_recovered *r);

/* fs_recover_journal without force: 0 nothing done, 1 done, -1 error. */
int fs_recover(struct fs_root *root);

/* Is the tree half-written (a journal with its list)?  1 or 0. */
int fs_journal_pending(struct fs_root *root);

#endif
