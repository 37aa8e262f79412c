/*
 * test_lint.c - one fixture patch per lint finding (tests/fixtures/lint/),
 * each expected to give exactly that finding at that patch line, a clean
 * patch expected to give none, and the architecture table.
 *
 * The fixtures also hold the near misses each rule must not report (a
 * DPRINTF macro, a re-indented VMSTATE line, "#ifdef", "!="), so the
 * "exactly one finding" checks cover them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyse/lint.h"
#include "analyse/lint_int.h"
#include "input/patch.h"
#include "util.h"

#define FIXTURES "tests/fixtures/lint/"

struct linted {
	struct patch_list list;
	struct lint_result r;
};

static void lint_fixture(struct linted *l, const char *name)
{
	char path[256];

	memset(l, 0, sizeof(*l));
	snprintf(path, sizeof(path), FIXTURES "%s", name);
	assert_int_equal(patch_list_read_file(&l->list, path), 0);
	assert_int_equal(l->list.n, 1);
	lint_patch(&l->list.v[0], &l->r);
}

static void linted_release(struct linted *l)
{
	lint_result_release(&l->r);
	patch_list_release(&l->list);
}

/* The fixture gives exactly one finding: this tag, kind, severity, line. */
static void expect_one(const char *fixture, const char *tag,
		       enum lint_kind kind, enum lint_severity sev, long line,
		       const char *path)
{
	struct linted l;

	lint_fixture(&l, fixture);
	if (l.r.n != 1) {
		size_t i;
		for (i = 0; i < l.r.n; i++)
			print_message("# %s:%ld: %s %s\n", l.r.v[i].file,
				      l.r.v[i].line, l.r.v[i].tag,
				      l.r.v[i].message);
	}
	assert_int_equal(l.r.n, 1);
	assert_string_equal(l.r.v[0].tag, tag);
	assert_int_equal(l.r.v[0].kind, kind);
	assert_int_equal(l.r.v[0].severity, sev);
	assert_int_equal(l.r.v[0].line, line);
	assert_non_null(strstr(l.r.v[0].file, fixture));
	if (path)
		assert_string_equal(l.r.v[0].path, path);
	else
		assert_null(l.r.v[0].path);
	assert_true(strlen(l.r.v[0].message) > 10);
	assert_int_equal(lint_result_worst(&l.r), sev);
	linted_release(&l);
}

/* A finding's message is whole however long (a list of names can be). */
static void test_long_message_kept_whole(void **state)
{
	struct linted l;
	char names[3001];

	lint_fixture(&l, "clean.patch");
	memset(names, 'x', sizeof(names) - 1);
	names[sizeof(names) - 1] = '\0';
	lint_add(&l.r, &l.list.v[0], LINT_DEBUG, LINT_INFO, "t", 1, "f.c",
		 "uses %s, and more", names);
	assert_int_equal(strlen(l.r.v[l.r.n - 1].message),
			 3000 + strlen("uses , and more"));
	lint_result_release(&l.r);
	patch_list_release(&l.list);
}

static void test_clean_patch_has_no_findings(void **state)
{
	struct linted l;

	lint_fixture(&l, "clean.patch");
	assert_int_equal(l.r.n, 0);
	assert_int_equal(lint_result_worst(&l.r), -1);
	linted_release(&l);
}

static void test_vmstate_field_added(void **state)
{
	/* the re-indented status field on lines 19/20 is not a change */
	expect_one("vmstate-field.patch", "vmstate-field-added", LINT_MIGRATION,
		   LINT_WARNING, 22, "hw/misc/widget.c");
}

static void test_vmstate_description_added(void **state)
{
	expect_one("vmstate-description.patch", "vmstate-description-added",
		   LINT_MIGRATION, LINT_WARNING, 21, "hw/misc/widget.c");
}

static void test_vmstate_version_changed(void **state)
{
	expect_one("vmstate-version.patch", "vmstate-version-changed",
		   LINT_MIGRATION, LINT_WARNING, 12, "hw/misc/widget.c");
}

static void test_machine_compat_changed(void **state)
{
	expect_one("machine-compat.patch", "machine-compat-changed",
		   LINT_MIGRATION, LINT_WARNING, 11, "hw/core/machine.c");
}

static void test_subject_wip(void **state)
{
	expect_one("subject-wip.patch", "subject-wip-marker", LINT_DEBUG,
		   LINT_ERROR, 4, NULL);
}

static void test_capability_overridden(void **state)
{
	expect_one("capability-overridden.patch", "capability-overridden",
		   LINT_DEBUG, LINT_ERROR, 11, "hw/vfio/widget.c");
}

static void test_code_disabled(void **state)
{
	expect_one("code-disabled.patch", "code-disabled", LINT_DEBUG,
		   LINT_WARNING, 11, "hw/misc/widget.c");
}

