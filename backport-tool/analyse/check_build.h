/*
 * check_build.h - "check --build": compile the translation units a series
 * touches on each target as check left it (the patches that applied, in
 * order), with plan --build's cached, configured copy of the target
 * (compile.h), and give each error to the patch and hunk whose line it is.
 * The partial-apply case a reviewer fears: what a series as it is, with
 * some patches in conflict, does to the build.
 */
#ifndef BT_CHECK_BUILD_H
#define BT_CHECK_BUILD_H

#include "analyse/compile.h"
#include "place/check.h"

/*
 * Build every target of run (each a "NAME=git:REV" spec, g its history,
 * or a "[NAME=]DIR" one, in target order) into builds[t] (run->ntargets
 * of them, allocated).
 * 0, or -1 after an input error; a failed build is a result, not -1.
 */
int check_build_targets(const struct check_run *run, struct gitsrc *g,
			const char *const *specs, const struct compile_opts *o,
			struct compile_result **builds);

/* Target t's column of the matrix, in series order: shallow copies the
   run owns what they point to; free() the array only. */
struct patch_result *check_build_column(const struct check_run *run, size_t t);

/* The adaptation of the hunk that owns d, res being the queue's results
   in queue order (NULL: none known), or NULL when it was not adapted
   (check --build and plan --build alike). */
struct adaptation;
const struct adaptation *compile_diag_adaptation(const struct compile_diag *d,
						 const struct patch_result *res);

/* 1 when every target built and every unit compiled. */
int check_builds_ok(const struct check_run *run,
		    const struct compile_result *builds);

void check_builds_release(const struct check_run *run,
			  struct compile_result *builds);

#endif
