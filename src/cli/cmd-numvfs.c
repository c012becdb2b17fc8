#include "config.h"

#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "inventory.h"
#include "save.h"
#include "sriov.h"
#include "vf-guard.h"

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

	printf("would write '%s' to %s%s\n", value, s->root, path);
}

static void usage(const char *prog)
{
	printf("Usage: %s numvfs PF N [--no-autoprobe] [--timeout SEC] [--force] [--save [--config FILE]] [-n]\n"
	       "Set the PF's VF count (through 0 when changing a non-zero count) and wait\n"
	       "until the N VF devices exist.\n"
	       "  --no-autoprobe  sriov_drivers_autoprobe=0 first: new VFs stay unbound\n"
	       "  --timeout SEC   how long to wait for the VFs (default %d)\n"
	       "  --force         go on although a guest uses one of the VFs, or although\n"
	       "                  libvirt cannot be asked while VFs are on vfio-pci\n"
	       "  --save          also write numvfs (and drivers-autoprobe) into [pf] of\n"
	       "                  %s, for virt-sriov apply at boot\n"
	       "  --config FILE   the file --save writes ($VIRT_SRIOV_CONF works too)\n"
	       "  -n, --dry-run   print the writes, make none\n", prog, VS_NUMVFS_TIMEOUT_MS / 1000,
	       VS_CONF_DEFAULT_PATH);
}

static int parse_timeout(const char *s, unsigned *ms)
{
	unsigned long sec;

	if (vs_parse_ulong(s, 10, &sec) < 0 || sec == 0 || sec > 3600) {
		vs_cli_fail(VS_EXIT_USAGE, "numvfs: --timeout '%s' is not a number of seconds (1-3600)", s);
		return -EINVAL;
	}
	*ms = (unsigned)sec * 1000;
	return 0;
}

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct numvfs_args *a)
{
	static const struct option opts[] = {
		{ "no-autoprobe", no_argument, NULL, 'A' },
		{ "timeout", required_argument, NULL, 't' },
		{ "force", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "save", no_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "fnh", opts, NULL)) != -1) {
		switch (c) {
		case 'A': a->no_autoprobe = true; break;
		case 't': if (parse_timeout(optarg, &a->timeout_ms) < 0) return VS_EXIT_USAGE; break;
		case 'f': a->force = true; break;
		case 'n': cli->dry_run = true; break;
		case 's': a->save.save = true; break;
		case 'C': a->save.config = optarg; break;
		case 'h': usage(cli->prog); return VS_EXIT_DONE;
		default: return VS_EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return vs_cli_fail(VS_EXIT_USAGE, "numvfs: expected PF and N (see numvfs --help)");
	a->pf = argv[optind];
	if (vs_parse_long(argv[optind + 1], 10, &a->n) < 0 || a->n < 0 || a->n > 65535)
		return vs_cli_fail(VS_EXIT_USAGE, "numvfs: '%s' is not a VF count", argv[optind + 1]);
	return VS_EXIT_OK;
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
	ctx.dry_run = cli->dry_run;
	if (cli->dry_run)
		ctx.note = print_write;
	if (vs_sriov_set_numvfs(&ctx, &req, &err) < 0)
		return vs_cli_fail_err(&err, pf->address);
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
	struct vs_scan_opts opts = { .sysfs = &cli->sysfs, .no_names = true };
	struct vs_error err = { 0 };
	struct vs_host *host = NULL;
	struct vs_pf *pf;
	int r = parse_args(cli, argc, argv, &a);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	opts.only[0] = a.pf;
	if (vs_inventory_scan(&opts, &host, &err) < 0)
		return vs_cli_fail_err(&err, a.pf);
	pf = vs_host_find_pf(host, a.pf);
	if (!pf)
		r = vs_cli_fail(VS_EXIT_FAILURE, "numvfs: %s is not an SR-IOV PF", a.pf);
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
