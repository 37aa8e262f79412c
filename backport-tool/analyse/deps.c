/*
 * deps.c - missing identifiers and candidate prerequisites of a series on
 * each target: the symbol index says what the target lacks, the upstream
 * history says which commit would bring it.
 */
#include "analyse/deps.h"

#include <ctype.h>
#include <git2.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "place/apply.h"
#include "input/gitsrc.h"
#include "util.h"

/* ---- a set of strings -------------------------------------------- */

struct strset {
	char **v;          /* insertion order */
	size_t n, alloc;
	size_t *tab;       /* index + 1; 0 empty */
	size_t size;
};

static size_t str_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static int strset_add(struct strset *s, const char *str)
{
	size_t i;

	if ((s->n + 1) * 2 > s->size) {
		size_t j, size = s->size ? s->size * 2 : 256;

		free(s->tab);
		s->tab = xcalloc(size, sizeof(*s->tab));
		s->size = size;
		for (j = 0; j < s->n; j++) {
			for (i = str_hash(s->v[j]) & (size - 1); s->tab[i];
			     i = (i + 1) & (size - 1))
				;
			s->tab[i] = j + 1;
		}
	}
	for (i = str_hash(str) & (s->size - 1); s->tab[i];
	     i = (i + 1) & (s->size - 1))
		if (!strcmp(s->v[s->tab[i] - 1], str))
			return 0;
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	s->v[s->n++] = xstrdup(str);
	s->tab[i] = s->n;
	return 1;
}

static void strset_release(struct strset *s, int keep_strings)
{
	size_t i;

	if (!keep_strings)
		for (i = 0; i < s->n; i++)
			free(s->v[i]);
	if (!keep_strings)
		free(s->v);
	free(s->tab);
	memset(s, 0, sizeof(*s));
}

/* ---- include closure -------------------------------------------- */

/* dir + name with "." and ".." resolved; NULL when it leaves the tree. */
static char *path_join(const char *dir, size_t dirlen, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	sb_init(&sb);
	sb_add(&sb, dir, dirlen);
	for (p = name; *p;) {
		const char *e = strchrnul(p, '/');
		size_t n = (size_t)(e - p);

		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (!sb.len) {
				sb_release(&sb);
				return NULL;
			}
			slash = memrchr(sb.buf, '/', sb.len);
			sb.len = slash ? (size_t)(slash - sb.buf) : 0;
			sb.buf[sb.len] = '\0';
		} else {
			if (sb.len)
				sb_addch(&sb, '/');
			sb_add(&sb, p, n);
		}
		p = *e ? e + 1 : e;
	}
	return sb_detach(&sb, NULL);
}

static int include_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.' || c == '/' || c == '+'))
			return 0;
	}
	return 1;
}

static int tree_has(struct tree *t, const char *path)
{
	struct tree_file f;

	return tree_get(t, path, &f) == 0;
}

/* Resolve one #include of the file at path; the result is malloc'ed. */
static char *include_resolve(struct tree *t, const char *path,
			     const char *name, int quoted)
{
	static const char *const dirs[] = { "include", "linux-headers", "", "tcg" };
	const char *slash = strrchr(path, '/');
	char *cand;
	size_t i;

	if (quoted) {
		cand = path_join(path, slash ? (size_t)(slash - path) : 0, name);
		if (cand && tree_has(t, cand))
			return cand;
		free(cand);
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		cand = path_join(dirs[i], strlen(dirs[i]), name);
		if (cand && tree_has(t, cand))
			return cand;
		free(cand);
	}
	return NULL;
}

static void scan_includes(struct tree *t, const char *path, const char *data,
			  size_t len, struct strset *seen, size_t max)
{
	const char *p = data, *end = data + len;

	while (p < end && seen->n < max) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;

		if (!eol)
			eol = end;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q < eol && *q == '#') {
			q++;
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			if (eol - q > 7 && !memcmp(q, "include", 7)) {
				const char *s, *e;
				char close;

				for (q += 7; q < eol && (*q == ' ' || *q == '\t'); q++)
					;
				close = q < eol && *q == '"' ? '"' : '>';
				if (q < eol && (*q == '"' || *q == '<')) {
					s = q + 1;
					e = memchr(s, close, (size_t)(eol - s));
					if (e && include_name_ok(s, (size_t)(e - s))) {
						char *name = xstrndup(s, (size_t)(e - s));
						char *res = include_resolve(t, path, name,
									    close == '"');
						if (res)
							strset_add(seen, res);
						free(res);
						free(name);
					}
				}
			}
		}
		p = eol + 1;
	}
}

void deps_include_closure(struct tree *t, const char *const *paths, size_t n,
			  size_t max, char ***out, size_t *nout)
{
	struct strset seen = { 0 };
	size_t i;

	for (i = 0; i < n; i++)
		if (tree_has(t, paths[i]))
			strset_add(&seen, paths[i]);
	for (i = 0; i < seen.n; i++) {
		struct tree_file f;

		if (tree_get(t, seen.v[i], &f) == 0)
			scan_includes(t, seen.v[i], f.data, f.len, &seen, max);
	}
	*out = seen.v;
	*nout = seen.n;
	strset_release(&seen, 1);
}

