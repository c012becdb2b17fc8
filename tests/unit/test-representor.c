/* Representors found on a sysfs tree built here, the bridge keys, and the
 * rtnetlink requests that bring a representor up and into a bridge, byte
 * for byte (expected bytes written with fake-nl.c's raw writer, never with
 * the code under test). */
#include "config.h"

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "fake-nl.h"
#include "netlink.h"
#include "conf.h"
#include "policy.h"
#include "representor.h"
#include "state.h"

static char tmpl[] = "/tmp/vs-test-rep-XXXXXX";
static struct vs_sysfs fs;

static void mkdirs(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", tmpl, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

/* A netdev under /sys/class/net: its switch id and port name (NULL: absent). */
static void netdev(const char *name, const char *switch_id, const char *port)
{
	const char *files[2] = { "phys_switch_id", "phys_port_name" }, *values[2] = { switch_id, port };
	char rel[64], path[PATH_MAX];
	FILE *f;

	snprintf(rel, sizeof(rel), "/sys/class/net/%s", name);
	mkdirs(rel);
	for (int i = 0; i < 2; i++) {
		if (!values[i])
			continue;
		snprintf(path, sizeof(path), "%s/sys/class/net/%s/%s", tmpl, name, files[i]);
		assert_non_null(f = fopen(path, "w"));
		fprintf(f, "%s\n", values[i]);
		fclose(f);
	}
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpl))
		return -1;
	mkdirs("/sys");
	mkdirs("/sys/class");
	mkdirs("/sys/class/net");
	/* mlx5-like: the uplink says p0; its VFs' representors; the second
	 * PF (its own switch) has the same port names */
	netdev("ens1f0", "aabbccdd", "p0");
	netdev("ens1f0_0", "aabbccdd", "pf0vf0");
	netdev("ens1f0_1", "aabbccdd", "pf0vf1");
	netdev("ens1f1", "11223344", "p1");
	netdev("ens1f1_1", "11223344", "pf1vf1");
	/* netdevsim: the PF's port name is p1, its representors pf0vfN */
	netdev("eni1np1", "5566", "p1");
	netdev("eni1npf0vf0", "5566", "pf0vf0");
	netdev("eni1npf0vf2", "5566", "pf0vf2");
	/* a shared switch (two PFs, one id): only pf<P> of the PF counts */
	netdev("sw0", "7788", "pf1");
	netdev("sw0rep", "7788", "pf0vf0");
	netdev("sw1rep", "7788", "pf1vf0");
	/* legacy mode: no switch id */
	netdev("eth0", NULL, NULL);
	netdev("lo", NULL, NULL);
	return vs_sysfs_init(&fs, tmpl);
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	return system(cmd) == 0 ? 0 : -1;
}

static void find_ok(const char *pf, int vf, const char *want, int pfnum)
{
	struct vs_representor r;
	struct vs_error err = { 0 };

	assert_int_equal(vs_representor_find(&fs, pf, vf, &r, &err), 0);
	assert_string_equal(r.netdev, want);
	assert_int_equal(r.vf, vf);
	assert_int_equal(r.pfnum, pfnum);
}

static void test_find(void **state)
{
	(void)state;
	find_ok("ens1f0", 0, "ens1f0_0", 0);
	find_ok("ens1f0", 1, "ens1f0_1", 0);
	/* the other PF's pf1vf1, found by its own switch id */
	find_ok("ens1f1", 1, "ens1f1_1", 1);
	/* netdevsim's p1 is a port index: the switch has one P, 0 */
	find_ok("eni1np1", 2, "eni1npf0vf2", 0);
	/* the shared switch: pf1 says which */
	find_ok("sw0", 0, "sw1rep", 1);
}

static void test_not_found(void **state)
{
	struct vs_representor r;
	struct vs_error err = { 0 };

	(void)state;
	assert_int_equal(vs_representor_find(&fs, "eth0", 0, &r, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "eth0"));
	assert_non_null(strstr(err.msg, "switchdev"));
	vs_error_clear(&err);
	assert_int_equal(vs_representor_find(&fs, "ens1f0", 5, &r, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "pf0vf5"));
	vs_error_clear(&err);
	assert_int_equal(vs_representor_find(&fs, "nosuch", 0, &r, &err), -ENOENT);
}

