/*
 * test_plan_filter.c - which commits plan defers as trivial: those that
 * touch only CI files or test lists, or change only comments or spelling;
 * and what is not trivial (a code change beside a comment, a new word).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "analyse/plan_int.h"
#include "input/patch.h"
#include "util.h"

/* plan_trivial_reason of a patch given as text, or NULL. */
static const char *reason_of(const char *text)
{
	static char out[128];
	struct patch p;
	const char *r;

	assert_int_equal(patch_parse(&p, "t.patch", xstrdup(text),
				     strlen(text)), 0);
	r = plan_trivial_reason(&p);
	snprintf(out, sizeof(out), "%s", r ? r : "");
	patch_release(&p);
	return r ? out : NULL;
}

static void test_ci_and_test_lists(void **state)
{
	(void)state;
	assert_string_equal(reason_of(
		"--- a/.github/workflows/ci.yml\n+++ b/.github/workflows/ci.yml\n"
		"@@ -1,2 +1,2 @@\n name: ci\n-  os: 20.04\n+  os: 22.04\n"),
		"touches only CI files");
	assert_string_equal(reason_of(
		"--- a/.gitlab-ci.yml\n+++ b/.gitlab-ci.yml\n"
		"@@ -1 +1 @@\n-a\n+b\n"
		"--- a/tests/meson.build\n+++ b/tests/meson.build\n"
		"@@ -1 +1,2 @@\n tests = [\n+  'new-test',\n"),
		"touches only CI files and test lists");
	assert_null(reason_of(
		"--- a/tests/meson.build\n+++ b/tests/meson.build\n"
		"@@ -1 +1,2 @@\n tests = [\n+  'new-test',\n"
		"--- a/lib/x.c\n+++ b/lib/x.c\n@@ -1 +1 @@\n-int a;\n+int b;\n"));
}

static void test_comments_and_spelling(void **state)
{
	(void)state;
	assert_string_equal(reason_of(
		"--- a/lib/x.c\n+++ b/lib/x.c\n@@ -1,3 +1,4 @@\n int a;\n"
		"-/* old words */\n+/* new words,\n+ * two lines */\n int b;\n"),
		"changes only comments");
	assert_string_equal(reason_of(
		"--- a/lib/x.c\n+++ b/lib/x.c\n@@ -1,3 +1,3 @@\n int a;\n"
		"-\tfail(\"cannot recieve the data\");\n"
		"+\tfail(\"cannot receive the data\");\n int b;\n"),
		"fixes only spelling");
	assert_string_equal(reason_of(
		"--- a/CMakeLists.txt\n+++ b/CMakeLists.txt\n@@ -1 +1 @@\n"
		"-# build the libary\n+# build the library\n"),
		"changes only comments");
	/* a code change beside a comment is not trivial */
	assert_null(reason_of(
		"--- a/lib/x.c\n+++ b/lib/x.c\n@@ -1,3 +1,3 @@\n /* c */\n"
		"-int a = 1;\n+int a = 2;\n int b;\n"));
	/* nor a word that is another word, not a misspelling */
	assert_null(reason_of(
		"--- a/lib/x.c\n+++ b/lib/x.c\n@@ -1 +1 @@\n"
		"-\treturn read_all(fd);\n+\treturn write_all(fd);\n"));
	/* in C, '#' starts a directive, not a comment */
	assert_null(reason_of(
		"--- a/lib/x.h\n+++ b/lib/x.h\n@@ -1 +1 @@\n"
		"-#define A 1\n+#define A 2\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ci_and_test_lists),
		cmocka_unit_test(test_comments_and_spelling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