static void index_paths(struct symindex *ix, struct tree *t, char **paths,
			size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct tree_file f;

		if (tree_get(t, paths[i], &f) == 0)
			symindex_add_text(ix, paths[i], f.data, f.len, 0);
	}
}

/* ---- history: who introduced a definition ---------------------- */

static int blob_defines(git_repository *repo, const git_oid *blob_id,
			const char *path, const char *name)
{
	struct symindex *ix;
	git_blob *blob;
	int found;

	if (git_blob_lookup(&blob, repo, blob_id) < 0)
		return 0;
	ix = symindex_new();
	symindex_add_text(ix, path, git_blob_rawcontent(blob),
			  (size_t)git_blob_rawsize(blob), 0);
	found = symindex_lookup(ix, name, strlen(name)) != NULL;
	symindex_free(ix);
	git_blob_free(blob);
	return found;
}

static int tree_path_blob(git_tree *tree, const char *path, git_oid *out)
{
	git_tree_entry *e;
	int found = 0;

	memset(out, 0, sizeof(*out));
	if (git_tree_entry_bypath(&e, tree, path) == 0) {
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			git_oid_cpy(out, git_tree_entry_id(e));
			found = 1;
		}
		git_tree_entry_free(e);
	}
	return found;
}

/*
 * Cheap first test: does path's top-level entry differ between the trees?
 * Most commits leave most top-level directories alone.
 */
static int tree_path_changed(git_tree *a, git_tree *b, const char *path)
{
	const char *slash = strchr(path, '/');
	const git_tree_entry *x, *y;
	char *top;

	if (!slash)
		return 1;
	top = xstrndup(path, (size_t)(slash - path));
	x = git_tree_entry_byname(a, top);
	y = git_tree_entry_byname(b, top);
	free(top);
	return !x || !y || !git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y));
}

int deps_find_introducer(struct gitsrc *g, const char *hide, const char *from,
			 const char *path, const char *name, char *out)
{
	git_repository *repo = gitsrc_repository(g);
	git_revwalk *walk;
	git_object *obj;
	git_oid id;
	int rc = 1;

	out[0] = '\0';
	if (git_revwalk_new(&walk, repo) < 0)
		return error("cannot walk history");
	/*
	 * Newest first, by time, so the walk streams and stops early: the
	 * first commit that defines name while its parent does not is the
	 * introduction the target lacks (the last one, were it ever removed
	 * and added again).
	 */
	git_revwalk_sorting(walk, GIT_SORT_TIME);
	if (git_revparse_single(&obj, repo, from) < 0 ||
	    git_revwalk_push(walk, git_object_id(obj)) < 0) {
		git_revwalk_free(walk);
		return error("no such revision '%s'", from);
	}
	git_object_free(obj);
	if (hide && (git_revparse_single(&obj, repo, hide) < 0 ||
		     git_revwalk_hide(walk, git_object_id(obj)) < 0)) {
		git_revwalk_free(walk);
		return error("no such revision '%s'", hide);
	}
	if (hide)
		git_object_free(obj);
	while (rc == 1 && git_revwalk_next(&id, walk) == 0) {
		git_commit *c, *parent = NULL;
		git_tree *ct = NULL, *pt = NULL;
		git_oid now, before;
		int has_now, has_before = 0;

		if (git_commit_lookup(&c, repo, &id) < 0)
			continue;
		if (git_commit_parentcount(c) > 1 || git_commit_tree(&ct, c) < 0) {
			git_commit_free(c);
			continue;
		}
		if (git_commit_parentcount(c) && git_commit_parent(&parent, c, 0) == 0 &&
		    git_commit_tree(&pt, parent) == 0 &&
		    !tree_path_changed(ct, pt, path))
			goto next;
		has_now = tree_path_blob(ct, path, &now);
		if (pt)
			has_before = tree_path_blob(pt, path, &before);
		if (has_now && (!has_before || !git_oid_equal(&now, &before)) &&
		    blob_defines(repo, &now, path, name) &&
		    !(has_before && blob_defines(repo, &before, path, name))) {
			git_oid_tostr(out, 41, &id);
			rc = 0;
		}
next:
		git_tree_free(ct);
		git_tree_free(pt);
		git_commit_free(parent);
		git_commit_free(c);
	}
	git_revwalk_free(walk);
	return rc;
}

static char *commit_subject(struct gitsrc *g, const char *id, long *time)
{
	git_repository *repo = gitsrc_repository(g);
	git_commit *c;
	git_oid oid;
	char *s;

	if (git_oid_fromstr(&oid, id) < 0 || git_commit_lookup(&c, repo, &oid) < 0)
		return xstrdup("");
	s = xstrdup(git_commit_summary(c) ? git_commit_summary(c) : "");
	if (time)
		*time = (long)git_commit_time(c);
	git_commit_free(c);
	return s;
}

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

static struct deps_prereq *prereq_get(struct deps_result *r, struct gitsrc *g,
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
	q->subject = commit_subject(g, id, &q->time);
	q->files = xstrdup("");
	return q;
}

static void prereq_add_file(struct deps_prereq *q, const char *path)
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

