/* `virt-sriov detach`: select the guest's VF devices from its XML, detach
 * each one through libvirt with its own XML, put the VF's saved settings
 * back and drop what attach stored for it (state entry, policy rule). */
#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "attach.h"
#include "attach-int.h"
#include "libvirt.h"
#include "vfset.h"
#include "xml.h"

struct cand {
	xmlNodePtr node;
	struct vs_detached d;
	char pool_pf[IFNAMSIZ];       /* network: the pool's <pf dev>, "" unknown */
	bool detached;                /* libvirt took it away */
};

struct cands {
	struct cand *v;
	size_t n, alloc;
};

static void text_prop(xmlDocPtr doc, xmlNodePtr dev, const char *expr, const char *attr, char *out, size_t len)
{
	xmlNodePtr n = vs_xml_first(doc, dev, expr);
	_cleanup_xmlchar_ xmlChar *v = n ? xmlGetProp(n, BAD_CAST attr) : NULL;

	if (v)
		vs_strlcpy(out, (const char *)v, len);
}

static void normalize_mac(char mac[18])
{
	unsigned char b[6];

	if (vs_parse_mac(mac, b) == 0)
		vs_format_mac(b, mac);
}

/* 1 when the network is a hostdev pool; its <pf dev> into pf. */
static int pool_of(virConnectPtr conn, const char *name, char pf[IFNAMSIZ])
{
	virNetworkPtr net = virNetworkLookupByName(conn, name);
	_cleanup_free_ char *xml = net ? virNetworkGetXMLDesc(net, 0) : NULL;
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	int r = 0;

	if (net)
		virNetworkFree(net);
	if (xml && vs_xml_parse(xml, name, &doc, NULL) == 0 && vs_xml_first(doc, NULL, "/network/forward[@mode='hostdev']")) {
		r = 1;
		text_prop(doc, NULL, "/network/forward/pf", "dev", pf, IFNAMSIZ);
	}
	return r;
}

/* A VF device of the guest, or 0 when the device is something else. */
static int describe(const struct vs_attach_env *env, xmlDocPtr doc, xmlNodePtr dev, struct cand *c)
{
	_cleanup_xmlchar_ xmlChar *type = xmlGetNoNsProp(dev, BAD_CAST "type");
	bool hostdev = xmlStrEqual(dev->name, BAD_CAST "hostdev");
	struct vs_pf *pf;
	struct vs_vf *vf;

	memset(c, 0, sizeof(*c));
	c->node = dev;
	text_prop(doc, dev, "mac", "address", c->d.mac, sizeof(c->d.mac));
	normalize_mac(c->d.mac);
	text_prop(doc, dev, "source", "network", c->d.network, sizeof(c->d.network));
	/* a running guest shows a pool VF as type='hostdev' (or in <actual>) */
	if (vs_xml_pci_address(vs_xml_first(doc, dev, "source/address | actual/source/address"), c->d.address) < 0)
		c->d.address[0] = '\0';
	if (c->d.network[0]) {
		c->d.kind = VS_ATTACH_NETWORK;
		return pool_of(env->conn, c->d.network, c->pool_pf);
	}
	c->d.kind = hostdev ? VS_ATTACH_HOSTDEV : VS_ATTACH_INTERFACE;
	if (!hostdev && !xmlStrEqual(type, BAD_CAST "hostdev"))
		return 0;
	/* only VFs: a GPU handed to the guest is none of our business */
	return c->d.address[0] && vs_host_find_vf(env->host, c->d.address, &pf, &vf) == 0;
}

static int collect(const struct vs_attach_env *env, xmlDocPtr doc, struct cands *cs)
{
	_cleanup_xpobj_ xmlXPathObjectPtr o = vs_xml_eval(doc, NULL,
		"/domain/devices/hostdev[@mode='subsystem'][@type='pci'] | /domain/devices/interface");
	int r = 0;

	for (int i = 0; r == 0 && i < vs_xml_count(o); i++) {
		struct cand c;

		if (describe(env, doc, o->nodesetval->nodeTab[i], &c) <= 0)
			continue;
		r = vs_grow((void **)&cs->v, &cs->alloc, cs->n + 1, sizeof(*cs->v));
		if (r == 0)
			cs->v[cs->n++] = c;
	}
	return r;
}

static bool on_pf(const struct vs_attach_env *env, const struct cand *c, const struct vs_pf *want)
{
	struct vs_pf *pf;
	struct vs_vf *vf;

	if (c->d.address[0])
		return vs_host_find_vf(env->host, c->d.address, &pf, &vf) == 0 && pf == want;
	return c->pool_pf[0] && vs_host_find_pf(env->host, c->pool_pf) == want;
}

/* Two interfaces with one MAC: libvirt cannot tell them apart by MAC. */
static int ambiguous(const struct cands *cs, const char *mac, const char *guest, struct vs_error *err)
{
	char list[512] = "";
	size_t used = 0;

	for (size_t i = 0; i < cs->n && used < sizeof(list); i++)
		if (strcmp(cs->v[i].d.mac, mac) == 0)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "",
						 cs->v[i].d.address[0] ? cs->v[i].d.address : "a pool interface without a VF yet");
	return vs_error_set(err, -EINVAL, "guest %s has several interfaces with MAC %s (%s): name the one to detach with --vf ADDRESS",
			    guest, mac, list);
}

