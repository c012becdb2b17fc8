/* The SR-IOV inventory: sysfs for the topology, libpci for names and the
 * SR-IOV capability (cross-checked with sysfs), one rtnetlink request per PF
 * netdev for the VF settings.
 *
 * Damage is local: a device whose attributes cannot be read or make no
 * sense gets a warning naming it and the value, and unknown (null) fields.
 * The scan itself fails only when the devices directory cannot be read or
 * a PF named in opts->only does not exist. */
#include "config.h"

#include <linux/devlink.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "devlink.h"
#include "inventory.h"
#include "netlink.h"
#include "pci.h"
#include "vflocate.h"
#include "vftables.h"

#define DEVICES "/sys/bus/pci/devices"

struct scan {
	const struct vs_scan_opts *opts;
	struct vs_host *host;
	struct vs_pci *pci;          /* NULL when libpci could not be opened */
	char vf_tables[PATH_MAX];    /* a captured tree's VF tables (vftables.h), read
					instead of rtnetlink when nl asks for the
					settings; "" none */
};

int vs_host_warn(struct vs_host *host, const char *fmt, ...)
{
	char *line;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	if (vs_grow((void **)&host->warnings, &host->warnings_alloc, host->n_warnings + 1, sizeof(char *)) < 0) {
		free(line);
		return -ENOMEM;
	}
	host->warnings[host->n_warnings++] = line;
	return 0;
}

static void pf_free(struct vs_pf *pf)
{
	for (size_t i = 0; i < pf->n_vfs; i++)
		free(pf->vfs[i].in_use_by);
	free(pf->vfs);
	vs_strv_free(pf->netdevs);
	free(pf->rate_groups);
}

void vs_host_drop_pf(struct vs_host *host, size_t i)
{
	pf_free(&host->pfs[i]);
	memmove(&host->pfs[i], &host->pfs[i + 1], (host->n_pfs - i - 1) * sizeof(*host->pfs));
	memset(&host->pfs[--host->n_pfs], 0, sizeof(*host->pfs));
}

void vs_host_free(struct vs_host *host)
{
	if (!host)
		return;
	for (size_t i = 0; i < host->n_pfs; i++)
		pf_free(&host->pfs[i]);
	free(host->pfs);
	for (size_t i = 0; i < host->n_warnings; i++)
		free(host->warnings[i]);
	free(host->warnings);
	free(host);
}

static bool pf_has_netdev(const struct vs_pf *pf, const char *name)
{
	for (char **n = pf->netdevs; n && *n; n++)
		if (strcmp(*n, name) == 0)
			return true;
	return false;
}

struct vs_pf *vs_host_find_pf(const struct vs_host *host, const char *name)
{
	for (size_t i = 0; i < host->n_pfs; i++)
		if (strcmp(host->pfs[i].address, name) == 0 || pf_has_netdev(&host->pfs[i], name))
			return &host->pfs[i];
	return NULL;
}

int vs_host_find_vf(const struct vs_host *host, const char *address, struct vs_pf **pf, struct vs_vf **vf)
{
	for (size_t i = 0; address && *address && i < host->n_pfs; i++) {
		for (size_t j = 0; j < host->pfs[i].n_vfs; j++) {
			if (strcmp(host->pfs[i].vfs[j].address, address) == 0) {
				if (pf)
					*pf = &host->pfs[i];
				if (vf)
					*vf = &host->pfs[i].vfs[j];
				return 0;
			}
		}
	}
	return -ENOENT;
}

/* A device or netdev of that name exists (the name is one path component). */
static bool name_exists(const struct vs_host *host, const char *name)
{
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	return vs_sysfs_exists(&host->sysfs, DEVICES "/%s", name) == 1 ||
	       vs_sysfs_exists(&host->sysfs, "/sys/class/net/%s", name) == 1;
}

int vs_host_unknown_name(const struct vs_host *host, const char *what, const char *name, struct vs_error *err)
{
	char list[640] = "", note[128] = "";
	size_t len = 0;

	for (size_t i = 0; i < host->n_pfs && len < sizeof(list); i++) {
		const struct vs_pf *pf = &host->pfs[i];
		int r = pf->netdev[0] ? snprintf(list + len, sizeof(list) - len, "%s%s (%s)", i ? ", " : "", pf->netdev, pf->address)
				      : snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", pf->address);

		len += r > 0 ? (size_t)r : 0;
	}
	if (len >= sizeof(list))
		memcpy(list + sizeof(list) - 5, " ...", 5);
	if (name_exists(host, name))
		snprintf(note, sizeof(note), " (%.32s is not an SR-IOV %s)", name, what);
	if (!host->n_pfs)
		return vs_error_set(err, -ENODEV, "no %s named '%s'%s: this host has no SR-IOV PF", what, name, note);
	return vs_error_set(err, -ENODEV, "no %s named '%s'%s; PFs: %s", what, name, note, list);
}

/* ---- attribute readers: absent is silent, damage is a warning ---- */

