/* libpci behind the project's sysfs root.
 *
 * libpci's default handlers print, and its error handler calls exit().  We
 * install silent warning/debug handlers and an error handler that aborts:
 * libpci calls a->error only on conditions it does not expect to return from
 * (it dereferences what follows), so returning is not an option.  We keep
 * every reachable path away from a->error instead:
 *   - no pci_scan_bus(): it errors out on an unreadable devices directory, a
 *     stray entry name or a missing "resource"/"irq" file of any device of a
 *     (possibly broken) tree.  pci_get_dev() for one address, after checking
 *     the device directory exists, builds the device without touching sysfs;
 *   - no PCI_FILL_IDENT/BASES/...: IDs come from our own sysfs reads; we only
 *     read config space (a failed read is a warning and 0xff bytes) and the
 *     capability lists (loop-safe in libpci);
 *   - reads are aligned, and the root is checked to fit libpci's 1024-byte
 *     file-name buffer ("File name too long" is an error there).
 * What is left is out-of-memory in pci_malloc and a corrupt pci.ids: abort()
 * there rather than continue in a state libpci does not expect. */
#include "config.h"

#include <pci/pci.h>
#include <stdio.h>
#include <string.h>

#include "pci.h"
#include "pciaddr.h"

/* libpci's internal buffer for "<sysfs.path>/devices/<addr>/<attr>" */
#define LIBPCI_OBJNAMELEN 1024
#define LONGEST_OBJ "/devices/ffffffff:ff:1f.7/config"

struct vs_pci_dev_entry {
	char address[32];
	struct pci_dev *dev;
};

struct vs_pci {
	struct pci_access *acc;
	const struct vs_sysfs *sysfs;
	struct vs_pci_dev_entry *devs;
	size_t n_devs, devs_alloc;
};

static void quiet_msg(char *msg _unused_, ...) {}

static void __attribute__((noreturn)) fatal_msg(char *msg _unused_, ...)
{
	abort();
}

int vs_pci_open(const struct vs_sysfs *sysfs, struct vs_pci **out, struct vs_error *err)
{
	_cleanup_free_ struct vs_pci *pci = NULL;
	char path[PATH_MAX];

	if (vs_sysfs_path(sysfs, path, sizeof(path), "/sys/bus/pci") < 0 ||
	    strlen(path) + strlen(LONGEST_OBJ) >= LIBPCI_OBJNAMELEN)
		return vs_error_set(err, -ENAMETOOLONG, "sysfs root too long for libpci: %s", sysfs->root);
	pci = calloc(1, sizeof(*pci));
	if (!pci)
		return -ENOMEM;
	pci->acc = pci_alloc();
	if (!pci->acc)
		return -ENOMEM;
	pci->sysfs = sysfs;
	pci->acc->error = fatal_msg;
	pci->acc->warning = quiet_msg;
	pci->acc->debug = quiet_msg;
	pci->acc->method = PCI_ACCESS_SYS_BUS_PCI;
	/* no ~/.pciids-cache, no DNS: pci.ids (and udev's hwdb) only */
	pci->acc->id_lookup_mode = 0;
	if (pci_set_param(pci->acc, "sysfs.path", path) < 0) {
		pci_cleanup(pci->acc);
		return vs_error_set(err, -ENOTSUP, "libpci has no sysfs access method");
	}
	pci_init(pci->acc);
	*out = TAKE_PTR(pci);
	return 0;
}

void vs_pci_close(struct vs_pci *pci)
{
	if (!pci)
		return;
	for (size_t i = 0; i < pci->n_devs; i++)
		pci_free_dev(pci->devs[i].dev);
	free(pci->devs);
	pci_cleanup(pci->acc);
	free(pci);
}

struct pci_dev *vs_pci_get(struct vs_pci *pci, const char *address)
{
	struct vs_pci_addr a;
	struct pci_dev *d;