static int added_line_cb(const git_diff_delta *d, const git_diff_hunk *h,
			 const git_diff_line *l, void *data)
{
	struct added_cb *a = data;
	size_t len = l->content_len, i;

	if (l->origin != GIT_DIFF_LINE_ADDITION)
		return 0;
	while (len && (l->content[len - 1] == '\n' || l->content[len - 1] == '\r'))
		len--;
	for (i = 0; i < a->ll->n; i++) {
		struct lost_line *x = &a->ll->v[i];

		if (!x->done && x->len == len && x->path == a->path &&
		    !memcmp(x->text, l->content, len)) {
			struct deps_prereq *q;
			char id[41];

			git_oid_tostr(id, sizeof(id), a->commit);
			q = prereq_get(a->r, a->g, id);
			q->lines++;
			prereq_add_file(q, a->path);
			x->done = 1;
			a->left--;
		}
	}
	return 0;
}

/*
 * Like git blame on the lost lines, restricted to oldest..newest: walk the
 * range newest first and give each line to the first commit whose change
 * to its file adds that exact text.  One walk for all files of a patch.
 */
static void trace_lost(struct deps_result *r, struct gitsrc *g,
		       const git_oid *newest, const git_oid *oldest,
		       struct lost_lines *ll, const char *const *paths,
		       size_t npaths)
{
	git_repository *repo = gitsrc_repository(g);
	size_t left = ll->n, i;
	git_tree *ct = NULL, *pt = NULL;
	git_revwalk *walk;
	git_oid id;

	if (!left || git_revwalk_new(&walk, repo) < 0)
		return;
	git_revwalk_sorting(walk, GIT_SORT_TIME); /* streams: stops early */
	if (git_revwalk_push(walk, newest) < 0 ||
	    (oldest && git_revwalk_hide(walk, oldest) < 0)) {
		git_revwalk_free(walk);
		return;
	}
	while (left && git_revwalk_next(&id, walk) == 0) {
		git_commit *c, *parent = NULL;

		if (git_commit_lookup(&c, repo, &id) < 0)
			continue;
		if (git_commit_parentcount(c) != 1 ||
		    git_commit_parent(&parent, c, 0) < 0) {
			git_commit_free(c);
			continue;
		}
		if (git_commit_tree(&ct, c) < 0 || git_commit_tree(&pt, parent) < 0) {
			git_tree_free(ct);
			ct = NULL;
		}
		for (i = 0; ct && i < npaths && left; i++) {
			git_oid now, before;
			int has_now, has_before;
			git_blob *a = NULL, *b = NULL;
			struct added_cb cb = { ll, paths[i], &id, r, g, left };

			if (!tree_path_changed(ct, pt, paths[i]))
				continue;
			has_now = tree_path_blob(ct, paths[i], &now);
			has_before = tree_path_blob(pt, paths[i], &before);
			if (!has_now || (has_before && git_oid_equal(&now, &before)))
				continue;
			if ((has_before && git_blob_lookup(&a, repo, &before) < 0) ||
			    git_blob_lookup(&b, repo, &now) < 0) {
				git_blob_free(a);
				continue;
			}
			git_diff_blobs(a, paths[i], b, paths[i], NULL, NULL, NULL,
				       NULL, added_line_cb, &cb);
			left = cb.left;
			git_blob_free(a);
			git_blob_free(b);
		}
		git_tree_free(ct);
		git_tree_free(pt);
		ct = pt = NULL;
		git_commit_free(parent);
		git_commit_free(c);
	}
	git_revwalk_free(walk);
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

static void blame_conflicts(struct deps_result *r, struct gitsrc *g,
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
static void prereqs_oldest_first(struct deps_result *r)
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

/* ---- companions: what a prerequisite itself needs to compile ------ */

/* The macros the '+' lines of p #define. */
static void patch_added_macros(const struct patch *p, struct strset *out)
{
	size_t f, h, i;

	for (f = 0; f < p->nfiles; f++)
		for (h = 0; h < p->files[f].nhunks; h++) {
			const struct hunk *hk = &p->files[f].hunks[h];

			for (i = 0; i < hk->nlines; i++) {
				const struct pline *l = &hk->lines[i];
				const char *q = l->text, *end = l->text + l->len, *s;

				if (l->kind != '+')
					continue;
				while (q < end && (*q == ' ' || *q == '\t'))
					q++;
				if (end - q < 8 || *q != '#')
					continue;
				for (q++; q < end && (*q == ' ' || *q == '\t'); q++)
					;
				if (end - q < 7 || memcmp(q, "define", 6) ||
				    (q[6] != ' ' && q[6] != '\t'))
					continue;
				for (q += 7; q < end && (*q == ' ' || *q == '\t'); q++)
					;
				for (s = q; q < end && (isalnum((unsigned char)*q) || *q == '_'); q++)
					;
				if (q > s) {
					char *name = xstrndup(s, (size_t)(q - s));
					strset_add(out, name);
					free(name);
				}
			}
		}
}

static int strset_has(const struct strset *s, const char *str, size_t len)
{
	size_t i;
	char *tmp;
	int found = 0;

	if (!s->size)
		return 0;
	tmp = xstrndup(str, len);
	for (i = str_hash(tmp) & (s->size - 1); s->tab[i]; i = (i + 1) & (s->size - 1))
		if (!strcmp(s->v[s->tab[i] - 1], tmp)) {
			found = (int)s->tab[i];
			break;
		}
	free(tmp);
	return found;
}

/* Every identifier a target's #if, #ifdef, #ifndef or #elif tests, and where. */
struct guard_index {
	struct strset idents;
	struct guard_hit {
		size_t ident; /* index into idents.v */
		size_t path;  /* index into paths */
	} *v;
	size_t n, alloc;
	char **paths;
	size_t npaths, paths_alloc;
};

static size_t strset_index(struct strset *s, const char *str, size_t len)
{
	char *tmp = xstrndup(str, len);
	int k;

	strset_add(s, tmp);
	k = strset_has(s, str, len);
	free(tmp);
	return (size_t)k - 1;
}

static void guard_scan(struct guard_index *gi, const char *data, size_t len,
		       size_t path)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p;

		if (!eol)
			eol = end;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q < eol && *q == '#') {
			for (q++; q < eol && (*q == ' ' || *q == '\t'); q++)
				;
			if (eol - q > 2 && ((q[0] == 'i' && q[1] == 'f') ||
					    (q[0] == 'e' && q[1] == 'l' && q[2] == 'i'))) {
				while (q < eol && isalpha((unsigned char)*q))
					q++; /* the directive */
				while (q < eol) {
					const char *s;

					while (q < eol && !(isalpha((unsigned char)*q) || *q == '_'))
						q++;
					for (s = q; q < eol && (isalnum((unsigned char)*q) || *q == '_'); q++)
						;
					if (q > s && !(q - s == 7 && !memcmp(s, "defined", 7))) {
						ALLOC_GROW(gi->v, gi->n + 1, gi->alloc);
						gi->v[gi->n].ident = strset_index(&gi->idents, s,
										  (size_t)(q - s));
						gi->v[gi->n].path = path;
						gi->n++;
					}
				}
			}
		}
		p = eol + 1;
	}
}

