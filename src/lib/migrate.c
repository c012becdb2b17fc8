#include "config.h"

#include <string.h>

#include "libvirt.h"
#include "migrate.h"
#include "policy.h"
#include "xml.h"

const char *vs_gates_name(enum vs_gates g)
{
	static const char *const names[] = { "none", "allowed", "refused", "not checked" };

	return (size_t)g < ELEMENTSOF(names) ? names[g] : "?";
}

void vs_migrate_report_free(struct vs_migrate_report *rep)
{
	free(rep->devs);
	free(rep->pools);
	rep->devs = NULL;
	rep->pools = NULL;
	rep->n_devs = rep->n_pools = 0;
}

static void prop(xmlDocPtr doc, xmlNodePtr node, const char *xpath, char *out, size_t len)
{
	_cleanup_xpobj_ xmlXPathObjectPtr o = vs_xml_eval(doc, node, xpath);
	_cleanup_xmlchar_ xmlChar *s = vs_xml_count(o) ? xmlNodeGetContent(o->nodesetval->nodeTab[0]) : NULL;

	vs_strlcpy(out, s ? (const char *)s : "", len);
}

static struct vs_migrate_dev *add_dev(struct vs_migrate_report *rep, const char *kind)
{
	struct vs_migrate_dev *d = realloc(rep->devs, (rep->n_devs + 1) * sizeof(*d));

	if (!d)
		return NULL;
	rep->devs = d;
	d = &d[rep->n_devs++];
	memset(d, 0, sizeof(*d));
	vs_strlcpy(d->kind, kind, sizeof(d->kind));
	vs_vf_config_init(&d->policy, -1);
	return d;
}

/* The virtio half the VF half's teaming names: it must be there, be
 * persistent and have the same MAC (net_failover pairs them by MAC). */
static void check_pair(xmlDocPtr doc, struct vs_migrate_dev *d)
{
	char xp[256], mac[18];
	xmlNodePtr peer;

	snprintf(xp, sizeof(xp), "/domain/devices/interface[alias/@name='%s'][teaming/@type='persistent']", d->alias);
	peer = strchr(d->alias, '\'') ? NULL : vs_xml_first(doc, NULL, xp);
	if (!peer) {
		snprintf(d->problem, sizeof(d->problem), "its <teaming> names '%s', which no interface with "
			 "<teaming type='persistent'/> has: the pair is incomplete", d->alias);
		return;
	}
	prop(doc, peer, "mac/@address", mac, sizeof(mac));
	if (strcasecmp(mac, d->mac) != 0)
		snprintf(d->problem, sizeof(d->problem), "the virtio half %s has MAC %s, the VF half %s: "
			 "the guest's net_failover pairs them by MAC", d->alias, mac, d->mac);
}

static int scan_hostdevs(xmlDocPtr doc, struct vs_migrate_report *rep)
{
	_cleanup_xpobj_ xmlXPathObjectPtr o =
		vs_xml_eval(doc, NULL, "/domain/devices/hostdev[@mode='subsystem'][@type='pci']");

	for (int i = 0; i < vs_xml_count(o); i++) {
		struct vs_migrate_dev *d = add_dev(rep, "hostdev");

		if (!d)
			return -ENOMEM;
		vs_xml_pci_address(vs_xml_first(doc, o->nodesetval->nodeTab[i], "source/address"), d->address);
		snprintf(d->problem, sizeof(d->problem), "a plain <hostdev> cannot migrate: QEMU cannot unplug it "
			 "(give the guest its VF with `virt-sriov attach --failover POOL`)");
	}
	return 0;
}

/* An interface is a VF when it is type='hostdev' or on a hostdev pool of
 * the source; others (the virtio halves too) are not our business. */
