/* Everything that talks to libvirt through its API.  Never used by the hook
 * (a hook calling the libvirt API deadlocks the daemon). */
#pragma once

#include <libvirt/libvirt.h>
#include <stdbool.h>

#include "inventory.h"
#include "util.h"

/* Connect to uri (as virsh: -c, $LIBVIRT_DEFAULT_URI, qemu:///system is the
 * caller's choice).  libvirt's default printing of errors is turned off;
 * failures come back in err with libvirt's own message. */
int vs_libvirt_open(const char *uri, bool readonly, virConnectPtr *out, struct vs_error *err);

/* Fill vf->in_use_by for every VF held by a guest: plain <hostdev>,
 * <interface type='hostdev'> (live and persistent XML) and pool allocations
 * (network ports).  Sets host->usage_known. */
int vs_libvirt_fill_usage(virConnectPtr conn, struct vs_host *host, struct vs_error *err);
