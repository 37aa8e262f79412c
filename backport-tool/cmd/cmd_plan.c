/*
 * cmd_plan.c - "backport-tool plan": which upstream commits to carry so
 * that a series applies with fuzz 0 on each target, verified by applying.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/plan.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "input/gitsrc.h"
#include "input/input.h"
#include "place/check.h"
#include "util.h"

static const char plan_usage[] =
	"usage: " PROGRAM_NAME " plan --git REPO --tree NAME=git:REV [options] COMMIT|A..B|@FILE...\n"
	"       " PROGRAM_NAME " plan --git REPO --tree DIR --base REV [options] [PATCH... | --series FILE]\n"
	"\n"
	"The upstream commits to carry so that every patch of the series applies\n"
	"with fuzz 0 (as dpkg-source needs) and compiles on each target: first\n"
	"the commits that introduce the names the series uses and the target\n"
	"lacks (kept even where the queue applies without them), then the\n"
	"commits that last\n"
	"changed the context a conflicting hunk misses, recursively (a candidate\n"
	"may need its own), in upstream order, each kept only when something\n"
	"conflicts without it, and the result verified by applying the whole\n"
	"queue in memory.  Where the series has a header sync, the sync trimmed\n"
	"to what the other patches use is shown beside the chain.  Commits the\n"
	"target already carries (debian/patches: DEP-3 Origin, \"cherry picked\n"
	"from\", the same diff) are never carried again, and commits that touch\n"
	"only CI files or test lists, or change only comments or spelling, only\n"
	"when nothing else explains a conflict.\n"
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
	"      --time-budget SECONDS  stop after the round in which the time\n"
	"                           runs out, saying what was left (0: after the\n"
	"                           first round); the queue so far is verified\n"
	"      --no-adapt           carry the prerequisites of every conflicting\n"
	"                           patch; by default one whose conflicting hunks\n"
	"                           all adapt (check's \"adapted\") is adapted\n"
	"                           instead, unless it is a header sync, uses names\n"
	"                           the target lacks, or (--build) breaks the build\n"
	"      --no-names           candidates only from the context conflicts\n"
	"                           miss, not from the names the series lacks\n"
	"      --build              then compile the .c files the queue touches on\n"
	"                           the patched target (configured once, cached)\n"
	"                           and name the patch and hunk of each error\n"
	"      --build-dir DIR      the build cache (default:\n"
	"                           ~/.cache/backport-tool/build)\n"
	"      --build-target LIST  QEMU's --target-list (default: from the paths\n"
	"                           the queue touches, e.g. s390x-softmmu); other\n"
	"                           projects: the build system to use (autotools,\n"
	"                           cmake, meson, make) where there are several\n"
	"      --build-submodule PATH=GITDIR\n"
	"                           the history of a submodule the build needs\n"
	"                           (default: REPO/modules/PATH)\n"
	"  -f, --format FMT         text (default), markdown or json\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 every plan is verified (and, with --build, builds), 1 a\n"
	"plan is stuck, hit a limit or breaks the build, 2 usage or input error.\n";

struct plan_cmd_opts {
	struct cmd_options opt;      /* --tree, --series, --git, --format */
	struct plan_opts plan;
	const char *max_depth, *max_commits; /* as given, checked after */
	const char *budget;          /* --time-budget SECONDS */
	struct str_list subs;        /* --build-submodule PATH=GITDIR... */
	int no_adapt;                /* --no-adapt */
};

/* What the options say together, once every one is read. */
static int plan_check_options(struct plan_cmd_opts *o)
{

	if (options_parse_count("--max-depth", o->max_depth, &o->plan.max_depth) < 0 ||
	    options_parse_count("--max-commits", o->max_commits,
			&o->plan.max_commits) < 0)
		return -1;
	if (o->budget) {
		char *end;

		errno = 0;
		o->plan.time_budget = strtod(o->budget, &end);
		if (errno || end == o->budget || *end || o->budget[0] == '-' ||
		    !(o->plan.time_budget >= 0 && o->plan.time_budget <= 86400))
			return error("--time-budget takes seconds from 0 to 86400, "
				     "not '%s'", o->budget);
		o->plan.has_budget = 1;
	}
	if (options_check_submodules(&o->subs) < 0)
		return -1;
	if (!o->opt.in.git_repo)
		return error("plan: --git REPO is required (the upstream history)");
	if (!o->plan.build && (o->plan.compile.cache || o->plan.compile.targets ||
			       o->subs.n))
		return error("plan: --build-dir, --build-target and "
			     "--build-submodule go with --build");
	o->plan.compile.submodules = o->subs.v;
	o->plan.compile.nsubmodules = o->subs.n;
	o->plan.adapt = !o->no_adapt;
	if (!o->opt.ntrees)
		return error("plan: give a target with --tree NAME=git:REV");
	if (!o->opt.in.series && !o->opt.in.nargs)
		return error("plan: no series: give upstream commits or patches");
	return 0;
}

static int plan_parse_options(int argc, char **argv, struct plan_cmd_opts *o)
{
	enum { OPT_BASE = OPT_LONG_ONLY, OPT_DEPTH, OPT_COMMITS, OPT_BUILD,
	       OPT_BUILD_DIR, OPT_BUILD_TARGET, OPT_SUBMODULE, OPT_BUDGET,
	       OPT_NO_ADAPT, OPT_NO_NAMES };
	typedef struct plan_cmd_opts T;
	static const struct option_slot own[] = {
		OPT_STRING(OPT_BASE, "base", T, plan.base),
		OPT_STRING(OPT_DEPTH, "max-depth", T, max_depth),
		OPT_STRING(OPT_COMMITS, "max-commits", T, max_commits),
		OPT_STRING(OPT_BUDGET, "time-budget", T, budget),
		OPT_FLAG(OPT_NO_ADAPT, "no-adapt", T, no_adapt),
		OPT_FLAG(OPT_NO_NAMES, "no-names", T, plan.no_names),
		OPT_FLAG(OPT_BUILD, "build", T, plan.build),
		OPT_STRING(OPT_BUILD_DIR, "build-dir", T, plan.compile.cache),
		OPT_STRING(OPT_BUILD_TARGET, "build-target", T,
			   plan.compile.targets),
		OPT_LIST(OPT_SUBMODULE, "build-submodule", T, subs),
		OPT_END
	};

	options_init(&o->opt, "plan", OPTIONS_SERIES, FORMATS_ALL, FORMAT_TEXT);
	if (options_parse(&o->opt, argc, argv, own, o, plan_usage) < 0)
		return -1;
	return plan_check_options(o);
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
	if (input_open_git(&o.opt.in) < 0 ||
	    input_read_series(&o.opt.in, ".", &series) < 0)
		goto out;
	if (!series.n) {
		error("plan: the series is empty");
		goto out;
	}
	plan_run_init(&run, &series, &o.opt.in, &o.plan);
	for (i = 0; i < o.opt.ntrees; i++)
		if (plan_run_target(&run, o.opt.trees[i]) < 0)
			goto out;
	if (o.opt.format == FORMAT_JSON)
		plan_print_json(&run, stdout);
	else if (o.opt.format == FORMAT_MARKDOWN)
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
	options_release(&o.opt);
	free(o.subs.v);
	return ret;
}
