#include "config.h"

#include <string.h>

#include "attach-cli.h"
#include "attach.h"
#include "cli.h"
#include "json-out.h"
#include "libvirt.h"
#include "options.h"
#include "policy.h"

/* The ids of main.c's option table */
enum { OPT_PF = 'P', OPT_NETWORK = 'N', OPT_VF = 'v', OPT_INTERFACE = 'i', OPT_LIVE = 'L', OPT_CONFIG = 'C',
       OPT_FORCE = 'f', OPT_NUMA = 'U', OPT_NUMA_POLICY = 'Y', OPT_FAILOVER = 'F', OPT_BRIDGE = 'B' };

struct attach_args {
	struct vs_attach_req req;
	int sources;
	const char *failover_pool;
	bool numa_policy;
};

static int numa_policy(struct attach_args *a, const char *value, struct vs_error *err)
{
	if (strcmp(value, "required") != 0 && strcmp(value, "preferred") != 0)
		return vs_error_set(err, -EINVAL, "--numa-policy '%s': give required or preferred", value);
	a->req.numa_required = value[0] == 'r';
	a->numa_policy = true;
	return 0;
}

/* --failover POOL: the VF comes from POOL on whichever host runs the
 * guest, and --network names the virtio half's network. */
static int check_failover(struct attach_args *a, struct vs_error *err)
{
	if (!a->req.failover)
		return a->req.bridge ? vs_error_set(err, -EINVAL, "--bridge belongs to --failover") : 0;
	if (a->req.pf || a->req.vf)
		return vs_error_set(err, -EINVAL, "--failover takes its VF from pool %s on each host: a fixed VF (--pf, --vf) "
				    "cannot follow the guest to another host", a->failover_pool);
	if (a->req.kind == VS_ATTACH_INTERFACE)
		return vs_error_set(err, -EINVAL, "--failover attaches interfaces on pool %s: drop --interface",
				    a->failover_pool);
	if (a->req.numa)
		return vs_error_set(err, -EINVAL, "--numa with --failover: pool %s picks the VF on each host", a->failover_pool);
	if (a->req.bridge && a->req.network)
		return vs_error_set(err, -EINVAL, "give --bridge or --network for the virtio half, not both");
	if (a->req.cfg.vlan >= 0)
		return vs_error_set(err, -EINVAL, "--vlan with --failover: give the VLAN to the pool (xml network --vlan) "
				    "and to the virtio half's network");
	a->req.backup_network = a->req.network;
	a->req.network = a->failover_pool;
	a->sources = 1;
	return 0;
}

static int set_option(struct attach_args *a, int c, const char *name, char *value, struct vs_error *err)
{
	switch (c) {
	case OPT_PF: a->req.pf = value; a->sources++; return 0;
	case OPT_NETWORK: a->req.network = value; a->sources++; return 0;
	case OPT_VF: a->req.vf = value; a->sources++; return 0;
	case OPT_INTERFACE: a->req.kind = VS_ATTACH_INTERFACE; return 0;
	case OPT_LIVE: a->req.flags |= VIR_DOMAIN_AFFECT_LIVE; return 0;
	case OPT_CONFIG: a->req.flags |= VIR_DOMAIN_AFFECT_CONFIG; return 0;
	case OPT_FORCE: a->req.force = true; return 0;
	case OPT_FAILOVER: a->req.failover = true; a->failover_pool = value; return 0;
	case OPT_BRIDGE: a->req.bridge = value; return 0;
	case OPT_NUMA: a->req.numa = value; return 0;
	case OPT_NUMA_POLICY: return numa_policy(a, value, err);
	default: return vs_vf_config_parse(&a->req.cfg, name, value, err);
	}
}

