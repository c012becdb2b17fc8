#include "config.h"

#include <string.h>
#include <libvirt/virterror.h>

#include "cli.h"
#include "conf.h"
#include "hook-input.h"
#include "hook-plan.h"
#include "json-out.h"
#include "libvirt.h"
#include "load.h"
#include "options.h"
#include "policy.h"
#include "state.h"
#include "vflocate.h"
#include "xml.h"

/* The ids of main.c's option table */
enum { OPT_CONFIG = 'C', OPT_LIVE = 'L', OPT_VF = 'v', OPT_GUEST_MAC = 'm', OPT_NETWORK = 'N',
       OPT_FORCE = 'f' };

struct policy_args {
	const char *verb;
	const char *domain;
	unsigned flags;               /* VIR_DOMAIN_AFFECT_* */
	bool force;                   /* store what the host's gates refuse */
	enum vs_selector sel;
	const char *match;
	struct vs_vf_config cfg;
};

static const struct { const char *name; int id; enum vs_selector sel; } selector_opts[] = {
	{ "vf", OPT_VF, VS_SEL_ADDRESS },
	{ "guest-mac", OPT_GUEST_MAC, VS_SEL_GUEST_MAC },
	{ "network", OPT_NETWORK, VS_SEL_NETWORK },
};

/* "ID[:QOS[:PROTO]]" as in `ip link set ... vf N vlan ID qos Q proto P`. */
static int set_option(struct policy_args *a, int c, const char *name, char *value, struct vs_error *err)
{
	for (size_t i = 0; i < ELEMENTSOF(selector_opts); i++) {
		if (c != selector_opts[i].id)
			continue;
		if (a->match)
			return vs_error_set(err, -EINVAL, "give one of --vf, --guest-mac, --network");
		a->sel = selector_opts[i].sel;
		a->match = value;
		return 0;
	}
	switch (c) {
	case OPT_CONFIG: a->flags |= VIR_DOMAIN_AFFECT_CONFIG; return 0;
	case OPT_LIVE: a->flags |= VIR_DOMAIN_AFFECT_LIVE; return 0;
	case OPT_FORCE: a->force = true; return 0;
	default: return vs_vf_config_parse(&a->cfg, name, value, err);
	}
}

/* argv[0] is "policy", argv[1] the verb (main.c found it: cli->cmd). */
static int parse_args(struct vs_cli *cli, int argc, char **argv, struct policy_args *a)
{
	struct vs_error err = { 0 };
	struct vs_getopt g;
	int c;

	if (cli->cmd->verbs)
		return vs_cli_no_verb(cli, argc, argv);
	a->verb = argv[1];
	vs_cli_getopt_init(&g, cli, argc - 1, argv + 1);
	vs_vf_config_init(&a->cfg, -1);
	while ((c = vs_cli_getopt(&g)) > 0)
		if (set_option(a, c, g.name, g.arg, &err) < 0)
			return vs_cli_usage_error(cli->cmd->name, &err);
	if (c < 0)
		return g.status;
	if (g.npos != 1)
		return vs_cli_fail(VS_EXIT_USAGE, "%s: expected one DOMAIN, got %d arguments (see %s --help)",
				   cli->cmd->name, g.npos, cli->cmd->name);
	a->domain = g.pos[0];
	return vs_cli_ready(&g);
}

static virDomainPtr lookup(virConnectPtr conn, const char *name)
{
	virDomainPtr dom = virDomainLookupByName(conn, name);

	if (!dom && vs_uuid_valid(name))
		dom = virDomainLookupByUUIDString(conn, name);
	return dom;
}

static json_object *rules_json(const struct vs_policy *pol)
{
	json_object *rules = json_object_new_array();

	for (size_t i = 0; rules && i < pol->n; i++) {
		json_object *r = json_object_new_object();

		vs_json_set(r, "selector", json_object_new_string(vs_selector_name(pol->rules[i].sel)));
		vs_json_set(r, "match", vs_json_str(pol->rules[i].match));
		vs_json_set(r, "settings", vs_json_settings(&pol->rules[i].cfg));
		if (json_object_array_add(rules, r) < 0)
			json_object_put(r);
	}
	return rules;
}

