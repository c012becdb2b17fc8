#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "libvirt.h"
#include "pciaddr.h"
#include "policy.h"
#include "xml.h"

static inline void vs_domainp(virDomainPtr *d) { if (*d) virDomainFree(*d); }
static inline void vs_networkp(virNetworkPtr *n) { if (*n) virNetworkFree(*n); }
#define _cleanup_domain_ _cleanup_(vs_domainp)
#define _cleanup_network_ _cleanup_(vs_networkp)

const char *vs_libvirt_message(void)
{
	const char *m = virGetLastErrorMessage();

	return m && *m ? m : "unknown libvirt error";
}

int vs_libvirt_code(void)
{
	virErrorPtr e = virGetLastError();

	return e ? e->code : VIR_ERR_OK;
}

/* libvirt prints every error on stderr by default; we report them ourselves,
 * with what the tool was doing. */
static void vs_libvirt_quiet(void *opaque, virErrorPtr e)
{
}

void vs_libvirt_silence(void)
{
	virSetErrorFunc(NULL, vs_libvirt_quiet);
}

/* The first libvirt call of a run: where libvirt.so.0 cannot be loaded
 * (libvirt-dl.c), the open fails and the message says which library and
 * why. */
int vs_libvirt_open(const char *uri, bool readonly, virConnectPtr *out, struct vs_error *err)
{
	vs_libvirt_silence();
	*out = readonly ? virConnectOpenReadOnly(uri) : virConnectOpen(uri);
	if (*out)
		return 0;
	return vs_error_set(err, -ECONNREFUSED, "cannot connect to %s: %s",
			    uri ? uri : "the default URI", vs_libvirt_message());
}

/* ---- in_use_by ---- */

static struct vs_vf *find_vf(struct vs_host *host, const char *addr)
{
	char norm[VS_PCI_ADDR_MAX];

	for (size_t i = 0; i < host->n_pfs; i++) {
		struct vs_pf *pf = &host->pfs[i];

		for (size_t j = 0; j < pf->n_vfs; j++)
			if (vs_pci_addr_normalize(pf->vfs[j].address, norm) == 0 &&
			    strcmp(norm, addr) == 0)
				return &pf->vfs[j];
	}
	return NULL;
}

static void warn_once(struct vs_host *host, const struct vs_vf *vf, const char *owner)
{
	_cleanup_free_ char *line = NULL;

	if (asprintf(&line, "VF %s is given to both guest %s and guest %s", vf->address, vf->in_use_by, owner) < 0)
		return;
	/* a running guest's live and persistent XML both name its VFs */
	for (size_t i = 0; i < host->n_warnings; i++)
		if (strcmp(host->warnings[i], line) == 0)
			return;
	vs_host_warn(host, "%s", line);
}

/* The first holder wins (running guests are visited first); a second guest
 * naming the same VF is worth a warning: only one of them can start. */
static int mark_used(struct vs_host *host, const char *addr, const char *owner)
{
	struct vs_vf *vf = find_vf(host, addr);

	if (!vf)
		return 0;
	if (vf->in_use_by) {
		if (strcmp(vf->in_use_by, owner) != 0)
			warn_once(host, vf, owner);
		return 0;
	}
	vf->in_use_by = strdup(owner);
	return vf->in_use_by ? 0 : -ENOMEM;
}

static const char *const domain_vf_xpath =
	"/domain/devices/hostdev[@mode='subsystem' and @type='pci']/source/address"
	" | /domain/devices/interface[@type='hostdev']/source/address[not(@type) or @type='pci']"
	" | /domain/devices/interface/actual[@type='hostdev']/source/address[not(@type) or @type='pci']";

static int mark_domain_xml(struct vs_host *host, const char *xml, const char *name, struct vs_error *err)
{
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	_cleanup_xpobj_ xmlXPathObjectPtr o = NULL;
	char what[300], addr[VS_PCI_ADDR_MAX];
	int r;

	snprintf(what, sizeof(what), "XML of guest %s", name);
	r = vs_xml_parse(xml, what, &doc, err);
	if (r < 0)
		return r;
	o = vs_xml_eval(doc, NULL, domain_vf_xpath);
	for (int i = 0; i < vs_xml_count(o); i++) {
		/* libvirt itself skips a <hostdev> without an address */
		if (vs_xml_pci_address(o->nodesetval->nodeTab[i], addr) < 0)
			continue;
		r = mark_used(host, addr, name);
		if (r < 0)
			return r;
	}
	return 0;
}

