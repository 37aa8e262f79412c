/*
 * test_plan.c - the prerequisite closure on a small history built with
 * git: a chain of three commits where only the closure applies, a
 * candidate blame names by mistake and the minimality pass drops, the
 * depth and size limits, and a series that needs nothing.
 *
 * f.txt: A "line 5" -> "line five"; B "line 8" -> "line eight" (its
 *        context holds line five); C "line 11" -> "line eleven" (its
 *        context holds line eight, not line five).
 * g.txt: E "item 20" -> "item shared", "item 21" -> "item twenty-one";
 *        N "item 35" -> "item shared" (unrelated, but the newest commit
 *        adding that text); S "item 22" -> "item twenty-two".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/plan.h"
#include "input/gitsrc.h"
#include "input/input.h"
#include "util.h"

#include "tmpdir.h"

static char repo[4096];
static char ids[8][41]; /* A B C E N S */
enum { A, B, C, E, N, S };

static void sh(const char *cmd)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addf(&sb, "cd '%s' && { %s; } >/dev/null 2>&1", repo, cmd);
	assert_int_equal(system(sb.buf), 0);
	sb_release(&sb);
}

static void head_id(char *out)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *p;

	sb_addf(&sb, "git -C '%s' rev-parse HEAD", repo);
	p = popen(sb.buf, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, 41, p));
	pclose(p);
	sb_release(&sb);
}

#define COMMIT(msg) \
	"git -c user.name=A -c user.email=a@x commit -q -a -m '" msg "'"

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(repo, sizeof(repo), "%s/bt-plan-XXXXXX",
		 tmp && *tmp ? tmp : P_tmpdir);
	assert_non_null(mkdtemp(repo));
	sh("git init -q . && for i in $(seq 1 40); do echo \"line $i\"; done >f.txt && "
	   "for i in $(seq 1 40); do echo \"item $i\"; done >g.txt && "
	   "git add . && " COMMIT("init") " && git tag v1");
	sh("sed -i 's/^line 5$/line five/' f.txt && " COMMIT("A: five"));
	head_id(ids[A]);
	sh("sed -i 's/^line 8$/line eight/' f.txt && " COMMIT("B: eight"));
	head_id(ids[B]);
	sh("sed -i 's/^line 11$/line eleven/' f.txt && " COMMIT("C: eleven"));
	head_id(ids[C]);
	sh("sed -i -e 's/^item 20$/item shared/' -e 's/^item 21$/item twenty-one/' "
	   "g.txt && " COMMIT("E: shared, twenty-one"));
	head_id(ids[E]);
	sh("sed -i 's/^item 35$/item shared/' g.txt && " COMMIT("N: shared again"));
	head_id(ids[N]);
	sh("sed -i 's/^item 22$/item twenty-two/' g.txt && " COMMIT("S: twenty-two"));
	head_id(ids[S]);
	return 0;
}

static int teardown(void **state)
{
	return tmpdir_remove(repo);
}

/* Plan the commit `which` on git:v1 with the given limits. */
static void plan(struct plan_run *run, struct input *in,
		 struct patch_list *series, int which, size_t depth,
		 size_t commits)
{
	struct plan_opts o = { .max_depth = depth, .max_commits = commits };
	struct gitsrc *g;
	const char *spec = ids[which];

	memset(in, 0, sizeof(*in));
	memset(series, 0, sizeof(*series));
	in->git_repo = repo;
	assert_int_equal(gitsrc_open(&g, repo), 0);
	in->git = g;
	assert_int_equal(gitsrc_read_commits_in(g, series, &spec, 1), 0);
	assert_int_equal(series->n, 1);
	plan_run_init(run, series, in, &o);
	assert_int_equal(plan_run_target(run, "v1=git:v1"), 0);
	assert_int_equal(run->ntargets, 1);
}

static void done(struct plan_run *run, struct input *in,
		 struct patch_list *series)
{
	plan_run_release(run);
	patch_list_release(series);
	input_release(in);
}

