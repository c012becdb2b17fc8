/* devlink over generic netlink (see devlink.h).
 *
 * Facts of the kernel that shape this file (net/core/devlink.c, 6.1):
 * - A dump of ports or rates walks every devlink instance (before 6.3 even
 *   with a device handle): it is asked for as iproute2 does, without one,
 *   and the replies are filtered here by their handle.
 * - A dump ends with NLMSG_DONE whose payload is the dump's error (int);
 *   no ACK follows a dump.
 * - An empty DEVLINK_ATTR_RATE_PARENT_NODE_NAME unsets a leaf's parent.
 * - A device with no devlink instance answers -ENODEV; one whose driver has
 *   no eswitch ops -EOPNOTSUPP. */
#include "config.h"

#include <linux/devlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <stdio.h>
#include <string.h>

#include "devlink.h"


struct vs_devlink {
	struct vs_nl *nl;
	bool own_nl;
	uint16_t family;
};

/* ---- names ---- */

static const char *const mode_names[] = { [VS_ESWITCH_LEGACY] = "legacy", [VS_ESWITCH_SWITCHDEV] = "switchdev" };

const char *vs_eswitch_mode_name(int mode)
{
	if (mode < 0 || (size_t)mode >= ELEMENTSOF(mode_names))
		return NULL;
	return mode_names[mode];
}

int vs_eswitch_mode_parse(const char *name)
{
	for (size_t i = 0; name && i < ELEMENTSOF(mode_names); i++)
		if (strcmp(name, mode_names[i]) == 0)
			return (int)i;
	return VS_ESWITCH_UNKNOWN;
}

static const char *const flavour_names[] = {
	[DEVLINK_PORT_FLAVOUR_PHYSICAL] = "physical", [DEVLINK_PORT_FLAVOUR_CPU] = "cpu",
	[DEVLINK_PORT_FLAVOUR_DSA] = "dsa", [DEVLINK_PORT_FLAVOUR_PCI_PF] = "pcipf",
	[DEVLINK_PORT_FLAVOUR_PCI_VF] = "pcivf", [DEVLINK_PORT_FLAVOUR_VIRTUAL] = "virtual",
	[DEVLINK_PORT_FLAVOUR_UNUSED] = "unused", [DEVLINK_PORT_FLAVOUR_PCI_SF] = "pcisf",
};

const char *vs_devlink_flavour_name(int flavour)
{
	if (flavour < 0 || (size_t)flavour >= ELEMENTSOF(flavour_names) || !flavour_names[flavour])
		return "";
	return flavour_names[flavour];
}

