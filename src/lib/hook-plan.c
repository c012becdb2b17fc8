/* The hook's plan: see hook-plan.h. */
#include "config.h"

#include <string.h>

#include "hook-plan.h"
#include "inventory.h"
#include "policy.h"
#include "state.h"
#include "vflocate.h"
#include "xml.h"

/* ---- the plan's lists of lines ---- */

int vs_strv_add(struct vs_strv *s, const char *fmt, ...)
{
	va_list ap;
	char *line;
	int r;

	r = vs_grow((void **)&s->v, &s->alloc, s->n + 2, sizeof(*s->v));
	if (r < 0)
		return r;
	va_start(ap, fmt);
	r = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	s->v[s->n++] = line;
	s->v[s->n] = NULL;
	return 0;
}

static void strv_clear(struct vs_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void vs_plan_free(struct vs_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++)
		free(plan->vfs[i].network);
	free(plan->vfs);
	free(plan->reps);
	free(plan->name);
	free(plan->policy);
	strv_clear(&plan->pending);
	strv_clear(&plan->notes);
	strv_clear(&plan->warnings);
	memset(plan, 0, sizeof(*plan));
}

const char *vs_plan_guest(const struct vs_plan *plan)
{
	return plan->name ? plan->name : plan->uuid;
}

/* ---- finding the VFs ---- */

struct candidate {
	char address[VS_PCI_ADDR_MAX];
	enum vs_vf_origin origin;
	char guest_mac[18];
	const char *network;
	struct vs_vf_location loc;    /* where it sits, from sysfs (no inventory scan: no pci.ids) */
};

struct candidates {
	struct candidate *v;
	size_t n, alloc;
};

static const char *const origin_names[] = {
	[VS_ORIGIN_HOSTDEV] = "hostdev", [VS_ORIGIN_INTERFACE] = "interface", [VS_ORIGIN_NETWORK] = "network",
};


/* vs_vf_locate, or the same from the inventory a plan from a workstation
 * reads (fields only: the hook links no inventory code). */
static int locate(const struct vs_hook_env *env, const char *address, struct vs_vf_location *loc)
{
	if (!env->host)
		return vs_vf_locate(env->sysfs, address, loc, NULL);
	for (size_t i = 0; i < env->host->n_pfs; i++) {
		const struct vs_pf *pf = &env->host->pfs[i];

		for (size_t j = 0; j < pf->n_vfs; j++) {
			if (strcmp(pf->vfs[j].address, address))
				continue;
			memset(loc, 0, sizeof(*loc));
			vs_strlcpy(loc->pf_address, pf->address, sizeof(loc->pf_address));
			vs_strlcpy(loc->pf_netdev, pf->netdev, sizeof(loc->pf_netdev));
			loc->pf_vendor = pf->vendor_id;
			loc->pf_device = pf->device_id;
			loc->index = (int)pf->vfs[j].index;
			return 0;
		}
	}
	return -ENODEV;
}

static int push_candidate(struct vs_plan *plan, struct candidates *c, const struct vs_hook_env *env,
			  const char *address, enum vs_vf_origin origin, const char *guest_mac, const char *network)
{
	struct candidate *k;
	int r;

	r = vs_grow((void **)&c->v, &c->alloc, c->n + 1, sizeof(*c->v));
	if (r < 0)
		return r;
	k = &c->v[c->n];
	memset(k, 0, sizeof(*k));
	k->origin = origin;
	k->network = network;
	vs_strlcpy(k->address, address, sizeof(k->address));
	vs_strlcpy(k->guest_mac, guest_mac, sizeof(k->guest_mac));
	r = locate(env, k->address, &k->loc);
	if (r < 0)
		return vs_strv_add(&plan->notes, "%s %s: %s: left alone", origin_names[origin], k->address,
				r == -ENODEV ? "no such PCI device on this host" : "not an SR-IOV VF");
	c->n++;
	return 0;
}

