#include "config.h"

#include <ctype.h>
#include <libgen.h>
#include <string.h>

#include "hook.h"
#include "netlink.h"
#include "vflocate.h"
#include "xml.h"

/* ---- small helpers ---- */

static int strv_add(struct vs_strv *s, const char *fmt, ...) _printf_(2, 3);
static int strv_add(struct vs_strv *s, const char *fmt, ...)
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
	free(plan->name);
	free(plan->policy);
	strv_clear(&plan->pending);
	strv_clear(&plan->notes);
	strv_clear(&plan->warnings);
	memset(plan, 0, sizeof(*plan));
}

static const char *guest_label(const struct vs_plan *plan)
{
	return plan->name ? plan->name : plan->uuid;
}

/* ---- the kernel ---- */

static struct vs_nl *kernel(const struct vs_hook_env *env, struct vs_error *err)
{
	struct vs_hook_nl *k = env->kernel;

	if (!k)
		return vs_error_set(err, -ENOTCONN, "no rtnetlink"), NULL;
	if (!k->nl && vs_nl_open(&k->nl, err) < 0)
		return NULL;
	return k->nl;
}

/* VF settings of one PF through the one executor: what is already in
 * effect is not sent, a rate alone is completed, a refusal names the
 * setting. */
static int set_vfs(const struct vs_hook_env *env, const char *pf, struct vs_vf_config *cfgs, size_t n,
		   struct vs_error *err)
{
	struct vs_vfctl_outcome o = { 0 };
	struct vs_nl *nl = kernel(env, err);
	int r = nl ? vs_vfctl_apply(nl, pf, cfgs, n, &o, err) : -ENOTCONN;

	vs_vfctl_outcome_free(&o);
	return r;
}

void vs_hook_nl_close(struct vs_hook_nl *nl)
{
	if (nl->nl)
		vs_nl_close(nl->nl);
	nl->nl = NULL;
}

/* ---- parsing stdin ---- */

static char *first_text(xmlDocPtr doc, const char *expr)
{
	xmlNodePtr n = vs_xml_first(doc, NULL, expr);
	xmlChar *c = n ? xmlNodeGetContent(n) : NULL;
	char *s = c ? strdup((const char *)c) : NULL;

	xmlFree(c);
	return s;
}

/* Names end up in libvirt's error and in syslog: one line, printable. */
static void sanitize(char *s)
{
	for (; s && *s; s++)
		if (!isprint((unsigned char)*s))
			*s = '?';
}

static int read_uuid(xmlDocPtr doc, const char *expr, char out[VS_UUID_LEN + 1], struct vs_error *err)
{
	_cleanup_free_ char *text = first_text(doc, expr);
	char *t = text;

	while (t && isspace((unsigned char)*t))
		t++;
	if (t)
		t[strcspn(t, " \t\r\n")] = '\0';
	if (!t || !vs_uuid_valid(t)) {
		sanitize(t);
		return vs_error_set(err, -EINVAL, "hook input: %s %s%s%s", expr,
				    t ? "is not a UUID: '" : "is missing", t ? t : "", t ? "'" : "");
	}
	for (int i = 0; t[i]; i++)
		out[i] = (char)tolower((unsigned char)t[i]);
	out[VS_UUID_LEN] = '\0';
	return 0;
}

static int parse_port(struct vs_hook_input *in, struct vs_error *err)
{
	xmlNodePtr plug;
	_cleanup_free_ char *mac = NULL;
	unsigned char m[6];
	int r;

	in->network = first_text(in->doc, "/hookData/network/name");
	sanitize(in->network);
	if (in->action != VS_HOOK_PORT_CREATED && in->action != VS_HOOK_PORT_DELETED)
		return 0;
	r = read_uuid(in->doc, "/hookData/networkport/owner/uuid", in->uuid, err);
	if (r < 0)
		return r;
	in->name = first_text(in->doc, "/hookData/networkport/owner/name");
	sanitize(in->name);
	mac = first_text(in->doc, "/hookData/networkport/mac/@address");
	if (mac && vs_parse_mac(mac, m) == 0)
		vs_format_mac(m, in->port_mac);
	plug = vs_xml_first(in->doc, NULL, "/hookData/networkport/plug[@type='hostdev-pci']/address");
	if (plug && vs_xml_pci_address(plug, in->port_vf) < 0)
		return vs_error_set(err, -EINVAL, "hook input: the port's <plug><address> is not a PCI address");
	return 0;
}

