/* NUMA: the host's nodes from a sysfs tree, a guest's node from its domain
 * XML (<numatune>, <vcpupin>, <vcpu cpuset>), the nearness of a PF, and
 * attach --numa's choice over the PFs of a generated host tree (required,
 * preferred, a PF of unknown node).  Expected values come from the trees'
 * specs and the XML, never from the code under test. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "attach.h"
#include "attach-int.h"
#include "hook-exec.h"
#include "host-tree.h"
#include "inventory.h"
#include "numa.h"

/* ---- bit sets ---- */

static void test_bits(void **state)
{
	static const struct { const char *in, *out; } ok[] = {
		{ "0", "0" }, { "0-3", "0-3" }, { "0-3,^2,8", "0-1,3,8" }, { " 1 , 3-4 ", "1,3-4" },
		{ "", "" }, { "5,1,2", "1-2,5" }, { "8191", "8191" },
	};
	static const char *const bad[] = { "x", "1-", "3-1", "1,,x", "^", "8192", "1;2", "-1" };
	struct vs_error err = { 0 };
	struct vs_bits b;
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(vs_bits_parse(ok[i].in, "t", &b, &err), 0);
		vs_bits_format(&b, buf, sizeof(buf));
		assert_string_equal(buf, ok[i].out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(vs_bits_parse(bad[i], "nodeset", &b, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "nodeset"));
	}
}

/* ---- the host ---- */

struct tree {
	char *root;
	struct vs_sysfs fs;
	struct vs_host *host;
	struct vs_numa_host numa;
};

#define PF(addr, netdev, numa) "--pf", "addr=" addr ",num=2,netdev=" netdev ",vfdriver=vfio-pci,numa=" numa

/* PFs p0 (node 0), p1 (node 1), pu (node unknown); nodes as given
 * ("0-1" and "2-3": node0 CPUs 0-1, node1 CPUs 2-3), NULL: none. */
static void gen(struct tree *t, const char *const *nodes)
{
	const char *args[] = { PF("0000:01:00.0", "p0", "0"), PF("0000:02:00.0", "p1", "1"),
			       PF("0000:03:00.0", "pu", "-1"), NULL };
	struct vs_scan_opts opts = { .sysfs = &t->fs };
	struct vs_error err = { 0 };

	memset(t, 0, sizeof(*t));
	t->root = ht_generate(args);
	assert_non_null(t->root);
	for (int i = 0; nodes && nodes[i]; i++) {
		char rel[64], dir[PATH_MAX];

		snprintf(dir, sizeof(dir), "%s/sys/devices/system/node/node%d", t->root, i);
		for (char *s = strchr(dir + strlen(t->root) + 1, '/'); s; s = strchr(s + 1, '/')) {
			*s = '\0';
			mkdir(dir, 0755);
			*s = '/';
		}
		assert_int_equal(mkdir(dir, 0755), 0);
		snprintf(rel, sizeof(rel), "/sys/devices/system/node/node%d/cpulist", i);
		assert_int_equal(ht_put(t->root, rel, nodes[i]), 0);
	}
	assert_int_equal(vs_sysfs_init(&t->fs, t->root), 0);
	assert_int_equal(vs_inventory_scan(&opts, &t->host, &err), 0);
	assert_int_equal(vs_numa_host_load(&t->fs, &t->numa, &err), 0);
}

static void done(struct tree *t)
{
	vs_numa_host_free(&t->numa);
	vs_host_free(t->host);
	ht_remove(t->root);
}

static void test_host(void **state)
{
	struct tree t;

	(void)state;
	gen(&t, (const char *const[]){ "0-1\n", "2-3,8\n", NULL });
	assert_int_equal(t.numa.n, 2);
	assert_int_equal(t.numa.nodes[1].id, 1);
	assert_true(vs_bits_has(&t.numa.nodes[1].cpus, 8));
	assert_false(vs_bits_has(&t.numa.nodes[0].cpus, 2));
	done(&t);
	gen(&t, NULL);
	assert_int_equal(t.numa.n, 0);
	done(&t);
}

