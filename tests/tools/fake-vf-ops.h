/* A file-backed stand-in for the PFs' VF tables behind struct vs_vf_ops,
 * for the hook's tests: $VIRT_SRIOV_FAKE_VFS is a JSON file
 *   { "em1": [ { "index": 0, "mac": "...", "spoofchk": true, ... }, ... ],
 *     "_refuse": { "em1": "trust" } }
 * get_vfs reads a PF's list; set_vfs merges the request into it (refusing,
 * as a driver would, any request that carries the setting named in
 * _refuse) and appends "SETLINK PF N" to FILE.log, one line per request.
 * With $VIRT_SRIOV_FAKE_SET_KERNEL set, set_vfs sends the real RTM_SETLINK
 * instead (bench/hook.sh: a veth "PF" in a network namespace). */
#pragma once

#include "hook.h"

int vs_fake_vf_ops(struct vs_vf_ops *ops, const char *path);
