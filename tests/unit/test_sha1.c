/*
 * test_sha1.c - worktree_sha1.c, the SHA-1 that tells apply whether a file
 * whose stat data changed still has its committed content: the published
 * test vectors (FIPS 180, NIST's "million a", git's empty blob), fed whole
 * and in pieces of every size around the 64-byte blocks, and coreutils'
 * sha1sum on random data of lengths up to 70 KB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tree/worktree_int.h"

/* hex of SHA-1(data), fed in pieces of piece bytes (0: at once) */
static void sha1_hex(const void *data, size_t len, size_t piece, char out[41])
{
	const unsigned char *p = data;
	unsigned char md[20];
	struct wt_sha1 c;
	int i;

	wt_sha1_init(&c);
	while (len) {
		size_t n = piece && piece < len ? piece : len;

		wt_sha1_update(&c, p, n);
		p += n, len -= n;
	}
	wt_sha1_final(&c, md);
	for (i = 0; i < 20; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void test_vectors(void **state)
{
	static const struct {
		const char *in, *md;
	} v[] = {
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
		{ "blob 0", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391" },
	};
	char hex[41], *a = malloc(1000000);
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		/* git's empty blob: "blob 0" and its NUL */
		len = strlen(v[i].in) + !strncmp(v[i].in, "blob ", 5);
		sha1_hex(v[i].in, len, 0, hex);
		assert_string_equal(hex, v[i].md);
	}
	assert_non_null(a);
	memset(a, 'a', 1000000);
	sha1_hex(a, 1000000, 0, hex);
	assert_string_equal(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	sha1_hex(a, 1000000, 7, hex);
	assert_string_equal(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(a);
}

/* The same digest however the input is cut. */
static void test_pieces_do_not_matter(void **state)
{
	size_t len, piece, i, n = 1100;
	unsigned char *buf = malloc(n);
	uint32_t x = 2463534242u;
	char whole[41], cut[41];

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < n; i++) { /* xorshift: any bytes, NULs included */
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
	for (len = 0; len <= n; len += 7) {
		sha1_hex(buf, len, 0, whole);
		for (piece = 1; piece <= 130; piece += 3) {
			sha1_hex(buf, len, piece, cut);
			assert_string_equal(whole, cut);
		}
	}
	free(buf);
}

/* sha1sum's digest of len bytes at buf */
static void sha1sum_hex(const unsigned char *buf, size_t len, char out[41])
{
	char path[] = "/tmp/bt-sha1-XXXXXX", cmd[64];
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	assert_true(write(fd, buf, len) == (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "sha1sum %s", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(out, 41, f));
	pclose(f);
	unlink(path);
}

static void test_as_sha1sum(void **state)
{
	size_t n = 70000, len, i;
	unsigned char *buf = malloc(n);
	uint32_t x = 88172645u;
	char ours[41], theirs[41];

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
	for (len = 0; len < n; len = len * 3 + 1 + len % 61) {
		sha1_hex(buf, len, 0, ours);
		sha1sum_hex(buf, len, theirs);
		assert_string_equal(ours, theirs);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_pieces_do_not_matter),
		cmocka_unit_test(test_as_sha1sum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
