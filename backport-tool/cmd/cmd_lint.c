/*
 * cmd_lint.c - "backport-tool lint": the SRU risk findings of each patch of
 * a series, one line each (FILE:LINE: severity: kind: message [tag]) after
 * a "# rules: SETS (why)" line, or as JSON.  The exit status follows check's: 1 when an error-level finding
 * was printed (a WIP subject, a capability forced on), so that a CI gate
 * can use it; warnings fail it only with --strict.
 */

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/lint.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "input/input.h"
#include "util.h"

static const char lint_usage[] =
	"usage: " PROGRAM_NAME " lint [options] [PATCH... | --series FILE]\n"
	"       " PROGRAM_NAME " lint --git REPO [options] COMMIT|A..B|@FILE...\n"
	"\n"
	"Report what in each patch needs a reviewer's eye before an upload.\n"
	"The generic rules always run: build-system changes (new sources,\n"
	"configure checks, dependencies), public headers and symbols files,\n"
	"tests- or docs-only patches, the binary packages a patch reaches\n"
	"(with --tree and its debian/control), debug or work-in-progress code.\n"
	"The qemu rules (VMState, machine types, linux-headers, QAPI, the\n"
	"architecture scope) run when the target looks like QEMU.\n"
	"\n"
	"  -s, --series FILE   a quilt series file (or its directory)\n"
	"      --git REPO      read commits from this repository\n"
	"  -t, --tree DIR      the target: QEMU or not, its debian/control\n"
	"      --rules SET     auto (default), generic, or qemu (generic and qemu)\n"
	"  -f, --format FMT    text (default) or json\n"
	"      --strict        exit 1 on warnings too, not only on errors\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 no error-level finding, 1 an error was found (with\n"
	"--strict: a warning or an error), 2 usage or input error.\n";

struct lint_opts {
	struct cmd_options opt; /* --series, --git, --format */
	int strict;
	const char *rules;      /* --rules */
	const char *tree;       /* --tree */
};

static int lint_parse_options(int argc, char **argv, struct lint_opts *o)
{
	enum { OPT_STRICT = OPT_LONG_ONLY, OPT_RULES };
	static const struct option_slot own[] = {
		OPT_FLAG(OPT_STRICT, "strict", struct lint_opts, strict),
		OPT_STRING(OPT_RULES, "rules", struct lint_opts, rules),
		OPT_STRING('t', "tree", struct lint_opts, tree),
		OPT_END
	};

	options_init(&o->opt, "lint", OPTION_SERIES | OPTION_GIT | OPTION_FORMAT,
		     FORMATS_TEXT_JSON, FORMAT_TEXT);
	return options_parse(&o->opt, argc, argv, own, o, lint_usage);
}

/* A JSON string, or null when absent or not UTF-8. */
static json_t *json_or_null(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;

	return j ? j : json_null();
}

static void lint_print_json(const struct patch_list *series,
			    const struct lint_config *cfg,
			    const struct lint_result *r, const size_t *first)
{
	json_t *root = json_object(), *patches = json_array(),
	       *sum = json_object();
	json_int_t count[LINT_ERROR + 1] = { 0 };
	size_t i;
	int s;

	for (i = 0; i < series->n; i++) {
		const struct patch *p = &series->v[i];
		json_t *po = json_object();

		json_object_set_new(po, "name", json_or_null(p->name));
		json_object_set_new(po, "subject", json_or_null(p->meta.subject));
		json_object_set_new(po, "findings",
				    lint_findings_json(r, first[i],
						       first[i + 1] - first[i]));
		json_array_append_new(patches, po);
	}
	for (i = 0; i < r->n; i++)
		count[r->v[i].severity]++;
	for (s = LINT_INFO; s <= LINT_ERROR; s++)
		json_object_set_new(sum, lint_severity_name(s),
				    json_integer(count[s]));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "rules", lint_config_json(cfg));
	json_object_set_new(root, "patches", patches);
	json_object_set_new(root, "summary", sum);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
}

int cmd_lint(int argc, char **argv)
{
	struct lint_opts o = { 0 };
	struct patch_list series = { 0 };
	struct lint_result r = { 0 };
	struct lint_config cfg = { 0 };
	struct strbuf sb = STRBUF_INIT;
	size_t *first = NULL, i;
	int ret = EXIT_USAGE;

	if (lint_parse_options(argc, argv, &o) < 0 ||
	    input_read_series(&o.opt.in, o.tree ? o.tree : ".", &series) < 0 ||
	    lint_config_init(&cfg, o.rules, o.tree, series.v, series.n) < 0)
		goto out;
	first = xcalloc(series.n + 1, sizeof(*first));
	for (i = 0; i < series.n; i++) {
		first[i] = r.n;
		lint_patch_with(&series.v[i], &cfg, &r);
	}
	first[series.n] = r.n;
	if (o.opt.format == FORMAT_JSON) {
		lint_print_json(&series, &cfg, &r, first);
	} else {
		sb_addstr(&sb, "# rules: ");
		lint_config_names(&cfg, &sb);
		sb_addf(&sb, " (%s)\n", cfg.why);
		for (i = 0; i < r.n; i++)
			lint_finding_format(&r.v[i], &sb);
		fputs(sb.buf ? sb.buf : "", stdout);
	}
	ret = lint_result_worst(&r) >= (o.strict ? LINT_WARNING : LINT_ERROR)
		      ? EXIT_CONFLICT : EXIT_OK;
out:
	sb_release(&sb);
	free(first);
	lint_result_release(&r);
	lint_config_release(&cfg);
	patch_list_release(&series);
	options_release(&o.opt);
	return ret;
}
