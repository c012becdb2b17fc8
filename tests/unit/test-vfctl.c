/* vfctl: command-line values, validation (nothing sent on refusal),
 * grouping by PF, and what a refusal leaves in effect, against the fake
 * transport of test-netlink-fake.c. */
#include "config.h"

#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "test-netlink-fake.h"
#include "vfctl.h"

static struct vs_vf vfs_a[8], vfs_b[4];
static struct vs_pf pf_a, pf_b;

static void make_pf(struct vs_pf *pf, struct vs_vf *vfs, size_t n, const char *addr, const char *netdev)
{
	memset(pf, 0, sizeof(*pf));
	snprintf(pf->address, sizeof(pf->address), "%s", addr);
	snprintf(pf->netdev, sizeof(pf->netdev), "%s", netdev);
	pf->totalvfs = 8;
	pf->numvfs = (int)n;
	pf->vfs = vfs;
	pf->n_vfs = n;
	for (size_t i = 0; i < n; i++) {
		memset(&vfs[i], 0, sizeof(vfs[i]));
		vfs[i].index = (unsigned)i;
		snprintf(vfs[i].address, sizeof(vfs[i].address), "%.7s:10.%zu", addr, i);
	}
}

static int setup(void **state)
{
	make_pf(&pf_a, vfs_a, 8, "0000:05:00.0", "em1");
	make_pf(&pf_b, vfs_b, 4, "0000:06:00.0", "em2");
	return 0;
}

static struct vs_vf_config cfg(int index)
{
	struct vs_vf_config c;

	vs_vf_config_init(&c, index);
	return c;
}

/* As `vf set` does it: plan (which validates), and only then apply. */
static int plan_and_apply(struct fake_nl *f, const struct vs_vf_config *tmpl, const struct vs_vf_ref *refs, size_t n,
			  struct vs_error *err)
{
	struct vs_vfctl_plan *plans = NULL;
	size_t nplans = 0;
	int r = vs_vfctl_plan_build(refs, n, tmpl, false, &plans, &nplans, err);

	for (size_t i = 0; i < nplans && r == 0; i++) {
		struct vs_vfctl_outcome o = { 0 };

		r = vs_vfctl_apply(&f->nl, plans[i].pf->netdev, plans[i].cfgs, plans[i].n, &o, err);
		vs_vfctl_outcome_free(&o);
	}
	vs_vfctl_plans_free(plans, nplans);
	return r;
}

static void test_parse_settings(void **state)
{
	static const struct { const char *name, *value; int r; } cases[] = {
		{ "vlan", "5", 0 }, { "vlan", "5:3", 0 }, { "vlan", "5:3:802.1ad", 0 }, { "vlan", "5:3:802.1q", 0 },
		{ "vlan", "abc", -EINVAL }, { "vlan", "5:x", -EINVAL }, { "vlan", "5:1:qinq", -EINVAL },
		{ "vlan", "-1", -ERANGE }, { "vlan", "", -EINVAL },
		{ "mac", "52:54:00:00:00:01", 0 }, { "mac", "zz", -EINVAL },
		{ "spoofchk", "on", 0 }, { "spoofchk", "maybe", -EINVAL }, { "trust", "off", 0 }, { "query-rss", "1", -EINVAL },
		{ "link-state", "enable", 0 }, { "link-state", "up", -EINVAL },
		{ "min-tx-rate", "100", 0 }, { "max-tx-rate", "-5", -ERANGE }, { "max-tx-rate", "99999999999", -ERANGE },
		{ "max-tx-rate", "fast", -EINVAL }, { "colour", "red", -EINVAL },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct vs_vf_config c = cfg(0);
		struct vs_error err = { 0 };
		int r = vs_vfctl_parse_setting(&c, cases[i].name, cases[i].value, &err);

		if (r != cases[i].r)
			fail_msg("--%s %s: got %d want %d (%s)", cases[i].name, cases[i].value, r, cases[i].r, err.msg);
		if (r < 0 && strcmp(cases[i].name, "colour") != 0 && !strstr(err.msg, cases[i].value))
			fail_msg("message '%s' does not name the value '%s'", err.msg, cases[i].value);
	}
}

