/*
 * deps_blame.c - prerequisites of a conflicting hunk: the upstream commits
 * that last changed the context lines the target lacks (blame-style).
 */
#include "analyse/deps_int.h"

#include <string.h>

/* ---- blame: who last changed the context a target lacks --------- */

struct line_set {
	struct text text;
	size_t *sorted; /* indexes into text.lines, sorted by content */
};

static int line_cmp(const void *a, const void *b, void *data)
{
	const struct text *t = data;
	const struct text_line *x = &t->lines[*(const size_t *)a];
	const struct text_line *y = &t->lines[*(const size_t *)b];
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->p, y->p, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void line_set_init(struct line_set *s, const char *data, size_t len)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	text_split(&s->text, data, len);
	s->sorted = xmalloc((s->text.n + 1) * sizeof(*s->sorted));
	for (i = 0; i < s->text.n; i++)
		s->sorted[i] = i;
	qsort_r(s->sorted, s->text.n, sizeof(*s->sorted), line_cmp, &s->text);
}

static int line_set_has(struct line_set *s, const char *p, size_t len)
{
	size_t lo = 0, hi = s->text.n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct text_line *l = &s->text.lines[s->sorted[mid]];
		size_t n = l->len < len ? l->len : len;
		int c = memcmp(l->p, p, n);

		if (!c)
			c = (l->len > len) - (l->len < len);
		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void line_set_release(struct line_set *s)
{
	text_release(&s->text);
	free(s->sorted);
}

struct deps_prereq *deps_prereq_get(struct deps_result *r, struct gitsrc *g,
				      const char *id)
{
	struct deps_prereq *q;
	size_t i;

	for (i = 0; i < r->nprereqs; i++)
		if (!strcmp(r->prereqs[i].commit, id))
			return &r->prereqs[i];
	ALLOC_GROW(r->prereqs, r->nprereqs + 1, r->alloc_prereqs);
	q = &r->prereqs[r->nprereqs++];
	memset(q, 0, sizeof(*q));
	memcpy(q->commit, id, 41);
	q->subject = deps_commit_subject(g, id, &q->time);
	q->files = xstrdup("");
	return q;
}

void deps_prereq_add_file(struct deps_prereq *q, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = q->files;
	size_t n = strlen(path);

	while ((p = strstr(p, path))) {
		if ((p == q->files || p[-1] == ' ') && (p[n] == ',' || !p[n]))
			return;
		p += n;
	}
	sb_addstr(&sb, q->files);
	if (*q->files)
		sb_addstr(&sb, ", ");
	sb_addstr(&sb, path);
	free(q->files);
	q->files = sb_detach(&sb, NULL);
}

/*
 * A context line the target lacks, to be traced: which upstream commit
 * last added exactly this text to this file?
 */
struct lost_line {
	const char *path;
	const char *text;
	size_t len;
	int done;
};

struct lost_lines {
	struct lost_line *v;
	size_t n, alloc;
};

/* Lines too common to name a commit: blank, braces, #endif, "*\/". */
static int line_is_distinctive(const char *p, size_t len)
{
	size_t i, alnum = 0;

	for (i = 0; i < len; i++)
		if ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '_')
			alnum++;
	return alnum >= 4 && !(len >= 6 && !memcmp(p, "#endif", 6));
}

static void collect_lost(struct lost_lines *ll, const struct hunk *h,
			 struct line_set *target, const char *path)
{
	size_t i;

	for (i = 0; i < h->nlines; i++) {
		const struct pline *l = &h->lines[i];
		size_t len = l->len;

		if (l->kind == '+')
			continue;
		if (len && l->text[len - 1] == '\r')
			len--;
		if (!line_is_distinctive(l->text, len) ||
		    (target && line_set_has(target, l->text, l->len)))
			continue;
		ALLOC_GROW(ll->v, ll->n + 1, ll->alloc);
		ll->v[ll->n].path = path;
		ll->v[ll->n].text = l->text;
		ll->v[ll->n].len = len;
		ll->v[ll->n].done = 0;
		ll->n++;
	}
}

struct added_cb {
	struct lost_lines *ll;
	const char *path;
	const git_oid *commit;
	struct deps_result *r;
	struct gitsrc *g;
	size_t left;
};

static void added_line(struct added_cb *a, const char *content, size_t len)
{
	size_t i;

	while (len && (content[len - 1] == '\n' || content[len - 1] == '\r'))
		len--;
	for (i = 0; i < a->ll->n; i++) {
		struct lost_line *x = &a->ll->v[i];

		if (!x->done && x->len == len && !strcmp(x->path, a->path) &&
		    !memcmp(x->text, content, len)) {
			struct deps_prereq *q;
			char id[41];

			git_oid_tostr(id, sizeof(id), a->commit);
			q = deps_prereq_get(a->r, a->g, id);
			q->lines++;
			deps_prereq_add_file(q, a->path);
			x->done = 1;
			a->left--;
		}
	}
}

