/* VF index sets, "0-3,7,12": the part after '#' in em1#0-3,7. */
#pragma once

#include <stddef.h>

#include "util.h"

/* Parse "0-3,7,12" into a sorted, de-duplicated list of indexes (each at
 * most 65535).  -EINVAL with err naming the bad part. */
int vs_parse_index_set(const char *spec, unsigned **out, size_t *n, struct vs_error *err);
/* The same; err quotes `label`, what the user wrote ("em1#0-3,x" for the
 * spec "0-3,x"). */
int vs_index_set_parse(const char *label, const char *spec, unsigned **out, size_t *n, struct vs_error *err);
