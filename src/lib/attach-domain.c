/* The libvirt side of attach: the guest's flags, its metadata policy, the
 * device XML, live settings through the hook's own plan and state, and
 * the choose-and-attach under the lock.  Detach is in detach.c. */
#include "config.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <libvirt/virterror.h>

#include "attach.h"
#include "attach-int.h"
#include "hook-exec.h"
#include "libvirt.h"
#include "policy.h"
#include "vfset.h"
#include "xmlgen.h"

/* ---- the guest ---- */

virDomainPtr vs_attach_lookup(virConnectPtr conn, const char *name, struct vs_error *err)
{
	virDomainPtr dom = virDomainLookupByName(conn, name);

	if (!dom && vs_uuid_valid(name))
		dom = virDomainLookupByUUIDString(conn, name);
	if (!dom)
		vs_error_set(err, -ENOENT, "no guest '%s': %s", name, vs_libvirt_message());
	return dom;
}

int vs_attach_flags(virDomainPtr dom, unsigned flags, unsigned *out, struct vs_error *err)
{
	const char *name = virDomainGetName(dom);
	int active = virDomainIsActive(dom), persistent = virDomainIsPersistent(dom);

	if (active < 0 || persistent < 0)
		return vs_error_set(err, -EIO, "guest %s: %s", name, vs_libvirt_message());
	/* VIR_DOMAIN_AFFECT_CURRENT made explicit, as virsh does */
	if (!flags)
		flags = active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
	if ((flags & VIR_DOMAIN_AFFECT_LIVE) && !active)
		return vs_error_set(err, -EINVAL, "guest %s is not running: --live needs a running guest (use --config to change its definition)",
				    name);
	if ((flags & VIR_DOMAIN_AFFECT_CONFIG) && !persistent)
		return vs_error_set(err, -EINVAL, "guest %s is transient: it has no definition for --config (use --live)", name);
	*out = flags;
	return 0;
}

int vs_attach_guest(virDomainPtr dom, struct vs_guest *g, struct vs_error *err)
{
	vs_strlcpy(g->name, virDomainGetName(dom), sizeof(g->name));
	if (virDomainGetUUIDString(dom, g->uuid) < 0)
		return vs_error_set(err, -EIO, "guest %s: %s", g->name, vs_libvirt_message());
	g->dom = dom;
	return 0;
}

/* ---- the guest's policy (domain metadata) ---- */

/* Replace (cfg set) or remove (cfg NULL) the rule sel/match in the policy
 * of every definition in flags.  *changed: 1 when a rule was there or put. */
int vs_attach_policy_edit(virDomainPtr dom, unsigned flags, enum vs_selector sel, const char *match,
			  const struct vs_vf_config *cfg, bool *changed, struct vs_error *err)
{
	static const unsigned which[] = { VIR_DOMAIN_AFFECT_CONFIG, VIR_DOMAIN_AFFECT_LIVE };
	int r = 0;

	for (size_t i = 0; r == 0 && i < ELEMENTSOF(which); i++) {
		struct vs_policy pol;
		struct vs_policy_rule *rule;
		bool had;

		if (!(flags & which[i]))
			continue;
		r = vs_libvirt_policy_get(dom, which[i], &pol, err);
		had = r == 0 && vs_policy_rule_get(&pol, sel, match, false) != NULL;
		if (had)
			vs_policy_rule_remove(&pol, sel, match);
		if (r == 0 && cfg && !vs_vf_config_is_empty(cfg)) {
			rule = vs_policy_rule_get(&pol, sel, match, true);
			if (!rule)
				r = vs_error_set(err, -EINVAL, "%s '%s' is not valid in a policy", vs_selector_name(sel), match);
			else
				vs_vf_config_merge(&rule->cfg, cfg);
		}
		if (r == 0 && (had || (cfg && !vs_vf_config_is_empty(cfg))))
			r = vs_libvirt_policy_put(dom, which[i], &pol, err);
		if (r == 0 && changed)
			*changed = *changed || had || (cfg && !vs_vf_config_is_empty(cfg));
		vs_policy_free(&pol);
	}
	return r;
}

/* ---- settings ---- */

/* libvirt owns MAC and VLAN of an <interface> VF: they go in its XML. */
void vs_attach_strip_l2(struct vs_vf_config *c)
{
	c->has_mac = false;
	c->vlan = c->qos = c->vlan_proto = -1;
}

