/* The rtnetlink builder and parser, byte for byte.  Expected messages are
 * written here with the raw writer of fake-nl.c (struct nlmsghdr,
 * ifinfomsg and nlattr laid out by hand), never with the code under test,
 * in the manner of ELL's unit/test-rtnl.c. */
#include "config.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "netlink.h"
#include "fake-nl.h"

#define REQ_FLAGS (NLM_F_REQUEST | NLM_F_ACK)

static void assert_bytes(const void *got, size_t got_len, const struct wbuf *want)
{
	if (got_len != want->len || memcmp(got, want->b, want->len) != 0) {
		const unsigned char *g = got;

		for (size_t i = 0; i < got_len && i < want->len; i++)
			if (g[i] != want->b[i]) {
				print_error("first difference at byte %zu: got %02x want %02x\n", i, g[i], want->b[i]);
				break;
			}
		print_error("length got %zu want %zu\n", got_len, want->len);
		fail();
	}
}

static struct vs_vf_config cfg(int index)
{
	struct vs_vf_config c;

	vs_vf_config_init(&c, index);
	return c;
}

/* Header, IFLA_IFNAME, then the list is opened: the caller writes entries. */
static size_t want_setlink_start(struct wbuf *w, const char *ifname, uint32_t seq)
{
	w_init(w);
	w_link_msg(w, RTM_SETLINK, REQ_FLAGS, seq);
	w_attr_str(w, IFLA_IFNAME, ifname);
	return w_nest_start_flagged(w, IFLA_VFINFO_LIST);
}

static void want_pair(struct wbuf *w, uint16_t type, uint32_t vf, uint32_t value)
{
	uint32_t v[2] = { vf, value };

	w_attr(w, type, v, sizeof(v));
}

static void want_mac(struct wbuf *w, uint32_t vf, const unsigned char mac[6])
{
	struct ifla_vf_mac m;

	memset(&m, 0, sizeof(m));
	m.vf = vf;
	memcpy(m.mac, mac, 6);
	w_attr(w, IFLA_VF_MAC, &m, sizeof(m));
}

static void build_and_compare(const struct vs_vf_config *cfgs, size_t n, const char *ifname, struct wbuf *want)
{
	struct vs_error err = { 0 };
	void *buf = NULL;
	size_t len = 0;

	assert_int_equal(vs_nl_build_setvfs(ifname, cfgs, n, 7, &buf, &len, &err), 0);
	assert_bytes(buf, len, want);
	free(buf);
	w_free(want);
}

/* One literal message, every byte written out. */
static void test_setlink_literal(void **state)
{
	static const unsigned char want_bytes[] = {
		0x3c, 0, 0, 0, 19, 0, 0x05, 0, 7, 0, 0, 0, 0, 0, 0, 0, /* nlmsghdr: 60, RTM_SETLINK, REQUEST|ACK, seq 7 */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,        /* ifinfomsg */
		8, 0, 3, 0, 'e', 'm', '1', 0,                          /* IFLA_IFNAME "em1" */
		20, 0, 22, 0x80,                                       /* IFLA_VFINFO_LIST | NLA_F_NESTED */
		16, 0, 1, 0x80,                                        /*  IFLA_VF_INFO | NLA_F_NESTED */
		12, 0, 4, 0, 2, 0, 0, 0, 0, 0, 0, 0,                   /*   IFLA_VF_SPOOFCHK vf 2 off */
	};
	struct vs_vf_config c = cfg(2);
	struct wbuf w = { .b = (unsigned char *)want_bytes, .len = sizeof(want_bytes) };
	void *buf = NULL;
	size_t len;

	c.spoofchk = 0;
	assert_int_equal(vs_nl_build_setvfs("em1", &c, 1, 7, &buf, &len, NULL), 0);
	assert_bytes(buf, len, &w);
	free(buf);
}

static void test_setlink_each_attribute(void **state)
{
	static const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct { uint16_t type; int value; int *field; } pairs[4];
	struct vs_vf_config c;
	struct wbuf w;
	size_t list, info;

	/* MAC */
	c = cfg(3);
	c.has_mac = true;
	memcpy(c.mac, mac, 6);
	list = want_setlink_start(&w, "vpf0", 7);
	info = w_nest_start_flagged(&w, IFLA_VF_INFO);
	want_mac(&w, 3, mac);
	w_nest_end(&w, info);
	w_nest_end(&w, list);
	w_msg_end(&w);
	build_and_compare(&c, 1, "vpf0", &w);

	/* pairs: spoofchk, link state, rss query, trust */
	c = cfg(3);
	pairs[0] = (typeof(pairs[0])){ IFLA_VF_SPOOFCHK, 1, &c.spoofchk };
	pairs[1] = (typeof(pairs[0])){ IFLA_VF_LINK_STATE, IFLA_VF_LINK_STATE_DISABLE, &c.link_state };
	pairs[2] = (typeof(pairs[0])){ IFLA_VF_RSS_QUERY_EN, 1, &c.query_rss };
	pairs[3] = (typeof(pairs[0])){ IFLA_VF_TRUST, 1, &c.trust };
	for (size_t i = 0; i < 4; i++) {
		c = cfg(3);
		*pairs[i].field = pairs[i].value;
		list = want_setlink_start(&w, "vpf0", 7);
		info = w_nest_start_flagged(&w, IFLA_VF_INFO);
		want_pair(&w, pairs[i].type, 3, (uint32_t)pairs[i].value);
		w_nest_end(&w, info);
		w_nest_end(&w, list);
		w_msg_end(&w);
		build_and_compare(&c, 1, "vpf0", &w);
	}
}

