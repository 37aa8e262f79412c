/*
 * gitsrc_hist.c - the history index: which commits of a range changed a
 * file, asked once per conflicting patch, lost line, guard and name.
 *
 * deps, the history renames and the moved-file search all asked the same
 * thing of the history, each by a libgit2 revwalk of hide..from and a
 * tree lookup per commit: 20,000 commits from v2.11.0 for every
 * conflicting patch.  Here the commit graph (parents, time, tree) is read
 * once, each commit's changed files once (its tree against its first
 * parent's, descending only into the directories that differ), and a
 * range is a bitset made by one walk over integers.  The index is kept in
 * the cache between runs (gitsrc_hist_store.c).
 */
#include "input/gitsrc_hist_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- nodes by id ---------------------------------------------------- */

static size_t node_hash(const git_oid *id, size_t nslot)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h & (nslot - 1);
}

uint32_t hist_find(const struct hist *h, const git_oid *id)
{
	size_t s;

	if (!h->nslot)
		return HIST_NONE;
	for (s = node_hash(id, h->nslot); h->slot[s];
	     s = (s + 1) & (h->nslot - 1))
		if (git_oid_equal(&h->nodes[h->slot[s] - 1].id, id))
			return h->slot[s] - 1;
	return HIST_NONE;
}

/* Node i into the first free slot from its hash on. */
static void node_slot_put(struct hist *h, size_t i)
{
	size_t s;

	for (s = node_hash(&h->nodes[i].id, h->nslot); h->slot[s];
	     s = (s + 1) & (h->nslot - 1))
		;
	h->slot[s] = (uint32_t)i + 1;
}

static void nodes_rehash(struct hist *h)
{
	size_t i;

	free(h->slot);
	h->nslot = h->nslot ? 2 * h->nslot : 4096;
	h->slot = xcalloc(h->nslot, sizeof(*h->slot));
	for (i = 0; i < h->n; i++)
		node_slot_put(h, i);
}

void hist_rehash(struct hist *h)
{
	size_t nslot = 4096;

	while (nslot < 2 * (h->n + 1))
		nslot *= 2;
	h->nslot = nslot / 2;   /* nodes_rehash doubles it */
	nodes_rehash(h);
}

uint32_t hist_node_of(struct hist *h, const git_oid *id)
{
	uint32_t i = hist_find(h, id);
	struct hist_node *nd;

	if (i != HIST_NONE)
		return i;
	ALLOC_GROW(h->nodes, h->n + 1, h->alloc);
	nd = &h->nodes[h->n++];
	memset(nd, 0, sizeof(*nd));
	git_oid_cpy(&nd->id, id);
	if (2 * h->n > h->nslot)
		nodes_rehash(h);
	else
		node_slot_put(h, h->n - 1);
	return (uint32_t)h->n - 1;
}

/* ---- paths ---------------------------------------------------------- */

uint32_t path_find(const struct hist_paths *ps, const char *p, size_t len)
{
	size_t k = strset_has(&ps->names, p, len);

	return k ? (uint32_t)(k - 1) : HIST_NONE;
}

uint32_t hist_path_id(struct hist *h, const char *path, size_t len)
{
	struct hist_paths *ps = &h->paths;
	size_t n = ps->names.n, i = strset_index(&ps->names, path, len);

	if (ps->names.n == n)
		return (uint32_t)i;
	if (ps->names.n > ps->alloc) {   /* a new path: its list of changes */
		ps->alloc = ps->alloc ? 2 * ps->alloc : 1024;
		ps->by_path = xrealloc(ps->by_path, ps->alloc * sizeof(*ps->by_path));
		ps->nby = xrealloc(ps->nby, ps->alloc * sizeof(*ps->nby));
		ps->by_alloc = xrealloc(ps->by_alloc, ps->alloc * sizeof(*ps->by_alloc));
	}
	ps->by_path[i] = NULL;
	ps->nby[i] = ps->by_alloc[i] = 0;
	return (uint32_t)i;
}

void hist_paths_release(struct hist_paths *ps)
{
	size_t i;

	for (i = 0; i < ps->names.n; i++)
		free(ps->by_path[i]);
	strset_release(&ps->names, 0);
	free(ps->by_path);
	free(ps->nby);
	free(ps->by_alloc);
	memset(ps, 0, sizeof(*ps));
}

void hist_add_change(struct hist *h, uint32_t node, uint32_t path,
		     const git_oid *before, const git_oid *after)
{
	struct hist_paths *ps = &h->paths;
	struct hist_change *c;

	ALLOC_GROW(h->changes, h->nchanges + 1, h->changes_alloc);
	c = &h->changes[h->nchanges];
	c->node = node;
	c->path = path;
	git_oid_cpy(&c->before, before);
	git_oid_cpy(&c->after, after);
	ALLOC_GROW(ps->by_path[path], ps->nby[path] + 1, ps->by_alloc[path]);
	ps->by_path[path][ps->nby[path]++] = (uint32_t)h->nchanges++;
}

/* ---- reading commits ------------------------------------------------ */

/* The time of the committer line ("committer NAME <MAIL> TIME TZ"). */
static int64_t committer_time(const char *p, const char *end)
{
	while (p < end && *p != '\n') {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if (eol - p > 10 && !memcmp(p, "committer ", 10)) {
			const char *gt = p, *q;

			for (q = p; q < eol; q++)
				if (*q == '>')
					gt = q;
			return strtoll(gt + 1, NULL, 10);
		}
		p = eol + 1;
	}
	return 0;
}

