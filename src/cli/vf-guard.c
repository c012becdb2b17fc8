#include "config.h"

#include "libvirt.h"
#include "vf-guard.h"

int vs_cli_vf_usage(struct vs_cli *cli, struct vs_host *host, const char *what, bool held_possible, bool force)
{
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;
	int r;

	r = vs_libvirt_open(vs_cli_uri(cli), true, &conn, &err);
	if (r >= 0) {
		r = vs_libvirt_fill_usage(conn, host, &err);
		virConnectClose(conn);
	}
	if (r >= 0)
		return VS_EXIT_OK;
	/* Without libvirt nobody can say which guest holds a VF; a VF on
	 * vfio-pci may be in a running guest, anything else cannot be. */
	if (!held_possible || force) {
		vs_cli_warn("cannot tell which guests use %s (%s)%s", what, err.msg,
			    force ? "; going on because of --force" : "");
		return VS_EXIT_OK;
	}
	return vs_cli_fail(VS_EXIT_FAILURE, "cannot tell whether a guest uses %s, some are on vfio-pci "
			   "(%s); use --force to go on anyway", what, err.msg);
}