int vs_devlink_handle_parse(const char *name, struct vs_devlink_handle *h)
{
	const char *slash = name ? strchr(name, '/') : NULL;
	int n;

	memset(h, 0, sizeof(*h));
	if (!name || !*name)
		return -EINVAL;
	if (!slash)
		n = snprintf(h->bus, sizeof(h->bus), "pci") < 0 ? -1 : snprintf(h->dev, sizeof(h->dev), "%s", name);
	else if ((size_t)(slash - name) >= sizeof(h->bus) || slash == name || !slash[1] || strchr(slash + 1, '/'))
		return -EINVAL;
	else {
		memcpy(h->bus, name, (size_t)(slash - name));
		n = snprintf(h->dev, sizeof(h->dev), "%s", slash + 1);
	}
	return n < 0 || (size_t)n >= sizeof(h->dev) ? -EINVAL : 0;
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

int vs_devlink_build_getfamily(uint32_t seq, void **buf, size_t *len)
{
	struct nl_msg *m = nlmsg_alloc();
	int r = -ENOMEM;

	if (!m)
		return -ENOMEM;
	if (genlmsg_put(m, NL_AUTO_PORT, seq, GENL_ID_CTRL, 0, NLM_F_REQUEST | NLM_F_ACK, CTRL_CMD_GETFAMILY, 1) &&
	    nla_put_string(m, CTRL_ATTR_FAMILY_NAME, DEVLINK_GENL_NAME) == 0)
		r = msg_to_bytes(m, buf, len);
	nlmsg_free(m);
	return r;
}

static int put_function(struct nl_msg *m, const struct vs_devlink_req *req)
{
	struct nlattr *fn = nla_nest_start(m, DEVLINK_ATTR_PORT_FUNCTION);

	if (!fn || nla_put(m, DEVLINK_PORT_FUNCTION_ATTR_HW_ADDR, 6, req->hw_addr) < 0)
		return -1;
	return nla_nest_end(m, fn);
}

/* In the order iproute2's devlink sends them. */
static int put_attrs(struct nl_msg *m, const struct vs_devlink_req *req)
{
	if (req->handle && (nla_put_string(m, DEVLINK_ATTR_BUS_NAME, req->handle->bus) < 0 ||
			    nla_put_string(m, DEVLINK_ATTR_DEV_NAME, req->handle->dev) < 0))
		return -1;
	if (req->has_port && nla_put_u32(m, DEVLINK_ATTR_PORT_INDEX, req->port) < 0)
		return -1;
	if (req->node && nla_put_string(m, DEVLINK_ATTR_RATE_NODE_NAME, req->node) < 0)
		return -1;
	if (req->mode >= 0 && nla_put_u16(m, DEVLINK_ATTR_ESWITCH_MODE, (uint16_t)req->mode) < 0)
		return -1;
	if (req->has_hw_addr && put_function(m, req) < 0)
		return -1;
	if (req->tx_share && nla_put_u64(m, DEVLINK_ATTR_RATE_TX_SHARE, *req->tx_share) < 0)
		return -1;
	if (req->tx_max && nla_put_u64(m, DEVLINK_ATTR_RATE_TX_MAX, *req->tx_max) < 0)
		return -1;
	if (req->parent && nla_put_string(m, DEVLINK_ATTR_RATE_PARENT_NODE_NAME, req->parent) < 0)
		return -1;
	return 0;
}

int vs_devlink_build(uint16_t family, const struct vs_devlink_req *req, uint32_t seq, void **buf, size_t *len)
{
	struct nl_msg *m = nlmsg_alloc();
	int r = -ENOMEM;

	if (!m)
		return -ENOMEM;
	if (genlmsg_put(m, NL_AUTO_PORT, seq, family, 0, NLM_F_REQUEST | req->flags, req->cmd, DEVLINK_GENL_VERSION) &&
	    put_attrs(m, req) == 0)
		r = msg_to_bytes(m, buf, len);
	nlmsg_free(m);
	return r;
}

/* ---- parsers ---- */

/* The attributes of one generic netlink message of the expected length. */
static int genl_attrs(const void *msg, size_t len, struct nlattr **tb, int max, struct nla_policy *policy)
{
	const struct nlmsghdr *h = msg;

	if (!msg || len < NLMSG_HDRLEN || h->nlmsg_len > len || h->nlmsg_len < NLMSG_HDRLEN ||
	    !genlmsg_valid_hdr((struct nlmsghdr *)h, 0))
		return -EBADMSG;
	if (nla_parse(tb, max, genlmsg_attrdata(nlmsg_data(h), 0), genlmsg_attrlen(nlmsg_data(h), 0), policy) < 0)
		return -EBADMSG;
	return 0;
}

int vs_devlink_parse_family(const void *msg, size_t len, uint16_t *id)
{
	static struct nla_policy pol[CTRL_ATTR_MAX + 1] = { [CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16 } };
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (genl_attrs(msg, len, tb, CTRL_ATTR_MAX, pol) < 0 || !tb[CTRL_ATTR_FAMILY_ID])
		return -EBADMSG;
	*id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

static struct nla_policy dl_policy[DEVLINK_ATTR_MAX + 1] = {
	[DEVLINK_ATTR_BUS_NAME] = { .type = NLA_STRING },
	[DEVLINK_ATTR_DEV_NAME] = { .type = NLA_STRING },
	[DEVLINK_ATTR_PORT_INDEX] = { .type = NLA_U32 },
	[DEVLINK_ATTR_PORT_NETDEV_NAME] = { .type = NLA_STRING },
	[DEVLINK_ATTR_ESWITCH_MODE] = { .type = NLA_U16 },
	[DEVLINK_ATTR_PORT_FLAVOUR] = { .type = NLA_U16 },
	[DEVLINK_ATTR_PORT_PCI_PF_NUMBER] = { .type = NLA_U16 },
	[DEVLINK_ATTR_PORT_PCI_VF_NUMBER] = { .type = NLA_U16 },
	[DEVLINK_ATTR_PORT_FUNCTION] = { .type = NLA_NESTED },
	[DEVLINK_ATTR_RATE_TYPE] = { .type = NLA_U16 },
	[DEVLINK_ATTR_RATE_TX_SHARE] = { .type = NLA_U64 },
	[DEVLINK_ATTR_RATE_TX_MAX] = { .type = NLA_U64 },
	[DEVLINK_ATTR_RATE_NODE_NAME] = { .type = NLA_STRING },
	[DEVLINK_ATTR_RATE_PARENT_NODE_NAME] = { .type = NLA_STRING },
};

/* Every reply names its device: a message without a handle is malformed. */
static int dl_attrs(const void *msg, size_t len, struct nlattr **tb, struct vs_devlink_handle *h)
{
	if (genl_attrs(msg, len, tb, DEVLINK_ATTR_MAX, dl_policy) < 0)
		return -EBADMSG;
	if (!tb[DEVLINK_ATTR_BUS_NAME] || !tb[DEVLINK_ATTR_DEV_NAME])
		return -EBADMSG;
	nla_strlcpy(h->bus, tb[DEVLINK_ATTR_BUS_NAME], sizeof(h->bus));
	nla_strlcpy(h->dev, tb[DEVLINK_ATTR_DEV_NAME], sizeof(h->dev));
	return 0;
}

int vs_devlink_parse_eswitch(const void *msg, size_t len, struct vs_devlink_handle *h, int *mode)
{
	struct nlattr *tb[DEVLINK_ATTR_MAX + 1];

	if (dl_attrs(msg, len, tb, h) < 0)
		return -EBADMSG;
	*mode = tb[DEVLINK_ATTR_ESWITCH_MODE] ? (int)nla_get_u16(tb[DEVLINK_ATTR_ESWITCH_MODE]) : VS_ESWITCH_UNKNOWN;
	return 0;
}

static int u16_or(struct nlattr *a) { return a ? (int)nla_get_u16(a) : -1; }

static int parse_function(struct nlattr *fn, struct vs_devlink_port *p)
{
	static struct nla_policy pol[DEVLINK_PORT_FUNCTION_ATTR_MAX + 1] = {
		[DEVLINK_PORT_FN_ATTR_STATE] = { .type = NLA_U8 },
		[DEVLINK_PORT_FN_ATTR_OPSTATE] = { .type = NLA_U8 },
	};
	struct nlattr *tb[DEVLINK_PORT_FUNCTION_ATTR_MAX + 1];

	if (nla_parse_nested(tb, DEVLINK_PORT_FUNCTION_ATTR_MAX, fn, pol) < 0)
		return -EBADMSG;
	/* A port whose function has no MAC yet reports zero length. */
	if (tb[DEVLINK_PORT_FUNCTION_ATTR_HW_ADDR] && nla_len(tb[DEVLINK_PORT_FUNCTION_ATTR_HW_ADDR]) == 6) {
		p->has_hw_addr = true;
		memcpy(p->hw_addr, nla_data(tb[DEVLINK_PORT_FUNCTION_ATTR_HW_ADDR]), 6);
	}
	if (tb[DEVLINK_PORT_FN_ATTR_STATE])
		p->state = nla_get_u8(tb[DEVLINK_PORT_FN_ATTR_STATE]);
	if (tb[DEVLINK_PORT_FN_ATTR_OPSTATE])
		p->opstate = nla_get_u8(tb[DEVLINK_PORT_FN_ATTR_OPSTATE]);
	return 0;
}

int vs_devlink_parse_port(const void *msg, size_t len, struct vs_devlink_handle *h, struct vs_devlink_port *out)
{
	struct nlattr *tb[DEVLINK_ATTR_MAX + 1];

	memset(out, 0, sizeof(*out));
	out->flavour = out->pfnum = out->vfnum = out->state = out->opstate = -1;
	if (dl_attrs(msg, len, tb, h) < 0 || !tb[DEVLINK_ATTR_PORT_INDEX])
		return -EBADMSG;
	out->index = nla_get_u32(tb[DEVLINK_ATTR_PORT_INDEX]);
	out->flavour = u16_or(tb[DEVLINK_ATTR_PORT_FLAVOUR]);
	out->pfnum = u16_or(tb[DEVLINK_ATTR_PORT_PCI_PF_NUMBER]);
	out->vfnum = u16_or(tb[DEVLINK_ATTR_PORT_PCI_VF_NUMBER]);
	if (tb[DEVLINK_ATTR_PORT_NETDEV_NAME])
		nla_strlcpy(out->netdev, tb[DEVLINK_ATTR_PORT_NETDEV_NAME], sizeof(out->netdev));
	if (tb[DEVLINK_ATTR_PORT_FUNCTION])
		return parse_function(tb[DEVLINK_ATTR_PORT_FUNCTION], out);
	return 0;
}

int vs_devlink_parse_rate(const void *msg, size_t len, struct vs_devlink_handle *h, struct vs_devlink_rate *out)
{
	struct nlattr *tb[DEVLINK_ATTR_MAX + 1];
	int type;

	memset(out, 0, sizeof(*out));
	if (dl_attrs(msg, len, tb, h) < 0 || !tb[DEVLINK_ATTR_RATE_TYPE])
		return -EBADMSG;
	type = nla_get_u16(tb[DEVLINK_ATTR_RATE_TYPE]);
	if (type == DEVLINK_RATE_TYPE_LEAF && tb[DEVLINK_ATTR_PORT_INDEX])
		out->port = nla_get_u32(tb[DEVLINK_ATTR_PORT_INDEX]);
	else if (type == DEVLINK_RATE_TYPE_NODE && tb[DEVLINK_ATTR_RATE_NODE_NAME])
		nla_strlcpy(out->name, tb[DEVLINK_ATTR_RATE_NODE_NAME], sizeof(out->name));
	else
		return -EBADMSG;
	if (tb[DEVLINK_ATTR_RATE_TX_MAX])
		out->tx_max = nla_get_u64(tb[DEVLINK_ATTR_RATE_TX_MAX]);
	if (tb[DEVLINK_ATTR_RATE_TX_SHARE])
		out->tx_share = nla_get_u64(tb[DEVLINK_ATTR_RATE_TX_SHARE]);
	if (tb[DEVLINK_ATTR_RATE_PARENT_NODE_NAME])
		nla_strlcpy(out->parent, tb[DEVLINK_ATTR_RATE_PARENT_NODE_NAME], sizeof(out->parent));
	return 0;
}

/* ---- the exchange ---- */

typedef int (*dl_reply_fn)(const struct nlmsghdr *h, void *data);

struct dl_reply {
	const struct vs_devlink *dl;
	dl_reply_fn fn;
	void *data;
};

/* 1: over (ack filled); 0: keep reading; <0: malformed. */
static int dl_handle_msg(const struct nlmsghdr *h, void *ctx, struct vs_nl_ack *ack)
{
	const struct dl_reply *d = ctx;

	if (h->nlmsg_type == NLMSG_ERROR)
		return vs_nl_parse_ack(h, h->nlmsg_len, ack) < 0 ? -EBADMSG : 1;
	if (h->nlmsg_type == NLMSG_DONE) {
		int e = 0;

		if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(e)))
			memcpy(&e, NLMSG_DATA(h), sizeof(e));
		ack->error = e < 0 && e >= -4095 ? e : 0;
		return 1;
	}
	if (h->nlmsg_type == NLMSG_NOOP || !d->fn || (h->nlmsg_type != d->dl->family && h->nlmsg_type != GENL_ID_CTRL))
		return 0;
	return d->fn(h, d->data);
}

