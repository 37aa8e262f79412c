/*
 * test_place.c - the placement engine, scenario by scenario: where does a
 * hunk land in a target that moved on, and what does the reviewer see?
 * Expected positions follow GNU patch 2.7.6 (tests/t1100 compares the two
 * directly).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hunkspec.h"
#include "place/place.h"

struct run {
	struct spec *s;
	struct hunk_result res[8];
	struct strbuf out;
	enum verdict v;
};

/* Place the hunks of `diff` on `file` with -F max_fuzz. */
static void run_place(struct run *r, const char *file, const char *diff,
		      int max_fuzz, int detect_applied)
{
	struct place_opts o = { .max_fuzz = max_fuzz, .detect_applied = detect_applied };

	memset(r, 0, sizeof(*r));
	r->s = spec_new("a/f", "b/f", FILE_MODIFY, diff);
	assert_true(r->s->fd.nhunks <= 8);
	r->v = place_file(&r->s->fd, file, strlen(file), &o, r->res, &r->out);
}

static void run_release(struct run *r)
{
	spec_free(r->s);
	sb_release(&r->out);
}

/* L1..L20, one per line. */
static char *twenty(void)
{
	return spec_lines("L", 1, 20);
}

static const char change_l10[] =
	"@@ -7,7 +7,7 @@ int f(void)\n"
	" L7\n L8\n L9\n-L10\n+X10\n L11\n L12\n L13\n";

static void test_verdict_words(void **state)
{
	assert_string_equal(verdict_name(V_CLEAN), "clean");
	assert_string_equal(verdict_name(V_APPLIED), "applied");
	assert_string_equal(verdict_word(V_CLEAN), "OK");
	assert_string_equal(verdict_word(V_OFFSET), "minor noise");
	assert_string_equal(verdict_word(V_FUZZ), "noise");
	assert_string_equal(verdict_word(V_MERGED), "noise");
	assert_string_equal(verdict_word(V_APPLIED), "already applied");
	assert_string_equal(verdict_word(V_CONFLICT), "conflict");
	assert_int_equal(verdict_worst(V_OFFSET, V_FUZZ), V_FUZZ);
	assert_int_equal(verdict_worst(V_CONFLICT, V_CLEAN), V_CONFLICT);
	assert_int_equal(verdict_worst(V_APPLIED, V_MERGED), V_APPLIED);
}

static void test_text_split(void **state)
{
	struct text t = { 0 };

	text_split(&t, "a\r\nbb\n\nc", 9);
	assert_int_equal(t.n, 4);
	assert_int_equal(t.lines[0].len, 2); /* the '\r' stays */
	assert_int_equal(t.lines[2].len, 0);
	assert_memory_equal(t.lines[3].p, "c", 1);
	assert_true(t.noeol);
	text_split(&t, "", 0);
	assert_int_equal(t.n, 0);
	assert_false(t.noeol);
	text_split(&t, "x\n", 2);
	assert_int_equal(t.n, 1);
	assert_false(t.noeol);
	text_release(&t);
}

static void test_clean(void **state)
{
	struct run r;
	char *f = twenty();

	run_place(&r, f, change_l10, 0, 1);
	assert_int_equal(r.v, V_CLEAN);
	assert_int_equal(r.res[0].verdict, V_CLEAN);
	assert_int_equal(r.res[0].at, 7);
	assert_int_equal(r.res[0].old_at, 7);
	assert_int_equal(r.res[0].offset, 0);
	assert_int_equal(r.res[0].ambiguous_at, 0);
	assert_null(r.res[0].reason);
	assert_non_null(strstr(r.out.buf, "L9\nX10\nL11\n"));
	assert_null(strstr(r.out.buf, "L10\n"));
	run_release(&r);
	free(f);
}

static void test_offset_forward(void **state)
{
	struct run r;
	char *f = twenty(), *g = xmalloc(strlen(f) + 16);

	sprintf(g, "new1\nnew2\nnew3\n%s", f);
	run_place(&r, g, change_l10, 0, 1);
	assert_int_equal(r.v, V_OFFSET);
	assert_int_equal(r.res[0].offset, 3);
	assert_int_equal(r.res[0].at, 10);
	assert_int_equal(r.res[0].old_at, 10);
	assert_int_equal(r.res[0].fuzz, 0);
	assert_non_null(strstr(r.out.buf, "L9\nX10\nL11\n"));
	run_release(&r);
	free(f);
	free(g);
}

