/* Readiness checks on generated host trees built to pass and to fail each
 * check.  The expected values come from the trees' specs (--pf ...), and the
 * ACS cases patch real config space bytes the way a BIOS leaves them. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "check.h"
#include "host-tree.h"
#include "inventory.h"
#include "pci.h"

struct run {
	char *root;
	struct vs_sysfs fs;
	struct vs_host *host;
	struct vs_pci *pci;
	struct vs_check_report rep;
	const char *modules_dir;
};

#define GEN(r, ...) gen(r, (const char *const[]){ __VA_ARGS__, NULL })

static void gen(struct run *r, const char *const *args)
{
	memset(r, 0, sizeof(*r));
	r->root = ht_generate(args);
	assert_non_null(r->root);
	assert_int_equal(vs_sysfs_init(&r->fs, r->root), 0);
}

static void check(struct run *r)
{
	struct vs_scan_opts opts = { .sysfs = &r->fs };
	struct vs_check_ctx ctx = { .sysfs = &r->fs, .modules_dir = r->modules_dir };
	struct vs_error err = { 0 };

	vs_check_report_free(&r->rep);
	vs_host_free(r->host);
	if (r->pci)
		vs_pci_close(r->pci);
	r->host = NULL;
	r->pci = NULL;
	assert_int_equal(vs_inventory_scan(&opts, &r->host, &err), 0);
	assert_int_equal(vs_pci_open(&r->fs, &r->pci, &err), 0);
	ctx.host = r->host;
	ctx.pci = r->pci;
	assert_int_equal(vs_check_run(&ctx, &r->rep), 0);
}

static void done(struct run *r)
{
	vs_check_report_free(&r->rep);
	vs_host_free(r->host);
	if (r->pci)
		vs_pci_close(r->pci);
	ht_remove(r->root);
}

static const struct vs_check_result *expect(const struct run *r, const char *id, const char *dev,
					    enum vs_check_status st, const char *msg_part)
{
	const struct vs_check_result *res = vs_check_find(&r->rep, id, dev);

	if (!res)
		fail_msg("no result for %s %s", id, dev ? dev : "");
	if (res->status != st || !strstr(res->message, msg_part))
		fail_msg("%s %s: got %s '%s', want %s with '%s'", id, dev ? dev : "", vs_check_status_name(res->status),
			 res->message, vs_check_status_name(st), msg_part);
	if (st == VS_CHECK_PASS)
		assert_null(res->remedy);
	else
		assert_non_null(res->remedy);
	return res;
}

static void assert_contains(const char *s, const char *part)
{
	if (!s || !strstr(s, part))
		fail_msg("'%s' does not contain '%s'", s ? s : "(null)", part);
}

static void test_ready_host(void **state)
{
	struct run r;

	GEN(&r, "--pf", "addr=0000:01:00.0,total=7,num=7,netdev=em1,vfio=2,autoprobe=0",
	    "--pf", "addr=0000:02:00.0,total=4,num=0,netdev=em9");
	check(&r);
	expect(&r, "iommu-acpi", NULL, VS_CHECK_PASS, "DMAR");
	expect(&r, "iommu-groups", NULL, VS_CHECK_PASS, "IOMMU groups");
	expect(&r, "iommu-cmdline", NULL, VS_CHECK_PASS, "passthrough");
	expect(&r, "vfio-pci", NULL, VS_CHECK_PASS, "vfio-pci");
	expect(&r, "sriov-pfs", "0000:01:00.0", VS_CHECK_PASS, "7 of 7 VFs");
	assert_contains(expect(&r, "sriov-pfs", "0000:02:00.0", VS_CHECK_WARN, "no VFs yet (up to 4)")->remedy,
			"virt-sriov numvfs em9 4");
	expect(&r, "acs", "0000:01:00.0", VS_CHECK_PASS, "ACS enabled");
	expect(&r, "acs", "0000:02:00.0", VS_CHECK_PASS, "ACS enabled");
	expect(&r, "iommu-group-sharing", NULL, VS_CHECK_PASS, "each of the 7 VFs");
	expect(&r, "sysfs", NULL, VS_CHECK_PASS, "agree");
	expect(&r, "autoprobe", "0000:01:00.0", VS_CHECK_PASS, "0, new VFs stay unbound");
	assert_int_equal(vs_check_worst(&r.rep), VS_CHECK_WARN);
	done(&r);
}

static void test_no_iommu(void **state)
{
	const struct vs_check_result *res;
	struct run r;

	GEN(&r, "--no-iommu", "--pf", "addr=0000:01:00.0,num=2");
	check(&r);
	assert_contains(expect(&r, "iommu-acpi", NULL, VS_CHECK_FAIL, "no DMAR, IVRS or IORT")->remedy, "VT-d");
	res = expect(&r, "iommu-groups", NULL, VS_CHECK_FAIL, "no IOMMU groups");
	assert_contains(res->remedy, "'intel_iommu=on iommu=pt' to GRUB_CMDLINE_LINUX in /etc/default/grub");
	assert_contains(res->remedy, "update-grub and reboot");
	expect(&r, "iommu-cmdline", NULL, VS_CHECK_FAIL, "no intel_iommu=on");
	expect(&r, "iommu-group-sharing", NULL, VS_CHECK_WARN, "2 of 2 VFs have no IOMMU group");
	assert_int_equal(vs_check_worst(&r.rep), VS_CHECK_FAIL);

	/* an AMD host gets the AMD options */
	assert_int_equal(ht_put(r.root, "/sys/firmware/acpi/tables/IVRS", "IVRS"), 0);
	check(&r);
	expect(&r, "iommu-acpi", NULL, VS_CHECK_PASS, "IVRS");
	assert_contains(expect(&r, "iommu-groups", NULL, VS_CHECK_FAIL, "no IOMMU groups")->remedy, "'amd_iommu=on iommu=pt'");
	done(&r);
}

