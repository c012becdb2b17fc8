/* rtnetlink for VF settings: pure builders and parsers over bytes (libnl's
 * nl_msg / nla_* / nlmsg_*), and a small transport seam (struct vs_nl).
 *
 * Facts of the kernel that shape this file (net/core/rtnetlink.c):
 * - do_setlink walks every IFLA_VF_INFO of one IFLA_VFINFO_LIST in order and
 *   stops at the first refusal; inside one entry do_setvfinfo applies MAC,
 *   VLAN, VLAN_LIST, TX_RATE, RATE, SPOOFCHK, LINK_STATE, RSS_QUERY_EN, TRUST
 *   in that order.
 * - IFLA_VF_RATE needs min and max together (rtnl_set_vf_rate).
 * - rtnl_fill_vf closes the IFLA_VFINFO_LIST nest with a 16-bit length: a
 *   long list wraps and looks short.  A list with fewer entries than
 *   IFLA_NUM_VF, or with bytes left over, is therefore reported truncated. */
#include "config.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include "netlink.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define VS_NL_RCVTIMEO_SEC 2
#define VS_NL_MAX_DATAGRAMS 4096 /* bound on one exchange, with the timeout */
#define VS_NL_RCVBUF (4 << 20)    /* room for one RTM_NEWLINK of 1024+ VFs and its ACK */

static int nlerr_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM: return -ENOMEM;
	case NLE_ATTRSIZE: return -E2BIG;
	case NLE_AGAIN: return -ETIMEDOUT;
	case NLE_MSGSIZE: return -EMSGSIZE;
	case NLE_RANGE: return -ERANGE;
	default: return -EBADMSG;
	}
}

/* ---- the encoder: one entry per attribute of vfconfig.h ---- */

static int vlan_proto_of(const struct vs_vf_config *c)
{
	return c->vlan_proto > 0 ? c->vlan_proto : ETH_P_8021Q;
}

static int put_mac(struct nl_msg *m, const struct vs_vf_config *c)
{
	struct ifla_vf_mac v = { .vf = (uint32_t)c->index };

	memcpy(v.mac, c->mac, 6);
	return nla_put(m, IFLA_VF_MAC, sizeof(v), &v);
}

/* As iproute2: 802.1Q goes as IFLA_VF_VLAN (understood by every kernel),
 * 802.1ad needs IFLA_VF_VLAN_LIST with one IFLA_VF_VLAN_INFO. */
static int put_vlan(struct nl_msg *m, const struct vs_vf_config *c)
{
	struct ifla_vf_vlan_info vi;
	struct ifla_vf_vlan v;
	struct nlattr *list;
	int r;

	/* memset: the bytes sent include vlan_info's tail padding. */
	memset(&vi, 0, sizeof(vi));
	vi.vf = (uint32_t)c->index;
	vi.vlan = (uint32_t)c->vlan;
	vi.qos = c->qos > 0 ? (uint32_t)c->qos : 0;
	vi.vlan_proto = htons((uint16_t)vlan_proto_of(c));
	v = (struct ifla_vf_vlan){ .vf = vi.vf, .vlan = vi.vlan, .qos = vi.qos };
	if (vlan_proto_of(c) == ETH_P_8021Q)
		return nla_put(m, IFLA_VF_VLAN, sizeof(v), &v);
	list = nla_nest_start(m, IFLA_VF_VLAN_LIST);
	if (!list)
		return -NLE_NOMEM;
	r = nla_put(m, IFLA_VF_VLAN_INFO, sizeof(vi), &vi);
	if (r < 0)
		return r;
	return nla_nest_end(m, list);
}

static int put_rate(struct nl_msg *m, const struct vs_vf_config *c)
{
	struct ifla_vf_rate v = { .vf = (uint32_t)c->index,
				  .min_tx_rate = (uint32_t)c->min_tx_rate,
				  .max_tx_rate = (uint32_t)c->max_tx_rate };

	return nla_put(m, IFLA_VF_RATE, sizeof(v), &v);
}

/* spoofchk, link state, rss, trust: all { __u32 vf; __u32 value; } */
static int put_pair(struct nl_msg *m, int type, int index, int value)
{
	uint32_t v[2] = { (uint32_t)index, (uint32_t)value };

	return nla_put(m, type, sizeof(v), v);
}

static int put_spoofchk(struct nl_msg *m, const struct vs_vf_config *c) { return put_pair(m, IFLA_VF_SPOOFCHK, c->index, c->spoofchk); }
static int put_link(struct nl_msg *m, const struct vs_vf_config *c) { return put_pair(m, IFLA_VF_LINK_STATE, c->index, c->link_state); }
static int put_rss(struct nl_msg *m, const struct vs_vf_config *c) { return put_pair(m, IFLA_VF_RSS_QUERY_EN, c->index, c->query_rss); }
static int put_trust(struct nl_msg *m, const struct vs_vf_config *c) { return put_pair(m, IFLA_VF_TRUST, c->index, c->trust); }

