#include "config.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "test-fake-kernel.h"
#include "test-netlink-fake.h"

#define ALIGN4(x) (((x) + 3u) & ~3u)
#define HDR 4u

/* ---- raw attribute walking ---- */

struct raw {
	const unsigned char *data; /* payload */
	uint16_t len, type;        /* payload length, type without flags */
};

/* The attribute at p (within end); false when there is none. */
static bool raw_at(const unsigned char *p, const unsigned char *end, struct raw *a)
{
	uint16_t len, type;

	if (end - p < (long)HDR)
		return false;
	memcpy(&len, p, 2);
	memcpy(&type, p + 2, 2);
	if (len < HDR || len > end - p)
		return false;
	a->data = p + HDR;
	a->len = (uint16_t)(len - HDR);
	a->type = type & NLA_TYPE_MASK;
	return true;
}

#define RAW_FOREACH(a, start, end, p) \
	for (const unsigned char *p = (start); raw_at(p, (end), &(a)); p += ALIGN4((a).len + HDR))

static uint32_t u32_of(const struct raw *a, size_t off)
{
	uint32_t v = 0;

	if (a->len >= off + 4)
		memcpy(&v, a->data + off, 4);
	return v;
}

/* The top-level attributes of a link message start after nlmsghdr + ifinfomsg. */
static bool link_attrs(const unsigned char *msg, size_t len, const unsigned char **start, const unsigned char **end)
{
	size_t off = NLMSG_LENGTH(sizeof(struct ifinfomsg));

	if (len < off)
		return false;
	*start = msg + off;
	*end = msg + len;
	return true;
}

/* ---- RTM_SETLINK, as do_setlink and do_setvfinfo ---- */

/* do_setvfinfo's order: it stops at the first refusal. */
static const uint16_t kernel_order[] = {
	IFLA_VF_MAC, IFLA_VF_VLAN, IFLA_VF_VLAN_LIST, IFLA_VF_TX_RATE, IFLA_VF_RATE,
	IFLA_VF_SPOOFCHK, IFLA_VF_LINK_STATE, IFLA_VF_RSS_QUERY_EN, IFLA_VF_TRUST,
};

static int set_one(struct fake_kernel *k, uint16_t type, const struct raw *a)
{
	static const unsigned char zero[6];
	uint32_t vf = u32_of(a, 0);
	struct fk_vf *v;

	if (vf >= k->n)
		return -EINVAL;
	v = &k->vfs[vf];
	if (type == IFLA_VF_MAC && k->refuse_zero_mac && memcmp(a->data + 4, zero, 6) == 0)
		return -EINVAL;
	if (k->refuse & FK_BIT(type))
		return k->refuse_error;
	switch (type) {
	case IFLA_VF_MAC: memcpy(v->mac, a->data + 4, 6); break;
	case IFLA_VF_VLAN: v->vlan = u32_of(a, 4); v->qos = u32_of(a, 8); v->proto = ETH_P_8021Q; break;
	case IFLA_VF_TX_RATE: v->max_rate = u32_of(a, 4); break;
	case IFLA_VF_RATE: v->min_rate = u32_of(a, 4); v->max_rate = u32_of(a, 8); break;
	case IFLA_VF_SPOOFCHK: v->spoofchk = (int32_t)u32_of(a, 4); break;
	case IFLA_VF_LINK_STATE: v->link_state = (int32_t)u32_of(a, 4); break;
	case IFLA_VF_RSS_QUERY_EN: v->rss = (int32_t)u32_of(a, 4); break;
	case IFLA_VF_TRUST: v->trust = (int32_t)u32_of(a, 4); break;
	}
	return 0;
}

