/*
 * gitsrc_diff.c - the diff of two blobs, line by line as git_diff_blobs
 * gives it (3 lines of context), kept for the next ask.
 *
 * deps reads the same upstream change many times: each conflicting patch
 * on each target walks back over the commits that changed its files, and
 * each guard macro of a prerequisite over those that changed the guarded
 * file.  The diffs are kept by (old blob, new blob, path) in gitsrc's
 * table (gitsrc_table.c), within GITSRC_DIFF_BUDGET bytes.
 */
#include "input/gitsrc_int.h"

#include <string.h>

#define GITSRC_DIFF_BUDGET ((size_t)64 << 20)

struct gitsrc_diff {
	struct gitsrc_entry e; /* first: the table's header */
	struct gitsrc_diff_line *lines;
	size_t n;
	char *text;     /* the lines' content, one buffer */
};

static void diff_free(struct gitsrc_entry *e)
{
	struct gitsrc_diff *d = (struct gitsrc_diff *)e;

	free(d->e.path);
	free(d->lines);
	free(d->text);
	free(d);
}

struct collect {
	struct strbuf text;
	struct gitsrc_diff_line *v;
	size_t *off;    /* where each line starts in text (it moves) */
	size_t n, alloc, alloc_off;
};

static int collect_line(const git_diff_delta *d, const git_diff_hunk *h,
			const git_diff_line *l, void *data)
{
	struct collect *c = data;

	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	ALLOC_GROW(c->off, c->n + 1, c->alloc_off);
	c->v[c->n].origin = l->origin;
	c->v[c->n].len = l->content_len;
	c->off[c->n++] = c->text.len;
	sb_add(&c->text, l->content, l->content_len);
	return 0;
}

static struct gitsrc_diff *diff_make(git_repository *repo, const git_oid *a,
				     const git_oid *b, const char *path)
{
	git_blob *ba = NULL, *bb = NULL;
	struct collect c = { STRBUF_INIT, NULL, NULL, 0, 0, 0 };
	struct gitsrc_diff *d;
	size_t i;

	if ((!git_oid_is_zero(a) && git_blob_lookup(&ba, repo, a) < 0) ||
	    git_blob_lookup(&bb, repo, b) < 0) {
		git_blob_free(ba);
		return NULL;
	}
	sb_init(&c.text);
	git_diff_blobs(ba, path, bb, path, NULL, NULL, NULL, NULL,
		       collect_line, &c);
	git_blob_free(ba);
	git_blob_free(bb);
	d = xcalloc(1, sizeof(*d));
	git_oid_cpy(&d->e.a, a);
	git_oid_cpy(&d->e.b, b);
	d->e.path = xstrdup(path);
	d->e.free = diff_free;
	d->e.bytes = sizeof(*d) + strlen(path) + c.n * sizeof(*c.v) + c.text.len;
	d->text = sb_detach(&c.text, NULL);
	d->lines = c.v;
	d->n = c.n;
	for (i = 0; i < d->n; i++)
		d->lines[i].content = d->text + c.off[i];
	free(c.off);
	return d;
}

int gitsrc_blob_diff(struct gitsrc *g, const git_oid *a, const git_oid *b,
		     const char *path, const struct gitsrc_diff_line **lines,
		     size_t *n)
{
	static const git_oid zero;
	struct gitsrc_diff *d;

	if (!a)
		a = &zero;
	d = (struct gitsrc_diff *)gitsrc_table_get(&g->diffs, a, b, path);
	if (!d) {
		d = diff_make(g->repo, a, b, path);
		if (!d)
			return -1;
		gitsrc_table_put(&g->diffs, &d->e, GITSRC_DIFF_BUDGET);
	}
	*lines = d->lines;
	*n = d->n;
	return 0;
}
