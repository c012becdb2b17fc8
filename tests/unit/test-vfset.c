/* Device names and VF sets against the inventory of a generated R730
 * (em1/em2: 7 VFs each with netdevs em1v0.., em3: none, p2p1: 4 VFs), and
 * short addresses on a tree of several PCI domains. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "host-tree.h"
#include "vfset.h"

static char *root;
static struct vs_sysfs fs;
static struct vs_host *host;

static int setup(void **state)
{
	static const char *const args[] = { "--profile", "r730", NULL };
	struct vs_scan_opts o = { .sysfs = &fs };

	root = ht_generate(args);
	if (!root || vs_sysfs_init(&fs, root) < 0)
		return -1;
	return vs_inventory_scan(&o, &host, NULL);
}

static int teardown(void **state)
{
	vs_host_free(host);
	ht_remove(root);
	return 0;
}

static const struct {
	const char *spec;
	const char *pf;    /* netdev of the PF every VF must belong to */
	const char *addrs; /* expected VF addresses, space separated */
} good[] = {
	{ "0000:01:10.4", "em1", "0000:01:10.4" },
	{ "em1#0", "em1", "0000:01:10.0" },
	{ "em1#6", "em1", "0000:01:13.0" },
	{ "0000:01:00.1#6", "em2", "0000:01:13.1" },
	/* every form a VF has: full and short address, netdev, PF#N with the
	 * PF named by netdev, full or short address */
	{ "0000:01:11.4", "em1", "0000:01:11.4" },
	{ "0000:01:11.4", "em1", "0000:01:11.4" },
	{ "01:11.4", "em1", "0000:01:11.4" },
	{ "0:1:11.4", "em1", "0000:01:11.4" },
	{ "em1v3", "em1", "0000:01:11.4" },
	{ "em1#3", "em1", "0000:01:11.4" },
	{ "0000:01:00.0#3", "em1", "0000:01:11.4" },
	{ "01:00.0#3", "em1", "0000:01:11.4" },
	{ "01:00.1#0-1", "em2", "0000:01:10.1 0000:01:10.5" },
	{ "em1#0-2,6", "em1", "0000:01:10.0 0000:01:10.4 0000:01:11.0 0000:01:13.0" },
	{ "em1#2,0,2,1", "em1", "0000:01:10.0 0000:01:10.4 0000:01:11.0" },
	{ "p2p1#1-1", "p2p1", "0000:19:10.2" },
	{ "p2p1#0-3", "p2p1", "0000:19:10.0 0000:19:10.2 0000:19:10.4 0000:19:10.6" },
};

static void test_good(void **state)
{
	for (size_t i = 0; i < ELEMENTSOF(good); i++) {
		struct vs_vf_ref *refs = NULL;
		struct vs_error err = { 0 };
		char got[512] = "";
		size_t n = 0;

		if (vs_vfset_resolve(host, good[i].spec, &refs, &n, &err) < 0)
			fail_msg("%s: %s", good[i].spec, err.msg);
		for (size_t j = 0; j < n; j++) {
			if (j)
				strcat(got, " ");
			strcat(got, refs[j].vf->address);
			assert_string_equal(refs[j].pf->netdev, good[i].pf);
			assert_true(refs[j].vf >= refs[j].pf->vfs && refs[j].vf < refs[j].pf->vfs + refs[j].pf->n_vfs);
		}
		if (strcmp(got, good[i].addrs) != 0)
			fail_msg("%s: got '%s', want '%s'", good[i].spec, got, good[i].addrs);
		free(refs);
	}
}