/* Bytes each put_* adds to a request: what splits a long request into
 * IFLA_VFINFO_LISTs that fit 16 bits. */
static size_t attr_size(size_t payload) { return (size_t)nla_total_size((int)payload); }
static size_t size_mac(const struct vs_vf_config *c) { (void)c; return attr_size(sizeof(struct ifla_vf_mac)); }
static size_t size_rate(const struct vs_vf_config *c) { (void)c; return attr_size(sizeof(struct ifla_vf_rate)); }
static size_t size_pair(const struct vs_vf_config *c) { (void)c; return attr_size(2 * sizeof(uint32_t)); }

static size_t size_vlan(const struct vs_vf_config *c)
{
	if (vlan_proto_of(c) == ETH_P_8021Q)
		return attr_size(sizeof(struct ifla_vf_vlan));
	return attr_size(attr_size(sizeof(struct ifla_vf_vlan_info)));
}

static const struct {
	int (*put)(struct nl_msg *m, const struct vs_vf_config *c);
	size_t (*size)(const struct vs_vf_config *c);
} encoders[VS_ATTR_MAX] = {
	[VS_ATTR_MAC] = { put_mac, size_mac },
	[VS_ATTR_VLAN] = { put_vlan, size_vlan },
	[VS_ATTR_RATE] = { put_rate, size_rate },
	[VS_ATTR_SPOOFCHK] = { put_spoofchk, size_pair },
	[VS_ATTR_LINK_STATE] = { put_link, size_pair },
	[VS_ATTR_QUERY_RSS] = { put_rss, size_pair },
	[VS_ATTR_TRUST] = { put_trust, size_pair },
};

size_t vs_nl_vf_info_size(const struct vs_vf_config *c)
{
	size_t n = NLA_HDRLEN;

	for (int a = 0; a < VS_ATTR_MAX; a++)
		if (vs_vf_attr_present(c, a))
			n += encoders[a].size(c);
	return n;
}

size_t vs_nl_setvfs_fit(const struct vs_vf_config *cfgs, size_t n)
{
	size_t used = NLA_HDRLEN, i;

	for (i = 0; i < n; i++) {
		used += vs_nl_vf_info_size(&cfgs[i]);
		if (used > VS_NL_VFINFO_LIST_MAX)
			break;
	}
	return i;
}

/* ---- builders ---- */

static int msg_to_bytes(struct nl_msg *m, void **buf, size_t *len)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	*buf = malloc(h->nlmsg_len);
	if (!*buf)
		return -ENOMEM;
	memcpy(*buf, h, h->nlmsg_len);
	*len = h->nlmsg_len;
	return 0;
}

/* The ifinfomsg header and IFLA_IFNAME shared by both requests. */
static struct nl_msg *link_msg(int type, const char *ifname, uint32_t seq, size_t size)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *m = nlmsg_alloc_size(size);

	if (!m)
		return NULL;
	if (!nlmsg_put(m, 0, seq, type, 0, NLM_F_REQUEST | NLM_F_ACK) ||
	    nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(m, IFLA_IFNAME, ifname) < 0) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

int vs_nl_build_getlink(const char *ifname, uint32_t seq, void **buf, size_t *len)
{
	struct nl_msg *m;
	int r;

	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	m = link_msg(RTM_GETLINK, ifname, seq, 256);
	if (!m)
		return -ENOMEM;
	r = nla_put_u32(m, IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
	r = r < 0 ? nlerr_to_errno(r) : msg_to_bytes(m, buf, len);
	nlmsg_free(m);
	return r;
}

static int put_vf_info(struct nl_msg *m, const struct vs_vf_config *c)
{
	struct nlattr *info = nla_nest_start(m, IFLA_VF_INFO);
	int r;

	if (!info)
		return -NLE_NOMEM;
	for (int a = 0; a < VS_ATTR_MAX; a++) {
		if (!vs_vf_attr_present(c, a))
			continue;
		r = encoders[a].put(m, c);
		if (r < 0)
			return r;
	}
	return nla_nest_end(m, info);
}

static int check_vf_request(const char *ifname, const struct vs_vf_config *c, struct vs_error *err)
{
	if (c->index < 0)
		return vs_error_set(err, -EINVAL, "%s: VF %d: invalid VF index", ifname, c->index);
	if (vs_vf_config_is_empty(c))
		return vs_error_set(err, -EINVAL, "%s: VF %d: no setting to send", ifname, c->index);
	if (vs_vf_attr_present(c, VS_ATTR_RATE) && (c->min_tx_rate < 0 || c->max_tx_rate < 0))
		return vs_error_set(err, -EINVAL, "%s: VF %d: IFLA_VF_RATE needs both min and max tx rate",
				    ifname, c->index);
	return 0;
}

int vs_nl_build_setvfs(const char *ifname, const struct vs_vf_config *cfgs, size_t n, uint32_t seq,
		       void **buf, size_t *len, struct vs_error *err)
{
	struct nlattr *list;
	struct nl_msg *m;
	int r = 0;

	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ || n == 0)
		return vs_error_set(err, -EINVAL, "%s: empty VF request", ifname ? ifname : "(null)");
	for (size_t i = 0; i < n && r == 0; i++)
		r = check_vf_request(ifname, &cfgs[i], err);
	if (r < 0)
		return r;
	m = link_msg(RTM_SETLINK, ifname, seq, 128 + n * 160);
	if (!m)
		return -ENOMEM;
	list = nla_nest_start(m, IFLA_VFINFO_LIST);
	r = list ? 0 : -NLE_NOMEM;
	for (size_t i = 0; i < n && r >= 0; i++)
		r = put_vf_info(m, &cfgs[i]);
	if (r >= 0)
		r = nla_nest_end(m, list);
	if (r < 0)
		r = vs_error_set(err, nlerr_to_errno(r), "%s: request for %zu VFs does not fit one netlink attribute list",
				 ifname, n);
	else
		r = msg_to_bytes(m, buf, len);
	nlmsg_free(m);
	return r;
}

