/* Scripted attach and detach of VFs (`virt-sriov attach` / `detach`).
 *
 * Choosing a VF is a pure function over the inventory (with usage filled
 * from libvirt), facts read from sysfs (netdev up, IOMMU group members) and
 * the reservations of other attaches in flight.  Choose-and-attach runs
 * under an flock on VS_ATTACH_LOCK in the state directory, so concurrent
 * scripts never get the same VF; the kernel drops the lock of a killed
 * holder.  Settings are applied the way the hook applies them (its plan,
 * its state file), so that the hook's release, `detach` and `reconcile`
 * put the VF back. */
#pragma once

#include <libvirt/libvirt.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "hook-plan.h"
#include "inventory.h"
#include "util.h"

#define VS_ATTACH_LOCK "attach.lock"
#define VS_ATTACH_RESERVED "attach-reserved.json"
#define VS_ATTACH_LOCK_MS 60000
/* A reservation whose process died is still honoured this long: libvirtd
 * finishes an attach whose client went away, and the next chooser must
 * not read the usage before that attach shows in the XML. */
#define VS_ATTACH_GRACE_S 60

/* ---- choosing ---- */

enum vs_busy {
	VS_VF_FREE = 0,
	VS_VF_HELD,           /* a guest holds it (domain XML or pool port) */
	VS_VF_RESERVED,       /* another attach is in flight */
	VS_VF_NETDEV_UP,      /* on a host driver with its netdev up */
	VS_VF_GROUP_SHARED,   /* its IOMMU group has a device used elsewhere */
	VS_VF_BUSY_MAX
};

struct vs_group_member {
	char address[VS_PCI_ADDR_MAX];
	bool has_driver;      /* bound to any driver: in use when not a VF */
};

/* What sysfs says about one VF, beyond the inventory. */
struct vs_vf_facts {
	bool netdev_up;
	struct vs_group_member *group;  /* the other devices of its IOMMU group; PCI bridges left out */
	size_t n_group;
};

struct vs_reservation {
	char address[VS_PCI_ADDR_MAX];
	char domain[256];
	long pid;
	long long since;      /* seconds since the epoch */
};

struct vs_choose_in {
	const struct vs_host *host;           /* in_use_by filled */
	const struct vs_pf *pf;
	const struct vs_vf_facts *facts;      /* parallel to pf->vfs; NULL: none known */
	const struct vs_reservation *reserved;
	size_t n_reserved;
	bool force;                           /* a netdev that is up does not count */
};

struct vs_choose_out {
	int index;                            /* position in pf->vfs; -1 none */
	unsigned count[VS_VF_BUSY_MAX];       /* VFs of the PF per reason */
	char holders[256];                    /* "a,b" guests holding VFs of the PF ("..." when more) */
	char blocker[VS_PCI_ADDR_MAX];        /* first group-sharing device seen */
};

/* Why the VF at position i of in->pf is not free (VS_VF_FREE when it is);
 * *dev names the device of its group that blocks it (GROUP_SHARED). */
enum vs_busy vs_attach_vf_busy(const struct vs_choose_in *in, size_t i, const char **dev);
/* The lowest free VF of the PF.  -ENOSPC with err saying
 * "no free VF on PF em1 (7 VFs: 5 held by guests a,b, 2 on host driver with
 * netdev up)" when there is none. */
int vs_attach_choose(const struct vs_choose_in *in, struct vs_choose_out *out, struct vs_error *err);

/* Read the facts of every VF of pf from sysfs (*facts parallel to pf->vfs). */
int vs_attach_facts(const struct vs_sysfs *fs, const struct vs_pf *pf, struct vs_vf_facts **facts,
		    struct vs_error *err);
void vs_attach_facts_free(struct vs_vf_facts *facts, size_t n);

/* ---- the lock and the reservations (in the state directory) ---- */

/* flock on DIR/attach.lock, waiting at most timeout_ms (the directory is
 * created 0700 when missing and checked as statedir.h says).  Close *fd to
 * unlock. */
int vs_attach_lock(const char *dir, int timeout_ms, int *fd, struct vs_error *err);
/* Reservations still in force: the process is alive, or died less than
 * VS_ATTACH_GRACE_S ago.  Missing file: none.  Call with the lock held. */