static int dl_exchange(struct vs_devlink *dl, const void *req, size_t len, dl_reply_fn fn, void *data,
		       struct vs_nl_ack *ack)
{
	struct dl_reply d = { dl, fn, data };

	return vs_nl_exchange(dl->nl, req, len, dl_handle_msg, &d, ack);
}

static const char *cmd_name(uint8_t cmd)
{
	switch (cmd) {
	case DEVLINK_CMD_ESWITCH_GET: return "eswitch show";
	case DEVLINK_CMD_ESWITCH_SET: return "eswitch set";
	case DEVLINK_CMD_PORT_GET: return "port show";
	case DEVLINK_CMD_PORT_SET: return "port function set";
	case DEVLINK_CMD_RATE_GET: return "port function rate show";
	case DEVLINK_CMD_RATE_SET: return "port function rate set";
	case DEVLINK_CMD_RATE_NEW: return "port function rate add";
	case DEVLINK_CMD_RATE_DEL: return "port function rate del";
	default: return "request";
	}
}

/* One request on one device; what names the object and the value for the
 * error line ("port 128 hw_addr 00:11:22:33:44:55"). */
static int dl_do(struct vs_devlink *dl, struct vs_devlink_req *req, const struct vs_devlink_handle *h,
		 const char *what, dl_reply_fn fn, void *data, struct vs_error *err)
{
	_cleanup_free_ void *buf = NULL;
	struct vs_nl_ack ack;
	size_t len;
	int r;

	req->flags |= NLM_F_ACK;
	r = vs_devlink_build(dl->family, req, dl->nl->seq + 1, &buf, &len);
	if (r < 0)
		return vs_error_set(err, r, "%s/%s: devlink %s: cannot build the request", h->bus, h->dev, cmd_name(req->cmd));
	r = dl_exchange(dl, buf, len, fn, data, &ack);
	if (r == 0)
		r = ack.error;
	if (r < 0)
		vs_error_set(err, r, "%s/%s: devlink %s%s%s: %s%s%s%s", h->bus, h->dev, cmd_name(req->cmd), what[0] ? " " : "",
			     what, strerror(-r), ack.msg[0] ? " (" : "", ack.msg, ack.msg[0] ? ")" : "");
	return r;
}

