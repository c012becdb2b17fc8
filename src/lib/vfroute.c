/* The routing rule of VF settings: see vfroute.h. */
#include "config.h"

#include <linux/devlink.h>
#include <linux/if_ether.h>
#include <string.h>

#include "pciaddr.h"
#include "vfroute.h"

/* ---- the doors ---- */

void vs_vfroute_close(struct vs_vfroute *k)
{
	if (k->dl && k->dl_owned)
		vs_devlink_close(k->dl);
	k->dl = NULL;
	k->dl_owned = false;
}

/* NULL without an error: this host has no devlink (every PF legacy). */
static struct vs_devlink *devlink(struct vs_vfroute *k, struct vs_error *err)
{
	struct vs_error sub = { 0 };
	int r;

	if (k->dl || k->dl_absent)
		return k->dl;
	r = vs_devlink_open(&k->dl, &sub);
	if (r == -ENOENT || r == -EPROTONOSUPPORT || r == -EAFNOSUPPORT) {
		k->dl_absent = true;
		return NULL;
	}
	if (r < 0)
		return vs_error_set(err, r, "devlink: %s", sub.msg), NULL;
	k->dl_owned = true;
	return k->dl;
}

void vs_vfroute_devlink_name(const char *address, char *buf, size_t len)
{
	char pci[VS_PCI_ADDR_MAX];

	/* a non-PCI PF of this tree is a netdevsim device */
	if (vs_pci_addr_normalize(address, pci) == 0 || strchr(address, '/'))
		snprintf(buf, len, "%s", address);
	else
		snprintf(buf, len, "netdevsim/%s", address);
}

int vs_vfroute_mode(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, int *mode, struct vs_error *err)
{
	struct vs_error sub = { 0 };
	struct vs_devlink *dl;
	char name[96];
	int r;

	*mode = VS_ESWITCH_LEGACY;
	if (!pf->address || !pf->address[0])
		return 0;
	dl = devlink(k, err);
	if (!dl)
		return k->dl_absent ? 0 : -EIO;
	vs_vfroute_devlink_name(pf->address, name, sizeof(name));
	r = vs_devlink_eswitch_get(dl, name, mode, &sub);
	if (r == -ENODEV || r == -EOPNOTSUPP || r == -ENOENT || r == -EINVAL) {
		*mode = VS_ESWITCH_LEGACY;
		return 0;
	}
	if (r < 0)
		return vs_error_set(err, r, "%s (%s): cannot read its eswitch mode: %s", pf->ifname, pf->address, sub.msg);
	if (*mode != VS_ESWITCH_SWITCHDEV)
		*mode = VS_ESWITCH_LEGACY;
	return 0;
}

/* ---- what each driver takes in switchdev mode ---- */

/* Drivers that refuse legacy VF settings once the eswitch is in switchdev
 * mode (mlx5: mlx5_eswitch_set_vport_vlan and _spoofchk answer EOPNOTSUPP
 * outside legacy, VLAN 0 excepted).  A driver not listed takes them (as
 * netdevsim does), or the kernel refuses and the executor names it. */
static const struct switchdev_driver {
	const char *driver;
	bool no_vlan;      /* no VLAN other than 0, no QoS, no 802.1ad */
	bool no_spoofchk;
} switchdev_drivers[] = {
	{ "mlx5_core", true, true },
	{ "netdevsim", false, false },
};

static const struct switchdev_driver *driver_rules(const char *driver)
{
	for (size_t i = 0; driver && i < ELEMENTSOF(switchdev_drivers); i++)
		if (strcmp(switchdev_drivers[i].driver, driver) == 0)
			return &switchdev_drivers[i];
	return NULL;
}

static bool vlan_refused(const struct switchdev_driver *d, const struct vs_vf_config *c)
{
	return d && d->no_vlan && (c->vlan > 0 || c->qos > 0 || (c->vlan > 0 && c->vlan_proto == ETH_P_8021AD) ||
				   (c->vlan < 0 && c->vlan_proto == ETH_P_8021AD));
}

