/*
 * plan_adapt.c - plan's choice between adapting a conflicting series
 * patch (place/adapt.h) and carrying the upstream commits its context
 * needs (issue 16: "adapt 2 hunks" against "carry 3 commits, 120 lines").
 *
 * The series is placed alone on the target as dpkg-source would, with
 * adaptation on.  A patch that comes out adapted may stand in for its
 * chain unless it is a header sync (plan_is_header_sync), its added lines
 * use names the target lacks (deps: those need the commit that defines
 * them), or, with --build, an error falls on an adapted hunk.  The rounds
 * then place the patches taken adapted (plan.c's queue placement asks
 * plan_adapt_allowed); the verification says what each adapted; and the
 * chain without adaptation is planned once more, to say what it saves.
 */
#include "analyse/plan.h"
#include "analyse/plan_int.h"

#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/check_build.h"
#include "analyse/deps.h"
#include "analyse/headers.h"
#include "place/adapt.h"
#include "place/check.h"

/* Does s contain text, ignoring case? */
static int has_text(const char *s, const char *text)
{
	size_t n = strlen(text);

	for (; s && *s; s++)
		if (!strncasecmp(s, text, n))
			return 1;
	return 0;
}

/* A path under an include directory's uapi/ ("include/uapi/...",
   "include/standard-headers/...", "arch/x/include/uapi/..."). */
static int uapi_path(const char *path)
{
	return path && (strstr(path, "/uapi/") || !strncmp(path, "uapi/", 5) ||
			!strncmp(path, "include/standard-headers/", 25)) &&
	       (!strncmp(path, "include/", 8) || strstr(path, "/include/"));
}

int plan_is_header_sync(const struct patch *p)
{
	const char *subj = p->meta.subject;
	int strip = patch_strip_level(p);
	size_t i;

	if (headers_is_sync(p) || has_text(subj, "headers: update") ||
	    has_text(subj, "update headers") ||
	    has_text(subj, "update linux headers") ||
	    has_text(subj, "update kernel headers"))
		return 1;
	for (i = 0; i < p->nfiles; i++) {
		const char *path = file_diff_path(&p->files[i], strip, 1);

		if (!uapi_path(path ? path : file_diff_path(&p->files[i], strip, 0)))
			return 0;
	}
	return p->nfiles > 0;
}

static struct plan_adapt *adapt_find(const struct plan_target *pt,
				     const char *label)
{
	size_t i;

	for (i = 0; pt && i < pt->nadapts; i++)
		if (!strcmp(pt->adapts[i].label, label))
			return &pt->adapts[i];
	return NULL;
}

int plan_adapt_allowed(const struct plan_run *run, const struct patch *p)
{
	const struct plan_adapt *a =
		adapt_find(run->adapting, check_patch_label(p));

	return a && a->taken;
}

/* The hunks r adapted, and their kinds as words ("drift, rename"). */
static size_t result_adapted(const struct patch_result *r, struct strbuf *kinds)
{
	static const struct { unsigned bit; const char *word; } names[] = {
		{ ADAPT_DRIFT, "drift" }, { ADAPT_WHITESPACE, "whitespace" },
		{ ADAPT_RENAME, "rename" },
	};
	unsigned bits = 0;
	size_t f, h, n = 0, k;

	for (f = 0; f < r->nfiles; f++)
		for (h = 0; r->files[f].hunks && h < r->files[f].fd->nhunks; h++) {
			const struct hunk_result *hr = &r->files[f].hunks[h];

			if (hr->verdict != V_ADAPTED)
				continue;
			n++;
			bits |= hr->adapt ? hr->adapt->kinds : 0;
		}
	for (k = 0; kinds && k < sizeof(names) / sizeof(names[0]); k++)
		if (bits & names[k].bit)
			sb_addf(kinds, "%s%s", kinds->len ? ", " : "", names[k].word);
	return n;
}

static void adapt_refuse(struct plan_adapt *a, char *why)
{
	a->taken = 0;
	free(a->why);
	a->why = why;
}

/* The series alone on the target, fuzz 0, adapted where it can be; the
   tree keeps what applied.  0 or -1. */