/* ---- parsers ---- */

static struct nla_policy vf_policy[IFLA_VF_MAX + 1] = {
	[IFLA_VF_MAC] = { .minlen = sizeof(struct ifla_vf_mac) },
	[IFLA_VF_VLAN] = { .minlen = sizeof(struct ifla_vf_vlan) },
	[IFLA_VF_TX_RATE] = { .minlen = sizeof(struct ifla_vf_tx_rate) },
	[IFLA_VF_SPOOFCHK] = { .minlen = sizeof(struct ifla_vf_spoofchk) },
	[IFLA_VF_LINK_STATE] = { .minlen = sizeof(struct ifla_vf_link_state) },
	[IFLA_VF_RATE] = { .minlen = sizeof(struct ifla_vf_rate) },
	[IFLA_VF_RSS_QUERY_EN] = { .minlen = sizeof(struct ifla_vf_rss_query_en) },
	[IFLA_VF_TRUST] = { .minlen = sizeof(struct ifla_vf_trust) },
	[IFLA_VF_VLAN_LIST] = { .type = NLA_NESTED },
	[IFLA_VF_STATS] = { .type = NLA_NESTED },
};

static struct nla_policy vlan_list_policy[IFLA_VF_VLAN_INFO_MAX + 1] = {
	[IFLA_VF_VLAN_INFO] = { .minlen = sizeof(struct ifla_vf_vlan_info) },
};

/* Every VF attribute starts with __u32 vf; all of one entry must agree. */
static int entry_index(struct nlattr **tb, int *index)
{
	static const int with_vf[] = { IFLA_VF_MAC, IFLA_VF_VLAN, IFLA_VF_TX_RATE, IFLA_VF_SPOOFCHK,
				       IFLA_VF_LINK_STATE, IFLA_VF_RATE, IFLA_VF_RSS_QUERY_EN, IFLA_VF_TRUST };
	int found = -1;

	for (size_t i = 0; i < ELEMENTSOF(with_vf); i++) {
		uint32_t vf;

		if (!tb[with_vf[i]])
			continue;
		memcpy(&vf, nla_data(tb[with_vf[i]]), sizeof(vf));
		if (vf > INT32_MAX || (found >= 0 && (int)vf != found))
			return -EBADMSG;
		found = (int)vf;
	}
	*index = found;
	return found < 0 ? -EBADMSG : 0;
}

static int u32_at(struct nlattr *a, size_t off)
{
	uint32_t v;

	memcpy(&v, (char *)nla_data(a) + off, sizeof(v));
	return v > INT32_MAX ? -1 : (int)v;
}

static int flag_at(struct nlattr *a)
{
	int v = a ? u32_at(a, 4) : -1;

	return v == 0 || v == 1 ? v : -1;
}

static int parse_vlan_list(struct nlattr *list, struct vs_vf_config *c)
{
	struct nlattr *tb[IFLA_VF_VLAN_INFO_MAX + 1];
	struct ifla_vf_vlan_info vi;

	if (nla_parse_nested(tb, IFLA_VF_VLAN_INFO_MAX, list, vlan_list_policy) < 0 || !tb[IFLA_VF_VLAN_INFO])
		return -EBADMSG;
	memcpy(&vi, nla_data(tb[IFLA_VF_VLAN_INFO]), sizeof(vi));
	if (vi.vlan > 4095 || vi.qos > 7)
		return -EBADMSG;
	c->vlan = (int)vi.vlan;
	c->qos = (int)vi.qos;
	c->vlan_proto = ntohs(vi.vlan_proto);
	return 0;
}