static int check_root(struct vs_hook_input *in, struct vs_error *err)
{
	xmlNodePtr root = xmlDocGetRootElement(in->doc);
	const char *name = (const char *)root->name;
	enum vs_hook_driver got = VS_HOOK_DRIVER_UNKNOWN;

	if (!root->ns && strcmp(name, "domain") == 0)
		got = VS_HOOK_QEMU;
	else if (!root->ns && strcmp(name, "hookData") == 0)
		got = VS_HOOK_NETWORK;
	if (in->driver == VS_HOOK_DRIVER_UNKNOWN)
		in->driver = got;
	if (got == VS_HOOK_DRIVER_UNKNOWN || got != in->driver)
		return vs_error_set(err, -EINVAL, "hook input: expected <%s> on stdin, got <%.64s>",
				    in->driver == VS_HOOK_NETWORK ? "hookData" : "domain", name);
	return 0;
}

static int input_parse(enum vs_hook_driver d, enum vs_hook_action a, const char *xml, size_t len,
		       struct vs_hook_input *in, struct vs_error *err)
{
	int r;

	memset(in, 0, sizeof(*in));
	in->driver = d;
	in->action = a;
	if (len > VS_HOOK_INPUT_MAX)
		return vs_error_set(err, -EFBIG, "hook input: more than %d bytes on stdin: not a guest's XML",
				    VS_HOOK_INPUT_MAX);
	if (len == 0 || memchr(xml, '\0', len))
		return vs_error_set(err, -EINVAL, "hook input: %s", len ? "a NUL byte on stdin: not XML" : "nothing on stdin");
	r = vs_xml_parse(xml, "hook input", &in->doc, err);
	if (r < 0)
		return r;
	/* libvirt never sends a DTD; entities can only be an attack. */
	if (in->doc->intSubset || in->doc->extSubset)
		return vs_error_set(err, -EINVAL, "hook input: has a <!DOCTYPE>, which libvirt never sends");
	r = check_root(in, err);
	if (r < 0)
		return r;
	if (in->driver == VS_HOOK_NETWORK)
		return parse_port(in, err);
	r = read_uuid(in->doc, "/domain/uuid", in->uuid, err);
	if (r < 0)
		return r;
	in->name = first_text(in->doc, "/domain/name");
	sanitize(in->name);
	return 0;
}

int vs_hook_input_parse(enum vs_hook_driver d, enum vs_hook_action a, const char *xml, size_t len,
			struct vs_hook_input *in, struct vs_error *err)
{
	int r = input_parse(d, a, xml, len, in, err);

	/* libxml2's messages quote the input: keep libvirt's error one line */
	if (r < 0 && err)
		sanitize(err->msg);
	return r;
}

void vs_hook_input_free(struct vs_hook_input *in)
{
	if (in->doc)
		xmlFreeDoc(in->doc);
	free(in->name);
	free(in->network);
	memset(in, 0, sizeof(*in));
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
	r = vs_vf_locate(env->sysfs, k->address, &k->loc, NULL);
	if (r < 0)
		return strv_add(&plan->notes, "%s %s: %s: left alone", origin_names[origin], k->address,
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
		return strv_add(&plan->notes, "a <%s> has no usable source PCI address: left alone", dev->name);
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
		r = strv_add(&g->macs, "%s", text);
	}
	if (r == 0 && net)
		r = strv_add(&g->networks, "%s", (const char *)net);
	if (r == 0 && is_network && net)
		r = strv_add(&plan->pending, "interface %s on network '%s': a pool VF is set up at port-created",
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
	return vs_error_set(&plan->refusal, code, "guest '%s': %s", guest_label(plan), msg);
}

static bool strv_has(const struct vs_strv *s, const char *text)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], text) == 0)
			return true;
	return false;
}