int vs_vfroute_check(const struct vs_vfroute_pf *pf, int mode, const struct vs_vf_config *c,
		     const char *representor, struct vs_error *err)
{
	const struct switchdev_driver *d = mode == VS_ESWITCH_SWITCHDEV ? driver_rules(pf->driver) : NULL;
	const char *rep = representor && representor[0] ? representor : "the VF's representor";
	char v[64];

	if (mode != VS_ESWITCH_SWITCHDEV && c->has_rate_group && c->rate_group[0])
		return vs_error_set(err, -EOPNOTSUPP, "%s (%s) is in legacy mode: VF %d: rate-group %s: rate groups are "
				    "devlink's, in switchdev mode only (virt-sriov eswitch %s switchdev)", pf->ifname,
				    pf->address, c->index, c->rate_group, pf->ifname);
	if (vlan_refused(d, c)) {
		vs_vf_attr_format(c, VS_ATTR_VLAN, v, sizeof(v));
		return vs_error_set(err, -EOPNOTSUPP, "%s (%s) is in switchdev mode: %s takes no VF VLAN but 0 there "
				    "(VF %d: vlan %s): put the VLAN on the representor side: %s as an access port of "
				    "its bridge (bridge vlan add dev %s vid %d pvid untagged) or the tag of its Open "
				    "vSwitch port", pf->ifname, pf->address, d->driver, c->index, v, rep, rep,
				    c->vlan > 0 ? c->vlan : 1);
	}
	if (d && d->no_spoofchk && c->spoofchk >= 0)
		return vs_error_set(err, -EOPNOTSUPP, "%s (%s) is in switchdev mode: %s takes no VF spoof check there "
				    "(VF %d: spoofchk %s): let the switch do it: flow rules on %s (Open vSwitch, or tc "
				    "flower) that drop what the VF sends from another MAC", pf->ifname, pf->address,
				    d->driver, c->index, c->spoofchk ? "on" : "off", rep);
	return 0;
}

/* ---- the devlink side of one PF ---- */

#define DL_ATTRS ((1u << VS_ATTR_MAC) | (1u << VS_ATTR_RATE) | (1u << VS_ATTR_RATE_GROUP))

struct dl_pf {
	struct vs_devlink *dl;
	char name[96];
	struct vs_devlink_port *ports;
	size_t nports;
	struct vs_devlink_rate *rates;
	size_t nrates;
};

static void dl_pf_free(struct dl_pf *p)
{
	free(p->ports);
	free(p->rates);
	p->ports = NULL;
	p->rates = NULL;
}

static int dl_pf_load(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, struct dl_pf *p, struct vs_error *err)
{
	struct vs_error sub = { 0 };
	int r;

	memset(p, 0, sizeof(*p));
	p->dl = devlink(k, err);
	if (!p->dl)
		return vs_error_set(err, -EOPNOTSUPP, "%s (%s): no devlink on this host", pf->ifname, pf->address);
	vs_vfroute_devlink_name(pf->address, p->name, sizeof(p->name));
	r = vs_devlink_ports(p->dl, p->name, &p->ports, &p->nports, &sub);
	if (r == 0)
		r = vs_devlink_rates(p->dl, p->name, &p->rates, &p->nrates, &sub);
	if (r < 0)
		return vs_error_set(err, r, "%s (%s): %s", pf->ifname, p->name, sub.msg);
	return 0;
}

static const struct vs_devlink_port *vf_port(const struct dl_pf *p, int index)
{
	for (size_t i = 0; i < p->nports; i++)
		if (p->ports[i].flavour == DEVLINK_PORT_FLAVOUR_PCI_VF && p->ports[i].vfnum == index)
			return &p->ports[i];
	return NULL;
}

static const struct vs_devlink_rate *leaf_of(const struct dl_pf *p, uint32_t port)
{
	for (size_t i = 0; i < p->nrates; i++)
		if (!p->rates[i].name[0] && p->rates[i].port == port)
			return &p->rates[i];
	return NULL;
}

static bool group_exists(const struct dl_pf *p, const char *name)
{
	for (size_t i = 0; i < p->nrates; i++)
		if (p->rates[i].name[0] && strcmp(p->rates[i].name, name) == 0)
			return true;
	return false;
}

static long long to_mbps(uint64_t bytes)
{
	return (long long)((bytes + VS_VFROUTE_BYTES_PER_MBIT / 2) / VS_VFROUTE_BYTES_PER_MBIT);
}

