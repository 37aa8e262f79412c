/*
 * cmd_check.c - "backport-tool check": how does a series land on each
 * target?  Reads the series once, places it on every --tree, prints the
 * verdict matrix, and exits 1 when any cell conflicts.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "commands.h"
#include "input.h"
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
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 nothing conflicts, 1 something conflicts, 2 usage or\n"
	"input error.\n";

struct check_opts {
	struct input in;
	const char **trees;
	size_t ntrees, alloc;
	enum check_format format;
	int verbose;
	int independent;
	int fuzz;
	int no_deps;
};

static int check_parse_options(int argc, char **argv, struct check_opts *o)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "series", required_argument, NULL, 's' },
		{ "git", required_argument, NULL, 'g' },
		{ "independent", no_argument, NULL, 'i' },
		{ "fuzz", required_argument, NULL, 'F' },
		{ "format", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-deps", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->fuzz = 2;
	while ((c = getopt_long(argc, argv, "t:s:iF:f:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			ALLOC_GROW(o->trees, o->ntrees + 1, o->alloc);
			o->trees[o->ntrees++] = optarg;
			break;
		case 's': o->in.series = optarg; break;
		case 'g': o->in.git_repo = optarg; break;
		case 'i': o->independent = 1; break;
		case 'F':
			if (input_parse_fuzz(optarg, &o->fuzz) < 0)
				return -1;
			break;
		case 'f':
			if (check_format_parse(optarg, &o->format) < 0)
				return -1;
			break;
		case 'v': o->verbose = 1; break;
		case 'D': o->no_deps = 1; break;
		case 'h': fputs(check_usage, stdout); exit(EXIT_OK);
		default:
			fputs(check_usage, stderr);
			return -1;
		}
	}
	if (o->in.series && optind < argc)
		return error("check: give patch files or --series, not both");
	o->in.args = argv + optind;
	o->in.nargs = (size_t)(argc - optind);
	return 0;
}

/* The --tree specs in target order (the default target when none). */
static const char *const *first_specs(const struct check_opts *o)
{
	static const char *const dot[] = { "." };
	return o->ntrees ? o->trees : dot;
}

/* The directory in which to look for a series when none is named. */
static const char *first_dir(const struct check_opts *o)
{
	const char *spec, *eq;

	if (!o->ntrees)
		return ".";
	spec = o->trees[0];
	eq = strchr(spec, '=');
	spec = eq ? eq + 1 : spec;
	return strncmp(spec, "git:", 4) ? spec : ".";
}

int cmd_check(int argc, char **argv)
{
	struct check_opts o = { 0 };
	struct patch_list series = { 0 };
	struct check_run run;
	int ret = EXIT_USAGE;

	if (check_parse_options(argc, argv, &o) < 0)
		goto out_opts;
	if (input_read_series(&o.in, first_dir(&o), &series) < 0)
		goto out_series;
	check_run_init(&run, &series);
	run.state.independent = o.independent;
	run.state.max_fuzz = o.fuzz;
	input_setup_merge(&o.in, &run.state);
	if (check_run_open_targets(&run, &o.in, first_specs(&o),
				   o.ntrees ? o.ntrees : 1) < 0 ||
	    check_run_all(&run) < 0)
		goto out_run;
	if (o.in.git_repo && !o.no_deps &&
	    check_add_deps_notes(&run, &o.in, first_specs(&o)) < 0)
		goto out_run;
	if (o.format == FORMAT_JSON)
		check_print_json(&run, stdout);
	else if (o.format == FORMAT_MARKDOWN)
		check_print_markdown(&run, stdout);
	else
		check_print_text(&run, stdout, o.verbose);
	ret = run.conflicts ? EXIT_CONFLICT : EXIT_OK;
out_run:
	check_run_release(&run);
out_series:
	patch_list_release(&series);
out_opts:
	input_release(&o.in);
	free(o.trees);
	return ret;
}
