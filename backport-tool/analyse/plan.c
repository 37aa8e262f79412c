/*
 * plan.c - the prerequisite closure of a series on a target, verified by
 * applying it (see plan.h for the method).
 *
 * Every round builds the queue afresh from commit ids (gitsrc puts them in
 * upstream order), places it on a fresh copy of the target as dpkg-source
 * would, and asks deps (in its strict mode) which commits last changed
 * the context each conflicting patch misses.  Nothing here writes.
 *
 * The chain and the queue it makes are plan_queue.c, what a chain leaves
 * out plan_filter.c; this file runs the rounds, the minimality pass, the
 * verification and the trimmed sync.
 */
#include "analyse/plan.h"
#include "analyse/plan_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyse/check_build.h"
#include "analyse/check_trim.h"
#include "analyse/deps.h"
#include "place/check.h"

const char *plan_status_name(enum plan_status s)
{
	switch (s) {
	case PLAN_OK: return "ok";
	case PLAN_STUCK: return "stuck";
	case PLAN_DEPTH_LIMIT: return "depth-limit";
	case PLAN_SIZE_LIMIT: return "size-limit";
	case PLAN_TIME_LIMIT: return "time-limit";
	}
	return "?";
}

void plan_run_init(struct plan_run *run, const struct patch_list *series,
		   struct input *in, const struct plan_opts *opts)
{
	memset(run, 0, sizeof(*run));
	run->series = series;
	run->in = in;
	if (opts)
		run->opts = *opts;
	if (!run->opts.max_depth)
		run->opts.max_depth = PLAN_MAX_DEPTH;
	if (!run->opts.max_commits)
		run->opts.max_commits = PLAN_MAX_COMMITS;
	if (run->opts.has_budget)
		run->deadline = plan_now() + run->opts.time_budget;
}

double plan_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int out_of_time(const struct plan_run *run)
{
	return run->opts.has_budget && plan_now() >= run->deadline;
}

/* ---- placing the queue ------------------------------------------- */

static int open_target(struct plan_run *run, const char *spec,
		       struct tree **t)
{
	char *name = NULL;
	int rc = input_open_tree(run->in, spec, &name, t);

	free(name);
	return rc;
}

static int patch_ok(enum verdict v)
{
	return v != V_CONFLICT;
}

/*
 * Place q on a fresh copy of the target as dpkg-source would: fuzz 0,
 * no 3-way merge, cumulatively.  res gets q->n results (release them with
 * results_release).  Returns the number of patches that do not apply,
 * or -1 on an input error.
 */
static long queue_place_keep(struct plan_run *run, const char *spec,
			     const struct patch_list *q,
			     struct patch_result **res, struct tree **keep)
{
	struct apply_state st;
	struct tree *t;
	size_t i;
	long bad = 0;

	*res = xcalloc(q->n + 1, sizeof(**res));
	if (open_target(run, spec, &t) < 0)
		return -1;
	apply_state_init(&st);
	st.max_fuzz = 0;
	for (i = 0; i < q->n; i++) {
		st.adapt = plan_adapt_allowed(run, &q->v[i]);
		if (apply_patch(&st, t, &q->v[i], &(*res)[i]) < 0) {
			bad = -1;
			break;
		}
		if (!patch_ok((*res)[i].verdict))
			bad++;
	}
	if (keep && bad >= 0)
		*keep = t;
	else
		tree_free(t);
	return bad;
}

static long queue_place(struct plan_run *run, const char *spec,
			const struct patch_list *q, struct patch_result **res)
{
	return queue_place_keep(run, spec, q, res, NULL);
}

static void results_release(struct patch_result *res, size_t n)
{
	size_t i;

	for (i = 0; res && i < n; i++)
		patch_result_release(&res[i]);
	free(res);
}

/* Does the comma-separated list "a.h, b.h" name path? */
static int files_list_has(const char *list, const char *path)
{
	size_t n = strlen(path);
	const char *p = list;

	while (p && *p) {
		const char *e = strstr(p, ", ");
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !memcmp(p, path, n))
			return 1;
		p = e ? e + 2 : NULL;
	}
	return 0;
}

/*
 * Which hunks of r the commit's files explain: "a.h hunks 2, 5; b.h
 * hunk 1" (the hunks that do not apply exactly), or r's first reason.
 */