/* ---- the guest ---- */

#define DOM(body) "<domain type='kvm'><name>g</name>" body "</domain>"

static void test_guest(void **state)
{
	static const struct { const char *xml, *nodes, *why; } rows[] = {
		{ DOM("<vcpu>2</vcpu>"), "", "neither" },
		{ DOM("<numatune><memory mode='strict' nodeset='1'/></numatune>"), "1", "memory on node 1" },
		{ DOM("<numatune><memory mode='strict' placement='auto'/></numatune>"), "", "neither" },
		{ DOM("<numatune><memnode cellid='0' nodeset='0'/><memnode cellid='1' nodeset='1'/></numatune>"), "0-1",
		  "memory on node 0-1" },
		{ DOM("<cputune><vcpupin vcpu='0' cpuset='2'/><vcpupin vcpu='1' cpuset='3'/></cputune>"), "1",
		  "vCPUs pinned to node 1" },
		{ DOM("<vcpu cpuset='0-1'>2</vcpu>"), "0", "vCPUs pinned to node 0" },
		/* <vcpupin> wins over <vcpu cpuset> */
		{ DOM("<vcpu cpuset='0-1'>1</vcpu><cputune><vcpupin vcpu='0' cpuset='3'/></cputune>"), "1", "node 1" },
		/* a CPU the host does not have: nothing to go by */
		{ DOM("<vcpu cpuset='40'>1</vcpu>"), "", "neither" },
		/* memory and vCPUs agree on one of the memory's nodes */
		{ DOM("<vcpu cpuset='2'>1</vcpu><numatune><memory nodeset='0-1'/></numatune>"), "1",
		  "memory on node 0-1 (<numatune>), vCPUs pinned to node 1" },
		/* they disagree: the memory's node */
		{ DOM("<vcpu cpuset='0'>1</vcpu><numatune><memory nodeset='1'/></numatune>"), "1",
		  "the memory's node counts" },
	};
	struct tree t;

	(void)state;
	gen(&t, (const char *const[]){ "0-1", "2-3", NULL });
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vs_error err = { 0 };
		struct vs_numa_guest g;
		char buf[64];

		assert_int_equal(vs_numa_guest_nodes(rows[i].xml, &t.numa, &g, &err), 0);
		vs_bits_format(&g.nodes, buf, sizeof(buf));
		if (strcmp(buf, rows[i].nodes) != 0 || !strstr(g.why, rows[i].why))
			fail_msg("row %zu: nodes '%s' (want '%s'), why '%s' (want '%s')", i, buf, rows[i].nodes, g.why,
				 rows[i].why);
	}
	struct vs_error err = { 0 };
	struct vs_numa_guest g;

	assert_int_equal(vs_numa_guest_nodes(DOM("<numatune><memory nodeset='x'/></numatune>"), &t.numa, &g, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "'x'"));
	done(&t);
}

static void test_rank(void **state)
{
	struct vs_numa_host none = { 0 };
	struct vs_numa_node one_node = { .id = 0 };
	struct vs_numa_host one = { &one_node, 1 };
	struct tree t;
	struct vs_bits n1;

	(void)state;
	memset(&n1, 0, sizeof(n1));
	vs_bits_add(&n1, 1);
	gen(&t, (const char *const[]){ "0-1", "2-3", NULL });
	assert_int_equal(vs_numa_rank(&t.numa, 1, &n1), VS_NUMA_NEAR);
	assert_int_equal(vs_numa_rank(&t.numa, 0, &n1), VS_NUMA_FAR);
	assert_int_equal(vs_numa_rank(&t.numa, -1, &n1), VS_NUMA_UNKNOWN);
	/* one node (or none in sysfs): -1 is that node */
	assert_int_equal(vs_numa_pf_node(&one, -1), 0);
	assert_int_equal(vs_numa_pf_node(&none, -1), 0);
	assert_int_equal(vs_numa_pf_node(&t.numa, -1), -1);
	done(&t);
}

