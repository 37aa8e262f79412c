/*
 * deps_history.c - which upstream commit introduced a definition: the
 * first commit, walking forward from the target's base, whose blob of the
 * defining file defines the name.
 */
#include "analyse/deps_int.h"

#include <string.h>

/* ---- history: who introduced a definition ---------------------- */

/*
 * The identifier a definition of key must spell out: key itself, or the
 * member of "struct TAG.member".
 */
static const char *key_word(const char *key)
{
	const char *w = key, *p;

	for (p = key; *p; p++)
		if (*p == '.' || *p == ' ')
			w = p + 1;
	return w;
}

/* Does the blob define name?  Parsed only when it spells the name at all. */
static int blob_defines(git_repository *repo, const git_oid *blob_id,
			const char *path, const char *name)
{
	const char *word = key_word(name);
	struct symindex *ix;
	git_blob *blob;
	int found = 0;

	if (git_blob_lookup(&blob, repo, blob_id) < 0)
		return 0;
	if (!*word || memmem(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
			     word, strlen(word))) {
		ix = symindex_new();
		symindex_add_text(ix, path, git_blob_rawcontent(blob),
				  (size_t)git_blob_rawsize(blob), 0);
		found = symindex_lookup(ix, name, strlen(name)) != NULL;
		symindex_free(ix);
	}
	git_blob_free(blob);
	return found;
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
 * deps_find_introducer for commit ids, its answer kept by gitsrc's memo:
 * the same name is asked for every patch and target that lacks it.
 */
static int find_introducer(struct gitsrc *g, const git_oid *hide,
			   const git_oid *from, const char *path,
			   const char *name, char *out)
{
	git_repository *repo = gitsrc_repository(g);
	struct strbuf key = STRBUF_INIT;
	struct gitsrc_change *ch;
	const char *known;
	char h[41] = "-", f[41];
	git_oid last_before;
	int last_defines = 0, rc = 1;
	size_t n, k;

	if (hide)
		git_oid_tostr(h, sizeof(h), hide);
	git_oid_tostr(f, sizeof(f), from);
	sb_addf(&key, "introducer %s %s %s %s", h, f, path, name);
	if ((known = gitsrc_memo_get(g, key.buf)) != NULL) {
		snprintf(out, 41, "%s", known);
		sb_release(&key);
		return *known ? 0 : 1;
	}
	if (gitsrc_path_history(g, from, hide, &path, 1, &ch, &n) < 0) {
		sb_release(&key);
		return error("no such revision '%s'", hide ? h : f);
	}
	memset(&last_before, 0, sizeof(last_before));
	for (k = 0; rc == 1 && k < n; k++) {
		const struct gitsrc_change *c = &ch[k];
		int has_before = !git_oid_is_zero(&c->before), now, before = 0;

		if (git_oid_is_zero(&c->after))
			continue;
		/* newest first: this blob was often the last change's "before" */
		now = !git_oid_is_zero(&last_before) &&
		      git_oid_equal(&c->after, &last_before) ? last_defines
			: blob_defines(repo, &c->after, path, name);
		memset(&last_before, 0, sizeof(last_before));
		if (now && has_before) {
			before = blob_defines(repo, &c->before, path, name);
			git_oid_cpy(&last_before, &c->before);
			last_defines = before;
		}
		if (now && !before) {
			git_oid_tostr(out, 41, &c->commit);
			rc = 0;
		}
	}
	free(ch);
	gitsrc_memo_put(g, key.buf, rc == 0 ? out : "");
	sb_release(&key);
	return rc;
}

int deps_find_introducer(struct gitsrc *g, const char *hide, const char *from,
			 const char *path, const char *name, char *out)
{
	git_repository *repo = gitsrc_repository(g);
	git_oid from_id, hide_id;
	git_object *obj;

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
	return find_introducer(g, hide ? &hide_id : NULL, &from_id, path, name,
			       out);
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
