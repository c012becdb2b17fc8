/* virt-sriov xml network PF [--name N] [--vfs SET] [--vlan ID] [--template FILE]
 * virt-sriov xml network PF... --numa N [--name N] [--vlan ID] [--template FILE]
 * virt-sriov xml hostdev VF [--interface] [--mac M] [--vlan ID] [--template FILE]
 * virt-sriov xml hostdev --failover POOL [--bridge BR|--network NET] [--mac M]
 *
 * Prints libvirt XML made from the templates; nothing on stdout on error. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json-out.h"
#include "inventory.h"
#include "load.h"
#include "numa.h"
#include "options.h"
#include "vfset.h"
#include "xmlgen.h"

struct xml_args {
	const char *what;             /* "network" or "hostdev" */
	const char *device;           /* its PF or VF */
	const char *name, *vfs, *template_file, *mac;
	const char *failover, *bridge, *network;  /* --failover POOL and its virtio half */
	int vlan;
	bool interface;
	const char *numa;             /* xml network --numa N */
	char **pfs;                   /* with --numa: every PF given */
	size_t n_pfs;
};

/* argv[0] is "xml", argv[1] the verb (main.c found it: cli->cmd). */
static int parse_args(struct vs_cli *cli, int argc, char **argv, struct xml_args *a)
{
	struct vs_getopt g;
	int c;

	if (cli->cmd->verbs)
		return vs_cli_no_verb(cli, argc, argv);
	a->what = argv[1];
	a->vlan = -1;
	vs_cli_getopt_init(&g, cli, argc - 1, argv + 1);
	while ((c = vs_cli_getopt(&g)) > 0) {
		switch (c) {
		case 'N': a->name = g.arg; break;
		case 'v': a->vfs = g.arg; break;
		case 'l': if (vs_cli_parse_vlan_id(cli->cmd->name, g.arg, &a->vlan) != VS_EXIT_OK) return VS_EXIT_USAGE; break;
		case 'm': a->mac = g.arg; break;
		case 'i': a->interface = true; break;
		case 't': a->template_file = g.arg; break;
		case 'F': a->failover = g.arg; break;
		case 'B': a->bridge = g.arg; break;
		case 'W': a->network = g.arg; break;
		case 'U': a->numa = g.arg; break;
		}
	}
	if (c < 0)
		return g.status;
	if (a->failover && g.npos == 0)
		return vs_cli_ready(&g);
	if (a->failover)
		return vs_cli_fail(VS_EXIT_USAGE, "xml hostdev: --failover takes its VF from pool %s when the guest starts: "
				   "drop the VF argument (a fixed VF cannot follow the guest to another host)", a->failover);
	if (a->numa && (strspn(a->numa, "0123456789") != strlen(a->numa) || !*a->numa || strlen(a->numa) > 4))
		return vs_cli_fail(VS_EXIT_USAGE, "%s: --numa '%s': give a node number", cli->cmd->name, a->numa);
	if (a->numa && a->vfs)
		return vs_cli_fail(VS_EXIT_USAGE, "%s: --numa takes every VF of the PFs on the node: drop --vfs", cli->cmd->name);
	a->pfs = g.pos;
	a->n_pfs = (size_t)g.npos;
	if (a->numa && g.npos >= 1)
		g.npos = 1;
	if (g.npos != 1)
		return vs_cli_fail(VS_EXIT_USAGE, "%s: expected one %s, got %d arguments", cli->cmd->name,
				   a->what[0] == 'n' ? "PF" : "VF", g.npos);
	a->device = g.pos[0];
	return vs_cli_ready(&g);
}

/* {"kind": "network"|"hostdev", "xml": "...", and what it names: the
 * pool's "name" and its "pf", or the VF's "address"} */
