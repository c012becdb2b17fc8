/* rtnetlink access for VF settings, through libnl-3.
 *
 * Message building and parsing are pure functions over bytes (tested byte
 * for byte); socket I/O sits behind one small seam (struct vs_nl) so that
 * unit tests can replace the kernel. */
#pragma once

#include <stddef.h>

#include "inventory.h"
#include "util.h"

struct vs_nl;

/* Open a NETLINK_ROUTE socket with a receive timeout (bounded time). */
int vs_nl_open(struct vs_nl **out, struct vs_error *err);
void vs_nl_close(struct vs_nl *nl);

struct vs_pf_vf_list {
	struct vs_vf_config *vfs;
	size_t n;
	int num_vf;      /* IFLA_NUM_VF as the kernel reported it; -1 absent */
	bool truncated;  /* fewer VF entries than num_vf: list not complete */
};
void vs_pf_vf_list_free(struct vs_pf_vf_list *l);

/* One RTM_GETLINK with IFLA_EXT_MASK = RTEXT_FILTER_VF|RTEXT_FILTER_SKIP_STATS. */
int vs_nl_get_vfs(struct vs_nl *nl, const char *ifname, struct vs_pf_vf_list *out, struct vs_error *err);

/* One RTM_SETLINK carrying one IFLA_VFINFO_LIST with every VF in cfgs.
 * Only the fields that are set are sent.  On a refusal err names the PF,
 * the VF and the setting. */
int vs_nl_set_vfs(struct vs_nl *nl, const char *ifname, const struct vs_vf_config *cfgs, size_t n, struct vs_error *err);
