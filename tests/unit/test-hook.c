/* The hook's decisions, run in-process on libvirt's captured inputs, a
 * generated sysfs tree whose VFs match the captures, and the file-backed
 * fake kernel with the PFs' VF tables in a file (tests/tools/fake-kernel.h). */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <cmocka.h>

#include "conf.h"
#include "fake-kernel.h"
#include "hook.h"
#include "policy.h"
#include "statedir.h"

#define GA_UUID "4f1bd86d-9f62-4c8c-886a-6b0fc8fd2fb7"
#define GB_UUID "628e2f8a-1c64-4678-9543-72711a742d4c"

static char base[] = "/tmp/vs-test-hook-XXXXXX";
static char tree[256], state_dir[256], fake[256], fake_log[300], fake_orig[300];
static struct vs_sysfs sysfs;
static struct vs_conf conf, no_conf;
static struct vs_hook_env env;
static struct vs_hook_nl kern;

/* Every VF of both capture hosts, in the state a freshly probed VF has. */
static void write_fake(const char *extra)
{
	FILE *f = fopen(fake, "w");

	assert_non_null(f);
	fputs("{ \"em1\": [", f);
	for (int i = 0; i < 2; i++)
		fprintf(f, "%s{\"index\":%d,\"mac\":\"00:00:00:00:00:00\",\"vlan\":0,\"qos\":0,\"spoofchk\":true,"
			"\"trust\":false,\"link_state\":\"auto\",\"min_tx_rate\":0,\"max_tx_rate\":0}", i ? "," : "", i);
	fputs("], \"eth0\": [", f);
	for (int i = 0; i < 7; i++)
		fprintf(f, "%s{\"index\":%d,\"mac\":\"02:00:00:00:00:0%d\",\"vlan\":0,\"qos\":0,\"spoofchk\":true,"
			"\"trust\":false,\"link_state\":\"auto\",\"min_tx_rate\":0,\"max_tx_rate\":0}", i ? "," : "", i, i);
	fprintf(f, "]%s }\n", extra ? extra : "");
	fclose(f);
	unlink(fake_log);
}

static int setup(void **state)
{
	char cmd[1024];

	assert_non_null(mkdtemp(base));
	snprintf(tree, sizeof(tree), "%s/tree", base);
	snprintf(state_dir, sizeof(state_dir), "%s/state", base);
	snprintf(fake, sizeof(fake), "%s/fake.json", base);
	snprintf(fake_log, sizeof(fake_log), "%s.log", fake);
	snprintf(fake_orig, sizeof(fake_orig), "%s/orig.json", base);
	snprintf(cmd, sizeof(cmd),
		 "%s --pf addr=0000:03:00.0,netdev=em1,offset=129,stride=2,num=2,total=7 "
		 "--pf addr=0000:01:00.0,netdev=eth0,id=8086:10c9,vfid=8086:10ca,offset=128,stride=2,num=7,total=7 %s",
		 GEN_HOST_TREE, tree);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(vs_sysfs_init(&sysfs, tree), 0);
	assert_int_equal(vs_conf_load(HOOK_DATA "/host.conf", &conf, NULL), 0);
	assert_int_equal(vs_conf_parse_string("", "/etc/virt-sriov/virt-sriov.conf", &no_conf, NULL), 0);
	env.sysfs = &sysfs;
	env.conf = &conf;
	env.state_dir = state_dir;
	assert_int_equal(fk_open_file(fake, &kern.nl), 0);
	env.kernel = &kern;
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];

	vs_conf_free(&conf);
	vs_conf_free(&no_conf);
	vs_hook_nl_close(&kern);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

/* What the fake's tables are compared with at the end. */
static void snapshot(void)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", fake, fake_orig);
	assert_int_equal(system(cmd), 0);
}

static int per_test(void **state)
{
	char cmd[600];

	env.conf = &conf;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", state_dir);
	assert_int_equal(system(cmd), 0);
	write_fake(NULL);
	snapshot();
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, VS_HOOK_INPUT_MAX + 2);

	assert_non_null(f);
	*len = fread(buf, 1, VS_HOOK_INPUT_MAX + 1, f);
	fclose(f);
	return buf;
}

/* As libvirt runs it: PATH NAME OP SUBOP - with the file on stdin. */
static int run(const char *driver, const char *name, const char *op, const char *subop, const char *file,
	       struct vs_plan *plan, struct vs_error *err)
{
	char argv0[64], path[PATH_MAX];
	char *argv[] = { argv0, (char *)name, (char *)op, (char *)subop, (char *)"-", NULL };
	size_t len;
	char *xml;
	int status;

	snprintf(argv0, sizeof(argv0), "/etc/libvirt/hooks/%s.d/virt-sriov", driver);
	if (file[0] == '/')
		snprintf(path, sizeof(path), "%s", file);
	else
		snprintf(path, sizeof(path), "%s/%s", HOOK_DATA, file);
	xml = slurp(path, &len);
	memset(err, 0, sizeof(*err));
	status = vs_hook_run(&env, 5, argv, xml, len, plan, err);
	free(xml);
	return status;
}

static int run_free(const char *driver, const char *name, const char *op, const char *subop, const char *file,
		    struct vs_error *err)
{
	struct vs_plan plan;
	int status = run(driver, name, op, subop, file, &plan, err);