/* What the hook would apply to this VF if the rule were in the guest's
 * policy: host defaults, the guest's policy, the rule; gates checked. */
static int resolve(const struct vs_attach_env *env, const struct vs_guest *g, unsigned flags, const struct vs_pf *pf,
		   const struct vs_vf *vf, const char *guest_mac, const struct vs_vf_config *rule_cfg,
		   struct vs_vf_config *out, struct vs_error *err)
{
	struct vs_policy pol;
	struct vs_policy_rule *rule;
	unsigned which = flags & VIR_DOMAIN_AFFECT_CONFIG ? VIR_DOMAIN_AFFECT_CONFIG : VIR_DOMAIN_AFFECT_LIVE;
	int r = vs_libvirt_policy_get(g->dom, which, &pol, err);

	if (r < 0)
		return r;
	vs_policy_rule_remove(&pol, VS_SEL_ADDRESS, vf->address);
	rule = vs_policy_rule_get(&pol, VS_SEL_ADDRESS, vf->address, true);
	if (!rule) {
		vs_policy_free(&pol);
		return -ENOMEM;
	}
	vs_vf_config_merge(&rule->cfg, rule_cfg);
	struct vs_vf_where w = {
		.address = vf->address, .index = (int)vf->index,
		.pf_netdev = pf->netdev[0] ? pf->netdev : NULL, .pf_address = pf->address,
		.pf_vendor = pf->vendor_id, .pf_device = pf->device_id,
		.guest_mac = guest_mac && *guest_mac ? guest_mac : NULL,
	};
	r = vs_policy_resolve(env->hook->conf, &pol, &w, out, err);
	vs_policy_free(&pol);
	out->index = (int)vf->index;
	return r;
}

/* Save and apply through the hook's own plan: same state file, same
 * saved fields, so release, detach and reconcile put the VF back.
 * PORT_CREATED leaves the policy the guest's prepare remembered alone. */
int vs_attach_live_apply(const struct vs_attach_env *env, const struct vs_guest *g, const struct vs_pf *pf,
			 const struct vs_vf *vf, enum vs_attach_kind kind, const struct vs_vf_config *cfg,
			 struct vs_error *err)
{
	struct vs_plan plan;
	struct vs_plan_vf *pv;
	int r;

	memset(&plan, 0, sizeof(plan));
	plan.action = VS_HOOK_PORT_CREATED;
	vs_strlcpy(plan.uuid, g->uuid, sizeof(plan.uuid));
	plan.name = strdup(g->name);
	plan.vfs = pv = calloc(1, sizeof(*pv));
	if (!plan.name || !pv) {
		vs_plan_free(&plan);
		return -ENOMEM;
	}
	plan.n = plan.alloc = 1;
	vs_strlcpy(pv->address, vf->address, sizeof(pv->address));
	vs_strlcpy(pv->pf, pf->netdev, sizeof(pv->pf));
	vs_strlcpy(pv->pf_address, pf->address, sizeof(pv->pf_address));
	pv->index = (int)vf->index;
	pv->origin = kind == VS_ATTACH_HOSTDEV ? VS_ORIGIN_HOSTDEV : VS_ORIGIN_INTERFACE;
	pv->cfg = *cfg;
	r = vs_hook_execute(env->hook, &plan, err);
	vs_plan_free(&plan);
	return r;
}

/* Put back what the state file saved for this VF and drop its entry.
 * *restored: something was saved (and put back). */
int vs_attach_live_restore(const struct vs_attach_env *env, const struct vs_guest *g, const char *address,
			   bool *restored, struct vs_error *err)
{
	struct vs_hook_input in;
	struct vs_plan plan;
	int r;

	memset(&in, 0, sizeof(in));
	in.driver = VS_HOOK_NETWORK;
	in.action = VS_HOOK_PORT_DELETED;
	vs_strlcpy(in.uuid, g->uuid, sizeof(in.uuid));
	vs_strlcpy(in.port_vf, address, sizeof(in.port_vf));
	*restored = false;
	r = vs_hook_plan(env->hook, &in, &plan);
	if (r == 0 && plan.n > 0) {
		*restored = true;
		r = vs_hook_execute(env->hook, &plan, err);
	}
	if (r == 0 && plan.warnings.n > 0)
		r = vs_error_set(err, -EIO, "%s (left in the state file for `virt-sriov reconcile`)", plan.warnings.v[0]);
	else if (r < 0)
		vs_error_set(err, r, "%s", plan.refusal.msg[0] ? plan.refusal.msg : strerror(-r));
	vs_plan_free(&plan);
	return r;
}