/* An integer attribute of a device; -1 when absent or unusable. */
static int read_int(struct scan *sc, const char *dev, const char *attr, int base)
{
	char buf[64];
	long v;
	int r;

	r = vs_sysfs_read(sc->opts->sysfs, buf, sizeof(buf), DEVICES "/%s/%s", dev, attr);
	if (r == -ENOENT)
		return -1;
	if (r < 0) {
		vs_host_warn(sc->host, "%s: cannot read %s: %s", dev, attr, strerror(-r));
		return -1;
	}
	if (vs_parse_long(buf, base, &v) < 0 || v < -1 || v > 0xffffff) {
		vs_host_warn(sc->host, "%s: %s has an invalid value '%s'", dev, attr, buf);
		return -1;
	}
	return (int)v;
}

/* Basename of a device's symlink (driver, iommu_group); "" when absent. */
static void read_link(struct scan *sc, const char *dev, const char *link, char *buf, size_t len)
{
	int r = vs_sysfs_link_base(sc->opts->sysfs, buf, len, DEVICES "/%s/%s", dev, link);

	if (r < 0) {
		if (r != -ENOENT)
			vs_host_warn(sc->host, "%s: cannot read link %s: %s", dev, link, strerror(-r));
		buf[0] = '\0';
	}
}

static int read_group(struct scan *sc, const char *dev)
{
	char buf[32];
	long v;

	read_link(sc, dev, "iommu_group", buf, sizeof(buf));
	if (!buf[0])
		return -1;
	if (vs_parse_long(buf, 10, &v) < 0 || v < 0 || v > 0xffffff) {
		vs_host_warn(sc->host, "%s: iommu_group link names '%s', not a group number", dev, buf);
		return -1;
	}
	return (int)v;
}

/* Every netdev under DEV/net, sorted; *out NULL when there is none. */
static void read_netdevs(struct scan *sc, const char *dev, char ***out)
{
	int r = vs_sysfs_list(sc->opts->sysfs, out, DEVICES "/%s/net", dev);

	if (r < 0) {
		if (r != -ENOENT && r != -ENOTDIR)
			vs_host_warn(sc->host, "%s: cannot list net/: %s", dev, strerror(-r));
		*out = NULL;
	} else if (r == 0) {
		vs_strv_free(*out);
		*out = NULL;
	}
}

static void read_first_netdev(struct scan *sc, const char *dev, char *buf, size_t len)
{
	char **names = NULL;

	buf[0] = '\0';
	read_netdevs(sc, dev, &names);
	if (names)
		vs_strlcpy(buf, names[0], len);
	vs_strv_free(names);
}

/* ---- PF attributes and the SR-IOV capability cross-check ---- */

static const struct {
	const char *attr;
	size_t off;
	int base;
} pf_ints[] = {
	{ "sriov_totalvfs", offsetof(struct vs_pf, totalvfs), 10 },
	{ "sriov_numvfs", offsetof(struct vs_pf, numvfs), 10 },
	{ "sriov_offset", offsetof(struct vs_pf, vf_offset), 10 },
	{ "sriov_stride", offsetof(struct vs_pf, vf_stride), 10 },
	{ "sriov_drivers_autoprobe", offsetof(struct vs_pf, drivers_autoprobe), 10 },
	{ "numa_node", offsetof(struct vs_pf, numa_node), 10 },
};

static const struct {
	const char *attr;
	size_t pf_off, cap_off;
} cap_ints[] = {
	{ "sriov_totalvfs", offsetof(struct vs_pf, totalvfs), offsetof(struct vs_sriov_cap, totalvfs) },
	{ "sriov_numvfs", offsetof(struct vs_pf, numvfs), offsetof(struct vs_sriov_cap, numvfs) },
	{ "sriov_offset", offsetof(struct vs_pf, vf_offset), offsetof(struct vs_sriov_cap, vf_offset) },
	{ "sriov_stride", offsetof(struct vs_pf, vf_stride), offsetof(struct vs_sriov_cap, vf_stride) },
};

#define FIELD(p, off) ((int *)((char *)(p) + (off)))

/* sysfs is the kernel's view and wins; the capability fills what sysfs
 * lacks (older kernels have no sriov_offset) or what it holds garbage for
 * (that garbage was already warned about), and a disagreement is shown. */
static void cross_check(struct scan *sc, struct vs_pf *pf, const struct vs_sriov_cap *cap)
{
	for (size_t i = 0; i < ELEMENTSOF(cap_ints); i++) {
		int *sys = FIELD(pf, cap_ints[i].pf_off);
		int hw = *(const int *)((const char *)cap + cap_ints[i].cap_off);

		if (*sys < 0)
			*sys = hw;
		else if (*sys != hw)
			vs_host_warn(sc->host, "PF %s: %s is %d in sysfs but %d in the SR-IOV capability",
				     pf->address, cap_ints[i].attr, *sys, hw);
	}
	if (pf->vf_device_id == 0)
		pf->vf_device_id = cap->vf_device_id;
	else if (pf->vf_device_id != cap->vf_device_id)
		vs_host_warn(sc->host, "PF %s: VF device ID is %04x in sysfs but %04x in the SR-IOV capability",
			     pf->address, pf->vf_device_id, cap->vf_device_id);
}

