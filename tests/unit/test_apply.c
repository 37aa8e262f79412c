/*
 * test_apply.c - a patch onto a tree: every file operation, the input
 * errors that stop a run, all-or-nothing per patch, the 3-way hook, and
 * the reviewer's one-line reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "place/apply.h"
#include "hunkspec.h"

/* A patch of up to four file diffs built from specs. */
struct tpatch {
	struct patch p;
	struct spec *specs[4];
};

static void tp_init(struct tpatch *tp, const char *name)
{
	memset(tp, 0, sizeof(*tp));
	tp->p.name = (char *)name;
	tp->p.strip = 1;
	tp->p.files = xcalloc(4, sizeof(struct file_diff));
}

static struct file_diff *tp_add(struct tpatch *tp, const char *old,
				const char *new_, enum file_op op,
				const char *hunks)
{
	struct spec *s = spec_new(old, new_, op, hunks);

	s->fd.lineno = 10 * (long)(tp->p.nfiles + 1);
	tp->specs[tp->p.nfiles] = s;
	tp->p.files[tp->p.nfiles] = s->fd;
	return &tp->p.files[tp->p.nfiles++];
}

static void tp_release(struct tpatch *tp)
{
	size_t i;

	for (i = 0; i < tp->p.nfiles; i++)
		spec_free(tp->specs[i]);
	free(tp->p.files);
}

static struct tree *mem_tree(void)
{
	struct tree *t = tree_new("target", NULL, NULL);
	char *f = spec_lines("L", 1, 20);

	tree_put(t, "hw/x.c", f, strlen(f), 0100644);
	tree_put(t, "hw/y.c", xstrdup("y1\ny2\ny3\n"), 9, 0100644);
	return t;
}

static int content_is(struct tree *t, const char *path, const char *want)
{
	struct tree_file f;

	if (tree_get(t, path, &f) != 0)
		return want == NULL;
	return want && f.len == strlen(want) && !memcmp(f.data, want, f.len);
}

static const char x_change[] =
	"@@ -7,7 +7,7 @@ static void x_realize(DeviceState *dev)\n"
	" L7\n L8\n L9\n-L10\n+X10\n L11\n L12\n L13\n";
static const char x_bad[] =
	"@@ -2,3 +2,3 @@ static int x_init(void)\n"
	" L2\n-nothere\n+X\n L4\n";
static const char y_change[] = "@@ -1,3 +1,3 @@\n y1\n-y2\n+Y2\n y3\n";

/*
 * A git-like backend: hw/x.c is blob A (L1..L20); blobs A, B (L10 made
 * X10) and C (then L3 made X3) can be read by id, as git names them.  It
 * counts what it reads.
 */
#define BLOB_A "2ee33bb91b43c0800e052cea22af3b4f2ad0bb07"
#define BLOB_B "696317df851f067b0b55e1bce6e6f16cfae364f7"
#define BLOB_C "3315e0fc1c79f901a1dc51a801cf992fb50405cc"

struct blobs {
	int reads, read_ids;
};

static char *blob_text(const char *hex)
{
	char *t = spec_lines("L", 1, 20), *p;

	if (strcmp(hex, BLOB_A) && (p = strstr(t, "L10\n")))
		*p = 'X';
	if (!strcmp(hex, BLOB_C) && (p = strstr(t, "L3\n")))
		*p = 'X';
	return t;
}

static void hex_of(const unsigned char *id, char *hex)
{
	int i;

	for (i = 0; i < TREE_ID_LEN; i++)
		sprintf(hex + 2 * i, "%02x", id[i]);
}

static int blobs_stat(void *ctx, const char *path, unsigned *mode,
		      unsigned char *id)
{
	if (strcmp(path, "hw/x.c"))
		return TREE_ENOENT;
	*mode = 0100644;
	return hex_to_bytes(BLOB_A, id, TREE_ID_LEN);
}

static int blobs_read(void *ctx, const char *path, char **data, size_t *len,
		      unsigned *mode, unsigned char *id)
{
	((struct blobs *)ctx)->reads++;
	if (blobs_stat(ctx, path, mode, id))
		return TREE_ENOENT;
	*data = blob_text(BLOB_A);
	*len = strlen(*data);
	return 0;
}