static int add_candidate(struct vs_plan *plan, struct candidates *c, xmlNodePtr addr, xmlDocPtr doc,
			 xmlNodePtr dev, enum vs_vf_origin origin, const struct vs_hook_env *env)
{
	char address[VS_PCI_ADDR_MAX], guest_mac[18] = "";
	xmlNodePtr m = vs_xml_first(doc, dev, "mac");
	_cleanup_xmlchar_ xmlChar *mac = m ? xmlGetProp(m, BAD_CAST "address") : NULL;
	unsigned char bytes[6];

	if (vs_xml_pci_address(addr, address) < 0)
		return vs_strv_add(&plan->notes, "a <%s> has no usable source PCI address: left alone", dev->name);
	if (mac && vs_parse_mac((const char *)mac, bytes) == 0)
		vs_format_mac(bytes, guest_mac);
	return push_candidate(plan, c, env, address, origin, guest_mac, NULL);
}

/* The guest's interfaces as the policy's selectors see them. */
struct guest_ifaces {
	struct vs_strv macs;
	struct vs_strv networks;
};

static void guest_ifaces_clear(struct guest_ifaces *g)
{
	strv_clear(&g->macs);
	strv_clear(&g->networks);
}

static int note_iface(struct vs_plan *plan, xmlDocPtr doc, xmlNodePtr dev, struct guest_ifaces *g)
{
	xmlNodePtr m = vs_xml_first(doc, dev, "mac"), src = vs_xml_first(doc, dev, "source");
	_cleanup_xmlchar_ xmlChar *mac = m ? xmlGetProp(m, BAD_CAST "address") : NULL;
	_cleanup_xmlchar_ xmlChar *net = src ? xmlGetProp(src, BAD_CAST "network") : NULL;
	_cleanup_xmlchar_ xmlChar *type = xmlGetNoNsProp(dev, BAD_CAST "type");
	bool is_network = xmlStrEqual(type, BAD_CAST "network");
	unsigned char b[6];
	char text[18] = "";
	int r = 0;

	if (mac && vs_parse_mac((const char *)mac, b) == 0) {
		vs_format_mac(b, text);
		r = vs_strv_add(&g->macs, "%s", text);
	}
	if (r == 0 && net)
		r = vs_strv_add(&g->networks, "%s", (const char *)net);
	if (r == 0 && is_network && net)
		r = vs_strv_add(&plan->pending, "interface %s on network '%s': a pool VF is set up at port-created",
			     text[0] ? text : "(no MAC)", (const char *)net);
	return r;
}

static int collect_domain(const struct vs_hook_env *env, xmlDocPtr doc, struct vs_plan *plan,
			  struct candidates *c, struct guest_ifaces *g)
{
	static const struct { const char *expr; enum vs_vf_origin origin; } kinds[] = {
		{ "/domain/devices/hostdev[@mode='subsystem'][@type='pci']", VS_ORIGIN_HOSTDEV },
		{ "/domain/devices/interface[@type='hostdev']", VS_ORIGIN_INTERFACE },
		{ "/domain/devices/interface[@type='network']", VS_ORIGIN_NETWORK },
	};
	int r = 0;

	for (size_t k = 0; r == 0 && k < ELEMENTSOF(kinds); k++) {
		_cleanup_xpobj_ xmlXPathObjectPtr o = vs_xml_eval(doc, NULL, kinds[k].expr);

		for (int i = 0; r == 0 && i < vs_xml_count(o); i++) {
			xmlNodePtr dev = o->nodesetval->nodeTab[i];

			if (kinds[k].origin != VS_ORIGIN_HOSTDEV)
				r = note_iface(plan, doc, dev, g);
			if (r == 0 && kinds[k].origin != VS_ORIGIN_NETWORK)
				r = add_candidate(plan, c, vs_xml_first(doc, dev, "source/address"), doc, dev,
						  kinds[k].origin, env);
		}
	}
	return r;
}

/* ---- the plan ---- */

static int refuse(struct vs_plan *plan, int code, const char *fmt, ...) _printf_(3, 4);
static int refuse(struct vs_plan *plan, int code, const char *fmt, ...)
{
	char msg[sizeof(plan->refusal.msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vs_error_set(&plan->refusal, code, "guest '%s': %s", vs_plan_guest(plan), msg);
}

static bool strv_has(const struct vs_strv *s, const char *text)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], text) == 0)
			return true;
	return false;
}