static void read_capability(struct scan *sc, struct vs_pf *pf)
{
	struct vs_error perr = { 0 };
	struct vs_sriov_cap cap;
	int r;

	if (!sc->pci)
		return;
	r = vs_pci_read_sriov(sc->pci, pf->address, &cap, &perr);
	if (r == -ENOENT)
		vs_host_warn(sc->host, "PF %s: has sriov_totalvfs but no SR-IOV capability in config space", pf->address);
	else if (r < 0)
		vs_host_warn(sc->host, "%s; SR-IOV numbers from sysfs only",
			     perr.msg[0] ? perr.msg : strerror(-r));
	else
		cross_check(sc, pf, &cap);
}

static void read_pf_attrs(struct scan *sc, struct vs_pf *pf)
{
	const char *a = pf->address;
	int v;

	for (size_t i = 0; i < ELEMENTSOF(pf_ints); i++)
		*FIELD(pf, pf_ints[i].off) = read_int(sc, a, pf_ints[i].attr, pf_ints[i].base);
	v = read_int(sc, a, "vendor", 16);
	pf->vendor_id = v < 0 ? 0 : (unsigned)v;
	v = read_int(sc, a, "device", 16);
	pf->device_id = v < 0 ? 0 : (unsigned)v;
	v = read_int(sc, a, "sriov_vf_device", 16);
	pf->vf_device_id = v < 0 ? 0 : (unsigned)v;
	read_link(sc, a, "driver", pf->driver, sizeof(pf->driver));
	pf->iommu_group = read_group(sc, a);
	if (sc->pci && pf->vendor_id && !sc->opts->no_names)
		vs_pci_names(sc->pci, pf->vendor_id, pf->device_id, pf->vendor_name, sizeof(pf->vendor_name),
			     pf->device_name, sizeof(pf->device_name));
	read_capability(sc, pf);
}

/* ---- VFs ---- */

struct vf_link {
	unsigned n;
	const char *name;
};

static int vf_link_cmp(const void *a, const void *b)
{
	const struct vf_link *x = a, *y = b;

	return x->n < y->n ? -1 : x->n > y->n;
}

/* Fill one VF; false when the VF device does not exist (dangling link). */
static bool read_vf(struct scan *sc, struct vs_pf *pf, const struct vf_link *l, struct vs_vf *vf)
{
	int r;

	vf->index = l->n;
	vf->iommu_group = -1;
	vs_vf_config_init(&vf->config, (int)l->n);
	r = vs_sysfs_link_base(sc->opts->sysfs, vf->address, sizeof(vf->address), DEVICES "/%s/%s", pf->address, l->name);
	if (r < 0) {
		vs_host_warn(sc->host, "PF %s: cannot read link %s: %s", pf->address, l->name, strerror(-r));
		return false;
	}
	if (vs_sysfs_exists(sc->opts->sysfs, DEVICES "/%s", vf->address) != 1) {
		vs_host_warn(sc->host, "PF %s: %s points to %s, which does not exist", pf->address, l->name, vf->address);
		return false;
	}
	read_link(sc, vf->address, "driver", vf->driver, sizeof(vf->driver));
	read_first_netdev(sc, vf->address, vf->netdev, sizeof(vf->netdev));
	vf->iommu_group = read_group(sc, vf->address);
	return true;
}

static int collect_virtfn(char **names, struct vf_link **out, size_t *n)
{
	size_t count = 0, alloc = 0;
	struct vf_link *v = NULL;
	unsigned idx;

	for (char **p = names; *p; p++) {
		if (!vs_virtfn_parse(*p, &idx))
			continue;
		if (vs_grow((void **)&v, &alloc, count + 1, sizeof(*v)) < 0) {
			free(v);
			return -ENOMEM;
		}
		v[count].n = idx;
		v[count++].name = *p;
	}
	if (count)
		qsort(v, count, sizeof(*v), vf_link_cmp);
	*out = v;
	*n = count;
	return 0;
}

static int read_vfs(struct scan *sc, struct vs_pf *pf)
{
	_cleanup_free_ struct vf_link *links = NULL;
	char **names = NULL;
	size_t n = 0;
	int r;

	r = vs_sysfs_list(sc->opts->sysfs, &names, DEVICES "/%s", pf->address);
	if (r < 0) {
		vs_host_warn(sc->host, "PF %s: cannot list its directory: %s", pf->address, strerror(-r));
		return 0;
	}
	r = collect_virtfn(names, &links, &n);
	if (r == 0 && n)
		pf->vfs = calloc(n, sizeof(*pf->vfs));
	if (r == 0 && n && !pf->vfs)
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++)
		if (read_vf(sc, pf, &links[i], &pf->vfs[pf->n_vfs]))
			pf->n_vfs++;
	vs_strv_free(names);
	if (r == 0 && pf->numvfs >= 0 && (size_t)pf->numvfs != pf->n_vfs)
		vs_host_warn(sc->host, "PF %s: sriov_numvfs is %d but %zu VF devices were found",
			     pf->address, pf->numvfs, pf->n_vfs);
	return r;
}

