/* The inventory from libvirt's node devices: recorded nodedev-dumpxml
 * output (tests/data/nodedev) parsed, turned into PFs and VFs, and the
 * same through libvirt's test driver loaded with node-host.xml. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "libvirt.h"
#include "nodedev.h"

static char *data_path(const char *name)
{
	const char *src = getenv("top_srcdir");
	char *p = NULL;

	assert_true(asprintf(&p, "%s/tests/data/nodedev/%s", src ? src : ".", name) > 0);
	return p;
}

static char *slurp(const char *name)
{
	char *path = data_path(name), *buf = calloc(1, 65536);
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 65535, f) > 0);
	fclose(f);
	free(path);
	return buf;
}

static void parse(const char *name, struct vs_nodedev *d)
{
	struct vs_error err = { 0 };
	char *xml = slurp(name);

	assert_int_equal(vs_nodedev_parse(xml, name, d, &err), 0);
	free(xml);
}

static void test_parse_pf(void **state)
{
	struct vs_nodedev d;

	(void)state;
	parse("pf-i350.xml", &d);
	assert_int_equal(d.kind, VS_NODEDEV_PCI);
	assert_string_equal(d.name, "pci_0000_01_00_0");
	assert_string_equal(d.address, "0000:01:00.0");
	assert_int_equal(d.class_code, 0x020000);
	assert_int_equal(d.vendor_id, 0x8086);
	assert_int_equal(d.device_id, 0x1521);
	assert_string_equal(d.device_name, "I350 Gigabit Network Connection");
	assert_int_equal(d.iommu_group, 0);
	assert_int_equal(d.numa_node, 0);
	assert_int_equal(d.max_vfs, 7);
	assert_int_equal(d.n_vfs, 3);
	assert_string_equal(d.vfs[0], "0000:01:10.0");
	assert_string_equal(d.vfs[2], "0000:01:11.0");
	assert_string_equal(d.physfn, "");
	vs_nodedev_clear(&d);
}

static void test_parse_vf_net_driver(void **state)
{
	struct vs_nodedev d;

	(void)state;
	parse("vf-i350.xml", &d);
	assert_int_equal(d.max_vfs, -1);
	assert_string_equal(d.physfn, "0000:01:00.0");
	assert_int_equal(d.iommu_group, 1);
	assert_string_equal(d.parent, "pci_0000_01_00_0");
	vs_nodedev_clear(&d);

	parse("net-em1v0.xml", &d);
	assert_int_equal(d.kind, VS_NODEDEV_NET);
	assert_string_equal(d.ifname, "em1v0");
	assert_string_equal(d.parent, "pci_0000_01_10_0");
	vs_nodedev_clear(&d);

	/* no VF yet: a PF all the same */
	parse("pf-igb-no-vfs.xml", &d);
	assert_int_equal(d.max_vfs, 7);
	assert_int_equal(d.n_vfs, 0);
	vs_nodedev_clear(&d);
}

/* Recorded from the end-to-end VM's libvirtd: QEMU's igb, bound, no NUMA. */
static void test_parse_e2e(void **state)
{
	struct vs_nodedev d;

	(void)state;
	parse("e2e-pf-igb.xml", &d);
	assert_string_equal(d.driver, "igb");
	assert_string_equal(d.address, "0000:01:00.0");
	assert_int_equal(d.device_id, 0x10c9);
	assert_string_equal(d.vendor_name, "Intel Corporation");
	assert_int_equal(d.numa_node, -1);
	assert_int_equal(d.iommu_group, 5);
	assert_int_equal(d.max_vfs, 7);
	assert_int_equal(d.n_vfs, 7);
	assert_string_equal(d.vfs[1], "0000:01:10.2");
	assert_string_equal(d.vfs[6], "0000:01:11.4");
	vs_nodedev_clear(&d);

	parse("e2e-vf-igbvf.xml", &d);
	assert_string_equal(d.driver, "igbvf");
	assert_string_equal(d.physfn, "0000:01:00.0");
	assert_string_equal(d.parent, "pci_0000_00_01_0"); /* the root port, not the PF */
	assert_int_equal(d.iommu_group, 6);
	vs_nodedev_clear(&d);

	parse("e2e-net-eth0.xml", &d);
	assert_int_equal(d.kind, VS_NODEDEV_NET);
	assert_string_equal(d.ifname, "eth0");
	assert_string_equal(d.parent, "pci_0000_01_00_0");
	vs_nodedev_clear(&d);
}

/* The same three as an inventory: a VF that is no node device (yet) is
 * listed by its PF with what the PF says (its address and number). */
