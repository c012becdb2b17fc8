#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "numa.h"
#include "vfset.h"
#include "xmlgen.h"

static const char *const template_names[] = {
	[VS_TEMPLATE_NETWORK_PF] = "network-pf.xml",
	[VS_TEMPLATE_NETWORK_VFS] = "network-vfs.xml",
	[VS_TEMPLATE_HOSTDEV] = "hostdev.xml",
	[VS_TEMPLATE_INTERFACE] = "interface-hostdev.xml",
	[VS_TEMPLATE_FAILOVER_VIRTIO] = "failover-virtio.xml",
	[VS_TEMPLATE_FAILOVER_VF] = "failover-vf.xml",
};

const char *vs_template_name(enum vs_template_kind kind)
{
	return (size_t)kind < ELEMENTSOF(template_names) ? template_names[kind] : NULL;
}

void vs_template_paths_default(struct vs_template_paths *p, const char *file)
{
	const char *env = getenv("VIRT_SRIOV_TEMPLATE_DIR");

	p->file = file;
	p->sysconf_dir = VS_SYSCONFDIR "/virt-sriov/templates";
	p->env_dir = env && *env ? env : NULL;
}

const char *vs_template_builtin(enum vs_template_kind kind)
{
	const char *name = vs_template_name(kind);

	for (const struct vs_builtin_template *t = vs_builtin_templates; name && t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t->text;
	return NULL;
}

/* 0: a readable file; 1: nothing there.  A file that is there but cannot be
 * read is an error, not a reason to fall back: the admin meant it. */
static int override_file(const char *path, struct vs_error *err)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		return vs_error_set(err, -errno, "template %s: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return vs_error_set(err, -EINVAL, "template %s: not a regular file", path);
	if (access(path, R_OK) < 0)
		return vs_error_set(err, -errno, "template %s: %s", path, strerror(errno));
	return 0;
}

int vs_template_find(const struct vs_template_paths *p, enum vs_template_kind kind,
		     char *out, size_t len, struct vs_error *err)
{
	/* $VIRT_SRIOV_TEMPLATE_DIR stands for /etc's: a build tree or a test
	 * must not pick up whatever an installed copy left in /etc. */
	const char *dir = p->env_dir ? p->env_dir : p->sysconf_dir;
	const char *name = vs_template_name(kind);
	int r;

	if (!name)
		return vs_error_set(err, -EINVAL, "no template of kind %d", (int)kind);
	if (p->file) {
		r = override_file(p->file, err);
		if (r > 0)
			return vs_error_set(err, -ENOENT, "template %s: no such file", p->file);
		return r < 0 ? r : vs_strlcpy(out, p->file, len);
	}
	if (dir) {
		if (snprintf(out, len, "%s/%s", dir, name) >= (int)len)
			return vs_error_set(err, -ENAMETOOLONG, "template %s: path too long", name);
		r = override_file(out, err);
		if (r <= 0)
			return r;
	}
	if (snprintf(out, len, "built-in %s", name) >= (int)len)
		return vs_error_set(err, -ENAMETOOLONG, "template %s: name too long", name);
	return 1;
}

static xmlNodePtr need(xmlDocPtr doc, const char *what, const char *xpath, struct vs_error *err)
{
	xmlNodePtr n = vs_xml_first(doc, NULL, xpath);

	if (!n)
		vs_error_set(err, -EINVAL, "template %s has no %s to fill", what, xpath);
	return n;
}

/* The element at xpath, or a new one made under parent_xpath (which must
 * exist) when the template does not have it. */
static xmlNodePtr need_or_add(xmlDocPtr doc, const char *xpath, const char *parent_xpath, const char *name)
{
	xmlNodePtr n = vs_xml_first(doc, NULL, xpath);
	xmlNodePtr parent;

	if (n)
		return n;
	parent = vs_xml_first(doc, NULL, parent_xpath);
	return parent ? xmlNewChild(parent, NULL, (const xmlChar *)name, NULL) : NULL;
}

/* Remove what the template left for the tool to fill but the user did not
 * ask for (an empty <mac address=''/>, <vlan><tag id=''/></vlan>). */
static void drop(xmlDocPtr doc, const char *xpath)
{
	_cleanup_xpobj_ xmlXPathObjectPtr o = vs_xml_eval(doc, NULL, xpath);

	for (int i = 0; i < vs_xml_count(o); i++) {
		xmlNodePtr n = o->nodesetval->nodeTab[i];

		o->nodesetval->nodeTab[i] = NULL;
		xmlUnlinkNode(n);
		xmlFreeNode(n);
	}
}

static int set_prop(xmlNodePtr n, const char *name, const char *fmt, ...) _printf_(3, 4);
static int set_prop(xmlNodePtr n, const char *name, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)buf) ? 0 : -ENOMEM;
}