/* ---- VF settings: one request per PF netdev ---- */

static struct vs_vf *vf_by_index(struct vs_pf *pf, int index)
{
	if (index < 0)
		return NULL;
	if ((size_t)index < pf->n_vfs && pf->vfs[index].index == (unsigned)index)
		return &pf->vfs[index];
	for (size_t i = 0; i < pf->n_vfs; i++)
		if (pf->vfs[i].index == (unsigned)index)
			return &pf->vfs[i];
	return NULL;
}

static size_t expected_vfs(const struct vs_pf *pf, const struct vs_pf_vf_list *l)
{
	size_t n = pf->n_vfs;

	if (pf->numvfs > 0 && (size_t)pf->numvfs > n)
		n = (size_t)pf->numvfs;
	if (l && l->num_vf > 0 && (size_t)l->num_vf > n)
		n = (size_t)l->num_vf;
	return n;
}

/* "5-6, 9": the VF numbers below `expected` whose settings are unknown. */
static void unknown_ranges(struct vs_pf *pf, size_t expected, char *buf, size_t len)
{
	size_t used = 0;
	long start = -1;

	buf[0] = '\0';
	for (size_t i = 0; i <= expected && used < len; i++) {
		const struct vs_vf *vf = i < expected ? vf_by_index(pf, (int)i) : NULL;
		bool unknown = i < expected && (!vf || !vf->config_known);

		if (unknown && start < 0)
			start = (long)i;
		if (unknown || start < 0)
			continue;
		if ((size_t)start + 1 == i)
			used += (size_t)snprintf(buf + used, len - used, "%s%ld", used ? ", " : "", start);
		else
			used += (size_t)snprintf(buf + used, len - used, "%s%ld-%zu", used ? ", " : "", start, i - 1);
		start = -1;
	}
}

static void merge_vf_list(struct scan *sc, struct vs_pf *pf, const struct vs_pf_vf_list *l)
{
	size_t missing = 0, expected = expected_vfs(pf, l);
	char ranges[256];

	for (size_t i = 0; i < l->n; i++) {
		struct vs_vf *vf = vf_by_index(pf, l->vfs[i].index);

		if (vf) {
			vf->config = l->vfs[i];
			vf->config_known = true;
		}
	}
	for (size_t i = 0; i < pf->n_vfs; i++)
		missing += !pf->vfs[i].config_known;
	missing += expected - pf->n_vfs;
	pf->vf_configs_known = missing == 0 && !l->truncated;
	if (pf->vf_configs_known)
		return;
	unknown_ranges(pf, expected, ranges, sizeof(ranges));
	vs_host_warn(sc->host, "PF %s (%s): the kernel reported settings for %zu of %zu VFs%s; %zu VFs have unknown settings: VF %s",
		     pf->netdev, pf->address, l->n, expected,
		     l->truncated ? " (truncated VF list: the kernel's IFLA_VFINFO_LIST has a 16-bit length)" : "", missing,
		     ranges);
}

/* VF settings are rtnetlink's, of a network PF's netdev: a PF with none
 * that is no network controller (PCI class 02) has none to know (NVMe).  A
 * network PF without a netdev (unbound, another namespace) is unknown. */
static bool settings_na(struct scan *sc, const struct vs_pf *pf)
{
	int cls;

	if (pf->netdev[0] || pf->non_pci)
		return false;
	cls = read_int(sc, pf->address, "class", 16);
	return cls >= 0 && (cls >> 16) != 0x02;
}

static void read_vf_configs(struct scan *sc, struct vs_pf *pf)
{
	struct vs_pf_vf_list list = { .num_vf = -1 };
	struct vs_error nerr = { 0 };
	size_t expected = expected_vfs(pf, NULL);
	int r;

	pf->vf_configs_known = false;
	pf->vf_settings_na = settings_na(sc, pf);
	if (!sc->opts->nl || pf->vf_settings_na)
		return;
	if (expected == 0) {
		pf->vf_configs_known = true;
		return;
	}
	if (!pf->netdev[0]) {
		vs_host_warn(sc->host, "PF %s has no netdev: settings of its %zu VFs are unknown", pf->address, expected);
		return;
	}
	if (sc->vf_tables[0])
		r = vs_vftables_read(sc->vf_tables, pf->netdev, &list, &nerr);
	else
		r = vs_nl_get_vfs(sc->opts->nl, pf->netdev, &list, &nerr);
	if (r == -ENODEV && sc->vf_tables[0])
		vs_host_warn(sc->host, "PF %s (%s): not in %s: settings of its %zu VFs are unknown", pf->netdev,
			     pf->address, sc->vf_tables, expected);
	else if (r == -ENODEV)
		vs_host_warn(sc->host, "PF %s (%s): the kernel has no netdev %s: settings of its %zu VFs are unknown",
			     pf->netdev, pf->address, pf->netdev, expected);
	else if (r < 0)
		vs_host_warn(sc->host, "PF %s (%s): cannot read VF settings (%s): settings of its %zu VFs are unknown",
			     pf->netdev, pf->address, nerr.msg[0] ? nerr.msg : strerror(-r), expected);
	else
		merge_vf_list(sc, pf, &list);
	vs_pf_vf_list_free(&list);
}

