/*
 * gitsrc_walk.c - what a commit's raw object says of its trees (its own
 * and its first parent's), read without parsing the commit, kept by id.
 * The history index (gitsrc_hist*.c) answers the questions about ranges.
 */
#include "input/gitsrc_int.h"

#include <string.h>

/* "tree <hex>\n", "parent <hex>\n": the header lines of a raw commit. */
const char *gitsrc_header_id(const char *p, const char *end, const char *key,
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
	    (p = gitsrc_header_id(p, end, "tree", tree)) != NULL) {
		*nparents = 0;
		while ((p = gitsrc_header_id(p, end, "parent", &parent)) != NULL)
			if ((*nparents)++ == 0 && first_parent)
				git_oid_cpy(first_parent, &parent);
		rc = 0;
	}
	git_odb_object_free(obj);
	return rc;
}

/* What gitsrc_commit_trees answered, by commit id (open addressing). */
struct gitsrc_commit_info {
	git_oid id, tree, parent_tree;
	unsigned nparents;
	int rc;
};

struct gitsrc_commits {
	struct gitsrc_commit_info *v;
	size_t nslot, used;
};

static size_t info_slot(const struct gitsrc_commits *cs, const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	for (h &= cs->nslot - 1; !git_oid_is_zero(&cs->v[h].id) &&
				 !git_oid_equal(&cs->v[h].id, id);
	     h = (h + 1) & (cs->nslot - 1))
		;
	return h;
}

static void info_grow(struct gitsrc *g)
{
	struct gitsrc_commits *cs = g->commits, bigger;
	size_t i;

	if (!cs)
		cs = g->commits = xcalloc(1, sizeof(*cs));
	if (2 * (cs->used + 1) <= cs->nslot)
		return;
	bigger.nslot = cs->nslot ? 2 * cs->nslot : 1024;
	bigger.used = cs->used;
	bigger.v = xcalloc(bigger.nslot, sizeof(*bigger.v));
	for (i = 0; i < cs->nslot; i++)
		if (!git_oid_is_zero(&cs->v[i].id))
			bigger.v[info_slot(&bigger, &cs->v[i].id)] = cs->v[i];
	free(cs->v);
	*cs = bigger;
}

void gitsrc_commits_free(struct gitsrc *g)
{
	if (g->commits)
		free(g->commits->v);
	free(g->commits);
	g->commits = NULL;
}

int gitsrc_commit_trees(struct gitsrc *g, const git_oid *id,
			unsigned *nparents, git_oid *tree, git_oid *parent_tree)
{
	struct gitsrc_commit_info *ci;
	git_oid parent;
	unsigned n;
	git_odb *odb;
	int rc;

	info_grow(g);
	ci = &g->commits->v[info_slot(g->commits, id)];
	if (git_oid_is_zero(&ci->id)) {
		if (git_repository_odb(&odb, g->repo) < 0)
			return -1;
		memset(ci, 0, sizeof(*ci));
		ci->rc = raw_commit(odb, id, &ci->tree, &ci->nparents, &parent);
		if (ci->rc == 0 && ci->nparents &&
		    raw_commit(odb, &parent, &ci->parent_tree, &n, NULL) < 0)
			ci->rc = 1;
		git_odb_free(odb);
		git_oid_cpy(&ci->id, id);
		g->commits->used++;
	}
	rc = ci->rc;
	*nparents = ci->nparents;
	git_oid_cpy(tree, &ci->tree);
	git_oid_cpy(parent_tree, &ci->parent_tree);
	return rc;
}