static void test_offset_backward(void **state)
{
	struct run r;
	char *f = spec_lines("L", 3, 20);

	run_place(&r, f, change_l10, 0, 1);
	assert_int_equal(r.v, V_OFFSET);
	assert_int_equal(r.res[0].offset, -2);
	assert_int_equal(r.res[0].at, 5);
	run_release(&r);
	free(f);
}

/* Later hunks start from where the earlier ones landed (in_offset), and
   "at" counts lines in the new file (out_offset). */
static void test_offset_carries_to_later_hunks(void **state)
{
	static const char diff[] =
		"@@ -2,3 +2,4 @@\n L2\n+A\n L3\n L4\n"
		"@@ -15,3 +16,3 @@\n L15\n-L16\n+B\n L17\n";
	struct run r;
	char *f = twenty(), *g = xmalloc(strlen(f) + 16);

	sprintf(g, "top1\ntop2\n%s", f);
	run_place(&r, g, diff, 0, 1);
	assert_int_equal(r.res[0].offset, 2);
	assert_int_equal(r.res[0].at, 4);
	assert_int_equal(r.res[1].verdict, V_OFFSET);
	assert_int_equal(r.res[1].offset, 2);
	assert_int_equal(r.res[1].old_at, 17);
	assert_int_equal(r.res[1].at, 18); /* +1 line from hunk 1 */
	assert_int_equal(r.res[1].ambiguous_at, 0);
	run_release(&r);
	free(f);
	free(g);
}

/*
 * A first hunk stated absurdly far down matches near the top, so the next
 * one's first guess is ~-5*10^14.  GNU patch's search would then walk
 * that many hopeless offsets one by one (the fuzzer's timeout); the places
 * found are what they would be, at once.
 */
static void test_offset_from_an_absurd_line_number(void **state)
{
	static const char diff[] =
		"@@ -533333333333333,3 +533333333333333,4 @@\n L2\n+A\n L3\n L4\n"
		"@@ -15,3 +16,3 @@\n L15\n-L16\n+B\n L17\n";
	struct run r;
	char *f = twenty();

	run_place(&r, f, diff, 0, 1);
	assert_int_equal(r.res[0].verdict, V_OFFSET);
	assert_int_equal(r.res[0].old_at, 2);
	assert_int_equal(r.res[1].verdict, V_CLEAN); /* where it says */
	assert_int_equal(r.res[1].old_at, 15);
	run_release(&r);
	free(f);
}

/* Two equally near places: GNU patch tries forward first. */
static void test_forward_preference_and_ambiguity(void **state)
{
	static const char diff[] =
		"@@ -5,3 +5,3 @@\n a\n-b\n+B\n c\n";
	static const char file[] =
		"1\na\nb\nc\n5\n6\n7\na\nb\nc\n11\n";
	struct run r;

	run_place(&r, file, diff, 0, 1);
	assert_int_equal(r.v, V_OFFSET);
	assert_int_equal(r.res[0].offset, 3);
	assert_int_equal(r.res[0].at, 8);
	assert_int_equal(r.res[0].ambiguous_at, 2);
	assert_string_equal(r.out.buf, "1\na\nb\nc\n5\n6\n7\na\nB\nc\n11\n");
	run_release(&r);
}

/* Not only the mirror position: any other match at the same fuzz. */
static void test_ambiguity_further_away(void **state)
{
	static const char diff[] =
		"@@ -6,3 +6,3 @@\n a\n-b\n+B\n c\n";
	static const char file[] =
		"1\n2\n3\n4\na\nb\nc\n8\n9\n10\n11\n12\n13\na\nb\nc\n";
	struct run r;

	run_place(&r, file, diff, 0, 1);
	assert_int_equal(r.res[0].offset, -1);
	assert_int_equal(r.res[0].at, 5);
	assert_int_equal(r.res[0].ambiguous_at, 14);
	run_release(&r);
}

