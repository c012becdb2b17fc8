/* The hook's plan, from its input: which VFs the guest (or the pool port)
 * has, which settings each gets (the guest's policy resolved against the
 * host's gates, policy.h), what is left to libvirt or left alone and why,
 * and what is refused.  At release, the plan is what the state file saved.
 * Reads sysfs and the state directory; changes nothing (`virt-sriov plan`
 * shows it as JSON; hook-exec.h carries it out). */
#pragma once

#include <json-c/json.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "hook-input.h"
#include "inventory.h"
#include "representor.h"
#include "sysfs.h"
#include "util.h"
#include "vfconfig.h"

struct vs_hook_nl;   /* the kernel, hook-exec.h: a plan alone needs none */

struct vs_host;
struct vs_hook_env {
	const struct vs_sysfs *sysfs;
	const struct vs_conf *conf;
	const char *state_dir;
	struct vs_hook_nl *kernel;
	/* release / port-deleted: how long to wait for the guest's lock and
	 * put back, in ms; 0: VS_HOOK_RELEASE_MS (hook-exec.h) */
	int release_ms;
	/* plan from a workstation: VFs are located in this inventory (libvirt's
	 * node devices, nodedev.h) instead of sysfs; NULL for the hook */
	const struct vs_host *host;
};

enum vs_vf_origin { VS_ORIGIN_HOSTDEV, VS_ORIGIN_INTERFACE, VS_ORIGIN_NETWORK };

struct vs_plan_vf {
	char address[VS_PCI_ADDR_MAX];
	char pf[IFNAMSIZ];
	char pf_address[VS_PCI_ADDR_MAX];
	int index;
	enum vs_vf_origin origin;
	char *network;
	char guest_mac[18];           /* "" when none */
	struct vs_vf_config cfg;      /* to apply, or (release) to put back */
	bool failed;                  /* release: could not be put back */
};

/* A VF's representor (switchdev mode): brought up at the start and put
 * in the bridge the policy or the PF's section names; taken out at release. */
struct vs_plan_rep {
	char vf[VS_PCI_ADDR_MAX];
	char pf[IFNAMSIZ];
	int index;
	char netdev[IFNAMSIZ];
	struct vs_rep_bridge bridge;  /* kind NONE: up only */
	bool failed;                  /* release: could not be taken out */
};

/* Lines for the user (notes, warnings), NULL-terminated. */
struct vs_strv { char **v; size_t n, alloc; };
int vs_strv_add(struct vs_strv *s, const char *fmt, ...) _printf_(2, 3);

struct vs_plan {
	enum vs_hook_action action;
	char uuid[VS_UUID_LEN + 1];
	char *name;
	char *policy;                 /* the guest's policy element, to remember */
	bool has_state;               /* release: the guest has a state file */
	struct vs_plan_vf *vfs;
	size_t n, alloc;
	struct vs_plan_rep *reps;
	size_t n_reps, alloc_reps;
	struct vs_strv pending;       /* pool interfaces: VF known at port-created */
	struct vs_strv notes;         /* devices left alone and why */
	struct vs_strv warnings;      /* teardown problems (logged, never fatal) */
	struct vs_error refusal;      /* code != 0: the guest must not start */
};

void vs_plan_free(struct vs_plan *plan);
/* The guest as messages name it: its name, else its UUID. */
const char *vs_plan_guest(const struct vs_plan *plan);
/* Work out what to do.  A refusal returns its code (-EPERM, -ENOENT,
 * -EINVAL) with plan->refusal saying why, naming the guest, VF and setting. */
int vs_hook_plan(const struct vs_hook_env *env, const struct vs_hook_input *in, struct vs_plan *plan);
/* The release plan of one guest from its state file alone (reconcile);
 * vs_hook_execute carries it out. */
int vs_hook_plan_restore(const struct vs_hook_env *env, const char *uuid, struct vs_plan *plan, struct vs_error *err);
/* The VFs a guest's <interface type='network'> may get from pool `network`
 * (VF PCI addresses into out); 0 with none added: not a hostdev pool. */
struct vs_pool_vfs_fn {
	int (*fn)(void *data, const char *network, struct vs_strv *out);
	void *data;
};
/* What prepare would refuse were the guest's policy pol (in->doc's own
 * element is not read): `virt-sriov policy set` asks before it stores.  A
 * pool's VF is picked at start; with pool, each VF the pool may hand out is
 * resolved as port-created would, and any refusal counts. */
struct vs_policy;
int vs_hook_plan_policy(const struct vs_hook_env *env, const struct vs_hook_input *in, const struct vs_policy *pol,
			const struct vs_pool_vfs_fn *pool, struct vs_plan *plan);
json_object *vs_plan_to_json(const struct vs_plan *plan);