int vs_attach_remember_policy(const struct vs_attach_env *env, const struct vs_guest *g, struct vs_error *err)
{
	const char *dir = env->hook->state_dir;
	_cleanup_close_ int lock = -1;
	struct vs_error sub = { 0 };
	struct vs_state st = { 0 };
	struct vs_policy pol;
	char *text = NULL;
	int r = vs_libvirt_policy_get(g->dom, VIR_DOMAIN_AFFECT_LIVE, &pol, err);

	if (r == 0 && pol.n && vs_policy_format(&pol, &text) < 0)
		r = -ENOMEM;
	vs_policy_free(&pol);
	if (r == 0)
		r = vs_state_lock_guest(dir, g->uuid, VS_HOOK_RELEASE_MS, &lock, err);
	if (r == 0 && (r = vs_state_load(dir, g->uuid, &st, &sub)) == -ENOENT) {
		r = 0;
		vs_strlcpy(st.uuid, g->uuid, sizeof(st.uuid));
		if (!(st.name = strdup(g->name)))
			r = -ENOMEM;
	} else if (r < 0) {
		vs_error_set(err, r, "%s", sub.msg);
	}
	if (r == 0) {
		free(st.policy);
		st.policy = TAKE_PTR(text);
		/* nothing left to remember: no file, as the hook leaves it */
		r = st.n || st.policy ? vs_state_save(dir, &st, err) : vs_state_remove(dir, g->uuid, err);
	}
	free(text);
	vs_state_free(&st);
	return r;
}

/* ---- device XML ---- */

static int network_xml(const char *net, const char *mac, int vlan, char **out)
{
	_cleanup_xmldoc_ xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root, n;
	char id[16];

	if (!doc || !(root = xmlNewDocNode(doc, NULL, BAD_CAST "interface", NULL)))
		return -ENOMEM;
	xmlDocSetRootElement(doc, root);
	xmlSetProp(root, BAD_CAST "type", BAD_CAST "network");
	if (mac && (n = xmlNewChild(root, NULL, BAD_CAST "mac", NULL)))
		xmlSetProp(n, BAD_CAST "address", BAD_CAST mac);
	if ((n = xmlNewChild(root, NULL, BAD_CAST "source", NULL)))
		xmlSetProp(n, BAD_CAST "network", BAD_CAST net);
	if (vlan >= 0 && (n = xmlNewChild(root, NULL, BAD_CAST "vlan", NULL)) &&
	    (n = xmlNewChild(n, NULL, BAD_CAST "tag", NULL))) {
		snprintf(id, sizeof(id), "%d", vlan);
		xmlSetProp(n, BAD_CAST "id", BAD_CAST id);
	}
	*out = vs_xml_dump(doc);
	return *out ? 0 : -ENOMEM;
}

/* A MAC in libvirt's own range, as libvirt would pick: known before the
 * attach, so the guest-mac rule can name the interface. */
static int random_mac(unsigned char mac[6])
{
	mac[0] = 0x52, mac[1] = 0x54, mac[2] = 0x00;
	return getrandom(mac + 3, 3, 0) == 3 ? 0 : -EIO;
}

/* The MAC libvirt gave the <interface> on VF address. */
static void read_back_mac(virDomainPtr dom, unsigned flags, const char *address, char mac[18])
{
	_cleanup_free_ char *xml = virDomainGetXMLDesc(dom, flags & VIR_DOMAIN_AFFECT_LIVE ? 0 : VIR_DOMAIN_XML_INACTIVE);
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	_cleanup_xpobj_ xmlXPathObjectPtr o = NULL;
	char addr[VS_PCI_ADDR_MAX];

	if (!xml || vs_xml_parse(xml, "domain XML", &doc, NULL) < 0)
		return;
	o = vs_xml_eval(doc, NULL, "/domain/devices/interface[@type='hostdev']");
	for (int i = 0; i < vs_xml_count(o); i++) {
		xmlNodePtr dev = o->nodesetval->nodeTab[i], m;
		_cleanup_xmlchar_ xmlChar *a = NULL;

		if (vs_xml_pci_address(vs_xml_first(doc, dev, "source/address"), addr) < 0 || strcmp(addr, address) != 0)
			continue;
		m = vs_xml_first(doc, dev, "mac");
		a = m ? xmlGetProp(m, BAD_CAST "address") : NULL;
		if (a)
			vs_strlcpy(mac, (const char *)a, 18);
		return;
	}
}