static bool is_candidate(const struct candidates *c, const char *address)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].address, address) == 0)
			return true;
	return false;
}

/* "policy line 3" for a rule read from the guest's element; a rule not
 * stored yet (`policy set` asking) has no line. */
static const char *rule_where(const struct vs_policy_rule *rule, char *buf, size_t len)
{
	if (rule->line <= 0)
		return "policy";
	snprintf(buf, len, "policy line %ld", rule->line);
	return buf;
}

/* An address rule names one of the VFs the guest's XML gives it: a VF of
 * another guest (or of none) was never matched, so the guest started
 * without the settings it asked for.  A pool's VF is chosen at start and
 * is not known here; its rules select it by network or guest MAC. */
static int check_address(const struct vs_hook_env *env, const struct vs_policy_rule *rule,
			 const struct candidates *c, struct vs_plan *plan)
{
	char buf[48];
	const char *where = rule_where(rule, buf, sizeof(buf));
	struct vs_vf_location loc;
	int r;

	if (is_candidate(c, rule->match))
		return 0;
	r = locate(env, rule->match, &loc);
	if (r == -ENODEV)
		return refuse(plan, -ENOENT, "%s: VF %s does not exist on this host", where, rule->match);
	if (r < 0)
		return refuse(plan, -ENOENT, "%s: %s is not an SR-IOV VF", where, rule->match);
	return refuse(plan, -ENOENT, "%s: VF %s is not one of the guest's VFs "
		      "(a pool's VF is selected by network or guest-mac)", where, rule->match);
}

/* A policy that names something the guest does not have is a typo the
 * admin wants to hear about before the guest runs without its settings. */
static int check_selectors(const struct vs_hook_env *env, const struct vs_policy *pol, const struct candidates *c,
			   const struct guest_ifaces *g, struct vs_plan *plan)
{
	char where[48];
	int r = 0;

	for (size_t i = 0; r == 0 && i < pol->n; i++) {
		const struct vs_policy_rule *rule = &pol->rules[i];

		switch (rule->sel) {
		case VS_SEL_ADDRESS:
			r = check_address(env, rule, c, plan);
			break;
		case VS_SEL_GUEST_MAC:
			if (!strv_has(&g->macs, rule->match))
				r = refuse(plan, -ENOENT, "%s: guest-mac %s: no interface of the guest has it",
					   rule_where(rule, where, sizeof(where)), rule->match);
			break;
		case VS_SEL_NETWORK:
			if (!strv_has(&g->networks, rule->match))
				r = refuse(plan, -ENOENT, "%s: network '%s': no interface of the guest uses it",
					   rule_where(rule, where, sizeof(where)), rule->match);
			break;
		case VS_SEL_ALL:
			break;
		}
	}
	return r;
}

/* For <interface> VFs libvirt saves, writes and restores MAC and VLAN
 * itself (right after port-created): a value written by the hook would be
 * overwritten, then "restored" at release. */
static int leave_to_libvirt(struct vs_plan *plan, const char *address, struct vs_vf_config *cfg)
{
	if (!cfg->has_mac && cfg->vlan < 0 && cfg->qos < 0 && cfg->vlan_proto < 0)
		return 0;
	cfg->has_mac = false;
	cfg->vlan = cfg->qos = cfg->vlan_proto = -1;
	return vs_strv_add(&plan->notes, "VF %s: mac and vlan left to libvirt, which sets them from the <interface>", address);
}

static int plan_add(struct vs_plan *plan, const struct candidate *k, const struct vs_vf_config *cfg)
{
	struct vs_plan_vf *pv;
	int r;

	r = vs_grow((void **)&plan->vfs, &plan->alloc, plan->n + 1, sizeof(*plan->vfs));
	if (r < 0)
		return r;
	pv = &plan->vfs[plan->n++];
	memset(pv, 0, sizeof(*pv));
	vs_strlcpy(pv->address, k->address, sizeof(pv->address));
	vs_strlcpy(pv->pf, k->loc.pf_netdev, sizeof(pv->pf));
	vs_strlcpy(pv->pf_address, k->loc.pf_address, sizeof(pv->pf_address));
	vs_strlcpy(pv->guest_mac, k->guest_mac, sizeof(pv->guest_mac));
	pv->index = k->loc.index;
	pv->origin = k->origin;
	pv->cfg = *cfg;
	pv->cfg.index = k->loc.index;
	if (k->network && !(pv->network = strdup(k->network)))
		return -ENOMEM;
	return 0;
}