static int dl_handle(const char *name, struct vs_devlink_handle *h, struct vs_error *err)
{
	if (vs_devlink_handle_parse(name, h) < 0)
		return vs_error_set(err, -EINVAL, "devlink: '%s' is not a PCI address or a devlink handle BUS/NAME",
				    name ? name : "");
	return 0;
}

static bool same_handle(const struct vs_devlink_handle *a, const struct vs_devlink_handle *b)
{
	return strcmp(a->bus, b->bus) == 0 && strcmp(a->dev, b->dev) == 0;
}

/* ---- open ---- */

static int on_family(const struct nlmsghdr *h, void *data)
{
	return vs_devlink_parse_family(h, h->nlmsg_len, data) < 0 ? -EBADMSG : 0;
}

static int resolve_family(struct vs_devlink *dl, struct vs_error *err)
{
	_cleanup_free_ void *buf = NULL;
	struct vs_nl_ack ack;
	size_t len;
	int r;

	r = vs_devlink_build_getfamily(dl->nl->seq + 1, &buf, &len);
	if (r < 0)
		return vs_error_set(err, r, "devlink: cannot build the family request");
	dl->family = 0;
	r = dl_exchange(dl, buf, len, on_family, &dl->family, &ack);
	if (r == 0)
		r = ack.error;
	if (r == -ENOENT)
		return vs_error_set(err, r, "devlink: the kernel has no devlink generic netlink family");
	if (r == 0 && !dl->family)
		r = -EBADMSG;
	if (r < 0)
		return vs_error_set(err, r, "devlink: cannot resolve the generic netlink family: %s", strerror(-r));
	return 0;
}

