/* Templates filled through the libxml2 tree, checked with XPath on the
 * result and validated with libvirt's own RelaxNG schemas
 * ($LIBVIRT_SCHEMAS: network.rng, and tests/data/rng/device-snippet.rng
 * which includes domainoverrides.rng for bare devices). */
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
#include <sys/stat.h>

#include <libxml/relaxng.h>

#include "xmlgen.h"

static const char *srcdir(void)
{
	const char *s = getenv("top_srcdir");

	return s ? s : ".";
}

static const char *schemas(void)
{
	const char *s = getenv("LIBVIRT_SCHEMAS");

	return s && *s ? s : "/usr/share/libvirt/schemas";
}

static xmlDocPtr load(const char *rel)
{
	char path[PATH_MAX];
	struct vs_error err = { 0 };
	xmlDocPtr doc = NULL;

	snprintf(path, sizeof(path), "%s/%s", srcdir(), rel);
	assert_int_equal(vs_xml_parse_file(path, &doc, &err), 0);
	return doc;
}

/* Validate doc against an RNG; `rng_doc` is read from `file` but resolved
 * as if it lived in libvirt's schema directory, so its includes find
 * libvirt's grammar. */
static int rng_validate(xmlDocPtr doc, const char *file)
{
	char base[PATH_MAX];
	xmlDocPtr rng = xmlReadFile(file, NULL, XML_PARSE_NONET);
	xmlRelaxNGParserCtxtPtr pctx;
	xmlRelaxNGPtr schema;
	xmlRelaxNGValidCtxtPtr vctx;
	int r;

	assert_non_null(rng);
	snprintf(base, sizeof(base), "%s/%s", schemas(), strrchr(file, '/') + 1);
	xmlFree((xmlChar *)rng->URL);
	rng->URL = xmlStrdup((const xmlChar *)base);
	pctx = xmlRelaxNGNewDocParserCtxt(rng);
	schema = xmlRelaxNGParse(pctx);
	assert_non_null(schema);
	vctx = xmlRelaxNGNewValidCtxt(schema);
	r = xmlRelaxNGValidateDoc(vctx, doc);
	xmlRelaxNGFreeValidCtxt(vctx);
	xmlRelaxNGFree(schema);
	xmlRelaxNGFreeParserCtxt(pctx);
	xmlFreeDoc(rng);
	return r;
}

static void assert_valid_network(xmlDocPtr doc)
{
	char file[PATH_MAX];

	snprintf(file, sizeof(file), "%s/network.rng", schemas());
	assert_int_equal(rng_validate(doc, file), 0);
}

static void assert_valid_device(xmlDocPtr doc)
{
	char file[PATH_MAX];

	snprintf(file, sizeof(file), "%s/tests/data/rng/device-snippet.rng", srcdir());
	assert_int_equal(rng_validate(doc, file), 0);
}

/* The string value of an XPath expression on doc. */
static char *xp_string(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	char *s;

	assert_non_null(o);
	s = (char *)xmlXPathCastToString(o);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return s;
}

static void assert_xp(xmlDocPtr doc, const char *expr, const char *want)
{
	char *got = xp_string(doc, expr);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", expr, got, want);
	xmlFree(got);
}

static void test_network_pf(void **state)
{
	xmlDocPtr doc = load("xml-templates/network-pf.xml");
	struct vs_network_spec spec = { .name = "sriov-em1", .pf_netdev = "em1", .vlan = -1 };
	struct vs_error err = { 0 };

	assert_int_equal(vs_xmlgen_network(doc, "network-pf.xml", &spec, &err), 0);
	assert_xp(doc, "string(/network/name)", "sriov-em1");
	assert_xp(doc, "string(/network/forward[@mode='hostdev' and @managed='yes']/pf/@dev)", "em1");
	assert_xp(doc, "count(/network/vlan)", "0");
	assert_valid_network(doc);
	xmlFreeDoc(doc);
}