static int set_text(xmlNodePtr n, const char *text)
{
	/* xmlNodeSetContent would read '&' as an entity reference */
	xmlNodeSetContent(n, NULL);
	xmlNodeAddContent(n, (const xmlChar *)text);
	return 0;
}

/* libvirt's own spelling (domain='0x0000' bus='0x01' ...), so that the
 * XML libvirt gives back compares equal to ours. */
static int set_pci_address(xmlNodePtr n, const char *address, struct vs_error *err)
{
	struct vs_pci_addr a;

	if (vs_pci_addr_parse(address, &a) < 0)
		return vs_error_set(err, -EINVAL, "%s: not a PCI address", address);
	if (set_prop(n, "domain", "0x%04x", a.domain) < 0 || set_prop(n, "bus", "0x%02x", a.bus) < 0 ||
	    set_prop(n, "slot", "0x%02x", a.slot) < 0 || set_prop(n, "function", "0x%x", a.function) < 0)
		return -ENOMEM;
	return 0;
}

/* The MAC and VLAN a device is given follow the rules of every VF
 * setting (vfconfig.h): one check for `vf set`, policies and the XML. */
static int check_l2(int vlan, const unsigned char *mac, struct vs_error *err)
{
	struct vs_vf_config c;

	vs_vf_config_init(&c, 0);
	c.vlan = vlan;
	if (mac) {
		c.has_mac = true;
		memcpy(c.mac, mac, sizeof(c.mac));
	}
	return vs_vf_config_check(&c, err);
}

static int set_vlan(xmlDocPtr doc, const char *root, int vlan, struct vs_error *err)
{
	char xp_tag[64], xp_vlan[64], xp_empty[128];
	xmlNodePtr tag;

	snprintf(xp_vlan, sizeof(xp_vlan), "%s/vlan", root);
	snprintf(xp_tag, sizeof(xp_tag), "%s/vlan/tag", root);
	if (vlan < 0) {
		snprintf(xp_empty, sizeof(xp_empty), "%s/vlan[not(tag[@id!=''])]", root);
		drop(doc, xp_empty);
		return 0;
	}
	if (check_l2(vlan, NULL, err) < 0)
		return -ERANGE;
	if (!need_or_add(doc, xp_vlan, root, "vlan") || !(tag = need_or_add(doc, xp_tag, xp_vlan, "tag")))
		return -ENOMEM;
	return set_prop(tag, "id", "%d", vlan);
}

int vs_pool_default_name(const struct vs_pf *pf, char *out, size_t len)
{
	int n;

	if (pf->netdev[0])
		n = snprintf(out, len, "sriov-%s", pf->netdev);
	else
		n = snprintf(out, len, "sriov-%s", pf->address);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	/* "sriov-0000-03-00-0": readable and safe in file names and shells */
	for (char *c = out; *c; c++)
		if (*c == ':' || *c == '.')
			*c = '-';
	return 0;
}

static int fill_vf_list(xmlDocPtr doc, const char *what, const struct vs_network_spec *spec, struct vs_error *err)
{
	static const char xp[] = "/network/forward[@mode='hostdev']/address";
	_cleanup_xpobj_ xmlXPathObjectPtr protos = vs_xml_eval(doc, NULL, xp);
	xmlNodePtr proto;

	if (vs_xml_count(protos) == 0)
		return vs_error_set(err, -EINVAL, "template %s has no %s to fill", what, xp);
	proto = protos->nodesetval->nodeTab[0];
	for (size_t i = 0; i < spec->n_vf_addresses; i++) {
		xmlNodePtr copy = xmlDocCopyNode(proto, doc, 1);

		if (!copy || !xmlAddPrevSibling(proto, copy)) {
			xmlFreeNode(copy);
			return -ENOMEM;
		}
		if (set_prop(copy, "type", "pci") < 0 || set_pci_address(copy, spec->vf_addresses[i], err) < 0)
			return vs_error_set(err, -EINVAL, "%s: bad VF address", spec->vf_addresses[i]);
	}
	/* the template's addresses were only the pattern to repeat */
	for (int i = 0; i < vs_xml_count(protos); i++) {
		xmlNodePtr n = protos->nodesetval->nodeTab[i];

		protos->nodesetval->nodeTab[i] = NULL;
		xmlUnlinkNode(n);
		xmlFreeNode(n);
	}
	return 0;
}

