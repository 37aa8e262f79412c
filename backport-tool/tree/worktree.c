/*
 * worktree.c - refuse to overwrite uncommitted work in a git work tree.
 *
 * The repository is found with libgit2 the way git finds it (walking up
 * from the target directory), and each path the write will touch is asked
 * for its status.  Ignored files (build output) are fair game; anything
 * git would report as modified, staged, deleted or untracked is the
 * user's and is not overwritten without --force.
 */
#include "tree/worktree.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "tree/worktree_int.h"
#include "util.h"

#define DIRTY_FLAGS                                                           \
	(GIT_STATUS_INDEX_NEW | GIT_STATUS_INDEX_MODIFIED |                   \
	 GIT_STATUS_INDEX_DELETED | GIT_STATUS_INDEX_RENAMED |                \
	 GIT_STATUS_INDEX_TYPECHANGE | GIT_STATUS_WT_NEW |                    \
	 GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_DELETED |                     \
	 GIT_STATUS_WT_TYPECHANGE | GIT_STATUS_WT_RENAMED |                   \
	 GIT_STATUS_CONFLICTED)

static const char *status_word(unsigned flags)
{
	if (flags & GIT_STATUS_CONFLICTED)
		return "has unresolved conflicts";
	if (flags & GIT_STATUS_WT_NEW)
		return "is untracked";
	if (flags & (GIT_STATUS_WT_DELETED | GIT_STATUS_INDEX_DELETED))
		return "is deleted but not committed";
	if (flags & (GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_TYPECHANGE |
		     GIT_STATUS_WT_RENAMED))
		return "has uncommitted changes";
	return "has staged changes not committed";
}

static int git_fail(const char *dir, const char *what)
{
	const git_error *e = git_error_last();

	return error_at(dir, 0, "%s: %s", what, e ? e->message : "unknown error");
}

/*
 * The path of dir relative to the work tree root ("" or "sub/dir/"), or
 * NULL when dir is not inside it (e.g. inside .git).
 */
static char *worktree_prefix(git_repository *repo, const char *dir)
{
	char real_dir[PATH_MAX], real_wt[PATH_MAX];
	const char *wt = git_repository_workdir(repo);
	size_t len;

	if (!wt || !realpath(dir, real_dir) || !realpath(wt, real_wt))
		return NULL;
	len = strlen(real_wt);
	if (strncmp(real_dir, real_wt, len) ||
	    (real_dir[len] && real_dir[len] != '/' && strcmp(real_wt, "/")))
		return NULL;
	if (!real_dir[len])
		return xstrdup("");
	{
		struct strbuf sb = STRBUF_INIT;
		const char *rest = real_dir + len + (real_dir[len] == '/');
		sb_addstr(&sb, rest);
		if (sb.len)
			sb_addch(&sb, '/');
		return sb_detach(&sb, NULL);
	}
}

/*
 * A file git hides from status (assume-unchanged, skip-worktree) is
 * compared with its index entry: a difference is uncommitted work that
 * git does not show.  The word for it, or NULL.
 */
