/*
 * test_distance.c - the version order distance --tags uses: release
 * candidates before their release, numbers compared as numbers, and tags
 * of another shape refused rather than guessed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analyse/distance.h"

static void test_order(void **state)
{
	(void)state;
	/* each one sorts before the next */
	static const char *const seq[] = {
		"v2.11.0-rc0", "v2.11.0-rc4", "v2.11.0", "v2.12.0-rc1",
		"v3.1.0", "v4.2.0-rc5", "v4.2.0", "v4.2.1", "v5.0.0-rc0",
		"v5.0.0-rc1", "v5.0.0-rc10", "v5.0.0", "v10.0.0"
	};
	size_t i, j;

	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		for (j = 0; j < sizeof(seq) / sizeof(seq[0]); j++)
			assert_int_equal(distance_tag_cmp(seq[i], seq[j]),
					 i < j ? -1 : i > j ? 1 : 0);
}

static void test_shapes(void **state)
{
	(void)state;
	assert_int_equal(distance_tag_cmp("v5.0", "v5.0.0"), 0);
	assert_int_equal(distance_tag_cmp("1.2", "1.10"), -1);
	assert_int_equal(distance_tag_cmp("qemu-4.2", "qemu-5.0"), -1);
	/* not versions of one kind: never ordered by a guess */
	assert_int_equal(distance_tag_cmp("v5.0.0", "5.0.0"), -2);
	assert_int_equal(distance_tag_cmp("v5.0.0", "v5.0.0-beta1"), -2);
	assert_int_equal(distance_tag_cmp("v5.0.0", "v5.0.0-rc"), -2);
	assert_int_equal(distance_tag_cmp("v5.0.0", "v5..0"), -2);
	assert_int_equal(distance_tag_cmp("v5.0.0", "latest"), -2);
	assert_int_equal(distance_tag_cmp("v5.0.0", "v5.0.0."), -2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
