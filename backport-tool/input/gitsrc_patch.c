/*
 * gitsrc_patch.c - the diff text of a commit that only changes the content
 * of files or adds files, written from blob patches: text files, and binary
 * files named by their blob ids (gitsrc_binary_ids).
 *
 * libgit2's tree-to-tree diff walks every entry of both trees (a QEMU
 * commit: some 7,000 files, two thirds of what formatting it cost) where
 * only the subtrees whose ids differ need reading.  A commit whose trees
 * differ in anything else -- a file deleted or renamed, a mode, a
 * symbolic link, a submodule, an empty file, a binary file whose data is
 * wanted, a name git would quote -- is left to gitsrc_format.c's tree
 * diff; the text is the same either way (compared over thousands of QEMU
 * commits when this was written, and again over the 1,000 after v5.0.0
 * when added files came here: with no deletion there is no rename to
 * detect).
 */
#include "input/gitsrc_int.h"

#include <ctype.h>
#include <string.h>

struct change {
	char *path;
	git_oid a, b;
	git_filemode_t mode;
};

struct changes {
	struct change *v;
	size_t n, alloc;
};

/* A name no diff header quotes or escapes. */
static int plain_name(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-+,=@~", *s))
			return 0;
	return 1;
}

static int subtree_changes(git_repository *repo, const git_tree_entry *ea,
			   const git_tree_entry *eb, struct strbuf *prefix,
			   struct changes *out);

/* A regular file ea (NULL: none, an added file) -> eb, kept as a change:
   0, or 1 when it is something else (the tree diff writes it). */
static int file_change(const git_tree_entry *ea, const git_tree_entry *eb,
		       const struct strbuf *prefix, struct changes *out)
{
	const char *name = git_tree_entry_name(eb);
	git_filemode_t mode = git_tree_entry_filemode(eb);
	struct change *c;

	if (!plain_name(name) || (mode != GIT_FILEMODE_BLOB &&
				  mode != GIT_FILEMODE_BLOB_EXECUTABLE))
		return 1;
	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	c = &out->v[out->n++];
	c->path = xmalloc(prefix->len + strlen(name) + 1);
	memcpy(c->path, prefix->buf, prefix->len);
	strcpy(c->path + prefix->len, name);
	if (ea)
		git_oid_cpy(&c->a, git_tree_entry_id(ea));
	else
		memset(&c->a, 0, sizeof(c->a));
	git_oid_cpy(&c->b, git_tree_entry_id(eb));
	c->mode = mode;
	return 0;
}

/* Entries a[i] and b[j] (either may be past the end): which comes first
   in git's tree order, as the tree diff meets them. */
static int entry_order(const git_tree *a, size_t i, const git_tree *b,
		       size_t j)
{
	if (i >= git_tree_entrycount(a))
		return 1;
	if (j >= git_tree_entrycount(b))
		return -1;
	return git_tree_entry_cmp(git_tree_entry_byindex(a, i),
				  git_tree_entry_byindex(b, j));
}

/*
 * The regular files whose content differs between trees a and b (a NULL:
 * an added directory), or that b adds, in the order git diffs them: 0, or
 * 1 when the trees differ otherwise too (a deletion, a mode, a type).
 */
static int tree_changes(git_repository *repo, const git_tree *a,
			const git_tree *b, struct strbuf *prefix,
			struct changes *out)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0;
	size_t nb = git_tree_entrycount(b);
	int rc;

	while (i < na || j < nb) {
		int order = a ? entry_order(a, i, b, j) : 1;
		const git_tree_entry *ea, *eb;

		if (order < 0)
			return 1; /* deleted: maybe renamed */
		eb = git_tree_entry_byindex(b, j++);
		ea = order == 0 ? git_tree_entry_byindex(a, i++) : NULL;
		if (ea && git_tree_entry_filemode(ea) != git_tree_entry_filemode(eb))
			return 1;
		if (ea && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)))
			continue;
		if (git_tree_entry_filemode(eb) == GIT_FILEMODE_TREE)
			rc = plain_name(git_tree_entry_name(eb))
				     ? subtree_changes(repo, ea, eb, prefix, out)
				     : 1;
		else
			rc = file_change(ea, eb, prefix, out);
		if (rc)
			return rc;
	}
	return 0;
}

static int subtree_changes(git_repository *repo, const git_tree_entry *ea,
			   const git_tree_entry *eb, struct strbuf *prefix,
			   struct changes *out)
{
	git_tree *ta = NULL, *tb = NULL;
	size_t len = prefix->len;
	int rc = -1;

