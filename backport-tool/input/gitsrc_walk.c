/*
 * gitsrc_walk.c - the commits of a range hide..from, newest first by
 * commit time, as a libgit2 revwalk gives them, kept for the next ask.
 *
 * deps asks the same range many times (each macro a prerequisite defines,
 * each patch on a target): a walk that hides a revision processes all of
 * the range before it gives the first commit, 20,000 commits from v2.11.0,
 * so walking again cost more than everything else deps does.  The last
 * GITSRC_WALKS ranges are kept (LRU); a range is the same list every time.
 */
#include "input/gitsrc_int.h"

#include <string.h>

struct gitsrc_walk {
	git_oid from, hide;
	int has_hide;
	git_oid *ids;
	size_t n;
	unsigned long used;
};

static int walk_range(git_repository *repo, const git_oid *from,
		      const git_oid *hide, struct gitsrc_walk *w)
{
	git_revwalk *walk;
	size_t alloc = 0;
	git_oid id;

	if (git_revwalk_new(&walk, repo) < 0)
		return -1;
	git_revwalk_sorting(walk, GIT_SORT_TIME);
	if (git_revwalk_push(walk, from) < 0 ||
	    (hide && git_revwalk_hide(walk, hide) < 0)) {
		git_revwalk_free(walk);
		return -1;
	}
	while (git_revwalk_next(&id, walk) == 0) {
		ALLOC_GROW(w->ids, w->n + 1, alloc);
		git_oid_cpy(&w->ids[w->n++], &id);
	}
	git_revwalk_free(walk);
	return 0;
}

static int walk_is(const struct gitsrc_walk *w, const git_oid *from,
		   const git_oid *hide)
{
	return w->used && git_oid_equal(&w->from, from) &&
	       w->has_hide == (hide != NULL) &&
	       (!hide || git_oid_equal(&w->hide, hide));
}

/* A slot for a new range: an empty one, or the least recently used. */
static struct gitsrc_walk *walk_slot(struct gitsrc *g)
{
	size_t i, lru = 0;

	for (i = 0; i < GITSRC_WALKS; i++) {
		if (!g->walks[i]) {
			g->walks[i] = xcalloc(1, sizeof(*g->walks[i]));
			return g->walks[i];
		}
		if (g->walks[i]->used < g->walks[lru]->used)
			lru = i;
	}
	free(g->walks[lru]->ids);
	memset(g->walks[lru], 0, sizeof(*g->walks[lru]));
	return g->walks[lru];
}

int gitsrc_walk_by_time(struct gitsrc *g, const git_oid *from,
			const git_oid *hide, const git_oid **ids, size_t *n)
{
	struct gitsrc_walk *w = NULL, fresh;
	size_t i;

	for (i = 0; i < GITSRC_WALKS && !w; i++)
		if (g->walks[i] && walk_is(g->walks[i], from, hide))
			w = g->walks[i];
	if (!w) {
		memset(&fresh, 0, sizeof(fresh));
		if (walk_range(g->repo, from, hide, &fresh) < 0) {
			free(fresh.ids);
			return -1;
		}
		git_oid_cpy(&fresh.from, from);
		if (hide)
			git_oid_cpy(&fresh.hide, hide);
		fresh.has_hide = hide != NULL;
		w = walk_slot(g);
		*w = fresh;
	}
	w->used = ++g->walk_clock;
	*ids = w->ids;
	*n = w->n;
	return 0;
}

void gitsrc_walks_free(struct gitsrc *g)
{
	size_t i;

	for (i = 0; i < GITSRC_WALKS; i++) {
		if (g->walks[i])
			free(g->walks[i]->ids);
		free(g->walks[i]);
		g->walks[i] = NULL;
	}
}