/* A policy that names something the guest does not have is a typo the
 * admin wants to hear about before the guest runs without its settings. */
static int check_selectors(const struct vs_hook_env *env, const struct vs_policy *pol,
			   const struct guest_ifaces *g, struct vs_plan *plan)
{
	struct vs_vf_location loc;
	int r;

	for (size_t i = 0; i < pol->n; i++) {
		const struct vs_policy_rule *rule = &pol->rules[i];

		switch (rule->sel) {
		case VS_SEL_ADDRESS:
			r = vs_vf_locate(env->sysfs, rule->match, &loc, NULL);
			if (r < 0)
				return refuse(plan, -ENOENT, "the policy names VF %s, which %s", rule->match,
					      r == -ENODEV ? "does not exist on this host" : "is not an SR-IOV VF");
			break;
		case VS_SEL_GUEST_MAC:
			if (!strv_has(&g->macs, rule->match))
				return refuse(plan, -ENOENT, "the policy names guest MAC %s, but no interface of the guest has it",
					      rule->match);
			break;
		case VS_SEL_NETWORK:
			if (!strv_has(&g->networks, rule->match))
				return refuse(plan, -ENOENT, "the policy names network '%s', but no interface of the guest uses it",
					      rule->match);
			break;
		case VS_SEL_ALL:
			break;
		}
	}
	return 0;
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
	return strv_add(&plan->notes, "VF %s: mac and vlan left to libvirt, which sets them from the <interface>", address);
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
	if (k->origin != VS_ORIGIN_HOSTDEV && (r = leave_to_libvirt(plan, k->address, &cfg)) < 0)
		return r;
	if (vs_vf_config_is_empty(&cfg))
		return strv_add(&plan->notes, "VF %s (%s#%d): nothing to set", k->address, pf, k->loc.index);
	if (!k->loc.pf_netdev[0])
		return strv_add(&plan->notes, "VF %s: its PF %s has no network interface: settings not applied",
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

static int plan_prepare(const struct vs_hook_env *env, const struct vs_hook_input *in, struct vs_plan *plan)
{
	struct vs_policy pol = { 0 };
	struct candidates c = { 0 };
	struct guest_ifaces g;
	struct vs_error sub = { 0 };
	int r;

	memset(&g, 0, sizeof(g));
	r = vs_policy_from_domain(in->doc, &pol, &sub);
	if (r < 0)
		return refuse(plan, r, "%s", sub.msg);
	if (pol.n > 0 && (r = vs_policy_format(&pol, &plan->policy)) < 0)
		goto cleanup;
	r = collect_domain(env, in->doc, plan, &c, &g);
	if (r == 0)
		r = check_selectors(env, &pol, &g, plan);
	if (r == 0)
		r = plan_candidates(env, plan, &c, &pol);
cleanup:
	vs_policy_free(&pol);
	guest_ifaces_clear(&g);
	free(c.v);
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
		return strv_add(&plan->notes, "network '%s': the port is not a hostdev-pci plug: nothing to do",
				in->network ? in->network : "?");
	r = vs_state_load(env->state_dir, in->uuid, &st, &sub);
	if (r == -ENOENT)
		r = strv_add(&plan->notes, "no policy remembered from qemu prepare (live attach?): host settings only");
	else if (r < 0)
		return refuse(plan, r, "%s", sub.msg);
	if (r == 0 && st.policy && (r = vs_policy_parse_string(st.policy, &pol, &sub)) < 0)
		r = refuse(plan, r, "%s", sub.msg);
	if (r == 0)
		r = push_candidate(plan, &c, env, in->port_vf, VS_ORIGIN_NETWORK, in->port_mac, in->network);
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
		return strv_add(&plan->warnings, "guest '%s': %s", guest_label(plan), sub.msg);
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

/* ---- carrying it out ---- */

static bool first_of_pf(const struct vs_plan *plan, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(plan->vfs[j].pf, plan->vfs[i].pf) == 0)
			return false;
	return true;
}

/* One RTM_SETLINK for every VF of plan->vfs[first]'s PF; cfgs runs
 * parallel to plan->vfs. */
static int send_pf(const struct vs_hook_env *env, const struct vs_plan *plan, const struct vs_vf_config *cfgs,
		   size_t first, struct vs_error *err)
{
	_cleanup_free_ struct vs_vf_config *batch = calloc(plan->n, sizeof(*batch));
	size_t k = 0;

	if (!batch)
		return -ENOMEM;
	for (size_t j = first; j < plan->n; j++)
		if (strcmp(plan->vfs[j].pf, plan->vfs[first].pf) == 0 && !vs_vf_config_is_empty(&cfgs[j]))
			batch[k++] = cfgs[j];
	return k ? set_vfs(env, plan->vfs[first].pf, batch, k, err) : 0;
}

static const struct vs_vf_config *find_index(const struct vs_pf_vf_list *l, int index)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->vfs[i].index == index)
			return &l->vfs[i];
	return NULL;
}

