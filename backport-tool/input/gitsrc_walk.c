/*
 * gitsrc_walk.c - the commits of a range hide..from, newest first by
 * commit time, as a libgit2 revwalk gives them, kept for the next ask.
 *
 * deps asks the same range many times (each macro a prerequisite defines,
 * each patch on a target): a walk that hides a revision processes all of
 * the range before it gives the first commit, 20,000 commits from v2.11.0,
 * so walking again cost more than everything else deps does.  The last
 * GITSRC_WALKS ranges are kept (LRU); a range is the same list every time.
 * What the deps loops read of each commit of a range (its parent count,
 * its tree and its parent's tree) is kept too, by commit id.
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

/* ---- one entry of a tree, kept --------------------------------------- */

#define TOP_NAME_MAX 48

struct gitsrc_tops {
	struct top_entry {
		git_oid tree, id;
		char name[TOP_NAME_MAX]; /* "" for an empty slot */
		int found;
	} *v;
	size_t nslot, used;
};

static size_t top_slot(const struct gitsrc_tops *ts, const git_oid *tree,
		       const char *name)
{
	size_t h;
	const char *p;

	memcpy(&h, tree->id, sizeof(h));
	for (p = name; *p; p++)
		h = h * 31 + (unsigned char)*p;
	for (h &= ts->nslot - 1;
	     ts->v[h].name[0] && (strcmp(ts->v[h].name, name) ||
				  !git_oid_equal(&ts->v[h].tree, tree));
	     h = (h + 1) & (ts->nslot - 1))
		;
	return h;
}

static void tops_grow(struct gitsrc *g)
{
	struct gitsrc_tops *ts = g->tops, bigger;
	size_t i;

	if (!ts)
		ts = g->tops = xcalloc(1, sizeof(*ts));
	if (2 * (ts->used + 1) <= ts->nslot)
		return;
	bigger.nslot = ts->nslot ? 2 * ts->nslot : 1024;
	bigger.used = ts->used;
	bigger.v = xcalloc(bigger.nslot, sizeof(*bigger.v));
	for (i = 0; i < ts->nslot; i++)
		if (ts->v[i].name[0])
			bigger.v[top_slot(&bigger, &ts->v[i].tree, ts->v[i].name)] =
				ts->v[i];
	free(ts->v);
	*ts = bigger;
}

void gitsrc_tops_free(struct gitsrc *g)
{
	if (g->tops)
		free(g->tops->v);
	free(g->tops);
	g->tops = NULL;
}

static int entry_read(git_repository *repo, const git_oid *tree,
		      const char *name, git_oid *out)
{
	const git_tree_entry *e;
	git_tree *t;

	if (git_tree_lookup(&t, repo, tree) < 0)
		return -1;
	e = git_tree_entry_byname(t, name);
	if (e)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_free(t);
	return e != NULL;
}

int gitsrc_tree_entry_id(struct gitsrc *g, const git_oid *tree,
			 const char *name, size_t len, git_oid *out)
{
	struct top_entry *te;
	char buf[TOP_NAME_MAX];
	int rc;

	if (!len || len >= TOP_NAME_MAX) {
		char *n = xstrndup(name, len);

		rc = entry_read(g->repo, tree, n, out);
		free(n);
		return rc;
	}
	memcpy(buf, name, len);
	buf[len] = '\0';
	tops_grow(g);
	te = &g->tops->v[top_slot(g->tops, tree, buf)];
	if (!te->name[0]) {
		rc = entry_read(g->repo, tree, buf, &te->id);
		if (rc < 0)
			return -1;  /* not kept: asked again, fails again */
		te->found = rc;
		git_oid_cpy(&te->tree, tree);
		memcpy(te->name, buf, len + 1);
		g->tops->used++;
	}
	if (te->found)
		git_oid_cpy(out, &te->id);
	return te->found;
}