/* ---- representors (switchdev mode) ---- */

static int rep_add(struct vs_plan *plan, const char *vf, const char *pf, int index, const char *netdev,
		   const struct vs_rep_bridge *bridge)
{
	struct vs_plan_rep *rep;
	int r = vs_grow((void **)&plan->reps, &plan->alloc_reps, plan->n_reps + 1, sizeof(*plan->reps));

	if (r < 0)
		return r;
	rep = &plan->reps[plan->n_reps++];
	memset(rep, 0, sizeof(*rep));
	vs_strlcpy(rep->vf, vf, sizeof(rep->vf));
	vs_strlcpy(rep->pf, pf, sizeof(rep->pf));
	vs_strlcpy(rep->netdev, netdev, sizeof(rep->netdev));
	rep->index = index;
	rep->bridge = *bridge;
	return 0;
}

/* A representor for the VF is what says the PF is in switchdev mode; in
 * legacy mode a bridge named for it has nothing to join. */
static int plan_rep(const struct vs_hook_env *env, struct vs_plan *plan, const struct candidate *k,
		    const struct vs_policy *pol, const struct vs_vf_where *w)
{
	struct vs_representor rep;
	struct vs_rep_bridge br;

	if (!k->loc.pf_netdev[0])
		return 0;
	vs_policy_bridge(env->conf, pol, w, &br);
	if (vs_representor_find(env->sysfs, k->loc.pf_netdev, k->loc.index, &rep, NULL) < 0)
		return br.kind == VS_BRIDGE_NONE ? 0 :
			vs_strv_add(&plan->notes, "VF %s (%s#%d): no representor (PF not in switchdev mode): %s %s not used",
				    k->address, k->loc.pf_netdev, k->loc.index, vs_rep_key_of(br.kind)->what, br.name);
	return rep_add(plan, k->address, k->loc.pf_netdev, k->loc.index, rep.netdev, &br);
}

static int plan_vf(const struct vs_hook_env *env, struct vs_plan *plan, const struct candidate *k,
		   const struct vs_policy *pol)
{
	const char *pf = k->loc.pf_netdev[0] ? k->loc.pf_netdev : k->loc.pf_address;
	struct vs_error sub = { 0 };
	struct vs_vf_config cfg;
	struct vs_vf_where w = {
		.address = k->address, .index = k->loc.index,
		.pf_netdev = k->loc.pf_netdev[0] ? k->loc.pf_netdev : NULL, .pf_address = k->loc.pf_address,
		.pf_vendor = k->loc.pf_vendor, .pf_device = k->loc.pf_device,
		.network = k->network, .guest_mac = k->guest_mac[0] ? k->guest_mac : NULL,
	};
	int r;

	r = vs_policy_resolve(env->conf, pol, &w, &cfg, &sub);
	if (r < 0)
		return refuse(plan, r, "%s", sub.msg);
	if ((r = plan_rep(env, plan, k, pol, &w)) < 0)
		return r;
	if (k->origin != VS_ORIGIN_HOSTDEV && (r = leave_to_libvirt(plan, k->address, &cfg)) < 0)
		return r;
	if (vs_vf_config_is_empty(&cfg))
		return vs_strv_add(&plan->notes, "VF %s (%s#%d): nothing to set", k->address, pf, k->loc.index);
	if (!k->loc.pf_netdev[0])
		return vs_strv_add(&plan->notes, "VF %s: its PF %s has no network interface: settings not applied",
				k->address, k->loc.pf_address);
	return plan_add(plan, k, &cfg);
}

