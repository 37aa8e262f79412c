/*
 * refresh.c - rewrite a patch as the fuzz-0 diff of what it did to the
 * target, quilt style, with its header completed with DEP-3 fields.
 */
#include "emit/refresh.h"
#include "place/apply.h"

#include <stdlib.h>
#include <string.h>

#include <git2.h>

static struct refresh_file *snapshot_find(const struct refresh_snapshot *s,
					  const char *path)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].path, path))
			return &s->v[i];
	return NULL;
}

static int snapshot_add(struct refresh_snapshot *s, struct tree *t,
			const char *path)
{
	struct refresh_file *f;
	struct tree_file tf;
	int ret;

	if (!path || snapshot_find(s, path))
		return 0;
	ret = tree_get(t, path, &tf);
	if (ret < 0)
		return -1;
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	f = &s->v[s->n++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->exists = ret == 0;
	if (f->exists) {
		f->data = xmalloc(tf.len + 1);
		if (tf.len)
			memcpy(f->data, tf.data, tf.len);
		f->data[tf.len] = '\0';
		f->len = tf.len;
		f->mode = tf.mode;
	}
	return 0;
}

struct snapshot_moved {
	struct refresh_snapshot *s;
	struct tree *t;
};

static int snapshot_add_moved(const char *path, void *data)
{
	struct snapshot_moved *m = data;

	return snapshot_add(m->s, m->t, path);
}

int refresh_snapshot_take_moved(struct refresh_snapshot *s, struct tree *t,
				const struct apply_state *st,
				const struct patch *p)
{
	struct snapshot_moved m = { s, t };

	if (refresh_snapshot_take(s, t, p) < 0)
		return -1;
	return apply_moved_paths(st, t, p, snapshot_add_moved, &m);
}

int refresh_snapshot_take(struct refresh_snapshot *s, struct tree *t,
			  const struct patch *p)
{
	int strip = patch_strip_level(p);
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		const struct file_diff *fd = &p->files[i];
		if (snapshot_add(s, t, file_diff_path(fd, strip, 0)) ||
		    snapshot_add(s, t, file_diff_path(fd, strip, 1)))
			return -1;
	}
	return 0;
}

void refresh_snapshot_release(struct refresh_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].path);
		free(s->v[i].data);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void refresh_snapshot_restore(const struct refresh_snapshot *s,
			      struct tree *t)
{
	size_t i;

	tree_begin(t);
	for (i = 0; i < s->n; i++) {
		const struct refresh_file *f = &s->v[i];
		struct tree_file now;

		if (f->exists)
			tree_put(t, f->path, xstrndup(f->data, f->len), f->len,
				 f->mode);
		else if (tree_get(t, f->path, &now) == 0)
			tree_delete(t, f->path);
	}
	tree_keep(t);
}

static int git_failed(const char *path, const char *what)
{
	const git_error *e = git_error_last();

	return error_at(path, 0, "%s: %s", what, e && e->message ? e->message
							       : "libgit2 error");
}

/* The hunks of a libgit2 patch, as GNU diff -u would print them. */
static void add_hunks(git_patch *gp, struct strbuf *out)
{
	size_t h, l, nlines;

	for (h = 0; h < git_patch_num_hunks(gp); h++) {
		const git_diff_hunk *hunk;

		git_patch_get_hunk(&hunk, &nlines, gp, h);
		sb_add(out, hunk->header, hunk->header_len);
		for (l = 0; l < nlines; l++) {
			const git_diff_line *line;

			git_patch_get_line_in_hunk(&line, gp, h, l);
			switch (line->origin) {
			case GIT_DIFF_LINE_CONTEXT:
			case GIT_DIFF_LINE_ADDITION:
			case GIT_DIFF_LINE_DELETION:
				sb_addch(out, line->origin);
				break;
			default: /* "\n\\ No newline at end of file\n" */
				break;
			}
			sb_add(out, line->content, line->content_len);
		}
	}
}

int refresh_diff_file(const char *path, const char *old, size_t old_len,
		      int old_exists, const char *new, size_t new_len,
		      int new_exists, struct strbuf *out)
{
	git_diff_options opts;
	git_patch *gp = NULL;
	int ret = 0;

	if (old_exists == new_exists && old_len == new_len &&
	    (!old_len || !memcmp(old, new, old_len)))
		return 0;
	if (new_exists && !new_len && !old_exists)
		return error_at(path, 0, "an empty new file cannot be carried in "
				"a quilt patch");
	git_libgit2_init();
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 3;
	opts.interhunk_lines = 0;
	if (git_patch_from_buffers(&gp, old_exists ? old : NULL, old_len, path,
				   new_exists ? new : NULL, new_len, path,
				   &opts) < 0) {
		ret = git_failed(path, "cannot diff");
	} else if (git_patch_get_delta(gp)->flags & GIT_DIFF_FLAG_BINARY) {
		ret = error_at(path, 0, "binary content cannot be carried in a "
			       "quilt patch");
	} else if (git_patch_num_hunks(gp)) {
		sb_addf(out, old_exists ? "--- a/%s\n" : "--- /dev/null\n", path);
		sb_addf(out, new_exists ? "+++ b/%s\n" : "+++ /dev/null\n", path);
		add_hunks(gp, out);
	}
	git_patch_free(gp);
	git_libgit2_shutdown();
	return ret;
}

