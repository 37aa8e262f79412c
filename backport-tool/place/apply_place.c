/*
 * apply_place.c - one file's content placed, for apply.c's jobs: the
 * hunks placed (place.h), then the 3-way hook, then adaptation; the
 * content's split lines kept with the tree while the content stays
 * (tree_memo); and a commit's whole-blob patch on its very pre-image told
 * from the blob ids alone.
 */
#include "place/apply_int.h"

#include <stdlib.h>
#include <string.h>

#include "input/gitsrc.h"
#include "util.h"

struct place_opts apply_job_opts(const struct file_job *j)
{
	struct place_opts o;

	o.max_fuzz = j->s->max_fuzz;
	o.detect_applied = j->s->detect_applied;
	o.no_ambiguous = j->s->no_ambiguous;
	o.adapt = 0; /* tried last, by job_adapt */
	o.no_reasons = 0;
	o.prior = NULL;
	o.history = NULL;
	o.nhistory = 0;
	o.text = NULL; /* job_place's placements of cur lend its lines */
	return o;
}

/*
 * After a clean 3-way merge: the hunks it resolved have their lines in
 * the result too, so every later hunk's target line moves by what the
 * merged hunks before it added or removed (the placement could not count
 * them).
 */
static void job_merged_lines(struct file_job *j)
{
	long delta = 0;
	size_t i;

	for (i = 0; i < j->fd->nhunks; i++) {
		struct hunk_result *hr = &j->fr->hunks[i];
		const struct hunk *h = &j->fd->hunks[i];

		if (hr->at)
			hr->at += delta;
		if (hr->verdict == V_CONFLICT) {
			hr->verdict = V_MERGED;
			hr->reason = NULL;
			hr->ambiguous_at = 0;
			delta += h->new_count - h->old_count;
		}
	}
}

/* With a history: the names upstream renamed since the target's revision
   that the hunks use (gitsrc_find_renames), for the adapter. */
static void job_history(struct file_job *j, const char *cur, size_t cur_len,
			struct place_opts *o)
{
	const char *rev = apply_target_rev(j);
	struct gitsrc_rename *v = NULL;
	size_t n = 0;

	if (!j->s->renames || !rev ||
	    j->s->renames(j->s->renames_ctx, rev, j->p, j->fd, cur, cur_len,
			  &v, &n) < 0)
		return;
	o->history = v;
	o->nhistory = n;
}

/*
 * Nothing else placed the file: adapt what can be (adapt.h).  The hunks
 * are placed again with adaptation on; a refused one keeps its conflict
 * with the reason no adaptation was made.  An adaptation wins over kept
 * merge markers: it is a verified change, the markers are not.
 */
static enum verdict job_adapt(struct file_job *j, const char *cur,
			      size_t cur_len, struct strbuf *out)
{
	struct place_opts o = apply_job_opts(j);
	struct strbuf sb = STRBUF_INIT;
	enum verdict v;
	struct hunk_result *prior;

	o.text = j->text; /* cur's lines, split by job_place */
	/* the hunks as placement judged them (a merge that failed leaves
	   them so): adaptation keeps every placement they made */
	o.adapt = 1;
	job_history(j, cur, cur_len, &o);
	prior = xcalloc(j->fd->nhunks + 1, sizeof(*prior));
	memcpy(prior, j->fr->hunks, j->fd->nhunks * sizeof(*prior));
	o.prior = prior;
	hunk_results_clear(j->fr->hunks, j->fd->nhunks);
	v = place_file(j->fd, cur, cur_len, &o, j->fr->hunks, &sb);
	free(prior);
	gitsrc_renames_free((struct gitsrc_rename *)o.history, o.nhistory);
	if (v != V_CONFLICT) {
		sb_release(out);
		*out = sb;
		if (j->fr->merge == MERGE_MARKERS)
			j->fr->merge = MERGE_CONFLICTS;
		j->merge_markers = 0;
		return v;
	}
	sb_release(&sb);
	return V_CONFLICT;
}

/* merge_ours's has_line and line_hashes: placement's index of the lines */
static int text_has_line(const void *lines, unsigned h)
{
	long count;

	return text_index_first(lines, h, &count) >= 0;
}

static const unsigned *text_hashes_of(const void *lines, size_t *n)
{
	*n = ((const struct text *)lines)->n;
	return text_line_hashes(lines);
}

/*
 * Place the hunks on cur; on a conflict, try the 3-way hook, then
 * adaptation.  Returns the
 * file verdict; out holds the new content unless it is V_CONFLICT without
 * markers to keep.
 */
