/* devlink.c byte for byte against the real kernel: the requests it builds
 * are compared with those iproute2's devlink sent, and the replies it parses
 * are the kernel's own (6.1, netdevsim in switchdev mode), recorded in the
 * VM (tests/vm/scenarios/record-devlink.sh -> devlink-recorded.h).
 * netdevsim reports no port function (hw_addr, state, opstate): that reply
 * is built here from the kernel's uapi <linux/devlink.h> as mlx5 sends it. */
#include "config.h"

#include <errno.h>
#include <linux/devlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "devlink-recorded.h"
#include "devlink.h"
#include "fake-devlink.h"
#include "fake-nl.h"

#define DL "netdevsim/netdevsim1"

/* ---- a seam that plays one recorded exchange after the family lookup ---- */

struct replay {
	struct vs_nl nl;
	const struct rec *rec;   /* after the family lookup */
	int step;                /* 0: family lookup; 1: rec; 2: done */
	unsigned char *out[4];
	size_t out_len[4], nout, next;
	bool req_ok;             /* the request was iproute2's, byte for byte */
};

static void *patched(const unsigned char *b, size_t len, uint32_t seq)
{
	unsigned char *c = malloc(len);

	memcpy(c, b, len);
	/* every message of the datagram answers our seq */
	for (size_t off = 0; off + NLMSG_HDRLEN <= len;) {
		struct nlmsghdr *h = (struct nlmsghdr *)(c + off);

		h->nlmsg_seq = seq;
		if (h->nlmsg_len < NLMSG_HDRLEN)
			break;
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	return c;
}

/* Attribute padding zeroed, nests included: iproute2 leaves the padding
 * bytes as they were in its buffer. */
static void zero_padding(unsigned char *b, size_t off, size_t end)
{
	while (off + NLA_HDRLEN <= end) {
		struct nlattr a;
		size_t next;

		memcpy(&a, b + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || off + a.nla_len > end)
			return;
		next = off + NLA_ALIGN(a.nla_len);
		if (a.nla_type & NLA_F_NESTED)
			zero_padding(b, off + NLA_HDRLEN, off + a.nla_len);
		for (size_t i = off + a.nla_len; i < next && i < end; i++)
			b[i] = 0;
		off = next;
	}
}

/* Ours against iproute2's: the same but for the seq, the genl version
 * (iproute2 sends 0, we send DEVLINK_GENL_VERSION; the kernel ignores it)
 * and the padding. */
static bool same_request(const unsigned char *ours, size_t len, const unsigned char *rec, size_t rec_len, bool genl)
{
	unsigned char *r;
	bool same;

	if (len != rec_len)
		return false;
	r = malloc(len);
	memcpy(r, rec, len);
	memcpy(r + 8, ours + 8, 4);
	if (genl)
		r[NLMSG_HDRLEN + 1] = ours[NLMSG_HDRLEN + 1];
	zero_padding(r, NLMSG_HDRLEN + (genl ? GENL_HDRLEN : 0), len);
	same = memcmp(ours, r, len) == 0;
	if (!same)
		for (size_t i = 0; i < len; i++)
			if (ours[i] != r[i])
				print_error("request byte %zu: ours %02x, iproute2's %02x\n", i, ours[i], r[i]);
	free(r);
	return same;
}

static int rp_send(struct vs_nl *nl, const void *buf, size_t len)
{
	struct replay *p = (struct replay *)nl;
	uint32_t seq = ((const struct nlmsghdr *)buf)->nlmsg_seq;

	p->nout = p->next = 0;
	if (p->step == 0) {
		p->req_ok = same_request(buf, len, rec_family_req, sizeof(rec_family_req), false);
		p->out_len[0] = sizeof(rec_family_reply);
		p->out[p->nout++] = patched(rec_family_reply, sizeof(rec_family_reply), seq);
		p->out_len[1] = sizeof(rec_family_ack);
		p->out[p->nout++] = patched(rec_family_ack, sizeof(rec_family_ack), seq);
	} else if (p->step == 1 && p->rec) {
		p->req_ok = p->req_ok && same_request(buf, len, p->rec->req, p->rec->req_len, true);
		for (size_t i = 0; i < p->rec->nreply; i++) {
			p->out_len[i] = p->rec->reply_len[i];
			p->out[p->nout++] = patched(p->rec->reply[i], p->rec->reply_len[i], seq);
		}
	} else {
		fail_msg("unexpected request %d", p->step);
	}
	p->step++;
	return 0;
}

static int rp_recv(struct vs_nl *nl, void **buf, size_t *len)
{
	struct replay *p = (struct replay *)nl;

	if (p->next >= p->nout)
		return -ETIMEDOUT;
	*len = p->out_len[p->next];
	*buf = p->out[p->next];
	p->out[p->next++] = NULL;
	return 0;
}

static const struct vs_nl_ops rp_ops = { rp_send, rp_recv, NULL };

static struct vs_devlink *rp_open(struct replay *p, int rec)
{
	struct vs_devlink *dl = NULL;
	struct vs_error err = { 0 };

	memset(p, 0, sizeof(*p));
	p->nl.ops = &rp_ops;
	p->nl.seq = 1000;
	p->rec = rec >= 0 ? &recs[rec] : NULL;
	assert_int_equal(vs_devlink_open_nl(&dl, &p->nl, &err), 0);
	assert_true(p->req_ok);
	return dl;
}

static void rp_close(struct replay *p, struct vs_devlink *dl)
{
	vs_devlink_close(dl);
	for (size_t i = 0; i < 4; i++)
		free(p->out[i]);
}

/* ---- recorded exchanges ---- */

static void test_family(void **state)
{
	uint16_t id = 0;
	struct replay p;
	struct vs_devlink *dl;

	(void)state;
	assert_int_equal(vs_devlink_parse_family(rec_family_reply, sizeof(rec_family_reply), &id), 0);
	assert_int_equal(id, 0x15);
	dl = rp_open(&p, -1);
	rp_close(&p, dl);
}

static void test_eswitch_get(void **state)
{
	struct vs_error err = { 0 };
	struct replay p;
	struct vs_devlink *dl;
	int mode = -5;

	(void)state;
	dl = rp_open(&p, REC_ESWITCH_SHOW_LEGACY);
	assert_int_equal(vs_devlink_eswitch_get(dl, DL, &mode, &err), 0);
	assert_true(p.req_ok);
	assert_int_equal(mode, VS_ESWITCH_LEGACY);
	rp_close(&p, dl);

	dl = rp_open(&p, REC_ESWITCH_SHOW_SWITCHDEV);
	assert_int_equal(vs_devlink_eswitch_get(dl, DL, &mode, &err), 0);
	assert_true(p.req_ok);
	assert_int_equal(mode, VS_ESWITCH_SWITCHDEV);
	rp_close(&p, dl);
}

/* A PCI address is the handle pci/ADDR; a device without devlink (igb):
 * ENODEV, named. */
static void test_eswitch_nodev(void **state)
{
	struct vs_error err = { 0 };
	struct replay p;
	struct vs_devlink *dl;
	int mode = 0;

	(void)state;
	dl = rp_open(&p, REC_ESWITCH_SHOW_NODEV);
	assert_int_equal(vs_devlink_eswitch_get(dl, "0000:00:00.0", &mode, &err), -ENODEV);
	assert_true(p.req_ok);
	assert_int_equal(mode, VS_ESWITCH_UNKNOWN);
	assert_non_null(strstr(err.msg, "pci/0000:00:00.0: devlink eswitch show: "));
	rp_close(&p, dl);
}

static void test_eswitch_set(void **state)
{
	struct vs_error err = { 0 };
	struct replay p;
	struct vs_devlink *dl;

	(void)state;
	dl = rp_open(&p, REC_ESWITCH_SET_SWITCHDEV);
	assert_int_equal(vs_devlink_eswitch_set(dl, DL, VS_ESWITCH_SWITCHDEV, &err), 0);
	assert_true(p.req_ok);
	rp_close(&p, dl);
	dl = rp_open(&p, REC_ESWITCH_SET_LEGACY);
	assert_int_equal(vs_devlink_eswitch_set(dl, DL, VS_ESWITCH_LEGACY, &err), 0);
	assert_true(p.req_ok);
	/* nothing sent for a mode that is not one */
	assert_int_equal(vs_devlink_eswitch_set(dl, DL, 7, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "netdevsim/netdevsim1: eswitch mode 7"));
	rp_close(&p, dl);
}

static void test_ports(void **state)
{
	struct vs_devlink_port *ports = NULL;
	struct vs_error err = { 0 };
	struct replay p;
	struct vs_devlink *dl;
	size_t n = 0;

	(void)state;
	dl = rp_open(&p, REC_PORT_SHOW);
	assert_int_equal(vs_devlink_ports(dl, DL, &ports, &n, &err), 0);
	assert_true(p.req_ok);
	assert_int_equal(n, 3);
	assert_int_equal(ports[0].index, 0);
	assert_string_equal(vs_devlink_flavour_name(ports[0].flavour), "physical");
	assert_string_equal(ports[0].netdev, "eth0");
	assert_int_equal(ports[0].vfnum, -1);
	for (size_t i = 1; i < 3; i++) {
		assert_int_equal(ports[i].index, 127 + i);
		assert_int_equal(ports[i].flavour, DEVLINK_PORT_FLAVOUR_PCI_VF);
		assert_int_equal(ports[i].pfnum, 0);
		assert_int_equal(ports[i].vfnum, (int)i - 1);
		/* netdevsim reports no port function */
		assert_false(ports[i].has_hw_addr);
		assert_int_equal(ports[i].state, -1);
		assert_int_equal(ports[i].opstate, -1);
	}
	assert_string_equal(ports[1].netdev, "eth1");
	assert_string_equal(ports[2].netdev, "eth2");
	free(ports);
	rp_close(&p, dl);

	/* the same dump, for a device that is not in it */
	dl = rp_open(&p, REC_PORT_SHOW);
	assert_int_equal(vs_devlink_ports(dl, "0000:03:00.0", &ports, &n, &err), 0);
	assert_int_equal(n, 0);
	free(ports);
	rp_close(&p, dl);
}

static void test_fn_set_refused(void **state)
{
	static const unsigned char mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct vs_error err = { 0 };
	struct replay p;
	struct vs_devlink *dl;

	(void)state;
	dl = rp_open(&p, REC_FN_SET_HW_ADDR);
	assert_int_equal(vs_devlink_port_set_hw_addr(dl, DL, 128, mac, &err), -EOPNOTSUPP);
	assert_true(p.req_ok);
	assert_string_equal(err.msg, "netdevsim/netdevsim1: devlink port function set port 128 hw_addr 00:11:22:33:44:55: "
				     "Operation not supported (leftover: Port doesn't support function attributes)");
	rp_close(&p, dl);
}

static void test_rate_sets(void **state)
{
	uint64_t max = 1250000, share = 250000, gmax = 12500000, gshare = 625000;
	struct vs_error err = { 0 };
	struct replay p;
	struct vs_devlink *dl;

	(void)state;
	dl = rp_open(&p, REC_RATE_SET_LEAF);
	assert_int_equal(vs_devlink_rate_leaf_set(dl, DL, 128, &max, &share, NULL, &err), 0);
	assert_true(p.req_ok);
	rp_close(&p, dl);
	dl = rp_open(&p, REC_RATE_NEW_GROUP);
	assert_int_equal(vs_devlink_rate_group_new(dl, DL, "grp1", &gmax, &gshare, &err), 0);
	assert_true(p.req_ok);
	rp_close(&p, dl);
	dl = rp_open(&p, REC_RATE_SET_PARENT);
	assert_int_equal(vs_devlink_rate_leaf_set(dl, DL, 129, NULL, NULL, "grp1", &err), 0);
	assert_true(p.req_ok);
	rp_close(&p, dl);
	dl = rp_open(&p, REC_RATE_SET_NOPARENT);
	assert_int_equal(vs_devlink_rate_leaf_set(dl, DL, 129, NULL, NULL, "", &err), 0);
	assert_true(p.req_ok);
	rp_close(&p, dl);
	dl = rp_open(&p, REC_RATE_DEL_GROUP);
	assert_int_equal(vs_devlink_rate_group_del(dl, DL, "grp1", &err), 0);
	assert_true(p.req_ok);
	rp_close(&p, dl);
	assert_int_equal(err.code, 0);

	dl = rp_open(&p, REC_RATE_SET_BAD_PARENT);
	assert_int_equal(vs_devlink_rate_leaf_set(dl, DL, 128, NULL, NULL, "nosuch", &err), -ENODEV);
	assert_true(p.req_ok);
	assert_non_null(strstr(err.msg, "netdevsim/netdevsim1: devlink port function rate set port 128 parent nosuch: "));
	rp_close(&p, dl);
}

static void test_rates(void **state)
{
	struct vs_devlink_rate *r = NULL;
	struct vs_error err = { 0 };
	struct replay p;
	struct vs_devlink *dl;
	size_t n = 0;

	(void)state;
	dl = rp_open(&p, REC_RATE_SHOW);
	assert_int_equal(vs_devlink_rates(dl, DL, &r, &n, &err), 0);
	assert_true(p.req_ok);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].name, "grp1");
	assert_int_equal(r[0].tx_max, 12500000); /* 100mbit in bytes/s */
	assert_int_equal(r[0].tx_share, 625000);
	assert_string_equal(r[0].parent, "");
	assert_string_equal(r[1].name, "");
	assert_int_equal(r[1].port, 128);
	assert_int_equal(r[1].tx_max, 1250000);
	assert_int_equal(r[1].tx_share, 250000);
	assert_string_equal(r[2].name, "");
	assert_int_equal(r[2].port, 129);
	assert_int_equal(r[2].tx_max, 0);
	assert_string_equal(r[2].parent, "grp1");
	free(r);
	rp_close(&p, dl);
}

