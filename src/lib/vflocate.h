/* The one VF locator: where a VF sits (its PF, its number on the PF, the
 * PF's netdev), from the VF's PCI address and the sysfs links alone.
 *
 * Kept out of inventory.c: the inventory opens libpci (pci.c) for names
 * and the SR-IOV capability, and the hook, which locates only the VFs it is
 * handed on every guest start, must not link libpci nor pay for a scan.
 * The inventory uses the same link readers (vs_vf_physfn, vs_virtfn_parse)
 * for its scan from the PF side. */
#pragma once

#include <net/if.h>
#include <stdbool.h>

#include "pciaddr.h"
#include "sysfs.h"
#include "util.h"

struct vs_vf_location {
	char pf_address[VS_PCI_ADDR_MAX];
	char pf_netdev[IFNAMSIZ];       /* the PF's first netdev; "" none (unbound, NVMe) */
	unsigned pf_vendor, pf_device;  /* 0 unknown */
	int index;                      /* the VF's number on its PF */
	bool by_routing_id;             /* index from sriov_offset/stride: the PF has no virtfn link to it */
};

/* Locate the VF at vf_address.  Its PF is the target of its physfn link;
 * its number is N of the PF's virtfnN link to it, or, when the PF has no
 * such link, the number the PF's First VF Offset and VF Stride give its
 * routing ID (unless the PF's virtfn link of that number leads elsewhere).
 * -ENODEV: no such device; -ENOENT: not a VF (no physfn link), or a VF its
 * PF gives no number; err names the address. */
int vs_vf_locate(const struct vs_sysfs *fs, const char *vf_address, struct vs_vf_location *out,
		 struct vs_error *err);

/* The PF address a device's physfn link leads to.  -ENOENT when there is
 * no such link (not a VF, or no such device): cheap for a scan that asks
 * every device. */
int vs_vf_physfn(const struct vs_sysfs *fs, const char *vf_address, char pf[VS_PCI_ADDR_MAX]);

/* "virtfn12" -> 12: a PF's link to its VF number 12.  Only plain decimal
 * numbers up to 65535 count. */
bool vs_virtfn_parse(const char *name, unsigned *index);