/* One VF's devlink request, and what it had (to roll back). */
struct dl_vf {
	const struct vs_devlink_port *port;
	const struct vs_devlink_rate *leaf;
	struct vs_vf_config want;     /* MAC, rates, rate group only */
	unsigned send;                /* VS_ATTR_* bits to send */
	unsigned sent;                /* ... and sent */
};

/* The devlink settings of one VF made ready: port and leaf found, a rate
 * alone completed from the leaf, a named group known to the PF. */
static int dl_vf_prepare(const struct vs_vfroute_pf *pf, const struct dl_pf *p, const struct vs_vf_config *c,
			 struct dl_vf *v, struct vs_error *err)
{
	struct vs_vf_config have;

	vs_vf_config_init(&v->want, c->index);
	for (int a = 0; a < VS_ATTR_MAX; a++)
		if ((DL_ATTRS & (1u << a)) && vs_vf_attr_present(c, a)) {
			struct vs_vf_config one = *c;

			for (int b = 0; b < VS_ATTR_MAX; b++)
				if (b != a)
					vs_vf_config_drop(&one, b);
			vs_vf_config_merge(&v->want, &one);
		}
	if (vs_vf_config_is_empty(&v->want))
		return 0;
	v->port = vf_port(p, c->index);
	if (!v->port)
		return vs_error_set(err, -ENODEV, "%s (%s, switchdev): VF %d has no devlink port", pf->ifname, p->name,
				    c->index);
	v->leaf = leaf_of(p, v->port->index);
	if (!v->leaf && (v->want.min_tx_rate >= 0 || v->want.max_tx_rate >= 0 || v->want.has_rate_group))
		return vs_error_set(err, -EOPNOTSUPP, "%s (%s, switchdev): VF %d (port %u) has no devlink rate leaf: "
				    "its driver does not do rates", pf->ifname, p->name, c->index, v->port->index);
	if (v->want.has_rate_group && v->want.rate_group[0] && !group_exists(p, v->want.rate_group))
		return vs_error_set(err, -ENOENT, "%s (%s): VF %d: rate-group %s: no such rate group on the PF "
				    "(declare [rate-group %s] in virt-sriov.conf and run virt-sriov apply)", pf->ifname,
				    p->name, c->index, v->want.rate_group, v->want.rate_group);
	vs_vf_config_init(&have, c->index);
	have.has_mac = v->port->has_hw_addr;
	memcpy(have.mac, v->port->hw_addr, 6);
	if (v->leaf) {
		have.max_tx_rate = to_mbps(v->leaf->tx_max);
		have.min_tx_rate = to_mbps(v->leaf->tx_share);
		have.has_rate_group = true;
		vs_strlcpy(have.rate_group, v->leaf->parent, sizeof(have.rate_group));
	}
	if (vs_vfctl_complete(pf->ifname, &v->want, &have, err) < 0)
		return -ENODATA;
	for (int a = 0; a < VS_ATTR_MAX; a++)
		if (vs_vf_attr_present(&v->want, a) && !vs_vf_attr_in_effect(&v->want, &have, a))
			v->send |= 1u << a;
	return 0;
}

static int send_mac(const struct dl_pf *p, const struct dl_vf *v, const unsigned char *mac, struct vs_error *err)
{
	return vs_devlink_port_set_hw_addr(p->dl, p->name, v->port->index, mac, err);
}

static int send_leaf(const struct dl_pf *p, const struct dl_vf *v, const struct vs_vf_config *c, unsigned bits,
		     struct vs_error *err)
{
	uint64_t mx = (uint64_t)c->max_tx_rate * VS_VFROUTE_BYTES_PER_MBIT;
	uint64_t mn = (uint64_t)c->min_tx_rate * VS_VFROUTE_BYTES_PER_MBIT;
	bool rate = bits & (1u << VS_ATTR_RATE), parent = bits & (1u << VS_ATTR_RATE_GROUP);

	if (!rate && !parent)
		return 0;
	return vs_devlink_rate_leaf_set(p->dl, p->name, v->port->index, rate ? &mx : NULL, rate ? &mn : NULL,
					parent ? c->rate_group : NULL, err);
}

/* Put back what was sent, from what the port and leaf had (exact: the
 * bytes/s as read, not through Mbit/s). */
