/* RFC 7047 JSON-RPC to ovsdb-server: see ovsdb.h.  The operations are what
 * ovs-vsctl add-port / del-port send, less its bookkeeping (next_cfg):
 * ovs-vswitchd follows the database whichever client changed it. */
#include "config.h"

#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "ovsdb.h"

#define DB_NAME "Open_vSwitch"
#define OVSDB_MSG_MAX (4 << 20)

/* ---- building the operations (json-c objects, never strings) ---- */

static json_object *arr(int n, ...)
{
	json_object *a = json_object_new_array();
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		json_object_array_add(a, va_arg(ap, json_object *));
	va_end(ap);
	return a;
}

static json_object *str(const char *s) { return json_object_new_string(s); }

/* [[column, "==", value]] */
static json_object *where_eq(const char *column, json_object *value)
{
	return arr(1, arr(3, str(column), str("=="), value));
}

static json_object *op(const char *name, const char *table)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "op", str(name));
	json_object_object_add(o, "table", str(table));
	return o;
}

static json_object *select_op(const char *table, json_object *where, const char *column)
{
	json_object *o = op("select", table);

	json_object_object_add(o, "where", where);
	json_object_object_add(o, "columns", arr(1, str(column)));
	return o;
}

/* A transaction's params: the database's name, then its operations. */
static json_object *params(int n, ...)
{
	json_object *a = arr(1, str(DB_NAME));
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		json_object_array_add(a, va_arg(ap, json_object *));
	va_end(ap);
	return a;
}

json_object *vs_ovsdb_op_find_port(const char *port)
{
	return params(1, select_op("Port", where_eq("name", str(port)), "_uuid"));
}

json_object *vs_ovsdb_op_port_bridge(const char *port_uuid)
{
	json_object *w = arr(1, arr(3, str("ports"), str("includes"), arr(2, str("uuid"), str(port_uuid))));

	return params(1, select_op("Bridge", w, "name"));
}

/* The bridge must exist: a "wait" that fails the whole transaction at
 * once, rather than Port and Interface rows nobody refers to. */
static json_object *wait_bridge(const char *bridge)
{
	json_object *o = op("wait", "Bridge"), *row = json_object_new_object();

	json_object_object_add(o, "timeout", json_object_new_int(0));
	json_object_object_add(o, "where", where_eq("name", str(bridge)));
	json_object_object_add(o, "columns", arr(1, str("name")));
	json_object_object_add(o, "until", str("=="));
	json_object_object_add(row, "name", str(bridge));
	json_object_object_add(o, "rows", arr(1, row));
	return o;
}

static json_object *insert_op(const char *table, json_object *row, const char *uuid_name)
{
	json_object *o = op("insert", table);

	json_object_object_add(o, "row", row);
	json_object_object_add(o, "uuid-name", str(uuid_name));
	return o;
}

static json_object *mutate_ports(const char *bridge, const char *mutator, json_object *ref)
{
	json_object *o = op("mutate", "Bridge");

	json_object_object_add(o, "where", where_eq("name", str(bridge)));
	json_object_object_add(o, "mutations", arr(1, arr(3, str("ports"), str(mutator), arr(2, str("set"), arr(1, ref)))));
	return o;
}

static json_object *comment(const char *verb, const char *bridge, const char *port)
{
	json_object *o = json_object_new_object();
	char text[128];

	snprintf(text, sizeof(text), "virt-sriov: %s port %s %s bridge %s", verb, port,
		 strcmp(verb, "add") ? "from" : "to", bridge);
	json_object_object_add(o, "op", str("comment"));
	json_object_object_add(o, "comment", str(text));
	return o;
}

json_object *vs_ovsdb_op_add_port(const char *bridge, const char *port)
{
	json_object *iface = json_object_new_object(), *p = json_object_new_object();

	json_object_object_add(iface, "name", str(port));
	json_object_object_add(p, "name", str(port));
	json_object_object_add(p, "interfaces", arr(2, str("named-uuid"), str("iface")));
	return params(5, wait_bridge(bridge), insert_op("Interface", iface, "iface"), insert_op("Port", p, "port"),
		      mutate_ports(bridge, "insert", arr(2, str("named-uuid"), str("port"))),
		      comment("add", bridge, port));
}

json_object *vs_ovsdb_op_del_port(const char *bridge, const char *port, const char *port_uuid)
{
	return params(2, mutate_ports(bridge, "delete", arr(2, str("uuid"), str(port_uuid))),
		      comment("remove", bridge, port));
}