static int mark_domain(struct vs_host *host, virDomainPtr dom, struct vs_error *err)
{
	const char *name = virDomainGetName(dom);
	unsigned int flags[2] = { 0, VIR_DOMAIN_XML_INACTIVE };
	int r;

	for (size_t i = 0; i < ELEMENTSOF(flags); i++) {
		_cleanup_free_ char *xml = NULL;

		/* an inactive guest's live XML is its persistent one */
		if (flags[i] && (virDomainIsPersistent(dom) != 1 || virDomainIsActive(dom) != 1))
			break;
		xml = virDomainGetXMLDesc(dom, flags[i]);
		if (!xml) {
			if (vs_libvirt_code() == VIR_ERR_NO_DOMAIN)
				return 0; /* went away while we looked */
			return vs_error_set(err, -EIO, "reading the XML of guest %s: %s", name, vs_libvirt_message());
		}
		r = mark_domain_xml(host, xml, name, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int mark_domains(virConnectPtr conn, struct vs_host *host, struct vs_error *err)
{
	/* running guests first: they are the ones really holding a VF */
	static const unsigned int which[] = { VIR_CONNECT_LIST_DOMAINS_ACTIVE, VIR_CONNECT_LIST_DOMAINS_INACTIVE };
	int r = 0;

	for (size_t w = 0; w < ELEMENTSOF(which) && r >= 0; w++) {
		virDomainPtr *doms = NULL;
		int n = virConnectListAllDomains(conn, &doms, which[w]);

		if (n < 0)
			return vs_error_set(err, -EIO, "listing guests: %s", vs_libvirt_message());
		for (int i = 0; i < n; i++) {
			if (r >= 0)
				r = mark_domain(host, doms[i], err);
			virDomainFree(doms[i]);
		}
		free(doms);
	}
	return r;
}

/* The guest's name for a port owner: looked up by UUID (names can be reused
 * by a new guest), falling back to the name the port recorded. */
static char *port_owner(virConnectPtr conn, xmlDocPtr doc)
{
	xmlNodePtr u = vs_xml_first(doc, NULL, "/networkport/owner/uuid");
	xmlNodePtr nm = vs_xml_first(doc, NULL, "/networkport/owner/name");
	_cleanup_xmlchar_ xmlChar *uuid = u ? xmlNodeGetContent(u) : NULL;
	_cleanup_xmlchar_ xmlChar *name = nm ? xmlNodeGetContent(nm) : NULL;
	_cleanup_domain_ virDomainPtr dom = NULL;

	if (uuid)
		dom = virDomainLookupByUUIDString(conn, (const char *)uuid);
	if (dom)
		return strdup(virDomainGetName(dom));
	if (name)
		return strdup((const char *)name);
	return strdup(uuid ? (const char *)uuid : "unknown guest");
}

int vs_libvirt_port_info(virConnectPtr conn, const char *xml, char addr[VS_PCI_ADDR_MAX], char **owner,
			 struct vs_error *err)
{
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	int r = vs_xml_parse(xml, "network port XML", &doc, err);

	if (r < 0)
		return r;
	addr[0] = '\0';
	r = vs_xml_pci_address(vs_xml_first(doc, NULL, "/networkport/plug[@type='hostdev-pci']/address"), addr);
	if (r == -EINVAL)
		return vs_error_set(err, r, "network port XML: malformed PCI address");
	if (r < 0)
		addr[0] = '\0';
	*owner = port_owner(conn, doc);
	return *owner ? 0 : -ENOMEM;
}

static int mark_network_ports(virConnectPtr conn, struct vs_host *host, virNetworkPtr net, struct vs_error *err)
{
	virNetworkPortPtr *ports = NULL;
	int n = virNetworkListAllPorts(net, &ports, 0);
	int r = 0;

	/* drivers without network ports (the test driver) hand out no VFs */
	if (n < 0 && vs_libvirt_code() == VIR_ERR_NO_SUPPORT)
		return 0;
	if (n < 0)
		return vs_error_set(err, -EIO, "listing the ports of network %s: %s",
				    virNetworkGetName(net), vs_libvirt_message());
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *xml = r >= 0 ? virNetworkPortGetXMLDesc(ports[i], 0) : NULL;
		_cleanup_free_ char *owner = NULL;
		char addr[VS_PCI_ADDR_MAX];

		if (xml)
			r = vs_libvirt_port_info(conn, xml, addr, &owner, err);
		if (r >= 0 && xml && addr[0])
			r = mark_used(host, addr, owner);
		virNetworkPortFree(ports[i]);
	}
	free(ports);
	return r;
}

int vs_libvirt_network_is_hostdev(virNetworkPtr net, struct vs_error *err)
{
	_cleanup_free_ char *xml = virNetworkGetXMLDesc(net, 0);
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	int r;

	if (!xml)
		return vs_error_set(err, -EIO, "reading the XML of network %s: %s",
				    virNetworkGetName(net), vs_libvirt_message());
	r = vs_xml_parse(xml, virNetworkGetName(net), &doc, err);
	if (r < 0)
		return r;
	return vs_xml_first(doc, NULL, "/network/forward[@mode='hostdev']") != NULL;
}

static int mark_networks(virConnectPtr conn, struct vs_host *host, struct vs_error *err)
{
	virNetworkPtr *nets = NULL;
	int n = virConnectListAllNetworks(conn, &nets, VIR_CONNECT_LIST_NETWORKS_ACTIVE);
	int r = 0;

	if (n < 0)
		return vs_error_set(err, -EIO, "listing networks: %s", vs_libvirt_message());
	for (int i = 0; i < n; i++) {
		if (r >= 0)
			r = vs_libvirt_network_is_hostdev(nets[i], err);
		if (r > 0)
			r = mark_network_ports(conn, host, nets[i], err);
		virNetworkFree(nets[i]);
	}
	free(nets);
	return r < 0 ? r : 0;
}

int vs_libvirt_fill_usage(virConnectPtr conn, struct vs_host *host, struct vs_error *err)
{
	int r = mark_domains(conn, host, err);

	if (r >= 0)
		r = mark_networks(conn, host, err);
	if (r < 0)
		return r;
	host->usage_known = true;
	return 0;
}

/* ---- hostdev pools ---- */

static int pool_fail(struct vs_pool_result *res, enum vs_pool_stage stage, struct vs_error *err,
		     const char *doing)
{
	res->failed = stage;
	return vs_error_set(err, -EIO, "%s %s: %s", doing, res->name, vs_libvirt_message());
}

/* 1 when the defined network's persistent XML says the same as ours. */
static int pool_same(virNetworkPtr net, xmlDocPtr want, struct vs_pool_result *res, struct vs_error *err)
{
	static const char *const ignore[] = { "uuid", NULL };
	_cleanup_free_ char *xml = virNetworkGetXMLDesc(net, VIR_NETWORK_XML_INACTIVE);
	_cleanup_xmldoc_ xmlDocPtr have = NULL;
	int r;

	/* the test driver knows no flags; its XML is the persistent one */
	if (!xml && vs_libvirt_code() == VIR_ERR_INVALID_ARG)
		xml = virNetworkGetXMLDesc(net, 0);
	if (!xml)
		return pool_fail(res, VS_STAGE_LOOKUP, err, "reading pool");
	r = vs_xml_parse(xml, res->name, &have, err);
	if (r < 0)
		return r;
	if (!vs_xml_first(have, NULL, "/network/forward[@mode='hostdev']")) {
		res->failed = VS_STAGE_LOOKUP;
		return vs_error_set(err, -EEXIST, "network %s exists and is not a hostdev pool; choose another name with --name",
				    res->name);
	}
	return vs_xml_same(xmlDocGetRootElement(have), xmlDocGetRootElement(want), ignore);
}

/* Our XML with the defined network's UUID, so a redefinition updates it in
 * place instead of clashing with it. */
static char *with_uuid(virNetworkPtr net, xmlDocPtr want)
{
	char uuid[VIR_UUID_STRING_BUFLEN];
	xmlNodePtr root = xmlDocGetRootElement(want);
	xmlNodePtr u = vs_xml_first(want, NULL, "/network/uuid");

	if (virNetworkGetUUIDString(net, uuid) < 0)
		return NULL;
	if (!u) {
		u = xmlNewDocNode(want, NULL, (const xmlChar *)"uuid", NULL);
		if (!u)
			return NULL;
		if (root->children)
			xmlAddPrevSibling(root->children, u);
		else
			xmlAddChild(root, u);
	}
	xmlNodeSetContent(u, (const xmlChar *)uuid);
	return vs_xml_dump(want);
}

static int port_count(virNetworkPtr net)
{
	int n = virNetworkListAllPorts(net, NULL, 0);

	return (n < 0 && vs_libvirt_code() == VIR_ERR_NO_SUPPORT) ? 0 : n;
}

/* A running pool keeps its old definition until it restarts: restart it
 * when no guest holds one of its VFs, else leave it (the caller says so). */
static int pool_restart_for_update(virNetworkPtr net, bool dry_run, struct vs_pool_result *res,
				   struct vs_error *err)
{
	int n;

	if (virNetworkIsActive(net) != 1)
		return 0;
	n = port_count(net);
	if (n < 0)
		return pool_fail(res, VS_STAGE_PORTS, err, "listing the ports of pool");
	res->n_ports = n;
	if (n > 0)
		return 0;
	if (!dry_run && virNetworkDestroy(net) < 0)
		return pool_fail(res, VS_STAGE_DESTROY, err, "stopping pool (to restart it)");
	res->changes |= VS_POOL_DESTROYED;
	return 0;
}

static int pool_define(virConnectPtr conn, virNetworkPtr *net, xmlDocPtr want, const char *xml, bool dry_run,
		       struct vs_pool_result *res, struct vs_error *err)
{
	_cleanup_free_ char *redefine = NULL;
	int same = 0;

	if (*net) {
		same = pool_same(*net, want, res, err);
		if (same != 0)
			return same < 0 ? same : 0;
		redefine = with_uuid(*net, want);
		if (!redefine)
			return pool_fail(res, VS_STAGE_DEFINE, err, "updating pool");
	}
	if (*net && pool_restart_for_update(*net, dry_run, res, err) < 0)
		return -EIO;
	if (dry_run) {
		res->changes |= *net ? VS_POOL_UPDATED : VS_POOL_DEFINED;
		return 0;
	}
	if (*net) {
		/* stopped first: libvirt's test driver ignores a definition
		 * made while the network ran */
		virNetworkPtr old = *net;

		*net = virNetworkDefineXML(conn, redefine);
		if (!*net) {
			pool_fail(res, VS_STAGE_DEFINE, err, "updating pool");
			if (res->changes & VS_POOL_DESTROYED)
				virNetworkCreate(old); /* put back what ran before */
		}
		virNetworkFree(old);
		if (!*net)
			return -EIO;
		res->changes |= VS_POOL_UPDATED;
		return 0;
	}
	*net = virNetworkDefineXML(conn, xml);
	if (!*net)
		return pool_fail(res, VS_STAGE_DEFINE, err, "defining pool");
	res->changes |= VS_POOL_DEFINED;
	return 0;
}

static int pool_lookup(virConnectPtr conn, virNetworkPtr *net, struct vs_pool_result *res, struct vs_error *err)
{
	*net = virNetworkLookupByName(conn, res->name);
	if (*net || vs_libvirt_code() == VIR_ERR_NO_NETWORK)
		return 0;
	return pool_fail(res, VS_STAGE_LOOKUP, err, "looking up pool");
}

static int pool_autostart_start(virNetworkPtr net, bool autostart, bool start, bool dry_run,
				struct vs_pool_result *res, struct vs_error *err)
{
	int on = 0, active = 0;

	/* a pool that does not exist yet (dry run) is neither */
	if (net && (virNetworkGetAutostart(net, &on) < 0 || (active = virNetworkIsActive(net)) < 0))
		return pool_fail(res, VS_STAGE_LOOKUP, err, "reading the state of pool");
	/* autostart first: a pool that cannot start yet (no VFs) comes up by
	 * itself once they exist and the host reboots */
	if (autostart && !on) {
		if (!dry_run && virNetworkSetAutostart(net, 1) < 0)
			return pool_fail(res, VS_STAGE_AUTOSTART, err, "setting autostart on pool");
		res->changes |= VS_POOL_AUTOSTART;
	}
	/* a dry run did not really stop it for the update; a pool stopped
	 * for an update is started again even when start is false */
	if ((!active && start) || (res->changes & VS_POOL_DESTROYED)) {
		if (!dry_run && virNetworkCreate(net) < 0)
			return pool_fail(res, VS_STAGE_START, err, "starting pool");
		res->changes |= VS_POOL_STARTED;
	}
	return 0;
}

int vs_libvirt_pool_apply(virConnectPtr conn, const char *xml, bool autostart, bool dry_run,
			  struct vs_pool_result *res, struct vs_error *err)
{
	return vs_libvirt_pool_apply_start(conn, xml, autostart, true, dry_run, res, err);
}

int vs_libvirt_pool_apply_start(virConnectPtr conn, const char *xml, bool autostart, bool start, bool dry_run,
				struct vs_pool_result *res, struct vs_error *err)
{
	_cleanup_xmldoc_ xmlDocPtr want = NULL;
	_cleanup_network_ virNetworkPtr net = NULL;
	_cleanup_xmlchar_ xmlChar *name = NULL;
	xmlNodePtr n;
	int r;

	memset(res, 0, sizeof(*res));
	r = vs_xml_parse(xml, "generated pool XML", &want, err);
	if (r < 0)
		return r;
	n = vs_xml_first(want, NULL, "/network/name");
	name = n ? xmlNodeGetContent(n) : NULL;
	if (!name || !name[0] || vs_strlcpy(res->name, (const char *)name, sizeof(res->name)) < 0)
		return vs_error_set(err, -EINVAL, "generated pool XML has no usable <name>");
	r = pool_lookup(conn, &net, res, err);
	if (r >= 0)
		r = pool_define(conn, &net, want, xml, dry_run, res, err);
	if (r >= 0)
		r = pool_autostart_start(net, autostart, start, dry_run, res, err);
	return r;
}

static void pool_info_clear(struct vs_pool_info *p)
{
	for (size_t j = 0; j < p->n_ports; j++)
		free(p->ports[j].owner);
	free(p->ports);
	free(p->name);
	xmlFree(p->pf);
	memset(p, 0, sizeof(*p));
}

void vs_pool_info_free(struct vs_pool_info *p, size_t n)
{
	for (size_t i = 0; p && i < n; i++)
		pool_info_clear(&p[i]);
	free(p);
}

static int pool_ports(virConnectPtr conn, virNetworkPtr net, struct vs_pool_info *info, struct vs_error *err)
{
	virNetworkPortPtr *ports = NULL;
	int n = virNetworkListAllPorts(net, &ports, 0);
	int r = 0;

	if (n < 0 && vs_libvirt_code() == VIR_ERR_NO_SUPPORT)
		return 0;
	if (n < 0)
		return vs_error_set(err, -EIO, "listing the ports of pool %s: %s", info->name, vs_libvirt_message());
	info->ports = calloc(n ? n : 1, sizeof(*info->ports));
	if (!info->ports)
		r = -ENOMEM;
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *xml = r >= 0 ? virNetworkPortGetXMLDesc(ports[i], 0) : NULL;

		if (xml) {
			struct vs_pool_port *p = &info->ports[info->n_ports];

			r = vs_libvirt_port_info(conn, xml, p->address, &p->owner, err);
			if (r >= 0)
				info->n_ports++;
		}
		virNetworkPortFree(ports[i]);
	}
	free(ports);
	return r;
}

/* What the pool's XML says: its PF and how many VFs (an active <pf> pool
 * lists the VFs libvirt found; an inactive one does not know yet). */
static int pool_describe(virNetworkPtr net, struct vs_pool_info *info, struct vs_error *err)
{
	_cleanup_free_ char *xml = virNetworkGetXMLDesc(net, 0);
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	_cleanup_xpobj_ xmlXPathObjectPtr addrs = NULL;
	xmlNodePtr pf;
	int r;

	if (!xml)
		return vs_error_set(err, -EIO, "reading pool %s: %s", info->name, vs_libvirt_message());
	r = vs_xml_parse(xml, info->name, &doc, err);
	if (r < 0)
		return r;
	if (!vs_xml_first(doc, NULL, "/network/forward[@mode='hostdev']"))
		return 0;
	pf = vs_xml_first(doc, NULL, "/network/forward/pf");
	info->pf = pf ? (char *)xmlGetProp(pf, (const xmlChar *)"dev") : NULL;
	addrs = vs_xml_eval(doc, NULL, "/network/forward/address[not(@type) or @type='pci']");
	info->n_vfs = (info->pf && !info->active) ? -1 : vs_xml_count(addrs);
	return 1;
}

static int pool_info(virConnectPtr conn, virNetworkPtr net, struct vs_pool_info *info, struct vs_error *err)
{
	int autostart = 0, r;

	info->name = strdup(virNetworkGetName(net));
	if (!info->name)
		return -ENOMEM;
	info->active = virNetworkIsActive(net) == 1;
	info->persistent = virNetworkIsPersistent(net) == 1;
	if (virNetworkGetAutostart(net, &autostart) == 0)
		info->autostart = autostart;
	r = pool_describe(net, info, err);
	if (r <= 0)
		return r;
	if (info->active)
		r = pool_ports(conn, net, info, err);
	return r < 0 ? r : 1;
}

static int pool_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vs_pool_info *)a)->name, ((const struct vs_pool_info *)b)->name);
}

