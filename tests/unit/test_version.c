/*
 * test_version.c - every version rule of DESIGN.md, each result checked to
 * sort where the pocket needs it, and the inputs the rules must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emit/version.h"

struct rule {
	const char *cur;
	enum pocket pocket;
	enum vendor vendor;
	const char *release;
	const char *want;
};

static const struct rule rules[] = {
	/* devel */
	{ "1:2.0-5ubuntu7", POCKET_DEVEL, VENDOR_UBUNTU, NULL, "1:2.0-5ubuntu8" },
	{ "2.0-2", POCKET_DEVEL, VENDOR_UBUNTU, NULL, "2.0-2ubuntu1" },
	{ "2.0-2build1", POCKET_DEVEL, VENDOR_UBUNTU, NULL, "2.0-2ubuntu1" },
	{ "2.0-5ubuntu7.2", POCKET_DEVEL, VENDOR_UBUNTU, NULL, "2.0-5ubuntu8" },
	{ "2.0-5ubuntu9", POCKET_DEVEL, VENDOR_UBUNTU, NULL, "2.0-5ubuntu10" },
	{ "2.0-2", POCKET_DEVEL, VENDOR_DEBIAN, NULL, "2.0-3" },
	{ "1:2.0-9", POCKET_DEVEL, VENDOR_DEBIAN, NULL, "1:2.0-10" },
	/* sru */
	{ "1:4.2-3ubuntu6.4", POCKET_SRU, VENDOR_UBUNTU, NULL, "1:4.2-3ubuntu6.5" },
	{ "4.2-3ubuntu6.9", POCKET_SRU, VENDOR_UBUNTU, NULL, "4.2-3ubuntu6.10" },
	{ "4.2-5ubuntu8", POCKET_SRU, VENDOR_UBUNTU, NULL, "4.2-5ubuntu8.1" },
	{ "2.0-2", POCKET_SRU, VENDOR_UBUNTU, NULL, "2.0-2ubuntu0.1" },
	{ "2.0-2build3", POCKET_SRU, VENDOR_UBUNTU, NULL, "2.0-2ubuntu0.1" },
	{ "2.0-2ubuntu0.1", POCKET_SRU, VENDOR_UBUNTU, NULL, "2.0-2ubuntu0.2" },
	{ "2.0-2", POCKET_SRU, VENDOR_UBUNTU, "20.04", "2.0-2ubuntu0.20.04.1" },
	{ "2.0-2ubuntu1", POCKET_SRU, VENDOR_UBUNTU, "20.04", "2.0-2ubuntu1.20.04.1" },
	{ "2.0-2ubuntu0.20.04.1", POCKET_SRU, VENDOR_UBUNTU, "20.04",
	  "2.0-2ubuntu0.20.04.2" },
	{ "1:5.2+dfsg-11+deb11u3", POCKET_SRU, VENDOR_UBUNTU, NULL,
	  "1:5.2+dfsg-11+deb11u3ubuntu0.1" },
	/* ppa: the real upload + ~ppa1 */
	{ "1:4.2-3ubuntu6.4", POCKET_PPA, VENDOR_UBUNTU, NULL,
	  "1:4.2-3ubuntu6.5~ppa1" },
	{ "2.0-2", POCKET_PPA, VENDOR_UBUNTU, NULL, "2.0-2ubuntu0.1~ppa1" },
	{ "2.0-2ubuntu0.1~ppa1", POCKET_PPA, VENDOR_UBUNTU, NULL,
	  "2.0-2ubuntu0.1~ppa2" },
	/* backports */
	{ "2.0-2ubuntu1", POCKET_BACKPORTS, VENDOR_UBUNTU, "20.04",
	  "2.0-2ubuntu1~bpo20.04.1" },
	{ "2.0-2ubuntu1~bpo20.04.1", POCKET_BACKPORTS, VENDOR_UBUNTU, "20.04",
	  "2.0-2ubuntu1~bpo20.04.2" },
	{ "1:7.2+dfsg-7", POCKET_BACKPORTS, VENDOR_DEBIAN, "11",
	  "1:7.2+dfsg-7~bpo11+1" },
	{ "1:7.2+dfsg-7~bpo11+1", POCKET_BACKPORTS, VENDOR_DEBIAN, "11",
	  "1:7.2+dfsg-7~bpo11+2" },
	/* Debian stable */
	{ "1:5.2+dfsg-11+deb11u3", POCKET_STABLE, VENDOR_DEBIAN, NULL,
	  "1:5.2+dfsg-11+deb11u4" },
	{ "2.0-2+deb11u9", POCKET_STABLE, VENDOR_DEBIAN, "11", "2.0-2+deb11u10" },
	{ "2.0-2", POCKET_STABLE, VENDOR_DEBIAN, "11", "2.0-2+deb11u1" },
	/* Ubuntu's word for a stable update is sru, Debian's is stable */
	{ "2.0-2", POCKET_STABLE, VENDOR_UBUNTU, NULL, "2.0-2ubuntu0.1" },
	{ "2.0-2+deb11u1", POCKET_SRU, VENDOR_DEBIAN, NULL, "2.0-2+deb11u2" },
	/* security: Debian numbers as stable, Ubuntu as an SRU */
	{ "2.2.10-2+deb11u5", POCKET_SECURITY, VENDOR_DEBIAN, NULL,
	  "2.2.10-2+deb11u6" },
	{ "2.2.10-2", POCKET_SECURITY, VENDOR_DEBIAN, "11", "2.2.10-2+deb11u1" },
	{ "1:2.9.10+dfsg-6.7+deb11u10", POCKET_SECURITY, VENDOR_DEBIAN, "11",
	  "1:2.9.10+dfsg-6.7+deb11u11" },
	{ "2.2.9-1ubuntu0.4", POCKET_SECURITY, VENDOR_UBUNTU, NULL,
	  "2.2.9-1ubuntu0.5" },
	{ "2.2.9-1build1", POCKET_SECURITY, VENDOR_UBUNTU, NULL,
	  "2.2.9-1ubuntu0.1" },
	{ "2.2.9-1", POCKET_SECURITY, VENDOR_UBUNTU, "20.04",
	  "2.2.9-1ubuntu0.20.04.1" },
};

