/* The inventory a command works on: the scan, then VF settings over
 * rtnetlink and guest usage from libvirt, as the command asks. */
#include "config.h"

#include "load.h"
#include "netlink.h"

void vs_print_host_warnings(const struct vs_host *host)
{
	for (size_t i = 0; host && i < host->n_warnings; i++)
		vs_cli_warn("%s", host->warnings[i]);
}

int vs_cli_load_host(struct vs_cli *cli, char *const *only, unsigned flags, struct vs_host **out)
{
	struct vs_scan_opts opts = { .sysfs = &cli->sysfs, .non_pci = flags & VS_LOAD_NON_PCI,
				     .no_names = !(flags & VS_LOAD_NAMES) };
	struct vs_error err = { 0 }, nlerr = { 0 };
	size_t n = 0;
	int r;

	for (; only && only[n]; n++) {
		if (n + 1 >= ELEMENTSOF(opts.only))
			return vs_cli_fail(VS_EXIT_USAGE, "at most %zu PF names at once", ELEMENTSOF(opts.only) - 1);
		opts.only[n] = only[n];
	}
	if ((flags & VS_LOAD_SETTINGS) && vs_nl_open(&opts.nl, &nlerr) < 0)
		opts.nl = NULL;
	r = vs_inventory_scan(&opts, out, &err);
	if (opts.nl)
		vs_nl_close(opts.nl);
	if (r < 0)
		return vs_cli_fail_err(&err, "inventory");
	if ((flags & VS_LOAD_SETTINGS) && nlerr.code)
		vs_host_warn(*out, "cannot open rtnetlink (%s); VF settings unknown", nlerr.msg);
	return VS_EXIT_OK;
}

