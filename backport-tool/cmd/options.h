/*
 * options.h - the options the series commands share: --tree, --series,
 * --git, --format, and for the commands that place a series, --fuzz and
 * --independent.  Each command keeps its own getopt table (these entries
 * come from the macros below) and its usage text; the shared options are
 * read here, so that they mean the same and fail the same everywhere.
 *
 *	options_init(&o->opt, "deps", FORMATS_TEXT_JSON, FORMAT_TEXT);
 *	if (options_parse(&o->opt, argc, argv, "t:s:f:h", longopts,
 *			  deps_usage, deps_take, o) < 0)
 *		return -1;
 *
 * where deps_take() handles the options that are deps' own.
 */
#ifndef BT_OPTIONS_H
#define BT_OPTIONS_H

#include <getopt.h>

#include "input/input.h"
#include "place/check.h"

/* The formats a command accepts, a bit per enum check_format. */
#define FORMAT_BIT(f)            (1u << (f))
#define FORMATS_TEXT_JSON        (FORMAT_BIT(FORMAT_TEXT) | FORMAT_BIT(FORMAT_JSON))
#define FORMATS_MARKDOWN_JSON    (FORMAT_BIT(FORMAT_MARKDOWN) | FORMAT_BIT(FORMAT_JSON))
#define FORMATS_ALL              (FORMATS_TEXT_JSON | FORMAT_BIT(FORMAT_MARKDOWN))

/* getopt_long entries; short letters t s g f F i, and h for --help. */
#define OPTIONS_SERIES_LONGOPTS                              \
	{ "tree", required_argument, NULL, 't' },            \
	{ "series", required_argument, NULL, 's' },          \
	{ "git", required_argument, NULL, 'g' },             \
	{ "format", required_argument, NULL, 'f' },          \
	{ "help", no_argument, NULL, 'h' }
#define OPTIONS_PLACE_LONGOPTS                               \
	{ "independent", no_argument, NULL, 'i' },           \
	{ "fuzz", required_argument, NULL, 'F' }

struct cmd_options {
	const char *cmd;          /* the command, for messages */
	struct input in;          /* --series, --git, the arguments */
	const char **trees;       /* --tree specs, in order */
	size_t ntrees, alloc;
	enum check_format format; /* --format */
	unsigned formats;         /* what --format may name (FORMAT_BIT) */
	int fuzz;                 /* --fuzz, 2 unless given */
	int independent;          /* --independent */
};

void options_init(struct cmd_options *o, const char *cmd, unsigned formats,
		  enum check_format def);

/*
 * One option getopt returned: 1 when it was a shared one (taken), 0 when it
 * is the command's own, -1 after an error message.  'h' is not taken.
 */
int options_take(struct cmd_options *o, int c, const char *arg);

/* After getopt: the arguments left, and the checks every command makes. */
int options_finish(struct cmd_options *o, int argc, char **argv);

/*
 * A command's own options: 0 taken, -1 after an error message, 1 when c is
 * not one of them (a usage error).
 */
typedef int (*options_own_fn)(void *cmd, int c, const char *arg);

/*
 * The whole getopt loop: shared options here, the rest through own; --help
 * prints usage and exits 0, an unknown option prints it to stderr.  Ends
 * with options_finish().  0, or -1 after an error.
 */
int options_parse(struct cmd_options *o, int argc, char **argv,
		  const char *shortopts, const struct option *longopts,
		  const char *usage, options_own_fn own, void *cmd);

/* The --tree specs, "." when none was given; *n is set to their count. */
const char *const *options_tree_specs(const struct cmd_options *o, size_t *n);

/* Where to look for a series none was named: the first directory target. */
const char *options_series_dir(const struct cmd_options *o);

void options_release(struct cmd_options *o);

#endif
