/*
 * distance.h - how far a series is from each of several candidate bases,
 * and which base to pick.
 *
 * "Which release should carry this?": the series is placed on every base
 * at once (check.h's verdict matrix, one column per base) and planned on
 * each (plan.h: the upstream commits to carry so that it applies with
 * fuzz 0, verified), with plan_run's repository and caches shared by all
 * the bases.  The answer: the oldest base that takes the series with no
 * prerequisites, and the base(s) that carry the least.  Bases come as
 * check's targets ("NAME=git:REV", "[NAME=]DIR") or as every version tag
 * between two (distance_expand_tags), oldest first.
 */
#ifndef BT_DISTANCE_H
#define BT_DISTANCE_H

#include <stddef.h>
#include <stdio.h>

#include "analyse/plan.h"
#include "place/check.h"

struct distance_base {
	const char *name;       /* check's target name */
	size_t count[V_CONFLICT + 1]; /* verdicts of the series' patches */
	size_t empty;           /* empty commits (counted clean as well) */
	const struct plan_target *plan; /* its plan (in the plan run) */
	size_t commits;         /* the chain: commits to carry */
	long lines;             /* and their '+'/'-' lines */
	int takes;              /* verified, nothing to carry (and builds,
				   with --build) */
};

struct distance_run {
	const struct patch_list *series;
	struct check_run check;      /* the verdict matrix, a column a base */
	struct plan_run plan;        /* a plan a base */
	struct distance_base *bases; /* in the order given: oldest first */
	size_t nbases;
	int build;                   /* --build ran */
	size_t oldest;               /* first base that takes the series, or
					DISTANCE_NONE */
	size_t *least;               /* the bases with the smallest verified
					chain (commits, then lines); ties all */
	size_t nleast;
};

#define DISTANCE_NONE ((size_t)-1)

/*
 * Every tag of the repository between A and B ("A..B", both tags, both
 * included) in version order: "v4.2.0", "v5.0.0-rc1" < "v5.0.0"; tags with
 * another prefix or shape are not versions and are left out, and -rc tags
 * only with rc (A or B themselves are always kept).  Appends
 * "TAG=git:TAG" specs (malloc'ed) to *specs.  0, or -1 after an error.
 */
struct gitsrc;
int distance_expand_tags(struct gitsrc *g, const char *range, int rc,
			 char ***specs, size_t *n, size_t *alloc);

/* Compare two version tags as above; 0 when equal, -2 when either is not
   a version tag like the other. */
int distance_tag_cmp(const char *a, const char *b);

/*
 * Judge and plan the series on every base spec; in's --git is the
 * upstream history.  0, or -1 after an input error.
 */
int distance_run_all(struct distance_run *run, const struct patch_list *series,
		     struct input *in, const struct plan_opts *opts,
		     const char *const *specs, size_t n);
void distance_run_release(struct distance_run *run);

/* emit/distance_format.c */
void distance_print_text(const struct distance_run *run, FILE *f);
void distance_print_markdown(const struct distance_run *run, FILE *f);
void distance_print_json(const struct distance_run *run, FILE *f);

#endif
