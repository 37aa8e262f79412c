/*
 * apply.c - one patch onto one tree, all-or-nothing.
 *
 * For each file diff: check every path it names, read the file through the
 * tree's overlay, place the hunks (place.c), and stage the result in the
 * overlay.  The patch's verdict is its worst file's; if it conflicts (or
 * the run judges patches independently) the overlay forgets the patch, so
 * a later patch sees exactly the patches that applied before it.
 */
#include "place/apply.h"
#include "place/apply_int.h"
#include "input/gitsrc.h"
#include "input/input.h"

#include <stdlib.h>
#include <string.h>

#include "place/binpatch.h"
#include "tree/fsio.h"
#include "util.h"

#define S_IFMT_BITS 0170000
#define MODE_SYMLINK 0120000

void apply_state_init(struct apply_state *s)
{
	memset(s, 0, sizeof(*s));
	s->max_fuzz = APPLY_DEFAULT_FUZZ;
	s->detect_applied = 1;
}

void patch_result_release(struct patch_result *r)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++) {
		free(r->files[i].path);
		if (r->files[i].fd)
			hunk_results_clear(r->files[i].hunks,
					   r->files[i].fd->nhunks);
		free(r->files[i].hunks);
		free(r->files[i].note);
		free(r->files[i].moved);
	}
	free(r->files);
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------------ */
/* Input checks                                                       */

static int is_symlink_mode(unsigned mode)
{
	return (mode & S_IFMT_BITS) == MODE_SYMLINK;
}

/* Every path the diff names must be safe; returns 0 or -1. */
static int apply_check_paths(const struct patch *p, const struct file_diff *fd,
			     int strip)
{
	int which;

	for (which = 0; which < 2; which++) {
		const char *raw = which ? fd->new_path : fd->old_path;
		const char *path = file_diff_path(fd, strip, which);

		if (!raw)
			continue;
		/* a name written absolute comes back whole, for path_check */
		if (!path)
			return error_at(patch_where(p), fd->lineno,
					"cannot strip %d leading components "
					"from '%s'", strip, raw);
		if (path_check(path, patch_where(p), fd->lineno) < 0)
			return -1;
	}
	if (!fd->old_path && !fd->new_path)
		return error_at(patch_where(p), fd->lineno,
				"file diff names no file");
	return 0;
}

/* Does the patch change anything besides binary files? */
static int apply_has_text(const struct patch *p)
{
	size_t i;

	for (i = 0; i < p->nfiles; i++)
		if (!p->files[i].is_binary)
			return 1;
	return 0;
}

/*
 * "Binary files a/x and b/x differ" carries no data.  GNU patch, and so
 * quilt and dpkg-source, pass over it silently; a patch that has text
 * diffs besides (upstream's "git diff" without --binary, as in Debian's
 * qemu stable diffs) applies the same way here, but the skip is said, and
 * kept in the file's result for the reviewer.  (A "GIT binary patch",
 * with data, is applied: job_binary.)
 */
static void apply_binary_nodata(const struct patch *p,
				const struct file_diff *fd,
				struct file_result *fr)
{
	warning_at(patch_where(p), fd->lineno, "%s: binary diff without data, "
		   "not applied (as GNU patch and quilt)", fr->path);
	fr->verdict = V_CLEAN;
	fr->reason = "binary diff without data: not applied";
}

static int apply_check_kind(const struct apply_state *s,
			    const struct patch *p, const struct file_diff *fd,
			    const char *path, int by_ids)
{
	if (fd->is_binary && !fd->binary_data && !by_ids && !apply_has_text(p))
		return error_at(patch_where(p), fd->lineno,
				"%s: binary diff without data: nothing to apply",
				path);
	if (!s->allow_symlinks &&
	    (is_symlink_mode(fd->old_mode) || is_symlink_mode(fd->new_mode)))
		return error_at(patch_where(p), fd->lineno,
				"%s: patch changes a symbolic link; refused "
				"(symlinks are not allowed)", path);
	return 0;
}

/*
 * A file the tree holds as a symlink is refused unless symlinks are
 * allowed, and even then only a diff that says it changes a symlink (git's
 * mode 120000) may touch it: a plain diff would rewrite the link's target
 * (CVE-2023-23946).
 */
