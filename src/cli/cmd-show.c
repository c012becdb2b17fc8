/* virt-sriov show PF|VF: one device in detail. */
#include "config.h"

#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "json-out.h"
#include "load.h"
#include "table-out.h"
#include "vfset.h"

#define ROW "  %-14s "

static void print_pf(const struct vs_pf *pf)
{
	printf("PF %s%s%s%s\n", pf->address, pf->netdev[0] ? " (" : "", pf->netdev, pf->netdev[0] ? ")" : "");
	printf(ROW "%04x:%04x %s %s\n", "Device:", pf->vendor_id, pf->device_id, pf->vendor_name, pf->device_name);
	printf(ROW "%s\n", "Driver:", pf->driver[0] ? pf->driver : "(none)");
	printf(ROW, "Netdevs:");
	for (char **n = pf->netdevs; n && *n; n++)
		printf("%s%s", *n, n[1] ? " " : "");
	printf("%s\n", pf->netdevs ? "" : "(none)");
	printf(ROW "%d\n", "NUMA node:", pf->numa_node);
	printf(ROW "%d\n", "IOMMU group:", pf->iommu_group);
	printf(ROW "%d of %d (VF device %04x:%04x, offset %d, stride %d)\n", "VFs:", pf->numvfs, pf->totalvfs,
	       pf->vendor_id, pf->vf_device_id, pf->vf_offset, pf->vf_stride);
	printf(ROW "%s\n", "VF autoprobe:", pf->drivers_autoprobe < 0 ? "unknown" : pf->drivers_autoprobe ? "on" : "off");
	printf(ROW "%s\n", "VF settings:", pf->vf_settings_na ? "- (not applicable)"
					   : pf->vf_configs_known ? "complete" : "incomplete (see warnings)");
}

static const char *or_unknown(const char *s)
{
	return s ? s : "unknown";
}

static void print_vf_settings(const struct vs_pf *pf, const struct vs_vf *vf)
{
	const struct vs_vf_config *c = &vf->config;
	char mac[18] = "unknown", proto[16], spoof[16], trust[16], link[16], rss[16];

	if (pf->vf_settings_na) {
		printf(ROW "%s\n", "Settings:", "- (not applicable: the PF is no network device)");
		return;
	}
	if (!vf->config_known) {
		printf(ROW "%s\n", "Settings:", "unknown (see warnings)");
		return;
	}
	if (c->has_mac)
		vs_format_mac(c->mac, mac);
	printf(ROW "%s\n", "MAC:", mac);
	printf(ROW "%d (qos %d, %s)\n", "VLAN:", c->vlan, c->qos, or_unknown(vs_setting_text(c, "vlan-proto", proto, sizeof(proto))));
	printf(ROW "%s\n", "Spoof check:", or_unknown(vs_setting_text(c, "spoofchk", spoof, sizeof(spoof))));
	printf(ROW "%s\n", "Trust:", or_unknown(vs_setting_text(c, "trust", trust, sizeof(trust))));
	printf(ROW "%s\n", "Link state:", or_unknown(vs_setting_text(c, "link-state", link, sizeof(link))));
	printf(ROW "%lld / %lld Mbps\n", "TX rate min/max:", c->min_tx_rate, c->max_tx_rate);
	printf(ROW "%s\n", "Query RSS:", or_unknown(vs_setting_text(c, "query-rss", rss, sizeof(rss))));
}

static void print_vf(const struct vs_host *host, const struct vs_pf *pf, const struct vs_vf *vf)
{
	printf("VF %s (%s#%u)\n", vf->address[0] ? vf->address : "-", pf->netdev[0] ? pf->netdev : pf->address,
	       vf->index);
	printf(ROW "%s%s%s%s\n", "PF:", pf->address, pf->netdev[0] ? " (" : "", pf->netdev, pf->netdev[0] ? ")" : "");
	printf(ROW "%04x:%04x\n", "Device:", pf->vendor_id, pf->vf_device_id);
	printf(ROW "%s\n", "Driver:", vf->driver[0] ? vf->driver : "(none)");
	printf(ROW "%s\n", "Netdev:", vf->netdev[0] ? vf->netdev : "(none)");
	printf(ROW "%d\n", "IOMMU group:", vf->iommu_group);
	print_vf_settings(pf, vf);
	printf(ROW "%s\n", "In use by:", !host->usage_known ? "unknown" : vf->in_use_by ? vf->in_use_by : "(free)");
}