static int plan_candidates(const struct vs_hook_env *env, struct vs_plan *plan, struct candidates *c,
			   const struct vs_policy *pol)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < c->n; i++)
		r = plan_vf(env, plan, &c->v[i], pol);
	return r;
}

/* A pool's VF is chosen at start: port-created resolves it as below, with
 * the policy remembered at prepare, which is pol. */
static int plan_pool_vfs(const struct vs_hook_env *env, struct vs_plan *plan, xmlDocPtr doc,
			 const struct vs_policy *pol, const struct vs_pool_vfs_fn *pool)
{
	_cleanup_xpobj_ xmlXPathObjectPtr o = vs_xml_eval(doc, NULL, "/domain/devices/interface[@type='network']");
	int r = 0;

	for (int i = 0; r == 0 && i < vs_xml_count(o); i++) {
		xmlNodePtr dev = o->nodesetval->nodeTab[i], m = vs_xml_first(doc, dev, "mac"),
			   src = vs_xml_first(doc, dev, "source");
		_cleanup_xmlchar_ xmlChar *mac = m ? xmlGetProp(m, BAD_CAST "address") : NULL;
		_cleanup_xmlchar_ xmlChar *net = src ? xmlGetProp(src, BAD_CAST "network") : NULL;
		struct vs_strv vfs = { 0 };
		struct candidates c = { 0 };
		unsigned char b[6];
		char text[18] = "";

		if (!net)
			continue;
		if (mac && vs_parse_mac((const char *)mac, b) == 0)
			vs_format_mac(b, text);
		r = pool->fn(pool->data, (const char *)net, &vfs);
		for (size_t k = 0; r == 0 && k < vfs.n; k++)
			r = push_candidate(plan, &c, env, vfs.v[k], VS_ORIGIN_NETWORK, text, (const char *)net);
		if (r == 0)
			r = plan_candidates(env, plan, &c, pol);
		strv_clear(&vfs);
		free(c.v);
	}
	return r;
}

static int plan_prepare_policy(const struct vs_hook_env *env, xmlDocPtr doc, const struct vs_policy *pol,
			       struct vs_plan *plan)
{
	struct candidates c = { 0 };
	struct guest_ifaces g;
	int r;

	memset(&g, 0, sizeof(g));
	r = collect_domain(env, doc, plan, &c, &g);
	if (r == 0)
		r = check_selectors(env, pol, &c, &g, plan);
	if (r == 0)
		r = plan_candidates(env, plan, &c, pol);
	guest_ifaces_clear(&g);
	free(c.v);
	return r;
}

static int plan_prepare(const struct vs_hook_env *env, const struct vs_hook_input *in, struct vs_plan *plan)
{
	struct vs_policy pol = { 0 };
	struct vs_error sub = { 0 };
	int r;

	r = vs_policy_from_domain(in->doc, &pol, &sub);
	if (r < 0)
		return refuse(plan, r, "%s", sub.msg);
	if (pol.n > 0 && (r = vs_policy_format(&pol, &plan->policy)) < 0)
		goto cleanup;
	r = plan_prepare_policy(env, in->doc, &pol, plan);
cleanup:
	vs_policy_free(&pol);
	return r;
}

static int plan_port_created(const struct vs_hook_env *env, const struct vs_hook_input *in, struct vs_plan *plan)
{
	struct vs_state st = { 0 };
	struct vs_policy pol = { 0 };
	struct candidates c = { 0 };
	struct vs_error sub = { 0 };
	int r;

	if (!in->port_vf[0])
		return vs_strv_add(&plan->notes, "network '%s': the port is not a hostdev-pci plug: nothing to do",
				in->network ? in->network : "?");
	r = vs_state_load(env->state_dir, in->uuid, &st, &sub);
	if (r == -ENOENT)
		r = vs_strv_add(&plan->notes, "no policy remembered from qemu prepare (live attach?): host settings only");
	else if (r < 0)
		return refuse(plan, r, "%s", sub.msg);
	if (r == 0 && st.policy && (r = vs_policy_parse_string(st.policy, &pol, &sub)) < 0)
		r = refuse(plan, r, "%s", sub.msg);
	if (r == 0)
		r = push_candidate(plan, &c, env, in->port_vf, VS_ORIGIN_NETWORK, in->port_mac, in->network_raw);
	if (r == 0)
		r = plan_candidates(env, plan, &c, &pol);
	vs_policy_free(&pol);
	vs_state_free(&st);
	free(c.v);
	return r;
}

