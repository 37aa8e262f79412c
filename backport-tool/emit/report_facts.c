/*
 * report_facts.c - what the report says of each patch, computed once so
 * that every section reads the same facts: its CVE ids (commit message,
 * DEP-3 fields, patch name), the commit it cites (mail "From <sha>" line
 * or DEP-3 Origin URL) and whether --git's history has it, and its state
 * on each target (a verdict, plus the plan's answer for a conflict and the
 * left-out patch a cumulative conflict depends on).
 */
#include "emit/report.h"
#include "emit/report_int.h"

#include "analyse/plan.h"
#include "input/gitsrc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- CVE ids ---- */

static void add_cve(struct report_patch *rp, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < rp->ncves; i++)
		if (strlen(rp->cves[i]) == len && !strncmp(rp->cves[i], s, len))
			return;
	rp->cves = xrealloc(rp->cves, (rp->ncves + 1) * sizeof(*rp->cves));
	rp->cves[rp->ncves++] = xstrndup(s, len);
}

/* Every "CVE-YYYY-NNNN..." of s (case-insensitive), written upper case. */
static void scan_cves(struct report_patch *rp, const char *s, size_t len)
{
	size_t i, k;

	for (i = 0; s && i + 13 <= len; i++) {
		char id[32];

		if (strncasecmp(s + i, "CVE-", 4) ||
		    (i && isalnum((unsigned char)s[i - 1])))
			continue;
		for (k = 4; k < 8 && isdigit((unsigned char)s[i + k]); k++)
			;
		if (k != 8 || s[i + 8] != '-')
			continue;
		for (k = 9; i + k < len && k < 20 && isdigit((unsigned char)s[i + k]); k++)
			;
		if (k < 13 || (i + k < len && isalnum((unsigned char)s[i + k])))
			continue;
		snprintf(id, sizeof(id), "CVE-%.*s", (int)(k - 4), s + i + 4);
		add_cve(rp, id, k);
		i += k - 1;
	}
}

static void patch_cves(struct report_patch *rp)
{
	const struct patch *p = rp->p;

	if (p->meta.subject)
		scan_cves(rp, p->meta.subject, strlen(p->meta.subject));
	scan_cves(rp, p->header, p->header_len); /* DEP-3 Bug, Description... */
	if (p->meta.body)
		scan_cves(rp, p->meta.body, strlen(p->meta.body));
	if (p->name)
		scan_cves(rp, p->name, strlen(p->name));
}

/* ---- the cited commit ---- */

