/*
 * cmd_apply.c - "backport-tool apply": apply a series to a directory for
 * real.  The whole series is placed in memory first; the tree on disk is
 * changed only when every patch applied, in one all-or-nothing commit, so
 * a failed apply leaves the tree exactly as it was.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "check.h"
#include "commands.h"
#include "fsio.h"
#include "input.h"
#include "util.h"
#include "worktree.h"

static const char apply_usage[] =
	"usage: " PROGRAM_NAME " apply [options] [PATCH... | --series FILE]\n"
	"\n"
	"Apply a series to a directory.  Every patch must apply; otherwise\n"
	"nothing is written and the first failing patch is named.\n"
	"\n"
	"  -t, --tree DIR       the tree to change (default: .)\n"
	"  -s, --series FILE    a quilt series file (or its directory)\n"
	"      --git REPO       read commits from this repository\n"
	"  -F, --fuzz N         most context lines to ignore (0-2, default 0,\n"
	"                       as dpkg-source)\n"
	"  -n, --dry-run        place the series, write nothing\n"
	"      --merge          with --git: 3-way merge what does not apply,\n"
	"                       leaving conflict markers for the human\n"
	"      --allow-symlinks let patches create symlinks (never followed)\n"
	"      --force          change files that have uncommitted git changes\n"
	"      --recover        only roll back an interrupted apply, then exit\n"
	"  -v, --verbose        name each patch and how it applied\n"
	"  -h, --help           show this help\n"
	"\n"
	"Exit status: 0 applied, 1 a patch does not apply (tree unchanged),\n"
	"2 usage or input error.\n";

struct apply_opts {
	struct input in;
	const char *dir;
	int fuzz, dry_run, merge, allow_symlinks, force, recover, verbose;
};

static int apply_parse_options(int argc, char **argv, struct apply_opts *o)
{
	enum { OPT_MERGE = 256, OPT_SYMLINKS, OPT_FORCE, OPT_RECOVER, OPT_GIT };
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "series", required_argument, NULL, 's' },
		{ "git", required_argument, NULL, OPT_GIT },
		{ "fuzz", required_argument, NULL, 'F' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "allow-symlinks", no_argument, NULL, OPT_SYMLINKS },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "recover", no_argument, NULL, OPT_RECOVER },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int c;

	o->dir = ".";
	while ((c = getopt_long(argc, argv, "t:s:F:nvh", longopts, NULL)) != -1) {
		switch (c) {
		case 't': o->dir = optarg; break;
		case 's': o->in.series = optarg; break;
		case OPT_GIT: o->in.git_repo = optarg; break;
		case 'F':
			o->fuzz = (int)strtol(optarg, &end, 10);
			if (!*optarg || *end || o->fuzz < 0 || o->fuzz > 2)
				return error("--fuzz takes 0, 1 or 2, not '%s'",
					     optarg);
			break;
		case 'n': o->dry_run = 1; break;
		case OPT_MERGE: o->merge = 1; break;
		case OPT_SYMLINKS: o->allow_symlinks = 1; break;
		case OPT_FORCE: o->force = 1; break;
		case OPT_RECOVER: o->recover = 1; break;
		case 'v': o->verbose = 1; break;
		case 'h': fputs(apply_usage, stdout); exit(EXIT_OK);
		default:
			fputs(apply_usage, stderr);
			return -1;
		}
	}
	if (o->in.series && optind < argc)
		return error("apply: give patch files or --series, not both");
	if (o->merge && !o->in.git_repo)
		return error("apply: --merge needs --git (the upstream pre-image)");
	o->in.args = argv + optind;
	o->in.nargs = (size_t)(argc - optind);
	return 0;
}

/* Roll back what an interrupted run left behind; 0 or -1. */
static int apply_recover(const char *dir, int verbose)
{
	int root = fs_open_root(dir), ret;

	if (root < 0)
		return -1;
	ret = fs_recover(root);
	close(root);
	if (ret > 0)
		fprintf(stderr, PROGRAM_NAME ": %s: rolled back an interrupted apply\n",
			dir);
	else if (ret == 0 && verbose)
		fprintf(stderr, PROGRAM_NAME ": %s: nothing to recover\n", dir);
	return ret < 0 ? -1 : 0;
}