static void test_network_vfs_vlan(void **state)
{
	static const char *const addrs[] = { "0000:01:10.0", "0000:01:10.4", "0001:af:1f.7" };
	xmlDocPtr doc = load("xml-templates/network-vfs.xml");
	struct vs_network_spec spec = { .name = "pool", .vf_addresses = addrs, .n_vf_addresses = 3, .vlan = 42 };
	struct vs_error err = { 0 };

	assert_int_equal(vs_xmlgen_network(doc, "network-vfs.xml", &spec, &err), 0);
	assert_xp(doc, "count(/network/forward/address)", "3");
	assert_xp(doc, "count(/network/forward/address[@domain=''])", "0");
	assert_xp(doc, "string(/network/forward/address[1]/@slot)", "0x10");
	assert_xp(doc, "string(/network/forward/address[2]/@function)", "0x4");
	assert_xp(doc, "concat(/network/forward/address[3]/@domain, ' ', /network/forward/address[3]/@bus,"
		  " ' ', /network/forward/address[3]/@slot, ' ', /network/forward/address[3]/@function)",
		  "0x0001 0xaf 0x1f 0x7");
	assert_xp(doc, "string(/network/forward/address[3]/@type)", "pci");
	assert_xp(doc, "string(/network/vlan/tag/@id)", "42");
	assert_valid_network(doc);
	xmlFreeDoc(doc);
}

static void test_network_admin_kept(void **state)
{
	xmlDocPtr doc = load("tests/data/xml/templates/network-pf-admin.xml");
	struct vs_network_spec spec = { .name = "lab", .pf_netdev = "em2", .vlan = -1 };
	struct vs_error err = { 0 };

	assert_int_equal(vs_xmlgen_network(doc, "admin", &spec, &err), 0);
	assert_xp(doc, "string(/network/forward/pf/@dev)", "em2");
	assert_xp(doc, "string(/network/name)", "lab");
	assert_xp(doc, "string(/network/forward/driver/@name)", "vfio");
	assert_xp(doc, "string(/network/vlan/tag/@id)", "10");
	assert_xp(doc, "count(/network/portgroup)", "2");
	assert_xp(doc, "string(/network/portgroup[@name='storage']/vlan/tag/@id)", "20");
	assert_xp(doc, "string(/network/bandwidth/outbound/@average)", "125000");
	assert_valid_network(doc);
	xmlFreeDoc(doc);

	/* --vlan replaces the admin's default VLAN, not the portgroup's */
	doc = load("tests/data/xml/templates/network-pf-admin.xml");
	spec.vlan = 7;
	assert_int_equal(vs_xmlgen_network(doc, "admin", &spec, &err), 0);
	assert_xp(doc, "string(/network/vlan/tag/@id)", "7");
	assert_xp(doc, "string(/network/portgroup[@name='storage']/vlan/tag/@id)", "20");
	xmlFreeDoc(doc);
}

static void test_missing_element(void **state)
{
	static const struct { const char *file; const char *xpath; bool network; } cases[] = {
		{ "tests/data/xml/templates/network-no-pf.xml", "/network/forward[@mode='hostdev']/pf", true },
		{ "tests/data/xml/templates/network-no-name.xml", "/network/name", true },
		{ "tests/data/xml/templates/hostdev-no-source.xml",
		  "/hostdev[@mode='subsystem' and @type='pci']/source/address", false },
		/* a network template handed to the hostdev generator */
		{ "xml-templates/network-pf.xml", "/hostdev[@mode='subsystem' and @type='pci']/source/address", false },
	};
	struct vs_network_spec net = { .name = "x", .pf_netdev = "em1", .vlan = -1 };
	struct vs_hostdev_spec dev = { .vf_address = "0000:01:10.0", .vlan = -1 };

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		xmlDocPtr doc = load(cases[i].file);
		struct vs_error err = { 0 };
		int r = cases[i].network ? vs_xmlgen_network(doc, cases[i].file, &net, &err)
					 : vs_xmlgen_hostdev(doc, cases[i].file, &dev, &err);

		assert_int_equal(r, -EINVAL);
		assert_non_null(strstr(err.msg, cases[i].file));
		assert_non_null(strstr(err.msg, cases[i].xpath));
		xmlFreeDoc(doc);
	}
}