struct guard_walk {
	git_repository *repo;
	struct guard_index *gi;
};

static int guard_walk_cb(const char *root, const git_tree_entry *e, void *data)
{
	struct guard_walk *w = data;
	struct guard_index *gi = w->gi;
	const char *name = git_tree_entry_name(e);
	size_t n = strlen(name), before;
	struct strbuf path = STRBUF_INIT;
	git_blob *blob;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || n < 3 ||
	    name[n - 2] != '.' || (name[n - 1] != 'c' && name[n - 1] != 'h'))
		return 0;
	if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(e)) < 0)
		return 0;
	before = gi->n;
	guard_scan(gi, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
		   gi->npaths);
	git_blob_free(blob);
	if (gi->n > before) {
		sb_addf(&path, "%s%s", root, name);
		ALLOC_GROW(gi->paths, gi->npaths + 1, gi->paths_alloc);
		gi->paths[gi->npaths++] = sb_detach(&path, NULL);
	}
	return 0;
}

static struct guard_index *guard_index_build(git_repository *repo,
					     const char *rev)
{
	struct guard_index *gi = xcalloc(1, sizeof(*gi));
	struct guard_walk w = { repo, gi };
	git_object *obj;
	git_tree *tree;

	if (git_revparse_single(&obj, repo, rev) < 0)
		return gi;
	if (git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) == 0) {
		git_tree_walk(tree, GIT_TREEWALK_PRE, guard_walk_cb, &w);
		git_tree_free(tree);
	}
	git_object_free(obj);
	return gi;
}

static void guard_index_free(struct guard_index *gi)
{
	size_t i;

	if (!gi)
		return;
	for (i = 0; i < gi->npaths; i++)
		free(gi->paths[i]);
	free(gi->paths);
	free(gi->v);
	strset_release(&gi->idents, 0);
	free(gi);
}

struct mention {
	const char *macro;
	int found;
};

static int mention_cb(const git_diff_delta *d, const git_diff_hunk *h,
		      const git_diff_line *l, void *data)
{
	struct mention *m = data;

	if (memmem(l->content, l->content_len, m->macro, strlen(m->macro)))
		m->found = 1;
	return 0;
}

/*
 * The newest commit of hide..from that changed path in a hunk (context
 * included) mentioning macro: the fix that keeps a guard compiling.
 */
static int find_guard_fix(git_repository *repo, const git_oid *from,
			  const git_oid *hide, const char *path,
			  const char *macro, git_oid *out)
{
	git_diff_options opts;
	git_revwalk *walk;
	git_oid id;
	int rc = 1;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 3;
	if (git_revwalk_new(&walk, repo) < 0)
		return -1;
	git_revwalk_sorting(walk, GIT_SORT_TIME); /* streams: stops early */
	if (git_revwalk_push(walk, from) < 0 ||
	    (hide && git_revwalk_hide(walk, hide) < 0)) {
		git_revwalk_free(walk);
		return -1;
	}
	while (rc == 1 && git_revwalk_next(&id, walk) == 0) {
		git_commit *c, *parent = NULL;
		git_tree *ct = NULL, *pt = NULL;
		git_blob *a = NULL, *b = NULL;
		git_oid now, before;
		struct mention m = { macro, 0 };

		if (git_commit_lookup(&c, repo, &id) < 0)
			continue;
		if (git_commit_parentcount(c) != 1 || git_commit_parent(&parent, c, 0) < 0 ||
		    git_commit_tree(&ct, c) < 0 || git_commit_tree(&pt, parent) < 0 ||
		    !tree_path_changed(ct, pt, path) ||
		    !tree_path_blob(ct, path, &now) || !tree_path_blob(pt, path, &before) ||
		    git_oid_equal(&now, &before) ||
		    git_blob_lookup(&a, repo, &before) < 0 ||
		    git_blob_lookup(&b, repo, &now) < 0)
			goto next;
		git_diff_blobs(a, path, b, path, &opts, NULL, NULL, NULL,
			       mention_cb, &m);
		if (m.found) {
			git_oid_cpy(out, &id);
			rc = 0;
		}
next:
		git_blob_free(a);
		git_blob_free(b);
		git_tree_free(ct);
		git_tree_free(pt);
		git_commit_free(parent);
		git_commit_free(c);
	}
	git_revwalk_free(walk);
	return rc;
}

