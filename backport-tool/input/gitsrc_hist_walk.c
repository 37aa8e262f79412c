/*
 * gitsrc_hist_walk.c - ranges of the history index and the question they
 * answer: which commits of hide..from changed a file, newest first.
 *
 * A range is what a revwalk pushing from and hiding hide gives: the
 * ancestors of from (itself included) that are not ancestors of hide.
 * The ancestors of hide are a bitset made once per hide (the targets are
 * few); a range is a walk from `from` that stops at them.  Commits are
 * diffed the first time a range holds them.
 */
#include "input/gitsrc_hist_int.h"

#include <stdlib.h>
#include <string.h>

#define HIST_WALKS 8
#define HIST_HIDDEN 8

struct bits {
	uint64_t *w;
	size_t n;   /* bits */
};

static int bits_has(const struct bits *b, uint32_t i)
{
	return i < b->n && (b->w[i / 64] >> (i % 64) & 1);
}

static void bits_set(struct bits *b, uint32_t i)
{
	b->w[i / 64] |= (uint64_t)1 << (i % 64);
}

static void bits_init(struct bits *b, size_t n)
{
	b->n = n;
	b->w = xcalloc(n / 64 + 1, sizeof(*b->w));
}

/* A range hide..from: its commits, as a list and as a bitset. */
struct hist_range {
	uint32_t from, hide;     /* hide: HIST_NONE for none */
	uint32_t *v;
	size_t n;
	struct bits in;
	int diffed;              /* every commit's changes known */
	unsigned long used;
};

struct hist_walks {
	struct hist_range range[HIST_WALKS];
	struct {
		uint32_t node;
		struct bits anc;
	} hidden[HIST_HIDDEN];
	size_t nhidden;
	unsigned long clock;
};

void hist_walks_free(struct hist *h)
{
	size_t i;

	if (!h->walks)
		return;
	for (i = 0; i < HIST_WALKS; i++) {
		free(h->walks->range[i].v);
		free(h->walks->range[i].in.w);
	}
	for (i = 0; i < h->walks->nhidden; i++)
		free(h->walks->hidden[i].anc.w);
	free(h->walks);
	h->walks = NULL;
}

/*
 * Walk from start over parents, not entering nodes in stop (may be NULL);
 * each node reached is set in seen and, when list is not NULL, appended.
 */
static void walk_nodes(const struct hist *h, uint32_t start,
		       const struct bits *stop, struct bits *seen,
		       uint32_t **list, size_t *n)
{
	uint32_t *stack = NULL;
	size_t sn = 0, alloc = 0, lalloc = 0, k;

	if (stop && bits_has(stop, start))
		return;
	ALLOC_GROW(stack, sn + 1, alloc);
	stack[sn++] = start;
	bits_set(seen, start);
	while (sn) {
		const struct hist_node *nd = &h->nodes[stack[--sn]];

		if (list) {
			ALLOC_GROW(*list, *n + 1, lalloc);
			(*list)[(*n)++] = (uint32_t)(nd - h->nodes);
		}
		for (k = 0; k < nd->nparents; k++) {
			uint32_t pi = h->parents[nd->parents + k];

			if (bits_has(seen, pi) || (stop && bits_has(stop, pi)))
				continue;
			bits_set(seen, pi);
			ALLOC_GROW(stack, sn + 1, alloc);
			stack[sn++] = pi;
		}
	}
	free(stack);
}

static const struct bits *hidden_of(struct hist *h, uint32_t hide)
{
	struct hist_walks *w = h->walks;
	size_t i;

	for (i = 0; i < w->nhidden; i++)
		if (w->hidden[i].node == hide)
			return &w->hidden[i].anc;
	if (w->nhidden == HIST_HIDDEN) {   /* many targets: forget the first */
		free(w->hidden[0].anc.w);
		memmove(&w->hidden[0], &w->hidden[1],
			(HIST_HIDDEN - 1) * sizeof(w->hidden[0]));
		w->nhidden--;
	}
	i = w->nhidden++;
	w->hidden[i].node = hide;
	bits_init(&w->hidden[i].anc, h->n);
	walk_nodes(h, hide, NULL, &w->hidden[i].anc, NULL, NULL);
	return &w->hidden[i].anc;
}

