/*
 * gitsrc.c - upstream git history through libgit2: commits become patches
 * (the text git format-patch writes), revisions become read-only trees, and
 * a commit's pre- and post-image drive the 3-way fallback of apply.c.
 *
 * This file opens the repository and resolves commit specs (ids, A..B,
 * @FILE) into a series, oldest first; gitsrc_format.c writes each commit
 * as format-patch text and gitsrc_tree.c serves revisions as trees.
 */
#include "input/gitsrc.h"
#include "input/gitsrc_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int gitsrc_verifying(const char *var)
{
	const char *env = getenv(var);

	return env && !strcmp(env, "verify");
}

int gitsrc_fail(const char *what, const char *arg)
{
	return gitsrc_fail_at(NULL, 0, what, arg);
}

int gitsrc_fail_at(const char *file, long line, const char *what,
		   const char *arg)
{
	const git_error *e = git_error_last();

	return error_at(file, line, "%s '%s': %s", what, arg,
			e && e->message ? e->message : "libgit2 error");
}

int gitsrc_open(struct gitsrc **out, const char *path)
{
	struct gitsrc *g;

	git_libgit2_init();
	/*
	 * Objects are not hashed again on every read (git does not either):
	 * that was a quarter of the CPU of judging a release's commits.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/*
	 * Pack files mapped in 32 MiB windows, 128 MiB at most: libgit2 maps
	 * up to 8 GiB by default, and every page a long history walk touches
	 * stayed in the peak memory (check with prerequisite search on 30
	 * QEMU commits x 3 targets: 540 -> 446 MB, the same CPU).
	 */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)32 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)128 << 20);
	/*
	 * Trees of any size stay in libgit2's object cache (it keeps none
	 * over 4 KiB by default): QEMU's top-level trees are read again for
	 * every file of every target and every commit's diff.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, (int)GIT_OBJECT_TREE,
			 (size_t)1 << 20);
	g = xcalloc(1, sizeof(*g));
	if (git_repository_open_ext(&g->repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH,
				    NULL) < 0) {
		gitsrc_fail("cannot open git repository", path);
		free(g);
		git_libgit2_shutdown();
		return -1;
	}
	g->path = xstrdup(path);
	*out = g;
	return 0;
}

void gitsrc_free(struct gitsrc *g)
{
	if (!g)
		return;
	gitsrc_changes_report(g);
	gitsrc_commits_free(g);
	gitsrc_table_clear(&g->diffs);
	gitsrc_table_clear(&g->changes);
	gitsrc_hist_free(g);
	git_repository_free(g->repo);
	free(g->path);
	free(g);
	git_libgit2_shutdown();
}

void gitsrc_keep_texts(struct gitsrc *g, int on)
{
	if (g)
		g->keep_texts = on;
}

void gitsrc_binary_ids(struct gitsrc *g, int on)
{
	if (g)
		g->binary_ids = on;
}

struct git_repository *gitsrc_repository(struct gitsrc *g)
{
	return g->repo;
}

const char *gitsrc_path(const struct gitsrc *g)
{
	return g->path;
}

int gitsrc_lookup_commit(git_commit **out, git_repository *repo,
			 const char *rev)
{
	git_object *obj;
	int rc;

	if (git_revparse_single(&obj, repo, rev) < 0)
		return -1;
	rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	return rc;
}

/* ---- commit specs ---------------------------------------------------- */

struct oid_set {
	git_oid *v;
	size_t n, alloc;
};

static int oid_set_has(const struct oid_set *s, const git_oid *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (git_oid_equal(&s->v[i], id))
			return 1;
	return 0;
}

static void oid_set_add(struct oid_set *s, const git_oid *id)
{
	if (oid_set_has(s, id))
		return;
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	git_oid_cpy(&s->v[s->n++], id);
}

/*
 * Resolve each end of "A..B" ourselves (an empty end is HEAD): libgit2's
 * own range parser leaks the first end when the second does not resolve.
 */
