/*
 * test_deps.c - the pieces of deps on a small history built with git: the
 * include closure, the search for the commit that introduced a name, and
 * the prerequisites a conflicting patch's lost context points to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/deps.h"
#include "input/gitsrc.h"
#include "tree/tree.h"
#include "util.h"

#include "tmpdir.h"

static char repo[4096];

static void sh(const char *cmd)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addf(&sb, "cd '%s' && { %s; } >/dev/null 2>&1", repo, cmd);
	assert_int_equal(system(sb.buf), 0);
	sb_release(&sb);
}

static char *rev(const char *r)
{
	struct gitsrc *g;
	struct strbuf out;
	struct patch_list l = { 0 };
	const char *specs[] = { r };
	char *id;

	assert_int_equal(gitsrc_open(&g, repo), 0);
	sb_init(&out);
	assert_int_equal(gitsrc_read_commits_in(g, &l, specs, 1), 0);
	id = xstrdup(l.v[0].meta.commit);
	patch_list_release(&l);
	sb_release(&out);
	gitsrc_free(g);
	return id;
}

#define COMMIT(msg) \
	"git -c user.name=A -c user.email=a@x commit -q -a -m '" msg "'"

/*
 * v1: include/api.h (old_fn), src/a.c includes "api.h" via include/,
 *     src/b.h, src/a.c includes "b.h" (same directory) and <stdio.h>.
 * then: add new_fn to api.h; an unrelated change; rename a macro in b.h.
 */
static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(repo, sizeof(repo), "%s/bt-deps-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	assert_non_null(mkdtemp(repo));
	sh("git init -q . && mkdir -p include src && "
	   "printf 'int old_fn(void);\\n' > include/api.h && "
	   "printf '#define B_LEVEL 1\\n#include \"../include/api.h\"\\n' > src/b.h && "
	   "printf '#include <stdio.h>\\n#include \"api.h\"\\n#include \"b.h\"\\nint x;\\n' > src/a.c && "
	   "printf 'unrelated\\n' > notes.txt && git add . && " COMMIT("init") " && git tag v1");
	sh("printf 'int old_fn(void);\\nint new_fn(int);\\n' > include/api.h && " COMMIT("api: new_fn"));
	sh("echo more >> notes.txt && " COMMIT("notes"));
	sh("sed -i 's/new_fn(int)/new_fn(int level)/' include/api.h && " COMMIT("api: name the parameter"));
	sh("git tag v2");
	return 0;
}

static int teardown(void **state)
{
	return tmpdir_remove(repo);
}

static void test_include_closure(void **state)
{
	const char *start[] = { "src/a.c", "src/missing.c" };
	struct tree *t;
	char **paths;
	size_t n, i;
	int found_api = 0, found_b = 0;

	assert_int_equal(gitsrc_open_tree(&t, "v1", repo, "v1"), 0);
	deps_include_closure(t, start, 2, 100, &paths, &n);
	assert_int_equal(n, 3); /* a.c, include/api.h, src/b.h; not stdio.h */
	assert_string_equal(paths[0], "src/a.c");
	for (i = 0; i < n; i++) {
		found_api |= !strcmp(paths[i], "include/api.h");
		found_b |= !strcmp(paths[i], "src/b.h");
		free(paths[i]);
	}
	free(paths);
	assert_true(found_api && found_b);
	/* the cap is honoured */
	deps_include_closure(t, start, 2, 1, &paths, &n);
	assert_int_equal(n, 1);
	free(paths[0]);
	free(paths);
	tree_free(t);
}

static void test_find_introducer(void **state)
{
	struct gitsrc *g;
	char out[41];
	char *added = rev("v2~2");

	assert_int_equal(gitsrc_open(&g, repo), 0);
	/* the commit that adds the prototype, not the one that changes it */
	assert_int_equal(deps_find_introducer(g, "v1", "v2", "include/api.h",
					      "new_fn", out), 0);
	assert_string_equal(out, added);
	/* defined before the range: nothing in the range introduced it */
	assert_int_equal(deps_find_introducer(g, "v1", "v2", "include/api.h",
					      "old_fn", out), 1);
	assert_string_equal(out, "");
	/* the range excludes it */
	assert_int_equal(deps_find_introducer(g, "v2~2", "v2", "include/api.h",
					      "new_fn", out), 1);
	/* no hide: the whole history */
	assert_int_equal(deps_find_introducer(g, NULL, "v2", "include/api.h",
					      "old_fn", out), 0);
	assert_int_equal(deps_find_introducer(g, "v1", "no-such-rev",
					      "include/api.h", "new_fn", out), -1);
	gitsrc_free(g);
	free(added);
}