int vs_devlink_open_nl(struct vs_devlink **out, struct vs_nl *nl, struct vs_error *err)
{
	_cleanup_free_ struct vs_devlink *dl = calloc(1, sizeof(*dl));
	int r;

	if (!dl)
		return vs_error_set(err, -ENOMEM, "devlink: out of memory");
	dl->nl = nl;
	r = resolve_family(dl, err);
	if (r < 0)
		return r;
	*out = TAKE_PTR(dl);
	return 0;
}

int vs_devlink_open(struct vs_devlink **out, struct vs_error *err)
{
	struct vs_nl *nl = NULL;
	int r = vs_nl_open_proto(&nl, NETLINK_GENERIC, err);

	if (r < 0)
		return r;
	r = vs_devlink_open_nl(out, nl, err);
	if (r < 0) {
		vs_nl_close(nl);
		return r;
	}
	(*out)->own_nl = true;
	return 0;
}

void vs_devlink_close(struct vs_devlink *dl)
{
	if (!dl)
		return;
	if (dl->own_nl)
		vs_nl_close(dl->nl);
	free(dl);
}

/* ---- eswitch ---- */

struct eswitch_ctx {
	int mode;
	bool seen;
};

static int on_eswitch(const struct nlmsghdr *h, void *data)
{
	struct eswitch_ctx *ctx = data;
	struct vs_devlink_handle hh;

	if (vs_devlink_parse_eswitch(h, h->nlmsg_len, &hh, &ctx->mode) < 0)
		return -EBADMSG;
	ctx->seen = true;
	return 0;
}