static void dl_roll_back(const struct dl_pf *p, struct dl_vf *vs, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		struct dl_vf *v = &vs[i];
		bool rate = v->sent & (1u << VS_ATTR_RATE), parent = v->sent & (1u << VS_ATTR_RATE_GROUP);

		if ((rate || parent) && v->leaf)
			vs_devlink_rate_leaf_set(p->dl, p->name, v->port->index, rate ? &v->leaf->tx_max : NULL,
						 rate ? &v->leaf->tx_share : NULL, parent ? v->leaf->parent : NULL, NULL);
		/* a port that reported no hw_addr had none: zeros */
		if (v->sent & (1u << VS_ATTR_MAC))
			send_mac(p, v, v->port->has_hw_addr ? v->port->hw_addr : (const unsigned char[6]){ 0 }, NULL);
		v->sent = 0;
	}
}

/* devlink refused a VF's setting: roll back what was sent and say so. */
static int dl_refused(const struct vs_vfroute_pf *pf, const struct dl_pf *p, struct dl_vf *vs, size_t n, size_t i,
		      int attr, int code, const char *why, struct vs_vfctl_outcome *o, struct vs_error *err)
{
	const char *what = attr == VS_ATTR_MAC ? "port function hw_addr" : "rate leaf";
	char v[96];

	dl_roll_back(p, vs, n);
	/* read back in effect: none of it (rolled back) */
	o->read_back = true;
	o->error = code;
	o->refused_vf = vs[i].want.index;
	o->refused_setting = attr;
	o->refused = vs[i].want;
	vs_vf_attr_format(&vs[i].want, attr, v, sizeof(v));
	return vs_error_set(err, code, "%s (%s, switchdev): VF %d: %s %s: devlink refused the VF's %s (port %u): %s%s",
			    pf->ifname, p->name, vs[i].want.index, vs_vf_attr_name(attr), v, what, vs[i].port->index,
			    why, n > 1 || vs[i].sent ? "; nothing left changed" : "");
}

/* hw_addr first (the one a driver may not do at all), then the rate
 * leaves.  Reset: a driver without port function hw_addr keeps its MACs
 * (o->skipped). */
static int dl_send(const struct vs_vfroute_pf *pf, const struct dl_pf *p, struct dl_vf *vs, size_t n, bool reset,
		   struct vs_vfctl_outcome *o, struct vs_error *err)
{
	for (size_t i = 0; i < n; i++) {
		struct vs_error sub = { 0 };
		int r;

		if (!(vs[i].send & (1u << VS_ATTR_MAC)))
			continue;
		if (reset && (o->skipped & (1u << VS_ATTR_MAC)))
			r = -EOPNOTSUPP;
		else
			r = send_mac(p, &vs[i], vs[i].want.mac, &sub);
		if (r == -EOPNOTSUPP && reset) {
			o->skipped |= 1u << VS_ATTR_MAC;
			vs[i].send &= ~(1u << VS_ATTR_MAC);
			continue;
		}
		if (r < 0)
			return dl_refused(pf, p, vs, n, i, VS_ATTR_MAC, r, sub.msg, o, err);
		vs[i].sent |= 1u << VS_ATTR_MAC;
		o->requests++;
	}
	for (size_t i = 0; i < n; i++) {
		struct vs_error sub = { 0 };
		int r = send_leaf(p, &vs[i], &vs[i].want, vs[i].send, &sub);

		if (r < 0)
			return dl_refused(pf, p, vs, n, i, vs[i].send & (1u << VS_ATTR_RATE) ? VS_ATTR_RATE
							: VS_ATTR_RATE_GROUP, r, sub.msg, o, err);
		vs[i].sent |= vs[i].send & ((1u << VS_ATTR_RATE) | (1u << VS_ATTR_RATE_GROUP));
		o->requests += (vs[i].send & ((1u << VS_ATTR_RATE) | (1u << VS_ATTR_RATE_GROUP))) != 0;
	}
	return 0;
}

/* Reset in switchdev mode: no rate group either; what the driver does not
 * take in this mode is left as it is. */
