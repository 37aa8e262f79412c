/*
 * test_series.c - reading quilt series: entries relative to the series
 * file, comments, blank lines, -pN, directories standing for their series,
 * and the refusals (-R, unknown options, missing patches) naming the series
 * file and line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture.h"

#include "input/patch.h"
#include "util.h"

#define QUILT "tests/fixtures/parse/quilt"

static const char small_patch[] =
	"--- a/f\n"
	"+++ b/f\n"
	"@@ -1 +1 @@\n"
	"-a\n"
	"+b\n";

/* --- helpers ------------------------------------------------------------- */

/* A scratch directory per test, removed by teardown. */
struct scratch {
	char dir[64];
};

static int scratch_setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));

	strcpy(s->dir, "/tmp/test_series.XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	*state = s;
	return 0;
}

static int scratch_teardown(void **state)
{
	struct scratch *s = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	if (system(cmd) != 0)
		return -1;
	free(s);
	return 0;
}

/* Write text to DIR/name, creating the directories on the way. */
static void put(struct scratch *s, const char *name, const char *text)
{
	char path[256];
	const char *slash;
	FILE *f;

	for (slash = name; (slash = strchr(slash, '/')); slash++) {
		snprintf(path, sizeof(path), "%s/%.*s", s->dir,
			 (int)(slash - name), name);
		mkdir(path, 0755);
	}
	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *path_in(struct scratch *s, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	sb_init(&sb);
	sb_addf(&sb, "%s/%s", s->dir, name);
	return sb_detach(&sb, NULL);
}

/* Read the series expecting -1 and a message containing want (after DIR/). */
static void assert_series_refused(struct scratch *s, const char *series,
				  const char *want)
{
	struct patch_list l = { NULL, 0, 0 };
	struct capture c;
	char *path = path_in(s, series);
	const char *err;
	int ret;

	capture_begin(&c);
	ret = patch_list_read_series(&l, path);
	err = capture_end(&c);
	patch_list_release(&l);
	assert_int_equal(ret, -1);
	if (!strstr(err, want))
		fail_msg("expected \"%s\" in: %s", want, err);
	assert_string_equal(strchr(err, '\n') + 1, "");
	free(path);
}

/* --- tests --------------------------------------------------------------- */

static void test_series_reads_patches_in_order_skipping_comments(void **state)
{
	struct patch_list l = { NULL, 0, 0 };

	assert_int_equal(patch_list_read_series(&l, QUILT "/patches/series"), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].name, "first.patch");
	assert_string_equal(l.v[0].meta.subject, "first change");
	assert_int_equal(l.v[0].strip, -1);
	assert_int_equal(patch_strip_level(&l.v[0]), 1);
	assert_string_equal(l.v[1].name, "sub/second.diff");
	assert_int_equal(l.v[1].strip, 0);
	assert_string_equal(file_diff_target(&l.v[1].files[0],
					     patch_strip_level(&l.v[1])), "README");
	assert_string_equal(l.v[2].name, "third.patch");
	assert_int_equal(l.v[2].files[0].op, FILE_CREATE);
	patch_list_release(&l);
	assert_null(l.v);
}

static void test_a_directory_stands_for_the_series_it_holds(void **state)
{
	struct patch_list l = { NULL, 0, 0 };

	/* QUILT has patches/series, QUILT/patches has series */
	assert_int_equal(patch_list_read_series(&l, QUILT), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(patch_list_read_series(&l, QUILT "/patches/"), 0);
	assert_int_equal(l.n, 6);
	assert_string_equal(l.v[3].name, "first.patch");
	patch_list_release(&l);
}

static void test_debian_source_tree_finds_debian_patches_series(void **state)
{
	struct scratch *s = *state;
	struct patch_list l = { NULL, 0, 0 };

	put(s, "debian/patches/series", "fix.patch\n");
	put(s, "debian/patches/fix.patch", small_patch);
	assert_int_equal(patch_list_read_series(&l, s->dir), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, "fix.patch");
	patch_list_release(&l);
}

static void test_options_and_odd_spacing_are_understood(void **state)
{
	struct scratch *s = *state;
	struct patch_list l = { NULL, 0, 0 };
	char *series = path_in(s, "series");

	put(s, "a#1.patch", small_patch);
	put(s, "b.patch", small_patch);
	put(s, "c.patch", small_patch);
	put(s, "series",
	    "#whole line comment\n"
	    "\ta#1.patch\t-p2   # a comment after a tab\n"
	    "b.patch -p 0\r\n"
	    "\n"
	    "   # indented comment\n"
	    "c.patch");
	assert_int_equal(patch_list_read_series(&l, series), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].name, "a#1.patch");
	assert_int_equal(l.v[0].strip, 2);
	assert_string_equal(l.v[1].name, "b.patch");
	assert_int_equal(l.v[1].strip, 0);
	assert_string_equal(l.v[2].name, "c.patch");
	assert_int_equal(l.v[2].strip, -1);
	patch_list_release(&l);
	free(series);
}