static void parse_vlan_rates(struct nlattr **tb, struct vs_vf_config *c)
{
	if (tb[IFLA_VF_VLAN]) {
		c->vlan = u32_at(tb[IFLA_VF_VLAN], 4);
		c->qos = u32_at(tb[IFLA_VF_VLAN], 8);
		c->vlan_proto = ETH_P_8021Q;
	}
	if (tb[IFLA_VF_TX_RATE])
		c->max_tx_rate = u32_at(tb[IFLA_VF_TX_RATE], 4);
	if (tb[IFLA_VF_RATE]) {
		c->min_tx_rate = u32_at(tb[IFLA_VF_RATE], 4);
		c->max_tx_rate = u32_at(tb[IFLA_VF_RATE], 8);
	}
}

static int parse_vf_entry(struct nlattr *entry, struct vs_vf_config *c)
{
	struct nlattr *tb[IFLA_VF_MAX + 1];
	int index, r;

	if (nla_type(entry) != IFLA_VF_INFO || nla_parse_nested(tb, IFLA_VF_MAX, entry, vf_policy) < 0)
		return -EBADMSG;
	r = entry_index(tb, &index);
	if (r < 0)
		return r;
	vs_vf_config_init(c, index);
	if (tb[IFLA_VF_MAC]) {
		c->has_mac = true;
		memcpy(c->mac, ((struct ifla_vf_mac *)nla_data(tb[IFLA_VF_MAC]))->mac, 6);
	}
	parse_vlan_rates(tb, c);
	if (tb[IFLA_VF_VLAN_LIST] && parse_vlan_list(tb[IFLA_VF_VLAN_LIST], c) < 0)
		return -EBADMSG;
	c->spoofchk = flag_at(tb[IFLA_VF_SPOOFCHK]);
	c->trust = flag_at(tb[IFLA_VF_TRUST]);
	c->query_rss = flag_at(tb[IFLA_VF_RSS_QUERY_EN]);
	c->link_state = tb[IFLA_VF_LINK_STATE] ? u32_at(tb[IFLA_VF_LINK_STATE], 4) : -1;
	if (c->link_state > IFLA_VF_LINK_STATE_DISABLE)
		c->link_state = -1;
	return 0;
}

static int parse_vf_list(struct nlattr *list, const char *ifname, struct vs_pf_vf_list *out, struct vs_error *err)
{
	struct nlattr *entry;
	size_t alloc = 0;
	int rem, r;

	nla_for_each_nested(entry, list, rem) {
		r = vs_grow((void **)&out->vfs, &alloc, out->n + 1, sizeof(*out->vfs));
		if (r < 0)
			return vs_error_set(err, r, "%s: out of memory reading the VF list", ifname);
		r = parse_vf_entry(entry, &out->vfs[out->n]);
		if (r < 0)
			return vs_error_set(err, r, "%s: malformed VF entry %zu in IFLA_VFINFO_LIST", ifname, out->n);
		out->n++;
	}
	/* Bytes left that do not make a whole attribute: the list was cut. */
	if (rem != 0)
		out->truncated = true;
	return 0;
}

/* The kernel closed the nest with its length modulo 65536 and put the
 * rest of the entries after it.  Walk IFLA_VF_INFO entries from the list's
 * start to the end of the message; the result counts only when it has
 * exactly num_vf entries and its length agrees with the stored one. */
static bool recover_wrapped(const struct nlmsghdr *h, struct nlattr *list, struct vs_pf_vf_list *out)
{
	const char *end = (const char *)h + h->nlmsg_len, *p = (const char *)nla_data(list);
	struct vs_vf_config *vfs;
	size_t n = 0, want = (size_t)out->num_vf;

	if (out->num_vf <= 0 || (size_t)(end - p) < want * NLA_HDRLEN)
		return false;
	vfs = calloc(want, sizeof(*vfs));
	if (!vfs)
		return false;
	while (n < want && end - p >= NLA_HDRLEN) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > end - p || parse_vf_entry(a, &vfs[n]) < 0)
			break;
		n++;
		p += NLA_ALIGN(a->nla_len);
		if (p > end)
			break;
	}
	if (n != want || ((size_t)(p - (const char *)list) & 0xffff) != list->nla_len) {
		free(vfs);
		return false;
	}
	free(out->vfs);
	out->vfs = vfs;
	out->n = n;
	out->wrapped = true;
	return true;
}

/* The first occurrence of each top-level attribute counts: after a list
 * whose 16-bit length wrapped, what follows is the rest of that list. */
