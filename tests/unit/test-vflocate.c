/* The one VF locator on a generated host: a PF per case, so that damaging
 * one (a virtfn link removed, a wrong sriov_offset) leaves the others whole.
 *   0000:03:00.0 em1  offset 129, stride 2: VFs 03:10.1 03:10.3 03:10.5
 *   0000:05:00.0 --   no netdev:            VFs 05:10.0 05:10.4
 *   0000:07:00.0 em3  sriov_offset says 124 (it is 128): 07:10.0 07:10.4 07:11.0
 *   0000:09:00.0 em4  virtfn1 removed, virtfn2 -> VF 0: 09:10.0 09:10.4 09:11.0 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "host-tree.h"
#include "vflocate.h"

#define DEV "/sys/bus/pci/devices/"

static char *root;
static struct vs_sysfs fs;

static int setup(void **state)
{
	static const char *const args[] = {
		"--pf", "addr=0000:03:00.0,netdev=em1,offset=129,stride=2,num=3",
		"--pf", "addr=0000:05:00.0,num=2",
		"--pf", "addr=0000:07:00.0,netdev=em3,num=3",
		"--pf", "addr=0000:09:00.0,netdev=em4,id=8086:10c9,num=3",
		NULL,
	};

	root = ht_generate(args);
	if (!root || vs_sysfs_init(&fs, root) < 0)
		return -1;
	if (ht_put(root, DEV "0000:07:00.0/sriov_offset", "124\n") < 0 ||
	    ht_unlink(root, DEV "0000:09:00.0/virtfn1") < 0 ||
	    ht_link(root, DEV "0000:09:00.0/virtfn2", "../0000:09:10.0") < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	ht_remove(root);
	return 0;
}

static void expect_vf(const char *vf, const char *pf, const char *netdev, int index, bool by_routing_id)
{
	struct vs_vf_location loc;
	struct vs_error err = { 0 };

	if (vs_vf_locate(&fs, vf, &loc, &err) < 0)
		fail_msg("%s: %s", vf, err.msg);
	assert_string_equal(loc.pf_address, pf);
	assert_string_equal(loc.pf_netdev, netdev);
	assert_int_equal(loc.index, index);
	assert_int_equal(loc.by_routing_id, by_routing_id);
}

static void expect_refused(const char *vf, int code, const char *needle)
{
	struct vs_vf_location loc;
	struct vs_error err = { 0 };

	assert_int_equal(vs_vf_locate(&fs, vf, &loc, &err), code);
	if (!strstr(err.msg, vf) || !strstr(err.msg, needle))
		fail_msg("error '%s' does not name %s and say '%s'", err.msg, vf, needle);
}

static void test_virtfn_links(void **state)
{
	struct vs_vf_location loc;

	expect_vf("0000:03:10.1", "0000:03:00.0", "em1", 0, false);
	expect_vf("0000:03:10.5", "0000:03:00.0", "em1", 2, false);
	assert_int_equal(vs_vf_locate(&fs, "0000:09:10.0", &loc, NULL), 0);
	assert_int_equal(loc.pf_vendor, 0x8086);
	assert_int_equal(loc.pf_device, 0x10c9);
	/* offset and stride lead to a VF number the PF has no link for: the
	 * PF's virtfn links have the last word */
	expect_vf("0000:07:11.0", "0000:07:00.0", "em3", 2, false);
	expect_vf("0000:07:10.0", "0000:07:00.0", "em3", 0, false);
}

static void test_virtfn_missing(void **state)
{
	/* no virtfn1: the number comes from offset 128, stride 4 */
	expect_vf("0000:09:10.4", "0000:09:00.0", "em4", 1, true);
	/* the PF's virtfn2 leads to another VF: the arithmetic is not enough */
	expect_refused("0000:09:11.0", -ENOENT, "has no virtfn link to it");
}

static void test_not_a_vf(void **state)
{
	expect_refused("0000:03:00.0", -ENOENT, "not an SR-IOV VF");
	expect_refused("0000:00:01.0", -ENOENT, "not an SR-IOV VF");
	expect_refused("0000:42:00.0", -ENODEV, "no such PCI device");
}

static void test_pf_without_netdev(void **state)
{
	expect_vf("0000:05:10.4", "0000:05:00.0", "", 1, false);
}

/* The link readers the inventory scan shares. */
static void test_link_readers(void **state)
{
	char pf[VS_PCI_ADDR_MAX];
	unsigned n = 0;

	assert_int_equal(vs_vf_physfn(&fs, "0000:03:10.3", pf), 0);
	assert_string_equal(pf, "0000:03:00.0");
	assert_int_equal(vs_vf_physfn(&fs, "0000:03:00.0", pf), -ENOENT);
	assert_true(vs_virtfn_parse("virtfn12", &n));
	assert_int_equal(n, 12);
	assert_false(vs_virtfn_parse("virtfn", &n));
	assert_false(vs_virtfn_parse("virtfn-1", &n));
	assert_false(vs_virtfn_parse("virtfn1x", &n));
	assert_false(vs_virtfn_parse("virtfn65536", &n));
	assert_false(vs_virtfn_parse("physfn", &n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virtfn_links),
		cmocka_unit_test(test_virtfn_missing),
		cmocka_unit_test(test_not_a_vf),
		cmocka_unit_test(test_pf_without_netdev),
		cmocka_unit_test(test_link_readers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