static void test_empty_series_is_no_patches(void **state)
{
	struct scratch *s = *state;
	struct patch_list l = { NULL, 0, 0 };
	char *series = path_in(s, "series");

	put(s, "series", "# nothing yet\n\n");
	assert_int_equal(patch_list_read_series(&l, series), 0);
	assert_int_equal(l.n, 0);
	patch_list_release(&l);
	free(series);
}

static void test_reversed_patches_are_refused(void **state)
{
	struct scratch *s = *state;

	put(s, "x.patch", small_patch);
	put(s, "series", "x.patch\nx.patch -R\n");
	assert_series_refused(s, "series",
			      "/series:2: reversed patches (-R) are not supported");
}

static void test_unknown_options_are_refused(void **state)
{
	struct scratch *s = *state;

	put(s, "x.patch", small_patch);
	put(s, "series", "# c\nx.patch --fuzz=3\n");
	assert_series_refused(s, "series", "/series:2: unknown option '--fuzz=3'");
	put(s, "series", "x.patch -pab\n");
	assert_series_refused(s, "series", "/series:1: bad strip level");
	put(s, "series", "x.patch -p\n");
	assert_series_refused(s, "series", "/series:1: bad strip level");
}

static void test_missing_patch_names_the_series_line(void **state)
{
	struct scratch *s = *state;

	put(s, "here.patch", small_patch);
	put(s, "series", "here.patch\n\nnot-here.patch\n");
	assert_series_refused(s, "series",
			      "/series:3: cannot read patch 'not-here.patch'");
}

static void test_a_directory_entry_is_not_a_patch(void **state)
{
	struct scratch *s = *state;

	put(s, "sub/x.patch", small_patch);
	put(s, "series", "sub\n");
	assert_series_refused(s, "series", "/series:1: patch 'sub' is not a regular file");
}

static void test_broken_patch_error_names_the_patch_file_line(void **state)
{
	struct scratch *s = *state;

	put(s, "ok.patch", small_patch);
	put(s, "bad.patch", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n");
	put(s, "series", "ok.patch\nbad.patch\n");
	assert_series_refused(s, "series", "/bad.patch:5: hunk ends early");
}

static void test_missing_series_file_is_an_error(void **state)
{
	struct scratch *s = *state;

	assert_series_refused(s, "no-series", "no-series");
	/* a directory without any series file: its series is missing */
	assert_series_refused(s, "", "/series");
}

static void test_oversized_patch_is_refused_naming_the_series_line(void **state)
{
	struct scratch *s = *state;
	char *big = path_in(s, "big.patch");

	put(s, "big.patch", small_patch);
	assert_int_equal(truncate(big, (off_t)MAX_INPUT_SIZE + 1), 0);
	put(s, "series", "big.patch\n");
	assert_series_refused(s, "series", "/series:1: patch 'big.patch' is larger than");
	free(big);
}

static void test_nul_in_series_is_refused(void **state)
{
	struct scratch *s = *state;
	char *path = path_in(s, "series");
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fwrite("a.patch\0\n", 1, 9, f);
	fclose(f);
	assert_series_refused(s, "series", "NUL byte in series file");
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_series_reads_patches_in_order_skipping_comments),
		cmocka_unit_test(test_a_directory_stands_for_the_series_it_holds),
		cmocka_unit_test_setup_teardown(test_debian_source_tree_finds_debian_patches_series,
						scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_options_and_odd_spacing_are_understood,
						scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_empty_series_is_no_patches,
						scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_reversed_patches_are_refused,
						scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_options_are_refused,
						scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_missing_patch_names_the_series_line,
						scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_a_directory_entry_is_not_a_patch,
						scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_broken_patch_error_names_the_patch_file_line,
						scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_missing_series_file_is_an_error,
						scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_oversized_patch_is_refused_naming_the_series_line,
						scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_nul_in_series_is_refused,
						scratch_setup, scratch_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
