/*
 * test_parse.c - the diff reader: every kind of file diff and hunk the
 * tools we meet write (diff -u, git diff, format-patch, quilt, svn), the
 * header fields (mail, DEP-3, git log), and every malformed input, which
 * must be refused with a message naming the file and line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture.h"

#include "input/patch.h"
#include "util.h"

#define FIXTURES "tests/fixtures/parse"

/* --- helpers ------------------------------------------------------------- */

static int parse_text(struct patch *p, const char *text)
{
	size_t n = strlen(text);

	return patch_parse(p, "t.patch", xstrndup(text, n), n);
}

/* Parse len bytes of text expecting -1 and exactly one message line with want. */
static void assert_refused_n(const char *text, size_t len, const char *want)
{
	struct capture c;
	struct patch p;
	const char *err;
	int ret;

	capture_begin(&c);
	ret = patch_parse(&p, "bad.patch", xstrndup(text, len), len);
	err = capture_end(&c);
	if (ret == 0)
		patch_release(&p);
	assert_int_equal(ret, -1);
	if (!strstr(err, want))
		fail_msg("expected \"%s\" in: %s", want, err);
	/* one message, on one line */
	assert_non_null(strchr(err, '\n'));
	assert_string_equal(strchr(err, '\n') + 1, "");
}

static void assert_refused(const char *text, const char *want)
{
	assert_refused_n(text, strlen(text), want);
}

static void assert_line(const struct pline *l, char kind, const char *text)
{
	assert_int_equal(l->kind, kind);
	assert_int_equal(l->len, strlen(text));
	assert_memory_equal(l->text, text, l->len);
}

/* --- file diffs ---------------------------------------------------------- */

static void test_plain_diff_u_reads_names_without_timestamps(void **state)
{
	struct patch p;
	struct hunk *h;

	assert_int_equal(parse_text(&p,
		"diff -Naur frob-1.0.orig/src/a.c frob-1.0/src/a.c\n"
		"--- frob-1.0.orig/src/a.c\t2020-01-01 10:00:00.000000000 +0100\n"
		"+++ frob-1.0/src/a.c\t2020-01-02 10:00:00.000000000 +0100\n"
		"@@ -3,4 +3,4 @@ int main(void)\n"
		" one\n"
		"-two\n"
		"+TWO\n"
		" three\n"
		" four\n"), 0);
	assert_int_equal(p.nfiles, 1);
	assert_string_equal(p.files[0].old_path, "frob-1.0.orig/src/a.c");
	assert_string_equal(p.files[0].new_path, "frob-1.0/src/a.c");
	assert_int_equal(p.files[0].op, FILE_MODIFY);
	assert_false(p.files[0].is_git);
	assert_int_equal(p.files[0].lineno, 1);
	assert_int_equal(p.header_len, 0);
	assert_int_equal(p.files[0].nhunks, 1);
	h = &p.files[0].hunks[0];
	assert_int_equal(h->old_start, 3);
	assert_int_equal(h->old_count, 4);
	assert_int_equal(h->new_start, 3);
	assert_int_equal(h->new_count, 4);
	assert_int_equal(h->lineno, 4);
	assert_int_equal(h->func_len, strlen("int main(void)"));
	assert_memory_equal(h->func, "int main(void)", h->func_len);
	assert_int_equal(h->nlines, 5);
	assert_line(&h->lines[0], ' ', "one");
	assert_line(&h->lines[1], '-', "two");
	assert_line(&h->lines[2], '+', "TWO");
	assert_line(&h->lines[4], ' ', "four");
	assert_string_equal(file_diff_target(&p.files[0], 1), "src/a.c");
	patch_release(&p);
}

static void test_old_style_timestamp_after_spaces_is_not_part_of_the_name(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"--- a/x.c 2020-01-01 10:00:00.000000000 +0100\n"
		"+++ b/x.c Thu Jan  2 10:00:00 2020\n"
		"@@ -1 +1 @@\n"
		"-a\n"
		"+b\n"), 0);
	assert_string_equal(p.files[0].old_path, "a/x.c");
	assert_string_equal(p.files[0].new_path, "b/x.c");
	patch_release(&p);
}

static void test_git_rename_with_hunks_keeps_both_names(void **state)
{
	struct patch p;
	struct file_diff *fd;

	assert_int_equal(parse_text(&p,
		"diff --git a/hw/old name.c b/hw/new name.c\n"
		"similarity index 88%\n"
		"rename from hw/old name.c\n"
		"rename to hw/new name.c\n"
		"index 1234567..89abcde 100644\n"
		"--- a/hw/old name.c\t\n"
		"+++ b/hw/new name.c\t\n"
		"@@ -1,2 +1,2 @@\n"
		"-old\n"
		"+new\n"
		" same\n"), 0);
	fd = &p.files[0];
	assert_int_equal(fd->op, FILE_RENAME);
	assert_true(fd->is_git);
	assert_string_equal(fd->old_path, "a/hw/old name.c");
	assert_string_equal(fd->new_path, "b/hw/new name.c");
	assert_int_equal(fd->old_mode, 0100644);
	assert_int_equal(fd->nhunks, 1);
	assert_string_equal(file_diff_path(fd, 1, 0), "hw/old name.c");
	assert_string_equal(file_diff_target(fd, 1), "hw/new name.c");
	patch_release(&p);
}

static void test_pure_git_rename_takes_names_from_the_diff_line(void **state)
{
	struct patch p;
	struct file_diff *fd;

	assert_int_equal(parse_text(&p,
		"diff --git a/a b/c b/a b/d\n"
		"similarity index 100%\n"
		"rename from a b/c\n"
		"rename to a b/d\n"
		"diff --git a/x b/x\n"
		"old mode 100644\n"
		"new mode 100755\n"), 0);
	assert_int_equal(p.nfiles, 2);
	fd = &p.files[0];
	assert_int_equal(fd->op, FILE_RENAME);
	assert_int_equal(fd->nhunks, 0);
	assert_string_equal(fd->old_path, "a/a b/c");
	assert_string_equal(fd->new_path, "b/a b/d");
	fd = &p.files[1];
	assert_int_equal(fd->op, FILE_MODIFY);
	assert_int_equal(fd->old_mode, 0100644);
	assert_int_equal(fd->new_mode, 0100755);
	assert_string_equal(fd->old_path, "a/x");
	assert_int_equal(fd->lineno, 5);
	patch_release(&p);
}

static void test_git_copy_with_hunks(void **state)
{
	struct patch p;
	struct file_diff *fd;

	assert_int_equal(parse_text(&p,
		"diff --git a/src/one.c b/src/two.c\n"
		"similarity index 90%\n"
		"copy from src/one.c\n"
		"copy to src/two.c\n"
		"index 1111111..2222222 100644\n"
		"--- a/src/one.c\n"
		"+++ b/src/two.c\n"
		"@@ -1 +1 @@\n"
		"-one\n"
		"+two\n"), 0);
	fd = &p.files[0];
	assert_int_equal(fd->op, FILE_COPY);
	assert_string_equal(fd->old_path, "a/src/one.c");
	assert_string_equal(fd->new_path, "b/src/two.c");
	patch_release(&p);
}

