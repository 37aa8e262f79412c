/*
 * test_proc.c - running other programs without a shell: exit statuses,
 * the log file (created, appended), the working directory, a program that
 * is not there, and the environment variables removed for the child (the
 * MAKEFLAGS of an outer make must not reach a package's build).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc.h"
#include "util.h"

static char logpath[64];

static int setup(void **state)
{
	(void)state;
	snprintf(logpath, sizeof(logpath), "/tmp/test_proc.%ld.log", (long)getpid());
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(logpath);
	return 0;
}

static char *log_text(void)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(read_whole_file(logpath, 0, &sb), 0);
	return sb_detach(&sb, NULL);
}

static void test_status(void **state)
{
	const char *const t[] = { "true", NULL };
	const char *const f[] = { "false", NULL };
	const char *const none[] = { "no-such-program-backport-tool", NULL };

	(void)state;
	assert_int_equal(proc_run(t, NULL, logpath, 0), 0);
	assert_int_equal(proc_run(f, NULL, logpath, 0), 1);
	/* as a shell says: 127, with the reason in the log */
	assert_int_equal(proc_run(none, NULL, logpath, 0), 127);
	{
		char *text = log_text();

		assert_non_null(strstr(text, "cannot run no-such-program-backport-tool"));
		free(text);
	}
	assert_true(proc_in_path("true"));
	assert_false(proc_in_path("no-such-program-backport-tool"));
}

static void test_log_and_cwd(void **state)
{
	const char *const pwd[] = { "pwd", NULL };
	const char *const echo[] = { "echo", "a b;", "$(c)", NULL };
	char *text;

	(void)state;
	assert_int_equal(proc_run(pwd, "/", logpath, 0), 0);
	/* arguments reach the program as they are: no shell parses them */
	assert_int_equal(proc_run(echo, NULL, logpath, 1), 0);
	text = log_text();
	assert_string_equal(text, "/\na b; $(c)\n");
	free(text);
	assert_int_equal(proc_run(echo, NULL, logpath, 0), 0);
	text = log_text();
	assert_string_equal(text, "a b; $(c)\n");
	free(text);
}

static void test_unset(void **state)
{
	const char *const env[] = { "env", NULL };
	const char *const unset[] = { "MAKEFLAGS", "MAKELEVEL", NULL };
	char *text;

	(void)state;
	setenv("MAKEFLAGS", " -- RELEASE=bullseye", 1);
	setenv("MAKELEVEL", "1", 1);
	setenv("BT_TEST_KEPT", "yes", 1);
	assert_int_equal(proc_run_unset(env, NULL, logpath, 0, unset), 0);
	text = log_text();
	assert_null(strstr(text, "MAKEFLAGS="));
	assert_null(strstr(text, "MAKELEVEL="));
	assert_non_null(strstr(text, "BT_TEST_KEPT=yes"));
	free(text);
	/* the parent's environment is untouched */
	assert_string_equal(getenv("MAKEFLAGS"), " -- RELEASE=bullseye");
	assert_int_equal(proc_run(env, NULL, logpath, 0), 0);
	text = log_text();
	assert_non_null(strstr(text, "MAKEFLAGS= -- RELEASE=bullseye"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_and_cwd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unset, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