/* ---- attach ---- */

static bool have_vfio(const struct vs_sysfs *fs)
{
	return vs_sysfs_exists(fs, "/sys/bus/pci/drivers/vfio-pci") == 1 && access("/dev/vfio/vfio", F_OK) == 0;
}

static int attach_call(const struct vs_attach_env *env, const struct vs_guest *g, unsigned flags, const char *xml,
		       const char *what, struct vs_error *err)
{
	bool vfio_hint = (flags & VIR_DOMAIN_AFFECT_LIVE) && strcmp(what, "network") != 0 && !have_vfio(env->hook->sysfs);

	if (virDomainAttachDeviceFlags(g->dom, xml, flags) == 0)
		return 0;
	return vs_error_set(err, -EIO, "attaching %s to guest %s: %s%s", what, g->name, vs_libvirt_message(),
			    vfio_hint ? " (a VF given to a running guest needs VFIO: load vfio-pci, turn the IOMMU on; "
					"`virt-sriov check` says what is missing)"
				      : "");
}

static int vf_xml(const struct vs_attach_req *req, const struct vs_vf *vf, char **xml, struct vs_error *err)
{
	struct vs_template_paths paths;
	struct vs_hostdev_spec spec = {
		.vf_address = vf->address, .interface = req->kind == VS_ATTACH_INTERFACE,
		.has_mac = req->kind == VS_ATTACH_INTERFACE && req->cfg.has_mac,
		.vlan = req->kind == VS_ATTACH_INTERFACE ? req->cfg.vlan : -1,
	};

	memcpy(spec.mac, req->cfg.mac, sizeof(spec.mac));
	vs_template_paths_default(&paths, NULL);
	return vs_xmlgen_hostdev_string(&paths, &spec, xml, err);
}

static void fill_result(struct vs_attach_result *res, const struct vs_guest *g, unsigned flags,
			enum vs_attach_kind kind)
{
	vs_strlcpy(res->domain, g->name, sizeof(res->domain));
	vs_strlcpy(res->uuid, g->uuid, sizeof(res->uuid));
	res->kind = kind;
	res->flags = flags;
}

static const char *pf_label(const struct vs_pf *pf)
{
	return pf->netdev[0] ? pf->netdev : pf->address;
}

/* The VF and the MAC the guest sees: given, set by libvirt, or the VF's own. */
static void describe_chosen(const struct vs_attach_req *req, const struct vs_guest *g, unsigned flags,
			    const struct vs_pf *pf, const struct vs_vf *vf, struct vs_attach_result *res)
{
	vs_strlcpy(res->address, vf->address, sizeof(res->address));
	vs_strlcpy(res->pf, pf->netdev, sizeof(res->pf));
	vs_strlcpy(res->pf_address, pf->address, sizeof(res->pf_address));
	res->index = (int)vf->index;
	if (req->cfg.has_mac)
		vs_format_mac(req->cfg.mac, res->mac);
	else if (req->kind == VS_ATTACH_INTERFACE)
		read_back_mac(g->dom, flags, vf->address, res->mac);
	else if (vf->config_known && vf->config.has_mac)
		vs_format_mac(vf->config.mac, res->mac);
}

/* Everything after the choice, with the lock held: nothing is left
 * half-done when a step fails. */
static int attach_chosen(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_guest *g,
			 unsigned flags, const struct vs_pf *pf, const struct vs_vf *vf, struct vs_attach_result *res,
			 struct vs_error *err)
{
	_cleanup_free_ char *xml = NULL;
	struct vs_vf_config rule = req->cfg;
	bool live = flags & VIR_DOMAIN_AFFECT_LIVE, stored = false, restored;
	char guest_mac[18] = "";
	int r;