static int scan_interface(virConnectPtr src, xmlDocPtr doc, xmlNodePtr n, struct vs_migrate_report *rep)
{
	char type[16], net[256], team[16];
	struct vs_migrate_dev *d;
	virNetworkPtr pool;
	int hostdev = 0;

	prop(doc, n, "@type", type, sizeof(type));
	prop(doc, n, "source/@network", net, sizeof(net));
	if (strcmp(type, "network") == 0 && net[0] && (pool = virNetworkLookupByName(src, net))) {
		hostdev = vs_libvirt_network_is_hostdev(pool, NULL) > 0;
		virNetworkFree(pool);
	}
	if (strcmp(type, "hostdev") != 0 && !hostdev)
		return 0;
	if (!(d = add_dev(rep, hostdev ? "network" : "interface")))
		return -ENOMEM;
	prop(doc, n, "mac/@address", d->mac, sizeof(d->mac));
	prop(doc, n, "teaming/@type", team, sizeof(team));
	prop(doc, n, "teaming/@persistent", d->alias, sizeof(d->alias));
	if (hostdev)
		vs_strlcpy(d->network, net, sizeof(d->network));
	else
		vs_xml_pci_address(vs_xml_first(doc, n, "source/address"), d->address);
	if (strcmp(team, "transient") != 0)
		snprintf(d->problem, sizeof(d->problem), "a VF interface without <teaming type='transient'>: "
			 "it cannot migrate (make it a failover pair: `virt-sriov attach --failover POOL`)");
	else if (!hostdev)
		snprintf(d->problem, sizeof(d->problem), "a fixed VF (%s): the destination cannot hand out the same VF; "
			 "take it from a hostdev pool (`virt-sriov attach --failover POOL`)", d->address);
	else
		check_pair(doc, d);
	return 0;
}

static int scan_devices(virConnectPtr src, xmlDocPtr doc, struct vs_migrate_report *rep)
{
	_cleanup_xpobj_ xmlXPathObjectPtr o = vs_xml_eval(doc, NULL, "/domain/devices/interface");
	int r = scan_hostdevs(doc, rep);

	for (int i = 0; r == 0 && i < vs_xml_count(o); i++)
		r = scan_interface(src, doc, o->nodesetval->nodeTab[i], rep);
	return r;
}

/* The settings a pool VF gets from the guest's policy: its rules for
 * every VF, for the pool, for the MAC, in that order of precedence.
 * Address rules name a VF of the source: they do not follow the guest. */
static void pool_policy(const struct vs_policy *pol, struct vs_migrate_dev *d)
{
	static const enum vs_selector order[] = { VS_SEL_ALL, VS_SEL_NETWORK, VS_SEL_GUEST_MAC };

	for (size_t k = 0; k < ELEMENTSOF(order); k++) {
		for (size_t i = 0; i < pol->n; i++) {
			const struct vs_policy_rule *r = &pol->rules[i];
			const char *want = order[k] == VS_SEL_NETWORK ? d->network : d->mac;

			if (r->sel != order[k] || (order[k] != VS_SEL_ALL && (!r->match || strcasecmp(r->match, want))))
				continue;
			vs_vf_config_merge(&d->policy, &r->cfg);
		}
	}
	/* libvirt sets MAC and VLAN of an <interface> VF */
	d->policy.has_mac = false;
	d->policy.vlan = d->policy.qos = d->policy.vlan_proto = -1;
	d->gated = d->policy.spoofchk == 0 || d->policy.trust == 1;
}

static struct vs_migrate_pool *want_pool(struct vs_migrate_report *rep, const char *name)
{
	struct vs_migrate_pool *p;

	for (size_t i = 0; i < rep->n_pools; i++)
		if (strcmp(rep->pools[i].name, name) == 0)
			return &rep->pools[i];
	p = realloc(rep->pools, (rep->n_pools + 1) * sizeof(*p));
	if (!p)
		return NULL;
	rep->pools = p;
	p = &p[rep->n_pools++];
	memset(p, 0, sizeof(*p));
	vs_strlcpy(p->name, name, sizeof(p->name));
	p->n_vfs = p->used = -1;
	return p;
}