static int is_hex(int c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* A 7-40 hex digit id at s, as a whole word; its length or 0. */
static size_t hex_id(const char *s, const char *end)
{
	const char *h = s;

	while (h < end && is_hex(*h))
		h++;
	if (h - s < 7 || h - s > 40 || (h < end && isalnum((unsigned char)*h)))
		return 0;
	return (size_t)(h - s);
}

/*
 * The commit id of an Origin: value: the URL shapes of github, gitlab,
 * cgit and gitweb (".../commit/<sha>", "/commits/<sha>", "?id=<sha>",
 * ";h=<sha>"), else the first whole hex word of 7 to 40 digits.
 */
static size_t origin_value_commit(const char *s, const char *end,
				  const char **id)
{
	static const char *const marks[] = { "/commit/", "/commits/", "id=",
					     "h=" };
	const char *q;
	size_t i, n;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		for (q = s; q < end; q++) {
			size_t ml = strlen(marks[i]);

			if ((size_t)(end - q) < ml || strncmp(q, marks[i], ml))
				continue;
			if (marks[i][0] != '/' && q > s && !strchr("?&;", q[-1]))
				continue; /* "id=" only as a query field */
			if ((n = hex_id(q + ml, end))) {
				*id = q + ml;
				return n;
			}
		}
	for (q = s; q < end; q++)
		if ((q == s || !isalnum((unsigned char)q[-1])) && (n = hex_id(q, end))) {
			*id = q;
			return n;
		}
	return 0;
}

size_t report_origin_commit(const struct patch *p, const char **id)
{
	const char *s = p->header, *end = p->header + p->header_len;

	while (s && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		size_t n;

		if (le - s > 7 && !strncasecmp(s, "Origin:", 7) &&
		    (n = origin_value_commit(s + 7, le, id)))
			return n;
		s = nl ? nl + 1 : NULL;
	}
	return 0;
}

size_t report_patch_commit(const struct patch *p, const char **id)
{
	if (p->meta.commit) {
		*id = p->meta.commit;
		return strlen(p->meta.commit);
	}
	return report_origin_commit(p, id);
}

static void patch_commit_facts(struct report_patch *rp, struct gitsrc *git)
{
	const char *id;
	size_t len = report_patch_commit(rp->p, &id);

	rp->commit_state = RC_NONE;
	if (!len)
		return;
	rp->commit = xstrndup(id, len);
	if (!git)
		rp->commit_state = RC_NOT_CHECKED;
	else
		rp->commit_state = gitsrc_is_revision(git, rp->commit) == 1
					   ? RC_RESOLVED : RC_NOT_FOUND;
}

const char *report_commit_word(const struct report_patch *rp)
{
	return rp->commit_state == RC_RESOLVED ? "upstream commit"
					       : "cited commit";
}

const char *report_commit_note(const struct report_patch *rp)
{
	switch (rp->commit_state) {
	case RC_NOT_CHECKED:
		return "not checked";
	case RC_NOT_FOUND:
		return "not in --git's history";
	default:
		return NULL;
	}
}

/* ---- the state on each target ---- */

/* A line worth matching: it has at least 6 non-blank characters. */
static int telling(const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		n += !isspace((unsigned char)s[i]);
	return n >= 6;
}

static int same_trimmed(const struct pline *a, const struct pline *b)
{
	const char *x = a->text, *y = b->text;
	size_t xl = a->len, yl = b->len;

	while (xl && isspace((unsigned char)*x)) x++, xl--;
	while (xl && isspace((unsigned char)x[xl - 1])) xl--;
	while (yl && isspace((unsigned char)*y)) y++, yl--;
	while (yl && isspace((unsigned char)y[yl - 1])) yl--;
	return xl == yl && !memcmp(x, y, xl);
}

/* Patch lo adds, to path, a line of hunk h's pre-image. */
static int adds_context_of(const struct patch *lo, const char *path,
			   const struct hunk *h)
{
	size_t f, k, i, j;

	for (f = 0; f < lo->nfiles; f++) {
		const struct file_diff *fd = &lo->files[f];
		const char *lp = file_diff_target(fd, patch_strip_level(lo));

		if (!lp || strcmp(lp, path))
			continue;
		for (k = 0; k < fd->nhunks; k++)
			for (i = 0; i < fd->hunks[k].nlines; i++) {
				const struct pline *a = &fd->hunks[k].lines[i];

				if (a->kind != '+' || !telling(a->text, a->len))
					continue;
				for (j = 0; j < h->nlines; j++)
					if (h->lines[j].kind != '+' &&
					    same_trimmed(a, &h->lines[j]))
						return 1;
			}
	}
	return 0;
}

/* The earlier left-out patch patch i's conflict on t depends on, or -1. */
static long left_out_cause(const struct report *r, size_t i, size_t t)
{
	const struct patch_result *res = check_cell(r->run, i, t);
	size_t f, h, e;

	if (r->run->state.independent)
		return -1;
	for (f = 0; f < res->nfiles; f++) {
		const struct file_result *fr = &res->files[f];

		for (h = 0; fr->hunks && h < fr->fd->nhunks; h++) {
			if (fr->hunks[h].verdict != V_CONFLICT)
				continue;
			for (e = i; e-- > 0;) {
				const struct patch_result *er = check_cell(r->run, e, t);

				if (!er->kept && er->verdict == V_CONFLICT &&
				    adds_context_of(&r->series->v[e], fr->path,
						    &fr->fd->hunks[h]))
					return (long)e;
			}
		}
	}
	return -1;
}

static const struct plan_target *plan_of(const struct plan_run *plan,
					 const char *name)
{
	size_t k;

	for (k = 0; plan && k < plan->ntargets; k++)
		if (plan->targets[k].name && !strcmp(plan->targets[k].name, name))
			return &plan->targets[k];
	return NULL;
}

static void patch_states(struct report *r, size_t i)
{
	struct report_patch *rp = &r->patches[i];
	size_t t;

	rp->state = xcalloc(r->run ? r->run->ntargets + 1 : 1, sizeof(*rp->state));
	rp->left_out = xcalloc(r->run ? r->run->ntargets + 1 : 1, sizeof(long));
	for (t = 0; r->run && t < r->run->ntargets; t++) {
		const struct patch_result *res = check_cell(r->run, i, t);
		const struct plan_target *pt;

		rp->left_out[t] = -1;
		switch (res->verdict) {
		case V_CONFLICT:
			pt = plan_of(r->plan, r->run->targets[t].name);
			rp->state[t] = pt && pt->status == PLAN_OK ? RS_PLANNED
								  : RS_MANUAL;
			rp->left_out[t] = left_out_cause(r, i, t);
			break;
		case V_APPLIED:
			rp->state[t] = RS_APPLIED;
			break;
		case V_FUZZ:
		case V_MERGED:
		case V_ADAPTED:
			rp->state[t] = RS_NOISE;
			break;
		default:
			rp->state[t] = RS_OK;
		}
	}
}

void report_patch_facts(struct report *r, size_t i, struct gitsrc *git)
{
	struct report_patch *rp = &r->patches[i];

	patch_cves(rp);
	patch_commit_facts(rp, git);
	patch_states(r, i);
}

void report_patch_facts_release(struct report_patch *rp)
{
	size_t k;

	for (k = 0; k < rp->ncves; k++)
		free(rp->cves[k]);
	free(rp->cves);
	free(rp->commit);
	free(rp->state);
	free(rp->left_out);
}

int report_conflicts_anywhere(const struct report *r, size_t i)
{
	size_t t;

	for (t = 0; r->run && t < r->run->ntargets; t++)
		if (r->patches[i].state[t] == RS_PLANNED ||
		    r->patches[i].state[t] == RS_MANUAL)
			return 1;
	return 0;
}

const char *report_state_name(enum report_state s)
{
	static const char *const names[] = {
		[RS_OK] = "ok", [RS_NOISE] = "noise", [RS_APPLIED] = "applied",
		[RS_PLANNED] = "planned", [RS_MANUAL] = "manual",
	};

	return names[s];
}
