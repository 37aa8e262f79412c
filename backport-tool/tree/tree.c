/*
 * tree.c - a target tree: a read-only backing store under an in-memory
 * overlay, with per-patch transactions.
 *
 * Every path the series touches gets one entry in a hash table.  An entry
 * caches what the backend holds (read at most once per run) and, once a
 * patch changed it, the overlay's state.  tree_begin() starts an undo log;
 * each change appends the entry's previous overlay state to it, so
 * tree_abort() and tree_keep() cost as much as the patch changed, not as
 * much as the tree holds.  Nothing here touches the disk but the "dir"
 * backend (through fsio.h) and tree_write_out().
 */
#include "tree/tree.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tree/fsio.h"
#include "tree/tree_memo.h"
#include "tree/worktree_int.h"
#include "util.h"

struct entry {
	char *path;
	/* what the backend holds, once asked: whether it exists, its mode
	   and id (base_known), its content (base_loaded; a backend that can
	   stat is read only when the content is asked for) */
	unsigned base_known : 1;
	unsigned base_loaded : 1;
	unsigned base_exists : 1;
	char *base_data;
	size_t base_len;
	unsigned base_mode;
	unsigned base_has_id : 1;
	unsigned char base_id[TREE_ID_LEN];
	unsigned long base_serial, serial; /* the base's and the overlay's
					      content (tree_file.serial) */
	/* the overlay: valid when changed */
	unsigned changed : 1;
	unsigned deleted : 1;
	unsigned has_id : 1; /* id is data's blob id (tree_get_id) */
	unsigned id_only : 1; /* put by id (tree_put_id): data not read yet */
	char *data;
	size_t len;
	unsigned mode;
	unsigned char id[TREE_ID_LEN];
	/* index of this entry's first undo record in the open patch, or -1 */
	long first_undo;
};

/* The overlay state of an entry before a change, for tree_abort(). */
struct undo {
	struct entry *e;
	unsigned changed : 1;
	unsigned deleted : 1;
	unsigned has_id : 1;
	unsigned id_only : 1;
	char *data;
	size_t len;
	unsigned mode;
	unsigned char id[TREE_ID_LEN];
	unsigned long serial;
};

struct tree {
	char *name;
	const struct tree_backend *be;
	void *ctx;
	struct entry **slots; /* open addressing, power of two */
	size_t nslots, nentries;
	struct undo *log;
	size_t nlog, alloc_log;
	int open; /* between tree_begin() and tree_keep()/tree_abort() */
	unsigned long serial; /* the last content's (tree_file.serial) */
	struct tree_memos memos; /* tree_memo.c */
};

/* ------------------------------------------------------------------ */
/* The path table                                                     */

static uint64_t path_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static void table_grow(struct tree *t)
{
	struct entry **old = t->slots;
	size_t i, n = t->nslots;

	t->nslots = n ? n * 2 : 64;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	for (i = 0; i < n; i++) {
		size_t j;

		if (!old[i])
			continue;
		j = path_hash(old[i]->path) & (t->nslots - 1);
		while (t->slots[j])
			j = (j + 1) & (t->nslots - 1);
		t->slots[j] = old[i];
	}
	free(old);
}

/* The entry for path, created when create is set; NULL otherwise. */
static struct entry *table_find(struct tree *t, const char *path, int create)
{
	size_t j;

	if ((t->nentries + 1) * 4 > t->nslots * 3)
		table_grow(t);
	j = path_hash(path) & (t->nslots - 1);
	while (t->slots[j]) {
		if (!strcmp(t->slots[j]->path, path))
			return t->slots[j];
		j = (j + 1) & (t->nslots - 1);
	}
	if (!create)
		return NULL;
	t->slots[j] = xcalloc(1, sizeof(struct entry));
	t->slots[j]->path = xstrdup(path);
	t->slots[j]->first_undo = -1;
	t->nentries++;
	return t->slots[j];
}

static void entry_free(struct entry *e)
{
	free(e->path);
	free(e->base_data);
	free(e->data);
	free(e);
}

/* ------------------------------------------------------------------ */
/* Backends                                                           */

struct dir_ctx {
	struct fs_root *root;
	char *dir;
};

static int dir_read(void *ctx, const char *path, char **data, size_t *len,
		    unsigned *mode, unsigned char *id)
{
	struct dir_ctx *d = ctx;

	return fs_read(d->root, path, data, len, mode);
}