int vs_xmlgen_network(xmlDocPtr doc, const char *what, const struct vs_network_spec *spec, struct vs_error *err)
{
	xmlNodePtr name, pf;

	if (!vs_libvirt_name_valid(spec->name))
		return vs_error_set(err, -EINVAL, "'%s' is not a valid libvirt network name", spec->name ? spec->name : "");
	if (!(name = need(doc, what, "/network/name", err)))
		return -EINVAL;
	set_text(name, spec->name);
	if (spec->vf_addresses) {
		if (spec->n_vf_addresses == 0)
			return vs_error_set(err, -EINVAL, "network %s: no VF to put in the pool", spec->name);
		if (fill_vf_list(doc, what, spec, err) < 0)
			return -EINVAL;
	} else {
		if (!(pf = need(doc, what, "/network/forward[@mode='hostdev']/pf", err)))
			return -EINVAL;
		if (set_prop(pf, "dev", "%s", spec->pf_netdev) < 0)
			return -ENOMEM;
	}
	return set_vlan(doc, "/network", spec->vlan, err);
}

static int fill_interface(xmlDocPtr doc, const struct vs_hostdev_spec *spec, struct vs_error *err)
{
	static const char root[] = "/interface[@type='hostdev']";
	xmlNodePtr mac;
	char s[18];

	if (!spec->has_mac) {
		drop(doc, "/interface[@type='hostdev']/mac[not(@address) or @address='']");
	} else {
		if (check_l2(-1, spec->mac, err) < 0)
			return -EINVAL;
		if (!(mac = need_or_add(doc, "/interface[@type='hostdev']/mac", root, "mac")))
			return -ENOMEM;
		vs_format_mac(spec->mac, s);
		if (set_prop(mac, "address", "%s", s) < 0)
			return -ENOMEM;
	}
	return set_vlan(doc, root, spec->vlan, err);
}

int vs_xmlgen_hostdev(xmlDocPtr doc, const char *what, const struct vs_hostdev_spec *spec, struct vs_error *err)
{
	const char *xp = spec->interface ? "/interface[@type='hostdev']/source/address"
					 : "/hostdev[@mode='subsystem' and @type='pci']/source/address";
	xmlNodePtr addr;
	int r;

	if (!spec->interface && (spec->has_mac || spec->vlan >= 0))
		return vs_error_set(err, -EINVAL, "VF %s: a plain <hostdev> carries no MAC or VLAN (use --interface)",
				    spec->vf_address);
	if (!(addr = need(doc, what, xp, err)))
		return -EINVAL;
	r = set_pci_address(addr, spec->vf_address, err);
	if (r < 0)
		return r;
	if (!spec->interface)
		return 0;
	if (set_prop(addr, "type", "pci") < 0)
		return -ENOMEM;
	return fill_interface(doc, spec, err);
}

static int load_template(const struct vs_template_paths *p, enum vs_template_kind kind, char *path, size_t len,
			 xmlDocPtr *doc, struct vs_error *err)
{
	int r = vs_template_find(p, kind, path, len, err);

	if (r < 0)
		return r;
	if (r == 0)
		return vs_xml_parse_file(path, doc, err);
	return vs_xml_parse(vs_template_builtin(kind), path, doc, err);
}

static int dump_to(xmlDocPtr doc, char **out)
{
	*out = vs_xml_dump(doc);
	return *out ? 0 : -ENOMEM;
}

int vs_xmlgen_network_string(const struct vs_template_paths *p, const struct vs_network_spec *spec,
			     char **out, struct vs_error *err)
{
	enum vs_template_kind kind = spec->vf_addresses ? VS_TEMPLATE_NETWORK_VFS : VS_TEMPLATE_NETWORK_PF;
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	char path[PATH_MAX];
	int r = load_template(p, kind, path, sizeof(path), &doc, err);

	if (r >= 0)
		r = vs_xmlgen_network(doc, path, spec, err);
	return r < 0 ? r : dump_to(doc, out);
}

int vs_xmlgen_hostdev_string(const struct vs_template_paths *p, const struct vs_hostdev_spec *spec,
			     char **out, struct vs_error *err)
{
	enum vs_template_kind kind = spec->interface ? VS_TEMPLATE_INTERFACE : VS_TEMPLATE_HOSTDEV;
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	char path[PATH_MAX];
	int r = load_template(p, kind, path, sizeof(path), &doc, err);

	if (r >= 0)
		r = vs_xmlgen_hostdev(doc, path, spec, err);
	return r < 0 ? r : dump_to(doc, out);
}

