/* vfroute: which setting goes by rtnetlink and which by devlink, what a
 * driver refuses in switchdev mode (before anything is sent), roll back,
 * the devlink values read for save/put back, Mbit/s <-> bytes/s; against
 * the fake kernel and the fake devlink. */
#include "config.h"

#include <linux/devlink.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake-devlink.h"
#include "fake-kernel.h"
#include "vfroute.h"

#define MBIT 125000ULL

struct fixture {
	struct fake_kernel k;
	struct fake_devlink f;
	struct fd_dev *dev;
	struct vs_vfroute route;
	struct vs_vfroute_pf pf;
};

static struct fixture *fixture(const char *name, const char *address, const char *driver, int mode, bool with_fn)
{
	struct fixture *x = calloc(1, sizeof(*x));
	struct vs_error err = { 0 };

	assert_non_null(x);
	fk_init(&x->k, 4);
	fd_init(&x->f);
	x->dev = fd_add_dev(&x->f, name, mode);
	fd_add_uplink(x->dev, "em1");
	fd_add_vfs(x->dev, 0, 4, 1, "em1_", 0, with_fn);
	x->dev->no_port_function = !with_fn;
	x->route.nl = &x->k.nl;
	assert_int_equal(vs_devlink_open_nl(&x->route.dl, &x->f.nl, &err), 0);
	x->pf = (struct vs_vfroute_pf){ "em1", address, driver };
	return x;
}

static void fixture_free(struct fixture *x)
{
	vs_devlink_close(x->route.dl);
	fd_free(&x->f);
	fk_free(&x->k);
	free(x);
}

static struct fixture *mlx5(int mode)
{
	return fixture("0000:05:00.0", "0000:05:00.0", "mlx5_core", mode, true);
}

static struct fixture *netdevsim(void)
{
	return fixture("netdevsim/netdevsim1", "netdevsim1", "netdevsim", VS_ESWITCH_SWITCHDEV, false);
}

static struct vs_vf_config parsed(int index, const char *const *kv)
{
	struct vs_vf_config c;
	struct vs_error err = { 0 };

	vs_vf_config_init(&c, index);
	for (; *kv; kv += 2)
		if (vs_vf_config_parse(&c, kv[0], kv[1], &err) != 0)
			fail_msg("%s %s: %s", kv[0], kv[1], err.msg);
	return c;
}
#define PARSED(i, ...) parsed(i, (const char *const[]){ __VA_ARGS__, NULL })

static size_t dl_sets(const struct fixture *x)
{
	return fd_count(&x->f, DEVLINK_CMD_PORT_SET) + fd_count(&x->f, DEVLINK_CMD_RATE_SET) +
	       fd_count(&x->f, DEVLINK_CMD_RATE_NEW);
}

static int apply1(struct fixture *x, struct vs_vf_config c, struct vs_error *err)
{
	struct vs_vfctl_outcome o = { 0 };
	int r = vs_vfroute_apply(&x->route, &x->pf, &c, 1, &o, err);

	vs_vfctl_outcome_free(&o);
	return r;
}

/* Legacy mode: everything over rtnetlink, as before; devlink only asked
 * for the mode. */
static void test_legacy_rtnetlink(void **state)
{
	struct fixture *x = mlx5(VS_ESWITCH_LEGACY);
	struct vs_error err = { 0 };

	assert_int_equal(apply1(x, PARSED(1, "mac", "52:54:00:00:00:11", "max-tx-rate", "100"), &err), 0);
	assert_int_equal(x->k.nsetlink, 1);
	assert_int_equal(x->k.pf[0].vfs[1].max_rate, 100);
	assert_int_equal(x->k.pf[0].vfs[1].mac[5], 0x11);
	assert_int_equal(dl_sets(x), 0);
	fixture_free(x);
}

/* Switchdev: MAC as hw_addr, rates as tx_max/tx_share in bytes/s, the
 * group as parent; the rest (trust) over rtnetlink. */
