#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check.h"
#include "check-numa.h"
#include "cli.h"
#include "conf.h"
#include "devlink.h"
#include "inventory.h"
#include "json-out.h"
#include "load.h"
#include "options.h"
#include "pci.h"

/* As virt-host-validate: coloured on a terminal only, and never when
 * NO_COLOR is set to something (no-color.org). */
static bool use_color(void)
{
	const char *no = getenv("NO_COLOR");

	return !(no && no[0]) && isatty(STDOUT_FILENO);
}

static void print_result(const struct vs_check_result *res, bool color)
{
	static const char *const sgr[] = { [VS_CHECK_PASS] = "\033[32m", [VS_CHECK_WARN] = "\033[33m",
					   [VS_CHECK_FAIL] = "\033[31m" };
	char title[160];

	if (res->device)
		snprintf(title, sizeof(title), "%s (%s)", res->title, res->device);
	else
		snprintf(title, sizeof(title), "%s", res->title);
	printf("SR-IOV: %-70s : %s%s%s (%s)\n", title, color ? sgr[res->status] : "", vs_check_status_name(res->status),
	       color ? "\033[0m" : "", res->message);
	if (res->remedy)
		printf("        -> %s\n", res->remedy);
}

/* {"status": the worst, "checks": [...]} */
static int print_json(const struct vs_check_report *rep)
{
	json_object *doc = vs_json_doc_new();
	json_object *arr = vs_check_report_json(rep);
	int r = doc && arr ? 0 : -ENOMEM;

	if (r == 0)
		r = vs_json_set(doc, "status", json_object_new_string(vs_check_status_name(vs_check_worst(rep))));
	if (r == 0)
		r = vs_json_set(doc, "checks", TAKE_PTR(arr));
	json_object_put(arr);
	if (r < 0) {
		json_object_put(doc);
		return r;
	}
	return vs_json_doc_print(doc);
}

static int parse_args(struct vs_cli *cli, int argc, char **argv, bool *guests)
{
	struct vs_getopt g;
	int c;

	vs_cli_getopt_init(&g, cli, argc, argv);
	while ((c = vs_cli_getopt(&g)) > 0)
		*guests = *guests || c == 'G';
	if (c < 0)
		return g.status;
	if (g.npos > 0)
		return vs_cli_fail(VS_EXIT_USAGE, "check: unexpected argument '%s'", g.pos[0]);
	return vs_cli_ready(&g);
}

