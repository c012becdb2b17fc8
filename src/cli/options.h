/* The VF settings as command-line options (one per field of vfconfig.h),
 * and the library's messages about them as usage errors naming options. */
#pragma once

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "vfconfig.h"

/* One long option per VF setting of vfconfig.h (required argument, val
 * `val`), appended at opts[*n]. */
void vs_cli_setting_options(struct option *opts, size_t *n, int val);
/* "[--mac M] [--vlan ID[:QOS[:PROTO]]] ..." for every VF setting, wrapped
 * before `width` columns, continuation lines starting with `indent`;
 * `col` is where the first option starts.  Ends with a newline. */
void vs_cli_settings_usage(FILE *out, size_t col, const char *indent, size_t width);
/* --NAME VALUE into cfg; on error the message (exit status 2 returned)
 * names the option.  `what` starts the message ("vf set"). */
int vs_cli_parse_setting(struct vs_vf_config *cfg, const char *name, const char *value, const char *what);
/* The rules between settings (vs_vf_config_check), as a usage error. */
int vs_cli_check_settings(const struct vs_vf_config *cfg, const char *what);
/* A usage error (exit status 2) from a library message, setting names as options. */
int vs_cli_usage_error(const char *what, const struct vs_error *err);
/* Setting names in a library message turned into options ("vlan 5" -> "--vlan 5"). */
void vs_cli_optify(const char *msg, char *out, size_t len);
/* A VLAN ID (0-4094) as xml and network take it (--vlan ID, no QoS): an
 * exit status, the usage error printed. */
int vs_cli_parse_vlan_id(const char *what, const char *s, int *out);