static int blobs_read_id(void *ctx, const unsigned char *id, char **data,
			 size_t *len)
{
	char hex[2 * TREE_ID_LEN + 1];

	((struct blobs *)ctx)->read_ids++;
	hex_of(id, hex);
	if (strcmp(hex, BLOB_A) && strcmp(hex, BLOB_B) && strcmp(hex, BLOB_C))
		return -1;
	*data = blob_text(hex);
	*len = strlen(*data);
	return 0;
}

static const struct tree_backend blobs_backend = {
	.kind = "git", .read = blobs_read, .stat = blobs_stat,
	.read_id = blobs_read_id
};

static const char x_insert_and_change[] =
	"@@ -1,6 +1,7 @@\n L1\n L2\n L3\n+N\n L4\n L5\n L6\n"
	"@@ -7,7 +8,7 @@\n L7\n L8\n L9\n-L10\n+X10\n L11\n L12\n L13\n";
static const char x_change_3[] =
	"@@ -1,6 +1,6 @@\n L1\n L2\n-L3\n+X3\n L4\n L5\n L6\n";

/* One patch of hw/x.c from blob pre to blob post (git's whole diff when
   whole is set). */
static void tp_blobs(struct tpatch *tp, const char *hunks, const char *pre,
		     const char *post, int whole)
{
	struct file_diff *fd;

	tp_init(tp, "0001.patch");
	fd = tp_add(tp, "a/hw/x.c", "b/hw/x.c", FILE_MODIFY, hunks);
	strcpy(fd->old_id, pre);
	strcpy(fd->new_id, post);
	tp->p.whole_blobs = (unsigned)whole;
}

static void assert_same_results(const struct patch_result *a,
				const struct patch_result *b)
{
	size_t i;

	assert_int_equal(a->verdict, b->verdict);
	assert_int_equal(a->files[0].verdict, b->files[0].verdict);
	for (i = 0; i < a->files[0].fd->nhunks; i++) {
		const struct hunk_result *x = &a->files[0].hunks[i];
		const struct hunk_result *y = &b->files[0].hunks[i];

		assert_int_equal(x->verdict, y->verdict);
		assert_int_equal(x->offset, y->offset);
		assert_int_equal(x->fuzz, y->fuzz);
		assert_int_equal(x->at, y->at);
		assert_int_equal(x->old_at, y->old_at);
		assert_int_equal(x->ambiguous_at, y->ambiguous_at);
	}
}

/* The same patch applied known whole on t and not on u, which must give
   the same results. */
struct both {
	struct tpatch tp, tq;
	struct patch_result r, q;
};

static void both_apply(struct both *b, const struct apply_state *s,
		       struct tree *t, struct tree *u, const char *hunks,
		       const char *pre, const char *post)
{
	tp_blobs(&b->tp, hunks, pre, post, 1);
	tp_blobs(&b->tq, hunks, pre, post, 0);
	assert_int_equal(apply_patch(s, t, &b->tp.p, &b->r), 0);
	assert_int_equal(apply_patch(s, u, &b->tq.p, &b->q), 0);
	assert_same_results(&b->r, &b->q);
}

/* the results first: they point into the patches */
static void both_release(struct both *b)
{
	patch_result_release(&b->r);
	patch_result_release(&b->q);
	tp_release(&b->tp);
	tp_release(&b->tq);
}

/*
 * A commit's own patch on a file that is its pre-image blob: the file
 * becomes the post-image blob without being read or placed, with the
 * results placement gives (the same patch not known whole is placed), and
 * a second commit on that post-image goes the same way.  A file that is
 * another blob is placed.
 */