int vs_libvirt_pool_list(virConnectPtr conn, struct vs_pool_info **out, size_t *n, struct vs_error *err)
{
	virNetworkPtr *nets = NULL;
	int count = virConnectListAllNetworks(conn, &nets, 0);
	struct vs_pool_info *pools;
	int r = 0;

	*out = NULL;
	*n = 0;
	if (count < 0)
		return vs_error_set(err, -EIO, "listing networks: %s", vs_libvirt_message());
	pools = calloc(count ? count : 1, sizeof(*pools));
	if (!pools)
		r = -ENOMEM;
	for (int i = 0; i < count; i++) {
		int k = r >= 0 ? pool_info(conn, nets[i], &pools[*n], err) : 0;

		/* not a hostdev pool, or failed: the slot is reused */
		if (k > 0)
			(*n)++;
		else if (pools)
			pool_info_clear(&pools[*n]);
		if (k < 0)
			r = k;
		virNetworkFree(nets[i]);
	}
	free(nets);
	if (r < 0) {
		vs_pool_info_free(pools, *n);
		*n = 0;
		return r;
	}
	qsort(pools, *n, sizeof(*pools), pool_cmp);
	*out = pools;
	return 0;
}

static int pool_check_ports(virConnectPtr conn, virNetworkPtr net, bool force, struct vs_pool_result *res,
			    struct vs_error *err)
{
	struct vs_pool_info info = { .active = true };
	char guests[512] = "";
	int r;

