#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "inventory.h"
#include "json-out.h"
#include "load.h"
#include "options.h"
#include "save.h"
#include "sriov.h"
#include "vf-guard.h"
#include "vfset.h"

struct numvfs_args {
	const char *pf;
	long n;
	bool no_autoprobe, force;
	unsigned timeout_ms;
	struct vs_cli_save save;
};

static void print_write(struct vs_sriov_ctx *ctx, const char *path, const char *value)
{
	const struct vs_sysfs *s = ctx->sysfs;

	if (ctx->data) /* --json: the document's "writes" */
		vs_json_add_write(ctx->data, s->root, path, value);
	else
		printf("would write '%s' to %s%s\n", value, s->root, path);
}

/* {"pf", "pf_netdev", "from", "to", "dry_run", "writes": [{"path", "value"}]} */
static int print_json(const struct vs_cli *cli, const struct vs_pf *pf, int to, json_object *writes)
{
	json_object *doc = vs_json_doc_new();

	if (!doc) {
		json_object_put(writes);
		return vs_cli_fail(VS_EXIT_FAILURE, "numvfs: out of memory");
	}
	vs_json_set(doc, "pf", vs_json_str(pf->address));
	vs_json_set(doc, "pf_netdev", vs_json_str(pf->netdev));
	vs_json_set(doc, "from", vs_json_int(pf->numvfs));
	vs_json_set(doc, "to", json_object_new_int(to));
	vs_json_set(doc, "dry_run", json_object_new_boolean(cli->dry_run));
	vs_json_set(doc, "writes", writes);
	return vs_json_doc_print(doc) < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

/* "waiting for em1's 7 VFs: 3/7 ..." drawn over itself, then cleared. */
static void draw_progress(struct vs_sriov_ctx *ctx, const char *pf, int have, int want, bool done)
{
	char **names = NULL;

	if (done) {
		fputs("\r\033[K", stderr);
		return;
	}
	if (vs_sysfs_list(ctx->sysfs, &names, "/sys/bus/pci/devices/%s/net", pf) <= 0) {
		vs_strv_free(names);
		names = NULL;
	}
	fprintf(stderr, "\r\033[Kwaiting for %s's %d VFs: %d/%d ...", names ? names[0] : pf, want, have, want);
	fflush(stderr);
	vs_strv_free(names);
}

void vs_cli_wait_progress(const struct vs_cli *cli, struct vs_sriov_ctx *ctx)
{
	if (!cli->json && isatty(STDERR_FILENO))
		ctx->progress = draw_progress;
}

static int parse_timeout(const char *s, unsigned *ms)
{
	unsigned long sec;

	if (vs_parse_ulong(s, 10, &sec) < 0 || sec == 0 || sec > 3600) {
		vs_cli_fail(VS_EXIT_USAGE, "numvfs: invalid --timeout '%s' (seconds, 1-3600)", s);
		return -EINVAL;
	}
	*ms = (unsigned)sec * 1000;
	return 0;
}

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct numvfs_args *a)
{
	struct vs_getopt g;
	int c;

	vs_cli_getopt_init(&g, cli, argc, argv);
	while ((c = vs_cli_getopt(&g)) > 0) {
		switch (c) {
		case 'A': a->no_autoprobe = true; break;
		case 't': if (parse_timeout(g.arg, &a->timeout_ms) < 0) return VS_EXIT_USAGE; break;
		case 'f': a->force = true; break;
		case 's': a->save.save = true; break;
		case 'C': a->save.config = g.arg; break;
		}
	}
	if (c < 0)
		return g.status;
	if (g.npos != 2)
		return vs_cli_fail(VS_EXIT_USAGE, "numvfs: expected PF and N, got %d arguments (see numvfs --help)", g.npos);
	a->pf = g.pos[0];
	if (vs_parse_long(g.pos[1], 10, &a->n) < 0 || a->n < 0 || a->n > 65535)
		return vs_cli_fail(VS_EXIT_USAGE, "numvfs: invalid VF count '%s' for %s (0-65535)", g.pos[1], a->pf);
	return vs_cli_ready(&g);
}

