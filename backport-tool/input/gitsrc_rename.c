/*
 * gitsrc_rename.c - names upstream renamed after a target's release, read
 * from the history.  For a hunk that uses a name the target's file lacks,
 * the commit of target..patch^ that brought the name into the file is
 * found; when that commit replaced one old name by it (its removed and
 * added lines the same but for the two names, the old name gone from the
 * file after it) and the target has the old name, the rename is offered to
 * the adapter (place/adapt.h) with the commit as its evidence.
 */
#include "input/gitsrc_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define RENAME_MAX_NAMES 32
#define RENAME_MAX_TOKENS 256

struct tok {
	const char *p;
	size_t len;
};

static int ident_char(int c)
{
	return isalnum(c) || c == '_';
}

/* Identifiers and numbers are one token, any other character one each. */
static int tokens(const char *s, size_t n, struct tok *out, int max)
{
	size_t i = 0;
	int k = 0;

	while (i < n) {
		size_t j = i;

		if (isspace((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (ident_char((unsigned char)s[i]))
			while (j < n && ident_char((unsigned char)s[j]))
				j++;
		else
			j = i + 1;
		if (k == max)
			return -1;
		out[k].p = s + i;
		out[k++].len = j - i;
		i = j;
	}
	return k;
}

static int tok_is(const struct tok *t, const char *w)
{
	return t->len == strlen(w) && !memcmp(t->p, w, t->len);
}

/* Is w a whole identifier somewhere in s[0..n)? */
static int has_word(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w), i;

	for (i = 0; i + wl <= n; i++)
		if (!memcmp(s + i, w, wl) && (!i || !ident_char((unsigned char)s[i - 1])) &&
		    (i + wl == n || !ident_char((unsigned char)s[i + wl])))
			return 1;
	return 0;
}

/* The identifiers of fd's changed lines that cur lacks (at most max): the
   names the change writes.  A context line's is drift's business. */
static size_t missing_names(const struct file_diff *fd, const char *cur,
			    size_t cur_len, char **names, size_t max)
{
	struct tok tk[RENAME_MAX_TOKENS];
	size_t h, l, n = 0, j;
	int k, nt;

	for (h = 0; h < fd->nhunks; h++)
		for (l = 0; l < fd->hunks[h].nlines; l++) {
			const struct pline *pl = &fd->hunks[h].lines[l];

			if (pl->kind == ' ')
				continue; /* drift, not the change's names */
			nt = tokens(pl->text, pl->len, tk, RENAME_MAX_TOKENS);
			for (k = 0; k < nt; k++) {
				char *w;

				if (!isalpha((unsigned char)tk[k].p[0]) &&
				    tk[k].p[0] != '_')
					continue;
				w = xstrndup(tk[k].p, tk[k].len);
				for (j = 0; j < n && strcmp(names[j], w); j++)
					;
				if (j < n || n == max ||
				    has_word(cur, cur_len, w)) {
					free(w);
					continue;
				}
				names[n++] = w;
			}
		}
	return n;
}

/*
 * Removed line r and added line a are the same but for name in a and one
 * other name in r, everywhere it differs: that name, or NULL.
 */
static char *pair_old_name(const char *r, size_t rn, const char *a, size_t an,
			   const char *name)
{
	struct tok tr[RENAME_MAX_TOKENS], ta[RENAME_MAX_TOKENS];
	int n = tokens(r, rn, tr, RENAME_MAX_TOKENS), k;
	const struct tok *old = NULL;

	if (n < 0 || tokens(a, an, ta, RENAME_MAX_TOKENS) != n)
		return NULL;
	for (k = 0; k < n; k++) {
		if (tr[k].len == ta[k].len && !memcmp(tr[k].p, ta[k].p, tr[k].len))
			continue;
		/* a name, not a number ("twenty" -> "20") nor a keyword */
		if (!tok_is(&ta[k], name) ||
		    !(isalpha((unsigned char)tr[k].p[0]) || tr[k].p[0] == '_') ||
		    c_is_keyword(tr[k].p, tr[k].len))
			return NULL;
		if (old && (old->len != tr[k].len ||
			    memcmp(old->p, tr[k].p, old->len)))
			return NULL;
		old = &tr[k];
	}
	return old ? xstrndup(old->p, old->len) : NULL;
}

/* Add o to the candidates unless there. */
static void cand_add(char ***v, size_t *n, size_t *alloc, char *o)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i], o)) {
			free(o);
			return;
		}
	ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[(*n)++] = o;
}

