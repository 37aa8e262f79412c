/*
 * gitsrc_int.h - what the gitsrc*.c files share: the open repository, the
 * ranges and diffs kept for the next ask, and the libgit2 error message
 * (see gitsrc.c).
 */
#ifndef BT_GITSRC_INT_H
#define BT_GITSRC_INT_H

#include <git2.h>
#include "input/gitsrc.h"

/* gitsrc_table.c: what is worked out from blobs a -> b (a zero: none) and
   a path (or NULL), kept by them; each kind embeds this header first */
struct gitsrc_entry {
	git_oid a, b;
	char *path;
	size_t bytes;                           /* what it takes, all told */
	void (*free)(struct gitsrc_entry *e);   /* frees it, path included */
};

struct gitsrc_table {
	struct gitsrc_entry **slot;
	size_t nslot, used, bytes;
};

struct gitsrc_entry *gitsrc_table_get(const struct gitsrc_table *t,
				      const git_oid *a, const git_oid *b,
				      const char *path);
/* Keep e (the table owns it); past budget bytes, drop all else first. */
void gitsrc_table_put(struct gitsrc_table *t, struct gitsrc_entry *e,
		      size_t budget);
/* e, in t, takes bytes more than it did (counted at the next put) */
void gitsrc_table_grew(struct gitsrc_table *t, struct gitsrc_entry *e,
		       size_t bytes);
void gitsrc_table_clear(struct gitsrc_table *t);

struct gitsrc {
	git_repository *repo;
	char *path;
	struct gitsrc_commits *commits;          /* gitsrc_walk.c */
	struct gitsrc_table diffs;               /* gitsrc_diff.c */
	struct hist *hist;                       /* gitsrc_hist*.c */
	struct gitsrc_table changes;             /* gitsrc_conflict.c */
	size_t changes_read, changes_diffed;     /* how it got them */
	size_t proofs_checked;                   /* BT_TEST_PROOF=verify */
	int keep_texts;                          /* gitsrc_keep_texts */
	int binary_ids;                          /* gitsrc_binary_ids */
};

/* gitsrc.c */
int gitsrc_fail(const char *what, const char *arg);
/* Is the test-only variable var (BT_TEST_CHANGES, BT_TEST_PROOF) "verify"? */
int gitsrc_verifying(const char *var);
int gitsrc_fail_at(const char *file, long line, const char *what,
		   const char *arg);
int gitsrc_lookup_commit(git_commit **out, git_repository *repo,
			 const char *rev);
/* gitsrc_base.c: git_merge_base_octopus()'s answer, faster */
int gitsrc_octopus_base(git_repository *repo, const git_oid *set, size_t n,
			git_oid *out);
/* gitsrc_hist*.c: the history index, saved to the cache */
void gitsrc_hist_free(struct gitsrc *g);
/* gitsrc_walk.c */
void gitsrc_commits_free(struct gitsrc *g);
/* BT_TEST_CHANGES=verify: how many changes were read off patches (each
   checked against the blobs' diff) and how many diffed, on stderr; with
   BT_TEST_PROOF=verify, how many proofs were checked by merging */
void gitsrc_changes_report(const struct gitsrc *g);
/* gitsrc_conflict.c: 1 when git_merge_file (diff3 style) must conflict
   merging blob theirs into ours over blob base (fd: the patch of base ->
   theirs), 0 when it may not. */
int gitsrc_merge_must_conflict(struct gitsrc *g, const struct file_diff *fd,
			       const git_oid *base, const git_oid *theirs,
			       const struct merge_ours *ours);
/* gitsrc_walk.c: "KEY <hex>\n" at p (a raw commit's header line): its id
   in *out and the next line, or NULL */
const char *gitsrc_header_id(const char *p, const char *end, const char *key,
			     git_oid *out);
/* gitsrc_format.c: binary_ids as gitsrc_binary_ids */
int gitsrc_commit_text(git_repository *repo, git_commit *commit,
		       int binary_ids, struct strbuf *out);
/* gitsrc_patch.c: append the diff of a commit that only changes text
   files' content, as the tree diff with opts prints it: 0, 1 when the
   commit changes more (out unchanged: the tree diff writes it), -1.
   Without GIT_DIFF_SHOW_BINARY in opts, binary files are content too. */
int gitsrc_patch_text(struct strbuf *out, git_repository *repo,
		      git_commit *commit, const git_diff_options *opts);

#endif