	vs_plan_free(&plan);
	return status;
}

static int count_lines(const char *path, const char *prefix)
{
	char line[256];
	int n = 0;
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f))
		n += strncmp(line, prefix, strlen(prefix)) == 0;
	if (f)
		fclose(f);
	return n;
}

static json_object *fake_vf(const char *pf, int index)
{
	json_object *root = json_object_from_file(fake), *arr, *vf;

	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, pf, &arr));
	vf = json_object_get(json_object_array_get_idx(arr, (size_t)index));
	json_object_put(root);
	return vf;
}

static const char *field(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/* The driver starts refusing a setting; the VF tables stay as they are. */
static void refuse(const char *pf, const char *setting)
{
	json_object *root = json_object_from_file(fake), *r = json_object_new_object();

	assert_non_null(root);
	json_object_object_add(r, pf, json_object_new_string(setting));
	json_object_object_add(root, "_refuse", r);
	assert_int_equal(json_object_to_file(fake, root), 0);
	json_object_put(root);
}

static bool fake_is_original(void)
{
	json_object *a = json_object_from_file(fake), *b = json_object_from_file(fake_orig);
	bool same = json_object_equal(a, b);

	json_object_put(a);
	json_object_put(b);
	return same;
}

static int state_files(void)
{
	DIR *d = opendir(state_dir);
	struct dirent *de;
	int n = 0;

	/* state files; the per-guest lock files (UUID.lock) hold nothing */
	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.' && strstr(de->d_name, ".json") != NULL;
	if (d)
		closedir(d);
	return n;
}

static void test_other_ops_do_nothing(void **state)
{
	struct vs_error err;

	assert_int_equal(run_free("qemu", "ga", "start", "begin", "captures/013_qemu_ga_start_begin.xml", &err), 0);
	assert_int_equal(run_free("qemu", "ga", "stopped", "end", "captures/015_qemu_ga_stopped_end.xml", &err), 0);
	assert_int_equal(run_free("network", "pool-list", "started", "begin",
				  "captures/003_network_pool-list_started_begin.xml", &err), 0);
	assert_int_equal(count_lines(fake_log, "SETLINK"), 0);
	assert_int_equal(state_files(), 0);
}

/* Plain <hostdev>: the hook owns every setting, MAC and VLAN included. */
static void test_hostdev_prepare_release(void **state)
{
	struct vs_plan plan;
	struct vs_error err;
	struct vs_state st;
	json_object *vf;

	assert_int_equal(run("qemu", "ga", "prepare", "begin", "policy/ga_prepare.xml", &plan, &err), 0);
	assert_int_equal(plan.n, 1);
	assert_string_equal(plan.vfs[0].pf, "em1");
	assert_int_equal(plan.vfs[0].index, 0);
	vs_plan_free(&plan);
	vf = fake_vf("em1", 0);
	assert_string_equal(field(vf, "mac"), "52:54:00:aa:00:01");
	assert_string_equal(field(vf, "vlan"), "10");
	assert_string_equal(field(vf, "spoofchk"), "false");
	assert_string_equal(field(vf, "trust"), "true");
	assert_string_equal(field(vf, "max_tx_rate"), "1000");
	json_object_put(vf);
	assert_int_equal(count_lines(fake_log, "SETLINK em1"), 1);

	/* what was there before is saved, by UUID */
	assert_int_equal(vs_state_load(state_dir, GA_UUID, &st, NULL), 0);
	assert_int_equal(st.n, 1);
	assert_int_equal(st.vfs[0].saved.spoofchk, 1);
	assert_int_equal(st.vfs[0].saved.trust, 0);
	assert_int_equal(st.vfs[0].saved.vlan, 0);
	assert_true(st.vfs[0].saved.has_mac);
	assert_int_equal(st.vfs[0].saved.link_state, -1);   /* not changed: not saved */
	vs_state_free(&st);

	assert_int_equal(run_free("qemu", "ga", "release", "end", "captures/017_qemu_ga_release_end.xml", &err), 0);
	assert_true(fake_is_original());
	assert_int_equal(count_lines(fake_log, "SETLINK em1"), 2);
	assert_int_equal(state_files(), 0);
	/* a second release finds nothing to do */
	assert_int_equal(run_free("qemu", "ga", "release", "end", "captures/017_qemu_ga_release_end.xml", &err), 0);
	assert_int_equal(count_lines(fake_log, "SETLINK"), 2);
}

/* Pool VF: MAC and VLAN belong to libvirt; the rest comes from the policy
 * remembered at prepare and the [pool] section. */
static void test_pool_port(void **state)
{
	struct vs_plan plan;
	struct vs_error err;
	json_object *vf;

	assert_int_equal(run("qemu", "gb", "prepare", "begin", "policy/gb_prepare.xml", &plan, &err), 0);
	assert_int_equal(plan.n, 0);
	assert_int_equal(plan.pending.n, 1);
	vs_plan_free(&plan);
	assert_int_equal(count_lines(fake_log, "SETLINK"), 0);

	assert_int_equal(run("network", "pool-list", "port-created", "begin",
			     "captures/021_network_pool-list_port-created_begin.xml", &plan, &err), 0);
	assert_int_equal(plan.n, 1);
	assert_string_equal(plan.vfs[0].network, "pool-list");
	assert_int_equal(plan.notes.n, 1);
	assert_non_null(strstr(plan.notes.v[0], "mac and vlan left to libvirt"));
	vs_plan_free(&plan);
	vf = fake_vf("em1", 0);
	assert_string_equal(field(vf, "mac"), "00:00:00:00:00:00");
	assert_string_equal(field(vf, "vlan"), "0");
	assert_string_equal(field(vf, "trust"), "true");
	assert_string_equal(field(vf, "link_state"), "enable");
	assert_string_equal(field(vf, "max_tx_rate"), "500");    /* guest-mac rule over [pool] 2000 */
	json_object_put(vf);

	assert_int_equal(run_free("network", "pool-list", "port-deleted", "begin",
				  "captures/025_network_pool-list_port-deleted_begin.xml", &err), 0);
	assert_true(fake_is_original());
	assert_int_equal(run_free("qemu", "gb", "release", "end", "captures/027_qemu_gb_release_end.xml", &err), 0);
	assert_int_equal(state_files(), 0);
	assert_int_equal(count_lines(fake_log, "SETLINK em1"), 2);
}

/* Real-VF captures: a pool port on eth0 (named by PCI address in the
 * config) and a plain hostdev. */
static void test_real_vf_captures(void **state)
{
	struct vs_error err;
	json_object *vf;

	assert_int_equal(run_free("qemu", "l2net", "prepare", "begin", "policy/l2net_prepare.xml", &err), 0);
	assert_int_equal(run_free("network", "vfpool", "port-created", "begin",
				  "captures-real-vf/004_network_vfpool_port-created_begin.xml", &err), 0);
	vf = fake_vf("eth0", 0);
	assert_string_equal(field(vf, "spoofchk"), "false");
	assert_string_equal(field(vf, "trust"), "true");
	assert_string_equal(field(vf, "vlan"), "0");     /* policy vlan=5 left to libvirt */
	json_object_put(vf);
	assert_int_equal(run_free("qemu", "l2hd", "prepare", "begin", "policy/l2hd_prepare.xml", &err), 0);
	vf = fake_vf("eth0", 1);
	assert_string_equal(field(vf, "mac"), "52:54:00:e2:e0:10");
	assert_string_equal(field(vf, "vlan"), "5");
	assert_string_equal(field(vf, "qos"), "2");
	json_object_put(vf);
	assert_int_equal(state_files(), 2);
	assert_int_equal(run_free("network", "vfpool", "port-deleted", "begin",
				  "captures-real-vf/008_network_vfpool_port-deleted_begin.xml", &err), 0);
	assert_int_equal(run_free("qemu", "l2net", "release", "end", "captures-real-vf/009_qemu_l2net_release_end.xml", &err), 0);
	assert_int_equal(run_free("qemu", "l2hd", "release", "end", "captures-real-vf/014_qemu_l2hd_release_end.xml", &err), 0);
	assert_true(fake_is_original());
	assert_int_equal(state_files(), 0);
}

static void test_refused_by_gate(void **state)
{
	struct vs_error err;

	env.conf = &no_conf;
	assert_int_equal(run_free("qemu", "ga", "prepare", "begin", "policy/ga_prepare.xml", &err), 1);
	assert_string_equal(err.msg, "guest 'ga': VF 0000:03:10.1 (em1#0): spoofchk off is not allowed by the host: "
			    "set allow-spoofchk-off = yes in [pf em1] of /etc/virt-sriov/virt-sriov.conf");
	assert_int_equal(count_lines(fake_log, "SETLINK"), 0);
	assert_int_equal(state_files(), 0);
	/* the same request on an <interface type='hostdev'> */
	assert_int_equal(run_free("qemu", "gc", "prepare", "begin", "policy/gc_prepare.xml", &err), 1);
	assert_non_null(strstr(err.msg, "guest 'gc': VF 0000:03:10.3 (em1#1): spoofchk off is not allowed"));
}

static int pool_vfs_fake(void *data, const char *network, struct vs_strv *out)
{
	const char *const *vfs = data;

	if (strcmp(network, "pool-list") != 0)
		return 0;
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(vs_strv_add(out, "%s", vfs[i]), 0);
	return 0;
}

/* `policy set` asks the hook's plan about a policy before storing it: the
 * same refusal, word for word, as the start would get. */
static int plan_policy(const char *file, const char *policy, bool pools, struct vs_plan *plan)
{
	static const char *const pool_list[] = { "0000:01:10.0", "0000:01:10.2" };
	struct vs_pool_vfs_fn pool = { .fn = pool_vfs_fake, .data = (void *)pool_list };
	struct vs_hook_input in = { 0 };
	struct vs_policy pol = { 0 };
	char path[PATH_MAX];
	size_t len;
	char *xml;
	int r;

	snprintf(path, sizeof(path), "%s/%s", HOOK_DATA, file);
	xml = slurp(path, &len);
	assert_int_equal(vs_hook_input_parse(VS_HOOK_QEMU, VS_HOOK_PREPARE, xml, len, &in, NULL), 0);
	assert_int_equal(vs_policy_parse_string(policy, &pol, NULL), 0);
	r = vs_hook_plan_policy(&env, &in, &pol, pools ? &pool : NULL, plan);
	vs_policy_free(&pol);
	vs_hook_input_free(&in);
	free(xml);
	return r;
}

static void test_policy_checked_before_stored(void **state)
{
	struct vs_plan plan;

	env.conf = &no_conf;
	assert_int_equal(plan_policy("policy/ga_prepare.xml", "<policy><vf spoofchk='off'/></policy>", true, &plan), -EPERM);
	assert_string_equal(plan.refusal.msg, "guest 'ga': VF 0000:03:10.1 (em1#0): spoofchk off is not allowed by the host: "
			    "set allow-spoofchk-off = yes in [pf em1] of /etc/virt-sriov/virt-sriov.conf");
	vs_plan_free(&plan);
	/* the guest's own element in the XML is not what is asked about */
	assert_int_equal(plan_policy("policy/ga_prepare.xml", "<policy><vf max-tx-rate='10'/></policy>", true, &plan), 0);
	assert_int_equal(plan.refusal.code, 0);
	vs_plan_free(&plan);
	/* a pool's VF: every VF the pool may hand out, as port-created resolves it */
	assert_int_equal(plan_policy("policy/gb_prepare.xml", "<policy><vf trust='on'/></policy>", true, &plan), -EPERM);
	assert_non_null(strstr(plan.refusal.msg, "guest 'gb': VF 0000:01:10.0 (eth0#0): trust on is not allowed"));
	vs_plan_free(&plan);
	assert_int_equal(plan_policy("policy/gb_prepare.xml", "<policy><vf trust='on'/></policy>", false, &plan), 0);
	vs_plan_free(&plan);
	/* [pool pool-list] allow-trust-on = yes */
	env.conf = &conf;
	assert_int_equal(plan_policy("policy/gb_prepare.xml", "<policy><vf trust='on'/></policy>", true, &plan), 0);
	assert_int_equal(plan.refusal.code, 0);
	vs_plan_free(&plan);
	assert_int_equal(plan_policy("policy/ga_prepare.xml", "<policy><vf spoofchk='off' trust='on'/></policy>", true, &plan), 0);
	assert_int_equal(plan.n, 1);
	vs_plan_free(&plan);
}

/* A policy the hook cannot follow exactly stops the start, in one line
 * naming the guest and the policy's line: a typo or a setting in the wrong
 * place must not start the guest without (or with other) settings. */
static const struct {
	const char *file;
	const char *message;
} refused_policies[] = {
	{ "policy/ga_prepare_unknown_vf.xml", "guest 'ga': policy line 6: VF 0000:03:10.5 does not exist on this host" },
	{ "policy/ga_prepare_bad_value.xml", "guest 'ga': policy line 6: spoofchk maybe: expected on or off" },
	/* on the host, but given to another guest (or to none) */
	{ "policy/ga_prepare_other_vf.xml", "guest 'ga': policy line 7: VF 0000:03:10.3 is not one of the guest's VFs "
	  "(a pool's VF is selected by network or guest-mac)" },
	{ "policy/ga_prepare_two_policies.xml", "guest 'ga': policy line 8: a second <policy> element (the first is at "
	  "line 5): give one" },
	{ "policy/ga_prepare_nested.xml", "guest 'ga': policy line 7: <vf> inside the <vf> of line 6: rules do not nest" },
	{ "policy/ga_prepare_foreign_attr.xml", "guest 'ga': policy line 6: attribute 'other:trust' (namespace "
	  "urn:example:other) on <vf>: settings and selectors take no prefix" },
	{ "policy/ga_prepare_duplicate.xml", "guest 'ga': policy line 7: a second rule for address 0000:03:10.1 (the "
	  "first is at line 6): one rule per selector" },
	{ "policy/ga_prepare_rates.xml", "guest 'ga': policy line 6: min-tx-rate 500 above max-tx-rate 100" },
	{ "policy/ga_prepare_broadcast_mac.xml", "guest 'ga': policy line 6: mac ff:ff:ff:ff:ff:ff: multicast MAC, a VF "
	  "needs a unicast one" },
};

static void test_refused_policy(void **state)
{
	struct vs_error err;

	for (size_t i = 0; i < ELEMENTSOF(refused_policies); i++) {
		assert_int_equal(run_free("qemu", "ga", "prepare", "begin", refused_policies[i].file, &err), 1);
		if (strcmp(err.msg, refused_policies[i].message) != 0)
			fail_msg("%s: '%s', expected '%s'", refused_policies[i].file, err.msg, refused_policies[i].message);
	}
	/* the VF a pool will hand out is not known at prepare: an address rule
	 * for it worked only when the pool happened to pick that VF */
	assert_int_equal(run_free("qemu", "gb", "prepare", "begin", "policy/gb_prepare_pool_address.xml", &err), 1);
	assert_string_equal(err.msg, "guest 'gb': policy line 6: VF 0000:03:10.1 is not one of the guest's VFs "
			    "(a pool's VF is selected by network or guest-mac)");
	assert_int_equal(count_lines(fake_log, "SETLINK"), 0);
	assert_int_equal(state_files(), 0);
}

/* The driver refuses part of the request: nothing stays half-applied. */
static void test_apply_failure_rolls_back(void **state)
{
	struct vs_error err;
	struct vs_state st;

	write_fake(", \"_refuse\": { \"em1\": \"trust\" }");
	snapshot();
	assert_int_equal(run_free("qemu", "ga", "prepare", "begin", "policy/ga_prepare.xml", &err), 1);
	assert_non_null(strstr(err.msg, "guest 'ga': em1: VF 0: trust on: Operation not supported"));
	/* the rollback request carries no trust, so the fake takes it */
	assert_int_equal(count_lines(fake_log, "SETLINK em1"), 2);
	assert_true(fake_is_original());
	if (vs_state_load(state_dir, GA_UUID, &st, NULL) == 0) {
		assert_int_equal(st.n, 0);
		vs_state_free(&st);
	}
}

/* Teardown never fails; what cannot be put back stays for reconcile. */
static void test_release_failure_is_kept(void **state)
{
	struct vs_plan plan;
	struct vs_error err;
	struct vs_state st;

	assert_int_equal(run_free("qemu", "ga", "prepare", "begin", "policy/ga_prepare.xml", &err), 0);
	refuse("em1", "mac");
	assert_int_equal(run("qemu", "ga", "release", "end", "captures/017_qemu_ga_release_end.xml", &plan, &err), 0);
	assert_int_equal(plan.warnings.n, 1);
	assert_non_null(strstr(plan.warnings.v[0], "guest 'ga': VF 0000:03:10.1 (em1#0): could not put back"));
	vs_plan_free(&plan);
	assert_int_equal(vs_state_load(state_dir, GA_UUID, &st, NULL), 0);
	assert_int_equal(st.n, 1);
	vs_state_free(&st);
	/* once the driver takes it, reconcile's plan puts it back */
	write_fake(NULL);
	assert_int_equal(vs_hook_plan_restore(&env, GA_UUID, &plan, &err), 0);
	assert_int_equal(plan.n, 1);
	assert_int_equal(vs_hook_execute(&env, &plan, &err), 0);
	assert_int_equal(plan.warnings.n, 0);
	vs_plan_free(&plan);
	assert_int_equal(state_files(), 0);
}

/* Started again without a release in between (hook or host crash): the
 * originals saved the first time are kept. */
static void test_second_prepare_keeps_originals(void **state)
{
	struct vs_error err;

	assert_int_equal(run_free("qemu", "ga", "prepare", "begin", "policy/ga_prepare.xml", &err), 0);
	assert_int_equal(run_free("qemu", "ga", "prepare", "begin", "policy/ga_prepare.xml", &err), 0);
	assert_int_equal(run_free("qemu", "ga", "release", "end", "captures/017_qemu_ga_release_end.xml", &err), 0);
	assert_true(fake_is_original());
}

/* A domain XML of the test's own, written into the test's directory. */
static FILE *input_file(const char *name, char path[PATH_MAX])
{
	FILE *f;

	snprintf(path, PATH_MAX, "%s/%s", base, name);
	f = fopen(path, "w");
	assert_non_null(f);
	return f;
}

/* Seven VFs of one PF: one RTM_SETLINK to apply, one to put back. */
static void test_one_request_per_pf(void **state)
{
	char path[PATH_MAX];
	FILE *f;
	struct vs_error err;

	f = input_file("seven.xml", path);
	fputs("<domain type='qemu'><name>g7</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
	      "<metadata><p:policy xmlns:p='https://virt-sriov.org/xmlns/policy/1'><p:vf spoofchk='off' trust='on'/>"
	      "</p:policy></metadata><devices>", f);
	for (int i = 0; i < 7; i++)
		fprintf(f, "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='1' "
			"slot='0x%x' function='%d'/></source></hostdev>", 0x10 + (i * 2) / 8, (i * 2) % 8);
	fputs("</devices></domain>", f);
	fclose(f);
	assert_int_equal(run_free("qemu", "g7", "prepare", "begin", path, &err), 0);
	assert_int_equal(count_lines(fake_log, "SETLINK eth0 7"), 1);
	assert_int_equal(count_lines(fake_log, "SETLINK"), 1);
	assert_int_equal(run_free("qemu", "g7", "release", "end", path, &err), 0);
	assert_int_equal(count_lines(fake_log, "SETLINK eth0 7"), 2);
	assert_true(fake_is_original());
}

/* 100,000 rules fit the 4 MiB input cap but not a state file release
 * can read: refused at prepare, saying so, before anything is changed. */
static void test_oversized_policy_refused(void **state)
{
	char path[PATH_MAX];
	FILE *f;
	struct vs_error err;

	f = input_file("huge.xml", path);
	fputs("<domain type='qemu'><name>ga</name><uuid>" GA_UUID "</uuid><metadata>"
	      "<vsp:policy xmlns:vsp='https://virt-sriov.org/xmlns/policy/1'>", f);
	for (int i = 0; i < 100000; i++)
		fputs("<vsp:vf trust='on'/>", f);
	fputs("</vsp:policy></metadata><devices><hostdev mode='subsystem' type='pci' managed='yes'><source>"
	      "<address domain='0' bus='3' slot='0x10' function='1'/></source></hostdev></devices></domain>", f);
	assert_true(ftell(f) < VS_HOOK_INPUT_MAX);
	fclose(f);
	assert_int_equal(run_free("qemu", "ga", "prepare", "begin", path, &err), 1);
	assert_non_null(strstr(err.msg, "guest 'ga': "));
	assert_non_null(strstr(err.msg, "policy"));
	assert_int_equal(count_lines(fake_log, "SETLINK"), 0);
	assert_int_equal(state_files(), 0);
	assert_true(fake_is_original());
}

/* Another run holds the directory lock and the guest's lock for ms
 * milliseconds (a child process: flock is per process); returns its pid
 * once it holds them. */
static pid_t hold_locks_of(const char *uuid, int ms, bool dir_too)
{
	char name[64];
	int p[2];
	char c;
	pid_t pid;

	snprintf(name, sizeof(name), "%s.lock", uuid);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int a = -1, b = -1;

		if ((dir_too && vs_statedir_lock(state_dir, NULL, 100, &a, NULL) < 0) ||
		    vs_statedir_lock(state_dir, name, 100, &b, NULL) < 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		usleep((useconds_t)ms * 1000);
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

static pid_t hold_locks(const char *uuid, int ms)
{
	return hold_locks_of(uuid, ms, true);
}

static void reap(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Many guests stopping at once: a release whose locks are held for a
 * second by another run waits for it, then puts everything back. */
static void test_release_waits_for_peer(void **state)
{
	struct vs_plan plan;
	struct vs_error err;
	pid_t pid;

	assert_int_equal(run_free("qemu", "ga", "prepare", "begin", "policy/ga_prepare.xml", &err), 0);
	pid = hold_locks(GA_UUID, 1000);
	assert_int_equal(run("qemu", "ga", "release", "end", "captures/017_qemu_ga_release_end.xml", &plan, &err), 0);
	reap(pid);
	assert_int_equal(plan.n, 1);
	assert_false(plan.vfs[0].failed);
	assert_int_equal(plan.warnings.n, 0);
	vs_plan_free(&plan);
	assert_true(fake_is_original());
	assert_int_equal(state_files(), 0);
}

/* Past its deadline, release says which VFs it did not put back, marks
 * them failed (the log says "put back" only for the others) and keeps
 * them for reconcile. */
static void test_release_deadline_keeps_state(void **state)
{
	struct vs_plan plan;
	struct vs_error err;
	struct vs_state st;
	pid_t pid;

	assert_int_equal(run_free("qemu", "ga", "prepare", "begin", "policy/ga_prepare.xml", &err), 0);
	env.release_ms = 200;
	pid = hold_locks(GA_UUID, 1000);
	assert_int_equal(run("qemu", "ga", "release", "end", "captures/017_qemu_ga_release_end.xml", &plan, &err), 0);
	env.release_ms = 0;
	reap(pid);
	assert_int_equal(plan.n, 1);
	assert_true(plan.vfs[0].failed);
	assert_int_equal(plan.warnings.n, 1);
	assert_non_null(strstr(plan.warnings.v[0], "guest 'ga': VF 0000:03:10.1 (em1#0): not put back"));
	assert_non_null(strstr(plan.warnings.v[0], "reconcile"));
	vs_plan_free(&plan);
	assert_false(fake_is_original());
	assert_int_equal(vs_state_load(state_dir, GA_UUID, &st, NULL), 0);
	assert_int_equal(st.n, 1);
	vs_state_free(&st);
	assert_int_equal(run_free("qemu", "ga", "release", "end", "captures/017_qemu_ga_release_end.xml", &err), 0);
	assert_true(fake_is_original());
	assert_int_equal(state_files(), 0);
}

/* A slow driver: release puts back what it can within its budget, then
 * names the VFs of the PFs it did not reach and keeps them. */
static void test_release_deadline_mid_way(void **state)
{
	char path[PATH_MAX];
	FILE *f;
	struct vs_plan plan;
	struct vs_error err;
	struct vs_state st;
	json_object *root;

	f = input_file("two-pfs.xml", path);
	fputs("<domain type='qemu'><name>g2</name><uuid>" GB_UUID "</uuid><metadata>"
	      "<vsp:policy xmlns:vsp='https://virt-sriov.org/xmlns/policy/1'><vsp:vf spoofchk='off'/></vsp:policy>"
	      "</metadata><devices><hostdev mode='subsystem' type='pci' managed='yes'><source>"
	      "<address domain='0' bus='3' slot='0x10' function='1'/></source></hostdev>"
	      "<hostdev mode='subsystem' type='pci' managed='yes'><source>"
	      "<address domain='0' bus='1' slot='0x10' function='0'/></source></hostdev></devices></domain>", f);
	fclose(f);
	assert_int_equal(run_free("qemu", "g2", "prepare", "begin", path, &err), 0);
	root = json_object_from_file(fake);
	json_object_object_add(root, "_delay_ms", json_object_new_int(300));
	assert_int_equal(json_object_to_file(fake, root), 0);
	json_object_put(root);
	env.release_ms = 250;
	assert_int_equal(run("qemu", "g2", "release", "end", path, &plan, &err), 0);
	env.release_ms = 0;
	assert_int_equal(plan.n, 2);
	assert_false(plan.vfs[0].failed);
	assert_true(plan.vfs[1].failed);
	assert_int_equal(plan.warnings.n, 1);
	assert_non_null(strstr(plan.warnings.v[0], "VF 0000:01:10.0 (eth0#0): not put back: the release deadline"));
	vs_plan_free(&plan);
	assert_int_equal(vs_state_load(state_dir, GB_UUID, &st, NULL), 0);
	assert_int_equal(st.n, 1);
	assert_string_equal(st.vfs[0].address, "0000:01:10.0");
	vs_state_free(&st);
	/* reconcile finishes it */
	assert_int_equal(vs_hook_plan_restore(&env, GB_UUID, &plan, &err), 0);
	assert_int_equal(vs_hook_execute(&env, &plan, &err), 0);
	assert_int_equal(plan.warnings.n, 0);
	vs_plan_free(&plan);
	assert_int_equal(state_files(), 0);
}

/* Release needs the UUID alone: an XML over the input cap (a huge
 * <metadata> of another application) still puts back. */
static void test_release_over_input_cap(void **state)
{
	char path[PATH_MAX];
	FILE *f;
	struct vs_error err;

	assert_int_equal(run_free("qemu", "ga", "prepare", "begin", "policy/ga_prepare.xml", &err), 0);
	f = input_file("release-huge.xml", path);
	fputs("<domain type='qemu' id='1'>\n  <name>ga</name>\n  <uuid>" GA_UUID "</uuid>\n"
	      "  <metadata><x:app xmlns:x='urn:x'>", f);
	for (int i = 0; i < (VS_HOOK_INPUT_MAX / 16) + 10; i++)
		fputs("<x:a b='cdefg'/>", f);
	fputs("</x:app></metadata><devices/></domain>\n", f);
	assert_true(ftell(f) > VS_HOOK_INPUT_MAX);
	fclose(f);
	assert_int_equal(run_free("qemu", "ga", "release", "end", path, &err), 0);
	assert_true(fake_is_original());
	assert_int_equal(state_files(), 0);
}

/* Guest B, given the VF guest ga had (0000:03:10.1): spoofchk off only. */
static void write_gb_xml(char *path, size_t size)
{
	FILE *f;

	snprintf(path, size, "%s/gb-takes-over.xml", base);
	f = fopen(path, "w");
	fputs("<domain type='qemu'><name>gb</name><uuid>" GB_UUID "</uuid><metadata>"
	      "<vsp:policy xmlns:vsp='https://virt-sriov.org/xmlns/policy/1'><vsp:vf spoofchk='off'/></vsp:policy>"
	      "</metadata><devices><hostdev mode='subsystem' type='pci' managed='yes'><source>"
	      "<address domain='0' bus='3' slot='0x10' function='1'/></source></hostdev></devices></domain>", f);
	fclose(f);
}

static void unrefuse(void)
{
	json_object *root = json_object_from_file(fake);

	json_object_object_del(root, "_refuse");
	assert_int_equal(json_object_to_file(fake, root), 0);
	json_object_put(root);
}

/* ga's release fails and leaves trust on; gb is given the VF: the
 * leftovers are put back from ga's state first, gb saves the true
 * originals, and a later reconcile of ga leaves gb's VF alone. */
static void test_leftover_never_adopted(void **state)
{
	char path[PATH_MAX];
	struct vs_plan plan;
	struct vs_error err;
	struct vs_state st;
	json_object *vf;

	write_gb_xml(path, sizeof(path));
	assert_int_equal(run_free("qemu", "ga", "prepare", "begin", "policy/ga_prepare.xml", &err), 0);
	refuse("em1", "mac");
	assert_int_equal(run_free("qemu", "ga", "release", "end", "captures/017_qemu_ga_release_end.xml", &err), 0);
	unrefuse();
	vf = fake_vf("em1", 0);
	assert_string_equal(field(vf, "trust"), "true");
	json_object_put(vf);

	assert_int_equal(run("qemu", "gb", "prepare", "begin", path, &plan, &err), 0);
	assert_int_equal(plan.warnings.n, 1);
	assert_non_null(strstr(plan.warnings.v[0], "VF 0000:03:10.1"));
	assert_non_null(strstr(plan.warnings.v[0], "guest 'ga'"));
	vs_plan_free(&plan);
	vf = fake_vf("em1", 0);
	assert_string_equal(field(vf, "trust"), "false");
	assert_string_equal(field(vf, "mac"), "00:00:00:00:00:00");
	assert_string_equal(field(vf, "spoofchk"), "false");
	json_object_put(vf);
	assert_int_equal(vs_state_load(state_dir, GB_UUID, &st, NULL), 0);
	assert_int_equal(st.n, 1);
	assert_int_equal(st.vfs[0].saved.spoofchk, 1);
	vs_state_free(&st);
	/* ga's file keeps its policy, without the VF */
	assert_int_equal(vs_state_load(state_dir, GA_UUID, &st, NULL), 0);
	assert_int_equal(st.n, 0);
	vs_state_free(&st);

	/* reconcile of ga: nothing of gb's */
	assert_int_equal(vs_hook_plan_restore(&env, GA_UUID, &plan, &err), 0);
	assert_int_equal(vs_hook_execute(&env, &plan, &err), 0);
	assert_int_equal(plan.n, 0);
	vs_plan_free(&plan);
	vf = fake_vf("em1", 0);
	assert_string_equal(field(vf, "spoofchk"), "false");
	json_object_put(vf);
	assert_int_equal(run_free("qemu", "gb", "release", "end", path, &err), 0);
	assert_true(fake_is_original());
	assert_int_equal(state_files(), 0);
}

/* The VF's holder is busy right now (its lock held past the wait): the
 * start is refused naming both guests, and nothing changes. */
static void test_claimed_by_busy_guest_refused(void **state)
{
	char path[PATH_MAX];
	struct vs_error err;
	pid_t pid;

	write_gb_xml(path, sizeof(path));
	assert_int_equal(run_free("qemu", "ga", "prepare", "begin", "policy/ga_prepare.xml", &err), 0);
	snapshot();
	pid = hold_locks_of(GA_UUID, 2500, false);
	assert_int_equal(run_free("qemu", "gb", "prepare", "begin", path, &err), 1);
	reap(pid);
	assert_non_null(strstr(err.msg, "guest 'gb'"));
	assert_non_null(strstr(err.msg, "guest 'ga'"));
	assert_non_null(strstr(err.msg, "0000:03:10.1"));
	assert_true(fake_is_original());
	assert_int_equal(state_files(), 1);
}

static const struct {
	const char *file;
	const char *driver;
	const char *message;          /* at prepare / port-created */
} hostile[] = {
	{ "hostile/not-xml.txt", "qemu", "hook input: cannot parse XML" },
	{ "hostile/empty.txt", "qemu", "hook input: nothing on stdin" },
	{ "hostile/wrong-root.xml", "qemu", "expected <domain> on stdin, got <network>" },
	{ "hostile/missing-uuid.xml", "qemu", "/domain/uuid is missing" },
	{ "hostile/dotdot-uuid.xml", "qemu", "/domain/uuid is not a UUID: '../../../../etc/cron.d/evil'" },
	{ "hostile/xxe.xml", "qemu", "has a <!DOCTYPE>" },
	{ "hostile/laughs.xml", "qemu", "hook input" },
	{ "hostile/truncated.xml", "qemu", "cannot parse XML" },
	{ "hostile/port-dotdot-owner.xml", "network", "owner/uuid is not a UUID" },
	{ "captures/021_network_pool-list_port-created_begin.xml", "qemu", "expected <domain> on stdin, got <hookData>" },
	{ "captures/011_qemu_ga_prepare_begin.xml", "network", "expected <hookData> on stdin, got <domain>" },
};

static void test_hostile_input(void **state)
{
	struct vs_error err;

	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		bool net = strcmp(hostile[i].driver, "network") == 0;

		assert_int_equal(run_free(hostile[i].driver, "x", net ? "port-created" : "prepare", "begin",
					  hostile[i].file, &err), 1);
		if (!strstr(err.msg, hostile[i].message))
			fail_msg("%s: '%s' does not say '%s'", hostile[i].file, err.msg, hostile[i].message);
		assert_null(strchr(err.msg, '\n'));
		assert_int_equal(run_free(hostile[i].driver, "x", net ? "port-deleted" : "release", net ? "begin" : "end",
					  hostile[i].file, &err), 0);
	}
	assert_int_equal(count_lines(fake_log, "SETLINK"), 0);
	assert_int_equal(state_files(), 0);
}

static void test_huge_and_nul_input(void **state)
{
	char *argv[] = { (char *)"/h/qemu.d/virt-sriov", (char *)"x", (char *)"prepare", (char *)"begin", (char *)"-", NULL };
	char *big = malloc(VS_HOOK_INPUT_MAX + 2);
	struct vs_plan plan;
	struct vs_error err = { 0 };

	memset(big, ' ', VS_HOOK_INPUT_MAX + 1);
	big[VS_HOOK_INPUT_MAX + 1] = '\0';
	assert_int_equal(vs_hook_run(&env, 5, argv, big, VS_HOOK_INPUT_MAX + 1, &plan, &err), 1);
	assert_non_null(strstr(err.msg, "more than"));
	vs_plan_free(&plan);
	memcpy(big, "<domain>\0</domain>", 18);
	memset(&err, 0, sizeof(err));
	assert_int_equal(vs_hook_run(&env, 5, argv, big, 18, &plan, &err), 1);
	assert_non_null(strstr(err.msg, "NUL byte"));
	vs_plan_free(&plan);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_other_ops_do_nothing, per_test),
		cmocka_unit_test_setup(test_hostdev_prepare_release, per_test),
		cmocka_unit_test_setup(test_pool_port, per_test),
		cmocka_unit_test_setup(test_real_vf_captures, per_test),
		cmocka_unit_test_setup(test_refused_by_gate, per_test),
		cmocka_unit_test_setup(test_refused_policy, per_test),
		cmocka_unit_test_setup(test_policy_checked_before_stored, per_test),
		cmocka_unit_test_setup(test_apply_failure_rolls_back, per_test),
		cmocka_unit_test_setup(test_release_failure_is_kept, per_test),
		cmocka_unit_test_setup(test_second_prepare_keeps_originals, per_test),
		cmocka_unit_test_setup(test_one_request_per_pf, per_test),
		cmocka_unit_test_setup(test_oversized_policy_refused, per_test),
		cmocka_unit_test_setup(test_release_waits_for_peer, per_test),
		cmocka_unit_test_setup(test_release_deadline_keeps_state, per_test),
		cmocka_unit_test_setup(test_release_deadline_mid_way, per_test),
		cmocka_unit_test_setup(test_release_over_input_cap, per_test),
		cmocka_unit_test_setup(test_leftover_never_adopted, per_test),
		cmocka_unit_test_setup(test_claimed_by_busy_guest_refused, per_test),
		cmocka_unit_test_setup(test_hostile_input, per_test),
		cmocka_unit_test_setup(test_huge_and_nul_input, per_test),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