static int apply_check_file(const struct apply_state *s,
			    const struct patch *p, const struct file_diff *fd,
			    const char *path, const struct tree_file *f)
{
	if (!is_symlink_mode(f->mode))
		return 0;
	if (!s->allow_symlinks)
		return error_at(patch_where(p), fd->lineno,
				"%s: is a symbolic link in the tree; refused "
				"(symlinks are not allowed)", path);
	if (!is_symlink_mode(fd->old_mode))
		return error_at(patch_where(p), fd->lineno,
				"%s: is a symlink, but the patch changes it as "
				"a regular file; refused", path);
	return 0;
}

/* ------------------------------------------------------------------ */
/* One file diff                                                      */

/* Every hunk judged as the whole file: a conflict has no target line. */
void apply_set_hunks(struct file_result *fr, enum verdict v)
{
	size_t i;

	for (i = 0; i < fr->fd->nhunks; i++) {
		struct hunk_result *hr = &fr->hunks[i];

		memset(hr, 0, sizeof(*hr));
		hr->verdict = v;
		hr->at = v == V_APPLIED ? fr->fd->hunks[i].new_start : 0;
	}
}

/* The file conflicts for reason; hunks that no placement judged get it. */
void apply_file_conflict(struct file_result *fr, const char *reason)
{
	size_t i;

	fr->verdict = V_CONFLICT;
	fr->reason = reason;
	for (i = 0; i < fr->fd->nhunks; i++)
		if (fr->hunks[i].verdict == V_CONFLICT && !fr->hunks[i].reason &&
		    !fr->hunks[i].at)
			fr->hunks[i].reason = reason;
}

const char *merge_state_name(enum merge_state m)
{
	switch (m) {
	case MERGE_CLEAN:
		return "merged";
	case MERGE_CONFLICTS:
		return "conflicts";
	case MERGE_MARKERS:
		return "markers";
	default:
		return NULL;
	}
}

/* A whole-file verdict: already applied, or a conflict for reason. */
void apply_judge_whole(struct file_result *fr, int applied,
			     const char *reason)
{
	if (applied) {
		apply_set_hunks(fr, V_APPLIED);
		fr->verdict = V_APPLIED;
	} else {
		apply_set_hunks(fr, V_CONFLICT);
		apply_file_conflict(fr, reason);
	}
}

/* Stage new content for path unless nothing changed. */
static void job_put(struct file_job *j, const char *path,
		    const struct tree_file *cur, struct strbuf *out,
		    unsigned mode)
{
	size_t len;
	char *data;

	if (cur && cur->mode == mode && cur->len == out->len &&
	    (!out->len || !memcmp(cur->data, out->buf, out->len)))
		return;
	data = sb_detach(out, &len);
	tree_put(j->t, path, data, len, mode);
}

static unsigned new_mode_for(const struct file_diff *fd, unsigned cur)
{
	if (fd->new_mode)
		return fd->new_mode;
	return cur ? cur : 0100644;
}

static int job_modify(struct file_job *j)
{
	struct file_result *fr = j->fr;
	struct strbuf out = STRBUF_INIT;
	struct tree_file f;
	const char *path = fr->path;
	int rc;

	if (apply_job_same_blob(j))
		return 0;
	rc = tree_get(j->t, path, &f);
	if (rc == TREE_ENOENT && j->fd->old_path) {
		/* "--- a/x.orig +++ b/x": patch the side that exists. */
		const char *old = file_diff_path(j->fd, j->strip, 0);

		if (old && strcmp(old, path) &&
		    (rc = tree_get(j->t, old, &f)) == 0) {
			free(fr->path);
			fr->path = xstrdup(old);
			path = fr->path;
		}
	}
	if (rc == TREE_ENOENT)
		rc = apply_job_moved(j, &f);
	if (rc < 0)
		return -1;
	if (rc == TREE_ENOENT) {
		apply_set_hunks(fr, V_CONFLICT);
		apply_file_conflict(fr, fr->moved ? fr->moved : "file missing");
		return 0;
	}
	path = fr->path;
	if (apply_check_file(j->s, j->p, j->fd, path, &f) < 0)
		return -1;
	if (apply_job_mode_only(j, &f))
		return 0;
	fr->verdict = apply_job_place(j, path, &f, &out);
	if (fr->moved && fr->verdict < V_ADAPTED)
		fr->verdict = V_ADAPTED; /* on the target's path */
	if (fr->verdict != V_CONFLICT || j->merge_markers)
		job_put(j, path, &f, &out, new_mode_for(j->fd, f.mode));
	sb_release(&out);
	return 0;
}

