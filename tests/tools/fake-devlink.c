#include "config.h"

#include <errno.h>
#include <linux/devlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-devlink.h"
#include "fake-nl.h"

/* ---- the request, decoded by hand ---- */

struct req {
	uint16_t type, flags;
	uint32_t seq;
	uint8_t cmd;
	const char *bus, *dev, *node, *parent, *family_name;
	bool has_port, has_mode, has_hw_addr;
	uint32_t port;
	uint16_t mode;
	unsigned char hw_addr[6];
	const uint64_t *tx_max, *tx_share;
	uint64_t max_v, share_v;
};

/* A string attribute must hold its NUL, as the kernel's NLA_NUL_STRING. */
static const char *attr_str(const unsigned char *p, size_t len)
{
	return len > 0 && p[len - 1] == '\0' ? (const char *)p : NULL;
}

static void decode_function(const unsigned char *b, size_t len, struct req *r)
{
	for (size_t off = 0; off + NLA_HDRLEN <= len;) {
		struct nlattr a;

		memcpy(&a, b + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || off + a.nla_len > len)
			return;
		if ((a.nla_type & NLA_TYPE_MASK) == DEVLINK_PORT_FUNCTION_ATTR_HW_ADDR && a.nla_len == NLA_HDRLEN + 6) {
			r->has_hw_addr = true;
			memcpy(r->hw_addr, b + off + NLA_HDRLEN, 6);
		}
		off += NLA_ALIGN(a.nla_len);
	}
}

static void decode_attr(uint16_t type, const unsigned char *p, size_t len, struct req *r)
{
	switch (type) {
	case DEVLINK_ATTR_BUS_NAME: r->bus = attr_str(p, len); break;
	case DEVLINK_ATTR_DEV_NAME: r->dev = attr_str(p, len); break;
	case DEVLINK_ATTR_RATE_NODE_NAME: r->node = attr_str(p, len); break;
	case DEVLINK_ATTR_RATE_PARENT_NODE_NAME: r->parent = attr_str(p, len); break;
	case DEVLINK_ATTR_PORT_INDEX:
		if (len == 4) {
			r->has_port = true;
			memcpy(&r->port, p, 4);
		}
		break;
	case DEVLINK_ATTR_ESWITCH_MODE:
		if (len == 2) {
			r->has_mode = true;
			memcpy(&r->mode, p, 2);
		}
		break;
	case DEVLINK_ATTR_RATE_TX_MAX:
		if (len == 8) {
			memcpy(&r->max_v, p, 8);
			r->tx_max = &r->max_v;
		}
		break;
	case DEVLINK_ATTR_RATE_TX_SHARE:
		if (len == 8) {
			memcpy(&r->share_v, p, 8);
			r->tx_share = &r->share_v;
		}
		break;
	case DEVLINK_ATTR_PORT_FUNCTION: decode_function(p, len, r); break;
	default: break;
	}
}

static int decode(const unsigned char *b, size_t len, struct req *r)
{
	struct nlmsghdr h;
	struct genlmsghdr g;

	memset(r, 0, sizeof(*r));
	if (len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EINVAL;
	memcpy(&h, b, sizeof(h));
	memcpy(&g, b + NLMSG_HDRLEN, sizeof(g));
	if (h.nlmsg_len != len)
		return -EINVAL;
	r->type = h.nlmsg_type;
	r->flags = h.nlmsg_flags;
	r->seq = h.nlmsg_seq;
	r->cmd = g.cmd;
	for (size_t off = NLMSG_HDRLEN + GENL_HDRLEN; off + NLA_HDRLEN <= len;) {
		struct nlattr a;

		memcpy(&a, b + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || off + a.nla_len > len)
			return -EINVAL;
		if (r->type == GENL_ID_CTRL && (a.nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_NAME)
			r->family_name = attr_str(b + off + NLA_HDRLEN, a.nla_len - NLA_HDRLEN);
		else
			decode_attr(a.nla_type & NLA_TYPE_MASK, b + off + NLA_HDRLEN, a.nla_len - NLA_HDRLEN, r);
		off += NLA_ALIGN(a.nla_len);
	}
	return 0;
}

/* ---- the answers ---- */

static size_t msg_start(struct wbuf *w, uint16_t type, uint16_t flags, uint32_t seq, uint8_t cmd)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq };
	struct genlmsghdr g = { .cmd = cmd, .version = DEVLINK_GENL_VERSION };
	size_t start = w->len;

	w_put(w, &h, sizeof(h));
	w_put(w, &g, sizeof(g));
	return start;
}

