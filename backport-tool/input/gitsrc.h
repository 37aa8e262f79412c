/*
 * gitsrc.h - upstream git history as input and as target, through libgit2.
 *
 * Three things a maintainer needs from an upstream clone, none of which
 * checks anything out:
 *
 *   - commits as patches: ids, ranges A..B or @FILE (one id per line, '#'
 *     comments), in the order upstream merged them (oldest first, as git
 *     format-patch writes them), each turned into exactly the text
 *     `git format-patch --no-stat --full-index --no-signature` writes and
 *     parsed by patch_parse(), with meta.commit set;
 *   - revisions as targets: a tree backend reading the blobs of REV's tree
 *     straight from the object database;
 *   - the 3-way fallback for apply.h: merge the file at the commit's parent
 *     (base), the file at the commit (theirs) and the target's file (ours).
 *
 * How a command wires it (the options are --git REPO, --tree NAME=git:REV):
 *
 *     struct gitsrc *g = NULL;
 *     if (git_repo && gitsrc_open(&g, git_repo) < 0) return EXIT_USAGE;
 *     // positional arguments that are not files:
 *     if (g && gitsrc_is_revision(g, arg)) gitsrc_read_commits_in(g, &list, &arg, 1);
 *     // --tree NAME=git:REV:
 *     if (gitsrc_tree_option(&t, optarg, g) < 0) ...  // 1: not a git: spec
 *     // 3-way fallback:
 *     if (g) { st.merge = gitsrc_merge; st.merge_ctx = g; }
 *     ...
 *     gitsrc_free(g);   // after every tree and patch is freed
 */
#ifndef BT_GITSRC_H
#define BT_GITSRC_H

#include <stddef.h>
#include <git2/oid.h>

#include "input/merge.h"
#include "input/patch.h"
#include "tree/tree.h"
#include "util.h"

struct gitsrc;
struct git_repository;
struct git_oid;

/* Open the repository at path (a work tree or a bare git dir).  0 or -1. */
int gitsrc_open(struct gitsrc **out, const char *path);
void gitsrc_free(struct gitsrc *g);
struct git_repository *gitsrc_repository(struct gitsrc *g);
const char *gitsrc_path(const struct gitsrc *g);

/*
 * Append the commits the specs name to out, oldest first in upstream's
 * topological order; merge commits are skipped with a warning, duplicates
 * kept once.  A spec is a revision (id, tag, branch, "HEAD~2"), a range
 * "A..B", or "@FILE".  Returns 0 or -1 after an error naming the spec.
 * Commits an earlier call appended at the end of out join the ordering,
 * so calling it once per argument still yields upstream order; patches
 * that did not come from this function keep their place.
 */
int gitsrc_read_commits_in(struct gitsrc *g, struct patch_list *out,
			   const char *const *specs, size_t n);
int gitsrc_read_commits(struct patch_list *out, const char *repo,
			const char *const *specs, size_t n);

/*
 * 1 when arg is a commit spec this repository resolves ("@FILE", "A..B",
 * or a revision naming a commit), 0 otherwise.  Never prints.
 */
int gitsrc_is_revision(struct gitsrc *g, const char *arg);

/*
 * Write into out the text git format-patch writes for the commit
 * (--no-stat --full-index --no-signature, and --no-binary while
 * gitsrc_binary_ids is on).  0 or -1; 1 for a merge commit.
 */
int gitsrc_format_commit(struct gitsrc *g, const char *rev, struct strbuf *out);

/* A tree of REV's files, read from the object database.  0 or -1. */
int gitsrc_open_tree_in(struct tree **out, struct gitsrc *g,
			const char *name, const char *rev);
int gitsrc_open_tree(struct tree **out, const char *name, const char *repo,
		     const char *rev);

/*
 * The --tree option: "NAME=git:REV" opens REV of g (an error when g is
 * NULL: "--tree NAME=git:REV needs --git REPO").  Returns 0 with *out set,
 * 1 when arg is not a git: spec (the caller handles NAME=DIR), -1 on error.
 */
int gitsrc_tree_option(struct tree **out, const char *arg, struct gitsrc *g);

/*
 * apply.h's apply_merge_fn; ctx is a struct gitsrc.  For a patch whose
 * meta.commit names a commit of the repository: base = the file at the
 * commit's first parent, theirs = the file at the commit, ours = cur.
 * Returns 0 (clean, out = merged text), 1 (conflict, out = text with
 * diff3-style markers), -1 (no pre-image: not from git, unknown commit,
 * file created or deleted by the commit).  Prints nothing for -1.
 */
int gitsrc_merge(void *ctx, const struct patch *p, const struct file_diff *fd,
		 const struct merge_ours *cur, struct strbuf *out);
/*
 * gitsrc_merge for a caller that keeps no conflict markers (check, apply
 * without --merge): a merge that must conflict (gitsrc_conflict.c says
 * when) is not made, and returns 1 with out empty.  Every return value is
 * gitsrc_merge's, and so is out when it returns 0.
 */
int gitsrc_merge_judge(void *ctx, const struct patch *p,
		       const struct file_diff *fd, const struct merge_ours *cur,
		       struct strbuf *out);

/*
 * Read one blob: the file at path in revision rev (a commit id or any
 * revision).  0, TREE_ENOENT, or -1.  out is initialised by the call.
 */
int gitsrc_read_file(struct gitsrc *g, const char *rev, const char *path,
		     struct strbuf *out);

