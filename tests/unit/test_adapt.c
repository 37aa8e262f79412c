/*
 * test_adapt.c - the "adapted" verdict (place/adapt*.c): each kind of
 * adaptation and each refusal, on small files, through place_file as
 * apply uses it, and the helpers (line comparison, indentation, the
 * rename map) one by one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "hunkspec.h"
#include "place/adapt_int.h"

struct run {
	struct spec *s;
	struct hunk_result res[4];
	struct strbuf out;
	enum verdict v;
};

/* Place diff on file at fuzz 2, adaptation on. */
static void run_adapt(struct run *r, const char *file, const char *diff)
{
	struct place_opts o = { .max_fuzz = 2, .detect_applied = 1, .adapt = 1 };

	memset(r, 0, sizeof(*r));
	r->s = spec_new("a/f", "b/f", FILE_MODIFY, diff);
	assert_true(r->s->fd.nhunks <= 4);
	r->v = place_file(&r->s->fd, file, strlen(file), &o, r->res, &r->out);
}

static void run_release(struct run *r)
{
	hunk_results_clear(r->res, r->s->fd.nhunks);
	spec_free(r->s);
	sb_release(&r->out);
}

/* Upstream: a, bar, one, baz, two, return; two lines added. */
static const char drift_diff[] =
	"@@ -1,8 +1,10 @@\n"
	" {\n \tint x = 1;\n \tbar();\n+\tlog(x);\n \tone();\n \tbaz();\n"
	" \ttwo();\n+\tlog(x + 1);\n \treturn x;\n }\n";
static const char drift_target[] =
	"{\n\tint x = 1;\n\tbar();\n\tone();\n\tfoo();\n\ttwo();\n"
	"\treturn x;\n}\n";

static void test_compare_levels(void **state)
{
	(void)state;
	assert_int_equal(adapt_compare("\tx();", 5, "\tx();", 5), MATCH_EXACT);
	assert_int_equal(adapt_compare("\tx();", 5, "    x();", 8), MATCH_WS);
	assert_int_equal(adapt_compare("a = f(b);", 9, "a = g(b);", 9),
			 MATCH_LOOSE);
	/* literals and operators are never "renamed" */
	assert_int_equal(adapt_compare("a = f(1);", 9, "a = f(2);", 9),
			 MATCH_NONE);
	assert_int_equal(adapt_compare("", 0, "  ", 2), MATCH_NONE);
	/* CRLF against LF is no white-space difference to adapt */
	assert_int_equal(adapt_compare("\tx();\r", 7, "\tx();", 6), MATCH_NONE);
}

/*
 * The shape filter never hides a match: lines made of random tokens,
 * white space and identifiers changed at random, wherever adapt_compare
 * matches them their shapes are equal.  Lines ending in other punctuation
 * have other shapes.
 */
static void test_shape_keeps_every_match(void **state)
{
	static const char *const tok[] = {
		"foo", "bar", "x", "_n2", "42", "0x1f", "(", ")", ";", "{", "}",
		"->", "*", "=", ",", "\"s\"", "[", "]", "+", "\r"
	};
	uint32_t r = 2463534242u;
	int k, matched = 0;

	for (k = 0; k < 20000; k++) {
		char a[128], b[128];
		size_t an = 0, bn = 0;
		int t, n;

		r ^= r << 13, r ^= r >> 17, r ^= r << 5;
		n = 1 + (int)(r % 7);
		for (t = 0; t < n; t++) {
			const char *x, *y;

			r ^= r << 13, r ^= r >> 17, r ^= r << 5;
			x = tok[r % 20];
			y = r % 9 == 0 ? tok[(r >> 8) % 4] : x; /* renamed */
			an += (size_t)snprintf(a + an, sizeof(a) - an, "%s%s",
					       r % 5 == 0 ? " " : "", x);
			bn += (size_t)snprintf(b + bn, sizeof(b) - bn, "%s%s",
					       r % 7 == 0 ? "\t" : "", y);
		}
		if (adapt_compare(a, an, b, bn) != MATCH_NONE) {
			matched++;
			assert_int_equal(adapt_shape_hash(a, an),
					 adapt_shape_hash(b, bn));
		}
	}
	assert_true(matched > 1000);
	assert_int_not_equal(adapt_shape_hash("f(x);", 5),
			     adapt_shape_hash("f(x) {", 6));
}