static void test_cmdline(void **state)
{
	struct run r;

	GEN(&r, "--pf", "addr=0000:01:00.0,num=1");
	assert_int_equal(ht_put(r.root, "/proc/cmdline", "BOOT_IMAGE=/vmlinuz ro quiet intel_iommu=on\n"), 0);
	check(&r);
	assert_contains(expect(&r, "iommu-cmdline", NULL, VS_CHECK_WARN, "no iommu=pt")->remedy, "iommu=pt");

	assert_int_equal(ht_put(r.root, "/proc/cmdline", "ro intel_iommu=off iommu=pt\n"), 0);
	check(&r);
	assert_contains(expect(&r, "iommu-cmdline", NULL, VS_CHECK_FAIL, "turns the IOMMU off (intel_iommu=off)")->remedy,
			"remove 'intel_iommu=off'");

	assert_int_equal(ht_unlink(r.root, "/proc/cmdline"), 0);
	check(&r);
	expect(&r, "iommu-cmdline", NULL, VS_CHECK_WARN, "cannot read /proc/cmdline");
	done(&r);

	/* asked for on the command line, but the kernel made no groups */
	GEN(&r, "--no-iommu", "--pf", "addr=0000:01:00.0,num=1");
	assert_int_equal(ht_put(r.root, "/sys/firmware/acpi/tables/DMAR", "DMAR"), 0);
	assert_int_equal(ht_put(r.root, "/proc/cmdline", "ro intel_iommu=on,sm_on iommu=pt\n"), 0);
	check(&r);
	assert_contains(expect(&r, "iommu-cmdline", NULL, VS_CHECK_FAIL, "made no IOMMU groups")->remedy, "dmesg");
	done(&r);
}

static void test_vfio(void **state)
{
	char dir[PATH_MAX];
	struct run r;

	GEN(&r, "--no-vfio-pci", "--pf", "addr=0000:01:00.0,num=1");
	check(&r);
	assert_contains(expect(&r, "vfio-pci", NULL, VS_CHECK_FAIL, "vfio-pci is not loaded")->remedy, "modprobe vfio-pci");

	/* the live-host path: the module is installed but not loaded */
	snprintf(dir, sizeof(dir), "%s/modules", r.root);
	assert_int_equal(mkdir(dir, 0755), 0);
	r.modules_dir = dir;
	assert_int_equal(ht_put(r.root, "/modules/modules.dep",
				"kernel/drivers/vfio/vfio.ko.xz:\n"
				"kernel/drivers/vfio/pci/vfio-pci.ko.xz: kernel/drivers/vfio/pci/vfio-pci-core.ko.xz\n"), 0);
	check(&r);
	assert_contains(expect(&r, "vfio-pci", NULL, VS_CHECK_WARN, "installed")->remedy, "modprobe vfio-pci");

	/* vfio-pci-core alone is not vfio-pci */
	assert_int_equal(ht_put(r.root, "/modules/modules.dep", "kernel/drivers/vfio/pci/vfio-pci-core.ko.xz:\n"), 0);
	check(&r);
	expect(&r, "vfio-pci", NULL, VS_CHECK_FAIL, "neither loaded nor installed");

	snprintf(dir, sizeof(dir), "%s/sys/module", r.root);
	mkdir(dir, 0755); /* the generator may not write sys/module */
	snprintf(dir, sizeof(dir), "%s/sys/module/vfio_pci", r.root);
	assert_int_equal(mkdir(dir, 0755), 0);
	check(&r);
	expect(&r, "vfio-pci", NULL, VS_CHECK_PASS, "vfio_pci module loaded");
	done(&r);
}