static void msg_end(struct wbuf *w, size_t start)
{
	uint32_t len = (uint32_t)(w->len - start);

	memcpy(w->b + start, &len, sizeof(len));
}

static void attr_u16(struct wbuf *w, uint16_t type, uint16_t v) { w_attr(w, type, &v, sizeof(v)); }
static void attr_u8(struct wbuf *w, uint16_t type, uint8_t v) { w_attr(w, type, &v, sizeof(v)); }
static void attr_u64(struct wbuf *w, uint16_t type, uint64_t v) { w_attr(w, type, &v, sizeof(v)); }

static void put_handle(struct wbuf *w, const struct fd_dev *d)
{
	w_attr_str(w, DEVLINK_ATTR_BUS_NAME, d->bus);
	w_attr_str(w, DEVLINK_ATTR_DEV_NAME, d->dev);
}

static void put_port(struct wbuf *w, const struct fd_dev *d, const struct fd_port *p, uint32_t seq)
{
	size_t s = msg_start(w, FD_FAMILY, NLM_F_MULTI, seq, DEVLINK_CMD_PORT_NEW), fn;

	put_handle(w, d);
	w_attr_u32(w, DEVLINK_ATTR_PORT_INDEX, p->index);
	attr_u16(w, DEVLINK_ATTR_PORT_TYPE, DEVLINK_PORT_TYPE_ETH);
	if (p->netdev[0])
		w_attr_str(w, DEVLINK_ATTR_PORT_NETDEV_NAME, p->netdev);
	if (p->flavour >= 0)
		attr_u16(w, DEVLINK_ATTR_PORT_FLAVOUR, (uint16_t)p->flavour);
	if (p->pfnum >= 0)
		attr_u16(w, DEVLINK_ATTR_PORT_PCI_PF_NUMBER, (uint16_t)p->pfnum);
	if (p->vfnum >= 0)
		attr_u16(w, DEVLINK_ATTR_PORT_PCI_VF_NUMBER, (uint16_t)p->vfnum);
	if (p->has_fn) {
		fn = w_nest_start_flagged(w, DEVLINK_ATTR_PORT_FUNCTION);
		w_attr(w, DEVLINK_PORT_FUNCTION_ATTR_HW_ADDR, p->hw_addr, p->has_hw_addr ? 6 : 0);
		if (p->state >= 0)
			attr_u8(w, DEVLINK_PORT_FN_ATTR_STATE, (uint8_t)p->state);
		if (p->opstate >= 0)
			attr_u8(w, DEVLINK_PORT_FN_ATTR_OPSTATE, (uint8_t)p->opstate);
		w_nest_end(w, fn);
	}
	msg_end(w, s);
}

static void put_rate(struct wbuf *w, const struct fd_dev *d, const struct fd_port *p, const struct fd_group *g,
		     uint32_t seq)
{
	size_t s = msg_start(w, FD_FAMILY, NLM_F_MULTI, seq, DEVLINK_CMD_RATE_NEW);

	put_handle(w, d);
	attr_u16(w, DEVLINK_ATTR_RATE_TYPE, p ? DEVLINK_RATE_TYPE_LEAF : DEVLINK_RATE_TYPE_NODE);
	if (p)
		w_attr_u32(w, DEVLINK_ATTR_PORT_INDEX, p->index);
	else
		w_attr_str(w, DEVLINK_ATTR_RATE_NODE_NAME, g->name);
	attr_u64(w, DEVLINK_ATTR_RATE_TX_SHARE, p ? p->tx_share : g->tx_share);
	attr_u64(w, DEVLINK_ATTR_RATE_TX_MAX, p ? p->tx_max : g->tx_max);
	if (p && p->parent[0])
		w_attr_str(w, DEVLINK_ATTR_RATE_PARENT_NODE_NAME, p->parent);
	msg_end(w, s);
}