static void test_hostdev(void **state)
{
	xmlDocPtr doc = load("xml-templates/hostdev.xml");
	struct vs_hostdev_spec spec = { .vf_address = "0000:82:10.2", .vlan = -1 };
	struct vs_error err = { 0 };

	assert_int_equal(vs_xmlgen_hostdev(doc, "hostdev.xml", &spec, &err), 0);
	assert_xp(doc, "concat(//source/address/@domain, ':', //source/address/@bus, ':',"
		  " //source/address/@slot, '.', //source/address/@function)", "0x0000:0x82:0x10.0x2");
	assert_xp(doc, "string(/hostdev/driver/@name)", "vfio");
	assert_valid_device(doc);
	xmlFreeDoc(doc);

	doc = load("tests/data/xml/templates/hostdev-admin.xml");
	vs_error_clear(&err);
	assert_int_equal(vs_xmlgen_hostdev(doc, "hostdev-admin.xml", &spec, &err), 0);
	assert_xp(doc, "string(/hostdev/rom/@bar)", "off");
	assert_xp(doc, "string(/hostdev/boot/@order)", "2");
	assert_valid_device(doc);
	xmlFreeDoc(doc);
}

/* The validators are not vacuous: libvirt's grammar refuses a broken
 * device and a network without a name. */
static void test_validators_refuse(void **state)
{
	char file[PATH_MAX];
	xmlDocPtr doc = load("xml-templates/hostdev.xml");

	/* the template itself, unfilled, has empty addresses */
	snprintf(file, sizeof(file), "%s/tests/data/rng/device-snippet.rng", srcdir());
	assert_int_not_equal(rng_validate(doc, file), 0);
	xmlFreeDoc(doc);
	doc = load("tests/data/xml/templates/network-no-name.xml");
	snprintf(file, sizeof(file), "%s/network.rng", schemas());
	assert_int_not_equal(rng_validate(doc, file), 0);
	xmlFreeDoc(doc);
}

static void test_interface(void **state)
{
	xmlDocPtr doc = load("xml-templates/interface-hostdev.xml");
	struct vs_hostdev_spec spec = { .vf_address = "0000:01:10.1", .interface = true, .vlan = -1 };
	struct vs_error err = { 0 };

	/* no --mac/--vlan: libvirt picks the MAC, the VLAN is left alone */
	assert_int_equal(vs_xmlgen_hostdev(doc, "interface-hostdev.xml", &spec, &err), 0);
	assert_xp(doc, "count(/interface/mac)", "0");
	assert_xp(doc, "count(/interface/vlan)", "0");
	assert_xp(doc, "string(/interface/source/address/@type)", "pci");
	assert_valid_device(doc);
	xmlFreeDoc(doc);

	doc = load("xml-templates/interface-hostdev.xml");
	spec.has_mac = true;
	assert_int_equal(vs_parse_mac("52:54:00:aa:bb:01", spec.mac), 0);
	spec.vlan = 4094;
	assert_int_equal(vs_xmlgen_hostdev(doc, "interface-hostdev.xml", &spec, &err), 0);
	assert_xp(doc, "string(/interface/mac/@address)", "52:54:00:aa:bb:01");
	assert_xp(doc, "string(/interface/vlan/tag/@id)", "4094");
	assert_valid_device(doc);
	xmlFreeDoc(doc);

	/* an admin's fixed VLAN and MTU stay when --vlan is not given */
	doc = load("tests/data/xml/templates/interface-admin.xml");
	spec.vlan = -1;
	assert_int_equal(vs_xmlgen_hostdev(doc, "interface-admin.xml", &spec, &err), 0);
	assert_xp(doc, "string(/interface/vlan/tag/@id)", "100");
	assert_xp(doc, "string(/interface/mtu/@size)", "9000");
	/* the template had no <mac>: it is added */
	assert_xp(doc, "string(/interface/mac/@address)", "52:54:00:aa:bb:01");
	assert_valid_device(doc);
	xmlFreeDoc(doc);
}

