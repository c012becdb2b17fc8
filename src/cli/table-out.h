/* Text output: aligned tables, the inventory as one, a VF setting as a word. */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "inventory.h"

/* Aligned columns; every column but the last is padded.  A NULL cell
 * prints as "-". */
struct vs_table;
struct vs_table *vs_table_new(size_t ncols, const char *const *headers);
int vs_table_add(struct vs_table *t, const char *const *cells);
void vs_table_print(const struct vs_table *t, FILE *out);
void vs_table_free(struct vs_table *t);

/* A VF setting as it is written ("auto", "802.1ad", "on"), through
 * vfconfig's table; NULL when not set or unknown. */
const char *vs_setting_text(const struct vs_vf_config *c, const char *name, char *buf, size_t len);

/* A devlink rate (bytes/s) in Mbit/s, the unit of the legacy rates: "10",
 * "0.5". */
void vs_format_mbps(uint64_t bytes_per_s, char *buf, size_t len);

/* PF rows with their VF rows indented; "?" unknown, "-" none or not
 * applicable (VF settings of an NVMe PF).  0 or -ENOMEM. */
int vs_print_host_table(const struct vs_host *host);