static int save_pf(const struct vs_hook_env *env, struct vs_plan *plan, size_t first, struct vs_state *st,
		   struct vs_error *err)
{
	struct vs_pf_vf_list l = { 0 };
	struct vs_nl *nl = kernel(env, err);
	int r = nl ? vs_nl_get_vfs(nl, plan->vfs[first].pf, &l, err) : -ENOTCONN;

	for (size_t j = first; r == 0 && j < plan->n; j++) {
		struct vs_plan_vf *pv = &plan->vfs[j];
		const struct vs_vf_config *cur;
		struct vs_state_vf *sv;

		if (strcmp(pv->pf, plan->vfs[first].pf) != 0)
			continue;
		cur = find_index(&l, pv->index);
		if (!cur) {
			r = vs_error_set(err, -ENODATA, "PF %s did not report VF %d (%s)%s: its settings cannot be saved",
					 pv->pf, pv->index, pv->address, l.truncated ? ": VF list truncated" : "");
			break;
		}
		r = vs_vfctl_complete(pv->pf, &pv->cfg, cur, err);
		sv = r < 0 ? NULL : vs_state_find_vf(st, pv->address);
		if (r < 0)
			break;
		if (!sv && !(sv = vs_state_add_vf(st, pv->address)))
			r = -ENOMEM;
		if (r < 0)
			break;
		vs_strlcpy(sv->pf, pv->pf, sizeof(sv->pf));
		vs_strlcpy(sv->pf_address, pv->pf_address, sizeof(sv->pf_address));
		sv->index = sv->saved.index = sv->applied.index = pv->index;
		if (pv->network && !sv->network && !(sv->network = strdup(pv->network)))
			r = -ENOMEM;
		vs_vf_config_pick(&sv->saved, cur, &pv->cfg);
		vs_vf_config_merge(&sv->applied, &pv->cfg);
	}
	vs_pf_vf_list_free(&l);
	return r;
}

/* After a failed request: put every PF touched so far back, and forget
 * these VFs (a second failure here is only logged). */
static void roll_back(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_state *st, size_t upto)
{
	_cleanup_free_ struct vs_vf_config *saved = calloc(plan->n, sizeof(*saved));
	struct vs_error err = { 0 };

	for (size_t i = 0; saved && i < plan->n; i++) {
		struct vs_state_vf *sv = vs_state_find_vf(st, plan->vfs[i].address);

		vs_vf_config_init(&saved[i], plan->vfs[i].index);
		if (sv)
			saved[i] = sv->saved;
	}
	for (size_t i = 0; saved && i <= upto; i++)
		if (first_of_pf(plan, i) && send_pf(env, plan, saved, i, &err) < 0)
			strv_add(&plan->warnings, "guest '%s': could not put PF %s back: %s", guest_label(plan),
				 plan->vfs[i].pf, err.msg);
	for (size_t i = 0; i < plan->n; i++) {
		struct vs_state_vf *sv = vs_state_find_vf(st, plan->vfs[i].address);

		if (sv)
			vs_state_remove_vf(st, sv);
	}
}