	if ((ea && git_tree_lookup(&ta, repo, git_tree_entry_id(ea)) < 0) ||
	    git_tree_lookup(&tb, repo, git_tree_entry_id(eb)) < 0)
		goto out;
	sb_addstr(prefix, git_tree_entry_name(eb));
	sb_addch(prefix, '/');
	rc = tree_changes(repo, ta, tb, prefix, out);
	prefix->len = len;
	prefix->buf[len] = '\0';
out:
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

/* git_diff_print's line format, without the file header (ours is the
   tree diff's, written by add_change). */
static int print_line(const git_diff_delta *d, const git_diff_hunk *h,
		      const git_diff_line *l, void *data)
{
	struct strbuf *sb = data;

	if (l->origin == GIT_DIFF_LINE_FILE_HDR)
		return 0;
	if (l->origin == GIT_DIFF_LINE_CONTEXT ||
	    l->origin == GIT_DIFF_LINE_ADDITION ||
	    l->origin == GIT_DIFF_LINE_DELETION)
		sb_addch(sb, l->origin);
	sb_add(sb, l->content, l->content_len);
	return 0;
}

/* The file header the tree diff prints: with the "---"/"+++" lines for
   text, without them for a binary change named by ids. */
static void add_header(struct strbuf *sb, const struct change *c, int text)
{
	char ha[GIT_OID_HEXSZ + 1], hb[GIT_OID_HEXSZ + 1];
	int added = git_oid_is_zero(&c->a);

	git_oid_tostr(ha, sizeof(ha), &c->a);
	git_oid_tostr(hb, sizeof(hb), &c->b);
	sb_addf(sb, "diff --git a/%s b/%s\n", c->path, c->path);
	if (added)
		sb_addf(sb, "new file mode %o\nindex %s..%s\n",
			(unsigned)c->mode, ha, hb);
	else
		sb_addf(sb, "index %s..%s %o\n", ha, hb, (unsigned)c->mode);
	if (!text)
		sb_addf(sb, "Binary files %s%s and b/%s differ\n",
			added ? "/dev/null" : "a/", added ? "" : c->path,
			c->path);
	else if (added)
		sb_addf(sb, "--- /dev/null\n+++ b/%s\n", c->path);
	else
		sb_addf(sb, "--- a/%s\n+++ b/%s\n", c->path, c->path);
}

/* One file's diff as the tree diff prints it: 0, 1 when it is binary and
   opts want its data, or empty (the tree diff writes those). */
static int add_change(struct strbuf *sb, git_repository *repo,
		      const struct change *c, const git_diff_options *opts)
{
	git_blob *a = NULL, *b = NULL;
	git_patch *patch = NULL;
	int added = git_oid_is_zero(&c->a), rc = -1, binary;

	if ((!added && git_blob_lookup(&a, repo, &c->a) < 0) ||
	    git_blob_lookup(&b, repo, &c->b) < 0 ||
	    git_patch_from_blobs(&patch, a, c->path, b, c->path, opts) < 0)
		goto out;
	rc = 1;
	binary = git_patch_get_delta(patch)->flags & GIT_DIFF_FLAG_BINARY;
	if (binary ? opts->flags & GIT_DIFF_SHOW_BINARY
		   : !git_patch_num_hunks(patch))
		goto out; /* data, or empty (a header of its own) */
	add_header(sb, c, !binary);
	rc = binary || git_patch_print(patch, print_line, sb) >= 0 ? 0 : -1;
out:
	git_patch_free(patch);
	git_blob_free(a);
	git_blob_free(b);
	return rc;
}

int gitsrc_patch_text(struct strbuf *out, git_repository *repo,
		      git_commit *commit, const git_diff_options *opts)
{
	struct changes ch = { NULL, 0, 0 };
	struct strbuf prefix = STRBUF_INIT;
	git_commit *parent = NULL;
	git_tree *old = NULL, *new = NULL;
	size_t i, len = out->len;
	int rc = -1;

	sb_init(&prefix);
	if (git_commit_parentcount(commit) != 1)
		rc = 1; /* a root commit adds every file */
	else if (git_commit_parent(&parent, commit, 0) >= 0 &&
		 git_commit_tree(&old, parent) >= 0 &&
		 git_commit_tree(&new, commit) >= 0)
		rc = tree_changes(repo, old, new, &prefix, &ch);
	for (i = 0; rc == 0 && i < ch.n; i++)
		rc = add_change(out, repo, &ch.v[i], opts);
	if (rc) {
		out->len = len;
		out->buf[len] = '\0';
	}
	for (i = 0; i < ch.n; i++)
		free(ch.v[i].path);
	free(ch.v);
	sb_release(&prefix);
	git_tree_free(old);
	git_tree_free(new);
	git_commit_free(parent);
	return rc;
}