static int job_create(struct file_job *j)
{
	struct file_result *fr = j->fr;
	struct strbuf out = STRBUF_INIT;
	struct tree_file f;
	int rc = tree_get(j->t, fr->path, &f);

	if (rc < 0)
		return -1;
	if (rc == 0 && apply_check_file(j->s, j->p, j->fd, fr->path, &f) < 0)
		return -1;
	fr->verdict = apply_job_place(j, NULL, NULL, &out);
	if (fr->verdict == V_CONFLICT) {
		sb_release(&out);
		return 0;
	}
	if (rc == 0 && f.len) {
		/* GNU patch refuses to create over a non-empty file. */
		int same = f.len == out.len && !memcmp(f.data, out.buf, f.len);

		apply_judge_whole(fr, same && j->s->detect_applied, "file exists");
		sb_release(&out);
		return 0;
	}
	job_put(j, fr->path, rc == 0 ? &f : NULL, &out,
		new_mode_for(j->fd, 0));
	sb_release(&out);
	return 0;
}

/*
 * A deletion of a file the tree lacks: git apply and quilt fail on a git
 * patch's, and so does this; a plain diff's counts as already applied (as
 * GNU patch -N), and so does one an interrupted apply, finished by
 * recovery, made.
 */
static int delete_done(const struct file_job *j, const char *path)
{
	size_t i;

	for (i = 0; i < j->s->ndone_deletes; i++)
		if (!strcmp(j->s->done_deletes[i], path))
			return 1;
	return !j->fd->is_git;
}

static int job_delete(struct file_job *j)
{
	struct file_result *fr = j->fr;
	struct strbuf out = STRBUF_INIT;
	struct tree_file f;
	int rc = tree_get(j->t, fr->path, &f);

	if (rc < 0)
		return -1;
	if (rc == TREE_ENOENT) {
		apply_judge_whole(fr, j->s->detect_applied &&
				      delete_done(j, fr->path),
				  "file to delete does not exist");
		return 0;
	}
	if (apply_check_file(j->s, j->p, j->fd, fr->path, &f) < 0)
		return -1;
	fr->verdict = apply_job_place(j, fr->path, &f, &out);
	if (fr->verdict != V_CONFLICT && out.len) {
		/* GNU patch: "Not deleting file as content differs". */
		apply_file_conflict(fr, "file has lines the patch does not delete");
	} else if (fr->verdict != V_CONFLICT) {
		tree_delete(j->t, fr->path);
	}
	sb_release(&out);
	return 0;
}

static int job_rename_applied(struct file_job *j)
{
	struct file_result *fr = j->fr;
	struct tree_file f;
	struct place_opts o = apply_job_opts(j);
	size_t i;
	int rc = tree_get(j->t, fr->path, &f);

	if (rc != 0 || !j->s->detect_applied)
		return rc < 0 ? -1 : 0;
	place_file(j->fd, f.data, f.len, &o, fr->hunks, NULL);
	for (i = 0; i < j->fd->nhunks; i++)
		if (fr->hunks[i].verdict != V_APPLIED)
			return 0;
	fr->verdict = V_APPLIED;
	fr->reason = NULL;
	return 1;
}

static int job_rename(struct file_job *j)
{
	struct file_result *fr = j->fr;
	struct strbuf out = STRBUF_INIT;
	struct tree_file src, dst;
	const char *from = file_diff_path(j->fd, j->strip, 0);
	int rc, drc;

	if (!from)
		return error_at(patch_where(j->p), j->fd->lineno,
				"%s: %s names no source file", fr->path,
				j->fd->op == FILE_RENAME ? "rename" : "copy");
	rc = tree_get(j->t, from, &src);
	if (rc < 0)
		return -1;
	if (rc == TREE_ENOENT) {
		apply_set_hunks(fr, V_CONFLICT);
		apply_file_conflict(fr, "file missing");
		/* A rename that is already done: source gone, target there. */
		return job_rename_applied(j) < 0 ? -1 : 0;
	}
	if (apply_check_file(j->s, j->p, j->fd, from, &src) < 0)
		return -1;
	drc = tree_get(j->t, fr->path, &dst);
	if (drc < 0)
		return -1;
	if (drc == 0 && strcmp(from, fr->path)) {
		apply_set_hunks(fr, V_CONFLICT);
		apply_file_conflict(fr, "file exists");
		return 0;
	}
	/* tree_get(dst) may not invalidate src: both are entries' buffers. */
	fr->verdict = apply_job_place(j, from, &src, &out);
	if (fr->verdict != V_CONFLICT || j->merge_markers) {
		unsigned mode = new_mode_for(j->fd, src.mode);
		size_t len;
		char *data = sb_detach(&out, &len);

		tree_put(j->t, fr->path, data, len, mode);
		if (j->fd->op == FILE_RENAME && strcmp(from, fr->path))
			tree_delete(j->t, from);
	}
	sb_release(&out);
	return 0;
}