static int load_or_new(const struct vs_hook_env *env, const struct vs_plan *plan, struct vs_state *st, struct vs_error *err)
{
	int r = vs_state_load(env->state_dir, plan->uuid, st, err);

	if (r != -ENOENT)
		return r;
	memcpy(st->uuid, plan->uuid, sizeof(st->uuid));
	if (plan->name && !(st->name = strdup(plan->name)))
		return -ENOMEM;
	return 0;
}

static int apply_locked(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_state *st, struct vs_error *err)
{
	_cleanup_free_ struct vs_vf_config *cfgs = NULL;
	int r;

	if (plan->action == VS_HOOK_PREPARE) {
		free(st->policy);
		st->policy = plan->policy ? strdup(plan->policy) : NULL;
	}
	for (size_t i = 0; i < plan->n; i++)
		if (first_of_pf(plan, i) && (r = save_pf(env, plan, i, st, err)) < 0)
			return r;
	if (st->n == 0 && !st->policy)
		return 0;
	r = vs_state_save(env->state_dir, st, err);
	if (r < 0 || !(cfgs = calloc(plan->n + 1, sizeof(*cfgs))))
		return r < 0 ? r : -ENOMEM;
	for (size_t i = 0; i < plan->n; i++)
		cfgs[i] = plan->vfs[i].cfg;
	for (size_t i = 0; i < plan->n; i++) {
		if (!first_of_pf(plan, i) || (r = send_pf(env, plan, cfgs, i, err)) == 0)
			continue;
		roll_back(env, plan, st, i);
		vs_state_save(env->state_dir, st, NULL);
		return r;
	}
	return 0;
}

static int apply(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_error *err)
{
	_cleanup_close_ int lock = -1;
	struct vs_state st = { 0 };
	int r;

	if (plan->n == 0 && !plan->policy)
		return 0;
	r = vs_state_lock(env->state_dir, VS_HOOK_LOCK_MS, &lock, err);
	if (r == 0)
		r = load_or_new(env, plan, &st, err);
	if (r == 0)
		r = apply_locked(env, plan, &st, err);
	vs_state_free(&st);
	return r;
}

static struct vs_vf_config *plan_cfgs(const struct vs_plan *plan)
{
	struct vs_vf_config *cfgs = calloc(plan->n + 1, sizeof(*cfgs));

	for (size_t i = 0; cfgs && i < plan->n; i++)
		cfgs[i] = plan->vfs[i].cfg;
	return cfgs;
}

/* A PF refused the batch: the kernel stops at the first bad VF, so put the
 * others back one by one.  Marks in ok[] what was put back. */
static void restore_pf(const struct vs_hook_env *env, struct vs_plan *plan, const struct vs_vf_config *cfgs,
		       size_t first, bool *ok)
{
	struct vs_error err = { 0 };
	bool batch_ok = send_pf(env, plan, cfgs, first, &err) == 0;

	for (size_t j = first; j < plan->n; j++) {
		struct vs_plan_vf *pv = &plan->vfs[j];
		struct vs_vf_config c = pv->cfg;
		struct vs_error one = { 0 };

		if (strcmp(pv->pf, plan->vfs[first].pf) != 0)
			continue;
		ok[j] = batch_ok || vs_vf_config_is_empty(&pv->cfg) || set_vfs(env, pv->pf, &c, 1, &one) == 0;
		pv->failed = !ok[j];
		if (!ok[j])
			strv_add(&plan->warnings, "guest '%s': VF %s (%s#%d): could not put back: %s", guest_label(plan),
				 pv->address, pv->pf, pv->index, one.msg[0] ? one.msg : strerror(-one.code));
	}
}

