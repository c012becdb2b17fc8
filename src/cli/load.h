/* The inventory a command works on: the scan, then VF settings over
 * rtnetlink and guest usage from libvirt, as the command asks. */
#pragma once

#include "cli.h"
#include "inventory.h"

enum {
	VS_LOAD_SETTINGS = 1 << 0,   /* VF settings over rtnetlink */
	VS_LOAD_NON_PCI = 1 << 2,    /* also non-PCI PFs (netdevsim): vs_scan_opts.non_pci */
	VS_LOAD_NAMES = 1 << 3,      /* vendor/device names from pci.ids (costly: only
					for commands that print them) */
	VS_LOAD_BAD_NAME_USAGE = 1 << 4, /* vs_cli_load_named: a name refused as malformed
					    (-EINVAL: syntax, ambiguous) exits 2, not 1 */
	VS_LOAD_DEVLINK = 1 << 5,    /* eswitch mode, VF ports, representors, rates over
					devlink; only on the live host (a captured or
					generated tree has no devlink: null) */
};

/* Scan (only: PF names, NULL-terminated or NULL), then add what `flags`
 * ask for.  rtnetlink or libvirt being unavailable is a host warning, not
 * a failure.  Returns an exit status; on failure the error is printed. */
int vs_cli_load_host(struct vs_cli *cli, char *const *only, unsigned flags, struct vs_host **out);

/* The same for the devices NAMES name (NULL-terminated; vfset.h: PF or VF
 * names, VFSETs; `kinds`: what they may name), scanning only their PFs.
 * Every name is resolved against the host before it is returned: an
 * unknown name fails here, its message listing the PFs.  No names: every
 * PF. */
int vs_cli_load_named(struct vs_cli *cli, char *const *names, unsigned kinds, unsigned flags, struct vs_host **out);

/* The PCI address of the one VF NAME names (--vf of policy): a PCI address
 * as it is (the VF need not exist yet), any other name from this host.
 * Returns an exit status; on failure the error is printed. */
int vs_cli_vf_address(struct vs_cli *cli, const char *name, char out[VS_PCI_ADDR_MAX]);

/* The inventory from libvirt's node devices (cli->libvirt_source): a remote
 * URI or --source libvirt.  usage.c (the full program only). */
struct vs_scan_opts;
int vs_cli_load_libvirt(struct vs_cli *cli, const struct vs_scan_opts *opts, unsigned flags, struct vs_host **out);

/* in_use_by of every VF from libvirt (-c URI); libvirt being unavailable
 * is a host warning.  usage.c: the lean program does not link it. */
void vs_cli_load_usage(struct vs_cli *cli, struct vs_host *host);

/* "virt-sriov: warning: ..." for every warning of the host. */
void vs_print_host_warnings(const struct vs_host *host);
