/*
 * test_report.c - the report model without the placement engine: the
 * reason a noisy result gets (hunk, function name, offset/fuzz), how
 * carried patches find their upstream versions (commit id in the mail
 * line or the DEP-3 Origin, then subject), and the SRU sections: TODO
 * where the tool cannot know, facts where it can.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit/report.h"
#include "emit/report_int.h"
#include "util.h"

static const char upstream_mail[] =
	"From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
	"From: Ada Example <ada@example.org>\n"
	"Subject: [PATCH] s390x/css: count the pending CRWs\n"
	"\n"
	"---\n"
	"--- a/hw/s390x/css.c\n"
	"+++ b/hw/s390x/css.c\n"
	"@@ -10,3 +10,4 @@ static void css_queue(int x)\n"
	" a\n"
	"+b\n"
	" c\n"
	" d\n";

/* The same change, renamed and with a DEP-3 header naming the commit. */
static const char carried_dep3[] =
	"Description: count pending channel reports\n"
	"Author: Ada Example <ada@example.org>\n"
	"Origin: backport, https://git.example.org/qemu/commit/0123456789ab\n"
	"---\n"
	"--- a/hw/s390x/css.c\n"
	"+++ b/hw/s390x/css.c\n"
	"@@ -20,3 +20,4 @@ static void css_queue(int x)\n"
	" a\n"
	"+b\n"
	" c\n"
	" d\n";

/* Common code, found by subject only. */
static const char carried_common[] =
	"From: Ada Example <ada@example.org>\n"
	"Subject: [PATCH] migration: keep the old stream\n"
	"\n"
	"---\n"
	"--- a/migration/savevm.c\n"
	"+++ b/migration/savevm.c\n"
	"@@ -1,3 +1,3 @@\n"
	" x\n"
	"-y\n"
	"+z\n"
	" w\n";

static void add_patch(struct patch_list *l, const char *name, const char *text)
{
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	assert_int_equal(patch_parse(&l->v[l->n], name, xstrdup(text),
				     strlen(text)), 0);
	l->n++;
}

static int section_has(const struct report_section *s, const char *needle)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strstr(s->items[i], needle))
			return 1;
	return 0;
}

static void test_result_reason(void **state)
{
	struct patch_list l = { 0 };
	struct hunk_result hr = { 0 };
	struct file_result fr = { 0 };
	struct patch_result res = { 0 };
	struct strbuf sb = STRBUF_INIT;

	add_patch(&l, "x.patch", upstream_mail);
	fr.fd = &l.v[0].files[0];
	fr.path = "hw/s390x/css.c";
	fr.hunks = &hr;
	res.patch = &l.v[0];
	res.files = &fr;
	res.nfiles = 1;

	fr.verdict = hr.verdict = res.verdict = V_OFFSET;
	hr.offset = 7;
	sb_init(&sb);
	patch_result_describe(&res, &sb);
	assert_string_equal(sb.buf, "hw/s390x/css.c hunk 1 (css_queue): offset +7");

	fr.verdict = hr.verdict = res.verdict = V_FUZZ;
	hr.fuzz = 1;
	hr.offset = -2;
	sb_reset(&sb);
	patch_result_describe(&res, &sb);
	assert_string_equal(sb.buf,
			    "hw/s390x/css.c hunk 1 (css_queue): fuzz 1, offset -2");

	fr.verdict = hr.verdict = res.verdict = V_CONFLICT;
	hr.reason = "context differs";
	sb_reset(&sb);
	patch_result_describe(&res, &sb);
	assert_string_equal(sb.buf,
			    "hw/s390x/css.c hunk 1 (css_queue): context differs");

	fr.verdict = hr.verdict = res.verdict = V_CLEAN;
	sb_reset(&sb);
	patch_result_describe(&res, &sb);
	assert_int_equal(sb.len, 0);

	sb_release(&sb);
	patch_list_release(&l);
}

static void test_upstream_by_origin_and_subject(void **state)
{
	struct patch_list series = { 0 }, up = { 0 };
	struct report r;

	add_patch(&series, "lp-1-count.patch", carried_dep3);
	add_patch(&series, "lp-2-keep.patch", carried_common);
	add_patch(&up, "up.mbox:1", carried_common);
	add_patch(&up, "up.mbox:2", upstream_mail);
	report_build(&r, &series, NULL, &up);

	/* the Origin URL's abbreviated id finds the mail's full one */
	assert_ptr_equal(r.patches[0].upstream, &up.v[1]);
	assert_int_equal(r.patches[0].diff.change, ID_SAME);
	assert_int_equal(r.patches[0].diff.files[0].moved_min, 10);
	assert_ptr_equal(r.patches[1].upstream, &up.v[0]);

	/* one file of common code: no single architecture */
	assert_null(r.arch);
	assert_int_equal(r.ncommon, 1);
	assert_string_equal(r.common_files[0], "migration/savevm.c");
	assert_true(section_has(&r.sru[REPORT_REGRESSION],
				"changes common code (migration/savevm.c)"));
	assert_true(section_has(&r.sru[REPORT_OTHER],
				"Patch 1 changed from upstream: same as upstream, moved by +10 lines"));
	report_release(&r);
	patch_list_release(&series);
	patch_list_release(&up);
}