static int place_alone(struct plan_run *run, const char *spec,
		       struct patch_result **res, struct tree **t)
{
	const struct patch_list *s = run->series;
	struct apply_state st;
	char *name = NULL;
	size_t i;

	*res = xcalloc(s->n + 1, sizeof(**res));
	if (input_open_tree(run->in, spec, &name, t) < 0)
		return -1;
	free(name);
	apply_state_init(&st);
	st.max_fuzz = 0;
	st.adapt = 1;
	for (i = 0; i < s->n; i++)
		if (apply_patch(&st, *t, &s->v[i], &(*res)[i]) < 0)
			return -1;
	return 0;
}

/* A candidate whose added lines use names the target lacks is refused:
   the commit that defines them is the prerequisite.  0 or -1. */
static int refuse_missing(struct plan_run *run, struct plan_target *pt,
			  const char *spec)
{
	const struct deps_run *d = plan_names_deps(run, pt, spec);
	size_t i, k;

	if (!d)
		return -1;
	for (i = 0; i < run->series->n; i++) {
		const struct deps_result *r = &d->targets[0].results[i];
		struct plan_adapt *a =
			adapt_find(pt, check_patch_label(&run->series->v[i]));
		struct strbuf sb = STRBUF_INIT;
		size_t n = 0;

		if (!a || !a->taken)
			continue;
		sb_init(&sb);
		for (k = 0; k < r->nmissing; k++)
			if (!r->missing[k].series_patch)
				sb_addf(&sb, "%s%s", n++ ? ", " : "uses names the "
					"target lacks (", r->missing[k].name);
		if (n) {
			sb_addstr(&sb, "): the commit that defines them is the "
				  "prerequisite");
			adapt_refuse(a, sb_detach(&sb, NULL));
		}
		sb_release(&sb);
	}
	return 0;
}

/* --build: an adaptation whose adapted hunk the compiler rejects is
   refused, with the error.  0 or -1. */
static int refuse_broken(struct plan_run *run, struct plan_target *pt,
			 const char *spec, struct tree *t,
			 const struct patch_result *res)
{
	const char *eq = strchr(spec, '='), *where = eq ? eq + 1 : spec;
	struct compile_result b = { 0 };
	size_t i;

	if (!run->opts.build || strncmp(where, "git:", 4))
		return 0; /* plan_verify says a directory cannot be built */
	if (compile_queue(&run->opts.compile, run->in->git, where + 4, t,
			  run->series, res, &b) < 0)
		return -1;
	for (i = 0; !b.error && i < b.ndiags; i++) {
		const struct compile_diag *d = &b.diags[i];
		struct plan_adapt *a;
		struct strbuf sb = STRBUF_INIT;

		if (!d->error || !compile_diag_adaptation(d, res))
			continue;
		a = adapt_find(pt, check_patch_label(&run->series->v[d->patch - 1]));
		if (!a || !a->taken)
			continue;
		sb_init(&sb);
		sb_addf(&sb, "adapted, breaks build: %s:%ld: %s", d->file,
			d->line, d->message);
		adapt_refuse(a, sb_detach(&sb, NULL));
	}
	compile_result_release(&b);
	return 0;
}

int plan_adapt_choose(struct plan_run *run, struct plan_target *pt,
		      const char *spec)
{
	const struct patch_list *s = run->series;
	struct patch_result *res = NULL;
	struct tree *t = NULL;
	size_t i, taken = 0;
	int rc;

	if (!run->opts.adapt)
		return 0;
	rc = place_alone(run, spec, &res, &t);
	pt->adapts = xcalloc(s->n + 1, sizeof(*pt->adapts));
	for (i = 0; rc == 0 && i < s->n; i++) {
		struct plan_adapt *a;

		if (res[i].verdict != V_ADAPTED)
			continue;
		a = &pt->adapts[pt->nadapts++];
		memset(a, 0, sizeof(*a));
		a->label = xstrdup(check_patch_label(&s->v[i]));
		a->taken = 1;
		if (plan_is_header_sync(&s->v[i]))
			adapt_refuse(a, xstrdup("a header sync: its prerequisites "
						"are carried, never adapted"));
		taken += a->taken;
	}
	if (rc == 0 && taken)
		rc = refuse_missing(run, pt, spec);
	if (rc == 0 && taken)
		rc = refuse_broken(run, pt, spec, t, res);
	for (i = 0; res && i < s->n; i++)
		patch_result_release(&res[i]);
	free(res);
	tree_free(t);
	return rc;
}

