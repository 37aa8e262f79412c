/*
 * gitsrc_tree.c - git revisions as read-only trees (blobs read on demand,
 * no checkout), and the pre- and post-images of a commit that drive the
 * 3-way fallback of apply.c.
 */
#include "input/gitsrc_int.h"
#include "input/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- revisions as trees -------------------------------------------- */

struct git_tree_ctx {
	struct gitsrc *g;  /* owned when own_repo */
	int own_repo;
	git_tree *tree;
	char *rev;
};

#define ENTRY_GITLINK (TREE_ENOENT + 1)

/* A file's entry in tree: 0 for a blob (its mode as tree.h says and its
   id), ENTRY_GITLINK for a gitlink (its commit's id), TREE_ENOENT, or -1
   after an error message. */
static int entry_stat(const git_tree *tree, const char *path, unsigned *mode,
		      git_oid *id)
{
	git_tree_entry *e;
	unsigned m;
	int rc = git_tree_entry_bypath(&e, tree, path);

	if (rc == GIT_ENOTFOUND)
		return TREE_ENOENT;
	if (rc < 0)
		return gitsrc_fail("cannot read", path);
	m = (unsigned)git_tree_entry_filemode(e);
	git_oid_cpy(id, git_tree_entry_id(e));
	switch (git_tree_entry_type(e)) {
	case GIT_OBJECT_TREE:
		rc = TREE_ENOENT;
		break;
	case GIT_OBJECT_COMMIT:
		*mode = 0160000;
		rc = ENTRY_GITLINK;
		break;
	case GIT_OBJECT_BLOB:
		*mode = m == GIT_FILEMODE_BLOB_EXECUTABLE ? 0100755
			: m == GIT_FILEMODE_LINK	  ? 0120000
							  : 0100644;
		rc = 0;
		break;
	default:
		rc = error_at(path, 0, "neither a file nor a submodule");
	}
	git_tree_entry_free(e);
	return rc;
}

/* A blob's content, malloc'ed and NUL-terminated; 0 or -1. */
static int blob_by_id(git_repository *repo, const git_oid *id, char **data,
		      size_t *len)
{
	git_blob *blob;
	char hex[GIT_OID_HEXSZ + 1];

	if (git_blob_lookup(&blob, repo, id) < 0)
		return gitsrc_fail("cannot read blob",
				   git_oid_tostr(hex, sizeof(hex), id));
	*len = (size_t)git_blob_rawsize(blob);
	*data = xmalloc(*len + 1);
	memcpy(*data, git_blob_rawcontent(blob), *len);
	(*data)[*len] = '\0';
	git_blob_free(blob);
	return 0;
}

static int blob_read(git_repository *repo, const git_tree *tree,
		     const char *path, char **data, size_t *len,
		     unsigned *mode, unsigned char *id)
{
	unsigned m = 0;
	git_oid oid;
	int rc = entry_stat(tree, path, &m, &oid);

	if (rc == ENTRY_GITLINK) {
		/* a gitlink: its commit, as a submodule diff writes it */
		char hex[GIT_OID_HEXSZ + 1];
		struct strbuf sb = STRBUF_INIT;

		sb_addf(&sb, "Subproject commit %s\n",
			git_oid_tostr(hex, sizeof(hex), &oid));
		*data = sb_detach(&sb, len);
		rc = 0;
	} else if (rc == 0) {
		rc = blob_by_id(repo, &oid, data, len);
		if (rc == 0 && id)
			memcpy(id, oid.id, TREE_ID_LEN);
	}
	if (rc == 0 && mode)
		*mode = m;
	return rc;
}

static int git_tree_read(void *ctx, const char *path, char **data,
			 size_t *len, unsigned *mode, unsigned char *id)
{
	struct git_tree_ctx *c = ctx;

	return blob_read(c->g->repo, c->tree, path, data, len, mode, id);
}

/* blob_read's answer without the blob: its mode and id (a gitlink's
   commit is no blob id: none is given). */
static int git_tree_stat(void *ctx, const char *path, unsigned *mode,
			 unsigned char *id)
{
	struct git_tree_ctx *c = ctx;
	git_oid oid;
	int rc = entry_stat(c->tree, path, mode, &oid);

	if (rc == 0)
		memcpy(id, oid.id, TREE_ID_LEN);
	return rc == ENTRY_GITLINK ? 0 : rc;
}