static void test_whole_blob_patch_by_ids(void **state)
{
	struct blobs fast = { 0, 0 }, slow = { 0, 0 };
	struct tree *t = tree_new("git", &blobs_backend, &fast);
	struct tree *u = tree_new("git", &blobs_backend, &slow);
	struct patch_result r;
	struct apply_state s;
	struct tpatch tp;
	struct both b;
	char *want;

	apply_state_init(&s);
	both_apply(&b, &s, t, u, x_change, BLOB_A, BLOB_B);
	assert_int_equal(b.r.verdict, V_CLEAN);
	assert_true(b.r.kept);
	assert_int_equal(fast.reads + fast.read_ids, 0); /* nothing read */
	assert_int_equal(slow.reads, 1);
	both_release(&b);

	both_apply(&b, &s, t, u, x_change_3, BLOB_B, BLOB_C);
	assert_int_equal(fast.reads + fast.read_ids, 0);
	want = blob_text(BLOB_C);
	assert_true(content_is(t, "hw/x.c", want)); /* read when asked */
	assert_true(content_is(u, "hw/x.c", want));
	assert_int_equal(fast.read_ids, 1);
	free(want);
	both_release(&b);
	tree_free(t);
	tree_free(u);

	/* two hunks, the first adding a line: the second lands one later */
	t = tree_new("git", &blobs_backend, &fast);
	u = tree_new("git", &blobs_backend, &slow);
	both_apply(&b, &s, t, u, x_insert_and_change, BLOB_A, BLOB_C);
	assert_int_equal(b.r.files[0].hunks[1].at, 8);
	both_release(&b);
	tree_free(t);
	tree_free(u);

	/* the file is not the pre-image the ids name: placed, and read */
	fast.reads = fast.read_ids = 0;
	t = tree_new("git", &blobs_backend, &fast);
	tp_blobs(&tp, x_change, BLOB_B, BLOB_C, 1);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_int_equal(fast.reads + fast.read_ids, 1);
	want = blob_text(BLOB_B);
	assert_true(content_is(t, "hw/x.c", want));
	free(want);
	patch_result_release(&r);
	tp_release(&tp);
	tree_free(t);
}

static void test_state_defaults(void **state)
{
	struct apply_state s;

	memset(&s, 0x5a, sizeof(s));
	apply_state_init(&s);
	assert_int_equal(s.max_fuzz, 0);
	assert_int_equal(s.detect_applied, 1);
	assert_int_equal(s.independent, 0);
	assert_int_equal(s.allow_symlinks, 0);
	assert_null(s.merge);
	assert_int_equal(s.keep_conflicts, 0);
}

static void test_modify_kept(void **state)
{
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();
	struct strbuf sb = STRBUF_INIT;

	apply_state_init(&s);
	tp_init(&tp, "0001-x.patch");
	tp_add(&tp, "a/hw/x.c", "b/hw/x.c", FILE_MODIFY, x_change);
	tp_add(&tp, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY, y_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_true(r.kept);
	assert_int_equal(r.nfiles, 2);
	assert_string_equal(r.files[0].path, "hw/x.c");
	assert_int_equal(r.files[0].hunks[0].at, 7);
	assert_null(r.reason);
	assert_true(content_is(t, "hw/y.c", "y1\nY2\ny3\n"));
	patch_result_describe(&r, &sb);
	assert_int_equal(sb.len, 0);
	patch_result_release(&r);
	sb_release(&sb);
	tp_release(&tp);
	tree_free(t);
}

/* One bad file: none of the patch stays, and the reason names the hunk. */
static void test_conflict_is_all_or_nothing(void **state)
{
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();
	struct strbuf sb = STRBUF_INIT;

	apply_state_init(&s);
	tp_init(&tp, "0002-bad.patch");
	tp_add(&tp, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY, y_change);
	tp_add(&tp, "a/hw/x.c", "b/hw/x.c", FILE_MODIFY,
	       "@@ -15,3 +15,3 @@\n L15\n-L16\n+X16\n L17\n"
	       "@@ -2,3 +2,3 @@ static int x_init(void)\n"
	       " L2\n-L3\n+X3\n L4\n");
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CONFLICT);
	assert_false(r.kept);
	assert_int_equal(r.files[0].verdict, V_CLEAN);
	assert_int_equal(r.files[1].verdict, V_CONFLICT);
	assert_string_equal(r.reason, "hunks are out of order");
	assert_true(content_is(t, "hw/y.c", "y1\ny2\ny3\n"));
	patch_result_describe(&r, &sb);
	assert_string_equal(sb.buf, "hw/x.c hunk 2 (x_init): hunks are out of order");
	patch_result_release(&r);
	sb_release(&sb);
	tp_release(&tp);

	tp_init(&tp, "0003-bad.patch");
	tp_add(&tp, "a/hw/x.c", "b/hw/x.c", FILE_MODIFY, x_bad);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_string_equal(r.reason, "lines to remove differ");
	assert_int_equal(r.reason_line, 1);
	patch_result_describe(&r, &sb);
	assert_string_equal(sb.buf, "hw/x.c hunk 1 (x_init): lines to remove differ");
	patch_result_release(&r);
	sb_release(&sb);
	tp_release(&tp);
	tree_free(t);
}