static void reset_adjust(const struct vs_vfroute_pf *pf, struct vs_vf_config *c, struct vs_vfctl_outcome *o)
{
	const struct switchdev_driver *d = driver_rules(pf->driver);

	c->has_rate_group = true;
	c->rate_group[0] = '\0';
	if (vlan_refused(d, c) || (d && d->no_vlan && c->vlan_proto == ETH_P_8021AD)) {
		vs_vf_config_drop(c, VS_ATTR_VLAN);
		o->skipped |= 1u << VS_ATTR_VLAN;
	}
	if (d && d->no_spoofchk && c->spoofchk >= 0) {
		vs_vf_config_drop(c, VS_ATTR_SPOOFCHK);
		o->skipped |= 1u << VS_ATTR_SPOOFCHK;
	}
}

static int switchdev_prepare(const struct vs_vfroute_pf *pf, const struct dl_pf *p, struct vs_vf_config *cfgs,
			     size_t n, bool reset, struct dl_vf *vs, struct vs_vfctl_outcome *o, struct vs_error *err)
{
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++) {
		const struct vs_devlink_port *port = vf_port(p, cfgs[i].index);

		if (reset)
			reset_adjust(pf, &cfgs[i], o);
		else
			r = vs_vfroute_check(pf, VS_ESWITCH_SWITCHDEV, &cfgs[i], port ? port->netdev : NULL, err);
	}
	for (size_t i = 0; i < n && r == 0; i++)
		r = dl_vf_prepare(pf, p, &cfgs[i], &vs[i], err);
	return r;
}

static int switchdev_apply(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, struct vs_vf_config *cfgs, size_t n,
			   bool reset, struct vs_vfctl_outcome *o, struct vs_error *err)
{
	_cleanup_free_ struct dl_vf *vs = calloc(n ? n : 1, sizeof(*vs));
	_cleanup_free_ struct vs_vf_config *rt = calloc(n ? n : 1, sizeof(*rt));
	unsigned skipped = reset ? o->skipped : 0;
	struct dl_pf p = { 0 };
	int r;

	if (!vs || !rt || vs_vfctl_outcome_start(o, n) < 0)
		return vs_error_set(err, -ENOMEM, "%s: out of memory", pf->ifname);
	o->skipped = skipped;
	r = dl_pf_load(k, pf, &p, err);
	if (r == 0)
		r = switchdev_prepare(pf, &p, cfgs, n, reset, vs, o, err);
	for (size_t i = 0; i < n && r == 0; i++) {
		rt[i] = cfgs[i];
		for (int a = 0; a < VS_ATTR_MAX; a++)
			if (DL_ATTRS & (1u << a))
				vs_vf_config_drop(&rt[i], a);
	}
	if (r == 0)
		r = dl_send(pf, &p, vs, n, reset, o, err);
	if (r == 0) {
		size_t requests = o->requests; /* the executor counts its own from 0 */

		skipped = o->skipped;
		r = reset ? vs_vfctl_reset(k->nl, pf->ifname, rt, n, o, err)
			  : vs_vfctl_apply(k->nl, pf->ifname, rt, n, o, err);
		o->skipped |= skipped;
		o->requests += requests;
		if (r < 0)
			dl_roll_back(&p, vs, n);
	}
	for (size_t i = 0; i < n && r == 0 && i < o->n; i++) {
		unsigned present = 0;

		for (int a = 0; a < VS_ATTR_MAX; a++)
			if ((DL_ATTRS & (1u << a)) && vs_vf_attr_present(&vs[i].want, a))
				present |= 1u << a;
		o->in_effect[i] |= present;
		o->unchanged[i] |= present & ~vs[i].send;
	}
	dl_pf_free(&p);
	return r;
}

static int route(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, struct vs_vf_config *cfgs, size_t n,
		 bool reset, struct vs_vfctl_outcome *o, struct vs_error *err)
{
	int mode, r = vs_vfroute_mode(k, pf, &mode, err);

	if (r < 0)
		return r;
	if (mode == VS_ESWITCH_SWITCHDEV)
		return switchdev_apply(k, pf, cfgs, n, reset, o, err);
	for (size_t i = 0; i < n && !reset; i++)
		if ((r = vs_vfroute_check(pf, mode, &cfgs[i], NULL, err)) < 0)
			return r;
	return reset ? vs_vfctl_reset(k->nl, pf->ifname, cfgs, n, o, err)
		     : vs_vfctl_apply(k->nl, pf->ifname, cfgs, n, o, err);
}

