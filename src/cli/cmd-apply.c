/* virt-sriov apply [--no-libvirt] [--config FILE] [--timeout SEC] [-n] [--json]
 *
 * The host brought to /etc/virt-sriov/virt-sriov.conf: one line per change
 * made, "nothing to change" when nothing differs.  --json says whether
 * anything changed ("changed", and per step "steps"): what a configuration
 * tool (contrib/ansible) reports, and with --dry-run predicts. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "conf.h"
#include "devlink.h"
#include "hostsetup.h"
#include "json-out.h"
#include "libvirt.h"
#include "netlink.h"
#include "options.h"
#include "vfctl.h"

struct apply_args {
	const char *config;
	bool no_libvirt;
	unsigned timeout_ms;
};

struct apply_run {
	struct vs_cli *cli;
	struct vs_nl *nl;             /* NULL: rtnetlink not available */
	struct vs_error nl_err;
	struct vs_devlink *dl;        /* eswitch modes; NULL: not the live host, or no devlink */
	virConnectPtr conn;
	json_object *changes;         /* --json */
	json_object *reconciled;      /* --json: the plans put back first */
	enum vs_reconcile_scope scope;
	bool reconcile_failed;
	int n_reconciled;             /* guests whose VFs were put back (or would be) */
	unsigned steps[VS_STEP_COUNT];  /* changes made (or planned) per step */
};

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct apply_args *a)
{
	struct vs_getopt g;
	unsigned long sec;
	int c;

	vs_cli_getopt_init(&g, cli, argc, argv);
	while ((c = vs_cli_getopt(&g)) > 0) {
		switch (c) {
		case 'L': a->no_libvirt = true; break;
		case 'C': a->config = g.arg; break;
		case 't':
			if (vs_parse_ulong(g.arg, 10, &sec) < 0 || sec == 0 || sec > 3600)
				return vs_cli_fail(VS_EXIT_USAGE, "apply: invalid --timeout '%s' (seconds, 1-3600)", g.arg);
			a->timeout_ms = (unsigned)sec * 1000;
			break;
		}
	}
	if (c < 0)
		return g.status;
	if (g.npos)
		return vs_cli_fail(VS_EXIT_USAGE, "apply: unexpected argument '%s' (see apply --help)", g.pos[0]);
	if (!a->config)
		a->config = vs_conf_path();
	return vs_cli_ready(&g);
}

static int scan(void *data, struct vs_host **out, struct vs_error *err)
{
	struct apply_run *run = data;
	struct vs_scan_opts opts = { .sysfs = &run->cli->sysfs, .nl = run->nl, .dl = run->dl, .no_names = true,
				     .non_pci = run->dl != NULL };
	int r = vs_inventory_scan(&opts, out, err);

	if (r >= 0 && run->conn)
		r = vs_libvirt_fill_usage(run->conn, *out, err);
	return r < 0 ? r : 0;
}

static json_object *change_json(const struct vs_change *c)
{
	json_object *o = json_object_new_object();
	char text[1024];

	vs_change_describe(c, text, sizeof(text));
	vs_json_set(o, "step", json_object_new_string(vs_setup_step_name(c->step)));
	vs_json_set(o, "pf", json_object_new_string(c->pf));
	vs_json_set(o, "pf_netdev", vs_json_str(c->pf_netdev));
	if (c->vf >= 0) /* the VF's number and address, as list --json names them */
		vs_json_set(o, "index", json_object_new_int(c->vf));
	if (c->vf >= 0)
		vs_json_set(o, "address", vs_json_str(c->vf_address));
	if (c->step == VS_STEP_AUTOPROBE || c->step == VS_STEP_NUMVFS) {
		vs_json_set(o, "from", vs_json_int(c->from));
		vs_json_set(o, "to", json_object_new_int(c->to));
	} else if (c->step == VS_STEP_ESWITCH_EARLY || c->step == VS_STEP_ESWITCH) {
		vs_json_set(o, "from", vs_json_str(vs_eswitch_mode_name(c->from)));
		vs_json_set(o, "to", json_object_new_string(vs_eswitch_mode_name(c->to)));
	} else if (c->step == VS_STEP_DRIVER) {
		vs_json_set(o, "from", vs_json_str(c->driver_from));
		vs_json_set(o, "to", json_object_new_string(c->driver_to));
	} else if (c->step == VS_STEP_SETTINGS) {
		vs_json_set(o, "settings", vs_json_settings(&c->cfg));
	} else {
		vs_json_set(o, "pool", json_object_new_string(c->pool));
	}
	vs_json_set(o, "current_unknown", json_object_new_boolean(c->unknown));
	vs_json_set(o, "line", json_object_new_int(c->line));
	vs_json_set(o, "text", json_object_new_string(text));
	return o;
}

static void report(void *data, const struct vs_change *c)
{
	struct apply_run *run = data;
	char text[1024];

	if (c->step < VS_STEP_COUNT)
		run->steps[c->step]++;
	if (run->changes) {
		json_object_array_add(run->changes, change_json(c));
		return;
	}
	vs_change_describe(c, text, sizeof(text));
	printf("%s\n", text);
	fflush(stdout);
}

/* Before the static settings (the VFs exist by then): a VF left configured
 * for a guest that is gone gets its saved values first, as `reconcile`
 * would. */