/*
 * Far from its stated line (past the offsets place_search.c tries one by
 * one, where it looks the lines up by content): the nearer of two places,
 * the later one at equal distance, the other named; with fuzz, the first
 * place the loop reaches; a line found nowhere, a conflict.
 */
static char *far_file(int before, int after)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	sb_init(&sb);
	for (i = 1; i <= 100; i++) {
		if (i == 50 - before || i == 50 + after)
			sb_addstr(&sb, "a\nb\nc\n");
		sb_addf(&sb, "F%d\n", i);
	}
	return sb_detach(&sb, NULL);
}

static void test_far_places(void **state)
{
	static const char diff[] =
		"@@ -50,3 +50,3 @@\n a\n-b\n+B\n c\n";
	static const char fuzzy[] =
		"@@ -50,5 +50,5 @@\n x\n a\n-b\n+B\n c\n y\n";
	static const char absent[] =
		"@@ -50,3 +50,3 @@\n a\n-nowhere\n+B\n c\n";
	struct run r;
	char *f = far_file(30, 27);

	/* a b c at lines 20 and 80: offsets -30 and +30 */
	run_place(&r, f, diff, 0, 1);
	assert_int_equal(r.v, V_OFFSET);
	assert_int_equal(r.res[0].offset, 30);
	assert_int_equal(r.res[0].at, 80);
	assert_int_equal(r.res[0].ambiguous_at, 20);
	assert_non_null(strstr(r.out.buf, "F76\na\nB\nc\nF77\n"));
	run_release(&r);
	/* x and y are nowhere: with fuzz 1, a b c at 20 and 80 again, the
	   hunk's first line one before (offsets -31 and +29) */
	run_place(&r, f, fuzzy, 1, 1);
	assert_int_equal(r.v, V_FUZZ);
	assert_int_equal(r.res[0].fuzz, 1);
	assert_int_equal(r.res[0].at, 79);
	assert_int_equal(r.res[0].ambiguous_at, 19);
	run_release(&r);
	run_place(&r, f, absent, 2, 1);
	assert_int_equal(r.v, V_CONFLICT);
	assert_string_equal(r.res[0].reason, "context differs");
	run_release(&r);
	free(f);

	f = far_file(25, 40); /* lines 25 and 93: the one before is nearer */
	run_place(&r, f, diff, 2, 1);
	assert_int_equal(r.v, V_OFFSET);
	assert_int_equal(r.res[0].at, 25);
	assert_int_equal(r.res[0].ambiguous_at, 93);
	run_release(&r);
	free(f);
}

/* A hunk at its stated place is not questioned, repeated or not. */
static void test_clean_is_not_ambiguous(void **state)
{
	static const char diff[] =
		"@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
	struct run r;

	run_place(&r, "a\nb\nc\na\nb\nc\n", diff, 0, 1);
	assert_int_equal(r.v, V_CLEAN);
	assert_int_equal(r.res[0].ambiguous_at, 0);
	run_release(&r);
}

static void test_fuzz_1_keeps_target_context(void **state)
{
	struct run r;
	char *f = twenty();

	f[strstr(f, "L7\n") - f] = 'Q'; /* L7 -> Q7 */
	run_place(&r, f, change_l10, 0, 1);
	assert_int_equal(r.v, V_CONFLICT);
	assert_string_equal(r.res[0].reason, "context differs");
	assert_int_equal(r.res[0].at, 7);
	run_release(&r);

	run_place(&r, f, change_l10, 2, 1);
	assert_int_equal(r.v, V_FUZZ);
	assert_int_equal(r.res[0].fuzz, 1);
	assert_int_equal(r.res[0].offset, 0);
	assert_int_equal(r.res[0].at, 7);
	/* the target's Q7 stays, the patch's L7 does not come back */
	assert_non_null(strstr(r.out.buf, "Q7\nL8\nL9\nX10\n"));
	run_release(&r);
	free(f);
}