static void test_host_e2e(void **state)
{
	static const char *const files[] = { "e2e-net-eth0.xml", "e2e-pf-igb.xml", "e2e-vf-igbvf.xml" };
	struct vs_nodedev devs[3];
	struct vs_error err = { 0 };
	struct vs_host *h = NULL;
	const struct vs_pf *pf;

	(void)state;
	for (size_t i = 0; i < 3; i++)
		parse(files[i], &devs[i]);
	assert_int_equal(vs_nodedev_host(devs, 3, NULL, &h, &err), 0);
	assert_int_equal(h->n_pfs, 1);
	pf = &h->pfs[0];
	assert_string_equal(pf->netdev, "eth0");
	assert_string_equal(pf->driver, "igb");
	assert_int_equal(pf->numvfs, 7);
	assert_int_equal(pf->vf_offset, 128);
	assert_int_equal(pf->vf_stride, 2);
	assert_int_equal(pf->vf_device_id, 0x10ca);
	assert_string_equal(pf->vfs[0].driver, "igbvf");
	assert_int_equal(pf->vfs[0].iommu_group, 6);
	assert_string_equal(pf->vfs[3].address, "0000:01:10.6");
	assert_int_equal(pf->vfs[3].index, 3);
	assert_string_equal(pf->vfs[3].driver, "");
	assert_int_equal(pf->vfs[3].iommu_group, -1);
	vs_host_free(h);
	for (size_t i = 0; i < 3; i++)
		vs_nodedev_clear(&devs[i]);
}

static void test_parse_bad(void **state)
{
	struct vs_error err = { 0 };
	struct vs_nodedev d;
	char *xml = slurp("vf-i350.xml");
	char *bus = strstr(xml, "<bus>1</bus>");

	(void)state;
	assert_non_null(bus);
	memcpy(bus, "<bus>x</bus>", 12);
	assert_int_equal(vs_nodedev_parse(xml, "node device pci_0000_01_10_0", &d, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "pci_0000_01_10_0"));
	vs_nodedev_clear(&d);
	free(xml);
}

static void check_host(const struct vs_host *h)
{
	const struct vs_pf *pf = &h->pfs[0], *nvme = &h->pfs[1];

	assert_int_equal(h->n_pfs, 2);
	assert_string_equal(pf->address, "0000:01:00.0");
	assert_string_equal(pf->netdev, "em1");
	assert_string_equal(pf->netdevs[0], "em1");
	assert_null(pf->netdevs[1]);
	assert_int_equal(pf->totalvfs, 7);
	assert_int_equal(pf->numvfs, 3);
	assert_int_equal(pf->vf_offset, 128);
	assert_int_equal(pf->vf_stride, 4);
	assert_int_equal(pf->vf_device_id, 0x1520);
	assert_int_equal(pf->drivers_autoprobe, -1);
	assert_false(pf->vf_configs_known);
	assert_false(pf->vf_settings_na);
	assert_int_equal(pf->n_vfs, 3);
	assert_string_equal(pf->vfs[1].address, "0000:01:10.4");
	assert_string_equal(pf->vfs[1].netdev, "em1v1");
	assert_int_equal(pf->vfs[1].index, 1);
	assert_int_equal(pf->vfs[2].iommu_group, 3);
	assert_false(pf->vfs[1].config_known);
	assert_int_equal(pf->vfs[1].config.vlan, -1);
	/* NVMe: no netdev, storage class: no VF settings at all */
	assert_string_equal(nvme->address, "0000:5e:00.0");
	assert_true(nvme->vf_settings_na);
	assert_int_equal(nvme->n_vfs, 4);
	assert_int_equal(nvme->vf_stride, 1);
}

static char *node_uri(void)
{
	char *path = data_path("node-host.xml"), real[PATH_MAX], *uri = NULL;

	assert_non_null(realpath(path, real));
	assert_true(asprintf(&uri, "test://%s", real) > 0);
	free(path);
	return uri;
}

static void test_scan_test_driver(void **state)
{
	struct vs_error err = { 0 };
	struct vs_host *h = NULL;
	virConnectPtr conn = NULL;
	char *uri = node_uri();

	(void)state;
	assert_int_equal(vs_libvirt_open(uri, true, &conn, &err), 0);
	assert_int_equal(vs_nodedev_scan(conn, NULL, &h, &err), 0);
	check_host(h);
	/* the guest holding VF 1 of em1, as over a remote URI */
	assert_int_equal(vs_libvirt_fill_usage(conn, h, &err), 0);
	assert_string_equal(h->pfs[0].vfs[1].in_use_by, "holder");
	assert_null(h->pfs[0].vfs[0].in_use_by);
	vs_host_free(h);
	virConnectClose(conn);
	free(uri);
}

static void test_scan_only(void **state)
{
	struct vs_error err = { 0 };
	struct vs_scan_opts opts = { .only = { "em1" } };
	struct vs_host *h = NULL;
	virConnectPtr conn = NULL;
	char *uri = node_uri();

	(void)state;
	assert_int_equal(vs_libvirt_open(uri, true, &conn, &err), 0);
	assert_int_equal(vs_nodedev_scan(conn, &opts, &h, &err), 0);
	assert_int_equal(h->n_pfs, 1);
	assert_string_equal(h->pfs[0].address, "0000:01:00.0");
	/* names resolve against the inventory, never this machine's sysfs */
	assert_non_null(vs_host_find_pf(h, "em1"));
	vs_host_free(h);
	virConnectClose(conn);
	free(uri);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_pf),
		cmocka_unit_test(test_parse_vf_net_driver),
		cmocka_unit_test(test_parse_e2e),
		cmocka_unit_test(test_host_e2e),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_scan_test_driver),
		cmocka_unit_test(test_scan_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
