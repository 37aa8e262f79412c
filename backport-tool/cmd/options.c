/*
 * options.c - the options the series commands share (see options.h).
 */
#include "cmd/options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text", [FORMAT_MARKDOWN] = "markdown",
	[FORMAT_JSON] = "json",
};

void options_init(struct cmd_options *o, const char *cmd, unsigned formats,
		  enum check_format def)
{
	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	o->formats = formats;
	o->format = def;
	o->fuzz = 2;
}

/* "text, json": the formats this command takes, for its message. */
static void format_list(unsigned formats, struct strbuf *out)
{
	size_t f;

	for (f = 0; f < sizeof(format_names) / sizeof(*format_names); f++)
		if (formats & FORMAT_BIT(f))
			sb_addf(out, "%s%s", out->len ? ", " : "", format_names[f]);
}

static int options_parse_format(struct cmd_options *o, const char *arg)
{
	struct strbuf names = STRBUF_INIT;
	size_t f;

	for (f = 0; f < sizeof(format_names) / sizeof(*format_names); f++)
		if ((o->formats & FORMAT_BIT(f)) &&
		    (!strcmp(arg, format_names[f]) ||
		     (f == FORMAT_MARKDOWN && !strcmp(arg, "md")))) {
			o->format = (enum check_format)f;
			return 0;
		}
	format_list(o->formats, &names);
	error("%s: unknown format '%s' (%s)", o->cmd, arg, names.buf);
	sb_release(&names);
	return -1;
}

int options_take(struct cmd_options *o, int c, const char *arg)
{
	switch (c) {
	case 't':
		ALLOC_GROW(o->trees, o->ntrees + 1, o->alloc);
		o->trees[o->ntrees++] = arg;
		return 1;
	case 's': o->in.series = arg; return 1;
	case 'g': o->in.git_repo = arg; return 1;
	case 'i': o->independent = 1; return 1;
	case 'F': return input_parse_fuzz(arg, &o->fuzz) < 0 ? -1 : 1;
	case 'f': return options_parse_format(o, arg) < 0 ? -1 : 1;
	default: return 0;
	}
}

int options_finish(struct cmd_options *o, int argc, char **argv)
{
	if (o->in.series && optind < argc)
		return error("%s: give patch files or --series, not both", o->cmd);
	o->in.args = argv + optind;
	o->in.nargs = (size_t)(argc - optind);
	return 0;
}

int options_parse(struct cmd_options *o, int argc, char **argv,
		  const char *shortopts, const struct option *longopts,
		  const char *usage, options_own_fn own, void *cmd)
{
	int c, r;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			exit(EXIT_OK);
		}
		r = options_take(o, c, optarg);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		r = c == '?' ? 1 : own(cmd, c, optarg);
		if (r < 0)
			return -1;
		if (r > 0) {
			fputs(usage, stderr);
			return -1;
		}
	}
	return options_finish(o, argc, argv);
}

const char *const *options_tree_specs(const struct cmd_options *o, size_t *n)
{
	static const char *const dot[] = { "." };

	*n = o->ntrees ? o->ntrees : 1;
	return o->ntrees ? o->trees : dot;
}

const char *options_series_dir(const struct cmd_options *o)
{
	const char *spec, *eq;

	if (!o->ntrees)
		return ".";
	spec = o->trees[0];
	eq = strchr(spec, '=');
	spec = eq ? eq + 1 : spec;
	return strncmp(spec, "git:", 4) ? spec : ".";
}

void options_release(struct cmd_options *o)
{
	free(o->trees);
	o->trees = NULL;
	o->ntrees = o->alloc = 0;
	input_release(&o->in);
}