static int top_attrs(const struct nlmsghdr *h, struct nlattr **num_vf, struct nlattr **list)
{
	struct nlattr *a;
	int rem;

	*num_vf = *list = NULL;
	nla_for_each_attr(a, nlmsg_attrdata(h, sizeof(struct ifinfomsg)), nlmsg_attrlen(h, sizeof(struct ifinfomsg)), rem) {
		if (nla_type(a) == IFLA_NUM_VF && !*num_vf)
			*num_vf = a;
		else if (nla_type(a) == IFLA_VFINFO_LIST && !*list)
			*list = a;
	}
	if (*num_vf && nla_len(*num_vf) < (int)sizeof(uint32_t))
		return -EBADMSG;
	return 0;
}

static int check_link_header(const void *msg, size_t len)
{
	const struct nlmsghdr *h = msg;

	if (!msg || len < NLMSG_HDRLEN || h->nlmsg_len > len || len > INT32_MAX ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return -EBADMSG;
	if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_SETLINK)
		return -EBADMSG;
	return 0;
}

int vs_nl_parse_link(const void *msg, size_t len, const char *ifname, struct vs_pf_vf_list *out, struct vs_error *err)
{
	struct nlattr *num_vf, *list;
	int r;

	memset(out, 0, sizeof(*out));
	out->num_vf = -1;
	if (check_link_header(msg, len) < 0 || top_attrs(msg, &num_vf, &list) < 0)
		return vs_error_set(err, -EBADMSG, "%s: malformed RTM_NEWLINK message", ifname);
	if (num_vf) {
		uint32_t v = nla_get_u32(num_vf);

		out->num_vf = v > INT32_MAX ? INT32_MAX : (int)v;
	}
	if (list) {
		r = parse_vf_list(list, ifname, out, err);
		if (r < 0) {
			vs_pf_vf_list_free(out);
			return r;
		}
	}
	/* Without IFLA_NUM_VF a list cannot be known complete. */
	if ((out->num_vf >= 0 && out->n < (size_t)out->num_vf) || (list && out->num_vf < 0))
		out->truncated = true;
	if (out->truncated && list && recover_wrapped(msg, list, out))
		out->truncated = false;
	return 0;
}

void vs_pf_vf_list_free(struct vs_pf_vf_list *l)
{
	if (!l)
		return;
	free(l->vfs);
	l->vfs = NULL;
	l->n = 0;
}

static struct nla_policy ack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
	[NLMSGERR_ATTR_OFFS] = { .type = NLA_U32 },
};

/* Extended-ACK TLVs follow the nlmsgerr and, unless NLM_F_CAPPED, the
 * echoed request payload. */
static void parse_ack_tlvs(const struct nlmsghdr *h, const struct nlmsgerr *e, struct vs_nl_ack *ack)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return;
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	if (off >= h->nlmsg_len || h->nlmsg_len - off > INT32_MAX)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)h + off), (int)(h->nlmsg_len - off), ack_policy) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(ack->msg, tb[NLMSGERR_ATTR_MSG], sizeof(ack->msg));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		ack->has_offset = true;
		ack->offset = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
}

int vs_nl_parse_ack(const void *msg, size_t len, struct vs_nl_ack *ack)
{
	const struct nlmsghdr *h = msg;
	struct nlmsgerr e;

	memset(ack, 0, sizeof(*ack));
	if (!msg || len < NLMSG_HDRLEN || h->nlmsg_len > len || h->nlmsg_type != NLMSG_ERROR ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(e)))
		return -EBADMSG;
	memcpy(&e, NLMSG_DATA(h), sizeof(e));
	if (e.error > 0 || e.error < -4095)
		return -EBADMSG;
	ack->error = e.error;
	parse_ack_tlvs(h, (const struct nlmsgerr *)NLMSG_DATA(h), ack);
	return 0;
}

/* ---- the exchange: one request, replies until ACK/error/DONE ---- */

typedef int (*reply_fn)(const struct nlmsghdr *h, size_t len, void *data);

/* 1: the exchange is over; 0: keep reading; <0: malformed. */
static int handle_msg(const struct nlmsghdr *h, reply_fn fn, void *data, struct vs_nl_ack *ack)
{
	if (h->nlmsg_type == NLMSG_ERROR)
		return vs_nl_parse_ack(h, h->nlmsg_len, ack) < 0 ? -EBADMSG : 1;
	if (h->nlmsg_type == NLMSG_DONE)
		return 1;
	if (h->nlmsg_type == NLMSG_NOOP || !fn)
		return 0;
	return fn(h, h->nlmsg_len, data);
}

static int handle_datagram(struct vs_nl *nl, void *buf, size_t n, reply_fn fn, void *data, struct vs_nl_ack *ack)
{
	struct nlmsghdr *h = buf;
	int rem = (int)n, r;

	for (; nlmsg_ok(h, rem); h = nlmsg_next(h, &rem)) {
		if (h->nlmsg_seq != nl->seq)
			continue; /* an answer to an earlier, timed-out request */
		r = handle_msg(h, fn, data, ack);
		if (r != 0)
			return r;
	}
	return 0;
}

