/*
 * gitsrc_diff.c - the diff of two blobs, line by line as git_diff_blobs
 * gives it (3 lines of context), kept for the next ask.
 *
 * deps reads the same upstream change many times: each conflicting patch
 * on each target walks back over the commits that changed its files, and
 * each guard macro of a prerequisite over those that changed the guarded
 * file.  The diffs are kept by (old blob, new blob, path) until they take
 * GITSRC_DIFF_BUDGET bytes; then all are dropped and kept anew.
 */
#include "input/gitsrc_int.h"

#include <string.h>

#define GITSRC_DIFF_BUDGET ((size_t)64 << 20)

struct gitsrc_diff {
	git_oid a, b;   /* a is zero for no old blob */
	char *path;
	struct gitsrc_diff_line *lines;
	size_t n;
	char *text;     /* the lines' content, one buffer */
};

struct gitsrc_diffs {
	struct gitsrc_diff **slot;
	size_t nslot, used, bytes;
};

static size_t diff_hash(const git_oid *a, const git_oid *b, const char *path)
{
	size_t h = 5381, x, y;

	memcpy(&x, a->id, sizeof(x));
	memcpy(&y, b->id, sizeof(y));
	while (*path)
		h = h * 33 + (unsigned char)*path++;
	return h ^ x ^ (y * 31);
}

static void diff_free(struct gitsrc_diff *d)
{
	if (!d)
		return;
	free(d->path);
	free(d->lines);
	free(d->text);
	free(d);
}

void gitsrc_diffs_free(struct gitsrc *g)
{
	size_t i;

	if (!g->diffs)
		return;
	for (i = 0; i < g->diffs->nslot; i++)
		diff_free(g->diffs->slot[i]);
	free(g->diffs->slot);
	free(g->diffs);
	g->diffs = NULL;
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
	git_oid_cpy(&d->a, a);
	git_oid_cpy(&d->b, b);
	d->path = xstrdup(path);
	d->text = sb_detach(&c.text, NULL);
	d->lines = c.v;
	d->n = c.n;
	for (i = 0; i < d->n; i++)
		d->lines[i].content = d->text + c.off[i];
	free(c.off);
	return d;
}

static size_t diff_size(const struct gitsrc_diff *d)
{
	size_t size = sizeof(*d) + strlen(d->path) + d->n * sizeof(*d->lines);

	return d->n ? size + (size_t)(d->lines[d->n - 1].content - d->text) +
			      d->lines[d->n - 1].len
		    : size;
}

/* Room for one more: a table at most half full, within the budget. */
static void diffs_make_room(struct gitsrc *g, size_t more)
{
	struct gitsrc_diffs *ds = g->diffs;
	struct gitsrc_diff **old;
	size_t i, nold;

	if (ds && ds->bytes + more > GITSRC_DIFF_BUDGET)
		gitsrc_diffs_free(g);
	if (!g->diffs)
		g->diffs = xcalloc(1, sizeof(*g->diffs));
	ds = g->diffs;
	if (2 * (ds->used + 1) <= ds->nslot)
		return;
	old = ds->slot;
	nold = ds->nslot;
	ds->nslot = nold ? 2 * nold : 256;
	ds->slot = xcalloc(ds->nslot, sizeof(*ds->slot));
	for (i = 0; i < nold; i++) {
		size_t k;

		if (!old[i])
			continue;
		k = diff_hash(&old[i]->a, &old[i]->b, old[i]->path) & (ds->nslot - 1);
		while (ds->slot[k])
			k = (k + 1) & (ds->nslot - 1);
		ds->slot[k] = old[i];
	}
	free(old);
}

int gitsrc_blob_diff(struct gitsrc *g, const git_oid *a, const git_oid *b,
		     const char *path, const struct gitsrc_diff_line **lines,
		     size_t *n)
{
	static const git_oid zero;
	struct gitsrc_diff *d;
	size_t k;

	if (!a)
		a = &zero;
	if (g->diffs && g->diffs->nslot) {
		for (k = diff_hash(a, b, path) & (g->diffs->nslot - 1);
		     (d = g->diffs->slot[k]) != NULL;
		     k = (k + 1) & (g->diffs->nslot - 1))
			if (git_oid_equal(&d->a, a) && git_oid_equal(&d->b, b) &&
			    !strcmp(d->path, path)) {
				*lines = d->lines;
				*n = d->n;
				return 0;
			}
	}
	d = diff_make(g->repo, a, b, path);
	if (!d)
		return -1;
	diffs_make_room(g, diff_size(d));
	for (k = diff_hash(a, b, path) & (g->diffs->nslot - 1); g->diffs->slot[k];
	     k = (k + 1) & (g->diffs->nslot - 1))
		;
	g->diffs->slot[k] = d;
	g->diffs->used++;
	g->diffs->bytes += diff_size(d);
	*lines = d->lines;
	*n = d->n;
	return 0;
}