static int print_xml(const struct vs_cli *cli, const char *xml, const char *kind, const char *key, const char *val,
		     const char *pf)
{
	json_object *doc;

	if (!cli->json) {
		fputs(xml, stdout);
		return VS_EXIT_OK;
	}
	doc = vs_json_doc_new();
	if (!doc)
		return vs_cli_fail(VS_EXIT_FAILURE, "xml: out of memory");
	vs_json_set(doc, "kind", json_object_new_string(kind));
	vs_json_set(doc, key, vs_json_str(val));
	if (pf)
		vs_json_set(doc, "pf", vs_json_str(pf));
	vs_json_set(doc, "xml", json_object_new_string(xml));
	return vs_json_doc_print(doc) < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

/* --numa N: one pool of the VFs of the PFs on node N.  Takes host. */
static int xml_network_numa(struct vs_cli *cli, const struct xml_args *o, struct vs_host *host,
			    const struct vs_template_paths *paths)
{
	struct vs_numa_pool_request req = { .pfs = o->pfs, .n_pfs = o->n_pfs, .node = atoi(o->numa),
					     .name = o->name, .vlan = o->vlan };
	struct vs_numa_host numa;
	struct vs_error err = { 0 };
	_cleanup_free_ char *xml = NULL;
	char name[256];
	int r = vs_numa_host_load(&cli->sysfs, &numa, &err);

	req.numa = &numa;
	if (r == 0)
		r = vs_pool_numa_xml(host, paths, &req, name, sizeof(name), &xml, &err);
	vs_numa_host_free(&numa);
	vs_host_free(host);
	if (r < 0)
		return vs_cli_fail_err(&err, "xml network");
	return print_xml(cli, xml, "network", "name", name, NULL);
}

static int xml_network(struct vs_cli *cli, const struct xml_args *o, const char *pf)
{
	struct vs_pool_request req = { .pf = pf, .name = o->name, .vfs = o->vfs, .vlan = o->vlan };
	struct vs_template_paths paths;
	struct vs_error err = { 0 };
	struct vs_host *host = NULL;
	_cleanup_free_ char *xml = NULL;
	char name[256], pf_address[VS_PCI_ADDR_MAX];
	const struct vs_pf *found;
	int r;

	if (o->mac || o->interface)
		return vs_cli_fail(VS_EXIT_USAGE, "xml network: --mac and --interface belong to 'xml hostdev'");
	if (vs_cli_load_host(cli, NULL, 0, &host) != 0)
		return VS_EXIT_FAILURE;
	vs_template_paths_default(&paths, o->template_file);
	if (o->numa)
		return xml_network_numa(cli, o, host, &paths);
	r = vs_pool_xml(host, &paths, &req, name, sizeof(name), &xml, &err);
	found = vs_host_find_pf(host, pf);
	snprintf(pf_address, sizeof(pf_address), "%s", found ? found->address : "");
	vs_host_free(host);
	if (r < 0)
		return vs_cli_fail_err(&err, pf);
	return print_xml(cli, xml, "network", "name", name, pf_address);
}

static int resolve_vf(struct vs_host *host, const char *name, const char **address)
{
	_cleanup_free_ struct vs_vf_ref *refs = NULL;
	struct vs_error err = { 0 };
	size_t n = 0;

	if (vs_vfset_resolve(host, name, &refs, &n, &err) < 0)
		return vs_cli_fail_err(&err, name);
	if (n != 1)
		return vs_cli_fail(VS_EXIT_FAILURE, "%s: names %zu VFs; give exactly one", name, n);
	*address = refs[0].vf->address;
	return 0;
}

static int build_hostdev_spec(const struct xml_args *o, struct vs_hostdev_spec *spec)
{
	struct vs_error err = { 0 };

	spec->interface = o->interface;
	spec->vlan = o->vlan;
	if (!o->interface && (o->mac || o->vlan >= 0))
		return vs_cli_fail(VS_EXIT_USAGE, "--mac and --vlan need --interface (a plain <hostdev> has neither)");
	if (o->mac) {
		struct vs_vf_config c;

		vs_vf_config_init(&c, 0);
		if (vs_vf_config_parse(&c, "mac", o->mac, &err) < 0 || vs_vf_config_check(&c, &err) < 0)
			return vs_cli_usage_error("xml hostdev", &err);
		memcpy(spec->mac, c.mac, sizeof(spec->mac));
		spec->has_mac = true;
	}
	return 0;
}

static int xml_hostdev(struct vs_cli *cli, const struct xml_args *o, const char *vf)
{
	struct vs_hostdev_spec spec = { 0 };
	struct vs_template_paths paths;
	struct vs_error err = { 0 };
	struct vs_host *host = NULL;
	_cleanup_free_ char *xml = NULL;
	int r;

	if (o->name || o->vfs)
		return vs_cli_fail(VS_EXIT_USAGE, "xml hostdev: --name and --vfs belong to 'xml network'");
	r = build_hostdev_spec(o, &spec);
	if (r != 0)
		return r;
	if (vs_cli_load_host(cli, NULL, 0, &host) != 0)
		return VS_EXIT_FAILURE;
	r = resolve_vf(host, vf, &spec.vf_address);
	vs_template_paths_default(&paths, o->template_file);
	if (r == 0)
		r = vs_xmlgen_hostdev_string(&paths, &spec, &xml, &err) < 0 ? vs_cli_fail_err(&err, vf) : 0;
	if (r == 0)
		r = print_xml(cli, xml, "hostdev", "address", spec.vf_address, NULL);
	vs_host_free(host);
	return r;
}

/* Both halves, each a whole <interface> (virtio first), for the guest's
 * <devices> or one `virsh attach-device` each. */
static int xml_failover(struct vs_cli *cli, const struct xml_args *o)
{
	struct vs_failover_spec spec = { .pool = o->failover, .backup_source = o->bridge ? o->bridge : o->network };
	_cleanup_free_ char *virtio = NULL, *vf = NULL, *both = NULL;
	struct vs_template_paths paths;
	struct vs_error err = { 0 };
	char alias[VS_FAILOVER_ALIAS_MAX], mac[18];

	if (o->interface || o->vlan >= 0 || o->template_file || o->name || o->vfs)
		return vs_cli_fail(VS_EXIT_USAGE, "xml hostdev --failover takes only --bridge, --network and --mac");
	if (o->bridge && o->network)
		return vs_cli_fail(VS_EXIT_USAGE, "xml hostdev: give --bridge or --network for the virtio half, not both");
	spec.backup = o->bridge ? VS_BACKUP_BRIDGE : o->network ? VS_BACKUP_NETWORK : VS_BACKUP_USER;
	if (o->mac ? vs_parse_mac(o->mac, spec.mac) < 0 : vs_failover_random_mac(spec.mac) < 0)
		return vs_cli_fail(VS_EXIT_USAGE, "xml hostdev: --mac %s: not a MAC address", o->mac);
	vs_template_paths_default(&paths, NULL);
	if (vs_xmlgen_failover_string(&paths, &spec, &virtio, &vf, &err) < 0)
		return vs_cli_fail(err.code == -EINVAL ? VS_EXIT_USAGE : VS_EXIT_FAILURE, "xml hostdev: %s", err.msg);
	if (!cli->json) {
		printf("%s%s", virtio, vf);
		return VS_EXIT_OK;
	}
	vs_failover_alias(spec.mac, alias);
	vs_format_mac(spec.mac, mac);
	json_object *doc = vs_json_doc_new();
	if (!doc || asprintf(&both, "%s%s", virtio, vf) < 0)
		return vs_cli_fail(VS_EXIT_FAILURE, "xml: out of memory");
	vs_json_set(doc, "kind", json_object_new_string("failover"));
	vs_json_set(doc, "network", vs_json_str(o->failover));
	vs_json_set(doc, "alias", vs_json_str(alias));
	vs_json_set(doc, "mac", vs_json_str(mac));
	vs_json_set(doc, "xml", json_object_new_string(both));
	vs_json_set(doc, "virtio_xml", json_object_new_string(virtio));
	vs_json_set(doc, "vf_xml", json_object_new_string(vf));
	return vs_json_doc_print(doc) < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

int vs_cmd_xml(struct vs_cli *cli, int argc, char **argv)
{
	struct xml_args a = { 0 };
	int r = parse_args(cli, argc, argv, &a);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	if (a.what[0] == 'n')
		return xml_network(cli, &a, a.device);
	if (a.failover)
		return xml_failover(cli, &a);
	if (a.bridge || a.network)
		return vs_cli_stop(vs_cli_fail(VS_EXIT_USAGE, "xml hostdev: --bridge and --network belong to --failover"));
	return xml_hostdev(cli, &a, a.device);
}