/* The policy (after set or clear: as stored, or as it would be in a dry run). */
static int show(const struct vs_cli *cli, const struct policy_args *a, const struct vs_policy *pol)
{
	_cleanup_free_ char *xml = NULL;
	json_object *doc;

	if (!cli->json) {
		if (pol->n && vs_policy_format(pol, &xml) < 0)
			return vs_cli_fail(VS_EXIT_FAILURE, "policy: out of memory");
		if (xml)
			fputs(xml, stdout);
		return VS_EXIT_OK;
	}
	doc = vs_json_doc_new();
	if (!doc)
		return VS_EXIT_FAILURE;
	vs_json_set(doc, "domain", json_object_new_string(a->domain));
	if (strcmp(a->verb, "show") != 0)
		vs_json_set(doc, "dry_run", json_object_new_boolean(cli->dry_run));
	vs_json_set(doc, "rules", rules_json(pol));
	return vs_json_doc_print(doc) < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

static int change(const struct policy_args *a, struct vs_policy *pol, struct vs_error *err)
{
	struct vs_policy_rule *rule;
	bool set = strcmp(a->verb, "set") == 0;

	if (set && vs_vf_config_is_empty(&a->cfg))
		return vs_error_set(err, -EINVAL, "policy set: give at least one setting (--spoofchk, --trust, ...)");
	if (!set && !vs_vf_config_is_empty(&a->cfg))
		return vs_error_set(err, -EINVAL, "policy clear: takes no settings");
	if (!set && !a->match && a->sel == VS_SEL_ALL) {
		vs_policy_free(pol);
		return 0;
	}
	rule = vs_policy_rule_get(pol, a->sel, a->match, set);
	if (!rule && set)
		return vs_error_set(err, -EINVAL, "policy: %s '%s' is not valid", vs_selector_name(a->sel), a->match);
	if (!rule)
		return vs_error_set(err, -ENOENT, "policy: domain %s has no rule for %s %s", a->domain,
				    vs_selector_name(a->sel), a->match ? a->match : "");
	if (set) {
		vs_vf_config_merge(&rule->cfg, &a->cfg);
		if (vs_vf_config_check(&rule->cfg, err) < 0)
			return -EINVAL;
	} else
		vs_policy_rule_remove(pol, a->sel, a->match);
	return 0;
}

/* ---- what the hook would refuse ---- */

struct pool_ctx {
	virConnectPtr conn;
	const struct vs_sysfs *sysfs;
};

/* A <pf dev> pool hands out the PF's VFs: as sysfs lists them now. */
static int pf_vfs(const struct vs_sysfs *fs, const char *dev, struct vs_strv *out)
{
	char **names = NULL, addr[VS_PCI_ADDR_MAX];
	int n = vs_sysfs_list(fs, &names, "/sys/class/net/%s/device", dev), r = 0;
	unsigned idx;

	for (int i = 0; r == 0 && i < n; i++)
		if (vs_virtfn_parse(names[i], &idx) &&
		    vs_sysfs_link_base(fs, addr, sizeof(addr), "/sys/class/net/%s/device/%s", dev, names[i]) >= 0)
			r = vs_strv_add(out, "%s", addr);
	vs_strv_free(names);
	return r;
}

static int pool_vfs(void *data, const char *network, struct vs_strv *out)
{
	const struct pool_ctx *p = data;
	virNetworkPtr net = virNetworkLookupByName(p->conn, network);
	_cleanup_free_ char *xml = net ? virNetworkGetXMLDesc(net, 0) : NULL;
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	_cleanup_xpobj_ xmlXPathObjectPtr addrs = NULL;
	xmlNodePtr pf;
	char addr[VS_PCI_ADDR_MAX];
	int r = 0;

	if (!net)
		vs_cli_warn("policy: no network '%s': the VFs it would hand out are not checked", network);
	else
		virNetworkFree(net);
	if (!xml || vs_xml_parse(xml, network, &doc, NULL) < 0 ||
	    !vs_xml_first(doc, NULL, "/network/forward[@mode='hostdev']"))
		return 0; /* not a pool: the hook leaves its ports alone */
	addrs = vs_xml_eval(doc, NULL, "/network/forward/address[not(@type) or @type='pci']");
	for (int i = 0; r == 0 && i < vs_xml_count(addrs); i++)
		if (vs_xml_pci_address(addrs->nodesetval->nodeTab[i], addr) == 0)
			r = vs_strv_add(out, "%s", addr);
	pf = vs_xml_first(doc, NULL, "/network/forward/pf");
	if (r == 0 && vs_xml_count(addrs) == 0 && pf) {
		_cleanup_xmlchar_ xmlChar *dev = xmlGetProp(pf, BAD_CAST "dev");

		r = dev ? pf_vfs(p->sysfs, (const char *)dev, out) : 0;
	}
	if (r == 0 && out->n == 0)
		vs_cli_warn("policy: pool '%s' has no VFs now: the VF it would hand out is not checked", network);
	return r;
}

/* The hook's own plan of the guest's start, with pol as its policy: the
 * XML libvirt would start it from (persistent with --config), the gates
 * of virt-sriov.conf as the hook would read them now.  plan->refusal
 * says what the hook would refuse. */
static int hook_check(const struct vs_cli *cli, const struct policy_args *a, virConnectPtr conn, virDomainPtr dom,
		      const struct vs_policy *pol, struct vs_plan *plan, struct vs_error *err)
{
	unsigned which = a->flags & VIR_DOMAIN_AFFECT_CONFIG ? VIR_DOMAIN_XML_INACTIVE : 0;
	_cleanup_free_ char *xml = virDomainGetXMLDesc(dom, which);
	struct vs_conf conf = { 0 };
	struct vs_hook_env env = { .sysfs = &cli->sysfs, .conf = &conf, .state_dir = vs_state_dir() };
	struct pool_ctx ctx = { .conn = conn, .sysfs = &cli->sysfs };
	struct vs_pool_vfs_fn pool = { .fn = pool_vfs, .data = &ctx };
	struct vs_hook_input in = { 0 };
	int r;

	if (!xml)
		return vs_error_set(err, -EIO, "policy: reading domain '%s': %s", a->domain, vs_libvirt_message());
	r = vs_conf_load(vs_conf_path(), &conf, err);
	if (r == 0)
		r = vs_hook_input_parse(VS_HOOK_QEMU, VS_HOOK_PREPARE, xml, strlen(xml), &in, err);
	if (r == 0 && vs_hook_plan_policy(&env, &in, pol, &pool, plan) < 0 && !plan->refusal.code)
		r = vs_error_set(err, -EIO, "policy: checking domain '%s': out of memory", a->domain);
	vs_hook_input_free(&in);
	vs_conf_free(&conf);
	return r;
}

/* Refuse (or, with --force, warn about) a policy the hook would refuse. */
static int gate(const struct vs_cli *cli, const struct policy_args *a, virConnectPtr conn, virDomainPtr dom,
		const struct vs_policy *pol, struct vs_error *err)
{
	struct vs_plan plan = { 0 };
	int r = hook_check(cli, a, conn, dom, pol, &plan, err);
	char msg[sizeof(err->msg)];

	vs_strlcpy(msg, err->msg, sizeof(msg));
	if (r < 0 && !a->force)
		r = vs_error_set(err, r, "%s (--force stores the policy anyway)", msg);
	else if (r < 0)
		vs_cli_warn("policy: stored unchecked: %s", err->msg);
	else if (plan.refusal.code && !a->force)
		r = vs_error_set(err, plan.refusal.code == -EPERM ? -EPERM : -EINVAL,
				 "policy: %s: the hook would refuse the guest's start (--force stores it anyway)",
				 plan.refusal.msg);
	else if (plan.refusal.code)
		vs_cli_warn("policy: stored with --force, but the guest will not start on this host: %s",
			    plan.refusal.msg);
	if (r < 0 && a->force)
		r = 0;
	vs_plan_free(&plan);
	return r;
}

static int run(struct vs_cli *cli, const struct policy_args *a, virConnectPtr conn, struct vs_error *err)
{
	virDomainPtr dom = lookup(conn, a->domain);
	struct vs_policy pol = { 0 };
	bool clear_all = strcmp(a->verb, "clear") == 0 && !a->match;
	int r = 0;

	if (!dom)
		return vs_error_set(err, -ENOENT, "policy: no domain '%s': %s", a->domain, vs_libvirt_message());
	/* Clearing it all needs no reading: an element the hook refuses (two
	 * rules for one VF, written with virsh metadata) can still be removed. */
	if (!clear_all)
		r = vs_libvirt_policy_get(dom, a->flags & VIR_DOMAIN_AFFECT_LIVE ? VIR_DOMAIN_AFFECT_LIVE : a->flags,
					  &pol, err);
	if (r == 0 && strcmp(a->verb, "show") == 0)
		r = show(cli, a, &pol) == VS_EXIT_OK ? 0 : -EIO;
	else if (r == 0 && (r = change(a, &pol, err)) == 0 &&
		 (strcmp(a->verb, "set") != 0 || (r = gate(cli, a, conn, dom, &pol, err)) == 0))
		r = cli->dry_run ? 0 : vs_libvirt_policy_put(dom, a->flags, &pol, err);
	if (r == 0 && strcmp(a->verb, "show") != 0 && (cli->dry_run || cli->json))
		r = show(cli, a, &pol) == VS_EXIT_OK ? 0 : -EIO;
	vs_policy_free(&pol);
	virDomainFree(dom);
	return r;
}

int vs_cmd_policy(struct vs_cli *cli, int argc, char **argv)
{
	struct policy_args a = { 0 };
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;
	char vf[VS_PCI_ADDR_MAX];
	bool show_verb;
	int r;

	r = parse_args(cli, argc, argv, &a);
	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	/* the element names a VF by its address: any other name is this host's */
	if (a.sel == VS_SEL_ADDRESS && (r = vs_cli_vf_address(cli, a.match, vf)) != VS_EXIT_OK)
		return r;
	if (a.sel == VS_SEL_ADDRESS)
		a.match = vf;
	show_verb = strcmp(a.verb, "show") == 0;
	if (!show_verb && strcmp(a.verb, "set") != 0 && strcmp(a.verb, "clear") != 0)
		return vs_cli_fail(VS_EXIT_USAGE, "policy: '%s' is not show, set or clear", a.verb);
	if (vs_libvirt_open(vs_cli_uri(cli), show_verb, &conn, &err) < 0)
		return vs_cli_fail_err(&err, "policy");
	r = run(cli, &a, conn, &err);
	virConnectClose(conn);
	return r < 0 ? vs_cli_fail_err(&err, "policy") : VS_EXIT_OK;
}