	if (req->kind == VS_ATTACH_INTERFACE) {
		if (req->cfg.has_mac)
			vs_format_mac(req->cfg.mac, guest_mac);
		vs_attach_strip_l2(&rule);
	}
	r = resolve(env, g, flags, pf, vf, guest_mac, &rule, &res->settings, err);
	if (r == 0 && req->kind == VS_ATTACH_INTERFACE)
		vs_attach_strip_l2(&res->settings);
	if (r == 0 && live && !vs_vf_config_is_empty(&res->settings) && !pf->netdev[0])
		r = vs_error_set(err, -ENODEV, "PF %s has no network interface: the settings of VF %s cannot be applied",
				 pf->address, vf->address);
	if (r == 0)
		r = vf_xml(req, vf, &xml, err);
	if (r < 0)
		return r;
	if (live && !vs_vf_config_is_empty(&res->settings)) {
		struct vs_error sub = { 0 };

		r = vs_attach_live_apply(env, g, pf, vf, req->kind, &res->settings, &sub);
		if (r < 0)
			return vs_error_set(err, r, "VF %s (%s#%u): cannot apply its settings, nothing attached: %s",
					    vf->address, pf_label(pf), vf->index, sub.msg[0] ? sub.msg : strerror(-r));
		res->applied = true;
	}
	r = vs_attach_policy_edit(g->dom, flags, VS_SEL_ADDRESS, vf->address, &rule, &stored, err);
	if (r == 0)
		r = attach_call(env, g, flags, xml, vf->address, err);
	if (r < 0) {
		if (stored)
			vs_attach_policy_edit(g->dom, flags, VS_SEL_ADDRESS, vf->address, NULL, NULL, NULL);
		if (res->applied)
			vs_attach_live_restore(env, g, vf->address, &restored, NULL);
		res->applied = false;
		return r;
	}
	res->stored = stored;
	describe_chosen(req, g, flags, pf, vf, res);
	return 0;
}

/* --dry-run: the VF that would be attached. */
static void describe_planned(const struct vs_pf *pf, const struct vs_vf *vf, struct vs_attach_result *res)
{
	vs_strlcpy(res->address, vf->address, sizeof(res->address));
	vs_strlcpy(res->pf, pf->netdev, sizeof(res->pf));
	vs_strlcpy(res->pf_address, pf->address, sizeof(res->pf_address));
	res->index = (int)vf->index;
	if (vf->config_known && vf->config.has_mac)
		vs_format_mac(vf->config.mac, res->mac);
}

/* --vf: the same tests as the choice, with a message for the one VF. */
static int check_named(const struct vs_choose_in *in, size_t i, struct vs_error *err)
{
	const struct vs_vf *vf = &in->pf->vfs[i];
	const char *dev;

	switch (vs_attach_vf_busy(in, i, &dev)) {
	case VS_VF_FREE:
		return 0;
	case VS_VF_HELD:
		return vs_error_set(err, -EBUSY, "VF %s (%s#%u) is held by guest %s", vf->address, pf_label(in->pf),
				    vf->index, vf->in_use_by);
	case VS_VF_RESERVED:
		return vs_error_set(err, -EBUSY, "VF %s (%s#%u) is being attached by another virt-sriov", vf->address,
				    pf_label(in->pf), vf->index);
	case VS_VF_NETDEV_UP:
		return vs_error_set(err, -EBUSY, "VF %s (%s#%u) is on host driver %s with netdev %s up (--force takes it anyway)",
				    vf->address, pf_label(in->pf), vf->index, vf->driver, vf->netdev);
	case VS_VF_GROUP_SHARED:
	case VS_VF_BUSY_MAX:
		break;
	}
	return vs_error_set(err, -EBUSY, "VF %s (%s#%u): its IOMMU group %d also holds %s, which is in use (VFIO takes whole groups)",
			    vf->address, pf_label(in->pf), vf->index, vf->iommu_group, dev);
}

/* The PF and the position of the VF to attach: named, or chosen. */
static int pick(const struct vs_attach_env *env, const struct vs_attach_req *req, struct vs_choose_in *in,
		struct vs_vf_facts **facts, size_t *pos, struct vs_error *err)
{
	struct vs_vf_ref ref;
	struct vs_choose_out out;
	int r;

	if (req->vf) {
		r = vs_vfset_resolve_one(env->host, req->vf, &ref, err);
		if (r < 0)
			return r;
		in->pf = ref.pf;
		*pos = (size_t)(ref.vf - ref.pf->vfs);
	} else if (!(in->pf = vs_name_pf(env->host, req->pf, err))) {
		return err && err->code ? err->code : -ENODEV;
	}
	r = vs_attach_facts(env->hook->sysfs, in->pf, facts, err);
	if (r < 0)
		return r;
	in->facts = *facts;
	if (req->vf)
		return check_named(in, *pos, err);
	r = vs_attach_choose(in, &out, err);
	*pos = (size_t)out.index;
	return r;
}