static char *need_hunks(const struct patch_result *r, const char *files)
{
	struct strbuf sb = STRBUF_INIT, nums = STRBUF_INIT;
	size_t f, h;

	sb_init(&sb);
	sb_init(&nums);
	for (f = 0; f < r->nfiles; f++) {
		const struct file_result *fr = &r->files[f];
		size_t n = 0;

		if (!fr->path || !files_list_has(files, fr->path) ||
		    fr->verdict != V_CONFLICT)
			continue;
		sb_reset(&nums);
		for (h = 0; fr->hunks && h < fr->fd->nhunks; h++)
			if (fr->hunks[h].verdict == V_CONFLICT)
				sb_addf(&nums, "%s%zu", n++ ? ", " : "", h + 1);
		sb_addf(&sb, "%s%s", sb.len ? "; " : "", fr->path);
		if (n)
			sb_addf(&sb, " hunk%s %s", n > 1 ? "s" : "", nums.buf);
	}
	sb_release(&nums);
	if (!sb.len)
		patch_result_describe(r, &sb);
	return sb_detach(&sb, NULL);
}

/* The depth of the queue entry label: 0 for the series, else its own. */
static size_t depth_of(const struct plan_target *pt, const struct patch *p)
{
	const struct plan_commit *c =
		p->meta.commit ? plan_list_find(&pt->chain, p->meta.commit) : NULL;

	return c ? c->depth : 0;
}

/*
 * The commits deps names for the patches of q that conflict (res), not
 * yet in the chain or the series, into cand; companions into
 * pt->companions.  0 or -1.
 */
static int round_candidates(struct plan_run *run, struct plan_target *pt,
			    const char *spec, const struct patch_list *q,
			    const struct patch_result *res,
			    struct plan_list *cand)
{
	const char *eq = strchr(spec, '=');
	const char *where = eq ? eq + 1 : spec;
	struct deps_run d;
	struct tree *t;
	size_t i, k;
	int rc = -1, ran;

	deps_run_init(&d, q, run->in->git);
	d.strict = 1;
	d.no_names = 1;
	d.base = run->opts.base;
	if (open_target(run, spec, &t) < 0)
		goto out;
	deps_run_add_target(&d, pt->name,
			    strncmp(where, "git:", 4) ? run->opts.base
						      : where + 4, t);
	d.targets[0].guards = pt->guards; /* the same target every round */
	ran = deps_run_all(&d);
	pt->guards = d.targets[0].guards;
	d.targets[0].guards = NULL;
	if (ran < 0)
		goto out;
	for (i = 0; i < q->n; i++) {
		const struct deps_result *r = &d.targets[0].results[i];
		const char *by = check_patch_label(&q->v[i]);

		if (patch_ok(res[i].verdict))
			continue;
		for (k = 0; k < r->nprereqs; k++) {
			const struct deps_prereq *pre = &r->prereqs[k];
			struct plan_commit *c;

			if (plan_series_has(run->series, pre->commit) ||
			    plan_list_find(&pt->chain, pre->commit))
				continue;
			if (pre->needed_by[0]) {
				struct strbuf sb = STRBUF_INIT;

				if (plan_list_find(&pt->companions, pre->commit))
					continue;
				c = plan_list_add(&pt->companions, pre->commit,
						  pre->subject);
				sb_init(&sb);
				sb_addf(&sb, "%s tests %s, which %.10s starts "
					"to define", pre->files ? pre->files : "?",
					pre->guard ? pre->guard : "a macro",
					pre->needed_by);
				c->note = sb_detach(&sb, NULL);
				continue;
			}
			c = plan_list_find(cand, pre->commit);
			if (!c) {
				c = plan_list_add(cand, pre->commit, pre->subject);
				c->depth = depth_of(pt, &q->v[i]) + 1;
			}
			plan_commit_add_need(c, by, need_hunks(&res[i], pre->files),
					     pre->files, pre->lines);
		}
	}
	rc = 0;
out:
	deps_run_release(&d);
	return rc;
}

/* The first patch of q that does not apply, and why, in one line. */
static char *first_conflict(const struct patch_list *q,
			    const struct patch_result *res, const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	sb_init(&sb);
	for (i = 0; i < q->n; i++)
		if (!patch_ok(res[i].verdict)) {
			sb_addf(&sb, "%s %s: ", check_patch_label(&q->v[i]), what);
			patch_result_describe(&res[i], &sb);
			break;
		}
	return sb_detach(&sb, NULL);
}