/* 802.1Q as IFLA_VF_VLAN (what every kernel reads, as iproute2 sends);
 * 802.1ad as IFLA_VF_VLAN_LIST / IFLA_VF_VLAN_INFO with the protocol in
 * network order. */
static void test_setlink_vlan(void **state)
{
	struct vs_vf_config c = cfg(3);
	uint32_t plain[3] = { 3, 5, 2 };
	struct ifla_vf_vlan_info vi;
	struct wbuf w;
	size_t list, info, vl;

	c.vlan = 5;
	c.qos = 2;
	list = want_setlink_start(&w, "vpf0", 7);
	info = w_nest_start_flagged(&w, IFLA_VF_INFO);
	w_attr(&w, IFLA_VF_VLAN, plain, sizeof(plain));
	w_nest_end(&w, info);
	w_nest_end(&w, list);
	w_msg_end(&w);
	build_and_compare(&c, 1, "vpf0", &w);

	c.vlan = 100;
	c.qos = 4;
	c.vlan_proto = ETH_P_8021AD;
	memset(&vi, 0, sizeof(vi));
	vi.vf = 3;
	vi.vlan = 100;
	vi.qos = 4;
	vi.vlan_proto = htons(0x88a8);
	list = want_setlink_start(&w, "vpf0", 7);
	info = w_nest_start_flagged(&w, IFLA_VF_INFO);
	vl = w_nest_start_flagged(&w, IFLA_VF_VLAN_LIST);
	w_attr(&w, IFLA_VF_VLAN_INFO, &vi, sizeof(vi));
	w_nest_end(&w, vl);
	w_nest_end(&w, info);
	w_nest_end(&w, list);
	w_msg_end(&w);
	build_and_compare(&c, 1, "vpf0", &w);
}

static void test_setlink_rate(void **state)
{
	struct vs_vf_config c = cfg(1);
	uint32_t rate[3] = { 1, 10, 1000 };
	struct vs_error err = { 0 };
	struct wbuf w;
	size_t list, info;
	void *buf = NULL;
	size_t len;

	c.min_tx_rate = 10;
	c.max_tx_rate = 1000;
	list = want_setlink_start(&w, "vpf0", 7);
	info = w_nest_start_flagged(&w, IFLA_VF_INFO);
	w_attr(&w, IFLA_VF_RATE, rate, sizeof(rate));
	w_nest_end(&w, info);
	w_nest_end(&w, list);
	w_msg_end(&w);
	build_and_compare(&c, 1, "vpf0", &w);

	/* IFLA_VF_RATE needs both: the builder refuses half a rate. */
	c.min_tx_rate = -1;
	assert_int_equal(vs_nl_build_setvfs("vpf0", &c, 1, 7, &buf, &len, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "VF 1"));
	assert_null(buf);
	/* An entry with nothing to set is refused too. */
	c = cfg(1);
	assert_int_equal(vs_nl_build_setvfs("vpf0", &c, 1, 7, &buf, &len, NULL), -EINVAL);
}

/* 64 VFs of one PF in one request, every attribute kind mixed in. */
static void test_setlink_batch64(void **state)
{
	struct vs_vf_config cfgs[64];
	struct wbuf w;
	size_t list;

	list = want_setlink_start(&w, "enp5s0f0", 7);
	for (int i = 0; i < 64; i++) {
		unsigned char mac[6] = { 0x52, 0x54, 0x00, 0xab, 0x00, (unsigned char)i };
		uint32_t vlan[3] = { (uint32_t)i, (uint32_t)(i + 1), 0 };
		size_t info;

		cfgs[i] = cfg(i);
		cfgs[i].has_mac = true;
		memcpy(cfgs[i].mac, mac, 6);
		cfgs[i].vlan = i + 1;
		cfgs[i].spoofchk = 0;
		cfgs[i].trust = 1;
		info = w_nest_start_flagged(&w, IFLA_VF_INFO);
		want_mac(&w, (uint32_t)i, mac);
		w_attr(&w, IFLA_VF_VLAN, vlan, sizeof(vlan));
		want_pair(&w, IFLA_VF_SPOOFCHK, (uint32_t)i, 0);
		want_pair(&w, IFLA_VF_TRUST, (uint32_t)i, 1);
		w_nest_end(&w, info);
	}
	w_nest_end(&w, list);
	w_msg_end(&w);
	assert_true(w.len < 65536); /* one list fits its 16-bit length */
	build_and_compare(cfgs, 64, "enp5s0f0", &w);
}

