#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"

static void test_parse_long(void **state)
{
	long v;

	assert_int_equal(vs_parse_long("42\n", 10, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(vs_parse_long("0x1521", 0, &v), 0);
	assert_int_equal(v, 0x1521);
	assert_int_equal(vs_parse_long("7abc", 10, &v), -EINVAL);
	assert_int_equal(vs_parse_long("", 10, &v), -EINVAL);
	assert_int_equal(vs_parse_long("  ", 10, &v), -EINVAL);
	assert_int_equal(vs_parse_long("99999999999999999999999", 10, &v), -ERANGE);
}

static void test_parse_ulong_rejects_negative(void **state)
{
	unsigned long v;

	assert_int_equal(vs_parse_ulong("-1", 10, &v), -EINVAL);
	assert_int_equal(vs_parse_ulong(" 5", 10, &v), 0);
	assert_int_equal(v, 5);
}

static void test_mac_roundtrip(void **state)
{
	unsigned char mac[6];
	char out[18];

	assert_int_equal(vs_parse_mac("52:54:00:AB:cd:0f", mac), 0);
	vs_format_mac(mac, out);
	assert_string_equal(out, "52:54:00:ab:cd:0f");
	assert_int_equal(vs_parse_mac("52:54:00:ab:cd", mac), -EINVAL);
	assert_int_equal(vs_parse_mac("52-54-00-ab-cd-0f", mac), -EINVAL);
	assert_int_equal(vs_parse_mac("52:54:00:ab:cd:0g", mac), -EINVAL);
	assert_int_equal(vs_parse_mac(NULL, mac), -EINVAL);
}

static void test_error_keeps_first(void **state)
{
	struct vs_error err = { 0 };

	assert_int_equal(vs_error_set(&err, -EINVAL, "em1: VF %d: bad %s", 3, "mac"), -EINVAL);
	vs_error_set(&err, -ENOENT, "second");
	assert_int_equal(err.code, -EINVAL);
	assert_string_equal(err.msg, "em1: VF 3: bad mac");
	assert_int_equal(vs_error_set(NULL, -EPERM, "ignored"), -EPERM);
}

static void test_grow(void **state)
{
	int *a = NULL;
	size_t alloc = 0;

	assert_int_equal(vs_grow((void **)&a, &alloc, 100, sizeof(*a)), 0);
	assert_true(alloc >= 100);
	a[99] = 1;
	assert_int_equal(a[0], 0);
	free(a);
}

static void test_strlcpy(void **state)
{
	char b[4];

	assert_int_equal(vs_strlcpy(b, "abc", sizeof(b)), 0);
	assert_int_equal(vs_strlcpy(b, "abcd", sizeof(b)), -ENAMETOOLONG);
	assert_string_equal(b, "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_parse_ulong_rejects_negative),
		cmocka_unit_test(test_mac_roundtrip),
		cmocka_unit_test(test_error_keeps_first),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_strlcpy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
