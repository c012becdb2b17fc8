/* The one routing rule of VF settings.  A PF in legacy mode (or without
 * devlink) takes every setting over rtnetlink, through the one executor
 * (vfctl.h).  A PF in switchdev mode takes the MAC as its VF's devlink
 * port function hw_addr, min-tx-rate and max-tx-rate as the VF's rate
 * leaf's tx_share and tx_max (1 Mbit/s = 125000 bytes/s), rate-group as
 * the leaf's parent, and the rest over rtnetlink.  What the PF's driver
 * does not take in switchdev mode (one table, vfroute.c) is refused before
 * anything is sent, naming the PF, the mode and the way to the same effect
 * on the representor side.  Devlink changes go first (hw_addr, then
 * rates) and are rolled back when a later step is refused: a refused
 * request leaves the VFs as they were.  `vf set`/`vf reset`, `apply` and
 * the hook all come here. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "devlink.h"
#include "netlink.h"
#include "util.h"
#include "vfconfig.h"
#include "vfctl.h"

/* 1 Mbit/s in devlink's unit. */
#define VS_VFROUTE_BYTES_PER_MBIT 125000ULL

/* The kernel's two doors.  nl: rtnetlink, the caller's.  dl: devlink;
 * NULL: opened on first use (and closed by vs_vfroute_close); tests put
 * the fake one there.  A host without devlink is a host in legacy mode. */
struct vs_vfroute {
	struct vs_nl *nl;
	struct vs_devlink *dl;
	bool dl_owned;
	bool dl_absent;
};
void vs_vfroute_close(struct vs_vfroute *k);

struct vs_vfroute_pf {
	const char *ifname;   /* the PF's netdev */
	const char *address;  /* its PCI address, or a non-PCI PF's device name ("netdevsim1") */
	const char *driver;   /* its driver ("mlx5_core"); NULL or "" unknown */
};

/* devlink's name of the PF: the PCI address, or "netdevsim/NAME". */
void vs_vfroute_devlink_name(const char *address, char *buf, size_t len);

/* VS_ESWITCH_LEGACY when the PF has no devlink eswitch (or the host no
 * devlink); other errors of devlink are returned, naming the PF. */
int vs_vfroute_mode(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, int *mode, struct vs_error *err);

/* The rules of the mode, before anything is sent: a rate group needs
 * switchdev mode ("none" holds anywhere); in switchdev mode, what the
 * driver refuses (mlx5_core: a VLAN other than 0, QoS, 802.1ad, spoof
 * check).  representor: the VF's representor netdev for the message
 * (NULL: "its representor").  -EOPNOTSUPP with err naming the PF, the mode,
 * the VF, the value and the way to the same effect. */
int vs_vfroute_check(const struct vs_vfroute_pf *pf, int mode, const struct vs_vf_config *c,
		     const char *representor, struct vs_error *err);

/* vs_vfroute_check of every VF, the mode read once: what callers with
 * several PFs (the hook) run on all of them before sending anything. */
int vs_vfroute_validate(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, const struct vs_vf_config *cfgs,
			size_t n, struct vs_error *err);

/* vs_vfctl_apply through the routing rule (o as there; the devlink
 * settings count in o->in_effect/o->unchanged by their attribute). */
int vs_vfroute_apply(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, struct vs_vf_config *cfgs, size_t n,
		     struct vs_vfctl_outcome *o, struct vs_error *err);
/* vs_vfctl_reset through the routing rule; in switchdev mode also rate
 * leaf 0/0 and no rate group, and what the driver does not take in that
 * mode (table, hw_addr EOPNOTSUPP) is skipped (o->skipped) rather than
 * refused. */
int vs_vfroute_reset(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, struct vs_vf_config *cfgs, size_t n,
		     struct vs_vfctl_outcome *o, struct vs_error *err);

/* What the PF's VFs have, as vs_nl_get_vfs, and in switchdev mode with
 * the devlink values over it: the MAC from the port function hw_addr
 * (where the driver reports one), the rates from the rate leaf (rounded
 * to Mbit/s), the rate group from its parent.  What save and put back
 * read. */
int vs_vfroute_read(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, struct vs_pf_vf_list *out,
		    struct vs_error *err);

/* Create rate group `name` on the PF with these rates (Mbit/s; -1 leave
 * as is / not limited), or bring an existing one's rates to them.  Only
 * in switchdev mode: -EOPNOTSUPP otherwise. */
int vs_vfroute_group_ensure(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, const char *name,
			    long long max_mbps, long long min_mbps, struct vs_error *err);
