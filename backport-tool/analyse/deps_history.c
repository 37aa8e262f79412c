/*
 * deps_history.c - which upstream commit introduced a definition: the
 * first commit, walking forward from the target's base, whose blob of the
 * defining file defines the name.
 */
#include "analyse/deps_int.h"

#include <string.h>

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

int deps_tree_path_blob(git_tree *tree, const char *path, git_oid *out)
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
int deps_tree_path_changed(git_tree *a, git_tree *b, const char *path)
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

/* The commit a revision names (a tag peeled), so that walks share a key. */
static void object_commit_id(git_object *obj, git_oid *out)
{
	git_object *c;

	if (git_object_peel(&c, obj, GIT_OBJECT_COMMIT) == 0) {
		git_oid_cpy(out, git_object_id(c));
		git_object_free(c);
	} else {
		git_oid_cpy(out, git_object_id(obj));
	}
	git_object_free(obj);
}

/*
 * deps_tree_path_changed for trees named by id (a commit's and its
 * parent's), from the entries gitsrc keeps: 1 changed (or a file at the
 * top), 0 not, -1 when a tree cannot be read.
 */
int deps_path_changed(struct gitsrc *g, const git_oid *a, const git_oid *b,
		      const char *path)
{
	const char *slash = strchr(path, '/');
	git_oid x, y;
	int rx, ry;

	if (!slash)
		return 1;
	rx = gitsrc_tree_entry_id(g, a, path, (size_t)(slash - path), &x);
	ry = gitsrc_tree_entry_id(g, b, path, (size_t)(slash - path), &y);
	if (rx < 0 || ry < 0)
		return -1;
	return !rx || !ry || !git_oid_equal(&x, &y);
}

int deps_find_introducer(struct gitsrc *g, const char *hide, const char *from,
			 const char *path, const char *name, char *out)
{
	git_repository *repo = gitsrc_repository(g);
	const git_oid *walk;
	git_oid from_id, hide_id;
	git_object *obj;
	size_t n, k;
	int rc = 1;

	out[0] = '\0';
	/*
	 * Newest first, by time: the first commit that defines name while its
	 * parent does not is the introduction the target lacks (the last one,
	 * were it ever removed and added again).
	 */
	if (git_revparse_single(&obj, repo, from) < 0)
		return error("no such revision '%s'", from);
	object_commit_id(obj, &from_id);
	if (hide && git_revparse_single(&obj, repo, hide) < 0)
		return error("no such revision '%s'", hide);
	if (hide)
		object_commit_id(obj, &hide_id);
	if (gitsrc_walk_by_time(g, &from_id, hide ? &hide_id : NULL, &walk, &n) < 0)
		return error("no such revision '%s'", hide ? hide : from);
	for (k = 0; rc == 1 && k < n; k++) {
		const git_oid id = walk[k];
		git_tree *ct = NULL, *pt = NULL;
		git_oid now, before, tree, parent_tree;
		int has_now, has_before = 0, got;
		unsigned nparents;

		got = gitsrc_commit_trees(g, &id, &nparents, &tree, &parent_tree);
		if (got < 0 || nparents > 1)
			continue;
		if (nparents && got == 0 &&
		    deps_path_changed(g, &tree, &parent_tree, path) == 0)
			continue;
		if (git_tree_lookup(&ct, repo, &tree) < 0)
			continue;
		if (nparents && got == 0)
			git_tree_lookup(&pt, repo, &parent_tree);
		has_now = deps_tree_path_blob(ct, path, &now);
		if (pt)
			has_before = deps_tree_path_blob(pt, path, &before);
		if (has_now && (!has_before || !git_oid_equal(&now, &before)) &&
		    blob_defines(repo, &now, path, name) &&
		    !(has_before && blob_defines(repo, &before, path, name))) {
			git_oid_tostr(out, 41, &id);
			rc = 0;
		}
		git_tree_free(ct);
		git_tree_free(pt);
	}
	return rc;
}

char *deps_commit_subject(struct gitsrc *g, const char *id, long *time)
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
