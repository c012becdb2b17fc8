/* virt-sriov show PF|VF: one device in detail. */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "json-out.h"
#include "load.h"
#include "options.h"
#include "table-out.h"
#include "vfset.h"

#define ROW "  %-14s "

/* Rates in Mbit/s, as the legacy rates; the kernel keeps bytes/s. */
static void print_rate_groups(const struct vs_pf *pf)
{
	char max[32], share[32];

	for (size_t i = 0; i < pf->n_rate_groups; i++) {
		const struct vs_devlink_rate *g = &pf->rate_groups[i];

		vs_format_mbps(g->tx_max, max, sizeof(max));
		vs_format_mbps(g->tx_share, share, sizeof(share));
		printf(ROW "%s: tx_max %s, tx_share %s Mbps%s%s\n", i ? "" : "Rate groups:", g->name, max, share,
		       g->parent[0] ? ", parent " : "", g->parent);
	}
}

static void print_pf_devlink(const struct vs_pf *pf)
{
	if (pf->eswitch_mode < 0) {
		printf(ROW "%s\n", "Eswitch:", "- (no devlink eswitch, or not readable here)");
		return;
	}
	printf(ROW "%s (devlink %s%s%s)\n", "Eswitch:", vs_eswitch_mode_name(pf->eswitch_mode), pf->devlink,
	       pf->switch_id[0] ? ", switch " : "", pf->switch_id);
	print_rate_groups(pf);
}

static void print_vf_devlink(const struct vs_vf *vf)
{
	const struct vs_vf_devlink *d = &vf->dl;
	char mac[18], max[32], share[32];

	if (!d->has_port)
		return;
	printf(ROW "%u\n", "Devlink port:", d->port);
	printf(ROW "%s%s\n", "Representor:", d->representor[0] ? d->representor : "(none)",
	       d->representor_up < 0 ? "" : d->representor_up ? " (up)" : " (down)");
	if (d->state >= 0 || d->opstate >= 0 || d->has_hw_addr) {
		if (d->has_hw_addr)
			vs_format_mac(d->hw_addr, mac);
		printf(ROW "hw_addr %s, state %s, opstate %s\n", "Port function:", d->has_hw_addr ? mac : "unknown",
		       d->state < 0 ? "unknown" : d->state ? "active" : "inactive",
		       d->opstate < 0 ? "unknown" : d->opstate ? "attached" : "detached");
	}
	if (d->has_rate) {
		vs_format_mbps(d->tx_max, max, sizeof(max));
		vs_format_mbps(d->tx_share, share, sizeof(share));
		printf(ROW "tx_max %s, tx_share %s Mbps%s%s\n", "Devlink rate:", max, share,
		       d->rate_parent[0] ? ", group " : "", d->rate_parent);
	}
}

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
	print_pf_devlink(pf);
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
	print_vf_devlink(vf);
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

static int show(struct vs_cli *cli, const char *name)
{
	char *names[] = { (char *)name, NULL };
	struct vs_host *host = NULL;
	struct vs_error err = { 0 };
	struct vs_vf_ref ref;
	int r;

	r = vs_cli_load_named(cli, names, VS_NAME_ANY,
			      VS_LOAD_SETTINGS | VS_LOAD_NON_PCI | VS_LOAD_NAMES | VS_LOAD_DEVLINK, &host);
	if (r != VS_EXIT_OK)
		return r;
	if (vs_name_resolve(host, name, VS_NAME_ANY, &ref, &err) < 0) {
		vs_host_free(host);
		return vs_cli_fail_err(&err, name);
	}
	vs_cli_load_usage(cli, host);
	vs_print_host_warnings(host);
	if (cli->json)
		r = print_json(host, ref.pf, ref.vf);
	else if (ref.vf)
		print_vf(host, ref.pf, ref.vf);
	else {
		print_pf(ref.pf);
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
	struct vs_getopt g;
	int r;

	if ((r = vs_cli_getopt_common(&g, cli, argc, argv)) != VS_EXIT_OK)
		return r;
	if (g.npos != 1)
		return vs_cli_fail(VS_EXIT_USAGE, "show: expected one PF or VF, got %d arguments (see show --help)", g.npos);
	a->device = g.pos[0];
	return vs_cli_ready(&g);
}

int vs_cmd_show(struct vs_cli *cli, int argc, char **argv)
{
	struct show_args a = { 0 };
	int r = parse_args(cli, argc, argv, &a);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	return show(cli, a.device);
}