/* ---- attach --numa N: the choice ---- */

static void hold(struct vs_host *h, const char *pf, const char *guest)
{
	struct vs_pf *p = vs_host_find_pf(h, pf);

	assert_non_null(p);
	for (size_t i = 0; i < p->n_vfs; i++) {
		free(p->vfs[i].in_use_by);
		p->vfs[i].in_use_by = strdup(guest);
	}
}

static int choose(struct tree *t, const char *numa, bool required, char *pf_out, struct vs_attach_result *res,
		  struct vs_error *err)
{
	struct vs_hook_env hook = { .sysfs = &t->fs };
	struct vs_attach_env env = { .host = t->host, .hook = &hook };
	struct vs_attach_req req = { .numa = numa, .numa_required = required };
	struct vs_choose_in in = { .host = t->host };
	struct vs_vf_facts *facts = NULL;
	size_t pos = 0;
	int r;

	memset(res, 0, sizeof(*res));
	res->numa_node = -1;
	pf_out[0] = '\0';
	r = vs_attach_numa_pick(&env, &req, NULL, 0, &in, &facts, &pos, res, err);
	if (r == 0) {
		snprintf(pf_out, IFNAMSIZ + 8, "%s#%zu", in.pf->netdev, pos);
		vs_attach_facts_free(facts, in.pf->n_vfs);
	}
	return r;
}

static void test_choice(void **state)
{
	struct vs_attach_result res;
	struct vs_error err = { 0 };
	struct tree t;
	char pf[32];

	(void)state;
	gen(&t, (const char *const[]){ "0-1", "2-3", NULL });
	assert_int_equal(choose(&t, "1", true, pf, &res, &err), 0);
	assert_string_equal(pf, "p1#0");
	assert_int_equal(res.numa_node, 1);
	assert_string_equal(res.numa_note, "");

	/* node 1 full: required refuses, naming where free VFs are */
	hold(t.host, "p1", "big");
	assert_int_equal(choose(&t, "1", true, pf, &res, &err), -ENOSPC);
	assert_non_null(strstr(err.msg, "no free VF on NUMA node 1 (PF p1 (2 VFs: 2 held by guest big))"));
	assert_non_null(strstr(err.msg, "free VFs on node 0; 2 on PFs of unknown node"));
	/* preferred: the PF of unknown node before the one known to be elsewhere */
	memset(&err, 0, sizeof(err));
	assert_int_equal(choose(&t, "1", false, pf, &res, &err), 0);
	assert_string_equal(pf, "pu#0");
	assert_non_null(strstr(res.numa_note, "took one of PF pu, on an unknown node"));
	hold(t.host, "pu", "big");
	assert_int_equal(choose(&t, "1", false, pf, &res, &err), 0);
	assert_string_equal(pf, "p0#0");
	assert_non_null(strstr(res.numa_note, "took one of PF p0, on another node"));
	/* nothing free anywhere */
	hold(t.host, "p0", "big");
	assert_int_equal(choose(&t, "1", true, pf, &res, &err), -ENOSPC);
	assert_non_null(strstr(err.msg, "nor on any other node"));
	/* a node the host does not have */
	memset(&err, 0, sizeof(err));
	assert_int_equal(choose(&t, "7", false, pf, &res, &err), -ERANGE);
	assert_non_null(strstr(err.msg, "no NUMA node 7 (its nodes: 0-1)"));
	done(&t);

	/* one node: the PF of unknown node is on it */
	gen(&t, (const char *const[]){ "0-3", NULL });
	hold(t.host, "p0", "big");
	memset(&err, 0, sizeof(err));
	assert_int_equal(choose(&t, "0", true, pf, &res, &err), 0);
	assert_string_equal(pf, "pu#0");
	assert_int_equal(res.numa_node, 0);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_guest),
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_choice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