static void test_chain_of_three(void **state)
{
	struct plan_run run;
	struct input in;
	struct patch_list s;
	const struct plan_target *t;
	size_t i;

	plan(&run, &in, &s, C, 0, 0);
	t = &run.targets[0];
	assert_int_equal(t->status, PLAN_OK);
	assert_true(plan_run_ok(&run));
	assert_null(t->message);
	/* upstream order, though B was named first and A only for B */
	assert_int_equal(t->chain.n, 2);
	assert_string_equal(t->chain.v[0].commit, ids[A]);
	assert_int_equal(t->chain.v[0].depth, 2);
	assert_string_equal(t->chain.v[1].commit, ids[B]);
	assert_int_equal(t->chain.v[1].depth, 1);
	assert_int_equal(t->chain.v[1].nneeds, 1);
	assert_int_equal(t->chain.v[0].added, 1);
	assert_int_equal(t->chain.v[0].removed, 1);
	assert_int_equal(t->chain.v[0].files, 1);
	assert_false(t->chain.v[0].sync);
	assert_int_equal(t->dropped.n, 0);
	assert_int_equal(t->rounds, 3);
	/* the evidence: A, B, C applied in memory, every hunk exact */
	assert_int_equal(t->nsteps, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(t->steps[i].verdict, V_CLEAN);
		assert_int_equal(t->steps[i].hunks, 1);
		assert_int_equal(t->steps[i].exact, 1);
	}
	assert_false(t->steps[1].series);
	assert_true(t->steps[2].series);
	assert_false(t->trim.present);
	done(&run, &in, &s);
}

static void test_needs_name_the_hunk(void **state)
{
	struct plan_run run;
	struct input in;
	struct patch_list s;
	const struct plan_need *n;

	plan(&run, &in, &s, C, 0, 0);
	n = &run.targets[0].chain.v[1].needs[0]; /* B, for C */
	assert_int_equal(strncmp(n->by, ids[C], 10), 0);
	assert_string_equal(n->hunks, "f.txt hunk 1");
	assert_string_equal(n->files, "f.txt");
	assert_int_equal(n->lines, 1);
	n = &run.targets[0].chain.v[0].needs[0]; /* A, for B */
	assert_int_equal(strncmp(n->by, ids[B], 10), 0);
	done(&run, &in, &s);
}

static void test_unneeded_candidate_dropped(void **state)
{
	struct plan_run run;
	struct input in;
	struct patch_list s;
	const struct plan_target *t;

	plan(&run, &in, &s, S, 0, 0);
	t = &run.targets[0];
	assert_int_equal(t->status, PLAN_OK);
	assert_int_equal(t->chain.n, 1);
	assert_string_equal(t->chain.v[0].commit, ids[E]);
	assert_int_equal(t->dropped.n, 1);
	assert_string_equal(t->dropped.v[0].commit, ids[N]);
	assert_non_null(strstr(t->dropped.v[0].note, "applies without it"));
	assert_int_equal(t->nsteps, 2);
	assert_int_equal(t->steps[1].exact, 1);
	done(&run, &in, &s);
}

static void test_depth_limit(void **state)
{
	struct plan_run run;
	struct input in;
	struct patch_list s;
	const struct plan_target *t;

	plan(&run, &in, &s, C, 1, 0);
	t = &run.targets[0];
	assert_int_equal(t->status, PLAN_DEPTH_LIMIT);
	assert_false(plan_run_ok(&run));
	assert_non_null(strstr(t->message, "--max-depth 1 reached"));
	assert_int_equal(t->chain.n, 1);
	assert_string_equal(t->chain.v[0].commit, ids[B]);
	assert_int_equal(t->pending.n, 1);
	assert_string_equal(t->pending.v[0].commit, ids[A]);
	/* the queue so far: B conflicts, so C does too */
	assert_int_equal(t->nsteps, 2);
	assert_int_equal(t->steps[0].verdict, V_CONFLICT);
	done(&run, &in, &s);
}

static void test_size_limit(void **state)
{
	struct plan_run run;
	struct input in;
	struct patch_list s;
	const struct plan_target *t;

	plan(&run, &in, &s, C, 0, 1);
	t = &run.targets[0];
	assert_int_equal(t->status, PLAN_SIZE_LIMIT);
	assert_non_null(strstr(t->message, "--max-commits 1 reached"));
	assert_int_equal(t->chain.n, 1);
	assert_int_equal(t->pending.n, 1);
	done(&run, &in, &s);
}

static void test_nothing_to_carry(void **state)
{
	struct plan_run run;
	struct input in;
	struct patch_list s;
	const struct plan_target *t;

	plan(&run, &in, &s, A, 0, 0);
	t = &run.targets[0];
	assert_int_equal(t->status, PLAN_OK);
	assert_int_equal(t->chain.n, 0);
	assert_int_equal(t->rounds, 1);
	assert_int_equal(t->nsteps, 1);
	assert_true(t->steps[0].series);
	done(&run, &in, &s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_of_three),
		cmocka_unit_test(test_needs_name_the_hunk),
		cmocka_unit_test(test_unneeded_candidate_dropped),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_nothing_to_carry),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
