/*
 * gitsrc_move.c - a file upstream renamed after a target's release: the
 * patch's file is missing in the target; the commit that brought it in is
 * found, libgit2's rename detection in that commit says which file it was
 * (one the target has), and again between the target's revision and the
 * commit's parent that the target's file is still like it.  Read-only:
 * only diffs of existing trees, narrowed by pathspec to the file and one
 * candidate at a time.
 */
#include "input/gitsrc_int.h"

#include <stdlib.h>
#include <string.h>

#define MOVE_MAX_CANDIDATES 64
#define MOVE_THRESHOLD 50

static const char *extension(const char *path)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');

	return dot && (!slash || dot > slash) ? dot : "";
}

/* The files of a that b lacks, with path's extension (at most max;
   more: -1). */
static int deleted_files(git_repository *repo, git_tree *a, git_tree *b,
			 const char *path, char **out, size_t max, size_t *n)
{
	git_diff *d;
	size_t i, k;
	int rc = 0;

	*n = 0;
	if (git_diff_tree_to_tree(&d, repo, a, b, NULL) < 0)
		return -1;
	k = git_diff_num_deltas(d);
	for (i = 0; i < k && !rc; i++) {
		const git_diff_delta *dd = git_diff_get_delta(d, i);

		if (dd->status != GIT_DELTA_DELETED ||
		    strcmp(extension(dd->old_file.path), extension(path)))
			continue;
		if (*n == max)
			rc = -1;
		else
			out[(*n)++] = xstrdup(dd->old_file.path);
	}
	git_diff_free(d);
	return rc;
}

/* Does git_diff_find_similar pair cand (in a) with path (in b)? */
static int similar(git_repository *repo, git_tree *a, git_tree *b,
		   const char *cand, const char *path)
{
	git_diff_options o;
	git_diff_find_options f;
	char *spec[2];
	git_diff *d;
	size_t i, k;
	int found = 0;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&f, GIT_DIFF_FIND_OPTIONS_VERSION);
	spec[0] = (char *)cand;
	spec[1] = (char *)path;
	o.pathspec.strings = spec;
	o.pathspec.count = 2;
	o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	f.flags = GIT_DIFF_FIND_RENAMES;
	f.rename_threshold = MOVE_THRESHOLD;
	if (git_diff_tree_to_tree(&d, repo, a, b, &o) < 0)
		return 0;
	if (git_diff_find_similar(d, &f) == 0) {
		k = git_diff_num_deltas(d);
		for (i = 0; i < k; i++) {
			const git_diff_delta *dd = git_diff_get_delta(d, i);

			if (dd->status == GIT_DELTA_RENAMED &&
			    !strcmp(dd->old_file.path, cand) &&
			    !strcmp(dd->new_file.path, path))
				found = 1;
		}
	}
	git_diff_free(d);
	return found;
}

static int tree_has(git_tree *t, const char *path)
{
	git_tree_entry *e;

	if (git_tree_entry_bypath(&e, t, path) < 0)
		return 0;
	git_tree_entry_free(e);
	return 1;
}

/* The newest commit of hide..from that brought path in (its first
   parent lacks it): 1 with its id, its tree and its parent's; else 0. */
static int creation(struct gitsrc *g, const git_oid *from, const git_oid *hide,
		    const char *path, git_oid *id, git_tree **t, git_tree **pt)
{
	struct gitsrc_change *ch;
	size_t n, k;
	int found = 0;

	*t = *pt = NULL;
	if (gitsrc_path_history(g, from, hide, &path, 1, &ch, &n) < 0)
		return 0;
	for (k = 0; k < n && !found; k++) {
		git_oid tree, ptree;
		unsigned np;

		if (ch[k].nparents != 1 || git_oid_is_zero(&ch[k].after) ||
		    !git_oid_is_zero(&ch[k].before) ||
		    gitsrc_commit_trees(g, &ch[k].commit, &np, &tree, &ptree) != 0)
			continue;
		if (git_tree_lookup(t, g->repo, &tree) < 0 ||
		    git_tree_lookup(pt, g->repo, &ptree) < 0) {
			git_tree_free(*t);
			git_tree_free(*pt);
			*t = *pt = NULL;
			break;
		}
		git_oid_cpy(id, &ch[k].commit);
		found = 1;
	}
	free(ch);
	return found;
}

struct move_trees {
	git_commit *c, *parent, *target;
	git_tree *t, *p;
};

static void move_trees_free(struct move_trees *m)
{
	git_tree_free(m->t);
	git_tree_free(m->p);
	git_commit_free(m->c);
	git_commit_free(m->parent);
	git_commit_free(m->target);
}

static int move_trees_open(struct gitsrc *g, const char *commit,
			   const char *target_rev, struct move_trees *m)
{
	memset(m, 0, sizeof(*m));
	if (gitsrc_lookup_commit(&m->c, g->repo, commit) < 0 ||
	    git_commit_parentcount(m->c) != 1 ||
	    git_commit_parent(&m->parent, m->c, 0) < 0 ||
	    gitsrc_lookup_commit(&m->target, g->repo, target_rev) < 0 ||
	    git_commit_tree(&m->t, m->target) < 0 ||
	    git_commit_tree(&m->p, m->parent) < 0)
		return -1;
	return 0;
}

