#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "hook-exec.h"
#include "json-out.h"
#include "libvirt.h"
#include "options.h"
#include "state.h"

/* A guest holds its VFs while libvirt runs it; every other state file is
 * left over from a hook that never saw release (crash, power loss). */
static int running(virConnectPtr conn, const char *uuid)
{
	virDomainPtr dom = virDomainLookupByUUIDString(conn, uuid);
	int active;

	if (!dom)
		return 0;
	active = virDomainIsActive(dom);
	virDomainFree(dom);
	return active;
}

static void print_text(const struct vs_plan *plan, bool dry_run)
{
	for (size_t i = 0; i < plan->n; i++)
		printf("%s VF %s (%s#%d) of guest %s (%s)\n",
		       dry_run ? "would put back" : plan->vfs[i].failed ? "could not put back" : "put back",
		       plan->vfs[i].address, plan->vfs[i].pf, plan->vfs[i].index,
		       plan->name ? plan->name : "?", plan->uuid);
	for (size_t i = 0; i < plan->warnings.n; i++)
		vs_cli_warn("%s", plan->warnings.v[i]);
}

static int reconcile_one(struct vs_cli *cli, const struct vs_hook_env *env, const char *uuid, json_object *out)
{
	struct vs_plan plan;
	struct vs_error err = { 0 };
	int r = vs_hook_plan_restore(env, uuid, &plan, &err);

	if (r == 0 && !cli->dry_run)
		r = vs_hook_execute(env, &plan, &err);
	if (r < 0)
		vs_cli_warn("guest %s: %s", uuid, err.msg);
	if (r == 0 && plan.warnings.n)
		r = -EIO;
	if (out)
		json_object_array_add(out, vs_plan_to_json(&plan));
	else
		print_text(&plan, cli->dry_run);
	vs_plan_free(&plan);
	return r;
}