static void test_fuzz_2(void **state)
{
	struct run r;
	char *f = twenty();

	f[strstr(f, "L8\n") - f] = 'Q';
	f[strstr(f, "L12\n") - f] = 'Q';
	run_place(&r, f, change_l10, 1, 1);
	assert_int_equal(r.v, V_CONFLICT);
	run_release(&r);
	run_place(&r, f, change_l10, 2, 1);
	assert_int_equal(r.v, V_FUZZ);
	assert_int_equal(r.res[0].fuzz, 2);
	assert_non_null(strstr(r.out.buf, "Q8\nL9\nX10\nL11\nQ12\n"));
	run_release(&r);
	free(f);
}

/* Less leading than trailing context: the hunk was cut by the start of
   the file and may only match there. */
static void test_start_of_file_rule(void **state)
{
	static const char at_start[] =
		"@@ -1,4 +1,4 @@\n-L1\n+X1\n L2\n L3\n L4\n";
	static const char mid[] =
		"@@ -5,5 +5,5 @@\n L5\n-L6\n+X6\n L7\n L8\n L9\n";
	struct run r;
	char *f = twenty(), *g = xmalloc(strlen(f) + 8);

	sprintf(g, "top\n%s", f);
	run_place(&r, f, at_start, 2, 1);
	assert_int_equal(r.v, V_CLEAN);
	run_release(&r);
	run_place(&r, g, at_start, 2, 1);
	assert_int_equal(r.v, V_CONFLICT); /* no offset away from line 1 */
	run_release(&r);
	/* stated further down, the same shape may move (pch_first () > 1) */
	run_place(&r, g, mid, 0, 1);
	assert_int_equal(r.v, V_OFFSET);
	assert_int_equal(r.res[0].offset, 1);
	run_release(&r);
	free(f);
	free(g);
}

/* Less trailing context: only the end of the file will do. */
static void test_end_of_file_rule(void **state)
{
	static const char at_end[] =
		"@@ -18,3 +18,4 @@\n L18\n L19\n L20\n+L21\n";
	struct run r;
	char *f = twenty(), *g = xmalloc(strlen(f) + 8);

	run_place(&r, f, at_end, 2, 1);
	assert_int_equal(r.v, V_CLEAN);
	assert_true(r.out.len > 4 &&
		    !strcmp(r.out.buf + r.out.len - 8, "L20\nL21\n"));
	run_release(&r);
	sprintf(g, "%send\n", f);
	run_place(&r, g, at_end, 2, 1);
	assert_int_equal(r.v, V_CONFLICT);
	run_release(&r);
	free(f);
	free(g);
}

/* Trailing context may be fuzzed away at the end: suffix_fuzz = fuzz -
   (prefix - suffix) turns non-negative at fuzz 2 (GNU patch does this). */
static void test_end_of_file_rule_with_fuzz_2(void **state)
{
	static const char diff[] =
		"@@ -5,5 +5,5 @@\n L5\n L6\n L7\n-L8\n+X8\n L9\n";
	struct run r;
	char *f = twenty();

	run_place(&r, f, diff, 1, 1);
	assert_int_equal(r.v, V_CONFLICT);
	run_release(&r);
	run_place(&r, f, diff, 2, 1);
	assert_int_equal(r.v, V_FUZZ);
	assert_int_equal(r.res[0].fuzz, 2);
	assert_int_equal(r.res[0].at, 5);
	run_release(&r);
	free(f);
}

static void test_overlapping_hunks(void **state)
{
	static const char diff[] =
		"@@ -2,7 +2,7 @@\n L2\n L3\n L4\n-L5\n+X5\n L6\n L7\n L8\n"
		"@@ -3,5 +3,5 @@\n L3\n L4\n-L5\n+Y5\n L6\n L7\n";
	struct run r;
	char *f = twenty();

	run_place(&r, f, diff, 2, 0);
	assert_int_equal(r.res[0].verdict, V_CLEAN);
	assert_int_equal(r.res[1].verdict, V_CONFLICT);
	assert_string_equal(r.res[1].reason,
			    "hunk would overlap the previous one");
	assert_int_equal(r.v, V_CONFLICT);
	assert_int_equal(r.out.len, 0); /* no content for a conflict */
	run_release(&r);
	free(f);
}

/* Context shared with the previous hunk is fine: only changed lines
   freeze (apply_hunk's last_frozen_line). */