/* vs_nl_setvfs_fit agrees with the builder: the count it gives builds, one
 * more VF does not (E2BIG), for each kind of entry. */
static void test_setvfs_fit(void **state)
{
	static struct vs_vf_config cfgs[4096];
	static const int kinds[] = { 0, 1, 2, 3 };

	for (size_t k = 0; k < ELEMENTSOF(kinds); k++) {
		struct vs_error err = { 0 };
		void *buf = NULL;
		size_t len = 0, fit;

		for (int i = 0; i < 4096; i++) {
			cfgs[i] = cfg(i);
			cfgs[i].spoofchk = 0;
			cfgs[i].trust = 1;
			if (kinds[k] >= 1) { /* a reset: every setting */
				cfgs[i].has_mac = true;
				cfgs[i].vlan = 0;
				cfgs[i].link_state = 0;
				cfgs[i].min_tx_rate = cfgs[i].max_tx_rate = 0;
			}
			if (kinds[k] >= 2) /* 802.1ad goes as a nested IFLA_VF_VLAN_LIST */
				cfgs[i].vlan_proto = ETH_P_8021AD;
			if (kinds[k] >= 3)
				cfgs[i].query_rss = 1;
		}
		fit = vs_nl_setvfs_fit(cfgs, 4096);
		assert_true(fit > 400 && fit < 4096);
		assert_int_equal(vs_nl_build_setvfs("em1", cfgs, fit, 7, &buf, &len, &err), 0);
		free(buf);
		buf = NULL;
		assert_int_equal(vs_nl_build_setvfs("em1", cfgs, fit + 1, 7, &buf, &len, &err), -E2BIG);
		assert_null(buf);
	}
	/* 1024 VFs with two settings: one list */
	assert_int_equal(vs_nl_setvfs_fit(cfgs, 1024) < 1024, true);
	for (int i = 0; i < 1024; i++) {
		cfgs[i] = cfg(i);
		cfgs[i].spoofchk = 0;
		cfgs[i].trust = 1;
	}
	assert_int_equal(vs_nl_setvfs_fit(cfgs, 1024), 1024);
}

static void test_getlink(void **state)
{
	struct wbuf w;
	void *buf = NULL;
	size_t len;

	w_init(&w);
	w_link_msg(&w, RTM_GETLINK, REQ_FLAGS, 42);
	w_attr_str(&w, IFLA_IFNAME, "em1");
	w_attr_u32(&w, IFLA_EXT_MASK, (1u << 0) | (1u << 3)); /* RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS */
	w_msg_end(&w);
	assert_int_equal(vs_nl_build_getlink("em1", 42, &buf, &len), 0);
	assert_bytes(buf, len, &w);
	free(buf);
	w_free(&w);
	assert_int_equal(vs_nl_build_getlink("a-name-longer-than-ifnamsiz", 1, &buf, &len), -EINVAL);
	assert_int_equal(vs_nl_build_getlink("", 1, &buf, &len), -EINVAL);
}

/* ---- parser ---- */

struct kvf {
	unsigned char mac[6];
	uint32_t vlan, qos, proto, spoofchk, link, rss, trust, min, max;
};

/* One IFLA_VF_INFO as rtnl_fill_vfinfo writes it (with SKIP_STATS). */
static void w_kernel_vf(struct wbuf *w, uint32_t vf, const struct kvf *k)
{
	uint32_t vlan[3] = { vf, k->vlan, k->qos }, rate[3] = { vf, k->min, k->max }, tx[2] = { vf, k->max };
	unsigned char bcast[32];
	struct ifla_vf_vlan_info vi;
	size_t info = w_nest_start(w, IFLA_VF_INFO), vl;

	memset(bcast, 0xff, sizeof(bcast));
	memset(&vi, 0, sizeof(vi));
	vi.vf = vf;
	vi.vlan = k->vlan;
	vi.qos = k->qos;
	vi.vlan_proto = htons((uint16_t)k->proto);
	want_mac(w, vf, k->mac);
	w_attr(w, IFLA_VF_BROADCAST, bcast, sizeof(bcast));
	w_attr(w, IFLA_VF_VLAN, vlan, sizeof(vlan));
	w_attr(w, IFLA_VF_RATE, rate, sizeof(rate));
	w_attr(w, IFLA_VF_TX_RATE, tx, sizeof(tx));
	want_pair(w, IFLA_VF_SPOOFCHK, vf, k->spoofchk);
	want_pair(w, IFLA_VF_LINK_STATE, vf, k->link);
	want_pair(w, IFLA_VF_RSS_QUERY_EN, vf, k->rss);
	want_pair(w, IFLA_VF_TRUST, vf, k->trust);
	vl = w_nest_start(w, IFLA_VF_VLAN_LIST);
	w_attr(w, IFLA_VF_VLAN_INFO, &vi, sizeof(vi));
	w_nest_end(w, vl);
	w_nest_end(w, info);
}

