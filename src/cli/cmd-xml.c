/* virt-sriov xml network PF [--name N] [--vfs SET] [--vlan ID] [--template FILE]
 * virt-sriov xml hostdev VF [--interface] [--mac M] [--vlan ID] [--template FILE]
 *
 * Prints libvirt XML made from the templates; nothing on stdout on error. */
#include "config.h"

#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "inventory.h"
#include "output.h"
#include "vfset.h"
#include "xmlgen.h"

struct xml_opts {
	const char *name, *vfs, *template_file, *mac;
	int vlan;
	bool interface;
};

static int parse_vlan(const char *s, int *out)
{
	long v;

	if (vs_parse_long(s, 10, &v) < 0 || v < 0 || v > 4094)
		return vs_cli_fail(VS_EXIT_USAGE, "--vlan %s: not a VLAN ID (0-4094)", s);
	*out = (int)v;
	return 0;
}

/* Returns the index of the first positional argument, or -1 after a usage error. */
static int parse_opts(int argc, char **argv, struct xml_opts *o)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'N' },
		{ "vfs", required_argument, NULL, 'v' },
		{ "vlan", required_argument, NULL, 'l' },
		{ "mac", required_argument, NULL, 'm' },
		{ "interface", no_argument, NULL, 'i' },
		{ "template", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->vlan = -1;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'N': o->name = optarg; break;
		case 'v': o->vfs = optarg; break;
		case 'l': if (parse_vlan(optarg, &o->vlan) != 0) return -1; break;
		case 'm': o->mac = optarg; break;
		case 'i': o->interface = true; break;
		case 't': o->template_file = optarg; break;
		default: return -1;
		}
	}
	return optind;
}

static int xml_network(struct vs_cli *cli, const struct xml_opts *o, const char *pf)
{
	struct vs_pool_request req = { .pf = pf, .name = o->name, .vfs = o->vfs, .vlan = o->vlan };
	struct vs_template_paths paths;
	struct vs_error err = { 0 };
	struct vs_host *host = NULL;
	_cleanup_free_ char *xml = NULL;
	char name[256];
	int r;

	if (o->mac || o->interface)
		return vs_cli_fail(VS_EXIT_USAGE, "xml network: --mac and --interface belong to 'xml hostdev'");
	if (vs_cli_load_host(cli, NULL, 0, &host) != 0)
		return VS_EXIT_FAILURE;
	vs_template_paths_default(&paths, o->template_file);
	r = vs_pool_xml(host, &paths, &req, name, sizeof(name), &xml, &err);
	vs_host_free(host);
	if (r < 0)
		return vs_cli_fail_err(&err, pf);
	fputs(xml, stdout);
	return VS_EXIT_OK;
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

static int build_hostdev_spec(const struct xml_opts *o, struct vs_hostdev_spec *spec)
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

static int xml_hostdev(struct vs_cli *cli, const struct xml_opts *o, const char *vf)
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
	vs_host_free(host);
	if (r != 0)
		return r;
	fputs(xml, stdout);
	return VS_EXIT_OK;
}

int vs_cmd_xml(struct vs_cli *cli, int argc, char **argv)
{
	struct xml_opts o = { 0 };
	const char *what = argc > 1 ? argv[1] : "";
	int first;

	if (strcmp(what, "network") != 0 && strcmp(what, "hostdev") != 0)
		return vs_cli_fail(VS_EXIT_USAGE, "usage: xml network PF [--name N] [--vfs SET] [--vlan ID] [--template FILE]"
				   " | xml hostdev VF [--interface] [--mac M] [--vlan ID] [--template FILE]");
	first = parse_opts(argc - 1, argv + 1, &o);
	if (first < 0)
		return VS_EXIT_USAGE;
	if (argc - 1 - first != 1)
		return vs_cli_fail(VS_EXIT_USAGE, "xml %s: give exactly one %s", what,
				   what[0] == 'n' ? "PF" : "VF");
	if (what[0] == 'n')
		return xml_network(cli, &o, argv[1 + first]);
	return xml_hostdev(cli, &o, argv[1 + first]);
}