/* ---- what netdevsim cannot give: an mlx5 VF port with its function ---- */

static void genl_msg(struct wbuf *w, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = NLM_F_MULTI, .nlmsg_seq = 1 };
	struct genlmsghdr g = { .cmd = cmd, .version = DEVLINK_GENL_VERSION };

	w_put(w, &h, sizeof(h));
	w_put(w, &g, sizeof(g));
}

/* As mlx5 (drivers/net/ethernet/mellanox/mlx5/core/esw/devlink_port.c) with
 * devlink_nl_port_fill: a VF port of PF 0 with its representor and function. */
static void mlx5_vf_port(struct wbuf *w, bool with_fn, int hw_addr_len)
{
	static const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	uint16_t u16;
	uint8_t u8;
	size_t fn;

	w_init(w);
	genl_msg(w, 0x15, DEVLINK_CMD_NEW);
	w_attr_str(w, DEVLINK_ATTR_BUS_NAME, "pci");
	w_attr_str(w, DEVLINK_ATTR_DEV_NAME, "0000:03:00.0");
	w_attr_u32(w, DEVLINK_ATTR_PORT_INDEX, 65537);
	u16 = DEVLINK_PORT_TYPE_ETH;
	w_attr(w, DEVLINK_ATTR_PORT_TYPE, &u16, 2);
	w_attr_str(w, DEVLINK_ATTR_PORT_NETDEV_NAME, "enp3s0f0r1");
	u16 = DEVLINK_PORT_FLAVOUR_PCI_VF;
	w_attr(w, DEVLINK_ATTR_PORT_FLAVOUR, &u16, 2);
	w_attr_u32(w, DEVLINK_ATTR_PORT_CONTROLLER_NUMBER, 0);
	u16 = 0;
	w_attr(w, DEVLINK_ATTR_PORT_PCI_PF_NUMBER, &u16, 2);
	u16 = 1;
	w_attr(w, DEVLINK_ATTR_PORT_PCI_VF_NUMBER, &u16, 2);
	if (with_fn) {
		fn = w_nest_start_flagged(w, DEVLINK_ATTR_PORT_FUNCTION);
		w_attr(w, DEVLINK_PORT_FUNCTION_ATTR_HW_ADDR, mac, (size_t)hw_addr_len);
		u8 = DEVLINK_PORT_FN_STATE_ACTIVE;
		w_attr(w, DEVLINK_PORT_FN_ATTR_STATE, &u8, 1);
		u8 = DEVLINK_PORT_FN_OPSTATE_ATTACHED;
		w_attr(w, DEVLINK_PORT_FN_ATTR_OPSTATE, &u8, 1);
		w_nest_end(w, fn);
	}
	w_msg_end(w);
}

