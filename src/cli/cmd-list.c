/* virt-sriov list [PF...]: PFs, their VFs, drivers, groups, settings, users. */
#include "config.h"

#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "json-out.h"
#include "load.h"
#include "table-out.h"

static int list_usage(void)
{
	return vs_cli_fail(VS_EXIT_USAGE, "usage: virt-sriov [--json] list [PF...]");
}

struct list_args {
	char **pfs;                   /* NULL-terminated; empty: every PF */
};

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct list_args *a)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'j')
			cli->json = true;
		else if (c == 'h') {
			puts("Usage: virt-sriov [--json] list [PF...]");
			return VS_EXIT_DONE;
		} else
			return list_usage();
	}
	a->pfs = argv + optind;
	return VS_EXIT_OK;
}

int vs_cmd_list(struct vs_cli *cli, int argc, char **argv)
{
	struct list_args a = { 0 };
	struct vs_host *host = NULL;
	int r;

	r = parse_args(cli, argc, argv, &a);
	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	r = vs_cli_load_host(cli, a.pfs, VS_LOAD_SETTINGS | VS_LOAD_NON_PCI | VS_LOAD_NAMES,
			     &host);
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