int vs_devlink_eswitch_get(struct vs_devlink *dl, const char *pci_addr, int *mode, struct vs_error *err)
{
	struct eswitch_ctx ctx = { .mode = VS_ESWITCH_UNKNOWN };
	struct vs_devlink_handle h;
	struct vs_devlink_req req = { .cmd = DEVLINK_CMD_ESWITCH_GET, .handle = &h, .mode = -1 };
	int r;

	*mode = VS_ESWITCH_UNKNOWN;
	if (dl_handle(pci_addr, &h, err) < 0)
		return -EINVAL;
	r = dl_do(dl, &req, &h, "", on_eswitch, &ctx, err);
	if (r < 0)
		return r;
	if (!ctx.seen)
		return vs_error_set(err, -EBADMSG, "%s/%s: devlink eswitch show: no eswitch in the answer", h.bus, h.dev);
	*mode = ctx.mode;
	return 0;
}

int vs_devlink_eswitch_set(struct vs_devlink *dl, const char *pci_addr, int mode, struct vs_error *err)
{
	struct vs_devlink_handle h;
	struct vs_devlink_req req = { .cmd = DEVLINK_CMD_ESWITCH_SET, .handle = &h, .mode = mode };
	char what[32];

	if (dl_handle(pci_addr, &h, err) < 0)
		return -EINVAL;
	if (!vs_eswitch_mode_name(mode))
		return vs_error_set(err, -EINVAL, "%s/%s: eswitch mode %d is neither legacy nor switchdev", h.bus, h.dev, mode);
	snprintf(what, sizeof(what), "mode %s", vs_eswitch_mode_name(mode));
	return dl_do(dl, &req, &h, what, NULL, NULL, err);
}

/* ---- ports ---- */

