/* The one fake kernel of the tests, behind the one seam between VF settings
 * and the kernel (struct vs_nl, netlink.h).  It keeps the VF tables of some
 * PFs and answers requests as net/core/rtnetlink.c does, decoding the
 * request bytes by hand (it shares no code with src/lib/netlink.c):
 * - RTM_GETLINK: one RTM_NEWLINK with IFLA_NUM_VF and IFLA_VFINFO_LIST
 *   (its length stored in 16 bits, so a long list wraps as the kernel's
 *   does), then an ACK; ENODEV for a name it does not have;
 * - RTM_SETLINK: every IFLA_VF_INFO of the IFLA_VFINFO_LIST in order, and
 *   inside one entry the attributes in do_setvfinfo's fixed order (MAC,
 *   VLAN, VLAN_LIST, TX_RATE, RATE, SPOOFCHK, LINK_STATE, RSS_QUERY_EN,
 *   TRUST), stopping at the first refusal and keeping what came before.
 *
 * In memory (fk_init, for unit tests that look at the bytes sent), or
 * backed by a JSON file (fk_open_file, for the hook program run as libvirt
 * runs it, and for tests that run it several times):
 *   { "em1": [ { "index": 0, "mac": "...", "spoofchk": true, ... }, ... ],
 *     "_refuse": { "em1": "trust" } }
 * with the keys of `list --json` (the format of vftables.h, read by its
 * vs_vftables_parse); a key a VF lacks is a value its driver
 * does not report.  The file is read before and written after every
 * request; each RTM_SETLINK appends "SETLINK PF N" (N VF entries) to
 * FILE.log.  With $VIRT_SRIOV_FAKE_SET_KERNEL set, RTM_SETLINK goes to the
 * real kernel instead and its answer comes back (bench/hook.sh: a veth
 * "PF" in a network namespace). */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlink.h"

#define FK_MAX_VFS 1024
#define FK_MAX_PFS 8
#define FK_MAX_REQ 32

struct fk_vf {
	unsigned char mac[6];
	uint32_t vlan, qos, proto;   /* proto in host order */
	uint32_t min_rate, max_rate;
	int32_t spoofchk, link_state, rss, trust; /* -1: the driver does not report it */
};

struct fk_pf {
	char name[IFNAMSIZ];
	struct fk_vf vfs[FK_MAX_VFS];
	size_t n;
	/* IFLA_VF_* attribute types the driver refuses (bit per type) with
	 * refuse_error; refuse_zero_mac: EINVAL for an all-zero MAC. */
	uint32_t refuse;
	bool refuse_zero_mac;
	bool no_list;                /* no IFLA_NUM_VF/VF list (veth) */
	size_t list_max;             /* nonzero: the list stops after this many
					VFs while IFLA_NUM_VF still says n (a
					list cut short) */
};

struct fake_kernel {
	struct vs_nl nl;
	struct fk_pf pf[FK_MAX_PFS]; /* pf[0] is "em1" after fk_init */
	size_t npf;
	int refuse_error;
	const char *setlink_extack;  /* extended ACK text (NLMSGERR_ATTR_MSG)
					of a refused RTM_SETLINK; NULL: none */
	/* a VF resetting: the next `busy` RTM_SETLINKs are answered
	 * busy_error (EBUSY when 0) and change nothing ("_busy": N in the
	 * file, counted down there) */
	int busy, busy_error;
	/* a slow driver: every RTM_SETLINK takes this long ("_delay_ms") */
	int delay_ms;
	const char *path;            /* file-backed; NULL in memory */
	struct vs_nl *real;          /* $VIRT_SRIOV_FAKE_SET_KERNEL: where SETLINKs go */
	/* what was sent */
	unsigned char *req[FK_MAX_REQ];
	size_t req_len[FK_MAX_REQ], nreq, nsetlink;
	/* the answer waiting for recv() */
	unsigned char *reply;
	size_t reply_len;            /* kept after recv(): the last answer's */
};

/* One PF "em1" with nvfs VFs at their defaults. */
void fk_init(struct fake_kernel *k, size_t nvfs);
void fk_free(struct fake_kernel *k);
/* A PF more (or again): its table, NULL when there is no room. */
struct fk_pf *fk_add_pf(struct fake_kernel *k, const char *name, size_t nvfs);
#define FK_BIT(type) (1u << (type))

/* A file-backed fake kernel; *nl is freed by vs_nl_close. */
int fk_open_file(const char *path, struct vs_nl **nl);

/* Raw request decoding, for assertions: the IFLA_VF_INFO entries of
 * request i (an RTM_SETLINK), each as a mask of the IFLA_VF_* types it
 * carries and its VF number.  Returns the number of entries; *list_len is
 * the IFLA_VFINFO_LIST's stored nla_len. */
size_t fk_setlink_entries(const struct fake_kernel *k, size_t i, uint32_t *types, uint32_t *vfs, size_t max,
			  size_t *list_len);
