/* virt-sriov eswitch PF [switchdev|legacy]: show or change the eswitch mode,
 * doing what the PF's driver needs (eswitch.h), refused while a guest holds
 * one of its VFs. */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "devlink.h"
#include "eswitch.h"
#include "inventory.h"
#include "json-out.h"
#include "load.h"
#include "options.h"
#include "state.h"
#include "vf-guard.h"
#include "vfset.h"

struct eswitch_args {
	const char *pf;
	int mode;                     /* VS_ESWITCH_UNKNOWN: show it */
	bool force;
};

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct eswitch_args *a)
{
	struct vs_getopt g;
	int c;

	vs_cli_getopt_init(&g, cli, argc, argv);
	while ((c = vs_cli_getopt(&g)) > 0) {
		if (c == 'f')
			a->force = true;
	}
	if (c < 0)
		return g.status;
	if (g.npos < 1 || g.npos > 2)
		return vs_cli_fail(VS_EXIT_USAGE, "eswitch: expected PF [switchdev|legacy], got %d arguments (see "
				   "eswitch --help)", g.npos);
	a->pf = g.pos[0];
	a->mode = VS_ESWITCH_UNKNOWN;
	if (g.npos == 2 && (a->mode = vs_eswitch_mode_parse(g.pos[1])) < 0)
		return vs_cli_fail(VS_EXIT_USAGE, "eswitch: invalid mode '%s' for %s (switchdev or legacy)", g.pos[1], a->pf);
	return vs_cli_ready(&g);
}

static const char *label(const struct vs_pf *pf, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", pf->address, pf->netdev[0] ? " (" : "", pf->netdev, pf->netdev[0] ? ")" : "");
	return buf;
}

/* {"pf", "pf_netdev", "devlink", "eswitch_mode", and for a change "from",
 * "to", "changed", "dry_run", "steps"} */