static void test_git_quoted_names_are_unescaped(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"diff --git \"a/caf\\303\\251 \\\"x\\\".c\" \"b/caf\\303\\251 \\\"x\\\".c\"\n"
		"index 1111111..2222222 100644\n"
		"--- \"a/caf\\303\\251 \\\"x\\\".c\"\n"
		"+++ \"b/caf\\303\\251 \\\"x\\\".c\"\n"
		"@@ -1 +1 @@\n"
		"-a\\tb\n"
		"+c\n"
		"diff --git \"a/tab\\there\" \"b/tab\\there\"\n"
		"deleted file mode 100644\n"
		"index 3333333..0000000\n"), 0);
	assert_string_equal(p.files[0].old_path, "a/caf\xc3\xa9 \"x\".c");
	assert_string_equal(p.files[0].new_path, "b/caf\xc3\xa9 \"x\".c");
	assert_int_equal(p.files[1].op, FILE_DELETE);
	assert_string_equal(p.files[1].old_path, "a/tab\there");
	assert_null(p.files[1].new_path);
	patch_release(&p);
}

static void test_dev_null_sides_create_and_delete(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"--- /dev/null\n"
		"+++ b/new.c\n"
		"@@ -0,0 +1,3 @@\n"
		"+one\n"
		"+two\n"
		"+three\n"
		"--- a/gone.c\n"
		"+++ /dev/null\n"
		"@@ -1,2 +0,0 @@\n"
		"-one\n"
		"-two\n"), 0);
	assert_int_equal(p.nfiles, 2);
	assert_int_equal(p.files[0].op, FILE_CREATE);
	assert_null(p.files[0].old_path);
	assert_string_equal(p.files[0].new_path, "b/new.c");
	assert_int_equal(p.files[0].hunks[0].old_start, 0);
	assert_int_equal(p.files[0].hunks[0].old_count, 0);
	assert_int_equal(p.files[0].hunks[0].nlines, 3);
	assert_null(file_diff_path(&p.files[0], 1, 0));
	assert_int_equal(p.files[1].op, FILE_DELETE);
	assert_null(p.files[1].new_path);
	assert_string_equal(file_diff_target(&p.files[1], 1), "gone.c");
	patch_release(&p);
}

static void test_diff_N_epoch_timestamp_means_a_new_file(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"diff -Naur a/new.c b/new.c\n"
		"--- a/new.c\t1970-01-01 00:00:00.000000000 +0000\n"
		"+++ b/new.c\t2020-01-02 10:00:00.000000000 +0100\n"
		"@@ -0,0 +1 @@\n"
		"+hello\n"), 0);
	assert_int_equal(p.files[0].op, FILE_CREATE);
	assert_string_equal(file_diff_target(&p.files[0], 1), "new.c");
	patch_release(&p);
}

static void test_git_new_empty_file_has_no_hunks(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"diff --git a/empty b/empty\n"
		"new file mode 100644\n"
		"index 0000000..e69de29\n"
		"diff --git a/x.c b/x.c\n"
		"index 1111111..2222222 100644\n"
		"--- a/x.c\n"
		"+++ b/x.c\n"
		"@@ -1 +1 @@\n"
		"-a\n"
		"+b\n"), 0);
	assert_int_equal(p.nfiles, 2);
	assert_int_equal(p.files[0].op, FILE_CREATE);
	assert_int_equal(p.files[0].nhunks, 0);
	assert_int_equal(p.files[0].new_mode, 0100644);
	assert_null(p.files[0].old_path);
	assert_string_equal(p.files[0].new_path, "b/empty");
	assert_int_equal(p.files[1].nhunks, 1);
	patch_release(&p);
}

static void test_binary_markers_set_is_binary_and_skip_the_data(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"diff --git a/logo.png b/logo.png\n"
		"index 1111111..2222222 100644\n"
		"Binary files a/logo.png and b/logo.png differ\n"
		"diff --git a/icon.bin b/icon.bin\n"
		"new file mode 100644\n"
		"index 0000000..3333333\n"
		"GIT binary patch\n"
		"literal 12\n"
		"TcmZQzU}RumU}Ruo00031\n"
		"\n"
		"literal 0\n"
		"HcmV?d00001\n"
		"\n"
		"diff --git a/t.c b/t.c\n"
		"--- a/t.c\n"
		"+++ b/t.c\n"
		"@@ -1 +1 @@\n"
		"-x\n"
		"+y\n"), 0);
	assert_int_equal(p.nfiles, 3);
	assert_true(p.files[0].is_binary);
	assert_false(p.files[0].binary_data);
	assert_int_equal(p.files[0].op, FILE_MODIFY);
	assert_string_equal(p.files[0].new_path, "b/logo.png");
	assert_true(p.files[1].is_binary);
	assert_true(p.files[1].binary_data);
	assert_int_equal(p.files[1].op, FILE_CREATE);
	assert_int_equal(p.files[1].nhunks, 0);
	assert_false(p.files[2].is_binary);
	assert_int_equal(p.files[2].nhunks, 1);
	patch_release(&p);
}

static void test_plain_diff_binary_line_names_the_files(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"diff -Naur a/img.png b/img.png\n"
		"Binary files a/img.png and b/img.png differ\n"), 0);
	assert_true(p.files[0].is_binary);
	assert_false(p.files[0].binary_data);
	assert_string_equal(p.files[0].old_path, "a/img.png");
	assert_string_equal(p.files[0].new_path, "b/img.png");
	patch_release(&p);
}

static void test_svn_index_header_is_a_file_start(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"Some words.\n"
		"\n"
		"Index: src/a.c\n"
		"===================================================================\n"
		"--- src/a.c\t(revision 10)\n"
		"+++ src/a.c\t(working copy)\n"
		"@@ -1 +1 @@\n"
		"-a\n"
		"+b\n"), 0);
	assert_int_equal(p.header_lines, 2);
	assert_int_equal(p.files[0].lineno, 3);
	assert_string_equal(p.files[0].old_path, "src/a.c");
	assert_string_equal(file_diff_target(&p.files[0], 0), "src/a.c");
	patch_release(&p);
}

/* --- hunks --------------------------------------------------------------- */