/*
 * The commit's diff of path (blobs pb -> cb) introduced name: the old names
 * it replaced by name, gone from the file after it and in the target.
 */
static void judge_rename(struct gitsrc *g, const git_oid *pb,
			 const git_oid *cb, const char *path, const char *after,
			 size_t after_len, const char *cur, size_t cur_len,
			 const char *name, const char *commit,
			 struct gitsrc_rename *out)
{
	const struct gitsrc_diff_line *dl;
	char **cand = NULL;
	size_t n, i, j, nc = 0, ac = 0;

	out->from = xstrdup(name);
	memcpy(out->commit, commit, 41);
	if (gitsrc_blob_diff(g, pb, cb, path, &dl, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		if (dl[i].origin != '+' || !has_word(dl[i].content, dl[i].len, name))
			continue;
		for (j = 0; j < n; j++) {
			char *o;

			if (dl[j].origin != '-')
				continue;
			o = pair_old_name(dl[j].content, dl[j].len,
					  dl[i].content, dl[i].len, name);
			if (!o)
				continue;
			if (has_word(after, after_len, o) ||
			    !has_word(cur, cur_len, o))
				free(o);
			else
				cand_add(&cand, &nc, &ac, o);
		}
	}
	if (nc == 1)
		out->to = cand[0];
	else if (nc > 1)
{
		struct strbuf sb = STRBUF_INIT;

		sb_addf(&sb, "%s or %s", cand[0], cand[1]);
		out->also = sb_detach(&sb, NULL);
	}
	for (i = out->to ? 1 : 0; i < nc; i++)
		free(cand[i]);
	free(cand);
}

/* path's blob in tree id: 1, or 0 when absent. */
static int tree_blob(git_repository *repo, const git_oid *tree,
		     const char *path, git_oid *out)
{
	git_tree *t;
	git_tree_entry *e;
	int found = 0;

	if (git_tree_lookup(&t, repo, tree) < 0)
		return 0;
	if (git_tree_entry_bypath(&e, t, path) == 0) {
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			git_oid_cpy(out, git_tree_entry_id(e));
			found = 1;
		}
		git_tree_entry_free(e);
	}
	git_tree_free(t);
	return found;
}

static int blob_text(git_repository *repo, const git_oid *id, git_blob **out,
		     const char **p, size_t *n)
{
	if (git_blob_lookup(out, repo, id) < 0)
		return -1;
	*p = git_blob_rawcontent(*out);
	*n = (size_t)git_blob_rawsize(*out);
	return 0;
}

static int side_step(struct gitsrc *g, git_oid *id, int *has, const char *p,
		     size_t len)
{
	git_oid next;
	int r;

	if (!*has)
		return 0;
	r = gitsrc_tree_entry_id(g, id, p, len, &next);
	if (r < 0)
		return -1;
	*has = r;
	if (r)
		git_oid_cpy(id, &next);
	return 0;
}

int gitsrc_path_diff(struct gitsrc *g, const git_oid *a, const git_oid *b,
		     const char *path, int *ha, int *hb)
{
	git_oid x, y;
	const char *p = path;

	git_oid_cpy(&x, a);
	git_oid_cpy(&y, b);
	*ha = *hb = 1;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (side_step(g, &x, ha, p, len) < 0 ||
		    side_step(g, &y, hb, p, len) < 0)
			return -1;
		if (!*ha && !*hb)
			return 0;
		if (*ha && *hb && git_oid_equal(&x, &y))
			return 0;
		if (!slash)
			return 1;
		p = slash + 1;
	}
}

