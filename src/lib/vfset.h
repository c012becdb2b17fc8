/* Naming VFs on the command line and in configuration:
 *   a VF PCI address          0000:01:10.0
 *   PF#N                      em1#3, 0000:01:00.0#3
 *   PF#ranges                 em1#0-3,7
 * (the convention of the Kubernetes SR-IOV device plugin). */
#pragma once

#include <stddef.h>

#include "indexset.h"
#include "inventory.h"
#include "util.h"

struct vs_vf_ref {
	struct vs_pf *pf;
	struct vs_vf *vf;
};

/* Resolve one VFSET against the inventory.  Every VF must exist (index below
 * sriov_numvfs); otherwise -ENOENT and err names the PF and the index. */
int vs_vfset_resolve(const struct vs_host *host, const char *spec, struct vs_vf_ref **out, size_t *n, struct vs_error *err);

/* The same for a spec that must name exactly one VF (e.g. --vf). */
int vs_vfset_resolve_one(const struct vs_host *host, const char *spec, struct vs_vf_ref *out, struct vs_error *err);