static void test_switchdev_routing(void **state)
{
	struct fixture *x = mlx5(VS_ESWITCH_SWITCHDEV);
	struct vs_error err = { 0 };
	struct fd_port *p = fd_find_port(x->dev, 3);
	struct vs_vfctl_outcome o = { 0 };
	struct vs_vf_config c = PARSED(2, "mac", "52:54:00:00:00:22", "min-tx-rate", "100", "max-tx-rate", "1000",
				       "rate-group", "gold", "trust", "on");

	assert_int_equal(vs_vfroute_group_ensure(&x->route, &x->pf, "gold", 5000, -1, &err), 0);
	assert_int_equal(fd_find_group(x->dev, "gold")->tx_max, 5000 * MBIT);
	assert_int_equal(vs_vfroute_apply(&x->route, &x->pf, &c, 1, &o, &err), 0);
	assert_int_equal(p->hw_addr[5], 0x22);
	assert_int_equal(p->tx_max, 1000 * MBIT);
	assert_int_equal(p->tx_share, 100 * MBIT);
	assert_string_equal(p->parent, "gold");
	/* rtnetlink got trust and nothing of the devlink settings */
	assert_int_equal(x->k.pf[0].vfs[2].trust, 1);
	assert_int_equal(x->k.pf[0].vfs[2].max_rate, 0);
	assert_int_equal(x->k.pf[0].vfs[2].mac[5], 0);
	assert_true(o.in_effect[0] & (1u << VS_ATTR_MAC));
	assert_true(o.in_effect[0] & (1u << VS_ATTR_RATE_GROUP));
	/* hw_addr, the leaf, and trust's RTM_SETLINK: what `vf set` counts */
	assert_int_equal(o.requests, 3);
	vs_vfctl_outcome_free(&o);
	/* a rate alone is completed from the leaf; the same again sends nothing */
	assert_int_equal(apply1(x, PARSED(2, "max-tx-rate", "2000"), &err), 0);
	assert_int_equal(p->tx_share, 100 * MBIT);
	assert_int_equal(p->tx_max, 2000 * MBIT);
	size_t before = dl_sets(x);
	assert_int_equal(apply1(x, PARSED(2, "max-tx-rate", "2000", "rate-group", "gold"), &err), 0);
	assert_int_equal(dl_sets(x), before);
	fixture_free(x);
}

/* mlx5 in switchdev mode: VLAN and spoof check refused before anything
 * is sent, naming PF, mode, VF, value and the representor's way. */
static void test_refused_before_sending(void **state)
{
	struct fixture *x = mlx5(VS_ESWITCH_SWITCHDEV);
	struct vs_error err = { 0 };

	assert_int_equal(apply1(x, PARSED(1, "max-tx-rate", "10", "vlan", "5"), &err), -EOPNOTSUPP);
	assert_non_null(strstr(err.msg, "em1 (0000:05:00.0) is in switchdev mode: mlx5_core"));
	assert_non_null(strstr(err.msg, "VF 1: vlan 5"));
	assert_non_null(strstr(err.msg, "em1_1"));
	assert_non_null(strstr(err.msg, "bridge vlan add dev em1_1 vid 5"));
	vs_error_clear(&err);
	assert_int_equal(apply1(x, PARSED(1, "spoofchk", "off"), &err), -EOPNOTSUPP);
	assert_non_null(strstr(err.msg, "spoofchk off"));
	assert_non_null(strstr(err.msg, "flow rules on em1_1"));
	assert_int_equal(dl_sets(x), 0);
	assert_int_equal(x->k.nsetlink, 0);
	assert_int_equal(fd_find_port(x->dev, 2)->tx_max, 0);
	/* VLAN 0 is what mlx5 takes */
	assert_int_equal(apply1(x, PARSED(1, "vlan", "0"), &err), 0);
	fixture_free(x);
}

/* netdevsim takes VLAN and spoof check in switchdev mode (rtnetlink). */
static void test_netdevsim_takes_vlan(void **state)
{
	struct fixture *x = netdevsim();
	struct vs_error err = { 0 };

	assert_int_equal(apply1(x, PARSED(0, "vlan", "5", "spoofchk", "off"), &err), 0);
	assert_int_equal(x->k.pf[0].vfs[0].vlan, 5);
	assert_int_equal(x->k.pf[0].vfs[0].spoofchk, 0);
	fixture_free(x);
}

/* A driver without port function hw_addr: a clear error, nothing changed
 * (the MAC goes first, so no rate was sent either). */
static void test_hw_addr_refused(void **state)
{
	struct fixture *x = netdevsim();
	struct vs_error err = { 0 };

	assert_int_equal(apply1(x, PARSED(1, "mac", "52:54:00:00:00:33", "max-tx-rate", "10", "trust", "on"), &err),
			 -EOPNOTSUPP);
	assert_non_null(strstr(err.msg, "em1 (netdevsim/netdevsim1, switchdev): VF 1: mac 52:54:00:00:00:33"));
	assert_non_null(strstr(err.msg, "port function hw_addr"));
	assert_int_equal(fd_find_port(x->dev, 2)->tx_max, 0);
	assert_int_equal(x->k.nsetlink, 0);
	fixture_free(x);
}

/* The rates went in, then rtnetlink refused: the leaf is put back. */
static void test_roll_back(void **state)
{
	struct fixture *x = mlx5(VS_ESWITCH_SWITCHDEV);
	struct vs_error err = { 0 };
	struct fd_port *p = fd_find_port(x->dev, 1);

	p->tx_max = 7 * MBIT + 1; /* not a whole Mbit/s: put back exactly */
	x->k.pf[0].refuse = FK_BIT(IFLA_VF_TRUST);
	assert_int_equal(apply1(x, PARSED(0, "mac", "52:54:00:00:00:44", "max-tx-rate", "10", "trust", "on"), &err),
			 -EOPNOTSUPP);
	assert_non_null(strstr(err.msg, "trust"));
	assert_int_equal(p->tx_max, 7 * MBIT + 1);
	assert_int_equal(p->hw_addr[5], 0);
	fixture_free(x);
}

