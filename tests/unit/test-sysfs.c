#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "sysfs.h"

static char tmpl[] = "/tmp/vs-test-sysfs-XXXXXX";
static struct vs_sysfs fs;

static void put(const char *rel, const char *content)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", tmpl, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static int setup(void **state)
{
	char path[PATH_MAX];

	if (!mkdtemp(tmpl))
		return -1;
	snprintf(path, sizeof(path), "%s/sys", tmpl);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/dev", tmpl);
	mkdir(path, 0755);
	put("/sys/dev/numvfs", "7\n");
	put("/sys/dev/garbage", "seven\n");
	put("/sys/dev/vendor", "0x8086\n");
	put("/sys/dev/empty", "");
	for (int i = 0; i < 12; i++) {
		char name[64];

		snprintf(name, sizeof(name), "/sys/dev/virtfn%d", i);
		put(name, "");
	}
	snprintf(path, sizeof(path), "%s/sys/dev/driver", tmpl);
	if (symlink("../../bus/pci/drivers/igb", path) < 0)
		return -1;
	/* a trailing slash on the root must not matter */
	snprintf(path, sizeof(path), "%s/", tmpl);
	return vs_sysfs_init(&fs, path);
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_read_values(void **state)
{
	char buf[32];
	long v;
	unsigned h;

	assert_int_equal(vs_sysfs_read(&fs, buf, sizeof(buf), "/sys/dev/%s", "numvfs"), 1);
	assert_string_equal(buf, "7");
	assert_int_equal(vs_sysfs_read_long(&fs, &v, "/sys/dev/numvfs"), 0);
	assert_int_equal(v, 7);
	assert_int_equal(vs_sysfs_read_hex(&fs, &h, "/sys/dev/vendor"), 0);
	assert_int_equal(h, 0x8086);
}

static void test_errors_are_not_zero(void **state)
{
	char small[2];
	long v = 99;

	assert_int_equal(vs_sysfs_read_long(&fs, &v, "/sys/dev/garbage"), -EINVAL);
	assert_int_equal(vs_sysfs_read_long(&fs, &v, "/sys/dev/empty"), -EINVAL);
	assert_int_equal(vs_sysfs_read_long(&fs, &v, "/sys/dev/missing"), -ENOENT);
	assert_int_equal(v, 99);
	assert_int_equal(vs_sysfs_read(&fs, small, sizeof(small), "/sys/dev/garbage"), -EFBIG);
}

static void test_link_base(void **state)
{
	char buf[32];

	assert_int_equal(vs_sysfs_link_base(&fs, buf, sizeof(buf), "/sys/dev/driver"), 0);
	assert_string_equal(buf, "igb");
	assert_int_equal(vs_sysfs_link_base(&fs, buf, sizeof(buf), "/sys/dev/numvfs"), -EINVAL);
}

static void test_list_natural_order(void **state)
{
	char **names = NULL;
	int n = vs_sysfs_list(&fs, &names, "/sys/dev");
	int pos2 = -1, pos10 = -1;

	assert_true(n > 12);
	for (int i = 0; names[i]; i++) {
		if (!strcmp(names[i], "virtfn2"))
			pos2 = i;
		if (!strcmp(names[i], "virtfn10"))
			pos10 = i;
	}
	assert_true(pos2 >= 0 && pos10 > pos2);
	vs_strv_free(names);
	assert_int_equal(vs_sysfs_list(&fs, &names, "/sys/nonexistent"), -ENOENT);
}

static void test_name_cmp(void **state)
{
	assert_true(vs_sysfs_name_cmp("virtfn2", "virtfn10") < 0);
	assert_true(vs_sysfs_name_cmp("virtfn10", "virtfn9") > 0);
	assert_true(vs_sysfs_name_cmp("virtfn007", "virtfn7") == 0);
	assert_true(vs_sysfs_name_cmp("a", "b") < 0);
	assert_true(vs_sysfs_name_cmp("virtfn", "virtfn0") < 0);
}

static void test_write_and_exists(void **state)
{
	char buf[8];

	assert_int_equal(vs_sysfs_write(&fs, "3", "/sys/dev/numvfs"), 0);
	assert_int_equal(vs_sysfs_read(&fs, buf, sizeof(buf), "/sys/dev/numvfs"), 1);
	assert_string_equal(buf, "3");
	assert_int_equal(vs_sysfs_write(&fs, "3", "/sys/dev/nothere"), -ENOENT);
	assert_int_equal(vs_sysfs_exists(&fs, "/sys/dev/numvfs"), 1);
	assert_int_equal(vs_sysfs_exists(&fs, "/sys/dev/nothere"), 0);
}

static void test_path_too_long(void **state)
{
	char buf[16];

	assert_int_equal(vs_sysfs_path(&fs, buf, sizeof(buf), "/sys/bus/pci/devices"), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_values),
		cmocka_unit_test(test_errors_are_not_zero),
		cmocka_unit_test(test_link_base),
		cmocka_unit_test(test_list_natural_order),
		cmocka_unit_test(test_name_cmp),
		cmocka_unit_test(test_write_and_exists),
		cmocka_unit_test(test_path_too_long),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
