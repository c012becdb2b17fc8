/* Which guest holds each VF, from libvirt: apart from load.c so that the
 * lean program (cli.h), which never asks, does not link libvirt's side. */
#include "config.h"

#include "libvirt.h"
#include "load.h"
#include "nodedev.h"

void vs_cli_load_usage(struct vs_cli *cli, struct vs_host *host)
{
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;

	if (vs_libvirt_open(vs_cli_uri(cli), true, &conn, &err) < 0) {
		vs_host_warn(host, "%s; in_use_by unknown", err.msg[0] ? err.msg : "cannot connect to libvirt");
		return;
	}
	if (vs_libvirt_fill_usage(conn, host, &err) < 0)
		vs_host_warn(host, "%s; in_use_by unknown", err.msg[0] ? err.msg : "cannot list guests");
	virConnectClose(conn);
}


int vs_cli_load_libvirt(struct vs_cli *cli, const struct vs_scan_opts *opts, unsigned flags, struct vs_host **out)
{
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;
	int r = vs_libvirt_open(vs_cli_uri(cli), true, &conn, &err);

	if (r == 0)
		r = vs_nodedev_scan(conn, opts, out, &err);
	if (conn)
		virConnectClose(conn);
	if (r < 0)
		return vs_cli_fail_err(&err, "libvirt's node devices");
	if (!(flags & VS_LOAD_SETTINGS))
		return VS_EXIT_OK;
	for (size_t i = 0; i < (*out)->n_pfs; i++) {
		if ((*out)->pfs[i].n_vfs && !(*out)->pfs[i].vf_settings_na) {
			if (cli->remote[0])
				vs_host_warn(*out, "VF settings need the host: run `virt-sriov list` on %s", cli->remote);
			else
				vs_host_warn(*out, "VF settings are not in libvirt's node devices (--source libvirt)");
			break;
		}
	}
	return VS_EXIT_OK;
}