static int git_tree_read_id(void *ctx, const unsigned char *id, char **data,
			    size_t *len)
{
	struct git_tree_ctx *c = ctx;
	git_oid oid;

	git_oid_fromraw(&oid, id);
	return blob_by_id(c->g->repo, &oid, data, len);
}

static void git_tree_free_ctx(void *ctx)
{
	struct git_tree_ctx *c = ctx;

	git_tree_free(c->tree);
	free(c->rev);
	if (c->own_repo)
		gitsrc_free(c->g);
	free(c);
}

static const struct tree_backend git_backend = {
	.kind = "git", .read = git_tree_read, .free = git_tree_free_ctx,
	.stat = git_tree_stat, .read_id = git_tree_read_id
};

static int lookup_tree(git_tree **out, git_repository *repo, const char *rev)
{
	git_object *obj;
	int rc;

	if (git_revparse_single(&obj, repo, rev) < 0)
		return -1;
	rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_TREE);
	git_object_free(obj);
	return rc;
}

static int open_tree(struct tree **out, struct gitsrc *g, int own,
		     const char *name, const char *rev)
{
	struct git_tree_ctx *c = xcalloc(1, sizeof(*c));

	if (lookup_tree(&c->tree, g->repo, rev) < 0) {
		free(c);
		return gitsrc_fail("no such revision", rev);
	}
	c->g = g;
	c->own_repo = own;
	c->rev = xstrdup(rev);
	*out = tree_new(name, &git_backend, c);
	return 0;
}

const char *gitsrc_tree_rev(struct tree *t)
{
	struct git_tree_ctx *c = tree_backend_ctx(t, &git_backend);

	return c ? c->rev : NULL;
}

int gitsrc_open_tree_in(struct tree **out, struct gitsrc *g,
			const char *name, const char *rev)
{
	return open_tree(out, g, 0, name, rev);
}

int gitsrc_open_tree(struct tree **out, const char *name, const char *repo,
		     const char *rev)
{
	struct gitsrc *g;

	if (gitsrc_open(&g, repo) < 0)
		return -1;
	if (open_tree(out, g, 1, name, rev) < 0) {
		gitsrc_free(g);
		return -1;
	}
	return 0;
}

int gitsrc_tree_option(struct tree **out, const char *arg, struct gitsrc *g)
{
	const char *eq = strchr(arg, '=');
	char *name;
	int rc;

	if (!eq || strncmp(eq + 1, "git:", 4))
		return 1;
	if (eq == arg || !eq[5])
		return error("--tree %s: expected NAME=git:REV", arg);
	if (!g)
		return error("--tree %s: git: targets need --git REPO", arg);
	name = xstrndup(arg, (size_t)(eq - arg));
	rc = open_tree(out, g, 0, name, eq + 5);
	free(name);
	return rc;
}

int gitsrc_read_file(struct gitsrc *g, const char *rev, const char *path,
		     struct strbuf *out)
{
	git_tree *tree;
	char *data;
	size_t len;
	int rc;

	sb_init(out);
	if (lookup_tree(&tree, g->repo, rev) < 0)
		return gitsrc_fail("no such revision", rev);
	rc = blob_read(g->repo, tree, path, &data, &len, NULL, NULL);
	git_tree_free(tree);
	if (rc)
		return rc;
	sb_release(out);
	out->buf = data;
	out->len = len;
	out->alloc = len + 1;
	return 0;
}

/* ---- the 3-way fallback -------------------------------------------- */

static int commit_blob(struct gitsrc *g, git_commit *c, const char *path,
		       struct strbuf *out)
{
	git_tree *tree;
	char *data;
	size_t len;
	int rc;

	if (!path || git_commit_tree(&tree, c) < 0)
		return -1;
	rc = blob_read(g->repo, tree, path, &data, &len, NULL, NULL);
	git_tree_free(tree);
	if (rc)
		return -1;
	out->buf = data;
	out->len = len;
	out->alloc = len + 1;
	return 0;
}

