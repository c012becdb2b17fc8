/* The inventory scan on generated host trees (real config space read by
 * libpci), with the VF settings read through netlink.c from the fake
 * kernel (tests/tools/fake-kernel.h). */
#include "config.h"

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake-kernel.h"
#include "host-tree.h"
#include "inventory.h"
#include "vfset.h"

/* ---- the kernel's VF tables ---- */

/* A PF of the fake kernel whose VF i has MAC 52:00:00:00:00:i, VLAN 100+i,
 * spoofchk i%2, trust off, link-state auto. */
static struct fk_pf *kernel_pf(struct fake_kernel *k, const char *netdev, size_t nvfs)
{
	struct fk_pf *pf = fk_add_pf(k, netdev, nvfs);

	assert_non_null(pf);
	for (size_t i = 0; i < nvfs; i++) {
		struct fk_vf *v = &pf->vfs[i];

		v->mac[0] = 0x52;
		v->mac[5] = (unsigned char)i;
		v->vlan = 100 + (uint32_t)i;
		v->spoofchk = (int32_t)(i % 2);
		v->trust = 0;
		v->link_state = IFLA_VF_LINK_STATE_AUTO;
	}
	return pf;
}

/* The netdev request i of the fake kernel asked about (an RTM_GETLINK). */
static const char *getlink_name(const struct fake_kernel *k, size_t i)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)k->req[i];
	size_t off = NLMSG_LENGTH(sizeof(struct ifinfomsg));

	assert_true(i < k->nreq);
	assert_int_equal(h->nlmsg_type, RTM_GETLINK);
	while (off + 4 <= k->req_len[i]) {
		uint16_t len, type;

		memcpy(&len, k->req[i] + off, 2);
		memcpy(&type, k->req[i] + off + 2, 2);
		if (len < 4)
			break;
		if ((type & NLA_TYPE_MASK) == IFLA_IFNAME)
			return (const char *)k->req[i] + off + 4;
		off += (len + 3u) & ~3u;
	}
	fail_msg("request %zu names no netdev", i);
	return NULL;
}

/* ---- helpers ---- */

/* Trees are slow to write on a disk: the read-only ones are made once. */
enum { R730, MIXED, BROKEN, N_TREES };
static const char *const tree_args[N_TREES][12] = {
	[R730] = { "--profile", "r730", NULL },
	[MIXED] = { "--profile", "hi1822", "--profile", "many-vfs", "--profile", "domain",
		    "--profile", "nvme", "--profile", "no-sriov", NULL },
	[BROKEN] = { "--profile", "broken-physfn", "--profile", "broken-config",
		     "--profile", "broken-numvfs", NULL },
};
static char *trees[N_TREES];

static int group_setup(void **state)
{
	for (int i = 0; i < N_TREES; i++)
		if (!(trees[i] = ht_generate(tree_args[i])))
			return -1;
	return 0;
}

static int group_teardown(void **state)
{
	for (int i = 0; i < N_TREES; i++)
		ht_remove(trees[i]);
	return 0;
}

struct fixture {
	char *root;       /* owned only when the test made its own tree */
	struct vs_sysfs fs;
	struct vs_host *host;
	struct fake_kernel k; /* the kernel, for the tests that give one */
};

static struct fixture *use_tree(int which)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(vs_sysfs_init(&f->fs, trees[which]), 0);
	return f;
}

static struct fixture *own_tree(const char *const *args)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->root = ht_generate(args);
	assert_non_null(f->root);
	assert_int_equal(vs_sysfs_init(&f->fs, f->root), 0);
	return f;
}

static int scan(struct fixture *f, struct vs_nl *nl, const char *only, struct vs_error *err)
{
	struct vs_scan_opts o = { .sysfs = &f->fs, .nl = nl, .only = { only, NULL } };

	vs_host_free(f->host);
	f->host = NULL;
	return vs_inventory_scan(&o, &f->host, err);
}

static void done(struct fixture *f)
{
	vs_host_free(f->host);
	ht_remove(f->root);
	fk_free(&f->k);
	free(f);
}

static size_t count_vendor(const struct vs_host *h, unsigned vendor)
{
	size_t n = 0;

	for (size_t i = 0; i < h->n_pfs; i++)
		n += h->pfs[i].vendor_id == vendor;
	return n;
}

