/*
 * test_worktree.c - worktree_check_clean() on a git repository the test
 * makes: committed files pass, every kind of uncommitted work is refused
 * (unless forced), ignored and new files pass, non-repositories pass.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tree/worktree.h"

struct repo {
	char dir[PATH_MAX - 64];
	char work[PATH_MAX];  /* the git work tree */
	char plain[PATH_MAX]; /* a directory outside any repository */
};

static void sh(const char *dir, const char *cmd)
{
	char buf[PATH_MAX * 3];

	snprintf(buf, sizeof(buf), "cd '%s' && { %s; } >/dev/null 2>&1", dir,
		 cmd);
	if (system(buf) != 0)
		fail_msg("command failed: %s", cmd);
}

static int setup(void **state)
{
	struct repo *r = calloc(1, sizeof(*r));
	const char *tmp = getenv("TMPDIR");

	snprintf(r->dir, sizeof(r->dir), "%s/test_worktree.XXXXXX",
		 tmp && *tmp ? tmp : P_tmpdir);
	if (!mkdtemp(r->dir))
		return -1;
	snprintf(r->work, sizeof(r->work), "%s/work", r->dir);
	snprintf(r->plain, sizeof(r->plain), "%s/plain", r->dir);
	if (mkdir(r->work, 0755) || mkdir(r->plain, 0755))
		return -1;
	sh(r->work, "git init -q . && git config user.name T && "
		    "git config user.email t@example.org && "
		    "mkdir -p src/sub && echo a > src/a.c && echo b > src/b.c && "
		    "echo c > src/sub/c.c && echo d > d.c && echo e > e.c && "
		    "echo '*.o' > .gitignore && git add . && "
		    "git commit -q -m base");
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	struct repo *r = *state;
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r->dir);
	if (system(cmd) != 0)
		return -1;
	free(r);
	return 0;
}

static void test_clean_repo_passes(void **state)
{
	struct repo *r = *state;
	const char *paths[] = { "src/a.c", "src/sub/c.c", "d.c", "new/file.c" };

	assert_int_equal(worktree_check_clean(r->work, paths, 4, 0), 0);
}

static void test_modified_refused(void **state)
{
	struct repo *r = *state;
	const char *paths[] = { "src/a.c", "d.c" };

	sh(r->work, "echo local >> d.c");
	assert_int_equal(worktree_check_clean(r->work, paths, 2, 0), -1);
	assert_int_equal(worktree_check_clean(r->work, paths, 2, 1), 0);
	/* a file not touched by the write does not matter */
	assert_int_equal(worktree_check_clean(r->work, paths, 1, 0), 0);
}

static void test_staged_deleted_untracked_refused(void **state)
{
	struct repo *r = *state;
	const char *staged[] = { "e.c" };
	const char *deleted[] = { "src/b.c" };
	const char *untracked[] = { "notes.txt" };

	sh(r->work, "echo staged >> e.c && git add e.c");
	sh(r->work, "rm src/b.c");
	sh(r->work, "echo mine > notes.txt");
	assert_int_equal(worktree_check_clean(r->work, staged, 1, 0), -1);
	assert_int_equal(worktree_check_clean(r->work, deleted, 1, 0), -1);
	assert_int_equal(worktree_check_clean(r->work, untracked, 1, 0), -1);
	assert_int_equal(worktree_check_clean(r->work, untracked, 1, 1), 0);
}

static void test_ignored_passes(void **state)
{
	struct repo *r = *state;
	const char *paths[] = { "src/a.o" };

	sh(r->work, "echo obj > src/a.o");
	assert_int_equal(worktree_check_clean(r->work, paths, 1, 0), 0);
}

static void test_subdirectory_target(void **state)
{
	struct repo *r = *state;
	char sub[PATH_MAX + 8];
	const char *clean[] = { "a.c", "sub/c.c" };
	const char *dirty[] = { "sub/c.c" };

	snprintf(sub, sizeof(sub), "%s/src", r->work);
	assert_int_equal(worktree_check_clean(sub, clean, 2, 0), 0);
	sh(r->work, "echo x >> src/sub/c.c");
	assert_int_equal(worktree_check_clean(sub, dirty, 1, 0), -1);
}

static void test_outside_repo_does_nothing(void **state)
{
	struct repo *r = *state;
	const char *paths[] = { "anything.c" };

	sh(r->plain, "echo x > anything.c");
	assert_int_equal(worktree_check_clean(r->plain, paths, 1, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clean_repo_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modified_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staged_deleted_untracked_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ignored_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subdirectory_target, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_repo_does_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
