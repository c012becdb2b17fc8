#include "config.h"

#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "inventory.h"
#include "save.h"
#include "sriov.h"
#include "vf-guard.h"
#include "vfset.h"

struct bind_args {
	const char *driver;
	bool force;
	char **specs;
	int n_specs;
	struct vs_cli_save save;
};

struct vf_list {
	struct vs_vf_ref *refs;
	size_t n, alloc;
};

static void print_write(struct vs_sriov_ctx *ctx, const char *path, const char *value)
{
	/* driver_override "\n" is the only value that needs showing as such */
	printf("would write '%s' to %s%s\n", strcmp(value, "\n") ? value : "\\n", ctx->sysfs->root, path);
}

static void usage(const char *prog)
{
	printf("Usage: %s bind VF... --driver vfio-pci|host|NAME [--force] [--save [--config FILE]] [-n]\n"
	       "VF: a PCI address, PF#N or PF#0-3,7.  Binds with driver_override, unbind and\n"
	       "drivers_probe, then checks the driver link.  'host' clears the override and\n"
	       "gives the VF back to its PF's VF driver.\n"
	       "  --force        go on although a guest uses the VF, or although libvirt cannot\n"
	       "                 be asked while the VF is on vfio-pci\n"
	       "  --save         also write driver = into [vfs PF#SET] of %s,\n"
	       "                 for virt-sriov apply at boot\n"
	       "  --config FILE  the file --save writes ($VIRT_SRIOV_CONF works too)\n"
	       "  -n, --dry-run  print the writes, make none\n", prog, VS_CONF_DEFAULT_PATH);
}

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct bind_args *a)
{
	static const struct option opts[] = {
		{ "driver", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "save", no_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "d:fnh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->driver = optarg; break;
		case 'f': a->force = true; break;
		case 'n': cli->dry_run = true; break;
		case 's': a->save.save = true; break;
		case 'C': a->save.config = optarg; break;
		case 'h': usage(cli->prog); return VS_EXIT_DONE;
		default: return VS_EXIT_USAGE;
		}
	}
	if (!a->driver)
		return vs_cli_fail(VS_EXIT_USAGE, "bind: --driver vfio-pci|host|NAME is required");
	if (!a->driver[0] || strchr(a->driver, '/') || strlen(a->driver) >= VS_DRIVER_MAX)
		return vs_cli_fail(VS_EXIT_USAGE, "bind: '%s' is not a driver name", a->driver);
	if (optind >= argc)
		return vs_cli_fail(VS_EXIT_USAGE, "bind: no VF given (an address, PF#N or PF#0-3,7)");
	a->specs = argv + optind;
	a->n_specs = argc - optind;
	return VS_EXIT_OK;
}

/* Every spec resolved before anything is written: a typo binds nothing. */
static int resolve_all(const struct vs_host *host, const struct bind_args *a, struct vf_list *l)
{
	struct vs_error err = { 0 };

	for (int i = 0; i < a->n_specs; i++) {
		_cleanup_free_ struct vs_vf_ref *refs = NULL;
		size_t n = 0;

		if (vs_vfset_resolve(host, a->specs[i], &refs, &n, &err) < 0)
			return vs_cli_fail_err(&err, a->specs[i]);
		if (vs_grow((void **)&l->refs, &l->alloc, l->n + n, sizeof(*l->refs)) < 0)
			return vs_cli_fail(VS_EXIT_FAILURE, "bind: out of memory");
		memcpy(l->refs + l->n, refs, n * sizeof(*refs));
		l->n += n;
	}
	return VS_EXIT_OK;
}

static int guard(struct vs_cli *cli, struct vs_host *host, const struct vf_list *l, bool force)
{
	bool on_vfio = false;
	int r;

	for (size_t i = 0; i < l->n; i++)
		on_vfio |= !strcmp(l->refs[i].vf->driver, "vfio-pci");
	r = vs_cli_vf_usage(cli, host, "these VFs", on_vfio, force);
	if (r != VS_EXIT_OK || force)
		return r;
	for (size_t i = 0; i < l->n; i++) {
		const struct vs_vf *vf = l->refs[i].vf;

		if (vf->in_use_by)
			return vs_cli_fail(VS_EXIT_FAILURE, "bind: %s (%s#%u) is used by guest '%s'; detach it first, "
					   "or use --force", vf->address, l->refs[i].pf->address, vf->index, vf->in_use_by);
	}
	return VS_EXIT_OK;
}

static int bind_all(struct vs_cli *cli, const struct vf_list *l, const char *driver)
{
	struct vs_sriov_ctx ctx;

	vs_sriov_ctx_init(&ctx, &cli->sysfs);
	ctx.dry_run = cli->dry_run;
	if (cli->dry_run)
		ctx.note = print_write;
	for (size_t i = 0; i < l->n; i++) {
		const struct vs_vf *vf = l->refs[i].vf;
		struct vs_bind_req req = { .vf = vf->address, .driver = driver, .pf_driver = l->refs[i].pf->driver };
		struct vs_error err = { 0 };

		if (vs_sriov_bind(&ctx, &req, &err) < 0) {
			if (i > 0)
				vs_cli_warn("%zu VF(s) before %s were bound; the ones after it were left alone", i, vf->address);
			return vs_cli_fail_err(&err, vf->address);
		}
		if (!cli->dry_run)
			printf("%s: %s (was %s)\n", vf->address, driver, vf->driver[0] ? vf->driver : "unbound");
	}
	return VS_EXIT_OK;
}

static int save(const struct vs_host *host, struct bind_args *a)
{
	int r = VS_EXIT_OK;

	for (int i = 0; i < a->n_specs && r == VS_EXIT_OK; i++)
		r = vs_cli_save_vfs(&a->save, host, a->specs[i], "driver", a->driver);
	return r == VS_EXIT_OK ? vs_cli_save_check(&a->save) : r;
}

int vs_cmd_bind(struct vs_cli *cli, int argc, char **argv)
{
	struct bind_args a = { 0 };
	struct vs_scan_opts opts = { .sysfs = &cli->sysfs, .no_names = true };
	struct vs_error err = { 0 };
	struct vf_list l = { 0 };
	struct vs_host *host = NULL;
	int r = parse_args(cli, argc, argv, &a);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	if (vs_inventory_scan(&opts, &host, &err) < 0)
		return vs_cli_fail_err(&err, "bind");
	r = resolve_all(host, &a, &l);
	if (r == VS_EXIT_OK)
		r = guard(cli, host, &l, a.force);
	if (r == VS_EXIT_OK)
		r = save(host, &a);
	if (r == VS_EXIT_OK)
		r = bind_all(cli, &l, a.driver);
	if (r == VS_EXIT_OK)
		r = vs_cli_save_finish(cli, &a.save);
	vs_cli_save_free(&a.save);
	free(l.refs);
	vs_host_free(host);
	return r;
}
