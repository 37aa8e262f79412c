/*
 * test_dep3.c - completing patch headers with DEP-3 fields: mail headers,
 * DEP-3 headers, free text and no header at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emit/dep3.h"

/* A patch with just the header and meta dep3 reads. */
static struct patch make_patch(const char *header, const char *from,
			       const char *subject, const char *body)
{
	struct patch p;

	memset(&p, 0, sizeof(p));
	p.name = (char *)"test.patch";
	p.header = (char *)header;
	p.header_len = header ? strlen(header) : 0;
	p.meta.from = (char *)from;
	p.meta.subject = (char *)subject;
	p.meta.body = (char *)body;
	return p;
}

static const char mail[] =
	"From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
	"From: Eric Farman <farman@linux.ibm.com>\n"
	"Date: Thu, 18 Jun 2020 01:12:00 +0200\n"
	"Subject: [PATCH 1/7] vfio-ccw: Refactor the unrealize\n"
	"\n"
	"Move the unrealize code into a function.\n"
	"\n"
	"Signed-off-by: Eric Farman <farman@linux.ibm.com>\n"
	"---\n"
	" hw/vfio/ccw.c | 10 +++++-----\n"
	" 1 file changed, 5 insertions(+), 5 deletions(-)\n"
	"\n";

static void test_mail_header(void **state)
{
	struct patch p = make_patch(mail, "Eric Farman <farman@linux.ibm.com>",
				    "vfio-ccw: Refactor the unrealize",
				    "Move the unrealize code into a function.\n");
	struct dep3_info in = {
		"https://gitlab.com/qemu-project/qemu/-/commit/0123", 0,
		"1887930", NULL, NULL, "2020-07-01", NULL, NULL
	};
	struct strbuf out = STRBUF_INIT;
	const char *fields =
		"Origin: upstream, https://gitlab.com/qemu-project/qemu/-/commit/0123\n"
		"Bug-Ubuntu: https://bugs.launchpad.net/bugs/1887930\n"
		"Last-Update: 2020-07-01\n";
	size_t head = strstr(mail, "\n\nMove") + 1 - mail;

	(void)state;
	sb_init(&out);
	assert_int_equal(dep3_complete(&p, &in, &out), 0);
	/* the mail header verbatim, the new fields at its end, then the rest */
	assert_memory_equal(out.buf, mail, head);
	assert_memory_equal(out.buf + head, fields, strlen(fields));
	assert_string_equal(out.buf + head + strlen(fields), mail + head);
	/* Subject and From count as Description and Author */
	assert_null(strstr(out.buf, "Description:"));
	assert_null(strstr(out.buf, "Author:"));
	sb_release(&out);
}

static void test_backport_origin(void **state)
{
	struct patch p = make_patch(mail, NULL, "x", NULL);
	struct dep3_info in = { "https://example.org/c/1", 1, NULL, "1024",
				"5.1.0", NULL, NULL, NULL };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	sb_init(&out);
	assert_int_equal(dep3_complete(&p, &in, &out), 0);
	assert_non_null(strstr(out.buf, "\nOrigin: backport, https://example.org/c/1\n"
				"Bug-Debian: https://bugs.debian.org/1024\n"
				"Applied-Upstream: 5.1.0, https://example.org/c/1\n\n"));
	assert_null(strstr(out.buf, "Last-Update"));
	assert_null(strstr(out.buf, "Bug-Ubuntu"));
	sb_release(&out);
}

/* Existing fields are kept as written and never added twice. */
static void test_existing_fields(void **state)
{
	static const char hdr[] =
		"Description: fix the frobnicator\n"
		" It was broken.\n"
		"Author: Jane <jane@example.org>\n"
		"origin: vendor, https://example.org/x\n"
		"Bug-Ubuntu: https://launchpad.net/bugs/1\n"
		"Last-Update: 2019-01-01\n"
		"---\n";
	struct patch p = make_patch(hdr, "Someone Else <x@y>", "other", NULL);
	struct dep3_info in = { "https://example.org/c/1", 0, "2", NULL, NULL,
				"2024-01-01", NULL, NULL };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	sb_init(&out);
	assert_int_equal(dep3_complete(&p, &in, &out), 0);
	assert_string_equal(out.buf, hdr);
	sb_release(&out);
}

