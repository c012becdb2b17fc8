/* virt-sriov list [PF...]: PFs, their VFs, drivers, groups, settings, users. */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "json-out.h"
#include "load.h"
#include "options.h"
#include "table-out.h"
#include "vfset.h"

struct list_args {
	char **pfs;                   /* NULL-terminated; empty: every PF */
};

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct list_args *a)
{
	struct vs_getopt g;
	int r;

	if ((r = vs_cli_getopt_common(&g, cli, argc, argv)) != VS_EXIT_OK)
		return r;
	a->pfs = g.pos;
	return vs_cli_ready(&g);
}

int vs_cmd_list(struct vs_cli *cli, int argc, char **argv)
{
	struct list_args a = { 0 };
	struct vs_host *host = NULL;
	int r;

	r = parse_args(cli, argc, argv, &a);
	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	r = vs_cli_load_named(cli, a.pfs, VS_NAME_PF,
			      VS_LOAD_SETTINGS | VS_LOAD_NON_PCI | VS_LOAD_NAMES | VS_LOAD_DEVLINK, &host);
	if (r != VS_EXIT_OK)
		return r;
	vs_cli_load_usage(cli, host);
	vs_print_host_warnings(host);
	if (cli->json) {
		json_object *doc = vs_json_doc_new();

		r = doc ? vs_json_host(doc, host) : -ENOMEM;
		r = r < 0 ? r : vs_json_doc_print(TAKE_PTR(doc));
		json_object_put(doc);
	} else {
		r = vs_print_host_table(host);
	}
	vs_host_free(host);
	if (r < 0)
		return vs_cli_fail(VS_EXIT_FAILURE, "cannot print the inventory: %s", strerror(-r));
	return VS_EXIT_OK;
}
