/*
 * input.h - what a command is asked to work on: the series (patch files, a
 * quilt series, standard input, or upstream commits) and the target trees
 * ("[NAME=]DIR", or "NAME=git:REV" with --git).  Shared by every command
 * that reads a series, so that all of them resolve names the same way.
 */
#ifndef BT_INPUT_H
#define BT_INPUT_H

#include "input/patch.h"
#include "tree/tree.h"

struct input {
	const char *series;   /* --series FILE|DIR, or NULL */
	const char *git_repo; /* --git REPO, or NULL */
	char **args;          /* positional: patch files, or commit specs with --git */
	size_t nargs;
	void *git;            /* the opened repository (gitsrc), when git_repo */
	int binary_ids;       /* commits' binary changes by blob ids, for
				 judging on git: targets (gitsrc_binary_ids) */
};

/*
 * Read the series.  Without --series and arguments, the series is found
 * like quilt does ($QUILT_SERIES, series, $QUILT_PATCHES/series,
 * patches/series) and then debian/patches/series, below tree_dir; failing
 * that, standard input when it is not a terminal.
 */
int input_read_series(struct input *in, const char *tree_dir,
		      struct patch_list *out);

/* Open "[NAME=]DIR" or "NAME=git:REV"; *name is malloc'ed. */
int input_open_tree(struct input *in, const char *spec, char **name,
		    struct tree **out);

/* Open --git REPO once (in->git); 0, or -1 after an error message. */
int input_open_git(struct input *in);

void input_release(struct input *in);

/* --fuzz N: GNU patch's -F, 0 to 2.  0, or -1 after an error. */
int input_parse_fuzz(const char *arg, int *out);

#endif