static void test_no_newline_marks_the_line_before_on_either_side(void **state)
{
	struct patch p;
	struct hunk *h;

	assert_int_equal(parse_text(&p,
		"--- a/f\n"
		"+++ b/f\n"
		"@@ -1,2 +1,2 @@\n"
		" keep\n"
		"-old\n"
		"\\ No newline at end of file\n"
		"+new\n"
		"\\ No newline at end of file\n"), 0);
	h = &p.files[0].hunks[0];
	assert_int_equal(h->nlines, 3);
	assert_false(h->lines[0].noeol);
	assert_true(h->lines[1].noeol);
	assert_true(h->lines[2].noeol);
	assert_line(&h->lines[2], '+', "new");
	patch_release(&p);

	assert_int_equal(parse_text(&p,
		"--- a/f\n"
		"+++ b/f\n"
		"@@ -1 +1,2 @@\n"
		"-last\n"
		"\\ Kein Zeilenumbruch am Dateiende.\n"
		"+last\n"
		"+more\n"), 0);
	h = &p.files[0].hunks[0];
	assert_true(h->lines[0].noeol);
	assert_false(h->lines[1].noeol);
	assert_false(h->lines[2].noeol);
	patch_release(&p);
}

static void test_crlf_lines_keep_their_carriage_return(void **state)
{
	struct patch p;
	struct hunk *h;

	assert_int_equal(parse_text(&p,
		"--- a/dos.txt\r\n"
		"+++ b/dos.txt\r\n"
		"@@ -1,2 +1,2 @@\r\n"
		" one\r\n"
		"-two\r\n"
		"+TWO\r\n"), 0);
	assert_string_equal(p.files[0].old_path, "a/dos.txt");
	h = &p.files[0].hunks[0];
	assert_line(&h->lines[0], ' ', "one\r");
	assert_line(&h->lines[2], '+', "TWO\r");
	patch_release(&p);
}

static void test_hunk_at_file_start_and_omitted_counts(void **state)
{
	struct patch p;
	struct hunk *h;

	assert_int_equal(parse_text(&p,
		"--- a/f\n"
		"+++ b/f\n"
		"@@ -0,0 +1,3 @@\n"
		"+a\n"
		"+b\n"
		"+c\n"
		"@@ -7 +10 @@\n"
		"-x\n"
		"+y\n"
		"@@ -20 +23,0 @@\n"
		"-gone\n"), 0);
	assert_int_equal(p.files[0].nhunks, 3);
	h = &p.files[0].hunks[0];
	assert_int_equal(h->old_start, 0);
	assert_int_equal(h->old_count, 0);
	assert_int_equal(h->new_count, 3);
	assert_null(h->func);
	h = &p.files[0].hunks[1];
	assert_int_equal(h->old_start, 7);
	assert_int_equal(h->old_count, 1);
	assert_int_equal(h->new_start, 10);
	assert_int_equal(h->new_count, 1);
	assert_int_equal(h->lineno, 7);
	h = &p.files[0].hunks[2];
	assert_int_equal(h->old_count, 1);
	assert_int_equal(h->new_count, 0);
	assert_int_equal(h->nlines, 1);
	patch_release(&p);
}

static void test_empty_line_in_a_hunk_is_empty_context(void **state)
{
	struct patch p;
	struct hunk *h;

	assert_int_equal(parse_text(&p,
		"--- a/f\n"
		"+++ b/f\n"
		"@@ -1,3 +1,3 @@\n"
		" a\n"
		"\n"
		"-b\n"
		"+c\n"
		"\n"
		"\n"
		"@@ -9 +9 @@\n"
		"-x\n"
		"+y\n"), 0);
	h = &p.files[0].hunks[0];
	assert_int_equal(h->nlines, 4);
	assert_line(&h->lines[1], ' ', "");
	assert_int_equal(p.files[0].nhunks, 2);
	assert_int_equal(p.files[0].hunks[1].lineno, 10);
	patch_release(&p);
}

static void test_hunk_ends_at_its_counts_so_trailers_are_not_lines(void **state)
{
	struct patch p;
	struct hunk *h;

	assert_int_equal(parse_text(&p,
		"--- a/f\n"
		"+++ b/f\n"
		"@@ -1,2 +1,2 @@\n"
		"-a\n"
		"+b\n"
		" c\n"
		"-- \n"
		"2.25.1\n"
		"\n"), 0);
	h = &p.files[0].hunks[0];
	assert_int_equal(h->nlines, 3);
	assert_line(&h->lines[2], ' ', "c");
	patch_release(&p);
}

static void test_several_file_diffs_in_one_patch(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"diff --git a/a b/a\n"
		"--- a/a\n"
		"+++ b/a\n"
		"@@ -1 +1 @@\n"
		"-1\n"
		"+2\n"
		"@@ -5 +5 @@\n"
		"-5\n"
		"+6\n"
		"diff --git a/b b/b\n"
		"--- a/b\n"
		"+++ b/b\n"
		"@@ -1 +1 @@\n"
		"--- not a header, a removed line\n"
		"+++ not a header, an added line\n"), 0);
	assert_int_equal(p.nfiles, 2);
	assert_int_equal(p.files[0].nhunks, 2);
	assert_line(&p.files[1].hunks[0].lines[0], '-', "-- not a header, a removed line");
	assert_line(&p.files[1].hunks[0].lines[1], '+', "++ not a header, an added line");
	patch_release(&p);
}

static void test_context_diff_becomes_unified_hunks(void **state)
{
	struct patch p;
	struct hunk *h;

	assert_int_equal(parse_text(&p,
		"diff -c a/f b/f\n"
		"*** a/f\t2020-01-01 10:00:00.000000000 +0100\n"
		"--- b/f\t2020-01-02 10:00:00.000000000 +0100\n"
		"*************** int main(void)\n"
		"*** 1,6 ****\n"
		"  one\n"
		"! two\n"
		"  three\n"
		"- four\n"
		"  five\n"
		"  six\n"
		"--- 1,6 ----\n"
		"  one\n"
		"! TWO\n"
		"  three\n"
		"  five\n"
		"  six\n"
		"+ seven\n"
		"***************\n"
		"*** 20 ****\n"
		"--- 20,21 ----\n"
		"  ctx\n"
		"+ added\n"
		"\\ No newline at end of file\n"), 0);
	assert_int_equal(p.nfiles, 1);
	assert_string_equal(p.files[0].old_path, "a/f");
	assert_string_equal(p.files[0].new_path, "b/f");
	assert_int_equal(p.files[0].nhunks, 2);
	h = &p.files[0].hunks[0];
	assert_int_equal(h->old_start, 1);
	assert_int_equal(h->old_count, 6);
	assert_int_equal(h->new_count, 6);
	assert_int_equal(h->lineno, 4);
	assert_memory_equal(h->func, "int main(void)", h->func_len);
	assert_int_equal(h->nlines, 8);
	assert_line(&h->lines[0], ' ', "one");
	assert_line(&h->lines[1], '-', "two");
	assert_line(&h->lines[2], '+', "TWO");
	assert_line(&h->lines[3], ' ', "three");
	assert_line(&h->lines[4], '-', "four");
	assert_line(&h->lines[7], '+', "seven");
	/* old section left out: it is the new section's context */
	h = &p.files[0].hunks[1];
	assert_int_equal(h->old_start, 20);
	assert_int_equal(h->old_count, 1);
	assert_int_equal(h->new_count, 2);
	assert_int_equal(h->nlines, 2);
	assert_line(&h->lines[0], ' ', "ctx");
	assert_line(&h->lines[1], '+', "added");
	assert_true(h->lines[1].noeol);
	patch_release(&p);
}