static void test_mlx5_port_function(void **state)
{
	struct vs_devlink_handle h;
	struct vs_devlink_port port;
	struct wbuf w;

	(void)state;
	mlx5_vf_port(&w, true, 6);
	assert_int_equal(vs_devlink_parse_port(w.b, w.len, &h, &port), 0);
	assert_string_equal(h.bus, "pci");
	assert_string_equal(h.dev, "0000:03:00.0");
	assert_int_equal(port.index, 65537);
	assert_string_equal(port.netdev, "enp3s0f0r1");
	assert_int_equal(port.pfnum, 0);
	assert_int_equal(port.vfnum, 1);
	assert_true(port.has_hw_addr);
	assert_memory_equal(port.hw_addr, "\x52\x54\x00\x12\x34\x56", 6);
	assert_int_equal(port.state, DEVLINK_PORT_FN_STATE_ACTIVE);
	assert_int_equal(port.opstate, DEVLINK_PORT_FN_OPSTATE_ATTACHED);
	w_free(&w);

	/* a function whose MAC the driver does not know: zero length */
	mlx5_vf_port(&w, true, 0);
	assert_int_equal(vs_devlink_parse_port(w.b, w.len, &h, &port), 0);
	assert_false(port.has_hw_addr);
	assert_int_equal(port.state, DEVLINK_PORT_FN_STATE_ACTIVE);
	w_free(&w);

	mlx5_vf_port(&w, false, 0);
	assert_int_equal(vs_devlink_parse_port(w.b, w.len, &h, &port), 0);
	assert_false(port.has_hw_addr);
	assert_int_equal(port.state, -1);
	assert_int_equal(port.opstate, -1);
	w_free(&w);
}

