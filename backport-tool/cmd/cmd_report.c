/*
 * cmd_report.c - "backport-tool report": the review report for a series,
 * as Markdown to paste into a Launchpad bug or as JSON.  Places the series
 * on every --tree like check does, lints it, compares each patch with its
 * --upstream version, and prints one document.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "buildd/buildlog.h"
#include "place/check.h"
#include "cmd/commands.h"
#include "input/input.h"
#include "emit/report.h"
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
	"  -f, --format FMT         markdown (default) or json\n"
	"      --build-log FILE     an sbuild log (as backport-tool build keeps\n"
	"                           it): adds whether the upload built, or the\n"
	"                           step that failed and its first error\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 the report was written (whatever it says), 2 usage or\n"
	"input error.\n";

struct report_opts {
	struct input in;
	const char **trees;
	size_t ntrees, alloc;
	const char **upstream;
	size_t nupstream, up_alloc;
	int json;
	int independent;
	int fuzz;
	const char *build_log;
};

static int report_parse_options(int argc, char **argv, struct report_opts *o)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "series", required_argument, NULL, 's' },
		{ "git", required_argument, NULL, 'g' },
		{ "upstream", required_argument, NULL, 'u' },
		{ "independent", no_argument, NULL, 'i' },
		{ "fuzz", required_argument, NULL, 'F' },
		{ "format", required_argument, NULL, 'f' },
		{ "build-log", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->fuzz = 2;
	while ((c = getopt_long(argc, argv, "t:s:u:iF:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			ALLOC_GROW(o->trees, o->ntrees + 1, o->alloc);
			o->trees[o->ntrees++] = optarg;
			break;
		case 'u':
			ALLOC_GROW(o->upstream, o->nupstream + 1, o->up_alloc);
			o->upstream[o->nupstream++] = optarg;
			break;
		case 's': o->in.series = optarg; break;
		case 'g': o->in.git_repo = optarg; break;
		case 'i': o->independent = 1; break;
		case 'B': o->build_log = optarg; break;
		case 'F':
			if (input_parse_fuzz(optarg, &o->fuzz) < 0)
				return -1;
			break;
		case 'f':
			if (!strcmp(optarg, "json"))
				o->json = 1;
			else if (strcmp(optarg, "markdown") && strcmp(optarg, "md"))
				return error("report: unknown format '%s' "
					     "(markdown, json)", optarg);
			break;
		case 'h': fputs(report_usage, stdout); exit(EXIT_OK);
		default:
			fputs(report_usage, stderr);
			return -1;
		}
	}
	if (o->in.series && optind < argc)
		return error("report: give patch files or --series, not both");
	o->in.args = argv + optind;
	o->in.nargs = (size_t)(argc - optind);
	return 0;
}

static int report_read_upstream(const struct report_opts *o,
				struct patch_list *up)
{
	size_t i;

	for (i = 0; i < o->nupstream; i++)
		if (patch_list_read_file(up, o->upstream[i]) < 0)
			return -1;
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o = { 0 };
	struct patch_list series = { 0 }, up = { 0 };
	struct check_run run;
	struct report r;
	struct buildlog build = { 0 };
	int ret = EXIT_USAGE;

	memset(&run, 0, sizeof(run));
	if (report_parse_options(argc, argv, &o) < 0 ||
	    (o.build_log && buildlog_read(o.build_log, &build) < 0) ||
	    input_read_series(&o.in, ".", &series) < 0 ||
	    report_read_upstream(&o, &up) < 0)
		goto out;
	check_run_init(&run, &series);
	run.state.independent = o.independent;
	run.state.max_fuzz = o.fuzz;
	input_setup_merge(&o.in, &run.state);
	if (check_run_open_targets(&run, &o.in, o.trees, o.ntrees) < 0 ||
	    check_run_all(&run) < 0)
		goto out;
	/* Commits read with --git are the upstream versions themselves. */
	report_build(&r, &series, &run,
		     o.nupstream ? &up
		     : o.in.git_repo && o.in.nargs ? &series : NULL);
	r.build = o.build_log ? &build : NULL;
	r.build_log = o.build_log;
	if (o.json)
		report_write_json(&r, stdout);
	else
		report_write_markdown(&r, stdout);
	report_release(&r);
	ret = EXIT_OK;
out:
	check_run_release(&run);
	patch_list_release(&series);
	patch_list_release(&up);
	input_release(&o.in);
	free(o.trees);
	free(o.upstream);
	buildlog_release(&build);
	return ret;
}
