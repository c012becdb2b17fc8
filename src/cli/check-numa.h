/* check --guests and plan's NUMA nodes (the full program only: libvirt
 * and libxml2). */
#pragma once

#include <json-c/json.h>

#include "check.h"
#include "cli.h"
#include "inventory.h"

/* For every running guest with a known node (numa.h: <numatune>, pinned
 * vCPUs), a WARN per VF it holds on a PF known to be on another node, or
 * one PASS; a WARN when libvirt cannot be asked.  host: its usage is filled
 * here.  0 or -ENOMEM. */
int vs_cli_check_numa(struct vs_cli *cli, struct vs_host *host, struct vs_check_report *rep);

/* plan's "numa": {"guest_nodes": "0-1" or null, "guest": where the domain
 * XML puts the guest, "vfs": [{"address", "pf", "node", "near"}] for every
 * VF of the XML}; null where unknown.  NULL for domain_xml NULL (a network
 * hook's input). */
json_object *vs_cli_plan_numa(const struct vs_sysfs *fs, const char *domain_xml);
