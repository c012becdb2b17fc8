/* The inventory's devlink part, from the fake devlink through the real
 * devlink.c: eswitch mode per PF (null without a devlink eswitch), each
 * VF's port, representor (cross-checked with sysfs), port function and rate
 * leaf, and the PF's rate groups. */
#include "config.h"

#include <linux/devlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "check.h"
#include "devlink.h"
#include "fake-devlink.h"
#include "host-tree.h"
#include "inventory.h"

#define EM1 "0000:01:00.0"
#define SWITCH "00112233445566778899aabbccddeeff"

static char *root;
static struct vs_sysfs fs;

/* em1 (7 VFs) with representors em1r0..em1r6 in sysfs: phys_port_name
 * pf0vfN, the PF's switch id, up except em1r3. */
static int setup(void **state)
{
	static const char *const args[] = { "--profile", "r730", NULL };
	char path[PATH_MAX], val[64];

	(void)state;
	root = ht_generate(args);
	if (!root || vs_sysfs_init(&fs, root) < 0)
		return -1;
	ht_put(root, "/sys/class/net/em1/phys_switch_id", SWITCH "\n");
	for (int i = 0; i < 7; i++) {
		snprintf(path, sizeof(path), "%s/sys/class/net/em1r%d", root, i);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "/sys/class/net/em1r%d/phys_port_name", i);
		snprintf(val, sizeof(val), "pf0vf%d\n", i);
		ht_put(root, path, val);
		snprintf(path, sizeof(path), "/sys/class/net/em1r%d/phys_switch_id", i);
		ht_put(root, path, SWITCH "\n");
		snprintf(path, sizeof(path), "/sys/class/net/em1r%d/flags", i);
		ht_put(root, path, i == 3 ? "0x1002\n" : "0x1003\n");
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ht_remove(root);
	return 0;
}

static struct vs_host *scan(struct fake_devlink *f, const char *only)
{
	struct vs_devlink *dl = NULL;
	struct vs_scan_opts o = { .sysfs = &fs, .only = { only, NULL } };
	struct vs_host *host = NULL;
	struct vs_error err = { 0 };

	if (f) {
		assert_int_equal(vs_devlink_open_nl(&dl, &f->nl, &err), 0);
		o.dl = dl;
	}
	assert_int_equal(vs_inventory_scan(&o, &host, &err), 0);
	vs_devlink_close(dl);
	return host;
}

static bool has_warning(const struct vs_host *h, const char *a, const char *b)
{
	for (size_t i = 0; i < h->n_warnings; i++)
		if (strstr(h->warnings[i], a) && strstr(h->warnings[i], b))
			return true;
	return false;
}

static struct fd_dev *em1_switchdev(struct fake_devlink *f)
{
	struct fd_dev *d;

	fd_init(f);
	d = fd_add_dev(f, EM1, VS_ESWITCH_SWITCHDEV);
	fd_add_uplink(d, "em1");
	fd_add_vfs(d, 0, 7, 1, "em1r", 0, true);
	return d;
}

static void test_switchdev(void **state)
{
	uint64_t max = 1250000, share = 250000;
	struct fake_devlink f;
	struct fd_dev *d = em1_switchdev(&f);
	struct vs_host *h;
	struct vs_pf *pf;

	(void)state;
	memcpy(fd_find_port(d, 3)->hw_addr, "\x52\x54\x00\x00\x00\x02", 6);
	fd_find_port(d, 3)->has_hw_addr = true;
	fd_find_port(d, 2)->tx_max = max;
	fd_find_port(d, 2)->tx_share = share;
	snprintf(d->groups[0].name, sizeof(d->groups[0].name), "gold");
	d->groups[0].tx_max = 12500000;
	d->ngroups = 1;
	snprintf(fd_find_port(d, 2)->parent, sizeof(fd_find_port(d, 2)->parent), "gold");
	h = scan(&f, "em1");
	pf = &h->pfs[0];
	assert_int_equal(pf->eswitch_mode, VS_ESWITCH_SWITCHDEV);
	assert_string_equal(pf->devlink, "pci/" EM1);
	assert_string_equal(pf->switch_id, SWITCH);
	assert_int_equal(pf->n_rate_groups, 1);
	assert_string_equal(pf->rate_groups[0].name, "gold");
	assert_int_equal(pf->rate_groups[0].tx_max, 12500000);
	for (unsigned i = 0; i < 7; i++) {
		char rep[16];

		snprintf(rep, sizeof(rep), "em1r%u", i);
		assert_true(pf->vfs[i].dl.has_port);
		assert_int_equal(pf->vfs[i].dl.port, i + 1);
		assert_string_equal(pf->vfs[i].dl.representor, rep);
		assert_int_equal(pf->vfs[i].dl.representor_up, i != 3);
		assert_int_equal(pf->vfs[i].dl.state, DEVLINK_PORT_FN_STATE_ACTIVE);
		assert_true(pf->vfs[i].dl.has_rate);
	}
	assert_true(pf->vfs[2].dl.has_hw_addr);
	assert_memory_equal(pf->vfs[2].dl.hw_addr, "\x52\x54\x00\x00\x00\x02", 6);
	assert_false(pf->vfs[1].dl.has_hw_addr);
	assert_int_equal(pf->vfs[1].dl.tx_max, max);
	assert_int_equal(pf->vfs[1].dl.tx_share, share);
	assert_string_equal(pf->vfs[1].dl.rate_parent, "gold");
	assert_int_equal(pf->vfs[0].dl.tx_max, 0);
	assert_int_equal(h->n_warnings, 0);
	/* the eswitch read, one dump of ports, one of rates */
	assert_int_equal(f.nreq, 3);
	vs_host_free(h);
	fd_free(&f);
}

