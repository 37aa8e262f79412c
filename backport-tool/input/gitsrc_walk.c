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

/* "tree <hex>\n", "parent <hex>\n": the header lines of a raw commit. */
static const char *header_id(const char *p, const char *end, const char *key,
			     git_oid *out)
{
	size_t n = strlen(key);

	if ((size_t)(end - p) < n + 1 + GIT_OID_HEXSZ + 1 || memcmp(p, key, n) ||
	    p[n] != ' ' || p[n + 1 + GIT_OID_HEXSZ] != '\n' ||
	    git_oid_fromstrn(out, p + n + 1, GIT_OID_HEXSZ) < 0)
		return NULL;
	return p + n + 1 + GIT_OID_HEXSZ + 1;
}

static int raw_commit(git_odb *odb, const git_oid *id, git_oid *tree,
		      unsigned *nparents, git_oid *first_parent)
{
	git_odb_object *obj;
	const char *p, *end;
	git_oid parent;
	int rc = -1;

	if (git_odb_read(&obj, odb, id) < 0)
		return -1;
	p = git_odb_object_data(obj);
	end = p + git_odb_object_size(obj);
	if (git_odb_object_type(obj) == GIT_OBJECT_COMMIT &&
	    (p = header_id(p, end, "tree", tree)) != NULL) {
		*nparents = 0;
		while ((p = header_id(p, end, "parent", &parent)) != NULL)
			if ((*nparents)++ == 0 && first_parent)
				git_oid_cpy(first_parent, &parent);
		rc = 0;
	}
	git_odb_object_free(obj);
	return rc;
}

int gitsrc_commit_trees(struct gitsrc *g, const git_oid *id,
			unsigned *nparents, git_oid *tree, git_oid *parent_tree)
{
	git_oid parent;
	unsigned n;
	git_odb *odb;
	int rc;

	memset(parent_tree, 0, sizeof(*parent_tree));
	if (git_repository_odb(&odb, g->repo) < 0)
		return -1;
	rc = raw_commit(odb, id, tree, nparents, &parent);
	if (rc == 0 && *nparents && raw_commit(odb, &parent, parent_tree, &n, NULL) < 0)
		rc = 1;
	git_odb_free(odb);
	return rc;
}
