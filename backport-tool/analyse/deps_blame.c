/*
 * deps_blame.c - prerequisites of a conflicting hunk: the upstream commits
 * that last changed the context lines the target lacks (blame-style).
 */
#include "analyse/deps_int.h"

#include <string.h>

/* ---- blame: who last changed the context a target lacks --------- */

/* A target file's lines: does the file have this exact line?  Looked up
   by placement's line index (text_index_first), made at the first ask. */
struct line_set {
	struct text text;
};

static void line_set_init(struct line_set *s, const char *data, size_t len)
{
	memset(s, 0, sizeof(*s));
	text_split(&s->text, data, len);
}

static int line_set_has(struct line_set *s, const char *p, size_t len)
{
	long count, i = text_index_first(&s->text, line_ends_hash(p, len),
					 &count);

	for (; i >= 0; i = text_index_next(&s->text, i))
		if (s->text.lines[i].len == len &&
		    !memcmp(s->text.lines[i].p, p, len))
			return 1;
	return 0;
}

static void line_set_release(struct line_set *s)
{
	text_release(&s->text);
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
	int done, asked;
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
		ll->v[ll->n].asked = 0;
		ll->n++;
	}
}

#define NO_CHANGE ((size_t)-1)

/* Lost lines matched against one change's added lines. */
struct added_cb {
	struct lost_lines *ll;
	size_t *at;        /* per lost line: the change that added it */
	const char *path;
	size_t k;          /* this change */
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
			a->at[i] = a->k;
			x->done = 1;
			a->left--;
		}
	}
}

/* Each line not done yet: the first change of ch adding its exact text. */
static void scan_lost(struct gitsrc *g, const struct gitsrc_change *ch,
		      size_t nch, const char *const *paths,
		      struct lost_lines *ll, size_t *at, size_t left)
{
	size_t k, k2;

	for (k = 0; left && k < nch; k++) {
		const struct gitsrc_change *c = &ch[k];
		struct added_cb cb = { ll, at, paths[c->path], k, left };
		const struct gitsrc_diff_line *lines;
		size_t nlines;

		if (c->nparents != 1 || git_oid_is_zero(&c->after) ||
		    gitsrc_blob_diff(g, git_oid_is_zero(&c->before) ? NULL : &c->before,
				     &c->after, cb.path, &lines, &nlines) < 0)
			continue;
		for (k2 = 0; k2 < nlines; k2++)
			if (lines[k2].origin == GIT_DIFF_LINE_ADDITION)
				added_line(&cb, lines[k2].content, lines[k2].len);
		left = cb.left;
	}
}

static void lost_key(struct strbuf *key, const char *newest, const char *oldest,
		     const struct lost_line *x)
{
	sb_reset(key);
	sb_addf(key, "added %s %s %s\n", newest, oldest, x->path);
	sb_add(key, x->text, x->len);
}

/*
 * Where an earlier run (or target) traced a line, gitsrc's memo knows the
 * commit: at[i] its change in ch, the line done.  The rest is left.
 */
static size_t known_lost(struct gitsrc *g, const char *newest,
			 const char *oldest, const struct gitsrc_change *ch,
			 size_t nch, const char *const *paths,
			 struct lost_lines *ll, size_t *at)
{
	struct strbuf key = STRBUF_INIT;
	size_t i, k, left = 0;
	char hex[41];

	for (i = 0; i < ll->n; i++) {
		struct lost_line *x = &ll->v[i];
		const char *known;

		lost_key(&key, newest, oldest, x);
		known = gitsrc_memo_get(g, key.buf);
		at[i] = NO_CHANGE;
		x->done = known != NULL;
		for (k = 0; known && *known && k < nch && at[i] == NO_CHANGE; k++)
			if (!strcmp(paths[ch[k].path], x->path) &&
			    !strcmp(git_oid_tostr(hex, sizeof(hex), &ch[k].commit), known))
				at[i] = k;
		if (known && *known && at[i] == NO_CHANGE)
			x->done = 0;   /* not in this range after all: trace it */
		left += !x->done;
	}
	sb_release(&key);
	return left;
}

static int at_cmp(const void *a, const void *b, void *data)
{
	const size_t *at = data, x = at[*(const size_t *)a], y = at[*(const size_t *)b];

	if (x != y)
		return x < y ? -1 : 1;
	return (*(const size_t *)a > *(const size_t *)b) -
	       (*(const size_t *)a < *(const size_t *)b);
}

/* The prerequisites, in the order of the walk (newest change first). */
static void give_lost(struct deps_result *r, struct gitsrc *g,
		      const struct gitsrc_change *ch, const struct lost_lines *ll,
		      size_t *at)
{
	size_t *order = xcalloc(ll->n + 1, sizeof(*order)), i;
	char id[41];

	for (i = 0; i < ll->n; i++)
		order[i] = i;
	qsort_r(order, ll->n, sizeof(*order), at_cmp, at);
	for (i = 0; i < ll->n && at[order[i]] != NO_CHANGE; i++) {
		struct deps_prereq *q;

		git_oid_tostr(id, sizeof(id), &ch[at[order[i]]].commit);
		q = deps_prereq_get(r, g, id);
		q->lines++;
		deps_prereq_add_file(q, ll->v[order[i]].path);
	}
	free(order);
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
	struct strbuf key = STRBUF_INIT;
	struct gitsrc_change *ch;
	char nhex[41], ohex[41] = "-", hex[41];
	size_t nch, left, i, *at;

	if (!ll->n || gitsrc_path_history(g, newest, oldest, paths, npaths,
					  &ch, &nch) < 0)
		return;
	git_oid_tostr(nhex, sizeof(nhex), newest);
	if (oldest)
		git_oid_tostr(ohex, sizeof(ohex), oldest);
	at = xcalloc(ll->n + 1, sizeof(*at));
	left = known_lost(g, nhex, ohex, ch, nch, paths, ll, at);
	for (i = 0; i < ll->n; i++)
		ll->v[i].asked = !ll->v[i].done;
	scan_lost(g, ch, nch, paths, ll, at, left);
	for (i = 0; i < ll->n; i++) {
		if (!ll->v[i].asked)
			continue;
		lost_key(&key, nhex, ohex, &ll->v[i]);
		gitsrc_memo_put(g, key.buf, at[i] == NO_CHANGE ? "" :
				git_oid_tostr(hex, sizeof(hex), &ch[at[i]].commit));
	}
	give_lost(r, g, ch, ll, at);
	free(at);
	free(ch);
	sb_release(&key);
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
		line_set_release(&sets[f]); /* a zeroed one holds nothing */
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