/* ---- failover pairs ---- */

void vs_failover_alias(const unsigned char mac[6], char out[VS_FAILOVER_ALIAS_MAX])
{
	snprintf(out, VS_FAILOVER_ALIAS_MAX, "ua-failover-%02x%02x%02x%02x%02x%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
}

int vs_failover_random_mac(unsigned char mac[6])
{
	if (getrandom(mac, 6, 0) != 6)
		return -EIO;
	mac[0] = (unsigned char)((mac[0] & 0xfc) | 0x02);
	return 0;
}

static int set_mac(xmlDocPtr doc, const char *what, const unsigned char *mac, struct vs_error *err)
{
	xmlNodePtr n = need(doc, what, "/interface/mac", err);
	char s[18];

	if (!n)
		return -EINVAL;
	vs_format_mac(mac, s);
	return set_prop(n, "address", "%s", s);
}

/* The virtio half: the template's <source> stands for whichever kind the
 * user asked for, so its attributes are replaced, not added to. */
static int fill_virtio(xmlDocPtr doc, const char *what, const struct vs_failover_spec *spec, const char *alias,
		       struct vs_error *err)
{
	static const char *const types[] = { [VS_BACKUP_USER] = "user", [VS_BACKUP_BRIDGE] = "bridge",
					     [VS_BACKUP_NETWORK] = "network" };
	xmlNodePtr root = need(doc, what, "/interface", err), src, a;

	if (!root || !(a = need(doc, what, "/interface/alias", err)) || set_mac(doc, what, spec->mac, err) < 0)
		return -EINVAL;
	if (set_prop(root, "type", "%s", types[spec->backup]) < 0 || set_prop(a, "name", "%s", alias) < 0)
		return -ENOMEM;
	drop(doc, "/interface/source");
	if (spec->backup == VS_BACKUP_USER)
		return 0;
	if (!vs_libvirt_name_valid(spec->backup_source))
		return vs_error_set(err, -EINVAL, "'%s' is not a valid %s name", spec->backup_source,
				    types[spec->backup]);
	/* after <mac>, where libvirt writes it */
	if (!(src = xmlNewNode(NULL, BAD_CAST "source")) || !xmlAddNextSibling(vs_xml_first(doc, NULL, "/interface/mac"), src))
		return -ENOMEM;
	return set_prop(src, types[spec->backup], "%s", spec->backup_source);
}

static int fill_vf_half(xmlDocPtr doc, const char *what, const struct vs_failover_spec *spec, const char *alias,
			struct vs_error *err)
{
	xmlNodePtr src = need(doc, what, "/interface[@type='network']/source", err), team;

	if (!src || !(team = need(doc, what, "/interface/teaming[@type='transient']", err)) ||
	    set_mac(doc, what, spec->mac, err) < 0)
		return -EINVAL;
	if (!vs_libvirt_name_valid(spec->pool))
		return vs_error_set(err, -EINVAL, "'%s' is not a valid libvirt network name", spec->pool ? spec->pool : "");
	if (set_prop(src, "network", "%s", spec->pool) < 0 || set_prop(team, "persistent", "%s", alias) < 0)
		return -ENOMEM;
	return 0;
}

int vs_xmlgen_failover_string(const struct vs_template_paths *p, const struct vs_failover_spec *spec,
			      char **virtio, char **vf, struct vs_error *err)
{
	_cleanup_xmldoc_ xmlDocPtr d1 = NULL, d2 = NULL;
	char path1[PATH_MAX], path2[PATH_MAX], alias[VS_FAILOVER_ALIAS_MAX];
	int r = check_l2(-1, spec->mac, err);

	*virtio = *vf = NULL;
	vs_failover_alias(spec->mac, alias);
	if (r >= 0)
		r = load_template(p, VS_TEMPLATE_FAILOVER_VIRTIO, path1, sizeof(path1), &d1, err);
	if (r >= 0)
		r = load_template(p, VS_TEMPLATE_FAILOVER_VF, path2, sizeof(path2), &d2, err);
	if (r >= 0)
		r = fill_virtio(d1, path1, spec, alias, err);
	if (r >= 0)
		r = fill_vf_half(d2, path2, spec, alias, err);
	if (r >= 0 && (r = dump_to(d1, virtio)) >= 0 && (r = dump_to(d2, vf)) < 0) {
		free(*virtio);
		*virtio = NULL;
	}
	return r < 0 ? r : 0;
}

/* pf_name as the user gave it, so that errors speak their language */
static int pool_vf_addresses(const struct vs_host *host, const char *pf_name, const char *set,
			     const char ***addrs, size_t *n, struct vs_error *err)
{
	_cleanup_free_ struct vs_vf_ref *refs = NULL;
	_cleanup_free_ char *spec = NULL;
	int r;

	if (asprintf(&spec, "%s#%s", pf_name, set) < 0)
		return -ENOMEM;
	r = vs_vfset_resolve(host, spec, &refs, n, err);
	if (r < 0)
		return r;
	*addrs = calloc(*n ? *n : 1, sizeof(**addrs));
	if (!*addrs)
		return -ENOMEM;
	for (size_t i = 0; i < *n; i++)
		(*addrs)[i] = refs[i].vf->address;
	return 0;
}

int vs_pool_xml(const struct vs_host *host, const struct vs_template_paths *p, const struct vs_pool_request *req,
		char *name_out, size_t name_len, char **xml, struct vs_error *err)
{
	const struct vs_pf *pf = vs_name_pf(host, req->pf, err);
	_cleanup_free_ const char **addrs = NULL;
	struct vs_network_spec spec = { .vlan = req->vlan };
	int r;

	if (!pf)
		return err && err->code ? err->code : -ENODEV;
	r = req->name ? vs_strlcpy(name_out, req->name, name_len) : vs_pool_default_name(pf, name_out, name_len);
	if (r < 0)
		return vs_error_set(err, r, "%s: pool name too long", pf->address);
	spec.name = name_out;
	if (req->vfs) {
		r = pool_vf_addresses(host, req->pf, req->vfs, &addrs, &spec.n_vf_addresses, err);
		if (r < 0)
			return r;
		spec.vf_addresses = addrs;
	} else if (!pf->netdev[0]) {
		return vs_error_set(err, -EINVAL, "PF %s has no network interface for <pf dev>: list its VFs with --vfs",
				    pf->address);
	} else {
		spec.pf_netdev = pf->netdev;
	}
	return vs_xmlgen_network_string(p, &spec, xml, err);
}

/* "em1 on node 0, p2p1 on node 1": what the refusal of an empty pool says. */
static void pf_nodes(const struct vs_host *host, const struct vs_numa_pool_request *req, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < req->n_pfs && used < len; i++) {
		const struct vs_pf *pf = vs_name_pf(host, req->pfs[i], NULL);
		int node = pf ? vs_numa_pf_node(req->numa, pf->numa_node) : -1;

		if (node >= 0)
			used += (size_t)snprintf(buf + used, len - used, "%s%s on node %d", used ? ", " : "", req->pfs[i], node);
		else
			used += (size_t)snprintf(buf + used, len - used, "%s%s on an unknown node", used ? ", " : "", req->pfs[i]);
	}
}