struct list_ctx {
	const struct vs_devlink_handle *want;
	void *items;
	size_t n, cap, size;
	int (*parse)(const void *msg, size_t len, struct vs_devlink_handle *h, void *out);
};

static int on_item(const struct nlmsghdr *h, void *data)
{
	struct list_ctx *ctx = data;
	struct vs_devlink_handle hh;
	char one[sizeof(struct vs_devlink_rate) > sizeof(struct vs_devlink_port) ? sizeof(struct vs_devlink_rate)
										    : sizeof(struct vs_devlink_port)];

	if (ctx->parse(h, h->nlmsg_len, &hh, one) < 0)
		return -EBADMSG;
	if (!same_handle(&hh, ctx->want))
		return 0;
	if (vs_grow(&ctx->items, &ctx->cap, ctx->n + 1, ctx->size) < 0)
		return -ENOMEM;
	memcpy((char *)ctx->items + ctx->n * ctx->size, one, ctx->size);
	ctx->n++;
	return 0;
}

static int dl_list(struct vs_devlink *dl, const char *name, uint8_t cmd, struct list_ctx *ctx, struct vs_error *err)
{
	struct vs_devlink_handle h;
	struct vs_devlink_req req = { .cmd = cmd, .flags = NLM_F_DUMP, .mode = -1 };
	int r;

	if (dl_handle(name, &h, err) < 0)
		return -EINVAL;
	ctx->want = &h;
	r = dl_do(dl, &req, &h, "", on_item, ctx, err);
	if (r < 0) {
		free(ctx->items);
		ctx->items = NULL;
		ctx->n = 0;
	}
	return r;
}

static int parse_port_any(const void *msg, size_t len, struct vs_devlink_handle *h, void *out)
{
	return vs_devlink_parse_port(msg, len, h, out);
}

static int parse_rate_any(const void *msg, size_t len, struct vs_devlink_handle *h, void *out)
{
	return vs_devlink_parse_rate(msg, len, h, out);
}

int vs_devlink_ports(struct vs_devlink *dl, const char *pci_addr, struct vs_devlink_port **ports, size_t *n,
		     struct vs_error *err)
{
	struct list_ctx ctx = { .size = sizeof(struct vs_devlink_port), .parse = parse_port_any };
	int r = dl_list(dl, pci_addr, DEVLINK_CMD_PORT_GET, &ctx, err);

	*ports = ctx.items;
	*n = ctx.n;
	return r;
}

int vs_devlink_port_set_hw_addr(struct vs_devlink *dl, const char *pci_addr, uint32_t port, const unsigned char mac[6],
				struct vs_error *err)
{
	struct vs_devlink_handle h;
	struct vs_devlink_req req = { .cmd = DEVLINK_CMD_PORT_SET, .handle = &h, .has_port = true, .port = port,
				      .mode = -1, .has_hw_addr = true };
	char what[64];

	if (dl_handle(pci_addr, &h, err) < 0)
		return -EINVAL;
	memcpy(req.hw_addr, mac, 6);
	snprintf(what, sizeof(what), "port %u hw_addr %02x:%02x:%02x:%02x:%02x:%02x", port, mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	return dl_do(dl, &req, &h, what, NULL, NULL, err);
}

/* ---- rates ---- */

int vs_devlink_rates(struct vs_devlink *dl, const char *pci_addr, struct vs_devlink_rate **rates, size_t *n,
		     struct vs_error *err)
{
	struct list_ctx ctx = { .size = sizeof(struct vs_devlink_rate), .parse = parse_rate_any };
	int r = dl_list(dl, pci_addr, DEVLINK_CMD_RATE_GET, &ctx, err);