/* Seconds since the epoch at this boot (/proc/stat btime); 0 if unknown. */
static long long boot_time(void)
{
	char line[256];
	long long t = 0;
	FILE *f = fopen("/proc/stat", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %lld", &t) == 1)
			break;
	fclose(f);
	return t;
}

/* A state file last written before this boot: its guest died with the
 * previous boot, whatever libvirt would say. */
static bool from_before_boot(const char *dir, const char *uuid, long long booted)
{
	char path[4096];
	struct stat st;

	if (booted <= 0 || (size_t)snprintf(path, sizeof(path), "%s/%s.json", dir, uuid) >= sizeof(path))
		return false;
	return stat(path, &st) == 0 && (long long)st.st_mtime < booted;
}

int vs_cli_reconcile(struct vs_cli *cli, enum vs_reconcile_scope scope, struct _virConnect *conn,
		     struct json_object *out)
{
	struct vs_hook_nl nl = { .nl = NULL };
	struct vs_hook_env env = { .sysfs = &cli->sysfs, .state_dir = vs_state_dir(), .kernel = &nl };
	struct vs_error err = { 0 };
	long long booted = scope == VS_RECONCILE_BEFORE_BOOT ? boot_time() : 0;
	char **uuids = NULL;
	int failed = 0, kept = 0, n = 0;

	if (vs_state_list(env.state_dir, &uuids, &err) < 0) {
		vs_cli_warn("reconcile: %s", err.msg);
		return -EIO;
	}
	for (char **u = uuids; *u; u++) {
		bool stale = scope == VS_RECONCILE_ALL ||
			(scope == VS_RECONCILE_NOT_RUNNING && running(conn, *u) == 0) ||
			(scope == VS_RECONCILE_BEFORE_BOOT && from_before_boot(env.state_dir, *u, booted));

		if (stale) {
			failed |= reconcile_one(cli, &env, *u, out) < 0;
			n++;
		} else
			kept += scope == VS_RECONCILE_BEFORE_BOOT;
	}
	if (kept)
		vs_cli_warn("%d guest state file(s) written since boot kept: without libvirt nobody can tell "
			    "whether their guests run (virt-sriov reconcile once libvirt runs)", kept);
	/* what hooks killed mid-way leave: lock files, half-written files */
	if (!cli->dry_run && vs_state_sweep(env.state_dir, &err) < 0)
		vs_cli_warn("reconcile: %s", err.msg);
	vs_hook_nl_close(&nl);
	vs_strv_free(uuids);
	return failed ? -EIO : n;
}

static json_object *port_to_json(const struct vs_stale_port *p, bool dry_run)
{
	json_object *o = json_object_new_object();

	if (o && (vs_json_set(o, "network", vs_json_str(p->network)) < 0 || vs_json_set(o, "port", vs_json_str(p->uuid)) < 0 ||
		  vs_json_set(o, "guest", vs_json_str(p->owner)) < 0 || vs_json_set(o, "uuid", vs_json_str(p->owner_uuid)) < 0 ||
		  vs_json_set(o, "address", vs_json_str(p->address)) < 0 ||
		  vs_json_set(o, "deleted", json_object_new_boolean(!dry_run && !p->error)) < 0 ||
		  vs_json_set(o, "error", vs_json_str(p->error)) < 0)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* After the state files: the ports of hostdev pools whose guest is gone
 * (libvirtd killed during a teardown re-creates them at its restart and
 * never deletes them, docs/hook.md "Limits").  The VFs are put back from
 * the state files first, so the port-deleted hook libvirt runs for each
 * delete finds nothing left to do; the other order ends the same (the hook
 * puts the VF back, the state pass removes the emptied file).  Only hostdev
 * pools: they alone hold VFs, and only guests of this connection's driver
 * own their ports, so "not running here" means gone; a bridge network's
 * port may belong to another driver's guest (LXC). */
static int reconcile_ports(struct vs_cli *cli, virConnectPtr conn, json_object *out)
{
	struct vs_stale_port *ports = NULL;
	struct vs_error err = { 0 };
	size_t n = 0;
	int r = vs_libvirt_stale_ports(conn, cli->dry_run, &ports, &n, &err), failed = r < 0;

	if (r < 0)
		vs_cli_warn("reconcile: network ports: %s", err.msg);
	for (size_t i = 0; i < n; i++) {
		const struct vs_stale_port *p = &ports[i];

		failed |= p->error != NULL;
		if (out)
			json_object_array_add(out, port_to_json(p, cli->dry_run));
		else
			printf("%s network port %s of pool %s (VF %s) of guest %s (%s): the guest does not run%s%s\n",
			       cli->dry_run ? "would delete" : p->error ? "could not delete" : "deleted", p->uuid,
			       p->network, p->address[0] ? p->address : "none", p->owner, p->owner_uuid,
			       p->error ? ": " : "", p->error ? p->error : "");
	}
	vs_stale_ports_free(ports, n);
	return failed ? -EIO : 0;
}

struct reconcile_args {
	bool all;                     /* every saved guest, without asking libvirt */
};

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct reconcile_args *a)
{
	struct vs_getopt g;
	int c;

	vs_cli_getopt_init(&g, cli, argc, argv);
	while ((c = vs_cli_getopt(&g)) > 0)
		a->all |= c == 'a';
	if (c < 0)
		return g.status;
	if (g.npos)
		return vs_cli_fail(VS_EXIT_USAGE, "reconcile: unexpected argument '%s'", g.pos[0]);
	return vs_cli_ready(&g);
}

int vs_cmd_reconcile(struct vs_cli *cli, int argc, char **argv)
{
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;
	json_object *out = NULL, *ports = NULL;
	struct reconcile_args a = { 0 };
	int r, failed, port_failed;

	r = parse_args(cli, argc, argv, &a);
	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	/* read-write: deleting a gone guest's network port */
	if (!a.all && vs_libvirt_open(vs_cli_uri(cli), cli->dry_run, &conn, &err) < 0)
		return vs_cli_fail(VS_EXIT_FAILURE, "reconcile: cannot tell which guests run: %s "
				   "(--all puts back every saved VF: only when no guest runs)", err.msg);
	out = cli->json ? json_object_new_array() : NULL;
	failed = vs_cli_reconcile(cli, a.all ? VS_RECONCILE_ALL : VS_RECONCILE_NOT_RUNNING, conn, out) < 0;
	ports = cli->json ? json_object_new_array() : NULL;
	/* --all: no libvirt to ask, no ports */
	port_failed = conn && reconcile_ports(cli, conn, ports) < 0;
	if (failed) /* the one line of a failure (with --json also "error") */
		vs_cli_fail(VS_EXIT_FAILURE, "reconcile: some saved VFs could not be put back (see the warnings); "
			    "their state is kept for the next reconcile");
	else if (port_failed)
		vs_cli_fail(VS_EXIT_FAILURE, "reconcile: some network ports of gone guests could not be deleted "
			    "(libvirt's reasons above)");
	failed |= port_failed;
	if (out) {
		/* {"dry_run": bool, "guests": [the plan of each guest put back],
		 *  "ports": [each network port of a gone guest deleted]} */
		json_object *doc = vs_json_doc_new();

		failed |= !doc || vs_json_set(doc, "dry_run", json_object_new_boolean(cli->dry_run)) < 0 ||
			  vs_json_set(doc, "guests", TAKE_PTR(out)) < 0 || vs_json_set(doc, "ports", TAKE_PTR(ports)) < 0 ||
			  vs_json_doc_print(TAKE_PTR(doc)) < 0;
		json_object_put(doc);
		json_object_put(ports);
	}
	if (conn)
		virConnectClose(conn);
	return failed ? VS_EXIT_FAILURE : VS_EXIT_OK;
}
