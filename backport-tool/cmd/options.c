/*
 * options.c - command-line options declared as tables (see options.h).
 */
#include "cmd/options.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "util.h"

#define SHARED_GIT (OPT_LONG_ONLY + 1000) /* --git has no short option */

/* The shared options: which bit enables each, its value, its name. */
static const struct {
	unsigned bit;
	int c;
	const char *name;
	int has_arg;
} shared_options[] = {
	{ OPTION_TREE, 't', "tree", 1 },
	{ OPTION_SERIES, 's', "series", 1 },
	{ OPTION_GIT, SHARED_GIT, "git", 1 },
	{ OPTION_FORMAT, 'f', "format", 1 },
	{ OPTION_FUZZ, 'F', "fuzz", 1 },
	{ OPTION_INDEPENDENT, 'i', "independent", 0 },
};
#define NSHARED (sizeof(shared_options) / sizeof(*shared_options))

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text", [FORMAT_MARKDOWN] = "markdown",
	[FORMAT_JSON] = "json",
};
#define NFORMATS (sizeof(format_names) / sizeof(*format_names))

void options_init(struct cmd_options *o, const char *cmd, unsigned shared,
		  unsigned formats, enum check_format def)
{
	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	o->shared = shared;
	o->formats = formats;
	o->format = def;
	o->fuzz = 2;
}

/* getopt_long's two tables for this command. */
struct getopt_tables {
	struct option *longopts;
	struct strbuf shortopts;
};

static void tables_add(struct getopt_tables *t, size_t *n, int c,
		       const char *name, int has_arg)
{
	t->longopts[*n].name = name;
	t->longopts[*n].has_arg = has_arg ? required_argument : no_argument;
	t->longopts[*n].val = c;
	(*n)++;
	if (c < OPT_LONG_ONLY && isalnum(c)) {
		sb_addch(&t->shortopts, c);
		if (has_arg)
			sb_addch(&t->shortopts, ':');
	}
}

static void tables_make(struct getopt_tables *t, const struct cmd_options *o,
			const struct option_slot *own)
{
	size_t nown = 0, n = 0, i;

	while (own && own[nown].kind != OPTION_END)
		nown++;
	t->longopts = xcalloc(nown + NSHARED + 2, sizeof(*t->longopts));
	sb_init(&t->shortopts);
	sb_addch(&t->shortopts, ':'); /* a missing argument is ':', not '?' */
	for (i = 0; i < nown; i++)
		tables_add(t, &n, own[i].c, own[i].name,
			   own[i].kind != OPTION_FLAG);
	for (i = 0; i < NSHARED; i++)
		if (o->shared & shared_options[i].bit)
			tables_add(t, &n, shared_options[i].c,
				   shared_options[i].name,
				   shared_options[i].has_arg);
	tables_add(t, &n, 'h', "help", 0);
}

static void tables_release(struct getopt_tables *t)
{
	free(t->longopts);
	sb_release(&t->shortopts);
}

/* "text, json": the formats this command takes, for its message. */
static void format_list(unsigned formats, struct strbuf *out)
{
	size_t f;

	for (f = 0; f < NFORMATS; f++)
		if (formats & FORMAT_BIT(f))
			sb_addf(out, "%s%s", out->len ? ", " : "", format_names[f]);
}