static void test_hunks_sharing_context(void **state)
{
	static const char diff[] =
		"@@ -2,7 +2,7 @@\n L2\n L3\n L4\n-L5\n+X5\n L6\n L7\n L8\n"
		"@@ -4,7 +4,7 @@\n L4\n L5\n L6\n-L7\n+Y7\n L8\n L9\n L10\n";
	struct run r;
	char *f = twenty();

	run_place(&r, f, diff, 0, 0);
	assert_int_equal(r.v, V_CLEAN);
	assert_non_null(strstr(r.out.buf, "L4\nX5\nL6\nY7\nL8\n"));
	run_release(&r);
	free(f);
}

static void test_hunks_out_of_order(void **state)
{
	static const char diff[] =
		"@@ -12,7 +12,7 @@\n L12\n L13\n L14\n-L15\n+X15\n L16\n L17\n L18\n"
		"@@ -2,7 +2,7 @@\n L2\n L3\n L4\n-L5\n+X5\n L6\n L7\n L8\n";
	struct run r;
	char *f = twenty();

	run_place(&r, f, diff, 2, 1);
	assert_int_equal(r.res[0].verdict, V_CLEAN);
	assert_int_equal(r.res[1].verdict, V_CONFLICT);
	assert_string_equal(r.res[1].reason, "hunks are out of order");
	assert_int_equal(r.res[1].at, 2);
	run_release(&r);
	free(f);
}

static void test_already_applied_hunk(void **state)
{
	static const char diff[] =
		"@@ -2,3 +2,3 @@\n L2\n-L3\n+X3\n L4\n"
		"@@ -12,3 +12,3 @@\n L12\n-L13\n+X13\n L14\n";
	struct run r;
	char *f = twenty();

	f[strstr(f, "L13\n") - f] = 'X'; /* someone applied hunk 2 */
	run_place(&r, f, diff, 0, 1);
	assert_int_equal(r.res[0].verdict, V_CLEAN);
	assert_int_equal(r.res[1].verdict, V_APPLIED);
	assert_int_equal(r.res[1].at, 12);
	assert_null(r.res[1].reason);
	assert_int_equal(r.v, V_APPLIED);
	assert_non_null(strstr(r.out.buf, "L2\nX3\nL4\n"));
	assert_non_null(strstr(r.out.buf, "L12\nX13\nL14\n"));
	run_release(&r);

	run_place(&r, f, diff, 0, 0); /* without detection: a conflict */
	assert_int_equal(r.res[1].verdict, V_CONFLICT);
	assert_string_equal(r.res[1].reason, "lines to remove differ");
	run_release(&r);
	free(f);
}

/* A whole patch already there: every hunk found as post-image, the later
   ones where the earlier ones' growth put them. */
static void test_already_applied_patch(void **state)
{
	static const char diff[] =
		"@@ -2,3 +2,5 @@\n L2\n+A\n+B\n L3\n L4\n"
		"@@ -12,3 +14,3 @@\n L12\n-L13\n+X13\n L14\n";
	static const char applied_diff[] =
		"@@ -2,3 +2,5 @@\n L2\n+A\n+B\n L3\n L4\n";
	struct run r, first;
	char *f = twenty();

	run_place(&first, f, applied_diff, 0, 1);
	assert_int_equal(first.v, V_CLEAN);
	run_place(&r, first.out.buf, diff, 0, 1);
	assert_int_equal(r.res[0].verdict, V_APPLIED);
	/* two lines further down, past A and B, as GNU patch says */
	assert_int_equal(r.res[1].verdict, V_OFFSET);
	assert_int_equal(r.res[1].offset, 2);
	assert_int_equal(r.res[1].at, 14);
	run_release(&r);
	run_release(&first);

	run_place(&first, f, diff, 0, 1);
	run_place(&r, first.out.buf, diff, 0, 1);
	assert_int_equal(r.v, V_APPLIED);
	assert_int_equal(r.res[0].verdict, V_APPLIED);
	assert_int_equal(r.res[1].verdict, V_APPLIED);
	assert_int_equal(r.res[1].at, 14);
	assert_string_equal(r.out.buf, first.out.buf);
	run_release(&r);
	run_release(&first);
	free(f);
}