static void test_refused_values(void **state)
{
	xmlDocPtr doc = load("xml-templates/interface-hostdev.xml");
	struct vs_hostdev_spec spec = { .vf_address = "0000:01:10.1", .interface = true, .vlan = -1, .has_mac = true };
	struct vs_error err = { 0 };

	assert_int_equal(vs_parse_mac("01:00:5e:00:00:01", spec.mac), 0);
	assert_int_equal(vs_xmlgen_hostdev(doc, "t", &spec, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "01:00:5e:00:00:01"));
	assert_non_null(strstr(err.msg, "multicast"));

	vs_error_clear(&err);
	spec.has_mac = false;
	spec.vlan = 4095;
	assert_int_equal(vs_xmlgen_hostdev(doc, "t", &spec, &err), -ERANGE);
	assert_non_null(strstr(err.msg, "vlan 4095: out of range"));
	spec.vlan = -1;

	/* a plain hostdev cannot carry a MAC */
	vs_error_clear(&err);
	spec.interface = false;
	spec.has_mac = true;
	assert_int_equal(vs_parse_mac("52:54:00:00:00:01", spec.mac), 0);
	assert_int_equal(vs_xmlgen_hostdev(doc, "t", &spec, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "0000:01:10.1"));
	xmlFreeDoc(doc);
}

