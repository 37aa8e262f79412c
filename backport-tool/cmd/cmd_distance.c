/*
 * cmd_distance.c - "backport-tool distance": how far a series is from each
 * candidate base (release tags, revisions, source trees), and the oldest
 * base that takes it with no prerequisites.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/distance.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "input/gitsrc.h"
#include "input/input.h"
#include "util.h"

static const char distance_usage[] =
	"usage: " PROGRAM_NAME " distance --git REPO --tags A..B [--rc] [options] COMMIT|A..B|@FILE...\n"
	"       " PROGRAM_NAME " distance --git REPO -t NAME=git:REV... [options] [PATCH... | --series FILE]\n"
	"\n"
	"Which base takes the series: on every candidate base at once, the\n"
	"verdict counts (as check judges them) and the upstream commits to carry\n"
	"so that it applies with fuzz 0 (as plan finds and verifies them), then\n"
	"the answer: the oldest base that takes the series with no\n"
	"prerequisites, and the base that carries the least.  List the bases\n"
	"oldest first: the --tree ones in the order given, then each --tags\n"
	"range in version order.\n"
	"\n"
	"  -t, --tree NAME=git:REV  a revision of --git REPO as a base (repeatable)\n"
	"      --tree [NAME=]DIR    a source tree as a base (with --base)\n"
	"      --tags A..B          every tag from A to B, both included, in\n"
	"                           version order (repeatable)\n"
	"      --rc                 with --tags: the -rc tags between as well\n"
	"  -s, --series FILE        a quilt series file\n"
	"      --git REPO           upstream history (required)\n"
	"      --base REV           the upstream revision directory bases are\n"
	"                           based on\n"
	"      --max-depth N        plan's prerequisites of prerequisites, at\n"
	"                           most N levels (default 5)\n"
	"      --max-commits N      at most N commits to carry (default 20)\n"
	"      --build              also compile what each base's queue touches\n"
	"                           (as plan --build); a base that breaks the\n"
	"                           build does not take the series\n"
	"      --build-dir DIR      the build cache (default:\n"
	"                           ~/.cache/backport-tool/build)\n"
	"      --build-target LIST  QEMU's --target-list (default: from the paths),\n"
	"                           or the build system where there are several\n"
	"      --build-submodule PATH=GITDIR\n"
	"                           the history of a submodule the build needs\n"
	"  -f, --format FMT         text (default), markdown or json\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 a base takes the series with no prerequisites, 1 none\n"
	"does, 2 usage or input error.\n";

struct distance_opts {
	struct cmd_options opt;      /* --tree, --series, --git, --format */
	struct plan_opts plan;
	const char *max_depth, *max_commits;
	struct str_list tags;        /* --tags A..B... */
	int rc;
	struct str_list subs;        /* --build-submodule PATH=GITDIR... */
};

static int distance_check_options(struct distance_opts *o)
{

	if (options_parse_count("--max-depth", o->max_depth, &o->plan.max_depth) < 0 ||
	    options_parse_count("--max-commits", o->max_commits,
			&o->plan.max_commits) < 0)
		return -1;
	if (options_check_submodules(&o->subs) < 0)
		return -1;
	if (!o->opt.in.git_repo)
		return error("distance: --git REPO is required (the upstream "
			     "history)");
	if (!o->plan.build && (o->plan.compile.cache ||
			       o->plan.compile.targets || o->subs.n))
		return error("distance: --build-dir, --build-target and "
			     "--build-submodule go with --build");
	if (o->rc && !o->tags.n)
		return error("distance: --rc goes with --tags A..B");
	o->plan.compile.submodules = o->subs.v;
	o->plan.compile.nsubmodules = o->subs.n;
	if (!o->opt.ntrees && !o->tags.n)
		return error("distance: give the bases: --tags A..B or "
			     "--tree NAME=git:REV");
	if (!o->opt.in.series && !o->opt.in.nargs)
		return error("distance: no series: give upstream commits or "
			     "patches");
	return 0;
}

static int distance_parse_options(int argc, char **argv,
				  struct distance_opts *o)
{
	enum { OPT_TAGS = OPT_LONG_ONLY, OPT_RC, OPT_BASE, OPT_DEPTH,
	       OPT_COMMITS, OPT_BUILD, OPT_BUILD_DIR, OPT_BUILD_TARGET,
	       OPT_SUBMODULE };
	typedef struct distance_opts T;
	static const struct option_slot own[] = {
		OPT_LIST(OPT_TAGS, "tags", T, tags),
		OPT_FLAG(OPT_RC, "rc", T, rc),
		OPT_STRING(OPT_BASE, "base", T, plan.base),
		OPT_STRING(OPT_DEPTH, "max-depth", T, max_depth),
		OPT_STRING(OPT_COMMITS, "max-commits", T, max_commits),
		OPT_FLAG(OPT_BUILD, "build", T, plan.build),
		OPT_STRING(OPT_BUILD_DIR, "build-dir", T, plan.compile.cache),
		OPT_STRING(OPT_BUILD_TARGET, "build-target", T,
			   plan.compile.targets),
		OPT_LIST(OPT_SUBMODULE, "build-submodule", T, subs),
		OPT_END
	};

	options_init(&o->opt, "distance", OPTIONS_SERIES, FORMATS_ALL,
		     FORMAT_TEXT);
	if (options_parse(&o->opt, argc, argv, own, o, distance_usage) < 0)
		return -1;
	return distance_check_options(o);
}

/* The bases: the --tree specs as given, then each --tags range. */
static int distance_specs(struct distance_opts *o, char ***specs, size_t *n)
{
	size_t i, alloc = 0;

	for (i = 0; i < o->opt.ntrees; i++) {
		ALLOC_GROW(*specs, *n + 1, alloc);
		(*specs)[(*n)++] = xstrdup(o->opt.trees[i]);
	}
	for (i = 0; i < o->tags.n; i++)
		if (distance_expand_tags(o->opt.in.git, o->tags.v[i], o->rc,
					 specs, n, &alloc) < 0)
			return -1;
	return 0;
}

int cmd_distance(int argc, char **argv)
{
	struct distance_opts o = { 0 };
	struct patch_list series = { 0 };
	struct distance_run run;
	char **specs = NULL;
	size_t i, n = 0;
	int ret = EXIT_USAGE;

	memset(&run, 0, sizeof(run));
	if (distance_parse_options(argc, argv, &o) < 0 ||
	    input_open_git(&o.opt.in) < 0 ||
	    distance_specs(&o, &specs, &n) < 0)
		goto out;
	/* distance writes no patch: binary changes by ids where it can */
	o.opt.in.binary_ids = options_targets_read_ids(
		(const char *const *)specs, n);
	if (input_read_series(&o.opt.in, ".", &series) < 0)
		goto out;
	if (!series.n) {
		error("distance: the series is empty");
		goto out;
	}
	if (distance_run_all(&run, &series, &o.opt.in, &o.plan,
			     (const char *const *)specs, n) < 0)
		goto out;
	if (o.opt.format == FORMAT_JSON)
		distance_print_json(&run, stdout);
	else if (o.opt.format == FORMAT_MARKDOWN)
		distance_print_markdown(&run, stdout);
	else
		distance_print_text(&run, stdout);
	ret = run.oldest != DISTANCE_NONE ? EXIT_OK : EXIT_CONFLICT;
out:
	distance_run_release(&run);
	patch_list_release(&series);
	for (i = 0; i < n; i++)
		free(specs[i]);
	free(specs);
	options_release(&o.opt);
	free(o.tags.v);
	free(o.subs.v);
	return ret;
}
