#include "config.h"

#include <string.h>
#include <libvirt/virterror.h>

#include "cli.h"
#include "json-out.h"
#include "libvirt.h"
#include "options.h"
#include "policy.h"
#include "state.h"

/* The ids of main.c's option table */
enum { OPT_CONFIG = 'C', OPT_LIVE = 'L', OPT_VF = 'v', OPT_GUEST_MAC = 'm', OPT_NETWORK = 'N' };

struct policy_args {
	const char *verb;
	const char *domain;
	unsigned flags;               /* VIR_DOMAIN_AFFECT_* */
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

static int print_rule_setting(const struct vs_vf_field *f, const char *value, void *data)
{
	return json_object_object_add(data, f->name, json_object_new_string(value));
}

static int show(const struct vs_cli *cli, const struct policy_args *a, const struct vs_policy *pol)
{
	_cleanup_free_ char *xml = NULL;
	json_object *o, *rules;
	int status;

	if (!cli->json) {
		if (pol->n && vs_policy_format(pol, &xml) < 0)
			return vs_cli_fail(VS_EXIT_FAILURE, "policy: out of memory");
		if (xml)
			fputs(xml, stdout);
		return VS_EXIT_OK;
	}
	o = json_object_new_object();
	rules = json_object_new_array();
	json_object_object_add(o, "domain", json_object_new_string(a->domain));
	json_object_object_add(o, "rules", rules);
	for (size_t i = 0; i < pol->n; i++) {
		json_object *r = json_object_new_object(), *s = json_object_new_object();

		json_object_object_add(r, "selector", json_object_new_string(vs_selector_name(pol->rules[i].sel)));
		json_object_object_add(r, "match", pol->rules[i].match ? json_object_new_string(pol->rules[i].match) : NULL);
		vs_vf_config_foreach(&pol->rules[i].cfg, print_rule_setting, s);
		json_object_object_add(r, "settings", s);
		json_object_array_add(rules, r);
	}
	status = vs_json_print_unspaced(o) < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
	json_object_put(o);
	return status;
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
	else if (r == 0 && (r = change(a, &pol, err)) == 0)
		r = cli->dry_run ? (show(cli, a, &pol) == VS_EXIT_OK ? 0 : -EIO) : vs_libvirt_policy_put(dom, a->flags, &pol, err);
	vs_policy_free(&pol);
	virDomainFree(dom);
	return r;
}

int vs_cmd_policy(struct vs_cli *cli, int argc, char **argv)
{
	struct policy_args a = { 0 };
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;
	bool show_verb;
	int r;

	r = parse_args(cli, argc, argv, &a);
	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	show_verb = strcmp(a.verb, "show") == 0;
	if (!show_verb && strcmp(a.verb, "set") != 0 && strcmp(a.verb, "clear") != 0)
		return vs_cli_fail(VS_EXIT_USAGE, "policy: '%s' is not show, set or clear", a.verb);
	if (vs_libvirt_open(vs_cli_uri(cli), show_verb, &conn, &err) < 0)
		return vs_cli_fail_err(&err, "policy");
	r = run(cli, &a, conn, &err);
	virConnectClose(conn);
	return r < 0 ? vs_cli_fail_err(&err, "policy") : VS_EXIT_OK;
}
