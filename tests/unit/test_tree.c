/*
 * test_tree.c - the overlay over a backing store: reads cached once,
 * per-patch begin/abort/keep, later patches seeing earlier ones, and a
 * directory tree written out with exactly the kept changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree/tree.h"
#include "util.h"

/* A backend holding two files in memory and counting its reads; it names
   a.c's content by an id (all 0x5a), as a git tree names a blob. */
struct mem {
	int reads;
	int fail; /* read() reports an error */
};

static int mem_read(void *ctx, const char *path, char **data, size_t *len,
		    unsigned *mode, unsigned char *id)
{
	struct mem *m = ctx;
	const char *text = NULL;

	m->reads++;
	if (m->fail)
		return -1;
	if (!strcmp(path, "a.c"))
		text = "int a;\n";
	else if (!strcmp(path, "dir/b.c"))
		text = "int b;\n";
	if (!text)
		return TREE_ENOENT;
	*data = xstrdup(text);
	*len = strlen(text);
	*mode = 0100644;
	if (!strcmp(path, "a.c"))
		memset(id, 0x5a, TREE_ID_LEN);
	return 0;
}

static const struct tree_backend mem_backend = { .kind = "mem", .read = mem_read };

static char *dup_str(const char *s)
{
	return xstrdup(s);
}

static void put_str(struct tree *t, const char *path, const char *s)
{
	tree_put(t, path, dup_str(s), strlen(s), 0100644);
}

static void assert_content(struct tree *t, const char *path, const char *s)
{
	struct tree_file f;

	assert_int_equal(tree_get(t, path, &f), 0);
	assert_int_equal(f.len, strlen(s));
	assert_memory_equal(f.data, s, f.len);
}

static void test_get_reads_backend_once(void **state)
{
	struct mem m = { 0, 0 };
	struct tree *t = tree_new("mem", &mem_backend, &m);
	struct tree_file f;

	assert_string_equal(tree_name(t), "mem");
	assert_null(tree_dir(t));
	assert_content(t, "a.c", "int a;\n");
	assert_content(t, "a.c", "int a;\n");
	assert_int_equal(tree_get(t, "nope.c", &f), TREE_ENOENT);
	assert_int_equal(tree_get(t, "nope.c", &f), TREE_ENOENT);
	assert_int_equal(m.reads, 2);
	assert_int_equal(f.mode, 0);
	tree_free(t);
}

static void test_backend_error(void **state)
{
	struct mem m = { 0, 1 };
	struct tree *t = tree_new("mem", &mem_backend, &m);
	struct tree_file f;

	assert_int_equal(tree_get(t, "a.c", &f), -1);
	m.fail = 0; /* an error is not cached as absence */
	assert_int_equal(tree_get(t, "a.c", &f), 0);
	tree_free(t);
}

/* A file's id is the backend's while the series leaves the file alone. */
static void test_id_only_while_unchanged(void **state)
{
	static const unsigned char named[TREE_ID_LEN] = {
		0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
		0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a
	};
	struct mem m = { 0, 0 };
	struct tree *t = tree_new("mem", &mem_backend, &m);
	struct tree_file f;

	assert_int_equal(tree_get(t, "a.c", &f), 0);
	assert_non_null(f.id);
	assert_memory_equal(f.id, named, TREE_ID_LEN);
	assert_int_equal(tree_get(t, "dir/b.c", &f), 0);
	assert_null(f.id); /* not named by the backend */
	tree_begin(t);
	put_str(t, "a.c", "int a2;\n");
	assert_int_equal(tree_get(t, "a.c", &f), 0);
	assert_null(f.id); /* changed: the id would lie */
	tree_abort(t);
	assert_int_equal(tree_get(t, "a.c", &f), 0);
	assert_non_null(f.id);
	tree_begin(t);
	put_str(t, "a.c", "int a3;\n");
	tree_keep(t);
	assert_int_equal(tree_get(t, "a.c", &f), 0);
	assert_null(f.id);
	tree_free(t);
}

