/* The inventory from libvirt's node devices (nodedev.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "libvirt.h"
#include "nodedev.h"
#include "pciaddr.h"
#include "xml.h"

/* The text of the first node expr finds, into buf ("" when none). */
static void text_of(xmlDocPtr doc, xmlNodePtr at, const char *expr, char *buf, size_t size)
{
	xmlNodePtr n = vs_xml_first(doc, at, expr);
	_cleanup_xmlchar_ xmlChar *t = n ? xmlNodeGetContent(n) : NULL;

	buf[0] = '\0';
	if (t)
		vs_strlcpy(buf, (const char *)t, size);
}

/* An integer (base 0, as libvirt writes them: "0x8086", "12") of the first
 * node expr finds; `dflt` when none, -EINVAL when malformed. */
static int long_of(xmlDocPtr doc, xmlNodePtr at, const char *expr, long dflt, long *out)
{
	char buf[64], *end;

	text_of(doc, at, expr, buf, sizeof(buf));
	*out = dflt;
	if (!buf[0])
		return 0;
	errno = 0;
	*out = strtol(buf, &end, 0);
	return errno || *end || end == buf ? -EINVAL : 0;
}

static int pci_address(xmlDocPtr doc, xmlNodePtr cap, char out[VS_PCI_ADDR_MAX])
{
	long d, b, s, f;
	struct vs_pci_addr a;

	if (long_of(doc, cap, "domain", 0, &d) < 0 || long_of(doc, cap, "bus", -1, &b) < 0 ||
	    long_of(doc, cap, "slot", -1, &s) < 0 || long_of(doc, cap, "function", -1, &f) < 0 ||
	    d < 0 || d > 0xffffffffL || b < 0 || b > 0xff || s < 0 || s > 0x1f || f < 0 || f > 7)
		return -EINVAL;
	a = (struct vs_pci_addr){ .domain = (uint32_t)d, .bus = (uint8_t)b, .slot = (uint8_t)s, .function = (uint8_t)f };
	vs_pci_addr_format(&a, out);
	return 0;
}

static int pci_vfs(xmlDocPtr doc, xmlNodePtr cap, struct vs_nodedev *d)
{
	_cleanup_xpobj_ xmlXPathObjectPtr o = vs_xml_eval(doc, cap, "capability[@type='virt_functions']/address");
	xmlNodePtr vf = vs_xml_first(doc, cap, "capability[@type='virt_functions']");
	_cleanup_xmlchar_ xmlChar *max = vf ? xmlGetProp(vf, BAD_CAST "maxCount") : NULL;
	int n = vs_xml_count(o);

	if (!vf)
		return 0;
	d->max_vfs = max ? atoi((const char *)max) : n;
	if (n && !(d->vfs = calloc((size_t)n, sizeof(*d->vfs))))
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		if (vs_xml_pci_address(o->nodesetval->nodeTab[i], d->vfs[d->n_vfs++]) < 0)
			return -EINVAL;
	return 0;
}

static int parse_pci(xmlDocPtr doc, xmlNodePtr cap, struct vs_nodedev *d)
{
	long cls, vendor, device, numa, group;
	xmlNodePtr physfn;
	int r;

	d->kind = VS_NODEDEV_PCI;
	if (pci_address(doc, cap, d->address) < 0 || long_of(doc, cap, "class", -1, &cls) < 0 ||
	    long_of(doc, cap, "vendor/@id", 0, &vendor) < 0 || long_of(doc, cap, "product/@id", 0, &device) < 0 ||
	    long_of(doc, cap, "numa/@node", -1, &numa) < 0 || long_of(doc, cap, "iommuGroup/@number", -1, &group) < 0)
		return -EINVAL;
	d->class_code = (int)cls;
	d->vendor_id = (unsigned)vendor & 0xffff;
	d->device_id = (unsigned)device & 0xffff;
	/* the kernel's "no NUMA node" is -1; libvirt omits the element then */
	d->numa_node = numa < 0 ? -1 : (int)numa;
	d->iommu_group = (int)group;
	text_of(doc, cap, "vendor", d->vendor_name, sizeof(d->vendor_name));
	text_of(doc, cap, "product", d->device_name, sizeof(d->device_name));
	r = pci_vfs(doc, cap, d);
	physfn = vs_xml_first(doc, cap, "capability[@type='phys_function']/address");
	if (r == 0 && physfn && vs_xml_pci_address(physfn, d->physfn) < 0)
		r = -EINVAL;
	return r;
}

