/* JSON output: values with null for the "unknown" sentinels, printing, and
 * the inventory (PF, VF, host) as JSON objects. */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>

#include "inventory.h"

/* JSON values; each returns NULL (json null) for the unknown sentinel. */
json_object *vs_json_str(const char *s);          /* NULL or "" -> null */
json_object *vs_json_int(long long v);            /* v < 0 -> null */
json_object *vs_json_bool(int v);                 /* v < 0 -> null, else true/false */
json_object *vs_json_hex4(unsigned id);           /* 0 -> null, else "8086" */
/* Add key to obj (a NULL value adds null).  Returns 0 or -ENOMEM. */
int vs_json_set(json_object *obj, const char *key, json_object *val);
/* Pretty-print with a final newline to stdout; 0 or -EIO. */
int vs_json_print(json_object *obj);
/* The same without the blank after ':', as check, plan, policy show and
 * reconcile have always printed (scripts parse them as they are). */
int vs_json_print_unspaced(json_object *obj);

/* PF and VF as JSON objects, as `list --json` prints them: a PF's address,
 * netdevs, driver, PCI IDs and names, NUMA node, IOMMU group, VF counts,
 * offset and stride, and its VFs; a VF's number, address, driver, netdev,
 * IOMMU group, PCI IDs, VF settings (null when unknown), config_known and
 * in_use_by.  usage_known says whether in_use_by came from libvirt. */
json_object *vs_json_pf(const struct vs_pf *pf, bool usage_known);
json_object *vs_json_vf(const struct vs_pf *pf, const struct vs_vf *vf, bool usage_known);
/* {"pfs": [...], "usage_known": bool, "warnings": [...]} */
json_object *vs_json_host(const struct vs_host *host);
