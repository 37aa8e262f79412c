/*
 * cmd_check.c - "backport-tool check": how does a series land on each
 * target?  Reads the series once, places it on every --tree, prints the
 * verdict matrix, and exits 1 when any cell conflicts.
 */
#include <stdlib.h>
#include <string.h>

#include "analyse/check_build.h"
#include "analyse/check_trim.h"
#include "analyse/deps.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "emit/compile_format.h"
#include "input/input.h"
#include "place/check.h"
#include "util.h"

static const char check_usage[] =
	"usage: " PROGRAM_NAME " check [options] [PATCH... | --series FILE]\n"
	"       " PROGRAM_NAME " check --git REPO [options] COMMIT|A..B|@FILE...\n"
	"\n"
	"Place each patch of a series on one or more trees and judge it:\n"
	"clean (OK), offset (minor noise), fuzz (noise), merged (noise),\n"
	"adapted (noise), applied (already applied) or conflict.  Nothing is\n"
	"written.\n"
	"\n"
	"  -t, --tree [NAME=]DIR    a target (repeatable; default: .)\n"
	"      --tree NAME=git:REV  a git revision of --git REPO as a target\n"
	"  -s, --series FILE        a quilt series file (or its directory)\n"
	"      --git REPO           read commits from this repository; a file\n"
	"                           whose hunks do not apply is 3-way merged\n"
	"                           with the commit's pre-image (merged)\n"
	"  -i, --independent        judge each patch alone, not cumulatively\n"
	"  -F, --fuzz N             most context lines to ignore (0-2, default 2,\n"
	"                           as GNU patch; a fuzz verdict says the -F\n"
	"                           apply needs, its default being 0)\n"
	"      --no-ambiguous       a hunk whose context also matches elsewhere\n"
	"                           is a conflict (as apply --no-ambiguous)\n"
	"      --no-adapt           do not adapt conflicting hunks (context\n"
	"                           drift, re-indentation, renamed identifiers)\n"
	"  -f, --format FMT         text (default), markdown or json\n"
	"  -v, --verbose            one line per hunk, with target lines\n"
	"      --no-deps            with --git, do not search the history: no\n"
	"                           missing symbols and candidate prerequisite\n"
	"                           commits, no renames or moved files traced\n"
	"                           for adaptation (the 3-way merge stays)\n"
	"      --base REV           the upstream revision directory targets are\n"
	"                           based on (limits the prerequisites named;\n"
	"                           a git:REV target is based on REV)\n"
	"      --trim-headers       judge the series again with its header sync\n"
	"                           trimmed to what the other patches use (one\n"
	"                           target; the exit status is the trimmed run's)\n"
	"      --build              then compile the .c files the series touches\n"
	"                           on each target as check left it (the\n"
	"                           patches that applied), as plan --build does,\n"
	"                           and name the patch and hunk of each error\n"
	"      --build-dir DIR      the build cache (default:\n"
	"                           ~/.cache/backport-tool/build)\n"
	"      --build-target LIST  QEMU's target list (default: guessed), or the\n"
	"                           build system where there are several (cmake)\n"
	"      --build-submodule PATH=GITDIR\n"
	"                           the history of a submodule the build needs\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 nothing conflicts (and, with --build, it builds), 1\n"
	"something conflicts or breaks the build, 2 usage or input error.\n";

struct check_opts {
	struct cmd_options opt; /* --tree, --series, --git, --format, ... */
	int verbose;
	int no_deps;
	const char *base;       /* --base: directory targets' upstream revision */
	int trim_headers;
	int no_ambiguous;
	int no_adapt;
	int build;              /* --build, into compile: */
	struct compile_opts compile;
	struct str_list submodules;
};

/* --build and its options: what they need, and the submodules' histories. */
static int check_build_options(struct check_opts *o)
{

	if (!o->build) {
		if (o->compile.cache || o->compile.targets || o->submodules.n)
			return error("check: --build-dir, --build-target and "
				     "--build-submodule go with --build");
		return 0;
	}
	if (o->opt.independent || o->trim_headers)
		return error("check: --build builds the series as it applies "
			     "cumulatively; not with --independent or "
			     "--trim-headers (plan --build builds the trim)");
	if (options_check_submodules(&o->submodules) < 0)
		return -1;
	o->compile.submodules = o->submodules.v;
	o->compile.nsubmodules = o->submodules.n;
	return 0;
}

