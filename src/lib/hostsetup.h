/* virt-sriov apply: bring the host to what /etc/virt-sriov/virt-sriov.conf
 * asks (VF counts, sriov_drivers_autoprobe, VF drivers, the static settings
 * of VFs, hostdev pools), idempotently.
 *
 * Three parts, each usable alone:
 *   vs_want_resolve   the configuration matched against the inventory and
 *                     validated as a whole (FILE:LINE errors, nothing written)
 *   vs_setup_plan     the differences, as an ordered list of changes
 *   vs_setup_run      both, then the changes made step by step, the
 *                     inventory read again after each step that changed it
 *
 * Order: autoprobe, the eswitch mode of PFs whose driver changes it only
 * without VFs (ice), numvfs (with its bounded wait), the eswitch mode of the
 * other PFs (eswitch.h), drivers, VF settings (one request per PF), pools
 * (libvirt API; skipped without a connection). */
#pragma once

#include <libvirt/libvirt.h>
#include <net/if.h>
#include <stdbool.h>

#include "conf.h"
#include "devlink.h"
#include "inventory.h"
#include "sriov.h"
#include "util.h"
#include "xmlgen.h"

enum vs_setup_step {
	VS_STEP_AUTOPROBE,
	VS_STEP_ESWITCH_EARLY,        /* eswitch = for drivers that need no VFs (ice) */
	VS_STEP_NUMVFS,
	VS_STEP_ESWITCH,              /* eswitch = for the others */
	VS_STEP_DRIVER,
	VS_STEP_SETTINGS,
	VS_STEP_POOL,
	VS_STEP_COUNT,
};
#define VS_STEP_BIT(s) (1u << (s))
#define VS_STEPS_ALL ((1u << VS_STEP_COUNT) - 1)

/* "autoprobe", "eswitch", "numvfs", "eswitch", "driver", "settings", "pool". */
const char *vs_setup_step_name(enum vs_setup_step s);

/* ---- what the configuration wants, per PF of the host ---- */

struct vs_want_pf {
	char address[VS_PCI_ADDR_MAX];
	int numvfs;                   /* -1: leave the count as it is */
	const struct vs_conf_section *numvfs_sec;
	int autoprobe;                /* -1: leave as it is */
	const struct vs_conf_section *autoprobe_sec;
	int eswitch;                  /* VS_ESWITCH_*; -1: leave the mode as it is */
	const struct vs_conf_section *eswitch_sec;
	int count;                    /* VFs the PF has once numvfs is done */
	const struct vs_conf_section **vfs;  /* [vfs] section of each VF 0..count-1, or NULL */
};

struct vs_want {
	const struct vs_conf *conf;
	struct vs_want_pf *pfs;       /* only PFs the configuration says something about */
	size_t n_pfs;
	const struct vs_conf_section **pools;  /* [pool] sections with pf = */
	size_t n_pools;
};

/* Match every section against the host and validate the whole: a [pf]/[vfs]/
 * pool PF named by netdev or address that is not there, numvfs above
 * sriov_totalvfs, a VF beyond the count the PF will have, overlapping [vfs]
 * sets, a driver that is not loaded, settings on a PF without a netdev,
 * values the kernel would refuse.  -EINVAL/-ENOENT/-ERANGE with err reading
 * "FILE:LINE: ..." and naming the PF and the value.  sysfs is read for the
 * drivers. */
int vs_want_resolve(const struct vs_conf *conf, const struct vs_host *host, const struct vs_sysfs *sysfs,
		    struct vs_want *out, struct vs_error *err);
void vs_want_free(struct vs_want *w);

/* ---- the differences ---- */