static int nl_exchange(struct vs_nl *nl, const void *req, size_t len, reply_fn fn, void *data, struct vs_nl_ack *ack)
{
	int r;

	memset(ack, 0, sizeof(*ack));
	nl->seq = ((const struct nlmsghdr *)req)->nlmsg_seq;
	r = nl->ops->send(nl, req, len);
	if (r < 0)
		return r;
	for (int i = 0; i < VS_NL_MAX_DATAGRAMS; i++) {
		_cleanup_free_ void *buf = NULL;
		size_t n = 0;

		r = nl->ops->recv(nl, &buf, &n);
		if (r < 0)
			return r;
		if (n > INT32_MAX)
			return -EBADMSG;
		r = handle_datagram(nl, buf, n, fn, data, ack);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return -ETIMEDOUT;
}

struct getlink_ctx {
	const char *ifname;
	struct vs_pf_vf_list *out;
	struct vs_error *err;
	bool seen;
};

static int on_newlink(const struct nlmsghdr *h, size_t len, void *data)
{
	struct getlink_ctx *ctx = data;

	if (h->nlmsg_type != RTM_NEWLINK || ctx->seen)
		return 0;
	ctx->seen = true;
	return vs_nl_parse_link(h, len, ctx->ifname, ctx->out, ctx->err) < 0 ? -EBADMSG : 0;
}

static void ack_error(struct vs_error *err, const char *ifname, const char *what, const struct vs_nl_ack *ack)
{
	vs_error_set(err, ack->error, "%s: %s: %s%s%s%s", ifname, what, strerror(-ack->error),
		     ack->msg[0] ? " (" : "", ack->msg, ack->msg[0] ? ")" : "");
}

int vs_nl_get_vfs(struct vs_nl *nl, const char *ifname, struct vs_pf_vf_list *out, struct vs_error *err)
{
	struct getlink_ctx ctx = { .ifname = ifname, .out = out, .err = err };
	_cleanup_free_ void *req = NULL;
	struct vs_nl_ack ack;
	size_t len;
	int r;

	memset(out, 0, sizeof(*out));
	out->num_vf = -1;
	r = vs_nl_build_getlink(ifname, nl->seq + 1, &req, &len);
	if (r < 0)
		return vs_error_set(err, r, "%s: cannot build RTM_GETLINK: %s", ifname ? ifname : "(null)", strerror(-r));
	r = nl_exchange(nl, req, len, on_newlink, &ctx, &ack);
	if (r == 0 && ack.error < 0)
		ack_error(err, ifname, "RTM_GETLINK", &ack);
	else if (r == 0 && !ctx.seen)
		r = vs_error_set(err, -EBADMSG, "%s: RTM_GETLINK: no RTM_NEWLINK in the answer", ifname);
	else if (r < 0)
		vs_error_set(err, r, "%s: RTM_GETLINK: %s", ifname, strerror(-r));
	if (r == 0)
		r = ack.error;
	if (r < 0)
		vs_pf_vf_list_free(out);
	return r;
}

int vs_nl_set_vfs_ack(struct vs_nl *nl, const char *ifname, const struct vs_vf_config *cfgs, size_t n,
		      struct vs_nl_ack *ack, struct vs_error *err)
{
	_cleanup_free_ void *req = NULL;
	size_t len;
	int r;

	memset(ack, 0, sizeof(*ack));
	r = vs_nl_build_setvfs(ifname, cfgs, n, nl->seq + 1, &req, &len, err);
	if (r < 0)
		return r;
	r = nl_exchange(nl, req, len, NULL, NULL, ack);
	if (r < 0)
		return vs_error_set(err, r, "%s: RTM_SETLINK: %s", ifname, strerror(-r));
	if (ack->error < 0)
		ack_error(err, ifname, "RTM_SETLINK", ack);
	return ack->error;
}

int vs_nl_request(struct vs_nl *nl, const void *req, size_t len, struct vs_nl_ack *ack)
{
	if (!req || len < NLMSG_HDRLEN)
		return -EINVAL;
	return nl_exchange(nl, req, len, NULL, NULL, ack);
}

int vs_nl_set_vfs(struct vs_nl *nl, const char *ifname, const struct vs_vf_config *cfgs, size_t n, struct vs_error *err)
{
	struct vs_nl_ack ack;

	return vs_nl_set_vfs_ack(nl, ifname, cfgs, n, &ack, err);
}

/* ---- the real transport ---- */

static int sock_send(struct vs_nl *nl, const void *buf, size_t len)
{
	int r = nl_sendto(nl->priv, (void *)buf, len);

	return r < 0 ? nlerr_to_errno(r) : 0;
}

static int sock_recv(struct vs_nl *nl, void **buf, size_t *len)
{
	struct sockaddr_nl from;
	unsigned char *data = NULL;
	int r;

	for (;;) {
		r = nl_recv(nl->priv, &from, &data, NULL);
		if (r <= 0)
			return r == 0 ? -ETIMEDOUT : nlerr_to_errno(r);
		if (from.nl_pid == 0)
			break;
		free(data); /* only the kernel answers for the kernel */
		data = NULL;
	}
	*buf = data;
	*len = (size_t)r;
	return 0;
}

static void sock_close(struct vs_nl *nl)
{
	nl_socket_free(nl->priv);
}

static const struct vs_nl_ops sock_ops = { sock_send, sock_recv, sock_close };

static void sock_options(int fd)
{
	struct timeval tv = { .tv_sec = VS_NL_RCVTIMEO_SEC };
	int one = 1, rcvbuf = VS_NL_RCVBUF;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* libnl leaves 32 KiB: the answer about a PF with a few hundred VFs
	 * fills that, and the kernel then drops the ACK behind it (ENOBUFS).
	 * FORCE needs CAP_NET_ADMIN; without it the kernel caps at rmem_max. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* Both are optional: older kernels answer without extack text. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

int vs_nl_open(struct vs_nl **out, struct vs_error *err)
{
	return vs_nl_open_proto(out, NETLINK_ROUTE, err);
}

int vs_nl_open_proto(struct vs_nl **out, int protocol, struct vs_error *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct vs_nl *nl;
	int r;

	if (!sk)
		return vs_error_set(err, -ENOMEM, "netlink: out of memory");
	r = nl_connect(sk, protocol);
	if (r < 0) {
		nl_socket_free(sk);
		return vs_error_set(err, -EIO, "netlink: cannot open a %s socket: %s",
				    protocol == NETLINK_ROUTE ? "NETLINK_ROUTE" : "NETLINK_GENERIC", nl_geterror(r));
	}
	sock_options(nl_socket_get_fd(sk));
	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		nl_socket_free(sk);
		return vs_error_set(err, -ENOMEM, "netlink: out of memory");
	}
	nl->ops = &sock_ops;
	nl->priv = sk;
	nl->seq = (uint32_t)time(NULL);
	*out = nl;
	return 0;
}

void vs_nl_close(struct vs_nl *nl)
{
	if (!nl)
		return;
	if (nl->ops && nl->ops->close)
		nl->ops->close(nl);
	free(nl);
}

/* ---- one link: up, master (representors) ---- */

static struct nl_msg *link_msg_flags(int type, const char *ifname, unsigned flags, unsigned change, uint32_t seq)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = flags, .ifi_change = change };
	struct nl_msg *m;

	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ || !(m = nlmsg_alloc_size(256)))
		return NULL;
	if (!nlmsg_put(m, 0, seq, type, 0, NLM_F_REQUEST | NLM_F_ACK) ||
	    nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(m, IFLA_IFNAME, ifname) < 0) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