static int check_parse_options(int argc, char **argv, struct check_opts *o)
{
	enum { OPT_NO_DEPS = OPT_LONG_ONLY, OPT_BASE, OPT_TRIM_HEADERS, OPT_BUILD,
	       OPT_BUILD_DIR, OPT_BUILD_TARGET, OPT_SUBMODULE, OPT_NO_AMBIGUOUS,
	       OPT_NO_ADAPT };
	typedef struct check_opts T;
	static const struct option_slot own[] = {
		OPT_FLAG('v', "verbose", T, verbose),
		OPT_FLAG(OPT_NO_DEPS, "no-deps", T, no_deps),
		OPT_STRING(OPT_BASE, "base", T, base),
		OPT_FLAG(OPT_TRIM_HEADERS, "trim-headers", T, trim_headers),
		OPT_FLAG(OPT_NO_AMBIGUOUS, "no-ambiguous", T, no_ambiguous),
		OPT_FLAG(OPT_NO_ADAPT, "no-adapt", T, no_adapt),
		OPT_FLAG(OPT_BUILD, "build", T, build),
		OPT_STRING(OPT_BUILD_DIR, "build-dir", T, compile.cache),
		OPT_STRING(OPT_BUILD_TARGET, "build-target", T, compile.targets),
		OPT_LIST(OPT_SUBMODULE, "build-submodule", T, submodules),
		OPT_END
	};

	options_init(&o->opt, "check", OPTIONS_PLACE, FORMATS_ALL, FORMAT_TEXT);
	if (options_parse(&o->opt, argc, argv, own, o, check_usage) < 0)
		return -1;
	if (o->base && !o->opt.in.git_repo)
		return error("check: --base needs --git REPO");
	if (o->base && o->no_deps)
		return error("check: --base limits the prerequisites --no-deps "
			     "leaves out; give one or the other");
	if (o->trim_headers && o->opt.ntrees > 1)
		return error("check: --trim-headers takes one --tree (the trim "
			     "depends on the target)");
	return check_build_options(o);
}

/* A run of series on the --tree targets, as the options say. */
static int check_run_make(struct check_run *run, struct check_opts *o,
			  const struct patch_list *series)
{
	const char *const *specs;
	size_t n;

	check_run_init(run, series);
	run->state.independent = o->opt.independent;
	run->state.max_fuzz = o->opt.fuzz;
	run->state.no_ambiguous = o->no_ambiguous;
	run->state.adapt = !o->no_adapt;
	apply_setup_merge(&run->state, &o->opt.in);
	if (o->no_deps) {
		/* judging only: the history walks of renames and moves cost
		   more than the judging itself on a release's worth of commits */
		run->state.renames = NULL;
		run->state.moved = NULL;
	}
	run->state.base = o->base;
	specs = options_tree_specs(&o->opt, &n);
	return check_run_open_targets(run, &o->opt.in, specs, n);
}

static void check_print(const struct check_run *run, const struct check_opts *o)
{
	if (o->opt.format == FORMAT_JSON)
		check_print_json(run, stdout);
	else if (o->opt.format == FORMAT_MARKDOWN)
		check_print_markdown(run, stdout);
	else
		check_print_text(run, stdout, o->verbose);
}

/* Text and markdown: both runs and the trim between them. */
static void check_print_trim(const struct check_run *full,
			     const struct check_run *trimmed,
			     const struct check_trim *ct,
			     const struct patch_list *series,
			     const struct check_opts *o)
{
	const struct patch *sync = &series->v[ct->sync];
	const char *h = o->opt.format == FORMAT_MARKDOWN ? "### " : "== ";
	const char *end = o->opt.format == FORMAT_MARKDOWN ? "\n" : " ==";

	printf("%sThe series as it is%s\n", h, end);
	check_print(full, o);
	printf("\n%sHeader sync trimmed: %s%s\n", h, check_patch_label(sync),
	       end);
	if (ct->refused)
		printf("The trim was refused; the full sync is kept.\n");
	if (o->opt.format == FORMAT_MARKDOWN)
		fputs("\n```\n", stdout);
	headers_report_print(&ct->report, stdout);
	if (o->opt.format == FORMAT_MARKDOWN)
		fputs("```\n", stdout);
	if (!trimmed)
		return;
	printf("\n%sThe series, header sync trimmed%s\n", h, end);
	check_print(trimmed, o);
}

/*
 * --trim-headers: judge the series again with its header sync trimmed for
 * the target.  Returns the exit status: the trimmed run's verdicts, or the
 * full run's when there is nothing to trim or the trim was refused.
 */