static void test_sru_sections_say_todo_where_they_cannot_know(void **state)
{
	struct patch_list series = { 0 };
	struct report r;

	add_patch(&series, "lp-1-count.patch", carried_dep3);
	report_build(&r, &series, NULL, NULL);
	assert_string_equal(r.arch, "s390x");
	assert_string_equal(r.sru[REPORT_IMPACT].title, "Impact");
	assert_true(section_has(&r.sru[REPORT_IMPACT], "TODO: describe the bug"));
	assert_true(section_has(&r.sru[REPORT_IMPACT],
				"Patch 1: count pending channel reports (cited commit 0123456789ab, not checked)"));
	assert_true(section_has(&r.sru[REPORT_TEST_PLAN], "TODO: run them on s390x"));
	assert_false(section_has(&r.sru[REPORT_TEST_PLAN], "live-migrate"));
	assert_true(section_has(&r.sru[REPORT_REGRESSION],
				"regression risk is limited to s390x"));
	assert_true(section_has(&r.sru[REPORT_OTHER],
				"unknown (no upstream version given)"));
	/* no targets: nothing claimed about verdicts */
	assert_false(section_has(&r.sru[REPORT_OTHER], "Verdicts"));
	report_release(&r);
	patch_list_release(&series);
}

/* A DEP-3 patch whose header is hdr, with carried_common's diff. */
static void add_dep3(struct patch_list *l, const char *name, const char *hdr)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addstr(&sb, hdr);
	sb_addstr(&sb, "---\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n x\n-y\n+z\n w\n");
	add_patch(l, name, sb.buf);
	sb_release(&sb);
}

static void test_origin_url_shapes(void **state)
{
	static const char *const hdrs[] = {
		"Origin: upstream, https://github.com/a/b/commit/89abcdef01\n",
		"Origin: upstream, https://gitlab.com/a/b/-/commit/89abcdef01\n",
		"Origin: https://git.example.org/b.git/commit/?id=89abcdef01\n",
		"Origin: https://example.org/?p=b.git;a=commit;h=89abcdef01\n",
		"Origin: upstream, commit:89abcdef01\n",
	};
	struct patch_list l = { 0 };
	const char *id;
	size_t i;

	for (i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++)
		add_dep3(&l, "o.patch", hdrs[i]);
	/* a hex-looking repository name is not the commit */
	add_dep3(&l, "o.patch", "Origin: https://github.com/deadbeef00/b/commit/89abcdef01\n");
	for (i = 0; i < l.n; i++) {
		assert_int_equal(report_origin_commit(&l.v[i], &id), 10);
		assert_memory_equal(id, "89abcdef01", 10);
	}
	patch_list_release(&l);
	add_dep3(&l, "o.patch", "Origin: vendor, https://example.org/nothing\n");
	assert_int_equal(report_origin_commit(&l.v[0], &id), 0);
	patch_list_release(&l);
}

static void test_cve_ids(void **state)
{
	struct patch_list series = { 0 };
	struct report r;

	add_dep3(&series, "CVE-2024-22222.patch",
		 "Description: fix an overflow (cve-2023-1111)\n"
		 "Bug: https://security-tracker.debian.org/tracker/CVE-2023-33333\n"
		 "Bug-Debian: https://bugs.debian.org/1 CVE-2023-1111\n"
		 "Note: XCVE-2023-44444 and CVE-23-1 are not ids\n");
	report_build(&r, &series, NULL, NULL);
	assert_int_equal(r.patches[0].ncves, 3);
	assert_string_equal(r.patches[0].cves[0], "CVE-2023-1111");
	assert_string_equal(r.patches[0].cves[1], "CVE-2023-33333");
	assert_string_equal(r.patches[0].cves[2], "CVE-2024-22222");
	assert_true(section_has(&r.sru[REPORT_IMPACT],
				"Fixes CVE-2023-1111, CVE-2023-33333, CVE-2024-22222"));
	report_release(&r);
	patch_list_release(&series);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_reason),
		cmocka_unit_test(test_upstream_by_origin_and_subject),
		cmocka_unit_test(test_sru_sections_say_todo_where_they_cannot_know),
		cmocka_unit_test(test_origin_url_shapes),
		cmocka_unit_test(test_cve_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