static int set_vlan_list(struct fake_kernel *k, const struct raw *list)
{
	struct raw a;

	RAW_FOREACH(a, list->data, list->data + list->len, p) {
		uint16_t proto;
		uint32_t vf = u32_of(&a, 0);

		if (a.type != IFLA_VF_VLAN_INFO || a.len < 14 || vf >= k->n)
			return -EINVAL;
		if (k->refuse & FK_BIT(IFLA_VF_VLAN_LIST))
			return k->refuse_error;
		memcpy(&proto, a.data + 12, 2);
		k->vfs[vf].vlan = u32_of(&a, 4);
		k->vfs[vf].qos = u32_of(&a, 8);
		k->vfs[vf].proto = ntohs(proto);
	}
	return 0;
}

static int set_vf_info(struct fake_kernel *k, const struct raw *info)
{
	struct raw tb[IFLA_VF_MAX + 1], a;
	bool have[IFLA_VF_MAX + 1] = { false };
	int r = 0;

	RAW_FOREACH(a, info->data, info->data + info->len, p) {
		if (a.type <= IFLA_VF_MAX) {
			tb[a.type] = a;
			have[a.type] = true;
		}
	}
	for (size_t i = 0; i < sizeof(kernel_order) / sizeof(kernel_order[0]) && r == 0; i++) {
		uint16_t t = kernel_order[i];

		if (have[t])
			r = t == IFLA_VF_VLAN_LIST ? set_vlan_list(k, &tb[t]) : set_one(k, t, &tb[t]);
	}
	return r;
}

static int do_setlink(struct fake_kernel *k, const unsigned char *msg, size_t len)
{
	const unsigned char *start, *end;
	struct raw a, e;
	int r = 0;

	if (!link_attrs(msg, len, &start, &end))
		return -EINVAL;
	RAW_FOREACH(a, start, end, p) {
		if (a.type != IFLA_VFINFO_LIST)
			continue;
		RAW_FOREACH(e, a.data, a.data + a.len, q) {
			if (e.type != IFLA_VF_INFO)
				return -EINVAL;
			r = set_vf_info(k, &e);
			if (r < 0)
				return r;
		}
	}
	return r;
}

/* ---- RTM_GETLINK ---- */

static void put_pair(struct wbuf *w, uint16_t type, uint32_t vf, int32_t v)
{
	uint32_t d[2] = { vf, (uint32_t)v };

	w_attr(w, type, d, sizeof(d));
}

/* rtnl_fill_vfinfo's attributes, in its order. */
static void put_vf(struct wbuf *w, uint32_t i, const struct fk_vf *v)
{
	struct ifla_vf_mac mac;
	struct ifla_vf_vlan_info vi;
	uint32_t vlan[3] = { i, v->vlan, v->qos }, rate[3] = { i, v->min_rate, v->max_rate };
	uint32_t tx[2] = { i, v->max_rate };
	size_t info = w_nest_start(w, IFLA_VF_INFO), list;

	memset(&mac, 0, sizeof(mac));
	mac.vf = i;
	memcpy(mac.mac, v->mac, 6);
	w_attr(w, IFLA_VF_MAC, &mac, sizeof(mac));
	w_attr(w, IFLA_VF_VLAN, vlan, sizeof(vlan));
	w_attr(w, IFLA_VF_RATE, rate, sizeof(rate));
	w_attr(w, IFLA_VF_TX_RATE, tx, sizeof(tx));
	put_pair(w, IFLA_VF_SPOOFCHK, i, v->spoofchk);
	put_pair(w, IFLA_VF_LINK_STATE, i, v->link_state);
	put_pair(w, IFLA_VF_RSS_QUERY_EN, i, v->rss);
	put_pair(w, IFLA_VF_TRUST, i, v->trust);
	memset(&vi, 0, sizeof(vi));
	vi.vf = i;
	vi.vlan = v->vlan;
	vi.qos = v->qos;
	vi.vlan_proto = htons((uint16_t)v->proto);
	list = w_nest_start(w, IFLA_VF_VLAN_LIST);
	w_attr(w, IFLA_VF_VLAN_INFO, &vi, sizeof(vi));
	w_nest_end(w, list);
	w_nest_end(w, info);
}

