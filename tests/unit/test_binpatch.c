/*
 * test_binpatch.c - binary patch data: base85 lines inflated to the stated
 * size, git deltas applied with every bound checked, blob ids.  The data
 * is made here (a base85 encoder and zlib's compress()), so the tests say
 * exactly which byte is wrong; t1300 checks the same against git itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "capture.h"

#include "place/binpatch.h"
#include "util.h"

static const char b85[] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	"abcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

/* git's data lines for bytes: up to 52 bytes a line. */
static void encode_lines(const unsigned char *p, size_t n, struct strbuf *out)
{
	while (n) {
		size_t k = n < 52 ? n : 52, i;

		sb_addch(out, k <= 26 ? (int)('A' + k - 1) : (int)('a' + k - 27));
		for (i = 0; i < k; i += 4) {
			uint32_t acc = 0;
			char g[5];
			int j;

			for (j = 0; j < 4; j++)
				acc = acc << 8 | (i + (size_t)j < k ? p[i + (size_t)j] : 0);
			for (j = 4; j >= 0; j--) {
				g[j] = b85[acc % 85];
				acc /= 85;
			}
			sb_add(out, g, 5);
		}
		sb_addch(out, '\n');
		p += k;
		n -= k;
	}
}

/* A literal block of content, as a binary_hunk over text's buffer. */
static void make_literal(const char *content, size_t len, struct strbuf *text,
			 struct binary_hunk *bh)
{
	uLongf zlen = compressBound(len);
	unsigned char *z = malloc(zlen);

	assert_int_equal(compress(z, &zlen, (const unsigned char *)content, len),
			 Z_OK);
	sb_init(text);
	encode_lines(z, zlen, text);
	free(z);
	memset(bh, 0, sizeof(*bh));
	bh->size = len;
	bh->data = text->buf;
	bh->len = text->len;
	bh->lineno = 10;
}

static void test_literal_round_trip(void **state)
{
	struct strbuf text, out = STRBUF_INIT;
	struct binary_hunk bh;
	char content[300];
	size_t i;

	for (i = 0; i < sizeof(content); i++)
		content[i] = (char)(i * 7 + 3); /* NULs and high bytes too */
	make_literal(content, sizeof(content), &text, &bh);
	assert_int_equal(binpatch_inflate(&bh, "t.patch", &out), 0);
	assert_int_equal(out.len, sizeof(content));
	assert_memory_equal(out.buf, content, sizeof(content));
	sb_release(&text);
	sb_release(&out);
}

static void expect_inflate_error(struct binary_hunk *bh, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	struct capture c;
	const char *err;

	capture_begin(&c);
	assert_int_equal(binpatch_inflate(bh, "t.patch", &out), -1);
	err = capture_end(&c);
	if (!strstr(err, want))
		fail_msg("wanted \"%s\" in \"%s\"", want, err);
	sb_release(&out);
}

static void test_literal_errors(void **state)
{
	struct strbuf text;
	struct binary_hunk bh;
	const char content[] = "some bytes\0 and more";

	make_literal(content, sizeof(content), &text, &bh);
	bh.size = sizeof(content) - 1; /* one byte less than the data holds */
	expect_inflate_error(&bh, "t.patch:10: corrupt binary patch (its data "
			     "does not inflate to");
	bh.size = sizeof(content) + 1;
	expect_inflate_error(&bh, "does not inflate");
	bh.size = 500000000; /* cannot come from a few bytes */
	expect_inflate_error(&bh, "cannot come from");
	bh.size = sizeof(content);
	text.buf[0] = 'z'; /* the count says 52 bytes; the line holds fewer */
	expect_inflate_error(&bh, "t.patch:11: corrupt binary patch (bad base85");
	text.buf[0] = 'A' + 0;
	expect_inflate_error(&bh, "bad base85");
	sb_release(&text);
}

static void test_base85_alphabet_and_overflow(void **state)
{
	struct binary_hunk bh;
	char bad[] = "A\"0000\n"; /* '"' is not base85 */
	char big[] = "D~~~~~\n";  /* 85^5 - 1 does not fit 32 bits */

	memset(&bh, 0, sizeof(bh));
	bh.size = 1;
	bh.data = bad;
	bh.len = strlen(bad);
	expect_inflate_error(&bh, "bad base85");
	bh.data = big;
	bh.len = strlen(big);
	expect_inflate_error(&bh, "bad base85");
}

static int delta(const char *src, size_t src_len, const unsigned char *d,
		 size_t dlen, struct strbuf *out, const char **err)
{
	static struct capture c;
	int ret;

	capture_begin(&c);
	ret = binpatch_apply_delta(src, src_len, (const char *)d, dlen,
				   "t.patch", 7, out);
	*err = capture_end(&c);
	return ret;
}