static void test_rules(void **state)
{
	struct strbuf out = STRBUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct rule *r = &rules[i];
		struct version_req req = { r->pocket, r->vendor, r->release,
					   POCKET_SRU };
		int cmp;

		assert_int_equal(version_next(r->cur, &req, &out), 0);
		assert_string_equal(out.buf, r->want);
		assert_int_equal(version_compare(out.buf, r->cur, &cmp), 0);
		if (r->pocket == POCKET_BACKPORTS && !strstr(r->cur, "~bpo"))
			assert_true(cmp < 0);
		else
			assert_true(cmp > 0);
	}
	sb_release(&out);
}

/* A PPA build sorts above the current version and below the real upload. */
static void test_ppa_between(void **state)
{
	static const char *const curs[] = { "2.0-2", "1:4.2-5ubuntu8",
					    "4.2-3ubuntu6.4", "2.0-2build1" };
	struct strbuf ppa = STRBUF_INIT, real = STRBUF_INIT;
	size_t i;
	int cmp;

	(void)state;
	for (i = 0; i < sizeof(curs) / sizeof(curs[0]); i++) {
		struct version_req rp = { POCKET_PPA, VENDOR_UBUNTU, NULL,
					  POCKET_SRU };
		struct version_req rs = { POCKET_SRU, VENDOR_UBUNTU, NULL,
					  POCKET_SRU };

		assert_int_equal(version_next(curs[i], &rp, &ppa), 0);
		assert_int_equal(version_next(curs[i], &rs, &real), 0);
		assert_int_equal(version_compare(ppa.buf, curs[i], &cmp), 0);
		assert_true(cmp > 0);
		assert_int_equal(version_compare(ppa.buf, real.buf, &cmp), 0);
		assert_true(cmp < 0);
	}
	sb_release(&ppa);
	sb_release(&real);
}

static void test_ppa_of_devel(void **state)
{
	struct version_req req = { POCKET_PPA, VENDOR_UBUNTU, NULL,
				   POCKET_DEVEL };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(version_next("2.0-5ubuntu7", &req, &out), 0);
	assert_string_equal(out.buf, "2.0-5ubuntu8~ppa1");
	req.ppa_base = POCKET_PPA;
	assert_int_equal(version_next("2.0-5ubuntu7", &req, &out), -1);
	sb_release(&out);
}