static int print_json(const struct vs_cli *cli, const struct vs_pf *pf, int to, json_object *steps)
{
	json_object *doc = vs_json_doc_new();

	if (!doc) {
		json_object_put(steps);
		return vs_cli_fail(VS_EXIT_FAILURE, "eswitch: out of memory");
	}
	vs_json_set(doc, "pf", vs_json_str(pf->address));
	vs_json_set(doc, "pf_netdev", vs_json_str(pf->netdev));
	vs_json_set(doc, "devlink", pf->eswitch_mode < 0 ? NULL : vs_json_str(pf->devlink));
	vs_json_set(doc, "eswitch_mode", vs_json_str(vs_eswitch_mode_name(to < 0 ? pf->eswitch_mode : to)));
	if (to >= 0) {
		vs_json_set(doc, "from", vs_json_str(vs_eswitch_mode_name(pf->eswitch_mode)));
		vs_json_set(doc, "to", vs_json_str(vs_eswitch_mode_name(to)));
		vs_json_set(doc, "changed", json_object_new_boolean(pf->eswitch_mode != to && !cli->dry_run));
		vs_json_set(doc, "dry_run", json_object_new_boolean(cli->dry_run));
		vs_json_set(doc, "steps", steps);
	}
	return vs_json_doc_print(doc) < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

static int show(const struct vs_cli *cli, const struct vs_pf *pf)
{
	char l[64];

	if (cli->json)
		return print_json(cli, pf, -1, NULL);
	if (pf->eswitch_mode < 0)
		printf("%s: no devlink eswitch (driver %s)\n", label(pf, l, sizeof(l)), pf->driver[0] ? pf->driver : "none");
	else
		printf("%s: %s (devlink %s)\n", label(pf, l, sizeof(l)), vs_eswitch_mode_name(pf->eswitch_mode), pf->devlink);
	return VS_EXIT_OK;
}

/* A guest's hook state file still claiming a VF of pf; its name or NULL. */
static char *state_claim(const struct vs_pf *pf)
{
	char **uuids = NULL, *who = NULL;
	struct vs_error err = { 0 };

	if (vs_state_list(vs_state_dir(), &uuids, &err) < 0)
		return NULL;
	for (char **u = uuids; u && *u && !who; u++) {
		struct vs_state st = { 0 };

		if (vs_state_load(vs_state_dir(), *u, &st, &err) < 0)
			continue;
		for (size_t i = 0; i < st.n && !who; i++)
			if (!strcmp(st.vfs[i].pf_address, pf->address) ||
			    (pf->netdev[0] && !strcmp(st.vfs[i].pf, pf->netdev)))
				who = strdup(st.name ? st.name : st.uuid);
		vs_state_free(&st);
	}
	vs_strv_free(uuids);
	return who;
}

static bool any_on_vfio(const struct vs_pf *pf)
{
	for (size_t i = 0; i < pf->n_vfs; i++)
		if (!strcmp(pf->vfs[i].driver, "vfio-pci"))
			return true;
	return false;
}

/* A guest holding a VF (libvirt, the hook's state files) stops the change. */
static int guard(struct vs_cli *cli, struct vs_host *host, const struct vs_pf *pf, const struct eswitch_args *a)
{
	_cleanup_free_ char *claim = NULL;
	char what[64], l[64];
	int r;

	snprintf(what, sizeof(what), "the VFs of %s", pf->address);
	r = vs_cli_vf_usage(cli, host, what, any_on_vfio(pf), a->force);
	if (r != VS_EXIT_OK || a->force)
		return r;
	for (size_t i = 0; host->usage_known && i < pf->n_vfs; i++)
		if (pf->vfs[i].in_use_by)
			return vs_cli_fail(VS_EXIT_FAILURE, "%s: VF %u is used by guest '%s'; changing the eswitch mode to %s "
					   "changes how its VFs are set up (detach it, or use --force)",
					   label(pf, l, sizeof(l)), pf->vfs[i].index, pf->vfs[i].in_use_by,
					   vs_eswitch_mode_name(a->mode));
	claim = state_claim(pf);
	if (claim)
		return vs_cli_fail(VS_EXIT_FAILURE, "%s: guest '%s' holds a VF of it (hook state in %s); changing the "
				   "eswitch mode to %s refused (stop the guest, or use --force)", label(pf, l, sizeof(l)),
				   claim, vs_state_dir(), vs_eswitch_mode_name(a->mode));
	return VS_EXIT_OK;
}

struct step_sink {
	const struct vs_cli *cli;
	json_object *steps;           /* --json: the steps; else printed in a dry run */
};

static void on_step(void *data, const char *step)
{
	struct step_sink *s = data;

	if (s->steps)
		json_object_array_add(s->steps, json_object_new_string(step));
	else if (s->cli->dry_run)
		printf("would: %s\n", step);
}

static int change(struct vs_cli *cli, const struct vs_pf *pf, int mode, struct vs_devlink *dl)
{
	struct step_sink s = { cli, cli->json ? json_object_new_array() : NULL };
	struct vs_sriov_ctx ctx;
	struct vs_eswitch_env env = { .sriov = &ctx, .dl = dl, .step = on_step, .data = &s };
	struct vs_error err = { 0 };
	char l[64];

	vs_sriov_ctx_init(&ctx, &cli->sysfs);
	ctx.dry_run = cli->dry_run;
	if (vs_eswitch_change(&env, pf, mode, &err) < 0) {
		json_object_put(s.steps);
		return vs_cli_fail_err(&err, pf->address);
	}
	if (cli->json)
		return print_json(cli, pf, mode, s.steps);
	if (pf->eswitch_mode == mode)
		printf("%s: already %s\n", label(pf, l, sizeof(l)), vs_eswitch_mode_name(mode));
	else if (!cli->dry_run)
		printf("%s: eswitch %s (was %s)\n", label(pf, l, sizeof(l)), vs_eswitch_mode_name(mode),
		       vs_eswitch_mode_name(pf->eswitch_mode));
	return VS_EXIT_OK;
}

static int run(struct vs_cli *cli, struct vs_host *host, struct vs_pf *pf, const struct eswitch_args *a)
{
	struct vs_devlink *dl = NULL;
	struct vs_error err = { 0 };
	int r;

	if (a->mode < 0)
		return show(cli, pf);
	if (pf->eswitch_mode < 0 || pf->eswitch_mode == a->mode)
		return change(cli, pf, a->mode, NULL); /* the library's refusal, or nothing to do */
	r = guard(cli, host, pf, a);
	if (r != VS_EXIT_OK)
		return r;
	if (!cli->dry_run && vs_devlink_open(&dl, &err) < 0)
		return vs_cli_fail_err(&err, pf->address);
	r = change(cli, pf, a->mode, dl);
	vs_devlink_close(dl);
	return r;
}

int vs_cmd_eswitch(struct vs_cli *cli, int argc, char **argv)
{
	struct eswitch_args a = { 0 };
	struct vs_error err = { 0 };
	struct vs_host *host = NULL;
	struct vs_pf *pf;
	char *names[] = { NULL, NULL };
	int r = parse_args(cli, argc, argv, &a);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	names[0] = (char *)a.pf;
	r = vs_cli_load_named(cli, names, VS_NAME_PF, VS_LOAD_NON_PCI | VS_LOAD_DEVLINK, &host);
	if (r != VS_EXIT_OK)
		return r;
	vs_print_host_warnings(host);
	pf = vs_name_pf(host, a.pf, &err);
	r = pf ? run(cli, host, pf, &a) : vs_cli_fail_err(&err, a.pf);
	vs_host_free(host);
	return r;
}