/* Forget what was put back; keep what was not, for `virt-sriov reconcile`. */
static int forget(const struct vs_hook_env *env, struct vs_plan *plan, const bool *ok, struct vs_error *err)
{
	struct vs_state st = { 0 };
	int r = vs_state_load(env->state_dir, plan->uuid, &st, err);

	if (r == -ENOENT)
		return 0;
	for (size_t i = 0; r == 0 && i < plan->n; i++) {
		struct vs_state_vf *sv = vs_state_find_vf(&st, plan->vfs[i].address);

		if (sv && ok[i])
			vs_state_remove_vf(&st, sv);
	}
	if (r == 0 && st.n == 0 && plan->action != VS_HOOK_PORT_DELETED)
		r = vs_state_remove(env->state_dir, plan->uuid, err);
	else if (r == 0)
		r = vs_state_save(env->state_dir, &st, err);
	vs_state_free(&st);
	return r;
}

static int restore(const struct vs_hook_env *env, struct vs_plan *plan)
{
	_cleanup_close_ int lock = -1;
	_cleanup_free_ struct vs_vf_config *cfgs = plan_cfgs(plan);
	_cleanup_free_ bool *ok = calloc(plan->n + 1, sizeof(*ok));
	struct vs_error err = { 0 };
	int r;

	if (!plan->has_state)
		return 0;
	if (!cfgs || !ok)
		return -ENOMEM;
	r = vs_state_lock(env->state_dir, VS_HOOK_LOCK_MS, &lock, &err);
	for (size_t i = 0; r == 0 && i < plan->n; i++)
		if (first_of_pf(plan, i))
			restore_pf(env, plan, cfgs, i, ok);
	if (r == 0)
		r = forget(env, plan, ok, &err);
	if (r < 0)
		strv_add(&plan->warnings, "guest '%s': %s", guest_label(plan), err.msg[0] ? err.msg : strerror(-r));
	return 0;
}

int vs_hook_execute(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_error *err)
{
	switch (plan->action) {
	case VS_HOOK_PREPARE:
	case VS_HOOK_PORT_CREATED:
		return apply(env, plan, err);
	case VS_HOOK_RELEASE:
	case VS_HOOK_PORT_DELETED:
		return restore(env, plan);
	case VS_HOOK_NONE:
		break;
	}
	return 0;
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

/* ---- the whole hook ---- */

/* The one line libvirt shows: who, then what. */
static int failed(struct vs_error *err, const struct vs_plan *plan, enum vs_hook_driver d, char **argv,
		  const struct vs_error *sub)
{
	char who[128];

	if (plan->name || plan->uuid[0])
		snprintf(who, sizeof(who), "guest '%s'", guest_label(plan));
	else
		snprintf(who, sizeof(who), "%s '%.100s'", d == VS_HOOK_NETWORK ? "network" : "guest", argv[1]);
	sanitize(who);
	if (strncmp(sub->msg, who, strlen(who)) == 0)
		return vs_error_set(err, sub->code, "%s", sub->msg);
	return vs_error_set(err, sub->code, "%s: %s", who, sub->msg[0] ? sub->msg : strerror(-sub->code));
}

int vs_hook_run(const struct vs_hook_env *env, int argc, char **argv, const char *xml, size_t len,
		struct vs_plan *plan, struct vs_error *err)
{
	enum vs_hook_driver d = VS_HOOK_DRIVER_UNKNOWN;
	enum vs_hook_action a = vs_hook_action_from_argv(argc, argv, &d);
	bool teardown = a == VS_HOOK_RELEASE || a == VS_HOOK_PORT_DELETED;
	struct vs_error sub = { 0 };
	struct vs_hook_input in;
	int r;

	memset(plan, 0, sizeof(*plan));
	plan->action = a;
	if (a == VS_HOOK_NONE)
		return 0;
	r = vs_hook_input_parse(d, a, xml, len, &in, &sub);
	if (r == 0 && vs_hook_plan(env, &in, plan) < 0)
		r = vs_error_set(&sub, plan->refusal.code, "%s", plan->refusal.msg);
	else if (r == 0)
		r = vs_hook_execute(env, plan, &sub);
	vs_hook_input_free(&in);
	if (r == 0)
		return 0;
	failed(err, plan, d, argv, &sub);
	if (!teardown)
		return 1;
	strv_add(&plan->warnings, "%s", err->msg);
	return 0;
}
