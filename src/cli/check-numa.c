/* check --guests: VFs on another NUMA node than their guest.  Only nodes
 * that are known count: a guest without <numatune> or pinned vCPUs, and a
 * PF whose numa_node is -1 on a host with several nodes, are skipped. */
#include "config.h"

#include <string.h>

#include "check-numa.h"
#include "libvirt.h"
#include "numa.h"
#include "xml.h"

#define ID "numa-placement"
#define TITLE "Checking that guests' VFs are on their NUMA node"

/* One WARN per VF of guest on a PF off its nodes; returns how many. */
static int guest_vfs(const struct vs_host *host, const struct vs_numa_host *numa, const char *guest,
		     const struct vs_numa_guest *g, struct vs_check_report *rep)
{
	int n = 0;

	for (size_t p = 0; p < host->n_pfs; p++) {
		const struct vs_pf *pf = &host->pfs[p];
		int node = vs_numa_pf_node(numa, pf->numa_node);

		for (size_t i = 0; node >= 0 && i < pf->n_vfs; i++) {
			const struct vs_vf *vf = &pf->vfs[i];
			char msg[640], remedy[384];

			if (!vf->in_use_by || strcmp(vf->in_use_by, guest) != 0 || vs_bits_has(&g->nodes, (unsigned)node))
				continue;
			snprintf(msg, sizeof(msg), "guest %s holds VF %s (%s#%u) of a PF on NUMA node %d; the guest: %s", guest,
				 vf->address, pf->netdev[0] ? pf->netdev : pf->address, vf->index, node, g->why);
			snprintf(remedy, sizeof(remedy), "detach it and attach a VF near the guest: virt-sriov detach %s --vf %s; "
				 "virt-sriov attach %s --numa auto", guest, vf->address, guest);
			if (vs_check_add(rep, ID, TITLE, VS_CHECK_WARN, vf->address, remedy, msg) < 0)
				return -ENOMEM;
			n++;
		}
	}
	return n;
}

static int check_guests(virConnectPtr conn, const struct vs_host *host, const struct vs_numa_host *numa,
			struct vs_check_report *rep, int *checked)
{
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE), warned = 0, r = 0;

	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *xml = r >= 0 ? virDomainGetXMLDesc(doms[i], 0) : NULL;
		struct vs_numa_guest g;

		if (xml && vs_numa_guest_nodes(xml, numa, &g, NULL) == 0 && !vs_bits_empty(&g.nodes)) {
			(*checked)++;
			r = guest_vfs(host, numa, virDomainGetName(doms[i]), &g, rep);
			warned += r > 0 ? r : 0;
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	return n < 0 ? -EIO : r < 0 ? r : warned;
}

int vs_cli_check_numa(struct vs_cli *cli, struct vs_host *host, struct vs_check_report *rep)
{
	struct vs_numa_host numa;
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;
	char msg[1100];
	int checked = 0, r = vs_numa_host_load(&cli->sysfs, &numa, &err);

	if (r == 0)
		r = vs_libvirt_open(vs_cli_uri(cli), true, &conn, &err);
	if (r == 0)
		r = vs_libvirt_fill_usage(conn, host, &err);
	if (r == 0 && (r = check_guests(conn, host, &numa, rep, &checked)) == -EIO)
		vs_error_set(&err, r, "listing the running guests: %s", vs_libvirt_message());
	if (conn)
		virConnectClose(conn);
	vs_numa_host_free(&numa);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		snprintf(msg, sizeof(msg), "not checked: %s", err.msg[0] ? err.msg : strerror(-r));
		return vs_check_add(rep, ID, TITLE, VS_CHECK_WARN, NULL, "run check --guests where libvirt answers", msg);
	}
	if (r > 0)
		return 0;
	snprintf(msg, sizeof(msg), "%d running guest%s with a known NUMA node, every VF on it", checked,
		 checked == 1 ? "" : "s");
	return vs_check_add(rep, ID, TITLE, VS_CHECK_PASS, NULL, NULL, msg);
}

/* ---- plan: the nodes ---- */

static json_object *node_json(int node)
{
	return node >= 0 ? json_object_new_int(node) : NULL;
}

/* {"address": VF, "pf": its PF, "node": the PF's node or null, "near": bool or null} */
static json_object *vf_node(const struct vs_sysfs *fs, const struct vs_numa_host *numa, const struct vs_numa_guest *g,
			    const char *vf)
{
	char pf[VS_PCI_ADDR_MAX];
	json_object *o;
	long raw = -1;
	int node;

	if (vs_sysfs_link_base(fs, pf, sizeof(pf), "/sys/bus/pci/devices/%s/physfn", vf) < 0)
		return NULL;           /* not a VF of this host */
	if (vs_sysfs_read_long(fs, &raw, "/sys/bus/pci/devices/%s/numa_node", pf) < 0)
		raw = -1;
	node = vs_numa_pf_node(numa, (int)raw);
	o = json_object_new_object();
	json_object_object_add(o, "address", json_object_new_string(vf));
	json_object_object_add(o, "pf", json_object_new_string(pf));
	json_object_object_add(o, "node", node_json(node));
	json_object_object_add(o, "near", node < 0 || vs_bits_empty(&g->nodes) ? NULL
					  : json_object_new_boolean(vs_bits_has(&g->nodes, (unsigned)node)));
	return o;
}

/* Every PCI device of the guest's XML that is a VF here. */
static json_object *guest_vf_nodes(const struct vs_sysfs *fs, const struct vs_numa_host *numa,
				   const struct vs_numa_guest *g, const char *domain_xml)
{
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	_cleanup_xpobj_ xmlXPathObjectPtr o = NULL;
	json_object *vfs = json_object_new_array();

	if (!vfs || vs_xml_parse(domain_xml, "domain XML", &doc, NULL) < 0)
		return vfs;
	o = vs_xml_eval(doc, NULL, "/domain/devices/hostdev[@type='pci']/source/address | "
			"/domain/devices/interface[@type='hostdev']/source/address");
	for (int i = 0; i < vs_xml_count(o); i++) {
		char addr[VS_PCI_ADDR_MAX];
		json_object *v;

		if (vs_xml_pci_address(o->nodesetval->nodeTab[i], addr) == 0 && (v = vf_node(fs, numa, g, addr)))
			json_object_array_add(vfs, v);
	}
	return vfs;
}

json_object *vs_cli_plan_numa(const struct vs_sysfs *fs, const char *domain_xml)
{
	struct vs_numa_host numa;
	struct vs_numa_guest g;
	json_object *o;
	char nodes[128];

	if (!domain_xml || vs_numa_host_load(fs, &numa, NULL) < 0)
		return NULL;
	if (vs_numa_guest_nodes(domain_xml, &numa, &g, NULL) < 0)
		memset(&g, 0, sizeof(g));
	o = json_object_new_object();
	vs_bits_format(&g.nodes, nodes, sizeof(nodes));
	json_object_object_add(o, "guest_nodes", nodes[0] ? json_object_new_string(nodes) : NULL);
	json_object_object_add(o, "guest", g.why[0] ? json_object_new_string(g.why) : NULL);
	json_object_object_add(o, "vfs", guest_vf_nodes(fs, &numa, &g, domain_xml));
	vs_numa_host_free(&numa);
	return o;
}
