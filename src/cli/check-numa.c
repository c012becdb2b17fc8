/* check --guests: VFs on another NUMA node than their guest.  Only nodes
 * that are known count: a guest without <numatune> or pinned vCPUs, and a
 * PF whose numa_node is -1 on a host with several nodes, are skipped. */
#include "config.h"

#include <string.h>

#include "check-numa.h"
#include "libvirt.h"
#include "numa.h"

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
