/*
 * check.h - a series against several targets: the verdict matrix.
 *
 * check_run places every patch of a series on every target (one column per
 * target) and keeps each patch_result, so that the emitters (text, markdown,
 * JSON, the report) only read verdicts and never re-run the analysis.
 */
#ifndef BT_CHECK_H
#define BT_CHECK_H

#include <stdio.h>

#include "place/apply.h"
#include "input/patch.h"
#include "tree/tree.h"

struct check_target {
	char *name;
	struct tree *tree;
};

struct check_run {
	struct apply_state state;
	const struct patch_list *series;
	struct check_target *targets;
	size_t ntargets, alloc;
	struct patch_result *results; /* series->n rows of ntargets, row-major */
	char **notes;                  /* like results: a prerequisite note from
					  deps (deps_note_check_run), or NULL */
	int conflicts;                 /* number of conflicting cells */
};

void check_run_init(struct check_run *run, const struct patch_list *series);
/* Adds a target; the run takes ownership of tree. */
void check_run_add_target(struct check_run *run, const char *name,
			  struct tree *tree);
/* Open "[NAME=]DIR" / "NAME=git:REV" specs as targets; a name given twice
   is an error.  0 or -1. */
struct input;
int check_run_open_targets(struct check_run *run, struct input *in,
			   const char *const *specs, size_t n);
/* Place the whole series on every target.  0, or -1 on input errors. */
int check_run_all(struct check_run *run);
void check_run_release(struct check_run *run);

static inline struct patch_result *
check_cell(const struct check_run *run, size_t patch, size_t target)
{
	return &run->results[patch * run->ntargets + target];
}

static inline const char *check_note(const struct check_run *run,
				     size_t patch, size_t target)
{
	return run->notes ? run->notes[patch * run->ntargets + target] : NULL;
}

enum check_format { FORMAT_TEXT, FORMAT_MARKDOWN, FORMAT_JSON };

int check_format_parse(const char *s, enum check_format *out);
void check_print_text(const struct check_run *run, FILE *f, int verbose);
void check_print_markdown(const struct check_run *run, FILE *f);
void check_print_json(const struct check_run *run, FILE *f);
struct compile_result;
void check_print_json_built(const struct check_run *run,
			    const struct compile_result *builds, FILE *f);
void check_print_json_trimmed(const struct check_run *full,
			      const struct check_run *trimmed,
			      const char *headers_json, FILE *f);

/* A cell's verdict name: verdict_name(), "empty" for an empty commit. */
const char *check_cell_name(const struct patch_result *r);

/* A patch's display name: as the user or the series named it. */
const char *check_patch_label(const struct patch *p);

#endif
