#include "config.h"

#include <string.h>

#include "cli.h"
#include "inventory.h"
#include "json-out.h"
#include "options.h"
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
	if (ctx->data) { /* --json: the document's "writes" */
		vs_json_add_write(ctx->data, ctx->sysfs->root, path, value);
		return;
	}
	/* driver_override "\n" is the only value that needs showing as such */
	printf("would write '%s' to %s%s\n", strcmp(value, "\n") ? value : "\\n", ctx->sysfs->root, path);
}

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct bind_args *a)
{
	struct vs_getopt g;
	int c;

	vs_cli_getopt_init(&g, cli, argc, argv);
	while ((c = vs_cli_getopt(&g)) > 0) {
		switch (c) {
		case 'd': a->driver = g.arg; break;
		case 'f': a->force = true; break;
		case 's': a->save.save = true; break;
		case 'C': a->save.config = g.arg; break;
		}
	}
	if (c < 0)
		return g.status;
	if (!a->driver)
		return vs_cli_fail(VS_EXIT_USAGE, "bind: --driver vfio-pci|host|NAME is required");
	if (!a->driver[0] || strchr(a->driver, '/') || strlen(a->driver) >= VS_DRIVER_MAX)
		return vs_cli_fail(VS_EXIT_USAGE, "bind: --driver '%s' is not a driver name (vfio-pci, host or NAME)", a->driver);
	if (g.npos == 0)
		return vs_cli_fail(VS_EXIT_USAGE, "bind: no VF given (an address, PF#N or PF#0-3,7)");
	a->specs = g.pos;
	a->n_specs = g.npos;
	return vs_cli_ready(&g);
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

/* {"driver", "dry_run", "vfs": [{"address", "index", "pf", "from", "to"}],
 * "writes": [{"path", "value"}]}: the VFs bound (or to bind) until a failure. */
static int print_json(const struct vs_cli *cli, const struct vf_list *l, size_t n_done, const char *driver,
		      json_object *writes)
{
	json_object *doc = vs_json_doc_new(), *vfs = json_object_new_array();

	for (size_t i = 0; vfs && i < n_done; i++) {
		const struct vs_vf *vf = l->refs[i].vf;
		json_object *o = json_object_new_object();

		vs_json_set(o, "address", vs_json_str(vf->address));
		vs_json_set(o, "index", json_object_new_int((int)vf->index));
		vs_json_set(o, "pf", vs_json_str(l->refs[i].pf->address));
		vs_json_set(o, "from", vs_json_str(vf->driver));
		vs_json_set(o, "to", json_object_new_string(driver));
		json_object_array_add(vfs, o);
	}
	if (!doc) {
		json_object_put(vfs);
		json_object_put(writes);
		return -ENOMEM;
	}
	vs_json_set(doc, "driver", json_object_new_string(driver));
	vs_json_set(doc, "dry_run", json_object_new_boolean(cli->dry_run));
	vs_json_set(doc, "vfs", vfs);
	vs_json_set(doc, "writes", writes);
	return vs_json_doc_print(doc);
}

/* *done: how many VFs were bound (or would be), up to a failure. */
static int bind_each(struct vs_cli *cli, const struct vf_list *l, const char *driver, json_object *writes,
		     size_t *done)
{
	struct vs_sriov_ctx ctx;

	vs_sriov_ctx_init(&ctx, &cli->sysfs);
	ctx.dry_run = cli->dry_run;
	ctx.data = writes;
	if (cli->dry_run)
		ctx.note = print_write;
	for (*done = 0; *done < l->n; (*done)++) {
		const struct vs_vf *vf = l->refs[*done].vf;
		struct vs_bind_req req = { .vf = vf->address, .driver = driver, .pf_driver = l->refs[*done].pf->driver };
		struct vs_error err = { 0 };

		if (vs_sriov_bind(&ctx, &req, &err) < 0) {
			if (*done > 0)
				vs_cli_warn("%zu VF(s) before %s were bound; the ones after it were left alone", *done,
					    vf->address);
			return vs_cli_fail_err(&err, vf->address);
		}
		if (!cli->dry_run && !cli->json)
			printf("%s: %s (was %s)\n", vf->address, driver, vf->driver[0] ? vf->driver : "unbound");
	}
	return VS_EXIT_OK;
}

static int bind_all(struct vs_cli *cli, const struct vf_list *l, const char *driver)
{
	json_object *writes = cli->json ? json_object_new_array() : NULL;
	size_t done = 0;
	int status = bind_each(cli, l, driver, writes, &done);

	if (cli->json && print_json(cli, l, done, driver, writes) < 0)
		return VS_EXIT_FAILURE;
	return status;
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