	if (!pci || vs_pci_addr_parse(address, &a) < 0)
		return NULL;
	for (size_t i = 0; i < pci->n_devs; i++)
		if (strcmp(pci->devs[i].address, address) == 0)
			return pci->devs[i].dev;
	if (vs_sysfs_exists(pci->sysfs, "/sys/bus/pci/devices/%s", address) != 1)
		return NULL;
	if (vs_grow((void **)&pci->devs, &pci->devs_alloc, pci->n_devs + 1, sizeof(*pci->devs)) < 0)
		return NULL;
	d = pci_get_dev(pci->acc, (int)a.domain, a.bus, a.slot, a.function);
	if (!d)
		return NULL;
	snprintf(pci->devs[pci->n_devs].address, sizeof(pci->devs[0].address), "%s", address);
	pci->devs[pci->n_devs++].dev = d;
	return d;
}

void vs_pci_names(struct vs_pci *pci, unsigned vendor, unsigned device,
		  char *vendor_name, size_t vlen, char *device_name, size_t dlen)
{
	char buf[256];
	const char *n;

	if (vlen) {
		n = pci_lookup_name(pci->acc, buf, sizeof(buf), PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS, vendor);
		snprintf(vendor_name, vlen, "%s", n ? n : "");
	}
	if (dlen) {
		n = pci_lookup_name(pci->acc, buf, sizeof(buf), PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS, vendor, device);
		snprintf(device_name, dlen, "%s", n ? n : "");
	}
}

/* The device and the position of extended capability `id`.  Config space
 * past the first 64 bytes is root-only on a live host, so a short read is
 * -EIO (not "absent"). */
static int find_ext_cap(struct vs_pci *pci, const char *address, unsigned id,
			struct pci_dev **devp, int *pos, struct vs_error *err)
{
	struct pci_dev *d = vs_pci_get(pci, address);
	struct pci_cap *cap;
	u8 probe[4];

	if (!d)
		return vs_error_set(err, -ENODEV, "%s: no such PCI device", address);
	if (!pci_read_block(d, 0, probe, sizeof(probe)))
		return vs_error_set(err, -EIO, "%s: cannot read PCI config space", address);
	if (!pci_read_block(d, 0x40, probe, sizeof(probe)))
		return vs_error_set(err, -EIO, "%s: cannot read PCI config space past 64 bytes (root needed?)", address);
	if (!pci_find_cap(d, PCI_CAP_ID_EXP, PCI_CAP_NORMAL))
		return -ENOENT;
	if (!pci_read_block(d, 0x100, probe, sizeof(probe)))
		return vs_error_set(err, -EIO, "%s: cannot read PCI extended config space (root needed?)", address);
	cap = pci_find_cap(d, id, PCI_CAP_EXTENDED);
	if (!cap)
		return -ENOENT;
	*devp = d;
	*pos = (int)cap->addr;
	return 0;
}

int vs_pci_read_sriov(struct vs_pci *pci, const char *address, struct vs_sriov_cap *cap, struct vs_error *err)
{
	struct pci_dev *d;
	int pos, r;

	r = find_ext_cap(pci, address, PCI_EXT_CAP_ID_SRIOV, &d, &pos, err);
	if (r < 0)
		return r;
	cap->initialvfs = pci_read_word(d, pos + PCI_IOV_INITIALVF);
	cap->totalvfs = pci_read_word(d, pos + PCI_IOV_TOTALVF);
	cap->numvfs = pci_read_word(d, pos + PCI_IOV_NUMVF);
	cap->vf_offset = pci_read_word(d, pos + PCI_IOV_OFFSET);
	cap->vf_stride = pci_read_word(d, pos + PCI_IOV_STRIDE);
	cap->vf_device_id = pci_read_word(d, pos + PCI_IOV_DID);
	cap->ari_capable_hierarchy = pci_read_word(d, pos + PCI_IOV_CTRL) & PCI_IOV_CTRL_ARI;
	return 0;
}

int vs_pci_read_acs(struct vs_pci *pci, const char *address, unsigned *acs_cap, unsigned *acs_ctrl, struct vs_error *err)
{
	struct pci_dev *d;
	int pos, r;

	r = find_ext_cap(pci, address, PCI_EXT_CAP_ID_ACS, &d, &pos, err);
	if (r < 0)
		return r;
	*acs_cap = pci_read_word(d, pos + PCI_ACS_CAP);
	*acs_ctrl = pci_read_word(d, pos + PCI_ACS_CTRL);
	return 0;
}