static void test_no_sriov(void **state)
{
	struct run r;

	GEN(&r, "--profile", "no-sriov");
	check(&r);
	expect(&r, "sriov-pfs", NULL, VS_CHECK_FAIL, "no PCI device offers SR-IOV");
	assert_null(vs_check_find(&r.rep, "acs", NULL));
	assert_null(vs_check_find(&r.rep, "iommu-group-sharing", NULL));
	done(&r);
}

/* The root port above a PF, read from the tree's own links. */
static void root_port_of(const struct run *r, const char *pf, char *out, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX], *slash;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s", r->root, pf);
	n = readlink(path, target, sizeof(target) - 1);
	assert_true(n > 0);
	target[n] = '\0';
	slash = strrchr(target, '/');
	assert_non_null(slash);
	*slash = '\0';
	slash = strrchr(target, '/');
	assert_non_null(slash);
	snprintf(out, len, "%s", slash + 1);
}

/* Set the ACS capability and control words of dev's config space. */
static void patch_acs(const struct run *r, const char *dev, uint16_t cap, uint16_t ctrl)
{
	char path[PATH_MAX];
	uint8_t cfg[4096];
	unsigned pos = 0x100;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/config", r->root, dev);
	f = fopen(path, "r+");
	assert_non_null(f);
	assert_int_equal(fread(cfg, 1, sizeof(cfg), f), sizeof(cfg));
	for (int hops = 0; pos >= 0x100 && pos < 0xffc && hops < 64; hops++) {
		uint32_t h = cfg[pos] | cfg[pos + 1] << 8 | cfg[pos + 2] << 16 | (uint32_t)cfg[pos + 3] << 24;

		if ((h & 0xffff) == 0x000d)
			break;
		pos = h >> 20;
	}
	assert_true(pos >= 0x100 && pos < 0xffc);
	cfg[pos + 4] = cap & 0xff;
	cfg[pos + 5] = cap >> 8;
	cfg[pos + 6] = ctrl & 0xff;
	cfg[pos + 7] = ctrl >> 8;
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	assert_int_equal(fwrite(cfg, 1, sizeof(cfg), f), sizeof(cfg));
	fclose(f);
}

static void test_acs(void **state)
{
	char rp[64];
	struct run r;

	GEN(&r, "--profile", "no-acs");
	check(&r);
	assert_int_equal(r.host->n_pfs, 1);
	root_port_of(&r, r.host->pfs[0].address, rp, sizeof(rp));
	assert_contains(expect(&r, "acs", r.host->pfs[0].address, VS_CHECK_WARN, "has no ACS capability")->message, rp);
	done(&r);

	GEN(&r, "--pf", "addr=0000:01:00.0,num=1");
	check(&r);
	expect(&r, "acs", "0000:01:00.0", VS_CHECK_PASS, "ACS enabled");
	root_port_of(&r, "0000:01:00.0", rp, sizeof(rp));
	/* SV RR CR UF offered, none enabled: what a BIOS that leaves ACS off gives */
	patch_acs(&r, rp, 0x001f, 0x0000);
	check(&r);
	assert_contains(expect(&r, "acs", "0000:01:00.0", VS_CHECK_WARN, "has ACS but does not enable it")->message, rp);
	/* the kernel counts a feature the capability lacks as hard-wired on */
	patch_acs(&r, rp, 0x0000, 0x0000);
	check(&r);
	expect(&r, "acs", "0000:01:00.0", VS_CHECK_PASS, "ACS enabled");
	patch_acs(&r, rp, 0x001f, 0x001d);
	check(&r);
	expect(&r, "acs", "0000:01:00.0", VS_CHECK_PASS, "ACS enabled");
	done(&r);
}

static void test_shared_group(void **state)
{
	const struct vs_check_result *res;
	const struct vs_pf *pf;
	char rel[PATH_MAX];
	struct run r;

	GEN(&r, "--profile", "shared-group");
	check(&r);
	pf = &r.host->pfs[0];
	assert_true(pf->n_vfs >= 2);
	res = expect(&r, "iommu-group-sharing", pf->vfs[0].address, VS_CHECK_FAIL, "cannot go to different guests");
	assert_contains(res->message, pf->vfs[0].address);
	assert_contains(res->message, pf->address);
	assert_contains(res->message, "(its PF)");
	assert_contains(res->remedy, "one guest");
	/* one result per group, not per VF */
	assert_null(vs_check_find(&r.rep, "iommu-group-sharing", pf->vfs[1].address));
	assert_int_equal(vs_check_worst(&r.rep), VS_CHECK_FAIL);

	/* only VFs of the same PF left in the group: usable, by one guest */
	snprintf(rel, sizeof(rel), "/sys/kernel/iommu_groups/%d/devices/%s", pf->vfs[0].iommu_group, pf->address);
	assert_int_equal(ht_unlink(r.root, rel), 0);
	check(&r);
	pf = &r.host->pfs[0];
	expect(&r, "iommu-group-sharing", pf->vfs[0].address, VS_CHECK_WARN, "only go to one guest");
	done(&r);
}