/*
 * Does f hold the post-image of fd's binary change?  Asked only of a file
 * that is not the pre-image, so that each file is hashed once on the way
 * that applies the change.
 */
static int binary_done(const struct file_diff *fd, const struct tree_file *f)
{
	return *fd->new_id && binpatch_is_blob(f->data, f->len, fd->new_id);
}

static void job_applied_or(struct file_job *j, int done, const char *reason)
{
	if (done && j->s->detect_applied)
		j->fr->verdict = V_APPLIED;
	else
		apply_file_conflict(j->fr, reason);
}

/*
 * A "GIT binary patch": no fuzz, no merge, only the exact pre-image takes
 * it (binpatch.h), on the file as the series so far sees it -- or, for a
 * rename or copy, on its source.  Corrupt data is an input error.
 */
static int job_binary(struct file_job *j)
{
	const struct file_diff *fd = j->fd;
	struct file_result *fr = j->fr;
	const char *from = fr->path;
	struct strbuf out = STRBUF_INIT;
	struct tree_file f, dst;
	int rc, drc = TREE_ENOENT, ret;

	if (fd->op == FILE_RENAME || fd->op == FILE_COPY)
		from = file_diff_path(fd, j->strip, 0);
	if (!from)
		return error_at(patch_where(j->p), fd->lineno, "%s: names no source "
				"file", fr->path);
	rc = tree_get(j->t, from, &f);
	if (rc == 0 && apply_check_file(j->s, j->p, fd, from, &f) < 0)
		return -1;
	if (rc == 0 && from != fr->path && strcmp(from, fr->path))
		drc = tree_get(j->t, fr->path, &dst);
	if (rc < 0 || drc < 0)
		return -1;
	fr->verdict = V_CLEAN;
	if (fd->op == FILE_CREATE && rc == 0) {
		job_applied_or(j, binary_done(fd, &f), "file exists");
		return 0;
	}
	if (fd->op != FILE_CREATE && rc == TREE_ENOENT) {
		int done = fd->op == FILE_DELETE;

		if (!done && from != fr->path &&
		    tree_get(j->t, fr->path, &dst) == 0)
			done = binary_done(fd, &dst);
		job_applied_or(j, done, "file missing");
		return 0;
	}
	if (drc == 0) {
		apply_file_conflict(fr, "file exists");
		return 0;
	}
	/* as git apply: without the pre-image's id, any file would take it */
	if (fd->op != FILE_CREATE && !*fd->old_id) {
		apply_file_conflict(fr, "binary patch without an index line: its "
			      "pre-image is unknown");
		return 0;
	}
	ret = binpatch_apply(fd, patch_where(j->p), rc == 0 ? f.data : NULL,
			     rc == 0 ? f.len : 0, &out);
	if (ret == 1)
		job_applied_or(j, fd->op == FILE_MODIFY && binary_done(fd, &f),
			       "binary file differs from the patch's "
			       "pre-image");
	else if (!ret && fd->op == FILE_DELETE)
		tree_delete(j->t, fr->path);
	else if (!ret)
		job_put(j, fr->path, rc == 0 && from == fr->path ? &f : NULL,
			&out, new_mode_for(fd, rc == 0 ? f.mode : 0));
	if (!ret && fd->op == FILE_RENAME && strcmp(from, fr->path))
		tree_delete(j->t, from);
	sb_release(&out);
	return ret < 0 ? -1 : 0;
}

/*
 * A binary change without data in a commit's text (whole_blobs: its
 * "index" line names the very blobs, in full; gitsrc_binary_ids), on a
 * tree that reads blob ids.  git apply takes the post-image of such a
 * change from its object store; here it is judged from the ids alone, as
 * job_binary judges data: only the exact pre-image takes the change, and
 * the file becomes the post-image blob, read when something asks for it.
 */
