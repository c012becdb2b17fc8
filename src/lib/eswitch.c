#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "eswitch.h"

static const struct vs_eswitch_driver drivers[] = {
	{ "mlx5_core", VS_ESWITCH_PREP_UNBIND_VFS, "mlx5 changes mode only while no VF is bound to a driver" },
	{ "ice", VS_ESWITCH_PREP_NO_VFS, "ice changes mode only while the PF has no VFs" },
	{ "netdevsim", VS_ESWITCH_PREP_NONE, "netdevsim changes mode as it is" },
	{ NULL, VS_ESWITCH_PREP_NONE, "the devlink request alone" },
};

const struct vs_eswitch_driver *vs_eswitch_driver_of(const char *driver)
{
	size_t i;

	for (i = 0; drivers[i].driver; i++)
		if (driver && strcmp(drivers[i].driver, driver) == 0)
			break;
	return &drivers[i];
}

static void say(const struct vs_eswitch_env *env, const char *fmt, ...) _printf_(2, 3);

static void say(const struct vs_eswitch_env *env, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!env->step)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	env->step(env->data, line);
}

static int set_mode(const struct vs_eswitch_env *env, const struct vs_pf *pf, int mode, struct vs_error *err)
{
	say(env, "devlink eswitch set %s mode %s", pf->devlink, vs_eswitch_mode_name(mode));
	if (env->sriov->dry_run)
		return 0;
	return vs_devlink_eswitch_set(env->dl, pf->devlink, mode, err);
}

/* Each VF bound to a driver: unbound, the mode set, bound again to the
 * same driver (also when the mode change failed). */
static int with_vfs_unbound(const struct vs_eswitch_env *env, const struct vs_pf *pf, int mode, struct vs_error *err)
{
	size_t done;
	int r = 0, r2;

	for (done = 0; done < pf->n_vfs; done++) {
		const struct vs_vf *vf = &pf->vfs[done];

		if (!vf->driver[0] || !vf->address[0])
			continue;
		say(env, "unbind %s from %s", vf->address, vf->driver);
		r = vs_sriov_write(env->sriov, vf->address, "/sys/bus/pci/drivers/%s/unbind", vf->driver);
		if (r < 0) {
			vs_error_set(err, r, "%s: cannot unbind VF %u (%s) from %s before the eswitch change: %s",
				     pf->address, vf->index, vf->address, vf->driver, strerror(-r));
			break;
		}
	}
	if (r == 0)
		r = set_mode(env, pf, mode, err);
	for (size_t i = 0; i < done; i++) {
		const struct vs_vf *vf = &pf->vfs[i];

		if (!vf->driver[0] || !vf->address[0])
			continue;
		say(env, "bind %s to %s", vf->address, vf->driver);
		r2 = vs_sriov_write(env->sriov, vf->address, "/sys/bus/pci/drivers/%s/bind", vf->driver);
		if (r2 < 0 && r == 0)
			r = vs_error_set(err, r2, "%s: eswitch mode %s set, but VF %u (%s) cannot be bound to %s again: %s",
					 pf->address, vs_eswitch_mode_name(mode), vf->index, vf->address, vf->driver,
					 strerror(-r2));
	}
	return r;
}

static int numvfs(const struct vs_eswitch_env *env, const struct vs_pf *pf, int from, int to, struct vs_error *err)
{
	struct vs_numvfs_req req = { .pf = pf->address, .numvfs = to, .timeout_ms = env->timeout_ms };

	say(env, "numvfs %d -> %d", from, to);
	return vs_sriov_set_numvfs(env->sriov, &req, err);
}

/* numvfs 0, the mode set, the VFs created again (also when it failed). */
static int without_vfs(const struct vs_eswitch_env *env, const struct vs_pf *pf, int mode, struct vs_error *err)
{
	int n = pf->numvfs, r = 0, r2;

	if (n > 0)
		r = numvfs(env, pf, n, 0, err);
	if (r == 0)
		r = set_mode(env, pf, mode, err);
	if (n > 0) {
		struct vs_error e2 = { 0 };

		r2 = numvfs(env, pf, 0, n, &e2);
		if (r2 < 0 && r == 0)
			r = vs_error_set(err, r2, "%s: eswitch mode %s set, but its %d VFs were not created again: %s",
					 pf->address, vs_eswitch_mode_name(mode), n, e2.msg);
	}
	return r;
}

int vs_eswitch_change(const struct vs_eswitch_env *env, const struct vs_pf *pf, int mode, struct vs_error *err)
{
	const struct vs_eswitch_driver *drv = vs_eswitch_driver_of(pf->driver);

	if (!vs_eswitch_mode_name(mode))
		return vs_error_set(err, -EINVAL, "%s: eswitch mode %d is neither legacy nor switchdev", pf->address, mode);
	if (pf->eswitch_mode < 0)
		return vs_error_set(err, -EOPNOTSUPP, "%s%s%s%s: no devlink eswitch (driver %s): the eswitch mode cannot be "
				    "changed", pf->address, pf->netdev[0] ? " (" : "", pf->netdev, pf->netdev[0] ? ")" : "",
				    pf->driver[0] ? pf->driver : "none");
	if (pf->eswitch_mode == mode)
		return 0;
	switch (drv->prep) {
	case VS_ESWITCH_PREP_UNBIND_VFS: return with_vfs_unbound(env, pf, mode, err);
	case VS_ESWITCH_PREP_NO_VFS: return without_vfs(env, pf, mode, err);
	case VS_ESWITCH_PREP_NONE: break;
	}
	return set_mode(env, pf, mode, err);
}