/* What to put back: the saved settings, from the state file only (the XML
 * at release no longer shows pool VFs). */
static int plan_restore(const struct vs_hook_env *env, const char *uuid, const char *only_vf, struct vs_plan *plan)
{
	struct vs_state st = { 0 };
	struct vs_error sub = { 0 };
	int r;

	r = vs_state_load(env->state_dir, uuid, &st, &sub);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return vs_strv_add(&plan->warnings, "guest '%s': %s", vs_plan_guest(plan), sub.msg);
	plan->has_state = true;
	if (!plan->name && st.name)
		plan->name = strdup(st.name);
	for (size_t i = 0; r == 0 && i < st.n; i++) {
		const struct vs_state_vf *sv = &st.vfs[i];
		struct candidate k = { .origin = sv->network ? VS_ORIGIN_NETWORK : VS_ORIGIN_HOSTDEV,
				       .network = sv->network, .loc.index = sv->index };

		if (only_vf && strcmp(sv->address, only_vf) != 0)
			continue;
		vs_strlcpy(k.address, sv->address, sizeof(k.address));
		vs_strlcpy(k.loc.pf_netdev, sv->pf, sizeof(k.loc.pf_netdev));
		vs_strlcpy(k.loc.pf_address, sv->pf_address, sizeof(k.loc.pf_address));
		r = plan_add(plan, &k, &sv->saved);
	}
	for (size_t i = 0; r == 0 && i < st.n_reps; i++)
		if (!only_vf || strcmp(st.reps[i].vf, only_vf) == 0)
			r = rep_add(plan, st.reps[i].vf, "", -1, st.reps[i].netdev, &st.reps[i].bridge);
	vs_state_free(&st);
	return r;
}

int vs_hook_plan(const struct vs_hook_env *env, const struct vs_hook_input *in, struct vs_plan *plan)
{
	int r = 0;

	memset(plan, 0, sizeof(*plan));
	plan->action = in->action;
	memcpy(plan->uuid, in->uuid, sizeof(plan->uuid));
	if (in->name && !(plan->name = strdup(in->name)))
		return -ENOMEM;
	switch (in->action) {
	case VS_HOOK_PREPARE: r = plan_prepare(env, in, plan); break;
	case VS_HOOK_PORT_CREATED: r = plan_port_created(env, in, plan); break;
	case VS_HOOK_RELEASE: r = plan_restore(env, in->uuid, NULL, plan); break;
	case VS_HOOK_PORT_DELETED:
		r = in->port_vf[0] ? plan_restore(env, in->uuid, in->port_vf, plan) : 0;
		break;
	case VS_HOOK_NONE: break;
	}
	if (r < 0 && !plan->refusal.code)
		refuse(plan, r, "%s", strerror(-r));
	return r;
}

int vs_hook_plan_policy(const struct vs_hook_env *env, const struct vs_hook_input *in, const struct vs_policy *pol,
			const struct vs_pool_vfs_fn *pool, struct vs_plan *plan)
{
	int r;

	memset(plan, 0, sizeof(*plan));
	plan->action = VS_HOOK_PREPARE;
	memcpy(plan->uuid, in->uuid, sizeof(plan->uuid));
	if (in->name && !(plan->name = strdup(in->name)))
		return -ENOMEM;
	r = plan_prepare_policy(env, in->doc, pol, plan);
	if (r == 0 && pool)
		r = plan_pool_vfs(env, plan, in->doc, pol, pool);
	if (r < 0 && !plan->refusal.code)
		refuse(plan, r, "%s", strerror(-r));
	return r;
}