struct changed_paths {
	const char **v;
	size_t n, alloc;
};

static int collect_path(const char *path, const struct tree_file *f,
			int deleted, void *data)
{
	struct changed_paths *c = data;

	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	c->v[c->n++] = path;
	return 0;
}

/* Refuse to overwrite uncommitted work unless --force. */
static int apply_check_worktree(struct apply_opts *o, struct tree *t)
{
	struct changed_paths c = { 0 };
	int ret;

	tree_for_each_change(t, collect_path, &c);
	ret = worktree_check_clean(o->dir, c.v, c.n, o->force);
	free(c.v);
	return ret;
}

static void apply_report(const struct apply_opts *o, const struct patch *p,
			 const struct patch_result *r)
{
	struct strbuf sb = STRBUF_INIT;

	if (r->verdict == V_CONFLICT && r->kept) {
		check_result_reason(r, &sb);
		error_at(p->name, r->reason_line, "3-way merge left conflict "
			 "markers: %s", sb.buf);
	} else if (r->verdict == V_CONFLICT) {
		check_result_reason(r, &sb);
		error_at(p->name, r->reason_line, "does not apply: %s%s", sb.buf,
			 o->dry_run ? "" : " (tree unchanged)");
	} else if (o->verbose) {
		printf("%s: %s\n", p->name, verdict_name(r->verdict));
	}
	sb_release(&sb);
}

/*
 * Place every patch in memory.  Returns 1 at the first conflict, -1 on
 * input errors, else 0; *markers counts patches kept with --merge's
 * conflict markers, which still make the exit status 1.
 */
static int apply_series(struct apply_opts *o, struct apply_state *s,
			struct tree *t, const struct patch_list *series,
			int *markers)
{
	size_t i;

	for (i = 0; i < series->n; i++) {
		struct patch_result r;
		int stop;

		if (apply_patch(s, t, &series->v[i], &r) < 0)
			return -1;
		apply_report(o, &series->v[i], &r);
		stop = r.verdict == V_CONFLICT && !r.kept;
		if (r.verdict == V_CONFLICT && r.kept)
			(*markers)++;
		patch_result_release(&r);
		if (stop)
			return 1;
	}
	return 0;
}

int cmd_apply(int argc, char **argv)
{
	struct apply_opts o = { 0 };
	struct patch_list series = { 0 };
	struct apply_state s;
	struct tree *t = NULL;
	int ret = EXIT_USAGE, r, markers = 0;

	if (apply_parse_options(argc, argv, &o) < 0)
		goto out;
	if (apply_recover(o.dir, o.verbose || o.recover) < 0 || o.recover) {
		ret = o.recover ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (input_read_series(&o.in, o.dir, &series) < 0 ||
	    tree_open_dir(&t, o.dir, o.dir) < 0)
		goto out;
	apply_state_init(&s);
	s.max_fuzz = o.fuzz;
	s.allow_symlinks = o.allow_symlinks;
	s.keep_conflicts = o.merge;
	input_setup_merge(&o.in, &s);
	r = apply_series(&o, &s, t, &series, &markers);
	if (r < 0)
		goto out;
	if (r > 0) {
		ret = EXIT_CONFLICT;
		goto out;
	}
	if (o.dry_run) {
		ret = EXIT_OK;
		goto out;
	}
	if (apply_check_worktree(&o, t) < 0 || tree_write_out(t) < 0)
		goto out;
	ret = markers ? EXIT_CONFLICT : EXIT_OK;
out:
	tree_free(t);
	patch_list_release(&series);
	input_release(&o.in);
	return ret;
}
