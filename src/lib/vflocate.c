/* The one VF locator (vflocate.h): sysfs links and two PF attributes, no
 * libpci, no scan. */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "vflocate.h"
#include "pciaddr.h"

#define DEVICES "/sys/bus/pci/devices"
#define VS_VF_INDEX_MAX 65535

int vs_vf_physfn(const struct vs_sysfs *fs, const char *vf_address, char pf[VS_PCI_ADDR_MAX])
{
	int r = vs_sysfs_link_base(fs, pf, VS_PCI_ADDR_MAX, DEVICES "/%s/physfn", vf_address);

	return r < 0 ? r : 0;
}

bool vs_virtfn_parse(const char *name, unsigned *index)
{
	unsigned long v;

	if (strncmp(name, "virtfn", 6) != 0 || !isdigit((unsigned char)name[6]))
		return false;
	if (vs_parse_ulong(name + 6, 10, &v) < 0 || v > VS_VF_INDEX_MAX)
		return false;
	*index = (unsigned)v;
	return true;
}

/* Bus/device/function as one number, as SR-IOV's offset and stride count. */
static int routing_id(const char *address, unsigned *dom, unsigned *rid)
{
	struct vs_pci_addr a;

	if (vs_pci_addr_parse(address, &a) < 0)
		return -EINVAL;
	*dom = a.domain;
	*rid = vs_pci_addr_rid(&a);
	return 0;
}

/* VF n has routing ID PF + First VF Offset + n * VF Stride (PCIe SR-IOV);
 * -1 when the PF does not say, or the VF is not on that grid. */
static int routing_index(const struct vs_sysfs *fs, const char *vf, const char *pf)
{
	unsigned vd, vr, pd, pr;
	long off, stride, d;

	if (routing_id(vf, &vd, &vr) < 0 || routing_id(pf, &pd, &pr) < 0 || vd != pd ||
	    vs_sysfs_read_long(fs, &off, DEVICES "/%s/sriov_offset", pf) < 0 ||
	    vs_sysfs_read_long(fs, &stride, DEVICES "/%s/sriov_stride", pf) < 0 || stride <= 0)
		return -1;
	d = (long)vr - (long)pr - off;
	if (d < 0 || d % stride || d / stride > VS_VF_INDEX_MAX)
		return -1;
	return (int)(d / stride);
}

/* Does the PF's link `name` lead to vf?  1 yes, 0 elsewhere, -ENOENT no such link. */
static int link_is(const struct vs_sysfs *fs, const char *pf, const char *name, const char *vf)
{
	char target[VS_PCI_ADDR_MAX];
	int r = vs_sysfs_link_base(fs, target, sizeof(target), DEVICES "/%s/%s", pf, name);

	if (r == -ENOENT)
		return r;
	return r >= 0 && strcmp(target, vf) == 0;
}

/* N of the PF's virtfnN link to vf; -ENOENT when none leads to it. */
static int index_by_links(const struct vs_sysfs *fs, const char *pf, const char *vf)
{
	char **names = NULL;
	unsigned n;
	int found = -ENOENT;

	if (vs_sysfs_list(fs, &names, DEVICES "/%s", pf) < 0)
		return -ENOENT;
	for (char **p = names; found < 0 && *p; p++)
		if (vs_virtfn_parse(*p, &n) && link_is(fs, pf, *p, vf) == 1)
			found = (int)n;
	vs_strv_free(names);
	return found;
}

/* The guess from offset and stride first, confirmed by its virtfn link
 * (one readlink, where listing the PF's directory reads hundreds of
 * entries); then every virtfn link; then the guess alone, when the PF has
 * no link of that number (a captured tree, a kernel without the links). */
static int vf_index(const struct vs_sysfs *fs, const char *vf, struct vs_vf_location *out)
{
	int guess = routing_index(fs, vf, out->pf_address), link = -ENOENT;
	char name[32];

	if (guess >= 0) {
		snprintf(name, sizeof(name), "virtfn%d", guess);
		link = link_is(fs, out->pf_address, name, vf);
		if (link == 1) {
			out->index = guess;
			return 0;
		}
	}
	out->index = index_by_links(fs, out->pf_address, vf);
	if (out->index >= 0)
		return 0;
	if (guess < 0 || link != -ENOENT)
		return -ENOENT;
	out->index = guess;
	out->by_routing_id = true;
	return 0;
}

static void pf_netdev(const struct vs_sysfs *fs, struct vs_vf_location *out)
{
	char **names = NULL;

	if (vs_sysfs_list(fs, &names, DEVICES "/%s/net", out->pf_address) > 0)
		vs_strlcpy(out->pf_netdev, names[0], sizeof(out->pf_netdev));
	vs_strv_free(names);
}

int vs_vf_locate(const struct vs_sysfs *fs, const char *vf_address, struct vs_vf_location *out,
		 struct vs_error *err)
{
	memset(out, 0, sizeof(*out));
	out->index = -1;
	if (vs_vf_physfn(fs, vf_address, out->pf_address) < 0) {
		out->pf_address[0] = '\0';
		if (vs_sysfs_exists(fs, DEVICES "/%s", vf_address) == 1)
			return vs_error_set(err, -ENOENT, "%s: not an SR-IOV VF (no physfn link)", vf_address);
		return vs_error_set(err, -ENODEV, "%s: no such PCI device", vf_address);
	}
	if (vf_index(fs, vf_address, out) < 0)
		return vs_error_set(err, -ENOENT, "%s: its PF %s has no virtfn link to it, and no VF number "
				    "from its sriov_offset and sriov_stride", vf_address, out->pf_address);
	pf_netdev(fs, out);
	vs_sysfs_read_hex(fs, &out->pf_vendor, DEVICES "/%s/vendor", out->pf_address);
	vs_sysfs_read_hex(fs, &out->pf_device, DEVICES "/%s/device", out->pf_address);
	return 0;
}