static void do_getlink(struct fake_kernel *k, struct wbuf *w, uint32_t seq)
{
	size_t list;

	w_link_msg(w, RTM_NEWLINK, 0, seq);
	w_attr_str(w, IFLA_IFNAME, "em1");
	if (!k->no_list) {
		w_attr_u32(w, IFLA_NUM_VF, (uint32_t)k->n);
		list = w_nest_start(w, IFLA_VFINFO_LIST);
		for (size_t i = 0; i < k->n; i++)
			put_vf(w, (uint32_t)i, &k->vfs[i]);
		w_nest_end(w, list);
	}
	w_msg_end(w);
}

/* ---- the transport ---- */

static int fk_send(struct vs_nl *nl, const void *buf, size_t len)
{
	struct fake_kernel *k = (struct fake_kernel *)nl;
	const struct nlmsghdr *h = buf;
	struct wbuf w;
	int error = 0;

	if (k->nreq >= FK_MAX_REQ || len < sizeof(*h))
		return -ENOSPC;
	k->req[k->nreq] = malloc(len);
	memcpy(k->req[k->nreq], buf, len);
	k->req_len[k->nreq++] = len;
	w_init(&w);
	if (h->nlmsg_type == RTM_GETLINK)
		do_getlink(k, &w, h->nlmsg_seq);
	else if (h->nlmsg_type == RTM_SETLINK) {
		k->nsetlink++;
		error = do_setlink(k, buf, len);
	} else
		error = -EOPNOTSUPP;
	w_ack(&w, error, NULL, h->nlmsg_seq);
	free(k->reply);
	k->reply = w.b;
	k->reply_len = w.len;
	return 0;
}

static int fk_recv(struct vs_nl *nl, void **buf, size_t *len)
{
	struct fake_kernel *k = (struct fake_kernel *)nl;

	if (!k->reply)
		return -ETIMEDOUT;
	*buf = k->reply;
	*len = k->reply_len;
	k->reply = NULL;
	return 0;
}

static const struct vs_nl_ops fk_ops = { fk_send, fk_recv, NULL };

void fk_init(struct fake_kernel *k, size_t nvfs)
{
	memset(k, 0, sizeof(*k));
	k->nl.ops = &fk_ops;
	k->nl.seq = 500;
	k->n = nvfs;
	k->refuse_error = -EOPNOTSUPP;
	for (size_t i = 0; i < nvfs; i++) {
		k->vfs[i].proto = ETH_P_8021Q;
		k->vfs[i].spoofchk = 1;
		k->vfs[i].link_state = IFLA_VF_LINK_STATE_AUTO;
		k->vfs[i].rss = 0;
		k->vfs[i].trust = 0;
	}
}

void fk_free(struct fake_kernel *k)
{
	for (size_t i = 0; i < k->nreq; i++)
		free(k->req[i]);
	free(k->reply);
	memset(k, 0, sizeof(*k));
}

size_t fk_setlink_entries(const struct fake_kernel *k, size_t i, uint32_t *types, uint32_t *vfs, size_t max,
			  size_t *list_len)
{
	const unsigned char *start, *end;
	struct raw a, e, s;
	size_t n = 0;

	*list_len = 0;
	if (i >= k->nreq || !link_attrs(k->req[i], k->req_len[i], &start, &end))
		return 0;
	RAW_FOREACH(a, start, end, p) {
		if (a.type != IFLA_VFINFO_LIST)
			continue;
		*list_len = a.len + HDR;
		RAW_FOREACH(e, a.data, a.data + a.len, q) {
			if (n >= max)
				return n;
			types[n] = 0;
			vfs[n] = UINT32_MAX;
			RAW_FOREACH(s, e.data, e.data + e.len, r) {
				types[n] |= FK_BIT(s.type);
				if (s.type != IFLA_VF_VLAN_LIST)
					vfs[n] = u32_of(&s, 0);
			}
			n++;
		}
	}
	return n;
}