static struct kvf kvf_n(uint32_t i)
{
	struct kvf k = { .mac = { 0x02, 0, 0, 0, (unsigned char)(i >> 8), (unsigned char)i },
			 .vlan = i % 4095, .qos = i % 8, .proto = ETH_P_8021Q, .spoofchk = i % 2,
			 .link = i % 3, .rss = 0, .trust = (i + 1) % 2, .min = i, .max = i * 10 };
	return k;
}

/* A kernel-like RTM_NEWLINK: num_vf < 0 leaves IFLA_NUM_VF out, entries < 0 the list. */
static void w_newlink(struct wbuf *w, const char *ifname, int num_vf, int entries)
{
	size_t list;

	w_init(w);
	w_link_msg(w, RTM_NEWLINK, 0, 0);
	w_attr_str(w, IFLA_IFNAME, ifname);
	w_attr_u32(w, IFLA_MTU, 1500);
	if (num_vf >= 0)
		w_attr_u32(w, IFLA_NUM_VF, (uint32_t)num_vf);
	if (entries >= 0) {
		list = w_nest_start(w, IFLA_VFINFO_LIST);
		for (int i = 0; i < entries; i++) {
			struct kvf k = kvf_n((uint32_t)i);

			w_kernel_vf(w, (uint32_t)i, &k);
		}
		w_nest_end(w, list);
	}
	w_attr_str(w, IFLA_QDISC, "mq"); /* something after the list, as the kernel sends */
	w_msg_end(w);
}

static void assert_vf_matches(const struct vs_vf_config *c, int i)
{
	struct kvf k = kvf_n((uint32_t)i);

	assert_int_equal(c->index, i);
	assert_true(c->has_mac);
	assert_memory_equal(c->mac, k.mac, 6);
	assert_int_equal(c->vlan, (int)k.vlan);
	assert_int_equal(c->qos, (int)k.qos);
	assert_int_equal(c->vlan_proto, ETH_P_8021Q);
	assert_int_equal(c->spoofchk, (int)k.spoofchk);
	assert_int_equal(c->link_state, (int)k.link);
	assert_int_equal(c->trust, (int)k.trust);
	assert_int_equal(c->query_rss, 0);
	assert_int_equal(c->min_tx_rate, (long long)k.min);
	assert_int_equal(c->max_tx_rate, (long long)k.max);
}

static void test_parse_one_vf_8021ad(void **state)
{
	struct kvf k = { .mac = { 0x52, 0x54, 0, 1, 2, 3 }, .vlan = 7, .qos = 3, .proto = ETH_P_8021AD,
			 .spoofchk = 0, .link = IFLA_VF_LINK_STATE_DISABLE, .rss = 1, .trust = 1, .min = 5, .max = 50 };
	struct vs_pf_vf_list l;
	struct wbuf w;
	size_t list;

	w_init(&w);
	w_link_msg(&w, RTM_NEWLINK, 0, 0);
	w_attr_u32(&w, IFLA_NUM_VF, 1);
	list = w_nest_start(&w, IFLA_VFINFO_LIST);
	w_kernel_vf(&w, 0, &k);
	w_nest_end(&w, list);
	w_msg_end(&w);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "em1", &l, NULL), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.num_vf, 1);
	assert_false(l.truncated);
	assert_memory_equal(l.vfs[0].mac, k.mac, 6);
	assert_int_equal(l.vfs[0].vlan, 7);
	assert_int_equal(l.vfs[0].qos, 3);
	assert_int_equal(l.vfs[0].vlan_proto, ETH_P_8021AD);
	assert_int_equal(l.vfs[0].spoofchk, 0);
	assert_int_equal(l.vfs[0].link_state, IFLA_VF_LINK_STATE_DISABLE);
	assert_int_equal(l.vfs[0].query_rss, 1);
	assert_int_equal(l.vfs[0].trust, 1);
	assert_int_equal(l.vfs[0].min_tx_rate, 5);
	assert_int_equal(l.vfs[0].max_tx_rate, 50);
	vs_pf_vf_list_free(&l);
	w_free(&w);
}

static void test_parse_256(void **state)
{
	struct vs_pf_vf_list l;
	struct wbuf w;

	w_newlink(&w, "enp5s0f0", 256, 256);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "enp5s0f0", &l, NULL), 0);
	assert_int_equal(l.n, 256);
	assert_int_equal(l.num_vf, 256);
	assert_false(l.truncated);
	for (int i = 0; i < 256; i++)
		assert_vf_matches(&l.vfs[i], i);
	vs_pf_vf_list_free(&l);
	w_free(&w);
}

