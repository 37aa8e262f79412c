/*
 * fsio_int.h - what the fsio*.c files share: the checked plan of a change
 * set and the journal's name and format (see fsio.c).
 */
#ifndef BT_FSIO_INT_H
#define BT_FSIO_INT_H

#include <sys/stat.h>
#include <sys/types.h>
#include "tree/fsio.h"
#include "util.h"

#define JOURNAL_DIR ".backport-tool-journal"

#define JOURNAL_MAGIC "backport-tool journal 2"

/* hex digits of a journal's nonce (fsio_record.c) */
#define FS_NONCE_LEN 32

/* ---- checking a change set against the disk ----------------------------- */

struct plan {
	const struct fs_change *changes;
	size_t n;
	size_t *order;    /* indices sorted by path */
	int *existed;     /* the target exists now */
	struct stat *st;  /* then its lstat: permissions and owner kept */
	char **mkdirs;    /* directories to create, parents first */
	size_t nmkdirs, alloc_mkdirs;
	char nonce[FS_NONCE_LEN + 1]; /* names the record (fsio_record.c) */
	int copied;       /* a backup is a copy, not a hard link */
	long step, kill_at; /* BT_TEST_KILL_AT: die at that step (tests) */
};

/* A journal step done: the test hook BT_TEST_KILL_AT=N dies at step N. */
void fs_commit_step(struct plan *pl);

/* fsio.c */
int fs_write_all(int fd, const char *data, size_t len);
/* after path was deleted: its directories, deepest first, while empty */
void fs_remove_empty_parents(struct fs_root *root, const char *path);
/* fsio_path.c */
int fs_walk_error(const char *path, int err);
int fs_read_fd(int fd, const char *path, size_t size, char **data,
		   size_t *len);
/* fsio_journal.c */
void fs_journal_name(char *buf, size_t size, size_t i, const char *ext);
int fs_journal_stage(int jfd, size_t i, const struct fs_change *c,
			 const struct stat *orig);
/* 0 linked, 1 copied (no hard links there), -1 error */
int fs_journal_backup(struct fs_root *root, int jfd, size_t i, const char *path,
			  const struct stat *orig);
void fs_journal_list(const struct plan *pl, struct strbuf *sb);
int fs_journal_write_list(struct fs_root *root, int jfd, const struct plan *pl);
int fs_journal_remove(struct fs_root *root, int jfd);
int fs_journal_open(struct fs_root *root);
/* nothing in the journal but its nonce: nothing to act on */
int fs_journal_empty(int jfd);
/* the journal's nonce, an empty file named by it: 0, 1 absent, -1 error */
int fs_journal_nonce_create(int jfd, const char *nonce);
int fs_journal_nonce(int jfd, char nonce[FS_NONCE_LEN + 1]);
int fs_journal_undo(struct fs_root *root, int jfd, const char *list);
/* 1 when a "done" journal has something left to finish, 0 not */
int fs_journal_unfinished(struct fs_root *root, int jfd, const char *done);
/* make what a "done" journal's sync may have lost: the commit complete */
int fs_journal_finish(struct fs_root *root, int jfd, const char *done);
/* "list" or "done" read whole into *out (1: absent), or the nonce */
int fs_journal_read(int jfd, const char *name, char **out);
/* the paths a finished journal deleted, into out */
void fs_journal_deleted(const char *list, struct fs_recovered *out);
/* fsio_record.c */
int fs_record_nonce(char *nonce);
/* the record of a journal whose list will be list (durable on return, or
   with the journal's sync when it shares the tree's file system) */
int fs_record_new(struct fs_root *root, const char *nonce, const char *list,
		  size_t len);
/* 0: the record proves the journal (and its list, unless NULL); 2: the
   list is a beginning of the record's, cut short while written; 1: not */
int fs_record_check(struct fs_root *root, const char *nonce, const char *list,
		    size_t len);
void fs_record_remove(const char *nonce);
void fs_record_sweep(struct fs_root *root, const char *keep);

#endif
