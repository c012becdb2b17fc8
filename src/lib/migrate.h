/* Can a guest with VFs be live-migrated (`virt-sriov migrate-check`)?
 *
 * QEMU migrates a guest whose VFs are each the transient half of a
 * virtio-net failover pair (xmlgen.h): it unplugs the VF, the guest's
 * net_failover keeps traffic on the virtio half, and the destination plugs
 * a VF of its own from a hostdev pool of the same name.  This reads the
 * guest (the XML a migration sends) and its policy on the source, the pools
 * on the destination (through libvirt), and says what stands in the way and
 * what the hook does on each side.  The destination's virt-sriov.conf (its
 * gates for spoofchk off / trust on) cannot be read over libvirt: it is
 * checked only when the destination is this host. */
#pragma once

#include <libvirt/libvirt.h>
#include <stdbool.h>

#include "conf.h"
#include "state.h"
#include "util.h"
#include "vfconfig.h"

struct vs_migrate_dev {
	char kind[16];                 /* "hostdev", "interface" (type='hostdev'), "network" (a pool) */
	char mac[18];                  /* "" for a plain <hostdev> */
	char address[VS_PCI_ADDR_MAX]; /* a fixed VF's; "" for a pool interface */
	char network[256];             /* the pool; "" */
	char alias[64];                /* teaming persistent='...'; "" without teaming */
	char problem[1024];             /* why it cannot migrate; "" when it can */
	struct vs_vf_config policy;    /* pool VFs: what the guest's policy gives it */
	bool gated;                    /* that policy asks spoofchk off or trust on */
	char source_step[768];         /* what the hook does for it on each side */
	char dest_step[768];
};

struct vs_migrate_pool {
	char name[256];
	unsigned wanted;               /* VFs the guest takes from it */
	bool found, active;            /* on the destination */
	int n_vfs;                     /* -1 unknown (an inactive <pf dev> pool) */
	int used;                      /* ports (VFs handed out) */
	char problem[1024];
};

enum vs_gates { VS_GATES_NONE, VS_GATES_ALLOWED, VS_GATES_REFUSED, VS_GATES_UNCHECKED };

struct vs_migrate_report {
	char domain[256];
	char uuid[VS_UUID_LEN + 1];
	char dest_host[256];           /* the destination's hostname, as libvirt says */
	bool running;                  /* false: the definition was checked */
	bool same_host;                /* the destination's host UUID is the source's */
	struct vs_migrate_dev *devs;
	size_t n_devs;
	struct vs_migrate_pool *pools;
	size_t n_pools;
	enum vs_gates gates;           /* NONE: the policy asks nothing gated */
	char gates_msg[1024];
	bool ok;                       /* it can go */
};

/* 0 with rep filled (rep->ok says the answer); -errno with err when the
 * guest or the destination cannot be read.  conf: this host's
 * virt-sriov.conf, for the gates when the destination is this host. */
int vs_migrate_check(virConnectPtr src, virConnectPtr dst, const struct vs_conf *conf, const char *domain,
		     struct vs_migrate_report *rep, struct vs_error *err);
void vs_migrate_report_free(struct vs_migrate_report *rep);
const char *vs_gates_name(enum vs_gates g);