/* Read node i from the object database: tree, time, parents. */
static int node_load(struct hist *h, git_odb *odb, uint32_t i)
{
	git_odb_object *obj;
	const char *p, *end;
	git_oid tree, parent;
	int rc = -1;

	if (git_odb_read(&obj, odb, &h->nodes[i].id) < 0)
		return -1;
	p = git_odb_object_data(obj);
	end = p + git_odb_object_size(obj);
	if (git_odb_object_type(obj) == GIT_OBJECT_COMMIT &&
	    (p = gitsrc_header_id(p, end, "tree", &tree)) != NULL) {
		uint32_t first = (uint32_t)h->nparents, np = 0;
		const char *q;

		while ((q = gitsrc_header_id(p, end, "parent", &parent)) != NULL) {
			uint32_t pi = hist_node_of(h, &parent);

			ALLOC_GROW(h->parents, h->nparents + 1, h->parents_alloc);
			h->parents[h->nparents++] = pi;
			np++;
			p = q;
		}
		git_oid_cpy(&h->nodes[i].tree, &tree);
		h->nodes[i].time = committer_time(p, end);
		h->nodes[i].parents = first;
		h->nodes[i].nparents = np;
		h->nodes[i].loaded = 1;
		rc = 0;
	}
	git_odb_object_free(obj);
	return rc;
}

/* Generations of the nodes that lack one: parents first, without recursion. */
static void hist_generations(struct hist *h, uint32_t start)
{
	uint32_t *stack = NULL;
	size_t n = 0, alloc = 0;

	ALLOC_GROW(stack, n + 1, alloc);
	stack[n++] = start;
	while (n) {
		uint32_t top = stack[n - 1], k, gen = 1;
		const struct hist_node *nd = &h->nodes[top];
		int pending = 0;

		if (nd->gen) {
			n--;
			continue;
		}
		for (k = 0; k < nd->nparents; k++) {
			uint32_t pi = h->parents[nd->parents + k];

			if (!h->nodes[pi].gen) {
				ALLOC_GROW(stack, n + 1, alloc);
				stack[n++] = pi;
				pending = 1;
			} else if (h->nodes[pi].gen + 1 > gen) {
				gen = h->nodes[pi].gen + 1;
			}
		}
		if (!pending) {
			h->nodes[top].gen = gen;
			n--;
		}
	}
	free(stack);
}

/* Node id and all its ancestors read; HIST_NONE when one cannot be. */
uint32_t hist_load(struct hist *h, git_repository *repo,
			  const git_oid *id)
{
	uint32_t start = hist_node_of(h, id), *queue = NULL;
	size_t qn = 0, qalloc = 0, k;
	git_odb *odb;
	int rc = 0;

	if (h->nodes[start].loaded && h->nodes[start].gen)
		return start;
	if (git_repository_odb(&odb, repo) < 0)
		return HIST_NONE;
	ALLOC_GROW(queue, qn + 1, qalloc);
	queue[qn++] = start;
	while (qn && rc == 0) {
		uint32_t i = queue[--qn];

		if (h->nodes[i].loaded)
			continue;
		rc = node_load(h, odb, i);
		if (rc < 0 && i != start) {
			/*
			 * An ancestor that is not there (a shallow clone's
			 * boundary): the walks stop at it, as git's do, and no
			 * commit is diffed against it.  Not kept as known: the
			 * next run looks again.
			 */
			h->nodes[i].loaded = HIST_MISSING;
			h->nodes[i].nparents = 0;
			rc = 0;
		}
		for (k = 0; rc == 0 && k < h->nodes[i].nparents; k++) {
			uint32_t pi = h->parents[h->nodes[i].parents + k];

			if (!h->nodes[pi].loaded) {
				ALLOC_GROW(queue, qn + 1, qalloc);
				queue[qn++] = pi;
			}
		}
	}
	git_odb_free(odb);
	free(queue);
	if (rc < 0)
		return HIST_NONE;
	hist_generations(h, start);
	return start;
}

/* ---- the memo ------------------------------------------------------ */

void hist_memo_put(struct hist_memo *m, const char *key, const char *val)
{
	size_t n = m->keys.n, i = strset_index(&m->keys, key, strlen(key));

	if (m->keys.n == n) {
		free(m->vals[i]);
	} else if (m->keys.n > m->alloc) {
		m->alloc = m->alloc ? 2 * m->alloc : 1024;
		m->vals = xrealloc(m->vals, m->alloc * sizeof(*m->vals));
	}
	m->vals[i] = xstrdup(val);
}

const char *gitsrc_memo_get(struct gitsrc *g, const char *key)
{
	const struct hist_memo *m = &hist_of(g)->memo;
	size_t k = strset_has(&m->keys, key, strlen(key));

	return k ? m->vals[k - 1] : NULL;
}

void gitsrc_memo_put(struct gitsrc *g, const char *key, const char *val)
{
	hist_memo_put(&hist_of(g)->memo, key, val);
}

void hist_release(struct hist *h)
{
	size_t i;

	for (i = 0; i < h->memo.keys.n; i++)
		free(h->memo.vals[i]);
	strset_release(&h->memo.keys, 0);
	free(h->memo.vals);

	hist_walks_free(h);
	hist_paths_release(&h->paths);
	free(h->nodes);
	free(h->slot);
	free(h->parents);
	free(h->changes);
	free(h->file);
	memset(h, 0, sizeof(*h));
}
