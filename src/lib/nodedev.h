/* The inventory (inventory.h) from libvirt's node device API: what a host
 * reached through a libvirt URI (qemu+ssh://host/system) tells about its
 * PCI devices, so that the commands that only read devices work from a
 * workstation.  libvirt does not export the VFs' settings (the PF's
 * rtnetlink VF table) nor sriov_drivers_autoprobe: every VF has
 * config_known false, every PF vf_configs_known false and
 * drivers_autoprobe -1; VF offset and stride come from the VFs' addresses.
 * Non-PCI PFs (netdevsim) are not node devices with SR-IOV capabilities:
 * they are not listed. */
#pragma once

#include <libvirt/libvirt.h>
#include <net/if.h>

#include "inventory.h"

enum vs_nodedev_kind { VS_NODEDEV_OTHER, VS_NODEDEV_PCI, VS_NODEDEV_NET };

/* What the inventory takes from one node device's XML
 * (virNodeDeviceGetXMLDesc). */
struct vs_nodedev {
	enum vs_nodedev_kind kind;
	char name[128];               /* pci_0000_01_00_0, net_em1_52_54_00_00_01_00 */
	char parent[128];             /* "" when none */
	/* PCI */
	char address[VS_PCI_ADDR_MAX];
	char driver[VS_DRIVER_MAX];   /* "" unbound */
	int class_code;               /* -1 unknown */
	unsigned vendor_id, device_id;
	char vendor_name[128], device_name[256];
	int numa_node, iommu_group;   /* -1 unknown */
	int max_vfs;                  /* virt_functions maxCount; -1: not a PF */
	char (*vfs)[VS_PCI_ADDR_MAX]; /* virt_functions addresses, in VF order */
	size_t n_vfs;
	char physfn[VS_PCI_ADDR_MAX]; /* phys_function; "" not a VF */
	/* net */
	char ifname[IFNAMSIZ];
};

/* Parse one node device's XML; `what` names it in errors.  A device of
 * another kind (USB, storage) parses to VS_NODEDEV_OTHER. */
int vs_nodedev_parse(const char *xml, const char *what, struct vs_nodedev *out, struct vs_error *err);
void vs_nodedev_clear(struct vs_nodedev *d);
void vs_nodedevs_free(struct vs_nodedev *d, size_t n);

/* The inventory from parsed node devices: each PCI device with
 * virt_functions is a PF, its netdevs the net devices whose parent it is.
 * opts->only keeps the PFs named by address or netdev; opts->sysfs and nl
 * are not used. */
int vs_nodedev_host(const struct vs_nodedev *devs, size_t n, const struct vs_scan_opts *opts,
		    struct vs_host **out, struct vs_error *err);

/* List conn's PCI and net node devices, parse them and build the
 * inventory as vs_nodedev_host. */
int vs_nodedev_scan(virConnectPtr conn, const struct vs_scan_opts *opts, struct vs_host **out,
		    struct vs_error *err);
