/*
 * apply.h - one patch, or a series, onto one tree.
 *
 * Like git's apply.h: one state struct that the command fills from its
 * options, a small public API, results that emitters read without re-running
 * anything.  A patch is all-or-nothing: if any hunk of any file conflicts,
 * none of its changes stay in the tree's overlay.
 */
#ifndef BT_APPLY_H
#define BT_APPLY_H

#include "input/merge.h"
#include "input/patch.h"
#include "place/place.h"
#include "tree/tree.h"

/*
 * Optional 3-way fallback, set by the git input (gitsrc.c) for patches that
 * came from commits: merge the upstream pre-image, the upstream post-image
 * and the target's content cur.  Returns 0 when the merge is clean (out
 * holds the result: verdict "merged"), 1 when it conflicts (out holds
 * diff3-style markers), -1 when no pre-image is known.
 */
typedef int (*apply_merge_fn)(void *ctx, const struct patch *p,
			      const struct file_diff *fd,
			      const struct merge_ours *cur, struct strbuf *out);

/*
 * Optional history for adaptation, set with the 3-way fallback: the names
 * upstream renamed after target_rev that fd's hunks use (gitsrc.h's
 * gitsrc_find_renames, whose contract this is).
 */
struct gitsrc_rename;
typedef int (*apply_renames_fn)(void *ctx, const char *target_rev,
				const struct patch *p,
				const struct file_diff *fd, const char *cur,
				size_t cur_len, struct gitsrc_rename **out,
				size_t *n);

/*
 * Optional, set with it: where the target has fd's file when upstream
 * renamed it after target_rev (gitsrc.h's gitsrc_find_move, whose
 * contract this is).
 */
struct gitsrc_move;
typedef int (*apply_move_fn)(void *ctx, const char *target_rev,
			     const struct patch *p, const struct file_diff *fd,
			     struct gitsrc_move *out);

/* apply's -F unless told: a patch must apply exactly, as dpkg-source wants */
#define APPLY_DEFAULT_FUZZ 0

struct apply_state {
	int max_fuzz;       /* GNU patch -F: 0 for apply (as dpkg-source), 2 for check */
	int independent;    /* judge each patch alone: never keep changes */
	int detect_applied; /* look for already-applied hunks */
	int allow_symlinks; /* let patches create or change symlinks */
	apply_merge_fn merge;   /* NULL: no 3-way fallback */
	void *merge_ctx;
	int keep_conflicts; /* apply --merge: keep a conflicted merge's markers */
	int no_ambiguous;   /* --no-ambiguous: refuse a hunk that also matches
			       elsewhere (a conflict, "ambiguous placement") */
	/* files an interrupted apply, finished by recovery, deleted: a
	   deletion of one of them is already applied (fs_recover_journal) */
	const char *const *done_deletes;
	size_t ndone_deletes;
	int submodule_error; /* a submodule change on a directory target is an
				input error (apply, package), not a conflict */
	int adapt;          /* after the merge, adapt conflicting hunks
			       (adapt.h); 0 unless a command asks (check,
			       apply, package: on unless --no-adapt) */
	apply_renames_fn renames; /* NULL: no history for adaptation */
	apply_move_fn moved;      /* NULL: a missing file is missing */
	void *renames_ctx;        /* both hooks' */
	const char *base;   /* the upstream revision a directory target is
			       (check --base); a git:REV target is REV */
};

void apply_state_init(struct apply_state *s);

/* Whether the 3-way fallback ran on a file, and how it ended. */
enum merge_state {
	MERGE_NONE,      /* not tried: every hunk placed, or no fallback */
	MERGE_CLEAN,     /* merged: the hunks it resolved are V_MERGED */
	MERGE_CONFLICTS, /* tried; it conflicts too */
	MERGE_MARKERS    /* tried, conflicts, markers kept (apply --merge) */
};