/* ---- devlink: eswitch mode, VF ports and representors, rates ---- */

#define NET_DIR "/sys/class/net"

static void devlink_defaults(struct vs_pf *pf)
{
	pf->eswitch_mode = VS_ESWITCH_UNKNOWN;
	for (size_t i = 0; i < pf->n_vfs; i++) {
		struct vs_vf_devlink *d = &pf->vfs[i].dl;

		memset(d, 0, sizeof(*d));
		d->representor_up = d->state = d->opstate = -1;
	}
}

/* pci/ADDR, or the bus of a non-PCI device (netdevsim/netdevsim1). */
static bool devlink_handle(struct scan *sc, struct vs_pf *pf)
{
	char bus[32];

	if (!pf->non_pci)
		return snprintf(pf->devlink, sizeof(pf->devlink), "pci/%s", pf->address) > 0;
	if (!pf->netdev[0] ||
	    vs_sysfs_link_base(sc->opts->sysfs, bus, sizeof(bus), NET_DIR "/%s/device/subsystem", pf->netdev) < 0)
		return false;
	snprintf(pf->devlink, sizeof(pf->devlink), "%s/%s", bus, pf->address);
	return true;
}

static void read_net_attr(struct scan *sc, const char *netdev, const char *attr, char *buf, size_t len)
{
	if (!netdev[0] || vs_sysfs_read(sc->opts->sysfs, buf, len, NET_DIR "/%s/%s", netdev, attr) < 0)
		buf[0] = '\0';
}

/* The PCI function number devlink gives as pfnum; -1 for a non-PCI PF. */
static int pf_function(const struct vs_pf *pf)
{
	const char *dot = strrchr(pf->address, '.');

	return pf->non_pci || !dot ? -1 : atoi(dot + 1);
}

/* A representor must say which VF it stands for (phys_port_name ending
 * in pfXvfY) and sit on the PF's switch (phys_switch_id). */
static void check_representor(struct scan *sc, struct vs_pf *pf, struct vs_vf *vf, const struct vs_devlink_port *p)
{
	char name[64], want[32], sw[sizeof(pf->switch_id)];
	size_t n, w;
	unsigned flags;

	if (vs_sysfs_read_hex(sc->opts->sysfs, &flags, NET_DIR "/%s/flags", p->netdev) == 0)
		vf->dl.representor_up = (flags & IFF_UP) != 0;
	read_net_attr(sc, p->netdev, "phys_port_name", name, sizeof(name));
	snprintf(want, sizeof(want), "pf%dvf%d", p->pfnum, p->vfnum);
	n = strlen(name);
	w = strlen(want);
	if (name[0] && (n < w || strcmp(name + n - w, want) != 0))
		vs_host_warn(sc->host, "VF %s#%u: its representor %s has phys_port_name %s, not %s", pf->devlink,
			     vf->index, p->netdev, name, want);
	read_net_attr(sc, p->netdev, "phys_switch_id", sw, sizeof(sw));
	if (sw[0] && pf->switch_id[0] && strcmp(sw, pf->switch_id) != 0)
		vs_host_warn(sc->host, "VF %s#%u: its representor %s is on switch %s, the PF %s on %s", pf->devlink,
			     vf->index, p->netdev, sw, pf->netdev, pf->switch_id);
}

/* VF ports of this PF: pfnum is the PCI function, unless no port has it. */
static bool port_of_pf(const struct vs_pf *pf, const struct vs_devlink_port *ports, size_t n,
		       const struct vs_devlink_port *p)
{
	int fn = pf_function(pf);

	if (p->flavour != DEVLINK_PORT_FLAVOUR_PCI_VF || p->vfnum < 0 || (size_t)p->vfnum >= pf->n_vfs)
		return false;
	if (fn < 0 || p->pfnum == fn)
		return true;
	for (size_t i = 0; i < n; i++)
		if (ports[i].flavour == DEVLINK_PORT_FLAVOUR_PCI_VF && ports[i].pfnum == fn)
			return false;
	return true;
}

static void read_vf_ports(struct scan *sc, struct vs_pf *pf)
{
	_cleanup_free_ struct vs_devlink_port *ports = NULL;
	struct vs_error err = { 0 };
	size_t n = 0;

	if (vs_devlink_ports(sc->opts->dl, pf->devlink, &ports, &n, &err) < 0) {
		vs_host_warn(sc->host, "PF %s: VF ports and representors unknown: %s", pf->devlink, err.msg);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct vs_devlink_port *p = &ports[i];
		struct vs_vf *vf;

		if (!port_of_pf(pf, ports, n, p))
			continue;
		vf = &pf->vfs[p->vfnum];
		vf->dl.has_port = true;
		vf->dl.port = p->index;
		vs_strlcpy(vf->dl.representor, p->netdev, sizeof(vf->dl.representor));
		vf->dl.state = p->state;
		vf->dl.opstate = p->opstate;
		vf->dl.has_hw_addr = p->has_hw_addr;
		memcpy(vf->dl.hw_addr, p->hw_addr, 6);
		if (p->netdev[0])
			check_representor(sc, pf, vf, p);
	}
}

