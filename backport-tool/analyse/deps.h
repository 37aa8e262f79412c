/*
 * deps.h - what prerequisite is a series missing on a target?
 *
 * Two questions, answered per patch and per target:
 *
 *   - missing identifiers: names the patch's added lines use that are
 *     defined neither in the target nor by an earlier patch of the series
 *     that applied ("likely build failure").  A member ("p->user") is
 *     looked for in the struct its expression names (deps_members.c),
 *     and a parameter or local counts only in its own function.  With --git, only names the
 *     upstream tree defines count (so library and generated names drop
 *     out), and each is traced to the upstream commit that introduced it:
 *     the oldest commit of the range target..series whose change to the
 *     defining file adds the definition (git log -S, restricted to one
 *     path and to definitions).
 *   - candidate prerequisites: for a patch that conflicts, the upstream
 *     commits that last changed the context lines the target lacks in its
 *     conflicting hunks and in those that needed fuzz or a 3-way merge
 *     (blame-style on the upstream pre-image, restricted to the range);
 *     and companions: for a prerequisite that starts to define a macro
 *     the target tests with #if elsewhere, the upstream fix of that code.
 */
#ifndef BT_DEPS_H
#define BT_DEPS_H

#include <stddef.h>
#include <stdio.h>

#include "input/patch.h"
#include "place/place.h"
#include "analyse/symindex.h"
#include "tree/tree.h"
#include "util.h"

struct gitsrc;
struct guard_index;

struct deps_missing {
	char *name;
	const char *path;       /* where the patch uses it (new file) */
	long line, patch_line;
	int high;               /* 1: upstream defines it; 0: unknown name */
	char *def_file;         /* upstream definition, or NULL */
	long def_line;
	enum sym_kind kind;
	size_t series_patch;    /* 1-based patch of the series defining it, 0 */
	char introduced[41];    /* upstream commit introducing it, or "" */
	char *introduced_subject;
	char *member_of;        /* a member the struct its expression names
				   lacks: that struct's tag ("@N": anonymous) */
	char *struct_file;      /* where the target defines that struct */
	long struct_line;
	char *key;              /* what the history is searched for: the
				   name, or "struct TAG.MEMBER" */
};

struct deps_prereq {
	char commit[41];
	char *subject;
	long time;              /* committer time, for upstream order */
	size_t lines;           /* missing context lines it last changed */
	char *files;            /* "a.h, b.h" */
	char needed_by[41];     /* a companion: the prerequisite that needs it */
	char *guard;            /* the macro whose guard it changed */
};

struct deps_result {
	const struct patch *patch;
	enum verdict verdict;
	size_t conflict_hunks;
	struct deps_missing *missing;
	size_t nmissing, alloc_missing;
	struct deps_prereq *prereqs;
	size_t nprereqs, alloc_prereqs;
};

struct deps_target {
	char *name;
	char *rev;              /* git:REV targets (or --base), else NULL */
	struct tree *tree;
	struct deps_result *results; /* one per patch */
	struct guard_index *guards;  /* #if tests of the target, built on need */
};

struct deps_run {
	const struct patch_list *series;
	struct gitsrc *g;       /* NULL without --git */
	const char *base;       /* --base REV for directory targets */
	struct deps_target *targets;
	size_t ntargets, alloc;
	struct symindex *upstream; /* with --git: the series' files upstream */
	char **paths;           /* their include closure (relative paths) */
	size_t npaths;
	char newest[41];        /* the newest commit of the series */
	size_t missing, conflicts;
	int strict;             /* place as dpkg-source does (fuzz 0, no 3-way
				   merge), so every inexact hunk is blamed */
	int no_names;           /* prerequisites only: skip missing names */
};

void deps_run_init(struct deps_run *run, const struct patch_list *series,
		   struct gitsrc *g);
/* Takes ownership of t; rev names its upstream revision or is NULL. */
void deps_run_add_target(struct deps_run *run, const char *name,
			 const char *rev, struct tree *t);
int deps_run_all(struct deps_run *run);
void deps_run_release(struct deps_run *run);

/* A target's #if index (deps_target.guards), for callers that keep it. */
void deps_guard_index_free(struct guard_index *gi);

void deps_print_text(const struct deps_run *run, FILE *f);

/*
 * One short note for a cell of check's table: "needs 9904adfaca,
 * dc6f8d458a; 3 missing (VFIO_CCW_CRW_IRQ_INDEX...)", or "" when nothing
 * is missing.  Appends to out.
 */
void deps_note(const struct deps_result *r, struct strbuf *out);
void deps_print_json(const struct deps_run *run, FILE *f);

/*
 * The include closure of paths in t: the files themselves and every
 * header they include (quoted or <>, searched in the includer's directory,
 * include/, linux-headers/ and the top), at most max files.  Appends
 * relative paths to *out (malloc'ed).  Files t lacks are skipped.
 */
void deps_include_closure(struct tree *t, const char *const *paths, size_t n,
			  size_t max, char ***out, size_t *nout);

/*
 * The commit in hide..from (merges skipped) whose change to path makes it
 * define name: the newest such commit, found walking back from from, so
 * the walk stops early (it is the introduction unless the name was
 * removed and added again).  Writes the id to out[41] and returns 0; 1
 * when none does; -1 on error.
 */
int deps_find_introducer(struct gitsrc *g, const char *hide, const char *from,
			 const char *path, const char *name, char *out);

struct check_run;
struct input;

/*
 * check --git: what each cell of the verdict matrix misses ("needs
 * dc6f8d458a; 3 missing (VFIO_CCW_CRW_IRQ_INDEX...)"), as the notes the
 * emitters print (check.h's check_note).  specs are the --tree specs in
 * target order.  A git:REV target's history ends at REV (a commit it
 * contains is never a prerequisite); base (check --base, or NULL) is
 * where directory targets' history ends.  0 or -1.
 */
int deps_note_check_run(struct check_run *run, struct input *in,
			const char *const *specs, const char *base);

#endif