static void done(struct wbuf *w, uint32_t seq)
{
	struct nlmsghdr h = { .nlmsg_len = NLMSG_LENGTH(4), .nlmsg_type = NLMSG_DONE, .nlmsg_flags = NLM_F_MULTI,
			      .nlmsg_seq = seq };
	int zero = 0;

	w_put(w, &h, sizeof(h));
	w_put(w, &zero, sizeof(zero));
}

static bool port_exists(const struct fd_dev *d, const struct fd_port *p)
{
	return !p->vf || d->mode == 1;
}

static int dump(struct fake_devlink *f, const struct req *r, struct wbuf *w)
{
	for (size_t i = 0; i < f->ndev; i++) {
		struct fd_dev *d = &f->devs[i];

		if (r->cmd == DEVLINK_CMD_RATE_GET)
			for (size_t g = d->ngroups; g-- > 0;)
				put_rate(w, d, NULL, &d->groups[g], r->seq);
		for (size_t p = 0; p < d->nports; p++) {
			if (!port_exists(d, &d->ports[p]))
				continue;
			if (r->cmd == DEVLINK_CMD_PORT_GET)
				put_port(w, d, &d->ports[p], r->seq);
			else if (d->ports[p].vf)
				put_rate(w, d, &d->ports[p], NULL, r->seq);
		}
	}
	done(w, r->seq);
	return 1;
}

/* ---- the commands ---- */

struct fd_dev *fd_find_dev(struct fake_devlink *f, const char *name)
{
	const char *slash = strchr(name, '/');

	for (size_t i = 0; i < f->ndev; i++) {
		struct fd_dev *d = &f->devs[i];

		if (!slash && strcmp(d->bus, "pci") == 0 && strcmp(d->dev, name) == 0)
			return d;
		if (slash && strncmp(d->bus, name, (size_t)(slash - name)) == 0 && !d->bus[slash - name] &&
		    strcmp(d->dev, slash + 1) == 0)
			return d;
	}
	return NULL;
}

static struct fd_dev *req_dev(struct fake_devlink *f, const struct req *r)
{
	char name[128];

	if (!r->bus || !r->dev)
		return NULL;
	snprintf(name, sizeof(name), "%s/%s", r->bus, r->dev);
	return fd_find_dev(f, name);
}

static void leave_switchdev(struct fd_dev *d)
{
	d->ngroups = 0;
	for (size_t i = 0; i < d->nports; i++) {
		d->ports[i].tx_max = d->ports[i].tx_share = 0;
		d->ports[i].parent[0] = '\0';
	}
}

static int eswitch(struct fd_dev *d, const struct req *r, struct wbuf *w, const char **extack)
{
	size_t s;

	if (d->mode < 0)
		return -EOPNOTSUPP;
	if (r->cmd == DEVLINK_CMD_ESWITCH_SET) {
		if (!r->has_mode || r->mode > 1)
			return -EINVAL;
		if (d->refuse_mode) {
			*extack = d->refuse_mode_extack;
			return d->refuse_mode;
		}
		if (d->mode == 1 && r->mode == 0)
			leave_switchdev(d);
		d->mode = r->mode;
		return 0;
	}
	s = msg_start(w, FD_FAMILY, 0, r->seq, DEVLINK_CMD_ESWITCH_GET);
	put_handle(w, d);
	attr_u16(w, DEVLINK_ATTR_ESWITCH_MODE, (uint16_t)d->mode);
	msg_end(w, s);
	return 0;
}

static int port_set(struct fd_dev *d, const struct req *r, const char **extack)
{
	struct fd_port *p = r->has_port ? fd_find_port(d, r->port) : NULL;

	if (!p || !port_exists(d, p))
		return -ENODEV;
	if (!r->has_hw_addr)
		return 0;
	if (d->no_port_function || !p->has_fn) {
		*extack = "leftover: Port doesn't support function attributes";
		return -EOPNOTSUPP;
	}
	p->has_hw_addr = true;
	memcpy(p->hw_addr, r->hw_addr, 6);
	return 0;
}