static void test_indent_units(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	adapt_indent_line("\t\t", 2, "        ", 8, "\t}", 2, &sb);
	assert_string_equal(sb.buf, "    }");
	sb_reset(&sb);
	adapt_indent_line("\t", 1, "\t", 1, "\tx;", 3, &sb);
	assert_string_equal(sb.buf, "\tx;");
	/* a tab among space-indented lines keeps its columns (tiff 881a070) */
	sb_reset(&sb);
	adapt_indent_line("    ", 4, "  ", 2, "\t_TIFFfree(p);", 15, &sb);
	assert_string_equal(sb.buf, "      _TIFFfree(p);");
	sb_reset(&sb);
	adapt_indent_line("    ", 4, "  ", 2, "    {", 5, &sb);
	assert_string_equal(sb.buf, "  {");
	/* neither units nor a prefix: columns, in the target's tabs */
	sb_reset(&sb);
	adapt_indent_line("   ", 3, "\t", 1, "     x;", 7, &sb);
	assert_string_equal(sb.buf, "\t  x;");
	sb_release(&sb);
}

static void test_drift(void **state)
{
	struct run r;

	(void)state;
	run_adapt(&r, drift_target, drift_diff);
	assert_int_equal(r.v, V_ADAPTED);
	assert_non_null(r.res[0].adapt);
	assert_int_equal(r.res[0].adapt->kinds, ADAPT_DRIFT);
	assert_int_equal(r.res[0].adapt->context_missing, 1);
	assert_int_equal(r.res[0].adapt->context_extra, 1);
	assert_string_equal(r.res[0].adapt->replaced.buf, "\tbaz();\n");
	assert_string_equal(r.out.buf,
			    "{\n\tint x = 1;\n\tbar();\n\tlog(x);\n\tone();\n"
			    "\tfoo();\n\ttwo();\n\tlog(x + 1);\n\treturn x;\n}\n");
	run_release(&r);
}

/* Adapted once, the change is there: the reversed hunk adapts. */
static void test_applied_in_adapted_form(void **state)
{
	struct run r, again;

	(void)state;
	run_adapt(&r, drift_target, drift_diff);
	assert_int_equal(r.v, V_ADAPTED);
	run_adapt(&again, r.out.buf, drift_diff);
	assert_int_equal(again.v, V_APPLIED);
	assert_non_null(again.res[0].adapt);
	assert_int_equal(again.res[0].adapt->kinds, ADAPT_DRIFT);
	assert_string_equal(again.out.buf, r.out.buf);
	run_release(&again);
	run_release(&r);
}

static void test_whitespace(void **state)
{
	struct run r;

	(void)state;
	run_adapt(&r, "{\n    int x = 1;\n    bar();\n    one();\n    baz();\n"
		  "    two();\n    return x;\n}\n", drift_diff);
	assert_int_equal(r.v, V_ADAPTED);
	assert_int_equal(r.res[0].adapt->kinds, ADAPT_WHITESPACE);
	assert_non_null(strstr(r.out.buf, "    bar();\n    log(x);\n"));
	assert_non_null(strstr(r.out.buf, "    two();\n    log(x + 1);\n"));
	run_release(&r);
}

static const char rename_diff[] =
	"@@ -1,6 +1,6 @@\n"
	" {\n \tint r = new_name(x);\n-\tif (r < 0)\n+\tif (r < 0 || new_name(0))\n"
	" \t\treturn r;\n \treturn 0;\n }\n";

