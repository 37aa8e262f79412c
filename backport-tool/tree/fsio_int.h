/*
 * fsio_int.h - what the fsio*.c files share: the checked plan of a change
 * set and the journal's name and format (see fsio.c).
 */
#ifndef BT_FSIO_INT_H
#define BT_FSIO_INT_H

#include <sys/types.h>
#include "tree/fsio.h"
#include "util.h"

#define JOURNAL_DIR ".backport-tool-journal"

#define JOURNAL_MAGIC "backport-tool journal 1"

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

/* fsio.c */
int fs_write_all(int fd, const char *data, size_t len);
/* fsio_path.c */
int fs_walk_error(const char *path, int err);
int fs_read_fd(int fd, const char *path, size_t size, char **data,
		   size_t *len);
/* fsio_journal.c */
void fs_journal_name(char *buf, size_t size, size_t i, const char *ext);
int fs_journal_stage(int jfd, size_t i, const struct fs_change *c,
			 mode_t perm);
int fs_journal_backup(struct fs_root *root, int jfd, size_t i, const char *path,
			  mode_t perm);
int fs_journal_write_list(struct fs_root *root, int jfd, const struct plan *pl);
int fs_journal_remove(struct fs_root *root, int jfd);
int fs_journal_open(struct fs_root *root);
int fs_journal_undo(struct fs_root *root, int jfd);

#endif
