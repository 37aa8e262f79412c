/*
 * test_changelog.c - reading the top entry of debian/changelog and writing
 * a new one in deb-changelog(5) format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emit/changelog.h"

static const char two_entries[] =
	"qemu (1:5.2+dfsg-11+deb11u3) bullseye-security; urgency=medium\n"
	"\n"
	"  * fix a thing that was broken and needs a long line to say so, so\n"
	"    it wraps\n"
	"\n"
	" -- Jane Doe <jane@example.org>  Mon, 01 Jan 2024 00:00:00 +0000\n"
	"\n"
	"qemu (1:5.2+dfsg-11+deb11u2) bullseye-security; urgency=high\n"
	"\n"
	"  * older\n"
	"\n"
	" -- Jane Doe <jane@example.org>  Sun, 31 Dec 2023 00:00:00 +0000\n";

static void test_read_top(void **state)
{
	struct changelog_entry e;

	(void)state;
	assert_int_equal(changelog_read_top("changelog", two_entries, &e), 0);
	assert_string_equal(e.package, "qemu");
	assert_string_equal(e.version, "1:5.2+dfsg-11+deb11u3");
	assert_string_equal(e.distribution, "bullseye-security");
	assert_string_equal(e.urgency, "medium");
	/* the entry ends after its trailer line */
	assert_memory_equal(two_entries + e.len, "\nqemu (1:5.2", 11);
	assert_true(changelog_entry_has_bullet(&e, "fix a thing that was broken "
				"and needs a long line to say so, so it wraps"));
	assert_false(changelog_entry_has_bullet(&e, "older"));
	changelog_entry_release(&e);
}

static void test_read_bad(void **state)
{
	struct changelog_entry e;

	(void)state;
	assert_int_equal(changelog_read_top("c", "", &e), -1);
	assert_int_equal(changelog_read_top("c", "qemu 1.0 unstable\n", &e), -1);
	assert_int_equal(changelog_read_top("c", "qemu (1.0) unstable\n", &e), -1);
	assert_int_equal(changelog_read_top("c",
			"qemu (1.0 x) unstable; urgency=low\n\n  * a\n", &e), -1);
	/* no trailer */
	assert_int_equal(changelog_read_top("c",
			"qemu (1.0) unstable; urgency=low\n\n  * a\n", &e), -1);
}

static void test_maintainer(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	sb_init(&sb);
	assert_int_equal(changelog_maintainer("Jane Doe", "jane@example.org",
					      &sb), 0);
	assert_string_equal(sb.buf, "Jane Doe <jane@example.org>");
	sb_reset(&sb);
	assert_int_equal(changelog_maintainer(NULL, "Jane <jane@example.org>",
					      &sb), 0);
	assert_string_equal(sb.buf, "Jane <jane@example.org>");
	sb_reset(&sb);
	assert_int_equal(changelog_maintainer(NULL, "jane@example.org", &sb),
			 -1);
	assert_int_equal(changelog_maintainer("Jane", NULL, &sb), -1);
	assert_int_equal(changelog_maintainer("Jane", "", &sb), -1);
	assert_int_equal(changelog_maintainer("Jane", "a b@c", &sb), -1);
	sb_release(&sb);
}

static void test_date(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	time_t t;

	(void)state;
	sb_init(&sb);
	assert_int_equal(changelog_time("1700000000", &t), 0);
	changelog_format_date(t, &sb);
	/* date -R -u -d @1700000000 */
	assert_string_equal(sb.buf, "Tue, 14 Nov 2023 22:13:20 +0000");
	sb_reset(&sb);
	changelog_format_date(0, &sb);
	assert_string_equal(sb.buf, "Thu, 01 Jan 1970 00:00:00 +0000");
	assert_int_equal(changelog_time("17e8", &t), -1);
	assert_int_equal(changelog_time("", &t), -1);
	assert_int_equal(changelog_time("-5", &t), -1);
	assert_int_equal(changelog_time(NULL, &t), 0);
	assert_true(t > 1700000000);
	sb_release(&sb);
}

static void test_format(void **state)
{
	static const char *const bullets[] = {
		"d/p/u/lp-1887930-*: Enable Channel Path Handling for vfio-ccw "
		"(LP: #1887930)",
		"short one",
	};
	struct changelog_new n = { "qemu", "1:4.2-3ubuntu6.5", "focal",
				   "medium", bullets, 2,
				   "Jane Doe <jane@example.org>", 1700000000 };
	struct strbuf sb = STRBUF_INIT;
	struct changelog_entry e;
	const char *p;

	(void)state;
	sb_init(&sb);
	assert_int_equal(changelog_format_entry(&n, &sb), 0);
	assert_string_equal(sb.buf,
		"qemu (1:4.2-3ubuntu6.5) focal; urgency=medium\n"
		"\n"
		"  * d/p/u/lp-1887930-*: Enable Channel Path Handling for vfio-ccw\n"
		"    (LP: #1887930)\n"
		"  * short one\n"
		"\n"
		" -- Jane Doe <jane@example.org>  Tue, 14 Nov 2023 22:13:20 +0000\n"
		"\n");
	for (p = sb.buf; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		assert_true(strcspn(p, "\n") <= CHANGELOG_WIDTH);
	/* what we write, we read back */
	assert_int_equal(changelog_read_top("new", sb.buf, &e), 0);
	assert_string_equal(e.version, "1:4.2-3ubuntu6.5");
	assert_true(changelog_entry_has_bullet(&e, bullets[0]));
	changelog_entry_release(&e);
	sb_release(&sb);
}

static void test_format_refused(void **state)
{
	static const char *const bullets[] = { "x" };
	struct changelog_new n = { "qemu", "1.0-1", "unstable", "medium",
				   bullets, 1, "J <j@e>", 0 };
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	sb_init(&sb);
	n.version = "1.0 1";
	assert_int_equal(changelog_format_entry(&n, &sb), -1);
	n.version = "1.0-1";
	n.distribution = "unstable; urgency=high";
	assert_int_equal(changelog_format_entry(&n, &sb), -1);
	n.distribution = "unstable";
	n.nbullets = 0;
	assert_int_equal(changelog_format_entry(&n, &sb), -1);
	n.nbullets = 1;
	n.maintainer = "";
	assert_int_equal(changelog_format_entry(&n, &sb), -1);
	assert_int_equal(sb.len, 0);
	sb_release(&sb);
}

static void test_amend(void **state)
{
	static const char *const bullets[] = { "second change (LP: #2)" };
	struct changelog_entry e;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	sb_init(&sb);
	assert_int_equal(changelog_read_top("c", two_entries, &e), 0);
	assert_int_equal(changelog_amend_top(two_entries, &e, bullets, 1, &sb),
			 0);
	/* the new bullet after the last one, everything else unchanged */
	assert_non_null(strstr(sb.buf, "    it wraps\n"
				       "  * second change (LP: #2)\n"
				       "\n -- Jane Doe"));
	assert_int_equal(sb.len, strlen(two_entries) +
			 strlen("  * second change (LP: #2)\n"));
	changelog_entry_release(&e);
	assert_int_equal(changelog_read_top("new", sb.buf, &e), 0);
	assert_string_equal(e.version, "1:5.2+dfsg-11+deb11u3");
	assert_true(changelog_entry_has_bullet(&e, bullets[0]));
	changelog_entry_release(&e);
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_top),
		cmocka_unit_test(test_read_bad),
		cmocka_unit_test(test_maintainer),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_refused),
		cmocka_unit_test(test_amend),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