static void test_parse_name(void **state)
{
	int p, v;

	(void)state;
	assert_true(vs_representor_parse_name("pf0vf3", &p, &v));
	assert_int_equal(p, 0);
	assert_int_equal(v, 3);
	assert_true(vs_representor_parse_name("pf12vf255", &p, &v));
	assert_int_equal(p, 12);
	assert_int_equal(v, 255);
	assert_false(vs_representor_parse_name("c1pf0vf3", &p, &v));
	assert_false(vs_representor_parse_name("p0", &p, &v));
	assert_false(vs_representor_parse_name("pf0vf", &p, &v));
	assert_false(vs_representor_parse_name("pf0vf03", &p, &v));
	assert_false(vs_representor_parse_name("pf0vf3x", &p, &v));
	assert_false(vs_representor_parse_name("pf0sf3", &p, &v));
	assert_false(vs_representor_parse_name("pf-1vf3", &p, &v));
	assert_false(vs_representor_parse_name("pf0vf99999", &p, &v));
}

static void test_bridge_keys(void **state)
{
	struct vs_rep_bridge b = { 0 };
	struct vs_error err = { 0 };

	(void)state;
	assert_int_equal(vs_rep_bridge_parse(&b, "bridge", "br0", false, &err), 0);
	assert_int_equal(b.kind, VS_BRIDGE_LINUX);
	assert_string_equal(b.name, "br0");
	assert_int_equal(vs_rep_bridge_parse(&b, "ovs-bridge", "br-int", false, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "bridge 'br0'"));
	memset(&b, 0, sizeof(b));
	assert_int_equal(vs_rep_bridge_parse(&b, "representor-ovs-bridge", "br-int", true, NULL), 0);
	assert_int_equal(b.kind, VS_BRIDGE_OVS);
	memset(&b, 0, sizeof(b));
	/* a policy key is not a conf key, and the other way round */
	assert_int_equal(vs_rep_bridge_parse(&b, "bridge", "br0", true, NULL), -ENOENT);
	assert_int_equal(vs_rep_bridge_parse(&b, "representor-bridge", "br0", false, NULL), -ENOENT);
	vs_error_clear(&err);
	assert_int_equal(vs_rep_bridge_parse(&b, "bridge", "a-very-long-bridge", false, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "a-very-long-bridge"));
	assert_int_equal(vs_rep_bridge_parse(&b, "bridge", "", false, NULL), -EINVAL);
	assert_int_equal(vs_rep_bridge_parse(&b, "bridge", "br 0", false, NULL), -EINVAL);
	assert_int_equal(vs_rep_bridge_parse(&b, "bridge", "../x", false, NULL), -EINVAL);
	assert_int_equal(b.kind, VS_BRIDGE_NONE);
	assert_int_equal(vs_rep_bridge_parse(&b, "bridge", "123456789012345", false, NULL), 0);
}

/* ---- rtnetlink ---- */

static void assert_bytes(const void *got, size_t got_len, const struct wbuf *want)
{
	if (got_len != want->len || memcmp(got, want->b, want->len) != 0) {
		const unsigned char *g = got;

		for (size_t i = 0; i < got_len && i < want->len; i++)
			if (g[i] != want->b[i]) {
				print_error("first difference at byte %zu: got %02x want %02x\n", i, g[i], want->b[i]);
				break;
			}
		print_error("length got %zu want %zu\n", got_len, want->len);
		fail();
	}
}

/* nlmsghdr + ifinfomsg with the given index, flags and change mask. */
static void w_link(struct wbuf *w, uint16_t type, uint16_t nlflags, uint32_t seq, int index, unsigned flags,
		   unsigned change)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = nlflags, .nlmsg_seq = seq };
	struct ifinfomsg ifi;

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = index;
	ifi.ifi_flags = flags;
	ifi.ifi_change = change;
	w_init(w);
	w_put(w, &h, sizeof(h));
	w_put(w, &ifi, sizeof(ifi));
}

#define REQ (NLM_F_REQUEST | NLM_F_ACK)
/* IF_OPER_UP of <linux/if.h>, which clashes with <net/if.h> */
#define OPER_UP 6