static void judge_pool(struct vs_migrate_pool *p, const struct vs_pool_info *info, const char *host)
{
	if (!info) {
		snprintf(p->problem, sizeof(p->problem), "no hostdev pool '%s' on the destination %s", p->name, host);
		return;
	}
	p->found = true;
	p->active = info->active;
	p->n_vfs = info->n_vfs;
	p->used = (int)info->n_ports;
	if (!info->active)
		snprintf(p->problem, sizeof(p->problem), "pool '%s' is not active on the destination %s "
			 "(virsh net-start %s there)", p->name, host, p->name);
	else if (p->n_vfs >= 0 && p->n_vfs - p->used < (int)p->wanted)
		snprintf(p->problem, sizeof(p->problem), "pool '%s' on the destination %s has no free VF "
			 "(%d VFs, %d handed out; the guest needs %u)", p->name, host, p->n_vfs, p->used, p->wanted);
}

/* Every pool the guest's VFs come from, looked for on the destination. */
static int check_pools(virConnectPtr dst, struct vs_migrate_report *rep, struct vs_error *err)
{
	struct vs_pool_info *info = NULL;
	size_t n = 0;
	int r;

	for (size_t i = 0; i < rep->n_devs; i++) {
		struct vs_migrate_pool *p;

		if (!rep->devs[i].network[0])
			continue;
		if (!(p = want_pool(rep, rep->devs[i].network)))
			return -ENOMEM;
		p->wanted++;
	}
	if (rep->n_pools == 0)
		return 0;
	r = vs_libvirt_pool_list(dst, &info, &n, err);
	for (size_t i = 0; r == 0 && i < rep->n_pools; i++) {
		const struct vs_pool_info *found = NULL;

		for (size_t k = 0; k < n; k++)
			if (strcmp(info[k].name, rep->pools[i].name) == 0)
				found = &info[k];
		judge_pool(&rep->pools[i], found, rep->dest_host);
	}
	vs_pool_info_free(info, n);
	return r;
}

/* <host><uuid> of libvirt's capabilities: host_uuid in libvirtd.conf, or
 * the machine's. */
static void host_uuid(virConnectPtr conn, char out[64])
{
	_cleanup_free_ char *caps = virConnectGetCapabilities(conn);
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;

	out[0] = '\0';
	if (caps && vs_xml_parse(caps, "capabilities", &doc, NULL) == 0)
		prop(doc, NULL, "/capabilities/host/uuid", out, 64);
}

/* One host: the same host UUID, or (libvirtd makes up a UUID per start
 * where the machine has no SMBIOS one) the same hostname, unless it is a
 * default one that clones share. */
static void same_host(virConnectPtr src, virConnectPtr dst, struct vs_migrate_report *rep)
{
	_cleanup_free_ char *name = virConnectGetHostname(dst), *mine = virConnectGetHostname(src);
	char a[64], b[64];

	vs_strlcpy(rep->dest_host, name ? name : "?", sizeof(rep->dest_host));
	host_uuid(src, a);
	host_uuid(dst, b);
	rep->same_host = (a[0] && strcmp(a, b) == 0) ||
			 (name && mine && strcmp(name, mine) == 0 && strncmp(name, "localhost", 9) != 0);
}

/* The destination's gates are in its virt-sriov.conf, which libvirt does
 * not serve: only this host's can be read. */
static void check_gates(const struct vs_conf *conf, const struct vs_policy *pol, struct vs_migrate_report *rep)
{
	for (size_t i = 0; i < rep->n_devs; i++) {
		struct vs_migrate_dev *d = &rep->devs[i];
		struct vs_vf_where w = { .index = -1, .network = d->network, .guest_mac = d->mac };
		struct vs_vf_config out;
		struct vs_error e = { 0 };

		if (!d->gated || d->problem[0])
			continue;
		if (!rep->same_host) {
			rep->gates = VS_GATES_UNCHECKED;
			snprintf(rep->gates_msg, sizeof(rep->gates_msg), "the guest's policy asks %s%s%s on pool %s: the "
				 "destination's virt-sriov.conf must allow it ([pool %s]); it cannot be read over libvirt",
				 d->policy.spoofchk == 0 ? "spoofchk off" : "", d->policy.spoofchk == 0 && d->policy.trust == 1
				 ? " and " : "", d->policy.trust == 1 ? "trust on" : "", d->network, d->network);
			return;
		}
		if (vs_policy_resolve(conf, pol, &w, &out, &e) < 0) {
			rep->gates = VS_GATES_REFUSED;
			vs_strlcpy(rep->gates_msg, e.msg, sizeof(rep->gates_msg));
			return;
		}
		rep->gates = VS_GATES_ALLOWED;
	}
}

