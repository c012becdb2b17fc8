/* check --guests (the full program only: libvirt and libxml2). */
#pragma once

#include "check.h"
#include "cli.h"
#include "inventory.h"

/* For every running guest with a known node (numa.h: <numatune>, pinned
 * vCPUs), a WARN per VF it holds on a PF known to be on another node, or
 * one PASS; a WARN when libvirt cannot be asked.  host: its usage is filled
 * here.  0 or -ENOMEM. */
int vs_cli_check_numa(struct vs_cli *cli, struct vs_host *host, struct vs_check_report *rep);