static void test_context_diff_without_context_settles_single_ranges(void **state)
{
	struct patch p;
	struct hunk *h;

	/* diff -C0: "*** 6 ****" with no lines is the empty range after line 6 */
	assert_int_equal(parse_text(&p,
		"*** a\n"
		"--- b\n"
		"***************\n"
		"*** 6 ****\n"
		"--- 7 ----\n"
		"+ new\n"
		"***************\n"
		"*** 9 ****\n"
		"- gone\n"
		"--- 9 ----\n"
		"*** c\n"
		"--- /dev/null\n"
		"***************\n"
		"*** 1 ****\n"
		"- x\n"
		"--- 0 ----\n"), 0);
	assert_int_equal(p.nfiles, 2);
	h = &p.files[0].hunks[0];
	assert_int_equal(h->old_start, 6);
	assert_int_equal(h->old_count, 0);
	assert_int_equal(h->new_start, 7);
	assert_int_equal(h->new_count, 1);
	h = &p.files[0].hunks[1];
	assert_int_equal(h->old_count, 1);
	assert_int_equal(h->new_count, 0);
	assert_line(&h->lines[0], '-', "gone");
	assert_int_equal(p.files[1].op, FILE_DELETE);
	assert_int_equal(p.files[1].hunks[0].new_count, 0);
	patch_release(&p);
}

static void test_malformed_context_hunks_are_refused(void **state)
{
	assert_refused("*** a\n--- b\n***************\n*** 1,2 ****\n  a\n! b\n"
		       "--- 1,2 ----\n  X\n! B\n",
		       "bad.patch:3: context hunk's old and new context differ");
	assert_refused("*** a\n--- b\n***************\n*** 1,3 ****\n  a\n! b\n"
		       "--- 1,3 ----\n",
		       "bad.patch:7: hunk ends early: expected 1 more line");
	assert_refused("*** a\n--- b\n***************\n*** 1,2 ****\n  a\n! b\n"
		       "--- 1,2 ----\n",
		       "bad.patch:3: context hunk has 2 old and 1 new lines");
	assert_refused("*** a\n--- b\n***************\n*** x ****\n",
		       "bad.patch:4: malformed context hunk header");
	assert_refused("*** a\n--- b\n***************\n*** 1,2 ****\n  a\n? b\n",
		       "bad.patch:6: line in a context hunk does not start with");
	assert_refused("*** a\n--- b\n***************\n*** 1,3 ****\n--- 1,3 ----\n"
		       "  a\n+ b\n  c\n",
		       "bad.patch:3: context hunk has 2 old and 3 new lines, its ranges say 3 and 3");
}

/* --- header fields ------------------------------------------------------- */

static void test_header_is_kept_verbatim_with_its_line_count(void **state)
{
	static const char text[] =
		"Subject: [PATCH] frob: fix\n"
		"\n"
		"Explain.\n"
		"---\n"
		" a | 2 +-\n"
		"\n"
		"diff --git a/a b/a\n"
		"--- a/a\n"
		"+++ b/a\n"
		"@@ -1 +1 @@\n"
		"-1\n"
		"+2\n";
	struct patch p;
	size_t hlen = strstr(text, "diff --git") - text;

	assert_int_equal(parse_text(&p, text), 0);
	assert_int_equal(p.header_len, hlen);
	assert_memory_equal(p.header, text, hlen);
	assert_int_equal(p.header[hlen], '\0');
	assert_int_equal(p.header_lines, 6);
	assert_string_equal(p.meta.subject, "frob: fix");
	assert_string_equal(p.meta.body, "Explain.");
	assert_int_equal(p.strip, -1);
	assert_int_equal(patch_strip_level(&p), 1);
	p.strip = 0;
	assert_int_equal(patch_strip_level(&p), 0);
	patch_release(&p);
}

static void test_mail_subject_is_unfolded_and_loses_its_prefixes(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
		"From: =?UTF-8?q?Ren=C3=A9?= Descartes <rene@example.org>\n"
		"Date: Tue, 7 Jul 2020 11:00:00 +0200\n"
		"Subject: [RFC PATCH v3 02/12] hw/s390x: a subject that is long\n"
		" enough to be folded\n"
		"\ttwice\n"
		"\n"
		"Body line.\n"
		"\n"
		"Signed-off-by: Ren\xc3\xa9 Descartes <rene@example.org>\n"
		"---\n"
		"diff --git a/a b/a\n"
		"--- a/a\n"
		"+++ b/a\n"
		"@@ -1 +1 @@\n"
		"-1\n"
		"+2\n"), 0);
	assert_string_equal(p.meta.commit, "0123456789abcdef0123456789abcdef01234567");
	assert_string_equal(p.meta.from, "Ren\xc3\xa9 Descartes <rene@example.org>");
	assert_string_equal(p.meta.date, "Tue, 7 Jul 2020 11:00:00 +0200");
	assert_string_equal(p.meta.subject,
			    "hw/s390x: a subject that is long enough to be folded twice");
	assert_string_equal(p.meta.body,
			    "Body line.\n\nSigned-off-by: Ren\xc3\xa9 Descartes <rene@example.org>");
	patch_release(&p);
}

static void test_quoted_printable_mail_is_decoded_before_parsing(void **state)
{
	struct patch p;
	struct hunk *h;

	assert_int_equal(parse_text(&p,
		"From: a <a@example.org>\n"
		"Subject: [PATCH] qp\n"
		"Content-Type: text/plain; charset=UTF-8\n"
		"Content-Transfer-Encoding: quoted-printable\n"
		"\n"
		"Caf=C3=A9 body.\n"
		"---\n"
		"--- a/f\n"
		"+++ b/f\n"
		"@@ -1 +1 @@\n"
		"-x =3D 1;\n"
		"+x =3D 2; /* a line the mailer wrapped with a =\n"
		"soft break */\n"), 0);
	assert_string_equal(p.meta.body, "Caf\xc3\xa9 body.");
	h = &p.files[0].hunks[0];
	assert_line(&h->lines[0], '-', "x = 1;");
	assert_line(&h->lines[1], '+', "x = 2; /* a line the mailer wrapped with a soft break */");
	assert_int_equal(p.raw_len, strlen(p.raw));
	patch_release(&p);

	/* without the header, "=3D" is just text */
	assert_int_equal(parse_text(&p,
		"From: a <a@example.org>\n"
		"Subject: [PATCH] not qp\n"
		"\n"
		"--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x =3D 1;\n+y\n"), 0);
	assert_line(&p.files[0].hunks[0].lines[0], '-', "x =3D 1;");
	patch_release(&p);
}