static void test_autoprobe(void **state)
{
	char rel[PATH_MAX];
	struct run r;

	GEN(&r, "--pf", "addr=0000:01:00.0,num=3,vfio=1,autoprobe=1");
	check(&r);
	assert_contains(expect(&r, "autoprobe", "0000:01:00.0", VS_CHECK_WARN, "go to vfio-pci")->remedy, "--no-autoprobe");
	done(&r);

	GEN(&r, "--pf", "addr=0000:01:00.0,num=3,autoprobe=1");
	check(&r);
	expect(&r, "autoprobe", "0000:01:00.0", VS_CHECK_PASS, "new VFs get the host VF driver");
	/* a VF pinned to vfio-pci with driver_override shows the intent too */
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/driver_override", r.host->pfs[0].vfs[2].address);
	assert_int_equal(ht_put(r.root, rel, "vfio-pci\n"), 0);
	check(&r);
	expect(&r, "autoprobe", "0000:01:00.0", VS_CHECK_WARN, "go to vfio-pci");
	done(&r);

	GEN(&r, "--profile", "nvme");
	check(&r);
	expect(&r, "autoprobe", r.host->pfs[0].address, VS_CHECK_WARN, "NVMe");
	done(&r);
}

static void test_broken_tree(void **state)
{
	const struct vs_check_result *res;
	struct run r;

	GEN(&r, "--profile", "broken-numvfs");
	check(&r);
	res = expect(&r, "sysfs", NULL, VS_CHECK_WARN, "sriov_numvfs");
	assert_contains(res->message, r.host->pfs[0].address);
	assert_contains(res->remedy, "dmesg");
	done(&r);
}

static void test_inventory_failed(void **state)
{
	struct vs_sysfs fs;
	struct vs_check_report rep = { 0 };
	struct vs_check_ctx ctx = { .sysfs = &fs, .host_error = "/x/sys/bus/pci/devices: No such file or directory" };
	const struct vs_check_result *res;

	assert_int_equal(vs_sysfs_init(&fs, "/nonexistent-vs-root"), 0);
	assert_int_equal(vs_check_run(&ctx, &rep), 0);
	res = vs_check_find(&rep, "sriov-pfs", NULL);
	assert_non_null(res);
	assert_int_equal(res->status, VS_CHECK_FAIL);
	assert_contains(res->message, "No such file or directory");
	vs_check_report_free(&rep);
}

static void test_json(void **state)
{
	struct json_object *arr, *o, *v;
	struct run r;
	bool saw_device = false, saw_pass = false;

	GEN(&r, "--no-iommu", "--pf", "addr=0000:01:00.0,num=2");
	check(&r);
	arr = vs_check_report_json(&r.rep);
	assert_non_null(arr);
	assert_int_equal(json_object_array_length(arr), r.rep.n);
	o = json_object_array_get_idx(arr, 0);
	assert_true(json_object_object_get_ex(o, "check", &v));
	assert_string_equal(json_object_get_string(v), "iommu-acpi");
	assert_true(json_object_object_get_ex(o, "status", &v));
	assert_string_equal(json_object_get_string(v), "FAIL");
	assert_true(json_object_object_get_ex(o, "remedy", &v));
	assert_contains(json_object_get_string(v), "VT-d");
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		o = json_object_array_get_idx(arr, i);
		assert_true(json_object_object_get_ex(o, "message", &v));
		assert_true(json_object_object_get_ex(o, "remedy", &v));
		if (json_object_object_get_ex(o, "status", &v) && !strcmp(json_object_get_string(v), "PASS")) {
			assert_true(json_object_object_get_ex(o, "remedy", &v));
			assert_null(v);
			saw_pass = true;
		}
		if (json_object_object_get_ex(o, "device", &v)) {
			assert_string_equal(json_object_get_string(v), r.rep.results[i].device);
			saw_device = true;
		}
	}
	assert_true(saw_device);
	assert_true(saw_pass);
	json_object_put(arr);
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready_host),
		cmocka_unit_test(test_no_iommu),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_vfio),
		cmocka_unit_test(test_no_sriov),
		cmocka_unit_test(test_acs),
		cmocka_unit_test(test_shared_group),
		cmocka_unit_test(test_autoprobe),
		cmocka_unit_test(test_broken_tree),
		cmocka_unit_test(test_inventory_failed),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