/*
 * Like git blame on the lost lines, restricted to oldest..newest: the
 * commits of the range that changed the patch's files, newest first; each
 * line goes to the first whose change to its file adds that exact text.
 */
static void trace_lost(struct deps_result *r, struct gitsrc *g,
		       const git_oid *newest, const git_oid *oldest,
		       struct lost_lines *ll, const char *const *paths,
		       size_t npaths)
{
	struct gitsrc_change *ch;
	size_t left = ll->n, nch, k, k2;

	if (!left || gitsrc_path_history(g, newest, oldest, paths, npaths,
					 &ch, &nch) < 0)
		return;
	for (k = 0; left && k < nch; k++) {
		const struct gitsrc_change *c = &ch[k];
		const char *path = paths[c->path];
		struct added_cb cb = { ll, path, &c->commit, r, g, left };
		const struct gitsrc_diff_line *lines;
		size_t nlines;

		if (c->nparents != 1 || git_oid_is_zero(&c->after) ||
		    gitsrc_blob_diff(g, git_oid_is_zero(&c->before) ? NULL : &c->before,
				     &c->after, path, &lines, &nlines) < 0)
			continue;
		for (k2 = 0; k2 < nlines; k2++)
			if (lines[k2].origin == GIT_DIFF_LINE_ADDITION)
				added_line(&cb, lines[k2].content, lines[k2].len);
		left = cb.left;
	}
	free(ch);
}

/*
 * Hunks whose context the target lacks: those that conflict, and in a
 * conflicting patch also those that needed fuzz or a 3-way merge (the
 * same missing sync shows there, e.g. virtio_ids.h for dc6f8d458a).
 */
static int hunk_lost_context(enum verdict v)
{
	return v == V_CONFLICT || v == V_FUZZ || v == V_MERGED;
}

void deps_blame_conflicts(struct deps_result *r, struct gitsrc *g,
			    const char *oldest, struct tree *t,
			    const struct patch *p, const struct patch_result *pr)
{
	git_repository *repo = gitsrc_repository(g);
	int strip = patch_strip_level(p);
	struct lost_lines ll = { NULL, 0, 0 };
	struct line_set *sets = xcalloc(pr->nfiles + 1, sizeof(*sets));
	const char **paths = xcalloc(pr->nfiles + 1, sizeof(*paths));
	git_commit *c = NULL, *parent = NULL, *old = NULL;
	git_object *obj = NULL;
	size_t f, h, npaths = 0;
	git_oid id;

	if (!p->meta.commit || git_oid_fromstrp(&id, p->meta.commit) < 0 ||
	    git_commit_lookup(&c, repo, &id) < 0 ||
	    git_commit_parent(&parent, c, 0) < 0)
		goto out;
	if (oldest && (git_revparse_single(&obj, repo, oldest) < 0 ||
		       git_object_peel((git_object **)&old, obj,
				       GIT_OBJECT_COMMIT) < 0))
		goto out;
	for (f = 0; f < pr->nfiles; f++) {
		const struct file_result *fr = &pr->files[f];
		const struct file_diff *fd = fr->fd;
		const char *path = file_diff_path(fd, strip, 0);
		struct line_set *tp = NULL;
		struct tree_file tf;

		if (!hunk_lost_context(fr->verdict) || !path || fd->op == FILE_CREATE)
			continue;
		if (tree_get(t, path, &tf) == 0) {
			line_set_init(&sets[f], tf.data, tf.len);
			tp = &sets[f];
		}
		paths[npaths++] = path;
		for (h = 0; h < fd->nhunks; h++)
			if (!fr->hunks || hunk_lost_context(fr->hunks[h].verdict))
				collect_lost(&ll, &fd->hunks[h], tp, path);
	}
	trace_lost(r, g, git_commit_id(parent), old ? git_commit_id(old) : NULL,
		   &ll, paths, npaths);
out:
	for (f = 0; f < pr->nfiles; f++)
		if (sets[f].sorted)
			line_set_release(&sets[f]);
	free(sets);
	free(paths);
	free(ll.v);
	git_object_free(obj);
	git_commit_free(old);
	git_commit_free(parent);
	git_commit_free(c);
}

/*
 * The walk found them newest first; upstream applied them oldest first.
 * Companions join by committer time (stable: ties keep walk order).
 */
void deps_prereqs_oldest_first(struct deps_result *r)
{
	size_t i, j;

	for (i = 0; i < r->nprereqs / 2; i++) {
		struct deps_prereq tmp = r->prereqs[i];

		r->prereqs[i] = r->prereqs[r->nprereqs - 1 - i];
		r->prereqs[r->nprereqs - 1 - i] = tmp;
	}
	for (i = 1; i < r->nprereqs; i++) {
		struct deps_prereq tmp = r->prereqs[i];

		for (j = i; j > 0 && r->prereqs[j - 1].time > tmp.time; j--)
			r->prereqs[j] = r->prereqs[j - 1];
		r->prereqs[j] = tmp;
	}
}