static int put_back_leftovers(void *data)
{
	struct apply_run *run = data;
	int n = vs_cli_reconcile(run->cli, run->scope, run->conn, run->reconciled);

	run->reconcile_failed = n < 0;
	run->n_reconciled = n > 0 ? n : 0;
	return n;
}

static int connect_libvirt(struct apply_run *run, const struct apply_args *a)
{
	struct vs_error err = { 0 };

	if (a->no_libvirt)
		return VS_EXIT_OK;
	if (vs_libvirt_open(vs_cli_uri(run->cli), run->cli->dry_run, &run->conn, &err) < 0)
		return vs_cli_fail(VS_EXIT_FAILURE, "apply: %s (at boot, before libvirt runs, use --no-libvirt)", err.msg);
	return VS_EXIT_OK;
}

/* A guest's VFs put back change the host as much as any step. */
static bool changed(const struct apply_run *run)
{
	if (run->n_reconciled > 0 || (run->reconciled && json_object_array_length(run->reconciled) > 0))
		return true;
	for (int s = 0; s < VS_STEP_COUNT; s++)
		if (run->steps[s])
			return true;
	return false;
}

/* {"autoprobe": 0, "numvfs": 1, ...}: every step, also those with nothing to do */
static json_object *steps_json(const struct apply_run *run)
{
	json_object *o = json_object_new_object();

	for (int s = 0; o && s < VS_STEP_COUNT; s++)
		vs_json_set(o, vs_setup_step_name(s), json_object_new_int((int)run->steps[s]));
	return o;
}

/* The failure first: with --json its line is also the document's "error". */
static int finish(struct apply_run *run, int r, const struct vs_error *err)
{
	json_object *doc;
	int status = VS_EXIT_OK;

	if (r < 0)
		status = vs_cli_fail_err(err, "apply");
	else if (run->reconcile_failed)
		status = vs_cli_fail(VS_EXIT_FAILURE, "apply: some VFs saved by the hook could not be put back "
				     "(see above; their state is kept for virt-sriov reconcile)");
	else if (!run->changes && !changed(run))
		printf("nothing to change\n");
	if (run->changes) {
		doc = vs_json_doc_new();
		vs_json_set(doc, "dry_run", json_object_new_boolean(run->cli->dry_run));
		vs_json_set(doc, "changed", json_object_new_boolean(changed(run)));
		vs_json_set(doc, "steps", steps_json(run));
		vs_json_set(doc, "reconciled", json_object_get(run->reconciled));
		vs_json_set(doc, "changes", json_object_get(run->changes));
		if (vs_json_doc_print(doc) < 0)
			status = VS_EXIT_FAILURE;
	}
	return status;
}

static int apply_conf(struct apply_run *run, const struct apply_args *a, const struct vs_conf *conf)
{
	struct vs_template_paths paths;
	struct vs_sriov_ctx sriov;
	struct vs_error err = { 0 };
	struct vs_setup_env env = {
		.conf = conf, .paths = &paths, .sriov = &sriov, .dry_run = run->cli->dry_run,
		.timeout_ms = a->timeout_ms, .scan = scan, .nl_error = run->nl_err.msg, .report = report,
		.before_settings = put_back_leftovers, .data = run,
	};
	int status = connect_libvirt(run, a), r;

	if (status != VS_EXIT_OK)
		return status;
	env.conn = run->conn;
	vs_template_paths_default(&paths, NULL);
	vs_sriov_ctx_init(&sriov, &run->cli->sysfs);
	vs_cli_wait_progress(run->cli, &sriov);
	sriov.dry_run = run->cli->dry_run;
	if (vs_nl_open(&run->nl, &run->nl_err) < 0)
		run->nl = NULL;
	env.nl = run->nl;
	/* devlink only where the sysfs root is this host's */
	if (vs_sysfs_is_live(&run->cli->sysfs) && vs_devlink_open(&run->dl, &err) < 0)
		run->dl = NULL;
	vs_error_clear(&err);
	env.dl = run->dl;
	if (run->cli->json) {
		run->changes = json_object_new_array();
		run->reconciled = json_object_new_array();
	}
	run->scope = a->no_libvirt ? VS_RECONCILE_BEFORE_BOOT : VS_RECONCILE_NOT_RUNNING;
	r = vs_setup_run(&env, &err);
	return finish(run, r, &err);
}

int vs_cmd_apply(struct vs_cli *cli, int argc, char **argv)
{
	struct apply_args a = { 0 };
	struct apply_run run = { .cli = cli };
	struct vs_conf conf;
	struct vs_error err = { 0 };
	struct stat st;
	int status = parse_args(cli, argc, argv, &a);

	if (status != VS_EXIT_OK)
		return vs_cli_stop(status);
	/* nothing to apply is a mistake to say, not a success: the unit
	 * does not start without the file (ConditionPathExists=) */
	if (lstat(a.config, &st) < 0 && errno == ENOENT)
		return vs_cli_fail(VS_EXIT_FAILURE, "apply: %s: no such file: nothing to apply (see virt-sriov.conf(5))",
				   a.config);
	if (vs_conf_load(a.config, &conf, &err) < 0)
		return vs_cli_fail_err(&err, a.config);
	status = apply_conf(&run, &a, &conf);
	json_object_put(run.changes);
	json_object_put(run.reconciled);
	if (run.nl)
		vs_nl_close(run.nl);
	vs_devlink_close(run.dl);
	if (run.conn)
		virConnectClose(run.conn);
	vs_conf_free(&conf);
	return status;
}
