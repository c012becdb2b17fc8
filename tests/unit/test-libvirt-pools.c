/* Hostdev pools through the libvirt API, against libvirt's in-process test
 * driver (test:///default).  The driver forgets everything when the process
 * ends, so define, update, idempotence, list and remove all run here, in
 * one process and one connection. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "libvirt.h"
#include "xmlgen.h"

static virConnectPtr conn;

static int setup(void **state)
{
	struct vs_error err = { 0 };

	if (vs_libvirt_open("test:///default", false, &conn, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	virConnectClose(conn);
	return 0;
}

static char *pool_xml(const char *name, const char *pf, int vlan)
{
	char dir[PATH_MAX];
	const char *src = getenv("top_srcdir");
	struct vs_template_paths p = { .env_dir = dir };
	struct vs_network_spec spec = { .name = name, .pf_netdev = pf, .vlan = vlan };
	struct vs_error err = { 0 };
	char *xml = NULL;

	snprintf(dir, sizeof(dir), "%s/xml-templates", src ? src : ".");
	if (vs_xmlgen_network_string(&p, &spec, &xml, &err) < 0)
		fail_msg("%s", err.msg);
	return xml;
}

static unsigned apply(const char *xml, bool autostart, bool dry_run)
{
	struct vs_pool_result res;
	struct vs_error err = { 0 };

	if (vs_libvirt_pool_apply(conn, xml, autostart, dry_run, &res, &err) < 0)
		fail_msg("%s", err.msg);
	return res.changes;
}

static bool exists(const char *name)
{
	virNetworkPtr net = virNetworkLookupByName(conn, name);

	if (net)
		virNetworkFree(net);
	return net != NULL;
}

static void net_state(const char *name, int *active, int *autostart, char uuid[VIR_UUID_STRING_BUFLEN])
{
	virNetworkPtr net = virNetworkLookupByName(conn, name);

	assert_non_null(net);
	*active = virNetworkIsActive(net);
	assert_int_equal(virNetworkGetAutostart(net, autostart), 0);
	assert_int_equal(virNetworkGetUUIDString(net, uuid), 0);
	virNetworkFree(net);
}

static void test_apply_idempotent(void **state)
{
	_cleanup_free_ char *xml = pool_xml("sriov-em1", "em1", -1);
	_cleanup_free_ char *xml_vlan = pool_xml("sriov-em1", "em1", 42);
	char uuid[VIR_UUID_STRING_BUFLEN], uuid2[VIR_UUID_STRING_BUFLEN];
	int active, autostart;
	virNetworkPtr net;
	char *got;

	/* a dry run changes nothing but says what it would do */
	assert_int_equal(apply(xml, true, true), VS_POOL_DEFINED | VS_POOL_AUTOSTART | VS_POOL_STARTED);
	assert_false(exists("sriov-em1"));

	assert_int_equal(apply(xml, true, false), VS_POOL_DEFINED | VS_POOL_AUTOSTART | VS_POOL_STARTED);
	net_state("sriov-em1", &active, &autostart, uuid);
	assert_int_equal(active, 1);
	assert_int_equal(autostart, 1);
	/* second run: nothing to do */
	assert_int_equal(apply(xml, true, false), 0);

	/* a changed pool is redefined in place (same UUID, new XML) and,
	 * with no VF in use, restarted so that the change takes effect */
	assert_int_equal(apply(xml_vlan, true, true), VS_POOL_UPDATED | VS_POOL_DESTROYED | VS_POOL_STARTED);
	assert_int_equal(apply(xml_vlan, true, false), VS_POOL_UPDATED | VS_POOL_DESTROYED | VS_POOL_STARTED);
	net_state("sriov-em1", &active, &autostart, uuid2);
	assert_string_equal(uuid, uuid2);
	net = virNetworkLookupByName(conn, "sriov-em1");
	got = virNetworkGetXMLDesc(net, 0);
	if (!strstr(got, "<tag id='42'/>"))
		fail_msg("%s", got);
	free(got);
	virNetworkFree(net);
	assert_int_equal(apply(xml_vlan, true, false), 0);
}

static void test_apply_stopped_no_autostart(void **state)
{
	_cleanup_free_ char *xml = pool_xml("sriov-em2", "em2", -1);
	virNetworkPtr net;
	char uuid[VIR_UUID_STRING_BUFLEN];
	int active, autostart;

	assert_int_equal(apply(xml, false, false), VS_POOL_DEFINED | VS_POOL_STARTED);
	net_state("sriov-em2", &active, &autostart, uuid);
	assert_int_equal(autostart, 0);
	/* someone stopped it: apply starts it again, and only that */
	net = virNetworkLookupByName(conn, "sriov-em2");
	assert_int_equal(virNetworkDestroy(net), 0);
	virNetworkFree(net);
	assert_int_equal(apply(xml, false, false), VS_POOL_STARTED);
	assert_int_equal(apply(xml, true, false), VS_POOL_AUTOSTART);
}

static void test_refuses_foreign_network(void **state)
{
	/* test:///default has a NAT network called "default" */
	_cleanup_free_ char *xml = pool_xml("default", "em3", -1);
	struct vs_pool_result res;
	struct vs_error err = { 0 };

	assert_int_equal(vs_libvirt_pool_apply(conn, xml, true, false, &res, &err), -EEXIST);
	assert_non_null(strstr(err.msg, "default"));
	assert_non_null(strstr(err.msg, "not a hostdev pool"));
	vs_error_clear(&err);
	assert_true(vs_libvirt_pool_remove(conn, "default", true, false, &res, &err) < 0);
	assert_non_null(strstr(err.msg, "not a hostdev pool"));
}

static void test_list(void **state)
{
	struct vs_pool_info *pools = NULL;
	struct vs_error err = { 0 };
	size_t n = 0;

	assert_int_equal(vs_libvirt_pool_list(conn, &pools, &n, &err), 0);
	/* sriov-em1 and sriov-em2 from the tests above; "default" is not a pool */
	assert_int_equal(n, 2);
	assert_string_equal(pools[0].name, "sriov-em1");
	assert_string_equal(pools[0].pf, "em1");
	assert_true(pools[0].active);
	assert_true(pools[0].autostart);
	assert_true(pools[0].persistent);
	assert_int_equal(pools[0].n_ports, 0);
	assert_string_equal(pools[1].name, "sriov-em2");
	vs_pool_info_free(pools, n);
}

static void test_remove(void **state)
{
	struct vs_pool_result res;
	struct vs_error err = { 0 };

	assert_int_equal(vs_libvirt_pool_remove(conn, "sriov-em1", false, true, &res, &err), 0);
	assert_int_equal(res.changes, VS_POOL_DESTROYED | VS_POOL_UNDEFINED);
	assert_true(exists("sriov-em1"));
	assert_int_equal(vs_libvirt_pool_remove(conn, "sriov-em1", false, false, &res, &err), 0);
	assert_int_equal(res.changes, VS_POOL_DESTROYED | VS_POOL_UNDEFINED);
	assert_false(exists("sriov-em1"));
	/* gone: the error says which pool and what libvirt said */
	assert_true(vs_libvirt_pool_remove(conn, "sriov-em1", false, false, &res, &err) < 0);
	assert_non_null(strstr(err.msg, "looking up pool sriov-em1: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_idempotent),
		cmocka_unit_test(test_apply_stopped_no_autostart),
		cmocka_unit_test(test_refuses_foreign_network),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_remove),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
