/* Which guest holds each VF, from libvirt: apart from load.c so that the
 * lean program (cli.h), which never asks, does not link libvirt's side. */
#include "config.h"

#include "libvirt.h"
#include "load.h"

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

