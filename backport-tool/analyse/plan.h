/*
 * plan.h - a verified backport plan: which upstream commits to carry so
 * that a series applies with fuzz 0 on a target.
 *
 * The first candidates are the upstream commits that introduce the names
 * the series uses and the target lacks (plan_names.c: deps finds them once
 * per target); they join the chain before the first round, and the
 * minimality pass keeps them (a patch would not compile without them).
 * Then deps names the upstream commits that last changed the context a
 * conflicting hunk misses.  A plan closes over
 * them: every candidate joins the queue (in upstream order, among the
 * series when the series came from git, else before it), the queue is
 * placed again as dpkg-source would (fuzz 0, no 3-way merge), and the
 * candidates of what still conflicts -- a candidate may need its own --
 * join in the next round, until everything applies, nothing new is named
 * (stuck), or --max-depth rounds or --max-commits commits are reached.
 * A minimality pass then drops every other commit without which the queue
 * still applies, and the final queue is applied once more, in memory, as the
 * evidence the report prints (hunks clean per patch).
 *
 * Adaptation (plan_adapt.c): with plan_opts.adapt, a series patch that
 * conflicts and whose every conflicting hunk adapts (place/adapt.h) is
 * placed adapted in every round, so no chain is searched for it -- unless
 * it is a header sync, its added lines use names the target lacks (deps),
 * or, with --build, its adapted hunks break the build: those keep the
 * chain, and plan says why.  The chain without adaptation is planned too,
 * to show both sizes.
 *
 * Beside the chain, where the series has a header sync, the alternative:
 * the sync trimmed to what the other patches use (check_trim.h), with
 * both sizes.
 */
#ifndef BT_PLAN_H
#define BT_PLAN_H

#include <stddef.h>
#include <stdio.h>

#include "analyse/compile.h"

struct deps_run;
#include "input/input.h"
#include "input/patch.h"
#include "place/place.h"

struct plan_need {          /* one patch that needs a chain commit */
	char *by;               /* that patch's label (commit id or name) */
	char *hunks;            /* "linux-headers/linux/kvm.h hunks 2, 5" */
	char *files;            /* the files whose missing context it brings */
	size_t lines;           /* missing context lines it last changed */
	char *name;             /* or: a name it uses that the commit
				   introduces (plan_names.c), else NULL */
};

struct plan_commit {
	char commit[41];
	char *subject;
	size_t depth;           /* 1: the series needs it; 2: a depth-1 one... */
	struct plan_need *needs;
	size_t nneeds, alloc;
	size_t files;           /* file diffs of the commit */
	long added, removed;    /* its '+' and '-' lines */
	int sync;               /* itself a header sync (headers_is_sync) */
	char *note;             /* dropped: why; companion: what it fixes */
};

struct plan_list {
	struct plan_commit *v;
	size_t n, alloc;
};

/* One patch of the final queue as the verification placed it. */
struct plan_step {
	char *label;
	char *subject;
	int series;             /* from the series, not the chain */
	enum verdict verdict;
	size_t hunks, exact;    /* hunks, and those clean or offset */
	char *reason;           /* patch_result_describe(), or NULL */
	int build;              /* --build: 0 not built, 1 builds, 2 breaks */
	char *build_error;      /* the first error it owns: "f.c:12: ..." */
	size_t warnings;        /* warnings on lines it added */
	size_t adapted;         /* hunks adapted (V_ADAPTED) */
	int adapted_breaks;     /* build_error is on an adapted hunk */
};

/* A series patch plan could adapt instead of carrying its chain. */
struct plan_adapt {
	char *label;            /* the series patch */
	int taken;              /* adapted in the verification */
	char *why;              /* not taken: why its chain is carried */
	size_t hunks;           /* taken: hunks adapted */
	char *kinds;            /* taken: "drift, rename" */
	int sized;              /* the chain it saves is known: */
	size_t commits;         /*   its commits */
	long lines;             /*   and their '+'/'-' lines */
	char *instead;          /* not sized: why ("size limit reached") */
};

