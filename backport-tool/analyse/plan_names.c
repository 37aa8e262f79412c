/*
 * plan_names.c - plan's first candidates: the upstream commits that
 * introduce the names the series uses and the target lacks.
 *
 * deps finds them once per target for the series (the costly search: the
 * upstream index and a history walk per name), never per round.  Each
 * introducer joins the chain before the first round, so a patch that
 * applies once they are queued needs no chain built from context
 * history; and the minimality pass keeps them even when the queue applies
 * without them, since a patch of the series would not compile.
 */
#include "analyse/plan_int.h"

#include <stdlib.h>
#include <string.h>

#include "analyse/deps.h"
#include "input/gitsrc.h"
#include "place/check.h"

/* c is needed because patch by uses name, which it introduces in file. */
static void add_name_need(struct plan_commit *c, const char *by,
			  const char *name, const char *file)
{
	size_t i;

	for (i = 0; i < c->nneeds; i++)
		if (c->needs[i].name && !strcmp(c->needs[i].name, name) &&
		    !strcmp(c->needs[i].by, by))
			return;
	plan_commit_add_need(c, by, NULL, file, 0);
	c->needs[c->nneeds - 1].name = xstrdup(name);
}

/* The introducers deps traced for the series' missing names, into cand. */
static void names_collect(struct plan_run *run, const struct deps_run *d,
			  struct plan_list *cand)
{
	size_t i, k;

	for (i = 0; i < run->series->n; i++) {
		const struct deps_result *r = &d->targets[0].results[i];
		const char *by = check_patch_label(&run->series->v[i]);

		for (k = 0; k < r->nmissing; k++) {
			const struct deps_missing *m = &r->missing[k];
			struct plan_commit *c;

			if (!m->high || m->series_patch || !m->introduced[0] ||
			    plan_series_has(run->series, m->introduced))
				continue;
			c = plan_list_find(cand, m->introduced);
			if (!c) {
				c = plan_list_add(cand, m->introduced,
						  m->introduced_subject);
				c->depth = 1;
			}
			add_name_need(c, by, m->key ? m->key : m->name,
				      m->def_file);
		}
	}
}

/*
 * Leave out the introducers the target already carries (debian/patches),
 * into pt->skipped.  Never the trivial-commit rule of plan_filter.c: a
 * rename can look like a spelling fix and still be what a fix calls.
 */
static int names_not_carried(struct plan_run *run, struct plan_target *pt,
			     struct plan_list *cand)
{
	struct patch_list pl = { 0 };
	const char **ids;
	size_t i, j;

	if (!run->carried || !run->carried->n || !cand->n)
		return 0;
	ids = xcalloc(cand->n + 1, sizeof(*ids));
	for (i = 0; i < cand->n; i++)
		ids[i] = cand->v[i].commit;
	if (gitsrc_read_commits_in(run->in->git, &pl, ids, cand->n) < 0) {
		free(ids);
		return -1;
	}
	for (i = cand->n; i-- > 0;) {
		const struct patch *p = NULL;
		const char *how = NULL, *by;
		struct strbuf sb = STRBUF_INIT;

		for (j = 0; j < pl.n; j++)
			if (pl.v[j].meta.commit &&
			    !strcmp(pl.v[j].meta.commit, cand->v[i].commit))
				p = &pl.v[j];
		by = plan_carried_by(run->carried, cand->v[i].commit, p, &how);
		if (!by || plan_list_find(&pt->skipped, cand->v[i].commit))
			continue;
		sb_init(&sb);
		sb_addf(&sb, "already carried by debian/patches/%s (%s): "
			"not carried again", by, how);
		cand->v[i].note = sb_detach(&sb, NULL);
		plan_list_move(cand, i, &pt->skipped);
	}
	patch_list_release(&pl);
	free(ids);
	return 0;
}

/* More introducers than --max-commits: the plan stops before any round. */
static int names_too_many(struct plan_run *run, struct plan_target *pt,
			  struct plan_list *cand)
{
	struct strbuf sb = STRBUF_INIT;

	if (cand->n <= run->opts.max_commits)
		return 0;
	pt->status = PLAN_SIZE_LIMIT;
	sb_init(&sb);
	sb_addf(&sb, "--max-commits %zu reached: the series uses names that "
		"%zu upstream commits introduce", run->opts.max_commits, cand->n);
	pt->message = sb_detach(&sb, NULL);
	pt->pending = *cand;
	memset(cand, 0, sizeof(*cand));
	return 1;
}

const struct deps_run *plan_names_deps(struct plan_run *run,
				       struct plan_target *pt,
				       const char *spec)
{
	const char *eq = strchr(spec, '=');
	const char *where = eq ? eq + 1 : spec;
	struct deps_run *d;
	struct tree *t;
	char *name = NULL;
	int rc = -1;

	if (pt->names)
		return pt->names;
	d = xcalloc(1, sizeof(*d));
	deps_run_init(d, run->series, run->in->git);
	d->strict = 1;
	d->base = run->opts.base;
	if (input_open_tree(run->in, spec, &name, &t) == 0) {
		deps_run_add_target(d, pt->name,
				    strncmp(where, "git:", 4) ? run->opts.base
							      : where + 4, t);
		d->targets[0].guards = pt->guards;
		rc = deps_run_all(d);
		pt->guards = d->targets[0].guards;
		d->targets[0].guards = NULL;
	}
	free(name);
	if (rc < 0) {
		deps_run_release(d);
		free(d);
		return NULL;
	}
	return pt->names = d;
}

void plan_names_release(struct plan_target *pt)
{
	if (!pt->names)
		return;
	deps_run_release(pt->names);
	free(pt->names);
	pt->names = NULL;
}

int plan_names_seed(struct plan_run *run, struct plan_target *pt,
		    const char *spec)
{
	const struct deps_run *d = plan_names_deps(run, pt, spec);
	struct plan_list cand = { 0 };
	size_t i;
	int rc;

	if (!d)
		return -1;
	names_collect(run, d, &cand);
	rc = names_not_carried(run, pt, &cand);
	if (rc == 0)
		rc = names_too_many(run, pt, &cand);
	for (i = cand.n; rc == 0 && i-- > 0;)
		plan_list_move(&cand, i, &pt->chain);
	plan_list_release(&cand);
	return rc;
}

int plan_names_needed(const struct plan_commit *c)
{
	size_t i;

	for (i = 0; i < c->nneeds; i++)
		if (c->needs[i].name)
			return 1;
	return 0;
}
