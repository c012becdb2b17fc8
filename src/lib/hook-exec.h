/* Carrying a plan out (hook-plan.h) on the kernel.  Prepare /
 * port-created, under the state directory's lock then the guest's: put
 * back first a VF another guest's state file still claims (its release
 * failed), then save what the VFs have into the guest's state file, then
 * apply, one PF at a time through the one executor (vfctl.h); a refusal
 * puts back every PF touched so far.  Release / port-deleted, under the
 * guest's lock alone: put back what was saved, forget what was put back,
 * name and keep the rest for `virt-sriov reconcile`. */
#pragma once

#include "hook-plan.h"
#include "netlink.h"
#include "state.h"
#include "util.h"
#include "vfroute.h"

/* Prepare / port-created: each lock (the directory's, then the guest's)
 * is waited for at most this long, inside the hook's 3 s deadline: a
 * start refused for it says so. */
#define VS_HOOK_LOCK_MS 1000
/* Release / port-deleted: the guest's lock is waited for, and its VFs put
 * back, within this budget (longer than any peer holds the lock: a start
 * within its 3 s, another release within this); what is not put back by
 * then is named in plan->warnings and kept.  The hook's own alarm for
 * release comes later (src/hook/main.c). */
#define VS_HOOK_RELEASE_MS 20000
/* Room for the policy in a state file (VS_STATE_MAX), leaving the rest
 * for the VFs and for JSON's escaping of the policy's quotes. */
#define VS_STATE_POLICY_MAX (VS_STATE_MAX / 4)

/* The kernel, behind netlink.h's one seam (struct vs_nl).  nl NULL: the
 * real rtnetlink, opened on first use (a plan alone needs none); tests put
 * the fake kernel there.  route: the devlink side (route.dl NULL: opened
 * on first use, for PFs in switchdev mode; tests put the fake devlink
 * there).  Settings go through the one routing rule (vfroute.h) to the
 * one executor (vfctl.h). */
struct vs_hook_nl { struct vs_nl *nl; struct vs_vfroute route; };
void vs_hook_nl_close(struct vs_hook_nl *nl);

/* The rules of each PF's eswitch mode (vfroute.h) over a prepare or
 * port-created plan, as the start checks them before anything is sent; a
 * refusal goes to plan->refusal, naming the guest (`virt-sriov plan`). */
int vs_hook_check_modes(const struct vs_hook_env *env, struct vs_plan *plan);

/* Carry a plan out.  Prepare / port-created: save, then apply, all or
 * nothing (err says which PF/VF/setting failed).  Release / port-deleted:
 * put back what can be; what cannot goes to plan->warnings and stays in
 * the state file for `virt-sriov reconcile`; returns 0. */
int vs_hook_execute(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_error *err);