static void dir_free(void *ctx)
{
	struct dir_ctx *d = ctx;

	fs_root_close(d->root);
	free(d->dir);
	free(d);
}

static const struct tree_backend dir_backend = {
	.kind = "dir", .read = dir_read, .free = dir_free
};

struct tree *tree_new(const char *name, const struct tree_backend *be,
		      void *ctx)
{
	struct tree *t = xcalloc(1, sizeof(*t));

	t->name = xstrdup(name ? name : "");
	t->be = be;
	t->ctx = ctx;
	table_grow(t);
	return t;
}

int tree_open_dir(struct tree **out, const char *name, const char *dir)
{
	struct dir_ctx *d;
	struct fs_root *root = fs_root_open(dir);

	*out = NULL;
	if (!root)
		return -1;
	d = xmalloc(sizeof(*d));
	d->root = root;
	d->dir = xstrdup(dir);
	*out = tree_new(name, &dir_backend, d);
	return 0;
}

static void tree_forget_log(struct tree *t, int restore);

void tree_free(struct tree *t)
{
	size_t i;

	if (!t)
		return;
	if (t->open)
		tree_forget_log(t, 1);
	for (i = 0; i < t->nslots; i++)
		if (t->slots[i])
			entry_free(t->slots[i]);
	free(t->slots);
	free(t->log);
	tree_memos_clear(&t->memos);
	if (t->be && t->be->free)
		t->be->free(t->ctx);
	free(t->name);
	free(t);
}

const char *tree_name(const struct tree *t)
{
	return t->name;
}

const char *tree_dir(const struct tree *t)
{
	if (t->be != &dir_backend)
		return NULL;
	return ((const struct dir_ctx *)t->ctx)->dir;
}

void *tree_backend_ctx(const struct tree *t, const struct tree_backend *be)
{
	return t->be == be ? t->ctx : NULL;
}

struct fs_root *tree_fs_root(struct tree *t)
{
	if (t->be != &dir_backend)
		return NULL;
	return ((struct dir_ctx *)t->ctx)->root;
}

/* ------------------------------------------------------------------ */
/* Reading                                                            */

static unsigned mode_or_default(unsigned mode)
{
	return mode ? mode : 0100644;
}

static const unsigned char zero_id[TREE_ID_LEN];

static int entry_load_base(struct tree *t, struct entry *e);

/* What the backend says of e's path, without its content where it can
   (stat); 0 or -1. */
static int entry_stat_base(struct tree *t, struct entry *e)
{
	unsigned mode = 0;
	int ret;

	if (e->base_known)
		return 0;
	if (!t->be || !t->be->stat)
		return entry_load_base(t, e);
	memset(e->base_id, 0, sizeof(e->base_id));
	ret = t->be->stat(t->ctx, e->path, &mode, e->base_id);
	if (ret < 0)
		return -1;
	e->base_known = 1;
	e->base_serial = ++t->serial;
	e->base_loaded = ret != 0; /* nothing to read */
	e->base_exists = ret == 0;
	e->base_mode = mode_or_default(mode);
	e->base_has_id = ret == 0 && memcmp(e->base_id, zero_id, TREE_ID_LEN);
	return 0;
}

/* A content by its blob id, from the backend; 0 or -1. */
static int read_by_id(struct tree *t, const unsigned char *id, char **data,
		      size_t *len)
{
	*data = NULL;
	*len = 0;
	return t->be && t->be->read_id ? t->be->read_id(t->ctx, id, data, len)
				       : -1;
}

/* Ask the backend once for the content too; 0 or -1. */
static int entry_load_base(struct tree *t, struct entry *e)
{
	char *data = NULL;
	size_t len = 0;
	unsigned mode = 0;
	int ret;

	if (e->base_known && e->base_loaded)
		return 0;
	if (e->base_known && e->base_has_id && t->be->read_id) {
		if (read_by_id(t, e->base_id, &e->base_data, &e->base_len) < 0)
			return -1;
		e->base_loaded = 1;
		return 0;
	}
	memset(e->base_id, 0, sizeof(e->base_id));
	ret = t->be ? t->be->read(t->ctx, e->path, &data, &len, &mode,
				  e->base_id)
		    : TREE_ENOENT;
	if (ret < 0)
		return -1;
	e->base_known = e->base_loaded = 1;
	e->base_serial = ++t->serial;
	e->base_exists = ret == 0;
	e->base_data = ret == 0 ? data : NULL;
	e->base_len = ret == 0 ? len : 0;
	e->base_mode = mode_or_default(mode);
	e->base_has_id = ret == 0 && memcmp(e->base_id, zero_id, TREE_ID_LEN);
	if (ret != 0)
		free(data);
	return 0;
}

