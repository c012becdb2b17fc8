/* devlink over generic netlink: eswitch mode, ports (representors, port
 * function hw_addr/state), rate leaves and groups.
 *
 * Same shape as netlink.h: pure builders and parsers over bytes (tested
 * byte for byte against the real kernel's recorded replies), and the one
 * transport seam, struct vs_nl, here on a NETLINK_GENERIC socket.
 *
 * A device is named by its PCI address ("0000:03:00.0", bus "pci") or by a
 * devlink handle "BUS/NAME" ("netdevsim/netdevsim1"); messages name it as
 * devlink does, "pci/0000:03:00.0". */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlink.h"
#include "util.h"

struct vs_devlink;

/* Opens a NETLINK_GENERIC socket and resolves the "devlink" family;
 * -ENOENT when the kernel has no devlink. */
int vs_devlink_open(struct vs_devlink **out, struct vs_error *err);
/* Over a given seam (tests): the family is resolved through it; nl stays
 * the caller's (vs_devlink_close does not close it). */
int vs_devlink_open_nl(struct vs_devlink **out, struct vs_nl *nl, struct vs_error *err);
void vs_devlink_close(struct vs_devlink *dl);

enum vs_eswitch_mode { VS_ESWITCH_UNKNOWN = -1, VS_ESWITCH_LEGACY = 0, VS_ESWITCH_SWITCHDEV = 1 };
/* "legacy", "switchdev"; NULL for anything else. */
const char *vs_eswitch_mode_name(int mode);
/* The mode of a name, or VS_ESWITCH_UNKNOWN. */
int vs_eswitch_mode_parse(const char *name);

/* -EOPNOTSUPP / -ENODEV: the device has no devlink eswitch (igb: no devlink
 * instance at all, -ENODEV). */
int vs_devlink_eswitch_get(struct vs_devlink *dl, const char *pci_addr, int *mode, struct vs_error *err);
int vs_devlink_eswitch_set(struct vs_devlink *dl, const char *pci_addr, int mode, struct vs_error *err);

/* One devlink port.  -1 (and "" / has_hw_addr false): not reported.
 * flavour is DEVLINK_PORT_FLAVOUR_* (linux/devlink.h); state and opstate
 * DEVLINK_PORT_FN_STATE_* / DEVLINK_PORT_FN_OPSTATE_*. */
struct vs_devlink_port {
	uint32_t index;
	int flavour;
	int pfnum;
	int vfnum;
	char netdev[16];
	bool has_hw_addr;
	unsigned char hw_addr[6];
	int state;
	int opstate;
};
/* Every port of the device, in the kernel's order; *ports malloc'd. */
int vs_devlink_ports(struct vs_devlink *dl, const char *pci_addr, struct vs_devlink_port **ports, size_t *n,
		     struct vs_error *err);
int vs_devlink_port_set_hw_addr(struct vs_devlink *dl, const char *pci_addr, uint32_t port, const unsigned char mac[6],
				struct vs_error *err);
/* "physical", "pcipf", "pcivf", ... as iproute2's devlink; "" unknown. */
const char *vs_devlink_flavour_name(int flavour);

#define VS_DEVLINK_NAME_MAX 64
/* A rate object: a group (node) has a name, a leaf a port.  Rates are in
 * bytes per second, as the kernel keeps them; 0: no limit. */
struct vs_devlink_rate {
	char name[VS_DEVLINK_NAME_MAX];   /* group node; "" for a leaf */
	uint32_t port;                    /* leaf */
	uint64_t tx_max, tx_share;
	char parent[VS_DEVLINK_NAME_MAX]; /* "" none */
};
int vs_devlink_rates(struct vs_devlink *dl, const char *pci_addr, struct vs_devlink_rate **rates, size_t *n,
		     struct vs_error *err);
/* NULL rate: leave it as it is.  parent NULL: leave as is, "": none. */
int vs_devlink_rate_leaf_set(struct vs_devlink *dl, const char *pci_addr, uint32_t port, const uint64_t *tx_max,
			     const uint64_t *tx_share, const char *parent, struct vs_error *err);
int vs_devlink_rate_group_new(struct vs_devlink *dl, const char *pci_addr, const char *name, const uint64_t *tx_max,
			      const uint64_t *tx_share, struct vs_error *err);
/* A group's rates changed (NULL: left as is). */
int vs_devlink_rate_group_set(struct vs_devlink *dl, const char *pci_addr, const char *name, const uint64_t *tx_max,
			      const uint64_t *tx_share, struct vs_error *err);
int vs_devlink_rate_group_del(struct vs_devlink *dl, const char *pci_addr, const char *name, struct vs_error *err);

/* ---- pure builders and parsers (tests, and the fake devlink) ---- */

/* A devlink handle split: bus "pci" and the address, or BUS/NAME. */
struct vs_devlink_handle {
	char bus[32];
	char dev[64];
};
int vs_devlink_handle_parse(const char *name, struct vs_devlink_handle *h);

/* One request: what is set is sent, in the kernel's attribute order. */
struct vs_devlink_req {
	uint8_t cmd;                 /* DEVLINK_CMD_* */
	uint16_t flags;              /* NLM_F_* besides NLM_F_REQUEST */
	const struct vs_devlink_handle *handle;
	bool has_port;
	uint32_t port;
	int mode;                    /* eswitch mode; -1: not sent */
	bool has_hw_addr;
	unsigned char hw_addr[6];
	const uint64_t *tx_max, *tx_share;
	const char *node;            /* DEVLINK_ATTR_RATE_NODE_NAME */
	const char *parent;          /* DEVLINK_ATTR_RATE_PARENT_NODE_NAME; "" unsets */
};
/* CTRL_CMD_GETFAMILY for "devlink". */
int vs_devlink_build_getfamily(uint32_t seq, void **buf, size_t *len);
int vs_devlink_build(uint16_t family, const struct vs_devlink_req *req, uint32_t seq, void **buf, size_t *len);

/* The family id out of CTRL_CMD_NEWFAMILY. */
int vs_devlink_parse_family(const void *msg, size_t len, uint16_t *id);
/* Each parser reads one reply message; h gets the device it is about (a
 * dump of ports names every device's ports on kernels before 6.3). */
int vs_devlink_parse_eswitch(const void *msg, size_t len, struct vs_devlink_handle *h, int *mode);
int vs_devlink_parse_port(const void *msg, size_t len, struct vs_devlink_handle *h, struct vs_devlink_port *out);
int vs_devlink_parse_rate(const void *msg, size_t len, struct vs_devlink_handle *h, struct vs_devlink_rate *out);