int vs_nodedev_parse(const char *xml, const char *what, struct vs_nodedev *d, struct vs_error *err)
{
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	xmlNodePtr cap;
	int r;

	memset(d, 0, sizeof(*d));
	d->class_code = d->numa_node = d->iommu_group = d->max_vfs = -1;
	if ((r = vs_xml_parse(xml, what, &doc, err)) < 0)
		return r;
	text_of(doc, NULL, "/device/name", d->name, sizeof(d->name));
	text_of(doc, NULL, "/device/parent", d->parent, sizeof(d->parent));
	text_of(doc, NULL, "/device/driver/name", d->driver, sizeof(d->driver));
	if ((cap = vs_xml_first(doc, NULL, "/device/capability[@type='pci']"))) {
		r = parse_pci(doc, cap, d);
	} else if ((cap = vs_xml_first(doc, NULL, "/device/capability[@type='net']"))) {
		d->kind = VS_NODEDEV_NET;
		text_of(doc, cap, "interface", d->ifname, sizeof(d->ifname));
	}
	if (r == -EINVAL)
		return vs_error_set(err, r, "%s: a malformed PCI capability (address, IDs, NUMA node, IOMMU group "
				    "or VF address)", what);
	return r;
}

void vs_nodedev_clear(struct vs_nodedev *d)
{
	free(d->vfs);
	d->vfs = NULL;
	d->n_vfs = 0;
}

void vs_nodedevs_free(struct vs_nodedev *d, size_t n)
{
	for (size_t i = 0; d && i < n; i++)
		vs_nodedev_clear(&d[i]);
	free(d);
}

/* ---- the inventory ---- */

static const struct vs_nodedev *by_address(const struct vs_nodedev *devs, size_t n, const char *address)
{
	for (size_t i = 0; i < n; i++)
		if (devs[i].kind == VS_NODEDEV_PCI && !strcmp(devs[i].address, address))
			return &devs[i];
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The interface names of the net devices whose parent is `dev`, sorted
 * (as the sysfs source lists its net/ directory); into first. */
static int netdevs_of(const struct vs_nodedev *devs, size_t n, const struct vs_nodedev *dev, char ***out,
		      char first[IFNAMSIZ])
{
	size_t k = 0;
	char **v = calloc(n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (devs[i].kind != VS_NODEDEV_NET || !devs[i].ifname[0] || strcmp(devs[i].parent, dev->name))
			continue;
		if (!(v[k++] = strdup(devs[i].ifname))) {
			vs_strv_free(v);
			return -ENOMEM;
		}
	}
	qsort(v, k, sizeof(*v), cmp_str);
	first[0] = '\0';
	if (k)
		vs_strlcpy(first, v[0], IFNAMSIZ);
	*out = v;
	return (int)k;
}

static unsigned routing_id(const char *address)
{
	struct vs_pci_addr a;

	if (vs_pci_addr_parse(address, &a) < 0)
		return 0;
	return (unsigned)a.bus << 8 | (unsigned)a.slot << 3 | a.function;
}

static void pf_geometry(struct vs_pf *pf, const struct vs_nodedev *d)
{
	pf->vf_offset = pf->vf_stride = -1;
	if (d->n_vfs >= 1)
		pf->vf_offset = (int)routing_id(d->vfs[0]) - (int)routing_id(d->address);
	if (d->n_vfs >= 2)
		pf->vf_stride = (int)routing_id(d->vfs[1]) - (int)routing_id(d->vfs[0]);
}

static void strv_freep(char ***v)
{
	vs_strv_free(*v);
}

static int fill_vf(const struct vs_nodedev *devs, size_t n, const char *address, unsigned index, struct vs_vf *vf)
{
	const struct vs_nodedev *d = by_address(devs, n, address);
	_cleanup_(strv_freep) char **names = NULL;

	vf->index = index;
	vf->iommu_group = -1;
	vs_vf_config_init(&vf->config, (int)index);
	vs_strlcpy(vf->address, address, sizeof(vf->address));
	if (!d)
		return 0; /* listed by its PF, not (yet) a node device */
	vs_strlcpy(vf->driver, d->driver, sizeof(vf->driver));
	vf->iommu_group = d->iommu_group;
	return netdevs_of(devs, n, d, &names, vf->netdev) < 0 ? -ENOMEM : 0;
}

static int fill_pf(const struct vs_nodedev *devs, size_t n, const struct vs_nodedev *d, struct vs_pf *pf)
{
	int r;

	vs_strlcpy(pf->address, d->address, sizeof(pf->address));
	vs_strlcpy(pf->driver, d->driver, sizeof(pf->driver));
	vs_strlcpy(pf->vendor_name, d->vendor_name, sizeof(pf->vendor_name));
	vs_strlcpy(pf->device_name, d->device_name, sizeof(pf->device_name));
	pf->vendor_id = d->vendor_id;
	pf->device_id = d->device_id;
	pf->numa_node = d->numa_node;
	pf->iommu_group = d->iommu_group;
	pf->totalvfs = d->max_vfs;
	pf->numvfs = (int)d->n_vfs;
	pf->drivers_autoprobe = -1;
	pf_geometry(pf, d);
	if ((r = netdevs_of(devs, n, d, &pf->netdevs, pf->netdev)) < 0)
		return r;
	/* as the sysfs source: no netdev and not a network device by class (NVMe) */
	pf->vf_settings_na = r == 0 && d->class_code >= 0 && (d->class_code >> 16) != 0x02;
	if (d->n_vfs && !(pf->vfs = calloc(d->n_vfs, sizeof(*pf->vfs))))
		return -ENOMEM;
	for (size_t i = 0; i < d->n_vfs; i++, pf->n_vfs++) {
		const struct vs_nodedev *vf = by_address(devs, n, d->vfs[i]);

		if (vf && !pf->vf_device_id)
			pf->vf_device_id = vf->device_id;
		if (fill_vf(devs, n, d->vfs[i], (unsigned)i, &pf->vfs[i]) < 0)
			return -ENOMEM;
	}
	return 0;
}

static bool wanted(const struct vs_scan_opts *opts, const struct vs_pf *pf)
{
	if (!opts || !opts->only[0])
		return true;
	for (size_t i = 0; i < ELEMENTSOF(opts->only) && opts->only[i]; i++) {
		if (!strcmp(opts->only[i], pf->address))
			return true;
		for (char **nd = pf->netdevs; nd && *nd; nd++)
			if (!strcmp(opts->only[i], *nd))
				return true;
	}
	return false;
}

static int cmp_pf(const void *a, const void *b)
{
	return strcmp(((const struct vs_pf *)a)->address, ((const struct vs_pf *)b)->address);
}

int vs_nodedev_host(const struct vs_nodedev *devs, size_t n, const struct vs_scan_opts *opts,
		    struct vs_host **out, struct vs_error *err)
{
	struct vs_host *host = calloc(1, sizeof(*host));
	int r = host ? 0 : -ENOMEM;

	/* names resolve against the inventory alone: a root no path is under
	 * keeps this machine's sysfs out of the remote host's names */
	if (r == 0)
		r = vs_sysfs_init(&host->sysfs, "/dev/null/libvirt");
	if (r == 0 && n && !(host->pfs = calloc(n, sizeof(*host->pfs))))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct vs_pf *pf = &host->pfs[host->n_pfs];

		if (devs[i].kind != VS_NODEDEV_PCI || devs[i].max_vfs < 0)
			continue;
		r = fill_pf(devs, n, &devs[i], pf);
		host->n_pfs++;
		if (r == 0 && !wanted(opts, pf))
			vs_host_drop_pf(host, host->n_pfs - 1);
	}
	if (r < 0) {
		vs_host_free(host);
		return vs_error_set(err, r, "the inventory from libvirt's node devices: %s", strerror(-r));
	}
	if (host->n_pfs)
		qsort(host->pfs, host->n_pfs, sizeof(*host->pfs), cmp_pf);
	*out = host;
	return 0;
}