static void test_refused(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct version_req stable = { POCKET_STABLE, VENDOR_DEBIAN, NULL,
				      POCKET_SRU };
	struct version_req bpo = { POCKET_BACKPORTS, VENDOR_UBUNTU, NULL,
				   POCKET_SRU };
	struct version_req devel = { POCKET_DEVEL, VENDOR_DEBIAN, NULL,
				     POCKET_SRU };
	struct version_req sru = { POCKET_SRU, VENDOR_UBUNTU, "20.04; rm",
				   POCKET_SRU };

	(void)state;
	/* not a version */
	assert_int_equal(version_next("", &devel, &out), -1);
	assert_int_equal(version_next("1:2.0-2 x", &devel, &out), -1);
	assert_int_equal(version_next("a:2.0", &devel, &out), -1);
	/* a first stable update without a release number */
	assert_int_equal(version_next("2.0-2", &stable, &out), -1);
	/* the same for a first Debian security update */
	stable.pocket = POCKET_SECURITY;
	assert_int_equal(version_next("2.0-2", &stable, &out), -1);
	/* a backport without a release number */
	assert_int_equal(version_next("2.0-2", &bpo, &out), -1);
	/* a native package has no revision to bump */
	assert_int_equal(version_next("2.0", &devel, &out), -1);
	/* a release number that is not one */
	assert_int_equal(version_next("2.0-2", &sru, &out), -1);
	sb_release(&out);
}

static void test_compare(void **state)
{
	int cmp;

	(void)state;
	assert_int_equal(version_compare("1:1.0", "2.0", &cmp), 0);
	assert_true(cmp > 0);
	assert_int_equal(version_compare("1.0~rc1", "1.0", &cmp), 0);
	assert_true(cmp < 0);
	assert_int_equal(version_compare("1.0-1", "1.0-1", &cmp), 0);
	assert_int_equal(cmp, 0);
	assert_int_equal(version_compare("1.0 1", "1.0", &cmp), -1);
	assert_true(version_valid("1:5.2+dfsg-11+deb11u3", NULL));
	assert_false(version_valid("-1", NULL));
}

static void test_words(void **state)
{
	enum pocket p;
	enum vendor v;

	(void)state;
	assert_int_equal(pocket_parse("backports", &p), 0);
	assert_int_equal(p, POCKET_BACKPORTS);
	assert_string_equal(pocket_name(p), "backports");
	assert_int_equal(pocket_parse("proposed", &p), -1);
	assert_int_equal(vendor_parse("ubuntu", &v), 0);
	assert_int_equal(v, VENDOR_UBUNTU);
	assert_int_equal(vendor_parse("fedora", &v), -1);
	assert_int_equal(vendor_default(POCKET_STABLE, NULL), VENDOR_DEBIAN);
	assert_int_equal(vendor_default(POCKET_BACKPORTS, "11"), VENDOR_DEBIAN);
	assert_int_equal(vendor_default(POCKET_BACKPORTS, "20.04"),
			 VENDOR_UBUNTU);
	assert_int_equal(vendor_default(POCKET_SRU, NULL), VENDOR_UBUNTU);
	assert_int_equal(pocket_parse("security", &p), 0);
	assert_int_equal(p, POCKET_SECURITY);
	assert_string_equal(pocket_name(p), "security");
	assert_int_equal(vendor_default(POCKET_SECURITY, NULL), VENDOR_DEBIAN);
	assert_int_equal(vendor_default(POCKET_SECURITY, "11"), VENDOR_DEBIAN);
	assert_int_equal(vendor_default(POCKET_SECURITY, "20.04"),
			 VENDOR_UBUNTU);
	assert_string_equal(debian_release_number("bullseye-security"), "11");
	assert_string_equal(debian_release_number("bookworm"), "12");
	assert_null(debian_release_number("focal"));
	assert_null(debian_release_number("bull"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_ppa_between),
		cmocka_unit_test(test_ppa_of_devel),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