static enum verdict job_place_split(struct file_job *j, const char *path,
				    const char *cur, size_t cur_len,
				    const unsigned char *cur_id,
				    struct strbuf *out)
{
	struct place_opts o = apply_job_opts(j);
	struct merge_ours mc = { cur, cur_len, cur_id, j->t, path,
				 text_has_line, text_hashes_of, j->text };
	enum verdict v;
	int m;

	o.no_reasons = j->s->adapt; /* job_adapt places it again */
	o.text = j->text;
	v = place_file(j->fd, cur, cur_len, &o, j->fr->hunks, out);
	if (v != V_CONFLICT)
		return v;
	if (!j->s->merge)
		return j->s->adapt ? job_adapt(j, cur, cur_len, out) : v;
	m = j->s->merge(j->s->merge_ctx, j->p, j->fd, &mc, out);
	if (m < 0)
		return j->s->adapt ? job_adapt(j, cur, cur_len, out) : v;
	if (m == 0) {
		j->fr->merge = MERGE_CLEAN;
		job_merged_lines(j);
		return V_MERGED;
	}
	j->fr->merge = MERGE_CONFLICTS;
	if (j->s->keep_conflicts) {
		j->fr->merge = MERGE_MARKERS;
		j->merge_markers = 1;
	}
	return j->s->adapt ? job_adapt(j, cur, cur_len, out) : V_CONFLICT;
}

static void text_free(void *p)
{
	text_release(p);
	free(p);
}

/*
 * job_place_split, with cur's lines split once for all its placements,
 * and, when the content stays (a conflict, or already applied), kept with
 * the tree for the next patch that finds it there (tree_memo_take: what
 * placement indexed comes with them).  cur is the tree's file at path
 * (NULL: none, a file to create).
 */
enum verdict apply_job_place(struct file_job *j, const char *path,
			     const struct tree_file *cur, struct strbuf *out)
{
	unsigned long serial = cur ? cur->serial : 0;
	struct text *t = tree_memo_take(j->t, serial);
	enum verdict v;

	if (!t) {
		t = xcalloc(1, sizeof(*t));
		text_split(t, cur ? cur->data : NULL, cur ? cur->len : 0);
	}
	j->text = t;
	v = job_place_split(j, cur ? path : NULL, cur ? cur->data : NULL,
			    cur ? cur->len : 0, cur ? cur->id : NULL, out);
	j->text = NULL;
	/* a placed file is replaced (its content asked for again only if
	   the patch is undone): kept are the contents that stay */
	if (v == V_CONFLICT || v == V_APPLIED)
		tree_memo_put(j->t, serial, t, text_memory(t), text_free);
	else
		text_free(t);
	return v;
}

/*
 * The target holds the patch's very pre-image (the blob id its "index"
 * line names) and the patch is that blob's whole diff (whole_blobs):
 * every hunk lands where it says, and the file becomes the post-image
 * blob.  Told from the ids alone, reading and placing nothing; the
 * results are what placement gives a hunk found exactly at its stated
 * line.  1 when done so, 0 when the file is to be placed.
 */
int apply_job_same_blob(struct file_job *j)
{
	const struct file_diff *fd = j->fd;
	unsigned char pre[TREE_ID_LEN], post[TREE_ID_LEN];
	const unsigned char *id;
	unsigned mode = 0;
	long out_offset = 0;
	size_t i;

	if (!j->p->whole_blobs || !tree_reads_ids(j->t) ||
	    fd->op != FILE_MODIFY || fd->is_binary ||
	    fd->is_submodule || !fd->nhunks ||
	    hex_to_bytes(fd->old_id, pre, TREE_ID_LEN) ||
	    hex_to_bytes(fd->new_id, post, TREE_ID_LEN) ||
	    !(id = tree_peek_id(j->t, j->fr->path, &mode)) ||
	    memcmp(id, pre, TREE_ID_LEN) ||
	    (mode != 0100644 && mode != 0100755) ||
	    (fd->old_mode && fd->old_mode != mode) ||
	    (fd->new_mode && fd->new_mode != mode) ||
	    tree_put_id(j->t, j->fr->path, post, mode) < 0)
		return 0;
	for (i = 0; i < fd->nhunks; i++) {
		const struct hunk *h = &fd->hunks[i];
		struct hunk_result *hr = &j->fr->hunks[i];
		/* place.c's hunk_first: a hunk with no old line appends */
		long where = h->old_start + (h->old_count ? 0 : 1);

		memset(hr, 0, sizeof(*hr));
		hr->verdict = V_CLEAN;
		hr->at = where + out_offset;
		hr->old_at = h->old_count ? where : 0;
		out_offset += h->new_count - h->old_count;
	}
	j->fr->verdict = V_CLEAN;
	return 1;
}