/* The builder for what netdevsim refuses, against the uapi layout. */
static void test_build_hw_addr(void **state)
{
	struct vs_devlink_handle h;
	struct vs_devlink_req req = { .cmd = DEVLINK_CMD_PORT_SET, .handle = &h, .has_port = true, .port = 65537,
				      .mode = -1, .has_hw_addr = true, .hw_addr = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 } };
	struct wbuf w;
	void *buf;
	size_t len, fn;

	(void)state;
	assert_int_equal(vs_devlink_handle_parse("0000:03:00.0", &h), 0);
	assert_int_equal(vs_devlink_build(0x15, &req, 7, &buf, &len), 0);
	w_init(&w);
	{
		struct nlmsghdr nh = { .nlmsg_type = 0x15, .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 7 };
		struct genlmsghdr g = { .cmd = DEVLINK_CMD_PORT_SET, .version = DEVLINK_GENL_VERSION };

		w_put(&w, &nh, sizeof(nh));
		w_put(&w, &g, sizeof(g));
	}
	w_attr_str(&w, DEVLINK_ATTR_BUS_NAME, "pci");
	w_attr_str(&w, DEVLINK_ATTR_DEV_NAME, "0000:03:00.0");
	w_attr_u32(&w, DEVLINK_ATTR_PORT_INDEX, 65537);
	fn = w_nest_start_flagged(&w, DEVLINK_ATTR_PORT_FUNCTION);
	w_attr(&w, DEVLINK_PORT_FUNCTION_ATTR_HW_ADDR, req.hw_addr, 6);
	w_nest_end(&w, fn);
	w_msg_end(&w);
	assert_int_equal(len, w.len);
	assert_memory_equal(buf, w.b, len);
	free(buf);
	w_free(&w);
}