/*
 * A header sync can break code the target already has: a file that tests
 * "#ifndef NAME" for a macro the sync starts to define.  For each such
 * file, the upstream commit before the prerequisite that changed the
 * guarded code is a companion prerequisite (e.g. 9904adfaca for the
 * Linux 5.7-rc3 sync dc6f8d458a in QEMU).
 */
static void add_companions(struct deps_result *r, struct gitsrc *g,
			   struct deps_target *dt, const char *target_rev,
			   const struct deps_prereq *pre)
{
	git_repository *repo = gitsrc_repository(g);
	struct strset macros = { 0 }, files = { 0 }, done = { 0 };
	struct patch_list pl = { 0 };
	const char *spec = pre->commit;
	git_commit *pc = NULL, *target = NULL;
	git_object *obj = NULL;
	git_oid pid;
	size_t i, f;

	if (gitsrc_read_commits_in(g, &pl, &spec, 1) < 0 || pl.n != 1)
		goto out;
	patch_added_macros(&pl.v[0], &macros);
	if (!macros.n || git_oid_fromstr(&pid, pre->commit) < 0 ||
	    git_commit_lookup(&pc, repo, &pid) < 0 || !git_commit_parentcount(pc) ||
	    git_revparse_single(&obj, repo, target_rev) < 0 ||
	    git_object_peel((git_object **)&target, obj, GIT_OBJECT_COMMIT) < 0)
		goto out;
	for (f = 0; f < pl.v[0].nfiles; f++) {
		const char *path = file_diff_target(&pl.v[0].files[f],
						    patch_strip_level(&pl.v[0]));
		if (path)
			strset_add(&files, path);
	}
	if (!dt->guards)
		dt->guards = guard_index_build(repo, target_rev);
	for (i = 0; i < dt->guards->n; i++) {
		const struct guard_hit *h = &dt->guards->v[i];
		const char *macro = dt->guards->idents.v[h->ident];
		const char *path = dt->guards->paths[h->path];
		struct strbuf key = STRBUF_INIT;
		git_oid fix;

		if (!strset_has(&macros, macro, strlen(macro)) ||
		    strset_has(&files, path, strlen(path)))
			continue;
		sb_addf(&key, "%s %s", path, macro);
		if (strset_add(&done, key.buf) &&
		    find_guard_fix(repo, git_commit_parent_id(pc, 0),
				   git_commit_id(target), path, macro, &fix) == 0) {
			struct deps_prereq *q;
			char id[41];

			git_oid_tostr(id, sizeof(id), &fix);
			q = prereq_get(r, g, id);
			if (!q->needed_by[0] && !q->lines) {
				memcpy(q->needed_by, pre->commit, 41);
				q->guard = xstrdup(macro);
				prereq_add_file(q, path);
			}
		}
		sb_release(&key);
	}
out:
	git_object_free(obj);
	git_commit_free(target);
	git_commit_free(pc);
	patch_list_release(&pl);
	strset_release(&macros, 0);
	strset_release(&files, 0);
	strset_release(&done, 0);
}

static void deps_companions(struct deps_result *r, struct gitsrc *g,
			    struct deps_target *dt, const char *target_rev)
{
	size_t i, n = r->nprereqs;

	if (!target_rev)
		return;
	for (i = 0; i < n; i++) {
		struct deps_prereq pre = r->prereqs[i]; /* the array may move */
		add_companions(r, g, dt, target_rev, &pre);
	}
}

/* ---- the run ------------------------------------------------------- */

void deps_run_init(struct deps_run *run, const struct patch_list *series,
		   struct gitsrc *g)
{
	memset(run, 0, sizeof(*run));
	run->series = series;
	run->g = g;
}

void deps_run_add_target(struct deps_run *run, const char *name,
			 const char *rev, struct tree *t)
{
	struct deps_target *dt;

	ALLOC_GROW(run->targets, run->ntargets + 1, run->alloc);
	dt = &run->targets[run->ntargets++];
	memset(dt, 0, sizeof(*dt));
	dt->name = xstrdup(name);
	dt->rev = rev ? xstrdup(rev) : NULL;
	dt->tree = t;
	dt->results = xcalloc(run->series->n ? run->series->n : 1,
			      sizeof(*dt->results));
}

static int is_c_path(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 2 && path[n - 2] == '.' && (path[n - 1] == 'c' || path[n - 1] == 'h');
}

/* The C files the series changes, as the new side names them. */
static void series_paths(const struct patch_list *s, struct strset *out)
{
	size_t i, f;

	for (i = 0; i < s->n; i++) {
		const struct patch *p = &s->v[i];
		int strip = patch_strip_level(p);

		for (f = 0; f < p->nfiles; f++) {
			const char *path = file_diff_target(&p->files[f], strip);
			if (is_c_path(path))
				strset_add(out, path);
		}
	}
}

