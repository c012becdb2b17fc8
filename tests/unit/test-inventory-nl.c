/* The inventory's VF settings through the real rtnetlink code (request
 * builder, reply parser) from the fake kernel (tests/tools/fake-kernel.h):
 * complete, cut short, unknown netdev, and a netdevsim PF whose 1024-VF
 * list is longer than 64 KiB. */
#include "config.h"

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "host-tree.h"
#include "inventory.h"
#include "fake-kernel.h"
#include "vfset.h"

static char *root;
static struct vs_sysfs fs;

static int setup(void **state)
{
	static const char *const args[] = { "--profile", "r730", "--netdevsim", "1,numvfs=1024,netdev=eth9,max=1024",
					    NULL };

	root = ht_generate(args);
	return root && vs_sysfs_init(&fs, root) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	ht_remove(root);
	return 0;
}

/* A PF of the fake kernel whose VF i has MAC 52:54:00:00:00:i, VLAN 100+i,
 * spoofchk i%2, trust off, link-state auto. */
static struct fk_pf *kernel_pf(struct fake_kernel *k, const char *netdev, size_t nvfs)
{
	struct fk_pf *pf = fk_add_pf(k, netdev, nvfs);

	assert_non_null(pf);
	for (size_t i = 0; i < nvfs; i++) {
		struct fk_vf *v = &pf->vfs[i];

		memcpy(v->mac, (const unsigned char[6]){ 0x52, 0x54, 0, 0, 0, (unsigned char)i }, 6);
		v->vlan = 100 + (uint32_t)i;
		v->spoofchk = (int32_t)(i % 2);
		v->trust = 0;
		v->link_state = IFLA_VF_LINK_STATE_AUTO;
	}
	return pf;
}

/* Big (a table of 8 PFs x 1024 VFs): one, reset by each test. */
static struct fake_kernel k;

static struct vs_host *scan_em1(void)
{
	struct vs_scan_opts o = { .sysfs = &fs, .nl = &k.nl, .only = { "em1", NULL } };
	struct vs_host *host = NULL;

	assert_int_equal(vs_inventory_scan(&o, &host, NULL), 0);
	/* exactly one request, for the PF's netdev, and nothing set */
	assert_int_equal(k.nreq, 1);
	assert_int_equal(((struct nlmsghdr *)k.req[0])->nlmsg_type, RTM_GETLINK);
	assert_int_equal(k.nsetlink, 0);
	assert_int_equal(host->n_pfs, 1);
	return host;
}

static bool has_warning(const struct vs_host *h, const char *a, const char *b)
{
	for (size_t i = 0; i < h->n_warnings; i++)
		if (strstr(h->warnings[i], a) && strstr(h->warnings[i], b))
			return true;
	return false;
}

static void test_complete(void **state)
{
	struct vs_host *host;
	struct vs_pf *pf;

	fk_init(&k, 0);
	kernel_pf(&k, "em1", 7);
	host = scan_em1();
	pf = &host->pfs[0];
	assert_true(pf->vf_configs_known);
	assert_int_equal(host->n_warnings, 0);
	for (unsigned i = 0; i < 7; i++) {
		assert_true(pf->vfs[i].config_known);
		assert_int_equal(pf->vfs[i].config.vlan, 100 + (int)i);
		assert_int_equal(pf->vfs[i].config.spoofchk, (int)(i % 2));
		assert_int_equal(pf->vfs[i].config.mac[5], i);
		assert_int_equal(pf->vfs[i].config.link_state, IFLA_VF_LINK_STATE_AUTO);
	}
	vs_host_free(host);
	fk_free(&k);
}

static void test_truncated(void **state)
{
	struct vs_host *host;
	struct vs_pf *pf;

	fk_init(&k, 0);
	/* IFLA_NUM_VF says 7, the list holds 5: what a full 16-bit length gives */
	kernel_pf(&k, "em1", 7)->list_max = 5;
	host = scan_em1();
	pf = &host->pfs[0];
	assert_false(pf->vf_configs_known);
	assert_true(pf->vfs[4].config_known);
	assert_false(pf->vfs[5].config_known);
	assert_false(pf->vfs[6].config_known);
	assert_true(has_warning(host, "em1", "2 VFs have unknown settings: VF 5-6"));
	vs_host_free(host);
	fk_free(&k);
}

static void test_unknown_netdev(void **state)
{
	struct vs_host *host;

	fk_init(&k, 0);
	k.npf = 0; /* no em1: ENODEV */
	host = scan_em1();
	assert_false(host->pfs[0].vf_configs_known);
	assert_true(has_warning(host, "the kernel has no netdev em1", "7 VFs"));
	vs_host_free(host);
	fk_free(&k);
}