static int options_parse_format(struct cmd_options *o, const char *arg)
{
	struct strbuf names = STRBUF_INIT;
	size_t f;

	for (f = 0; f < NFORMATS; f++)
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

/* A shared option getopt returned; 0 or -1 after an error. */
static int options_take_shared(struct cmd_options *o, int c, const char *arg)
{
	switch (c) {
	case 't':
		ALLOC_GROW(o->trees, o->ntrees + 1, o->alloc);
		o->trees[o->ntrees++] = arg;
		return 0;
	case 's': o->in.series = arg; return 0;
	case SHARED_GIT: o->in.git_repo = arg; return 0;
	case 'i': o->independent = 1; return 0;
	case 'F': return input_parse_fuzz(arg, &o->fuzz);
	case 'f': return options_parse_format(o, arg);
	}
	return 0;
}

/* The command's own option c (a slot of own) into cmd. */
static void options_take_own(const struct option_slot *slot, void *cmd,
			     const char *arg)
{
	char *field = (char *)cmd + slot->off;
	struct str_list *l;

	switch (slot->kind) {
	case OPTION_FLAG: *(int *)field = 1; break;
	case OPTION_STRING: *(const char **)field = arg; break;
	case OPTION_LIST:
		l = (struct str_list *)field;
		ALLOC_GROW(l->v, l->n + 1, l->alloc);
		l->v[l->n++] = arg;
		break;
	case OPTION_END: break;
	}
}

static const struct option_slot *slot_find(const struct option_slot *own,
					   int c)
{
	for (; own && own->kind != OPTION_END; own++)
		if (own->c == c)
			return own;
	return NULL;
}

int options_bad_option(const char *cmd, int c, char **argv)
{
	/*
	 * getopt leaves optind past a long option it refused, so that is
	 * argv[optind - 1]; a short one is optopt (its cluster may go on).
	 * optopt is 0 for an unknown long option, its value for a long one
	 * with a missing or an unwanted argument.
	 */
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	int is_long = !strncmp(arg, "--", 2) &&
		      (!optopt || c == ':' || strchr(arg, '='));
	char opt[3] = { '-', (char)optopt, '\0' };
	int len = is_long ? (int)strcspn(arg, "=") : 2;

	if (!is_long)
		arg = opt;
	if (c == ':')
		return error("%s: option '%.*s' needs an argument", cmd, len, arg);
	if (optopt && is_long)
		return error("%s: option '%.*s' takes no argument", cmd, len, arg);
	return error("%s: unknown option '%.*s'; see '" PROGRAM_NAME " %s --help'",
		     cmd, len, arg, cmd);
}

int options_parse(struct cmd_options *o, int argc, char **argv,
		  const struct option_slot *own, void *cmd, const char *usage)
{
	struct getopt_tables t;
	const struct option_slot *slot;
	int c, rc = 0;

	tables_make(&t, o, own);
	optind = 0; /* a fresh scan, also when called in-process */
	opterr = 0; /* options_bad_option says it, on one line */
	while (!rc && (c = getopt_long(argc, argv, t.shortopts.buf, t.longopts,
				       NULL)) != -1) {
		if (c == 'h') {
			tables_release(&t);
			fputs(usage, stdout);
			exit(EXIT_OK);
		}
		if (c == '?' || c == ':') {
			rc = options_bad_option(o->cmd, c, argv);
		} else if ((slot = slot_find(own, c))) {
			options_take_own(slot, cmd, optarg);
		} else {
			rc = options_take_shared(o, c, optarg);
		}
	}
	tables_release(&t);
	if (rc)
		return -1;
	if (o->in.series && optind < argc)
		return error("%s: give patch files or --series, not both", o->cmd);
	o->in.args = argv + optind;
	o->in.nargs = (size_t)(argc - optind);
	return 0;
}

int options_parse_count(const char *opt, const char *arg, size_t *out)
{
	char *end;
	unsigned long v;

	if (!arg)
		return 0;
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < 1 || v > 1000)
		return error("%s takes a number from 1 to 1000, not '%s'", opt, arg);
	*out = (size_t)v;
	return 0;
}

int options_check_submodules(const struct str_list *subs)
{
	size_t i;

	for (i = 0; i < subs->n; i++)
		if (!strchr(subs->v[i], '=') || subs->v[i][0] == '=')
			return error("--build-submodule takes PATH=GITDIR, not '%s'",
				     subs->v[i]);
	return 0;
}

const char *const *options_tree_specs(const struct cmd_options *o, size_t *n)
{
	static const char *const dot[] = { "." };

	*n = o->ntrees ? o->ntrees : 1;
	return o->ntrees ? o->trees : dot;
}

int options_targets_read_ids(const char *const *specs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *eq = strchr(specs[i], '=');

		if (!eq || strncmp(eq + 1, "git:", 4))
			return 0;
	}
	return n > 0;
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