	info.name = strdup(res->name);
	r = info.name ? pool_ports(conn, net, &info, err) : -ENOMEM;
	res->n_ports = (int)info.n_ports;
	for (size_t i = 0; i < info.n_ports && strlen(guests) < sizeof(guests) - 64; i++)
		snprintf(guests + strlen(guests), sizeof(guests) - strlen(guests), "%s%s", i ? ", " : "",
			 info.ports[i].owner);
	pool_info_clear(&info);
	if (r < 0) {
		res->failed = VS_STAGE_PORTS;
		return r;
	}
	if (res->n_ports > 0 && !force) {
		res->failed = VS_STAGE_PORTS;
		return vs_error_set(err, -EBUSY, "pool %s has %d VF%s in use (guest%s %s); detach them first or use --force",
				    res->name, res->n_ports, res->n_ports == 1 ? "" : "s", res->n_ports == 1 ? "" : "s",
				    guests);
	}
	return 0;
}

int vs_libvirt_pool_remove(virConnectPtr conn, const char *name, bool force, bool dry_run,
			   struct vs_pool_result *res, struct vs_error *err)
{
	_cleanup_network_ virNetworkPtr net = NULL;
	int r;

	memset(res, 0, sizeof(*res));
	if (vs_strlcpy(res->name, name, sizeof(res->name)) < 0)
		return vs_error_set(err, -ENAMETOOLONG, "pool name too long: %s", name);
	net = virNetworkLookupByName(conn, name);
	if (!net)
		return pool_fail(res, VS_STAGE_LOOKUP, err, "looking up pool");
	r = vs_libvirt_network_is_hostdev(net, err);
	if (r == 0)
		r = vs_error_set(err, -EINVAL, "network %s is not a hostdev pool; virt-sriov leaves it alone", name);
	if (r < 0)
		return r;
	if (virNetworkIsActive(net) == 1) {
		r = pool_check_ports(conn, net, force, res, err);
		if (r < 0)
			return r;
		if (!dry_run && virNetworkDestroy(net) < 0)
			return pool_fail(res, VS_STAGE_DESTROY, err, "stopping pool");
		res->changes |= VS_POOL_DESTROYED;
	}
	if (virNetworkIsPersistent(net) == 1) {
		if (!dry_run && virNetworkUndefine(net) < 0)
			return pool_fail(res, VS_STAGE_UNDEFINE, err, "undefining pool");
		res->changes |= VS_POOL_UNDEFINED;
	}
	return 0;
}