/* Put the chain in the order of q (upstream order). */
static void chain_sort(struct plan_list *chain, const struct patch_list *q)
{
	size_t i, j, done = 0;

	for (i = 0; i < q->n; i++) {
		if (!q->v[i].meta.commit)
			continue;
		for (j = done; j < chain->n; j++)
			if (!strcmp(chain->v[j].commit, q->v[i].meta.commit)) {
				struct plan_commit tmp = chain->v[j];

				chain->v[j] = chain->v[done];
				chain->v[done++] = tmp;
				break;
			}
	}
}

/* Sizes and the sync flag of each chain commit, from q. */
static void chain_sizes(struct plan_list *chain, const struct patch_list *q)
{
	size_t i, j;

	for (i = 0; i < chain->n; i++)
		for (j = 0; j < q->n; j++)
			if (q->v[j].meta.commit &&
			    !strcmp(q->v[j].meta.commit, chain->v[i].commit)) {
				plan_patch_size(&q->v[j], &chain->v[i].files,
					   &chain->v[i].added,
					   &chain->v[i].removed);
				chain->v[i].sync = headers_is_sync(&q->v[j]);
			}
}

/* The closure rounds.  0 (pt->status says how it ended) or -1. */
int plan_close(struct plan_run *run, struct plan_target *pt,
	       const char *spec)
{
	for (;;) {
		struct plan_list cand = { 0 };
		struct patch_list q;
		struct patch_result *res = NULL;
		size_t i, deepest = 0, carried = 0;
		long bad;

		if (plan_queue_build(run, &pt->chain, NULL, &q) < 0)
			return -1;
		bad = queue_place(run, spec, &q, &res);
		if (bad < 0 ||
		    (bad > 0 && round_candidates(run, pt, spec, &q, res, &cand) < 0)) {
			results_release(res, q.n);
			patch_list_release(&q);
			plan_list_release(&cand);
			return -1;
		}
		pt->rounds++;
		if (bad > 0 && plan_filter_round(run, pt, &cand, &carried) < 0) {
			results_release(res, q.n);
			patch_list_release(&q);
			plan_list_release(&cand);
			return -1;
		}
		if (bad == 0) {
			pt->status = PLAN_OK;
		} else if (!cand.n) {
			pt->status = PLAN_STUCK;
			pt->message = first_conflict(&q, res, carried
				? "does not apply, and the upstream commits "
				  "that explain it are already carried by the "
				  "target"
				: "does not apply and no upstream commit of the "
				  "range explains it");
		} else if (out_of_time(run)) {
			struct strbuf sb = STRBUF_INIT;

			pt->status = PLAN_TIME_LIMIT;
			sb_init(&sb);
			sb_addf(&sb, "--time-budget %gs ran out after %zu round%s: "
				"the chain has %zu commit%s, %zu more named and "
				"not tried", run->opts.time_budget, pt->rounds,
				pt->rounds == 1 ? "" : "s", pt->chain.n,
				pt->chain.n == 1 ? "" : "s", cand.n);
			pt->message = sb_detach(&sb, NULL);
		} else {
			for (i = 0; i < cand.n; i++)
				if (cand.v[i].depth > deepest)
					deepest = cand.v[i].depth;
			if (deepest > run->opts.max_depth) {
				struct strbuf sb = STRBUF_INIT;

				pt->status = PLAN_DEPTH_LIMIT;
				sb_init(&sb);
				sb_addf(&sb, "--max-depth %zu reached: %zu more "
					"candidate%s needed, the deepest at depth %zu",
					run->opts.max_depth, cand.n,
					cand.n == 1 ? "" : "s", deepest);
				pt->message = sb_detach(&sb, NULL);
			} else if (pt->chain.n + cand.n > run->opts.max_commits) {
				struct strbuf sb = STRBUF_INIT;

				pt->status = PLAN_SIZE_LIMIT;
				sb_init(&sb);
				sb_addf(&sb, "--max-commits %zu reached: the chain "
					"has %zu and %zu more are needed",
					run->opts.max_commits, pt->chain.n,
					cand.n);
				pt->message = sb_detach(&sb, NULL);
			}
		}
		if (pt->status == PLAN_DEPTH_LIMIT || pt->status == PLAN_SIZE_LIMIT ||
		    pt->status == PLAN_TIME_LIMIT) {
			pt->pending = cand;
			memset(&cand, 0, sizeof(cand));
		}
		if (bad == 0 || pt->status != PLAN_OK) {
			chain_sort(&pt->chain, &q);
			chain_sizes(&pt->chain, &q);
			results_release(res, q.n);
			patch_list_release(&q);
			plan_list_release(&cand);
			return 0;
		}
		/* everything named joins the chain; next round */
		for (i = cand.n; i-- > 0;)
			plan_list_move(&cand, i, &pt->chain);
		plan_list_release(&cand);
		results_release(res, q.n);
		patch_list_release(&q);
	}
}

