/* A small Open vSwitch database client: RFC 7047 JSON-RPC over ovsdb-server's
 * unix socket, with json-c (no ovs-vsctl is run).  Enough for a VF's
 * representor: add a port to a bridge, take it out, read whether hardware
 * offload is on.  Every exchange is bounded (the socket's timeout), and
 * errors name the bridge, the port and the database's own error text. */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define VS_OVSDB_DEFAULT_SOCK "/run/openvswitch/db.sock"
#define VS_OVSDB_TIMEOUT_MS 2000

struct vs_ovsdb {
	int fd;
	int timeout_ms;
	unsigned id;                  /* of the last request */
	char *buf;                    /* bytes read past the last answer */
	size_t len;
	char where[128];              /* the socket, for messages */
};

/* $VIRT_SRIOV_OVSDB_SOCK, else VS_OVSDB_DEFAULT_SOCK. */
const char *vs_ovsdb_sock(void);
/* Connect to a unix socket (path NULL: vs_ovsdb_sock()).  timeout_ms 0:
 * VS_OVSDB_TIMEOUT_MS.  -ENOENT/-ECONNREFUSED name the socket. */
int vs_ovsdb_connect(struct vs_ovsdb *db, const char *path, int timeout_ms, struct vs_error *err);
/* Talk over an fd already connected (tests: one end of a socketpair). */
void vs_ovsdb_from_fd(struct vs_ovsdb *db, int fd, int timeout_ms, const char *where);
void vs_ovsdb_close(struct vs_ovsdb *db);

/* Add port `port` (one Interface of the same name) to `bridge`.  0 also
 * when it is there already; -ENODEV when the bridge does not exist;
 * -EEXIST when the port is in another bridge (err names it). */
int vs_ovsdb_add_port(struct vs_ovsdb *db, const char *bridge, const char *port, struct vs_error *err);
/* Take `port` out of `bridge` (its rows go with it).  -ENOENT when the
 * bridge holds no such port. */
int vs_ovsdb_del_port(struct vs_ovsdb *db, const char *bridge, const char *port, struct vs_error *err);
/* Open_vSwitch other_config:hw-offload is "true". */
int vs_ovsdb_hw_offload(struct vs_ovsdb *db, bool *on, struct vs_error *err);

/* Pure builders of the "transact" params (the array after the method),
 * for the byte-free tests: each returns a new json array. */
json_object *vs_ovsdb_op_find_port(const char *port);
json_object *vs_ovsdb_op_port_bridge(const char *port_uuid);
json_object *vs_ovsdb_op_add_port(const char *bridge, const char *port);
json_object *vs_ovsdb_op_del_port(const char *bridge, const char *port, const char *port_uuid);
json_object *vs_ovsdb_op_hw_offload(void);
