/* Per-VF settings: parse and validate what is asked, group it into one
 * rtnetlink request per PF, apply it, and on a refusal read back what the
 * kernel left in effect.  Nothing is sent before every VF of every PF has
 * passed validation. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "inventory.h"
#include "netlink.h"
#include "util.h"
#include "vfset.h"

/* The locally administered MAC libvirt falls back to when a driver refuses
 * an all-zero one. */
#define VS_VFCTL_PLACEHOLDER_MAC { 0x02, 0, 0, 0, 0, 0 }

/* Values in range, QoS only with a VLAN, min <= max rate (max 0 means no
 * limit, as for the kernel), the PF an SR-IOV PF with a netdev and the VF
 * index below its numvfs.  -EINVAL/-ERANGE/-ENODEV/-ENOENT with err
 * naming the PF, the VF and the value. */
int vs_vfctl_validate(const struct vs_pf *pf, const struct vs_vf_config *c, struct vs_error *err);

/* One request per PF. */
struct vs_vfctl_plan {
	struct vs_pf *pf;
	struct vs_vf_config *cfgs;  /* index = VF number; the template's settings */
	const struct vs_vf **vfs;   /* the inventory's VF for each cfgs[i] */
	size_t n;
};

/* Group refs by PF (first-seen order, duplicates dropped) and give each
 * VF a copy of tmpl (or the reset defaults when reset).  Validates every
 * VF; on any error nothing is planned. */
int vs_vfctl_plan_build(const struct vs_vf_ref *refs, size_t n, const struct vs_vf_config *tmpl, bool reset,
			struct vs_vfctl_plan **plans, size_t *nplans, struct vs_error *err);
void vs_vfctl_plans_free(struct vs_vfctl_plan *plans, size_t n);

struct vs_vfctl_outcome {
	int error;                 /* 0, or the kernel's negative errno */
	char extack[256];
	int refused_vf;            /* VF number the kernel refused; -1 none/unknown */
	int refused_setting;       /* enum vs_vf_attr; -1 unknown */
	struct vs_vf_config refused; /* that VF's entry as sent */
	bool read_back;            /* in_effect comes from the kernel */
	unsigned *in_effect;       /* per cfgs[i]: bit (1u << setting) when in effect */
	unsigned *unchanged;       /* per cfgs[i]: settings that already had the value: not sent */
	size_t n;
	size_t requests;           /* RTM_SETLINKs sent (0: nothing to change) */
	unsigned skipped;          /* reset: settings the driver does not support, dropped */
	bool placeholder_mac;      /* reset: the driver refused zeros, 02:00:00:00:00:00 used */
};
void vs_vfctl_outcome_free(struct vs_vfctl_outcome *o);
/* o emptied for a request of n VFs (arrays of n zeros, nothing refused); -ENOMEM. */
int vs_vfctl_outcome_start(struct vs_vfctl_outcome *o, size_t n);

/* Complete c from cur (what the VF has; NULL unknown) as the kernel needs
 * it: a rate given alone gets the other from cur, QoS or protocol alone the
 * VLAN, a VLAN without QoS QoS 0.  -ENODATA when cur cannot say. */
int vs_vfctl_complete(const char *ifname, struct vs_vf_config *c, const struct vs_vf_config *cur,
		      struct vs_error *err);

/* Apply cfgs on the PF's netdev.  First one RTM_GETLINK: a rate given
 * alone is completed from the current value (IFLA_VF_RATE needs both), and
 * settings that already have the wanted value are not sent (o->unchanged;
 * a VF with nothing left is left out).  The rest goes as one RTM_SETLINK,
 * or as several when one IFLA_VFINFO_LIST cannot hold it (16-bit length:
 * about 520 VFs with every setting, 2340 with two).  On a refusal, reads back and fills o; the refused setting is the
 * first one sent, in the kernel's order, that is not in effect; err reads
 * "PF: VF N: SETTING VALUE: strerror (extack)". */
int vs_vfctl_apply(struct vs_nl *nl, const char *ifname, struct vs_vf_config *cfgs, size_t n,
		   struct vs_vfctl_outcome *o, struct vs_error *err);
/* ... and a refusal with EBUSY or EAGAIN (a VF resetting) is tried again,
 * after 10, 20, 40... ms (at most 200 ms apart), for at most
 * VS_VFCTL_RETRY_MS in all: well inside the hook's deadline. */
#define VS_VFCTL_RETRY_MS 1000
#define VS_VFCTL_RETRY_FIRST_MS 10
#define VS_VFCTL_RETRY_MAX_MS 200

/* vs_vfctl_apply of the reset defaults; where the driver refuses the zero
 * MAC with EINVAL, once more with the placeholder MAC; settings the driver
 * answers EOPNOTSUPP for (known from the read-back) are dropped and
 * recorded in o->skipped. */
int vs_vfctl_reset(struct vs_nl *nl, const char *ifname, struct vs_vf_config *cfgs, size_t n,
		   struct vs_vfctl_outcome *o, struct vs_error *err);