json_object *vs_ovsdb_op_hw_offload(void)
{
	return params(1, select_op(DB_NAME, json_object_new_array(), "other_config"));
}

/* ---- the connection ---- */

const char *vs_ovsdb_sock(void)
{
	const char *p = getenv("VIRT_SRIOV_OVSDB_SOCK");

	return p && *p ? p : VS_OVSDB_DEFAULT_SOCK;
}

void vs_ovsdb_from_fd(struct vs_ovsdb *db, int fd, int timeout_ms, const char *where)
{
	memset(db, 0, sizeof(*db));
	db->fd = fd;
	db->timeout_ms = timeout_ms > 0 ? timeout_ms : VS_OVSDB_TIMEOUT_MS;
	snprintf(db->where, sizeof(db->where), "%s", where ? where : "ovsdb");
}

int vs_ovsdb_connect(struct vs_ovsdb *db, const char *path, int timeout_ms, struct vs_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r;

	path = path ? path : vs_ovsdb_sock();
	vs_ovsdb_from_fd(db, -1, timeout_ms, path);
	if (strlen(path) >= sizeof(sa.sun_path))
		return vs_error_set(err, -ENAMETOOLONG, "ovsdb socket %s: path too long", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vs_error_set(err, -errno, "ovsdb socket %s: %s", path, strerror(errno));
	/* a local connect does not wait: refused or accepted at once */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		return vs_error_set(err, r, "ovsdb socket %s: %s (is ovsdb-server running?)", path, strerror(-r));
	}
	db->fd = fd;
	return 0;
}

void vs_ovsdb_close(struct vs_ovsdb *db)
{
	if (db->fd >= 0)
		close(db->fd);
	free(db->buf);
	db->fd = -1;
	db->buf = NULL;
	db->len = 0;
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (deadline->tv_sec - t.tv_sec) * 1000 + (deadline->tv_nsec - t.tv_nsec) / 1000000;
}

static int send_msg(struct vs_ovsdb *db, json_object *msg)
{
	const char *text = json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN);

	return text ? vs_write_all(db->fd, text, strlen(text)) : -ENOMEM;
}

/* One whole JSON value from what was read so far; 0 when more is needed. */
static int take_value(struct vs_ovsdb *db, json_object **out)
{
	json_tokener *tok = json_tokener_new();
	json_object *v;
	size_t used;

	if (!tok)
		return -ENOMEM;
	v = json_tokener_parse_ex(tok, db->buf, (int)db->len);
	if (!v && json_tokener_get_error(tok) != json_tokener_continue) {
		json_tokener_free(tok);
		return -EBADMSG;
	}
	used = v ? json_tokener_get_parse_end(tok) : 0;
	json_tokener_free(tok);
	if (!v)
		return 0;
	memmove(db->buf, db->buf + used, db->len - used);
	db->len -= used;
	*out = v;
	return 1;
}

static int read_value(struct vs_ovsdb *db, const struct timespec *deadline, json_object **out)
{
	char chunk[4096];
	struct pollfd p = { .fd = db->fd, .events = POLLIN };
	ssize_t n;
	int r;

	for (;;) {
		if (db->len && (r = take_value(db, out)) != 0)
			return r < 0 ? r : 0;
		if (ms_left(deadline) <= 0 || (r = poll(&p, 1, (int)ms_left(deadline))) == 0)
			return -ETIMEDOUT;
		if (r < 0 && errno != EINTR)
			return -errno;
		n = r < 0 ? 0 : read(db->fd, chunk, sizeof(chunk));
		if (r > 0 && n == 0)
			return -ECONNRESET;
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return -errno;
		if (n <= 0)
			continue;
		if (db->len + (size_t)n > OVSDB_MSG_MAX)
			return -EFBIG;
		char *nb = realloc(db->buf, db->len + (size_t)n + 1);
		if (!nb)
			return -ENOMEM;
		db->buf = nb;
		memcpy(db->buf + db->len, chunk, (size_t)n);
		db->len += (size_t)n;
	}
}

/* The server may ask "echo" (its keepalive) while we wait: answered. */
static int answer_echo(struct vs_ovsdb *db, json_object *msg)
{
	json_object *m, *reply = json_object_new_object();
	int r;

	json_object_object_add(reply, "id", json_object_get(json_object_object_get(msg, "id")));
	json_object_object_add(reply, "result", json_object_get(json_object_object_get(msg, "params")));
	json_object_object_add(reply, "error", NULL);
	r = json_object_object_get_ex(msg, "method", &m) && !strcmp(json_object_get_string(m), "echo") ?
		send_msg(db, reply) : 0;
	json_object_put(reply);
	return r;
}

