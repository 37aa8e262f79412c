/*
 * cmd_check.c - "backport-tool check": how does a series land on each
 * target?  Reads the series once, places it on every --tree, prints the
 * verdict matrix, and exits 1 when any cell conflicts.
 */
#include <stdlib.h>
#include <string.h>

#include "analyse/check_trim.h"
#include "analyse/deps.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "input/input.h"
#include "place/check.h"
#include "util.h"

static const char check_usage[] =
	"usage: " PROGRAM_NAME " check [options] [PATCH... | --series FILE]\n"
	"       " PROGRAM_NAME " check --git REPO [options] COMMIT|A..B|@FILE...\n"
	"\n"
	"Place each patch of a series on one or more trees and judge it:\n"
	"clean (OK), offset (minor noise), fuzz (noise), merged (noise),\n"
	"applied (already applied) or conflict.  Nothing is written.\n"
	"\n"
	"  -t, --tree [NAME=]DIR    a target (repeatable; default: .)\n"
	"      --tree NAME=git:REV  a git revision of --git REPO as a target\n"
	"  -s, --series FILE        a quilt series file (or its directory)\n"
	"      --git REPO           read commits from this repository\n"
	"  -i, --independent        judge each patch alone, not cumulatively\n"
	"  -F, --fuzz N             most context lines to ignore (0-2, default 2)\n"
	"  -f, --format FMT         text (default), markdown or json\n"
	"  -v, --verbose            one line per hunk, with target lines\n"
	"      --no-deps            with --git, do not look for missing symbols\n"
	"                           and candidate prerequisite commits\n"
	"      --trim-headers       judge the series again with its header sync\n"
	"                           trimmed to what the other patches use (one\n"
	"                           target; the exit status is the trimmed run's)\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 nothing conflicts, 1 something conflicts, 2 usage or\n"
	"input error.\n";

struct check_opts {
	struct cmd_options opt; /* --tree, --series, --git, --format, ... */
	int verbose;
	int no_deps;
	int trim_headers;
};

static int check_parse_options(int argc, char **argv, struct check_opts *o)
{
	enum { OPT_NO_DEPS = OPT_LONG_ONLY, OPT_TRIM_HEADERS };
	static const struct option_slot own[] = {
		OPT_FLAG('v', "verbose", struct check_opts, verbose),
		OPT_FLAG(OPT_NO_DEPS, "no-deps", struct check_opts, no_deps),
		OPT_FLAG(OPT_TRIM_HEADERS, "trim-headers", struct check_opts,
			 trim_headers),
		OPT_END
	};

	options_init(&o->opt, "check", OPTIONS_PLACE, FORMATS_ALL, FORMAT_TEXT);
	if (options_parse(&o->opt, argc, argv, own, o, check_usage) < 0)
		return -1;
	if (o->trim_headers && o->opt.ntrees > 1)
		return error("check: --trim-headers takes one --tree (the trim "
			     "depends on the target)");
	return 0;
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
	apply_setup_merge(&run->state, &o->opt.in);
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
	if (input_read_series(&o.opt.in, options_series_dir(&o.opt), &series) < 0)
		goto out_series;
	if (check_run_make(&run, &o, &series) < 0 || check_run_all(&run) < 0)
		goto out_run;
	specs = options_tree_specs(&o.opt, &n);
	if (o.opt.in.git_repo && !o.no_deps &&
	    deps_note_check_run(&run, &o.opt.in, specs) < 0)
		goto out_run;
	if (o.trim_headers) {
		ret = check_with_trim(&o, &series, &run);
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
	return ret;
}