/* With --git: the upstream tree at the newest commit of the series. */
static int deps_index_upstream(struct deps_run *run)
{
	struct strset start = { 0 };
	struct tree *up;
	size_t i;
	int rc;

	for (i = run->series->n; i-- > 0;) {
		const struct patch *p = &run->series->v[i];
		if (p->meta.commit && gitsrc_is_revision(run->g, p->meta.commit)) {
			snprintf(run->newest, sizeof(run->newest), "%s",
				 p->meta.commit);
			break;
		}
	}
	if (!run->newest[0])
		return 0;
	rc = gitsrc_open_tree_in(&up, run->g, "upstream", run->newest);
	if (rc < 0)
		return -1;
	series_paths(run->series, &start);
	deps_include_closure(up, (const char *const *)start.v, start.n, 4000,
			     &run->paths, &run->npaths);
	run->upstream = symindex_new();
	index_paths(run->upstream, up, run->paths, run->npaths);
	tree_free(up);
	strset_release(&start, 0);
	return 0;
}

static struct symindex *deps_index_target(struct deps_run *run,
					  struct deps_target *dt)
{
	struct symindex *ix = symindex_new();

	if (run->upstream) {
		index_paths(ix, dt->tree, run->paths, run->npaths);
	} else if (tree_dir(dt->tree)) {
		symindex_add_dir(ix, tree_dir(dt->tree));
	} else if (run->g && dt->rev) {
		symindex_add_git(ix, run->g, dt->rev, NULL, 0);
	}
	return ix;
}

static void add_missing(struct deps_result *r, const struct sym_use *u,
			const struct sym_def *d, size_t series_patch)
{
	struct deps_missing *m;

	ALLOC_GROW(r->missing, r->nmissing + 1, r->alloc_missing);
	m = &r->missing[r->nmissing++];
	memset(m, 0, sizeof(*m));
	m->name = xstrdup(u->name);
	m->path = u->path;
	m->line = u->line;
	m->patch_line = u->patch_line;
	m->high = d != NULL;
	if (d) {
		m->def_file = xstrdup(d->file);
		m->def_line = d->line;
		m->kind = d->kind;
	}
	m->series_patch = series_patch;
}

/* Names nobody would call missing: the C library and compiler. */
static int is_library_name(const char *s)
{
	static const char *const names[] = {
		"NULL", "true", "false", "bool", "size_t", "ssize_t", "off_t",
		"uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t",
		"int16_t", "int32_t", "int64_t", "uintptr_t", "intptr_t",
		"errno", "__func__", "__FILE__", "__LINE__", "assert",
		"memset", "memcpy", "memmove", "memcmp", "strcmp", "strncmp",
		"strlen", "strdup", "strchr", "strrchr", "strerror", "printf",
		"fprintf", "snprintf", "sprintf", "malloc", "calloc", "realloc",
		"free", "abort", "exit", "open", "close", "read", "write",
		"pread", "pwrite", "ioctl", "mmap", "munmap", "stderr", "stdout",
		"EINVAL", "ENOMEM", "ENODEV", "ENOENT", "EIO", "EFAULT", "ENOSPC",
		"EBUSY", "EAGAIN", "EINTR", "EPERM", "ENOTSUP", "ENOSYS",
		NULL
	};
	size_t i;

	for (i = 0; names[i]; i++)
		if (!strcmp(s, names[i]))
			return 1;
	return 0;
}

static void deps_check_uses(struct deps_run *run, struct deps_target *dt,
			    struct deps_result *r, size_t idx,
			    struct symindex *target, struct symindex *applied,
			    struct symindex **earlier)
{
	const struct patch *p = &run->series->v[idx];
	struct sym_uses uses = { 0 };
	size_t i, k;

	symindex_patch_uses(p, NULL, &uses);
	for (i = 0; i < uses.n; i++) {
		const struct sym_use *u = &uses.v[i];
		size_t len = strlen(u->name);
		const struct sym_def *d = NULL;
		size_t from = 0;

		if (symindex_lookup(target, u->name, len) ||
		    symindex_lookup(applied, u->name, len))
			continue;
		if (run->upstream) {
			d = symindex_lookup(run->upstream, u->name, len);
			if (!d)
				continue; /* a library or generated name */
		} else if (is_library_name(u->name)) {
			continue;
		}
		for (k = 0; k < idx && !from; k++)
			if (symindex_lookup(earlier[k], u->name, len))
				from = k + 1;
		add_missing(r, u, d, from);
	}
	sym_uses_release(&uses);
}

/* Which upstream commit brought each high-confidence missing name. */
static void deps_trace(struct deps_run *run, struct deps_target *dt,
		       struct deps_result *r)
{
	size_t i, j;

	if (!run->g || !run->newest[0])
		return;
	for (i = 0; i < r->nmissing; i++) {
		struct deps_missing *m = &r->missing[i];

		if (!m->high || m->series_patch)
			continue;
		/* the same name traced before for this target */
		for (j = 0; j < i; j++)
			if (!strcmp(r->missing[j].name, m->name))
				break;
		if (j < i) {
			memcpy(m->introduced, r->missing[j].introduced, 41);
		} else if (deps_find_introducer(run->g, dt->rev ? dt->rev : run->base,
						run->newest, m->def_file, m->name,
						m->introduced) != 0) {
			m->introduced[0] = '\0';
		}
		if (m->introduced[0])
			m->introduced_subject = commit_subject(run->g, m->introduced, NULL);
	}
}