/*
 * Minimality: drop every chain commit without which the queue still
 * applies, newest first, until a whole pass drops nothing.  0 or -1.
 */
int plan_minimise(struct plan_run *run, struct plan_target *pt,
		  const char *spec)
{
	int changed = 1;

	while (changed) {
		size_t i;

		changed = 0;
		for (i = pt->chain.n; i-- > 0;) {
			struct patch_list q;
			struct patch_result *res = NULL;
			long bad;

			if (out_of_time(run)) {
				pt->message = xstrdup("--time-budget ran out "
					"while the chain was minimised: it may "
					"carry commits it does not need");
				return 0;
			}

			if (plan_names_needed(&pt->chain.v[i]))
				continue; /* a compile-level prerequisite */
			if (plan_queue_build(run, &pt->chain, pt->chain.v[i].commit,
					&q) < 0)
				return -1;
			bad = queue_place(run, spec, &q, &res);
			results_release(res, q.n);
			patch_list_release(&q);
			if (bad < 0)
				return -1;
			if (bad == 0) {
				free(pt->chain.v[i].note);
				pt->chain.v[i].note = xstrdup(
					"not needed: everything applies without it");
				plan_list_move(&pt->chain, i, &pt->dropped);
				changed = 1;
			}
		}
	}
	return 0;
}

/* --build: compile what the verified queue touches; per step, what it
   owns of the diagnostics.  0 or -1. */
static int plan_build(struct plan_run *run, struct plan_target *pt,
		      const char *spec, struct tree *t,
		      const struct patch_list *q, const struct patch_result *res)
{
	const char *eq = strchr(spec, '=');
	const char *where = eq ? eq + 1 : spec;
	size_t i;

	if ((strncmp(where, "git:", 4)
	     ? compile_queue_dir(&run->opts.compile, where, t, q, res, &pt->build)
	     : compile_queue(&run->opts.compile, run->in->git, where + 4, t, q,
			     res, &pt->build)) < 0)
		return -1;
	pt->built = 1;
	for (i = 0; i < pt->nsteps; i++)
		pt->steps[i].build = pt->build.error ? 0 : 1;
	for (i = 0; i < pt->build.ndiags; i++) {
		const struct compile_diag *d = &pt->build.diags[i];
		struct plan_step *s = d->patch ? &pt->steps[d->patch - 1] : NULL;

		if (!s || pt->build.error)
			continue;
		if (!d->error) {
			s->warnings++;
		} else if (!s->build_error) {
			struct strbuf sb = STRBUF_INIT;

			s->build = 2;
			s->adapted_breaks = compile_diag_adaptation(d, res) != NULL;
			sb_init(&sb);
			sb_addf(&sb, "%s:%ld: %s (hunk %zu of %s)", d->file,
				d->line, d->message, d->hunk, d->file);
			s->build_error = sb_detach(&sb, NULL);
		}
	}
	return 0;
}

