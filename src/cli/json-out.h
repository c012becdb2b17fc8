/* JSON output: the one envelope of every command's --json, values with null
 * for the "unknown" sentinels, printing, and the inventory (PF, VF, host) as
 * JSON objects.  The contract is docs/json.md; the schemas docs/json/. */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "inventory.h"

/* JSON values; each returns NULL (json null) for the unknown sentinel. */
json_object *vs_json_str(const char *s);          /* NULL or "" -> null */
json_object *vs_json_int(long long v);            /* v < 0 -> null */
json_object *vs_json_bool(int v);                 /* v < 0 -> null, else true/false */
json_object *vs_json_hex4(unsigned id);           /* 0 -> null, else "8086" */
/* A devlink rate (bytes/s, as the kernel keeps it) in Mbit/s, the unit of
 * the legacy max_tx_rate: an integer when whole, else a fraction. */
json_object *vs_json_mbps(uint64_t bytes_per_s);
/* ---- the envelope ----
 *
 * Every command with --json prints ONE object on stdout:
 *     {"version": VS_JSON_VERSION, "warnings": [...], <the command's fields>}
 * made with vs_json_doc_new() and printed with vs_json_doc_print(), which
 * adds the warnings vs_cli_warn() collected (they go to stderr without
 * --json) and, after vs_cli_fail() with exit status 1, "error": its line.
 * A command that fails before printing gets {"version", "warnings",
 * "error"} from vs_json_finish(); a usage error (exit status 2) prints no
 * object. */
#define VS_JSON_VERSION 1

/* Where --json is: main() points at struct vs_cli.json, which parse_args
 * may set after the global options. */
void vs_json_watch(const bool *json);
bool vs_json_on(void);
/* {"version": 1, "warnings": []}; the warnings are added when it is
 * printed.  NULL on no memory. */
json_object *vs_json_doc_new(void);
/* Add the warnings (and the error) so far, print, and put doc; 0 or -EIO
 * (-ENOMEM for doc NULL).  Only the first document of a run is printed. */
int vs_json_doc_print(json_object *doc);
/* With --json: keep a warning (true), or false when it must go to stderr
 * (the document is printed already).  vs_cli_warn's path. */
bool vs_json_add_warning(const char *msg);
/* vs_cli_fail's path: remember the first failure's message. */
void vs_json_note_error(int status, const char *msg);
/* At the end of a command with --json: exit status 1 and nothing printed
 * yet: print the envelope with "error".  Returns status. */
int vs_json_finish(int status);
/* Move obj's members into doc, its "warnings" (strings) into the
 * document's; puts obj.  0 or -ENOMEM. */
int vs_json_doc_merge(json_object *doc, json_object *obj);
/* A dry run's sysfs write, {"path": root + path, "value": value}, added
 * to the array writes.  numvfs and bind. */
void vs_json_add_write(json_object *writes, const char *root, const char *path, const char *value);
/* A settings object with the keys of vfconfig's table (only the settings
 * set); {} when none. */
json_object *vs_json_settings(const struct vs_vf_config *c);

/* Add key to obj (a NULL value adds null).  Returns 0 or -ENOMEM. */
int vs_json_set(json_object *obj, const char *key, json_object *val);
/* Pretty-print with a final newline to stdout; 0 or -EIO. */
int vs_json_print(json_object *obj);

/* PF and VF as JSON objects, as `list --json` prints them: a PF's address,
 * netdevs, driver, PCI IDs and names, NUMA node, IOMMU group, VF counts,
 * offset and stride, and its VFs; a VF's number, address, driver, netdev,
 * IOMMU group, PCI IDs, config_known and VF settings (null when unknown;
 * both absent where settings do not apply: pf->vf_settings_na) and in_use_by.  usage_known says whether in_use_by came from libvirt. */
json_object *vs_json_pf(const struct vs_pf *pf, bool usage_known);
json_object *vs_json_vf(const struct vs_pf *pf, const struct vs_vf *vf, bool usage_known);
/* {"pfs": [...], "usage_known": bool} into doc; 0 or -ENOMEM. */
int vs_json_host(json_object *doc, const struct vs_host *host);
