/*
 * test_profile.c - release profiles and manifests: the shipped ones load,
 * and every kind of mistake is refused with the file and line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "capture.h"

#include "input/deb822.h"
#include "input/profile.h"

/* Write text to a temporary file; returns its malloc'ed path. */
static char *write_temp(const char *text)
{
	char *path = strdup("/tmp/bt-profile-XXXXXX");
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs(text, f);
	fclose(f);
	return path;
}

/* Run fn on text with stderr captured; returns the message printed. */
static const char *capture_error(int (*fn)(void *, const char *), void *obj,
				 const char *text, char **path_out)
{
	static struct capture c;
	char *path = write_temp(text);
	int ret;

	capture_begin(&c);
	ret = fn(obj, path);
	capture_end(&c);
	assert_int_equal(ret, -1);
	*path_out = path;
	return c.text;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static int read_profile(void *p, const char *path) { return profile_read(p, path); }
static int read_manifest(void *m, const char *path) { return manifest_read(m, path); }

static void the_shipped_focal_profile_loads(void **state)
{
	struct profile p;
	struct manifest *m;
	size_t n;

	assert_int_equal(profile_read(&p, "series/focal"), 0);
	assert_string_equal(p.release, "focal");
	assert_int_equal(p.vendor, VENDOR_UBUNTU);
	assert_int_equal(p.pocket, POCKET_SRU);
	assert_string_equal(p.base, "v4.2.0");
	assert_string_equal(p.release_number, "20.04");
	assert_string_equal(p.changelog_dist, "focal");
	assert_int_equal(p.ncarry, 1);
	assert_int_equal(profile_load_manifests(&p, NULL, &m, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].name, "lp1887930-vfio-ccw-chp");
	assert_string_equal(m[0].bug_ubuntu, "1887930");
	assert_int_equal(m[0].ncommits, 6);
	assert_true(m[0].trim_headers);
	assert_string_equal(m[0].commits[5], "f030532f2ad6eeb200034915e9c6357cce81b538");
	assert_string_equal(m[0].description, "Enable Channel Path Handling for vfio-ccw\n"
			    "Lets a guest see channel path events (CRW) and read the current\n"
			    "subchannel information block (SCHIB) of a vfio-ccw device, so that\n"
			    "path changes on the host are reflected in the guest.");
	manifest_release(&m[0]);
	free(m);
	profile_release(&p);
}

static void every_shipped_profile_loads(void **state)
{
	const char *names[] = { "series/focal", "series/groovy", "series/bullseye",
				"series/bookworm" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct profile p;
		assert_int_equal(profile_read(&p, names[i]), 0);
		profile_release(&p);
	}
}

#define BASE "Release: focal\nDistribution: ubuntu\nPackage: qemu\n" \
	     "Version: 1:4.2-3ubuntu6.4\nBase: v4.2.0\n"

static void expect_profile_error(const char *text, const char *msg)
{
	struct profile p;
	char *path;
	const char *err = capture_error(read_profile, &p, text, &path);
	char want[512];

	snprintf(want, sizeof(want), "backport-tool: %s:%s", path, msg);
	if (!strstr(err, want))
		fail_msg("wanted \"%s\" in \"%s\"", want, err);
	assert_int_equal(count_lines(err), 1);
	unlink(path);
	free(path);
}

static void an_unknown_field_is_named_with_its_line(void **state)
{
	expect_profile_error(BASE "Pocket: sru\nPoket: sru\n", "7: unknown field 'Poket'");
}

static void a_missing_field_is_named(void **state)
{
	expect_profile_error("Release: focal\nDistribution: ubuntu\nPackage: qemu\n"
			     "Version: 1:4.2-3\nBase: v4.2.0\n",
			     "1: missing required field 'Pocket'");
}

static void bad_values_are_refused_at_their_line(void **state)
{
	expect_profile_error(BASE "Pocket: proposed\n", "6: Pocket: 'proposed'");
	expect_profile_error("Release: focal\nDistribution: redhat\nPackage: qemu\n"
			     "Version: 1:4.2-3\nBase: v4.2.0\nPocket: sru\n",
			     "2: Distribution: 'redhat'");
	expect_profile_error("Release: focal\nDistribution: ubuntu\nPackage: qemu\n"
			     "Version: 1:4.2 3\nBase: v4.2.0\nPocket: sru\n",
			     "4: Version: '1:4.2 3'");
	expect_profile_error(BASE "Pocket: sru\nRelease-Number: twenty\n",
			     "7: Release-Number: 'twenty'");
}

/* A security profile: the pocket, and where new series entries go. */
static void a_security_profile_with_insert_before(void **state)
{
	struct profile p;
	char *path = write_temp("Release: bullseye\nDistribution: debian\n"
				"Package: expat\nVersion: 2.2.10-2+deb11u5\n"
				"Source: 2.2.10-2+deb11u5\nPocket: security\n"
				"Insert-Before: 90_gnutls.patch\n");

	assert_int_equal(profile_read(&p, path), 0);
	assert_int_equal(p.pocket, POCKET_SECURITY);
	assert_string_equal(p.insert_before, "90_gnutls.patch");
	assert_string_equal(p.changelog_dist, "bullseye-security");
	profile_release(&p);
	unlink(path);
	free(path);
	expect_profile_error(BASE "Pocket: security\nInsert-Before: a b\n",
			     "7: Insert-Before: 'a b'");
}

static void a_field_given_twice_is_refused(void **state)
{
	expect_profile_error(BASE "Pocket: sru\nBase: v5.0.0\n", "7: field 'Base' given twice");
}

static void a_continuation_without_field_is_refused(void **state)
{
	expect_profile_error(" stray\n" BASE, "1: continuation line without a field");
}

static void expect_manifest_error(const char *text, const char *msg)
{
	struct manifest m;
	char *path;
	const char *err = capture_error(read_manifest, &m, text, &path);
	char want[512];

	snprintf(want, sizeof(want), "backport-tool: %s:%s", path, msg);
	if (!strstr(err, want))
		fail_msg("wanted \"%s\" in \"%s\"", want, err);
	unlink(path);
	free(path);
}

static void manifest_mistakes_are_refused(void **state)
{
	expect_manifest_error("Description: x\nCommits: f76b348ec7 nothex\n",
			      "2: Commits: 'nothex' is not a commit id");
	expect_manifest_error("Description: x\nCommits: f76b348ec7\nHeaders: slim\n",
			      "3: Headers: 'slim': expected trim or full");
	expect_manifest_error("Description: x\nCommits: f76b348ec7\nBug-Ubuntu: LP1887930\n",
			      "3: Bug-Ubuntu: 'LP1887930'");
	expect_manifest_error("Description: x\n", "1: missing required field 'Commits'");
}

static void deb822_keeps_paragraphs_and_lines(void **state)
{
	const char text[] = "# comment\nA: 1\nB: two\n  lines\n .\n  end\n\nC: 3\n";
	struct deb822 d;

	assert_int_equal(deb822_parse(&d, "x", text, sizeof(text) - 1), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(deb822_get(&d.paras[0], "b")->value, "two\nlines\n\nend");
	assert_int_equal(deb822_get(&d.paras[0], "B")->line, 3);
	assert_int_equal(d.paras[1].line, 8);
	assert_null(deb822_get(&d.paras[1], "A"));
	deb822_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_shipped_focal_profile_loads),
		cmocka_unit_test(every_shipped_profile_loads),
		cmocka_unit_test(an_unknown_field_is_named_with_its_line),
		cmocka_unit_test(a_missing_field_is_named),
		cmocka_unit_test(bad_values_are_refused_at_their_line),
		cmocka_unit_test(a_security_profile_with_insert_before),
		cmocka_unit_test(a_field_given_twice_is_refused),
		cmocka_unit_test(a_continuation_without_field_is_refused),
		cmocka_unit_test(manifest_mistakes_are_refused),
		cmocka_unit_test(deb822_keeps_paragraphs_and_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