/* ---- malformed replies ---- */

static void test_malformed(void **state)
{
	struct vs_devlink_handle h;
	struct vs_devlink_port port;
	struct vs_devlink_rate rate;
	unsigned char *b;
	int mode;
	struct wbuf w;

	(void)state;
	/* cut at every length: never read past, never accepted half */
	for (size_t cut = 0; cut < rec_port_show_r0[0]; cut++)
		assert_int_equal(vs_devlink_parse_port(rec_port_show_r0, cut, &h, &port), -EBADMSG);
	assert_int_equal(vs_devlink_parse_eswitch(rec_eswitch_show_legacy_r0, 10, &h, &mode), -EBADMSG);
	/* no port index, no handle */
	w_init(&w);
	genl_msg(&w, 0x15, DEVLINK_CMD_PORT_NEW);
	w_attr_str(&w, DEVLINK_ATTR_BUS_NAME, "pci");
	w_attr_str(&w, DEVLINK_ATTR_DEV_NAME, "0000:03:00.0");
	w_msg_end(&w);
	assert_int_equal(vs_devlink_parse_port(w.b, w.len, &h, &port), -EBADMSG);
	assert_int_equal(vs_devlink_parse_rate(w.b, w.len, &h, &rate), -EBADMSG);
	w_free(&w);
	w_init(&w);
	genl_msg(&w, 0x15, DEVLINK_CMD_PORT_NEW);
	w_attr_u32(&w, DEVLINK_ATTR_PORT_INDEX, 1);
	w_msg_end(&w);
	assert_int_equal(vs_devlink_parse_port(w.b, w.len, &h, &port), -EBADMSG);
	w_free(&w);
	/* an attribute longer than the message */
	b = malloc(sizeof(rec_port_show_r0));
	memcpy(b, rec_port_show_r0, sizeof(rec_port_show_r0));
	b[NLMSG_HDRLEN + GENL_HDRLEN] = 0xff;
	assert_int_equal(vs_devlink_parse_port(b, sizeof(rec_port_show_r0), &h, &port), -EBADMSG);
	free(b);
}