static int binary_by_ids(const struct file_job *j)
{
	const struct file_diff *fd = j->fd;

	return fd->is_binary && !fd->binary_data && j->p->whole_blobs &&
	       tree_reads_ids(j->t) &&
	       strlen(fd->old_id) == 2 * TREE_ID_LEN &&
	       strlen(fd->new_id) == 2 * TREE_ID_LEN;
}

/* The id of path as the series sees it: 0, TREE_ENOENT, or -1. */
static int job_id(struct file_job *j, const char *path,
		  const unsigned char **id, unsigned *mode)
{
	struct tree_file f;
	int rc;

	*mode = 0;
	if ((*id = tree_get_id(j->t, path, mode)) != NULL)
		return 0;
	rc = tree_get(j->t, path, &f);
	if (rc == 0) /* there, but its id was not made */
		return error_at(patch_where(j->p), j->fd->lineno, "%s: cannot "
				"name its blob id", path);
	return rc;
}

static int id_is(const unsigned char *id, const char *hex)
{
	unsigned char b[TREE_ID_LEN];

	return id && !hex_to_bytes(hex, b, TREE_ID_LEN) &&
	       !memcmp(id, b, TREE_ID_LEN);
}

/* job_binary's rules, case for case, on ids. */
static int job_binary_ids(struct file_job *j)
{
	const struct file_diff *fd = j->fd;
	struct file_result *fr = j->fr;
	const char *from = fr->path;
	const unsigned char *id = NULL, *dst = NULL;
	unsigned char post[TREE_ID_LEN];
	struct tree_file f = { 0 };
	unsigned dmode;
	int rc, drc = TREE_ENOENT;

	if (fd->op == FILE_RENAME || fd->op == FILE_COPY)
		from = file_diff_path(fd, j->strip, 0);
	if (!from)
		return error_at(patch_where(j->p), fd->lineno, "%s: names no source "
				"file", fr->path);
	rc = job_id(j, from, &id, &f.mode);
	if (rc == 0 && apply_check_file(j->s, j->p, fd, from, &f) < 0)
		return -1;
	if (rc == 0 && from != fr->path && strcmp(from, fr->path))
		drc = job_id(j, fr->path, &dst, &dmode);
	if (rc < 0 || drc < 0)
		return -1;
	fr->verdict = V_CLEAN;
	if (fd->op == FILE_CREATE && rc == 0) {
		job_applied_or(j, id_is(id, fd->new_id), "file exists");
		return 0;
	}
	if (fd->op != FILE_CREATE && rc == TREE_ENOENT) {
		int done = fd->op == FILE_DELETE;

		if (!done && from != fr->path &&
		    job_id(j, fr->path, &dst, &dmode) == 0)
			done = id_is(dst, fd->new_id);
		job_applied_or(j, done, "file missing");
		return 0;
	}
	if (drc == 0) {
		apply_file_conflict(fr, "file exists");
		return 0;
	}
	if (fd->op != FILE_CREATE && !id_is(id, fd->old_id)) {
		job_applied_or(j, fd->op == FILE_MODIFY && id_is(id, fd->new_id),
			       "binary file differs from the patch's "
			       "pre-image");
		return 0;
	}
	if (fd->op == FILE_DELETE)
		tree_delete(j->t, fr->path);
	else if (hex_to_bytes(fd->new_id, post, TREE_ID_LEN) < 0 ||
		 tree_put_id(j->t, fr->path, post,
			     new_mode_for(fd, rc == 0 ? f.mode : 0)) < 0)
		return error_at(patch_where(j->p), fd->lineno, "%s: cannot "
				"name the post-image by its id", fr->path);
	if (fd->op == FILE_RENAME && strcmp(from, fr->path))
		tree_delete(j->t, from);
	return 0;
}

static int apply_file(struct file_job *j)
{
	if (j->fd->is_submodule)
		return apply_job_submodule(j);
	switch (j->fd->op) {
	case FILE_CREATE:
		return job_create(j);
	case FILE_DELETE:
		return job_delete(j);
	case FILE_RENAME:
	case FILE_COPY:
		return job_rename(j);
	case FILE_MODIFY:
	default:
		return job_modify(j);
	}
}

/* ------------------------------------------------------------------ */
/* The patch                                                          */