static struct hist_range *range_of(struct hist *h, uint32_t from, uint32_t hide)
{
	struct hist_walks *w;
	struct hist_range *r, *lru;
	const struct bits *stop;
	size_t i;

	if (!h->walks)
		h->walks = xcalloc(1, sizeof(*h->walks));
	w = h->walks;
	lru = &w->range[0];
	for (i = 0; i < HIST_WALKS; i++) {
		r = &w->range[i];
		if (r->used && r->from == from && r->hide == hide) {
			r->used = ++w->clock;
			return r;
		}
		if (r->used < lru->used)
			lru = r;
	}
	stop = hide == HIST_NONE ? NULL : hidden_of(h, hide);
	free(lru->v);
	free(lru->in.w);
	memset(lru, 0, sizeof(*lru));
	lru->from = from;
	lru->hide = hide;
	bits_init(&lru->in, h->n);
	walk_nodes(h, from, stop, &lru->in, &lru->v, &lru->n);
	lru->used = ++w->clock;
	return lru;
}

/* ---- a commit's changed files ---------------------------------------- */

/*
 * Trees are read raw from the object database ("MODE NAME\0" and 20 bytes
 * of id per entry, in git's order), not as libgit2 tree objects: a cold
 * index reads every tree a range's commits changed, and libgit2's object
 * cache would keep them all, 200 MB for a release's worth of QEMU.
 */
struct raw_tree {
	git_odb_object *obj;
	const char *p, *end;
};

struct raw_entry {
	const char *name;
	size_t len;
	int kind;                /* GIT_OBJECT_TREE, _BLOB, or _COMMIT (a gitlink) */
	git_oid id;
};

static int raw_open(struct raw_tree *t, git_odb *odb, const git_oid *id)
{
	memset(t, 0, sizeof(*t));
	if (!id)
		return 0;
	if (git_odb_read(&t->obj, odb, id) < 0)
		return -1;
	if (git_odb_object_type(t->obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(t->obj);
		t->obj = NULL;
		return -1;
	}
	t->p = git_odb_object_data(t->obj);
	t->end = t->p + git_odb_object_size(t->obj);
	return 0;
}

/* The next entry: 1, 0 at the end, -1 when the tree is damaged. */
static int raw_next(struct raw_tree *t, struct raw_entry *e)
{
	const char *sp, *nul;
	unsigned mode = 0;

	if (t->p >= t->end)
		return 0;
	sp = memchr(t->p, ' ', (size_t)(t->end - t->p));
	nul = sp ? memchr(sp, '\0', (size_t)(t->end - sp)) : NULL;
	if (!nul || t->end - nul < 1 + GIT_OID_RAWSZ)
		return -1;
	for (; t->p < sp; t->p++)
		mode = mode * 8 + (unsigned)(*t->p - '0');
	e->name = sp + 1;
	e->len = (size_t)(nul - sp - 1);
	e->kind = (mode & 0170000) == 0040000 ? GIT_OBJECT_TREE :
		  (mode & 0170000) == 0160000 ? GIT_OBJECT_COMMIT : GIT_OBJECT_BLOB;
	git_oid_fromraw(&e->id, (const unsigned char *)nul + 1);
	t->p = nul + 1 + GIT_OID_RAWSZ;
	return 1;
}

/* git's tree order: a directory sorts as if its name ended in '/'. */
static int entry_cmp(const struct raw_entry *a, const struct raw_entry *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);
	unsigned char ca, cb;

	if (c)
		return c;
	ca = a->len > n ? (unsigned char)a->name[n] : a->kind == GIT_OBJECT_TREE ? '/' : 0;
	cb = b->len > n ? (unsigned char)b->name[n] : b->kind == GIT_OBJECT_TREE ? '/' : 0;
	return (ca > cb) - (ca < cb);
}