static void test_parse_truncated(void **state)
{
	struct vs_pf_vf_list l;
	struct wbuf w;

	w_newlink(&w, "enp5s0f0", 300, 230);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "enp5s0f0", &l, NULL), 0);
	assert_int_equal(l.num_vf, 300);
	assert_int_equal(l.n, 230);
	assert_true(l.truncated);
	assert_vf_matches(&l.vfs[229], 229);
	vs_pf_vf_list_free(&l);
	w_free(&w);
}

/* The kernel's list of 400 VFs is longer than 65535 bytes: its nla_len
 * wraps, and what follows the short list is the rest of the VF entries.
 * They add up to IFLA_NUM_VF and to the stored length modulo 65536: the
 * whole list is read. */
static void test_parse_wrapped_list(void **state)
{
	struct vs_pf_vf_list l;
	struct wbuf w;

	w_newlink(&w, "enp5s0f0", 400, 400);
	assert_true(w.len > 65536);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "enp5s0f0", &l, NULL), 0);
	assert_int_equal(l.num_vf, 400);
	assert_int_equal(l.n, 400);
	assert_false(l.truncated);
	assert_true(l.wrapped);
	for (size_t i = 0; i < l.n; i++)
		assert_vf_matches(&l.vfs[i], (int)i);
	vs_pf_vf_list_free(&l);
	w_free(&w);
}

/* A wrapped list that cannot be recovered stays truncated, with the VFs
 * the stored length covers: fewer entries than IFLA_NUM_VF says (a kernel
 * that stopped filling), or a stored length that does not agree. */
static void test_parse_wrapped_unrecoverable(void **state)
{
	struct vs_pf_vf_list l;
	struct wbuf w;
	size_t n_short;
	uint16_t bad;

	w_newlink(&w, "enp5s0f0", 401, 400);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "enp5s0f0", &l, NULL), 0);
	assert_true(l.truncated);
	assert_false(l.wrapped);
	assert_true(l.n > 0 && l.n < 400);
	n_short = l.n;
	for (size_t i = 0; i < l.n; i++)
		assert_vf_matches(&l.vfs[i], (int)i);
	vs_pf_vf_list_free(&l);
	w_free(&w);

	w_newlink(&w, "enp5s0f0", 400, 400);
	/* the list follows IFLA_IFNAME "enp5s0f0", IFLA_MTU and IFLA_NUM_VF */
	{
		size_t off = NLMSG_LENGTH(sizeof(struct ifinfomsg)) + 16 + 8 + 8;

		memcpy(&bad, w.b + off, 2);
		bad = (uint16_t)(bad - 4);
		memcpy(w.b + off, &bad, 2);
	}
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "enp5s0f0", &l, NULL), 0);
	assert_true(l.truncated);
	assert_false(l.wrapped);
	assert_true(l.n <= n_short);
	vs_pf_vf_list_free(&l);
	w_free(&w);
}

static void test_parse_no_vfs(void **state)
{
	struct vs_pf_vf_list l;
	struct wbuf w;

	/* lo, veth: no IFLA_NUM_VF, no list */
	w_newlink(&w, "lo", -1, -1);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "lo", &l, NULL), 0);
	assert_int_equal(l.num_vf, -1);
	assert_int_equal(l.n, 0);
	assert_false(l.truncated);
	w_free(&w);
	/* a PF with IFLA_NUM_VF 0 */
	w_newlink(&w, "em1", 0, -1);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "em1", &l, NULL), 0);
	assert_int_equal(l.num_vf, 0);
	assert_false(l.truncated);
	w_free(&w);
	/* VFs exist but the driver gives no list: settings unknown, not "none" */
	w_newlink(&w, "em1", 4, -1);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "em1", &l, NULL), 0);
	assert_true(l.truncated);
	w_free(&w);
	/* a list without IFLA_NUM_VF cannot be known complete */
	w_newlink(&w, "em1", -1, 2);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "em1", &l, NULL), 0);
	assert_int_equal(l.n, 2);
	assert_true(l.truncated);
	vs_pf_vf_list_free(&l);
	w_free(&w);
}