/* ---- the guest's VF policy, kept in its <metadata> ---- */

int vs_libvirt_policy_get(virDomainPtr dom, unsigned flags, struct vs_policy *pol, struct vs_error *err)
{
	_cleanup_free_ char *xml = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, VS_POLICY_NS, flags);

	memset(pol, 0, sizeof(*pol));
	if (!xml)
		return vs_libvirt_code() == VIR_ERR_NO_DOMAIN_METADATA
			       ? 0
			       : vs_error_set(err, -EIO, "guest %s: cannot read its VF policy: %s", virDomainGetName(dom),
					      vs_libvirt_message());
	return vs_policy_parse_string(xml, pol, err);
}

int vs_libvirt_policy_put(virDomainPtr dom, unsigned flags, const struct vs_policy *pol, struct vs_error *err)
{
	_cleanup_free_ char *xml = NULL;

	if (pol->n && vs_policy_format_bare(pol, &xml) < 0)
		return -ENOMEM;
	if (virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, xml, xml ? VS_POLICY_PREFIX : NULL, VS_POLICY_NS,
				 flags) < 0)
		return vs_error_set(err, -EIO, "guest %s: cannot store its VF policy: %s", virDomainGetName(dom),
				    vs_libvirt_message());
	return 0;
}

/* ---- ports left behind ---- */