static int range_end(git_repository *repo, const char *s, size_t n,
		     git_oid *out)
{
	char *rev = n ? xstrndup(s, n) : xstrdup("HEAD");
	git_commit *c;
	int rc = gitsrc_lookup_commit(&c, repo, rev);

	free(rev);
	if (rc < 0)
		return -1;
	git_oid_cpy(out, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

/* A range, from the command line (file NULL) or line `line` of @file. */
static int add_range(git_repository *repo, const char *spec,
		     const char *file, long line, struct oid_set *set)
{
	const char *dots = strstr(spec, "..");
	git_revwalk *walk;
	git_oid from, to, id;
	int rc;

	if (dots[2] == '.')
		return error_at(file, line,
				"'%s': symmetric ranges (A...B) are not supported",
				spec);
	if (range_end(repo, spec, (size_t)(dots - spec), &from) < 0 ||
	    range_end(repo, dots + 2, strlen(dots + 2), &to) < 0)
		return gitsrc_fail_at(file, line, "bad range", spec);
	if (git_revwalk_new(&walk, repo) < 0)
		return gitsrc_fail_at(file, line, "cannot walk", spec);
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	if (git_revwalk_push(walk, &to) < 0 || git_revwalk_hide(walk, &from) < 0) {
		git_revwalk_free(walk);
		return gitsrc_fail_at(file, line, "bad range", spec);
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0)
		oid_set_add(set, &id);
	git_revwalk_free(walk);
	return rc == GIT_ITEROVER ? 0
				  : gitsrc_fail_at(file, line, "cannot walk", spec);
}

static int add_one(git_repository *repo, const char *spec, const char *file,
		   long line, struct oid_set *set)
{
	git_commit *c;

	if (strstr(spec, ".."))
		return add_range(repo, spec, file, line, set);
	if (gitsrc_lookup_commit(&c, repo, spec) < 0) {
		const git_error *e = git_error_last();
		return error_at(file, line, "'%s' is not a commit: %s", spec,
				e && e->message ? e->message : "unknown");
	}
	oid_set_add(set, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

/* @FILE: one commit (or range) per line, first word; '#' starts a comment. */
static int add_file(git_repository *repo, const char *path,
		    struct oid_set *set)
{
	struct strbuf sb;
	char *p, *eol;
	long line = 0;
	int rc = 0;

	if (read_whole_file(path, MAX_INPUT_SIZE, &sb) < 0)
		return -1;
	for (p = sb.buf; p < sb.buf + sb.len && !rc; p = eol + 1) {
		char *w, *end;

		eol = strchrnul(p, '\n');
		*eol = '\0';
		line++;
		for (w = p; w < eol && isspace((unsigned char)*w); w++)
			;
		if (w == eol || *w == '#')
			continue;
		for (end = w; end < eol && !isspace((unsigned char)*end); end++)
			;
		*end = '\0';
		rc = add_one(repo, w, path, line, set);
	}
	sb_release(&sb);
	return rc;
}

static int oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/*
 * Order the set as upstream merged it: walk from every commit down to the
 * merge base of them all, topologically, parents first.  Commits the walk
 * does not meet (unrelated histories) keep their given order, at the end.
 */
static int order_topologically(git_repository *repo, struct oid_set *set)
{
	struct oid_set out = { 0 };
	git_oid *sorted, base, id;
	git_revwalk *walk = NULL;
	size_t i;
	int rc;

	if (set->n < 2)
		return 0;
	sorted = xmalloc(set->n * sizeof(*sorted));
	memcpy(sorted, set->v, set->n * sizeof(*sorted));
	qsort(sorted, set->n, sizeof(*sorted), oid_cmp);
	if (git_revwalk_new(&walk, repo) < 0)
		goto fail;
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	for (i = 0; i < set->n; i++)
		if (git_revwalk_push(walk, &set->v[i]) < 0)
			goto fail;
	if (gitsrc_octopus_base(repo, set->v, set->n, &base) == 0) {
		if (bsearch(&base, sorted, set->n, sizeof(*sorted), oid_cmp))
			oid_set_add(&out, &base);
		if (git_revwalk_hide(walk, &base) < 0)
			goto fail;
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0)
		if (bsearch(&id, sorted, set->n, sizeof(*sorted), oid_cmp))
			oid_set_add(&out, &id);
	if (rc != GIT_ITEROVER)
		goto fail;
	for (i = 0; i < set->n; i++)
		oid_set_add(&out, &set->v[i]);
	free(set->v);
	*set = out;
	free(sorted);
	git_revwalk_free(walk);
	return 0;
fail:
	free(sorted);
	free(out.v);
	git_revwalk_free(walk);
	return gitsrc_fail("cannot order commits in", "walk");
}

/*
 * A commit's format-patch text: made by gitsrc_commit_text, or the one a
 * run made before, from the history memo (the text is the commit's alone;
 * the memo's file names this program's and libgit2's versions), for the
 * commits a command names (gitsrc_keep_texts): the prerequisites deps and
 * plan read are many more, and deps keeps what it needs of them.  A text
 * with a NUL byte is not kept (the memo holds strings).  A text that names
 * a binary change by ids only (gitsrc_binary_ids) is kept apart, as
 * "patch-ids": it serves judging, not writing out; any other is the same
 * either way, and judging may take the one with data too.
 */
/* Does text, made as g makes texts, name a binary change by ids only?
   (A commit message's line may look so: the text is the same then.) */
static int text_binary_ids(const struct gitsrc *g, const char *text)
{
	return g->binary_ids && strstr(text, "\nBinary files ");
}

static const char *commit_text_known(struct gitsrc *g, const char *hex,
				     struct strbuf *key)
{
	const char *known;

	sb_reset(key);
	sb_addf(key, "patch-text %s", hex);
	if ((known = gitsrc_memo_get(g, key->buf)) != NULL || !g->binary_ids)
		return known;
	sb_reset(key);
	sb_addf(key, "patch-ids %s", hex);
	return gitsrc_memo_get(g, key->buf);
}

static int commit_text(struct gitsrc *g, git_commit *c, const char *hex,
		       struct strbuf *text)
{
	struct strbuf key = STRBUF_INIT;
	const char *known;
	int rc;

	if (!g->keep_texts)
		return gitsrc_commit_text(g->repo, c, g->binary_ids, text);
	sb_init(&key);
	if ((known = commit_text_known(g, hex, &key)) != NULL) {
		sb_addstr(text, known);
		rc = 0;
	} else if ((rc = gitsrc_commit_text(g->repo, c, g->binary_ids,
					    text)) == 0 &&
		   strlen(text->buf) == text->len) {
		sb_reset(&key);
		sb_addf(&key, "%s %s", text_binary_ids(g, text->buf)
					       ? "patch-ids" : "patch-text", hex);
		gitsrc_memo_put(g, key.buf, text->buf);
	}
	sb_release(&key);
	return rc;
}

static int patch_from_commit(struct gitsrc *g, const git_oid *id,
			     struct patch *p)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct strbuf text;
	git_commit *c;
	size_t len;
	char *buf, *where;
	int rc, no_binary;

	git_oid_tostr(hex, sizeof(hex), id);
	if (git_commit_lookup(&c, g->repo, id) < 0)
		return gitsrc_fail("cannot read commit", hex);
	sb_init(&text);
	rc = commit_text(g, c, hex, &text);
	if (rc) {
		if (rc < 0) /* 1: a merge commit, the caller says so */
			gitsrc_fail("cannot format commit", hex);
		sb_release(&text);
		git_commit_free(c);
		return rc;
	}
	hex[10] = '\0';
	/* without binary data, the text is format-patch --no-binary's (the
	   same as format-patch's for a commit with no binary change) */
	no_binary = text_binary_ids(g, text.buf);
	buf = sb_detach(&text, &len);
	sb_init(&text);
	sb_addf(&text, "%s%s%s", LOCATION_COMMIT, hex,
		no_binary ? LOCATION_NO_BINARY : "");
	where = sb_detach(&text, NULL);
	rc = patch_parse_commit(p, hex, where, buf, len);
	if (rc == 0) {
		free(p->where);
		p->where = where;
		p->whole_blobs = 1;
		p->binary_ids = no_binary;
	}
	else
		free(where);
	if (rc == 0 && !p->meta.commit) {
		git_oid_tostr(hex, sizeof(hex), id);
		p->meta.commit = xstrdup(hex);
	}
	git_commit_free(c);
	return rc;
}

/* One warning for the merge commits a read skipped: a range has many. */
static void warn_merges(const git_oid *first, size_t n)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), first);
	if (n == 1)
		warning("%.10s: a merge commit, skipped", hex);
	else if (n > 1)
		warning("%zu merge commits skipped (%.10s and %zu more)", n,
			hex, n - 1);
}

