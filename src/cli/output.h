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

/* A VF setting as it is written ("auto", "802.1ad", "on"), through
 * vfconfig's table; NULL when not set or unknown. */
const char *vs_setting_text(const struct vs_vf_config *c, const char *name, char *buf, size_t len);

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

/* One long option per VF setting of vfconfig.h (required argument, val
 * `val`), appended at opts[*n]. */
void vs_cli_setting_options(struct option *opts, size_t *n, int val);
/* --NAME VALUE into cfg; on error the message (exit status 2 returned)
 * names the option.  `what` starts the message ("vf set"). */
int vs_cli_parse_setting(struct vs_vf_config *cfg, const char *name, const char *value, const char *what);
/* The rules between settings (vs_vf_config_check), as a usage error. */
int vs_cli_check_settings(const struct vs_vf_config *cfg, const char *what);
/* A usage error (exit status 2) from a library message, setting names as options. */
int vs_cli_usage_error(const char *what, const struct vs_error *err);
/* Setting names in a library message turned into options ("vlan 5" -> "--vlan 5"). */
void vs_cli_optify(const char *msg, char *out, size_t len);