static void test_independent_never_keeps(void **state)
{
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();

	apply_state_init(&s);
	s.independent = 1;
	tp_init(&tp, "0001.patch");
	tp_add(&tp, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY, y_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_false(r.kept);
	assert_true(content_is(t, "hw/y.c", "y1\ny2\ny3\n"));
	patch_result_release(&r);
	tp_release(&tp);
	tree_free(t);
}

/* Patch 2 is written against patch 1's result; then patch 1 again is
   already there. */
static void test_later_patch_sees_earlier(void **state)
{
	struct apply_state s;
	struct tpatch p1, p2;
	struct patch_result r;
	struct tree *t = mem_tree();

	apply_state_init(&s);
	tp_init(&p1, "0001.patch");
	tp_add(&p1, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY, y_change);
	tp_init(&p2, "0002.patch");
	tp_add(&p2, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY,
	       "@@ -1,3 +1,3 @@\n y1\n-Y2\n+Z2\n y3\n");

	assert_int_equal(apply_patch(&s, t, &p2.p, &r), 0);
	assert_int_equal(r.verdict, V_CONFLICT); /* alone it does not fit */
	patch_result_release(&r);
	assert_int_equal(apply_patch(&s, t, &p1.p, &r), 0);
	patch_result_release(&r);
	assert_int_equal(apply_patch(&s, t, &p2.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	patch_result_release(&r);
	assert_true(content_is(t, "hw/y.c", "y1\nZ2\ny3\n"));
	tp_release(&p1);
	tp_release(&p2);
	tree_free(t);
}

static void test_already_applied_patch(void **state)
{
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();

	apply_state_init(&s);
	tp_init(&tp, "0001.patch");
	tp_add(&tp, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY, y_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	patch_result_release(&r);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_APPLIED);
	assert_true(r.kept);
	assert_true(content_is(t, "hw/y.c", "y1\nY2\ny3\n"));
	patch_result_release(&r);
	tp_release(&tp);
	tree_free(t);
}

static void test_missing_file(void **state)
{
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();
	struct strbuf sb = STRBUF_INIT;

	apply_state_init(&s);
	tp_init(&tp, "0001.patch");
	tp_add(&tp, "a/hw/z.c", "b/hw/z.c", FILE_MODIFY, y_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CONFLICT);
	assert_string_equal(r.files[0].reason, "file missing");
	assert_int_equal(r.reason_line, 10);
	patch_result_describe(&r, &sb);
	assert_string_equal(sb.buf, "hw/z.c: file missing");
	patch_result_release(&r);
	sb_release(&sb);
	tp_release(&tp);
	tree_free(t);
}

static void test_create(void **state)
{
	static const char hunks[] = "@@ -0,0 +1,2 @@\n+n1\n+n2\n";
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();
	struct tree_file f;

	apply_state_init(&s);
	tp_init(&tp, "0001.patch");
	tp_add(&tp, NULL, "b/hw/new.c", FILE_CREATE, hunks);
	tp.p.files[0].new_mode = 0100755;
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_int_equal(tree_get(t, "hw/new.c", &f), 0);
	assert_int_equal(f.mode, 0100755);
	assert_true(content_is(t, "hw/new.c", "n1\nn2\n"));
	patch_result_release(&r);

	/* again: the same file is there, so it is already applied */
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_APPLIED);
	patch_result_release(&r);

	/* a different file by that name: GNU patch refuses too */
	tree_put(t, "hw/new.c", xstrdup("other\n"), 6, 0100644);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CONFLICT);
	assert_string_equal(r.files[0].reason, "file exists");
	patch_result_release(&r);
	tp_release(&tp);
	tree_free(t);
}

static void test_create_empty_file(void **state)
{
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();
	struct tree_file f;

	apply_state_init(&s);
	tp_init(&tp, "0001.patch");
	tp_add(&tp, NULL, "b/empty", FILE_CREATE, "");
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_int_equal(tree_get(t, "empty", &f), 0);
	assert_int_equal(f.len, 0);
	assert_int_equal(f.mode, 0100644);
	patch_result_release(&r);
	tp_release(&tp);
	tree_free(t);
}

static void test_delete(void **state)
{
	static const char all[] = "@@ -1,3 +0,0 @@\n-y1\n-y2\n-y3\n";
	static const char part[] = "@@ -1,2 +0,0 @@\n-y1\n-y2\n";
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();

	apply_state_init(&s);
	tp_init(&tp, "0001.patch");
	tp_add(&tp, "a/hw/y.c", NULL, FILE_DELETE, part);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CONFLICT);
	assert_string_equal(r.files[0].reason,
			    "file has lines the patch does not delete");
	assert_true(content_is(t, "hw/y.c", "y1\ny2\ny3\n"));
	patch_result_release(&r);
	tp_release(&tp);

	tp_init(&tp, "0002.patch");
	tp_add(&tp, "a/hw/y.c", NULL, FILE_DELETE, all);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_true(content_is(t, "hw/y.c", NULL));
	patch_result_release(&r);
	/* deleting it again: already done */
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_APPLIED);
	patch_result_release(&r);
	tp_release(&tp);
	tree_free(t);
}

