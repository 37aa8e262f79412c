/*
 * test_interdiff.c - carried patch against upstream patch: moved hunks are
 * no difference; other context, other added/removed lines, files added or
 * dropped are, and the text, summary and JSON forms say which.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyse/interdiff.h"
#include "input/patch.h"
#include "util.h"

static const char upstream_text[] =
	"--- a/hw/widget.c\n"
	"+++ b/hw/widget.c\n"
	"@@ -10,6 +10,7 @@ static void widget_reset(Widget *w)\n"
	"     w->status = 0;\n"
	"     w->mask = 0;\n"
	"     w->count = 0;\n"
	"+    w->pending = 0;\n"
	"     widget_irq(w);\n"
	"     widget_log(w);\n"
	"     return;\n"
	"@@ -40,6 +41,6 @@ static int widget_read(Widget *w)\n"
	"     int v;\n"
	" \n"
	"     v = w->status;\n"
	"-    v |= w->mask;\n"
	"+    v |= w->mask & 0xff;\n"
	"     return v;\n"
	" }\n";

static void parse(struct patch *p, const char *name, const char *text)
{
	size_t len = strlen(text);
	char *buf = xstrdup(text);

	memset(p, 0, sizeof(*p));
	assert_int_equal(patch_parse(p, name, buf, len), 0);
}

/* Replace the first occurrence of from with to in text (a new string). */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	struct strbuf sb = STRBUF_INIT;

	assert_non_null(at);
	sb_add(&sb, text, (size_t)(at - text));
	sb_addstr(&sb, to);
	sb_addstr(&sb, at + strlen(from));
	return sb_detach(&sb, NULL);
}

struct compared {
	struct patch up, car;
	struct interdiff d;
	struct strbuf summary, text;
};

static void compare(struct compared *c, const char *carried)
{
	memset(c, 0, sizeof(*c));
	parse(&c->up, "up.patch", upstream_text);
	parse(&c->car, "carried.patch", carried);
	interdiff_patches(&c->up, &c->car, &c->d);
	sb_init(&c->summary);
	sb_init(&c->text);
	interdiff_summary(&c->d, &c->summary);
	interdiff_write(&c->d, "up.patch", "carried.patch", &c->text);
}

static void compared_release(struct compared *c)
{
	interdiff_release(&c->d);
	patch_release(&c->up);
	patch_release(&c->car);
	sb_release(&c->summary);
	sb_release(&c->text);
}

static void test_identical(void **state)
{
	struct compared c;

	compare(&c, upstream_text);
	assert_int_equal(c.d.change, ID_SAME);
	assert_int_equal(c.d.nfiles, 1);
	assert_int_equal(c.d.files[0].nlines, 0);
	assert_int_equal(c.d.files[0].hunks_moved, 0);
	assert_string_equal(c.summary.buf, "same as upstream");
	compared_release(&c);
}

static void test_moved_is_no_difference(void **state)
{
	char *a = edit(upstream_text, "@@ -10,6 +10,7 @@", "@@ -22,6 +22,7 @@");
	char *b = edit(a, "@@ -40,6 +41,6 @@", "@@ -52,6 +53,6 @@");
	struct compared c;

	compare(&c, b);
	assert_int_equal(c.d.change, ID_SAME);
	assert_int_equal(c.d.files[0].hunks_moved, 2);
	assert_int_equal(c.d.files[0].moved_min, 12);
	assert_int_equal(c.d.files[0].moved_max, 12);
	assert_int_equal(c.d.files[0].nlines, 0);
	assert_string_equal(c.summary.buf,
			    "same as upstream, moved by +12 lines (2 hunks)");
	compared_release(&c);
	free(a);
	free(b);
}

static void test_other_context(void **state)
{
	char *t = edit(upstream_text, "     widget_log(w);\n",
		       "     widget_trace(w);\n");
	struct compared c;

	compare(&c, t);
	assert_int_equal(c.d.change, ID_CONTEXT);
	assert_int_equal(c.d.files[0].change, ID_CONTEXT);
	assert_int_equal(c.d.files[0].context_lines, 2);
	assert_int_equal(c.d.files[0].content_lines, 0);
	assert_non_null(strstr(c.text.buf, "@@ upstream hunk 1, carried hunk 1 @@\n"));
	assert_non_null(strstr(c.text.buf, "-     widget_log(w);\n"
					   "+     widget_trace(w);\n"));
	/* two common lines around the difference, not the whole hunk */
	assert_non_null(strstr(c.text.buf, " +    w->pending = 0;\n"));
	assert_null(strstr(c.text.buf, "w->mask = 0;"));
	assert_string_equal(c.summary.buf, "hw/widget.c: other context (2 lines)");
	compared_release(&c);
	free(t);
}