/* The one warning that contains every one of the words; fails if none. */
static const char *warning_with(const struct vs_host *h, const char *a, const char *b, const char *c)
{
	for (size_t i = 0; i < h->n_warnings; i++) {
		const char *w = h->warnings[i];

		if (strstr(w, a) && (!b || strstr(w, b)) && (!c || strstr(w, c)))
			return w;
	}
	for (size_t i = 0; i < h->n_warnings; i++)
		print_message("warning: %s\n", h->warnings[i]);
	fail_msg("no warning with '%s' '%s' '%s'", a, b ? b : "", c ? c : "");
	return NULL;
}

/* VF address from the PF address, offset and stride: computed here from
 * the PCI routing-ID rule, not by the code under test. */
static void vf_addr(const char *pf, int offset, int stride, unsigned n, char *out, size_t len)
{
	unsigned dom, bus, dev, fn, rid;

	assert_int_equal(sscanf(pf, "%x:%x:%x.%u", &dom, &bus, &dev, &fn), 4);
	rid = (bus << 8 | dev << 3 | fn) + (unsigned)offset + n * (unsigned)stride;
	snprintf(out, len, "%04x:%02x:%02x.%u", dom, rid >> 8, (rid >> 3) & 0x1f, rid & 7);
}

/* ---- tests ---- */

static void test_r730(void **state)
{
	struct fixture *f = use_tree(R730);
	struct vs_error err = { 0 };
	struct vs_pf *em1, *p2p1;
	char want[32];

	assert_int_equal(scan(f, NULL, NULL, &err), 0);
	/* 4 x I350 + 2 x 82599ES; the SATA controller is not a PF */
	assert_int_equal(f->host->n_pfs, 6);
	assert_null(vs_host_find_pf(f->host, "0000:00:1f.2"));
	em1 = vs_host_find_pf(f->host, "em1");
	assert_non_null(em1);
	assert_string_equal(em1->address, "0000:01:00.0");
	assert_ptr_equal(vs_host_find_pf(f->host, "0000:01:00.0"), em1);
	assert_string_equal(em1->driver, "igb");
	assert_int_equal(em1->vendor_id, 0x8086);
	assert_int_equal(em1->device_id, 0x1521);
	assert_int_equal(em1->vf_device_id, 0x1520);
	assert_string_equal(em1->vendor_name, "Intel Corporation");
	assert_string_equal(em1->device_name, "I350 Gigabit Network Connection");
	assert_int_equal(em1->totalvfs, 7);
	assert_int_equal(em1->numvfs, 7);
	assert_int_equal(em1->vf_offset, 128);
	assert_int_equal(em1->vf_stride, 4);
	assert_int_equal(em1->numa_node, 0);
	assert_true(em1->iommu_group >= 0);
	assert_int_equal(em1->drivers_autoprobe, 1);
	assert_int_equal(em1->n_vfs, 7);
	for (unsigned i = 0; i < 7; i++) {
		vf_addr(em1->address, 128, 4, i, want, sizeof(want));
		assert_int_equal(em1->vfs[i].index, i);
		assert_string_equal(em1->vfs[i].address, want);
		assert_string_equal(em1->vfs[i].driver, "igbvf");
		assert_true(em1->vfs[i].iommu_group >= 0);
		assert_int_not_equal(em1->vfs[i].iommu_group, em1->iommu_group);
		/* no netlink asked for: settings unknown, and said so */
		assert_false(em1->vfs[i].config_known);
	}
	assert_false(em1->vf_configs_known);
	p2p1 = vs_host_find_pf(f->host, "p2p1");
	assert_non_null(p2p1);
	assert_int_equal(p2p1->totalvfs, 63);
	assert_int_equal(p2p1->n_vfs, 4);
	assert_int_equal(p2p1->numa_node, 1);
	assert_string_equal(p2p1->vfs[0].driver, "vfio-pci");
	assert_string_equal(p2p1->vfs[0].netdev, "");
	/* a clean tree gives no warning */
	assert_int_equal(f->host->n_warnings, 0);
	done(f);
}

static void test_hi1822(void **state)
{
	struct fixture *f = use_tree(MIXED);
	struct vs_pf *pf;

	assert_int_equal(scan(f, NULL, NULL, NULL), 0);
	assert_int_equal(count_vendor(f->host, 0x19e5), 4);
	pf = vs_host_find_pf(f->host, "enp3s0");
	assert_non_null(pf);
	assert_int_equal(pf->vendor_id, 0x19e5);
	assert_int_equal(pf->device_id, 0x1822);
	assert_string_equal(pf->vendor_name, "Huawei Technologies Co., Ltd.");
	assert_int_equal(pf->totalvfs, 120);
	assert_int_equal(pf->n_vfs, 4);
	assert_string_equal(pf->vfs[0].address, "0000:03:00.1");
	assert_string_equal(pf->vfs[0].driver, "vfio-pci");
	assert_string_equal(pf->vfs[3].address, "0000:03:00.4");
	assert_string_equal(pf->vfs[3].driver, "hinic");
	/* clean profiles give no warning */
	assert_int_equal(f->host->n_warnings, 0);
	done(f);
}

