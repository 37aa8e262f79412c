/*
 * tree.h - a target tree: the files a series is placed on.
 *
 * A tree is a read-only backing store (a directory on disk, or a git tree
 * read through libgit2 without a checkout) under an in-memory overlay.
 * Patches change only the overlay, so a dry run of a whole series against
 * several targets never touches the disk and later patches see earlier
 * ones.  Changes are grouped per patch: tree_begin() starts a patch,
 * tree_abort() forgets everything since, tree_keep() keeps it.  Only
 * tree_write_out() writes, and only for directory-backed trees.
 */
#ifndef BT_TREE_H
#define BT_TREE_H

#include <stddef.h>

/* Returned by tree_get() when the file does not exist in the tree. */
#define TREE_ENOENT 1

struct tree_file {
	const char *data; /* not NUL-terminated; may be NULL when len == 0 */
	size_t len;
	unsigned mode;    /* 0100644, 0100755, 0120000 (symlink), or in a
			     git tree 0160000: a submodule, whose data is
			     "Subproject commit <40 hex>\n" */
	const unsigned char *id; /* git's blob id of data (TREE_ID_LEN bytes)
				    when it is known without hashing: the
				    backend named it, tree_get_id worked
				    it out, or the series put the file by
				    id (tree_put_id); else NULL */
	unsigned long serial;    /* names this content while the tree holds
				    it, never another (tree_memo_take) */
};

#define TREE_ID_LEN 20

/*
 * A backing store.  read() fills a malloc'ed buffer (returned in *data) and
 * returns 0, TREE_ENOENT when the path is absent, or -1 after an error
 * message.  Paths are relative, '/'-separated, already validated.  id
 * (TREE_ID_LEN bytes, zero on entry) gets git's blob id of the content
 * where the backend knows it without hashing (a git tree), else stays zero.
 * A backend that names content by blob id may also give stat(), read()'s
 * answer without the content, and read_id(), a content by its id (0 or
 * -1); NULL otherwise.
 */
struct tree_backend {
	const char *kind; /* "dir", "git" */
	int (*read)(void *ctx, const char *path, char **data, size_t *len,
		    unsigned *mode, unsigned char *id);
	void (*free)(void *ctx);
	int (*stat)(void *ctx, const char *path, unsigned *mode,
		    unsigned char *id);
	int (*read_id)(void *ctx, const unsigned char *id, char **data,
		       size_t *len);
};

struct tree;

int tree_open_dir(struct tree **out, const char *name, const char *dir);
struct tree *tree_new(const char *name, const struct tree_backend *be,
		      void *ctx);
void tree_free(struct tree *t);

const char *tree_name(const struct tree *t);
/* The directory behind a "dir" tree, or NULL for other kinds. */
const char *tree_dir(const struct tree *t);

/* The backend context of t when be is its backend, else NULL. */
void *tree_backend_ctx(const struct tree *t, const struct tree_backend *be);

struct fs_root;
/* A "dir" tree's root (to lock or recover it), or NULL for other kinds. */
struct fs_root *tree_fs_root(struct tree *t);

/* The file as the series so far sees it: 0, TREE_ENOENT, or -1. */
int tree_get(struct tree *t, const char *path, struct tree_file *out);

/*
 * The git blob id (TREE_ID_LEN bytes) of the file as the series so far
 * sees it, and its mode (when mode is not NULL): the backend's where it
 * names it (not reading the content when it can stat), else its content
 * hashed as git hashes a blob, once for each content (a key for what is
 * worked out from it, not a proof against crafted input).  NULL when the
 * file does not exist, or after an error.  Valid until the file changes.
 */
const unsigned char *tree_get_id(struct tree *t, const char *path,
				 unsigned *mode);
/* The same where the id is known without hashing (the backend's, or
   one the series put or tree_get_id worked out), else NULL. */
const unsigned char *tree_peek_id(struct tree *t, const char *path,
				  unsigned *mode);

/* Replace (or create) a file in the overlay; takes ownership of data. */
void tree_put(struct tree *t, const char *path, char *data, size_t len,
	      unsigned mode);
/*
 * The same with the content git's blob id names (read from the backend
 * when first asked for): 0, or -1 when the backend cannot read by id
 * (nothing is changed then; tree_reads_ids says beforehand).
 */
int tree_reads_ids(const struct tree *t);
int tree_put_id(struct tree *t, const char *path, const unsigned char *id,
		unsigned mode);
void tree_delete(struct tree *t, const char *path);

/*
 * What a caller worked out from a content (tree_file.serial), kept with
 * the tree for the next ask while there is room (within a budget, the
 * least lately used freed first, by free_fn).  put takes ownership of p;
 * take gives it back to the caller, no longer kept (NULL: none).
 */
void *tree_memo_take(struct tree *t, unsigned long serial);
void tree_memo_put(struct tree *t, unsigned long serial, void *p,
		   size_t bytes, void (*free_fn)(void *));

void tree_begin(struct tree *t);
void tree_abort(struct tree *t);
void tree_keep(struct tree *t);
/*
 * Let go of what the tree keeps only to save work, between two passes
 * over it: the memos, and the backend's contents (read again when asked
 * for; the overlay's changes stay).  check's trees wait, full, while the
 * prerequisite search runs on trees of its own.  Not while a patch is open.
 */
void tree_drop_caches(struct tree *t);

/* Visit every path the overlay changed (kept changes only), sorted. */
typedef int (*tree_change_fn)(const char *path, const struct tree_file *f,
			      int deleted, void *data);
int tree_for_each_change(struct tree *t, tree_change_fn fn, void *data);

/*
 * Write every kept change to the directory: each file via a temporary file
 * and rename(2), never through a symlink; deletions remove the file and
 * directories left empty.  Returns 0 or -1.
 */
int tree_write_out(struct tree *t);

#endif