static int attach_vf_locked(const struct vs_attach_env *env, const struct vs_attach_req *req,
			    const struct vs_guest *g, unsigned flags, struct vs_attach_result *res, struct vs_error *err)
{
	const char *dir = env->hook->state_dir;
	struct vs_choose_in in = { .host = env->host, .force = req->force };
	struct vs_vf_facts *facts = NULL;
	struct vs_reservation *resv = NULL, mine = { .pid = (long)getpid(), .since = (long long)time(NULL) };
	size_t pos = 0;
	int r = vs_libvirt_fill_usage(env->conn, env->host, err);

	if (r == 0 && env->remote && (flags & VIR_DOMAIN_AFFECT_LIVE))
		return vs_error_set(err, -EREMOTE, "guest %s runs: a VF given to a running guest gets its settings "
				    "on the host: attach it there, or with --config here", g->name);
	if (r == 0)
		r = vs_reservations_load(dir, (long long)time(NULL), &resv, &in.n_reserved, err);
	in.reserved = resv;
	if (r == 0)
		r = req->numa ? vs_attach_numa_pick(env, req, g, flags, &in, &facts, &pos, res, err)
			      : pick(env, req, &in, &facts, &pos, err);
	if (r == 0 && req->dry_run)
		describe_planned(in.pf, &in.pf->vfs[pos], res);
	if (r == 0 && !req->dry_run) {
		vs_strlcpy(mine.address, in.pf->vfs[pos].address, sizeof(mine.address));
		vs_strlcpy(mine.domain, g->name, sizeof(mine.domain));
		r = vs_reservation_update(dir, &mine, true, err);
	}
	if (r == 0 && !req->dry_run) {
		r = attach_chosen(env, req, g, flags, in.pf, &in.pf->vfs[pos], res, err);
		vs_reservation_update(dir, &mine, false, NULL);
	}
	vs_attach_facts_free(facts, in.pf ? in.pf->n_vfs : 0);
	free(resv);
	return r;
}

static int attach_vf(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_guest *g,
		     unsigned flags, struct vs_attach_result *res, struct vs_error *err)
{
	_cleanup_close_ int lock = -1;
	int r;

	if (req->dry_run)      /* nothing is reserved: no lock (nor the state directory it makes) */
		return attach_vf_locked(env, req, g, flags, res, err);
	r = vs_attach_lock(env->hook->state_dir, env->lock_timeout_ms ? env->lock_timeout_ms : VS_ATTACH_LOCK_MS,
			   &lock, err);

	return r < 0 ? r : attach_vf_locked(env, req, g, flags, res, err);
}

/* The pool's <pf dev> in the inventory; NULL for a pool of addresses. */
static const struct vs_pf *pool_pf(const struct vs_attach_env *env, virNetworkPtr net)
{
	_cleanup_free_ char *xml = virNetworkGetXMLDesc(net, 0);
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	xmlNodePtr n;
	_cleanup_xmlchar_ xmlChar *dev = NULL;

	if (!xml || vs_xml_parse(xml, "network XML", &doc, NULL) < 0)
		return NULL;
	n = vs_xml_first(doc, NULL, "/network/forward/pf");
	dev = n ? xmlGetProp(n, BAD_CAST "dev") : NULL;
	return dev && env->host ? vs_host_find_pf(env->host, (const char *)dev) : NULL;
}

/* A hostdev pool, and the host's gates for what the rule asks: the hook
 * would refuse the guest's start (or the live port) otherwise.  The PF is
 * known for a <pf dev> pool only; for the others the hook checks at start. */
static int network_check(const struct vs_attach_env *env, const struct vs_guest *g, unsigned flags,
			 const char *network, const char *mac, const struct vs_vf_config *rule,
			 struct vs_vf_config *out, struct vs_error *err)
{
	unsigned which = flags & VIR_DOMAIN_AFFECT_CONFIG ? VIR_DOMAIN_AFFECT_CONFIG : VIR_DOMAIN_AFFECT_LIVE;
	virNetworkPtr net = virNetworkLookupByName(env->conn, network);
	const struct vs_pf *pf;
	struct vs_policy pol;
	struct vs_policy_rule *pr;
	int r;