static void test_inbody_from_names_the_real_author(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
		"From: Maintainer <m@example.org>\n"
		"Date: Tue, 7 Jul 2020 11:00:00 +0200\n"
		"Subject: [PULL 3/9] the subject\n"
		"\n"
		"From: Author <a@example.org>\n"
		"\n"
		"Body.\n"
		"---\n"
		"--- a/a\n+++ b/a\n@@ -1 +1 @@\n-1\n+2\n"), 0);
	assert_string_equal(p.meta.from, "Author <a@example.org>");
	assert_string_equal(p.meta.subject, "the subject");
	assert_string_equal(p.meta.date, "Tue, 7 Jul 2020 11:00:00 +0200");
	assert_string_equal(p.meta.body, "Body.");
	patch_release(&p);

	/* a body that merely starts with "From:" text is body */
	assert_int_equal(parse_text(&p,
		"From: Maintainer <m@example.org>\n"
		"Subject: s\n"
		"\n"
		"From: here on, the code is faster.\n"
		"More.\n"
		"--- a/a\n+++ b/a\n@@ -1 +1 @@\n-1\n+2\n"), 0);
	assert_string_equal(p.meta.from, "Maintainer <m@example.org>");
	assert_string_equal(p.meta.body, "From: here on, the code is faster.\nMore.");
	patch_release(&p);
}

static void test_subject_brackets_without_patch_words_stay(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"From: a <a@example.org>\n"
		"Subject: [PATCH, HACK]: [s390x] keep this\n"
		"\n"
		"--- a/a\n"
		"+++ b/a\n"
		"@@ -1 +1 @@\n"
		"-1\n"
		"+2\n"), 0);
	assert_string_equal(p.meta.subject, "[s390x] keep this");
	assert_null(p.meta.body);
	patch_release(&p);
}

static void test_dep3_header_fills_subject_author_and_body(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"Description: short summary\n"
		" Longer text,\n"
		" .\n"
		" second paragraph.\n"
		"Author: Grace Hopper <grace@example.org>\n"
		"Origin: upstream, https://example.org/commit/0123456789abcdef0123456789abcdef01234567\n"
		"Last-Update: 2020-07-09\n"
		"---\n"
		"--- a/a\n"
		"+++ b/a\n"
		"@@ -1 +1 @@\n"
		"-1\n"
		"+2\n"), 0);
	assert_string_equal(p.meta.subject, "short summary");
	assert_string_equal(p.meta.from, "Grace Hopper <grace@example.org>");
	assert_string_equal(p.meta.body, "Longer text,\n\nsecond paragraph.");
	assert_string_equal(p.meta.commit, "0123456789abcdef0123456789abcdef01234567");
	assert_null(p.meta.date);
	patch_release(&p);
}

static void test_dep3_from_and_subject_with_continuation(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"Author: Someone\n"
		" Else <else@example.org>\n"
		"Subject: [PATCH] fix the frobnicator\n"
		" because it broke.\n"
		"Forwarded: not-needed\n"
		"\n"
		"--- a/a\n"
		"+++ b/a\n"
		"@@ -1 +1 @@\n"
		"-1\n"
		"+2\n"), 0);
	assert_string_equal(p.meta.from, "Someone Else <else@example.org>");
	assert_string_equal(p.meta.subject, "fix the frobnicator");
	assert_string_equal(p.meta.body, "because it broke.");
	patch_release(&p);
}

static void test_git_log_output_gives_commit_author_and_message(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"commit 89abcdef0123456789abcdef0123456789abcdef\n"
		"Author: Ada Lovelace <ada@example.org>\n"
		"Date:   Mon Jul 6 10:00:00 2020 +0200\n"
		"\n"
		"    frob: the subject\n"
		"    \n"
		"    The body.\n"
		"\n"
		"diff --git a/a b/a\n"
		"--- a/a\n"
		"+++ b/a\n"
		"@@ -1 +1 @@\n"
		"-1\n"
		"+2\n"), 0);
	assert_string_equal(p.meta.commit, "89abcdef0123456789abcdef0123456789abcdef");
	assert_string_equal(p.meta.from, "Ada Lovelace <ada@example.org>");
	assert_string_equal(p.meta.date, "Mon Jul 6 10:00:00 2020 +0200");
	assert_string_equal(p.meta.subject, "frob: the subject");
	assert_string_equal(p.meta.body, "The body.");
	patch_release(&p);
}

static void test_hg_export_gives_user_node_and_message(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"# HG changeset patch\n"
		"# User Ada Lovelace <ada@example.org>\n"
		"# Date 1594022400 -7200\n"
		"# Node ID 0123456789abcdef0123456789abcdef01234567\n"
		"# Parent  89abcdef0123456789abcdef0123456789abcdef\n"
		"frob: the subject\n"
		"\n"
		"The body.\n"
		"\n"
		"diff -r 89abcdef0123 -r 0123456789ab src/a.c\n"
		"--- a/src/a.c\tMon Jul 06 10:00:00 2020 +0200\n"
		"+++ b/src/a.c\tMon Jul 06 10:00:00 2020 +0200\n"
		"@@ -1 +1 @@\n"
		"-1\n"
		"+2\n"), 0);
	assert_string_equal(p.meta.from, "Ada Lovelace <ada@example.org>");
	assert_string_equal(p.meta.date, "1594022400 -7200");
	assert_string_equal(p.meta.commit, "0123456789abcdef0123456789abcdef01234567");
	assert_string_equal(p.meta.subject, "frob: the subject");
	assert_string_equal(p.meta.body, "The body.");
	assert_int_equal(p.header_lines, 9);
	assert_string_equal(p.files[0].new_path, "b/src/a.c");
	patch_release(&p);
}

/* --- files and mboxes ---------------------------------------------------- */

static void test_format_patch_mbox_splits_into_three_named_patches(void **state)
{
	struct patch_list l = { NULL, 0, 0 };
	struct patch *p;

	assert_int_equal(patch_list_read_file(&l, FIXTURES "/three.mbox"), 0);
	assert_int_equal(l.n, 3);
	p = &l.v[0];
	assert_string_equal(p->name, FIXTURES "/three.mbox:1");
	assert_string_equal(p->meta.commit, "1111111111111111111111111111111111111111");
	assert_string_equal(p->meta.subject, "frob: count widgets before folding them");
	assert_string_equal(p->meta.body,
		"The widget count was read after folding, so it was always zero.\n"
		"\nSigned-off-by: Ada Lovelace <ada@example.org>");
	assert_int_equal(p->files[0].hunks[0].nlines, 5);
	assert_int_equal(p->files[0].hunks[0].lineno, 18);
	p = &l.v[1];
	assert_string_equal(p->name, FIXTURES "/three.mbox:2");
	assert_string_equal(p->meta.from, "Ren\xc3\xa9 Descartes <rene@example.org>");
	assert_int_equal(p->files[0].op, FILE_CREATE);
	assert_int_equal(p->files[0].hunks[0].nlines, 3);
	p = &l.v[2];
	assert_string_equal(p->meta.subject, "frob: move the helpers");
	assert_int_equal(p->files[0].op, FILE_RENAME);
	assert_string_equal(file_diff_target(&p->files[0], 1), "src/util.c");
	assert_int_equal(p->files[0].hunks[0].nlines, 4);
	assert_line(&p->files[0].hunks[0].lines[2], ' ', "");
	patch_list_release(&l);
	assert_int_equal(l.n, 0);
}