static void test_debug_output(void **state)
{
	/* the DPRINTF macro (lines 11-16) and a plain error_report are fine */
	expect_one("debug-output.patch", "debug-output", LINT_DEBUG,
		   LINT_WARNING, 25, "hw/misc/widget.c");
}

static void test_scope_single_arch(void **state)
{
	struct linted l;

	expect_one("scope-s390x.patch", "scope-single-arch", LINT_SCOPE,
		   LINT_INFO, 11, NULL);
	lint_fixture(&l, "scope-s390x.patch");
	assert_non_null(strstr(l.r.v[0].message, "limited to s390x"));
	assert_string_equal(lint_series_arch(l.list.v, l.list.n), "s390x");
	linted_release(&l);
}

static void test_interface_kernel_headers(void **state)
{
	expect_one("interface-headers.patch", "kernel-headers-changed",
		   LINT_INTERFACE, LINT_WARNING, 5,
		   "linux-headers/linux/widget.h");
}

static void test_interface_header_sync_is_one_finding(void **state)
{
	struct linted l;

	expect_one("interface-headers-sync.patch", "kernel-headers-changed",
		   LINT_INTERFACE, LINT_WARNING, 5,
		   "linux-headers/linux/widget.h");
	lint_fixture(&l, "interface-headers-sync.patch");
	assert_non_null(strstr(l.r.v[0].message, "changes 2 files"));
	assert_non_null(strstr(l.r.v[0].message,
			       "include/standard-headers/linux/widget_ids.h"));
	linted_release(&l);
}

static void test_interface_qapi(void **state)
{
	expect_one("interface-qapi.patch", "qapi-schema-changed",
		   LINT_INTERFACE, LINT_WARNING, 5, "qapi/misc.json");
}

static void test_interface_command_line(void **state)
{
	expect_one("interface-options.patch", "command-line-changed",
		   LINT_INTERFACE, LINT_WARNING, 5, "qemu-options.hx");
}

static void test_path_arch(void **state)
{
	assert_string_equal(lint_path_arch("target/s390x/ioinst.c"), "s390x");
	assert_string_equal(lint_path_arch("hw/s390x/css.c"), "s390x");
	assert_string_equal(lint_path_arch("include/hw/s390x/css.h"), "s390x");
	assert_string_equal(lint_path_arch("linux-headers/asm-s390/kvm.h"),
			    "s390x");
	assert_string_equal(lint_path_arch("hw/vfio/ccw.c"), "s390x");
	assert_string_equal(lint_path_arch("hw/intc/s390_flic.c"), "s390x");
	assert_string_equal(lint_path_arch("target-i386/cpu.c"), "i386");
	assert_string_equal(lint_path_arch("linux-headers/asm-x86/kvm.h"),
			    "i386");
	assert_string_equal(lint_path_arch("linux-headers/asm-arm64/kvm.h"),
			    "arm");
	assert_string_equal(lint_path_arch("target/ppc/kvm.c"), "ppc");
	assert_null(lint_path_arch("hw/core/machine.c"));
	assert_null(lint_path_arch("hw/vfio/common.c"));
	assert_null(lint_path_arch("linux-headers/linux/vfio.h"));
	assert_null(lint_path_arch("docs/devel/migration.rst"));
}

static void test_series_arch_mixed(void **state)
{
	struct patch_list list = { 0 };

	assert_int_equal(patch_list_read_file(&list,
					      FIXTURES "scope-s390x.patch"), 0);
	assert_int_equal(patch_list_read_file(&list, FIXTURES "clean.patch"), 0);
	assert_int_equal(list.n, 2);
	assert_string_equal(lint_series_arch(list.v, 1), "s390x");
	assert_null(lint_series_arch(list.v, 2));
	patch_list_release(&list);
}

static void test_names(void **state)
{
	assert_string_equal(lint_kind_name(LINT_MIGRATION), "migration");
	assert_string_equal(lint_kind_name(LINT_INTERFACE), "interface");
	assert_string_equal(lint_severity_name(LINT_INFO), "info");
	assert_string_equal(lint_severity_name(LINT_ERROR), "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_message_kept_whole),
		cmocka_unit_test(test_clean_patch_has_no_findings),
		cmocka_unit_test(test_vmstate_field_added),
		cmocka_unit_test(test_vmstate_description_added),
		cmocka_unit_test(test_vmstate_version_changed),
		cmocka_unit_test(test_machine_compat_changed),
		cmocka_unit_test(test_subject_wip),
		cmocka_unit_test(test_capability_overridden),
		cmocka_unit_test(test_code_disabled),
		cmocka_unit_test(test_debug_output),
		cmocka_unit_test(test_scope_single_arch),
		cmocka_unit_test(test_interface_kernel_headers),
		cmocka_unit_test(test_interface_header_sync_is_one_finding),
		cmocka_unit_test(test_interface_qapi),
		cmocka_unit_test(test_interface_command_line),
		cmocka_unit_test(test_path_arch),
		cmocka_unit_test(test_series_arch_mixed),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