static int rate_set(struct fd_dev *d, const struct req *r)
{
	struct fd_port *p = r->has_port ? fd_find_port(d, r->port) : NULL;
	struct fd_group *g = r->node ? fd_find_group(d, r->node) : NULL;
	uint64_t *max = p ? &p->tx_max : g ? &g->tx_max : NULL;
	uint64_t *share = p ? &p->tx_share : g ? &g->tx_share : NULL;

	if (p && (!p->vf || !port_exists(d, p)))
		return -ENODEV;
	if (!max)
		return -ENODEV;
	if (r->parent && r->parent[0] && (!p || !fd_find_group(d, r->parent)))
		return -ENODEV;
	if (r->tx_max)
		*max = *r->tx_max;
	if (r->tx_share)
		*share = *r->tx_share;
	if (r->parent && p)
		snprintf(p->parent, sizeof(p->parent), "%s", r->parent);
	return 0;
}

static int rate_new(struct fd_dev *d, const struct req *r)
{
	struct fd_group *g;

	if (!r->node || !r->node[0])
		return -EINVAL;
	if (fd_find_group(d, r->node))
		return -EEXIST;
	if (d->mode != 1 || d->ngroups >= FD_MAX_GROUPS)
		return -EOPNOTSUPP;
	g = &d->groups[d->ngroups++];
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", r->node);
	g->tx_max = r->tx_max ? *r->tx_max : 0;
	g->tx_share = r->tx_share ? *r->tx_share : 0;
	return 0;
}

static int rate_del(struct fd_dev *d, const struct req *r, const char **extack)
{
	struct fd_group *g = r->node ? fd_find_group(d, r->node) : NULL;

	if (!g)
		return -ENODEV;
	for (size_t i = 0; i < d->nports; i++)
		if (strcmp(d->ports[i].parent, g->name) == 0) {
			*extack = "leftover: Node has children. Cannot delete node.";
			return -EBUSY;
		}
	memmove(g, g + 1, (size_t)(&d->groups[d->ngroups] - (g + 1)) * sizeof(*g));
	d->ngroups--;
	return 0;
}

/* <0 error, 0 ACK only, 1 answered in full (a dump: no ACK). */
static int dispatch(struct fake_devlink *f, const struct req *r, struct wbuf *w, const char **extack)
{
	struct fd_dev *d;

	if (r->cmd == DEVLINK_CMD_PORT_GET || r->cmd == DEVLINK_CMD_RATE_GET) {
		if (r->flags & NLM_F_DUMP)
			return dump(f, r, w);
		return -EOPNOTSUPP; /* the code under test only dumps */
	}
	d = req_dev(f, r);
	if (!d)
		return -ENODEV;
	switch (r->cmd) {
	case DEVLINK_CMD_ESWITCH_GET:
	case DEVLINK_CMD_ESWITCH_SET: return eswitch(d, r, w, extack);
	case DEVLINK_CMD_PORT_SET: return port_set(d, r, extack);
	case DEVLINK_CMD_RATE_SET: return rate_set(d, r);
	case DEVLINK_CMD_RATE_NEW: return rate_new(d, r);
	case DEVLINK_CMD_RATE_DEL: return rate_del(d, r, extack);
	default: return -EOPNOTSUPP;
	}
}

static int family(const struct req *r, struct wbuf *w)
{
	size_t s;

	if (r->cmd != CTRL_CMD_GETFAMILY || !r->family_name || strcmp(r->family_name, "devlink") != 0)
		return -ENOENT;
	s = msg_start(w, GENL_ID_CTRL, 0, r->seq, CTRL_CMD_NEWFAMILY);
	w_attr_str(w, CTRL_ATTR_FAMILY_NAME, "devlink");
	attr_u16(w, CTRL_ATTR_FAMILY_ID, FD_FAMILY);
	msg_end(w, s);
	return 0;
}

