/* Which guests hold VFs, before numvfs or bind take them away. */
#pragma once

#include <stdbool.h>

#include "cli.h"
#include "inventory.h"

/* Fill in_use_by in host from libvirt (-c URI).  When libvirt cannot be
 * reached: a warning and VS_EXIT_OK when no affected VF can be held by a
 * running guest (`held_possible` false: none is bound to vfio-pci) or with
 * --force; otherwise the refusal's exit status, after a message. */
int vs_cli_vf_usage(struct vs_cli *cli, struct vs_host *host, const char *what, bool held_possible, bool force);
