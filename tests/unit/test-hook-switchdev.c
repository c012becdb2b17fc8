/* The hook on a PF in switchdev mode: a plan with rates, a rate group and
 * a MAC carried out through devlink (the declared group created on
 * demand), the devlink values saved and put back at release, and what the
 * driver refuses in that mode stopping the start before anything is sent;
 * the fake kernel and the fake devlink, in memory. */
#include "config.h"

#include <linux/devlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf.h"
#include "fake-devlink.h"
#include "fake-kernel.h"
#include "hook-exec.h"
#include "hook-plan.h"

#define UUID "4f1bd86d-9f62-4c8c-886a-6b0fc8fd2fb7"
#define MBIT 125000ULL

static char base[] = "/tmp/vs-test-hook-sw-XXXXXX";

struct fixture {
	struct fake_kernel k;
	struct fake_devlink f;
	struct fd_dev *dev;
	struct vs_hook_nl kern;
	struct vs_sysfs sysfs;
	struct vs_conf conf;
	struct vs_hook_env env;
	char state[300];
};

static struct fixture *fixture(const char *driver, bool with_fn)
{
	static int nth;
	struct fixture *x = calloc(1, sizeof(*x));
	char path[200], cmd[1200];

	assert_non_null(x);
	snprintf(path, sizeof(path), "%s/%s", base, driver);
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s/sys/bus/pci/devices/0000:05:00.0 %s/sys/bus/pci/drivers/%s && "
		 "ln -s ../../drivers/%s %s/sys/bus/pci/devices/0000:05:00.0/driver", path, path, path, driver, driver, path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(vs_sysfs_init(&x->sysfs, path), 0);
	snprintf(x->state, sizeof(x->state), "%s/state-%d", base, ++nth);
	fk_init(&x->k, 4);
	fd_init(&x->f);
	x->dev = fd_add_dev(&x->f, "0000:05:00.0", VS_ESWITCH_SWITCHDEV);
	fd_add_uplink(x->dev, "em1");
	fd_add_vfs(x->dev, 0, 4, 1, "em1_", 0, with_fn);
	x->dev->no_port_function = !with_fn;
	x->kern.nl = &x->k.nl;
	assert_int_equal(vs_devlink_open_nl(&x->kern.route.dl, &x->f.nl, NULL), 0);
	assert_int_equal(vs_conf_parse_string("[rate-group gold]\npf = em1\nmax-tx-rate = 500\n", "c.conf", &x->conf,
					      NULL), 0);
	x->env = (struct vs_hook_env){ .sysfs = &x->sysfs, .conf = &x->conf, .state_dir = x->state,
				       .kernel = &x->kern };
	return x;
}

static void fixture_free(struct fixture *x)
{
	vs_devlink_close(x->kern.route.dl);
	x->kern.route.dl = NULL;
	fd_free(&x->f);
	fk_free(&x->k);
	vs_conf_free(&x->conf);
	free(x);
}

static void plan_one(struct vs_plan *plan, int index, const char *const *kv)
{
	struct vs_plan_vf *pv;

	memset(plan, 0, sizeof(*plan));
	plan->action = VS_HOOK_PREPARE;
	snprintf(plan->uuid, sizeof(plan->uuid), "%s", UUID);
	plan->vfs = calloc(1, sizeof(*plan->vfs));
	plan->n = plan->alloc = 1;
	pv = &plan->vfs[0];
	snprintf(pv->address, sizeof(pv->address), "0000:05:10.%d", index);
	snprintf(pv->pf, sizeof(pv->pf), "em1");
	snprintf(pv->pf_address, sizeof(pv->pf_address), "0000:05:00.0");
	pv->index = index;
	vs_vf_config_init(&pv->cfg, index);
	for (; *kv; kv += 2)
		assert_int_equal(vs_vf_config_parse(&pv->cfg, kv[0], kv[1], NULL), 0);
}
#define PLAN(p, i, ...) plan_one(p, i, (const char *const[]){ __VA_ARGS__, NULL })

static void release(struct fixture *x)
{
	struct vs_plan plan;
	struct vs_error err = { 0 };

	assert_int_equal(vs_hook_plan_restore(&x->env, UUID, &plan, &err), 0);
	assert_int_equal(plan.n, 1);
	assert_int_equal(vs_hook_execute(&x->env, &plan, &err), 0);
	assert_int_equal(plan.warnings.n, 0);
	vs_plan_free(&plan);
}