static const struct {
	const char *spec;
	int code;
	const char *words[3]; /* all must be in the message */
} bad[] = {
	{ "em1#7", -ENOENT, { "em1", "no VF 7", "7 VFs" } },
	{ "em1#0-3,7", -ENOENT, { "em1", "no VF 7" } },
	{ "em3#0", -ENOENT, { "em3", "no VF 0" } },
	{ "em9#0", -ENODEV, { "'em9#0'", "no PF named 'em9'", "; PFs: em1 (0000:01:00.0), em2 (0000:01:00.1)" } },
	{ "0000:00:1f.2#0", -ENODEV, { "0000:00:1f.2", "not an SR-IOV PF" } },
	{ "em1#3-1", -EINVAL, { "em1#3-1", "'3-1'", "backwards" } },
	{ "#", -EINVAL, { "no PF before '#'" } },
	{ "#1", -EINVAL, { "'#1'", "no PF" } },
	{ "em1#", -EINVAL, { "em1#", "no VF index" } },
	{ "em1#x", -EINVAL, { "em1#x", "'x'", "not a VF index" } },
	{ "em1#1,,2", -EINVAL, { "em1#1,,2", "not a VF index" } },
	{ "em1#-1", -EINVAL, { "em1#-1", "not a VF index" } },
	{ "em1#1-", -EINVAL, { "'1-'" } },
	{ "em1#0,", -EINVAL, { "em1#0," } },
	{ "em1#99999999", -EINVAL, { "99999999", "above" } },
	{ "em1# 1", -EINVAL, { "' 1'" } },
	{ "em1", -EINVAL, { "'em1' is a PF", "em1#N" } },
	{ "0000:01:00.0", -EINVAL, { "is a PF" } },
	{ "0000:01:10.9", -ENODEV, { "no VF named '0000:01:10.9'", "PFs: em1 (0000:01:00.0)" } },
	{ "em1v9", -ENODEV, { "no VF named 'em1v9'", "p2p2 (0000:19:00.1)" } },
	{ "01:10.9", -ENODEV, { "no VF named '01:10.9'" } },
	{ "em2v3#1", -EINVAL, { "'em2v3#1'", "'em2v3' is VF 3 of PF em2", "name the PF" } },
	{ "01:00.0", -EINVAL, { "'01:00.0' is a PF" } },
	{ "", -EINVAL, { "empty" } },
};

static void test_bad(void **state)
{
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		struct vs_vf_ref *refs = NULL;
		struct vs_error err = { 0 };
		size_t n = 0;
		int r = vs_vfset_resolve(host, bad[i].spec, &refs, &n, &err);

		if (r != bad[i].code)
			fail_msg("'%s': returned %d, want %d (%s)", bad[i].spec, r, bad[i].code, err.msg);
		assert_null(refs);
		assert_int_equal(err.code, bad[i].code);
		for (size_t w = 0; w < 3 && bad[i].words[w]; w++)
			if (!strstr(err.msg, bad[i].words[w]))
				fail_msg("'%s': message '%s' lacks '%s'", bad[i].spec, err.msg, bad[i].words[w]);
	}
}

static void test_resolve_one(void **state)
{
	struct vs_error err = { 0 };
	struct vs_vf_ref ref;

	assert_int_equal(vs_vfset_resolve_one(host, "em2#6", &ref, &err), 0);
	assert_string_equal(ref.vf->address, "0000:01:13.1");
	assert_string_equal(ref.pf->netdev, "em2");
	assert_int_equal(vs_vfset_resolve_one(host, "em1#0-1", &ref, &err), -EINVAL);
	assert_string_equal(err.msg, "--vf em1#0-1 names 2 VFs: give one");
	vs_error_clear(&err);
	assert_int_equal(vs_vfset_resolve_one(host, "em1#9", &ref, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "em1"));
}