static int deps_run_target(struct deps_run *run, struct deps_target *dt)
{
	struct symindex *target = run->no_names ? NULL
					       : deps_index_target(run, dt);
	struct symindex *applied = symindex_new();
	struct symindex **earlier = xcalloc(run->series->n + 1, sizeof(*earlier));
	struct apply_state st;
	size_t i;
	int rc = 0;

	apply_state_init(&st);
	st.max_fuzz = run->strict ? 0 : 2;
	if (run->g && !run->strict) {
		st.merge = gitsrc_merge;
		st.merge_ctx = run->g;
	}
	for (i = 0; i < run->series->n && rc == 0; i++) {
		const struct patch *p = &run->series->v[i];
		struct deps_result *r = &dt->results[i];
		struct patch_result pr;
		size_t f, h;

		r->patch = p;
		if (apply_patch(&st, dt->tree, p, &pr) < 0) {
			rc = -1;
			break;
		}
		r->verdict = pr.verdict;
		for (f = 0; f < pr.nfiles; f++)
			for (h = 0; h < pr.files[f].fd->nhunks; h++)
				if (pr.files[f].hunks &&
				    pr.files[f].hunks[h].verdict == V_CONFLICT)
					r->conflict_hunks++;
		if (pr.verdict == V_CONFLICT && !r->conflict_hunks)
			r->conflict_hunks = 1; /* e.g. the file is missing */
		if (target)
			deps_check_uses(run, dt, r, i, target, applied, earlier);
		earlier[i] = symindex_new();
		symindex_add_patch(earlier[i], p);
		if (pr.kept)
			symindex_add_patch(applied, p);
		if (pr.verdict == V_CONFLICT && run->g)
			blame_conflicts(r, run->g, dt->rev ? dt->rev : run->base,
					dt->tree, p, &pr);
		if (r->nprereqs && run->g)
			deps_companions(r, run->g, dt, dt->rev ? dt->rev : run->base);
		prereqs_oldest_first(r);
		deps_trace(run, dt, r);
		run->missing += r->nmissing;
		run->conflicts += pr.verdict == V_CONFLICT;
		patch_result_release(&pr);
	}
	for (i = 0; i < run->series->n; i++)
		symindex_free(earlier[i]);
	free(earlier);
	symindex_free(applied);
	symindex_free(target);
	return rc;
}

int deps_run_all(struct deps_run *run)
{
	size_t i;

	if (run->g && !run->no_names && deps_index_upstream(run) < 0)
		return -1;
	for (i = 0; i < run->ntargets; i++)
		if (deps_run_target(run, &run->targets[i]) < 0)
			return -1;
	return 0;
}

void deps_run_release(struct deps_run *run)
{
	size_t i, j, k;

	for (i = 0; i < run->ntargets; i++) {
		struct deps_target *dt = &run->targets[i];

		for (j = 0; j < run->series->n; j++) {
			struct deps_result *r = &dt->results[j];

			for (k = 0; k < r->nmissing; k++) {
				free(r->missing[k].name);
				free(r->missing[k].def_file);
				free(r->missing[k].introduced_subject);
			}
			for (k = 0; k < r->nprereqs; k++) {
				free(r->prereqs[k].subject);
				free(r->prereqs[k].files);
				free(r->prereqs[k].guard);
			}
			free(r->missing);
			free(r->prereqs);
		}
		free(dt->results);
		guard_index_free(dt->guards);
		free(dt->name);
		free(dt->rev);
		tree_free(dt->tree);
	}
	for (i = 0; i < run->npaths; i++)
		free(run->paths[i]);
	free(run->paths);
	free(run->targets);
	symindex_free(run->upstream);
	memset(run, 0, sizeof(*run));
}

/* ---- output ------------------------------------------------------- */

static const char *patch_subject(const struct patch *p)
{
	return p->meta.subject ? p->meta.subject : "";
}

static void print_missing_text(const struct deps_missing *m,
			       const struct deps_run *run, FILE *f)
{
	if (!m->high) {
		fprintf(f, "    %s:%ld: unknown %s: defined nowhere in the target\n",
			m->path, m->line, m->name);
		return;
	}
	fprintf(f, "    %s:%ld: missing %s (%s at %s:%ld upstream)", m->path,
		m->line, m->name, sym_kind_name(m->kind), m->def_file,
		m->def_line);
	if (m->series_patch)
		fprintf(f, ": defined by patch %zu (%s), which did not apply\n",
			m->series_patch, run->series->v[m->series_patch - 1].name);
	else if (m->introduced[0])
		fprintf(f, ": introduced by %.10s %s\n", m->introduced,
			m->introduced_subject ? m->introduced_subject : "");
	else
		fprintf(f, "\n");
}