/* The content of a file put by id, read now; 0 or -1. */
static int entry_load_overlay(struct tree *t, struct entry *e)
{
	if (!e->id_only)
		return 0;
	if (read_by_id(t, e->id, &e->data, &e->len) < 0)
		return -1;
	e->id_only = 0;
	return 0;
}

/*
 * A leading directory that the overlay holds as a file or symlink (one a
 * patch of the series created): nothing can be below it, and a symlink
 * must not be followed even in memory (GNU patch's CVE-2015-1396).  The
 * backend's own reads refuse symlinks on disk.
 */
static int tree_check_parents(struct tree *t, const char *path)
{
	char *dir = xstrdup(path), *slash;
	int ret = 0;

	for (slash = strchr(dir, '/'); slash && !ret;
	     slash = strchr(slash + 1, '/')) {
		struct entry *e;

		*slash = '\0';
		e = table_find(t, dir, 0);
		if (e && e->changed && !e->deleted)
			ret = error_at(path, 0, "leading component '%s' is %s",
				       dir, e->mode == 0120000
						    ? "a symlink"
						    : "a file, not a directory");
		*slash = '/';
	}
	free(dir);
	return ret;
}

int tree_get(struct tree *t, const char *path, struct tree_file *out)
{
	struct entry *e;

	if (strchr(path, '/') && tree_check_parents(t, path) < 0)
		return -1;
	e = table_find(t, path, 1);

	if (!e->changed && entry_load_base(t, e) < 0)
		return -1;
	if (e->changed && entry_load_overlay(t, e) < 0)
		return -1;
	if (e->changed ? e->deleted : !e->base_exists) {
		memset(out, 0, sizeof(*out));
		return TREE_ENOENT;
	}
	out->data = e->changed ? e->data : e->base_data;
	out->len = e->changed ? e->len : e->base_len;
	out->mode = e->changed ? e->mode : e->base_mode;
	out->id = e->changed ? (e->has_id ? e->id : NULL)
			     : (e->base_has_id ? e->base_id : NULL);
	out->serial = e->changed ? e->serial : e->base_serial;
	return 0;
}

void *tree_memo_take(struct tree *t, unsigned long serial)
{
	return tree_memos_take(&t->memos, serial);
}

void tree_memo_put(struct tree *t, unsigned long serial, void *p,
		   size_t bytes, void (*free_fn)(void *))
{
	tree_memos_put(&t->memos, serial, p, bytes, free_fn);
}

/* data's id as git names a blob: SHA-1 of "blob LEN\0" and data */
static void blob_id(const char *data, size_t len, unsigned char *id)
{
	struct wt_sha1 c;
	char head[32];

	wt_sha1_init(&c);
	wt_sha1_update(&c, head, (size_t)snprintf(head, sizeof(head),
						  "blob %zu", len) + 1);
	if (len)
		wt_sha1_update(&c, data, len);
	wt_sha1_final(&c, id);
}

/* tree_get_id; with hash unset, only an id known without hashing. */
static const unsigned char *entry_id(struct tree *t, const char *path,
				     unsigned *mode, int hash)
{
	struct entry *e;

	if (strchr(path, '/') && tree_check_parents(t, path) < 0)
		return NULL;
	e = table_find(t, path, 1);
	if (!e->changed) {
		if (entry_stat_base(t, e) < 0 || !e->base_exists ||
		    (!e->base_has_id && !hash))
			return NULL;
		if (!e->base_has_id) { /* a backend that names no ids */
			if (entry_load_base(t, e) < 0)
				return NULL;
			blob_id(e->base_data, e->base_len, e->base_id);
			e->base_has_id = 1;
		}
		if (mode)
			*mode = e->base_mode;
		return e->base_id;
	}
	if (e->deleted || (!e->has_id && !hash))
		return NULL;
	if (!e->has_id) { /* id_only entries have theirs */
		blob_id(e->data, e->len, e->id);
		e->has_id = 1;
	}
	if (mode)
		*mode = e->mode;
	return e->id;
}

const unsigned char *tree_get_id(struct tree *t, const char *path,
				 unsigned *mode)
{
	return entry_id(t, path, mode, 1);
}

const unsigned char *tree_peek_id(struct tree *t, const char *path,
				  unsigned *mode)
{
	return entry_id(t, path, mode, 0);
}

