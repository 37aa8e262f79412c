/*
 * plan_int.h - what plan.c, plan_queue.c, plan_filter.c and plan_adapt.c
 * share: the chain of commits, the queue it makes with the series, and
 * the adaptations that stand in for chains.
 */
#ifndef BT_PLAN_INT_H
#define BT_PLAN_INT_H

#include "analyse/plan.h"
#include "util.h"

/* plan_queue.c */
void plan_commit_release(struct plan_commit *c);
void plan_list_release(struct plan_list *l);
struct plan_commit *plan_list_find(const struct plan_list *l,
					  const char *commit);
struct plan_commit *plan_list_add(struct plan_list *l,
					 const char *commit,
					 const char *subject);
void plan_list_move(struct plan_list *l, size_t i, struct plan_list *to);
void plan_commit_add_need(struct plan_commit *c, const char *by,
				 char *hunks, const char *files, size_t lines);
void plan_patch_size(const struct patch *p, size_t *files, long *added,
		       long *removed);
int plan_series_has(const struct patch_list *s, const char *commit);
int plan_queue_build(struct plan_run *run, const struct plan_list *chain,
		       const char *skip, struct patch_list *q);

/* plan.c */
int plan_close(struct plan_run *run, struct plan_target *pt, const char *spec);
int plan_minimise(struct plan_run *run, struct plan_target *pt,
		  const char *spec);

/* plan_adapt.c */
/* A header sync adaptation never stands in for: headers_is_sync, a
   subject "...headers: update..."/"update ... headers", or only files
   under an include/ uapi directory. */
int plan_is_header_sync(const struct patch *p);
/* Which series patches adapt on the target and may (pt->adapts).  0/-1. */
int plan_adapt_choose(struct plan_run *run, struct plan_target *pt,
		      const char *spec);
/* Is p a series patch placed adapted (run->adapting)? */
int plan_adapt_allowed(const struct plan_run *run, const struct patch *p);
/* The verification placed p as r: what it adapted, into pt->adapts and s. */
void plan_adapt_step(struct plan_target *pt, struct plan_step *s,
		     const struct patch_result *r);
/* The chain without adaptation: what each adaptation saves.  0 or -1. */
int plan_adapt_weigh(struct plan_run *run, struct plan_target *pt,
		     const char *spec);
void plan_adapts_release(struct plan_target *pt);

/* plan_names.c */
/*
 * Before the first round: the commits that introduce the names the series
 * uses and the target lacks join pt->chain, each needed "for" its name
 * (those the target carries into pt->skipped).  0; 1 when there are more
 * than --max-commits (pt->status and pt->pending say so); -1 on error.
 */
/*
 * The strict deps run with names on pt's target (spec), made once and kept
 * in pt->names: the adaptation's refusal and the seed both read it.  NULL
 * after an error.  plan_names_release drops it.
 */
const struct deps_run *plan_names_deps(struct plan_run *run,
				       struct plan_target *pt,
				       const char *spec);
void plan_names_release(struct plan_target *pt);
int plan_names_seed(struct plan_run *run, struct plan_target *pt,
		    const char *spec);
/* 1 when c introduces a name a patch of the series uses. */
int plan_names_needed(const struct plan_commit *c);

/* plan_filter.c */
struct plan_carried_patch {
	char *name;                 /* as debian/patches/series lists it */
	char **ids;                 /* upstream commit ids (prefixes) */
	size_t nids;
	const char *how;            /* what names the commit */
	unsigned long long pid;     /* patch id of its diff, 0: none */
};

struct plan_carried {               /* a Debian target's debian/patches */
	struct plan_carried_patch *v;
	size_t n;
};

/* Read a directory target's debian/patches (nothing for git:REV). */
int plan_carried_load(struct plan_carried *pc, const char *spec);
void plan_carried_release(struct plan_carried *pc);
/* The name of the carried patch that is commit (or has p's diff), or
   NULL; *how says what recognised it. */
const char *plan_carried_by(const struct plan_carried *pc, const char *commit,
			    const struct patch *p, const char **how);
/* Why p is a commit a chain can do without (CI only, comments...), or
   NULL. */
const char *plan_trivial_reason(const struct patch *p);
/*
 * Leave out of a round's candidates those the target carries and, when
 * another candidate remains, those plan_trivial_reason names: both into
 * pt->skipped, with a note.  *carried counts the first.  0 or -1.
 */
int plan_filter_round(struct plan_run *run, struct plan_target *pt,
		      struct plan_list *cand, size_t *carried);

#endif