void deps_print_text(const struct deps_run *run, FILE *f)
{
	size_t i, j, k;

	for (i = 0; i < run->ntargets; i++) {
		const struct deps_target *dt = &run->targets[i];

		fprintf(f, "%s%s%s%s\n", dt->name, dt->rev ? " (" : "",
			dt->rev ? dt->rev : "", dt->rev ? ")" : "");
		for (j = 0; j < run->series->n; j++) {
			const struct deps_result *r = &dt->results[j];

			fprintf(f, "  %zu %s %s: %s", j + 1, r->patch->name,
				patch_subject(r->patch), verdict_name(r->verdict));
			if (r->verdict == V_CONFLICT)
				fprintf(f, " (%zu hunk%s)", r->conflict_hunks,
					r->conflict_hunks == 1 ? "" : "s");
			if (r->nmissing)
				fprintf(f, ", %zu missing", r->nmissing);
			fputc('\n', f);
			for (k = 0; k < r->nprereqs; k++) {
				const struct deps_prereq *q = &r->prereqs[k];
				if (q->needed_by[0])
					fprintf(f, "    candidate prerequisite %.10s %s "
						"(needed by %.10s: %s tests %s)\n",
						q->commit, q->subject, q->needed_by,
						q->files, q->guard);
				else
					fprintf(f, "    candidate prerequisite %.10s %s "
						"(%zu context line%s in %s)\n", q->commit,
						q->subject, q->lines,
						q->lines == 1 ? "" : "s", q->files);
			}
			for (k = 0; k < r->nmissing; k++)
				print_missing_text(&r->missing[k], run, f);
		}
	}
}

void deps_note(const struct deps_result *r, struct strbuf *out)
{
	size_t k;

	if (r->nprereqs) {
		sb_addstr(out, "needs ");
		for (k = 0; k < r->nprereqs; k++)
			sb_addf(out, "%s%.10s", k ? ", " : "", r->prereqs[k].commit);
	}
	if (r->nmissing) {
		sb_addf(out, "%s%zu missing (", r->nprereqs ? "; " : "", r->nmissing);
		for (k = 0; k < r->nmissing && k < 3; k++)
			sb_addf(out, "%s%s", k ? ", " : "", r->missing[k].name);
		sb_addstr(out, r->nmissing > 3 ? ", ...)" : ")");
	}
}

static json_t *jstr_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *missing_json(const struct deps_missing *m,
			    const struct deps_run *run)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(m->name));
	json_object_set_new(o, "path", json_string(m->path));
	json_object_set_new(o, "line", json_integer(m->line));
	json_object_set_new(o, "patch_line", json_integer(m->patch_line));
	json_object_set_new(o, "confidence", json_string(m->high ? "high" : "low"));
	json_object_set_new(o, "kind", m->high ? json_string(sym_kind_name(m->kind))
					       : json_null());
	json_object_set_new(o, "defined_at", m->def_file
		? json_pack("{s:s, s:I}", "file", m->def_file, "line",
			    (json_int_t)m->def_line)
		: json_null());
	json_object_set_new(o, "series_patch", m->series_patch
		? json_integer((json_int_t)m->series_patch) : json_null());
	json_object_set_new(o, "introduced_by", m->introduced[0]
		? json_pack("{s:s, s:s}", "commit", m->introduced, "subject",
			    m->introduced_subject ? m->introduced_subject : "")
		: json_null());
	return o;
}

void deps_print_json(const struct deps_run *run, FILE *f)
{
	json_t *root = json_object(), *targets = json_array(),
	       *patches = json_array();
	size_t i, j, k;

	json_object_set_new(root, "version", json_integer(1));
	for (i = 0; i < run->ntargets; i++)
		json_array_append_new(targets, json_string(run->targets[i].name));
	json_object_set_new(root, "targets", targets);
	for (j = 0; j < run->series->n; j++) {
		const struct patch *p = &run->series->v[j];
		json_t *po = json_object(), *results = json_array();

		json_object_set_new(po, "name", json_string(p->name));
		json_object_set_new(po, "subject", jstr_or_null(p->meta.subject));
		json_object_set_new(po, "commit", jstr_or_null(p->meta.commit));
		for (i = 0; i < run->ntargets; i++) {
			const struct deps_result *r = &run->targets[i].results[j];
			json_t *ro = json_object(), *miss = json_array(),
			       *pre = json_array();

			json_object_set_new(ro, "target", json_string(run->targets[i].name));
			json_object_set_new(ro, "verdict", json_string(verdict_name(r->verdict)));
			json_object_set_new(ro, "conflict_hunks",
					    json_integer((json_int_t)r->conflict_hunks));
			for (k = 0; k < r->nmissing; k++)
				json_array_append_new(miss, missing_json(&r->missing[k], run));
			for (k = 0; k < r->nprereqs; k++) {
				const struct deps_prereq *q = &r->prereqs[k];
				json_t *qo = json_pack(
					"{s:s, s:s, s:I, s:s}", "commit", q->commit,
					"subject", q->subject, "lines",
					(json_int_t)q->lines, "files", q->files);

				json_object_set_new(qo, "needed_by",
						    jstr_or_null(q->needed_by));
				json_object_set_new(qo, "guard", jstr_or_null(q->guard));
				json_array_append_new(pre, qo);
			}
			json_object_set_new(ro, "missing", miss);
			json_object_set_new(ro, "prerequisites", pre);
			json_array_append_new(results, ro);
		}
		json_object_set_new(po, "results", results);
		json_array_append_new(patches, po);
	}
	json_object_set_new(root, "patches", patches);
	json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(root);
}
