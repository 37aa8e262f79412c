/*
 * check.c - run a series over every target and keep the verdict matrix.
 *
 * Cumulative mode (the default) asks "does this series land here?": each
 * patch sees the ones before it, and a conflicting patch is left out so
 * that the rest are still judged.  Independent mode asks "which of these
 * fixes apply here?": every patch is placed alone on the untouched target.
 */
#include "place/check.h"

#include "input/input.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void check_run_init(struct check_run *run, const struct patch_list *series)
{
	memset(run, 0, sizeof(*run));
	apply_state_init(&run->state);
	run->state.max_fuzz = 2;
	run->series = series;
}

void check_run_add_target(struct check_run *run, const char *name,
			  struct tree *tree)
{
	ALLOC_GROW(run->targets, run->ntargets + 1, run->alloc);
	run->targets[run->ntargets].name = xstrdup(name);
	run->targets[run->ntargets].tree = tree;
	run->ntargets++;
}

static void progress(size_t done, size_t total, const struct check_run *run)
{
	if (!isatty(2))
		return;
	if (run->ntargets == 1)
		fprintf(stderr, "\r" PROGRAM_NAME ": %s: %zu/%zu patches",
			run->targets[0].name, done, total);
	else
		fprintf(stderr, "\r" PROGRAM_NAME ": %zu targets: %zu/%zu patches",
			run->ntargets, done, total);
	if (done == total)
		fputs("\r\033[K", stderr);
}

int check_run_open_targets(struct check_run *run, struct input *in,
			   const char *const *specs, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		char *name;
		struct tree *t;

		if (input_open_tree(in, specs[i], &name, &t) < 0)
			return -1;
		for (j = 0; j < run->ntargets; j++)
			if (!strcmp(run->targets[j].name, name)) {
				error("--tree %s: the name '%s' is given twice",
				      specs[i], name);
				free(name);
				tree_free(t);
				return -1;
			}
		check_run_add_target(run, name, t);
		free(name);
	}
	return 0;
}

/*
 * Each patch on every target before the next patch: what judging a commit
 * works out for one target (its changes, the blobs a merge reads, the
 * caches under them) is still at hand for the next, not a release later
 * (4% of judging 1,000 commits on three targets).  The cells are the same
 * in either order: each target's tree sees its own patches in turn.
 */
int check_run_all(struct check_run *run)
{
	size_t n = run->series->n, i, t;

	run->results = xcalloc(n * run->ntargets + 1,
			       sizeof(*run->results));
	for (i = 0; i < n; i++) {
		for (t = 0; t < run->ntargets; t++) {
			struct patch_result *r = check_cell(run, i, t);

			if (apply_patch(&run->state, run->targets[t].tree,
					&run->series->v[i], r) < 0)
				return -1;
			if (r->verdict == V_CONFLICT)
				run->conflicts++;
		}
		progress(i + 1, n, run);
	}
	return 0;
}

void check_run_release(struct check_run *run)
{
	size_t i, cells = run->series ? run->series->n * run->ntargets : 0;

	if (run->results)
		for (i = 0; i < cells; i++)
			patch_result_release(&run->results[i]);
	free(run->results);
	for (i = 0; run->notes && i < cells; i++)
		free(run->notes[i]);
	free(run->notes);
	for (i = 0; i < run->ntargets; i++) {
		free(run->targets[i].name);
		tree_free(run->targets[i].tree);
	}
	free(run->targets);
	memset(run, 0, sizeof(*run));
}

const char *check_patch_label(const struct patch *p)
{
	const char *s = p->name;

	while (s[0] == '.' && s[1] == '/')
		s += 2;
	return s;
}