static void test_other_content(void **state)
{
	char *t = edit(upstream_text, "+    v |= w->mask & 0xff;\n",
		       "+    v |= w->mask & 0x7f;\n");
	struct compared c;

	compare(&c, t);
	assert_int_equal(c.d.change, ID_CONTENT);
	assert_int_equal(c.d.files[0].content_lines, 2);
	assert_int_equal(c.d.files[0].context_lines, 0);
	assert_non_null(strstr(c.text.buf, "@@ upstream hunk 2, carried hunk 2 @@\n"));
	assert_non_null(strstr(c.text.buf, "-+    v |= w->mask & 0xff;\n"
					   "++    v |= w->mask & 0x7f;\n"));
	assert_non_null(strstr(c.summary.buf, "other changes (2 added/removed lines differ)"));
	compared_release(&c);
	free(t);
}

static void test_files_added_and_dropped(void **state)
{
	static const char carried[] =
		"--- a/hw/other.c\n"
		"+++ b/hw/other.c\n"
		"@@ -1,3 +1,4 @@\n"
		" a\n"
		"+b\n"
		" c\n"
		" d\n";
	struct compared c;

	compare(&c, carried);
	assert_int_equal(c.d.nfiles, 2);
	assert_string_equal(c.d.files[0].path, "hw/widget.c");
	assert_int_equal(c.d.files[0].change, ID_DROPPED);
	assert_string_equal(c.d.files[1].path, "hw/other.c");
	assert_int_equal(c.d.files[1].change, ID_ADDED);
	assert_int_equal(c.d.change, ID_DROPPED);
	assert_non_null(strstr(c.summary.buf, "hw/widget.c: only in the upstream patch (dropped)"));
	assert_non_null(strstr(c.summary.buf, "hw/other.c: only in the carried patch (added)"));
	compared_release(&c);
}

static void test_joined_hunks_are_other_context(void **state)
{
	/* the target has the two places close together: one hunk */
	static const char carried[] =
		"--- a/hw/widget.c\n"
		"+++ b/hw/widget.c\n"
		"@@ -10,12 +10,13 @@ static void widget_reset(Widget *w)\n"
		"     w->status = 0;\n"
		"     w->mask = 0;\n"
		"     w->count = 0;\n"
		"+    w->pending = 0;\n"
		"     widget_irq(w);\n"
		"     widget_log(w);\n"
		"     return;\n"
		"     int v;\n"
		" \n"
		"     v = w->status;\n"
		"-    v |= w->mask;\n"
		"+    v |= w->mask & 0xff;\n"
		"     return v;\n"
		" }\n";
	struct compared c;

	compare(&c, carried);
	assert_int_equal(c.d.change, ID_SAME);
	assert_int_equal(c.d.files[0].hunks_moved, 1);
	assert_int_equal(c.d.files[0].moved_min, 16 - 40);
	compared_release(&c);
}

static void test_json(void **state)
{
	char *t = edit(upstream_text, "     widget_log(w);\n",
		       "     widget_trace(w);\n");
	struct compared c;
	json_t *j, *f;

	compare(&c, t);
	j = interdiff_json(&c.d);
	assert_string_equal(json_string_value(json_object_get(j, "change")),
			    "context");
	f = json_array_get(json_object_get(j, "files"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "path")),
			    "hw/widget.c");
	assert_int_equal(json_integer_value(json_object_get(f, "context_lines")), 2);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(f, "diff"), 0)),
			    "@@ 1 1 @@");
	json_decref(j);
	compared_release(&c);
	free(t);
}

static void test_change_names(void **state)
{
	assert_string_equal(interdiff_change_name(ID_SAME), "same");
	assert_string_equal(interdiff_change_name(ID_CONTENT), "content");
	assert_string_equal(interdiff_change_name(ID_DROPPED), "dropped");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_moved_is_no_difference),
		cmocka_unit_test(test_other_context),
		cmocka_unit_test(test_other_content),
		cmocka_unit_test(test_files_added_and_dropped),
		cmocka_unit_test(test_joined_hunks_are_other_context),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_change_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