/* The final queue, applied once more: the evidence.  0 or -1. */
static int plan_verify(struct plan_run *run, struct plan_target *pt,
		       const char *spec)
{
	struct patch_list q;
	struct patch_result *res = NULL;
	struct tree *t = NULL;
	size_t i, f, h;
	long bad;

	if (plan_queue_build(run, &pt->chain, NULL, &q) < 0)
		return -1;
	bad = queue_place_keep(run, spec, &q, &res, &t);
	if (bad < 0) {
		results_release(res, q.n);
		patch_list_release(&q);
		return -1;
	}
	pt->steps = xcalloc(q.n + 1, sizeof(*pt->steps));
	pt->nsteps = q.n;
	for (i = 0; i < q.n; i++) {
		struct plan_step *s = &pt->steps[i];
		const struct patch *p = &q.v[i];
		struct strbuf sb = STRBUF_INIT;

		s->label = xstrdup(check_patch_label(p));
		s->subject = xstrdup(p->meta.subject ? p->meta.subject : "");
		s->series = !p->meta.commit ||
			    !plan_list_find(&pt->chain, p->meta.commit);
		s->verdict = res[i].verdict;
		for (f = 0; f < res[i].nfiles; f++)
			for (h = 0; h < res[i].files[f].fd->nhunks; h++) {
				enum verdict v = res[i].files[f].hunks
					? res[i].files[f].hunks[h].verdict
					: res[i].files[f].verdict;

				s->hunks++;
				s->exact += v == V_CLEAN || v == V_OFFSET;
			}
		sb_init(&sb);
		patch_result_describe(&res[i], &sb);
		s->reason = sb.len ? sb_detach(&sb, NULL) : NULL;
		sb_release(&sb);
		plan_adapt_step(pt, s, &res[i]);
	}
	if (bad && pt->status == PLAN_OK) {
		pt->status = PLAN_STUCK;
		pt->message = first_conflict(&q, res, "does not apply in the "
					     "final verification");
	}
	if (run->opts.build && pt->status == PLAN_OK &&
	    plan_build(run, pt, spec, t, &q, res) < 0)
		bad = -1;
	tree_free(t);
	results_release(res, q.n);
	patch_list_release(&q);
	return bad < 0 ? -1 : 0;
}

/* Keep only the companions of commits the chain still carries. */
static void plan_prune_companions(struct plan_target *pt)
{
	size_t i;

	for (i = pt->companions.n; i-- > 0;) {
		struct plan_commit *c = &pt->companions.v[i];

		if (plan_list_find(&pt->chain, c->commit)) {
			plan_commit_release(c);
			memmove(c, c + 1, (pt->companions.n - i - 1) * sizeof(*c));
			pt->companions.n--;
		}
	}
}

/* The series' header sync trimmed to what the other patches use. */
static int plan_trim(struct plan_run *run, struct plan_target *pt,
		     const char *spec)
{
	struct check_trim ct;
	struct tree *t;
	struct patch_result *res = NULL;
	long bad;
	int rc;

	if (run->series->n < 2) /* a sync alone: no consumers to trim for */
		return 0;
	if (open_target(run, spec, &t) < 0)
		return -1;
	rc = check_trim_make(&ct, t, run->series);
	tree_free(t);
	if (rc < 0)
		return -1;
	if (ct.sync == (size_t)-1) {
		check_trim_release(&ct);
		return 0;
	}
	pt->trim.present = 1;
	pt->trim.sync = xstrdup(check_patch_label(&run->series->v[ct.sync]));
	pt->trim.refused = ct.refused;
	pt->trim.kept_lines = ct.report.kept_lines;
	pt->trim.full_lines = ct.report.full_lines;
	pt->trim.kept = ct.report.kept.n;
	if (!ct.refused) {
		const char *eq = strchr(spec, '='), *where = eq ? eq + 1 : spec;

		t = NULL;
		bad = queue_place_keep(run, spec, &ct.queue, &res, &t);
		if (bad < 0) {
			results_release(res, ct.queue.n);
			check_trim_release(&ct);
			return -1;
		}
		pt->trim.applies = bad == 0;
		if (bad)
			pt->trim.reason = first_conflict(&ct.queue, res,
							 "does not apply");
		if (bad == 0 && run->opts.build) {
			if ((strncmp(where, "git:", 4)
			     ? compile_queue_dir(&run->opts.compile, where, t,
						 &ct.queue, res, &pt->trim.build)
			     : compile_queue(&run->opts.compile, run->in->git,
					     where + 4, t, &ct.queue, res,
					     &pt->trim.build)) < 0)
				bad = -1;
			pt->trim.built = bad == 0;
		}
		tree_free(t);
		results_release(res, ct.queue.n);
		if (bad < 0) {
			check_trim_release(&ct);
			return -1;
		}
	}
	check_trim_release(&ct);
	return 0;
}

/*
 * The series without the patches the target already carries (a shallow
 * copy: free only its array), each of those noted in pt->skipped.
 */