/* The first conflict: its reason and the patch line it concerns. */
static void result_first_conflict(struct patch_result *r)
{
	const struct file_result *fr = patch_result_deciding(r, V_CONFLICT);
	size_t h;

	if (fr) {
		for (h = 0; h < fr->fd->nhunks && !fr->reason; h++)
			if (fr->hunks[h].verdict == V_CONFLICT) {
				r->reason = fr->hunks[h].reason;
				r->reason_line = fr->fd->hunks[h].lineno;
				return;
			}
		r->reason = fr->reason ? fr->reason : "conflict";
		r->reason_line = fr->fd->lineno;
	}
}

/*
 * A patch may name a file once: written, deleted or renamed away twice,
 * the second diff would see the first's result (or a symlink it made),
 * which is how GNU patch's CVE-2015-1196/-1396 worked.  Copy sources are
 * only read.
 */
static int apply_check_twice(const struct patch *p, size_t upto, int strip)
{
	const struct file_diff *fd = &p->files[upto];
	const char *mine[2];
	size_t i, k, m;

	mine[0] = file_diff_target(fd, strip);
	mine[1] = fd->op == FILE_RENAME ? file_diff_path(fd, strip, 0) : NULL;
	for (i = 0; i < upto; i++) {
		const struct file_diff *o = &p->files[i];
		const char *theirs[2];

		theirs[0] = file_diff_target(o, strip);
		theirs[1] = o->op == FILE_RENAME ? file_diff_path(o, strip, 0)
						 : NULL;
		for (k = 0; k < 2; k++)
			for (m = 0; m < 2; m++)
				if (mine[k] && theirs[m] &&
				    !strcmp(mine[k], theirs[m]))
					return error_at(patch_where(p), fd->lineno,
							"%s: changed twice in "
							"one patch",
							mine[k]);
	}
	return 0;
}

static int apply_files(const struct apply_state *s, struct tree *t,
		       const struct patch *p, struct patch_result *r,
		       int *unmarked)
{
	int strip = patch_strip_level(p);
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		const struct file_diff *fd = &p->files[i];
		struct file_result *fr = &r->files[i];
		struct file_job j = { s, t, p, fd, fr, strip, 0, NULL };
		const char *target;
		int by_ids, rc = 0;

		fr->fd = fd;
		fr->hunks = xcalloc(fd->nhunks + 1, sizeof(*fr->hunks));
		r->nfiles = i + 1;
		if (apply_check_paths(p, fd, strip) < 0 ||
		    apply_check_twice(p, i, strip) < 0)
			return -1;
		target = file_diff_target(fd, strip);
		fr->path = xstrdup(target);
		by_ids = binary_by_ids(&j);
		if (apply_check_kind(s, p, fd, fr->path, by_ids) < 0)
			return -1;
		if (by_ids)
			rc = job_binary_ids(&j);
		else if (fd->is_binary && !fd->binary_data)
			apply_binary_nodata(p, fd, fr);
		else
			rc = fd->binary_data ? job_binary(&j) : apply_file(&j);
		if (rc < 0)
			return -1;
		if (fr->verdict == V_CONFLICT && !j.merge_markers)
			*unmarked = 1;
		r->verdict = verdict_worst(r->verdict, fr->verdict);
	}
	return 0;
}

int apply_patch(const struct apply_state *s, struct tree *t,
		const struct patch *p, struct patch_result *r)
{
	int unmarked = 0; /* a conflict that left no merge markers */

	memset(r, 0, sizeof(*r));
	r->patch = p;
	r->verdict = V_CLEAN;
	r->files = xcalloc(p->nfiles + 1, sizeof(*r->files));

	tree_begin(t);
	if (apply_files(s, t, p, r, &unmarked) < 0) {
		tree_abort(t);
		patch_result_release(r); /* callers see only the error */
		return -1;
	}
	result_first_conflict(r);
	if (s->independent ||
	    (r->verdict == V_CONFLICT && (unmarked || !s->keep_conflicts))) {
		tree_abort(t);
		r->kept = 0;
	} else {
		tree_keep(t);
		r->kept = 1;
	}
	return 0;
}

void apply_setup_merge(struct apply_state *s, struct input *in)
{
	if (!in->git_repo || input_open_git(in) < 0)
		return;
	/* markers only for apply --merge: elsewhere a merge that must
	   conflict is not made */
	s->merge = s->keep_conflicts ? gitsrc_merge : gitsrc_merge_judge;
	s->merge_ctx = in->git;
	s->renames = gitsrc_find_renames;
	s->moved = gitsrc_find_move;
	s->renames_ctx = in->git;
}