static void test_many_vfs_order(void **state)
{
	struct fixture *f = use_tree(MIXED);
	struct vs_pf *pf;
	char want[32];

	assert_int_equal(scan(f, NULL, NULL, NULL), 0);
	pf = vs_host_find_pf(f->host, "ens2f0");
	assert_non_null(pf);
	assert_int_equal(pf->n_vfs, 24);
	for (unsigned i = 0; i < 24; i++) {
		/* virtfn10 comes after virtfn9, not after virtfn1 */
		assert_int_equal(pf->vfs[i].index, i);
		vf_addr(pf->address, 16, 1, i, want, sizeof(want));
		assert_string_equal(pf->vfs[i].address, want);
	}
	done(f);
}

static void test_domains(void **state)
{
	struct fixture *f = use_tree(MIXED);
	struct vs_pf *a, *b;

	assert_int_equal(scan(f, NULL, NULL, NULL), 0);
	a = vs_host_find_pf(f->host, "0001:01:00.0");
	b = vs_host_find_pf(f->host, "10000:01:00.0");
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a->vfs[0].address, "0001:01:00.2");
	assert_string_equal(b->vfs[1].address, "10000:01:01.1");
	/* the capability was found in config space of both domains */
	assert_int_equal(b->vf_offset, 8);
	assert_int_equal(b->vf_device_id, 0x1889);
	/* sorted by address: domain 0000 first, then 0001, then 10000 */
	assert_ptr_equal(a + 1, b);
	assert_ptr_equal(b, &f->host->pfs[f->host->n_pfs - 1]);
	done(f);
}

static void test_nvme_without_netdev(void **state)
{
	struct fixture *f = use_tree(MIXED);
	struct vs_pf *pf;

	fk_init(&f->k, 0);
	assert_int_equal(scan(f, &f->k.nl, "0000:5e:00.0", NULL), 0);
	assert_int_equal(f->host->n_pfs, 1);
	pf = &f->host->pfs[0];
	assert_string_equal(pf->netdev, "");
	assert_null(pf->netdevs);
	assert_int_equal(pf->n_vfs, 4);
	assert_false(pf->vf_configs_known);
	assert_false(pf->vfs[0].config_known);
	/* no netdev to ask the kernel about, and no network device (class
	 * 0108): its VFs' settings do not apply, which is no warning */
	assert_true(pf->vf_settings_na);
	assert_int_equal(f->k.nreq, 0);
	assert_int_equal(f->host->n_warnings, 0);
	done(f);
}

/* A network PF (class 02) whose netdev is not to be seen (unbound, another
 * namespace): its VFs' settings exist but are unknown, with a warning. */
static void test_network_pf_without_netdev(void **state)
{
	const char *const args[] = { "--pf", "addr=0000:05:00.0,id=8086:1521,vfid=8086:1520,class=0200,total=7,num=2,driver=igb",
				     NULL };
	struct fixture *f = own_tree(args);
	struct vs_pf *pf;

	fk_init(&f->k, 0);
	assert_int_equal(scan(f, &f->k.nl, "0000:05:00.0", NULL), 0);
	pf = &f->host->pfs[0];
	assert_string_equal(pf->netdev, "");
	assert_false(pf->vf_settings_na);
	assert_false(pf->vf_configs_known);
	warning_with(f->host, "0000:05:00.0", "no netdev", "2 VFs");
	done(f);
}

static void test_no_sriov(void **state)
{
	struct fixture *f = use_tree(MIXED);
	struct vs_error err = { 0 };

	assert_int_equal(scan(f, NULL, NULL, &err), 0);
	assert_null(vs_host_find_pf(f->host, "eno1"));
	assert_null(vs_host_find_pf(f->host, "0000:60:00.0"));
	/* naming it: it exists, but is not an SR-IOV PF */
	assert_int_equal(scan(f, NULL, "eno1", &err), -ENODEV);
	assert_non_null(strstr(err.msg, "eno1"));
	assert_non_null(strstr(err.msg, "not an SR-IOV PF"));
	done(f);
}

