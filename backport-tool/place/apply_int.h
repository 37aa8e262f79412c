/*
 * apply_int.h - apply.c's private state, shared with apply_place.c (one
 * file's content placed), apply_gitlink.c (the submodule and mode-only
 * changes) and apply_move.c: one file diff's job and the helpers that
 * set a file's verdict.
 */
#ifndef BT_APPLY_INT_H
#define BT_APPLY_INT_H

#include "place/apply.h"

struct file_job {
	const struct apply_state *s;
	struct tree *t;
	const struct patch *p;
	const struct file_diff *fd;
	struct file_result *fr;
	int strip;
	int merge_markers; /* a conflicted merge left markers in the tree */
	struct text *text; /* while job_place runs: its content's lines, split
			      once for placement and adaptation */
};

/* The upstream revision the job's target is (git:REV, or --base), or NULL. */
const char *apply_target_rev(const struct file_job *j);
/*
 * fd's file is missing: is it where upstream renamed it from (the move
 * hook)?  0 with f read and fr->path, fr->moved set; TREE_ENOENT (fr->moved
 * then says why when candidates were refused); -1 on error.
 */
int apply_job_moved(struct file_job *j, struct tree_file *f);

void apply_set_hunks(struct file_result *fr, enum verdict v);
void apply_file_conflict(struct file_result *fr, const char *reason);
/* A whole-file verdict: already applied, or a conflict for reason. */
void apply_judge_whole(struct file_result *fr, int applied, const char *reason);

/* A mode change without hunks on f: 1 when it was one (judged), else 0. */
int apply_job_mode_only(struct file_job *j, const struct tree_file *f);
/* A submodule change: 0, or -1 after an error. */
int apply_job_submodule(struct file_job *j);

/* apply_place.c: the placement options the job's state says */
struct place_opts apply_job_opts(const struct file_job *j);
/*
 * Place the hunks on cur, the tree's file at path (NULL: none, a file to
 * create), then the 3-way hook, then adaptation: the file's verdict; out
 * holds the new content unless it is V_CONFLICT without markers to keep.
 */
enum verdict apply_job_place(struct file_job *j, const char *path,
			     const struct tree_file *cur, struct strbuf *out);
/* A commit's whole-blob patch on its very pre-image, done by ids: 1, or
   0 when the file is to be placed. */
int apply_job_same_blob(struct file_job *j);

#endif
