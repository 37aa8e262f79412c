/*
 * check_build.c - "check --build" (see check_build.h).
 */
#include "analyse/check_build.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* What a "NAME=git:REV" or "[NAME=]DIR" spec names: REV or DIR. */
static const char *spec_where(const char *spec, int *is_git)
{
	const char *eq = strchr(spec, '=');
	const char *where = eq ? eq + 1 : spec;

	*is_git = !strncmp(where, "git:", 4);
	return *is_git ? where + 4 : where;
}

int check_build_targets(const struct check_run *run, struct gitsrc *g,
			const char *const *specs, const struct compile_opts *o,
			struct compile_result **builds)
{
	size_t n = run->series->n, t, i;
	struct patch_result *res = xcalloc(n + 1, sizeof(*res));
	int rc = 0;

	*builds = xcalloc(run->ntargets + 1, sizeof(**builds));
	for (t = 0; t < run->ntargets && rc == 0; t++) {
		int is_git;
		const char *where = spec_where(specs[t], &is_git);

		if (is_git && !g) {
			rc = error("check: --build on %s needs --git REPO", specs[t]);
			break;
		}
		/* this target's column of the matrix, in series order */
		for (i = 0; i < n; i++)
			res[i] = *check_cell(run, i, t);
		rc = is_git ? compile_queue(o, g, where, run->targets[t].tree,
					    run->series, res, &(*builds)[t])
			    : compile_queue_dir(o, where, run->targets[t].tree,
						run->series, res, &(*builds)[t]);
	}
	free(res); /* shallow copies: the run owns what they point to */
	return rc;
}

int check_builds_ok(const struct check_run *run,
		    const struct compile_result *builds)
{
	size_t t;

	for (t = 0; t < run->ntargets; t++)
		if (!compile_result_ok(&builds[t]))
			return 0;
	return 1;
}

void check_builds_release(const struct check_run *run,
			  struct compile_result *builds)
{
	size_t t;

	if (!builds)
		return;
	for (t = 0; t < run->ntargets; t++)
		compile_result_release(&builds[t]);
	free(builds);
}