static void test_only(void **state)
{
	struct fixture *f = use_tree(R730);
	struct vs_error err = { 0 };

	assert_int_equal(scan(f, NULL, "em2", &err), 0);
	assert_int_equal(f->host->n_pfs, 1);
	assert_string_equal(f->host->pfs[0].address, "0000:01:00.1");
	assert_int_equal(scan(f, NULL, "0000:19:00.0", &err), 0);
	assert_int_equal(f->host->n_pfs, 1);
	assert_string_equal(f->host->pfs[0].netdev, "p2p1");
	assert_int_equal(scan(f, NULL, "em9", &err), -ENODEV);
	assert_null(f->host);
	assert_non_null(strstr(err.msg, "em9"));
	/* the message lists the PFs that exist */
	assert_non_null(strstr(err.msg, "no PF named 'em9'; PFs: em1 (0000:01:00.0), em2 (0000:01:00.1)"));
	done(f);
}

static void test_broken_physfn(void **state)
{
	struct fixture *f = use_tree(BROKEN);

	assert_int_equal(scan(f, NULL, NULL, NULL), 0);
	assert_int_equal(f->host->n_pfs, 3);
	/* VF 1's physfn points at a device that is not there */
	warning_with(f->host, "0000:70:10.4", "physfn", "0000:ff:1f.7");
	done(f);
}

static void test_broken_config(void **state)
{
	struct fixture *f = use_tree(BROKEN);
	struct vs_pf *pf;

	assert_int_equal(scan(f, NULL, NULL, NULL), 0);
	pf = vs_host_find_pf(f->host, "bc0");
	assert_non_null(pf);
	warning_with(f->host, "0000:71:00.0", "cannot read PCI config space", NULL);
	/* sysfs still gives the numbers */
	assert_int_equal(pf->totalvfs, 7);
	assert_int_equal(pf->n_vfs, 2);
	done(f);
}

static void test_broken_numvfs(void **state)
{
	struct fixture *f = use_tree(BROKEN);

	assert_int_equal(scan(f, NULL, NULL, NULL), 0);
	warning_with(f->host, "0000:72:00.0", "sriov_numvfs", "'seven'");
	assert_int_equal(vs_host_find_pf(f->host, "bn0")->n_vfs, 2);
	done(f);
}

static void test_sysfs_capability_mismatch(void **state)
{
	const char *const args[] = { "--profile", "r730", NULL };
	struct fixture *f = own_tree(args);

	assert_int_equal(ht_put(f->root, "/sys/bus/pci/devices/0000:01:00.0/sriov_totalvfs", "6\n"), 0);
	assert_int_equal(ht_put(f->root, "/sys/bus/pci/devices/0000:01:00.1/sriov_vf_device", "1521\n"), 0);
	assert_int_equal(scan(f, NULL, NULL, NULL), 0);
	warning_with(f->host, "0000:01:00.0", "sriov_totalvfs is 6 in sysfs", "7 in the SR-IOV capability");
	warning_with(f->host, "0000:01:00.1", "1521", "1520");
	done(f);
}

static void test_missing_vf_device(void **state)
{
	const char *const args[] = { "--profile", "r730", NULL };
	struct fixture *f = own_tree(args);
	struct vs_pf *pf;

	/* the VF device is gone, its virtfn link dangles */
	assert_int_equal(ht_unlink(f->root, "/sys/bus/pci/devices/0000:01:11.4"), 0);
	assert_int_equal(scan(f, NULL, "em1", NULL), 0);
	pf = &f->host->pfs[0];
	assert_int_equal(pf->n_vfs, 6);
	assert_int_equal(pf->vfs[3].index, 4);
	warning_with(f->host, "virtfn3", "0000:01:11.4", "does not exist");
	warning_with(f->host, "0000:01:00.0", "sriov_numvfs is 7", "6 VF devices");
	/* naming that VF says what is wrong with it */
	{
		struct vs_vf_ref *refs = NULL;
		struct vs_error err = { 0 };
		size_t n;

		assert_int_equal(vs_vfset_resolve(f->host, "em1#3", &refs, &n, &err), -ENOENT);
		assert_non_null(strstr(err.msg, "VF 3 of PF em1"));
		assert_non_null(strstr(err.msg, "no PCI device"));
	}
	done(f);
}