static struct vs_vf *vf_by_port(struct vs_pf *pf, uint32_t port)
{
	for (size_t i = 0; i < pf->n_vfs; i++)
		if (pf->vfs[i].dl.has_port && pf->vfs[i].dl.port == port)
			return &pf->vfs[i];
	return NULL;
}

static int read_rates(struct scan *sc, struct vs_pf *pf)
{
	_cleanup_free_ struct vs_devlink_rate *rates = NULL;
	struct vs_error err = { 0 };
	size_t n = 0, groups = 0;

	if (vs_devlink_rates(sc->opts->dl, pf->devlink, &rates, &n, &err) < 0)
		return vs_host_warn(sc->host, "PF %s: devlink rates unknown: %s", pf->devlink, err.msg);
	pf->rate_groups = calloc(n ? n : 1, sizeof(*pf->rate_groups));
	if (!pf->rate_groups)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct vs_vf *vf = rates[i].name[0] ? NULL : vf_by_port(pf, rates[i].port);

		if (rates[i].name[0]) {
			pf->rate_groups[groups++] = rates[i];
		} else if (vf) {
			vf->dl.has_rate = true;
			vf->dl.tx_max = rates[i].tx_max;
			vf->dl.tx_share = rates[i].tx_share;
			vs_strlcpy(vf->dl.rate_parent, rates[i].parent, sizeof(vf->dl.rate_parent));
		}
	}
	pf->n_rate_groups = groups;
	return 0;
}

/* -EOPNOTSUPP/-ENODEV: the driver has no devlink eswitch (igb): null, no
 * warning.  Ports and rates exist in switchdev mode only. */
static int read_devlink(struct scan *sc, struct vs_pf *pf)
{
	struct vs_error err = { 0 };
	int mode, r;

	devlink_defaults(pf);
	if (!sc->opts->dl || !devlink_handle(sc, pf))
		return 0;
	read_net_attr(sc, pf->netdev, "phys_switch_id", pf->switch_id, sizeof(pf->switch_id));
	r = vs_devlink_eswitch_get(sc->opts->dl, pf->devlink, &mode, &err);
	if (r == -EOPNOTSUPP || r == -ENODEV || r == -EINVAL)
		return 0;
	if (r < 0)
		return vs_host_warn(sc->host, "PF %s: eswitch mode unknown: %s", pf->devlink, err.msg);
	pf->eswitch_mode = mode;
	if (mode != VS_ESWITCH_SWITCHDEV)
		return 0;
	read_vf_ports(sc, pf);
	return read_rates(sc, pf);
}

/* ---- PFs that are no PCI device (netdevsim), found through their netdevs ---- */

#define NET "/sys/class/net"

static struct vs_pf *new_pf(struct scan *sc, size_t *alloc)
{
	struct vs_host *h = sc->host;
	struct vs_pf *pf;

	if (vs_grow((void **)&h->pfs, alloc, h->n_pfs + 1, sizeof(*h->pfs)) < 0)
		return NULL;
	pf = &h->pfs[h->n_pfs++];
	memset(pf, 0, sizeof(*pf));
	return pf;
}

/* The netdev's device, when it is a non-PCI device with sriov_numvfs. */
static bool nonpci_device(struct scan *sc, const char *netdev, char *dev, size_t len)
{
	const struct vs_sysfs *fs = sc->opts->sysfs;
	char bus[64];

	if (vs_sysfs_link_base(fs, dev, len, NET "/%s/device", netdev) < 0)
		return false;
	if (vs_sysfs_link_base(fs, bus, sizeof(bus), NET "/%s/device/subsystem", netdev) == 0 && !strcmp(bus, "pci"))
		return false;
	return vs_sysfs_exists(fs, NET "/%s/device/sriov_numvfs", netdev) == 1;
}

/* An integer attribute at a path relative to the root; -1 when absent. */
static int nonpci_int(struct scan *sc, const struct vs_pf *pf, const char *path)
{
	char buf[64];
	long v;
	int r = vs_sysfs_read(sc->opts->sysfs, buf, sizeof(buf), "%s", path);

	if (r == -ENOENT)
		return -1;
	if (r < 0 || vs_parse_long(buf, 10, &v) < 0 || v < 0 || v > 0xffffff) {
		vs_host_warn(sc->host, "PF %s: %s: %s", pf->address, path, r < 0 ? strerror(-r) : "not a number");
		return -1;
	}
	return (int)v;
}

