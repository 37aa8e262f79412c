/*
 * gitsrc_table.c - what gitsrc works out from two blobs, kept by their
 * ids (and a path) for the next ask: the blob diffs deps reads again and
 * again (gitsrc_diff.c), the commit's changes the conflict proof needs on
 * every target (gitsrc_conflict.c).
 *
 * An open-addressing table, at most half full.  Each kind has its own
 * table and byte budget; past it, everything kept is dropped and kept
 * anew (what was asked lately is what is asked next, and a bound is what
 * matters on a release's worth of commits).
 */
#include "input/gitsrc_int.h"

#include <string.h>

static size_t entry_hash(const git_oid *a, const git_oid *b, const char *path)
{
	size_t h = 5381, x, y;

	memcpy(&x, a->id, sizeof(x));
	memcpy(&y, b->id, sizeof(y));
	while (path && *path)
		h = h * 33 + (unsigned char)*path++;
	return h ^ x ^ (y * 31);
}

static int entry_is(const struct gitsrc_entry *e, const git_oid *a,
		    const git_oid *b, const char *path)
{
	return git_oid_equal(&e->a, a) && git_oid_equal(&e->b, b) &&
	       (e->path && path ? !strcmp(e->path, path) : e->path == path);
}

struct gitsrc_entry *gitsrc_table_get(const struct gitsrc_table *t,
				      const git_oid *a, const git_oid *b,
				      const char *path)
{
	struct gitsrc_entry *e;
	size_t k;

	if (!t->nslot)
		return NULL;
	for (k = entry_hash(a, b, path) & (t->nslot - 1); (e = t->slot[k]);
	     k = (k + 1) & (t->nslot - 1))
		if (entry_is(e, a, b, path))
			return e;
	return NULL;
}

void gitsrc_table_clear(struct gitsrc_table *t)
{
	size_t i;

	for (i = 0; i < t->nslot; i++)
		if (t->slot[i])
			t->slot[i]->free(t->slot[i]);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

/* Place e in a table that has room for it. */
static void table_place(struct gitsrc_table *t, struct gitsrc_entry *e)
{
	size_t k = entry_hash(&e->a, &e->b, e->path) & (t->nslot - 1);

	while (t->slot[k])
		k = (k + 1) & (t->nslot - 1);
	t->slot[k] = e;
}

void gitsrc_table_put(struct gitsrc_table *t, struct gitsrc_entry *e,
		      size_t budget)
{
	struct gitsrc_entry **old;
	size_t i, nold;

	if (t->bytes + e->bytes > budget)
		gitsrc_table_clear(t);
	if (2 * (t->used + 1) > t->nslot) {
		old = t->slot;
		nold = t->nslot;
		t->nslot = nold ? 2 * nold : 256;
		t->slot = xcalloc(t->nslot, sizeof(*t->slot));
		for (i = 0; i < nold; i++)
			if (old[i])
				table_place(t, old[i]);
		free(old);
	}
	table_place(t, e);
	t->used++;
	t->bytes += e->bytes;
}

void gitsrc_table_grew(struct gitsrc_table *t, struct gitsrc_entry *e,
		       size_t bytes)
{
	e->bytes += bytes;
	t->bytes += bytes;
}
