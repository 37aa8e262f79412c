/*
 * report.h - the review report: one document a maintainer pastes into a
 * Launchpad bug (Markdown) or feeds to a script (JSON, the same facts).
 *
 * report_build reads what the other stages computed - the verdict matrix
 * (check.h), lint findings, and the interdiff of each carried patch with
 * its upstream version when one is given - into one model; the two
 * renderers only format it.  Where the analysis cannot know something (the
 * bug's impact, the test plan), the report says "TODO:" for the human
 * instead of inventing it.
 */
#ifndef BT_REPORT_H
#define BT_REPORT_H

#include <stdio.h>

#include "place/check.h"
#include "analyse/interdiff.h"
#include "analyse/lint.h"
#include "input/patch.h"

struct buildlog;
struct gitsrc;
struct plan_run;

/* A patch's state on a target: computed once, read by every section. */
enum report_state {
	RS_OK,      /* clean or offset */
	RS_NOISE,   /* fuzz, a 3-way merge or an adaptation */
	RS_APPLIED, /* already in the target */
	RS_PLANNED, /* conflicts alone; the plan's prerequisites verified */
	RS_MANUAL   /* conflicts: needs a manual backport */
};

/* The commit a patch cites, against --git's history. */
enum report_commit {
	RC_NONE,        /* cites none */
	RC_NOT_CHECKED, /* no --git */
	RC_NOT_FOUND,   /* --git lacks it */
	RC_RESOLVED
};

struct report_patch {
	const struct patch *p;
	size_t first_finding, nfindings; /* into report.lint */
	const struct patch *upstream;    /* its upstream version, or NULL */
	struct interdiff diff;           /* valid when upstream */
	char **reasons;                  /* per target: why not OK, or NULL
					    (with the left-out patch a
					    conflict depends on) */
	enum report_state *state;        /* per target */
	long *left_out;                  /* per target: index of the left-out
					    patch its conflict depends on, -1 */
	char **cves;                     /* CVE ids, first seen first */
	size_t ncves;
	char *commit;                    /* the cited commit id, or NULL */
	enum report_commit commit_state;
};

/* What report_build_with reads besides the series and the verdicts. */
struct report_input {
	const struct lint_config *lint; /* rule sets and package, or NULL:
					   chosen from the patches */
	struct gitsrc *git;             /* --git: cited commits resolved */
	const struct plan_run *plan;    /* --plan, or NULL */
};

/* A list of bullets for one section of the SRU template. */
struct report_section {
	const char *title; /* "Impact", "Test Plan", ... */
	const char *key;   /* "impact", "test_plan", ... (JSON) */
	char **items;
	size_t n, alloc;
};

enum { REPORT_IMPACT, REPORT_TEST_PLAN, REPORT_REGRESSION, REPORT_OTHER,
       REPORT_NSECTIONS };

struct report {
	const struct patch_list *series;
	const struct check_run *run; /* NULL: no targets were given */
	struct lint_result lint;
	struct report_patch *patches; /* series->n entries */
	const char *arch;             /* the one architecture, or NULL */
	int qemu;                     /* the qemu rule set ran */
	char *lint_rules;             /* "generic, qemu (why)" */
	char **common_files;          /* touched files of no architecture */
	size_t ncommon, common_alloc;
	struct report_section sru[REPORT_NSECTIONS];
	const struct plan_run *plan;  /* report --plan: the prerequisites per
					 target (analyse/plan.h), or NULL */
	const struct buildlog *build; /* sbuild's result, or NULL; set after
					 report_build, not released */
	const char *build_log;        /* its log file */
};

/*
 * Build the model.  run (may be NULL) must have run on series; upstream
 * (may be NULL) holds upstream versions, matched to the series by commit
 * id (mail "From <sha>" line or DEP-3 Origin URL), then by subject.
 */
void report_build(struct report *r, const struct patch_list *series,
		  const struct check_run *run,
		  const struct patch_list *upstream);
void report_build_with(struct report *r, const struct patch_list *series,
		       const struct check_run *run,
		       const struct patch_list *upstream,
		       const struct report_input *in);
void report_release(struct report *r);

void report_write_markdown(const struct report *r, FILE *f);
void report_write_json(const struct report *r, FILE *f);


#endif