struct differ {
	struct hist *h;
	git_odb *odb;
	uint32_t node;
	struct strbuf path;
};

static int diff_trees(struct differ *d, const git_oid *a, const git_oid *b);

static void add_change(struct differ *d, const git_oid *before,
		       const git_oid *after)
{
	hist_add_change(d->h, d->node, hist_path_id(d->h, d->path.buf, d->path.len),
			before, after);
}

/* One side's entry (the other has none of that name and kind). */
static int diff_side(struct differ *d, const struct raw_entry *e, int after)
{
	static const git_oid zero;

	if (e->kind == GIT_OBJECT_TREE)
		return after ? diff_trees(d, NULL, &e->id) : diff_trees(d, &e->id, NULL);
	if (e->kind == GIT_OBJECT_BLOB)
		add_change(d, after ? &zero : &e->id, after ? &e->id : &zero);
	return 0;
}

static int diff_entries(struct differ *d, const struct raw_entry *x,
			const struct raw_entry *y)
{
	size_t len = d->path.len;
	const struct raw_entry *e = x ? x : y;
	int rc = 0;

	sb_add(&d->path, e->name, e->len);
	if (x && y) {
		if (git_oid_equal(&x->id, &y->id))
			;
		else if (x->kind == GIT_OBJECT_TREE)
			rc = diff_trees(d, &x->id, &y->id);
		else if (x->kind == GIT_OBJECT_BLOB && y->kind == GIT_OBJECT_BLOB)
			add_change(d, &x->id, &y->id);
		else if (x->kind == GIT_OBJECT_BLOB)
			rc = diff_side(d, x, 0);   /* a file became a submodule */
		else if (y->kind == GIT_OBJECT_BLOB)
			rc = diff_side(d, y, 1);
	} else {
		rc = diff_side(d, e, y != NULL);
	}
	d->path.len = len;
	d->path.buf[len] = '\0';
	return rc;
}

/* Trees a (before) and b (after), either NULL for none, under d->path. */
static int diff_trees(struct differ *d, const git_oid *a, const git_oid *b)
{
	struct raw_tree ta, tb;
	struct raw_entry x, y;
	size_t len = d->path.len;
	int hx, hy, rc = -1;

	if (raw_open(&ta, d->odb, a) < 0 || raw_open(&tb, d->odb, b) < 0)
		goto out;
	if (len)
		sb_addch(&d->path, '/');
	hx = raw_next(&ta, &x);
	hy = raw_next(&tb, &y);
	rc = 0;
	while (rc == 0 && (hx > 0 || hy > 0)) {
		int c = hx <= 0 ? 1 : hy <= 0 ? -1 : entry_cmp(&x, &y);

		rc = diff_entries(d, c <= 0 ? &x : NULL, c >= 0 ? &y : NULL);
		if (c <= 0)
			hx = raw_next(&ta, &x);
		if (c >= 0)
			hy = raw_next(&tb, &y);
	}
	if (hx < 0 || hy < 0)
		rc = -1;
	d->path.len = len;
	d->path.buf[len] = '\0';
out:
	git_odb_object_free(ta.obj);
	git_odb_object_free(tb.obj);
	return rc;
}

/* The files node i changed against its first parent (a root: all). */
static int node_diff(struct hist *h, git_odb *odb, uint32_t i,
		     struct strbuf *path)
{
	struct hist_node *nd = &h->nodes[i];
	struct differ d = { h, odb, i, *path };
	const git_oid *before = NULL;
	size_t first = h->nchanges;
	int rc;

	if (nd->nparents) {
		if (h->nodes[h->parents[nd->parents]].loaded != 1)
			return -1;   /* its parent cannot be read: not diffed */
		before = &h->nodes[h->parents[nd->parents]].tree;
	}
	sb_reset(&d.path);
	rc = diff_trees(&d, before, &nd->tree);
	*path = d.path;
	if (rc < 0) {   /* a tree cannot be read: the commit is skipped */
		while (h->nchanges > first)
			h->paths.nby[h->changes[--h->nchanges].path]--;
		return -1;
	}
	nd = &h->nodes[i];
	nd->changes = (uint32_t)first;
	nd->nchanges = (uint32_t)(h->nchanges - first);
	nd->diffed = 1;
	return 0;
}