/* Combinations refused before anything is looked at. */
static int check_args(struct attach_args *a, struct vs_error *err)
{
	const struct vs_vf_config *c = &a->req.cfg;

	if (check_failover(a, err) < 0)
		return -EINVAL;
	if (a->req.numa && a->req.vf)
		return vs_error_set(err, -EINVAL, "--numa chooses the VF: it does not go with --vf");
	if (a->numa_policy && !a->req.numa)
		return vs_error_set(err, -EINVAL, "--numa-policy needs --numa");
	if (a->req.numa && strcmp(a->req.numa, "auto") != 0 && (!*a->req.numa || strspn(a->req.numa, "0123456789")  != strlen(a->req.numa)))
		return vs_error_set(err, -EINVAL, "--numa '%s': give auto or a node number", a->req.numa);
	if (a->sources != 1 && !(a->sources == 0 && a->req.numa))
		return vs_error_set(err, -EINVAL, "give exactly one of --pf, --network, --vf, --failover (or --numa alone)");
	if (a->req.network && a->req.kind == VS_ATTACH_INTERFACE)
		return vs_error_set(err, -EINVAL, "--network always attaches an <interface>: drop --interface");
	if (a->req.network)
		a->req.kind = VS_ATTACH_NETWORK;
	if (a->req.kind != VS_ATTACH_HOSTDEV && (c->qos >= 0 || c->vlan_proto >= 0))
		return vs_error_set(err, -EINVAL, "--vlan with QoS or protocol: libvirt sets an <interface>'s VLAN tag only; "
				    "attach a plain <hostdev> (without --interface) for those");
	if (a->req.kind == VS_ATTACH_HOSTDEV && c->vlan_proto >= 0 && c->vlan < 0)
		return vs_error_set(err, -EINVAL, "--vlan-proto needs --vlan");
	return 0;
}

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct attach_args *a)
{
	struct vs_error err = { 0 };
	struct vs_getopt g;
	int c;

	vs_cli_getopt_init(&g, cli, argc, argv);
	vs_vf_config_init(&a->req.cfg, -1);
	while ((c = vs_cli_getopt(&g)) > 0)
		if (set_option(a, c, g.name, g.arg, &err) < 0)
			return vs_cli_usage_error("attach", &err);
	if (c < 0)
		return g.status;
	if (g.npos != 1)
		return vs_cli_fail(VS_EXIT_USAGE, "attach: expected one DOMAIN, got %d arguments (see attach --help)", g.npos);
	a->req.domain = g.pos[0];
	if (check_args(a, &err) < 0)
		return vs_cli_fail(VS_EXIT_USAGE, "attach: %s", err.msg);
	if (vs_cli_check_settings(&a->req.cfg, "attach") != VS_EXIT_OK)
		return VS_EXIT_USAGE;
	if ((c = vs_cli_ready(&g)) != VS_EXIT_OK)
		return c;
	/* the free-VF choice's lock is this machine's: it cannot keep two
	 * workstations from picking the same VF of the remote host */
	if (cli->remote[0] && !a->req.network && !a->req.force)
		return vs_cli_fail(VS_EXIT_USAGE, "attach --%s over a remote URI is not race-free (the free-VF choice "
				   "locks on this machine, not on %s): use --network POOL, run it on %s, or --force",
				   a->req.pf ? "pf" : "vf", cli->remote, cli->remote);
	return VS_EXIT_OK;
}

/* The document: PF and VF named as list --json and show name them. */
static json_object *result_json(const struct vs_attach_result *r, bool numa, bool dry_run)
{
	json_object *o = vs_json_doc_new();
	char vf[VS_PCI_ADDR_MAX + 16] = "";

	if (r->index >= 0)
		snprintf(vf, sizeof(vf), "%s#%d", r->pf[0] ? r->pf : r->pf_address, r->index);
	vs_json_set(o, "domain", vs_json_str(r->domain));
	vs_json_set(o, "uuid", vs_json_str(r->uuid));
	vs_json_set(o, "kind", vs_json_str(vs_attach_kind_name(r->kind)));
	vs_json_set(o, "address", vs_json_str(r->address));
	vs_json_set(o, "vf", vs_json_str(vf));
	vs_json_set(o, "pf", vs_json_str(r->pf_address));
	vs_json_set(o, "pf_netdev", vs_json_str(r->pf));
	vs_json_set(o, "index", vs_json_int(r->index));
	vs_json_set(o, "mac", vs_json_str(r->mac));
	vs_json_set(o, "network", vs_json_str(r->network));
	vs_json_set(o, "live", json_object_new_boolean(r->flags & VIR_DOMAIN_AFFECT_LIVE));
	vs_json_set(o, "config", json_object_new_boolean(r->flags & VIR_DOMAIN_AFFECT_CONFIG));
	vs_json_set(o, "settings", vs_cli_settings_json(&r->settings));
	vs_json_set(o, "applied", json_object_new_boolean(r->applied));
	vs_json_set(o, "stored", json_object_new_boolean(r->stored));
	if (r->alias[0])
		vs_json_set(o, "failover_alias", vs_json_str(r->alias));
	if (numa)
		vs_json_set(o, "numa_node", vs_json_int(r->numa_node));
	vs_json_set(o, "dry_run", json_object_new_boolean(dry_run));
	return o;
}