static int cmp_file_path(const void *a, const void *b)
{
	return strcmp(((const struct refresh_file *)a)->path,
		      ((const struct refresh_file *)b)->path);
}

int refresh_diff(const struct refresh_snapshot *s, struct tree *t,
		 struct strbuf *out)
{
	struct refresh_file *sorted;
	size_t i;
	int ret = 0;

	sorted = xcalloc(s->n, sizeof(*sorted));
	if (s->n)
		memcpy(sorted, s->v, s->n * sizeof(*sorted));
	qsort(sorted, s->n, sizeof(*sorted), cmp_file_path);
	for (i = 0; i < s->n && !ret; i++) {
		const struct refresh_file *f = &sorted[i];
		struct tree_file now = { 0 };
		int got = tree_get(t, f->path, &now);

		if (got < 0) {
			ret = -1;
		} else if ((f->exists && f->mode == 0120000) ||
			   (got == 0 && now.mode == 0120000)) {
			ret = error_at(f->path, 0, "a symlink cannot be carried "
				       "in a quilt patch");
		} else {
			ret = refresh_diff_file(f->path, f->data, f->len,
						f->exists, now.data,
						got == 0 ? now.len : 0,
						got == 0, out);
			if (!ret && f->exists && got == 0 && f->mode != now.mode)
				warning_at(f->path, 0, "mode change not carried: "
					   "quilt patches have no modes");
		}
	}
	free(sorted);
	return ret;
}

static int lines_equal(const struct pline *a, const struct pline *b,
		       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i].kind != b[i].kind || a[i].len != b[i].len ||
		    a[i].noeol != b[i].noeol ||
		    memcmp(a[i].text, b[i].text, a[i].len))
			return 0;
	return 1;
}

/* Is hunk h's whole line sequence somewhere inside one of fd's hunks? */
static int hunk_carried(const struct hunk *h, const struct file_diff *fd)
{
	size_t i, at;

	for (i = 0; i < fd->nhunks; i++) {
		const struct hunk *r = &fd->hunks[i];
		for (at = 0; at + h->nlines <= r->nlines; at++)
			if (lines_equal(h->lines, r->lines + at, h->nlines))
				return 1;
	}
	return 0;
}

static const struct file_diff *find_file(const struct patch *p,
					 const char *path)
{
	int strip = patch_strip_level(p);
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		const char *t = file_diff_target(&p->files[i], strip);
		if (t && !strcmp(t, path))
			return &p->files[i];
	}
	return NULL;
}

int refresh_same_hunks(const struct patch *p, const char *diff, size_t len)
{
	struct patch r;
	int strip = patch_strip_level(p), same = 1;
	size_t i, j;

	if (!len)
		return 0;
	if (patch_parse(&r, p->name, xstrndup(diff, len), len))
		return -1;
	r.strip = 1;
	for (i = 0; i < p->nfiles && same; i++) {
		const struct file_diff *fd = &p->files[i];
		const char *path = file_diff_target(fd, strip);
		const struct file_diff *rd = path ? find_file(&r, path) : NULL;

		if (fd->op == FILE_RENAME || fd->op == FILE_COPY)
			same = 0; /* quilt has no renames: it became two diffs */
		else if (!rd)
			same = fd->nhunks == 0 && fd->op == FILE_MODIFY;
		for (j = 0; j < fd->nhunks && same; j++)
			same = hunk_carried(&fd->hunks[j], rd);
	}
	patch_release(&r);
	return same;
}

int refresh_patch(const struct patch *p, const struct refresh_snapshot *s,
		  struct tree *t, const struct dep3_info *info,
		  struct strbuf *out, size_t *diff_at)
{
	struct strbuf diff = STRBUF_INIT;
	struct dep3_info in = *info;
	int same;

	sb_init(&diff);
	if (refresh_diff(s, t, &diff)) {
		sb_release(&diff);
		return -1;
	}
	if (!diff.len) {
		sb_release(&diff);
		return 1;
	}
	same = refresh_same_hunks(p, diff.buf, diff.len);
	in.backport = same != 1;
	if (same < 0 || dep3_complete(p, &in, out)) {
		sb_release(&diff);
		return -1;
	}
	if (diff_at)
		*diff_at = out->len;
	sb_add(out, diff.buf, diff.len);
	sb_release(&diff);
	return 0;
}
