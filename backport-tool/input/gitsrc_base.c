/*
 * gitsrc_base.c - the octopus merge base of a set of commits, the commit
 * git_merge_base_octopus() finds, without its cost on a long list.
 *
 * libgit2 folds the list: base = merge_base(base, next), one history walk
 * per commit, a third of the CPU of judging a release's commits.  Most of
 * those calls have a known answer: when base is an ancestor of next, it is
 * base; when next is an ancestor of base, it is next.  Both are read from
 * the graph of what the set reaches and base does not (kept here, parents
 * first, grown by the few commits between the old and the new base when
 * base moves down).  Only a commit on a branch that forked below base
 * costs a real merge_base call.  The answer is the same commit.
 */
#include "input/gitsrc_int.h"

#include <stdlib.h>
#include <string.h>

struct node {
	git_oid id;
	git_oid *parents;
	unsigned nparents;
	unsigned char below; /* base is one of its ancestors */
};

struct graph {
	struct node *v;  /* parents before children */
	size_t n, alloc;
	long *slot;      /* hash of ids -> index in v, -1 empty */
	size_t nslot;
	int below_valid;
};

static size_t graph_hash(const git_oid *id, size_t nslot)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h & (nslot - 1);
}

static long graph_find(const struct graph *g, const git_oid *id)
{
	size_t i;

	if (!g->nslot)
		return -1;
	for (i = graph_hash(id, g->nslot); g->slot[i] >= 0;
	     i = (i + 1) & (g->nslot - 1))
		if (git_oid_equal(&g->v[g->slot[i]].id, id))
			return g->slot[i];
	return -1;
}

static void graph_rehash(struct graph *g)
{
	size_t i, k;

	if (g->nslot >= 2 * (g->n + 1))
		return;
	free(g->slot);
	g->nslot = 64;
	while (g->nslot < 4 * (g->n + 1))
		g->nslot *= 2;
	g->slot = xmalloc(g->nslot * sizeof(*g->slot));
	for (i = 0; i < g->nslot; i++)
		g->slot[i] = -1;
	for (k = 0; k < g->n; k++) {
		for (i = graph_hash(&g->v[k].id, g->nslot); g->slot[i] >= 0;
		     i = (i + 1) & (g->nslot - 1))
			;
		g->slot[i] = (long)k;
	}
}

/*
 * Add what push reaches and hide does not, in front: none of it descends
 * from a commit already there (those are not reached from the old base).
 */
static int graph_grow(struct graph *g, git_repository *repo,
		      const git_oid *push, size_t npush, const git_oid *hide)
{
	struct node *add = NULL;
	size_t nadd = 0, alloc = 0, i;
	git_revwalk *walk;
	git_oid id;
	int rc = -1;

	if (git_revwalk_new(&walk, repo) < 0)
		return -1;
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	for (i = 0; i < npush; i++)
		if (git_revwalk_push(walk, &push[i]) < 0)
			goto out;
	if (git_revwalk_hide(walk, hide) < 0)
		goto out;
	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		git_commit *c;
		struct node *nd;
		unsigned k;

		if (git_commit_lookup(&c, repo, &id) < 0)
			break;
		ALLOC_GROW(add, nadd + 1, alloc);
		nd = &add[nadd++];
		git_oid_cpy(&nd->id, &id);
		nd->nparents = git_commit_parentcount(c);
		nd->parents = xmalloc((nd->nparents + 1) * sizeof(git_oid));
		for (k = 0; k < nd->nparents; k++)
			git_oid_cpy(&nd->parents[k], git_commit_parent_id(c, k));
		git_commit_free(c);
	}
	rc = rc == GIT_ITEROVER ? 0 : -1;
out:
	git_revwalk_free(walk);
	if (rc == 0) {
		ALLOC_GROW(g->v, g->n + nadd, g->alloc);
		memmove(g->v + nadd, g->v, g->n * sizeof(*g->v));
		memcpy(g->v, add, nadd * sizeof(*add));
		g->n += nadd;
		g->nslot = 0;
		graph_rehash(g);
	} else {
		for (i = 0; i < nadd; i++)
			free(add[i].parents);
	}
	free(add);
	g->below_valid = 0;
	return rc;
}

static void graph_mark_below(struct graph *g, const git_oid *base)
{
	size_t i;
	unsigned k;

	for (i = 0; i < g->n; i++) {
		struct node *nd = &g->v[i];

		nd->below = 0;
		for (k = 0; k < nd->nparents && !nd->below; k++) {
			long at = graph_find(g, &nd->parents[k]);

			nd->below = git_oid_equal(&nd->parents[k], base) ||
				    (at >= 0 && g->v[at].below);
		}
	}
	g->below_valid = 1;
}

static void graph_free(struct graph *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->v[i].parents);
	free(g->v);
	free(g->slot);
}

/* One step of the fold: base = merge_base(base, next). */
static int fold(struct graph *g, git_repository *repo, git_oid *base,
		const git_oid *next)
{
	git_oid old = *base;
	long at;

	if (git_oid_equal(next, base))
		return 0;
	at = graph_find(g, next);
	if (at < 0) {
		*base = *next;  /* next is an ancestor of base */
	} else {
		if (!g->below_valid)
			graph_mark_below(g, base);
		if (g->v[at].below)
			return 0;
		if (git_merge_base(base, repo, base, next) < 0)
			return -1;
		if (git_oid_equal(base, &old))
			return 0;
	}
	return graph_grow(g, repo, &old, 1, base) < 0 ? -2 : 0;
}

int gitsrc_octopus_base(git_repository *repo, const git_oid *set, size_t n,
			git_oid *out)
{
	struct graph g = { 0 };
	git_oid base = set[0];
	size_t i;
	int rc;

	rc = graph_grow(&g, repo, set, n, &base) < 0 ? -2 : 0;
	for (i = 1; i < n && rc == 0; i++)
		rc = fold(&g, repo, &base, &set[i]);
	graph_free(&g);
	if (rc == -2)  /* a walk failed: ask libgit2 */
		return git_merge_base_octopus(out, repo, n, set);
	if (rc < 0)
		return -1;
	*out = base;
	return 0;
}
