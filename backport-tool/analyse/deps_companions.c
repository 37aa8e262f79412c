/*
 * deps_companions.c - what a prerequisite itself needs to compile: the
 * commits that define the macros its added lines are guarded by.
 */
#include "analyse/deps_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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

void deps_guard_index_free(struct guard_index *gi)
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

/* Does a line of the diff (context included) mention macro? */
static int diff_mentions(const struct gitsrc_diff_line *lines, size_t n,
			 const char *macro)
{
	size_t i, len = strlen(macro);

	for (i = 0; i < n; i++)
		if (memmem(lines[i].content, lines[i].len, macro, len))
			return 1;
	return 0;
}

/*
 * The newest commit of hide..from that changed path in a hunk (context
 * included) mentioning macro: the fix that keeps a guard compiling.
 */
static int find_guard_fix(struct gitsrc *g, const git_oid *from,
			  const git_oid *hide, const char *path,
			  const char *macro, git_oid *out)
{
	struct strbuf key = STRBUF_INIT;
	struct gitsrc_change *ch;
	const char *known;
	char f[41], h[41];
	size_t n, k;
	int rc = 1;

	sb_addf(&key, "guard-fix %s %s %s %s", git_oid_tostr(f, sizeof(f), from),
		git_oid_tostr(h, sizeof(h), hide), path, macro);
	if ((known = gitsrc_memo_get(g, key.buf)) != NULL) {
		rc = *known ? git_oid_fromstr(out, known) < 0 ? -1 : 0 : 1;
		sb_release(&key);
		return rc;
	}
	if (gitsrc_path_history(g, from, hide, &path, 1, &ch, &n) < 0) {
		sb_release(&key);
		return -1;
	}
	for (k = 0; rc == 1 && k < n; k++) {
		const struct gitsrc_diff_line *lines;
		size_t nlines;

		if (ch[k].nparents != 1 || git_oid_is_zero(&ch[k].before) ||
		    git_oid_is_zero(&ch[k].after) ||
		    gitsrc_blob_diff(g, &ch[k].before, &ch[k].after, path,
				     &lines, &nlines) < 0)
			continue;
		if (diff_mentions(lines, nlines, macro)) {
			git_oid_cpy(out, &ch[k].commit);
			rc = 0;
		}
	}
	free(ch);
	gitsrc_memo_put(g, key.buf, rc == 0 ? git_oid_tostr(f, sizeof(f), out) : "");
	sb_release(&key);
	return rc;
}

/*
 * A header sync can break code the target already has: a file that tests
 * "#ifndef NAME" for a macro the sync starts to define.  For each such
 * file, the upstream commit before the prerequisite that changed the
 * guarded code is a companion prerequisite (e.g. 9904adfaca for the
 * Linux 5.7-rc3 sync dc6f8d458a in QEMU).
 */
/*
 * The macros a commit's added lines #define and the files it changes, as
 * "M1 M2 ...\nFILE1\nFILE2...", kept by gitsrc's memo: the same
 * prerequisites come back for many patches and targets.  NULL when the
 * commit cannot be read.
 */
static const char *commit_macros(struct gitsrc *g, const char *commit)
{
	struct strbuf key = STRBUF_INIT, val = STRBUF_INIT;
	struct strset macros = { 0 };
	struct patch_list pl = { 0 };
	const char *known, *spec = commit;
	size_t i, f;

	sb_addf(&key, "added-macros %s", commit);
	known = gitsrc_memo_get(g, key.buf);
	if (!known && gitsrc_read_commits_in(g, &pl, &spec, 1) == 0 && pl.n == 1) {
		patch_added_macros(&pl.v[0], &macros);
		for (i = 0; i < macros.n; i++)
			sb_addf(&val, "%s%s", i ? " " : "", macros.v[i]);
		for (f = 0; f < pl.v[0].nfiles; f++) {
			const char *path = file_diff_target(&pl.v[0].files[f],
							    patch_strip_level(&pl.v[0]));
			if (path)
				sb_addf(&val, "\n%s", path);
		}
		gitsrc_memo_put(g, key.buf, val.len ? val.buf : "");
		known = gitsrc_memo_get(g, key.buf);
	}
	patch_list_release(&pl);
	strset_release(&macros, 0);
	sb_release(&key);
	sb_release(&val);
	return known;
}

/* Split commit_macros' answer into the two sets. */
static void macros_split(const char *v, struct strset *macros,
			 struct strset *files)
{
	const char *nl = strchr(v, '\n'), *end = nl ? nl : v + strlen(v), *p = v;

	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		char *m = xstrndup(p, (size_t)((sp ? sp : end) - p));

		if (*m)
			strset_add(macros, m);
		free(m);
		p = sp ? sp + 1 : end;
	}
	while (nl) {
		const char *next = strchr(nl + 1, '\n');
		char *f = xstrndup(nl + 1, next ? (size_t)(next - nl - 1) : strlen(nl + 1));

		strset_add(files, f);
		free(f);
		nl = next;
	}
}