/* Legacy mode: a mode, no ports; no devlink eswitch (igb) or no devlink at
 * all: null, no warning. */
static void test_legacy_and_none(void **state)
{
	struct fake_devlink f;
	struct vs_host *h;

	(void)state;
	em1_switchdev(&f)->mode = VS_ESWITCH_LEGACY;
	fd_add_dev(&f, "0000:01:00.1", -1);
	h = scan(&f, NULL);
	for (size_t i = 0; i < h->n_pfs; i++) {
		struct vs_pf *pf = &h->pfs[i];

		assert_int_equal(pf->eswitch_mode, strcmp(pf->address, EM1) == 0 ? VS_ESWITCH_LEGACY : VS_ESWITCH_UNKNOWN);
		for (size_t j = 0; j < pf->n_vfs; j++)
			assert_false(pf->vfs[j].dl.has_port);
		assert_int_equal(pf->n_rate_groups, 0);
	}
	assert_int_equal(h->n_warnings, 0);
	assert_int_equal(fd_count(&f, DEVLINK_CMD_PORT_GET), 0);
	vs_host_free(h);
	fd_free(&f);

	h = scan(NULL, "em1");
	assert_int_equal(h->pfs[0].eswitch_mode, VS_ESWITCH_UNKNOWN);
	assert_false(h->pfs[0].vfs[0].dl.has_port);
	vs_host_free(h);
}

/* A representor that names another VF, or sits on another switch. */
static void test_representor_mismatch(void **state)
{
	struct fake_devlink f;
	struct vs_host *h;

	(void)state;
	em1_switchdev(&f);
	ht_put(root, "/sys/class/net/em1r4/phys_port_name", "pf0vf5\n");
	ht_put(root, "/sys/class/net/em1r5/phys_switch_id", "ffff\n");
	h = scan(&f, "em1");
	assert_true(has_warning(h, "pci/" EM1 "#4: its representor em1r4 has phys_port_name pf0vf5", "not pf0vf4"));
	assert_true(has_warning(h, "pci/" EM1 "#5: its representor em1r5 is on switch ffff", SWITCH));
	assert_int_equal(h->n_warnings, 2);
	vs_host_free(h);
	fd_free(&f);
	ht_put(root, "/sys/class/net/em1r4/phys_port_name", "pf0vf4\n");
	ht_put(root, "/sys/class/net/em1r5/phys_switch_id", SWITCH "\n");
}

/* VF ports of another PF of the same devlink instance are not em1's. */
static void test_other_pfnum(void **state)
{
	struct fake_devlink f;
	struct fd_dev *d;
	struct vs_host *h;

	(void)state;
	fd_init(&f);
	d = fd_add_dev(&f, EM1, VS_ESWITCH_SWITCHDEV);
	fd_add_vfs(d, 1, 2, 100, "x", 0, false);
	fd_add_vfs(d, 0, 2, 1, "em1r", 0, false);
	h = scan(&f, "em1");
	assert_int_equal(h->pfs[0].vfs[0].dl.port, 1);
	assert_int_equal(h->pfs[0].vfs[1].dl.port, 2);
	assert_false(h->pfs[0].vfs[2].dl.has_port);
	vs_host_free(h);
	fd_free(&f);
}

/* check: a switchdev PF whose VFs lack representors fails, one with a
 * representor down warns (em1r3 is down), all up passes. */
static const struct vs_check_result *switchdev_check(struct vs_host *h, struct vs_check_report *rep)
{
	struct vs_check_ctx ctx = { .sysfs = &fs, .devlink_host = h, .host_error = "not asked" };

	memset(rep, 0, sizeof(*rep));
	assert_int_equal(vs_check_run(&ctx, rep), 0);
	return vs_check_find(rep, "switchdev", EM1);
}

static void test_check(void **state)
{
	const struct vs_check_result *res;
	struct vs_check_report rep;
	struct fake_devlink f;
	struct fd_dev *d;
	struct vs_host *h;

	(void)state;
	em1_switchdev(&f);
	h = scan(&f, "em1");
	res = switchdev_check(h, &rep);
	assert_non_null(res);
	assert_int_equal(res->status, VS_CHECK_WARN);
	assert_non_null(strstr(res->message, "1 of 7 representors are down: em1r3 (VF 3)"));
	vs_check_report_free(&rep);
	vs_host_free(h);
	fd_free(&f);

	ht_put(root, "/sys/class/net/em1r3/flags", "0x1003\n");
	em1_switchdev(&f);
	h = scan(&f, "em1");
	res = switchdev_check(h, &rep);
	assert_int_equal(res->status, VS_CHECK_PASS);
	vs_check_report_free(&rep);
	vs_host_free(h);
	fd_free(&f);
	ht_put(root, "/sys/class/net/em1r3/flags", "0x1002\n");

	fd_init(&f);
	d = fd_add_dev(&f, EM1, VS_ESWITCH_SWITCHDEV);
	fd_add_vfs(d, 0, 5, 1, "em1r", 0, false);
	h = scan(&f, "em1");
	res = switchdev_check(h, &rep);
	assert_int_equal(res->status, VS_CHECK_FAIL);
	assert_non_null(strstr(res->message, "2 of 7 VFs have no representor: VF 5, VF 6"));
	vs_check_report_free(&rep);
	vs_host_free(h);
	fd_free(&f);

	/* legacy mode: nothing to check */
	em1_switchdev(&f)->mode = VS_ESWITCH_LEGACY;
	h = scan(&f, "em1");
	assert_null(switchdev_check(h, &rep));
	vs_check_report_free(&rep);
	vs_host_free(h);
	fd_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_switchdev),
		cmocka_unit_test(test_legacy_and_none),
		cmocka_unit_test(test_representor_mismatch),
		cmocka_unit_test(test_other_pfnum),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