static void test_single_patch_file_keeps_its_plain_name(void **state)
{
	struct patch_list l = { NULL, 0, 0 };

	assert_int_equal(patch_list_read_file(&l, FIXTURES "/dep3.patch"), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, FIXTURES "/dep3.patch");
	assert_string_equal(l.v[0].meta.subject, "make frob quieter");
	assert_string_equal(l.v[0].meta.from, "Grace Hopper <grace@example.org>");
	assert_string_equal(l.v[0].meta.commit, "4444444444444444444444444444444444444444");
	assert_string_equal(l.v[0].files[0].old_path, "frob-1.0.orig/src/frob.c");
	assert_string_equal(file_diff_target(&l.v[0].files[0], 1), "src/frob.c");
	assert_int_equal(l.v[0].files[0].hunks[0].nlines, 8);
	patch_list_release(&l);
}

/* A temporary file holding text; returns its malloc'ed path. */
static char *write_temp(const char *text)
{
	char *path = xstrdup("/tmp/test_parse.XXXXXX");
	int fd = mkstemp(path);
	size_t n = strlen(text);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

static const char mbox_msg[] =
	"From 5555555555555555555555555555555555555555 Mon Sep 17 00:00:00 2001\n"
	"From: a <a@example.org>\n"
	"Subject: [PATCH %d/2] change %d\n"
	"\n"
	"---\n"
	"diff --git a/a b/a\n"
	"--- a/a\n"
	"+++ b/a\n"
	"@@ -1,2 +1,2 @@\n"
	"-1\n"
	"+2\n"
	"%s"
	"-- \n"
	"2.30.2\n"
	"\n";

static void test_cover_letter_is_skipped_and_errors_name_the_mbox_line(void **state)
{
	struct patch_list l = { NULL, 0, 0 };
	struct strbuf sb = STRBUF_INIT;
	struct capture c;
	const char *err;
	char *path;
	int ret;

	sb_init(&sb);
	sb_addstr(&sb,
		"From 5555555555555555555555555555555555555555 Mon Sep 17 00:00:00 2001\n"
		"From: a <a@example.org>\n"
		"Subject: [PATCH 0/2] the series\n"
		"\n"
		"Two changes.\n"
		"\n");
	sb_addf(&sb, mbox_msg, 1, 1, " ok\n");
	sb_addf(&sb, mbox_msg, 2, 2, " ok\n");
	path = write_temp(sb.buf);
	assert_int_equal(patch_list_read_file(&l, path), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].meta.subject, "change 2");
	assert_true(strstr(l.v[0].name, ":1") != NULL);
	assert_true(strstr(l.v[1].name, ":2") != NULL);
	/* the cover letter has 6 lines, message 1 has 15: "@@" is line 9 of message 2 */
	assert_int_equal(l.v[1].files[0].hunks[0].lineno, 6 + 15 + 9);
	patch_list_release(&l);
	unlink(path);
	free(path);

	sb_reset(&sb);
	sb_addf(&sb, mbox_msg, 1, 1, " ok\n");
	sb_addf(&sb, mbox_msg, 2, 2, "");
	path = write_temp(sb.buf);
	capture_begin(&c);
	ret = patch_list_read_file(&l, path);
	err = capture_end(&c);
	assert_int_equal(ret, -1);
	/* "-- " is read as a removed line, so "2.30.2" (line 15 + 13) is the bad one */
	assert_true(strstr(err, "does not start with") != NULL);
	assert_true(strstr(err, ":28: ") != NULL);
	patch_list_release(&l);
	unlink(path);
	free(path);
	sb_release(&sb);
}

static void test_text_quoting_mails_before_its_diff_is_one_patch(void **state)
{
	struct patch_list l = { NULL, 0, 0 };
	char *path = write_temp(
		"Combined backport of\n"
		"\n"
		"From 6666666666666666666666666666666666666666 Mon Sep 17 00:00:00 2001\n"
		"From: a <a@example.org>\n"
		"Subject: [PATCH] first half\n"
		"\n"
		"and\n"
		"\n"
		"From 7777777777777777777777777777777777777777 Mon Sep 17 00:00:00 2001\n"
		"From: b <b@example.org>\n"
		"Subject: [PATCH] second half\n"
		"\n"
		"---\n"
		"--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n");

	assert_int_equal(patch_list_read_file(&l, path), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, path);
	assert_string_equal(l.v[0].meta.commit, "6666666666666666666666666666666666666666");
	assert_string_equal(l.v[0].meta.subject, "first half");
	assert_int_equal(l.v[0].header_lines, 13);
	patch_list_release(&l);
	unlink(path);
	free(path);
}

static void test_dash_reads_standard_input(void **state)
{
	struct patch_list l = { NULL, 0, 0 };
	char *path = write_temp("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");
	int saved = dup(0);
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	dup2(fileno(f), 0);
	clearerr(stdin);
	assert_int_equal(patch_list_read_file(&l, "-"), 0);
	dup2(saved, 0);
	close(saved);
	fclose(f);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, "-");
	assert_string_equal(l.v[0].files[0].new_path, "b/x");
	patch_list_release(&l);
	unlink(path);
	free(path);
}

static void test_oversized_file_is_refused_before_reading(void **state)
{
	struct patch_list l = { NULL, 0, 0 };
	struct capture c;
	char *path = write_temp("--- a/x\n+++ b/x\n@@ -1 +1 @@\n");
	const char *err;

	assert_int_equal(truncate(path, (off_t)MAX_INPUT_SIZE + 1), 0);
	capture_begin(&c);
	assert_int_equal(patch_list_read_file(&l, path), -1);
	err = capture_end(&c);
	assert_true(strstr(err, "larger than") != NULL);
	assert_int_equal(l.n, 0);
	unlink(path);
	free(path);
}

static void test_missing_file_is_an_error(void **state)
{
	struct patch_list l = { NULL, 0, 0 };
	struct capture c;
	const char *err;

	capture_begin(&c);
	assert_int_equal(patch_list_read_file(&l, FIXTURES "/no-such.patch"), -1);
	err = capture_end(&c);
	assert_true(strstr(err, "no-such.patch") != NULL);
	assert_int_equal(l.n, 0);
}

/* --- paths --------------------------------------------------------------- */

