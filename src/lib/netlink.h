/* rtnetlink access for VF settings, through libnl-3.
 *
 * Message building and parsing are pure functions over bytes (tested byte
 * for byte); socket I/O sits behind one small seam (struct vs_nl) so that
 * unit tests can replace the kernel. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "vfconfig.h"

struct vs_nl;

/* The transport seam: the real one (vs_nl_open) talks to NETLINK_ROUTE;
 * tests put their own ops here to record requests and return canned
 * replies.  send() takes one complete request; recv() returns one datagram
 * (malloc'd, possibly several messages) or -ETIMEDOUT. */
struct vs_nl_ops {
	int (*send)(struct vs_nl *nl, const void *buf, size_t len);
	int (*recv)(struct vs_nl *nl, void **buf, size_t *len);
	void (*close)(struct vs_nl *nl);
};

struct vs_nl {
	const struct vs_nl_ops *ops;
	void *priv;
	uint32_t seq;       /* of the last request sent */
};

/* Open a NETLINK_ROUTE socket with a receive timeout (bounded time). */
int vs_nl_open(struct vs_nl **out, struct vs_error *err);
/* The same for another netlink protocol (NETLINK_GENERIC: devlink.c). */
int vs_nl_open_proto(struct vs_nl **out, int protocol, struct vs_error *err);
void vs_nl_close(struct vs_nl *nl);

struct vs_pf_vf_list {
	struct vs_vf_config *vfs;
	size_t n;
	int num_vf;      /* IFLA_NUM_VF as the kernel reported it; -1 absent */
	bool truncated;  /* fewer VF entries than num_vf: list not complete */
	bool wrapped;    /* the list's 16-bit length had wrapped; every entry
			    was recovered from the bytes after it */
};
void vs_pf_vf_list_free(struct vs_pf_vf_list *l);

/* One RTM_GETLINK with IFLA_EXT_MASK = RTEXT_FILTER_VF|RTEXT_FILTER_SKIP_STATS. */
int vs_nl_get_vfs(struct vs_nl *nl, const char *ifname, struct vs_pf_vf_list *out, struct vs_error *err);

/* One RTM_SETLINK carrying one IFLA_VFINFO_LIST with every VF in cfgs.
 * Only the fields that are set are sent.  On a refusal err names the PF,
 * the VF and the setting. */
int vs_nl_set_vfs(struct vs_nl *nl, const char *ifname, const struct vs_vf_config *cfgs, size_t n, struct vs_error *err);

/* The kernel's answer to a request: error is 0 (ACK) or a negative errno;
 * msg is the extended ACK text (NLMSGERR_ATTR_MSG), "" when absent. */
struct vs_nl_ack {
	int error;
	char msg[256];
	bool has_offset;
	uint32_t offset;    /* NLMSGERR_ATTR_OFFS: byte offset in the request */
};

/* As vs_nl_set_vfs, also handing back the kernel's answer. */
int vs_nl_set_vfs_ack(struct vs_nl *nl, const char *ifname, const struct vs_vf_config *cfgs, size_t n,
		      struct vs_nl_ack *ack, struct vs_error *err);

/* Send one prepared request and wait for its ACK/error (tests use it to
 * send deliberately malformed messages to the real kernel). */
int vs_nl_request(struct vs_nl *nl, const void *req, size_t len, struct vs_nl_ack *ack);

/* IFLA_VFINFO_LIST carries a 16-bit length, header included. */
#define VS_NL_VFINFO_LIST_MAX 65535u
/* Bytes one VF's IFLA_VF_INFO takes in a request (nest header included). */
size_t vs_nl_vf_info_size(const struct vs_vf_config *c);
/* How many of cfgs, from the first, fit one IFLA_VFINFO_LIST: a longer
 * request is sent as several RTM_SETLINKs (vs_nl_build_setvfs refuses a
 * list that does not fit with -E2BIG). */
size_t vs_nl_setvfs_fit(const struct vs_vf_config *cfgs, size_t n);

/* Pure builders: one complete message in a malloc'd buffer.  Rates go as
 * IFLA_VF_RATE, which needs both values: -EINVAL when only one is set. */
int vs_nl_build_getlink(const char *ifname, uint32_t seq, void **buf, size_t *len);
int vs_nl_build_setvfs(const char *ifname, const struct vs_vf_config *cfgs, size_t n, uint32_t seq,
		       void **buf, size_t *len, struct vs_error *err);

/* Pure parsers.  parse_link reads one RTM_NEWLINK (or one of our own
 * RTM_SETLINK requests) into out; -EBADMSG with err naming ifname on a
 * malformed message.  A VF list whose 16-bit length wrapped (the kernel
 * does not refuse to overflow it) is read in full when the entries that
 * follow add up to IFLA_NUM_VF and to the wrapped length modulo 65536;
 * otherwise it is marked truncated.  parse_ack reads one NLMSG_ERROR. */
int vs_nl_parse_link(const void *msg, size_t len, const char *ifname, struct vs_pf_vf_list *out, struct vs_error *err);
int vs_nl_parse_ack(const void *msg, size_t len, struct vs_nl_ack *ack);

/* ---- one link's state and master (representors, representor.h) ---- */

struct vs_nl_link {
	int ifindex;
	unsigned flags;               /* ifi_flags: IFF_UP... */
	int master;                   /* IFLA_MASTER; 0 none */
	int operstate;                /* IFLA_OPERSTATE (IF_OPER_*); -1 absent */
	char kind[32];                /* IFLA_INFO_KIND ("bridge", "openvswitch"); "" none */
};

/* RTM_GETLINK of one link, without VF data or stats. */
int vs_nl_build_getlink_info(const char *ifname, uint32_t seq, void **buf, size_t *len);
/* RTM_SETLINK changing the flags in `change` to their value in `flags`
 * (IFF_UP, IFF_UP: up), as `ip link set up` does. */
int vs_nl_build_link_flags(const char *ifname, unsigned flags, unsigned change, uint32_t seq, void **buf,
			   size_t *len);
/* RTM_SETLINK with IFLA_MASTER: the link joins the bridge of that ifindex;
 * 0 takes it out of its bridge. */
int vs_nl_build_set_master(const char *ifname, int master, uint32_t seq, void **buf, size_t *len);
/* One RTM_NEWLINK into out.  -EBADMSG when malformed. */
int vs_nl_parse_link_info(const void *msg, size_t len, struct vs_nl_link *out);

/* The exchanges.  -ENODEV when ifname does not exist; err names it. */
int vs_nl_get_link(struct vs_nl *nl, const char *ifname, struct vs_nl_link *out, struct vs_error *err);
int vs_nl_link_up(struct vs_nl *nl, const char *ifname, struct vs_error *err);
/* Enslave ifname to the Linux bridge `bridge`; bridge NULL: release it
 * from whatever master it has.  A bridge that does not exist (-ENODEV) or
 * is no Linux bridge (-EINVAL) is refused before anything changes; err
 * names the netdev and the bridge. */
int vs_nl_set_master(struct vs_nl *nl, const char *ifname, const char *bridge, struct vs_error *err);
