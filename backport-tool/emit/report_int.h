/*
 * report_int.h - what report.c and report_facts.c share: the per-patch
 * facts computed once (CVE ids, the cited commit, the state on each
 * target) that every section of the report reads.
 */
#ifndef BT_REPORT_INT_H
#define BT_REPORT_INT_H

#include "emit/report.h"

struct gitsrc;

/* The id of the commit p cites (mail From line, DEP-3 Origin), or 0. */
size_t report_patch_commit(const struct patch *p, const char **id);
size_t report_origin_commit(const struct patch *p, const char **id);

/* Fill r->patches[i]'s facts; r->run and r->plan must be set. */
void report_patch_facts(struct report *r, size_t i, struct gitsrc *git);
void report_patch_facts_release(struct report_patch *rp);

/* "upstream commit" when --git has it, else "cited commit". */
const char *report_commit_word(const struct report_patch *rp);
/* "not checked", "not in --git's history", or NULL when resolved. */
const char *report_commit_note(const struct report_patch *rp);

/* "ok", "noise", "applied", "conflict, planned", "conflict" (JSON). */
const char *report_state_name(enum report_state s);

/* Patch i conflicts on some target. */
int report_conflicts_anywhere(const struct report *r, size_t i);

#endif
