/* The eswitch change (eswitch.c): each driver's steps in order, against the
 * fake devlink and a recording sysfs; and `eswitch =` of virt-sriov.conf
 * through apply's plan (hostsetup.c): where it goes relative to numvfs,
 * nothing when the mode is already right, a PF without devlink eswitch
 * refused with FILE:LINE. */
#include "config.h"

#include <linux/devlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "conf.h"
#include "devlink.h"
#include "eswitch.h"
#include "fake-devlink.h"
#include "host-tree.h"
#include "hostsetup.h"
#include "inventory.h"

#define EM1 "0000:01:00.0"

static char *root;
static struct vs_sysfs fs;

/* What happened, in order: steps told and sysfs writes made. */
static char log_buf[4096];

static void logf_(const char *fmt, ...)
{
	size_t n = strlen(log_buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(log_buf + n, sizeof(log_buf) - n, fmt, ap);
	va_end(ap);
}

static void on_step(void *data, const char *step)
{
	(void)data;
	logf_("step %s\n", step);
}

static int rec_write(struct vs_sriov_ctx *ctx, const char *path, const char *value)
{
	(void)ctx;
	logf_("write %s > %s\n", value, path);
	return 0;
}

static int setup(void **state)
{
	static const char *const args[] = { "--profile", "r730", NULL };

	(void)state;
	root = ht_generate(args);
	return root && vs_sysfs_init(&fs, root) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ht_remove(root);
	return 0;
}

static struct vs_pf *hand_pf(struct vs_pf *pf, struct vs_vf *vfs, const char *driver, const char *vf_driver)
{
	memset(pf, 0, sizeof(*pf));
	snprintf(pf->address, sizeof(pf->address), EM1);
	snprintf(pf->devlink, sizeof(pf->devlink), "pci/" EM1);
	snprintf(pf->driver, sizeof(pf->driver), "%s", driver);
	pf->eswitch_mode = VS_ESWITCH_LEGACY;
	pf->numvfs = 2;
	pf->vfs = vfs;
	pf->n_vfs = 2;
	memset(vfs, 0, 2 * sizeof(*vfs));
	for (unsigned i = 0; i < 2; i++) {
		vfs[i].index = i;
		snprintf(vfs[i].address, sizeof(vfs[i].address), "0000:01:10.%u", i);
		snprintf(vfs[i].driver, sizeof(vfs[i].driver), "%s", i == 1 ? "vfio-pci" : vf_driver);
	}
	return pf;
}

static void change(struct fake_devlink *f, struct vs_pf *pf, int mode, bool dry_run, int want_r)
{
	struct vs_devlink *dl = NULL;
	struct vs_sriov_ctx ctx;
	struct vs_eswitch_env env = { .sriov = &ctx, .step = on_step };
	struct vs_error err = { 0 };

	vs_sriov_ctx_init(&ctx, &fs);
	ctx.write = rec_write;
	ctx.dry_run = dry_run;
	assert_int_equal(vs_devlink_open_nl(&dl, &f->nl, &err), 0);
	env.dl = dl;
	log_buf[0] = '\0';
	assert_int_equal(vs_eswitch_change(&env, pf, mode, &err), want_r);
	vs_devlink_close(dl);
}

/* mlx5: each bound VF unbound, the request, each bound again to its driver. */
static void test_mlx5(void **state)
{
	struct fake_devlink f;
	struct vs_pf pf;
	struct vs_vf vfs[2];

	(void)state;
	fd_init(&f);
	fd_add_dev(&f, EM1, VS_ESWITCH_LEGACY);
	change(&f, hand_pf(&pf, vfs, "mlx5_core", "mlx5_core"), VS_ESWITCH_SWITCHDEV, false, 0);
	assert_string_equal(log_buf, "step unbind 0000:01:10.0 from mlx5_core\n"
				     "write 0000:01:10.0 > /sys/bus/pci/drivers/mlx5_core/unbind\n"
				     "step unbind 0000:01:10.1 from vfio-pci\n"
				     "write 0000:01:10.1 > /sys/bus/pci/drivers/vfio-pci/unbind\n"
				     "step devlink eswitch set pci/" EM1 " mode switchdev\n"
				     "step bind 0000:01:10.0 to mlx5_core\n"
				     "write 0000:01:10.0 > /sys/bus/pci/drivers/mlx5_core/bind\n"
				     "step bind 0000:01:10.1 to vfio-pci\n"
				     "write 0000:01:10.1 > /sys/bus/pci/drivers/vfio-pci/bind\n");
	assert_int_equal(f.devs[0].mode, VS_ESWITCH_SWITCHDEV);

	/* refused by the driver: the VFs are bound again all the same */
	f.devs[0].refuse_mode = -EBUSY;
	f.devs[0].refuse_mode_extack = "mlx5: VFs are probed";
	change(&f, &pf, VS_ESWITCH_SWITCHDEV, false, -EBUSY);
	assert_non_null(strstr(log_buf, "bind 0000:01:10.1 to vfio-pci\n"));
	fd_free(&f);
}

/* ice in a dry run: numvfs 0, the request, numvfs back; nothing written. */
static void test_ice_dry_run(void **state)
{
	struct fake_devlink f;
	struct vs_pf pf;
	struct vs_vf vfs[2];

	(void)state;
	fd_init(&f);
	fd_add_dev(&f, EM1, VS_ESWITCH_LEGACY);
	change(&f, hand_pf(&pf, vfs, "ice", "iavf"), VS_ESWITCH_SWITCHDEV, true, 0);
	assert_string_equal(log_buf, "step numvfs 2 -> 0\n"
				     "step devlink eswitch set pci/" EM1 " mode switchdev\n"
				     "step numvfs 0 -> 2\n");
	assert_int_equal(f.devs[0].mode, VS_ESWITCH_LEGACY);
	assert_int_equal(f.nreq, 0);
	fd_free(&f);
}

/* netdevsim and unknown drivers: the request alone; the same mode: nothing;
 * no devlink eswitch: refused, naming the PF and its driver. */
static void test_as_is(void **state)
{
	struct fake_devlink f;
	struct vs_pf pf;
	struct vs_vf vfs[2];

	(void)state;
	fd_init(&f);
	fd_add_dev(&f, EM1, VS_ESWITCH_LEGACY);
	change(&f, hand_pf(&pf, vfs, "frob", "frobvf"), VS_ESWITCH_SWITCHDEV, false, 0);
	assert_string_equal(log_buf, "step devlink eswitch set pci/" EM1 " mode switchdev\n");
	pf.eswitch_mode = VS_ESWITCH_SWITCHDEV;
	change(&f, &pf, VS_ESWITCH_SWITCHDEV, false, 0);
	assert_string_equal(log_buf, "");
	pf.eswitch_mode = VS_ESWITCH_UNKNOWN;
	change(&f, &pf, VS_ESWITCH_SWITCHDEV, false, -EOPNOTSUPP);
	assert_int_equal(fd_count(&f, DEVLINK_CMD_ESWITCH_SET), 1);
	fd_free(&f);
}

/* ---- eswitch = in virt-sriov.conf, through apply's plan ---- */

static struct vs_host *scan(struct fake_devlink *f)
{
	struct vs_devlink *dl = NULL;
	struct vs_scan_opts o = { .sysfs = &fs, .only = { "em1", NULL } };
	struct vs_host *host = NULL;
	struct vs_error err = { 0 };

	assert_int_equal(vs_devlink_open_nl(&dl, &f->nl, &err), 0);
	o.dl = dl;
	assert_int_equal(vs_inventory_scan(&o, &host, &err), 0);
	vs_devlink_close(dl);
	return host;
}

static int plan(const char *text, struct vs_host *host, struct vs_changes *cs, struct vs_error *err)
{
	struct vs_plan_env env = { .sysfs = &fs, .predict = true };
	struct vs_want want = { 0 };
	struct vs_conf conf;
	int r;

	assert_int_equal(vs_conf_parse_string(text, "test.conf", &conf, err), 0);
	memset(cs, 0, sizeof(*cs));
	r = vs_want_resolve(&conf, host, &fs, &want, err);
	if (r == 0)
		r = vs_setup_plan(&env, &want, host, VS_STEPS_ALL, cs, err);
	vs_want_free(&want);
	vs_conf_free(&conf);
	return r;
}

static void test_conf_plan(void **state)
{
	struct vs_error err = { 0 };
	struct vs_changes cs;
	struct fake_devlink f;
	struct vs_host *h;
	char line[256];

	(void)state;
	fd_init(&f);
	fd_add_dev(&f, EM1, VS_ESWITCH_LEGACY);
	h = scan(&f);
	/* igb is no ice: after numvfs */
	assert_int_equal(plan("[pf em1]\nnumvfs = 3\neswitch = switchdev\n", h, &cs, &err), 0);
	assert_int_equal(cs.n, 2);
	assert_int_equal(cs.v[0].step, VS_STEP_NUMVFS);
	assert_int_equal(cs.v[1].step, VS_STEP_ESWITCH);
	assert_int_equal(cs.v[1].line, 3);
	vs_change_describe(&cs.v[1], line, sizeof(line));
	assert_string_equal(line, "em1 (" EM1 "): eswitch legacy -> switchdev");
	assert_string_equal(vs_setup_step_name(cs.v[1].step), "eswitch");
	vs_changes_free(&cs);
	/* ice: before numvfs */
	snprintf(h->pfs[0].driver, sizeof(h->pfs[0].driver), "ice");
	assert_int_equal(plan("[pf em1]\nnumvfs = 3\neswitch = switchdev\n", h, &cs, &err), 0);
	assert_int_equal(cs.n, 2);
	assert_int_equal(cs.v[0].step, VS_STEP_ESWITCH_EARLY);
	assert_int_equal(cs.v[1].step, VS_STEP_NUMVFS);
	vs_changes_free(&cs);
	/* already in that mode: nothing */
	assert_int_equal(plan("[pf em1]\neswitch = legacy\n", h, &cs, &err), 0);
	assert_int_equal(cs.n, 0);
	vs_changes_free(&cs);
	vs_host_free(h);
	fd_free(&f);

	/* no devlink eswitch (igb as it is): FILE:LINE, the PF, the driver */
	fd_init(&f);
	fd_add_dev(&f, EM1, -1);
	h = scan(&f);
	assert_int_equal(plan("[pf em1]\n\neswitch = switchdev\n", h, &cs, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "test.conf:3: eswitch = switchdev for em1 (" EM1 "): the PF has no devlink eswitch "
				     "(driver igb)");
	vs_changes_free(&cs);
	vs_host_free(h);
	fd_free(&f);

	vs_error_clear(&err);
	{
		struct vs_conf conf;

		assert_int_equal(vs_conf_parse_string("[pf em1]\neswitch = offload\n", "t.conf", &conf, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "eswitch 'offload' is not an eswitch mode (legacy or switchdev)"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mlx5),
		cmocka_unit_test(test_ice_dry_run),
		cmocka_unit_test(test_as_is),
		cmocka_unit_test(test_conf_plan),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
