/* in_use_by from libvirt's test driver loaded with a custom node file whose
 * guests hold VFs through <hostdev> and <interface type='hostdev'>. */
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

/* One PF 0000:01:00.0 with VFs 01:10.0 .. 01:10.5 (even/odd as igb). */
static struct vs_host *fake_host(void)
{
	static const char *const addrs[] = {
		"0000:01:10.0", "0000:01:10.4", "0000:01:10.2", "0000:01:10.6", "0000:01:11.0",
	};
	struct vs_host *h = calloc(1, sizeof(*h));
	struct vs_pf *pf = calloc(1, sizeof(*pf));

	assert_non_null(h);
	assert_non_null(pf);
	strcpy(pf->address, "0000:01:00.0");
	strcpy(pf->netdev, "em1");
	pf->vfs = calloc(ELEMENTSOF(addrs), sizeof(*pf->vfs));
	assert_non_null(pf->vfs);
	pf->n_vfs = ELEMENTSOF(addrs);
	for (size_t i = 0; i < ELEMENTSOF(addrs); i++) {
		pf->vfs[i].index = i;
		strcpy(pf->vfs[i].address, addrs[i]);
	}
	h->pfs = pf;
	h->n_pfs = 1;
	return h;
}

static void free_fake(struct vs_host *h)
{
	for (size_t i = 0; i < h->pfs[0].n_vfs; i++)
		free(h->pfs[0].vfs[i].in_use_by);
	free(h->pfs[0].vfs);
	free(h->pfs);
	for (size_t i = 0; i < h->n_warnings; i++)
		free(h->warnings[i]);
	free(h->warnings);
	free(h);
}

static char *node_uri(void)
{
	const char *src = getenv("top_srcdir");
	char rel[PATH_MAX], abs[PATH_MAX], *uri = NULL;

	/* the test driver wants an absolute path: test:///ABS/PATH.xml */
	snprintf(rel, sizeof(rel), "%s/tests/data/xml/libvirt/usage-node.xml", src ? src : ".");
	assert_non_null(realpath(rel, abs));
	assert_true(asprintf(&uri, "test://%s", abs) > 0);
	return uri;
}

static void test_fill_usage(void **state)
{
	_cleanup_free_ char *uri = node_uri();
	struct vs_host *h = fake_host();
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;

	assert_int_equal(vs_libvirt_open(uri, true, &conn, &err), 0);
	assert_int_equal(vs_libvirt_fill_usage(conn, h, &err), 0);
	assert_true(h->usage_known);
	assert_string_equal(h->pfs[0].vfs[0].in_use_by, "plain-hostdev");
	/* decimal attributes in the XML: bus='1' slot='16' function='4' */
	assert_string_equal(h->pfs[0].vfs[1].in_use_by, "iface-hostdev");
	/* inactive guest's persistent XML counts too */
	assert_string_equal(h->pfs[0].vfs[2].in_use_by, "shutoff-hostdev");
	assert_null(h->pfs[0].vfs[3].in_use_by);
	assert_null(h->pfs[0].vfs[4].in_use_by);
	/* two guests name 01:10.0: the running one holds it, and we say so */
	assert_int_equal(h->n_warnings, 1);
	assert_non_null(strstr(h->warnings[0], "0000:01:10.0"));
	assert_non_null(strstr(h->warnings[0], "plain-hostdev"));
	assert_non_null(strstr(h->warnings[0], "shutoff-hostdev"));
	virConnectClose(conn);
	free_fake(h);
}

static void test_open_error(void **state)
{
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;

	assert_true(vs_libvirt_open("nosuchdriver:///x", true, &conn, &err) < 0);
	assert_null(conn);
	assert_non_null(strstr(err.msg, "cannot connect to nosuchdriver:///x: "));
	/* libvirt's own words follow */
	assert_true(strlen(err.msg) > strlen("cannot connect to nosuchdriver:///x: ") + 5);
}

static void test_port_info(void **state)
{
	static const char port[] =
		"<networkport><uuid>1c2d3e4f-0000-4000-8000-000000000001</uuid>"
		"<owner><name>oldname</name><uuid>6b3d0f9a-1f5c-4b66-9e21-3c5f2d0a0002</uuid></owner>"
		"<mac address='52:54:00:00:00:01'/>"
		"<plug type='hostdev-pci' managed='yes'><driver name='vfio'/>"
		"<address domain='0x0000' bus='0x01' slot='0x10' function='0x6'/></plug></networkport>";
	static const char noaddr[] =
		"<networkport><owner><name>gone</name><uuid>00000000-0000-4000-8000-00000000dead</uuid></owner>"
		"<plug type='bridge' bridge='virbr0'/></networkport>";
	_cleanup_free_ char *uri = node_uri();
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;
	char addr[VS_PCI_ADDR_MAX];
	char *owner = NULL;

	assert_int_equal(vs_libvirt_open(uri, true, &conn, &err), 0);
	assert_int_equal(vs_libvirt_port_info(conn, port, addr, &owner, &err), 0);
	assert_string_equal(addr, "0000:01:10.6");
	/* by UUID, not by the name the port recorded */
	assert_string_equal(owner, "iface-hostdev");
	free(owner);
	assert_int_equal(vs_libvirt_port_info(conn, noaddr, addr, &owner, &err), 0);
	assert_string_equal(addr, "");
	assert_string_equal(owner, "gone");
	free(owner);
	virConnectClose(conn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_usage),
		cmocka_unit_test(test_open_error),
		cmocka_unit_test(test_port_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