/* 1 the guest runs, 0 it does not (no such guest, or shut off), -1 cannot
 * tell.  A starting guest is active before libvirt allocates its ports, and
 * a stopping one until they are released, so a port being made or undone
 * is never taken for a leftover. */
static int owner_runs(virConnectPtr conn, const char *uuid)
{
	_cleanup_domain_ virDomainPtr dom = virDomainLookupByUUIDString(conn, uuid);

	if (!dom)
		return vs_libvirt_code() == VIR_ERR_NO_DOMAIN ? 0 : -1;
	return virDomainIsActive(dom);
}

static void copy_text(xmlDocPtr doc, const char *expr, char *buf, size_t size)
{
	xmlNodePtr n = vs_xml_first(doc, NULL, expr);
	_cleanup_xmlchar_ xmlChar *s = n ? xmlNodeGetContent(n) : NULL;

	vs_strlcpy(buf, s ? (const char *)s : "", size);
}

/* Fill p from the port's XML: 1 when its owner does not run, 0 when it
 * runs or nobody can tell. */
static int port_stale(virConnectPtr conn, const char *xml, struct vs_stale_port *p, struct vs_error *err)
{
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	char name[256];
	int r = vs_xml_parse(xml, "network port XML", &doc, err);

	if (r < 0)
		return r;
	copy_text(doc, "/networkport/owner/uuid", p->owner_uuid, sizeof(p->owner_uuid));
	if (!p->owner_uuid[0] || owner_runs(conn, p->owner_uuid) != 0)
		return 0;
	copy_text(doc, "/networkport/uuid", p->uuid, sizeof(p->uuid));
	copy_text(doc, "/networkport/owner/name", name, sizeof(name));
	if (vs_xml_pci_address(vs_xml_first(doc, NULL, "/networkport/plug[@type='hostdev-pci']/address"),
			       p->address) < 0)
		p->address[0] = '\0';
	p->owner = strdup(name[0] ? name : p->owner_uuid);
	return p->owner ? 1 : -ENOMEM;
}

