/* Changing a PF's eswitch mode (legacy <-> switchdev): what each driver
 * needs around the devlink request, from one table of drivers.
 *
 *   mlx5_core  its VFs unbound from their drivers first, bound again after
 *              (the driver refuses a mode change while VFs are probed)
 *   ice        no VFs: numvfs 0 first, the VFs created again after
 *   netdevsim, and any driver not in the table: the request alone
 *
 * sysfs writes go through struct vs_sriov_ctx (dry run, tests' fake kernel);
 * the devlink request through struct vs_devlink. */
#pragma once

#include <stdbool.h>

#include "devlink.h"
#include "inventory.h"
#include "sriov.h"
#include "util.h"

enum vs_eswitch_prep {
	VS_ESWITCH_PREP_NONE,        /* the devlink request alone */
	VS_ESWITCH_PREP_UNBIND_VFS,  /* VFs unbound before, bound again after */
	VS_ESWITCH_PREP_NO_VFS,      /* numvfs 0 before, the VFs created again after */
};

struct vs_eswitch_driver {
	const char *driver;          /* NULL: the default row */
	enum vs_eswitch_prep prep;
	const char *why;             /* for --help, docs and messages */
};

/* The row of a PF driver (the default row for an unknown one). */
const struct vs_eswitch_driver *vs_eswitch_driver_of(const char *driver);

/* Told about each step before it is made (and, in a dry run, instead):
 * "unbind 0000:03:00.2 from mlx5_core", "devlink eswitch set pci/... mode
 * switchdev", "numvfs 0 -> 4". */
typedef void (*vs_eswitch_step_fn)(void *data, const char *step);

struct vs_eswitch_env {
	struct vs_sriov_ctx *sriov;  /* sysfs writes; its dry_run holds for all */
	struct vs_devlink *dl;
	vs_eswitch_step_fn step;     /* NULL: not told */
	void *data;
	unsigned timeout_ms;         /* for re-created VFs; 0: VS_NUMVFS_TIMEOUT_MS */
};

/* Put pf into mode (VS_ESWITCH_LEGACY/SWITCHDEV), doing what its driver
 * needs in order.  pf->eswitch_mode must have been read (inventory with
 * devlink): the same mode is 0 with nothing done; unknown (no devlink
 * eswitch) -EOPNOTSUPP naming the PF and its driver.  A failure after
 * VFs were unbound or removed still binds or re-creates them, and err
 * names the step that failed. */
int vs_eswitch_change(const struct vs_eswitch_env *env, const struct vs_pf *pf, int mode, struct vs_error *err);