static int run(struct vs_cli *cli, struct vs_check_ctx *ctx, struct vs_check_report *rep, struct vs_host *guests_of)
{
	int r = vs_check_run(ctx, rep);

#ifndef VS_CLI_LEAN
	if (r == 0 && guests_of)      /* check --guests: through libvirt (check-numa.c) */
		r = vs_cli_check_numa(cli, guests_of, rep);
#else
	(void)guests_of;
#endif
	if (r < 0)
		return vs_cli_fail(VS_EXIT_FAILURE, "check: %s", strerror(-r));
	if (cli->json) {
		r = print_json(rep);
		if (r < 0)
			return vs_cli_fail(VS_EXIT_FAILURE, "check: cannot print the report: %s", strerror(-r));
	} else {
		bool color = use_color();

		for (size_t i = 0; i < rep->n; i++)
			print_result(&rep->results[i], color);
	}
	return vs_check_worst(rep) == VS_CHECK_FAIL ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

/* A remote host (or --source libvirt): what its node devices answer; the
 * checks that read the host's own files are named as skipped. */
static int check_libvirt(struct vs_cli *cli, int argc, char **argv, char **whole)
{
#ifdef VS_CLI_LEAN
	cli->argv = whole;
	return vs_cli_exec_full(cli, argc, argv);
#else
	struct vs_check_ctx ctx = { .sysfs = &cli->sysfs, .remote = true };
	struct vs_check_report rep = { 0 };
	struct vs_host *host = NULL;
	char ids[256] = "";
	size_t len = 0;
	int r = vs_cli_load_host(cli, NULL, 0, &host);

	if (r != VS_EXIT_OK)
		return r;
	ctx.host = host;
	/* which checks are left out, said before the report (--json: its warnings) */
	r = vs_check_run(&ctx, &rep);
	for (size_t i = 0; r == 0 && i < rep.n_skipped && len < sizeof(ids); i++)
		len += (size_t)snprintf(ids + len, sizeof(ids) - len, "%s%s", i ? ", " : "", rep.skipped[i]);
	if (r == 0 && rep.n_skipped && cli->remote[0])
		vs_cli_warn("check: skipped, they need the host (run `virt-sriov check` on %s): %s", cli->remote, ids);
	else if (r == 0 && rep.n_skipped)
		vs_cli_warn("check: skipped, not in libvirt's node devices (--source libvirt): %s", ids);
	vs_check_report_free(&rep);
	r = run(cli, &ctx, &rep, NULL);
	vs_check_report_free(&rep);
	vs_host_free(host);
	return r;
#endif
}

/* VF counts, drivers or VF settings: what virt-sriov.service makes at boot
 * (pools wait for libvirt: apply makes them when run with it). */
static bool conf_has_setup(const char *path)
{
	struct vs_error err = { 0 };
	struct vs_conf conf;
	bool setup = false;

	if (vs_conf_load(path, &conf, &err) < 0)
		return false;
	for (size_t i = 0; i < conf.n; i++) {
		const struct vs_conf_section *s = &conf.sections[i];

		setup |= s->numvfs >= 0 || s->autoprobe >= 0 || s->eswitch >= 0 || s->driver ||
			 (s->kind == VS_CONF_VFS && s->settings_line > 0);
	}
	vs_conf_free(&conf);
	return setup;
}

/* The first [pf] that sends representors to an OVS bridge: check asks
 * the live host's ovsdb whether it offloads. */
static void conf_ovs_bridge(const char *path, char *bridge, size_t blen, char *where, size_t wlen)
{
	struct vs_error err = { 0 };
	struct vs_conf conf;

	bridge[0] = '\0';
	if (vs_conf_load(path, &conf, &err) < 0)
		return;
	for (size_t i = 0; i < conf.n && !bridge[0]; i++) {
		const struct vs_conf_section *s = &conf.sections[i];
		char label[300];

		if (s->rep_bridge.kind != VS_BRIDGE_OVS)
			continue;
		vs_conf_section_label(s, label, sizeof(label));
		snprintf(bridge, blen, "%s", s->rep_bridge.name);
		snprintf(where, wlen, "%s of %s", label, path);
	}
	vs_conf_free(&conf);
}

/* The switchdev check's inventory: devlink (live host only) and non-PCI
 * PFs (netdevsim); NULL when devlink cannot be read. */
static struct vs_host *devlink_scan(struct vs_cli *cli)
{
	struct vs_scan_opts opts = { .sysfs = &cli->sysfs, .no_names = true, .non_pci = true };
	struct vs_error err = { 0 };
	struct vs_host *host = NULL;

	if (!vs_sysfs_is_live(&cli->sysfs) || vs_devlink_open(&opts.dl, &err) < 0)
		return NULL;
	if (vs_inventory_scan(&opts, &host, &err) < 0)
		host = NULL;
	vs_devlink_close(opts.dl);
	return host;
}

int vs_cmd_check(struct vs_cli *cli, int argc, char **argv)
{
	struct vs_scan_opts opts = { .sysfs = &cli->sysfs, .no_names = true };
	struct vs_check_ctx ctx = { .sysfs = &cli->sysfs };
	struct vs_check_report rep = { 0 };
	struct vs_error scan_err = { 0 }, pci_err = { 0 };
	struct vs_host *host = NULL, *dl_host;
	struct vs_pci *pci = NULL;
	char modules[PATH_MAX], unit_dir[PATH_MAX], ovs_bridge[IFNAMSIZ], ovs_where[PATH_MAX + 320];
	struct utsname u;
	bool guests = false;
	size_t n = 0;
	int r;

#ifdef VS_CLI_LEAN
	/* libvirt is the full program's: handed over before getopt reorders argv */
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--guests") == 0)
			return vs_cli_exec_full(cli, argc, argv);
#endif
	/* the options' parse reuses argv: the whole line, as given, for the
	 * full program (libvirt's node devices) */
	while (cli->argv[n])
		n++;
	_cleanup_free_ char **whole = calloc(n + 1, sizeof(*whole));
	if (!whole)
		return vs_cli_fail(VS_EXIT_FAILURE, "check: %s", strerror(ENOMEM));
	memcpy(whole, cli->argv, n * sizeof(*whole));
	r = parse_args(cli, argc, argv, &guests);
	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	if (cli->libvirt_source)
		return check_libvirt(cli, argc, argv, whole);
	if (vs_inventory_scan(&opts, &host, &scan_err) < 0)
		ctx.host_error = scan_err.msg[0] ? scan_err.msg : strerror(-scan_err.code);
	ctx.host = host;
	if (vs_pci_open(&cli->sysfs, &pci, &pci_err) == 0)
		ctx.pci = pci;
	/* an unloaded module is only worth looking for on the running kernel */
	if (vs_sysfs_is_live(&cli->sysfs) && uname(&u) == 0) {
		snprintf(modules, sizeof(modules), "/lib/modules/%s", u.release);
		ctx.modules_dir = modules;
	}
	if (conf_has_setup(vs_conf_path()))
		ctx.setup_conf = vs_conf_path();
	snprintf(unit_dir, sizeof(unit_dir), "%s/etc/systemd/system", cli->sysfs.root);
	ctx.unit_dir = unit_dir;
	ctx.devlink_host = dl_host = devlink_scan(cli);
	conf_ovs_bridge(vs_conf_path(), ovs_bridge, sizeof(ovs_bridge), ovs_where, sizeof(ovs_where));
	if (ovs_bridge[0] && vs_sysfs_is_live(&cli->sysfs)) {
		ctx.ovs_bridge = ovs_bridge;
		ctx.ovs_bridge_where = ovs_where;
	}
	r = run(cli, &ctx, &rep, guests && host ? host : NULL);
	vs_host_free(dl_host);
	vs_check_report_free(&rep);
	if (pci)
		vs_pci_close(pci);
	vs_host_free(host);
	return r;
}