static void test_rename_and_copy(void **state)
{
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();

	apply_state_init(&s);
	tp_init(&tp, "0001.patch");
	tp_add(&tp, "a/hw/y.c", "b/hw/y2.c", FILE_RENAME, y_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_string_equal(r.files[0].path, "hw/y2.c");
	assert_true(content_is(t, "hw/y.c", NULL));
	assert_true(content_is(t, "hw/y2.c", "y1\nY2\ny3\n"));
	patch_result_release(&r);
	/* the rename is done: source gone, target has the change */
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_APPLIED);
	patch_result_release(&r);
	tp_release(&tp);

	tp_init(&tp, "0002.patch");
	tp_add(&tp, "a/hw/y2.c", "b/hw/y3.c", FILE_COPY, "");
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_true(content_is(t, "hw/y2.c", "y1\nY2\ny3\n"));
	assert_true(content_is(t, "hw/y3.c", "y1\nY2\ny3\n"));
	patch_result_release(&r);
	/* copying onto an existing file */
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CONFLICT);
	assert_string_equal(r.files[0].reason, "file exists");
	patch_result_release(&r);
	tp_release(&tp);
	tree_free(t);
}

static void test_mode_change(void **state)
{
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();
	struct tree_file f;
	struct file_diff *fd;

	apply_state_init(&s);
	tp_init(&tp, "0001.patch");
	fd = tp_add(&tp, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY, "");
	fd->old_mode = 0100644;
	fd->new_mode = 0100755;
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_int_equal(tree_get(t, "hw/y.c", &f), 0);
	assert_int_equal(f.mode, 0100755);
	assert_true(content_is(t, "hw/y.c", "y1\ny2\ny3\n"));
	patch_result_release(&r);
	tp_release(&tp);
	tree_free(t);
}

