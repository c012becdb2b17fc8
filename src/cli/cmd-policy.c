#include "config.h"

#include <getopt.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "cli.h"
#include "json-out.h"
#include "libvirt.h"
#include "options.h"
#include "policy.h"
#include "state.h"

enum { OPT_CONFIG = 1000, OPT_LIVE, OPT_VF, OPT_GUEST_MAC, OPT_NETWORK, OPT_SETTING };

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

static void usage(const char *prog)
{
	printf("Usage: %s policy show DOMAIN [--config|--live] [--json]\n"
	       "       %s policy set DOMAIN [--vf ADDR|--guest-mac MAC|--network NET] SETTINGS [--config] [--live]\n"
	       "       %s policy clear DOMAIN [--vf ADDR|--guest-mac MAC|--network NET] [--config] [--live]\n"
	       "SETTINGS: ", prog, prog, prog);
	vs_cli_settings_usage(stdout, 10, "          ", 100);
	printf("Without a selector, a rule applies to every VF of the guest.  The host's\n"
	       "virt-sriov.conf decides whether spoofchk off and trust on are allowed.\n");
}

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

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct policy_args *a)
{
	struct option opts[32] = {
		{ "config", no_argument, NULL, OPT_CONFIG }, { "live", no_argument, NULL, OPT_LIVE },
		{ "vf", required_argument, NULL, OPT_VF }, { "guest-mac", required_argument, NULL, OPT_GUEST_MAC },
		{ "network", required_argument, NULL, OPT_NETWORK }, { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
	};
	size_t n = 7;
	struct vs_error err = { 0 };
	int c, idx;

	vs_cli_setting_options(opts, &n, OPT_SETTING);
	vs_vf_config_init(&a->cfg, -1);
	while ((c = getopt_long(argc, argv, "jh", opts, &idx)) != -1) {
		if (c == 'h') {
			usage(cli->prog);
			return VS_EXIT_DONE;
		}
		if (c == 'j') {
			cli->json = true;
			continue;
		}
		if (c == '?' || set_option(a, c, opts[idx].name, optarg, &err) < 0)
			return c == '?' ? VS_EXIT_USAGE : vs_cli_usage_error("policy", &err);
	}
	if (argc - optind != 2)
		return vs_cli_fail(VS_EXIT_USAGE, "policy: expected show|set|clear and DOMAIN (see policy --help)");
	a->verb = argv[optind];
	a->domain = argv[optind + 1];
	return VS_EXIT_OK;
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
