/*
 * test_refresh.c - refreshed patches: the quilt-style diff of two contents,
 * whether a patch's hunks survived unchanged, and a whole patch refreshed on
 * a tree after an offset and after fuzz.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit/refresh.h"

static void test_diff_modify(void **state)
{
	const char *old = "a\nb\nc\nd\ne\nf\ng\nh\n";
	const char *new = "a\nb\nc\nd\nE\nf\ng\nh\n";
	struct strbuf out = STRBUF_INIT;

	(void)state;
	sb_init(&out);
	assert_int_equal(refresh_diff_file("dir/f.c", old, strlen(old), 1, new,
					   strlen(new), 1, &out), 0);
	assert_string_equal(out.buf,
		"--- a/dir/f.c\n"
		"+++ b/dir/f.c\n"
		"@@ -2,7 +2,7 @@ a\n"
		" b\n c\n d\n-e\n+E\n f\n g\n h\n");
	/* equal contents: no diff at all */
	sb_reset(&out);
	assert_int_equal(refresh_diff_file("f", old, strlen(old), 1, old,
					   strlen(old), 1, &out), 0);
	assert_int_equal(out.len, 0);
	sb_release(&out);
}

static void test_diff_create_delete_noeol(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	sb_init(&out);
	assert_int_equal(refresh_diff_file("new.h", NULL, 0, 0, "x\ny", 3, 1,
					   &out), 0);
	assert_string_equal(out.buf,
		"--- /dev/null\n"
		"+++ b/new.h\n"
		"@@ -0,0 +1,2 @@\n"
		"+x\n+y\n\\ No newline at end of file\n");
	sb_reset(&out);
	assert_int_equal(refresh_diff_file("old.h", "x\n", 2, 1, NULL, 0, 0,
					   &out), 0);
	assert_string_equal(out.buf,
		"--- a/old.h\n"
		"+++ /dev/null\n"
		"@@ -1 +0,0 @@\n"
		"-x\n");
	sb_release(&out);
}

static void test_diff_refused(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	sb_init(&out);
	assert_int_equal(refresh_diff_file("bin", "a\0b", 3, 1, "a\0c", 3, 1,
					   &out), -1);
	assert_int_equal(refresh_diff_file("empty", NULL, 0, 0, "", 0, 1, &out),
			 -1);
	assert_int_equal(out.len, 0);
	sb_release(&out);
}

static char *dup_text(const char *s)
{
	return xstrndup(s, strlen(s));
}

static const char upstream_patch[] =
	"From: Jane <jane@example.org>\n"
	"Subject: [PATCH] make e loud\n"
	"\n"
	"Because.\n"
	"---\n"
	"--- a/f.c\n"
	"+++ b/f.c\n"
	"@@ -2,7 +2,7 @@\n"
	" b\n c\n d\n-e\n+E\n f\n g\n h\n";

static void test_same_hunks(void **state)
{
	struct patch p;
	/* the same hunk 10 lines further down: carried unchanged */
	const char *moved = "--- a/f.c\n+++ b/f.c\n@@ -12,7 +12,7 @@\n"
			    " b\n c\n d\n-e\n+E\n f\n g\n h\n";
	/* one context line differs: the backport changed it */
	const char *fuzzed = "--- a/f.c\n+++ b/f.c\n@@ -2,7 +2,7 @@\n"
			     " b\n c\n D\n-e\n+E\n f\n g\n h\n";
	/* inside a larger hunk that also holds a neighbour's change */
	const char *merged = "--- a/f.c\n+++ b/f.c\n@@ -1,8 +1,8 @@\n"
			     "-a\n+A\n b\n c\n d\n-e\n+E\n f\n g\n h\n";

	(void)state;
	assert_int_equal(patch_parse(&p, "up.patch", dup_text(upstream_patch),
				     strlen(upstream_patch)), 0);
	assert_int_equal(refresh_same_hunks(&p, moved, strlen(moved)), 1);
	assert_int_equal(refresh_same_hunks(&p, fuzzed, strlen(fuzzed)), 0);
	assert_int_equal(refresh_same_hunks(&p, merged, strlen(merged)), 1);
	assert_int_equal(refresh_same_hunks(&p, "", 0), 0);
	patch_release(&p);
}

/* A tree backed by one in-memory file. */
struct mem {
	const char *path, *data;
};