static void test_strip_removes_leading_components_like_git_apply(void **state)
{
	struct file_diff fd;

	memset(&fd, 0, sizeof(fd));
	fd.old_path = (char *)"a/src/x.c";
	fd.new_path = (char *)"b/src/y.c";
	assert_string_equal(file_diff_path(&fd, 0, 0), "a/src/x.c");
	assert_string_equal(file_diff_path(&fd, 1, 0), "src/x.c");
	assert_string_equal(file_diff_path(&fd, 2, 0), "x.c");
	assert_null(file_diff_path(&fd, 3, 0));
	assert_string_equal(file_diff_path(&fd, 1, 1), "src/y.c");
	assert_string_equal(file_diff_target(&fd, 2), "y.c");
	fd.new_path = NULL;
	assert_null(file_diff_path(&fd, 0, 1));
	assert_string_equal(file_diff_target(&fd, 1), "src/x.c");
	fd.old_path = (char *)"dir/";
	assert_null(file_diff_path(&fd, 1, 0));
}

static void test_strip_never_turns_an_absolute_path_relative(void **state)
{
	struct file_diff fd;

	memset(&fd, 0, sizeof(fd));
	fd.old_path = (char *)"/etc/passwd";
	fd.new_path = (char *)"b//etc/passwd";
	assert_string_equal(file_diff_path(&fd, 1, 0), "/etc/passwd");
	assert_string_equal(file_diff_path(&fd, 3, 0), "/etc/passwd");
	/* a run of slashes is one separator: "b//etc" is "b/etc" */
	assert_string_equal(file_diff_path(&fd, 1, 1), "etc/passwd");
	assert_string_equal(file_diff_path(&fd, 2, 1), "passwd");
	fd.new_path = (char *)"b///";
	assert_null(file_diff_path(&fd, 1, 1));
	fd.is_git = 1; /* but git apply reads "b//etc" as "/etc" */
	fd.new_path = (char *)"b//etc/passwd";
	assert_string_equal(file_diff_path(&fd, 1, 1), "/etc/passwd");
}

static void test_unsafe_paths_are_stored_as_written(void **state)
{
	struct patch p;

	assert_int_equal(parse_text(&p,
		"--- a/../../etc/passwd\n"
		"+++ /etc/passwd\n"
		"@@ -1 +1 @@\n"
		"-a\n"
		"+b\n"), 0);
	assert_string_equal(p.files[0].old_path, "a/../../etc/passwd");
	assert_string_equal(p.files[0].new_path, "/etc/passwd");
	patch_release(&p);
}

/* --- speed --------------------------------------------------------------- */

/*
 * A 17 MB patch of 20000 files and half a million hunk lines parses well under
 * the bound: a pass that went quadratic anywhere would take minutes.
 */
