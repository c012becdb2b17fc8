/* The libvirt hook's decisions, shared by virt-sriov-hook and
 * `virt-sriov plan`/`reconcile`/`attach`: read what libvirt hands the hook
 * (hook-input.h: argv and the XML on stdin), work out a plan (hook-plan.h:
 * which VFs, which settings, what is refused and why), then carry it out
 * (hook-exec.h: save, apply one request per PF; or put back).  This header
 * brings the three in and adds the whole hook, one call.
 *
 * Never calls the libvirt API: a hook that does deadlocks the daemon. */
#pragma once

#include "hook-exec.h"
#include "hook-input.h"
#include "hook-plan.h"
#include "util.h"

/* The whole hook: argv (NAME OP SUBOP EXTRA after argv[0]) and stdin.
 * Returns the exit status: 1 only for a refusal or failure at prepare /
 * port-created (err holds the one line for libvirt); 0 otherwise. */
int vs_hook_run(const struct vs_hook_env *env, int argc, char **argv, const char *xml, size_t len,
		struct vs_plan *plan, struct vs_error *err);