/* The change is there exactly; the old lines only match elsewhere with
   fuzz.  Applying would duplicate it: "applied" wins at the lower fuzz
   (GNU patch's reversed-patch test, for every hunk). */
static void test_applied_beats_fuzz(void **state)
{
	static const char diff[] =
		"@@ -3,7 +3,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n";
	static const char file[] =
		"1\n2\na\nb\nc\nD\ne\nf\ng\n10\n11\n"
		"x\nb\nc\nd\ne\nf\ny\n";
	struct run r;

	run_place(&r, file, diff, 2, 1);
	assert_int_equal(r.res[0].verdict, V_APPLIED);
	assert_int_equal(r.res[0].fuzz, 0);
	assert_int_equal(r.res[0].at, 3);
	assert_string_equal(r.out.buf, file);
	run_release(&r);
	run_place(&r, file, diff, 2, 0); /* what GNU patch -f does */
	assert_int_equal(r.res[0].verdict, V_FUZZ);
	assert_int_equal(r.res[0].at, 12);
	run_release(&r);
}

static void test_crlf(void **state)
{
	static const char lf[] = "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
	static const char crlf[] =
		"@@ -1,3 +1,3 @@\n a\r\n-b\r\n+B\r\n c\r\n";
	struct run r;

	run_place(&r, "a\r\nb\r\nc\r\n", lf, 2, 1);
	assert_int_equal(r.v, V_CONFLICT);
	assert_string_equal(r.res[0].reason, "line endings differ");
	run_release(&r);
	run_place(&r, "a\r\nb\r\nc\r\n", crlf, 0, 1);
	assert_int_equal(r.v, V_CLEAN);
	assert_string_equal(r.out.buf, "a\r\nB\r\nc\r\n");
	run_release(&r);
}

static void test_noeol_added_and_removed(void **state)
{
	static const char add_nl[] =
		"@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n";
	static const char drop_nl[] =
		"@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n";
	static const char append[] =
		"@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n";
	struct run r;

	run_place(&r, "a\nb", add_nl, 0, 1);
	assert_int_equal(r.v, V_CLEAN);
	assert_string_equal(r.out.buf, "a\nb\n");
	run_release(&r);
	run_place(&r, "a\nb\n", drop_nl, 0, 1);
	assert_int_equal(r.v, V_CLEAN);
	assert_string_equal(r.out.buf, "a\nb");
	run_release(&r);
	run_place(&r, "a\nb", append, 0, 1);
	assert_string_equal(r.out.buf, "a\nb\nc\n");
	run_release(&r);
	/* the file already has its newline: the pre-image does not match */
	run_place(&r, "a\nb\n", add_nl, 0, 0);
	assert_int_equal(r.v, V_CONFLICT);
	assert_string_equal(r.res[0].reason, "newline at end of file differs");
	run_release(&r);
	/* ... but the post-image does: already applied */
	run_place(&r, "a\nb\n", add_nl, 0, 1);
	assert_int_equal(r.v, V_APPLIED);
	run_release(&r);
}

static void test_empty_files(void **state)
{
	static const char fill[] = "@@ -0,0 +1,2 @@\n+x\n+y\n";
	static const char empty_it[] = "@@ -1,2 +0,0 @@\n-x\n-y\n";
	struct run r;

	run_place(&r, "", fill, 0, 1);
	assert_int_equal(r.v, V_CLEAN);
	assert_int_equal(r.res[0].at, 1);
	assert_int_equal(r.res[0].old_at, 0);
	assert_string_equal(r.out.buf, "x\ny\n");
	run_release(&r);
	run_place(&r, "x\ny\n", empty_it, 0, 1);
	assert_int_equal(r.v, V_CLEAN);
	assert_int_equal(r.out.len, 0);
	run_release(&r);
}

/* diff -U0: no context, the insertion goes after the stated line. */
static void test_insertion_without_context(void **state)
{
	static const char diff[] = "@@ -2,0 +3,1 @@\n+new\n";
	struct run r;

	run_place(&r, "a\nb\nc\n", diff, 2, 1);
	assert_int_equal(r.v, V_CLEAN);
	assert_int_equal(r.res[0].at, 3);
	assert_string_equal(r.out.buf, "a\nb\nnew\nc\n");
	run_release(&r);
}