static void test_handles(void **state)
{
	struct vs_devlink_handle h;

	(void)state;
	assert_int_equal(vs_devlink_handle_parse("0000:03:00.0", &h), 0);
	assert_string_equal(h.bus, "pci");
	assert_string_equal(h.dev, "0000:03:00.0");
	assert_int_equal(vs_devlink_handle_parse("netdevsim/netdevsim1", &h), 0);
	assert_string_equal(h.bus, "netdevsim");
	assert_string_equal(h.dev, "netdevsim1");
	assert_int_equal(vs_devlink_handle_parse("", &h), -EINVAL);
	assert_int_equal(vs_devlink_handle_parse("/x", &h), -EINVAL);
	assert_int_equal(vs_devlink_handle_parse("a/", &h), -EINVAL);
	assert_int_equal(vs_devlink_handle_parse("a/b/c", &h), -EINVAL);
	assert_int_equal(vs_eswitch_mode_parse("switchdev"), VS_ESWITCH_SWITCHDEV);
	assert_int_equal(vs_eswitch_mode_parse("legacy"), VS_ESWITCH_LEGACY);
	assert_int_equal(vs_eswitch_mode_parse("Switchdev"), VS_ESWITCH_UNKNOWN);
	assert_null(vs_eswitch_mode_name(VS_ESWITCH_UNKNOWN));
}

/* ---- the fake devlink the layers above test against ---- */

static struct vs_devlink *fd_open(struct fake_devlink *f)
{
	struct vs_devlink *dl = NULL;
	struct vs_error err = { 0 };

	assert_int_equal(vs_devlink_open_nl(&dl, &f->nl, &err), 0);
	return dl;
}