/* Which of the n candidates commit C (trees cpt -> ct) renamed to path,
   among those the target (tt) has: 1 when exactly one (*one). */
static int pick(git_repository *repo, git_tree *cpt, git_tree *ct,
		git_tree *tt, char **cand, size_t n, const char *path,
		const char **one, struct strbuf *why)
{
	size_t i, k = 0;
	const char *first = NULL;

	for (i = 0; i < n; i++) {
		if (!tree_has(tt, cand[i]) ||
		    !similar(repo, cpt, ct, cand[i], path))
			continue;
		if (!k++)
			first = cand[i];
		else if (k == 2)
			sb_addf(why, "%s and %s here are both similar to "
				"upstream's %s", first, cand[i], path);
	}
	*one = first;
	return k == 1;
}

/*
 * The commit that brought path in renamed exactly one file the target has
 * into it (rename detection in that commit), and the target's file is
 * still like upstream's pre-image (rename detection between the two).
 */
static int find_in(struct gitsrc *g, struct move_trees *m, const char *path,
		   struct gitsrc_move *out, struct strbuf *why)
{
	char *cand[MOVE_MAX_CANDIDATES];
	const char *one = NULL;
	git_tree *ct = NULL, *cpt = NULL;
	git_oid c;
	size_t n = 0, i;
	int rc = 0;

	/* from the commit itself: the walk deps makes too (the commit does
	   not bring path in, its parent has it) */
	if (!creation(g, git_commit_id(m->c), git_commit_id(m->target),
		      path, &c, &ct, &cpt) ||
	    deleted_files(g->repo, cpt, ct, path, cand, MOVE_MAX_CANDIDATES,
			  &n) < 0)
		goto done;
	if (!pick(g->repo, cpt, ct, m->t, cand, n, path, &one, why))
		goto done;
	git_oid_tostr(out->commit, sizeof(out->commit), &c);
	if (!similar(g->repo, m->t, m->p, one, path)) {
		sb_addf(why, "upstream renamed %s to %s in commit %.10s, but "
			"the two differ by more than half", one, path,
			out->commit);
		goto done;
	}
	out->path = xstrdup(one);
	rc = 1;
done:
	for (i = 0; i < n; i++)
		free(cand[i]);
	git_tree_free(ct);
	git_tree_free(cpt);
	return rc;
}

/* The answer as the memo keeps it: "RC COMMIT PATH\nWHY". */
static void move_keep(struct gitsrc *g, const char *key, int rc,
		      const struct gitsrc_move *out)
{
	struct strbuf val = STRBUF_INIT;

	sb_addf(&val, "%d %s %s\n%s", rc, out->commit[0] ? out->commit : "-",
		out->path ? out->path : "-", out->why ? out->why : "");
	gitsrc_memo_put(g, key, val.buf);
	sb_release(&val);
}

static int move_known(const char *val, struct gitsrc_move *out)
{
	const char *sp1 = strchr(val, ' '), *sp2, *nl = strchr(val, '\n');
	int rc = atoi(val);

	if (!sp1 || !nl || !(sp2 = memchr(sp1 + 1, ' ', (size_t)(nl - sp1 - 1))))
		return -1;
	if (sp2 - sp1 - 1 < (long)sizeof(out->commit) && strncmp(sp1 + 1, "-", 1))
		memcpy(out->commit, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	if (strncmp(sp2 + 1, "-\n", 2))
		out->path = xstrndup(sp2 + 1, (size_t)(nl - sp2 - 1));
	if (nl[1])
		out->why = xstrdup(nl + 1);
	return rc;
}

int gitsrc_find_move(void *ctx, const char *target_rev,
		     const struct patch *p, const struct file_diff *fd,
		     struct gitsrc_move *out)
{
	struct gitsrc *g = ctx;
	const char *path = file_diff_path(fd, patch_strip_level(p), 0), *known;
	struct strbuf why = STRBUF_INIT, key = STRBUF_INIT;
	struct move_trees m;
	char c[41], t[41];
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!g || !target_rev || !p->meta.commit || !path)
		return 0;
	if (move_trees_open(g, p->meta.commit, target_rev, &m) == 0) {
		/* the answer depends on the two commits and the path only */
		sb_addf(&key, "move %s %s %s",
			git_oid_tostr(c, sizeof(c), git_commit_id(m.c)),
			git_oid_tostr(t, sizeof(t), git_commit_id(m.target)), path);
		known = gitsrc_memo_get(g, key.buf);
		if (known && (rc = move_known(known, out)) >= 0)
			goto out;
		gitsrc_move_release(out);
		rc = 0;
		if (!tree_has(m.t, path) && tree_has(m.p, path))
			rc = find_in(g, &m, path, out, &why);
		if (why.len)
			out->why = sb_detach(&why, NULL);
		move_keep(g, key.buf, rc, out);
	}
out:
	sb_release(&why);
	sb_release(&key);
	move_trees_free(&m);
	return rc;
}

void gitsrc_move_release(struct gitsrc_move *m)
{
	free(m->path);
	free(m->why);
	memset(m, 0, sizeof(*m));
}