	if (!net)
		return vs_error_set(err, -ENOENT, "no network '%s': %s", network, vs_libvirt_message());
	r = vs_libvirt_network_is_hostdev(net, err);
	pf = r > 0 ? pool_pf(env, net) : NULL;
	virNetworkFree(net);
	if (r == 0)
		r = vs_error_set(err, -EINVAL, "network '%s' is not a hostdev pool (<forward mode='hostdev'>): see `virt-sriov network apply`",
				 network);
	if (r < 0 || (r = vs_libvirt_policy_get(g->dom, which, &pol, err)) < 0)
		return r;
	pr = vs_policy_rule_get(&pol, VS_SEL_GUEST_MAC, mac, true);
	if (pr)
		vs_vf_config_merge(&pr->cfg, rule);
	struct vs_vf_where w = {
		.index = -1, .network = network, .guest_mac = mac,
		.pf_netdev = pf && pf->netdev[0] ? pf->netdev : NULL, .pf_address = pf ? pf->address : NULL,
		.pf_vendor = pf ? pf->vendor_id : 0, .pf_device = pf ? pf->device_id : 0,
	};
	r = pr ? vs_policy_resolve(env->hook->conf, &pol, &w, out, err) : -ENOMEM;
	vs_policy_free(&pol);
	return r;
}

/* The pool picks the VF (at start, or now for --live), so no lock: the
 * settings become a guest-mac rule the hook applies at port-created. */
static int attach_network(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_guest *g,
			  unsigned flags, struct vs_attach_result *res, struct vs_error *err)
{
	_cleanup_free_ char *xml = NULL;
	struct vs_vf_config rule = req->cfg;
	unsigned char mac[6];
	bool stored = false;
	int r = 0;

	memcpy(mac, req->cfg.mac, sizeof(mac));
	if (!req->cfg.has_mac && (r = random_mac(mac)) < 0)
		return vs_error_set(err, r, "cannot pick a MAC for the interface: %s", strerror(-r));
	vs_format_mac(mac, res->mac);
	vs_attach_strip_l2(&rule);
	r = network_check(env, g, flags, req->network, res->mac, &rule, &res->settings, err);
	if (r == 0 && req->dry_run) {
		vs_strlcpy(res->network, req->network, sizeof(res->network));
		return 0;
	}
	if (r == 0)
		r = network_xml(req->network, res->mac, req->cfg.vlan, &xml);
	if (r == 0)
		r = vs_attach_policy_edit(g->dom, flags, VS_SEL_GUEST_MAC, res->mac, &rule, &stored, err);
	if (r == 0 && stored && (flags & VIR_DOMAIN_AFFECT_LIVE) && env->remote)
		r = vs_error_set(err, -EREMOTE, "guest %s runs: the hook reads a running guest's new settings from the "
				 "host's state directory: attach it on the host, or with --config here", g->name);
	if (r == 0 && stored && (flags & VIR_DOMAIN_AFFECT_LIVE))
		r = vs_attach_remember_policy(env, g, err);
	if (r == 0)
		r = attach_call(env, g, flags, xml, "network", err);
	if (r < 0 && stored) {
		vs_attach_policy_edit(g->dom, flags, VS_SEL_GUEST_MAC, res->mac, NULL, NULL, NULL);
		if (flags & VIR_DOMAIN_AFFECT_LIVE)
			vs_attach_remember_policy(env, g, NULL);
	}
	res->stored = stored;
	vs_attach_strip_l2(&res->settings);
	vs_strlcpy(res->network, req->network, sizeof(res->network));
	return r;
}

/* The virtio half's network must carry traffic while the VF is away:
 * a hostdev pool there would be a second VF the destination lacks too. */
static int backup_check(virConnectPtr conn, const char *network, struct vs_error *err)
{
	virNetworkPtr net = virNetworkLookupByName(conn, network);
	int r;

	if (!net)
		return vs_error_set(err, -ENOENT, "no network '%s' for the virtio half: %s", network, vs_libvirt_message());
	r = vs_libvirt_network_is_hostdev(net, err);
	virNetworkFree(net);
	if (r > 0)
		return vs_error_set(err, -EINVAL, "network '%s' is a hostdev pool: the virtio half of a failover pair needs "
				    "a bridge or a routed/NAT network", network);
	return r < 0 ? r : 0;
}

/* virtio first (the VF half names its alias); a VF half libvirt refuses
 * takes its virtio half back out. */
