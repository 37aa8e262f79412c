/*
 * distance.c - a series against many candidate bases: check's verdict
 * matrix (one column a base) and plan's verified chain on each, then the
 * answer: the oldest base that takes the series with no prerequisites,
 * and the bases that carry the least.  Also the bases a tag range names,
 * in version order.  No second pipeline: check.c and plan.c do the work.
 */
#include "analyse/distance.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "input/gitsrc.h"
#include "util.h"

/* ---- version tags --------------------------------------------------- */

#define TAG_PARTS 8

struct tag_version {
	size_t prefix;          /* length of the text before the first digit */
	unsigned long part[TAG_PARTS];
	size_t nparts;
	long rc;                /* -1: a release; N: "-rcN" */
};

static int digits(const char **s, unsigned long *out)
{
	const char *p = *s;
	char *end;

	if (*p < '0' || *p > '9')
		return 0;
	*out = strtoul(p, &end, 10);
	*s = end;
	return 1;
}

/* "v5.0.0", "v5.0.0-rc1", "qemu-4.2", "1.2": 1 when s is one. */
static int tag_parse(const char *s, struct tag_version *v)
{
	const char *p = s;
	unsigned long n;

	memset(v, 0, sizeof(*v));
	v->rc = -1;
	while (*p && (*p < '0' || *p > '9'))
		p++;
	v->prefix = (size_t)(p - s);
	for (;;) {
		if (v->nparts == TAG_PARTS || !digits(&p, &n))
			return 0;
		v->part[v->nparts++] = n;
		if (*p != '.')
			break;
		p++;
	}
	if (!strncmp(p, "-rc", 3)) {
		p += 3;
		if (!digits(&p, &n))
			return 0;
		v->rc = (long)n;
	}
	return *p == '\0';
}

int distance_tag_cmp(const char *a, const char *b)
{
	struct tag_version x, y;
	size_t i;

	if (!tag_parse(a, &x) || !tag_parse(b, &y) || x.prefix != y.prefix ||
	    strncmp(a, b, x.prefix))
		return -2;
	for (i = 0; i < TAG_PARTS; i++) {
		unsigned long p = i < x.nparts ? x.part[i] : 0;
		unsigned long q = i < y.nparts ? y.part[i] : 0;

		if (p != q)
			return p < q ? -1 : 1;
	}
	if (x.rc == y.rc)
		return 0;
	if (x.rc < 0 || y.rc < 0) /* a release after its release candidates */
		return x.rc < 0 ? 1 : -1;
	return x.rc < y.rc ? -1 : 1;
}

static int tag_cmp_qsort(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	int c = distance_tag_cmp(*x, *y);

	return c ? c : strcmp(*x, *y);
}

static int is_rc(const char *tag)
{
	struct tag_version v;

	return tag_parse(tag, &v) && v.rc >= 0;
}

/* The tags between a and b (both included), version order, into *out. */
static int tags_between(git_strarray *all, const char *a, const char *b,
			int rc, const char ***out, size_t *n)
{
	size_t i, alloc = 0;
	int have_a = 0, have_b = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; i < all->count; i++) {
		const char *t = all->strings[i];
		int ca = distance_tag_cmp(a, t), cb = distance_tag_cmp(t, b);

		have_a |= !strcmp(t, a);
		have_b |= !strcmp(t, b);
		if (ca == -2 || cb == -2 || ca > 0 || cb > 0)
			continue;
		if (!rc && is_rc(t) && strcmp(t, a) && strcmp(t, b))
			continue;
		ALLOC_GROW(*out, *n + 1, alloc);
		(*out)[(*n)++] = t;
	}
	if (!have_a || !have_b)
		return error("--tags %s..%s: no tag '%s' in the repository",
			     a, b, have_a ? b : a);
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), tag_cmp_qsort);
	return 0;
}

