/*
 * test_util.c - util.c's pieces that several stages share: the string set
 * (deps' names and paths, the history index's paths and memo keys) and
 * sb_vaddf.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

static void test_strset_keeps_insertion_order(void **state)
{
	struct strset s = { 0 };

	(void)state;
	assert_int_equal(strset_add(&s, "b.c"), 1);
	assert_int_equal(strset_add(&s, "a.c"), 1);
	assert_int_equal(strset_add(&s, "b.c"), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0], "b.c");
	assert_string_equal(s.v[1], "a.c");
	assert_int_equal(strset_has(&s, "a.c", 3), 2);
	assert_int_equal(strset_has(&s, "c.c", 3), 0);
	strset_release(&s, 0);
	assert_int_equal(strset_has(&s, "a.c", 3), 0); /* empty again */
}

/* A lookup takes a length: a prefix of a longer string is not it. */
static void test_strset_by_length(void **state)
{
	struct strset s = { 0 };
	const char *path = "hw/net/virtio-net.c:42";

	(void)state;
	assert_int_equal(strset_index(&s, path, 19), 0);   /* hw/net/virtio-net.c */
	assert_int_equal(strset_index(&s, path, 6), 1);    /* hw/net */
	assert_int_equal(strset_index(&s, "hw/net/virtio-net.c", 19), 0);
	assert_int_equal(strset_has(&s, path, 2), 0);      /* hw */
	assert_int_equal(strset_has(&s, path, 19), 1);
	assert_string_equal(s.v[1], "hw/net");
	strset_release(&s, 0);
}

/* Past its first table: every string found at its index. */
static void test_strset_grows(void **state)
{
	struct strset s = { 0 };
	char buf[32];
	size_t i;
	char **kept;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "name%zu", i);
		assert_int_equal(strset_index(&s, buf, strlen(buf)), i);
	}
	for (i = 0; i < 5000; i += 7) {
		snprintf(buf, sizeof(buf), "name%zu", i);
		assert_int_equal(strset_has(&s, buf, strlen(buf)), i + 1);
	}
	kept = s.v;
	i = s.n;
	strset_release(&s, 1); /* the caller keeps the strings */
	assert_string_equal(kept[4999], "name4999");
	while (i--)
		free(kept[i]);
	free(kept);
}

static void vadd(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

/* sb_vaddf: whatever the length, appended whole. */
static void test_vaddf_whole(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char big[5000];

	(void)state;
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sb_init(&sb);
	vadd(&sb, "%s", "x");
	vadd(&sb, "<%s>%d", big, 7);
	assert_int_equal(sb.len, 1 + 1 + 4999 + 1 + 1);
	assert_int_equal(sb.buf[0], 'x');
	assert_string_equal(sb.buf + sb.len - 2, ">7");
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strset_keeps_insertion_order),
		cmocka_unit_test(test_strset_by_length),
		cmocka_unit_test(test_strset_grows),
		cmocka_unit_test(test_vaddf_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
