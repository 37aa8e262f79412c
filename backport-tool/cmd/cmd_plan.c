/*
 * cmd_plan.c - "backport-tool plan": which upstream commits to carry so
 * that a series applies with fuzz 0 on each target, verified by applying.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/plan.h"
#include "cmd/commands.h"
#include "input/gitsrc.h"
#include "input/input.h"
#include "place/check.h"
#include "util.h"

static const char plan_usage[] =
	"usage: " PROGRAM_NAME " plan --git REPO --tree NAME=git:REV [options] COMMIT|A..B|@FILE...\n"
	"       " PROGRAM_NAME " plan --git REPO --tree DIR --base REV [options] [PATCH... | --series FILE]\n"
	"\n"
	"The upstream commits to carry so that every patch of the series applies\n"
	"with fuzz 0 (as dpkg-source needs) on each target: the commits that last\n"
	"changed the context a conflicting hunk misses, recursively (a candidate\n"
	"may need its own), in upstream order, each kept only when something\n"
	"conflicts without it, and the result verified by applying the whole\n"
	"queue in memory.  Where the series has a header sync, the sync trimmed\n"
	"to what the other patches use is shown beside the chain.\n"
	"\n"
	"  -t, --tree NAME=git:REV  a revision of --git REPO as a target (repeatable)\n"
	"      --tree [NAME=]DIR    a directory target (with --base)\n"
	"  -s, --series FILE        a quilt series file\n"
	"      --git REPO           upstream history (required)\n"
	"      --base REV           the upstream revision directory targets are\n"
	"                           based on\n"
	"      --max-depth N        prerequisites of prerequisites, at most N\n"
	"                           levels (default 5)\n"
	"      --max-commits N      at most N commits in the chain (default 20)\n"
	"      --build              then compile the .c files the queue touches on\n"
	"                           the patched target (configured once, cached)\n"
	"                           and name the patch and hunk of each error\n"
	"      --build-dir DIR      the build cache (default:\n"
	"                           ~/.cache/backport-tool/build)\n"
	"      --build-target LIST  QEMU's --target-list (default: from the paths\n"
	"                           the queue touches, e.g. s390x-softmmu)\n"
	"      --build-submodule PATH=GITDIR\n"
	"                           the history of a submodule the build needs\n"
	"                           (default: REPO/modules/PATH)\n"
	"  -f, --format FMT         text (default), markdown or json\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 every plan is verified (and, with --build, builds), 1 a\n"
	"plan is stuck, hit a limit or breaks the build, 2 usage or input error.\n";

struct plan_cmd_opts {
	struct input in;
	const char **trees;
	size_t ntrees, alloc;
	struct plan_opts plan;
	enum check_format format;
	const char **subs;
	size_t nsubs, subs_alloc;
};

static int parse_count(const char *opt, const char *arg, size_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < 1 || v > 1000)
		return error("%s takes a number from 1 to 1000, not '%s'", opt, arg);
	*out = (size_t)v;
	return 0;
}

static int plan_parse_options(int argc, char **argv, struct plan_cmd_opts *o)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "series", required_argument, NULL, 's' },
		{ "git", required_argument, NULL, 'g' },
		{ "base", required_argument, NULL, 'b' },
		{ "max-depth", required_argument, NULL, 'd' },
		{ "max-commits", required_argument, NULL, 'n' },
		{ "build", no_argument, NULL, 'B' },
		{ "build-dir", required_argument, NULL, 'D' },
		{ "build-target", required_argument, NULL, 'T' },
		{ "build-submodule", required_argument, NULL, 'S' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "t:s:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			ALLOC_GROW(o->trees, o->ntrees + 1, o->alloc);
			o->trees[o->ntrees++] = optarg;
			break;
		case 's': o->in.series = optarg; break;
		case 'g': o->in.git_repo = optarg; break;
		case 'b': o->plan.base = optarg; break;
		case 'd':
			if (parse_count("--max-depth", optarg, &o->plan.max_depth) < 0)
				return -1;
			break;
		case 'n':
			if (parse_count("--max-commits", optarg,
					&o->plan.max_commits) < 0)
				return -1;
			break;
		case 'B': o->plan.build = 1; break;
		case 'D': o->plan.compile.cache = optarg; break;
		case 'T': o->plan.compile.targets = optarg; break;
		case 'S':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return error("--build-submodule takes PATH=GITDIR, "
					     "not '%s'", optarg);
			ALLOC_GROW(o->subs, o->nsubs + 1, o->subs_alloc);
			o->subs[o->nsubs++] = optarg;
			break;
		case 'f':
			if (check_format_parse(optarg, &o->format) < 0)
				return -1;
			break;
		case 'h': fputs(plan_usage, stdout); exit(EXIT_OK);
		default:
			fputs(plan_usage, stderr);
			return -1;
		}
	}
	if (!o->in.git_repo)
		return error("plan: --git REPO is required (the upstream history)");
	if (!o->plan.build && (o->plan.compile.cache || o->plan.compile.targets ||
			       o->nsubs))
		return error("plan: --build-dir, --build-target and "
			     "--build-submodule go with --build");
	o->plan.compile.submodules = o->subs;
	o->plan.compile.nsubmodules = o->nsubs;
	if (!o->ntrees)
		return error("plan: give a target with --tree NAME=git:REV");
	if (o->in.series && optind < argc)
		return error("plan: give commits, patches or --series, not several");
	if (!o->in.series && optind >= argc)
		return error("plan: no series: give upstream commits or patches");
	o->in.args = argv + optind;
	o->in.nargs = (size_t)(argc - optind);
	return 0;
}

int cmd_plan(int argc, char **argv)
{
	struct plan_cmd_opts o = { 0 };
	struct patch_list series = { 0 };
	struct plan_run run;
	size_t i;
	int ret = EXIT_USAGE;

	memset(&run, 0, sizeof(run));
	if (plan_parse_options(argc, argv, &o) < 0)
		goto out;
	if (!o.in.git) {
		struct gitsrc *g;

		if (gitsrc_open(&g, o.in.git_repo) < 0)
			goto out;
		o.in.git = g;
	}
	if (input_read_series(&o.in, ".", &series) < 0)
		goto out;
	if (!series.n) {
		error("plan: the series is empty");
		goto out;
	}
	plan_run_init(&run, &series, &o.in, &o.plan);
	for (i = 0; i < o.ntrees; i++)
		if (plan_run_target(&run, o.trees[i]) < 0)
			goto out;
	if (o.format == FORMAT_JSON)
		plan_print_json(&run, stdout);
	else if (o.format == FORMAT_MARKDOWN)
		plan_print_markdown(&run, stdout);
	else
		plan_print_text(&run, stdout);
	ret = plan_run_ok(&run) ? EXIT_OK : EXIT_CONFLICT;
	for (i = 0; o.plan.build && i < run.ntargets; i++)
		if (!plan_target_builds(&run.targets[i]))
			ret = EXIT_CONFLICT;
out:
	plan_run_release(&run);
	patch_list_release(&series);
	input_release(&o.in);
	free(o.trees);
	free(o.subs);
	return ret;
}