/* A file of the target testing a macro: the hit's place in the index. */
struct guarded {
	size_t pos;
	char *path;
	const char *macro;
};

static int guarded_cmp(const void *a, const void *b)
{
	const struct guarded *x = a, *y = b;

	return (x->pos > y->pos) - (x->pos < y->pos);
}

/*
 * The target's files whose #if lines test macro, as "POS PATH\n" lines
 * (POS: the hit's place in the target's whole #if index, which keeps the
 * order the index gives), kept by gitsrc's memo under the target's tree:
 * the index reads every C file of the target, the memo one line.
 */
static const char *guarded_by(struct gitsrc *g, struct deps_target *dt,
			      const char *target_rev, const git_oid *tree,
			      const char *macro)
{
	struct strbuf key = STRBUF_INIT, val = STRBUF_INIT;
	const char *known;
	char hex[41];
	size_t i;

	sb_addf(&key, "guarded-by %s %s", git_oid_tostr(hex, sizeof(hex), tree), macro);
	if ((known = gitsrc_memo_get(g, key.buf)) == NULL) {
		if (!dt->guards)
			dt->guards = guard_index_build(gitsrc_repository(g), target_rev);
		for (i = 0; i < dt->guards->n; i++) {
			const struct guard_hit *h = &dt->guards->v[i];

			if (!strcmp(dt->guards->idents.v[h->ident], macro))
				sb_addf(&val, "%zu %s\n", i, dt->guards->paths[h->path]);
		}
		gitsrc_memo_put(g, key.buf, val.len ? val.buf : "");
		known = gitsrc_memo_get(g, key.buf);
	}
	sb_release(&key);
	sb_release(&val);
	return known;
}

/* Every (file, macro) hit of the macros, in the index's order. */
static size_t guarded_all(struct gitsrc *g, struct deps_target *dt,
			  const char *target_rev, const git_oid *tree,
			  const struct strset *macros, struct guarded **out)
{
	size_t n = 0, alloc = 0, i;

	*out = NULL;
	for (i = 0; i < macros->n; i++) {
		const char *p = guarded_by(g, dt, target_rev, tree, macros->v[i]);

		while (p && *p) {
			const char *sp = strchr(p, ' '), *nl = strchr(p, '\n');

			if (!sp || !nl || sp > nl)
				break;
			ALLOC_GROW(*out, n + 1, alloc);
			(*out)[n].pos = (size_t)strtoull(p, NULL, 10);
			(*out)[n].path = xstrndup(sp + 1, (size_t)(nl - sp - 1));
			(*out)[n++].macro = macros->v[i];
			p = nl + 1;
		}
	}
	if (n)
		qsort(*out, n, sizeof(**out), guarded_cmp);
	return n;
}

static void add_companions(struct deps_result *r, struct gitsrc *g,
			   struct deps_target *dt, const char *target_rev,
			   const struct deps_prereq *pre)
{
	git_repository *repo = gitsrc_repository(g);
	struct strset macros = { 0 }, files = { 0 }, done = { 0 };
	const char *known = commit_macros(g, pre->commit);
	git_commit *pc = NULL, *target = NULL;
	git_object *obj = NULL;
	struct guarded *hits = NULL;
	size_t i, n = 0;
	git_oid pid;

	if (!known)
		goto out;
	macros_split(known, &macros, &files);
	if (!macros.n || git_oid_fromstr(&pid, pre->commit) < 0 ||
	    git_commit_lookup(&pc, repo, &pid) < 0 || !git_commit_parentcount(pc) ||
	    git_revparse_single(&obj, repo, target_rev) < 0 ||
	    git_object_peel((git_object **)&target, obj, GIT_OBJECT_COMMIT) < 0)
		goto out;
	n = guarded_all(g, dt, target_rev, git_commit_tree_id(target), &macros,
			&hits);
	for (i = 0; i < n; i++) {
		const char *macro = hits[i].macro, *path = hits[i].path;
		struct strbuf key = STRBUF_INIT;
		git_oid fix;

		if (strset_has(&files, path, strlen(path)))
			continue;
		sb_addf(&key, "%s %s", path, macro);
		if (strset_add(&done, key.buf) &&
		    find_guard_fix(g, git_commit_parent_id(pc, 0),
				   git_commit_id(target), path, macro, &fix) == 0) {
			struct deps_prereq *q;
			char id[41];

			git_oid_tostr(id, sizeof(id), &fix);
			q = deps_prereq_get(r, g, id);
			if (!q->needed_by[0] && !q->lines) {
				memcpy(q->needed_by, pre->commit, 41);
				q->guard = xstrdup(macro);
				deps_prereq_add_file(q, path);
			}
		}
		sb_release(&key);
	}
out:
	for (i = 0; i < n; i++)
		free(hits[i].path);
	free(hits);
	git_object_free(obj);
	git_commit_free(target);
	git_commit_free(pc);
	strset_release(&macros, 0);
	strset_release(&files, 0);
	strset_release(&done, 0);
}

void deps_companions(struct deps_result *r, struct gitsrc *g,
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