static void print_planned(const struct vs_attach_result *r)
{
	if (r->kind == VS_ATTACH_NETWORK)
		printf("would attach an interface on pool %s to guest %s (%s)\n", r->network, r->domain,
		       vs_cli_flags_text(r->flags));
	else
		printf("would attach VF %s (%s#%d) to guest %s (%s)\n", r->address, r->pf[0] ? r->pf : r->pf_address,
		       r->index, r->domain, vs_cli_flags_text(r->flags));
	if (r->numa_node >= 0)
		printf("  NUMA node of its PF: %d%s%s%s\n", r->numa_node, r->numa_why[0] ? " (guest: " : "", r->numa_why,
		       r->numa_why[0] ? ")" : "");
}

static void print_result(const struct vs_attach_result *r)
{
	static const char *const element[] = {
		[VS_ATTACH_HOSTDEV] = "<hostdev>", [VS_ATTACH_INTERFACE] = "<interface type='hostdev'>",
		[VS_ATTACH_NETWORK] = "<interface type='network'>",
	};
	_cleanup_free_ char *settings = vs_cli_settings_text(&r->settings);
	const char *where = vs_cli_flags_text(r->flags);

	if (r->alias[0])
		printf("attached a failover pair to guest %s (%s): virtio interface %s and an interface on pool %s, "
		       "MAC %s%s\n", r->domain, where, r->alias, r->network, r->mac,
		       r->flags & VIR_DOMAIN_AFFECT_LIVE ? "" : ": the pool picks its VF when the guest starts");
	else if (r->kind == VS_ATTACH_NETWORK)
		printf("attached an interface on pool %s (MAC %s) to guest %s as %s (%s)%s\n", r->network, r->mac,
		       r->domain, element[r->kind], where,
		       r->flags & VIR_DOMAIN_AFFECT_LIVE ? "" : ": the pool picks its VF when the guest starts");
	else
		printf("attached VF %s (%s#%d, MAC %s) to guest %s as %s (%s)\n", r->address,
		       r->pf[0] ? r->pf : r->pf_address, r->index, r->mac[0] ? r->mac : "unknown", r->domain,
		       element[r->kind], where);
	if (settings && *settings)
		printf("  VF settings (host defaults, guest policy, command line) %s: %s\n",
		       r->applied ? "applied now" : "applied by the hook when the guest starts", settings);
}

int vs_cmd_attach(struct vs_cli *cli, int argc, char **argv)
{
	struct attach_args a = { 0 };
	struct vs_attach_result res;
	struct vs_cli_attach ctx;
	struct vs_error err = { 0 };
	int r = parse_args(cli, argc, argv, &a);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	a.req.dry_run = cli->dry_run;
	r = vs_cli_attach_open(cli, &ctx);
	if (r != VS_EXIT_OK)
		return r;
	r = vs_attach(&ctx.env, &a.req, &res, &err);
	vs_cli_attach_close(&ctx);
	if (res.numa_note[0])   /* --numa: a fallback, or nothing to go by */
		vs_cli_warn("%s", res.numa_note);
	if (r < 0)
		return vs_cli_fail_err(&err, "attach");
	if (cli->json) {
		if (vs_json_doc_print(result_json(&res, a.req.numa, cli->dry_run)) < 0)
			return VS_EXIT_FAILURE;
	} else if (cli->dry_run) {
		print_planned(&res);
	} else {
		print_result(&res);
		if (res.numa_node >= 0)
			printf("  NUMA node of its PF: %d%s%s%s\n", res.numa_node, res.numa_why[0] ? " (guest: " : "",
			       res.numa_why, res.numa_why[0] ? ")" : "");
	}
	return VS_EXIT_OK;
}