/* What the hook does for a pool VF (docs/migration.md, measured in
 * tests/e2e/scenarios/migrate.sh). */
static void steps(struct vs_migrate_dev *d)
{
	char set[200] = "";

	if (!d->network[0] || d->problem[0])
		return;
	vs_vf_config_describe(&d->policy, set, sizeof(set));
	snprintf(d->source_step, sizeof(d->source_step), "after the guest left: network port-deleted on pool %s "
		 "puts back its VF's saved settings, qemu release drops the guest's state file", d->network);
	if (set[0])
		snprintf(d->dest_step, sizeof(d->dest_step), "qemu prepare keeps the guest's policy; network "
			 "port-created on pool %s applies %s to the VF it hands out", d->network, set);
	else
		snprintf(d->dest_step, sizeof(d->dest_step), "network port-created on pool %s: a VF is handed out, "
			 "no settings to apply (the guest's policy has none for it)", d->network);
}

static int read_guest(virConnectPtr src, const char *domain, struct vs_migrate_report *rep, xmlDocPtr *doc,
		      struct vs_error *err)
{
	virDomainPtr dom = virDomainLookupByName(src, domain);
	_cleanup_free_ char *xml = NULL;
	int active;

	if (!dom && vs_uuid_valid(domain))
		dom = virDomainLookupByUUIDString(src, domain);
	if (!dom)
		return vs_error_set(err, -ENOENT, "no guest '%s': %s", domain, vs_libvirt_message());
	vs_strlcpy(rep->domain, virDomainGetName(dom), sizeof(rep->domain));
	active = virDomainIsActive(dom);
	rep->running = active > 0;
	/* what a migration sends: pool interfaces as defined, not as plugged */
	if (active < 0 || virDomainGetUUIDString(dom, rep->uuid) < 0 ||
	    !(xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_MIGRATABLE)))
		vs_error_set(err, -EIO, "guest %s: %s", rep->domain, vs_libvirt_message());
	virDomainFree(dom);
	return xml ? vs_xml_parse(xml, "domain XML", doc, err) : -EIO;
}

int vs_migrate_check(virConnectPtr src, virConnectPtr dst, const struct vs_conf *conf, const char *domain,
		     struct vs_migrate_report *rep, struct vs_error *err)
{
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	struct vs_policy pol = { 0 };
	int r;

	memset(rep, 0, sizeof(*rep));
	r = read_guest(src, domain, rep, &doc, err);
	if (r == 0)
		r = vs_policy_from_domain(doc, &pol, err);
	if (r == 0)
		r = scan_devices(src, doc, rep);
	if (r < 0) {
		vs_policy_free(&pol);
		return r;
	}
	same_host(src, dst, rep);
	for (size_t i = 0; i < rep->n_devs; i++) {
		if (rep->devs[i].network[0])
			pool_policy(&pol, &rep->devs[i]);
		steps(&rep->devs[i]);
	}
	r = check_pools(dst, rep, err);
	if (r == 0)
		check_gates(conf, &pol, rep);
	vs_policy_free(&pol);
	rep->ok = r == 0 && rep->gates != VS_GATES_REFUSED;
	for (size_t i = 0; i < rep->n_devs; i++)
		rep->ok = rep->ok && !rep->devs[i].problem[0];
	for (size_t i = 0; i < rep->n_pools; i++)
		rep->ok = rep->ok && !rep->pools[i].problem[0];
	return r;
}
