/* The inventory with the REAL rtnetlink code (request builder, reply
 * parser) behind the fake transport: kernel-like RTM_NEWLINK messages laid
 * out byte by byte, complete and truncated. */
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
#include "fake-nl.h"
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

/* One IFLA_VF_INFO: MAC 52:54:00:00:00:i, VLAN 100+i, spoofchk i%2, trust off. */
static void w_vf(struct wbuf *w, uint32_t i)
{
	struct ifla_vf_mac mac = { .vf = i, .mac = { 0x52, 0x54, 0, 0, 0, (unsigned char)i } };
	uint32_t vlan[3] = { i, 100 + i, 0 }, spoof[2] = { i, i % 2 }, trust[2] = { i, 0 };
	uint32_t link[2] = { i, IFLA_VF_LINK_STATE_AUTO };
	size_t info = w_nest_start(w, IFLA_VF_INFO);

	w_attr(w, IFLA_VF_MAC, &mac, sizeof(mac));
	w_attr(w, IFLA_VF_VLAN, vlan, sizeof(vlan));
	w_attr(w, IFLA_VF_SPOOFCHK, spoof, sizeof(spoof));
	w_attr(w, IFLA_VF_TRUST, trust, sizeof(trust));
	w_attr(w, IFLA_VF_LINK_STATE, link, sizeof(link));
	w_nest_end(w, info);
}

static void queue_newlink(struct fake_nl *f, const char *ifname, uint32_t num_vf, uint32_t entries)
{
	struct wbuf w;
	size_t list;

	w_init(&w);
	w_link_msg(&w, RTM_NEWLINK, 0, 0);
	w_attr_str(&w, IFLA_IFNAME, ifname);
	w_attr_u32(&w, IFLA_NUM_VF, num_vf);
	list = w_nest_start(&w, IFLA_VFINFO_LIST);
	for (uint32_t i = 0; i < entries; i++)
		w_vf(&w, i);
	w_nest_end(&w, list);
	w_msg_end(&w);
	w_ack(&w, 0, NULL, 0);
	fake_queue(f, &w);
	w_free(&w);
}

static struct vs_host *scan_em1(struct fake_nl *f)
{
	struct vs_scan_opts o = { .sysfs = &fs, .nl = &f->nl, .only = { "em1", NULL } };
	struct vs_host *host = NULL;

	assert_int_equal(vs_inventory_scan(&o, &host, NULL), 0);
	/* exactly one request, for the PF's netdev */
	assert_int_equal(f->nreq, 1);
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
	struct fake_nl f;
	struct vs_host *host;
	struct vs_pf *pf;

	fake_init(&f);
	queue_newlink(&f, "em1", 7, 7);
	host = scan_em1(&f);
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
	fake_free(&f);
}

static void test_truncated(void **state)
{
	struct fake_nl f;
	struct vs_host *host;
	struct vs_pf *pf;

	fake_init(&f);
	/* IFLA_NUM_VF says 7, the list holds 5: what a full 16-bit length gives */
	queue_newlink(&f, "em1", 7, 5);
	host = scan_em1(&f);
	pf = &host->pfs[0];
	assert_false(pf->vf_configs_known);
	assert_true(pf->vfs[4].config_known);
	assert_false(pf->vfs[5].config_known);
	assert_false(pf->vfs[6].config_known);
	assert_true(has_warning(host, "em1", "2 VFs have unknown settings: VF 5-6"));
	vs_host_free(host);
	fake_free(&f);
}

static void test_unknown_netdev(void **state)
{
	struct fake_nl f;
	struct vs_host *host;

	fake_init(&f);
	fake_queue_ack(&f, -ENODEV, NULL);
	host = scan_em1(&f);
	assert_false(host->pfs[0].vf_configs_known);
	assert_true(has_warning(host, "the kernel has no netdev em1", "7 VFs"));
	vs_host_free(host);
	fake_free(&f);
}

/* netdevsim: a PF that is no PCI device, found through its netdev. */
static struct vs_host *scan_nsim(struct fake_nl *f, bool non_pci)
{
	struct vs_scan_opts o = { .sysfs = &fs, .nl = f ? &f->nl : NULL, .non_pci = non_pci };
	struct vs_host *host = NULL;

	assert_int_equal(vs_inventory_scan(&o, &host, NULL), 0);
	return host;
}

static void test_netdevsim_pf(void **state)
{
	struct vs_host *host = scan_nsim(NULL, false);
	struct vs_vf_ref *refs = NULL;
	struct vs_pf *pf;
	size_t n = 0;

	/* not asked for: only PCI PFs */
	assert_null(vs_host_find_pf(host, "eth9"));
	assert_null(vs_host_find_pf(host, "netdevsim1"));
	vs_host_free(host);

	host = scan_nsim(NULL, true);
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
	struct fake_nl f;
	struct vs_host *host;
	struct vs_pf *pf;

	fake_init(&f);
	queue_newlink(&f, "eth9", 1024, 1024);
	{
		struct vs_scan_opts o = { .sysfs = &fs, .nl = &f.nl, .non_pci = true, .only = { "eth9", NULL } };

		assert_int_equal(vs_inventory_scan(&o, &host, NULL), 0);
	}
	assert_int_equal(f.nreq, 1);
	assert_true(f.reply_len[0] > 65536);
	pf = &host->pfs[0];
	assert_true(pf->vf_configs_known);
	for (int i = 0; i < 1024; i++)
		assert_true(pf->vfs[i].config_known);
	assert_int_equal(pf->vfs[1023].config.vlan, 100 + 1023);
	vs_host_free(host);
	fake_free(&f);
}

/* A list that stops short of IFLA_NUM_VF: the warning names the PF and the
 * VFs whose settings are unknown; those VFs are marked, not dropped. */
static void test_netdevsim_cut(void **state)
{
	struct vs_scan_opts o = { .sysfs = &fs, .non_pci = true, .only = { "eth9", NULL } };
	struct fake_nl f;
	struct vs_host *host;
	struct vs_pf *pf;

	fake_init(&f);
	o.nl = &f.nl;
	queue_newlink(&f, "eth9", 1024, 600);
	assert_int_equal(vs_inventory_scan(&o, &host, NULL), 0);
	pf = &host->pfs[0];
	assert_int_equal(pf->n_vfs, 1024);
	assert_false(pf->vf_configs_known);
	assert_true(pf->vfs[599].config_known);
	assert_false(pf->vfs[600].config_known);
	assert_false(pf->vfs[1023].config_known);
	assert_true(has_warning(host, "PF eth9 (netdevsim1)", "424 VFs have unknown settings: VF 600-1023"));
	vs_host_free(host);
	fake_free(&f);
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