static void test_unreadable_devices(void **state)
{
	struct vs_sysfs fs;
	struct vs_scan_opts o = { .sysfs = &fs };
	struct vs_host *host = NULL;
	struct vs_error err = { 0 };

	assert_int_equal(vs_sysfs_init(&fs, "/nonexistent/vs-root"), 0);
	assert_int_equal(vs_inventory_scan(&o, &host, &err), -ENOENT);
	assert_null(host);
	assert_non_null(strstr(err.msg, "/nonexistent/vs-root/sys/bus/pci/devices"));
}

static void test_vf_settings(void **state)
{
	struct fixture *f = use_tree(R730);
	struct vs_pf *em1, *em2, *p2p1;

	fk_init(&f->k, 0);
	kernel_pf(&f->k, "em1", 7)->list_max = 5;  /* the kernel could not fit 2 VFs */
	kernel_pf(&f->k, "em2", 7);
	/* no p2p1: the kernel answers ENODEV */
	assert_int_equal(scan(f, &f->k.nl, NULL, NULL), 0);
	/* one request per PF that has VFs (em3, em4, p2p2 have none) */
	assert_int_equal(f->k.nreq, 3);
	assert_string_equal(getlink_name(&f->k, 0), "em1");
	assert_string_equal(getlink_name(&f->k, 1), "em2");
	assert_string_equal(getlink_name(&f->k, 2), "p2p1");
	assert_int_equal(f->k.nsetlink, 0);
	em1 = vs_host_find_pf(f->host, "em1");
	em2 = vs_host_find_pf(f->host, "em2");
	p2p1 = vs_host_find_pf(f->host, "p2p1");
	assert_true(em2->vf_configs_known);
	assert_true(em2->vfs[6].config_known);
	assert_int_equal(em2->vfs[6].config.vlan, 106);
	assert_int_equal(em2->vfs[3].config.spoofchk, 1);
	assert_int_equal(em2->vfs[3].config.mac[5], 3);
	/* truncated: never a silently short list */
	assert_false(em1->vf_configs_known);
	assert_true(em1->vfs[4].config_known);
	assert_int_equal(em1->vfs[4].config.vlan, 104);
	assert_false(em1->vfs[5].config_known);
	assert_false(em1->vfs[6].config_known);
	warning_with(f->host, "em1", "truncated", "2 VFs");
	/* a netdev the kernel does not know (a generated tree) */
	assert_false(p2p1->vf_configs_known);
	warning_with(f->host, "p2p1", "0000:19:00.0", "4 VFs");
	/* PFs without VFs: nothing missing, nothing to warn about */
	assert_true(vs_host_find_pf(f->host, "em3")->vf_configs_known);
	done(f);
}

static void test_short_list_not_flagged_truncated(void **state)
{
	/* fewer entries than VFs, even without the truncated flag: the
	 * kernel's IFLA_NUM_VF and list both say 6, sysfs has 7 */
	struct fixture *f = use_tree(R730);

	fk_init(&f->k, 0);
	kernel_pf(&f->k, "em1", 6);
	assert_int_equal(scan(f, &f->k.nl, "em1", NULL), 0);
	assert_int_equal(f->k.nreq, 1);
	assert_false(f->host->pfs[0].vf_configs_known);
	assert_true(f->host->pfs[0].vfs[5].config_known);
	assert_false(f->host->pfs[0].vfs[6].config_known);
	warning_with(f->host, "em1", "6 of 7", "1 VFs");
	done(f);
}

static void test_vf_config_sentinels(void **state)
{
	struct vs_vf_config c;

	vs_vf_config_init(&c, 3);
	assert_int_equal(c.index, 3);
	assert_true(vs_vf_config_is_empty(&c));
	c.trust = 0;
	assert_false(vs_vf_config_is_empty(&c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_r730),
		cmocka_unit_test(test_hi1822),
		cmocka_unit_test(test_many_vfs_order),
		cmocka_unit_test(test_domains),
		cmocka_unit_test(test_nvme_without_netdev),
		cmocka_unit_test(test_network_pf_without_netdev),
		cmocka_unit_test(test_no_sriov),
		cmocka_unit_test(test_only),
		cmocka_unit_test(test_broken_physfn),
		cmocka_unit_test(test_broken_config),
		cmocka_unit_test(test_broken_numvfs),
		cmocka_unit_test(test_sysfs_capability_mismatch),
		cmocka_unit_test(test_missing_vf_device),
		cmocka_unit_test(test_unreadable_devices),
		cmocka_unit_test(test_vf_settings),
		cmocka_unit_test(test_short_list_not_flagged_truncated),
		cmocka_unit_test(test_vf_config_sentinels),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
