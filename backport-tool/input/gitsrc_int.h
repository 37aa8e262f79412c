/*
 * gitsrc_int.h - what the gitsrc*.c files share: the open repository, the
 * ranges and diffs kept for the next ask, and the libgit2 error message
 * (see gitsrc.c).
 */
#ifndef BT_GITSRC_INT_H
#define BT_GITSRC_INT_H

#include <git2.h>
#include "input/gitsrc.h"

#define GITSRC_WALKS 8

struct gitsrc {
	git_repository *repo;
	char *path;
	struct gitsrc_walk *walks[GITSRC_WALKS]; /* gitsrc_walk.c */
	unsigned long walk_clock;
	struct gitsrc_commits *commits;          /* gitsrc_walk.c */
	struct gitsrc_tops *tops;                /* gitsrc_walk.c */
	struct gitsrc_diffs *diffs;              /* gitsrc_diff.c */
};

/* gitsrc.c */
int gitsrc_fail(const char *what, const char *arg);
int gitsrc_fail_at(const char *file, long line, const char *what,
		   const char *arg);
int gitsrc_lookup_commit(git_commit **out, git_repository *repo,
			 const char *rev);
/* gitsrc_base.c: git_merge_base_octopus()'s answer, faster */
int gitsrc_octopus_base(git_repository *repo, const git_oid *set, size_t n,
			git_oid *out);
/* gitsrc_diff.c */
void gitsrc_diffs_free(struct gitsrc *g);
/* gitsrc_walk.c */
void gitsrc_walks_free(struct gitsrc *g);
void gitsrc_commits_free(struct gitsrc *g);
void gitsrc_tops_free(struct gitsrc *g);
/* gitsrc_rename.c: does path differ between trees a and b?  Each component
   through gitsrc_tree_entry_id's kept entries, stopping at the first
   directory both share (most commits leave most directories alone).  1
   differs, 0 the same, -1 a tree cannot be read; *ha, *hb: whether each
   tree has path (valid on 1). */
int gitsrc_path_diff(struct gitsrc *g, const git_oid *a, const git_oid *b,
		     const char *path, int *ha, int *hb);
/* gitsrc_format.c */
int gitsrc_commit_text(git_repository *repo, git_commit *commit,
			 struct strbuf *out);
/* gitsrc_patch.c: append the diff of a commit that only changes text
   files' content, as the tree diff with opts prints it: 0, 1 when the
   commit changes more (out unchanged: the tree diff writes it), -1. */
int gitsrc_patch_text(struct strbuf *out, git_repository *repo,
		      git_commit *commit, const git_diff_options *opts);

#endif