static int attach_pair(const struct vs_attach_env *env, const struct vs_guest *g, unsigned flags,
		       const struct vs_failover_spec *spec, struct vs_error *err)
{
	_cleanup_free_ char *virtio = NULL, *vf = NULL;
	struct vs_template_paths paths;
	int r;

	vs_template_paths_default(&paths, NULL);
	r = vs_xmlgen_failover_string(&paths, spec, &virtio, &vf, err);
	if (r == 0)
		r = attach_call(env, g, flags, virtio, "the virtio half", err);
	if (r == 0 && (r = attach_call(env, g, flags, vf, "network", err)) < 0)
		virDomainDetachDeviceFlags(g->dom, virtio, flags);
	return r;
}

/* attach_network's steps for a failover pair: one MAC on both halves. */
static int attach_failover(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_guest *g,
			   unsigned flags, struct vs_attach_result *res, struct vs_error *err)
{
	struct vs_failover_spec spec = {
		.pool = req->network, .backup_source = req->bridge ? req->bridge : req->backup_network,
		.backup = req->bridge ? VS_BACKUP_BRIDGE : req->backup_network ? VS_BACKUP_NETWORK : VS_BACKUP_USER,
	};
	struct vs_vf_config rule = req->cfg;
	bool stored = false;
	int r = req->cfg.has_mac ? 0 : vs_failover_random_mac(spec.mac);

	if (r < 0)
		return vs_error_set(err, r, "cannot pick a MAC for the failover pair: %s", strerror(-r));
	if (req->cfg.has_mac)
		memcpy(spec.mac, req->cfg.mac, sizeof(spec.mac));
	vs_format_mac(spec.mac, res->mac);
	vs_failover_alias(spec.mac, res->alias);
	vs_attach_strip_l2(&rule);
	r = network_check(env, g, flags, req->network, res->mac, &rule, &res->settings, err);
	if (r == 0 && req->backup_network)
		r = backup_check(env->conn, req->backup_network, err);
	if (r == 0)
		r = vs_attach_policy_edit(g->dom, flags, VS_SEL_GUEST_MAC, res->mac, &rule, &stored, err);
	if (r == 0 && stored && (flags & VIR_DOMAIN_AFFECT_LIVE))
		r = vs_attach_remember_policy(env, g, err);
	if (r == 0)
		r = attach_pair(env, g, flags, &spec, err);
	if (r < 0 && stored) {
		vs_attach_policy_edit(g->dom, flags, VS_SEL_GUEST_MAC, res->mac, NULL, NULL, NULL);
		if (flags & VIR_DOMAIN_AFFECT_LIVE)
			vs_attach_remember_policy(env, g, NULL);
	}
	res->stored = stored;
	vs_attach_strip_l2(&res->settings);
	vs_strlcpy(res->network, req->network, sizeof(res->network));
	return r;
}

int vs_attach(const struct vs_attach_env *env, const struct vs_attach_req *req, struct vs_attach_result *res,
	      struct vs_error *err)
{
	struct vs_guest g = { 0 };
	unsigned flags = 0;
	int r;

	memset(res, 0, sizeof(*res));
	res->index = -1;
	res->numa_node = -1;
	vs_vf_config_init(&res->settings, -1);
	g.dom = vs_attach_lookup(env->conn, req->domain, err);
	if (!g.dom)
		return -ENOENT;
	r = vs_attach_guest(g.dom, &g, err);
	if (r == 0)
		r = vs_attach_flags(g.dom, req->flags, &flags, err);
	if (r == 0)
		fill_result(res, &g, flags, req->kind);
	if (r == 0 && req->kind == VS_ATTACH_NETWORK && req->failover)
		r = attach_failover(env, req, &g, flags, res, err);
	else if (r == 0 && req->kind == VS_ATTACH_NETWORK && req->numa) {
		struct vs_attach_req by_node = *req;
		char pool[256];

		r = vs_attach_numa_pool(env, req, &g, flags, pool, sizeof(pool), res, err);
		by_node.network = pool;
		if (r == 0)
			r = attach_network(env, &by_node, &g, flags, res, err);
	} else if (r == 0 && req->kind == VS_ATTACH_NETWORK) {
		r = attach_network(env, req, &g, flags, res, err);
	}
	else if (r == 0)
		r = attach_vf(env, req, &g, flags, res, err);
	virDomainFree(g.dom);
	return r;
}