static void test_delta_copy_and_insert(void **state)
{
	/* src 10 bytes, result 8: copy 4 from offset 2, insert "xy", copy 2 */
	const unsigned char d[] = { 10, 8, 0x91, 2, 4, 2, 'x', 'y', 0x91, 8, 2 };
	struct strbuf out = STRBUF_INIT;
	const char *err;

	assert_int_equal(delta("0123456789", 10, d, sizeof(d), &out, &err), 0);
	assert_int_equal(out.len, 8);
	assert_memory_equal(out.buf, "2345xy89", 8);
	sb_release(&out);
}

static void test_delta_multibyte_sizes_and_default_copy(void **state)
{
	/* src 0x10000 bytes (varint 80 80 04), copy with no size bits:
	   0x10000 bytes from offset 0 */
	const unsigned char d[] = { 0x80, 0x80, 0x04, 0x80, 0x80, 0x04, 0x80 };
	char *src = calloc(1, 0x10000);
	struct strbuf out = STRBUF_INIT;
	const char *err;

	src[0xffff] = 'z';
	assert_int_equal(delta(src, 0x10000, d, sizeof(d), &out, &err), 0);
	assert_int_equal(out.len, 0x10000);
	assert_int_equal(out.buf[0xffff], 'z');
	sb_release(&out);
	free(src);
}

static void test_delta_errors(void **state)
{
	static const struct {
		unsigned char d[12];
		size_t len;
		const char *want;
	} cases[] = {
		{ { 9, 4, 0x91, 0, 4 }, 5, "for a 9-byte file, not 10 bytes" },
		{ { 10, 4, 0x91, 8, 4 }, 5, "copy out of bounds" },   /* 8 + 4 > 10 */
		{ { 10, 2, 0x91, 0, 4 }, 5, "copy out of bounds" },   /* result is 2 */
		{ { 10, 4, 0x9f, 0, 0 }, 4, "copy out of bounds" },   /* args cut off */
		{ { 10, 4, 5, 'a', 'b' }, 5, "insert out of bounds" }, /* data cut off */
		{ { 10, 1, 2, 'a', 'b' }, 5, "insert out of bounds" }, /* result is 1 */
		{ { 10, 4, 0 }, 3, "reserved instruction 0" },
		{ { 10, 4, 2, 'a', 'b' }, 5, "2 bytes instead of 4" },
		{ { 10 }, 1, "(header)" },
		{ { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80 }, 10,
		  "(header)" },
	};
	struct strbuf out = STRBUF_INIT;
	const char *err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(delta("0123456789", 10, cases[i].d,
				       cases[i].len, &out, &err), -1);
		if (!strstr(err, cases[i].want) || !strstr(err, "t.patch:7: "))
			fail_msg("case %zu: wanted \"%s\" in \"%s\"", i,
				 cases[i].want, err);
	}
	sb_release(&out);
}

static void test_blob_ids(void **state)
{
	/* git hash-object of "hello\n" and of an empty file */
	assert_true(binpatch_is_blob("hello\n", 6, "ce013625030ba8dba906f756967f9e9ca394464a"));
	assert_true(binpatch_is_blob("hello\n", 6, "ce01362"));
	assert_false(binpatch_is_blob("hello!", 6, "ce01362"));
	assert_true(binpatch_is_blob(NULL, 0, "e69de29"));
	assert_false(binpatch_is_blob("hello\n", 6, ""));
}

/* The pre-image rule: another file is not patched, whatever the data. */
static void test_apply_needs_the_pre_image(void **state)
{
	struct strbuf text, out = STRBUF_INIT;
	struct file_diff fd;

	memset(&fd, 0, sizeof(fd));
	make_literal("new\n", 4, &text, &fd.binary[0]);
	fd.nbinary = 1;
	strcpy(fd.old_id, "ce01362"); /* "hello\n" */
	strcpy(fd.new_id, "3e75765");
	assert_int_equal(binpatch_apply(&fd, "t.patch", "hello\n", 6, &out), 0);
	assert_int_equal(out.len, 4);
	assert_int_equal(binpatch_apply(&fd, "t.patch", "other\n", 6, &out), 1);
	strcpy(fd.old_id, "0000000"); /* a creation: no pre-image to check */
	assert_int_equal(binpatch_apply(&fd, "t.patch", NULL, 0, &out), 0);
	sb_release(&text);
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_round_trip),
		cmocka_unit_test(test_literal_errors),
		cmocka_unit_test(test_base85_alphabet_and_overflow),
		cmocka_unit_test(test_delta_copy_and_insert),
		cmocka_unit_test(test_delta_multibyte_sizes_and_default_copy),
		cmocka_unit_test(test_delta_errors),
		cmocka_unit_test(test_blob_ids),
		cmocka_unit_test(test_apply_needs_the_pre_image),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