static void patch_list_push(struct patch_list *list, struct patch *p)
{
	ALLOC_GROW(list->v, list->n + 1, list->alloc);
	list->v[list->n++] = *p;
}

/* Did we make this patch from a commit (the name is its abbreviated id)? */
static int patch_is_ours(const struct patch *p, git_oid *id)
{
	return p->meta.commit && p->name && strlen(p->name) == 10 &&
	       strlen(p->meta.commit) == GIT_OID_HEXSZ &&
	       !strncmp(p->name, p->meta.commit, 10) &&
	       git_oid_fromstr(id, p->meta.commit) == 0;
}

/*
 * The commits at the end of out that an earlier call added join this
 * call's set, so that "A B C" read one spec at a time still comes out in
 * upstream order; patch files before them keep their place.
 */
int gitsrc_read_commits_in(struct gitsrc *g, struct patch_list *out,
			   const char *const *specs, size_t n)
{
	struct oid_set set = { 0 };
	struct patch *old = NULL;
	size_t i, start = out->n, nold, nmerges = 0;
	git_oid id, merge;
	int rc = 0;

	while (start > 0 && patch_is_ours(&out->v[start - 1], &id))
		start--;
	for (i = start; i < out->n; i++) {
		patch_is_ours(&out->v[i], &id);
		oid_set_add(&set, &id);
	}
	for (i = 0; i < n && !rc; i++)
		rc = specs[i][0] == '@' ? add_file(g->repo, specs[i] + 1, &set)
					: add_one(g->repo, specs[i], NULL, 0, &set);
	if (!rc)
		rc = order_topologically(g->repo, &set);
	if (rc) {
		free(set.v);
		return -1;
	}
	nold = out->n - start;
	if (nold) {
		old = xmalloc(nold * sizeof(*old));
		memcpy(old, out->v + start, nold * sizeof(*old));
		out->n = start;
	}
	for (i = 0; i < set.n; i++) {
		struct patch p;
		size_t k;

		for (k = 0; k < nold; k++)
			if (old[k].name && patch_is_ours(&old[k], &id) &&
			    git_oid_equal(&id, &set.v[i]))
				break;
		if (k < nold) {
			patch_list_push(out, &old[k]);
			old[k].name = NULL;
			continue;
		}
		if (rc < 0)
			continue;
		memset(&p, 0, sizeof(p));
		rc = patch_from_commit(g, &set.v[i], &p);
		if (rc == 0)
			patch_list_push(out, &p);
		if (rc > 0 && !nmerges++)
			git_oid_cpy(&merge, &set.v[i]);
		if (rc > 0)
			rc = 0;
	}
	if (nmerges)
		warn_merges(&merge, nmerges);
	free(old);
	free(set.v);
	return rc < 0 ? -1 : 0;
}

int gitsrc_read_commits(struct patch_list *out, const char *repo,
			const char *const *specs, size_t n)
{
	struct gitsrc *g;
	int rc;

	if (gitsrc_open(&g, repo) < 0)
		return -1;
	rc = gitsrc_read_commits_in(g, out, specs, n);
	gitsrc_free(g);
	return rc;
}

int gitsrc_is_revision(struct gitsrc *g, const char *arg)
{
	git_commit *c;

	if (arg[0] == '@')
		return arg[1] != '\0';
	if (strstr(arg, "..")) {
		const char *dots = strstr(arg, "..");
		git_oid a, b;

		return dots[2] != '.' &&
		       range_end(g->repo, arg, (size_t)(dots - arg), &a) == 0 &&
		       range_end(g->repo, dots + 2, strlen(dots + 2), &b) == 0;
	}
	if (gitsrc_lookup_commit(&c, g->repo, arg) < 0)
		return 0;
	git_commit_free(c);
	return 1;
}
