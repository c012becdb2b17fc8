/* The libvirt hook's decisions, shared by virt-sriov-hook and
 * `virt-sriov plan`: read what libvirt hands the hook (argv and the XML on
 * stdin), work out a plan (which VFs, which settings, what is refused and
 * why), then carry it out (save, apply one request per PF; or put back).
 *
 * Never calls the libvirt API: a hook that does deadlocks the daemon. */
#pragma once

#include <json-c/json.h>
#include <libxml/tree.h>
#include <net/if.h>

#include "hook-action.h"
#include "inventory.h"
#include "conf.h"
#include "netlink.h"
#include "vfctl.h"
#include "policy.h"
#include "state.h"
#include "sysfs.h"
#include "util.h"

#define VS_HOOK_INPUT_MAX (4 << 20)   /* a domain XML is a few KiB */
#define VS_HOOK_LOCK_MS 300

/* The kernel, behind netlink.h's one seam (struct vs_nl).  nl NULL: the
 * real rtnetlink, opened on first use (a plan alone needs none); tests put
 * the fake kernel there.  Settings go through the one executor (vfctl.h). */
struct vs_hook_nl { struct vs_nl *nl; };
void vs_hook_nl_close(struct vs_hook_nl *nl);

struct vs_hook_env {
	const struct vs_sysfs *sysfs;
	const struct vs_conf *conf;
	const char *state_dir;
	struct vs_hook_nl *kernel;
};

struct vs_hook_input {
	enum vs_hook_driver driver;
	enum vs_hook_action action;
	xmlDocPtr doc;
	char uuid[VS_UUID_LEN + 1];   /* the guest (owner of the port) */
	char *name;                   /* the guest's name, for messages */
	char *network;                /* network hook: the pool */
	char port_vf[VS_PCI_ADDR_MAX];/* network hook: the VF handed out; "" none */
	char port_mac[18];            /* network hook: the guest interface's MAC */
};

/* Parse stdin.  With driver UNKNOWN the root element decides.  -EINVAL with
 * err saying what is wrong (not XML, wrong root, no UUID...). */
int vs_hook_input_parse(enum vs_hook_driver d, enum vs_hook_action a, const char *xml, size_t len,
			struct vs_hook_input *in, struct vs_error *err);
void vs_hook_input_free(struct vs_hook_input *in);

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

struct vs_strv { char **v; size_t n, alloc; };

struct vs_plan {
	enum vs_hook_action action;
	char uuid[VS_UUID_LEN + 1];
	char *name;
	char *policy;                 /* the guest's policy element, to remember */
	bool has_state;               /* release: the guest has a state file */
	struct vs_plan_vf *vfs;
	size_t n, alloc;
	struct vs_strv pending;       /* pool interfaces: VF known at port-created */
	struct vs_strv notes;         /* devices left alone and why */
	struct vs_strv warnings;      /* teardown problems (logged, never fatal) */
	struct vs_error refusal;      /* code != 0: the guest must not start */
};

void vs_plan_free(struct vs_plan *plan);
/* Work out what to do.  A refusal returns its code (-EPERM, -ENOENT,
 * -EINVAL) with plan->refusal saying why, naming the guest, VF and setting. */
int vs_hook_plan(const struct vs_hook_env *env, const struct vs_hook_input *in, struct vs_plan *plan);
/* Carry a plan out.  Prepare / port-created: save, then apply, all or
 * nothing (err says which PF/VF/setting failed).  Release / port-deleted:
 * put back what can be; what cannot goes to plan->warnings and stays in
 * the state file for `virt-sriov reconcile`; returns 0. */
int vs_hook_execute(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_error *err);
json_object *vs_plan_to_json(const struct vs_plan *plan);

/* The whole hook: argv (NAME OP SUBOP EXTRA after argv[0]) and stdin.
 * Returns the exit status: 1 only for a refusal or failure at prepare /
 * port-created (err holds the one line for libvirt); 0 otherwise. */
int vs_hook_run(const struct vs_hook_env *env, int argc, char **argv, const char *xml, size_t len,
		struct vs_plan *plan, struct vs_error *err);

/* The release plan of one guest from its state file alone (reconcile);
 * vs_hook_execute carries it out. */
int vs_hook_plan_restore(const struct vs_hook_env *env, const char *uuid, struct vs_plan *plan, struct vs_error *err);