void plan_adapt_step(struct plan_target *pt, struct plan_step *s,
		     const struct patch_result *r)
{
	struct plan_adapt *a = adapt_find(pt, s->label);
	struct strbuf kinds = STRBUF_INIT;

	sb_init(&kinds);
	s->adapted = result_adapted(r, &kinds);
	if (a && a->taken) {
		a->hunks = s->adapted;
		a->taken = s->adapted > 0; /* else the chain made it apply */
		free(a->kinds);
		a->kinds = sb_detach(&kinds, NULL);
	}
	sb_release(&kinds);
}

/* Does chain commit c serve the series patch label: needed by it, or by
   a commit of alt that does (depth levels at most)? */
static int serves(const struct plan_list *alt, const struct plan_commit *c,
		  const char *label, int depth)
{
	size_t i, j;

	for (i = 0; depth > 0 && i < c->nneeds; i++) {
		const char *by = c->needs[i].by;

		if (!strcmp(by, label))
			return 1;
		for (j = 0; j < alt->n; j++)
			if (&alt->v[j] != c && strlen(by) >= 7 &&
			    !strncmp(alt->v[j].commit, by, strlen(by)) &&
			    serves(alt, &alt->v[j], label, depth - 1))
				return 1;
	}
	return 0;
}

/* What the chain alt carries beyond pt's for each taken adaptation. */
static void weigh_sizes(struct plan_target *pt, const struct plan_list *alt,
			size_t ntaken)
{
	size_t i, k;

	for (k = 0; k < pt->nadapts; k++) {
		struct plan_adapt *a = &pt->adapts[k];

		if (!a->taken)
			continue;
		a->sized = 1;
		for (i = 0; i < alt->n; i++) {
			const struct plan_commit *c = &alt->v[i];

			if (plan_list_find(&pt->chain, c->commit) ||
			    (ntaken > 1 && !serves(alt, c, a->label, 8)))
				continue;
			a->commits++;
			a->lines += c->added + c->removed;
		}
	}
}

int plan_adapt_weigh(struct plan_run *run, struct plan_target *pt,
		     const char *spec)
{
	struct plan_target alt;
	size_t k, ntaken = 0;
	int rc;

	for (k = 0; k < pt->nadapts; k++)
		ntaken += pt->adapts[k].taken;
	if (!ntaken)
		return 0;
	memset(&alt, 0, sizeof(alt));
	alt.name = pt->name;
	alt.guards = pt->guards;
	rc = plan_close(run, &alt, spec);
	if (rc == 0 && alt.status == PLAN_OK)
		rc = plan_minimise(run, &alt, spec);
	pt->guards = alt.guards;
	if (rc == 0 && alt.status == PLAN_OK) {
		weigh_sizes(pt, &alt.chain, ntaken);
	} else if (rc == 0) {
		for (k = 0; k < pt->nadapts; k++) {
			struct strbuf sb = STRBUF_INIT;

			if (!pt->adapts[k].taken)
				continue;
			sb_init(&sb);
			sb_addf(&sb, "without adaptation the plan stops: %s",
				alt.message ? alt.message : plan_status_name(alt.status));
			pt->adapts[k].instead = sb_detach(&sb, NULL);
		}
	}
	free(alt.message);
	plan_list_release(&alt.chain);
	plan_list_release(&alt.dropped);
	plan_list_release(&alt.companions);
	plan_list_release(&alt.pending);
	plan_list_release(&alt.skipped);
	return rc;
}

void plan_adapts_release(struct plan_target *pt)
{
	size_t k;

	for (k = 0; k < pt->nadapts; k++) {
		free(pt->adapts[k].label);
		free(pt->adapts[k].why);
		free(pt->adapts[k].kinds);
		free(pt->adapts[k].instead);
	}
	free(pt->adapts);
	pt->adapts = NULL;
	pt->nadapts = 0;
}