int vs_pool_numa_xml(const struct vs_host *host, const struct vs_template_paths *p,
		     const struct vs_numa_pool_request *req, char *name_out, size_t name_len, char **xml,
		     struct vs_error *err)
{
	_cleanup_free_ const char **addrs = NULL;
	struct vs_network_spec spec = { .vlan = req->vlan, .name = name_out };
	size_t alloc = 0;
	char where[512];
	int r = req->name ? vs_strlcpy(name_out, req->name, name_len)
			  : (snprintf(name_out, name_len, "sriov-node%d", req->node) < (int)name_len ? 0 : -ENAMETOOLONG);

	if (r < 0)
		return vs_error_set(err, r, "pool name too long");
	for (size_t i = 0; i < req->n_pfs; i++) {
		const struct vs_pf *pf = vs_name_pf(host, req->pfs[i], err);

		if (!pf)
			return err && err->code ? err->code : -ENODEV;
		if (vs_numa_pf_node(req->numa, pf->numa_node) != req->node)
			continue;
		for (size_t k = 0; k < pf->n_vfs; k++) {
			if (vs_grow((void **)&addrs, &alloc, spec.n_vf_addresses + 1, sizeof(*addrs)) < 0)
				return -ENOMEM;
			addrs[spec.n_vf_addresses++] = pf->vfs[k].address;
		}
	}
	if (spec.n_vf_addresses == 0) {
		pf_nodes(host, req, where, sizeof(where));
		return vs_error_set(err, -ENODEV, "no VF of the PFs given on NUMA node %d (%s)", req->node, where);
	}
	spec.vf_addresses = addrs;
	return vs_xmlgen_network_string(p, &spec, xml, err);
}
