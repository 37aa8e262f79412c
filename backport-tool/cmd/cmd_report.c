/*
 * cmd_report.c - "backport-tool report": the review report for a series,
 * as Markdown to paste into a Launchpad bug or as JSON.  Places the series
 * on every --tree like check does, lints it, compares each patch with its
 * --upstream version, and prints one document.
 */
#include <stdlib.h>
#include <string.h>

#include "buildd/buildlog.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "emit/report.h"
#include "input/input.h"
#include "place/check.h"
#include "analyse/plan.h"
#include "util.h"

static const char report_usage[] =
	"usage: " PROGRAM_NAME " report [options] [PATCH... | --series FILE]\n"
	"       " PROGRAM_NAME " report --git REPO [options] COMMIT|A..B|@FILE...\n"
	"\n"
	"Write the review report of a series: the verdict matrix over the\n"
	"targets, notes per patch (why a verdict is noisy, lint findings,\n"
	"what changed from upstream) and an SRU template filled with what the\n"
	"analysis knows, with TODO: where only a person can know.\n"
	"\n"
	"  -t, --tree [NAME=]DIR    a target (repeatable; none: no verdicts)\n"
	"      --tree NAME=git:REV  a git revision of --git REPO as a target\n"
	"  -s, --series FILE        a quilt series file (or its directory)\n"
	"      --git REPO           read commits from this repository\n"
	"  -u, --upstream FILE      upstream versions of the patches (a patch or\n"
	"                           an mbox; repeatable), matched by commit id\n"
	"                           or subject, for 'changed from upstream'\n"
	"                           (commits read with --git are their own)\n"
	"  -i, --independent        judge each patch alone, not cumulatively\n"
	"  -F, --fuzz N             most context lines to ignore (0-2, default 2)\n"
	"      --plan               with --git: a Prerequisites section, the plan\n"
	"                           (as backport-tool plan) for each target\n"
	"      --build              with --plan: and a Build section (as plan\n"
	"                           --build, in the default build cache)\n"
	"      --rules SET          lint's rule sets: auto (default), generic,\n"
	"                           or qemu (generic and qemu)\n"
	"  -f, --format FMT         markdown (default) or json\n"
	"      --build-log FILE     an sbuild log (as backport-tool build keeps\n"
	"                           it): adds whether the upload built, or the\n"
	"                           step that failed and its first error\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 the report was written (whatever it says), 2 usage or\n"
	"input error.\n";

struct report_opts {
	struct cmd_options opt; /* --tree, --series, --git, --format, ... */
	struct str_list upstream; /* --upstream FILE... */
	int plan;                 /* --plan: the prerequisites section */
	int build;                /* --build: and the build section */
	const char *build_log;    /* --build-log: sbuild's result */
	const char *rules;        /* --rules: lint's rule sets */
};

static int report_parse_options(int argc, char **argv, struct report_opts *o)
{
	enum { OPT_PLAN = OPT_LONG_ONLY, OPT_BUILD, OPT_BUILD_LOG, OPT_RULES };
	static const struct option_slot own[] = {
		OPT_LIST('u', "upstream", struct report_opts, upstream),
		OPT_FLAG(OPT_PLAN, "plan", struct report_opts, plan),
		OPT_FLAG(OPT_BUILD, "build", struct report_opts, build),
		OPT_STRING(OPT_BUILD_LOG, "build-log", struct report_opts,
			   build_log),
		OPT_STRING(OPT_RULES, "rules", struct report_opts, rules),
		OPT_END
	};

	options_init(&o->opt, "report", OPTIONS_PLACE, FORMATS_MARKDOWN_JSON,
		     FORMAT_MARKDOWN);
	if (options_parse(&o->opt, argc, argv, own, o, report_usage) < 0)
		return -1;
	if (o->plan && (!o->opt.in.git_repo || !o->opt.ntrees))
		return error("report: --plan needs --git REPO and a --tree");
	if (o->build && !o->plan)
		return error("report: --build goes with --plan");
	return 0;
}

static int report_read_upstream(const struct report_opts *o,
				struct patch_list *up)
{
	size_t i;

	for (i = 0; i < o->upstream.n; i++)
		if (patch_list_read_file(up, o->upstream.v[i]) < 0)
			return -1;
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o = { 0 };
	struct patch_list series = { 0 }, up = { 0 };
	struct check_run run;
	struct report r;
	struct plan_run plan;
	size_t i;
	struct buildlog build = { 0 };
	struct lint_config cfg = { 0 };
	struct report_input rin = { 0 };
	int ret = EXIT_USAGE;

	memset(&run, 0, sizeof(run));
	memset(&plan, 0, sizeof(plan));
	if (report_parse_options(argc, argv, &o) < 0 ||
	    (o.build_log && buildlog_read(o.build_log, &build) < 0) ||
	    input_read_series(&o.opt.in, ".", &series) < 0 ||
	    report_read_upstream(&o, &up) < 0)
		goto out;
	check_run_init(&run, &series);
	run.state.independent = o.opt.independent;
	run.state.max_fuzz = o.opt.fuzz;
	run.state.adapt = 1; /* the verdicts check shows */
	apply_setup_merge(&run.state, &o.opt.in);
	/* no --tree: no verdicts, only what the patches say themselves */
	if (check_run_open_targets(&run, &o.opt.in, o.opt.trees, o.opt.ntrees) < 0 ||
	    check_run_all(&run) < 0)
		goto out;
	if (o.plan) {
		struct plan_opts po = { 0 };

		po.build = o.build;
		po.adapt = 1; /* as check adapts above: one answer per patch */
		plan_run_init(&plan, &series, &o.opt.in, &po);
	}
	for (i = 0; o.plan && i < o.opt.ntrees; i++)
		if (plan_run_target(&plan, o.opt.trees[i]) < 0)
			goto out;
	/* lint's rule sets and package: from the first directory target */
	if (lint_config_init(&cfg, o.rules,
			     strcmp(options_series_dir(&o.opt), ".")
				     ? options_series_dir(&o.opt) : NULL,
			     series.v, series.n) < 0 ||
	    (o.opt.in.git_repo && input_open_git(&o.opt.in) < 0))
		goto out;
	rin.lint = &cfg;
	rin.git = o.opt.in.git;
	rin.plan = o.plan ? &plan : NULL;
	/* Commits read with --git are the upstream versions themselves. */
	report_build_with(&r, &series, &run,
			  o.upstream.n ? &up
			  : o.opt.in.git_repo && o.opt.in.nargs ? &series : NULL,
			  &rin);
	r.plan = o.plan ? &plan : NULL;
	r.build = o.build_log ? &build : NULL;
	r.build_log = o.build_log;
	if (o.opt.format == FORMAT_JSON)
		report_write_json(&r, stdout);
	else
		report_write_markdown(&r, stdout);
	report_release(&r);
	ret = EXIT_OK;
out:
	lint_config_release(&cfg);
	plan_run_release(&plan);
	check_run_release(&run);
	patch_list_release(&series);
	patch_list_release(&up);
	options_release(&o.opt);
	free(o.upstream.v);
	buildlog_release(&build);
	return ret;
}