/*
 * The last commit changes the line new_fn's commit added; on v1 its hunk
 * conflicts, and the lost context line points at the commit that added it.
 */
static void test_prerequisite_of_conflict(void **state)
{
	struct patch_list series = { 0 };
	const char *specs[] = { "v2" };
	struct deps_run run;
	struct gitsrc *g;
	struct tree *t;
	char *added = rev("v2~2");

	assert_int_equal(gitsrc_open(&g, repo), 0);
	assert_int_equal(gitsrc_read_commits_in(g, &series, specs, 1), 0);
	deps_run_init(&run, &series, g);
	assert_int_equal(gitsrc_open_tree_in(&t, g, "old", "v1"), 0);
	deps_run_add_target(&run, "old", "v1", t);
	assert_int_equal(gitsrc_open_tree_in(&t, g, "new", "v2~1"), 0);
	deps_run_add_target(&run, "new", "v2~1", t);
	assert_int_equal(deps_run_all(&run), 0);

	assert_int_equal(run.targets[0].results[0].verdict, V_CONFLICT);
	assert_int_equal(run.targets[0].results[0].nprereqs, 1);
	assert_string_equal(run.targets[0].results[0].prereqs[0].commit, added);
	assert_string_equal(run.targets[0].results[0].prereqs[0].subject,
			    "api: new_fn");
	assert_string_equal(run.targets[0].results[0].prereqs[0].files,
			    "include/api.h");
	/* where the context is there, nothing is missing */
	assert_int_equal(run.targets[1].results[0].verdict, V_CLEAN);
	assert_int_equal(run.targets[1].results[0].nprereqs, 0);
	assert_int_equal(run.targets[1].results[0].nmissing, 0);
	assert_int_equal(run.conflicts, 1);
	{
		struct strbuf note = STRBUF_INIT;

		sb_init(&note);
		deps_note(&run.targets[0].results[0], &note);
		assert_int_equal(strncmp(note.buf, "needs ", 6), 0);
		assert_memory_equal(note.buf + 6, added, 10);
		sb_reset(&note);
		deps_note(&run.targets[1].results[0], &note);
		assert_string_equal(note.buf, "");
		sb_release(&note);
	}
	deps_run_release(&run);
	patch_list_release(&series);
	gitsrc_free(g);
	free(added);
}

static void test_note_lists_missing_names(void **state)
{
	struct deps_missing m[4];
	struct deps_prereq q[1];
	struct deps_result r;
	struct strbuf note = STRBUF_INIT;
	char *names[] = { "alpha", "beta", "gamma", "delta" };
	size_t i;

	memset(&r, 0, sizeof(r));
	memset(m, 0, sizeof(m));
	memset(q, 0, sizeof(q));
	for (i = 0; i < 4; i++)
		m[i].name = names[i];
	r.missing = m;
	r.nmissing = 2;
	sb_init(&note);
	deps_note(&r, &note);
	assert_string_equal(note.buf, "2 missing (alpha, beta)");
	r.nmissing = 4;
	strcpy(q[0].commit, "0123456789abcdef0123456789abcdef01234567");
	r.prereqs = q;
	r.nprereqs = 1;
	sb_reset(&note);
	deps_note(&r, &note);
	assert_string_equal(note.buf,
			    "needs 0123456789; 4 missing (alpha, beta, gamma, ...)");
	sb_release(&note);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_include_closure),
		cmocka_unit_test(test_find_introducer),
		cmocka_unit_test(test_prerequisite_of_conflict),
		cmocka_unit_test(test_note_lists_missing_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
