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
	size_t wl = strlen(w);
	const char *p = s, *end = s + n;

	while (wl && (p = memmem(p, (size_t)(end - p), w, wl)) != NULL) {
		if ((p == s || !ident_char((unsigned char)p[-1])) &&
		    (p + wl == end || !ident_char((unsigned char)p[wl])))
			return 1;
		p++;
	}
	return 0;
}

/* The identifiers of fd's changed lines that cur lacks (at most max): the
   names the change writes.  A context line's is drift's business. */
static int word_in(char *const *v, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], w))
			return 1;
	return 0;
}

static size_t missing_names(const struct file_diff *fd, const char *cur,
			    size_t cur_len, char **names, size_t max)
{
	struct tok tk[RENAME_MAX_TOKENS];
	char **present = NULL;   /* words cur has: not searched for again */
	size_t h, l, n = 0, np = 0, pa = 0, j;
	int k, nt;

	for (h = 0; h < fd->nhunks; h++)
		for (l = 0; l < fd->hunks[h].nlines; l++) {
			const struct pline *pl = &fd->hunks[h].lines[l];

			if (pl->kind == ' ')
				continue; /* drift, not the change's names */
			nt = tokens(pl->text, pl->len, tk, RENAME_MAX_TOKENS);
			for (k = 0; k < nt && n < max; k++) {
				char *w;

				if (!isalpha((unsigned char)tk[k].p[0]) &&
				    tk[k].p[0] != '_')
					continue;
				w = xstrndup(tk[k].p, tk[k].len);
				if (word_in(names, n, w) || word_in(present, np, w)) {
					free(w);
				} else if (has_word(cur, cur_len, w)) {
					ALLOC_GROW(present, np + 1, pa);
					present[np++] = w;
				} else {
					names[n++] = w;
				}
			}
		}
	for (j = 0; j < np; j++)
		free(present[j]);
	free(present);
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
 * it replaced by name that are gone from the file after it, one per line,
 * first seen first.  The target is not asked: the answer is the history's
 * alone, and gitsrc's memo keeps it ("rename-from COMMIT PATH NAME").
 */
static void rename_candidates(struct gitsrc *g, const git_oid *pb,
			      const git_oid *cb, const char *path,
			      const char *after, size_t after_len,
			      const char *name, struct strbuf *out)
{
	const struct gitsrc_diff_line *dl;
	char **cand = NULL;
	size_t n, i, j, nc = 0, ac = 0;

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
			if (o && has_word(after, after_len, o))
				free(o);
			else if (o)
				cand_add(&cand, &nc, &ac, o);
		}
	}
	for (i = 0; i < nc; i++) {
		sb_addf(out, "%s\n", cand[i]);
		free(cand[i]);
	}
	free(cand);
}

/* Of the candidates, those the target (cur) has: one is the rename. */
static void judge_rename(const char *cands, const char *cur, size_t cur_len,
			 const char *name, const char *commit,
			 struct gitsrc_rename *out)
{
	char **cand = NULL;
	size_t i, nc = 0, ac = 0;
	const char *p = cands, *nl;

	out->from = xstrdup(name);
	memcpy(out->commit, commit, 41);
	for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		char *o = xstrndup(p, (size_t)(nl - p));

		if (has_word(cur, cur_len, o))
			cand_add(&cand, &nc, &ac, o);
		else
			free(o);
	}
	if (nc == 1)
		out->to = cand[0];
	else if (nc > 1) {
		struct strbuf sb = STRBUF_INIT;

		sb_addf(&sb, "%s or %s", cand[0], cand[1]);
		out->also = sb_detach(&sb, NULL);
	}
	for (i = out->to ? 1 : 0; i < nc; i++)
		free(cand[i]);
	free(cand);
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

#define NOT_FOUND ((size_t)-1)

/*
 * Which change of ch (newest first) brought each name into the file: the
 * first whose new blob has the word and whose old one lacks it.  intro[i]
 * is set for the names still NOT_FOUND; skip is the patch's own commit.
 */
static void scan_intros(struct gitsrc *g, const struct gitsrc_change *ch,
			size_t nch, const git_oid *skip, char **names,
			size_t nn, size_t *intro)
{
	size_t k, i, left = 0;

	for (i = 0; i < nn; i++)
		left += intro[i] == NOT_FOUND;
	for (k = 0; k < nch && left; k++) {
		git_blob *cblob = NULL, *pblob = NULL;
		const char *ct, *pt = NULL;
		size_t cn, pn = 0;

		if (git_oid_equal(&ch[k].commit, skip) || ch[k].nparents != 1 ||
		    git_oid_is_zero(&ch[k].before) || git_oid_is_zero(&ch[k].after) ||
		    blob_text(g->repo, &ch[k].after, &cblob, &ct, &cn) < 0)
			continue;
		for (i = 0; i < nn; i++) {
			if (intro[i] != NOT_FOUND || !has_word(ct, cn, names[i]))
				continue;
			if (!pblob && blob_text(g->repo, &ch[k].before, &pblob,
						&pt, &pn) < 0)
				break;
			if (!has_word(pt, pn, names[i])) {
				intro[i] = k;
				left--;
			}
		}
		git_blob_free(cblob);
		git_blob_free(pblob);
	}
}