/* The context is there, the line to change is not what the patch says:
   the target changed that very code. */
static void test_lines_to_remove_differ(void **state)
{
	struct run r;
	char *f = twenty();

	f[strstr(f, "L10\n") - f] = 'Q';
	run_place(&r, f, change_l10, 2, 1);
	assert_int_equal(r.v, V_CONFLICT);
	assert_string_equal(r.res[0].reason, "lines to remove differ");
	run_release(&r);
	free(f);
}

static void test_file_ends_early(void **state)
{
	struct run r;
	char *f = spec_lines("L", 1, 8);

	run_place(&r, f, change_l10, 2, 1);
	assert_int_equal(r.v, V_CONFLICT);
	assert_string_equal(r.res[0].reason, "file ends early");
	run_release(&r);
	free(f);
}

/* A failed hunk does not stop the others, and "at" for a failure is the
   stated line moved by what the earlier hunks added (GNU's FAILED at). */
static void test_conflict_then_more_hunks(void **state)
{
	static const char diff[] =
		"@@ -2,3 +2,4 @@\n L2\n+A\n L3\n L4\n"
		"@@ -8,3 +9,3 @@\n L8\n-nope\n+X\n L10\n"
		"@@ -15,3 +16,3 @@\n L15\n-L16\n+X16\n L17\n";
	struct run r;
	char *f = twenty();

	run_place(&r, f, diff, 2, 1);
	assert_int_equal(r.res[0].verdict, V_CLEAN);
	assert_int_equal(r.res[1].verdict, V_CONFLICT);
	assert_int_equal(r.res[1].at, 9);
	assert_int_equal(r.res[1].old_at, 0);
	assert_int_equal(r.res[2].verdict, V_CLEAN);
	assert_int_equal(r.res[2].at, 16);
	assert_int_equal(r.v, V_CONFLICT);
	run_release(&r);
	free(f);
}

static void test_creation_ignores_old(void **state)
{
	static const char diff[] = "@@ -0,0 +1,1 @@\n+hello\n";
	struct spec *s = spec_new(NULL, "b/new", FILE_CREATE, diff);
	struct place_opts o = { .max_fuzz = 0, .detect_applied = 1 };
	struct hunk_result res[1];
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(place_file(&s->fd, "junk\n", 5, &o, res, &out),
			 V_CLEAN);
	assert_string_equal(out.buf, "hello\n");
	sb_release(&out);
	spec_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict_words),
		cmocka_unit_test(test_text_split),
		cmocka_unit_test(test_far_places),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_offset_forward),
		cmocka_unit_test(test_offset_backward),
		cmocka_unit_test(test_offset_carries_to_later_hunks),
		cmocka_unit_test(test_offset_from_an_absurd_line_number),
		cmocka_unit_test(test_forward_preference_and_ambiguity),
		cmocka_unit_test(test_ambiguity_further_away),
		cmocka_unit_test(test_clean_is_not_ambiguous),
		cmocka_unit_test(test_fuzz_1_keeps_target_context),
		cmocka_unit_test(test_fuzz_2),
		cmocka_unit_test(test_start_of_file_rule),
		cmocka_unit_test(test_end_of_file_rule),
		cmocka_unit_test(test_end_of_file_rule_with_fuzz_2),
		cmocka_unit_test(test_overlapping_hunks),
		cmocka_unit_test(test_hunks_sharing_context),
		cmocka_unit_test(test_hunks_out_of_order),
		cmocka_unit_test(test_already_applied_hunk),
		cmocka_unit_test(test_already_applied_patch),
		cmocka_unit_test(test_applied_beats_fuzz),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_noeol_added_and_removed),
		cmocka_unit_test(test_empty_files),
		cmocka_unit_test(test_insertion_without_context),
		cmocka_unit_test(test_lines_to_remove_differ),
		cmocka_unit_test(test_file_ends_early),
		cmocka_unit_test(test_conflict_then_more_hunks),
		cmocka_unit_test(test_creation_ignores_old),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
