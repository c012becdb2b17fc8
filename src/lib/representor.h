/* VF representors (switchdev mode) and the bridge a representor joins.
 *
 * In switchdev mode each VF has a representor netdev on the host: the
 * VF's traffic leaves the eswitch through it, so it must be up and, to
 * reach anything, in a bridge (Linux or Open vSwitch).  A representor is
 * found from sysfs alone: the netdev whose phys_switch_id is the PF's and
 * whose phys_port_name is pf<P>vf<N>.  No representor for a VF is what
 * legacy mode looks like, and is how the hook tells the two apart. */
#pragma once

#include <net/if.h>
#include <stdbool.h>

#include "sysfs.h"
#include "util.h"

/* phys_switch_id is at most MAX_PHYS_ITEM_ID_LEN (32) bytes, in hex. */
#define VS_SWITCH_ID_MAX 72

struct vs_representor {
	char netdev[IFNAMSIZ];
	char switch_id[VS_SWITCH_ID_MAX];
	int pfnum;                    /* P of pf<P>vf<N> */
	int vf;
};

/* The representor of VF `vf` of PF netdev `pf`.  P is the PF's own number
 * (its phys_port_name "pf0" or "p0"); where the PF does not say, or names
 * a port rather than a PCI function (netdevsim's "p1"), the one P all
 * representors of the switch share.  -ENOENT when the PF has no switch id
 * or the VF no representor (legacy mode); err names PF and VF. */
int vs_representor_find(const struct vs_sysfs *s, const char *pf, int vf, struct vs_representor *out,
			struct vs_error *err);

/* "pf0vf3" -> 0, 3; "c1pf0vf3" (another controller) and "p0" are not. */
bool vs_representor_parse_name(const char *name, int *pfnum, int *vf);

/* ---- the bridge a representor joins: host-side settings, not VF settings ---- */

enum vs_bridge_kind { VS_BRIDGE_NONE, VS_BRIDGE_LINUX, VS_BRIDGE_OVS };

struct vs_rep_bridge {
	enum vs_bridge_kind kind;
	char name[IFNAMSIZ];
};

/* One row per kind: its key in a guest's policy (<vsp:vf bridge="br0"/>)
 * and in a [pf NAME] section of virt-sriov.conf. */
struct vs_rep_key {
	enum vs_bridge_kind kind;
	const char *policy_key;
	const char *conf_key;
	const char *what;             /* for messages: "Linux bridge" */
};
extern const struct vs_rep_key vs_rep_keys[];
extern const size_t vs_rep_n_keys;

/* The row whose policy key (conf false) or conf key (conf true) is key. */
const struct vs_rep_key *vs_rep_key_find(const char *key, bool conf);
const struct vs_rep_key *vs_rep_key_of(enum vs_bridge_kind kind);
/* Set b from key = value.  -ENOENT: not one of our keys; -EINVAL: a name
 * that is no netdev name, or b already names a bridge (one of the two keys,
 * once). */
int vs_rep_bridge_parse(struct vs_rep_bridge *b, const char *key, const char *value, bool conf,
			struct vs_error *err);
