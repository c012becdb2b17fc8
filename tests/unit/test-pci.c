/* libpci behind the sysfs root, on generated trees with real config space. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pci/pci.h>

#include "host-tree.h"
#include "pci.h"

struct fixture {
	char *root;
	struct vs_sysfs fs;
	struct vs_pci *pci;
};

/* One tree for every test (trees are slow to write on a disk). */
static int setup(void **state)
{
	static const char *const args[] = { "--profile", "r730", "--profile", "domain",
					    "--profile", "broken-config", "--profile", "no-acs", NULL };
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	*state = f;
	f->root = ht_generate(args);
	if (!f->root || vs_sysfs_init(&f->fs, f->root) < 0 || vs_pci_open(&f->fs, &f->pci, NULL) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vs_pci_close(f->pci);
	ht_remove(f->root);
	free(f);
	return 0;
}

/* The upstream port of a device: the parent directory of its sysfs node. */
static void parent_of(const struct fixture *f, const char *addr, char *out, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX], *slash;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s", f->root, addr);
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

static void test_get(void **state)
{
	struct fixture *f = *state;
	struct pci_dev *d = vs_pci_get(f->pci, "0000:01:00.0");

	assert_non_null(d);
	assert_int_equal(d->bus, 1);
	assert_int_equal(d->func, 0);
	/* cached: the same device comes back */
	assert_ptr_equal(vs_pci_get(f->pci, "0000:01:00.0"), d);
	/* a device that is not in the tree, and malformed addresses */
	assert_null(vs_pci_get(f->pci, "0000:01:00.7"));
	assert_null(vs_pci_get(f->pci, "01:00.0"));
	assert_null(vs_pci_get(f->pci, "0000:01:00.0x"));
	assert_null(vs_pci_get(f->pci, "0000:01:20.0"));
	assert_null(vs_pci_get(f->pci, "0000:01:00.8"));
	assert_null(vs_pci_get(f->pci, " 0000:01:00.0"));
	/* domains beyond 0000, as sysfs names them */
	d = vs_pci_get(f->pci, "10000:01:00.0");
	assert_non_null(d);
	assert_int_equal(d->domain, 0x10000);
}

static void test_names(void **state)
{
	struct fixture *f = *state;
	char v[128], d[256];

	/* from pci.ids, as lspci prints them */
	vs_pci_names(f->pci, 0x8086, 0x1521, v, sizeof(v), d, sizeof(d));
	assert_string_equal(v, "Intel Corporation");
	assert_string_equal(d, "I350 Gigabit Network Connection");
	vs_pci_names(f->pci, 0x8086, 0x10fb, v, sizeof(v), d, sizeof(d));
	assert_string_equal(d, "82599ES 10-Gigabit SFI/SFP+ Network Connection");
	/* unknown IDs: empty, not a number */
	vs_pci_names(f->pci, 0x0002, 0x0001, v, sizeof(v), d, sizeof(d));
	assert_string_equal(v, "");
	assert_string_equal(d, "");
	vs_pci_names(f->pci, 0x8086, 0xfff1, v, sizeof(v), d, sizeof(d));
	assert_string_equal(v, "Intel Corporation");
	assert_string_equal(d, "");
}

static void test_sriov(void **state)
{
	struct fixture *f = *state;
	struct vs_sriov_cap cap;
	struct vs_error err = { 0 };

	assert_int_equal(vs_pci_read_sriov(f->pci, "0000:01:00.0", &cap, &err), 0);
	assert_int_equal(cap.totalvfs, 7);
	assert_int_equal(cap.numvfs, 7);
	assert_int_equal(cap.vf_offset, 128);
	assert_int_equal(cap.vf_stride, 4);
	assert_int_equal(cap.vf_device_id, 0x1520);
	assert_int_equal(vs_pci_read_sriov(f->pci, "0000:19:00.0", &cap, &err), 0);
	assert_int_equal(cap.totalvfs, 63);
	assert_int_equal(cap.numvfs, 4);
	assert_int_equal(cap.vf_stride, 2);
	assert_int_equal(cap.vf_device_id, 0x10ed);
	assert_int_equal(vs_pci_read_sriov(f->pci, "10000:01:00.0", &cap, &err), 0);
	assert_int_equal(cap.totalvfs, 16);
	assert_int_equal(err.code, 0);
}

static void test_sriov_absent_and_errors(void **state)
{
	struct fixture *f = *state;
	struct vs_sriov_cap cap;
	struct vs_error err = { 0 };

	/* SATA controller: no SR-IOV capability, and no error message */
	assert_int_equal(vs_pci_read_sriov(f->pci, "0000:00:1f.2", &cap, &err), -ENOENT);
	assert_int_equal(err.code, 0);
	assert_int_equal(vs_pci_read_sriov(f->pci, "0000:42:00.0", &cap, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "0000:42:00.0"));
	/* config is a dangling link: an error naming the device, no exit */
	vs_error_clear(&err);
	assert_int_equal(vs_pci_read_sriov(f->pci, "0000:71:00.0", &cap, &err), -EIO);
	assert_non_null(strstr(err.msg, "0000:71:00.0"));
	assert_non_null(strstr(err.msg, "config"));
}

static void test_short_config(void **state)
{
	struct fixture *f = *state;
	struct vs_sriov_cap cap;
	struct vs_error err = { 0 };
	char path[PATH_MAX];

	/* what a non-root user reads on a live host: the first 64 bytes only */
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:01:00.3/config", f->root);
	assert_int_equal(truncate(path, 64), 0);
	assert_int_equal(vs_pci_read_sriov(f->pci, "0000:01:00.3", &cap, &err), -EIO);
	assert_non_null(strstr(err.msg, "0000:01:00.3"));
	assert_non_null(strstr(err.msg, "past 64 bytes"));
}

static void test_acs(void **state)
{
	struct fixture *f = *state;
	unsigned cap = 0, ctrl = 0;
	char rp[64];

	/* the root port above em1 has ACS with P2P redirection on */
	parent_of(f, "0000:01:00.0", rp, sizeof(rp));
	assert_int_equal(vs_pci_read_acs(f->pci, rp, &cap, &ctrl, NULL), 0);
	assert_true(cap & PCI_ACS_CAP_REQ_RED);
	assert_true(cap & PCI_ACS_CAP_CMPLT_RED);
	assert_true(ctrl & PCI_ACS_CTRL_REQ_RED);
	assert_true(ctrl & PCI_ACS_CTRL_CMPLT_RED);
	/* a plain endpoint without ACS */
	assert_int_equal(vs_pci_read_acs(f->pci, "0000:00:1f.2", &cap, &ctrl, NULL), -ENOENT);
	/* the root port of the no-acs profile has none */
	parent_of(f, "0000:62:00.0", rp, sizeof(rp));
	assert_int_equal(vs_pci_read_acs(f->pci, rp, &cap, &ctrl, NULL), -ENOENT);
}

static void test_root_too_long(void **state)
{
	struct vs_sysfs fs;
	struct vs_pci *pci = NULL;
	struct vs_error err = { 0 };
	char root[1100];

	memset(root, 'a', sizeof(root) - 1);
	root[0] = '/';
	root[sizeof(root) - 1] = '\0';
	assert_int_equal(vs_sysfs_init(&fs, root), 0);
	assert_int_equal(vs_pci_open(&fs, &pci, &err), -ENAMETOOLONG);
	assert_null(pci);
	assert_non_null(strstr(err.msg, "too long"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_sriov),
		cmocka_unit_test(test_sriov_absent_and_errors),
		cmocka_unit_test(test_short_config),
		cmocka_unit_test(test_acs),
		cmocka_unit_test(test_root_too_long),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