	*rates = ctx.items;
	*n = ctx.n;
	return r;
}

/* "tx_max 1250000 tx_share 0 parent g1": the values as sent, for errors. */
static void rate_what(char *buf, size_t size, const char *obj, const uint64_t *tx_max, const uint64_t *tx_share,
		      const char *parent)
{
	int n = snprintf(buf, size, "%s", obj);

	if (tx_max && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, " tx_max %llu", (unsigned long long)*tx_max);
	if (tx_share && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, " tx_share %llu", (unsigned long long)*tx_share);
	if (parent && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, parent[0] ? " parent %s" : " noparent", parent);
}

int vs_devlink_rate_leaf_set(struct vs_devlink *dl, const char *pci_addr, uint32_t port, const uint64_t *tx_max,
			     const uint64_t *tx_share, const char *parent, struct vs_error *err)
{
	struct vs_devlink_handle h;
	struct vs_devlink_req req = { .cmd = DEVLINK_CMD_RATE_SET, .handle = &h, .has_port = true, .port = port,
				      .mode = -1, .tx_max = tx_max, .tx_share = tx_share, .parent = parent };
	char what[160], obj[32];

	if (dl_handle(pci_addr, &h, err) < 0)
		return -EINVAL;
	snprintf(obj, sizeof(obj), "port %u", port);
	rate_what(what, sizeof(what), obj, tx_max, tx_share, parent);
	return dl_do(dl, &req, &h, what, NULL, NULL, err);
}

static int group_name_ok(const struct vs_devlink_handle *h, const char *name, struct vs_error *err)
{
	if (!name || !*name || strlen(name) >= VS_DEVLINK_NAME_MAX || strchr(name, '/'))
		return vs_error_set(err, -EINVAL, "%s/%s: '%s' is not a rate group name (1-%d characters, no '/')",
				    h->bus, h->dev, name ? name : "", VS_DEVLINK_NAME_MAX - 1);
	return 0;
}

/* A rate group made or changed: the same request but for the command. */
static int rate_group_send(struct vs_devlink *dl, uint8_t cmd, const char *pci_addr, const char *name,
			   const uint64_t *tx_max, const uint64_t *tx_share, struct vs_error *err)
{
	struct vs_devlink_handle h;
	struct vs_devlink_req req = { .cmd = cmd, .handle = &h, .mode = -1, .node = name,
				      .tx_max = tx_max, .tx_share = tx_share };
	char what[160], obj[VS_DEVLINK_NAME_MAX + 8];

	if (dl_handle(pci_addr, &h, err) < 0 || group_name_ok(&h, name, err) < 0)
		return -EINVAL;
	snprintf(obj, sizeof(obj), "group %s", name);
	rate_what(what, sizeof(what), obj, tx_max, tx_share, NULL);
	return dl_do(dl, &req, &h, what, NULL, NULL, err);
}

int vs_devlink_rate_group_new(struct vs_devlink *dl, const char *pci_addr, const char *name, const uint64_t *tx_max,
			      const uint64_t *tx_share, struct vs_error *err)
{
	return rate_group_send(dl, DEVLINK_CMD_RATE_NEW, pci_addr, name, tx_max, tx_share, err);
}

int vs_devlink_rate_group_del(struct vs_devlink *dl, const char *pci_addr, const char *name, struct vs_error *err)
{
	struct vs_devlink_handle h;
	struct vs_devlink_req req = { .cmd = DEVLINK_CMD_RATE_DEL, .handle = &h, .mode = -1, .node = name };
	char what[VS_DEVLINK_NAME_MAX + 8];

	if (dl_handle(pci_addr, &h, err) < 0 || group_name_ok(&h, name, err) < 0)
		return -EINVAL;
	snprintf(what, sizeof(what), "group %s", name);
	return dl_do(dl, &req, &h, what, NULL, NULL, err);
}

int vs_devlink_rate_group_set(struct vs_devlink *dl, const char *pci_addr, const char *name, const uint64_t *tx_max,
			      const uint64_t *tx_share, struct vs_error *err)
{
	return rate_group_send(dl, DEVLINK_CMD_RATE_SET, pci_addr, name, tx_max, tx_share, err);
}