static void test_parse_missing_attributes(void **state)
{
	static const unsigned char mac[6] = { 0x52, 0x54, 0, 0, 0, 9 };
	struct vs_pf_vf_list l;
	struct vs_error err = { 0 };
	struct wbuf w;
	size_t list, info;

	/* Only a MAC: everything else unknown (-1), not zero. */
	w_init(&w);
	w_link_msg(&w, RTM_NEWLINK, 0, 0);
	w_attr_u32(&w, IFLA_NUM_VF, 1);
	list = w_nest_start(&w, IFLA_VFINFO_LIST);
	info = w_nest_start(&w, IFLA_VF_INFO);
	want_mac(&w, 0, mac);
	w_nest_end(&w, info);
	w_nest_end(&w, list);
	w_msg_end(&w);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "em1", &l, NULL), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.vfs[0].vlan, -1);
	assert_int_equal(l.vfs[0].spoofchk, -1);
	assert_int_equal(l.vfs[0].trust, -1);
	assert_int_equal(l.vfs[0].link_state, -1);
	assert_int_equal(l.vfs[0].max_tx_rate, -1);
	vs_pf_vf_list_free(&l);
	w_free(&w);

	/* An entry with no attribute names no VF. */
	w_init(&w);
	w_link_msg(&w, RTM_NEWLINK, 0, 0);
	w_attr_u32(&w, IFLA_NUM_VF, 1);
	list = w_nest_start(&w, IFLA_VFINFO_LIST);
	info = w_nest_start(&w, IFLA_VF_INFO);
	w_nest_end(&w, info);
	w_nest_end(&w, list);
	w_msg_end(&w);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "em1", &l, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "em1"));
	assert_null(l.vfs);
	w_free(&w);
}

/* A short attribute inside one VF entry: -EBADMSG, never a read past it. */
static void parse_with_short(uint16_t type, size_t len)
{
	unsigned char junk[64];
	struct vs_pf_vf_list l;
	struct vs_error err = { 0 };
	struct wbuf w;
	size_t list, info;

	memset(junk, 0, sizeof(junk));
	w_init(&w);
	w_link_msg(&w, RTM_NEWLINK, 0, 0);
	w_attr_u32(&w, IFLA_NUM_VF, 1);
	list = w_nest_start(&w, IFLA_VFINFO_LIST);
	info = w_nest_start(&w, IFLA_VF_INFO);
	w_attr(&w, type, junk, len);
	w_nest_end(&w, info);
	w_nest_end(&w, list);
	w_msg_end(&w);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "em1", &l, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "em1"));
	w_free(&w);
}

static void test_parse_short_attributes(void **state)
{
	static const struct { uint16_t type; size_t len; } cases[] = {
		{ IFLA_VF_MAC, 8 }, { IFLA_VF_VLAN, 8 }, { IFLA_VF_RATE, 8 }, { IFLA_VF_TX_RATE, 4 },
		{ IFLA_VF_SPOOFCHK, 4 }, { IFLA_VF_LINK_STATE, 4 }, { IFLA_VF_TRUST, 0 }, { IFLA_VF_RSS_QUERY_EN, 7 },
	};
	struct vs_pf_vf_list l;
	struct wbuf w;
	size_t list, info, vl;
	uint32_t spoof[2] = { 0, 1 };

	for (size_t i = 0; i < ELEMENTSOF(cases); i++)
		parse_with_short(cases[i].type, cases[i].len);
	/* a short IFLA_VF_VLAN_INFO inside the VLAN list */
	w_init(&w);
	w_link_msg(&w, RTM_NEWLINK, 0, 0);
	w_attr_u32(&w, IFLA_NUM_VF, 1);
	list = w_nest_start(&w, IFLA_VFINFO_LIST);
	info = w_nest_start(&w, IFLA_VF_INFO);
	want_pair(&w, IFLA_VF_SPOOFCHK, 0, 1);
	vl = w_nest_start(&w, IFLA_VF_VLAN_LIST);
	w_attr(&w, IFLA_VF_VLAN_INFO, spoof, sizeof(spoof));
	w_nest_end(&w, vl);
	w_nest_end(&w, info);
	w_nest_end(&w, list);
	w_msg_end(&w);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "em1", &l, NULL), -EBADMSG);
	w_free(&w);
	/* a short IFLA_NUM_VF */
	w_init(&w);
	w_link_msg(&w, RTM_NEWLINK, 0, 0);
	w_attr(&w, IFLA_NUM_VF, spoof, 2);
	w_msg_end(&w);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "em1", &l, NULL), -EBADMSG);
	w_free(&w);
}

static void test_parse_disagreeing_index(void **state)
{
	static const unsigned char mac[6] = { 0x52, 0x54, 0, 0, 0, 9 };
	struct vs_pf_vf_list l;
	struct wbuf w;
	size_t list, info;

	w_init(&w);
	w_link_msg(&w, RTM_NEWLINK, 0, 0);
	w_attr_u32(&w, IFLA_NUM_VF, 2);
	list = w_nest_start(&w, IFLA_VFINFO_LIST);
	info = w_nest_start(&w, IFLA_VF_INFO);
	want_mac(&w, 0, mac);
	want_pair(&w, IFLA_VF_TRUST, 1, 1); /* says VF 1 inside VF 0's entry */
	w_nest_end(&w, info);
	w_nest_end(&w, list);
	w_msg_end(&w);
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "em1", &l, NULL), -EBADMSG);
	w_free(&w);
}