/* A pre- or post-image of the merge: a blob, or what was read by path. */
struct image {
	git_blob *blob;
	struct strbuf sb;
};

static const char *image_ptr(const struct image *m)
{
	return m->blob ? git_blob_rawcontent(m->blob) : m->sb.buf;
}

static size_t image_len(const struct image *m)
{
	return m->blob ? (size_t)git_blob_rawsize(m->blob) : m->sb.len;
}

/*
 * The pre- or post-image by the blob id the patch's "index" line gives,
 * when the patch is the text gitsrc_commit_text made of commit (full ids,
 * the commit against its first parent: the very blobs at its paths); 1
 * when it gives none, -1 when the blob cannot be read.
 */
static int commit_blob_id(const struct patch *p, const char *hex, git_oid *id)
{
	const char *w = patch_where(p);
	size_t lc = strlen(LOCATION_COMMIT);

	if (!p->whole_blobs || strlen(hex) != GIT_OID_HEXSZ || !w ||
	    strncmp(w, LOCATION_COMMIT, lc) || !w[lc] ||
	    strncmp(w + lc, p->meta.commit, strcspn(w + lc, "\001")) ||
	    git_oid_fromstr(id, hex) < 0)
		return 1;
	return 0;
}

static int commit_blob_by_id(struct gitsrc *g, const struct patch *p,
			     const char *hex, struct image *m)
{
	git_oid id;

	if (commit_blob_id(p, hex, &id))
		return 1;
	return git_blob_lookup(&m->blob, g->repo, &id) < 0 ? -1 : 0;
}

/* commit's blob at path, by its id where the patch gives it. */
static int merge_image(struct gitsrc *g, const struct patch *p,
		       const struct file_diff *fd, git_commit *c,
		       const char *id, const char *path, struct image *m)
{
	int rc = path && !fd->is_submodule ? commit_blob_by_id(g, p, id, m)
					   : 1;

	return rc <= 0 ? rc : commit_blob(g, c, path, &m->sb);
}

/* Is the merge one that must conflict?  Told for blobs named by id. */
static int merge_must_conflict(struct gitsrc *g, const struct patch *p,
			       const struct file_diff *fd,
			       const struct merge_ours *cur)
{
	git_oid base, theirs;

	return !fd->is_submodule && !commit_blob_id(p, fd->old_id, &base) &&
	       !commit_blob_id(p, fd->new_id, &theirs) &&
	       gitsrc_merge_must_conflict(g, fd, &base, &theirs, cur);
}

/* gitsrc_merge; without markers, a merge that must conflict is not made
   (gitsrc_conflict.c): 1, out empty. */
/*
 * A judging merge's conflict is the history's answer for the commit, the
 * file and the target's content (named by its blob id): kept in gitsrc's
 * memo, so the next pass (deps places the series again) and the next run
 * do not merge again.  Only conflicts are kept: a clean merge's text is
 * what the caller needs.
 */
static void merge_key(struct strbuf *key, const git_commit *c,
		      const struct patch *p, const struct file_diff *fd,
		      const struct merge_ours *cur)
{
	int strip = patch_strip_level(p);
	const unsigned char *raw = cur->id;
	char hex[41], chex[41];
	git_oid id;

	sb_reset(key);
	/* the target's blob id: as its tree names it, else worked out by the
	   tree once for each content (a file the series changed is merged
	   again for each commit that touches it) */
	if (!raw && cur->tree)
		raw = tree_get_id(cur->tree, cur->path, NULL);
	if (raw)
		git_oid_fromraw(&id, raw);
	else if (git_odb_hash(&id, cur->data, cur->len, GIT_OBJECT_BLOB) < 0)
		return;
	sb_addf(key, "merge-conflict %s %s %s %s",
		git_oid_tostr(chex, sizeof(chex), git_commit_id(c)),
		file_diff_path(fd, strip, 0), file_diff_path(fd, strip, 1),
		git_oid_tostr(hex, sizeof(hex), &id));
}

/* BT_TEST_PROOF=verify: a merge proven to conflict is made all the same,
   and one that merges cleanly is a bug: said, and the run stops. */