static int stale_add(struct vs_stale_port **out, size_t *n, struct vs_stale_port *p)
{
	struct vs_stale_port *v = realloc(*out, (*n + 1) * sizeof(**out));

	if (!v) {
		free(p->owner);
		free(p->error);
		return -ENOMEM;
	}
	*out = v;
	v[(*n)++] = *p;
	return 0;
}

static int net_stale_ports(virConnectPtr conn, virNetworkPtr net, bool dry_run, struct vs_stale_port **out,
			   size_t *n, struct vs_error *err)
{
	virNetworkPortPtr *ports = NULL;
	int count = virNetworkListAllPorts(net, &ports, 0);
	int r = 0;

	if (count < 0 && vs_libvirt_code() == VIR_ERR_NO_SUPPORT)
		return 0;
	if (count < 0)
		return vs_error_set(err, -EIO, "listing the ports of network %s: %s", virNetworkGetName(net),
				    vs_libvirt_message());
	for (int i = 0; i < count; i++) {
		/* NULL: deleted since the listing */
		_cleanup_free_ char *xml = r >= 0 ? virNetworkPortGetXMLDesc(ports[i], 0) : NULL;
		struct vs_stale_port p = { .owner = NULL };
		int k = xml ? port_stale(conn, xml, &p, err) : 0;

		if (k > 0) {
			vs_strlcpy(p.network, virNetworkGetName(net), sizeof(p.network));
			if (!dry_run && virNetworkPortDelete(ports[i], 0) < 0 && !(p.error = strdup(vs_libvirt_message())))
				k = -ENOMEM;
			k = k < 0 ? k : stale_add(out, n, &p);
		}
		if (k < 0)
			r = k;
		virNetworkPortFree(ports[i]);
	}
	free(ports);
	return r;
}

int vs_libvirt_stale_ports(virConnectPtr conn, bool dry_run, struct vs_stale_port **out, size_t *n,
			   struct vs_error *err)
{
	virNetworkPtr *nets = NULL;
	int count = virConnectListAllNetworks(conn, &nets, VIR_CONNECT_LIST_NETWORKS_ACTIVE);
	int r = 0;

	*out = NULL;
	*n = 0;
	if (count < 0)
		return vs_error_set(err, -EIO, "listing networks: %s", vs_libvirt_message());
	for (int i = 0; i < count; i++) {
		int k = r >= 0 ? vs_libvirt_network_is_hostdev(nets[i], err) : 0;

		if (k > 0)
			k = net_stale_ports(conn, nets[i], dry_run, out, n, err);
		if (k < 0)
			r = k;
		virNetworkFree(nets[i]);
	}
	free(nets);
	return r < 0 ? r : (int)*n;
}

void vs_stale_ports_free(struct vs_stale_port *p, size_t n)
{
	for (size_t i = 0; p && i < n; i++) {
		free(p[i].owner);
		free(p[i].error);
	}
	free(p);
}