/* The limit of netdevsim's VFs is in debugfs (DEBUGFS/BUS/DEV/max_vfs). */
static void read_nonpci_attrs(struct scan *sc, struct vs_pf *pf, const char *netdev)
{
	char bus[64], path[PATH_MAX];

	snprintf(path, sizeof(path), NET "/%s/device/sriov_numvfs", netdev);
	pf->numvfs = nonpci_int(sc, pf, path);
	snprintf(path, sizeof(path), NET "/%s/device/numa_node", netdev);
	pf->numa_node = nonpci_int(sc, pf, path);
	pf->totalvfs = -1;
	if (vs_sysfs_link_base(sc->opts->sysfs, bus, sizeof(bus), NET "/%s/device/subsystem", netdev) == 0) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s/max_vfs", bus, pf->address);
		pf->totalvfs = nonpci_int(sc, pf, path);
	}
	pf->vf_offset = pf->vf_stride = pf->drivers_autoprobe = pf->iommu_group = -1;
	if (vs_sysfs_link_base(sc->opts->sysfs, pf->driver, sizeof(pf->driver), NET "/%s/device/driver", netdev) < 0)
		pf->driver[0] = '\0';
	if (vs_sysfs_list(sc->opts->sysfs, &pf->netdevs, NET "/%s/device/net", netdev) <= 0) {
		vs_strv_free(pf->netdevs);
		pf->netdevs = NULL;
	}
	vs_strlcpy(pf->netdev, pf->netdevs ? pf->netdevs[0] : netdev, sizeof(pf->netdev));
}

/* Its VFs are numbers only: no device, driver, group or netdev. */
static int nonpci_vfs(struct vs_pf *pf)
{
	if (pf->numvfs <= 0)
		return 0;
	pf->vfs = calloc((size_t)pf->numvfs, sizeof(*pf->vfs));
	if (!pf->vfs)
		return -ENOMEM;
	for (int i = 0; i < pf->numvfs; i++) {
		pf->vfs[i].index = (unsigned)i;
		pf->vfs[i].iommu_group = -1;
		vs_vf_config_init(&pf->vfs[i].config, i);
	}
	pf->n_vfs = (size_t)pf->numvfs;
	return 0;
}

static int scan_nonpci(struct scan *sc, size_t *alloc)
{
	char **nets = NULL, dev[VS_PCI_ADDR_MAX];
	int r = vs_sysfs_list(sc->opts->sysfs, &nets, NET);

	if (r < 0) {
		if (r != -ENOENT)
			vs_host_warn(sc->host, "cannot list " NET ": %s; PFs that are no PCI device not listed",
				     strerror(-r));
		return 0;
	}
	r = 0;
	for (char **n = nets; r == 0 && *n; n++) {
		struct vs_pf *pf;

		if (!nonpci_device(sc, *n, dev, sizeof(dev)) || vs_host_find_pf(sc->host, dev))
			continue; /* a second port of a device already taken */
		pf = new_pf(sc, alloc);
		if (!pf) {
			r = -ENOMEM;
			break;
		}
		pf->non_pci = true;
		vs_strlcpy(pf->address, dev, sizeof(pf->address));
		read_nonpci_attrs(sc, pf, *n);
		r = nonpci_vfs(pf);
	}
	vs_strv_free(nets);
	return r;
}

/* ---- the device pass: PFs, and VFs that claim a PF ---- */

struct claim {
	char vf[VS_PCI_ADDR_MAX];
	char pf[VS_PCI_ADDR_MAX];
};

struct pass {
	struct claim *claims;
	size_t n_claims, claims_alloc;
	size_t pfs_alloc;
};

static int add_pf(struct scan *sc, struct pass *p, const char *dev)
{
	struct vs_pf *pf = new_pf(sc, &p->pfs_alloc);

	if (!pf)
		return -ENOMEM;
	vs_strlcpy(pf->address, dev, sizeof(pf->address));
	read_netdevs(sc, dev, &pf->netdevs);
	if (pf->netdevs)
		vs_strlcpy(pf->netdev, pf->netdevs[0], sizeof(pf->netdev));
	return 0;
}

static int add_claim(struct scan *sc, struct pass *p, const char *dev)
{
	char pfaddr[VS_PCI_ADDR_MAX];
	struct claim *c;

	if (vs_vf_physfn(sc->opts->sysfs, dev, pfaddr) < 0)
		return 0;
	if (vs_grow((void **)&p->claims, &p->claims_alloc, p->n_claims + 1, sizeof(*p->claims)) < 0)
		return -ENOMEM;
	c = &p->claims[p->n_claims++];
	vs_strlcpy(c->vf, dev, sizeof(c->vf));
	vs_strlcpy(c->pf, pfaddr, sizeof(c->pf));
	return 0;
}

static int device_pass(struct scan *sc, struct pass *p, char **devs)
{
	int r = 0;

	for (char **d = devs; r == 0 && *d; d++) {
		if (strlen(*d) >= VS_PCI_ADDR_MAX)
			continue;
		if (vs_sysfs_exists(sc->opts->sysfs, DEVICES "/%s/sriov_totalvfs", *d) == 1)
			r = add_pf(sc, p, *d);
		else
			r = add_claim(sc, p, *d);
	}
	return r;
}