static void proof_verify(struct gitsrc *g, const struct patch *p,
			 const struct file_diff *fd, int clean)
{
	g->proofs_checked++;
	if (!clean)
		return;
	fprintf(stderr, "backport-tool: BT_TEST_PROOF: %s %s: proven to "
		"conflict, but merges cleanly\n", p->meta.commit,
		file_diff_path(fd, patch_strip_level(p), 1));
	exit(3);
}

static int merge_run(struct gitsrc *g, const struct patch *p,
		     const struct file_diff *fd, const struct merge_ours *cur,
		     struct strbuf *out, int markers)
{
	struct image base = { NULL, STRBUF_INIT }, theirs = { NULL, STRBUF_INIT };
	git_merge_file_input in_base, in_ours, in_theirs;
	git_merge_file_options opts;
	git_merge_file_result res = { 0 };
	struct strbuf key = STRBUF_INIT;
	git_commit *c = NULL, *parent = NULL;
	int strip = patch_strip_level(p), rc = -1;
	char label[GIT_OID_HEXSZ + 8];
	git_oid id;
	int proven;

	if (!g || !p->meta.commit || fd->op == FILE_CREATE ||
	    fd->op == FILE_DELETE || fd->is_binary ||
	    git_oid_fromstrp(&id, p->meta.commit) < 0 ||
	    git_commit_lookup(&c, g->repo, &id) < 0 ||
	    git_commit_parent(&parent, c, 0) < 0)
		goto out;
	if (!markers && file_diff_path(fd, strip, 0) && file_diff_path(fd, strip, 1)) {
		merge_key(&key, c, p, fd, cur);
		if (key.len && gitsrc_memo_get(g, key.buf)) {
			sb_reset(out);
			rc = 1;
			sb_reset(&key);   /* known: not kept again */
			goto out;
		}
	}
	proven = !markers && merge_must_conflict(g, p, fd, cur);
	if (proven && !gitsrc_verifying("BT_TEST_PROOF")) {
		sb_reset(out);
		rc = 1;
		goto out;
	}
	git_merge_file_input_init(&in_base, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&in_ours, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&in_theirs, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_options_init(&opts, GIT_MERGE_FILE_OPTIONS_VERSION);
	if (merge_image(g, p, fd, parent, fd->old_id,
			file_diff_path(fd, strip, 0), &base) < 0 ||
	    merge_image(g, p, fd, c, fd->new_id,
			file_diff_path(fd, strip, 1), &theirs) < 0)
		goto out;
	in_base.ptr = image_ptr(&base);
	in_base.size = image_len(&base);
	in_ours.ptr = cur->data;
	in_ours.size = cur->len;
	in_theirs.ptr = image_ptr(&theirs);
	in_theirs.size = image_len(&theirs);
	snprintf(label, sizeof(label), "%.10s^", p->meta.commit);
	opts.ancestor_label = label;
	opts.our_label = "target";
	opts.their_label = p->name ? p->name : p->meta.commit;
	opts.flags = GIT_MERGE_FILE_STYLE_DIFF3;
	if (git_merge_file(&res, &in_base, &in_ours, &in_theirs, &opts) < 0)
		goto out;
	if (proven)
		proof_verify(g, p, fd, res.automergeable);
	sb_reset(out);
	if (!proven)
		sb_add(out, res.ptr, res.len);
	rc = res.automergeable ? 0 : 1;
out:
	if (rc == 1 && key.len)
		gitsrc_memo_put(g, key.buf, "1");
	sb_release(&key);
	git_merge_file_result_free(&res);
	git_commit_free(parent);
	git_commit_free(c);
	git_blob_free(base.blob);
	git_blob_free(theirs.blob);
	sb_release(&base.sb);
	sb_release(&theirs.sb);
	return rc;
}

int gitsrc_merge(void *ctx, const struct patch *p, const struct file_diff *fd,
		 const struct merge_ours *cur, struct strbuf *out)
{
	return merge_run(ctx, p, fd, cur, out, 1);
}

int gitsrc_merge_judge(void *ctx, const struct patch *p,
		       const struct file_diff *fd, const struct merge_ours *cur,
		       struct strbuf *out)
{
	return merge_run(ctx, p, fd, cur, out, 0);
}