/* One commit's change to a file, as gitsrc_path_history gives it. */
struct gitsrc_change {
	git_oid commit;
	git_oid before, after; /* the blobs at the path; zero: no file there */
	unsigned nparents;     /* 1, or 0 for a root commit */
	size_t path;           /* which of the paths asked */
};

/*
 * The commits of hide..from (hide may be NULL; from itself included) that
 * changed the files at paths (npaths of them), newest first by commit time and, within one
 * second, children first: what a revwalk of the range would find commit
 * by commit, from the history index (gitsrc_hist*.c), which reads each commit
 * once and keeps what it read in the cache.  Merges are left out (they
 * change nothing of their own); a commit whose trees cannot be read too.
 * *out is malloc'ed.  0, or -1 when from or hide cannot be read.
 */
int gitsrc_path_history(struct gitsrc *g, const struct git_oid *from,
			const struct git_oid *hide, const char *const *paths,
			size_t npaths, struct gitsrc_change **out, size_t *n);

/*
 * Answers computed from the history alone, kept by a key that names every
 * input (e.g. "introducer HIDE FROM PATH NAME"), with the history index
 * and its cache: the same question in the next run costs a lookup.  The
 * value NULL when unknown; put copies both strings.  A key's inputs must be
 * commit ids, not branch names: what a branch names moves.
 */
const char *gitsrc_memo_get(struct gitsrc *g, const char *key);
/* Keep the format-patch texts of the commits read from now on (1) in the
   memo, or not (0, the default): for the series a command names. */
void gitsrc_keep_texts(struct gitsrc *g, int on);
/*
 * Texts for judging only (1), or to be written out (0, the default): a
 * commit's binary change is then named by its two blob ids ("Binary files
 * a/X and b/X differ" under a full "index" line), not carried as data.
 * A tree that reads blob ids judges it as git apply judges such a change
 * with its object store at hand (apply.c); format-patch's binary data
 * costs most of what formatting a firmware update costs.
 */
void gitsrc_binary_ids(struct gitsrc *g, int on);
void gitsrc_memo_put(struct gitsrc *g, const char *key, const char *val);

/*
 * A commit of the history: its number of parents, its tree and its first
 * parent's tree (zero without a parent), read from the raw objects.  A
 * commit parsed by git_commit_lookup takes the place of the raw one in
 * libgit2's cache, and every later revwalk would inflate it again.  0; 1
 * when the first parent cannot be read (parent_tree zero); -1 when the
 * commit cannot be read.
 */
int gitsrc_commit_trees(struct gitsrc *g, const struct git_oid *id,
			unsigned *nparents, struct git_oid *tree,
			struct git_oid *parent_tree);


/*
 * The diff of blob a (NULL: no old blob) to blob b, both at path, as the
 * lines git_diff_blobs gives with 3 lines of context (origin ' ', '+',
 * '-', or one of the no-newline markers; content with its newline).  Kept
 * for the next ask; *lines stays valid until the next call.  0, or -1 when
 * a blob cannot be read.
 */
struct gitsrc_diff_line {
	char origin;
	const char *content;
	size_t len;
};
int gitsrc_blob_diff(struct gitsrc *g, const struct git_oid *a,
		     const struct git_oid *b, const char *path,
		     const struct gitsrc_diff_line **lines, size_t *n);

/*
 * Names upstream renamed after the target's release (gitsrc_rename.c):
 * for each identifier of fd's hunks that cur (the target's file) lacks,
 * the newest commit of target_rev..p^ that brought it into the file; when
 * that commit replaced exactly one old name by it (its lines the same but
 * for the names, the old name gone from the file after it) and cur has
 * the old name, {from, to, commit}; two old names possible: to is NULL
 * and also says "a or b".  *out is malloc'ed (gitsrc_renames_free).  0.
 */
struct gitsrc_rename {
	char *from;       /* upstream's name: the target lacks it */
	char *to;         /* the target's, or NULL when ambiguous */
	char *also;       /* ambiguous: "old_a or old_b" */
	char commit[41];  /* the commit that renamed it */
};
int gitsrc_find_renames(void *ctx, const char *target_rev,
			const struct patch *p, const struct file_diff *fd,
			const char *cur, size_t cur_len,
			struct gitsrc_rename **out, size_t *nout);
void gitsrc_renames_free(struct gitsrc_rename *v, size_t n);

/*
 * A file upstream renamed after the target's release (gitsrc_move.c): fd's
 * file is at the commit's parent but not at target_rev; libgit2's rename
 * detection (git_diff_find_similar, 50% similar) between target_rev's tree
 * and the parent's, over the files removed since with the same extension,
 * pairs exactly one of them with it.  1 with out->path (the target's
 * path) and out->commit (the commit that renamed it, or ""); 0 when not,
 * out->why saying why when candidates were refused (two similar files,
 * too many).  Release out with gitsrc_move_release.
 */
struct gitsrc_move {
	char *path;
	char commit[41];
	char *why;
};
int gitsrc_find_move(void *ctx, const char *target_rev,
		     const struct patch *p, const struct file_diff *fd,
		     struct gitsrc_move *out);
void gitsrc_move_release(struct gitsrc_move *m);

/* The revision a tree from gitsrc_open_tree_in or --tree NAME=git:REV
   reads ("REV"), or NULL for other trees. */
const char *gitsrc_tree_rev(struct tree *t);

#endif