static void test_build_up(void **state)
{
	struct wbuf want;
	void *buf = NULL;
	size_t len;

	(void)state;
	w_link(&want, RTM_SETLINK, REQ, 7, 0, IFF_UP, IFF_UP);
	w_attr_str(&want, IFLA_IFNAME, "eni1npf0vf0");
	w_msg_end(&want);
	assert_int_equal(vs_nl_build_link_flags("eni1npf0vf0", IFF_UP, IFF_UP, 7, &buf, &len), 0);
	assert_bytes(buf, len, &want);
	free(buf);
	w_free(&want);
	assert_int_equal(vs_nl_build_link_flags("0123456789abcdef", IFF_UP, IFF_UP, 7, &buf, &len), -EINVAL);
}

static void test_build_master(void **state)
{
	struct wbuf want;
	void *buf = NULL;
	size_t len;

	(void)state;
	for (int master = 0; master <= 12; master += 12) {
		w_link(&want, RTM_SETLINK, REQ, 9, 0, 0, 0);
		w_attr_str(&want, IFLA_IFNAME, "rep0");
		w_attr_u32(&want, IFLA_MASTER, (uint32_t)master);
		w_msg_end(&want);
		assert_int_equal(vs_nl_build_set_master("rep0", master, 9, &buf, &len), 0);
		assert_bytes(buf, len, &want);
		free(buf);
		w_free(&want);
	}
	w_link(&want, RTM_GETLINK, REQ, 3, 0, 0, 0);
	w_attr_str(&want, IFLA_IFNAME, "br0");
	w_attr_u32(&want, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	w_msg_end(&want);
	assert_int_equal(vs_nl_build_getlink_info("br0", 3, &buf, &len), 0);
	assert_bytes(buf, len, &want);
	free(buf);
	w_free(&want);
}

/* An RTM_NEWLINK as the kernel answers: index, flags, master, operstate, kind. */
static void w_newlink(struct wbuf *w, int index, unsigned flags, int master, const char *kind)
{
	uint8_t oper = OPER_UP;
	size_t li;

	w_link(w, RTM_NEWLINK, 0, 0, index, flags, 0);
	w_attr_str(w, IFLA_IFNAME, "x");
	if (master)
		w_attr_u32(w, IFLA_MASTER, (uint32_t)master);
	w_attr(w, IFLA_OPERSTATE, &oper, 1);
	if (kind) {
		li = w_nest_start(w, IFLA_LINKINFO);
		w_attr_str(w, IFLA_INFO_KIND, kind);
		w_nest_end(w, li);
	}
	w_msg_end(w);
}

static void test_parse_info(void **state)
{
	struct vs_nl_link l;
	struct wbuf w;

	(void)state;
	w_newlink(&w, 5, IFF_UP | IFF_BROADCAST, 12, "bridge");
	assert_int_equal(vs_nl_parse_link_info(w.b, w.len, &l), 0);
	assert_int_equal(l.ifindex, 5);
	assert_true(l.flags & IFF_UP);
	assert_int_equal(l.master, 12);
	assert_int_equal(l.operstate, OPER_UP);
	assert_string_equal(l.kind, "bridge");
	assert_int_equal(vs_nl_parse_link_info(w.b, 10, &l), -EBADMSG);
	w_free(&w);
	w_newlink(&w, 6, 0, 0, NULL);
	assert_int_equal(vs_nl_parse_link_info(w.b, w.len, &l), 0);
	assert_int_equal(l.master, 0);
	assert_string_equal(l.kind, "");
	w_free(&w);
}

static void test_set_master(void **state)
{
	struct fake_nl f;
	struct wbuf w, want;
	struct vs_error err = { 0 };

	(void)state;
	fake_init(&f);
	w_newlink(&w, 12, IFF_UP, 0, "bridge");
	fake_queue(&f, &w);
	w_free(&w);
	fake_queue_ack(&f, 0, NULL);
	fake_queue_ack(&f, 0, NULL);
	assert_int_equal(vs_nl_set_master(&f.nl, "rep0", "br0", &err), 0);
	assert_int_equal(f.nreq, 2);
	w_link(&want, RTM_SETLINK, REQ, ((struct nlmsghdr *)f.req[1])->nlmsg_seq, 0, 0, 0);
	w_attr_str(&want, IFLA_IFNAME, "rep0");
	w_attr_u32(&want, IFLA_MASTER, 12);
	w_msg_end(&want);
	assert_bytes(f.req[1], f.req_len[1], &want);
	w_free(&want);
	fake_free(&f);

	/* no such bridge: refused before the representor is touched */
	fake_init(&f);
	fake_queue_ack(&f, -ENODEV, NULL);
	assert_int_equal(vs_nl_set_master(&f.nl, "rep0", "br9", &err), -ENODEV);
	assert_int_equal(f.nreq, 1);
	assert_non_null(strstr(err.msg, "rep0"));
	assert_non_null(strstr(err.msg, "br9"));
	fake_free(&f);

	/* an OVS bridge's netdev is no Linux bridge */
	fake_init(&f);
	vs_error_clear(&err);
	w_newlink(&w, 13, IFF_UP, 0, "openvswitch");
	fake_queue(&f, &w);
	w_free(&w);
	fake_queue_ack(&f, 0, NULL);
	assert_int_equal(vs_nl_set_master(&f.nl, "rep0", "br-int", &err), -EINVAL);
	assert_int_equal(f.nreq, 1);
	assert_non_null(strstr(err.msg, "br-int is not a Linux bridge (kind openvswitch)"));
	fake_free(&f);

	/* release: IFLA_MASTER 0, no look-up; a refusal names the netdev */
	fake_init(&f);
	vs_error_clear(&err);
	fake_queue_ack(&f, -EPERM, "no way");
	assert_int_equal(vs_nl_set_master(&f.nl, "rep0", NULL, &err), -EPERM);
	assert_int_equal(f.nreq, 1);
	assert_non_null(strstr(err.msg, "rep0: leave its bridge"));
	assert_non_null(strstr(err.msg, "no way"));
	fake_free(&f);
}

static void test_link_up(void **state)
{
	struct fake_nl f;
	struct vs_error err = { 0 };

	(void)state;
	fake_init(&f);
	fake_queue_ack(&f, 0, NULL);
	assert_int_equal(vs_nl_link_up(&f.nl, "rep0", &err), 0);
	assert_int_equal(f.nreq, 1);
	assert_int_equal(((struct ifinfomsg *)NLMSG_DATA(f.req[0]))->ifi_flags, IFF_UP);
	assert_int_equal(((struct ifinfomsg *)NLMSG_DATA(f.req[0]))->ifi_change, IFF_UP);
	fake_free(&f);
	fake_init(&f);
	fake_queue_ack(&f, -ENODEV, NULL);
	assert_int_equal(vs_nl_link_up(&f.nl, "gone0", &err), -ENODEV);
	assert_non_null(strstr(err.msg, "gone0"));
	fake_free(&f);
}

/* ---- the keys in virt-sriov.conf, in a policy, and in the state file ---- */

static void test_conf_keys(void **state)
{
	struct vs_conf c;
	struct vs_error err = { 0 };

	(void)state;
	assert_int_equal(vs_conf_parse_string("[pf ens1f0]\nrepresentor-ovs-bridge = br-int\n", "t.conf", &c, &err), 0);
	assert_int_equal(c.sections[0].rep_bridge.kind, VS_BRIDGE_OVS);
	assert_string_equal(c.sections[0].rep_bridge.name, "br-int");
	vs_conf_free(&c);
	assert_int_equal(vs_conf_parse_string("[pf ens1f0]\nrepresentor-bridge = br0\nrepresentor-ovs-bridge = br-int\n",
					      "t.conf", &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "t.conf:3: representor-ovs-bridge 'br-int': representor-bridge 'br0' is given"));
	vs_error_clear(&err);
	assert_int_equal(vs_conf_parse_string("[defaults]\nrepresentor-bridge = br0\n", "t.conf", &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "belongs in [pf]"));
	vs_error_clear(&err);
	assert_int_equal(vs_conf_parse_string("[pf ens1f0]\nrepresentor-bridge = bridge-name-too-long\n", "t.conf", &c,
					      &err), -EINVAL);
	assert_non_null(strstr(err.msg, "t.conf:2: representor-bridge 'bridge-name-too-long' is not a bridge name"));
}

static void test_policy_keys(void **state)
{
	struct vs_policy pol = { 0 };
	struct vs_conf c;
	struct vs_rep_bridge b;
	struct vs_error err = { 0 };
	struct vs_vf_where w = { .address = "0000:00:1f.1", .index = 1, .pf_netdev = "ens1f0" };
	char *text = NULL;

	(void)state;
	assert_int_equal(vs_conf_parse_string("[pf ens1f0]\nrepresentor-bridge = brpf\n", "t.conf", &c, &err), 0);
	vs_policy_bridge(&c, NULL, &w, &b);
	assert_int_equal(b.kind, VS_BRIDGE_LINUX);
	assert_string_equal(b.name, "brpf");
	assert_int_equal(vs_policy_parse_string("<policy><vf bridge='br0' trust='on'/>"
						"<vf address='0000:00:1f.1' ovs-bridge='br-int'/></policy>", &pol, &err), 0);
	vs_policy_bridge(&c, &pol, &w, &b);
	assert_int_equal(b.kind, VS_BRIDGE_OVS);
	assert_string_equal(b.name, "br-int");
	w.address = "0000:00:1f.2";
	vs_policy_bridge(&c, &pol, &w, &b);
	assert_int_equal(b.kind, VS_BRIDGE_LINUX);
	assert_string_equal(b.name, "br0");
	/* a bridge is no VF setting: the rule's settings hold trust alone */
	assert_int_equal(pol.rules[0].cfg.trust, 1);
	assert_int_equal(vs_policy_format(&pol, &text), 0);
	assert_non_null(strstr(text, "bridge=\"br0\""));
	assert_non_null(strstr(text, "ovs-bridge=\"br-int\""));
	free(text);
	vs_policy_free(&pol);
	vs_conf_free(&c);
	assert_int_equal(vs_policy_parse_string("<policy><vf bridge='br0' ovs-bridge='br1'/></policy>", &pol, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "policy line 1: ovs-bridge 'br1': bridge 'br0' is given already"));
}

static void test_state_reps(void **state)
{
	struct vs_state st = { 0 }, back = { 0 };
	struct vs_state_rep *r;
	struct vs_error err = { 0 };
	char dir[PATH_MAX];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/state", tmpl);
	vs_strlcpy(st.uuid, "4b1f5a70-93a1-4a4e-9b43-5b7c61e0a001", sizeof(st.uuid));
	assert_non_null(r = vs_state_rep(&st, "0000:00:1f.1", true));
	vs_strlcpy(r->netdev, "eni1npf0vf1", sizeof(r->netdev));
	r->bridge = (struct vs_rep_bridge){ VS_BRIDGE_OVS, "br-int" };
	assert_non_null(r = vs_state_rep(&st, "0000:00:1f.2", true));
	vs_strlcpy(r->netdev, "eni1npf0vf2", sizeof(r->netdev));
	assert_true(vs_state_has_content(&st));
	assert_int_equal(vs_state_save(dir, &st, &err), 0);
	assert_int_equal(vs_state_load(dir, st.uuid, &back, &err), 0);
	assert_int_equal(back.n_reps, 2);
	assert_string_equal(back.reps[0].netdev, "eni1npf0vf1");
	assert_int_equal(back.reps[0].bridge.kind, VS_BRIDGE_OVS);
	assert_string_equal(back.reps[0].bridge.name, "br-int");
	assert_int_equal(back.reps[1].bridge.kind, VS_BRIDGE_NONE);
	vs_state_remove_rep(&back, vs_state_rep(&back, "0000:00:1f.1", false));
	assert_int_equal(back.n_reps, 1);
	assert_string_equal(back.reps[0].vf, "0000:00:1f.2");
	vs_state_free(&back);
	vs_state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_parse_name),
		cmocka_unit_test(test_bridge_keys),
		cmocka_unit_test(test_build_up),
		cmocka_unit_test(test_build_master),
		cmocka_unit_test(test_parse_info),
		cmocka_unit_test(test_set_master),
		cmocka_unit_test(test_link_up),
		cmocka_unit_test(test_conf_keys),
		cmocka_unit_test(test_policy_keys),
		cmocka_unit_test(test_state_reps),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