/* Keep in cs only what the request selects. */
static int select_cands(const struct vs_attach_env *env, const struct vs_detach_req *req, const char *guest,
			struct cands *cs, struct vs_error *err)
{
	struct vs_vf_ref ref;
	const struct vs_pf *pf = NULL;
	char want[VS_PCI_ADDR_MAX] = "", mac[18] = "";
	size_t k = 0;
	int r;

	if (req->vf) {
		r = vs_vfset_resolve_one(env->host, req->vf, &ref, err);
		if (r < 0)
			return r;
		vs_strlcpy(want, ref.vf->address, sizeof(want));
	}
	if (req->mac) {
		vs_strlcpy(mac, req->mac, sizeof(mac));
		normalize_mac(mac);
	}
	if (req->pf && !(pf = vs_name_pf(env->host, req->pf, err)))
		return err && err->code ? err->code : -ENODEV;
	for (size_t i = 0; i < cs->n; i++) {
		const struct cand *c = &cs->v[i];
		bool keep = req->vf ? strcmp(c->d.address, want) == 0
			    : req->mac ? strcmp(c->d.mac, mac) == 0
			    : !pf || on_pf(env, c, pf);

		if (keep)
			cs->v[k++] = *c;
	}
	if (req->mac && k > 1)
		return ambiguous(cs, mac, guest, err);
	cs->n = k;
	if (k == 0 && !req->all)
		return vs_error_set(err, -ENOENT, "guest %s has no VF device with %s %s", guest,
				    req->vf ? "VF" : "MAC", req->vf ? want : mac);
	return 0;
}

static char *node_xml(xmlDocPtr doc, xmlNodePtr node)
{
	xmlBufferPtr buf = xmlBufferCreate();
	char *s = NULL;

	if (buf && xmlNodeDump(buf, doc, node, 0, 0) >= 0)
		s = strdup((const char *)xmlBufferContent(buf));
	if (buf)
		xmlBufferFree(buf);
	return s;
}

/* One device: libvirt first (nothing else changes when it refuses),
 * then the settings, then what attach stored. */
static int detach_one(const struct vs_attach_env *env, const struct vs_guest *g, unsigned flags, xmlDocPtr doc,
		      struct cand *c, struct vs_error *err)
{
	_cleanup_free_ char *xml = node_xml(doc, c->node);
	const char *label = c->d.address[0] ? c->d.address : c->d.mac;
	int r = 0;

	if (!xml)
		return -ENOMEM;
	if (virDomainDetachDeviceFlags(g->dom, xml, flags) < 0)
		return vs_error_set(err, -EIO, "detaching %s from guest %s: %s", label, g->name, vs_libvirt_message());
	c->detached = true;
	if ((flags & VIR_DOMAIN_AFFECT_LIVE) && c->d.address[0] && !env->remote)
		r = vs_attach_live_restore(env, g, c->d.address, &c->d.restored, err);
	if (r == 0 && c->d.address[0])
		r = vs_attach_policy_edit(g->dom, flags, VS_SEL_ADDRESS, c->d.address, NULL, NULL, err);
	/* a guest-mac rule left behind would stop the guest's next start */
	if (r == 0 && c->d.kind != VS_ATTACH_HOSTDEV && c->d.mac[0])
		r = vs_attach_policy_edit(g->dom, flags, VS_SEL_GUEST_MAC, c->d.mac, NULL, NULL, err);
	if (r == 0 && c->d.kind == VS_ATTACH_NETWORK && (flags & VIR_DOMAIN_AFFECT_LIVE) && !env->remote)
		r = vs_attach_remember_policy(env, g, err);
	return r;
}

static int detach_all(const struct vs_attach_env *env, const struct vs_guest *g, unsigned flags, xmlDocPtr doc,
		      struct cands *cs, struct vs_detached **out, size_t *n, struct vs_error *err)
{
	int r = 0;

	*out = calloc(cs->n + 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i < cs->n; i++) {
		r = detach_one(env, g, flags, doc, &cs->v[i], err);
		/* detached even when putting back failed: reported with it */
		if (cs->v[i].detached)
			(*out)[(*n)++] = cs->v[i].d;
	}
	return r;
}

int vs_detach(const struct vs_attach_env *env, const struct vs_detach_req *req, unsigned *flags_used,
	      struct vs_detached **out, size_t *n, struct vs_error *err)
{
	struct vs_guest g = { 0 };
	_cleanup_free_ char *xml = NULL;
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	struct cands cs = { 0 };
	unsigned flags = 0;
	int r;

	*out = NULL;
	*n = 0;
	g.dom = vs_attach_lookup(env->conn, req->domain, err);
	if (!g.dom)
		return -ENOENT;
	r = vs_attach_guest(g.dom, &g, err);
	if (r == 0)
		r = vs_attach_flags(g.dom, req->flags, &flags, err);
	*flags_used = flags;
	/* the live definition when it is affected: it shows pool VFs */
	if (r == 0 && !(xml = virDomainGetXMLDesc(g.dom, flags & VIR_DOMAIN_AFFECT_LIVE ? 0 : VIR_DOMAIN_XML_INACTIVE)))
		r = vs_error_set(err, -EIO, "guest %s: %s", g.name, vs_libvirt_message());
	if (r == 0)
		r = vs_xml_parse(xml, "domain XML", &doc, err);
	if (r == 0)
		r = collect(env, doc, &cs);
	if (r == 0)
		r = select_cands(env, req, g.name, &cs, err);
	if (r == 0)
		r = detach_all(env, &g, flags, doc, &cs, out, n, err);
	free(cs.v);
	virDomainFree(g.dom);
	return r;
}