static void test_index_set(void **state)
{
	unsigned *v = NULL;
	size_t n = 0;
	struct vs_error err = { 0 };
	static const unsigned want[] = { 0, 1, 2, 3, 7, 12 };

	assert_int_equal(vs_parse_index_set("12,0-3,7,2", &v, &n, &err), 0);
	assert_int_equal(n, ELEMENTSOF(want));
	assert_memory_equal(v, want, sizeof(want));
	free(v);
	v = NULL;
	assert_int_equal(vs_parse_index_set("5", &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 5);
	free(v);
	v = NULL;
	assert_int_equal(vs_parse_index_set("0-65536", &v, &n, &err), -EINVAL);
	assert_null(v);
	assert_non_null(strstr(err.msg, "above"));
}

/* One device per name, PF or VF, as `show` takes it. */
static void test_resolve_any(void **state)
{
	static const struct {
		const char *name;
		const char *pf, *vf; /* PF address; VF address or NULL */
	} names[] = {
		{ "em1", "0000:01:00.0", NULL },
		{ "0000:01:00.1", "0000:01:00.1", NULL },
		{ "01:00.1", "0000:01:00.1", NULL },
		{ "19:00.0", "0000:19:00.0", NULL },
		{ "em1v3", "0000:01:00.0", "0000:01:11.4" },
		{ "01:11.4", "0000:01:00.0", "0000:01:11.4" },
		{ "p2p1#1", "0000:19:00.0", "0000:19:10.2" },
	};

	for (size_t i = 0; i < ELEMENTSOF(names); i++) {
		struct vs_error err = { 0 };
		struct vs_vf_ref ref;

		if (vs_name_resolve(host, names[i].name, VS_NAME_ANY, &ref, &err) < 0)
			fail_msg("%s: %s", names[i].name, err.msg);
		assert_string_equal(ref.pf->address, names[i].pf);
		if (names[i].vf)
			assert_string_equal(ref.vf ? ref.vf->address : "(PF)", names[i].vf);
		else
			assert_null(ref.vf);
	}
}

static void test_resolve_kinds(void **state)
{
	struct vs_error err = { 0 };
	struct vs_vf_ref ref;

	assert_int_equal(vs_name_resolve(host, "em1v3", VS_NAME_PF, &ref, &err), -EINVAL);
	assert_string_equal(err.msg, "'em1v3' is VF 3 of PF em1 (0000:01:00.0); name the PF");
	vs_error_clear(&err);
	assert_int_equal(vs_name_resolve(host, "em1#0-1", VS_NAME_VF, &ref, &err), -EINVAL);
	assert_string_equal(err.msg, "'em1#0-1' names 2 VFs; give one");
	vs_error_clear(&err);
	assert_int_equal(vs_name_resolve(host, "em1#1", VS_NAME_PF, &ref, &err), -EINVAL);
	vs_error_clear(&err);
	assert_null(vs_name_pf(host, "em9", &err));
	assert_string_equal(err.msg, "no PF named 'em9'; PFs: em1 (0000:01:00.0), em2 (0000:01:00.1), "
			    "em3 (0000:01:00.2), em4 (0000:01:00.3), p2p1 (0000:19:00.0), p2p2 (0000:19:00.1)");
	vs_error_clear(&err);
	/* a device that exists, but not as an SR-IOV PF */
	assert_null(vs_name_pf(host, "0000:00:1f.2", &err));
	assert_non_null(strstr(err.msg, "no PF named '0000:00:1f.2' (0000:00:1f.2 is not an SR-IOV PF); PFs: em1"));
	vs_error_clear(&err);
	assert_int_equal(vs_name_resolve(host, "", VS_NAME_ANY, &ref, &err), -EINVAL);
}

/* Before a scan: the PF a name needs, from sysfs alone. */
static void test_pf_of(void **state)
{
	static const struct {
		const char *name;
		unsigned kinds;
		const char *pf; /* NULL: sysfs alone does not say */
	} names[] = {
		{ "em1", VS_NAME_PF, "0000:01:00.0" },
		{ "em1", VS_NAME_VF, NULL },
		{ "em1v3", VS_NAME_VF, "0000:01:00.0" },
		{ "em1v3", VS_NAME_PF, NULL },
		{ "em2v6", VS_NAME_ANY, "0000:01:00.1" },
		{ "01:11.4", VS_NAME_VF, "0000:01:00.0" },
		{ "0000:19:10.2", VS_NAME_ANY, "0000:19:00.0" },
		{ "19:00.0", VS_NAME_PF, "0000:19:00.0" },
		{ "p2p1#0-3", VS_NAME_VF, "0000:19:00.0" },
		{ "01:00.1#2", VS_NAME_VF, "0000:01:00.1" },
		{ "em1v3#1", VS_NAME_VF, NULL },
		{ "em9", VS_NAME_ANY, NULL },
		{ "0000:00:1f.2", VS_NAME_ANY, NULL },
		{ "../em1", VS_NAME_ANY, NULL },
		{ "..", VS_NAME_ANY, NULL },
		{ "#1", VS_NAME_VF, NULL },
	};

	for (size_t i = 0; i < ELEMENTSOF(names); i++) {
		char pf[VS_PCI_ADDR_MAX] = "";
		int r = vs_name_pf_of(&fs, names[i].name, names[i].kinds, pf);

		if (names[i].pf && (r < 0 || strcmp(pf, names[i].pf)))
			fail_msg("%s: %d '%s', want %s", names[i].name, r, pf, names[i].pf);
		if (!names[i].pf && r != -ENOENT)
			fail_msg("%s: %d '%s', want -ENOENT", names[i].name, r, pf);
	}
}

/* Two domains: a short address is domain 0000's when that has it, else
 * the one domain's that has it; several: an error listing them. */
static void test_short_domains(void **state)
{
	static const char *const args[] = {
		"--pf", "addr=0000:01:00.0,netdev=d0pf,num=2",
		"--pf", "addr=0001:01:00.0,netdev=d1pf,num=2",
		"--pf", "addr=0001:02:00.0,netdev=d1pf2,num=1",
		"--pf", "addr=0002:02:00.0,netdev=d2pf2,num=1",
		"--pf", "addr=0003:05:00.0,netdev=d3pf,num=1,vfnetdev=d3pf",
		NULL,
	};
	char *r2 = ht_generate(args);
	struct vs_sysfs fs2;
	struct vs_scan_opts o = { .sysfs = &fs2 };
	struct vs_host *h = NULL;
	struct vs_error err = { 0 };
	struct vs_vf_ref ref;
	char pf[VS_PCI_ADDR_MAX];

	assert_non_null(r2);
	assert_int_equal(vs_sysfs_init(&fs2, r2), 0);
	assert_int_equal(vs_inventory_scan(&o, &h, &err), 0);
	assert_int_equal(vs_name_resolve(h, "01:00.0", VS_NAME_PF, &ref, &err), 0);
	assert_string_equal(ref.pf->address, "0000:01:00.0");
	assert_int_equal(vs_name_resolve(h, "05:00.0", VS_NAME_PF, &ref, &err), 0);
	assert_string_equal(ref.pf->address, "0003:05:00.0");
	assert_int_equal(vs_name_resolve(h, "05:10.0", VS_NAME_VF, &ref, &err), 0);
	assert_string_equal(ref.vf->address, "0003:05:10.0");
	assert_int_equal(vs_name_resolve(h, "d3pfv0", VS_NAME_VF, &ref, &err), 0);
	assert_string_equal(ref.vf->address, "0003:05:10.0");
	assert_int_equal(vs_name_pf_of(&fs2, "05:10.0", VS_NAME_VF, pf), 0);
	assert_string_equal(pf, "0003:05:00.0");
	assert_int_equal(vs_name_resolve(h, "02:00.0", VS_NAME_PF, &ref, &err), -EINVAL);
	assert_string_equal(err.msg, "'02:00.0' is in 2 PCI domains: 0001:02:00.0, 0002:02:00.0; give the full address");
	vs_error_clear(&err);
	assert_int_equal(vs_name_pf_of(&fs2, "02:00.0", VS_NAME_PF, pf), -ENOENT);
	assert_int_equal(vs_name_resolve(h, "02:00.0#0", VS_NAME_VF, &ref, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "0001:02:00.0, 0002:02:00.0"));
	vs_error_clear(&err);
	assert_int_equal(vs_name_resolve(h, "0002:02:00.0", VS_NAME_PF, &ref, &err), 0);
	assert_string_equal(ref.pf->netdev, "d2pf2");
	vs_host_free(h);
	ht_remove(r2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_resolve_one),
		cmocka_unit_test(test_index_set),
		cmocka_unit_test(test_resolve_any),
		cmocka_unit_test(test_resolve_kinds),
		cmocka_unit_test(test_pf_of),
		cmocka_unit_test(test_short_domains),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
