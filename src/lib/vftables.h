/* The PFs' VF tables (what RTM_GETLINK reports: each VF's MAC, VLAN, spoof
 * checking, trust, link state, rates) kept in a file, for a host that is
 * not this one: a tree made by `virt-sriov capture DIR` (or the tests'
 * generator) carries them in DIR/virt-sriov/vfs.json, and the inventory of
 * `--sysfs-root DIR` reads them there instead of asking rtnetlink.
 *
 * The format is the one of the tests' fake kernel (tests/tools/fake-kernel.h):
 *   { "em1": [ { "index": 0, "mac": "...", "vlan": 0, "spoofchk": true, ... }, ... ] }
 * one array per PF netdev, one object per VF with the keys of `list --json`
 * (vfconfig.h); a key a VF lacks is a setting its driver does not report. */
#pragma once

#include <json-c/json.h>

#include "netlink.h"
#include "sysfs.h"
#include "util.h"
#include "vfconfig.h"

/* Under the tree's root. */
#define VS_VFTABLES_FILE "/virt-sriov/vfs.json"

/* The file of a tree (root/virt-sriov/vfs.json) when the sysfs root is not
 * the live host's and the file exists: 0, path in buf; else -ENOENT. */
int vs_vftables_find(const struct vs_sysfs *s, char *buf, size_t len);
/* The VF table of one PF netdev: -ENODEV when the file has none for it;
 * -EINVAL naming the file, the PF and the VF for a malformed entry. */
int vs_vftables_read(const char *path, const char *pf, struct vs_pf_vf_list *out, struct vs_error *err);
/* One PF's array of such a file (the fake kernel reads its own file with
 * it): every entry an object with "index". */
int vs_vftables_parse(json_object *arr, const char *path, const char *pf, struct vs_pf_vf_list *out,
		      struct vs_error *err);
/* Building a file: an empty table, a VF added to a PF's array (created on
 * first use), the whole written (pretty-printed). */
json_object *vs_vftables_new(void);
int vs_vftables_add(json_object *tables, const char *pf, const struct vs_vf_config *c);
int vs_vftables_write(json_object *tables, const char *path, struct vs_error *err);
