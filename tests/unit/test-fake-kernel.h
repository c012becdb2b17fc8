/* A fake rtnetlink kernel for the vfctl tests: it keeps the VF table of
 * one PF and answers requests as net/core/rtnetlink.c does, decoding the
 * request bytes by hand (it shares no code with src/lib/netlink.c):
 * - RTM_GETLINK: one RTM_NEWLINK with IFLA_NUM_VF and IFLA_VFINFO_LIST
 *   (its length stored in 16 bits, so a long list wraps as the kernel's
 *   does), then an ACK;
 * - RTM_SETLINK: every IFLA_VF_INFO of the IFLA_VFINFO_LIST in order, and
 *   inside one entry the attributes in do_setvfinfo's fixed order (MAC,
 *   VLAN, VLAN_LIST, TX_RATE, RATE, SPOOFCHK, LINK_STATE, RSS_QUERY_EN,
 *   TRUST), stopping at the first refusal; a list longer than its 16-bit
 *   length is refused with EINVAL as a malformed message would be. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlink.h"

#define FK_MAX_VFS 1024
#define FK_MAX_REQ 32

struct fk_vf {
	unsigned char mac[6];
	uint32_t vlan, qos, proto;   /* proto in host order */
	uint32_t min_rate, max_rate;
	int32_t spoofchk, link_state, rss, trust; /* -1: the driver does not report it */
};

struct fake_kernel {
	struct vs_nl nl;
	struct fk_vf vfs[FK_MAX_VFS];
	size_t n;
	/* IFLA_VF_* attribute types the driver refuses (bit per type) with
	 * refuse_error; refuse_zero_mac: EINVAL for an all-zero MAC. */
	uint32_t refuse;
	int refuse_error;
	bool refuse_zero_mac;
	bool no_list;                /* no IFLA_NUM_VF/VF list (veth) */
	/* what was sent */
	unsigned char *req[FK_MAX_REQ];
	size_t req_len[FK_MAX_REQ], nreq, nsetlink;
	/* the answer waiting for recv() */
	unsigned char *reply;
	size_t reply_len;
};

void fk_init(struct fake_kernel *k, size_t nvfs);
void fk_free(struct fake_kernel *k);
#define FK_BIT(type) (1u << (type))

/* Raw request decoding, for assertions: the IFLA_VF_INFO entries of
 * request i (an RTM_SETLINK), each as a mask of the IFLA_VF_* types it
 * carries and its VF number.  Returns the number of entries; *list_len is
 * the IFLA_VFINFO_LIST's stored nla_len. */
size_t fk_setlink_entries(const struct fake_kernel *k, size_t i, uint32_t *types, uint32_t *vfs, size_t max,
			  size_t *list_len);