static void test_parse_bad_headers(void **state)
{
	struct vs_pf_vf_list l;
	struct wbuf w;

	w_newlink(&w, "em1", 2, 2);
	assert_int_equal(vs_nl_parse_link(w.b, 10, "em1", &l, NULL), -EBADMSG);       /* shorter than a header */
	assert_int_equal(vs_nl_parse_link(w.b, w.len - 4, "em1", &l, NULL), -EBADMSG); /* nlmsg_len beyond the data */
	assert_int_equal(vs_nl_parse_link(NULL, 0, "em1", &l, NULL), -EBADMSG);
	((struct nlmsghdr *)w.b)->nlmsg_type = RTM_NEWADDR;
	assert_int_equal(vs_nl_parse_link(w.b, w.len, "em1", &l, NULL), -EBADMSG);
	w_free(&w);
}

/* Garbage after a valid header, and the valid message with bytes flipped:
 * an answer (0 or -EBADMSG), never a crash (ASan watches the reads). */
static void test_parse_garbage(void **state)
{
	uint32_t x = 12345;
	struct vs_pf_vf_list l;
	struct wbuf w, good;

	w_newlink(&good, "em1", 8, 8);
	for (int round = 0; round < 2000; round++) {
		size_t len = 32 + (size_t)(round % 400);
		int r;

		w_init(&w);
		if (round % 2) {
			w_put(&w, good.b, good.len);
			for (int k = 0; k < 8; k++) {
				x = x * 1103515245u + 12345u;
				w.b[32 + (x >> 8) % (good.len - 32)] = (unsigned char)(x >> 16);
			}
		} else {
			w_link_msg(&w, RTM_NEWLINK, 0, 0);
			while (w.len < len) {
				x = x * 1103515245u + 12345u;
				w_put(&w, &x, sizeof(x));
			}
			w_msg_end(&w);
		}
		r = vs_nl_parse_link(w.b, w.len, "em1", &l, NULL);
		assert_true(r == 0 || r == -EBADMSG);
		if (r == 0) {
			assert_true(l.n <= w.len / 4);
			vs_pf_vf_list_free(&l);
		}
		w_free(&w);
	}
	w_free(&good);
}

/* ---- ACK / extack ---- */

static void test_parse_ack(void **state)
{
	struct vs_nl_ack ack;
	struct nlmsgerr e;
	struct nlmsghdr h;
	unsigned char echoed[24];
	struct wbuf w;
	uint32_t len;

	w_init(&w);
	w_ack(&w, 0, NULL, 1);
	assert_int_equal(vs_nl_parse_ack(w.b, w.len, &ack), 0);
	assert_int_equal(ack.error, 0);
	assert_string_equal(ack.msg, "");
	w_free(&w);

	w_ack(&w, -EOPNOTSUPP, "VF link state not supported", 1);
	assert_int_equal(vs_nl_parse_ack(w.b, w.len, &ack), 0);
	assert_int_equal(ack.error, -EOPNOTSUPP);
	assert_string_equal(ack.msg, "VF link state not supported");
	assert_int_equal(vs_nl_parse_ack(w.b, 12, &ack), -EBADMSG);
	w_free(&w);

	/* Not capped: the request's payload is echoed before the TLVs. */
	memset(&e, 0, sizeof(e));
	memset(echoed, 0xaa, sizeof(echoed));
	e.error = -EINVAL;
	e.msg.nlmsg_len = (uint32_t)(sizeof(struct nlmsghdr) + sizeof(echoed));
	h = (struct nlmsghdr){ .nlmsg_type = NLMSG_ERROR, .nlmsg_flags = NLM_F_ACK_TLVS };
	w_put(&w, &h, sizeof(h));
	w_put(&w, &e, sizeof(e));
	w_put(&w, echoed, sizeof(echoed));
	w_attr_str(&w, NLMSGERR_ATTR_MSG, "bad attribute");
	w_attr_u32(&w, NLMSGERR_ATTR_OFFS, 36);
	len = (uint32_t)w.len;
	memcpy(w.b, &len, 4);
	assert_int_equal(vs_nl_parse_ack(w.b, w.len, &ack), 0);
	assert_int_equal(ack.error, -EINVAL);
	assert_string_equal(ack.msg, "bad attribute");
	assert_true(ack.has_offset);
	assert_int_equal(ack.offset, 36);
	w_free(&w);

	/* A positive "errno" is not an answer the kernel gives. */
	w_ack(&w, 5, NULL, 1);
	assert_int_equal(vs_nl_parse_ack(w.b, w.len, &ack), -EBADMSG);
	w_free(&w);
}

/* ---- exchanges through the seam ---- */