static void test_rate_group_rules(void **state)
{
	struct fixture *x = mlx5(VS_ESWITCH_LEGACY), *y = mlx5(VS_ESWITCH_SWITCHDEV);
	struct vs_error err = { 0 };

	assert_int_equal(apply1(x, PARSED(0, "rate-group", "gold"), &err), -EOPNOTSUPP);
	assert_non_null(strstr(err.msg, "is in legacy mode: VF 0: rate-group gold"));
	assert_int_equal(x->k.nsetlink, 0);
	vs_error_clear(&err);
	assert_int_equal(vs_vfroute_group_ensure(&x->route, &x->pf, "gold", 1, 1, &err), -EOPNOTSUPP);
	vs_error_clear(&err);
	assert_int_equal(apply1(y, PARSED(0, "rate-group", "silver"), &err), -ENOENT);
	assert_non_null(strstr(err.msg, "[rate-group silver]"));
	assert_int_equal(dl_sets(y), 0);
	/* "none" holds anywhere */
	assert_int_equal(apply1(x, PARSED(0, "rate-group", "none"), &err), 0);
	fixture_free(x);
	fixture_free(y);
}

/* Save reads the devlink values over the VF table. */
static void test_read_overlay(void **state)
{
	struct fixture *x = mlx5(VS_ESWITCH_SWITCHDEV);
	struct vs_pf_vf_list l = { 0 };
	struct vs_error err = { 0 };
	struct fd_port *p = fd_find_port(x->dev, 4);

	p->tx_max = 250 * MBIT;
	p->tx_share = 20 * MBIT;
	p->hw_addr[5] = 0x55;
	p->has_hw_addr = true;
	assert_int_equal(vs_vfroute_group_ensure(&x->route, &x->pf, "g1", -1, -1, &err), 0);
	snprintf(p->parent, sizeof(p->parent), "g1");
	assert_int_equal(vs_vfroute_read(&x->route, &x->pf, &l, &err), 0);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.vfs[3].max_tx_rate, 250);
	assert_int_equal(l.vfs[3].min_tx_rate, 20);
	assert_int_equal(l.vfs[3].mac[5], 0x55);
	assert_true(l.vfs[3].has_rate_group);
	assert_string_equal(l.vfs[3].rate_group, "g1");
	assert_true(l.vfs[0].has_rate_group);
	assert_string_equal(l.vfs[0].rate_group, "");
	vs_pf_vf_list_free(&l);
	fixture_free(x);
}

/* Reset in switchdev mode: rates 0 and no group through devlink; the MAC
 * a driver cannot set there is skipped, not refused. */
static void test_reset_switchdev(void **state)
{
	struct fixture *x = netdevsim();
	struct vs_vfctl_outcome o = { 0 };
	struct vs_error err = { 0 };
	struct fd_port *p = fd_find_port(x->dev, 2);
	struct vs_vf_config c;

	assert_int_equal(vs_vfroute_group_ensure(&x->route, &x->pf, "g1", 100, -1, &err), 0);
	assert_int_equal(apply1(x, PARSED(1, "max-tx-rate", "10", "rate-group", "g1"), &err), 0);
	assert_string_equal(p->parent, "g1");
	vs_vf_config_reset(&c, 1);
	assert_int_equal(vs_vfroute_reset(&x->route, &x->pf, &c, 1, &o, &err), 0);
	assert_int_equal(p->tx_max, 0);
	assert_string_equal(p->parent, "");
	assert_true(o.skipped & (1u << VS_ATTR_MAC));
	vs_vfctl_outcome_free(&o);
	fixture_free(x);
}

static void test_devlink_name(void **state)
{
	char b[96];

	vs_vfroute_devlink_name("0000:03:00.0", b, sizeof(b));
	assert_string_equal(b, "0000:03:00.0");
	vs_vfroute_devlink_name("netdevsim3", b, sizeof(b));
	assert_string_equal(b, "netdevsim/netdevsim3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_legacy_rtnetlink),
		cmocka_unit_test(test_switchdev_routing),
		cmocka_unit_test(test_refused_before_sending),
		cmocka_unit_test(test_netdevsim_takes_vlan),
		cmocka_unit_test(test_hw_addr_refused),
		cmocka_unit_test(test_roll_back),
		cmocka_unit_test(test_rate_group_rules),
		cmocka_unit_test(test_read_overlay),
		cmocka_unit_test(test_reset_switchdev),
		cmocka_unit_test(test_devlink_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
