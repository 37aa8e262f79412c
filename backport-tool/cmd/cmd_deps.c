/*
 * cmd_deps.c - "backport-tool deps": what does a series use that a target
 * lacks, and which upstream commits would bring it?
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/deps.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "input/gitsrc.h"
#include "input/input.h"
#include "util.h"

static const char deps_usage[] =
	"usage: " PROGRAM_NAME " deps [options] [PATCH... | --series FILE]\n"
	"       " PROGRAM_NAME " deps --git REPO [options] COMMIT|A..B|@FILE...\n"
	"\n"
	"For each patch and target: the identifiers its added lines use that\n"
	"are defined neither in the target nor by an earlier patch of the series\n"
	"that applied (likely build failures), and for conflicting hunks the\n"
	"upstream commits that last changed the context the target lacks\n"
	"(candidate prerequisites).  With --git, only names upstream defines\n"
	"count, and each is traced to the upstream commit that introduced it;\n"
	"a prerequisite that starts to define a macro the target tests with\n"
	"#ifdef/#ifndef elsewhere brings the upstream fix of that code along.\n"
	"\n"
	"  -t, --tree [NAME=]DIR    a target (repeatable; default: .)\n"
	"      --tree NAME=git:REV  a revision of --git REPO as a target\n"
	"  -s, --series FILE        a quilt series file\n"
	"      --git REPO           upstream history (commits, targets, tracing)\n"
	"      --base REV           the upstream revision directory targets are\n"
	"                           based on (limits tracing and blame)\n"
	"  -f, --format FMT         text (default) or json\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 nothing missing, 1 something missing or conflicting,\n"
	"2 usage or input error.\n";

struct deps_opts {
	struct cmd_options opt; /* --tree, --series, --git, --format */
	const char *base;
};

static int deps_parse_options(int argc, char **argv, struct deps_opts *o)
{
	enum { OPT_BASE = OPT_LONG_ONLY };
	static const struct option_slot own[] = {
		OPT_STRING(OPT_BASE, "base", struct deps_opts, base),
		OPT_END
	};

	options_init(&o->opt, "deps", OPTIONS_SERIES, FORMATS_TEXT_JSON,
		     FORMAT_TEXT);
	if (options_parse(&o->opt, argc, argv, own, o, deps_usage) < 0)
		return -1;
	if (o->base && !o->opt.in.git_repo)
		return error("deps: --base needs --git REPO");
	return 0;
}

/* The upstream revision a --tree spec names ("NAME=git:REV"), or NULL. */
static const char *tree_rev(const char *spec)
{
	const char *eq = strchr(spec, '=');
	const char *where = eq ? eq + 1 : spec;

	return strncmp(where, "git:", 4) ? NULL : where + 4;
}

static int deps_open_targets(struct deps_opts *o, struct deps_run *run)
{
	size_t i, n;
	const char *const *specs = options_tree_specs(&o->opt, &n);

	for (i = 0; i < n; i++) {
		const char *rev = tree_rev(specs[i]);
		char *name;
		struct tree *t;

		if (input_open_tree(&o->opt.in, specs[i], &name, &t) < 0)
			return -1;
		deps_run_add_target(run, name, rev ? rev : o->base, t);
		free(name);
	}
	return 0;
}

int cmd_deps(int argc, char **argv)
{
	struct deps_opts o = { 0 };
	struct patch_list series = { 0 };
	struct deps_run run;
	int ret = EXIT_USAGE;

	if (deps_parse_options(argc, argv, &o) < 0)
		goto out_opts;
	if (input_read_series(&o.opt.in, ".", &series) < 0)
		goto out_series;
	if (o.opt.in.git_repo && !o.opt.in.git) {
		struct gitsrc *g;
		if (gitsrc_open(&g, o.opt.in.git_repo) < 0)
			goto out_series;
		o.opt.in.git = g;
	}
	deps_run_init(&run, &series, o.opt.in.git);
	run.base = o.base;
	if (deps_open_targets(&o, &run) < 0 || deps_run_all(&run) < 0)
		goto out_run;
	if (o.opt.format == FORMAT_JSON)
		deps_print_json(&run, stdout);
	else
		deps_print_text(&run, stdout);
	ret = run.missing || run.conflicts ? EXIT_CONFLICT : EXIT_OK;
out_run:
	deps_run_release(&run);
out_series:
	patch_list_release(&series);
out_opts:
	options_release(&o.opt);
	return ret;
}
