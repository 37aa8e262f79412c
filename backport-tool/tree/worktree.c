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

static int check_paths(git_repository *repo, const char *dir,
		       const char *prefix, const char *const *paths, size_t n,
		       int force)
{
	struct strbuf full = STRBUF_INIT;
	size_t i, dirty = 0;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		unsigned flags = 0;
		int r;

		sb_reset(&full);
		sb_addstr(&full, prefix);
		sb_addstr(&full, paths[i]);
		r = git_status_file(&flags, repo, full.buf);
		if (r == GIT_ENOTFOUND)
			continue; /* neither tracked nor present: a new file */
		if (r < 0) {
			ret = git_fail(paths[i], "cannot get git status");
			break;
		}
		if (!(flags & DIRTY_FLAGS))
			continue;
		dirty++;
		if (force)
			warning_at(paths[i], 0, "%s; overwriting it (--force)",
				   status_word(flags));
		else
			error_at(paths[i], 0, "%s; commit or stash it first, "
				 "or use --force", status_word(flags));
	}
	sb_release(&full);
	if (!ret && dirty && !force)
		ret = error_at(dir, 0, "%zu file%s with uncommitted work, "
			       "nothing written", dirty, dirty == 1 ? "" : "s");
	return ret;
}

/*
 * Is there a ".git" in dir or above it?  Cheap, so that the common case of
 * an unpacked source outside any repository does not pay for starting
 * libgit2 (which loads its TLS certificates on init).
 */
static int worktree_maybe_git(const char *dir)
{
	char *path = realpath(dir, NULL), *slash;
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int found = 0;

	if (!path || getenv("GIT_DIR")) {
		free(path);
		return 1; /* let libgit2 decide */
	}
	for (;;) {
		sb_reset(&sb);
		sb_addf(&sb, "%s/.git", strcmp(path, "/") ? path : "");
		if (lstat(sb.buf, &st) == 0) {
			found = 1;
			break;
		}
		slash = strrchr(path, '/');
		if (!slash || slash == path)
			break;
		*slash = '\0';
	}
	if (!found && strcmp(path, "/")) {
		/* the root itself */
		found = lstat("/.git", &st) == 0;
	}
	sb_release(&sb);
	free(path);
	return found;
}

int worktree_check_clean(const char *dir, const char *const *paths, size_t n,
			 int force)
{
	git_repository *repo = NULL;
	char *prefix;
	int r, ret = 0;

	if (!n || !worktree_maybe_git(dir))
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
