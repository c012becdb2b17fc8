/* Device names: the one reading of a PF or VF name, for every command
 * (list, show, numvfs, bind, vf, xml, network, attach, detach, policy):
 *   a PF       any of its netdevs (em1), its PCI address (0000:01:00.0), or
 *              the short address lspci prints (01:00.0)
 *   a VF       its PCI address, full or short (01:10.0), its netdev (em1v3,
 *              as `list` shows it), or PF#N (em1#3, 0000:01:00.0#3, 01:00.0#3)
 *   VFs        a VFSET: one VF name, or PF#ranges (em1#0-3,7; the convention
 *              of the Kubernetes SR-IOV device plugin)
 * A short address is in domain 0000 when a device there has it (lspci
 * leaves out only domain 0), else in the one domain that has it; when
 * several do, it is an error listing them.  A name no device has is an
 * error listing the host's PFs (vs_host_unknown_name).
 *
 * Two steps: before a scan, the PF a name needs, from sysfs alone (a
 * netdev's device link, a VF's physfn link), so that a command scans only
 * that PF; on the scanned host, the PF or VFs themselves. */
#pragma once

#include <stddef.h>

#include "indexset.h"
#include "inventory.h"
#include "util.h"

struct vs_vf_ref {
	struct vs_pf *pf;
	struct vs_vf *vf;             /* NULL: the name is the PF's (vs_name_resolve) */
};

/* What a name may name. */
enum {
	VS_NAME_PF = 1 << 0,
	VS_NAME_VF = 1 << 1,
	VS_NAME_ANY = VS_NAME_PF | VS_NAME_VF,
};

/* A short address as the full one (sysfs decides the domain), a full one
 * as sysfs spells it (lowercase, 4-digit domain), any other name as it is:
 * *out is name or buf.  -EINVAL when several domains have the short
 * address (err lists them); a short address no device has stays as it is,
 * so that the lookup fails with the list of PFs. */
int vs_name_canon(const struct vs_sysfs *fs, const char *name, char buf[VS_PCI_ADDR_MAX], const char **out,
		  struct vs_error *err);

/* The PF whose scan a name needs (the PF itself, a VF's PF, PF#SET's PF),
 * from sysfs alone, for vs_scan_opts.only: its address (a non-PCI PF: its
 * device's name).  -ENOENT when sysfs alone does not say (no such name, not
 * of `kinds`, an ambiguous short address): scan every PF and resolve. */
int vs_name_pf_of(const struct vs_sysfs *fs, const char *name, unsigned kinds, char out[VS_PCI_ADDR_MAX]);

/* The one PF or VF a name names on a scanned host: a PF name, a VF name,
 * or PF#N.  -ENODEV no device of that name (err lists the PFs), -EINVAL a
 * PF where only VFs may be named or the reverse, several VFs, an
 * ambiguous short address; -ENOENT PF#N beyond the PF's VFs. */
int vs_name_resolve(const struct vs_host *host, const char *name, unsigned kinds, struct vs_vf_ref *out,
		    struct vs_error *err);

/* The PF a PF name names; NULL with err filled otherwise. */
struct vs_pf *vs_name_pf(const struct vs_host *host, const char *name, struct vs_error *err);

/* Resolve one VFSET against the inventory.  Every VF must exist (index below
 * sriov_numvfs); otherwise -ENOENT and err names the PF and the index. */
int vs_vfset_resolve(const struct vs_host *host, const char *spec, struct vs_vf_ref **out, size_t *n, struct vs_error *err);

/* The same for a spec that must name exactly one VF (e.g. --vf). */
int vs_vfset_resolve_one(const struct vs_host *host, const char *spec, struct vs_vf_ref *out, struct vs_error *err);