enum plan_status {
	PLAN_OK,                /* the queue applies with fuzz 0, verified */
	PLAN_STUCK,             /* a conflict no upstream commit explains */
	PLAN_DEPTH_LIMIT,       /* --max-depth rounds were not enough */
	PLAN_SIZE_LIMIT,        /* the chain would exceed --max-commits */
	PLAN_TIME_LIMIT         /* --time-budget ran out */
};

struct plan_trim {          /* the trimmed alternative */
	int present;            /* the series has a header sync */
	char *sync;             /* its label */
	int refused;            /* the trimmer refused */
	long kept_lines;        /* '+' lines of the trimmed sync */
	long full_lines;        /* '+'/'-' lines of the full sync */
	size_t kept;            /* declarations kept */
	int applies;            /* the trimmed series applies with fuzz 0 */
	char *reason;           /* why not, when it does not */
	int built;              /* --build ran on the trimmed series */
	struct compile_result build;
};

struct plan_target {
	char *name;
	char *spec;
	enum plan_status status;
	char *message;          /* one line: what stopped it, or NULL */
	size_t rounds;
	struct plan_list chain;       /* upstream order */
	struct plan_list dropped;     /* named, then found unnecessary */
	struct plan_list companions;  /* deps' companions: review, not apply */
	struct plan_list pending;     /* limit hit: the candidates left out */
	struct plan_list skipped;     /* carried by the target already, or
					 CI/comment/spelling-only commits
					 something else made unneeded */
	struct plan_step *steps;      /* the verification, queue order */
	size_t nsteps;
	struct plan_trim trim;
	int built;                    /* --build ran (build holds it) */
	struct compile_result build;
	struct guard_index *guards;   /* deps' #if index of the target, kept
					 from round to round */
	struct plan_adapt *adapts;    /* the series patches that adapt */
	size_t nadapts;
	struct deps_run *names;       /* deps with names on the target, made
					 once for adaptation and the seed
					 (plan_names_deps), then released */
};

struct plan_opts {
	size_t max_depth;       /* rounds of candidates (default 5) */
	size_t max_commits;     /* chain size (default 20) */
	const char *base;       /* upstream base of directory targets */
	int build;              /* --build: compile what the queue touches */
	int has_budget;         /* --time-budget given */
	double time_budget;     /* its seconds: 0 stops after the first round */
	int adapt;              /* adapt what can be, rather than carry (plan:
				   on unless --no-adapt) */
	int no_names;           /* --no-names: candidates from context only */
	struct compile_opts compile;
};

#define PLAN_MAX_DEPTH 5
#define PLAN_MAX_COMMITS 20

struct plan_carried;

struct plan_run {
	const struct patch_list *series;
	const struct plan_carried *carried; /* the target's, while planned */
	const struct plan_target *adapting; /* its taken adaptations are
					       placed adapted, while planned */
	double deadline;        /* when --time-budget runs out (plan_now) */
	struct input *in;       /* its git is the upstream history */
	struct plan_opts opts;
	struct plan_target *targets;
	size_t ntargets, alloc;
};

void plan_run_init(struct plan_run *run, const struct patch_list *series,
		   struct input *in, const struct plan_opts *opts);
/*
 * Plan the series for the target spec ("NAME=git:REV" or "[NAME=]DIR").
 * Returns 0 (the target's status says how far it got) or -1 after an
 * input error.
 */
int plan_run_target(struct plan_run *run, const char *spec);
void plan_run_release(struct plan_run *run);

/* --build: 1 when the target's queue was built and every unit compiled. */
int plan_target_builds(const struct plan_target *pt);

/* 1 when every target's plan is verified. */
int plan_run_ok(const struct plan_run *run);

const char *plan_status_name(enum plan_status s);

/* Seconds on a monotonic clock, for --time-budget. */
double plan_now(void);

/* emit/plan_format.c; plan_json is plan_print_json's document (a jansson
   json_t, new reference), for the report */
struct json_t;
struct json_t *plan_json(const struct plan_run *run);
void plan_print_text(const struct plan_run *run, FILE *f);
void plan_print_markdown(const struct plan_run *run, FILE *f);
/* "## Build": per target, what compiled and each error with its patch
   and hunk; nothing when --build did not run. */
void plan_print_build_markdown(const struct plan_run *run, FILE *f);
void plan_print_json(const struct plan_run *run, FILE *f);

#endif