static void test_parse_vlan_fields(void **state)
{
	struct vs_vf_config c = cfg(0);

	assert_int_equal(vs_vfctl_parse_setting(&c, "vlan", "100:5:802.1ad", NULL), 0);
	assert_int_equal(c.vlan, 100);
	assert_int_equal(c.qos, 5);
	assert_int_equal(c.vlan_proto, ETH_P_8021AD);
	c = cfg(0);
	assert_int_equal(vs_vfctl_parse_setting(&c, "vlan", "7", NULL), 0);
	assert_int_equal(c.qos, -1);
	assert_int_equal(c.vlan_proto, -1);
}

/* Every refused value: its message, and not one byte sent. */
static void test_validation_table(void **state)
{
	static const struct {
		const char *opt, *value;
		int vf;
		const char *msg;
	} cases[] = {
		{ "mac", "01:00:5e:00:00:01", 0, "em1: VF 0: --mac 01:00:5e:00:00:01: multicast MAC" },
		{ "mac", "00:00:00:00:00:00", 0, "em1: VF 0: --mac 00:00:00:00:00:00: all-zero MAC" },
		{ "vlan", "4095", 1, "em1: VF 1: --vlan 4095: out of range (0-4094)" },
		{ "vlan", "5:8", 2, "em1: VF 2: --vlan 5:8: QoS out of range (0-7)" },
		{ "vlan", "0:3", 3, "em1: VF 3: --vlan 0:3: QoS needs a VLAN ID other than 0" },
		{ "spoofchk", "off", 8, "em1: VF 8: no such VF (sriov_numvfs is 8)" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct vs_vf_config t = cfg(0);
		struct vs_vf fake_vf = { .index = (unsigned)cases[i].vf };
		struct vs_vf_ref ref = { &pf_a, cases[i].vf < 8 ? &vfs_a[cases[i].vf] : &fake_vf };
		struct vs_error err = { 0 };
		struct fake_nl f;

		fake_init(&f);
		fake_queue_ack(&f, 0, NULL);
		assert_int_equal(vs_vfctl_parse_setting(&t, cases[i].opt, cases[i].value, NULL), 0);
		assert_true(plan_and_apply(&f, &t, &ref, 1, &err) < 0);
		if (strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("--%s %s: got '%s' want '%s...'", cases[i].opt, cases[i].value, err.msg, cases[i].msg);
		assert_int_equal(f.nreq, 0);
		fake_free(&f);
	}
}

static void test_validation_other(void **state)
{
	struct vs_vf_config c = cfg(1);
	struct vs_error err = { 0 };
	struct vs_pf nonet = pf_a, notsriov = pf_a;

	c.min_tx_rate = 500;
	c.max_tx_rate = 100;
	assert_int_equal(vs_vfctl_validate(&pf_a, &c, &err), -EINVAL);
	assert_string_equal(err.msg, "em1: VF 1: --min-tx-rate 500 above --max-tx-rate 100");
	c.max_tx_rate = 0; /* 0: no limit, as the kernel reads it */
	assert_int_equal(vs_vfctl_validate(&pf_a, &c, NULL), 0);

	c = cfg(1);
	c.qos = 3;
	vs_error_clear(&err);
	assert_int_equal(vs_vfctl_validate(&pf_a, &c, &err), -EINVAL);
	assert_string_equal(err.msg, "em1: VF 1: QoS or VLAN protocol without a VLAN ID");

	c = cfg(1);
	c.trust = 1;
	nonet.netdev[0] = '\0';
	vs_error_clear(&err);
	assert_int_equal(vs_vfctl_validate(&nonet, &c, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "0000:05:00.0: the PF has no netdev"));
	notsriov.totalvfs = 0;
	vs_error_clear(&err);
	assert_int_equal(vs_vfctl_validate(&notsriov, &c, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "not an SR-IOV PF"));

	c = cfg(1);
	vs_error_clear(&err);
	assert_int_equal(vs_vfctl_validate(&pf_a, &c, &err), -EINVAL);
	assert_string_equal(err.msg, "em1: VF 1: no setting given");
}

static void test_plan_groups_by_pf(void **state)
{
	struct vs_vf_ref refs[] = {
		{ &pf_a, &vfs_a[0] }, { &pf_b, &vfs_b[3] }, { &pf_a, &vfs_a[5] }, { &pf_a, &vfs_a[0] }, { &pf_b, &vfs_b[1] },
	};
	struct vs_vf_config t = cfg(0);
	struct vs_vfctl_plan *plans = NULL;
	size_t n = 0;

	t.trust = 1;
	assert_int_equal(vs_vfctl_plan_build(refs, ELEMENTSOF(refs), &t, false, &plans, &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_ptr_equal(plans[0].pf, &pf_a);
	assert_int_equal(plans[0].n, 2); /* VF 0 once */
	assert_int_equal(plans[0].cfgs[0].index, 0);
	assert_int_equal(plans[0].cfgs[1].index, 5);
	assert_int_equal(plans[0].cfgs[1].trust, 1);
	assert_ptr_equal(plans[1].pf, &pf_b);
	assert_int_equal(plans[1].n, 2);
	assert_int_equal(plans[1].cfgs[0].index, 3);
	vs_vfctl_plans_free(plans, n);

	/* reset: the defaults, whatever the template says */
	assert_int_equal(vs_vfctl_plan_build(refs, 1, &t, true, &plans, &n, NULL), 0);
	assert_int_equal(plans[0].cfgs[0].spoofchk, 1);
	assert_int_equal(plans[0].cfgs[0].trust, 0);
	assert_int_equal(plans[0].cfgs[0].vlan, 0);
	assert_int_equal(plans[0].cfgs[0].link_state, IFLA_VF_LINK_STATE_AUTO);
	assert_int_equal(plans[0].cfgs[0].max_tx_rate, 0);
	assert_true(plans[0].cfgs[0].has_mac);
	vs_vfctl_plans_free(plans, n);
}

/* A kernel-like read-back: every VF at the given settings. */
static void queue_readback(struct fake_nl *f, const struct vs_vf_config *vfs, size_t n)
{
	struct wbuf w;
	size_t list;

	w_init(&w);
	w_link_msg(&w, RTM_NEWLINK, 0, 0);
	w_attr_str(&w, IFLA_IFNAME, "em1");
	w_attr_u32(&w, IFLA_NUM_VF, (uint32_t)n);
	list = w_nest_start(&w, IFLA_VFINFO_LIST);
	for (size_t i = 0; i < n; i++) {
		const struct vs_vf_config *c = &vfs[i];
		struct ifla_vf_mac m;
		uint32_t vf = (uint32_t)c->index, vlan[3] = { vf, (uint32_t)c->vlan, (uint32_t)c->qos };
		uint32_t rate[3] = { vf, (uint32_t)c->min_tx_rate, (uint32_t)c->max_tx_rate };
		uint32_t spoof[2] = { vf, (uint32_t)c->spoofchk }, trust[2] = { vf, (uint32_t)c->trust };
		size_t info = w_nest_start(&w, IFLA_VF_INFO);

		memset(&m, 0, sizeof(m));
		m.vf = vf;
		memcpy(m.mac, c->mac, 6);
		w_attr(&w, IFLA_VF_MAC, &m, sizeof(m));
		w_attr(&w, IFLA_VF_VLAN, vlan, sizeof(vlan));
		w_attr(&w, IFLA_VF_RATE, rate, sizeof(rate));
		w_attr(&w, IFLA_VF_SPOOFCHK, spoof, sizeof(spoof));
		/* no IFLA_VF_LINK_STATE: as a driver that lacks it */
		w_attr(&w, IFLA_VF_TRUST, trust, sizeof(trust));
		w_nest_end(&w, info);
	}
	w_nest_end(&w, list);
	w_msg_end(&w);
	w_ack(&w, 0, NULL, 0);
	fake_queue(f, &w);
	w_free(&w);
}

static struct vs_vf_config kernel_vf(int index, int spoofchk, int trust)
{
	struct vs_vf_config c = cfg(index);

	c.has_mac = true;
	c.vlan = c.qos = 0;
	c.min_tx_rate = c.max_tx_rate = 0;
	c.spoofchk = spoofchk;
	c.trust = trust;
	return c;
}

static void test_apply_ok(void **state)
{
	struct vs_vf_config cfgs[2] = { cfg(0), cfg(1) };
	struct vs_vfctl_outcome o = { 0 };
	struct fake_nl f;

	fake_init(&f);
	for (int i = 0; i < 2; i++) {
		cfgs[i].spoofchk = 0;
		cfgs[i].trust = 1;
	}
	fake_queue_ack(&f, 0, NULL);
	assert_int_equal(vs_vfctl_apply(&f.nl, "em1", cfgs, 2, &o, NULL), 0);
	assert_int_equal(f.nreq, 1); /* one request for both VFs, no read-back */
	assert_int_equal(o.in_effect[1], (1u << VS_NL_SPOOFCHK) | (1u << VS_NL_TRUST));
	vs_vfctl_outcome_free(&o);
	fake_free(&f);
}

/* VF 0 took both settings, VF 1 refused spoofchk: the kernel stopped there. */
static void test_apply_refused_read_back(void **state)
{
	struct vs_vf_config cfgs[3] = { cfg(0), cfg(1), cfg(2) };
	struct vs_vf_config now[3] = { kernel_vf(0, 0, 1), kernel_vf(1, 1, 0), kernel_vf(2, 1, 0) };
	struct vs_vfctl_outcome o = { 0 };
	struct vs_error err = { 0 };
	struct vs_pf_vf_list sent;
	struct fake_nl f;

	fake_init(&f);
	for (int i = 0; i < 3; i++) {
		cfgs[i].spoofchk = 0;
		cfgs[i].trust = 1;
	}
	fake_queue_ack(&f, -EOPNOTSUPP, NULL);
	queue_readback(&f, now, 3);
	assert_int_equal(vs_vfctl_apply(&f.nl, "em1", cfgs, 3, &o, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "em1: VF 1: spoofchk off: Operation not supported");
	assert_true(o.read_back);
	assert_int_equal(o.refused_vf, 1);
	assert_int_equal(o.refused_setting, VS_NL_SPOOFCHK);
	assert_int_equal(o.in_effect[0], (1u << VS_NL_SPOOFCHK) | (1u << VS_NL_TRUST));
	assert_int_equal(o.in_effect[1], 0);
	assert_int_equal(o.in_effect[2], 0);
	/* SETLINK with 3 VFs, then the RTM_GETLINK read-back */
	assert_int_equal(f.nreq, 2);
	assert_int_equal(((struct nlmsghdr *)f.req[0])->nlmsg_type, RTM_SETLINK);
	assert_int_equal(((struct nlmsghdr *)f.req[1])->nlmsg_type, RTM_GETLINK);
	assert_int_equal(vs_nl_parse_link(f.req[0], f.req_len[0], "em1", &sent, NULL), 0);
	assert_int_equal(sent.n, 3);
	vs_pf_vf_list_free(&sent);
	vs_vfctl_outcome_free(&o);
	fake_free(&f);
}

/* veth-like: no VF list to read back; the first setting is named, with
 * the extack text. */
static void test_apply_refused_no_read_back(void **state)
{
	struct vs_vf_config c = cfg(0);
	struct vs_vfctl_outcome o = { 0 };
	struct vs_error err = { 0 };
	struct fake_nl f;

	fake_init(&f);
	c.link_state = IFLA_VF_LINK_STATE_ENABLE;
	c.trust = 1;
	fake_queue_ack(&f, -EOPNOTSUPP, "not here");
	queue_readback(&f, NULL, 0);
	assert_int_equal(vs_vfctl_apply(&f.nl, "em1", &c, 1, &o, &err), -EOPNOTSUPP);
	assert_false(o.read_back);
	assert_string_equal(err.msg, "em1: VF 0: link-state enable: Operation not supported (not here) "
				     "(the first setting of the request; VF settings cannot be read back)");
	vs_vfctl_outcome_free(&o);
	fake_free(&f);
}

/* --max-tx-rate alone: min comes from the kernel, as iproute2 does. */
static void test_rate_completed_from_kernel(void **state)
{
	struct vs_vf_config c = cfg(0), now = kernel_vf(0, 1, 0);
	struct vs_vfctl_outcome o = { 0 };
	struct vs_error err = { 0 };
	struct vs_pf_vf_list sent;
	struct fake_nl f;

	fake_init(&f);
	c.max_tx_rate = 100;
	now.min_tx_rate = 10;
	now.max_tx_rate = 20;
	queue_readback(&f, &now, 1);
	fake_queue_ack(&f, 0, NULL);
	assert_int_equal(vs_vfctl_apply(&f.nl, "em1", &c, 1, &o, &err), 0);
	assert_int_equal(f.nreq, 2);
	assert_int_equal(vs_nl_parse_link(f.req[1], f.req_len[1], "em1", &sent, NULL), 0);
	assert_int_equal(sent.vfs[0].min_tx_rate, 10);
	assert_int_equal(sent.vfs[0].max_tx_rate, 100);
	vs_pf_vf_list_free(&sent);
	vs_vfctl_outcome_free(&o);
	fake_free(&f);

	/* nothing to read the other rate from: refused, no RTM_SETLINK sent */
	fake_init(&f);
	queue_readback(&f, NULL, 0);
	c = cfg(0);
	c.min_tx_rate = 5;
	assert_int_equal(vs_vfctl_apply(&f.nl, "em1", &c, 1, &o, &err), -ENODATA);
	assert_non_null(strstr(err.msg, "em1: VF 0: --min-tx-rate alone"));
	assert_int_equal(f.nreq, 1);
	assert_int_equal(((struct nlmsghdr *)f.req[0])->nlmsg_type, RTM_GETLINK);
	vs_vfctl_outcome_free(&o);
	fake_free(&f);
}

/* A driver that refuses the zero MAC with EINVAL gets the placeholder. */
static void test_reset_placeholder_mac(void **state)
{
	static const unsigned char placeholder[6] = VS_VFCTL_PLACEHOLDER_MAC;
	struct vs_vf_config c, now = kernel_vf(0, 0, 1);
	struct vs_vfctl_outcome o = { 0 };
	struct vs_pf_vf_list sent;
	struct fake_nl f;

	fake_init(&f);
	vs_vfctl_reset_config(&c, 0);
	now.mac[0] = 0x52; /* MAC not cleared: refused */
	fake_queue_ack(&f, -EINVAL, NULL);
	queue_readback(&f, &now, 1);
	fake_queue_ack(&f, 0, NULL);
	assert_int_equal(vs_vfctl_reset(&f.nl, "em1", &c, 1, &o, NULL), 0);
	assert_true(o.placeholder_mac);
	assert_int_equal(f.nreq, 3);
	assert_int_equal(vs_nl_parse_link(f.req[2], f.req_len[2], "em1", &sent, NULL), 0);
	assert_memory_equal(sent.vfs[0].mac, placeholder, 6);
	assert_int_equal(sent.vfs[0].spoofchk, 1);
	vs_pf_vf_list_free(&sent);
	vs_vfctl_outcome_free(&o);
	fake_free(&f);
}

/* A driver without link-state (igb): reset drops it and goes on. */
static void test_reset_skips_unsupported(void **state)
{
	struct vs_vf_config c, now = kernel_vf(0, 1, 0);
	struct vs_vfctl_outcome o = { 0 };
	struct vs_pf_vf_list sent;
	struct fake_nl f;

	fake_init(&f);
	vs_vfctl_reset_config(&c, 0);
	fake_queue_ack(&f, -EOPNOTSUPP, NULL);
	queue_readback(&f, &now, 1); /* all in effect up to link state, which it lacks */
	fake_queue_ack(&f, 0, NULL);
	assert_int_equal(vs_vfctl_reset(&f.nl, "em1", &c, 1, &o, NULL), 0);
	assert_int_equal(o.skipped, 1u << VS_NL_LINK_STATE);
	assert_int_equal(f.nreq, 3);
	assert_int_equal(vs_nl_parse_link(f.req[2], f.req_len[2], "em1", &sent, NULL), 0);
	assert_int_equal(sent.vfs[0].link_state, -1);
	assert_int_equal(sent.vfs[0].trust, 0);
	vs_pf_vf_list_free(&sent);
	vs_vfctl_outcome_free(&o);
	fake_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_settings),
		cmocka_unit_test(test_parse_vlan_fields),
		cmocka_unit_test(test_validation_table),
		cmocka_unit_test(test_validation_other),
		cmocka_unit_test(test_plan_groups_by_pf),
		cmocka_unit_test(test_apply_ok),
		cmocka_unit_test(test_apply_refused_read_back),
		cmocka_unit_test(test_apply_refused_no_read_back),
		cmocka_unit_test(test_rate_completed_from_kernel),
		cmocka_unit_test(test_reset_placeholder_mac),
		cmocka_unit_test(test_reset_skips_unsupported),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
