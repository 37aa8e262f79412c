/*
 * test_buildlog.c - reading sbuild logs: the summary's Status and
 * Fail-Stage, and the first line that says why a build failed; and the
 * suites a build chroot can be made for.  The logs are written here in the
 * shape sbuild 0.85 gives them (a box-drawn "Summary" heading, then
 * "Field: value" lines, then a dashed line).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buildd/buildlog.h"
#include "buildd/suite.h"

#define SUMMARY(status, stage)                                                \
	"+----------------------------------------------------------------+\n" \
	"| Summary                                                        |\n" \
	"+----------------------------------------------------------------+\n" \
	"\n"                                                                   \
	"Build Architecture: amd64\n"                                          \
	"Build-Time: 83\n"                                                     \
	"Distribution: bullseye\n"                                             \
	stage                                                                  \
	"Package: hello-bt\n"                                                  \
	"Status: " status "\n"                                                 \
	"Version: 1.0-2\n"                                                     \
	"----------------------------------------------------------------\n"   \
	"Finished at 2026-12-03T11:02:53Z\n"

static void parse(const char *text, struct buildlog *b)
{
	buildlog_parse(text, strlen(text), b);
}

static void test_successful(void **state)
{
	struct buildlog b;

	(void)state;
	parse("dh_auto_build\n"
	      "\tmake -j2\n"
	      "cc -g -O2 -o hello hello.c\n"
	      "E: this line is noise once the build succeeded\n"
	      SUMMARY("successful", ""), &b);
	assert_string_equal(b.status, "successful");
	assert_true(buildlog_ok(&b));
	assert_null(b.fail_stage);
	assert_string_equal(b.package, "hello-bt");
	assert_string_equal(b.version, "1.0-2");
	assert_string_equal(b.distribution, "bullseye");
	assert_int_equal(b.build_time, 83);
	assert_null(b.first_error);
	buildlog_release(&b);
}

static void test_compiler_error_first(void **state)
{
	struct buildlog b;

	(void)state;
	/* the compiler's line wins over the make and dpkg lines after it,
	   and over an earlier apt "E:" line */
	parse("E: an apt complaint before the build\n"
	      "cc -g -O2 -o hello hello.c\n"
	      "hello.c: In function 'main':\n"
	      "hello.c:3:1: error: expected ';' before '}' token\n"
	      "hello.c:4:1: error: a second one\n"
	      "make[1]: *** [Makefile:2: hello] Error 1\n"
	      "dh_auto_build: error: make -j2 returned exit code 2\n"
	      "dpkg-buildpackage: error: debian/rules binary subprocess returned exit status 2\n"
	      SUMMARY("attempted", "Fail-Stage: build\n"), &b);
	assert_false(buildlog_ok(&b));
	assert_string_equal(b.status, "attempted");
	assert_string_equal(b.fail_stage, "build");
	assert_string_equal(b.first_error, "hello.c:3:1: error: expected ';' before '}' token");
	assert_int_equal(b.error_line, 4);
	buildlog_release(&b);
}

static void test_tool_and_make_errors(void **state)
{
	struct buildlog b;

	(void)state;
	parse("make: *** [debian/rules:3: build] Error 2\n"
	      "dh_auto_test: error: make -j2 test returned exit code 2\n"
	      SUMMARY("attempted", "Fail-Stage: build\n"), &b);
	/* a tool's own "error:" says more than make's "***" */
	assert_string_equal(b.first_error,
			    "dh_auto_test: error: make -j2 test returned exit code 2");
	assert_int_equal(b.error_line, 2);
	buildlog_release(&b);

	parse("  make[2]: *** [Makefile:9: all] Error 1\n"
	      SUMMARY("attempted", "Fail-Stage: build\n"), &b);
	assert_null(b.first_error); /* indented: not make's own line */
	buildlog_release(&b);
}

static void test_missing_build_depends(void **state)
{
	struct buildlog b;

	(void)state;
	parse("The following packages have unmet dependencies:\n"
	      " sbuild-build-depends-main-dummy : Depends: libnope-dev but it is not installable\n"
	      "E: Unable to correct problems, you have held broken packages.\n"
	      "apt-get failed.\n"
	      "E: Package installation failed\n"
	      SUMMARY("given-back", "Fail-Stage: install-deps\n"), &b);
	assert_string_equal(b.fail_stage, "install-deps");
	assert_string_equal(b.first_error,
			    "sbuild-build-depends-main-dummy : Depends: libnope-dev but it is not installable");
	assert_int_equal(b.error_line, 2);
	buildlog_release(&b);
}

static void test_no_summary(void **state)
{
	struct buildlog b;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	parse("E: Chroot /nonexistent does not exist\n", &b);
	assert_null(b.status);
	assert_false(buildlog_ok(&b));
	assert_string_equal(b.first_error, "E: Chroot /nonexistent does not exist");
	buildlog_describe(&b, f);
	fclose(f);
	assert_string_equal(text, "no sbuild summary in the log");
	free(text);
	buildlog_release(&b);
}

static void test_markdown(void **state)
{
	struct buildlog b;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	parse("x.c:1:1: error: boom\n" SUMMARY("attempted", "Fail-Stage: build\n"), &b);
	buildlog_write_markdown(&b, "out/hello-bt_1.0-2_amd64.build", f);
	fclose(f);
	assert_non_null(strstr(text, "## Build\n\n`hello-bt 1.0-2` for bullseye in sbuild: "
				     "**failed at build (Status: attempted)**.\n"));
	assert_non_null(strstr(text, "First error (log line 1):\n\n```\nx.c:1:1: error: boom\n```\n"));
	assert_non_null(strstr(text, "Log: `out/hello-bt_1.0-2_amd64.build`"));
	free(text);
	buildlog_release(&b);
}

static void test_suites(void **state)
{
	struct suite s;
	char *lines[2];
	size_t n;

	(void)state;
	assert_int_equal(suite_lookup("bullseye-security", &s), 0);
	assert_string_equal(s.name, "bullseye");
	assert_int_equal(suite_lookup("bookworm-proposed-updates", &s), 0);
	assert_string_equal(s.name, "bookworm");
	assert_int_equal(suite_lookup("unstable", &s), 0);
	assert_string_equal(s.name, "sid");
	assert_int_equal(suite_lookup("focal", &s), -1);
	assert_int_equal(suite_lookup("bullseyeX", &s), -1);
	assert_int_equal(suite_lookup("-security", &s), -1);

	assert_int_equal(suite_lookup("bullseye", &s), 0);
	n = suite_sources(&s, "http://deb.debian.org/", 0, lines);
	assert_int_equal(n, 1);
	assert_string_equal(lines[0], "deb http://deb.debian.org/debian bullseye main");
	free(lines[0]);
	n = suite_sources(&s, "http://deb.debian.org", 1, lines);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "deb http://deb.debian.org/debian bullseye-updates main");
	assert_string_equal(lines[1],
			    "deb http://deb.debian.org/debian-security bullseye-security main");
	free(lines[0]);
	free(lines[1]);
	assert_int_equal(suite_lookup("sid", &s), 0);
	assert_int_equal(suite_sources(&s, "http://m", 1, lines), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_successful),
		cmocka_unit_test(test_compiler_error_first),
		cmocka_unit_test(test_tool_and_make_errors),
		cmocka_unit_test(test_missing_build_depends),
		cmocka_unit_test(test_no_summary),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_suites),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
