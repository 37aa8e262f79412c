/*
 * check_build.c - "check --build" (see check_build.h).
 */
#include "analyse/check_build.h"

#include <stdlib.h>
#include <string.h>

#include "place/adapt.h"
#include "util.h"

/* What a "NAME=git:REV" or "[NAME=]DIR" spec names: REV or DIR. */
static const char *spec_where(const char *spec, int *is_git)
{
	const char *eq = strchr(spec, '=');
	const char *where = eq ? eq + 1 : spec;

	*is_git = !strncmp(where, "git:", 4);
	return *is_git ? where + 4 : where;
}

struct patch_result *check_build_column(const struct check_run *run, size_t t)
{
	size_t i, n = run->series->n;
	struct patch_result *res = xcalloc(n + 1, sizeof(*res));

	for (i = 0; i < n; i++)
		res[i] = *check_cell(run, i, t);
	return res;
}

const struct adaptation *compile_diag_adaptation(const struct compile_diag *d,
						 const struct patch_result *res)
{
	const struct patch_result *r;
	size_t f;

	if (!res || !d->patch || !d->hunk)
		return NULL;
	r = &res[d->patch - 1];
	for (f = 0; f < r->nfiles; f++) {
		const struct file_result *fr = &r->files[f];
		const struct hunk_result *hr;

		if (!fr->hunks || !fr->path || strcmp(fr->path, d->file) ||
		    d->hunk > fr->fd->nhunks)
			continue;
		hr = &fr->hunks[d->hunk - 1];
		return hr->verdict == V_ADAPTED ? hr->adapt : NULL;
	}
	return NULL;
}

int check_build_targets(const struct check_run *run, struct gitsrc *g,
			const char *const *specs, const struct compile_opts *o,
			struct compile_result **builds)
{
	size_t t;
	int rc = 0;

	*builds = xcalloc(run->ntargets + 1, sizeof(**builds));
	for (t = 0; t < run->ntargets && rc == 0; t++) {
		int is_git;
		const char *where = spec_where(specs[t], &is_git);
		struct patch_result *res;

		if (is_git && !g) {
			rc = error("check: --build on %s needs --git REPO", specs[t]);
			break;
		}
		res = check_build_column(run, t);
		rc = is_git ? compile_queue(o, g, where, run->targets[t].tree,
					    run->series, res, &(*builds)[t])
			    : compile_queue_dir(o, where, run->targets[t].tree,
						run->series, res, &(*builds)[t]);
		free(res);
	}
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