/* {"pf": {...}} or {"vf": {..., "pf", "pf_netdev"}}, the objects of list --json. */
static int print_json(const struct vs_host *host, const struct vs_pf *pf, const struct vs_vf *vf)
{
	json_object *doc = vs_json_doc_new();
	json_object *obj = vf ? vs_json_vf(pf, vf, host->usage_known) : vs_json_pf(pf, host->usage_known);
	int r = obj && doc ? 0 : -ENOMEM;

	if (r == 0 && vf)
		r = vs_json_set(obj, "pf", vs_json_str(pf->address));
	if (r == 0 && vf)
		r = vs_json_set(obj, "pf_netdev", vs_json_str(pf->netdev));
	if (r == 0)
		r = vs_json_set(doc, vf ? "vf" : "pf", TAKE_PTR(obj));
	if (r == 0)
		r = vs_json_set(doc, "usage_known", json_object_new_boolean(host->usage_known));
	json_object_put(obj);
	if (r < 0) {
		json_object_put(doc);
		return r;
	}
	return vs_json_doc_print(doc);
}

/* The PF address of NAME (a PF, or one VF), and the VF's number if it is
 * one (-1 for a PF): netdevsim's VFs have no address. */
static int locate(struct vs_cli *cli, const char *name, char *pf_addr, int *vf_index)
{
	struct vs_host *host = NULL;
	struct vs_vf_ref *refs = NULL;
	struct vs_error err = { 0 };
	struct vs_pf *pf;
	size_t n = 0;
	int r;

	r = vs_cli_load_host(cli, NULL, VS_LOAD_NON_PCI, &host);
	if (r != VS_EXIT_OK)
		return r;
	*vf_index = -1;
	pf = vs_host_find_pf(host, name);
	if (pf) {
		snprintf(pf_addr, VS_PCI_ADDR_MAX, "%s", pf->address);
	} else if (vs_vfset_resolve(host, name, &refs, &n, &err) < 0) {
		if (err.code == -ENOENT && !strchr(name, '#'))
			r = vs_cli_fail(VS_EXIT_FAILURE, "'%s': no such PF or VF (give a netdev, a PCI address or PF#N)", name);
		else
			r = vs_cli_fail_err(&err, name);
	} else if (n != 1) {
		r = vs_cli_fail(VS_EXIT_USAGE, "'%s' names %zu VFs; show takes one device", name, n);
	} else {
		snprintf(pf_addr, VS_PCI_ADDR_MAX, "%s", refs[0].pf->address);
		*vf_index = (int)refs[0].vf->index;
	}
	free(refs);
	vs_host_free(host);
	return r;
}

static int show(struct vs_cli *cli, const char *name)
{
	char pf_addr[VS_PCI_ADDR_MAX];
	char *only[] = { pf_addr, NULL };
	int vf_index = -1;
	struct vs_host *host = NULL;
	struct vs_pf *pf = NULL;
	struct vs_vf *vf = NULL;
	int r;

	r = locate(cli, name, pf_addr, &vf_index);
	if (r == VS_EXIT_OK)
		r = vs_cli_load_host(cli, only, VS_LOAD_SETTINGS | VS_LOAD_NON_PCI | VS_LOAD_NAMES,
					     &host);
	if (r != VS_EXIT_OK)
		return r;
	vs_cli_load_usage(cli, host);
	pf = vs_host_find_pf(host, pf_addr);
	for (size_t i = 0; pf && vf_index >= 0 && i < pf->n_vfs; i++)
		if (pf->vfs[i].index == (unsigned)vf_index)
			vf = &pf->vfs[i];
	if (!pf || (vf_index >= 0 && !vf)) {
		vs_host_free(host);
		return vs_cli_fail(VS_EXIT_FAILURE, "%s: disappeared while reading it", name);
	}
	vs_print_host_warnings(host);
	if (cli->json)
		r = print_json(host, pf, vf);
	else if (vf)
		print_vf(host, pf, vf);
	else {
		print_pf(pf);
		putchar('\n');
		r = vs_print_host_table(host);
	}
	vs_host_free(host);
	return r < 0 ? vs_cli_fail(VS_EXIT_FAILURE, "cannot print %s: %s", name, strerror(-r)) : VS_EXIT_OK;
}

struct show_args {
	const char *device;           /* PF or VF */
};

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct show_args *a)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'j') {
			cli->json = true;
		} else if (c == 'h') {
			puts("Usage: virt-sriov [--json] show PF|VF   (PF: netdev or PCI address; VF: PCI address or PF#N)");
			return VS_EXIT_DONE;
		} else {
			return vs_cli_fail(VS_EXIT_USAGE, "usage: virt-sriov [--json] show PF|VF");
		}
	}
	if (argc - optind != 1)
		return vs_cli_fail(VS_EXIT_USAGE, "usage: virt-sriov [--json] show PF|VF");
	a->device = argv[optind];
	return VS_EXIT_OK;
}

int vs_cmd_show(struct vs_cli *cli, int argc, char **argv)
{
	struct show_args a = { 0 };
	int r = parse_args(cli, argc, argv, &a);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	return show(cli, a.device);
}