/* Input errors: the run stops (-1) and the tree is as it was. */
static void test_input_errors(void **state)
{
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();
	struct file_diff *fd;

	apply_state_init(&s);
	tp_init(&tp, "evil.patch");
	tp_add(&tp, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY, y_change);
	tp_add(&tp, "a/../etc/passwd", "b/../etc/passwd", FILE_MODIFY,
	       y_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), -1);
	assert_false(r.kept);
	assert_true(content_is(t, "hw/y.c", "y1\ny2\ny3\n"));
	patch_result_release(&r);
	tp_release(&tp);

	tp_init(&tp, "evil.patch"); /* the rename source counts too */
	tp_add(&tp, "a/../secret", "b/hw/copy.c", FILE_COPY, "");
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), -1);
	patch_result_release(&r);
	tp_release(&tp);

	tp_init(&tp, "bin.patch"); /* GIT binary patch for another pre-image */
	fd = tp_add(&tp, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY, "");
	fd->is_binary = fd->binary_data = 1;
	fd->nbinary = 1;
	strcpy(fd->old_id, "1234567");
	tp_add(&tp, "a/hw/x.c", "b/hw/x.c", FILE_MODIFY, x_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CONFLICT); /* for a human, all or nothing */
	assert_false(r.kept);
	assert_string_equal(r.files[0].reason,
			    "binary file differs from the patch's pre-image");
	patch_result_release(&r);
	fd->old_id[0] = '\0'; /* no id, no telling what it patches */
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CONFLICT);
	assert_string_equal(r.files[0].reason, "binary patch without an index "
			    "line: its pre-image is unknown");
	patch_result_release(&r);
	/* "Binary files differ" beside text: passed over, as GNU patch */
	tp.p.files[0].binary_data = 0;
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_string_equal(r.files[0].reason,
			    "binary diff without data: not applied");
	assert_true(content_is(t, "hw/y.c", "y1\ny2\ny3\n"));
	patch_result_release(&r);
	tp_release(&tp);
	tp_init(&tp, "bin.patch"); /* a creation needs no id: data decoded */
	fd = tp_add(&tp, NULL, "b/hw/new.bin", FILE_CREATE, "");
	fd->is_binary = fd->binary_data = 1;
	fd->nbinary = 1;
	tp_add(&tp, "a/hw/x.c", "b/hw/x.c", FILE_MODIFY, x_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), -1); /* no data */
	assert_true(content_is(t, "hw/new.bin", NULL)); /* nothing written */
	tp_release(&tp);
	tp_init(&tp, "bin.patch"); /* ... but alone it is no patch at all */
	fd = tp_add(&tp, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY, "");
	fd->is_binary = 1;
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), -1);
	patch_result_release(&r);
	tp_release(&tp);

	tp_init(&tp, "link.patch");
	fd = tp_add(&tp, NULL, "b/hw/link", FILE_CREATE,
		    "@@ -0,0 +1 @@\n+../../etc\n\\ No newline at end of file\n");
	fd->new_mode = 0120000;
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), -1);
	patch_result_release(&r);
	s.allow_symlinks = 1;
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_true(content_is(t, "hw/link", "../../etc"));
	patch_result_release(&r);
	tp_release(&tp);

	/* allowed, but a plain diff may not rewrite a link's target */
	tp_init(&tp, "0001.patch");
	tp_add(&tp, "a/hw/link", "b/hw/link", FILE_MODIFY,
	       "@@ -1 +1 @@\n-../../etc\n\\ No newline at end of file\n"
	       "+x\n");
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), -1);
	patch_result_release(&r);
	tp.p.files[0].old_mode = tp.p.files[0].new_mode = 0120000;
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	patch_result_release(&r);
	tp_release(&tp);

	s.allow_symlinks = 0; /* a symlink already in the tree */
	tp_init(&tp, "0001.patch");
	tp_add(&tp, "a/hw/link", "b/hw/link", FILE_MODIFY,
	       "@@ -1 +1 @@\n-../../etc\n\\ No newline at end of file\n"
	       "+x\n");
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), -1);
	patch_result_release(&r);
	tp_release(&tp);

	tp_init(&tp, "abs.patch"); /* absolute as written: never stripped */
	tp_add(&tp, "/etc/passwd", "/etc/passwd", FILE_MODIFY, y_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), -1);
	patch_result_release(&r);
	tp_release(&tp);

	tp_init(&tp, "twice.patch"); /* one file, two diffs */
	tp_add(&tp, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY, y_change);
	tp_add(&tp, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY,
	       "@@ -1,3 +1,3 @@\n y1\n-Y2\n+Z2\n y3\n");
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), -1);
	assert_true(content_is(t, "hw/y.c", "y1\ny2\ny3\n"));
	patch_result_release(&r);
	tp_release(&tp);
	tp_init(&tp, "twice.patch"); /* renamed away, then patched */
	tp_add(&tp, "a/hw/y.c", "b/hw/moved.c", FILE_RENAME, "");
	tp_add(&tp, "a/hw/y.c", "b/hw/y.c", FILE_MODIFY, y_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), -1);
	patch_result_release(&r);
	tp_release(&tp);

	tp_init(&tp, "short.patch"); /* -p1 on a name without a slash */
	tp_add(&tp, "y.c", "y.c", FILE_MODIFY, y_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), -1);
	patch_result_release(&r);
	tp_release(&tp);
	tp_init(&tp, "slashes.patch"); /* "a//hw/y.c" at -p1 is hw/y.c */
	tp_add(&tp, "a//hw/y.c", "b//hw/y.c", FILE_MODIFY, y_change);
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CLEAN);
	assert_string_equal(r.files[0].path, "hw/y.c");
	patch_result_release(&r);
	tp_release(&tp);
	tree_free(t);
}

