/*
 * options.h - command-line options, declared as a table (git's
 * parse-options is the model).  A command lists its own options with the
 * OPT_* macros and names the shared ones it takes (--tree, --series,
 * --git, --format, --fuzz, --independent) with a mask; options_parse()
 * builds getopt_long's tables from both, stores every value, handles
 * --help and the usage error, and leaves the arguments in o->in.  The
 * shared options mean the same and fail the same in every command.
 *
 *	static const struct option_slot own[] = {
 *		OPT_STRING(OPT_BASE, "base", struct deps_opts, base),
 *		OPT_END
 *	};
 *
 *	options_init(&o->opt, "deps", OPTIONS_SERIES, FORMATS_TEXT_JSON,
 *		     FORMAT_TEXT);
 *	if (options_parse(&o->opt, argc, argv, own, o, deps_usage) < 0)
 *		return -1;
 *
 * An option's value c is also its short option when it is a letter; an
 * option without one uses a value from OPT_LONG_ONLY on.
 */
#ifndef BT_OPTIONS_H
#define BT_OPTIONS_H

#include <stddef.h>

#include "input/input.h"
#include "place/check.h"

/* The formats a command accepts, a bit per enum check_format. */
#define FORMAT_BIT(f)            (1u << (f))
#define FORMATS_TEXT_JSON        (FORMAT_BIT(FORMAT_TEXT) | FORMAT_BIT(FORMAT_JSON))
#define FORMATS_MARKDOWN_JSON    (FORMAT_BIT(FORMAT_MARKDOWN) | FORMAT_BIT(FORMAT_JSON))
#define FORMATS_ALL              (FORMATS_TEXT_JSON | FORMAT_BIT(FORMAT_MARKDOWN))

/* The shared options, a bit each. */
enum {
	OPTION_TREE = 1 << 0,        /* -t, --tree [NAME=]DIR, repeatable */
	OPTION_SERIES = 1 << 1,      /* -s, --series FILE */
	OPTION_GIT = 1 << 2,         /* --git REPO */
	OPTION_FORMAT = 1 << 3,      /* -f, --format FMT */
	OPTION_FUZZ = 1 << 4,        /* -F, --fuzz N */
	OPTION_INDEPENDENT = 1 << 5, /* -i, --independent */
};
#define OPTIONS_SERIES (OPTION_TREE | OPTION_SERIES | OPTION_GIT | OPTION_FORMAT)
#define OPTIONS_PLACE  (OPTIONS_SERIES | OPTION_FUZZ | OPTION_INDEPENDENT)

#define OPT_LONG_ONLY 256

enum option_kind { OPTION_END, OPTION_FLAG, OPTION_STRING, OPTION_LIST };

struct option_slot {
	enum option_kind kind;
	int c;            /* getopt's value; a letter is the short option */
	const char *name; /* the long option */
	size_t off;       /* offsetof() the field in the command's struct */
};

/* A repeatable string option: every value, in order. */
struct str_list {
	const char **v;
	size_t n, alloc;
};

#define OPT_FLAG(c, name, type, field)   { OPTION_FLAG, (c), (name), offsetof(type, field) }
#define OPT_STRING(c, name, type, field) { OPTION_STRING, (c), (name), offsetof(type, field) }
#define OPT_LIST(c, name, type, field)   { OPTION_LIST, (c), (name), offsetof(type, field) }
#define OPT_END                          { OPTION_END, 0, NULL, 0 }

struct cmd_options {
	const char *cmd;          /* the command, for messages */
	unsigned shared;          /* which shared options it takes (OPTION_*) */
	struct input in;          /* --series, --git, the arguments */
	const char **trees;       /* --tree specs, in order */
	size_t ntrees, alloc;
	enum check_format format; /* --format */
	unsigned formats;         /* what --format may name (FORMAT_BIT) */
	int fuzz;                 /* --fuzz, 2 unless set before parsing */
	int independent;          /* --independent */
};

void options_init(struct cmd_options *o, const char *cmd, unsigned shared,
		  unsigned formats, enum check_format def);

/*
 * Parse argv: own's options into cmd, the shared ones into o.  --help
 * prints usage and exits 0; an unknown option prints usage to stderr.
 * Then the arguments left go to o->in (not with --series).  0, or -1
 * after an error.
 */
int options_parse(struct cmd_options *o, int argc, char **argv,
		  const struct option_slot *own, void *cmd, const char *usage);

/* The --tree specs, "." when none was given; *n is set to their count. */
/*
 * For a getopt loop that set opterr = 0 and got '?' or ':' (c): one line,
 * "CMD: unknown option '-x'; see 'backport-tool CMD --help'" or "CMD:
 * option '--tree' needs an argument", and -1.
 */
int options_bad_option(const char *cmd, int c, char **argv);

/* A count option's value, 1 to 1000, into *out (arg NULL: untouched).
   0, or -1 after "OPT takes a number from 1 to 1000, not 'ARG'". */
int options_parse_count(const char *opt, const char *arg, size_t *out);

/* Every --build-submodule value is PATH=GITDIR: 0, or -1 naming the first
   that is not. */
int options_check_submodules(const struct str_list *subs);

const char *const *options_tree_specs(const struct cmd_options *o, size_t *n);

/*
 * Is every target spec a git: revision, whose tree reads blob ids?  A
 * command that writes no patch then reads commits' binary changes by
 * their ids, without their data (input.binary_ids, gitsrc_binary_ids): a
 * directory target would need the data.
 */
int options_targets_read_ids(const char *const *specs, size_t n);

/* Where to look for a series none was named: the first directory target. */
const char *options_series_dir(const struct cmd_options *o);

void options_release(struct cmd_options *o);

#endif