struct vs_change {
	enum vs_setup_step step;
	char pf[VS_PCI_ADDR_MAX];
	char pf_netdev[IFNAMSIZ];     /* "" none */
	char pf_driver[VS_DRIVER_MAX];
	int vf;                       /* VF index; -1 for PF-wide steps and pools */
	char vf_address[VS_PCI_ADDR_MAX];  /* "" when the VF does not exist yet */
	int from, to;                 /* autoprobe, numvfs, eswitch (VS_ESWITCH_*); from -1 unknown */
	char driver_from[VS_DRIVER_MAX];   /* "" unbound */
	char driver_to[VS_DRIVER_MAX];
	struct vs_vf_config cfg;      /* settings: the ones that differ (index = vf) */
	bool unknown;                 /* the current state is not known (VF still to be made,
				       * settings unreadable): every wanted value is listed */
	const char *pool;             /* pool name */
	unsigned pool_changes;        /* enum vs_pool_change bits */
	bool pool_autostart, pool_start;
	char *pool_xml;               /* NULL: made once the PF's VFs exist */
	const struct vs_conf_section *sec;  /* the section that asks for it */
	int line;                     /* the line of the key */
};

struct vs_changes {
	struct vs_change *v;
	size_t n, alloc;
};
void vs_changes_free(struct vs_changes *c);

/* One line: "em1 (0000:01:00.0): numvfs 0 -> 7", "em1#6 (0000:01:10.4):
 * mac 02:00:00:00:01:06, spoofchk off", "pool tenants (em1): define,
 * autostart on, start". */
void vs_change_describe(const struct vs_change *c, char *buf, size_t len);

struct vs_plan_env {
	const struct vs_sysfs *sysfs;
	virConnectPtr conn;           /* pools (asked in a dry run); NULL: no pool step */
	const struct vs_template_paths *paths;
	bool predict;                 /* plan later steps as if the earlier ones were done
				       * (dry run): VFs still to be created are "new" */
};

/* The changes of `steps` (VS_STEP_BIT mask), in order.  Refusals here:
 * a count change of a PF whose VFs a guest holds (err names the guest), or
 * whose VFs may be held while libvirt was not asked (host->usage_known
 * false and a VF on vfio-pci); a driver change of a VF a guest holds.  VFs a
 * guest holds keep their settings (the hook owns them while it runs). */
int vs_setup_plan(const struct vs_plan_env *env, const struct vs_want *want, const struct vs_host *host,
		  unsigned steps, struct vs_changes *out, struct vs_error *err);

/* ---- doing it ---- */

/* Read the inventory again (with VF settings, and usage when libvirt is there). */
typedef int (*vs_setup_scan_fn)(void *data, struct vs_host **out, struct vs_error *err);
/* Told about each change once made (or, in a dry run, planned). */
typedef void (*vs_setup_report_fn)(void *data, const struct vs_change *c);
/* Called once, after the validation, before the settings step (in a dry run
 * before the changes are reported): apply puts back the hook's leftovers
 * there, on VFs that exist by then.  Returns how many VFs it changed (> 0:
 * the host is read again before the settings). */
typedef int (*vs_setup_before_settings_fn)(void *data);

struct vs_setup_env {
	const struct vs_conf *conf;
	const struct vs_template_paths *paths;
	struct vs_sriov_ctx *sriov;   /* sysfs writes, the numvfs wait, binds */
	virConnectPtr conn;           /* NULL: --no-libvirt (no pools, usage unknown) */
	bool dry_run;
	unsigned timeout_ms;          /* numvfs wait; 0 default */
	/* VF settings go through the one executor (vfctl.h) to this kernel;
	 * NULL: none (nl_error says why, for the message) */
	struct vs_nl *nl;
	const char *nl_error;
	struct vs_devlink *dl;        /* eswitch changes; NULL: devlink not open */
	vs_setup_scan_fn scan;
	vs_setup_report_fn report;
	vs_setup_before_settings_fn before_settings;  /* NULL: none */
	void *data;                   /* for the hooks */
};

/* Scan, resolve, plan everything (the validation: on any error nothing is
 * written), then unless dry_run make the changes step by step.  Returns the
 * number of changes made (or planned), or a negative errno with err saying
 * what could not be done; changes reported before it were made. */
int vs_setup_run(const struct vs_setup_env *env, struct vs_error *err);