/* ------------------------------------------------------------------ */
/* Changing                                                           */

/* Remember e's overlay state before a change, or drop it when no patch
   is open (the change is kept at once). */
static void entry_save(struct tree *t, struct entry *e)
{
	struct undo *u;

	if (!t->open) {
		free(e->data);
		e->data = NULL;
		e->has_id = e->id_only = 0; /* new content comes */
		return;
	}
	ALLOC_GROW(t->log, t->nlog + 1, t->alloc_log);
	u = &t->log[t->nlog];
	u->e = e;
	u->changed = e->changed;
	u->deleted = e->deleted;
	u->data = e->data;
	u->len = e->len;
	u->mode = e->mode;
	u->has_id = e->has_id;
	u->id_only = e->id_only;
	u->serial = e->serial;
	memcpy(u->id, e->id, sizeof(u->id));
	e->has_id = e->id_only = 0; /* new content comes */
	if (e->first_undo < 0)
		e->first_undo = (long)t->nlog;
	t->nlog++;
	e->data = NULL;
}

void tree_put(struct tree *t, const char *path, char *data, size_t len,
	      unsigned mode)
{
	struct entry *e = table_find(t, path, 1);

	entry_save(t, e);
	e->serial = ++t->serial;
	e->changed = 1;
	e->deleted = 0;
	e->data = data;
	e->len = len;
	e->mode = mode_or_default(mode);
}

int tree_reads_ids(const struct tree *t)
{
	return t->be && t->be->read_id && t->be->stat;
}

int tree_put_id(struct tree *t, const char *path, const unsigned char *id,
		unsigned mode)
{
	struct entry *e;

	if (!tree_reads_ids(t))
		return -1;
	e = table_find(t, path, 1);
	entry_save(t, e);
	e->serial = ++t->serial;
	e->changed = 1;
	e->deleted = 0;
	e->data = NULL;
	e->len = 0;
	e->mode = mode_or_default(mode);
	e->has_id = e->id_only = 1;
	memcpy(e->id, id, sizeof(e->id));
	return 0;
}

void tree_delete(struct tree *t, const char *path)
{
	struct entry *e = table_find(t, path, 1);

	entry_save(t, e);
	e->serial = ++t->serial;
	e->changed = 1;
	e->deleted = 1;
	e->len = 0;
	e->mode = 0;
}

void tree_begin(struct tree *t)
{
	if (t->open)
		tree_keep(t);
	t->open = 1;
}

/*
 * A kept change replaced the backend's content for good: no abort returns
 * to it and tree_get() no longer shows it, so its memory can serve the
 * files still to come (a series touching a few MB then touches half as
 * much fresh memory).  Whether the file existed is still known.
 */
static void entry_drop_base(struct entry *e)
{
	free(e->base_data);
	e->base_data = NULL;
	e->base_len = 0;
	e->base_loaded = !e->base_exists;
}

/* Close the open patch: undo its changes (restore) or keep them. */
static void tree_forget_log(struct tree *t, int restore)
{
	size_t i = t->nlog;

	while (i-- > 0) {
		struct undo *u = &t->log[i];
		struct entry *e = u->e;

		if (restore) {
			free(e->data);
			e->changed = u->changed;
			e->deleted = u->deleted;
			e->data = u->data;
			e->len = u->len;
			e->mode = u->mode;
			e->has_id = u->has_id;
			e->id_only = u->id_only;
			e->serial = u->serial;
			memcpy(e->id, u->id, sizeof(e->id));
		} else {
			free(u->data);
			if (!u->changed)
				entry_drop_base(e);
		}
		e->first_undo = -1;
	}
	t->nlog = 0;
	t->open = 0;
}

void tree_abort(struct tree *t)
{
	tree_forget_log(t, 1);
}

void tree_drop_caches(struct tree *t)
{
	size_t i;

	if (t->open || !t->be)
		return;
	tree_memos_clear(&t->memos);
	for (i = 0; i < t->nslots; i++)
		if (t->slots[i] && t->slots[i]->base_data)
			entry_drop_base(t->slots[i]);
}

void tree_keep(struct tree *t)
{
	tree_forget_log(t, 0);
}

/* ------------------------------------------------------------------ */
/* Walking and writing the kept changes                               */

