/*
 * gitsrc_hist_int.h - the history index gitsrc_hist.c keeps and
 * gitsrc_hist_store.c reads from and writes to the cache.
 *
 * Everything in it is a fact about immutable objects: a commit's parents,
 * time and tree, and which files its tree changed against its first
 * parent.  A commit id names them for ever, so the index is never stale:
 * a new upstream commit or another target only adds nodes and changes.
 */
#ifndef BT_GITSRC_HIST_INT_H
#define BT_GITSRC_HIST_INT_H

#include <stdint.h>
#include "input/gitsrc_int.h"

#define HIST_NONE UINT32_MAX
#define HIST_MISSING 2

struct hist_node {
	git_oid id, tree;
	int64_t time;      /* committer time, as libgit2's time sort reads it */
	uint32_t gen;      /* 1 + the largest parent's generation; 0 unknown */
	uint32_t parents;  /* first index into hist.parents */
	uint32_t nparents;
	uint32_t changes;  /* first index into hist.changes, when diffed */
	uint32_t nchanges;
	uint8_t loaded;    /* 1 read: tree, time and parents known;
			      HIST_MISSING: the object is not there */
	uint8_t diffed;    /* changes known (single-parent and root commits) */
};

/* One file a commit changed: the blobs at path before and after (zero: none). */
struct hist_change {
	uint32_t node, path;
	git_oid before, after;
};

struct hist_paths {              /* interned paths */
	struct strset names;     /* a path's id is its index */
	uint32_t **by_path;      /* the changes of each path (indexes) */
	size_t *nby, *by_alloc;
	size_t alloc;            /* of the three arrays above */
};

/* Answers computed from the history alone, by key (gitsrc_memo_get). */
struct hist_memo {
	struct strset keys;
	char **vals;             /* the value of each key */
	size_t alloc;
};

struct hist {
	struct hist_node *nodes;
	size_t n, alloc;
	uint32_t *slot;              /* node index + 1 by id; 0 empty */
	size_t nslot;
	uint32_t *parents;           /* node indexes */
	size_t nparents, parents_alloc;
	struct hist_change *changes;
	size_t nchanges, changes_alloc;
	struct hist_paths paths;
	struct hist_memo memo;
	struct hist_walks *walks;    /* gitsrc_hist_walk.c: recent ranges */
	size_t loaded_nodes, loaded_changes, loaded_memo; /* from the cache */
	char *file;                  /* the cache file, NULL: none */
};

/* gitsrc_hist.c */
uint32_t hist_find(const struct hist *h, const git_oid *id);
/* The table of nodes by id made again (after a load). */
void hist_rehash(struct hist *h);
/* The node of id, made (not loaded) when new. */
uint32_t hist_node_of(struct hist *h, const git_oid *id);
uint32_t path_find(const struct hist_paths *ps, const char *p, size_t len);
uint32_t hist_path_id(struct hist *h, const char *path, size_t len);
void hist_paths_release(struct hist_paths *ps);
/* Node id and all its ancestors read (and their generations known). */
uint32_t hist_load(struct hist *h, git_repository *repo, const git_oid *id);
void hist_add_change(struct hist *h, uint32_t node, uint32_t path,
		     const git_oid *before, const git_oid *after);
void hist_memo_put(struct hist_memo *m, const char *key, const char *val);
void hist_release(struct hist *h);
struct hist *hist_of(struct gitsrc *g);
/* gitsrc_hist_walk.c */
void hist_walks_free(struct hist *h);
/* gitsrc_hist_store.c */
char *hist_store_file(const char *repo_path);
int hist_store_load(struct hist *h, const char *file);
int hist_store_save(const struct hist *h, const char *file);

#endif