static void test_names(void **state)
{
	struct vs_pf pf = { .address = "0000:03:00.0" };
	char name[64];
	xmlDocPtr doc = load("xml-templates/network-pf.xml");
	struct vs_network_spec spec = { .name = "a/b", .pf_netdev = "em1", .vlan = -1 };
	struct vs_error err = { 0 };
	_cleanup_free_ char *out = NULL;

	assert_int_equal(vs_pool_default_name(&pf, name, sizeof(name)), 0);
	assert_string_equal(name, "sriov-0000-03-00-0");
	strcpy(pf.netdev, "ens1f0");
	assert_int_equal(vs_pool_default_name(&pf, name, sizeof(name)), 0);
	assert_string_equal(name, "sriov-ens1f0");
	assert_true(vs_libvirt_name_valid(name));

	assert_int_equal(vs_xmlgen_network(doc, "t", &spec, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'a/b'"));
	/* text goes in as text: '&' is escaped, not read as an entity */
	spec.name = "r&d";
	assert_int_equal(vs_xmlgen_network(doc, "t", &spec, NULL), 0);
	out = vs_xml_dump(doc);
	assert_non_null(strstr(out, "<name>r&amp;d</name>"));
	assert_null(strstr(out, "<?xml"));
	xmlFreeDoc(doc);
}

static void write_file(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("<hostdev/>\n", f);
	fclose(f);
}

static void test_template_lookup(void **state)
{
	char tmp[] = "/tmp/vs-xmlgen-XXXXXX", etc[256], env[256], f[PATH_MAX], out[PATH_MAX];
	struct vs_template_paths p;
	struct vs_error err = { 0 };

	assert_non_null(mkdtemp(tmp));
	snprintf(etc, sizeof(etc), "%s/etc", tmp);
	snprintf(env, sizeof(env), "%s/env", tmp);
	assert_int_equal(mkdir(etc, 0755) | mkdir(env, 0755), 0);
	snprintf(f, sizeof(f), "%s/hostdev.xml", etc), write_file(f);
	p = (struct vs_template_paths){ .sysconf_dir = etc };

	/* /etc overrides one template; the built-in copy fills the gaps */
	assert_int_equal(vs_template_find(&p, VS_TEMPLATE_HOSTDEV, out, sizeof(out), &err), 0);
	assert_int_equal(strncmp(out, etc, strlen(etc)), 0);
	assert_int_equal(vs_template_find(&p, VS_TEMPLATE_NETWORK_PF, out, sizeof(out), &err), 1);
	assert_string_equal(out, "built-in network-pf.xml");
	/* --template FILE wins */
	p.file = f;
	assert_int_equal(vs_template_find(&p, VS_TEMPLATE_HOSTDEV, out, sizeof(out), &err), 0);
	assert_string_equal(out, f);
	p.file = NULL;
	/* the tests' directory stands for /etc's, not next to it */
	p.env_dir = env;
	assert_int_equal(vs_template_find(&p, VS_TEMPLATE_HOSTDEV, out, sizeof(out), &err), 1);
	assert_string_equal(out, "built-in hostdev.xml");
	p.env_dir = NULL;
	/* an override that is there but unusable is an error, not a fallback */
	snprintf(f, sizeof(f), "%s/interface-hostdev.xml", etc);
	assert_int_equal(mkdir(f, 0755), 0);
	assert_int_equal(vs_template_find(&p, VS_TEMPLATE_INTERFACE, out, sizeof(out), &err), -EINVAL);
	assert_non_null(strstr(err.msg, f));
	p.file = "/nonexistent/t.xml";
	vs_error_clear(&err);
	assert_int_equal(vs_template_find(&p, VS_TEMPLATE_HOSTDEV, out, sizeof(out), &err), -ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/t.xml"));

	snprintf(f, sizeof(f), "rm -rf '%s'", tmp);
	assert_int_equal(system(f), 0);
}

/* The compiled-in defaults are the files of xml-templates/, byte for byte,
 * and generate XML without any template on disk. */
static void test_template_builtin(void **state)
{
	static const enum vs_template_kind kinds[] = { VS_TEMPLATE_NETWORK_PF, VS_TEMPLATE_NETWORK_VFS,
						       VS_TEMPLATE_HOSTDEV, VS_TEMPLATE_INTERFACE };
	struct vs_template_paths p = { .sysconf_dir = "/nonexistent" };
	struct vs_hostdev_spec hd = { .vf_address = "0000:03:10.1", .vlan = -1 };
	struct vs_error err = { 0 };
	char path[PATH_MAX], buf[8192];
	char *xml = NULL;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *text = vs_template_builtin(kinds[i]);
		FILE *f;
		size_t n;

		snprintf(path, sizeof(path), "%s/xml-templates/%s", srcdir(), vs_template_name(kinds[i]));
		assert_non_null(f = fopen(path, "r"));
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		assert_non_null(text);
		assert_string_equal(text, buf);
	}
	assert_int_equal(vs_xmlgen_hostdev_string(&p, &hd, &xml, &err), 0);
	assert_non_null(strstr(xml, "bus=\"0x03\" slot=\"0x10\" function=\"0x1\""));
	free(xml);
}

static void test_parse_errors(void **state)
{
	char path[PATH_MAX];
	struct vs_error err = { 0 };
	xmlDocPtr doc = NULL;

	snprintf(path, sizeof(path), "%s/tests/data/xml/templates/not-xml.xml", srcdir());
	assert_int_equal(vs_xml_parse_file(path, &doc, &err), -EINVAL);
	assert_null(doc);
	assert_non_null(strstr(err.msg, "not-xml.xml"));
}

/* <address> as libvirt writes it (0x..), as people write it (decimal), and
 * what libvirt itself would refuse. */
static int xml_address(const char *attrs, char out[VS_PCI_ADDR_LEN])
{
	char xml[256];
	xmlDocPtr doc = NULL;
	int r;

	snprintf(xml, sizeof(xml), "<address type='pci' %s/>", attrs);
	assert_int_equal(vs_xml_parse(xml, "address", &doc, NULL), 0);
	r = vs_xml_pci_address(xmlDocGetRootElement(doc), out);
	xmlFreeDoc(doc);
	return r;
}

static void test_xml_pci_address(void **state)
{
	char out[VS_PCI_ADDR_LEN];

	assert_int_equal(xml_address("domain='0x0000' bus='0x1A' slot='0x10' function='0x7'", out), 0);
	assert_string_equal(out, "0000:1a:10.7");
	assert_int_equal(xml_address("bus='1' slot='16' function='4'", out), 0);
	assert_string_equal(out, "0000:01:10.4");
	assert_int_equal(xml_address("domain='0x10000' bus='0x01' slot='0x00' function='0x1'", out), 0);
	assert_string_equal(out, "10000:01:00.1");
	assert_int_equal(xml_address("", out), -ENOENT);
	assert_int_equal(vs_xml_pci_address(NULL, out), -ENOENT);
	assert_int_equal(xml_address("bus='0x01' slot='0x20' function='0'", out), -EINVAL);
	assert_int_equal(xml_address("bus='0x01' slot='0x10' function='8'", out), -EINVAL);
	assert_int_equal(xml_address("bus='0x100' slot='0' function='0'", out), -EINVAL);
	assert_int_equal(xml_address("bus='one' slot='0' function='0'", out), -EINVAL);
}

static bool same(const char *a, const char *b)
{
	static const char *const ignore[] = { "uuid", NULL };
	xmlDocPtr da = NULL, db = NULL;
	bool r;

	assert_int_equal(vs_xml_parse(a, "a", &da, NULL), 0);
	assert_int_equal(vs_xml_parse(b, "b", &db, NULL), 0);
	r = vs_xml_same(xmlDocGetRootElement(da), xmlDocGetRootElement(db), ignore);
	xmlFreeDoc(da);
	xmlFreeDoc(db);
	return r;
}

/* What `network apply` uses to tell "unchanged" from "update". */
static void test_xml_same(void **state)
{
	static const char ours[] =
		"<network><name>p</name><forward mode=\"hostdev\" managed=\"yes\"><pf dev=\"em1\"/></forward></network>";

	/* libvirt's spelling: quotes, attribute order, layout, comments, <uuid> */
	assert_true(same(ours, "<network>\n  <name>p</name>\n  <uuid>6b3d0f9a-1f5c-4b66-9e21-3c5f2d0a0001</uuid>\n"
			 "  <!-- x --><forward managed='yes' mode='hostdev'>\n    <pf dev='em1'/>\n  </forward>\n</network>"));
	assert_false(same(ours, "<network><name>p</name><forward mode='hostdev' managed='yes'><pf dev='em2'/></forward></network>"));
	assert_false(same(ours, "<network><name>q</name><forward mode='hostdev' managed='yes'><pf dev='em1'/></forward></network>"));
	assert_false(same(ours, "<network><name>p</name><forward mode='hostdev'><pf dev='em1'/></forward></network>"));
	assert_false(same(ours, "<network><name>p</name><forward mode='hostdev' managed='yes'><pf dev='em1'/></forward>"
			  "<vlan><tag id='5'/></vlan></network>"));
	/* a uuid deeper down is not ignored */
	assert_false(same("<a><b><uuid>1</uuid></b></a>", "<a><b><uuid>2</uuid></b></a>"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_network_pf),
		cmocka_unit_test(test_network_vfs_vlan),
		cmocka_unit_test(test_network_admin_kept),
		cmocka_unit_test(test_missing_element),
		cmocka_unit_test(test_hostdev),
		cmocka_unit_test(test_validators_refuse),
		cmocka_unit_test(test_interface),
		cmocka_unit_test(test_refused_values),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_template_lookup),
		cmocka_unit_test(test_template_builtin),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_xml_same),
		cmocka_unit_test(test_xml_pci_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
