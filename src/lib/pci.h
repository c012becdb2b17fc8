/* libpci, pointed at the same sysfs root as everything else
 * (`sysfs.path` = ROOT/sys/bus/pci).  Used for names (pci.ids) and for
 * reading capabilities from config space. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "sysfs.h"
#include "util.h"

struct vs_pci;
struct pci_dev;

int vs_pci_open(const struct vs_sysfs *sysfs, struct vs_pci **out, struct vs_error *err);
void vs_pci_close(struct vs_pci *pci);

/* The libpci device for "DDDD:BB:DD.F"; NULL when the address is not valid
 * or the device does not exist under the root. */
struct pci_dev *vs_pci_get(struct vs_pci *pci, const char *address);

/* Vendor and device names from pci.ids; "" when unknown. */
void vs_pci_names(struct vs_pci *pci, unsigned vendor, unsigned device,
		  char *vendor_name, size_t vlen, char *device_name, size_t dlen);

struct vs_sriov_cap {
	int initialvfs, totalvfs, numvfs;
	int vf_offset, vf_stride;
	unsigned vf_device_id;
	bool ari_capable_hierarchy;
};
/* SR-IOV extended capability from config space; -ENOENT when absent,
 * -EIO when config space cannot be read. */
int vs_pci_read_sriov(struct vs_pci *pci, const char *address, struct vs_sriov_cap *cap, struct vs_error *err);

/* ACS extended capability: capability and control words; -ENOENT absent. */
int vs_pci_read_acs(struct vs_pci *pci, const char *address, unsigned *acs_cap, unsigned *acs_ctrl, struct vs_error *err);