int vs_vfroute_apply(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, struct vs_vf_config *cfgs, size_t n,
		     struct vs_vfctl_outcome *o, struct vs_error *err)
{
	return route(k, pf, cfgs, n, false, o, err);
}

int vs_vfroute_reset(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, struct vs_vf_config *cfgs, size_t n,
		     struct vs_vfctl_outcome *o, struct vs_error *err)
{
	return route(k, pf, cfgs, n, true, o, err);
}

int vs_vfroute_validate(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, const struct vs_vf_config *cfgs,
			size_t n, struct vs_error *err)
{
	int mode, r = vs_vfroute_mode(k, pf, &mode, err);

	for (size_t i = 0; i < n && r == 0; i++)
		r = vs_vfroute_check(pf, mode, &cfgs[i], NULL, err);
	return r;
}

/* ---- reading ---- */

static void overlay(const struct dl_pf *p, struct vs_vf_config *c)
{
	const struct vs_devlink_port *port = vf_port(p, c->index);
	const struct vs_devlink_rate *leaf = port ? leaf_of(p, port->index) : NULL;

	if (port && port->has_hw_addr) {
		c->has_mac = true;
		memcpy(c->mac, port->hw_addr, 6);
	}
	if (!leaf)
		return;
	c->max_tx_rate = to_mbps(leaf->tx_max);
	c->min_tx_rate = to_mbps(leaf->tx_share);
	c->has_rate_group = true;
	vs_strlcpy(c->rate_group, leaf->parent, sizeof(c->rate_group));
}

int vs_vfroute_read(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, struct vs_pf_vf_list *out,
		    struct vs_error *err)
{
	struct dl_pf p;
	int mode, r = vs_nl_get_vfs(k->nl, pf->ifname, out, err);

	if (r == 0)
		r = vs_vfroute_mode(k, pf, &mode, err);
	if (r < 0 || mode != VS_ESWITCH_SWITCHDEV)
		return r;
	r = dl_pf_load(k, pf, &p, err);
	for (size_t i = 0; r == 0 && i < out->n; i++)
		overlay(&p, &out->vfs[i]);
	dl_pf_free(&p);
	return r;
}

/* ---- rate groups ---- */

static const struct vs_devlink_rate *group_of(const struct dl_pf *p, const char *name)
{
	for (size_t i = 0; i < p->nrates; i++)
		if (p->rates[i].name[0] && strcmp(p->rates[i].name, name) == 0)
			return &p->rates[i];
	return NULL;
}

int vs_vfroute_group_ensure(struct vs_vfroute *k, const struct vs_vfroute_pf *pf, const char *name,
			    long long max_mbps, long long min_mbps, struct vs_error *err)
{
	uint64_t mx = max_mbps >= 0 ? (uint64_t)max_mbps * VS_VFROUTE_BYTES_PER_MBIT : 0;
	uint64_t mn = min_mbps >= 0 ? (uint64_t)min_mbps * VS_VFROUTE_BYTES_PER_MBIT : 0;
	const struct vs_devlink_rate *g;
	struct vs_error sub = { 0 };
	struct dl_pf p;
	int mode, r = vs_vfroute_mode(k, pf, &mode, err);

	if (r == 0 && mode != VS_ESWITCH_SWITCHDEV)
		return vs_error_set(err, -EOPNOTSUPP, "%s (%s) is in legacy mode: rate group %s needs switchdev mode "
				    "(virt-sriov eswitch %s switchdev)", pf->ifname, pf->address, name, pf->ifname);
	if (r == 0)
		r = dl_pf_load(k, pf, &p, err);
	if (r < 0)
		return r;
	g = group_of(&p, name);
	if (!g)
		r = vs_devlink_rate_group_new(p.dl, p.name, name, max_mbps >= 0 ? &mx : NULL, min_mbps >= 0 ? &mn : NULL,
					      &sub);
	else if ((max_mbps >= 0 && g->tx_max != mx) || (min_mbps >= 0 && g->tx_share != mn))
		r = vs_devlink_rate_group_set(p.dl, p.name, name, max_mbps >= 0 ? &mx : NULL, min_mbps >= 0 ? &mn : NULL,
					      &sub);
	dl_pf_free(&p);
	if (r < 0)
		return vs_error_set(err, r, "%s (%s): rate group %s: %s", pf->ifname, pf->address, name, sub.msg);
	return 0;
}