/* A VF's physfn must lead back to the PF that lists it; a VF whose physfn
 * leads nowhere is in no PF's list: say so rather than leave it out. */
static void check_claim(struct scan *sc, const struct claim *c)
{
	bool exists = vs_sysfs_exists(sc->opts->sysfs, DEVICES "/%s/physfn", c->vf) == 1;
	struct vs_pf *pf;
	struct vs_vf *vf;

	if (vs_host_find_vf(sc->host, c->vf, &pf, &vf) == 0) {
		if (!exists || strcmp(pf->address, c->pf) != 0)
			vs_host_warn(sc->host, "VF %s (%s#%u): its physfn link points to %s%s, not to its PF %s",
				     c->vf, pf->netdev[0] ? pf->netdev : pf->address, vf->index, c->pf,
				     exists ? "" : " (no such device)", pf->address);
	} else if (!exists) {
		if (!sc->opts->only[0])
			vs_host_warn(sc->host, "VF %s: its physfn link points to %s, which does not exist; VF not listed",
				     c->vf, c->pf);
	} else if (vs_host_find_pf(sc->host, c->pf)) {
		vs_host_warn(sc->host, "VF %s: its physfn is %s, but that PF has no virtfn link to it; VF not listed",
			     c->vf, c->pf);
	}
}

static int pf_addr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vs_pf *)a)->address, ((const struct vs_pf *)b)->address);
}

/* Keep the PFs named in opts->only; every name must match one. */
static int filter_pfs(struct scan *sc, struct vs_error *err)
{
	struct vs_host *h = sc->host;
	size_t kept = 0;

	if (!sc->opts->only[0])
		return 0;
	for (const char *const *n = sc->opts->only; *n; n++) {
		if (!vs_host_find_pf(h, *n))
			return vs_host_unknown_name(h, "PF", *n, err);
	}
	for (size_t i = 0; i < h->n_pfs; i++) {
		bool keep = false;

		for (const char *const *n = sc->opts->only; *n && !keep; n++)
			keep = strcmp(h->pfs[i].address, *n) == 0 || pf_has_netdev(&h->pfs[i], *n);
		if (keep)
			h->pfs[kept++] = h->pfs[i];
		else
			pf_free(&h->pfs[i]);
	}
	h->n_pfs = kept;
	return 0;
}

static int scan_pfs(struct scan *sc, char **devs, struct vs_error *err)
{
	struct pass p = { 0 };
	int r;

	r = device_pass(sc, &p, devs);
	if (r == 0 && sc->opts->non_pci)
		r = scan_nonpci(sc, &p.pfs_alloc);
	if (r == 0 && sc->host->n_pfs)
		qsort(sc->host->pfs, sc->host->n_pfs, sizeof(*sc->host->pfs), pf_addr_cmp);
	if (r == 0)
		r = filter_pfs(sc, err);
	for (size_t i = 0; r == 0 && i < sc->host->n_pfs; i++) {
		if (sc->host->pfs[i].non_pci)
			continue; /* read when found */
		read_pf_attrs(sc, &sc->host->pfs[i]);
		r = read_vfs(sc, &sc->host->pfs[i]);
	}
	for (size_t i = 0; r == 0 && i < p.n_claims; i++)
		check_claim(sc, &p.claims[i]);
	for (size_t i = 0; r == 0 && i < sc->host->n_pfs; i++)
		read_vf_configs(sc, &sc->host->pfs[i]);
	for (size_t i = 0; r == 0 && i < sc->host->n_pfs; i++)
		r = read_devlink(sc, &sc->host->pfs[i]);
	free(p.claims);
	return r;
}

int vs_inventory_scan(const struct vs_scan_opts *opts, struct vs_host **out, struct vs_error *err)
{
	struct scan sc = { .opts = opts };
	struct vs_error perr = { 0 };
	char **devs = NULL;
	int r;

	if (vs_vftables_find(opts->sysfs, sc.vf_tables, sizeof(sc.vf_tables)) < 0)
		sc.vf_tables[0] = '\0';

	r = vs_sysfs_list(opts->sysfs, &devs, DEVICES);
	if (r < 0)
		return vs_error_set(err, r, "cannot read %s" DEVICES ": %s", opts->sysfs->root, strerror(-r));
	sc.host = calloc(1, sizeof(*sc.host));
	if (!sc.host) {
		vs_strv_free(devs);
		return -ENOMEM;
	}
	sc.host->sysfs = *opts->sysfs;
	if (vs_pci_open(opts->sysfs, &sc.pci, &perr) < 0)
		vs_host_warn(sc.host, "libpci: %s; names and SR-IOV capability unknown", perr.msg[0] ? perr.msg : "cannot open");
	r = scan_pfs(&sc, devs, err);
	vs_pci_close(sc.pci);
	vs_strv_free(devs);
	if (r < 0) {
		vs_host_free(sc.host);
		return r == -ENOMEM ? vs_error_set(err, r, "out of memory while scanning") : r;
	}
	*out = sc.host;
	return 0;
}