static int finish(struct nl_msg *m, int r, void **buf, size_t *len)
{
	if (!m)
		return -EINVAL;
	r = r < 0 ? nlerr_to_errno(r) : msg_to_bytes(m, buf, len);
	nlmsg_free(m);
	return r;
}

int vs_nl_build_getlink_info(const char *ifname, uint32_t seq, void **buf, size_t *len)
{
	struct nl_msg *m = link_msg_flags(RTM_GETLINK, ifname, 0, 0, seq);

	return finish(m, m ? nla_put_u32(m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS) : 0, buf, len);
}

int vs_nl_build_link_flags(const char *ifname, unsigned flags, unsigned change, uint32_t seq, void **buf,
			   size_t *len)
{
	return finish(link_msg_flags(RTM_SETLINK, ifname, flags, change, seq), 0, buf, len);
}

int vs_nl_build_set_master(const char *ifname, int master, uint32_t seq, void **buf, size_t *len)
{
	struct nl_msg *m = master >= 0 ? link_msg_flags(RTM_SETLINK, ifname, 0, 0, seq) : NULL;

	return finish(m, m ? nla_put_u32(m, IFLA_MASTER, (uint32_t)master) : 0, buf, len);
}

static struct nla_policy info_policy[IFLA_MAX + 1] = {
	[IFLA_MASTER] = { .type = NLA_U32 },
	[IFLA_OPERSTATE] = { .type = NLA_U8 },
	[IFLA_LINKINFO] = { .type = NLA_NESTED },
};