static bool any_on_vfio(const struct vs_pf *pf)
{
	for (size_t i = 0; i < pf->n_vfs; i++)
		if (!strcmp(pf->vfs[i].driver, "vfio-pci"))
			return true;
	return false;
}

/* Every VF goes away when a non-zero count changes: none may be in use. */
static int guard(struct vs_cli *cli, struct vs_host *host, struct vs_pf *pf, const struct numvfs_args *a)
{
	struct vs_error err = { 0 };
	char what[64];
	int r;

	if (pf->numvfs == 0 || pf->numvfs == a->n || a->n > pf->totalvfs)
		return VS_EXIT_OK;
	snprintf(what, sizeof(what), "the VFs of %s", pf->address);
	r = vs_cli_vf_usage(cli, host, what, any_on_vfio(pf), a->force);
	if (r != VS_EXIT_OK || !host->usage_known || a->force)
		return r;
	if (vs_sriov_check_vfs_free(pf, (int)a->n, &err) < 0)
		return vs_cli_fail_err(&err, pf->address);
	return VS_EXIT_OK;
}

static int apply(struct vs_cli *cli, const struct vs_pf *pf, const struct numvfs_args *a)
{
	struct vs_numvfs_req req = { .pf = pf->address, .numvfs = (int)a->n, .no_autoprobe = a->no_autoprobe,
				     .timeout_ms = a->timeout_ms };
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;

	vs_sriov_ctx_init(&ctx, &cli->sysfs);
	vs_cli_wait_progress(cli, &ctx);
	ctx.dry_run = cli->dry_run;
	if (cli->dry_run)
		ctx.note = print_write;
	if (cli->json)
		ctx.data = json_object_new_array();
	if (vs_sriov_set_numvfs(&ctx, &req, &err) < 0) {
		json_object_put(ctx.data);
		return vs_cli_fail_err(&err, pf->address);
	}
	if (cli->json)
		return print_json(cli, pf, (int)a->n, ctx.data);
	if (!cli->dry_run)
		printf("%s%s%s%s: %d VFs (was %d)\n", pf->address, pf->netdev[0] ? " (" : "", pf->netdev,
		       pf->netdev[0] ? ")" : "", req.numvfs, pf->numvfs);
	return VS_EXIT_OK;
}

static int save(struct numvfs_args *a, const struct vs_pf *pf)
{
	char n[16];
	int r;

	snprintf(n, sizeof(n), "%ld", a->n);
	r = vs_cli_save_pf(&a->save, pf, "numvfs", n);
	if (r == VS_EXIT_OK && a->no_autoprobe)
		r = vs_cli_save_pf(&a->save, pf, "drivers-autoprobe", "no");
	return r == VS_EXIT_OK ? vs_cli_save_check(&a->save) : r;
}

int vs_cmd_numvfs(struct vs_cli *cli, int argc, char **argv)
{
	struct numvfs_args a = { 0 };
	struct vs_error err = { 0 };
	struct vs_host *host = NULL;
	struct vs_pf *pf;
	int r = parse_args(cli, argc, argv, &a);
	char *names[] = { NULL, NULL };

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	names[0] = (char *)a.pf;
	r = vs_cli_load_named(cli, names, VS_NAME_PF, 0, &host);
	if (r != VS_EXIT_OK)
		return r;
	pf = vs_name_pf(host, a.pf, &err);
	if (!pf)
		r = vs_cli_fail_err(&err, a.pf);
	else
		r = guard(cli, host, pf, &a);
	if (r == VS_EXIT_OK)
		r = save(&a, pf);
	if (r == VS_EXIT_OK)
		r = apply(cli, pf, &a);
	if (r == VS_EXIT_OK)
		r = vs_cli_save_finish(cli, &a.save);
	vs_cli_save_free(&a.save);
	vs_host_free(host);
	return r;
}