static int mem_read(void *ctx, const char *path, char **data, size_t *len,
		    unsigned *mode, unsigned char *id)
{
	const struct mem *m = ctx;

	if (strcmp(path, m->path))
		return TREE_ENOENT;
	*data = dup_text(m->data);
	*len = strlen(m->data);
	*mode = 0100644;
	return 0;
}

static void mem_free(void *ctx)
{
	(void)ctx;
}

static const struct tree_backend mem_backend = {
	.kind = "mem", .read = mem_read, .free = mem_free
};

/* Refresh upstream_patch on a target whose f.c is `target`, after the
   change the patch made on it (`applied`). */
static void refresh_on(const char *target, const char *applied,
		       struct strbuf *out)
{
	struct mem m = { "f.c", target };
	struct tree *t = tree_new("target", &mem_backend, &m);
	struct refresh_snapshot snap = { NULL, 0, 0 };
	struct dep3_info in = { "https://example.org/commit/1", 0, "1887930",
				NULL, NULL, "2024-01-01", NULL, NULL };
	struct patch p;
	size_t at = 0;

	assert_int_equal(patch_parse(&p, "up.patch", dup_text(upstream_patch),
				     strlen(upstream_patch)), 0);
	assert_int_equal(refresh_snapshot_take(&snap, t, &p), 0);
	tree_begin(t);
	tree_put(t, "f.c", dup_text(applied), strlen(applied), 0100644);
	tree_keep(t);
	assert_int_equal(refresh_patch(&p, &snap, t, &in, out, &at), 0);
	assert_memory_equal(out->buf + at, "--- a/f.c\n", 10);
	refresh_snapshot_release(&snap);
	patch_release(&p);
	tree_free(t);
}

static void test_refresh_offset(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	sb_init(&out);
	refresh_on("0\n1\na\nb\nc\nd\ne\nf\ng\nh\n",
		   "0\n1\na\nb\nc\nd\nE\nf\ng\nh\n", &out);
	assert_string_equal(out.buf,
		"From: Jane <jane@example.org>\n"
		"Subject: [PATCH] make e loud\n"
		"Origin: upstream, https://example.org/commit/1\n"
		"Bug-Ubuntu: https://bugs.launchpad.net/bugs/1887930\n"
		"Last-Update: 2024-01-01\n"
		"\n"
		"Because.\n"
		"---\n"
		"--- a/f.c\n"
		"+++ b/f.c\n"
		"@@ -4,7 +4,7 @@ a\n"
		" b\n c\n d\n-e\n+E\n f\n g\n h\n");
	sb_release(&out);
}

static void test_refresh_fuzz(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	sb_init(&out);
	/* the target's first context line differs: applied with fuzz 1 */
	refresh_on("a\nB\nc\nd\ne\nf\ng\nh\n", "a\nB\nc\nd\nE\nf\ng\nh\n",
		   &out);
	assert_non_null(strstr(out.buf,
		"Origin: backport, https://example.org/commit/1\n"));
	assert_non_null(strstr(out.buf, "@@ -2,7 +2,7 @@ a\n"
				" B\n c\n d\n-e\n+E\n f\n g\n h\n"));
	sb_release(&out);
}

static void test_refresh_nothing(void **state)
{
	struct mem m = { "f.c", "a\n" };
	struct tree *t = tree_new("target", &mem_backend, &m);
	struct refresh_snapshot snap = { NULL, 0, 0 };
	struct dep3_info in = { 0 };
	struct strbuf out = STRBUF_INIT;
	struct patch p;

	(void)state;
	sb_init(&out);
	assert_int_equal(patch_parse(&p, "up.patch", dup_text(upstream_patch),
				     strlen(upstream_patch)), 0);
	assert_int_equal(refresh_snapshot_take(&snap, t, &p), 0);
	/* nothing changed (an already applied patch): nothing to carry */
	assert_int_equal(refresh_patch(&p, &snap, t, &in, &out, NULL), 1);
	assert_int_equal(out.len, 0);
	refresh_snapshot_release(&snap);
	patch_release(&p);
	tree_free(t);
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_modify),
		cmocka_unit_test(test_diff_create_delete_noeol),
		cmocka_unit_test(test_diff_refused),
		cmocka_unit_test(test_same_hunks),
		cmocka_unit_test(test_refresh_offset),
		cmocka_unit_test(test_refresh_fuzz),
		cmocka_unit_test(test_refresh_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
