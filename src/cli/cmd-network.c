/* virt-sriov network apply PF... [--vfs SET] [--name N] [--vlan ID] [--no-autostart] [--template FILE]
 * virt-sriov network apply PF... --per-numa [--name BASE] [--vlan ID] [--no-autostart] [--template FILE]
 * virt-sriov network list
 * virt-sriov network remove NAME... [--force]
 *
 * Hostdev pools through the libvirt API. */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "json-out.h"
#include "libvirt.h"
#include "load.h"
#include "numa.h"
#include "options.h"
#include "table-out.h"
#include "vfset.h"
#include "xmlgen.h"

struct net_args {
	const char *verb;             /* apply, list or remove */
	char **names;                 /* apply: PFs; remove: pools */
	size_t n;
	const char *vfs, *name, *template_file;
	int vlan;
	bool no_autostart, force;
	bool per_numa;                /* apply: one pool per NUMA node */
};

/* argv[0] is "network", argv[1] the verb (main.c found it: cli->cmd). */
static int parse_args(struct vs_cli *cli, int argc, char **argv, struct net_args *a)
{
	struct vs_getopt g;
	int c;

	if (cli->cmd->verbs)
		return vs_cli_no_verb(cli, argc, argv);
	a->verb = argv[1];
	a->vlan = -1;
	vs_cli_getopt_init(&g, cli, argc - 1, argv + 1);
	while ((c = vs_cli_getopt(&g)) > 0) {
		switch (c) {
		case 'v': a->vfs = g.arg; break;
		case 'N': a->name = g.arg; break;
		case 't': a->template_file = g.arg; break;
		case 'A': a->no_autostart = true; break;
		case 'f': a->force = true; break;
		case 'U': a->per_numa = true; break;
		case 'l': if (vs_cli_parse_vlan_id(cli->cmd->name, g.arg, &a->vlan) != VS_EXIT_OK) return VS_EXIT_USAGE; break;
		}
	}
	if (c < 0)
		return g.status;
	a->names = g.pos;
	a->n = (size_t)g.npos;
	if (strcmp(a->verb, "list") == 0 && a->n)
		return vs_cli_fail(VS_EXIT_USAGE, "network list: unexpected argument '%s'", a->names[0]);
	if (strcmp(a->verb, "list") != 0 && a->n == 0)
		return vs_cli_fail(VS_EXIT_USAGE, "%s: expected at least one %s", cli->cmd->name,
				   strcmp(a->verb, "apply") == 0 ? "PF" : "pool NAME");
	if (a->name && a->n > 1 && !a->per_numa)
		return vs_cli_fail(VS_EXIT_USAGE, "network apply: --name works with one PF, not %zu", a->n);
	if (a->per_numa && a->vfs)
		return vs_cli_fail(VS_EXIT_USAGE, "network apply: --per-numa pools take every VF of their PFs: drop --vfs");
	return vs_cli_ready(&g);
}

static int open_conn(struct vs_cli *cli, bool readonly, virConnectPtr *conn)
{
	struct vs_error err = { 0 };

	if (vs_libvirt_open(vs_cli_uri(cli), readonly, conn, &err) < 0)
		return vs_cli_fail_err(&err, "connecting to libvirt");
	return 0;
}

/* ---- apply ---- */

struct planned_pool {
	const struct vs_pf *pf;
	char name[256];
	char *xml;
};

/* The changes, as printed and as --json's words ("define", ...). */
static const struct { unsigned bit; const char *done, *todo, *json; } words[] = {
	{ VS_POOL_DEFINED, "defined", "define", "define" },
	{ VS_POOL_UPDATED, "updated", "update", "update" },
	{ VS_POOL_DESTROYED, "stopped", "stop", "stop" },
	{ VS_POOL_UNDEFINED, "undefined", "undefine", "undefine" },
	{ VS_POOL_AUTOSTART, "autostart on", "turn autostart on", "autostart" },
	{ VS_POOL_STARTED, "started", "start", "start" },
};

/* {"name", "changes": [words], "ok"} added to pools (the same in a dry
 * run: what would change); returned for more fields. */
