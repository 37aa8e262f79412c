/*
 * input.c - resolve the series and the targets a command names.
 */
#include "input/input.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/gitsrc.h"
#include "tree/fsio.h"
#include "util.h"

static int input_read_commits(struct input *in, struct patch_list *out);
static int input_open_git_tree(struct input *in, const char *name, const char *rev,
			struct tree **out);

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode));
}

static char *join(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	if (dir && *dir && strcmp(dir, ".") && name[0] != '/')
		sb_addf(&sb, "%s/", dir);
	sb_addstr(&sb, name);
	return sb_detach(&sb, NULL);
}

/* quilt's lookup order, then the Debian location dpkg-source uses. */
static char *find_series(const char *dir)
{
	const char *qp = getenv("QUILT_PATCHES"), *qs = getenv("QUILT_SERIES");
	char *candidates[5] = { NULL };
	char *found = NULL;
	size_t i, n = 0;

	if (!qp || !*qp)
		qp = "patches";
	if (qs && *qs) {
		char *rel = join(qp, qs);
		candidates[n++] = qs[0] == '/' ? xstrdup(qs) : join(dir, rel);
		free(rel);
	}
	candidates[n++] = join(dir, "series");
	{
		char *rel = join(qp, "series");
		candidates[n++] = join(dir, rel);
		free(rel);
	}
	candidates[n++] = join(dir, "debian/patches/series");
	for (i = 0; i < n; i++) {
		if (!found && is_file(candidates[i]))
			found = candidates[i];
		else
			free(candidates[i]);
	}
	return found;
}

int input_read_series(struct input *in, const char *tree_dir,
		      struct patch_list *out)
{
	size_t i;
	char *series;
	int ret;

	if (in->git_repo && in->nargs)
		return input_read_commits(in, out);
	if (in->series)
		return patch_list_read_series(out, in->series);
	for (i = 0; i < in->nargs; i++)
		if (patch_list_read_file(out, in->args[i]) < 0)
			return -1;
	if (in->nargs)
		return 0;
	series = find_series(tree_dir ? tree_dir : ".");
	if (series) {
		ret = patch_list_read_series(out, series);
		free(series);
		return ret;
	}
	if (!isatty(0))
		return patch_list_read_file(out, "-");
	return error("no patches: give patch files, --series FILE, or a patch on standard input");
}

static char *base_name(const char *dir)
{
	char *copy = xstrdup(dir), *end = copy + strlen(copy), *slash;

	while (end > copy + 1 && end[-1] == '/')
		*--end = '\0';
	slash = strrchr(copy, '/');
	if (slash && slash[1]) {
		char *name = xstrdup(slash + 1);
		free(copy);
		return name;
	}
	return copy;
}

int input_open_tree(struct input *in, const char *spec, char **name,
		    struct tree **out)
{
	const char *eq = strchr(spec, '=');
	const char *where = eq ? eq + 1 : spec;

	if (eq && eq == spec)
		return error("--tree '%s': empty name", spec);
	*name = eq ? xstrndup(spec, (size_t)(eq - spec)) : base_name(spec);
	if (!strncmp(where, "git:", 4)) {
		if (input_open_git_tree(in, *name, where + 4, out) == 0)
			return 0;
	} else if (tree_open_dir(out, *name, where) == 0) {
		/* a half-written tree would be judged as if it were whole */
		if (!fs_journal_pending(tree_fs_root(*out)))
			return 0;
		error_at(where, 0, "has an unfinished apply (.backport-tool-"
			 "journal); run 'backport-tool apply --recover' first");
		tree_free(*out);
		*out = NULL;
	}
	free(*name);
	*name = NULL;
	return -1;
}

/* --- git input --- */

int input_open_git(struct input *in)
{
	struct gitsrc *g;

	if (in->git)
		return 0;
	if (!in->git_repo)
		return error("a git:REV target needs --git REPO");
	if (gitsrc_open(&g, in->git_repo) < 0)
		return -1;
	in->git = g;
	return 0;
}

/*
 * With --git, each argument is a commit spec unless it names an existing
 * file, so that upstream commits and local fix-up patches can be mixed in
 * one series, in the order given.
 */
static int input_read_commits(struct input *in, struct patch_list *out)
{
	size_t i;

	if (input_open_git(in) < 0)
		return -1;
	gitsrc_binary_ids(in->git, in->binary_ids);
	for (i = 0; i < in->nargs; i++) {
		const char *arg = in->args[i];
		struct stat st;

		if (stat(arg, &st) == 0 && S_ISREG(st.st_mode) &&
		    !gitsrc_is_revision(in->git, arg)) {
			if (patch_list_read_file(out, arg) < 0)
				return -1;
		} else {
			int rc;

			gitsrc_keep_texts(in->git, 1);   /* the series: asked again */
			rc = gitsrc_read_commits_in(in->git, out,
						    (const char *const *)&in->args[i], 1);
			gitsrc_keep_texts(in->git, 0);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

static int input_open_git_tree(struct input *in, const char *name, const char *rev,
			struct tree **out)
{
	if (input_open_git(in) < 0)
		return -1;
	return gitsrc_open_tree_in(out, in->git, name, rev);
}

void input_release(struct input *in)
{
	gitsrc_free(in->git);
	in->git = NULL;
}

int input_parse_fuzz(const char *arg, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (!*arg || *end || v < 0 || v > 2)
		return error("--fuzz takes 0, 1 or 2, not '%s'", arg);
	*out = (int)v;
	return 0;
}