static void test_fake_eswitch(void **state)
{
	struct fake_devlink f;
	struct vs_devlink_port *ports = NULL;
	struct vs_error err = { 0 };
	struct vs_devlink *dl;
	struct fd_dev *d;
	size_t n = 0;
	int mode;

	(void)state;
	fd_init(&f);
	d = fd_add_dev(&f, "0000:03:00.0", VS_ESWITCH_LEGACY);
	fd_add_uplink(d, "enp3s0f0np0");
	fd_add_vfs(d, 0, 2, 1, "enp3s0f0r", 0, true);
	fd_add_dev(&f, "0000:05:00.0", -1); /* a driver without eswitch ops */
	dl = fd_open(&f);
	assert_int_equal(vs_devlink_eswitch_get(dl, "0000:03:00.0", &mode, &err), 0);
	assert_int_equal(mode, VS_ESWITCH_LEGACY);
	assert_int_equal(vs_devlink_ports(dl, "0000:03:00.0", &ports, &n, &err), 0);
	assert_int_equal(n, 1); /* no representors in legacy mode */
	free(ports);
	assert_int_equal(vs_devlink_eswitch_set(dl, "0000:03:00.0", VS_ESWITCH_SWITCHDEV, &err), 0);
	assert_int_equal(d->mode, VS_ESWITCH_SWITCHDEV);
	assert_int_equal(vs_devlink_ports(dl, "0000:03:00.0", &ports, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(ports[2].netdev, "enp3s0f0r1");
	assert_int_equal(ports[2].vfnum, 1);
	assert_int_equal(ports[2].state, DEVLINK_PORT_FN_STATE_ACTIVE);
	free(ports);
	assert_int_equal(vs_devlink_eswitch_get(dl, "0000:05:00.0", &mode, &err), -EOPNOTSUPP);
	assert_non_null(strstr(err.msg, "pci/0000:05:00.0: devlink eswitch show: "));
	vs_error_clear(&err);
	assert_int_equal(vs_devlink_eswitch_get(dl, "0000:09:00.0", &mode, &err), -ENODEV);
	assert_int_equal(fd_count(&f, DEVLINK_CMD_ESWITCH_SET), 1);
	vs_devlink_close(dl);
	fd_free(&f);
}

static void test_fake_port_function(void **state)
{
	static const unsigned char mac[6] = { 0x52, 0x54, 0, 1, 2, 3 };
	struct vs_devlink_port *ports = NULL;
	struct fake_devlink f;
	struct vs_error err = { 0 };
	struct vs_devlink *dl;
	struct fd_dev *d, *nsim;
	size_t n = 0;

	(void)state;
	fd_init(&f);
	d = fd_add_dev(&f, "0000:03:00.0", VS_ESWITCH_SWITCHDEV);
	fd_add_vfs(d, 0, 2, 1, "r", 0, true);
	nsim = fd_add_dev(&f, "netdevsim/netdevsim1", VS_ESWITCH_SWITCHDEV);
	fd_add_vfs(nsim, 0, 2, 128, "eth", 1, false);
	nsim->no_port_function = true;
	dl = fd_open(&f);
	assert_int_equal(vs_devlink_port_set_hw_addr(dl, "0000:03:00.0", 2, mac, &err), 0);
	assert_true(fd_find_port(d, 2)->has_hw_addr);
	assert_int_equal(vs_devlink_ports(dl, "0000:03:00.0", &ports, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_true(ports[1].has_hw_addr);
	assert_memory_equal(ports[1].hw_addr, mac, 6);
	free(ports);
	assert_int_equal(vs_devlink_port_set_hw_addr(dl, "netdevsim/netdevsim1", 128, mac, &err), -EOPNOTSUPP);
	assert_non_null(strstr(err.msg, "Port doesn't support function attributes"));
	vs_error_clear(&err);
	assert_int_equal(vs_devlink_port_set_hw_addr(dl, "0000:03:00.0", 9, mac, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "pci/0000:03:00.0: devlink port function set port 9 hw_addr 52:54:00:01:02:03: "));
	vs_devlink_close(dl);
	fd_free(&f);
}

static void test_fake_rates(void **state)
{
	uint64_t max = 1250000, share = 250000, gmax = 12500000;
	struct vs_devlink_rate *r = NULL;
	struct fake_devlink f;
	struct vs_error err = { 0 };
	struct vs_devlink *dl;
	struct fd_dev *d;
	size_t n = 0;

	(void)state;
	fd_init(&f);
	d = fd_add_dev(&f, "netdevsim/netdevsim1", VS_ESWITCH_SWITCHDEV);
	fd_add_uplink(d, "eth0");
	fd_add_vfs(d, 0, 2, 128, "eth", 1, false);
	dl = fd_open(&f);
	assert_int_equal(vs_devlink_rate_group_new(dl, "netdevsim/netdevsim1", "g1", &gmax, NULL, &err), 0);
	assert_int_equal(vs_devlink_rate_group_new(dl, "netdevsim/netdevsim1", "g1", &gmax, NULL, &err), -EEXIST);
	vs_error_clear(&err);
	assert_int_equal(vs_devlink_rate_leaf_set(dl, "netdevsim/netdevsim1", 129, &max, &share, "g1", &err), 0);
	assert_int_equal(vs_devlink_rates(dl, "netdevsim/netdevsim1", &r, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].name, "g1");
	assert_int_equal(r[0].tx_max, gmax);
	assert_int_equal(r[2].port, 129);
	assert_int_equal(r[2].tx_max, max);
	assert_int_equal(r[2].tx_share, share);
	assert_string_equal(r[2].parent, "g1");
	free(r);
	/* NULL: left as is */
	assert_int_equal(vs_devlink_rate_leaf_set(dl, "netdevsim/netdevsim1", 129, NULL, NULL, NULL, &err), 0);
	assert_int_equal(fd_find_port(d, 129)->tx_max, max);
	assert_string_equal(fd_find_port(d, 129)->parent, "g1");
	assert_int_equal(vs_devlink_rate_group_del(dl, "netdevsim/netdevsim1", "g1", &err), -EBUSY);
	assert_non_null(strstr(err.msg, "group g1: Device or resource busy (leftover: Node has children"));
	vs_error_clear(&err);
	assert_int_equal(vs_devlink_rate_leaf_set(dl, "netdevsim/netdevsim1", 129, NULL, NULL, "", &err), 0);
	assert_int_equal(vs_devlink_rate_group_set(dl, "netdevsim/netdevsim1", "g1", &max, NULL, &err), 0);
	assert_int_equal(fd_find_group(d, "g1")->tx_max, max);
	assert_int_equal(vs_devlink_rate_group_del(dl, "netdevsim/netdevsim1", "g1", &err), 0);
	assert_int_equal(d->ngroups, 0);
	assert_int_equal(vs_devlink_rate_group_new(dl, "netdevsim/netdevsim1", "a/b", NULL, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'a/b' is not a rate group name"));
	vs_error_clear(&err);
	/* leaving switchdev takes the groups and the leaves' rates */
	assert_int_equal(vs_devlink_rate_leaf_set(dl, "netdevsim/netdevsim1", 128, &max, NULL, NULL, &err), 0);
	assert_int_equal(vs_devlink_eswitch_set(dl, "netdevsim/netdevsim1", VS_ESWITCH_LEGACY, &err), 0);
	assert_int_equal(fd_find_port(d, 128)->tx_max, 0);
	assert_int_equal(vs_devlink_rate_leaf_set(dl, "netdevsim/netdevsim1", 128, &max, NULL, NULL, &err), -ENODEV);
	vs_devlink_close(dl);
	fd_free(&f);
}

/* The real socket and family lookup against this machine's kernel, read
 * only: a device no host has is ENODEV; skipped where the kernel has no
 * devlink or netlink is not allowed. */
static void test_real_kernel(void **state)
{
	struct vs_devlink_port *ports = NULL;
	struct vs_devlink_rate *rates = NULL;
	struct vs_error err = { 0 };
	struct vs_devlink *dl = NULL;
	size_t n = 9;
	int mode, r;

	(void)state;
	r = vs_devlink_open(&dl, &err);
	if (r == -ENOENT || r == -EIO || r == -EPERM) {
		print_message("skipped: %s\n", err.msg);
		skip();
	}
	assert_int_equal(r, 0);
	assert_int_equal(vs_devlink_eswitch_get(dl, "0000:ff:1f.7", &mode, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "pci/0000:ff:1f.7: devlink eswitch show: "));
	assert_int_equal(vs_devlink_ports(dl, "0000:ff:1f.7", &ports, &n, &err), 0);
	assert_int_equal(n, 0);
	free(ports);
	assert_int_equal(vs_devlink_rates(dl, "0000:ff:1f.7", &rates, &n, &err), 0);
	assert_int_equal(n, 0);
	free(rates);
	vs_devlink_close(dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_eswitch_get),
		cmocka_unit_test(test_eswitch_nodev),
		cmocka_unit_test(test_eswitch_set),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_fn_set_refused),
		cmocka_unit_test(test_rate_sets),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_mlx5_port_function),
		cmocka_unit_test(test_build_hw_addr),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_handles),
		cmocka_unit_test(test_fake_eswitch),
		cmocka_unit_test(test_fake_port_function),
		cmocka_unit_test(test_fake_rates),
		cmocka_unit_test(test_real_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