/* One request, its answer's "result" into *result (NULL on the
 * database's "error", whose text goes to why). */
static int call(struct vs_ovsdb *db, const char *method, json_object *prm, json_object **result, char *why,
		size_t why_len)
{
	json_object *req = json_object_new_object(), *msg = NULL, *id, *e;
	struct timespec deadline;
	int r;

	*result = NULL;
	why[0] = '\0';
	json_object_object_add(req, "method", str(method));
	json_object_object_add(req, "params", prm);
	json_object_object_add(req, "id", json_object_new_int((int)++db->id));
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += db->timeout_ms / 1000;
	deadline.tv_nsec += (long)(db->timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	r = send_msg(db, req);
	json_object_put(req);
	while (r == 0 && (r = read_value(db, &deadline, &msg)) == 0) {
		if (json_object_object_get_ex(msg, "id", &id) && json_object_is_type(id, json_type_int) &&
		    (unsigned)json_object_get_int(id) == db->id && !json_object_object_get_ex(msg, "method", NULL))
			break;
		r = answer_echo(db, msg);
		json_object_put(msg);
		msg = NULL;
	}
	if (r < 0)
		return r;
	if (json_object_object_get_ex(msg, "error", &e) && e) {
		snprintf(why, why_len, "%s", json_object_get_string(e));
		r = -EIO;
	} else if (!json_object_object_get_ex(msg, "result", result)) {
		r = -EBADMSG;
	}
	if (*result)
		json_object_get(*result);
	json_object_put(msg);
	return r;
}

/* A transaction's answer: one result per operation; a failed operation
 * has "error" (and "details").  Returns the index of the first failed
 * operation's result in *failed (-1: all done). */
static int transact(struct vs_ovsdb *db, json_object *prm, json_object **results, int *failed, char *why,
		    size_t why_len)
{
	int r = call(db, "transact", prm, results, why, why_len);
	size_t n;

	*failed = -1;
	if (r < 0)
		return r;
	if (!json_object_is_type(*results, json_type_array)) {
		json_object_put(*results);
		*results = NULL;
		return -EBADMSG;
	}
	n = json_object_array_length(*results);
	for (size_t i = 0; i < n; i++) {
		json_object *res = json_object_array_get_idx(*results, i), *e, *d;

		if (!res || !json_object_object_get_ex(res, "error", &e) || !e)
			continue;
		snprintf(why, why_len, "%s%s%s", json_object_get_string(e),
			 json_object_object_get_ex(res, "details", &d) && d ? ": " : "",
			 json_object_object_get_ex(res, "details", &d) && d ? json_object_get_string(d) : "");
		*failed = (int)i;
		return -EIO;
	}
	return 0;
}

/* The "rows" of operation i's result. */
static json_object *rows_of(json_object *results, size_t i)
{
	json_object *rows;

	if (!json_object_object_get_ex(json_object_array_get_idx(results, i), "rows", &rows) ||
	    !json_object_is_type(rows, json_type_array))
		return NULL;
	return rows;
}

/* A column's value in the first row: its string and, for ["uuid", U], U. */
static const char *first_row(json_object *results, const char *column)
{
	json_object *rows = rows_of(results, 0), *v;

	if (!rows || json_object_array_length(rows) == 0 ||
	    !json_object_object_get_ex(json_object_array_get_idx(rows, 0), column, &v))
		return NULL;
	if (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 2)
		v = json_object_array_get_idx(v, 1);
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static int db_error(struct vs_error *err, int r, const struct vs_ovsdb *db, const char *bridge, const char *port,
		const char *what, const char *why)
{
	return vs_error_set(err, r, "ovsdb %s: bridge %s, port %s: %s: %s", db->where, bridge, port, what,
			    why[0] ? why : strerror(-r));
}

/* The bridge that holds `port`: 1 with its name, 0 when no Port of that
 * name exists; uuid gets the Port's row. */
static int port_bridge(struct vs_ovsdb *db, const char *port, char uuid[64], char *bridge, size_t len, char *why,
		       size_t why_len)
{
	json_object *res = NULL;
	const char *v;
	int failed, r = transact(db, vs_ovsdb_op_find_port(port), &res, &failed, why, why_len);

	if (r == 0 && !(v = first_row(res, "_uuid")))
		r = 1;
	else if (r == 0)
		snprintf(uuid, 64, "%s", v);
	json_object_put(res);
	if (r != 0)
		return r < 0 ? r : 0;
	r = transact(db, vs_ovsdb_op_port_bridge(uuid), &res, &failed, why, why_len);
	bridge[0] = '\0';
	if (r == 0 && (v = first_row(res, "name")))
		snprintf(bridge, len, "%s", v);
	json_object_put(res);
	return r < 0 ? r : 1;
}

int vs_ovsdb_add_port(struct vs_ovsdb *db, const char *bridge, const char *port, struct vs_error *err)
{
	char uuid[64], in[64], why[512];
	json_object *res = NULL;
	int failed, r = port_bridge(db, port, uuid, in, sizeof(in), why, sizeof(why));

	if (r < 0)
		return db_error(err, r, db, bridge, port, "cannot look the port up", why);
	if (r == 1 && strcmp(in, bridge) == 0)
		return 0;
	if (r == 1)
		return vs_error_set(err, -EEXIST, "ovsdb %s: port %s is in bridge %s already, not in %s", db->where, port,
				    in[0] ? in : "(none)", bridge);
	r = transact(db, vs_ovsdb_op_add_port(bridge, port), &res, &failed, why, sizeof(why));
	json_object_put(res);
	/* operation 0 is the wait for the bridge */
	if (r < 0 && failed == 0)
		return vs_error_set(err, -ENODEV, "ovsdb %s: bridge %s does not exist (port %s not added)", db->where,
				    bridge, port);
	return r < 0 ? db_error(err, r, db, bridge, port, "cannot add the port", why) : 0;
}

int vs_ovsdb_del_port(struct vs_ovsdb *db, const char *bridge, const char *port, struct vs_error *err)
{
	char uuid[64], in[64], why[512];
	json_object *res = NULL, *count;
	int failed, r = port_bridge(db, port, uuid, in, sizeof(in), why, sizeof(why));

	if (r < 0)
		return db_error(err, r, db, bridge, port, "cannot look the port up", why);
	if (r == 0 || strcmp(in, bridge) != 0)
		return vs_error_set(err, -ENOENT, "ovsdb %s: bridge %s has no port %s%s%s", db->where, bridge, port,
				    r == 1 && in[0] ? ": it is in bridge " : "", r == 1 ? in : "");
	r = transact(db, vs_ovsdb_op_del_port(bridge, port, uuid), &res, &failed, why, sizeof(why));
	if (r == 0 && (!json_object_object_get_ex(json_object_array_get_idx(res, 0), "count", &count) ||
		       json_object_get_int(count) != 1))
		r = vs_error_set(err, -ENOENT, "ovsdb %s: bridge %s: port %s was gone before it was removed", db->where,
				 bridge, port);
	json_object_put(res);
	return r < 0 ? db_error(err, r, db, bridge, port, "cannot remove the port", why) : 0;
}

int vs_ovsdb_hw_offload(struct vs_ovsdb *db, bool *on, struct vs_error *err)
{
	json_object *res = NULL, *rows, *cfg, *pairs;
	char why[512];
	int failed, r = transact(db, vs_ovsdb_op_hw_offload(), &res, &failed, why, sizeof(why));

	*on = false;
	if (r < 0)
		return vs_error_set(err, r, "ovsdb %s: cannot read other_config:hw-offload: %s", db->where,
				    why[0] ? why : strerror(-r));
	/* ["map", [[key, value], ...]] */
	rows = rows_of(res, 0);
	if (rows && json_object_array_length(rows) > 0 &&
	    json_object_object_get_ex(json_object_array_get_idx(rows, 0), "other_config", &cfg) &&
	    json_object_is_type(cfg, json_type_array) && (pairs = json_object_array_get_idx(cfg, 1)) &&
	    json_object_is_type(pairs, json_type_array))
		for (size_t i = 0; i < json_object_array_length(pairs); i++) {
			json_object *kv = json_object_array_get_idx(pairs, i);

			if (json_object_is_type(kv, json_type_array) && json_object_array_length(kv) == 2 &&
			    !strcmp(json_object_get_string(json_object_array_get_idx(kv, 0)), "hw-offload"))
				*on = !strcmp(json_object_get_string(json_object_array_get_idx(kv, 1)), "true");
		}
	json_object_put(res);
	return 0;
}