static struct patch_list plan_series_not_carried(struct plan_run *run,
						 struct plan_target *pt,
						 const struct plan_carried *pc)
{
	struct patch_list kept = { 0 };
	size_t i;

	kept.v = xcalloc(run->series->n + 1, sizeof(*kept.v));
	for (i = 0; i < run->series->n; i++) {
		const struct patch *p = &run->series->v[i];
		const char *how = NULL;
		const char *by = plan_carried_by(pc, p->meta.commit, p, &how);
		struct plan_commit *c;
		struct strbuf sb = STRBUF_INIT;

		if (!by) {
			kept.v[kept.n++] = *p;
			continue;
		}
		c = plan_list_add(&pt->skipped, p->meta.commit ? p->meta.commit
				  : "", p->meta.subject ? p->meta.subject : p->name);
		sb_init(&sb);
		sb_addf(&sb, "%s of the series: already carried by "
			"debian/patches/%s (%s), not planned again",
			check_patch_label(p), by, how);
		c->note = sb_detach(&sb, NULL);
	}
	return kept;
}

int plan_run_target(struct plan_run *run, const char *spec)
{
	struct plan_target *pt;
	struct plan_carried carried;
	struct patch_list series;
	const struct patch_list *all = run->series;
	struct tree *t;
	char *name = NULL;
	size_t i;
	int rc;

	if (!run->in->git)
		return error("plan needs --git REPO (the upstream history)");
	if (input_open_tree(run->in, spec, &name, &t) < 0)
		return -1;
	tree_free(t);
	for (i = 0; i < run->ntargets; i++)
		if (!strcmp(run->targets[i].name, name)) {
			error("--tree %s: the name '%s' is given twice", spec,
			      name);
			free(name);
			return -1;
		}
	ALLOC_GROW(run->targets, run->ntargets + 1, run->alloc);
	pt = &run->targets[run->ntargets++];
	memset(pt, 0, sizeof(*pt));
	pt->name = name;
	pt->spec = xstrdup(spec);
	if (plan_carried_load(&carried, spec) < 0)
		return -1;
	series = plan_series_not_carried(run, pt, &carried);
	run->carried = &carried;
	run->series = &series;
	rc = plan_adapt_choose(run, pt, spec);
	run->adapting = pt;
	if (rc == 0 && !run->opts.no_names)
		rc = plan_names_seed(run, pt, spec);
	plan_names_release(pt); /* both have read it */
	if (rc == 0)
		rc = plan_close(run, pt, spec);
	else if (rc > 0)
		rc = 0; /* stopped by the limit: verify what it has */
	if (rc == 0 && pt->status == PLAN_OK)
		rc = plan_minimise(run, pt, spec);
	if (rc == 0)
		plan_prune_companions(pt);
	if (rc == 0)
		rc = plan_verify(run, pt, spec);
	run->adapting = NULL;
	if (rc == 0)
		rc = plan_adapt_weigh(run, pt, spec);
	run->series = all;
	run->carried = NULL;
	free(series.v);
	plan_carried_release(&carried);
	if (rc < 0)
		return -1;
	run->adapting = pt; /* the trimmed queue adapts what the plan did */
	rc = plan_trim(run, pt, spec);
	run->adapting = NULL;
	return rc;
}

int plan_target_builds(const struct plan_target *pt)
{
	if (!pt->built)
		return 0;
	return compile_result_ok(&pt->build);
}

int plan_run_ok(const struct plan_run *run)
{
	size_t i;

	for (i = 0; i < run->ntargets; i++)
		if (run->targets[i].status != PLAN_OK)
			return 0;
	return 1;
}

void plan_run_release(struct plan_run *run)
{
	size_t i, j;

	for (i = 0; i < run->ntargets; i++) {
		struct plan_target *pt = &run->targets[i];

		free(pt->name);
		free(pt->spec);
		free(pt->message);
		plan_list_release(&pt->chain);
		plan_list_release(&pt->dropped);
		plan_list_release(&pt->companions);
		plan_list_release(&pt->pending);
		plan_list_release(&pt->skipped);
		for (j = 0; j < pt->nsteps; j++) {
			free(pt->steps[j].label);
			free(pt->steps[j].subject);
			free(pt->steps[j].reason);
			free(pt->steps[j].build_error);
		}
		free(pt->steps);
		plan_adapts_release(pt);
		compile_result_release(&pt->build);
		deps_guard_index_free(pt->guards);
		compile_result_release(&pt->trim.build);
		free(pt->trim.sync);
		free(pt->trim.reason);
	}
	free(run->targets);
	memset(run, 0, sizeof(*run));
}