/* One commit of the walk: which of the names it brought into path. */
static void walk_commit(struct gitsrc *g, const git_oid *id, const char *path,
			char **names, size_t nn, const char *cur,
			size_t cur_len, struct gitsrc_rename *v, size_t *nv)
{
	git_oid tree, ptree, cb, pb;
	git_blob *cblob = NULL, *pblob = NULL;
	const char *ct, *pt;
	size_t cn, pn, i;
	unsigned np;
	int hc, hp;
	char hex[41];

	if (gitsrc_commit_trees(g, id, &np, &tree, &ptree) != 0 || np != 1 ||
	    gitsrc_path_diff(g, &tree, &ptree, path, &hc, &hp) != 1 ||
	    !hc || !hp || !tree_blob(g->repo, &tree, path, &cb) ||
	    !tree_blob(g->repo, &ptree, path, &pb) || git_oid_equal(&cb, &pb))
		return;
	if (blob_text(g->repo, &cb, &cblob, &ct, &cn) < 0 ||
	    blob_text(g->repo, &pb, &pblob, &pt, &pn) < 0)
		goto out;
	git_oid_tostr(hex, sizeof(hex), id);
	for (i = 0; i < nn; i++) {
		if (!names[i] || !has_word(ct, cn, names[i]) ||
		    has_word(pt, pn, names[i]))
			continue;
		memset(&v[*nv], 0, sizeof(v[*nv]));
		judge_rename(g, &pb, &cb, path, ct, cn, cur, cur_len, names[i],
			     hex, &v[*nv]);
		if (v[*nv].to || v[*nv].also)
			(*nv)++;
		else
			free(v[*nv].from);
		free(names[i]);
		names[i] = NULL; /* introduced here, renamed or not */
	}
out:
	git_blob_free(cblob);
	git_blob_free(pblob);
}

int gitsrc_find_renames(void *ctx, const char *target_rev,
			const struct patch *p, const struct file_diff *fd,
			const char *cur, size_t cur_len,
			struct gitsrc_rename **out, size_t *nout)
{
	struct gitsrc *g = ctx;
	char *names[RENAME_MAX_NAMES];
	const char *path = file_diff_path(fd, patch_strip_level(p), 0);
	git_commit *c = NULL, *target = NULL;
	const git_oid *walk;
	git_oid from;
	size_t nn, nw, k, i, left;

	*out = NULL;
	*nout = 0;
	if (!g || !target_rev || !p->meta.commit || !path ||
	    fd->op == FILE_CREATE || fd->op == FILE_DELETE || fd->is_binary)
		return 0;
	nn = missing_names(fd, cur, cur_len, names, RENAME_MAX_NAMES);
	if (!nn)
		return 0;
	if (gitsrc_lookup_commit(&c, g->repo, p->meta.commit) < 0 ||
	    gitsrc_lookup_commit(&target, g->repo, target_rev) < 0 ||
	    git_commit_parentcount(c) != 1)
		goto out;
	/* from the commit itself, the walk deps makes too (kept by gitsrc);
	   the commit is skipped: its own renames are the change */
	git_oid_cpy(&from, git_commit_id(c));
	if (gitsrc_walk_by_time(g, &from, git_commit_id(target), &walk, &nw) < 0)
		goto out;
	*out = xcalloc(nn + 1, sizeof(**out));
	for (k = 0, left = nn; k < nw && left; k++) {
		if (git_oid_equal(&walk[k], &from))
			continue;
		walk_commit(g, &walk[k], path, names, nn, cur, cur_len, *out,
			    nout);
		for (i = 0, left = 0; i < nn; i++)
			left += names[i] != NULL;
	}
out:
	for (i = 0; i < nn; i++)
		free(names[i]);
	git_commit_free(c);
	git_commit_free(target);
	return 0;
}

void gitsrc_renames_free(struct gitsrc_rename *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].from);
		free(v[i].to);
		free(v[i].also);
	}
	free(v);
}