/* The kept state of an entry: its state before the open patch. */
static void entry_kept(const struct tree *t, const struct entry *e,
		       int *changed, int *deleted, struct tree_file *f)
{
	f->id = NULL; /* a changed file's content has no id */
	f->serial = 0;
	if (t->open && e->first_undo >= 0) {
		const struct undo *u = &t->log[e->first_undo];

		*changed = u->changed;
		*deleted = u->deleted;
		f->data = u->data;
		f->len = u->len;
		f->mode = u->mode;
		return;
	}
	*changed = e->changed;
	*deleted = e->deleted;
	f->data = e->data;
	f->len = e->len;
	f->mode = e->mode;
}

static int cmp_entry_path(const void *a, const void *b)
{
	const struct entry *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

/* Read the content of e's kept state where it was put by id. */
static int entry_load_kept(struct tree *t, struct entry *e)
{
	struct undo *u;

	if (!t->open || e->first_undo < 0)
		return e->changed && !e->deleted ? entry_load_overlay(t, e) : 0;
	u = &t->log[e->first_undo];
	if (!u->changed || u->deleted || !u->id_only)
		return 0;
	if (read_by_id(t, u->id, &u->data, &u->len) < 0)
		return -1;
	u->id_only = 0;
	return 0;
}

/* The entries with kept changes, sorted by path (caller frees). */
static int tree_changed_entries(struct tree *t, struct entry ***out,
				size_t *n)
{
	struct entry **v = xmalloc((t->nentries + 1) * sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < t->nslots; i++) {
		struct entry *e = t->slots[i];
		struct tree_file f;
		int changed, deleted;

		if (!e)
			continue;
		if (entry_load_kept(t, e) < 0) {
			free(v);
			return -1;
		}
		entry_kept(t, e, &changed, &deleted, &f);
		if (!changed)
			continue;
		/* Deleting what the backend never had changes nothing. */
		if (deleted && entry_stat_base(t, e) < 0) {
			free(v);
			return -1;
		}
		if (deleted && !e->base_exists)
			continue;
		v[(*n)++] = e;
	}
	qsort(v, *n, sizeof(*v), cmp_entry_path);
	*out = v;
	return 0;
}

int tree_for_each_change(struct tree *t, tree_change_fn fn, void *data)
{
	struct entry **v;
	size_t i, n;
	int ret = 0;

	if (tree_changed_entries(t, &v, &n) < 0)
		return -1;
	for (i = 0; i < n && !ret; i++) {
		struct tree_file f;
		int changed, deleted;

		entry_kept(t, v[i], &changed, &deleted, &f);
		ret = fn(v[i]->path, &f, deleted, data);
	}
	free(v);
	return ret;
}

/* After a successful write the kept state is what the disk holds. */
static void entry_settle(struct entry *e)
{
	free(e->base_data);
	e->base_known = e->base_loaded = 1;
	e->base_exists = !e->deleted;
	e->base_data = e->deleted ? NULL : e->data;
	e->base_len = e->deleted ? 0 : e->len;
	e->base_mode = e->mode;
	e->base_serial = e->serial;
	e->base_has_id = !e->deleted && e->has_id;
	memcpy(e->base_id, e->id, sizeof(e->base_id));
	e->has_id = 0;
	if (e->deleted)
		free(e->data);
	e->data = NULL;
	e->len = 0;
	e->changed = e->deleted = 0;
}

/*
 * One fs_commit() for all kept changes.  Symlinks reach the overlay only
 * through apply with allow_symlinks set, so a kept change of mode 0120000
 * is itself the permission to write one.
 */
int tree_write_out(struct tree *t)
{
	struct fs_commit_opts opts = { 0 };
	struct fs_change *c;
	struct entry **v;
	size_t i, n;
	int ret;

	if (t->be != &dir_backend)
		return error("%s: only a directory tree can be written", t->name);
	if (t->open)
		return error("%s: a patch is still open", t->name);
	if (tree_changed_entries(t, &v, &n) < 0)
		return -1;
	c = xcalloc(n + 1, sizeof(*c));
	for (i = 0; i < n; i++) {
		c[i].path = v[i]->path;
		c[i].data = v[i]->data;
		c[i].len = v[i]->len;
		c[i].mode = v[i]->mode;
		c[i].deleted = v[i]->deleted;
		if (!c[i].deleted && c[i].mode == 0120000)
			opts.allow_symlinks = 1;
	}
	ret = n ? fs_commit(((struct dir_ctx *)t->ctx)->root, c, n, &opts) : 0;
	if (!ret)
		for (i = 0; i < n; i++)
			entry_settle(v[i]);
	free(c);
	free(v);
	return ret;
}