static int check_with_trim(struct check_opts *o,
			   const struct patch_list *series,
			   const struct check_run *full)
{
	struct check_run probe, trimmed;
	struct check_trim ct;
	int ret = EXIT_USAGE, made = 0;

	/* the trimmer reads the target as it is, not as full left it */
	memset(&ct, 0, sizeof(ct));
	if (check_run_make(&probe, o, series) < 0 ||
	    check_trim_make(&ct, probe.targets[0].tree, series) < 0) {
		check_run_release(&probe);
		goto out;
	}
	check_run_release(&probe);
	if (ct.sync == (size_t)-1) {
		warning("check: --trim-headers: no patch of the series touches "
			"only linux-headers/ and include/standard-headers/");
		check_print(full, o);
		ret = full->conflicts ? EXIT_CONFLICT : EXIT_OK;
		goto out;
	}
	made = !ct.refused;
	if (made && (check_run_make(&trimmed, o, &ct.queue) < 0 ||
		     check_run_all(&trimmed) < 0))
		goto out;
	if (o->opt.format == FORMAT_JSON) {
		char *js = headers_report_json(&ct.report);

		check_print_json_trimmed(full, made ? &trimmed : NULL, js,
					 stdout);
		free(js);
	} else {
		check_print_trim(full, made ? &trimmed : NULL, &ct, series, o);
	}
	ret = (made ? trimmed.conflicts : full->conflicts) ? EXIT_CONFLICT
							   : EXIT_OK;
out:
	if (made)
		check_run_release(&trimmed);
	check_trim_release(&ct);
	return ret;
}

/* Text and markdown: each target's build below the matrix. */
static void check_print_builds(const struct check_run *run,
			       const struct compile_result *builds,
			       const struct check_opts *o)
{
	size_t t;

	for (t = 0; t < run->ntargets; t++) {
		struct patch_result *res;

		if (o->opt.format == FORMAT_MARKDOWN)
			printf("\n### Build on %s\n\n```\n", run->targets[t].name);
		else
			printf("\nbuild on %s:\n", run->targets[t].name);
		res = check_build_column(run, t);
		compile_print_text(&builds[t], stdout);
		compile_print_owned(&builds[t], run->series, res, stdout);
		free(res);
		if (o->opt.format == FORMAT_MARKDOWN)
			fputs("```\n", stdout);
	}
}

/*
 * --build: compile what the series touches on each target as check left
 * it.  Returns the exit status: conflicts or a broken build are 1.
 */
static int check_with_build(struct check_opts *o, const struct check_run *run,
			    const char *const *specs)
{
	struct compile_result *builds = NULL;
	int ret = EXIT_USAGE;

	if ((!o->opt.in.git_repo || input_open_git(&o->opt.in) == 0) &&
	    check_build_targets(run, o->opt.in.git, specs, &o->compile,
				&builds) == 0) {
		if (o->opt.format == FORMAT_JSON) {
			check_print_json_built(run, builds, stdout);
		} else {
			check_print(run, o);
			check_print_builds(run, builds, o);
		}
		ret = run->conflicts || !check_builds_ok(run, builds)
			      ? EXIT_CONFLICT : EXIT_OK;
	}
	check_builds_release(run, builds);
	return ret;
}

int cmd_check(int argc, char **argv)
{
	struct check_opts o = { 0 };
	const char *const *specs;
	size_t n;
	struct patch_list series = { 0 };
	struct check_run run;
	int ret = EXIT_USAGE;

	if (check_parse_options(argc, argv, &o) < 0)
		goto out_opts;
	/* check writes no patch: binary changes by ids where it can */
	specs = options_tree_specs(&o.opt, &n);
	o.opt.in.binary_ids = options_targets_read_ids(specs, n);
	if (input_read_series(&o.opt.in, options_series_dir(&o.opt), &series) < 0)
		goto out_series;
	if (check_run_make(&run, &o, &series) < 0 || check_run_all(&run) < 0)
		goto out_run;
	if (o.opt.in.git_repo && !o.no_deps) {
		size_t t;

		/* the search opens trees of its own: this run's wait */
		for (t = 0; t < run.ntargets; t++)
			tree_drop_caches(run.targets[t].tree);
		if (deps_note_check_run(&run, &o.opt.in, specs, o.base) < 0)
			goto out_run;
	}
	if (o.trim_headers) {
		ret = check_with_trim(&o, &series, &run);
		goto out_run;
	}
	if (o.build) {
		ret = check_with_build(&o, &run, specs);
		goto out_run;
	}
	check_print(&run, &o);
	ret = run.conflicts ? EXIT_CONFLICT : EXIT_OK;
out_run:
	check_run_release(&run);
out_series:
	patch_list_release(&series);
out_opts:
	options_release(&o.opt);
	free(o.submodules.v);
	return ret;
}