static void test_rename(void **state)
{
	struct run r;

	(void)state;
	run_adapt(&r, "{\n\tint r = old_name(x);\n\tif (r < 0)\n\t\treturn r;\n"
		  "\treturn 0;\n}\n", rename_diff);
	assert_int_equal(r.v, V_ADAPTED);
	assert_int_equal(r.res[0].adapt->kinds, ADAPT_RENAME);
	assert_int_equal(r.res[0].adapt->nrenames, 1);
	assert_string_equal(r.res[0].adapt->renames[0].from, "new_name");
	assert_string_equal(r.res[0].adapt->renames[0].to, "old_name");
	assert_non_null(strstr(r.out.buf, "\tif (r < 0 || old_name(0))\n"));
	run_release(&r);
}

static void test_refuse_two_candidates(void **state)
{
	struct run r;
	struct strbuf two = STRBUF_INIT;

	(void)state;
	sb_addstr(&two, drift_target);
	sb_addstr(&two, drift_target);
	run_adapt(&r, two.buf, drift_diff);
	assert_int_equal(r.v, V_CONFLICT);
	assert_non_null(r.res[0].adapt);
	assert_non_null(strstr(r.res[0].adapt->why.buf,
			       "2 candidates qualify, none preferred: at 3, at 11"));
	assert_int_equal(r.out.len, 0);
	run_release(&r);
	sb_release(&two);
}

static void test_refuse_missing_removed_line(void **state)
{
	struct run r;

	(void)state;
	run_adapt(&r, "{\n\tint r = new_name(x);\n\t\treturn r;\n\treturn 0;\n}\n",
		  rename_diff);
	assert_int_equal(r.v, V_CONFLICT);
	assert_non_null(strstr(r.res[0].adapt->why.buf,
			       "no line matches removed line 4"));
	run_release(&r);
}

static void test_refuse_inconsistent_rename(void **state)
{
	struct run r;

	(void)state;
	/* the name is renamed on one line and kept on another */
	run_adapt(&r, "{\n\tint r = old_name(x);\n\tif (r < 0)\n\t\treturn r;\n"
		  "\treturn new_name(0);\n}\n",
		  "@@ -1,6 +1,6 @@\n"
		  " {\n \tint r = new_name(x);\n-\tif (r < 0)\n"
		  "+\tif (r < 0 || new_name(0))\n \t\treturn r;\n"
		  " \treturn new_name(0);\n }\n");
	assert_int_equal(r.v, V_CONFLICT);
	assert_non_null(strstr(r.res[0].adapt->why.buf,
			       "inconsistent rename: new_name -> old_name, but "
			       "new_name kept at line 5"));
	run_release(&r);
}

static void test_refuse_no_place_to_land(void **state)
{
	struct run r;

	(void)state;
	/* the target has a line between the added line's neighbours */
	run_adapt(&r, "{\n\tint x = 1;\n\tbar();\n\tcheck(x);\n\tone();\n"
		  "\tfoo();\n\ttwo();\n\treturn x;\n}\n", drift_diff);
	assert_int_equal(r.v, V_CONFLICT);
	assert_non_null(strstr(r.res[0].adapt->why.buf,
			       "added line 5 has no place to land"));
	run_release(&r);
}

static void test_off_by_default(void **state)
{
	struct place_opts o = { .max_fuzz = 2, .detect_applied = 1 };
	struct hunk_result res[1];
	struct spec *s = spec_new("a/f", "b/f", FILE_MODIFY, drift_diff);

	(void)state;
	assert_int_equal(place_file(&s->fd, drift_target, strlen(drift_target),
				    &o, res, NULL), V_CONFLICT);
	assert_null(res[0].adapt);
	spec_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_levels),
		cmocka_unit_test(test_shape_keeps_every_match),
		cmocka_unit_test(test_indent_units),
		cmocka_unit_test(test_drift),
		cmocka_unit_test(test_applied_in_adapted_form),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_refuse_two_candidates),
		cmocka_unit_test(test_refuse_missing_removed_line),
		cmocka_unit_test(test_refuse_inconsistent_rename),
		cmocka_unit_test(test_refuse_no_place_to_land),
		cmocka_unit_test(test_off_by_default),
	};

	(void)spec_lines; /* hunkspec.h's, not needed here */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