/* The hex of a tree_get_id, or "" for none. */
static const char *id_hex(const unsigned char *id)
{
	static char hex[2 * TREE_ID_LEN + 1];
	int i;

	hex[0] = '\0';
	for (i = 0; id && i < TREE_ID_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	return hex;
}

/*
 * tree_get_id: the backend's id, else the content hashed as git hashes a
 * blob (the values are git hash-object's), for the content the series
 * sees now: an abort brings the previous id back, a put a new one.
 */
static void test_get_id_of_any_content(void **state)
{
	struct mem m = { 0, 0 };
	struct tree *t = tree_new("mem", &mem_backend, &m);
	struct tree_file f;

	assert_string_equal(id_hex(tree_get_id(t, "a.c", NULL)),
			    "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
	assert_string_equal(id_hex(tree_get_id(t, "dir/b.c", NULL)),
			    "04bfb9bae713e61093964c62d1c6437da187a286");
	assert_int_equal(tree_get(t, "dir/b.c", &f), 0);
	assert_string_equal(id_hex(f.id), /* worked out once, then kept */
			    "04bfb9bae713e61093964c62d1c6437da187a286");
	assert_null(tree_get_id(t, "nope.c", NULL));
	tree_begin(t);
	put_str(t, "a.c", "int a2;\n");
	assert_string_equal(id_hex(tree_get_id(t, "a.c", NULL)),
			    "5c4e7ff4769a4281526fbb50c124e1d3e79d50f4");
	tree_begin(t); /* keeps the first patch */
	put_str(t, "a.c", "int a3;\n");
	assert_string_equal(id_hex(tree_get_id(t, "a.c", NULL)),
			    "cf2b1812349bacac65939c859802dfa56d7d85e2");
	tree_abort(t);
	assert_string_equal(id_hex(tree_get_id(t, "a.c", NULL)),
			    "5c4e7ff4769a4281526fbb50c124e1d3e79d50f4");
	tree_begin(t);
	put_str(t, "a.c", "");
	assert_string_equal(id_hex(tree_get_id(t, "a.c", NULL)),
			    "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
	tree_delete(t, "a.c");
	assert_null(tree_get_id(t, "a.c", NULL));
	tree_abort(t);
	assert_string_equal(id_hex(tree_get_id(t, "a.c", NULL)),
			    "5c4e7ff4769a4281526fbb50c124e1d3e79d50f4");
	tree_free(t);
}

/* A memo that counts how many were freed. */
static int memos_freed;

static void memo_free(void *p)
{
	memos_freed++;
	free(p);
}

/* The memo of serial (NULL: none), put back as it was (bytes long). */
static const char *memo_peek(struct tree *t, unsigned long serial,
			     size_t bytes)
{
	char *p = tree_memo_take(t, serial);

	if (p)
		tree_memo_put(t, serial, p, bytes, memo_free);
	return p;
}

/*
 * Serials name contents: each put gives a new one, an abort brings the
 * previous content back with its serial, and a memo is found by the
 * serial of the content it was made from, never by another's.  Past the
 * budget the least lately used memos are freed.
 */
static void test_memo_by_content(void **state)
{
	struct mem m = { 0, 0 };
	struct tree *t = tree_new("mem", &mem_backend, &m);
	struct tree_file f;
	unsigned long base, mine;
	int i;

	assert_int_equal(tree_get(t, "a.c", &f), 0);
	base = f.serial;
	assert_true(base != 0);
	assert_null(memo_peek(t, base, 12));
	tree_memo_put(t, base, xstrdup("of the base"), 12, memo_free);
	assert_string_equal(memo_peek(t, base, 12), "of the base");
	tree_begin(t);
	put_str(t, "a.c", "int a2;\n");
	assert_int_equal(tree_get(t, "a.c", &f), 0);
	mine = f.serial;
	assert_true(mine != base);
	assert_null(memo_peek(t, mine, 12)); /* not the base's */
	tree_abort(t);
	assert_int_equal(tree_get(t, "a.c", &f), 0);
	assert_int_equal(f.serial, base);
	assert_string_equal(memo_peek(t, base, 12), "of the base");
	assert_int_equal(tree_get(t, "dir/b.c", &f), 0);
	assert_true(f.serial != base && f.serial != mine);

	/* 64 memos of 1 MiB: the oldest go, the last asked for stays */
	memos_freed = 0;
	for (i = 0; i < 64; i++) {
		assert_non_null(memo_peek(t, base, 12)); /* kept in use */
		tree_memo_put(t, 1000 + (unsigned long)i, xstrdup("x"),
			      (size_t)1 << 20, memo_free);
	}
	assert_true(memos_freed > 0 && memos_freed < 64);
	assert_non_null(memo_peek(t, base, 12));
	assert_null(memo_peek(t, 1000, 1 << 20));
	assert_non_null(memo_peek(t, 1063, 1 << 20));
	memo_free(tree_memo_take(t, 1063)); /* the caller's now */
	assert_null(memo_peek(t, 1063, 1 << 20));
	tree_free(t); /* frees the rest */
	assert_int_equal(memos_freed, 65);
}

static void test_abort_forgets_the_patch(void **state)
{
	struct mem m = { 0, 0 };
	struct tree *t = tree_new("mem", &mem_backend, &m);
	struct tree_file f;

	tree_begin(t);
	put_str(t, "a.c", "int a2;\n");
	put_str(t, "a.c", "int a3;\n"); /* twice in one patch */
	put_str(t, "new.c", "new\n");
	tree_delete(t, "dir/b.c");
	assert_content(t, "a.c", "int a3;\n");
	assert_int_equal(tree_get(t, "dir/b.c", &f), TREE_ENOENT);
	tree_abort(t);
	assert_content(t, "a.c", "int a;\n");
	assert_content(t, "dir/b.c", "int b;\n");
	assert_int_equal(tree_get(t, "new.c", &f), TREE_ENOENT);
	tree_free(t);
}

static void test_keep_and_later_patches(void **state)
{
	struct mem m = { 0, 0 };
	struct tree *t = tree_new("mem", &mem_backend, &m);
	struct tree_file f;

	tree_begin(t); /* patch 1 */
	put_str(t, "a.c", "int a2;\n");
	tree_keep(t);
	tree_begin(t); /* patch 2 sees patch 1 and deletes */
	assert_content(t, "a.c", "int a2;\n");
	tree_delete(t, "a.c");
	tree_keep(t);
	tree_begin(t); /* patch 3 re-creates, then fails */
	assert_int_equal(tree_get(t, "a.c", &f), TREE_ENOENT);
	put_str(t, "a.c", "again\n");
	tree_abort(t);
	assert_int_equal(tree_get(t, "a.c", &f), TREE_ENOENT);
	assert_int_equal(m.reads, 0); /* the overlay answered every time */
	tree_free(t);
}

/*
 * Once a kept patch replaced a file read from the backend, the tree lets
 * the backend's copy go: later patches, aborts and the list of changes
 * still see the right state, and nothing is read twice.
 */
static void test_kept_change_drops_the_base(void **state)
{
	struct mem m = { 0, 0 };
	struct tree *t = tree_new("mem", &mem_backend, &m);

	tree_begin(t); /* patch 1 reads dir/b.c and a.c, changes both */
	assert_content(t, "a.c", "int a;\n");
	assert_content(t, "dir/b.c", "int b;\n");
	put_str(t, "a.c", "int a2;\n");
	tree_delete(t, "dir/b.c");
	tree_keep(t);
	tree_begin(t); /* patch 2 changes a.c again, then fails */
	put_str(t, "a.c", "int a3;\n");
	tree_abort(t);
	assert_content(t, "a.c", "int a2;\n");
	tree_begin(t); /* patch 3 brings dir/b.c back: a change, not the base */
	put_str(t, "dir/b.c", "int b2;\n");
	tree_keep(t);
	assert_content(t, "dir/b.c", "int b2;\n");
	assert_int_equal(m.reads, 2);
	tree_free(t);
}

/*
 * Between two passes a tree lets go of its caches: the memos, and what the
 * backend held of files the overlay does not hide, read again when asked
 * for; the overlay's changes stay.  Not while a patch is open.
 */
static void test_drop_caches(void **state)
{
	struct mem m = { 0, 0 };
	struct tree *t = tree_new("mem", &mem_backend, &m);
	struct tree_file f;

	assert_content(t, "a.c", "int a;\n");
	assert_content(t, "dir/b.c", "int b;\n");
	assert_int_equal(tree_get(t, "a.c", &f), 0);
	tree_memo_put(t, f.serial, xstrdup("of a.c"), 7, memo_free);
	tree_begin(t);
	put_str(t, "dir/b.c", "int b2;\n");
	tree_drop_caches(t); /* a patch is open: nothing goes */
	assert_non_null(memo_peek(t, f.serial, 7));
	tree_keep(t);
	memos_freed = 0;
	tree_drop_caches(t);
	assert_int_equal(memos_freed, 1);
	assert_null(memo_peek(t, f.serial, 7));
	assert_int_equal(m.reads, 2);
	assert_content(t, "a.c", "int a;\n");     /* read again */
	assert_content(t, "dir/b.c", "int b2;\n"); /* the change stays */
	assert_int_equal(m.reads, 3);
	tree_free(t);
}

struct seen {
	char paths[8][32];
	int deleted[8];
	int n;
};

static int collect(const char *path, const struct tree_file *f, int deleted,
		   void *data)
{
	struct seen *s = data;

	assert_true(s->n < 8);
	snprintf(s->paths[s->n], sizeof(s->paths[0]), "%s", path);
	s->deleted[s->n++] = deleted;
	if (!deleted)
		assert_non_null(f->data);
	return 0;
}

/* Sorted, kept changes only; deleting what never existed is no change. */
static void test_for_each_change(void **state)
{
	struct mem m = { 0, 0 };
	struct tree *t = tree_new("mem", &mem_backend, &m);
	struct seen s = { .n = 0 };

	tree_begin(t);
	put_str(t, "z.c", "z\n");
	put_str(t, "a.c", "int a2;\n");
	tree_delete(t, "dir/b.c");
	tree_delete(t, "ghost.c");
	tree_keep(t);
	tree_begin(t);
	put_str(t, "m.c", "pending\n");
	put_str(t, "z.c", "pending\n");
	assert_int_equal(tree_for_each_change(t, collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.paths[0], "a.c");
	assert_string_equal(s.paths[1], "dir/b.c");
	assert_true(s.deleted[1]);
	assert_string_equal(s.paths[2], "z.c");
	tree_abort(t);
	tree_free(t);
}

static int stop_at_first(const char *path, const struct tree_file *f,
			 int deleted, void *data)
{
	(*(int *)data)++;
	return 7;
}

static void test_for_each_change_stops(void **state)
{
	struct tree *t = tree_new("empty", NULL, NULL);
	int calls = 0;

	put_str(t, "a", "1\n");
	put_str(t, "b", "2\n");
	assert_int_equal(tree_for_each_change(t, stop_at_first, &calls), 7);
	assert_int_equal(calls, 1);
	assert_int_equal(tree_write_out(t), -1); /* not a directory */
	tree_free(t);
}

/* A file or symlink the series made is no directory to look below. */
static void test_nothing_below_a_file(void **state)
{
	struct tree *t = tree_new("empty", NULL, NULL);
	struct tree_file f;

	tree_put(t, "docs", xstrdup("../outside"), 10, 0120000);
	tree_put(t, "file", xstrdup("x\n"), 2, 0100644);
	assert_int_equal(tree_get(t, "docs/victim", &f), -1);
	assert_int_equal(tree_get(t, "file/x", &f), -1);
	tree_delete(t, "docs"); /* gone again: below it is just absent */
	assert_int_equal(tree_get(t, "docs/victim", &f), TREE_ENOENT);
	tree_free(t);
}

/* Many paths: the table grows and every entry stays reachable. */
static void test_many_paths(void **state)
{
	struct tree *t = tree_new("empty", NULL, NULL);
	char path[32];
	int i;

	tree_begin(t);
	for (i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "d%d/f%d.c", i % 7, i);
		put_str(t, path, path);
	}
	tree_keep(t);
	for (i = 0; i < 1000; i += 97) {
		snprintf(path, sizeof(path), "d%d/f%d.c", i % 7, i);
		assert_content(t, path, path);
	}
	tree_free(t);
}

/* ------------------------------------------------------------------ */
/* A directory on disk                                                */

static char tmpdir[64];

static int dir_setup(void **state)
{
	FILE *f;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bt-tree-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	if (chdir(tmpdir) < 0 || mkdir("sub", 0755) < 0)
		return -1;
	f = fopen("sub/old.c", "w");
	fputs("old\n", f);
	fclose(f);
	f = fopen("keep.c", "w");
	fputs("keep\n", f);
	fclose(f);
	return 0;
}

static int dir_teardown(void **state)
{
	char cmd[128];

	if (chdir("/") < 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int file_is(const char *path, const char *want)
{
	char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return want == NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return want && !strcmp(buf, want);
}

static void test_dir_write_out_only_kept(void **state)
{
	struct tree *t;

	assert_int_equal(tree_open_dir(&t, "target", tmpdir), 0);
	assert_string_equal(tree_dir(t), tmpdir);
	assert_content(t, "sub/old.c", "old\n");

	tree_begin(t); /* kept: a change, a creation, a deletion */
	put_str(t, "keep.c", "kept\n");
	put_str(t, "newdir/new.c", "new\n");
	tree_delete(t, "sub/old.c");
	tree_keep(t);
	tree_begin(t); /* aborted */
	put_str(t, "keep.c", "lost\n");
	put_str(t, "lost.c", "lost\n");
	tree_abort(t);

	assert_true(file_is("keep.c", "keep\n")); /* nothing written yet */
	assert_int_equal(tree_write_out(t), 0);
	assert_true(file_is("keep.c", "kept\n"));
	assert_true(file_is("newdir/new.c", "new\n"));
	assert_true(file_is("sub/old.c", NULL));
	assert_true(file_is("lost.c", NULL));
	/* written changes are the new base: a second write has nothing */
	assert_content(t, "keep.c", "kept\n");
	assert_int_equal(tree_write_out(t), 0);
	tree_free(t);
}

static void test_dir_open_fails(void **state)
{
	struct tree *t = (struct tree *)1;

	assert_int_equal(tree_open_dir(&t, "x", "/nonexistent/bt-tree"), -1);
	assert_null(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_reads_backend_once),
		cmocka_unit_test(test_backend_error),
		cmocka_unit_test(test_id_only_while_unchanged),
		cmocka_unit_test(test_get_id_of_any_content),
		cmocka_unit_test(test_memo_by_content),
		cmocka_unit_test(test_abort_forgets_the_patch),
		cmocka_unit_test(test_keep_and_later_patches),
		cmocka_unit_test(test_kept_change_drops_the_base),
		cmocka_unit_test(test_drop_caches),
		cmocka_unit_test(test_for_each_change),
		cmocka_unit_test(test_for_each_change_stops),
		cmocka_unit_test(test_nothing_below_a_file),
		cmocka_unit_test(test_many_paths),
		cmocka_unit_test_setup_teardown(test_dir_write_out_only_kept,
						dir_setup, dir_teardown),
		cmocka_unit_test(test_dir_open_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