/* Prepare: the group created from the config, the leaf set in bytes/s
 * with its parent; release: every devlink value as it was, exactly. */
static void test_rates_and_group_put_back(void **state)
{
	struct fixture *x = fixture("mlx5_core", true);
	struct fd_port *p = fd_find_port(x->dev, 2);
	struct vs_plan plan;
	struct vs_error err = { 0 };

	p->tx_max = 3 * MBIT + 7;
	p->tx_share = 0;
	PLAN(&plan, 1, "max-tx-rate", "100", "min-tx-rate", "10", "rate-group", "gold", "mac", "52:54:00:00:00:01");
	assert_int_equal(vs_hook_execute(&x->env, &plan, &err), 0);
	vs_plan_free(&plan);
	assert_non_null(fd_find_group(x->dev, "gold"));
	assert_int_equal(fd_find_group(x->dev, "gold")->tx_max, 500 * MBIT);
	assert_int_equal(p->tx_max, 100 * MBIT);
	assert_int_equal(p->tx_share, 10 * MBIT);
	assert_string_equal(p->parent, "gold");
	assert_int_equal(p->hw_addr[5], 1);
	/* nothing of it went to the VF table */
	assert_int_equal(x->k.pf[0].vfs[1].max_rate, 0);
	release(x);
	/* saved in Mbit/s: 3 Mbit/s and 7 bytes read back as 3 */
	assert_int_equal(p->tx_max, 3 * MBIT);
	assert_int_equal(p->tx_share, 0);
	assert_string_equal(p->parent, "");
	assert_int_equal(p->hw_addr[5], 0);
	fixture_free(x);
}

/* mlx5 in switchdev mode: a VLAN stops the start with nothing sent,
 * and the message says where the VLAN goes instead. */
static void test_refused_before_anything(void **state)
{
	struct fixture *x = fixture("mlx5_core", true);
	struct vs_plan plan;
	struct vs_error err = { 0 };

	PLAN(&plan, 0, "max-tx-rate", "100", "rate-group", "gold", "vlan", "5");
	assert_int_equal(vs_hook_execute(&x->env, &plan, &err), -EOPNOTSUPP);
	vs_plan_free(&plan);
	assert_non_null(strstr(err.msg, "em1 (0000:05:00.0) is in switchdev mode: mlx5_core"));
	assert_non_null(strstr(err.msg, "representor"));
	assert_null(fd_find_group(x->dev, "gold"));
	assert_int_equal(fd_count(&x->f, DEVLINK_CMD_RATE_SET) + fd_count(&x->f, DEVLINK_CMD_RATE_NEW), 0);
	assert_int_equal(x->k.nsetlink, 0);
	assert_int_equal(access(x->state, F_OK), -1);
	/* `virt-sriov plan` shows the same refusal */
	PLAN(&plan, 0, "spoofchk", "off");
	assert_int_equal(vs_hook_check_modes(&x->env, &plan), -EOPNOTSUPP);
	assert_non_null(strstr(plan.refusal.msg, "is in switchdev mode: mlx5_core takes no VF spoof check"));
	vs_plan_free(&plan);
	fixture_free(x);
}

/* netdevsim: no port function hw_addr; the start fails with the PF, VF
 * and MAC named, and the rates sent before it are rolled back. */
static void test_hw_addr_refused_rolls_back(void **state)
{
	struct fixture *x = fixture("netdevsim", false);
	struct fd_port *p = fd_find_port(x->dev, 1);
	struct vs_plan plan;
	struct vs_error err = { 0 };

	PLAN(&plan, 0, "max-tx-rate", "100", "mac", "52:54:00:00:00:09");
	assert_int_equal(vs_hook_execute(&x->env, &plan, &err), -EOPNOTSUPP);
	vs_plan_free(&plan);
	assert_non_null(strstr(err.msg, "VF 0: mac 52:54:00:00:00:09"));
	assert_int_equal(p->tx_max, 0);
	fixture_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates_and_group_put_back),
		cmocka_unit_test(test_refused_before_anything),
		cmocka_unit_test(test_hw_addr_refused_rolls_back),
	};
	int r;

	if (!mkdtemp(base))
		return 1;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
		if (system(cmd) != 0)
			return 1;
	}
	return r;
}
