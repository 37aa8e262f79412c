/*
 * plan_queue.c - the chain a plan builds (upstream commits, why each is
 * needed, its size) and the queue it makes with the series: the chain's
 * commits in upstream order, before or among the series' own.
 */
#include "analyse/plan_int.h"

#include <stdlib.h>
#include <string.h>

#include "input/gitsrc.h"

/* ---- the chain ------------------------------------------------------ */

void plan_commit_release(struct plan_commit *c)
{
	size_t i;

	for (i = 0; i < c->nneeds; i++) {
		free(c->needs[i].by);
		free(c->needs[i].hunks);
		free(c->needs[i].files);
		free(c->needs[i].name);
	}
	free(c->needs);
	free(c->subject);
	free(c->note);
	memset(c, 0, sizeof(*c));
}

void plan_list_release(struct plan_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		plan_commit_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct plan_commit *plan_list_find(const struct plan_list *l,
					  const char *commit)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].commit, commit))
			return &l->v[i];
	return NULL;
}

struct plan_commit *plan_list_add(struct plan_list *l,
					 const char *commit,
					 const char *subject)
{
	struct plan_commit *c;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->commit, sizeof(c->commit), "%s", commit);
	c->subject = xstrdup(subject ? subject : "");
	return c;
}

/* Move l->v[i] to the end of to. */
void plan_list_move(struct plan_list *l, size_t i, struct plan_list *to)
{
	ALLOC_GROW(to->v, to->n + 1, to->alloc);
	to->v[to->n++] = l->v[i];
	memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(*l->v));
	l->n--;
}

void plan_commit_add_need(struct plan_commit *c, const char *by,
				 char *hunks, const char *files, size_t lines)
{
	struct plan_need *n;

	ALLOC_GROW(c->needs, c->nneeds + 1, c->alloc);
	n = &c->needs[c->nneeds++];
	n->by = xstrdup(by);
	n->hunks = hunks;
	n->files = xstrdup(files ? files : "");
	n->lines = lines;
	n->name = NULL;
}

/* The size of p: file diffs, '+' and '-' lines. */
void plan_patch_size(const struct patch *p, size_t *files, long *added,
		       long *removed)
{
	size_t f, h, l;

	*files = p->nfiles;
	*added = *removed = 0;
	for (f = 0; f < p->nfiles; f++)
		for (h = 0; h < p->files[f].nhunks; h++) {
			const struct hunk *hk = &p->files[f].hunks[h];

			for (l = 0; l < hk->nlines; l++) {
				if (hk->lines[l].kind == '+')
					++*added;
				else if (hk->lines[l].kind == '-')
					++*removed;
			}
		}
}

/* ---- the queue ------------------------------------------------------ */

/* A patch gitsrc made from a commit: named by the id's first 10 digits. */
static int patch_from_git(const struct patch *p)
{
	return p->meta.commit && strlen(p->meta.commit) == 40 && p->name &&
	       strlen(p->name) == 10 && !strncmp(p->name, p->meta.commit, 10);
}

static int series_from_git(const struct patch_list *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!patch_from_git(&s->v[i]))
			return 0;
	return 1;
}

/* Is commit one of the series' patches? */
int plan_series_has(const struct patch_list *s, const char *commit)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].meta.commit && !strcmp(s->v[i].meta.commit, commit))
			return 1;
	return 0;
}

/* Append a parsed copy of p (the queue owns what it holds). */
static int queue_add_copy(struct patch_list *q, const struct patch *p)
{
	struct patch copy;

	if (patch_parse(&copy, p->name, xstrndup(p->raw, p->raw_len),
			p->raw_len) < 0)
		return -1;
	copy.strip = p->strip;
	if (p->meta.commit && !copy.meta.commit)
		copy.meta.commit = xstrdup(p->meta.commit);
	ALLOC_GROW(q->v, q->n + 1, q->alloc);
	q->v[q->n++] = copy;
	return 0;
}

/*
 * The chain (but the commit skip, when not NULL) and the series, in
 * upstream order when the series came from git, else the chain first.
 */
int plan_queue_build(struct plan_run *run, const struct plan_list *chain,
		       const char *skip, struct patch_list *q)
{
	const struct patch_list *s = run->series;
	int from_git = series_from_git(s);
	const char **ids = xcalloc(chain->n + s->n + 1, sizeof(*ids));
	size_t i, n = 0;
	int rc = 0;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < chain->n; i++)
		if (!skip || strcmp(skip, chain->v[i].commit))
			ids[n++] = chain->v[i].commit;
	if (from_git)
		for (i = 0; i < s->n; i++)
			ids[n++] = s->v[i].meta.commit;
	if (n)
		rc = gitsrc_read_commits_in(run->in->git, q, ids, n);
	for (i = 0; !from_git && rc == 0 && i < s->n; i++)
		rc = queue_add_copy(q, &s->v[i]);
	free(ids);
	if (rc < 0)
		patch_list_release(q);
	return rc < 0 ? -1 : 0;
}