int vs_nl_parse_link_info(const void *msg, size_t len, struct vs_nl_link *out)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	const struct nlmsghdr *h = msg;
	const struct ifinfomsg *ifi;

	memset(out, 0, sizeof(*out));
	out->operstate = -1;
	if (check_link_header(msg, len) < 0 ||
	    nlmsg_parse((struct nlmsghdr *)h, sizeof(*ifi), tb, IFLA_MAX, info_policy) < 0)
		return -EBADMSG;
	ifi = nlmsg_data(h);
	out->ifindex = ifi->ifi_index;
	out->flags = ifi->ifi_flags;
	if (tb[IFLA_MASTER])
		out->master = (int)nla_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_OPERSTATE])
		out->operstate = nla_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_LINKINFO] && nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) == 0 &&
	    li[IFLA_INFO_KIND])
		nla_strlcpy(out->kind, li[IFLA_INFO_KIND], sizeof(out->kind));
	return 0;
}

struct info_ctx { struct vs_nl_link *out; bool seen; bool bad; };

static int on_link_info(const struct nlmsghdr *h, size_t len, void *data)
{
	struct info_ctx *ctx = data;

	if (h->nlmsg_type != RTM_NEWLINK || ctx->seen)
		return 0;
	ctx->seen = true;
	return vs_nl_parse_link_info(h, len, ctx->out) < 0 ? -EBADMSG : 0;
}

/* One request on ifname, answered by an ACK or a refusal (named). */
static int link_exchange(struct vs_nl *nl, void *req, size_t len, reply_fn fn, void *data, const char *ifname,
			 const char *what, struct vs_error *err)
{
	struct vs_nl_ack ack;
	int r = nl_exchange(nl, req, len, fn, data, &ack);

	free(req);
	if (r < 0)
		return vs_error_set(err, r, "%s: %s: %s", ifname, what, strerror(-r));
	if (ack.error == -ENODEV)
		return vs_error_set(err, -ENODEV, "%s: no such netdev", ifname);
	if (ack.error < 0)
		ack_error(err, ifname, what, &ack);
	return ack.error;
}

int vs_nl_get_link(struct vs_nl *nl, const char *ifname, struct vs_nl_link *out, struct vs_error *err)
{
	struct info_ctx ctx = { .out = out };
	void *req = NULL;
	size_t len;
	int r = vs_nl_build_getlink_info(ifname, nl->seq + 1, &req, &len);

	if (r < 0)
		return vs_error_set(err, r, "%s: not a netdev name", ifname ? ifname : "(null)");
	r = link_exchange(nl, req, len, on_link_info, &ctx, ifname, "RTM_GETLINK", err);
	if (r == 0 && !ctx.seen)
		r = vs_error_set(err, -EBADMSG, "%s: RTM_GETLINK: no RTM_NEWLINK in the answer", ifname);
	return r;
}

int vs_nl_link_up(struct vs_nl *nl, const char *ifname, struct vs_error *err)
{
	void *req = NULL;
	size_t len;
	int r = vs_nl_build_link_flags(ifname, IFF_UP, IFF_UP, nl->seq + 1, &req, &len);

	if (r < 0)
		return vs_error_set(err, r, "%s: not a netdev name", ifname ? ifname : "(null)");
	return link_exchange(nl, req, len, NULL, NULL, ifname, "set up", err);
}

/* The bridge must be a Linux bridge: IFLA_MASTER to an OVS internal port
 * or a bond would "work" and mean something else. */
static int bridge_index(struct vs_nl *nl, const char *ifname, const char *bridge, struct vs_error *err)
{
	struct vs_nl_link br;
	struct vs_error sub = { 0 };
	int r = vs_nl_get_link(nl, bridge, &br, &sub);

	if (r == -ENODEV)
		return vs_error_set(err, r, "%s: bridge %s does not exist", ifname, bridge);
	if (r < 0)
		return vs_error_set(err, r, "%s: bridge %s: %s", ifname, bridge, sub.msg);
	if (strcmp(br.kind, "bridge") != 0)
		return vs_error_set(err, -EINVAL, "%s: %s is not a Linux bridge (%s%s)", ifname, bridge,
				    br.kind[0] ? "kind " : "no link kind", br.kind);
	return br.ifindex;
}

int vs_nl_set_master(struct vs_nl *nl, const char *ifname, const char *bridge, struct vs_error *err)
{
	char what[64];
	void *req = NULL;
	size_t len;
	int master = bridge ? bridge_index(nl, ifname, bridge, err) : 0, r;

	if (master < 0)
		return master;
	r = vs_nl_build_set_master(ifname, master, nl->seq + 1, &req, &len);
	if (r < 0)
		return vs_error_set(err, r, "%s: not a netdev name", ifname ? ifname : "(null)");
	if (bridge)
		snprintf(what, sizeof(what), "join bridge %s", bridge);
	else
		snprintf(what, sizeof(what), "leave its bridge");
	return link_exchange(nl, req, len, NULL, NULL, ifname, what, err);
}