static void test_get_vfs_through_fake(void **state)
{
	struct vs_pf_vf_list l;
	struct fake_nl f;
	struct wbuf w, want;

	fake_init(&f);
	w_newlink(&w, "em1", 3, 3);
	w_ack(&w, 0, NULL, 0); /* NEWLINK and ACK in one datagram */
	fake_queue(&f, &w);
	w_free(&w);
	assert_int_equal(vs_nl_get_vfs(&f.nl, "em1", &l, NULL), 0);
	assert_int_equal(l.n, 3);
	assert_vf_matches(&l.vfs[2], 2);
	vs_pf_vf_list_free(&l);
	/* exactly one request, and it is the RTM_GETLINK */
	assert_int_equal(f.nreq, 1);
	w_init(&want);
	w_link_msg(&want, RTM_GETLINK, REQ_FLAGS, f.nl.seq);
	w_attr_str(&want, IFLA_IFNAME, "em1");
	w_attr_u32(&want, IFLA_EXT_MASK, (1u << 0) | (1u << 3));
	w_msg_end(&want);
	assert_bytes(f.req[0], f.req_len[0], &want);
	w_free(&want);
	fake_free(&f);
}

static void test_get_vfs_errors(void **state)
{
	struct vs_pf_vf_list l;
	struct vs_error err = { 0 };
	struct fake_nl f;

	fake_init(&f);
	fake_queue_ack(&f, -ENODEV, NULL);
	assert_int_equal(vs_nl_get_vfs(&f.nl, "nope0", &l, &err), -ENODEV);
	assert_string_equal(err.msg, "nope0: RTM_GETLINK: No such device");
	fake_free(&f);
	/* nothing answers: bounded, -ETIMEDOUT */
	vs_error_clear(&err);
	assert_int_equal(vs_nl_get_vfs(&f.nl, "em1", &l, &err), -ETIMEDOUT);
	assert_non_null(strstr(err.msg, "em1"));
	fake_free(&f);
}

static void test_set_vfs_refused(void **state)
{
	struct vs_vf_config c = cfg(2);
	struct vs_error err = { 0 };
	struct vs_nl_ack ack;
	struct fake_nl f;

	fake_init(&f);
	c.link_state = IFLA_VF_LINK_STATE_ENABLE;
	fake_queue_ack(&f, -EOPNOTSUPP, "no link state here");
	assert_int_equal(vs_nl_set_vfs_ack(&f.nl, "em1", &c, 1, &ack, &err), -EOPNOTSUPP);
	assert_string_equal(ack.msg, "no link state here");
	assert_string_equal(err.msg, "em1: RTM_SETLINK: Operation not supported (no link state here)");
	assert_int_equal(f.nreq, 1);
	fake_free(&f);
	fake_queue_ack(&f, 0, NULL);
	assert_int_equal(vs_nl_set_vfs(&f.nl, "em1", &c, 1, NULL), 0);
	fake_free(&f);
}

/* The dry-run describer and the builder come from one table. */
static void test_setting_table(void **state)
{
	struct vs_vf_config c = cfg(0);
	char buf[96];

	c.vlan = 9;
	c.vlan_proto = ETH_P_8021AD;
	assert_true(vs_vf_attr_present(&c, VS_ATTR_VLAN));
	assert_false(vs_vf_attr_present(&c, VS_ATTR_MAC));
	assert_string_equal(vs_vf_attr_kernel_name(&c, VS_ATTR_VLAN), "IFLA_VF_VLAN_LIST");
	vs_vf_attr_format(&c, VS_ATTR_VLAN, buf, sizeof(buf));
	assert_string_equal(buf, "9 qos 0 proto 802.1ad");
	c.link_state = IFLA_VF_LINK_STATE_ENABLE;
	assert_string_equal(vs_vf_attr_name(VS_ATTR_LINK_STATE), "link-state");
	vs_vf_attr_format(&c, VS_ATTR_LINK_STATE, buf, sizeof(buf));
	assert_string_equal(buf, "enable");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setlink_literal),
		cmocka_unit_test(test_setlink_each_attribute),
		cmocka_unit_test(test_setlink_vlan),
		cmocka_unit_test(test_setlink_rate),
		cmocka_unit_test(test_setlink_batch64),
		cmocka_unit_test(test_getlink),
		cmocka_unit_test(test_parse_one_vf_8021ad),
		cmocka_unit_test(test_parse_256),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_setvfs_fit),
		cmocka_unit_test(test_parse_wrapped_list),
		cmocka_unit_test(test_parse_wrapped_unrecoverable),
		cmocka_unit_test(test_parse_no_vfs),
		cmocka_unit_test(test_parse_missing_attributes),
		cmocka_unit_test(test_parse_short_attributes),
		cmocka_unit_test(test_parse_disagreeing_index),
		cmocka_unit_test(test_parse_bad_headers),
		cmocka_unit_test(test_parse_garbage),
		cmocka_unit_test(test_parse_ack),
		cmocka_unit_test(test_get_vfs_through_fake),
		cmocka_unit_test(test_get_vfs_errors),
		cmocka_unit_test(test_set_vfs_refused),
		cmocka_unit_test(test_setting_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