/* netdevsim: a PF that is no PCI device, found through its netdev. */
static struct vs_host *scan_nsim(bool non_pci)
{
	struct vs_scan_opts o = { .sysfs = &fs, .non_pci = non_pci };
	struct vs_host *host = NULL;

	assert_int_equal(vs_inventory_scan(&o, &host, NULL), 0);
	return host;
}

static void test_netdevsim_pf(void **state)
{
	struct vs_host *host = scan_nsim(false);
	struct vs_vf_ref *refs = NULL;
	struct vs_pf *pf;
	size_t n = 0;

	/* not asked for: only PCI PFs */
	assert_null(vs_host_find_pf(host, "eth9"));
	assert_null(vs_host_find_pf(host, "netdevsim1"));
	vs_host_free(host);

	host = scan_nsim(true);
	pf = vs_host_find_pf(host, "eth9");
	assert_non_null(pf);
	assert_ptr_equal(vs_host_find_pf(host, "netdevsim1"), pf);
	assert_true(pf->non_pci);
	assert_string_equal(pf->address, "netdevsim1");
	assert_string_equal(pf->netdev, "eth9");
	assert_string_equal(pf->driver, "netdevsim");
	assert_int_equal(pf->numvfs, 1024);
	assert_int_equal(pf->totalvfs, 1024); /* debugfs max_vfs */
	assert_int_equal(pf->iommu_group, -1);
	assert_int_equal(pf->n_vfs, 1024);
	assert_int_equal(pf->vfs[1023].index, 1023);
	assert_string_equal(pf->vfs[5].address, "");
	/* a VF without an address is never found by one */
	assert_int_equal(vs_host_find_vf(host, "", NULL, NULL), -ENOENT);
	/* PF#range resolves by number */
	assert_int_equal(vs_vfset_resolve(host, "eth9#0-1023", &refs, &n, NULL), 0);
	assert_int_equal(n, 1024);
	assert_ptr_equal(refs[1023].pf, pf);
	assert_int_equal(refs[1023].vf->index, 1023);
	free(refs);
	assert_int_equal(vs_vfset_resolve(host, "eth9#1024", &refs, &n, NULL), -ENOENT);
	/* the PCI PFs are still there */
	assert_non_null(vs_host_find_pf(host, "em1"));
	vs_host_free(host);
}

/* 1024 VFs: the kernel's list is longer than 64 KiB and its length wraps;
 * every entry is recovered, nothing is unknown. */
static void test_netdevsim_1024_wrapped(void **state)
{
	struct vs_host *host;
	struct vs_pf *pf;

	fk_init(&k, 0);
	kernel_pf(&k, "eth9", 1024);
	{
		struct vs_scan_opts o = { .sysfs = &fs, .nl = &k.nl, .non_pci = true, .only = { "eth9", NULL } };

		assert_int_equal(vs_inventory_scan(&o, &host, NULL), 0);
	}
	assert_int_equal(k.nreq, 1);
	assert_true(k.reply_len > 65536);
	pf = &host->pfs[0];
	assert_true(pf->vf_configs_known);
	for (int i = 0; i < 1024; i++)
		assert_true(pf->vfs[i].config_known);
	assert_int_equal(pf->vfs[1023].config.vlan, 100 + 1023);
	vs_host_free(host);
	fk_free(&k);
}

/* A list that stops short of IFLA_NUM_VF: the warning names the PF and the
 * VFs whose settings are unknown; those VFs are marked, not dropped. */
static void test_netdevsim_cut(void **state)
{
	struct vs_scan_opts o = { .sysfs = &fs, .nl = &k.nl, .non_pci = true, .only = { "eth9", NULL } };
	struct vs_host *host;
	struct vs_pf *pf;

	fk_init(&k, 0);
	/* a list under 64 KiB: 300 of the kernel's entries */
	kernel_pf(&k, "eth9", 1024)->list_max = 300;
	assert_int_equal(vs_inventory_scan(&o, &host, NULL), 0);
	pf = &host->pfs[0];
	assert_int_equal(pf->n_vfs, 1024);
	assert_false(pf->vf_configs_known);
	assert_true(pf->vfs[299].config_known);
	assert_int_equal(pf->vfs[299].config.vlan, 100 + 299);
	assert_false(pf->vfs[300].config_known);
	assert_false(pf->vfs[1023].config_known);
	assert_true(has_warning(host, "PF eth9 (netdevsim1)", "724 VFs have unknown settings: VF 300-1023"));
	vs_host_free(host);
	fk_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_unknown_netdev),
		cmocka_unit_test(test_netdevsim_pf),
		cmocka_unit_test(test_netdevsim_1024_wrapped),
		cmocka_unit_test(test_netdevsim_cut),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