/*
 * intro[] for every name: from gitsrc's memo where an earlier run (or
 * target) asked, by scanning the history for the rest.
 */
static void find_intros(struct gitsrc *g, const git_oid *from,
			const git_oid *hide, const char *path,
			const struct gitsrc_change *ch, size_t nch,
			char **names, size_t nn, size_t *intro)
{
	struct strbuf key = STRBUF_INIT;
	char f[41], h[41], hex[41];
	size_t i, k, *asked = xcalloc(nn + 1, sizeof(*asked));

	git_oid_tostr(f, sizeof(f), from);
	git_oid_tostr(h, sizeof(h), hide);
	for (i = 0; i < nn; i++) {
		const char *known;

		sb_reset(&key);
		sb_addf(&key, "word-intro %s %s %s %s", f, h, path, names[i]);
		intro[i] = NOT_FOUND;
		known = gitsrc_memo_get(g, key.buf);
		asked[i] = !known;
		for (k = 0; known && *known && k < nch; k++)
			if (!strcmp(git_oid_tostr(hex, sizeof(hex), &ch[k].commit), known))
				intro[i] = k;
		if (known && *known && intro[i] == NOT_FOUND)
			asked[i] = 1;   /* not in this walk: look again */
	}
	for (i = 0; i < nn; i++)
		if (!asked[i] && intro[i] == NOT_FOUND)
			intro[i] = NOT_FOUND - 1;   /* known: never introduced */
	scan_intros(g, ch, nch, from, names, nn, intro);
	for (i = 0; i < nn; i++) {
		if (intro[i] == NOT_FOUND - 1) {
			intro[i] = NOT_FOUND;
			continue;
		}
		if (!asked[i])
			continue;
		sb_reset(&key);
		sb_addf(&key, "word-intro %s %s %s %s", f, h, path, names[i]);
		gitsrc_memo_put(g, key.buf, intro[i] == NOT_FOUND ? "" :
				git_oid_tostr(hex, sizeof(hex), &ch[intro[i]].commit));
	}
	free(asked);
	sb_release(&key);
}

/* The names change k brought in, judged in the order they were asked. */
static void judge_change(struct gitsrc *g, const struct gitsrc_change *c,
			 size_t k, const char *path, char **names, size_t nn,
			 const size_t *intro, const char *cur, size_t cur_len,
			 struct gitsrc_rename *v, size_t *nv)
{
	struct strbuf key = STRBUF_INIT, cands = STRBUF_INIT;
	git_blob *cblob = NULL;
	const char *ct = NULL, *known;
	size_t cn = 0, i;
	char hex[41];

	git_oid_tostr(hex, sizeof(hex), &c->commit);
	for (i = 0; i < nn; i++) {
		if (intro[i] != k)
			continue;
		sb_reset(&key);
		sb_addf(&key, "rename-from %s %s %s", hex, path, names[i]);
		if ((known = gitsrc_memo_get(g, key.buf)) == NULL) {
			if (!cblob && blob_text(g->repo, &c->after, &cblob, &ct, &cn) < 0)
				break;
			sb_reset(&cands);
			rename_candidates(g, &c->before, &c->after, path, ct, cn,
					  names[i], &cands);
			gitsrc_memo_put(g, key.buf, cands.len ? cands.buf : "");
			known = gitsrc_memo_get(g, key.buf);
		}
		memset(&v[*nv], 0, sizeof(v[*nv]));
		judge_rename(known, cur, cur_len, names[i], hex, &v[*nv]);
		if (v[*nv].to || v[*nv].also)
			(*nv)++;
		else
			free(v[*nv].from);
	}
	git_blob_free(cblob);
	sb_release(&key);
	sb_release(&cands);
}

int gitsrc_find_renames(void *ctx, const char *target_rev,
			const struct patch *p, const struct file_diff *fd,
			const char *cur, size_t cur_len,
			struct gitsrc_rename **out, size_t *nout)
{
	struct gitsrc *g = ctx;
	char *names[RENAME_MAX_NAMES];
	size_t intro[RENAME_MAX_NAMES];
	const char *path = file_diff_path(fd, patch_strip_level(p), 0);
	git_commit *c = NULL, *target = NULL;
	struct gitsrc_change *ch = NULL;
	size_t nn, nw, k, i;

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
	/* from the commit itself, skipped: its own renames are the change */
	if (gitsrc_path_history(g, git_commit_id(c), git_commit_id(target),
				&path, 1, &ch, &nw) < 0)
		goto out;
	find_intros(g, git_commit_id(c), git_commit_id(target), path, ch, nw,
		    names, nn, intro);
	*out = xcalloc(nn + 1, sizeof(**out));
	for (k = 0; k < nw; k++)
		for (i = 0; i < nn; i++)
			if (intro[i] == k) {
				judge_change(g, &ch[k], k, path, names, nn, intro,
					     cur, cur_len, *out, nout);
				break;
			}
out:
	for (i = 0; i < nn; i++)
		free(names[i]);
	free(ch);
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