static json_object *pool_result_json(json_object *pools, const char *name, unsigned changes, bool ok)
{
	json_object *o = json_object_new_object(), *c = json_object_new_array();

	for (size_t i = 0; c && i < ELEMENTSOF(words); i++)
		if (changes & words[i].bit)
			json_object_array_add(c, json_object_new_string(words[i].json));
	vs_json_set(o, "name", json_object_new_string(name));
	vs_json_set(o, "changes", c);
	vs_json_set(o, "ok", json_object_new_boolean(ok));
	if (json_object_array_add(pools, o) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* {"dry_run", "pools": [...]} */
static int print_pools_doc(const struct vs_cli *cli, json_object *pools)
{
	json_object *doc = vs_json_doc_new();

	if (!doc) {
		json_object_put(pools);
		return VS_EXIT_FAILURE;
	}
	vs_json_set(doc, "dry_run", json_object_new_boolean(cli->dry_run));
	vs_json_set(doc, "pools", pools);
	return vs_json_doc_print(doc) < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

static void describe_changes(const char *name, unsigned changes, bool dry_run)
{
	const char *sep = dry_run ? ": would " : ": ";

	if (!changes) {
		printf("%s: unchanged\n", name);
		return;
	}
	fputs(name, stdout);
	for (size_t i = 0; i < ELEMENTSOF(words); i++) {
		if (!(changes & words[i].bit))
			continue;
		printf("%s%s", sep, dry_run ? words[i].todo : words[i].done);
		sep = ", ";
	}
	putchar('\n');
}

/* libvirt's words, plus what the tool was doing (in err), plus what to do. */
static void apply_failed(const struct planned_pool *p, const struct vs_pool_result *res,
			 const struct vs_error *err)
{
	const char *pf = p->pf && p->pf->netdev[0] ? p->pf->netdev : p->pf ? p->pf->address : NULL;

	if (!pf)               /* a per-node pool: several PFs */
		vs_cli_fail_err(err, p->name);
	else if (res->failed == VS_STAGE_START)
		vs_cli_fail(VS_EXIT_FAILURE, "%s — create VFs first: virt-sriov numvfs %s %d", err->msg, pf,
			    p->pf->totalvfs > 0 ? p->pf->totalvfs : 1);
	else if (res->failed == VS_STAGE_DEFINE)
		vs_cli_fail(VS_EXIT_FAILURE, "%s — the pool's VFs must exist on the host: virt-sriov list %s",
			    err->msg, pf);
	else
		vs_cli_fail_err(err, p->name);
}

static int plan_pools(struct vs_host *host, const struct net_args *o, char **pfs, size_t n,
		      struct planned_pool *plan)
{
	struct vs_template_paths paths;

	vs_template_paths_default(&paths, o->template_file);
	for (size_t i = 0; i < n; i++) {
		struct vs_pool_request req = { .pf = pfs[i], .name = o->name, .vfs = o->vfs, .vlan = o->vlan };
		struct vs_error err = { 0 };

		plan[i].pf = vs_name_pf(host, pfs[i], NULL);
		if (vs_pool_xml(host, &paths, &req, plan[i].name, sizeof(plan[i].name), &plan[i].xml, &err) < 0)
			return vs_cli_fail_err(&err, pfs[i]);
	}
	return 0;
}

/* --per-numa: one pool per node of the PFs, NAME-nodeN; a PF of unknown
 * node (on a host with several) goes into none, and is said. */
static int plan_numa_pools(struct vs_cli *cli, struct vs_host *host, const struct net_args *o, char **pfs, size_t n,
			   struct planned_pool *plan, size_t *n_plan)
{
	struct vs_template_paths paths;
	struct vs_numa_host numa;
	struct vs_error err = { 0 };
	struct vs_bits nodes;
	int status = 0;

	if (vs_numa_host_load(&cli->sysfs, &numa, &err) < 0)
		return vs_cli_fail_err(&err, "NUMA nodes");
	vs_template_paths_default(&paths, o->template_file);
	memset(&nodes, 0, sizeof(nodes));
	for (size_t i = 0; i < n; i++) {
		const struct vs_pf *pf = vs_name_pf(host, pfs[i], &err);
		int node = pf ? vs_numa_pf_node(&numa, pf->numa_node) : -1;

		if (!pf)
			status = vs_cli_fail_err(&err, pfs[i]);
		else if (node < 0)
			vs_cli_warn("PF %s: its NUMA node is unknown: in no per-node pool", pfs[i]);
		else
			vs_bits_add(&nodes, (unsigned)node);
	}
	for (unsigned node = 0; status == 0 && node < VS_NUMA_BITS_MAX; node++) {
		char base[256];
		struct vs_numa_pool_request req = { .pfs = pfs, .n_pfs = n, .node = (int)node, .name = base,
						     .vlan = o->vlan, .numa = &numa };
		struct planned_pool *p = &plan[*n_plan];

		if (!vs_bits_has(&nodes, node))
			continue;
		snprintf(base, sizeof(base), "%s-node%u", o->name ? o->name : "sriov", node);
		if (vs_pool_numa_xml(host, &paths, &req, p->name, sizeof(p->name), &p->xml, &err) < 0)
			status = vs_cli_fail_err(&err, base);
		else
			(*n_plan)++;
	}
	vs_numa_host_free(&numa);
	return status;
}

static int apply_pools(struct vs_cli *cli, const struct net_args *o, struct planned_pool *plan, size_t n)
{
	virConnectPtr conn = NULL;
	json_object *pools = cli->json ? json_object_new_array() : NULL;
	unsigned all = 0;
	int status = open_conn(cli, false, &conn);

	for (size_t i = 0; i < n && conn; i++) {
		struct vs_error err = { 0 };
		struct vs_pool_result res;
		int r = vs_libvirt_pool_apply(conn, plan[i].xml, !o->no_autostart, cli->dry_run, &res, &err);
		json_object *pj = pools ? pool_result_json(pools, plan[i].name, res.changes, r == 0) : NULL;

		if (pj) {
			vs_json_set(pj, "pf", vs_json_str(plan[i].pf ? plan[i].pf->address : NULL));
			vs_json_set(pj, "pf_netdev", vs_json_str(plan[i].pf ? plan[i].pf->netdev : NULL));
			vs_json_set(pj, "in_use", json_object_new_int(r == 0 ? res.n_ports : 0));
			vs_json_set(pj, "xml", json_object_new_string(plan[i].xml));
		} else if (res.changes || r == 0)
			describe_changes(plan[i].name, res.changes, cli->dry_run);
		if (!pools && r == 0 && (res.changes & VS_POOL_UPDATED) && res.n_ports > 0)
			printf("%s: %d VF%s in use: the running pool keeps its old definition until it is restarted\n",
			       plan[i].name, res.n_ports, res.n_ports == 1 ? "" : "s");
		all |= res.changes;
		if (r < 0) {
			apply_failed(&plan[i], &res, &err);
			status = VS_EXIT_FAILURE; /* the other PFs still get their pool */
		}
	}
	if (status == 0 && !all && !pools)
		printf("nothing to change\n");
	if (conn)
		virConnectClose(conn);
	if (pools && conn && print_pools_doc(cli, pools) != VS_EXIT_OK)
		status = VS_EXIT_FAILURE;
	else if (!conn)
		json_object_put(pools);
	return status;
}

static int network_apply(struct vs_cli *cli, const struct net_args *o, char **pfs, size_t n)
{
	struct planned_pool *plan;
	struct vs_host *host = NULL;
	size_t n_plan = 0;
	int status;

	if (n == 0)
		return vs_cli_fail(VS_EXIT_USAGE, "network apply: name at least one PF");
	if (o->name && n > 1 && !o->per_numa)
		return vs_cli_fail(VS_EXIT_USAGE, "network apply: --name works with one PF, not %zu", n);
	status = vs_cli_load_host(cli, NULL, 0, &host);
	if (status != 0)
		return status;
	plan = calloc(n, sizeof(*plan));
	/* every pool's XML is made before libvirt is touched: bad input changes nothing */
	if (!plan)
		status = vs_cli_fail(VS_EXIT_FAILURE, "out of memory");
	else if (o->per_numa)
		status = plan_numa_pools(cli, host, o, pfs, n, plan, &n_plan);
	else if ((status = plan_pools(host, o, pfs, n, plan)) == 0)
		n_plan = n;
	if (status == 0 && n_plan == 0)
		status = vs_cli_fail(VS_EXIT_FAILURE, "network apply --per-numa: no PF with a known NUMA node");
	if (status == 0)
		status = apply_pools(cli, o, plan, n_plan);
	for (size_t i = 0; plan && i < n; i++)
		free(plan[i].xml);
	free(plan);
	vs_host_free(host);
	return status;
}

/* ---- list ---- */

static json_object *pool_json(const struct vs_pool_info *p)
{
	json_object *o = json_object_new_object(), *ports = json_object_new_array();

	vs_json_set(o, "name", vs_json_str(p->name));
	vs_json_set(o, "pf", vs_json_str(p->pf));
	vs_json_set(o, "vfs", p->n_vfs < 0 ? NULL : json_object_new_int(p->n_vfs));
	vs_json_set(o, "in_use", json_object_new_int((int)p->n_ports));
	for (size_t i = 0; i < p->n_ports; i++) {
		json_object *port = json_object_new_object();

		vs_json_set(port, "address", vs_json_str(p->ports[i].address));
		vs_json_set(port, "in_use_by", vs_json_str(p->ports[i].owner));
		json_object_array_add(ports, port);
	}
	vs_json_set(o, "ports", ports);
	vs_json_set(o, "active", json_object_new_boolean(p->active));
	vs_json_set(o, "autostart", json_object_new_boolean(p->autostart));
	vs_json_set(o, "persistent", json_object_new_boolean(p->persistent));
	return o;
}

static void guests_of(const struct vs_pool_info *p, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < p->n_ports; i++) {
		size_t used = strlen(buf);

		/* a guest with two VFs from the pool is named once */
		if (strstr(buf, p->ports[i].owner) && used)
			continue;
		snprintf(buf + used, len - used, "%s%s", used ? "," : "", p->ports[i].owner);
	}
}

static void pools_table(const struct vs_pool_info *pools, size_t n)
{
	static const char *const head[] = { "NAME", "PF", "VFS", "IN USE", "ACTIVE", "AUTOSTART", "GUESTS" };
	struct vs_table *t = vs_table_new(ELEMENTSOF(head), head);

	for (size_t i = 0; t && i < n; i++) {
		char vfs[16], used[16], guests[1024];
		const char *row[ELEMENTSOF(head)] = { pools[i].name, pools[i].pf, NULL, used,
						      pools[i].active ? "yes" : "no", pools[i].autostart ? "yes" : "no",
						      guests };

		if (pools[i].n_vfs >= 0) {
			snprintf(vfs, sizeof(vfs), "%d", pools[i].n_vfs);
			row[2] = vfs;
		}
		snprintf(used, sizeof(used), "%zu", pools[i].n_ports);
		guests_of(&pools[i], guests, sizeof(guests));
		if (!guests[0])
			row[6] = NULL;
		vs_table_add(t, row);
	}
	if (t)
		vs_table_print(t, stdout);
	vs_table_free(t);
}

static int network_list(struct vs_cli *cli)
{
	struct vs_pool_info *pools = NULL;
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;
	size_t n = 0;
	int status = open_conn(cli, true, &conn);

	if (status != 0)
		return status;
	if (vs_libvirt_pool_list(conn, &pools, &n, &err) < 0) {
		status = vs_cli_fail_err(&err, "listing pools");
	} else if (cli->json) {
		json_object *root = vs_json_doc_new(), *arr = json_object_new_array();

		for (size_t i = 0; i < n; i++)
			json_object_array_add(arr, pool_json(&pools[i]));
		vs_json_set(root, "pools", arr);
		status = vs_json_doc_print(root) < 0 ? VS_EXIT_FAILURE : 0;
	} else {
		pools_table(pools, n);
	}
	vs_pool_info_free(pools, n);
	virConnectClose(conn);
	return status;
}

/* ---- remove ---- */

static int network_remove(struct vs_cli *cli, const struct net_args *o, char **names, size_t n)
{
	virConnectPtr conn = NULL;
	json_object *pools = NULL;
	int status;

	if (n == 0)
		return vs_cli_fail(VS_EXIT_USAGE, "network remove: name the pool to remove");
	status = open_conn(cli, false, &conn);
	pools = status == 0 && cli->json ? json_object_new_array() : NULL;
	for (size_t i = 0; i < n && status == 0; i++) {
		struct vs_error err = { 0 };
		struct vs_pool_result res;
		int r = vs_libvirt_pool_remove(conn, names[i], o->force, cli->dry_run, &res, &err);

		if (pools)
			pool_result_json(pools, names[i], r < 0 ? 0 : res.changes, r == 0);
		if (r < 0)
			status = vs_cli_fail_err(&err, names[i]);
		else if (!pools)
			describe_changes(names[i], res.changes, cli->dry_run);
	}
	if (conn)
		virConnectClose(conn);
	if (pools && print_pools_doc(cli, pools) != VS_EXIT_OK)
		status = VS_EXIT_FAILURE;
	return status;
}

int vs_cmd_network(struct vs_cli *cli, int argc, char **argv)
{
	struct net_args a = { 0 };
	int r = parse_args(cli, argc, argv, &a);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	if (strcmp(a.verb, "apply") == 0)
		return network_apply(cli, &a, a.names, a.n);
	if (strcmp(a.verb, "list") == 0)
		return network_list(cli);
	return network_remove(cli, &a, a.names, a.n);
}