static void test_a_large_patch_parses_in_one_quick_pass(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct timespec t0, t1;
	struct patch p;
	size_t len;
	char *buf;
	int i, j;
	double ms;

	if (getenv("BT_VALGRIND"))
		skip();
	sb_init(&sb);
	for (i = 0; i < 20000; i++) {
		sb_addf(&sb, "diff --git a/dir/file%d.c b/dir/file%d.c\n"
			"--- a/dir/file%d.c\n+++ b/dir/file%d.c\n"
			"@@ -1,25 +1,25 @@ int f%d(void)\n", i, i, i, i, i);
		for (j = 0; j < 24; j++)
			sb_addf(&sb, " context line %d of file %d\n", j, i);
		sb_addstr(&sb, "-old\n+new\n");
	}
	buf = sb_detach(&sb, &len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(patch_parse(&p, "big.patch", buf, len), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(p.nfiles, 20000);
	assert_int_equal(p.files[19999].hunks[0].nlines, 26);
	patch_release(&p);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("# 20000 files, %zu bytes: %.1f ms\n", len, ms);
	assert_true(ms < 5000);
}

/* --- malformed input ----------------------------------------------------- */

static void test_truncated_hunk_is_refused(void **state)
{
	assert_refused("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n",
		       "bad.patch:5: hunk ends early: expected 2 more lines");
	assert_refused("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n b\n"
		       "diff --git a/g b/g\n",
		       "bad.patch:6: hunk ends early: expected 1 more line");
	assert_refused("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n@@ -5 +5 @@\n",
		       "bad.patch:5: hunk ends early");
}

static void test_foreign_line_inside_a_hunk_is_refused(void **state)
{
	assert_refused("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n*b\n c\n",
		       "bad.patch:5: line in a hunk does not start with");
}

static void test_more_lines_than_the_counts_are_refused(void **state)
{
	assert_refused("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n b\n c\n",
		       "bad.patch:6: hunk has more lines than its header states");
	assert_refused("--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n-a\n-b\n+c\n",
		       "bad.patch:5: hunk has more removed lines");
	assert_refused("--- a/f\n+++ b/f\n@@ -1,2 +1 @@\n+a\n+b\n-c\n",
		       "bad.patch:5: hunk has more added lines");
	assert_refused("--- a/f\n+++ b/f\n@@ -1,2 +1 @@\n a\n b\n",
		       "bad.patch:5: hunk has more lines than its header states");
}

static void test_unparsable_hunk_header_is_refused(void **state)
{
	assert_refused("--- a/f\n+++ b/f\n@@ -1,x +1 @@\n a\n",
		       "bad.patch:3: malformed hunk header");
	assert_refused("--- a/f\n+++ b/f\n@@ -1 +1\n a\n",
		       "bad.patch:3: malformed hunk header");
	assert_refused("--- a/f\n+++ b/f\n@@ -99999999999999999999 +1 @@\n a\n",
		       "bad.patch:3: malformed hunk header");
	assert_refused("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n@@ 1 1 @@\n",
		       "bad.patch:6: malformed hunk header");
}

static void test_minus_line_without_plus_line_is_refused(void **state)
{
	assert_refused("--- a/f\n@@ -1 +1 @@\n-a\n+b\n",
		       "bad.patch:1: '---' line without a '+++' line");
	assert_refused("diff --git a/f b/f\n--- a/f\n@@ -1 +1 @@\n-a\n+b\n",
		       "bad.patch:2: '---' line without a '+++' line");
}

static void test_ed_scripts_are_refused(void **state)
{
	assert_refused("3c\nnew text\n.\n5,6d\n",
		       "bad.patch:1: ed scripts are not supported");
	assert_refused("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n7a\nsneaky\n.\n",
		       "bad.patch:6: ed scripts are not supported");
}

static void test_normal_and_combined_diffs_are_refused(void **state)
{
	assert_refused("1c1\n< a\n---\n> b\n",
		       "bad.patch:1: normal diffs are not supported");
	assert_refused("diff --cc f\nindex 1,2..3\n--- a/f\n+++ b/f\n"
		       "@@@ -1,1 -1,1 +1,1 @@@\n- a\n -b\n++c\n",
		       "bad.patch:5: combined diffs (merges) are not supported");
}

static void test_text_without_any_diff_is_refused(void **state)
{
	assert_refused("Just a mail.\n\nNo diff here.\n",
		       "bad.patch:1: no diff found");
	assert_refused("", "bad.patch:1: no diff found");
}

static void test_nul_bytes_are_refused(void **state)
{
	static const char text[] = "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\0\n+b\n";

	assert_refused_n(text, sizeof(text) - 1, "bad.patch:4: NUL byte");
}

static void test_dev_null_on_both_sides_is_refused(void **state)
{
	assert_refused("--- /dev/null\n+++ /dev/null\n@@ -0,0 +1 @@\n+a\n",
		       "bad.patch:1: /dev/null on both sides");
}

static void test_new_file_that_is_also_deleted_is_refused(void **state)
{
	assert_refused("diff --git a/f b/f\nnew file mode 100644\n"
		       "deleted file mode 100644\n",
		       "bad.patch:1: file diff both creates and deletes");
}

static void test_plus_line_without_hunks_is_refused(void **state)
{
	assert_refused("diff --git a/f b/f\n--- a/f\n+++ b/f\n\ndiff --git a/g b/g\n",
		       "bad.patch:4: expected a hunk");
}

static void test_hunk_outside_a_file_diff_is_refused(void **state)
{
	assert_refused("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n-- \n2.1\n"
		       "@@ -5 +5 @@\n-x\n+y\n",
		       "bad.patch:8: hunk outside a file diff");
	assert_refused("diff --git a/f b/f\nindex 1..2 100644\n@@ -1 +1 @@\n",
		       "bad.patch:3: hunk without '---' and '+++' lines");
}

static void test_hunks_too_large_to_hold_are_refused_before_reading(void **state)
{
	assert_refused("--- /dev/null\n+++ b/big\n@@ -0,0 +1,10000000 @@\n+x\n",
		       "bad.patch:3: hunk of 10000000 lines is over the limit");
	assert_refused("*** a\n--- b\n***************\n*** 1,9999999 ****\n",
		       "bad.patch:3: hunk of 9999999 lines is over the limit");
}

static void test_bad_quoting_and_unsplittable_git_names_are_refused(void **state)
{
	assert_refused("--- \"a/f\\q\"\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n",
		       "bad.patch:1: badly quoted file name");
	assert_refused("diff --git a/x b/y\nold mode 100644\nnew mode 100755\n",
		       "bad.patch:1: cannot tell the file names apart");
	assert_refused("diff --git a/x b/y\nrename from x\n",
		       "bad.patch:1: rename without both");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_diff_u_reads_names_without_timestamps),
		cmocka_unit_test(test_old_style_timestamp_after_spaces_is_not_part_of_the_name),
		cmocka_unit_test(test_git_rename_with_hunks_keeps_both_names),
		cmocka_unit_test(test_pure_git_rename_takes_names_from_the_diff_line),
		cmocka_unit_test(test_git_copy_with_hunks),
		cmocka_unit_test(test_git_quoted_names_are_unescaped),
		cmocka_unit_test(test_dev_null_sides_create_and_delete),
		cmocka_unit_test(test_diff_N_epoch_timestamp_means_a_new_file),
		cmocka_unit_test(test_git_new_empty_file_has_no_hunks),
		cmocka_unit_test(test_binary_markers_set_is_binary_and_skip_the_data),
		cmocka_unit_test(test_plain_diff_binary_line_names_the_files),
		cmocka_unit_test(test_svn_index_header_is_a_file_start),
		cmocka_unit_test(test_no_newline_marks_the_line_before_on_either_side),
		cmocka_unit_test(test_crlf_lines_keep_their_carriage_return),
		cmocka_unit_test(test_hunk_at_file_start_and_omitted_counts),
		cmocka_unit_test(test_empty_line_in_a_hunk_is_empty_context),
		cmocka_unit_test(test_hunk_ends_at_its_counts_so_trailers_are_not_lines),
		cmocka_unit_test(test_several_file_diffs_in_one_patch),
		cmocka_unit_test(test_context_diff_becomes_unified_hunks),
		cmocka_unit_test(test_context_diff_without_context_settles_single_ranges),
		cmocka_unit_test(test_malformed_context_hunks_are_refused),
		cmocka_unit_test(test_header_is_kept_verbatim_with_its_line_count),
		cmocka_unit_test(test_mail_subject_is_unfolded_and_loses_its_prefixes),
		cmocka_unit_test(test_quoted_printable_mail_is_decoded_before_parsing),
		cmocka_unit_test(test_inbody_from_names_the_real_author),
		cmocka_unit_test(test_subject_brackets_without_patch_words_stay),
		cmocka_unit_test(test_dep3_header_fills_subject_author_and_body),
		cmocka_unit_test(test_dep3_from_and_subject_with_continuation),
		cmocka_unit_test(test_git_log_output_gives_commit_author_and_message),
		cmocka_unit_test(test_hg_export_gives_user_node_and_message),
		cmocka_unit_test(test_format_patch_mbox_splits_into_three_named_patches),
		cmocka_unit_test(test_single_patch_file_keeps_its_plain_name),
		cmocka_unit_test(test_cover_letter_is_skipped_and_errors_name_the_mbox_line),
		cmocka_unit_test(test_text_quoting_mails_before_its_diff_is_one_patch),
		cmocka_unit_test(test_dash_reads_standard_input),
		cmocka_unit_test(test_oversized_file_is_refused_before_reading),
		cmocka_unit_test(test_missing_file_is_an_error),
		cmocka_unit_test(test_strip_removes_leading_components_like_git_apply),
		cmocka_unit_test(test_strip_never_turns_an_absolute_path_relative),
		cmocka_unit_test(test_unsafe_paths_are_stored_as_written),
		cmocka_unit_test(test_a_large_patch_parses_in_one_quick_pass),
		cmocka_unit_test(test_truncated_hunk_is_refused),
		cmocka_unit_test(test_foreign_line_inside_a_hunk_is_refused),
		cmocka_unit_test(test_more_lines_than_the_counts_are_refused),
		cmocka_unit_test(test_unparsable_hunk_header_is_refused),
		cmocka_unit_test(test_minus_line_without_plus_line_is_refused),
		cmocka_unit_test(test_ed_scripts_are_refused),
		cmocka_unit_test(test_normal_and_combined_diffs_are_refused),
		cmocka_unit_test(test_text_without_any_diff_is_refused),
		cmocka_unit_test(test_nul_bytes_are_refused),
		cmocka_unit_test(test_dev_null_on_both_sides_is_refused),
		cmocka_unit_test(test_new_file_that_is_also_deleted_is_refused),
		cmocka_unit_test(test_plus_line_without_hunks_is_refused),
		cmocka_unit_test(test_hunk_outside_a_file_diff_is_refused),
		cmocka_unit_test(test_hunks_too_large_to_hold_are_refused_before_reading),
		cmocka_unit_test(test_bad_quoting_and_unsplittable_git_names_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