static int fd_send(struct vs_nl *nl, const void *buf, size_t len)
{
	struct fake_devlink *f = (struct fake_devlink *)nl;
	const char *extack = NULL;
	struct req r;
	struct wbuf w;
	int error;

	w_init(&w);
	error = decode(buf, len, &r);
	if (error == 0 && r.type == GENL_ID_CTRL) {
		error = family(&r, &w);
	} else if (error == 0) {
		if (r.type != FD_FAMILY)
			return -EINVAL;
		if (f->nreq < FD_MAX_REQ)
			f->cmds[f->nreq++] = r.cmd;
		error = dispatch(f, &r, &w, &extack);
	}
	if (error <= 0)
		w_ack(&w, error, extack, r.seq);
	free(f->reply);
	f->reply = w.b;
	f->reply_len = w.len;
	return 0;
}

static int fd_recv(struct vs_nl *nl, void **buf, size_t *len)
{
	struct fake_devlink *f = (struct fake_devlink *)nl;

	if (!f->reply)
		return -ETIMEDOUT;
	*buf = f->reply;
	*len = f->reply_len;
	f->reply = NULL;
	return 0;
}

static const struct vs_nl_ops fd_ops = { fd_send, fd_recv, NULL };

void fd_init(struct fake_devlink *f)
{
	memset(f, 0, sizeof(*f));
	f->nl.ops = &fd_ops;
	f->nl.seq = 500;
}

void fd_free(struct fake_devlink *f)
{
	free(f->reply);
	fd_init(f);
}

struct fd_dev *fd_add_dev(struct fake_devlink *f, const char *name, int mode)
{
	const char *slash = strchr(name, '/');
	struct fd_dev *d;

	if (f->ndev >= FD_MAX_DEVS)
		return NULL;
	d = &f->devs[f->ndev++];
	memset(d, 0, sizeof(*d));
	if (slash) {
		snprintf(d->bus, sizeof(d->bus), "%.*s", (int)(slash - name), name);
		snprintf(d->dev, sizeof(d->dev), "%s", slash + 1);
	} else {
		snprintf(d->bus, sizeof(d->bus), "pci");
		snprintf(d->dev, sizeof(d->dev), "%s", name);
	}
	d->mode = mode;
	return d;
}

static struct fd_port *new_port(struct fd_dev *d, uint32_t index)
{
	struct fd_port *p;

	if (d->nports >= FD_MAX_PORTS)
		abort();
	p = &d->ports[d->nports++];
	memset(p, 0, sizeof(*p));
	p->index = index;
	p->flavour = p->pfnum = p->vfnum = p->state = p->opstate = -1;
	return p;
}

struct fd_port *fd_add_uplink(struct fd_dev *d, const char *netdev)
{
	struct fd_port *p = new_port(d, 0);

	p->flavour = DEVLINK_PORT_FLAVOUR_PHYSICAL;
	snprintf(p->netdev, sizeof(p->netdev), "%s", netdev ? netdev : "");
	return p;
}

void fd_add_vfs(struct fd_dev *d, int pfnum, int nvfs, uint32_t base, const char *prefix, int first_netdev,
		bool with_fn)
{
	for (int i = 0; i < nvfs; i++) {
		struct fd_port *p = new_port(d, base + (uint32_t)i);

		p->vf = true;
		p->flavour = DEVLINK_PORT_FLAVOUR_PCI_VF;
		p->pfnum = pfnum;
		p->vfnum = i;
		if (prefix)
			snprintf(p->netdev, sizeof(p->netdev), "%s%d", prefix, first_netdev + i);
		if (with_fn) {
			p->has_fn = true;
			p->state = DEVLINK_PORT_FN_STATE_ACTIVE;
			p->opstate = DEVLINK_PORT_FN_OPSTATE_ATTACHED;
		}
	}
}

struct fd_port *fd_find_port(struct fd_dev *d, uint32_t index)
{
	for (size_t i = 0; i < d->nports; i++)
		if (d->ports[i].index == index)
			return &d->ports[i];
	return NULL;
}

struct fd_group *fd_find_group(struct fd_dev *d, const char *name)
{
	for (size_t i = 0; i < d->ngroups; i++)
		if (strcmp(d->groups[i].name, name) == 0)
			return &d->groups[i];
	return NULL;
}

size_t fd_count(const struct fake_devlink *f, uint8_t cmd)
{
	size_t n = 0;

	for (size_t i = 0; i < f->nreq; i++)
		n += f->cmds[i] == cmd;
	return n;
}
