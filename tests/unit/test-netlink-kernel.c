/* Against the real kernel's rtnetlink, inside the private network namespace
 * that tests/integration/netlink-kernel.sh sets up (lo, and a veth named by
 * $VS_NL_VETH).  A veth has no VFs: the kernel parses and validates every
 * VF request and then refuses it with EOPNOTSUPP; a malformed request gets
 * EINVAL.  That tells a well-formed message from a broken one. */
#include "config.h"

#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "netlink.h"

static const char *veth(void)
{
	const char *v = getenv("VS_NL_VETH");

	return v && *v ? v : "vpf0";
}

static int open_nl(void **state)
{
	struct vs_nl *nl = NULL;
	struct vs_error err = { 0 };

	if (vs_nl_open(&nl, &err) < 0) {
		print_error("%s\n", err.msg);
		return -1;
	}
	*state = nl;
	return 0;
}

static int close_nl(void **state)
{
	vs_nl_close(*state);
	return 0;
}

static void test_getlink_no_vfs(void **state)
{
	const char *names[] = { "lo", veth() };

	for (size_t i = 0; i < ELEMENTSOF(names); i++) {
		struct vs_pf_vf_list l;
		struct vs_error err = { 0 };

		assert_int_equal(vs_nl_get_vfs(*state, names[i], &l, &err), 0);
		assert_int_equal(l.n, 0);
		assert_true(l.num_vf <= 0); /* absent (-1) on virtual devices, or 0 */
		assert_false(l.truncated);
		vs_pf_vf_list_free(&l);
	}
}

static void test_getlink_missing_device(void **state)
{
	struct vs_pf_vf_list l;
	struct vs_error err = { 0 };

	assert_int_equal(vs_nl_get_vfs(*state, "vs-nosuch0", &l, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "vs-nosuch0"));
}

static struct vs_vf_config cfg(int index)
{
	struct vs_vf_config c;

	vs_vf_config_init(&c, index);
	return c;
}

static void expect_eopnotsupp(void *nl, const struct vs_vf_config *c, size_t n, const char *what)
{
	struct vs_error err = { 0 };
	struct vs_nl_ack ack;
	int r = vs_nl_set_vfs_ack(nl, veth(), c, n, &ack, &err);

	if (r != -EOPNOTSUPP)
		fail_msg("%s: got %d (%s), want -EOPNOTSUPP", what, r, err.msg);
	assert_int_equal(ack.error, -EOPNOTSUPP);
}

/* Each attribute alone, so that each is proven well formed on its own. */
static void test_each_setting_eopnotsupp(void **state)
{
	struct vs_vf_config c;

	c = cfg(0); c.has_mac = true; c.mac[0] = 0x52; c.mac[5] = 1;
	expect_eopnotsupp(*state, &c, 1, "mac");
	c = cfg(0); c.vlan = 5;
	expect_eopnotsupp(*state, &c, 1, "vlan 802.1Q");
	c = cfg(0); c.vlan = 5; c.qos = 3; c.vlan_proto = ETH_P_8021AD;
	expect_eopnotsupp(*state, &c, 1, "vlan 802.1ad (IFLA_VF_VLAN_LIST)");
	c = cfg(0); c.min_tx_rate = 10; c.max_tx_rate = 100;
	expect_eopnotsupp(*state, &c, 1, "rate");
	c = cfg(0); c.spoofchk = 0;
	expect_eopnotsupp(*state, &c, 1, "spoofchk");
	c = cfg(0); c.link_state = IFLA_VF_LINK_STATE_ENABLE;
	expect_eopnotsupp(*state, &c, 1, "link-state");
	c = cfg(0); c.query_rss = 1;
	expect_eopnotsupp(*state, &c, 1, "query-rss");
	c = cfg(0); c.trust = 1;
	expect_eopnotsupp(*state, &c, 1, "trust");
}

static void test_batch64_eopnotsupp(void **state)
{
	struct vs_vf_config cfgs[64];

	for (int i = 0; i < 64; i++) {
		cfgs[i] = cfg(i);
		cfgs[i].spoofchk = 0;
		cfgs[i].trust = 1;
		cfgs[i].vlan = i + 1;
	}
	expect_eopnotsupp(*state, cfgs, 64, "64 VFs");
}

/* The same request with the first entry's type changed from IFLA_VF_INFO:
 * do_setlink refuses it with EINVAL before any driver is asked. */
static void test_malformed_einval(void **state)
{
	struct vs_vf_config c = cfg(0);
	struct vs_nl_ack ack;
	struct nlmsghdr *h;
	struct nlattr *list, *entry;
	void *buf = NULL;
	size_t len;

	c.spoofchk = 0;
	assert_int_equal(vs_nl_build_setvfs(veth(), &c, 1, 1, &buf, &len, NULL), 0);
	h = buf;
	list = (struct nlattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct ifinfomsg)));
	list = (struct nlattr *)((char *)list + NLA_ALIGN(list->nla_len)); /* skip IFLA_IFNAME */
	assert_int_equal(list->nla_type & NLA_TYPE_MASK, IFLA_VFINFO_LIST);
	entry = (struct nlattr *)((char *)list + NLA_HDRLEN);
	assert_int_equal(entry->nla_type & NLA_TYPE_MASK, IFLA_VF_INFO);
	entry->nla_type = (uint16_t)((entry->nla_type & ~NLA_TYPE_MASK) | 2);
	assert_int_equal(vs_nl_request(*state, buf, len, &ack), 0);
	assert_int_equal(ack.error, -EINVAL);
	free(buf);
}

/* A short IFLA_VF_SPOOFCHK: the kernel checks attribute lengths against
 * its ifla_vf_policy before asking the driver, so a length mistake could
 * never hide behind EOPNOTSUPP. */
static void test_short_attribute_refused(void **state)
{
	struct vs_vf_config c = cfg(0);
	struct vs_nl_ack ack;
	struct nlattr *spoof;
	char *buf = NULL;
	size_t len;

	c.spoofchk = 0;
	assert_int_equal(vs_nl_build_setvfs(veth(), &c, 1, 1, (void **)&buf, &len, NULL), 0);
	/* the message ends with IFLA_VF_SPOOFCHK: its 12 bytes are the last */
	spoof = (struct nlattr *)(buf + len - 12);
	assert_int_equal(spoof->nla_type, IFLA_VF_SPOOFCHK);
	spoof->nla_len = NLA_HDRLEN + 4;
	assert_int_equal(vs_nl_request(*state, buf, len, &ack), 0);
	if (ack.error == -EOPNOTSUPP || ack.error == 0)
		fail_msg("short attribute answered %d", ack.error);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_getlink_no_vfs),
		cmocka_unit_test(test_getlink_missing_device),
		cmocka_unit_test(test_each_setting_eopnotsupp),
		cmocka_unit_test(test_batch64_eopnotsupp),
		cmocka_unit_test(test_malformed_einval),
		cmocka_unit_test(test_short_attribute_refused),
	};

	return cmocka_run_group_tests(tests, open_nl, close_nl);
}