/* PCI and net devices; a driver that takes no capability filter (the test
 * driver) is asked for all. */
static int list_devices(virConnectPtr conn, virNodeDevicePtr **list, struct vs_error *err)
{
	int n = virConnectListAllNodeDevices(conn, list, VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV |
					     VIR_CONNECT_LIST_NODE_DEVICES_CAP_NET);

	if (n < 0)
		n = virConnectListAllNodeDevices(conn, list, 0);
	if (n < 0)
		return vs_error_set(err, -EIO, "cannot list libvirt's node devices: %s", vs_libvirt_message());
	return n;
}

static int parse_devices(virNodeDevicePtr *list, int n, struct vs_nodedev *devs, struct vs_error *err)
{
	for (int i = 0; i < n; i++) {
		const char *name = virNodeDeviceGetName(list[i]);
		_cleanup_free_ char *xml = virNodeDeviceGetXMLDesc(list[i], 0);
		char what[160];

		snprintf(what, sizeof(what), "node device %s", name ? name : "?");
		/* gone since the listing (a VF removed meanwhile): skipped */
		if (!xml)
			continue;
		int r = vs_nodedev_parse(xml, what, &devs[i], err);

		if (r < 0)
			return r;
	}
	return 0;
}

int vs_nodedev_scan(virConnectPtr conn, const struct vs_scan_opts *opts, struct vs_host **out,
		    struct vs_error *err)
{
	virNodeDevicePtr *list = NULL;
	struct vs_nodedev *devs = NULL;
	int n = list_devices(conn, &list, err), r = n;

	if (n >= 0 && !(devs = calloc((size_t)n + 1, sizeof(*devs))))
		r = vs_error_set(err, -ENOMEM, "node devices: %s", strerror(ENOMEM));
	if (r >= 0)
		r = parse_devices(list, n, devs, err);
	if (r >= 0)
		r = vs_nodedev_host(devs, (size_t)n, opts, out, err);
	for (int i = 0; i < n; i++)
		virNodeDeviceFree(list[i]);
	free(list);
	vs_nodedevs_free(devs, n > 0 ? (size_t)n : 0);
	return r < 0 ? r : 0;
}