/* ------------------------------------------------------------------ */
/* The 3-way hook                                                     */

struct merge_ctx {
	int ret;
	int calls;
};

static int fake_merge(void *ctx, const struct patch *p,
		      const struct file_diff *fd, const struct merge_ours *cur,
		      struct strbuf *out)
{
	struct merge_ctx *m = ctx;

	m->calls++;
	sb_reset(out);
	sb_addstr(out, m->ret == 0 ? "merged\n" : "<<<<<<<\nours\n>>>>>>>\n");
	return m->ret;
}

static void test_merge_hook(void **state)
{
	struct apply_state s;
	struct tpatch tp;
	struct patch_result r;
	struct tree *t = mem_tree();
	struct merge_ctx m = { 0, 0 };

	apply_state_init(&s);
	s.merge = fake_merge;
	s.merge_ctx = &m;
	tp_init(&tp, "0001.patch");
	tp_add(&tp, "a/hw/x.c", "b/hw/x.c", FILE_MODIFY, x_bad);

	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(m.calls, 1);
	assert_int_equal(r.verdict, V_MERGED);
	assert_int_equal(r.files[0].hunks[0].verdict, V_MERGED);
	assert_true(r.kept);
	assert_true(content_is(t, "hw/x.c", "merged\n"));
	patch_result_release(&r);
	tree_free(t);

	t = mem_tree(); /* a conflicting merge is dropped ... */
	m.ret = 1;
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CONFLICT);
	assert_false(r.kept);
	assert_false(content_is(t, "hw/x.c", "<<<<<<<\nours\n>>>>>>>\n"));
	patch_result_release(&r);

	s.keep_conflicts = 1; /* ... unless apply --merge keeps markers */
	assert_int_equal(apply_patch(&s, t, &tp.p, &r), 0);
	assert_int_equal(r.verdict, V_CONFLICT);
	assert_true(r.kept);
	assert_true(content_is(t, "hw/x.c", "<<<<<<<\nours\n>>>>>>>\n"));
	patch_result_release(&r);
	tp_release(&tp);
	tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_defaults),
		cmocka_unit_test(test_modify_kept),
		cmocka_unit_test(test_conflict_is_all_or_nothing),
		cmocka_unit_test(test_independent_never_keeps),
		cmocka_unit_test(test_later_patch_sees_earlier),
		cmocka_unit_test(test_already_applied_patch),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_create_empty_file),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_rename_and_copy),
		cmocka_unit_test(test_mode_change),
		cmocka_unit_test(test_input_errors),
		cmocka_unit_test(test_merge_hook),
		cmocka_unit_test(test_whole_blob_patch_by_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
