/* The tests' fake devlink, behind the same seam as the fake kernel (struct
 * vs_nl; open it with vs_devlink_open_nl(&dl, &fd.nl, ...)).  It answers as
 * net/devlink (6.1) and netdevsim/mlx5 do, decoding requests by hand (it
 * shares no code with src/lib/devlink.c):
 * - CTRL_CMD_GETFAMILY "devlink": the family id (0x15, as recorded);
 * - ESWITCH_GET/SET: per device; EOPNOTSUPP for a device without eswitch
 *   (mode -1), ENODEV for a device it does not have.  Leaving switchdev
 *   removes the rate groups and every leaf's rates and parent, as
 *   netdevsim does;
 * - PORT_GET (dump, every device, as 6.1): a device's ports; VF ports
 *   (fd_add_vfs) only in switchdev mode, as their representors;
 * - PORT_SET with a function hw_addr: set, or EOPNOTSUPP with netdevsim's
 *   extack text when the device has no_port_function;
 * - RATE_GET (dump): groups, newest first, then the leaves (VF ports in
 *   switchdev mode); RATE_SET of a leaf (port index) or a group (name):
 *   tx_share, tx_max, parent ("" unsets; an unknown one ENODEV);
 *   RATE_NEW (EEXIST when it exists); RATE_DEL (EBUSY while a leaf has
 *   it as parent, ENODEV when unknown). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlink.h"

#define FD_FAMILY 0x15
#define FD_MAX_DEVS 4
#define FD_MAX_PORTS 300
#define FD_MAX_GROUPS 8
#define FD_MAX_REQ 64
#define FD_NAME_MAX 64

struct fd_port {
	uint32_t index;
	int flavour, pfnum, vfnum;   /* -1: not reported */
	char netdev[16];             /* "" none */
	bool vf;                     /* exists in switchdev mode only */
	bool has_fn;                 /* reports a port function */
	bool has_hw_addr;
	unsigned char hw_addr[6];
	int state, opstate;          /* -1: not reported */
	uint64_t tx_max, tx_share;   /* its rate leaf (VF ports) */
	char parent[FD_NAME_MAX];
};

struct fd_group {
	char name[FD_NAME_MAX];
	uint64_t tx_max, tx_share;
};

struct fd_dev {
	char bus[32], dev[64];
	int mode;                    /* VS_ESWITCH_*; -1: no eswitch ops */
	bool no_port_function;       /* netdevsim: port function set refused */
	int refuse_mode;             /* nonzero: ESWITCH_SET answers it */
	const char *refuse_mode_extack;
	struct fd_port ports[FD_MAX_PORTS];
	size_t nports;
	struct fd_group groups[FD_MAX_GROUPS];
	size_t ngroups;
};

struct fake_devlink {
	struct vs_nl nl;
	struct fd_dev devs[FD_MAX_DEVS];
	size_t ndev;
	/* what was asked: the DEVLINK_CMD_* of each request (family lookups
	 * not counted) */
	uint8_t cmds[FD_MAX_REQ];
	size_t nreq;
	unsigned char *reply;
	size_t reply_len;
};

void fd_init(struct fake_devlink *f);
void fd_free(struct fake_devlink *f);
/* A device by PCI address or BUS/NAME, in eswitch mode (-1: none). */
struct fd_dev *fd_add_dev(struct fake_devlink *f, const char *name, int mode);
struct fd_dev *fd_find_dev(struct fake_devlink *f, const char *name);
/* The uplink: port 0, flavour physical, netdev. */
struct fd_port *fd_add_uplink(struct fd_dev *d, const char *netdev);
/* nvfs VF ports of PF pfnum, indexes base+N, representors PREFIX + N
 * ("eth" -> eth1.. as netdevsim: "%s%d" of first_netdev + N; NULL: none);
 * with_fn: each reports a port function (mlx5) with a zero MAC, active,
 * attached. */
void fd_add_vfs(struct fd_dev *d, int pfnum, int nvfs, uint32_t base, const char *prefix, int first_netdev,
		bool with_fn);
struct fd_port *fd_find_port(struct fd_dev *d, uint32_t index);
struct fd_group *fd_find_group(struct fd_dev *d, const char *name);
/* How many requests of DEVLINK_CMD_cmd were sent. */
size_t fd_count(const struct fake_devlink *f, uint8_t cmd);
