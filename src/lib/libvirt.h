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

/* libvirt's last error message (never NULL) and code, for messages that say
 * what the tool was doing plus what libvirt said. */
const char *vs_libvirt_message(void);
int vs_libvirt_code(void);
/* Turn off libvirt's default printing of errors on stderr. */
void vs_libvirt_silence(void);

/* 1 when the network is a hostdev pool (<forward mode='hostdev'>), 0 not. */
int vs_libvirt_network_is_hostdev(virNetworkPtr net, struct vs_error *err);
/* From a <networkport> XML: the VF address ("" when the port has none) and
 * the owner's guest name (looked up by UUID).  *owner is malloc'ed. */
int vs_libvirt_port_info(virConnectPtr conn, const char *xml, char addr[VS_PCI_ADDR_MAX], char **owner,
			 struct vs_error *err);

/* ---- hostdev pools (networks with <forward mode='hostdev'>) ---- */

enum vs_pool_change {
	VS_POOL_DEFINED = 1 << 0,     /* did not exist */
	VS_POOL_UPDATED = 1 << 1,     /* existed with other XML; redefined, same UUID */
	VS_POOL_AUTOSTART = 1 << 2,   /* autostart turned on */
	VS_POOL_STARTED = 1 << 3,     /* was inactive, started */
	VS_POOL_DESTROYED = 1 << 4,   /* remove: stopped */
	VS_POOL_UNDEFINED = 1 << 5,   /* remove: definition deleted */
};

enum vs_pool_stage { VS_STAGE_NONE, VS_STAGE_LOOKUP, VS_STAGE_DEFINE, VS_STAGE_AUTOSTART, VS_STAGE_START,
		     VS_STAGE_PORTS, VS_STAGE_DESTROY, VS_STAGE_UNDEFINE };

struct vs_pool_result {
	char name[256];
	unsigned changes;             /* enum vs_pool_change bits: done, or to do with dry_run */
	enum vs_pool_stage failed;    /* where it stopped on error */
	int n_ports;                  /* remove: ports found */
};

/* Define (or redefine when the XML differs, keeping the UUID), turn on
 * autostart, start when inactive.  With dry_run nothing is changed and
 * res->changes says what would be.  Refuses to touch a network of that name
 * that is not a hostdev pool. */
int vs_libvirt_pool_apply(virConnectPtr conn, const char *xml, bool autostart, bool dry_run,
			  struct vs_pool_result *res, struct vs_error *err);

/* The same; with start false an inactive pool is left inactive (virt-sriov
 * apply: the configuration says whether to start it now). */
int vs_libvirt_pool_apply_start(virConnectPtr conn, const char *xml, bool autostart, bool start, bool dry_run,
				struct vs_pool_result *res, struct vs_error *err);

/* Stop and undefine a hostdev pool; refuses while it has ports (VFs handed
 * to guests) unless force. */
int vs_libvirt_pool_remove(virConnectPtr conn, const char *name, bool force, bool dry_run,
			   struct vs_pool_result *res, struct vs_error *err);

struct vs_pool_port {
	char address[VS_PCI_ADDR_MAX];  /* "" when the port names no VF */
	char *owner;                    /* guest name */
};

struct vs_pool_info {
	char *name;
	char *pf;                     /* <pf dev>; NULL for an address list */
	int n_vfs;                    /* VFs in the pool; -1 unknown (inactive <pf> pool) */
	struct vs_pool_port *ports;
	size_t n_ports;
	bool active, autostart, persistent;
};

/* Every hostdev pool, sorted by name. */
int vs_libvirt_pool_list(virConnectPtr conn, struct vs_pool_info **out, size_t *n, struct vs_error *err);
void vs_pool_info_free(struct vs_pool_info *p, size_t n);

/* ---- ports left behind (issue 13) ---- */

/* A port of a hostdev pool whose owner guest does not run: libvirtd killed
 * while it tore the guest down re-creates the port at its restart and never
 * deletes it, so the VF stays taken. */
struct vs_stale_port {
	char network[256];
	char uuid[VIR_UUID_STRING_BUFLEN];        /* the port's */
	char owner_uuid[VIR_UUID_STRING_BUFLEN];
	char *owner;                  /* the name the port recorded */
	char address[VS_PCI_ADDR_MAX];  /* "" when the port names no VF */
	char *error;                  /* the delete failed: libvirt's words */
};

/* Delete (with dry_run: only list) the ports of every active hostdev pool
 * whose owner is not a running guest of conn.  A port whose owner cannot be
 * looked up for another reason than "no such guest" is left alone; a
 * running guest's port is never deleted.  libvirt runs the network hook's
 * port-deleted for each port deleted.  Returns the number of ports listed
 * (their delete failures in ->error) or -errno; *out holds the ports listed
 * either way (free with vs_stale_ports_free). */
int vs_libvirt_stale_ports(virConnectPtr conn, bool dry_run, struct vs_stale_port **out, size_t *n,
			   struct vs_error *err);
void vs_stale_ports_free(struct vs_stale_port *p, size_t n);

/* The guest's VF policy in its <metadata> (policy.h).  flags: one of
 * VIR_DOMAIN_AFFECT_LIVE / _CONFIG to read; any to write.  An absent element
 * is an empty policy; writing an empty policy removes the element. */
struct vs_policy;
int vs_libvirt_policy_get(virDomainPtr dom, unsigned flags, struct vs_policy *pol, struct vs_error *err);
int vs_libvirt_policy_put(virDomainPtr dom, unsigned flags, const struct vs_policy *pol, struct vs_error *err);