int vs_reservations_load(const char *dir, long long now, struct vs_reservation **out, size_t *n,
			 struct vs_error *err);
/* Add (add true) or drop the reservation of address; the file is replaced
 * atomically.  Call with the lock held. */
int vs_reservation_update(const char *dir, const struct vs_reservation *r, bool add, struct vs_error *err);

/* ---- attach ---- */

enum vs_attach_kind {
	VS_ATTACH_HOSTDEV,    /* <hostdev> */
	VS_ATTACH_INTERFACE,  /* <interface type='hostdev'> */
	VS_ATTACH_NETWORK,    /* <interface type='network'>: the pool picks the VF */
};

struct vs_attach_env {
	virConnectPtr conn;
	struct vs_host *host;                 /* scanned; usage is filled under the lock */
	const struct vs_hook_env *hook;       /* sysfs, host config, state dir, VF ops */
	int lock_timeout_ms;
	/* the host is remote (a remote libvirt URI): its VFs, state directory
	 * and lock are not this machine's, so nothing is applied, restored or
	 * remembered here; what only that would make right is refused */
	bool remote;
};

struct vs_attach_req {
	const char *domain;                   /* name or UUID */
	enum vs_attach_kind kind;
	const char *pf;                       /* choose on this PF ... */
	const char *vf;                       /* ... or this VF (address, PF#N) ... */
	const char *network;                  /* ... or let this pool choose */
	struct vs_vf_config cfg;              /* the command line's settings (mac, vlan included) */
	unsigned flags;                       /* VIR_DOMAIN_AFFECT_LIVE/CONFIG; 0: as virsh */
	bool force;
	/* With network: a failover pair (xmlgen.h), its virtio half on this
	 * bridge or this (non-hostdev) network; neither: user-mode. */
	bool failover;
	const char *bridge, *backup_network;
	const char *numa;                     /* "auto" or a node: choose near it (attach-numa.c); NULL */
	bool numa_required;                   /* refuse rather than take a VF on another node */
	bool dry_run;                         /* choose, attach nothing */
};

struct vs_attach_result {
	char domain[256];
	char uuid[VS_UUID_LEN + 1];
	enum vs_attach_kind kind;
	char address[VS_PCI_ADDR_MAX];        /* "" for a pool interface */
	char pf[IFNAMSIZ];
	char pf_address[VS_PCI_ADDR_MAX];
	int index;                            /* VF number; -1 */
	char mac[18];                         /* "" unknown */
	char network[256];
	unsigned flags;                       /* what was affected */
	struct vs_vf_config settings;         /* resolved settings for the VF (host + guest policy + command line) */
	bool applied;                         /* settings applied now (live) */
	bool stored;                          /* rule stored in the guest's metadata policy */
	char alias[32];                       /* failover: the virtio half's alias; "" otherwise */
	int numa_node;                        /* --numa: the chosen PF's node; -1 unknown */
	char numa_why[256];                   /* --numa auto: where the guest is */
	char numa_note[1024];                 /* --numa: a fallback, or nothing to go by; "" */
};

/* live/config from flags and the guest's state, as virsh does; -EINVAL
 * with err saying what to use instead. */
int vs_attach_flags(virDomainPtr dom, unsigned flags, unsigned *out, struct vs_error *err);
int vs_attach(const struct vs_attach_env *env, const struct vs_attach_req *req, struct vs_attach_result *res,
	      struct vs_error *err);

/* ---- detach ---- */

struct vs_detach_req {
	const char *domain;
	const char *vf;                       /* address or PF#N */
	const char *mac;
	bool all;
	const char *pf;                       /* with all: only VFs of this PF */
	unsigned flags;
};

struct vs_detached {
	enum vs_attach_kind kind;
	char address[VS_PCI_ADDR_MAX];        /* "" for a pool interface without a VF */
	char mac[18];
	char network[256];
	bool restored;                        /* saved settings put back */
};

/* Detach every selected device (each a complete unit: libvirt detach,
 * settings put back, state entry and policy rule dropped).  *out lists
 * what was done, also on failure. */
int vs_detach(const struct vs_attach_env *env, const struct vs_detach_req *req, unsigned *flags_used,
	      struct vs_detached **out, size_t *n, struct vs_error *err);

const char *vs_attach_kind_name(enum vs_attach_kind k);