/* ---- the question ---------------------------------------------------- */

static int range_diff(struct hist *h, git_repository *repo,
		      struct hist_range *r)
{
	struct strbuf path = STRBUF_INIT;
	git_odb *odb;
	size_t k;

	if (r->diffed)
		return 0;
	if (git_repository_odb(&odb, repo) < 0)
		return -1;
	for (k = 0; k < r->n; k++) {
		const struct hist_node *nd = &h->nodes[r->v[k]];

		if (!nd->diffed && nd->loaded == 1 && nd->nparents <= 1)
			node_diff(h, odb, r->v[k], &path);
	}
	git_odb_free(odb);
	sb_release(&path);
	r->diffed = 1;
	return 0;
}

/* A change found for the asked paths[path]. */
struct found {
	uint32_t change;
	size_t path;
};

static int node_cmp(const struct hist_node *x, const struct hist_node *y)
{
	if (x->time != y->time)
		return x->time < y->time ? 1 : -1;
	if (x->gen != y->gen)
		return x->gen < y->gen ? 1 : -1;
	return git_oid_cmp(&x->id, &y->id);
}

/*
 * Newest first by commit time; in the same second, children first; one
 * commit's files in the order they were asked.
 */
static int found_cmp(const void *a, const void *b, void *data)
{
	const struct hist *h = data;
	const struct found *x = a, *y = b;
	int c = node_cmp(&h->nodes[h->changes[x->change].node],
			 &h->nodes[h->changes[y->change].node]);

	return c ? c : (x->path > y->path) - (x->path < y->path);
}

struct hist *hist_of(struct gitsrc *g)
{
	if (!g->hist) {
		g->hist = xcalloc(1, sizeof(*g->hist));
		g->hist->file = hist_store_file(g->path);
		if (g->hist->file)
			hist_store_load(g->hist, g->hist->file);
	}
	return g->hist;
}

int gitsrc_path_history(struct gitsrc *g, const git_oid *from,
			const git_oid *hide, const char *const *paths,
			size_t npaths, struct gitsrc_change **out, size_t *nout)
{
	struct hist *h = hist_of(g);
	uint32_t f, x = HIST_NONE;
	struct found *v = NULL;
	size_t n = 0, alloc = 0, i, k;
	struct hist_range *r;

	*out = NULL;
	*nout = 0;
	f = hist_load(h, g->repo, from);
	if (f == HIST_NONE || (hide && (x = hist_load(h, g->repo, hide)) == HIST_NONE))
		return -1;
	r = range_of(h, f, x);
	range_diff(h, g->repo, r);
	for (i = 0; i < npaths; i++) {
		uint32_t p = path_find(&h->paths, paths[i], strlen(paths[i]));

		for (k = 0; k < i; k++)
			if (!strcmp(paths[k], paths[i]))
				p = HIST_NONE;   /* asked twice: once is enough */
		for (k = 0; p != HIST_NONE && k < h->paths.nby[p]; k++) {
			uint32_t c = h->paths.by_path[p][k];

			if (!bits_has(&r->in, h->changes[c].node))
				continue;
			ALLOC_GROW(v, n + 1, alloc);
			v[n].change = c;
			v[n++].path = i;
		}
	}
	qsort_r(v, n, sizeof(*v), found_cmp, h);
	*out = xcalloc(n + 1, sizeof(**out));
	for (k = 0; k < n; k++) {
		const struct hist_change *c = &h->changes[v[k].change];
		const struct hist_node *nd = &h->nodes[c->node];
		struct gitsrc_change *o = &(*out)[k];

		git_oid_cpy(&o->commit, &nd->id);
		git_oid_cpy(&o->before, &c->before);
		git_oid_cpy(&o->after, &c->after);
		o->nparents = nd->nparents;
		o->path = v[k].path;
	}
	*nout = n;
	free(v);
	return 0;
}