int distance_expand_tags(struct gitsrc *g, const char *range, int rc,
			 char ***specs, size_t *n, size_t *alloc)
{
	const char *dots = strstr(range, "..");
	git_strarray all = { 0 };
	const char **tags = NULL;
	char *a, *b;
	size_t i, ntags = 0;
	int ret = -1;

	if (!dots || dots == range || !dots[2] || strstr(dots + 2, ".."))
		return error("--tags takes A..B (two tags), not '%s'", range);
	a = xstrndup(range, (size_t)(dots - range));
	b = xstrdup(dots + 2);
	if (distance_tag_cmp(a, b) == -2) {
		error("--tags %s: '%s' and '%s' are not versions of one kind "
		      "(such as v4.2.0 and v5.0.0-rc1)", range, a, b);
		goto out;
	}
	if (distance_tag_cmp(a, b) > 0) {
		error("--tags %s: '%s' is newer than '%s'", range, a, b);
		goto out;
	}
	if (git_tag_list(&all, gitsrc_repository(g)) < 0) {
		error("--tags %s: cannot list the tags of %s", range,
		      gitsrc_path(g));
		goto out;
	}
	if (tags_between(&all, a, b, rc, &tags, &ntags) < 0)
		goto out;
	for (i = 0; i < ntags; i++) {
		struct strbuf sb = STRBUF_INIT;

		sb_addf(&sb, "%s=git:%s", tags[i], tags[i]);
		ALLOC_GROW(*specs, *n + 1, *alloc);
		(*specs)[(*n)++] = sb_detach(&sb, NULL);
	}
	ret = 0;
out:
	free(tags);
	git_strarray_dispose(&all);
	free(a);
	free(b);
	return ret;
}

/* ---- the run -------------------------------------------------------- */

static void base_fill(struct distance_run *run, size_t t)
{
	struct distance_base *b = &run->bases[t];
	const struct plan_target *pt = &run->plan.targets[t];
	size_t i;

	b->name = run->check.targets[t].name;
	for (i = 0; i < run->series->n; i++) {
		const struct patch_result *r = check_cell(&run->check, i, t);

		b->count[r->verdict]++;
		if (patch_is_empty(r->patch))
			b->empty++;
	}
	b->plan = pt;
	b->commits = pt->chain.n;
	for (i = 0; i < pt->chain.n; i++)
		b->lines += pt->chain.v[i].added + pt->chain.v[i].removed;
}

/* A verified plan (that builds, with --build): it counts for the answer. */
static int base_verified(const struct distance_run *run,
			 const struct distance_base *b)
{
	return b->plan->status == PLAN_OK &&
	       (!run->build || plan_target_builds(b->plan));
}

static int base_less(const struct distance_base *x,
		     const struct distance_base *y)
{
	return x->commits < y->commits ||
	       (x->commits == y->commits && x->lines < y->lines);
}

/* The oldest base that takes the series, and those that carry least. */
static void distance_answer(struct distance_run *run)
{
	const struct distance_base *best = NULL;
	size_t t;

	run->oldest = DISTANCE_NONE;
	for (t = 0; t < run->nbases; t++) {
		struct distance_base *b = &run->bases[t];

		if (!base_verified(run, b))
			continue;
		b->takes = b->commits == 0;
		if (b->takes && run->oldest == DISTANCE_NONE)
			run->oldest = t;
		if (!best || base_less(b, best))
			best = b;
	}
	run->least = xcalloc(run->nbases + 1, sizeof(*run->least));
	for (t = 0; best && t < run->nbases; t++)
		if (base_verified(run, &run->bases[t]) &&
		    !base_less(best, &run->bases[t]))
			run->least[run->nleast++] = t;
}

int distance_run_all(struct distance_run *run, const struct patch_list *series,
		     struct input *in, const struct plan_opts *opts,
		     const char *const *specs, size_t n)
{
	size_t t;

	memset(run, 0, sizeof(*run));
	run->series = series;
	run->build = opts->build;
	check_run_init(&run->check, series);
	run->check.state.adapt = 1; /* the counts show adaptations, as check */
	plan_run_init(&run->plan, series, in, opts);
	apply_setup_merge(&run->check.state, in);
	if (check_run_open_targets(&run->check, in, specs, n) < 0 ||
	    check_run_all(&run->check) < 0)
		return -1;
	for (t = 0; t < n; t++)
		if (plan_run_target(&run->plan, specs[t]) < 0)
			return -1;
	run->bases = xcalloc(n + 1, sizeof(*run->bases));
	run->nbases = n;
	for (t = 0; t < n; t++)
		base_fill(run, t);
	distance_answer(run);
	return 0;
}

void distance_run_release(struct distance_run *run)
{
	free(run->bases);
	free(run->least);
	plan_run_release(&run->plan);
	check_run_release(&run->check);
	memset(run, 0, sizeof(*run));
}
