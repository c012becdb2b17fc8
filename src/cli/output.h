/* Output helpers shared by the commands: JSON values with null for the
 * "unknown" sentinels, aligned text tables, warnings on stderr. */
#pragma once

#include <getopt.h>

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

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

/* Aligned columns; every column but the last is padded.  A NULL cell
 * prints as "-". */
struct vs_table;
struct vs_table *vs_table_new(size_t ncols, const char *const *headers);
int vs_table_add(struct vs_table *t, const char *const *cells);
void vs_table_print(const struct vs_table *t, FILE *out);
void vs_table_free(struct vs_table *t);

/* "virt-sriov: warning: ..." for every warning of the host. */
void vs_print_host_warnings(const struct vs_host *host);

/* Words for VF settings ("auto", "802.1ad", "on"); NULL when unknown. */
const char *vs_link_state_name(int link_state);
const char *vs_vlan_proto_name(int proto);
const char *vs_on_off(int v);

/* PF and VF as JSON objects, with the fields of PRODUCT.md "list --json"
 * and more; usage_known says whether in_use_by came from libvirt. */
json_object *vs_json_pf(const struct vs_pf *pf, bool usage_known);
json_object *vs_json_vf(const struct vs_pf *pf, const struct vs_vf *vf, bool usage_known);
/* PF rows with their VF rows indented; "?" unknown, "-" none.  0 or -ENOMEM. */
int vs_print_host_table(const struct vs_host *host);
/* {"pfs": [...], "usage_known": bool, "warnings": [...]} */
json_object *vs_json_host(const struct vs_host *host);

/* ---- loading the inventory for a command ---- */
struct vs_cli;

enum {
	VS_LOAD_SETTINGS = 1 << 0,   /* VF settings over rtnetlink */
	VS_LOAD_USAGE = 1 << 1,      /* in_use_by from libvirt (-c URI) */
	VS_LOAD_NON_PCI = 1 << 2,    /* also non-PCI PFs (netdevsim): vs_scan_opts.non_pci */
	VS_LOAD_NAMES = 1 << 3,      /* vendor/device names from pci.ids (costly: only
					for commands that print them) */
};

/* Scan (only: PF names, NULL-terminated or NULL), then add what `flags`
 * ask for.  rtnetlink or libvirt being unavailable is a host warning, not
 * a failure.  Returns an exit status; on failure the error is printed. */
int vs_cli_load_host(struct vs_cli *cli, char *const *only, unsigned flags, struct vs_host **out);

/* --vlan ID[:QOS[:PROTO]] into cfg, with the setting names of policy.h. */
int vs_cli_parse_vlan(struct vs_vf_config *cfg, const char *spec, struct vs_error *err);
/* Append one required-argument long option per VF setting name (policy.h)
 * at opts[*n]: val vlan_val for "vlan", setting_val for the others. */
void vs_cli_setting_options(struct option *opts, size_t *n, int setting_val, int vlan_val);