/* What happened to one file diff of a patch. */
struct file_result {
	const struct file_diff *fd;
	char *path;                 /* target path after stripping */
	enum verdict verdict;
	const char *reason;         /* file-level reason ("file missing"), or NULL */
	struct hunk_result *hunks;  /* fd->nhunks entries */
	enum merge_state merge;
	char *note;                 /* a submodule or mode-only change: what
				       it does and what the target has */
	char *moved;                /* "moved: upstream's a/b.c is b.c here
				       (renamed in commit C)", or why a file
				       missing was not found moved */
};

const char *merge_state_name(enum merge_state m); /* NULL, "merged", ... */

struct patch_result {
	const struct patch *patch;
	enum verdict verdict;       /* worst over files */
	struct file_result *files;  /* patch->nfiles entries */
	size_t nfiles;
	int kept;                   /* its changes stayed in the overlay */
	const char *reason;         /* short: first conflict's reason */
	long reason_line;           /* the patch-file line it concerns */
};

/*
 * Place p on t.  Fills r (release with patch_result_release) and returns 0,
 * or -1 on an input error (bad path, unreadable file) after printing it.
 * Changes stay in t's overlay when nothing conflicts and !s->independent.
 */
int apply_patch(const struct apply_state *s, struct tree *t,
		const struct patch *p, struct patch_result *r);

void patch_result_release(struct patch_result *r);

/*
 * Why a result is not simply OK, in one line for a table cell or a
 * message: the first file and hunk that decided the verdict, e.g.
 * "hw/vfio/ccw.c hunk 2 (vfio_ccw_realize): context differs",
 * "... hunk 1: offset +7", "... hunk 3: found at line 120".  A clean
 * result appends nothing, unless it is an empty commit ("empty commit:
 * no change") or changes a submodule or only a mode (each file's note:
 * "submodule roms/x: 1a2b3c4d5e -> 6f7a8b9c0d, target has 1a2b3c4d5e").
 */
void patch_result_describe(const struct patch_result *r, struct strbuf *out);

/* The file that decides r's verdict v (NULL if none has it): the first
   with it; of conflicts, one without kept merge markers first (those alone
   do not stop a patch, so the other is why it did not apply). */
const struct file_result *patch_result_deciding(const struct patch_result *r,
						enum verdict v);

/* One hunk of fr: "hw/x.c hunk 2 (func)", and what happened to it:
   "offset +7", "fuzz 1, offset -2", "context differs; 3-way merge
   conflicts", "ambiguous placement: at 12, also matches at 2", ... */
void hunk_result_name(const struct file_result *fr, size_t h,
		      struct strbuf *out);
void hunk_result_describe(const struct file_result *fr,
			  const struct hunk_result *hr, struct strbuf *out);
/* 1 when r has a note to show even when clean (see above). */
int patch_result_has_note(const struct patch_result *r);

/* An empty commit: a patch without any file diff. */
static inline int patch_is_empty(const struct patch *p)
{
	return p->nfiles == 0;
}

/* The hunks r adapted and how, for a patch header: "adapted hw/x.c hunk
   2 (f): context drift (...); hw/x.c hunk 3: renamed a -> b"; nothing when
   none was. */
void patch_result_adaptations(const struct patch_result *r,
			      struct strbuf *out);

/*
 * The target paths the move hook finds for p's files missing in t, each
 * passed to fn (which stops the walk by returning non-zero): for a caller
 * that must read them before apply_patch changes them (refresh's
 * snapshot).  0, or what fn returned.
 */
int apply_moved_paths(const struct apply_state *s, struct tree *t,
		      const struct patch *p,
		      int (*fn)(const char *path, void *data), void *data);

struct input;

/*
 * When the series came from git (--git), let s fall back to a 3-way merge
 * with each commit's upstream pre-image (gitsrc_merge).
 */
void apply_setup_merge(struct apply_state *s, struct input *in);

#endif