int vs_hook_plan_restore(const struct vs_hook_env *env, const char *uuid, struct vs_plan *plan, struct vs_error *err)
{
	memset(plan, 0, sizeof(*plan));
	plan->action = VS_HOOK_RELEASE;
	if (!vs_uuid_valid(uuid))
		return vs_error_set(err, -EINVAL, "'%s' is not a guest UUID", uuid);
	vs_strlcpy(plan->uuid, uuid, sizeof(plan->uuid));
	return plan_restore(env, uuid, NULL, plan);
}

/* ---- JSON for `virt-sriov plan` and logs ---- */

static int jadd(json_object *o, const char *key, json_object *v)
{
	if (!v)
		return -ENOMEM;
	return json_object_object_add(o, key, v) < 0 ? -ENOMEM : 0;
}

/* json-c's null is a NULL pointer: add it without the NULL check. */
static int jadd_str(json_object *o, const char *key, const char *s)
{
	if (!s)
		return json_object_object_add(o, key, NULL) < 0 ? -ENOMEM : 0;
	return jadd(o, key, json_object_new_string(s));
}

static json_object *strv_json(const struct vs_strv *s)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < s->n; i++)
		if (json_object_array_add(a, json_object_new_string(s->v[i])) < 0) {
			json_object_put(a);
			return NULL;
		}
	return a;
}

static json_object *plan_vf_json(const struct vs_plan_vf *pv)
{
	json_object *o = json_object_new_object();

	if (!o || jadd_str(o, "address", pv->address) < 0 || jadd_str(o, "pf", pv->pf) < 0 ||
	    jadd_str(o, "pf_address", pv->pf_address) < 0 || jadd(o, "index", json_object_new_int(pv->index)) < 0 ||
	    jadd_str(o, "origin", origin_names[pv->origin]) < 0 || jadd_str(o, "network", pv->network) < 0 ||
	    jadd_str(o, "guest_mac", pv->guest_mac[0] ? pv->guest_mac : NULL) < 0 ||
	    jadd(o, "settings", vs_vf_config_to_json(&pv->cfg)) < 0 ||
	    jadd(o, "failed", json_object_new_boolean(pv->failed)) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *reps_json(const struct vs_plan *plan)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < plan->n_reps; i++) {
		const struct vs_plan_rep *rep = &plan->reps[i];
		json_object *o = json_object_new_object();
		const struct vs_rep_key *k = vs_rep_key_of(rep->bridge.kind);

		if (!o || jadd_str(o, "vf", rep->vf) < 0 || jadd_str(o, "netdev", rep->netdev) < 0 ||
		    jadd_str(o, "bridge", k ? rep->bridge.name : NULL) < 0 ||
		    jadd_str(o, "bridge_kind", k ? k->policy_key : NULL) < 0 ||
		    jadd(o, "failed", json_object_new_boolean(rep->failed)) < 0 || json_object_array_add(a, o) < 0) {
			json_object_put(o);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

json_object *vs_plan_to_json(const struct vs_plan *plan)
{
	json_object *o = json_object_new_object(), *vfs = json_object_new_array();
	int r;

	if (!o || !vfs) {
		json_object_put(o);
		json_object_put(vfs);
		return NULL;
	}
	r = jadd(o, "action", json_object_new_string(vs_hook_action_name(plan->action)));
	if (r == 0)
		r = jadd_str(o, "guest", plan->name);
	if (r == 0)
		r = jadd_str(o, "uuid", plan->uuid[0] ? plan->uuid : NULL);
	if (r == 0)
		r = jadd_str(o, "refused", plan->refusal.code ? plan->refusal.msg : NULL);
	if (r == 0)
		r = jadd(o, "vfs", vfs);
	for (size_t i = 0; r == 0 && i < plan->n; i++) {
		json_object *v = plan_vf_json(&plan->vfs[i]);

		r = v ? json_object_array_add(vfs, v) : -ENOMEM;
	}
	if (r == 0)
		r = jadd(o, "representors", reps_json(plan));
	if (r == 0)
		r = jadd(o, "pending", strv_json(&plan->pending));
	if (r == 0)
		r = jadd(o, "notes", strv_json(&plan->notes));
	if (r == 0)
		r = jadd(o, "warnings", strv_json(&plan->warnings));
	if (r == 0)
		r = jadd_str(o, "policy", plan->policy);
	if (r < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