static const char *hidden_change(git_repository *repo, git_index *index,
				 const char *path)
{
	const git_index_entry *e = index ? git_index_get_bypath(index, path, 0)
					 : NULL;
	git_oid oid;
	int skip;

	if (!e)
		return NULL;
	skip = (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0;
	if (!skip && !(e->flags & GIT_INDEX_ENTRY_VALID))
		return NULL;
	if (git_repository_hashfile(&oid, repo, path, GIT_OBJECT_BLOB, NULL) < 0)
		return NULL; /* absent (a sparse checkout): nothing to lose */
	if (git_oid_equal(&oid, &e->id))
		return NULL;
	return skip ? "has changes git hides (skip-worktree)"
		    : "has changes git hides (assume-unchanged)";
}

/* The status word of one path, or NULL when clean; -1 in *err on error. */
static const char *path_dirty(git_repository *repo, git_index *index,
			      const char *full, const char *path, int *err)
{
	unsigned flags = 0;
	int r = git_status_file(&flags, repo, full);

	if (r == GIT_ENOTFOUND)
		return NULL; /* neither tracked nor present: a new file */
	if (r < 0) {
		*err = git_fail(path, "cannot get git status");
		return NULL;
	}
	if (flags & DIRTY_FLAGS)
		return status_word(flags);
	return hidden_change(repo, index, full);
}

/*
 * One line for the refusal: the first such file, and how many more.
 * With --force each is named as a warning.
 */
static int check_paths(git_repository *repo, const char *dir,
		       const char *prefix, const char *const *paths, size_t n,
		       int force)
{
	struct strbuf full = STRBUF_INIT;
	git_index *index = NULL;
	const char *first = NULL, *word = NULL;
	size_t i, dirty = 0;
	int ret = 0;

	if (git_repository_index(&index, repo) < 0)
		index = NULL;
	for (i = 0; i < n && !ret; i++) {
		const char *w;

		sb_reset(&full);
		sb_addstr(&full, prefix);
		sb_addstr(&full, paths[i]);
		w = path_dirty(repo, index, full.buf, paths[i], &ret);
		if (!w)
			continue;
		if (!dirty++) {
			first = paths[i];
			word = w;
		}
		if (force)
			warning_at(paths[i], 0, "%s; overwriting it (--force)", w);
	}
	if (!ret && dirty && !force && dirty == 1)
		ret = error_at(first, 0, "%s; nothing written (commit or stash "
			       "it, or use --force)", word);
	else if (!ret && dirty && !force)
		ret = error_at(first, 0, "%s, and %zu more file%s with "
			       "uncommitted work; nothing written (commit or "
			       "stash them, or use --force)", word, dirty - 1,
			       dirty == 2 ? "" : "s");
	git_index_free(index);
	sb_release(&full);
	return ret;
}

/*
 * Is there a ".git" in dir or above it?  Cheap, so that the common case of
 * an unpacked source outside any repository does not pay for starting
 * libgit2 (which loads its TLS certificates on init).  0 none; 1 a ".git"
 * directory in *workdir (malloc'ed), with dir's path below it in *prefix
 * ("" or "sub/dir/"); 2 something else (a ".git" file, GIT_DIR): libgit2
 * decides.
 */
static int worktree_find(const char *dir, char **workdir, char **prefix)
{
	char *path = realpath(dir, NULL), *slash;
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	size_t len;
	int found = 0;

	if (!path || getenv("GIT_DIR")) {
		free(path);
		return 2; /* let libgit2 decide */
	}
	for (len = strlen(path);;) {
		sb_reset(&sb);
		sb_add(&sb, path, len);
		sb_addstr(&sb, "/.git");
		if (lstat(sb.buf, &st) == 0) {
			found = S_ISDIR(st.st_mode) ? 1 : 2;
			break;
		}
		slash = memrchr(path, '/', len);
		if (!slash || !len)
			break;
		len = (size_t)(slash - path);
	}
	sb_release(&sb);
	if (found == 1) {
		const char *rest = path + len + (path[len] == '/');

		*workdir = xstrndup(path, len);
		sb_addstr(&sb, rest);
		if (sb.len)
			sb_addch(&sb, '/');
		*prefix = sb_detach(&sb, NULL);
	}
	free(path);
	return found;
}

/*
 * The fast answer (worktree_fast.c) for a plain ".git" directory: 0 when
 * every path is committed and unchanged, 1 when libgit2 must look.
 */
static int worktree_fast(const char *dir, const char *const *paths, size_t n,
			 int *git)
{
	char *workdir = NULL, *prefix = NULL;
	int ret = 1;

	*git = worktree_find(dir, &workdir, &prefix);
	if (*git == 1 && strncmp(prefix, ".git/", 5)) {
		struct strbuf gitdir = STRBUF_INIT;

		sb_addf(&gitdir, "%s/.git", workdir);
		ret = worktree_fast_clean(workdir, gitdir.buf, prefix, paths, n);
		sb_release(&gitdir);
	}
	free(workdir);
	free(prefix);
	return ret;
}

int worktree_check_clean(const char *dir, const char *const *paths, size_t n,
			 int force)
{
	git_repository *repo = NULL;
	char *prefix;
	int r, ret = 0, git;

	if (!n || worktree_fast(dir, paths, n, &git) == 0 || !git)
		return 0;
	git_libgit2_init();
	r = git_repository_open_ext(&repo, dir, 0, NULL);
	if (r == GIT_ENOTFOUND) {
		git_libgit2_shutdown();
		return 0; /* not a git work tree: nothing to protect */
	}
	if (r < 0) {
		ret = force ? 0 : git_fail(dir, "cannot check for uncommitted "
				     "work (use --force to skip)");
		git_libgit2_shutdown();
		return ret;
	}
	prefix = git_repository_is_bare(repo) ? NULL
					      : worktree_prefix(repo, dir);
	if (prefix)
		ret = check_paths(repo, dir, prefix, paths, n, force);
	free(prefix);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}
