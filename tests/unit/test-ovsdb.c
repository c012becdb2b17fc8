/* The ovsdb client against a fake server on a socketpair: the answers are
 * queued on the server's end before the call, and the requests read back
 * from it afterwards and compared as JSON (not as bytes) to what RFC 7047
 * and ovs-vsctl's transactions look like. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "ovsdb.h"

struct fake { int server; struct vs_ovsdb db; };

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	int sv[2];

	if (!f || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	f->server = sv[0];
	vs_ovsdb_from_fd(&f->db, sv[1], 300, "fake.sock");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	vs_ovsdb_close(&f->db);
	close(f->server);
	free(f);
	return 0;
}

/* Queue an answer (JSON text) on the server's end. */
static void answer(struct fake *f, const char *json)
{
	assert_int_equal(vs_write_all(f->server, json, strlen(json)), 0);
}

/* Every request the client sent, in order, as one JSON array. */
static json_object *requests(struct fake *f)
{
	char buf[65536];
	ssize_t n = recv(f->server, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	json_tokener *tok = json_tokener_new();
	json_object *all = json_object_new_array(), *v;
	const char *p = buf;

	assert_true(n > 0);
	buf[n] = '\0';
	while (*p && (v = json_tokener_parse_ex(tok, p, (int)strlen(p)))) {
		json_object_array_add(all, v);
		p += json_tokener_get_parse_end(tok);
		json_tokener_reset(tok);
	}
	json_tokener_free(tok);
	return all;
}

static void assert_json(json_object *got, const char *want_text)
{
	json_object *want = json_tokener_parse(want_text);

	assert_non_null(want);
	if (!json_object_equal(got, want)) {
		print_error("got  %s\nwant %s\n", json_object_to_json_string(got), json_object_to_json_string(want));
		fail();
	}
	json_object_put(want);
}

#define FIND_PORT(id, port) \
	"{\"method\":\"transact\",\"id\":" #id ",\"params\":[\"Open_vSwitch\",{\"op\":\"select\",\"table\":\"Port\"," \
	"\"where\":[[\"name\",\"==\",\"" port "\"]],\"columns\":[\"_uuid\"]}]}"
#define ADD_PORT(id, br, port) \
	"{\"method\":\"transact\",\"id\":" #id ",\"params\":[\"Open_vSwitch\"," \
	"{\"op\":\"wait\",\"table\":\"Bridge\",\"timeout\":0,\"where\":[[\"name\",\"==\",\"" br "\"]]," \
	"\"columns\":[\"name\"],\"until\":\"==\",\"rows\":[{\"name\":\"" br "\"}]}," \
	"{\"op\":\"insert\",\"table\":\"Interface\",\"row\":{\"name\":\"" port "\"},\"uuid-name\":\"iface\"}," \
	"{\"op\":\"insert\",\"table\":\"Port\",\"row\":{\"name\":\"" port "\",\"interfaces\":[\"named-uuid\",\"iface\"]}," \
	"\"uuid-name\":\"port\"}," \
	"{\"op\":\"mutate\",\"table\":\"Bridge\",\"where\":[[\"name\",\"==\",\"" br "\"]]," \
	"\"mutations\":[[\"ports\",\"insert\",[\"set\",[[\"named-uuid\",\"port\"]]]]]}," \
	"{\"op\":\"comment\",\"comment\":\"virt-sriov: add port " port " to bridge " br "\"}]}"
#define U1 "6f1c0a6e-4b1f-4e55-9e51-111111111111"

static void test_add_port(void **state)
{
	struct fake *f = *state;
	struct vs_error err = { 0 };
	json_object *reqs;

	answer(f, "{\"id\":1,\"result\":[{\"rows\":[]}],\"error\":null}");
	/* a keepalive before the answer is answered, not taken for it */
	answer(f, "{\"id\":\"echo\",\"method\":\"echo\",\"params\":[]}");
	answer(f, "{\"id\":2,\"error\":null,\"result\":[{},{\"uuid\":[\"uuid\",\"" U1 "\"]},{\"uuid\":[\"uuid\",\"x\"]},"
		  "{\"count\":1},{}]}\n");
	assert_int_equal(vs_ovsdb_add_port(&f->db, "br-int", "eni1npf0vf0", &err), 0);
	reqs = requests(f);
	assert_int_equal(json_object_array_length(reqs), 3);
	assert_json(json_object_array_get_idx(reqs, 0), FIND_PORT(1, "eni1npf0vf0"));
	assert_json(json_object_array_get_idx(reqs, 1), ADD_PORT(2, "br-int", "eni1npf0vf0"));
	assert_json(json_object_array_get_idx(reqs, 2), "{\"id\":\"echo\",\"result\":[],\"error\":null}");
	json_object_put(reqs);
}

static void test_add_port_no_bridge(void **state)
{
	struct fake *f = *state;
	struct vs_error err = { 0 };

	answer(f, "{\"id\":1,\"result\":[{\"rows\":[]}],\"error\":null}");
	answer(f, "{\"id\":2,\"error\":null,\"result\":[{\"error\":\"timed out\",\"details\":\"\\\"wait\\\" timed out\"},"
		  "null,null,null,null]}");
	assert_int_equal(vs_ovsdb_add_port(&f->db, "br-nope", "rep0", &err), -ENODEV);
	assert_non_null(strstr(err.msg, "bridge br-nope does not exist"));
	assert_non_null(strstr(err.msg, "rep0"));
	json_object_put(requests(f));
}

static void test_add_port_refused(void **state)
{
	struct fake *f = *state;
	struct vs_error err = { 0 };

	answer(f, "{\"id\":1,\"result\":[{\"rows\":[]}],\"error\":null}");
	answer(f, "{\"id\":2,\"error\":null,\"result\":[{},{},{},{},{},{\"error\":\"constraint violation\","
		  "\"details\":\"Transaction causes multiple rows in \\\"Port\\\" table to have identical values\"}]}");
	assert_int_equal(vs_ovsdb_add_port(&f->db, "br0", "rep0", &err), -EIO);
	assert_non_null(strstr(err.msg, "bridge br0, port rep0"));
	assert_non_null(strstr(err.msg, "constraint violation: Transaction causes"));
	json_object_put(requests(f));
}

static void test_add_port_elsewhere(void **state)
{
	struct fake *f = *state;
	struct vs_error err = { 0 };

	answer(f, "{\"id\":1,\"result\":[{\"rows\":[{\"_uuid\":[\"uuid\",\"" U1 "\"]}]}],\"error\":null}");
	answer(f, "{\"id\":2,\"result\":[{\"rows\":[{\"name\":\"br-ex\"}]}],\"error\":null}");
	assert_int_equal(vs_ovsdb_add_port(&f->db, "br-int", "rep0", &err), -EEXIST);
	assert_non_null(strstr(err.msg, "port rep0 is in bridge br-ex already, not in br-int"));
	json_object_put(requests(f));
	/* in the bridge asked for: done, nothing added */
	answer(f, "{\"id\":3,\"result\":[{\"rows\":[{\"_uuid\":[\"uuid\",\"" U1 "\"]}]}],\"error\":null}");
	answer(f, "{\"id\":4,\"result\":[{\"rows\":[{\"name\":\"br-int\"}]}],\"error\":null}");
	assert_int_equal(vs_ovsdb_add_port(&f->db, "br-int", "rep0", &err), 0);
	json_object *reqs = requests(f);
	assert_int_equal(json_object_array_length(reqs), 2);
	assert_json(json_object_array_get_idx(reqs, 1),
		    "{\"method\":\"transact\",\"id\":4,\"params\":[\"Open_vSwitch\",{\"op\":\"select\",\"table\":\"Bridge\","
		    "\"where\":[[\"ports\",\"includes\",[\"uuid\",\"" U1 "\"]]],\"columns\":[\"name\"]}]}");
	json_object_put(reqs);
}

static void test_del_port(void **state)
{
	struct fake *f = *state;
	struct vs_error err = { 0 };
	json_object *reqs;

	answer(f, "{\"id\":1,\"result\":[{\"rows\":[{\"_uuid\":[\"uuid\",\"" U1 "\"]}]}],\"error\":null}");
	answer(f, "{\"id\":2,\"result\":[{\"rows\":[{\"name\":\"br0\"}]}],\"error\":null}");
	answer(f, "{\"id\":3,\"result\":[{\"count\":1},{}],\"error\":null}");
	assert_int_equal(vs_ovsdb_del_port(&f->db, "br0", "rep0", &err), 0);
	reqs = requests(f);
	assert_int_equal(json_object_array_length(reqs), 3);
	assert_json(json_object_array_get_idx(reqs, 2),
		    "{\"method\":\"transact\",\"id\":3,\"params\":[\"Open_vSwitch\",{\"op\":\"mutate\",\"table\":\"Bridge\","
		    "\"where\":[[\"name\",\"==\",\"br0\"]],\"mutations\":[[\"ports\",\"delete\",[\"set\",[[\"uuid\",\"" U1 "\"]]]]]},"
		    "{\"op\":\"comment\",\"comment\":\"virt-sriov: remove port rep0 from bridge br0\"}]}");
	json_object_put(reqs);
	/* gone already: -ENOENT, named */
	answer(f, "{\"id\":4,\"result\":[{\"rows\":[]}],\"error\":null}");
	assert_int_equal(vs_ovsdb_del_port(&f->db, "br0", "rep0", &err), -ENOENT);
	json_object_put(requests(f));
}

static void test_hw_offload(void **state)
{
	struct fake *f = *state;
	struct vs_error err = { 0 };
	json_object *reqs;
	bool on = true;

	answer(f, "{\"id\":1,\"result\":[{\"rows\":[{\"other_config\":[\"map\",[]]}]}],\"error\":null}");
	assert_int_equal(vs_ovsdb_hw_offload(&f->db, &on, &err), 0);
	assert_false(on);
	reqs = requests(f);
	assert_json(json_object_array_get_idx(reqs, 0),
		    "{\"method\":\"transact\",\"id\":1,\"params\":[\"Open_vSwitch\",{\"op\":\"select\",\"table\":"
		    "\"Open_vSwitch\",\"where\":[],\"columns\":[\"other_config\"]}]}");
	json_object_put(reqs);
	answer(f, "{\"id\":2,\"result\":[{\"rows\":[{\"other_config\":[\"map\",[[\"a\",\"b\"],[\"hw-offload\",\"true\"]]]}]}],"
		  "\"error\":null}");
	assert_int_equal(vs_ovsdb_hw_offload(&f->db, &on, &err), 0);
	assert_true(on);
	json_object_put(requests(f));
}

/* A server that says nothing: the call ends at the timeout, and says so. */
static void test_timeout(void **state)
{
	struct fake *f = *state;
	struct vs_error err = { 0 };
	bool on;

	assert_int_equal(vs_ovsdb_hw_offload(&f->db, &on, &err), -ETIMEDOUT);
	assert_non_null(strstr(err.msg, "fake.sock"));
	json_object_put(requests(f));
	/* a JSON-RPC error, and garbage */
	answer(f, "{\"id\":2,\"result\":null,\"error\":\"unknown database\"}");
	assert_int_equal(vs_ovsdb_hw_offload(&f->db, &on, &err), -EIO);
	json_object_put(requests(f));
	vs_error_clear(&err);
	answer(f, "]]");
	assert_int_equal(vs_ovsdb_hw_offload(&f->db, &on, &err), -EBADMSG);
}

static void test_connect_missing(void **state)
{
	struct vs_ovsdb db;
	struct vs_error err = { 0 };

	(void)state;
	assert_int_equal(vs_ovsdb_connect(&db, "/nonexistent/db.sock", 0, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/db.sock"));
	vs_ovsdb_close(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_port_no_bridge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_port_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_port_elsewhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_del_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hw_offload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test(test_connect_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