static void test_dep3_paragraph_gets_fields(void **state)
{
	static const char hdr[] =
		"Description: fix the frobnicator\n"
		" It was broken.\n"
		"\n"
		"Free text after.\n";
	struct patch p = make_patch(hdr, "Jane <jane@example.org>", NULL, NULL);
	struct dep3_info in = { NULL, 0, NULL, "77", NULL, "2024-01-01", NULL,
				NULL };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	sb_init(&out);
	assert_int_equal(dep3_complete(&p, &in, &out), 0);
	assert_string_equal(out.buf,
		"Description: fix the frobnicator\n"
		" It was broken.\n"
		"Author: Jane <jane@example.org>\n"
		"Bug-Debian: https://bugs.debian.org/77\n"
		"Last-Update: 2024-01-01\n"
		"\n"
		"Free text after.\n");
	/* no commit URL known: no Origin at all, rather than a made-up one */
	assert_null(strstr(out.buf, "Origin"));
	sb_release(&out);
}

static void test_free_text_and_empty(void **state)
{
	struct patch p = make_patch("This fixes a crash.\n", NULL,
				    "Fix a crash",
				    "\nWhen the frob is NULL.\n\nReally.\n\n");
	struct dep3_info in = { NULL, 0, NULL, NULL, NULL, "2024-01-01", NULL,
				NULL };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	sb_init(&out);
	assert_int_equal(dep3_complete(&p, &in, &out), 0);
	assert_string_equal(out.buf,
		"Description: Fix a crash\n"
		" When the frob is NULL.\n"
		" .\n"
		" Really.\n"
		"Last-Update: 2024-01-01\n"
		"\n"
		"This fixes a crash.\n");

	/* no header: the manifest's description, and a quilt separator */
	p = make_patch(NULL, NULL, NULL, NULL);
	in.description = "Enable Channel Path Handling";
	sb_reset(&out);
	assert_int_equal(dep3_complete(&p, &in, &out), 0);
	assert_string_equal(out.buf,
		"Description: Enable Channel Path Handling\n"
		"Last-Update: 2024-01-01\n"
		"---\n");

	/* nothing to describe it with: refused, not templated */
	in.description = NULL;
	sb_reset(&out);
	assert_int_equal(dep3_complete(&p, &in, &out), -1);
	sb_release(&out);
}

static void test_helpers(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	sb_init(&sb);
	dep3_commit_url("https://gitlab.com/qemu-project/qemu/-/commit/",
			"abc123", &sb);
	assert_string_equal(sb.buf,
			    "https://gitlab.com/qemu-project/qemu/-/commit/abc123");
	sb_reset(&sb);
	dep3_commit_url(NULL, "abc123", &sb);
	dep3_commit_url("https://x/", NULL, &sb);
	assert_int_equal(sb.len, 0);
	dep3_format_date(1700000000, &sb);
	assert_string_equal(sb.buf, "2023-11-14");
	assert_true(dep3_has_field("subject: x\n", 11, "Description"));
	assert_true(dep3_has_field("a\nFROM: x\n", 10, "Author"));
	assert_false(dep3_has_field("Origins: x\n", 11, "Origin"));
	assert_false(dep3_has_field(" Origin: x\n", 11, "Origin"));
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mail_header),
		cmocka_unit_test(test_backport_origin),
		cmocka_unit_test(test_existing_fields),
		cmocka_unit_test(test_dep3_paragraph_gets_fields),
		cmocka_unit_test(test_free_text_and_empty),
		cmocka_unit_test(test_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
