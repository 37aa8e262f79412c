/*
 * plan_int.h - what plan.c and plan_queue.c share: the chain of commits
 * and the queue it makes with the series.
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

#endif
