/* The host's SR-IOV inventory: every PF (PCI device with sriov_totalvfs;
 * on request also a non-PCI device with sriov_numvfs behind a netdev, as
 * netdevsim's), its VFs ordered by number, and what is known about each.
 *
 * Values that cannot be known carry a sentinel (-1, "" or NULL) and are
 * printed as null; a PF whose VF settings could not be read completely has
 * vf_configs_known = false and a warning naming it in host->warnings.  A PF
 * whose VFs have no settings at all (NVMe: no netdev, no rtnetlink VF table)
 * has vf_settings_na: "not applicable" is not "unknown". */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "devlink.h"
#include "pciaddr.h"
#include "sysfs.h"
#include "util.h"
#include "vfconfig.h"


/* What devlink says of a VF's eswitch port (switchdev mode); nothing
 * (all zero) without has_port, so that a VF built by hand has none. */
struct vs_vf_devlink {
	bool has_port;                /* a devlink port of flavour pcivf is this VF's */
	uint32_t port;                /* its index */
	char representor[IFNAMSIZ];   /* the port's netdev; "" none */
	int representor_up;           /* IFF_UP of the representor; -1 unknown */
	int state, opstate;           /* port function (DEVLINK_PORT_FN_*); -1 not reported */
	bool has_hw_addr;             /* port function hw_addr reported */
	unsigned char hw_addr[6];
	bool has_rate;                /* a rate leaf was reported */
	uint64_t tx_max, tx_share;    /* bytes/s, as the kernel; 0 no limit */
	char rate_parent[VS_DEVLINK_NAME_MAX]; /* its rate group; "" none */
};

struct vs_vf {
	unsigned index;
	char address[VS_PCI_ADDR_MAX];
	char driver[VS_DRIVER_MAX];   /* "" when unbound */
	char netdev[IFNAMSIZ];        /* "" when none (e.g. on vfio-pci) */
	int iommu_group;              /* -1 unknown */
	bool config_known;            /* config came from the kernel */
	struct vs_vf_config config;
	char *in_use_by;              /* guest name; NULL free or unknown */
	struct vs_vf_devlink dl;
};

struct vs_pf {
	char address[VS_PCI_ADDR_MAX];  /* non_pci: the device's name ("netdevsim1") */
	bool non_pci;                 /* VFs are no devices: address "", no driver, group or netdev */
	char netdev[IFNAMSIZ];        /* "" when none (NVMe, unbound) */
	char **netdevs;               /* every netdev of the PF (NULL-terminated; netdev is the first) */
	char driver[VS_DRIVER_MAX];
	unsigned vendor_id, device_id;
	unsigned vf_device_id;        /* 0 unknown */
	char vendor_name[128];        /* libpci names; "" unknown */
	char device_name[256];
	int numa_node;                /* -1 unknown / none */
	int iommu_group;              /* -1 unknown */
	int totalvfs, numvfs;         /* -1 unknown */
	int vf_offset, vf_stride;     /* -1 unknown */
	int drivers_autoprobe;        /* -1 unknown */
	bool vf_configs_known;        /* every VF's config read from the kernel */
	bool vf_settings_na;          /* VF settings do not apply: no netdev and no network
					 device by its PCI class (NVMe); no warning, config_known false */
	struct vs_vf *vfs;
	size_t n_vfs;
	/* devlink (vs_scan_opts.dl): the handle ("pci/ADDR", "netdevsim/netdevsim1"),
	 * the eswitch mode (VS_ESWITCH_UNKNOWN: no devlink eswitch, or not read),
	 * the netdev's phys_switch_id and, in switchdev mode, the rate groups */
	char devlink[VS_PCI_ADDR_MAX + 40];
	int eswitch_mode;
	char switch_id[72];           /* "" none */
	struct vs_devlink_rate *rate_groups;
	size_t n_rate_groups;
};

struct vs_host {
	struct vs_pf *pfs;
	size_t n_pfs;
	char **warnings;              /* one line each, naming the device */
	size_t n_warnings, warnings_alloc;
	bool usage_known;             /* in_use_by filled from libvirt */
	struct vs_sysfs sysfs;        /* the root it was scanned from: names resolve there */
};

struct vs_nl;

struct vs_scan_opts {
	const struct vs_sysfs *sysfs;
	struct vs_nl *nl;             /* NULL: VF settings not read */
	struct vs_devlink *dl;        /* NULL: devlink not read (eswitch mode, ports,
					 representors, rates unknown) */
	const char *only[16];         /* PF names (netdev or address) to keep; NULL-terminated */
	bool non_pci;                 /* also PFs found through a netdev whose device is not PCI
					 but has sriov_numvfs (netdevsim); totalvfs from debugfs */
	bool no_names;                /* no libpci name lookup (reading pci.ids costs ~1/6 s):
					 for commands that print no vendor/device names */
};

int vs_inventory_scan(const struct vs_scan_opts *opts, struct vs_host **out, struct vs_error *err);
void vs_host_free(struct vs_host *host);
int vs_host_warn(struct vs_host *host, const char *fmt, ...) _printf_(2, 3);
/* Free the PF at index i and close the gap (a source that filters after
 * reading: nodedev.c). */
void vs_host_drop_pf(struct vs_host *host, size_t i);

/* Look up a PF by netdev name or PCI address as sysfs spells them; NULL
 * when absent.  Names as users write them: devname.h. */
struct vs_pf *vs_host_find_pf(const struct vs_host *host, const char *name);
/* Look up a VF by PCI address (never matches a VF without one); returns 0 or -ENOENT. */
int vs_host_find_vf(const struct vs_host *host, const char *address, struct vs_pf **pf, struct vs_vf **vf);
/* "no PF named 'em9'; PFs: em1 (0000:01:00.0), em2 (0000:01:00.1)" (what:
 * "PF", "VF", "PF or VF"): the error of every name no device has.  Returns
 * -ENODEV. */
int vs_host_unknown_name(const struct vs_host *host, const char *what, const char *name, struct vs_error *err);
