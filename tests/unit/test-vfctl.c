/* vfctl: command-line values, validation (nothing sent on refusal),
 * grouping by PF, and what a refusal leaves in effect, against the fake
 * kernel (tests/tools/fake-kernel.h). */
#include "config.h"

#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "fake-kernel.h"
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
static int plan_and_apply(struct vs_nl *nl, const struct vs_vf_config *tmpl, const struct vs_vf_ref *refs, size_t n,
			  struct vs_error *err)
{
	struct vs_vfctl_plan *plans = NULL;
	size_t nplans = 0;
	int r = vs_vfctl_plan_build(refs, n, tmpl, false, &plans, &nplans, err);

	for (size_t i = 0; i < nplans && r == 0; i++) {
		struct vs_vfctl_outcome o = { 0 };

		r = vs_vfctl_apply(nl, plans[i].pf->netdev, plans[i].cfgs, plans[i].n, &o, err);
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
		{ "max-tx-rate", "fast", -EINVAL }, { "colour", "red", -ENOENT },
		{ "vlan", "4095", -ERANGE }, { "vlan", "5:8", -ERANGE }, { "trust", "YES", 0 }, { "vlan", "5:1:2:3", -EINVAL },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct vs_vf_config c = cfg(0);
		struct vs_error err = { 0 };
		int r = vs_vf_config_parse(&c, cases[i].name, cases[i].value, &err);

		if (r != cases[i].r)
			fail_msg("--%s %s: got %d want %d (%s)", cases[i].name, cases[i].value, r, cases[i].r, err.msg);
		if (r < 0 && strcmp(cases[i].name, "colour") != 0 && !strstr(err.msg, cases[i].value))
			fail_msg("message '%s' does not name the value '%s'", err.msg, cases[i].value);
	}
}

static void test_parse_vlan_fields(void **state)
{
	struct vs_vf_config c = cfg(0);

	assert_int_equal(vs_vf_config_parse(&c, "vlan", "100:5:802.1ad", NULL), 0);
	assert_int_equal(c.vlan, 100);
	assert_int_equal(c.qos, 5);
	assert_int_equal(c.vlan_proto, ETH_P_8021AD);
	c = cfg(0);
	assert_int_equal(vs_vf_config_parse(&c, "vlan", "7", NULL), 0);
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
		{ "mac", "01:00:5e:00:00:01", 0, "em1: VF 0: mac 01:00:5e:00:00:01: multicast MAC" },
		{ "mac", "00:00:00:00:00:00", 0, "em1: VF 0: mac 00:00:00:00:00:00: all-zero MAC" },
		{ "vlan", "0:3", 3, "em1: VF 3: vlan 0 with QoS 3: QoS needs a VLAN ID other than 0" },
		{ "spoofchk", "off", 8, "em1: VF 8: no such VF (sriov_numvfs is 8)" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct vs_vf_config t = cfg(0);
		struct vs_vf fake_vf = { .index = (unsigned)cases[i].vf };
		struct vs_vf_ref ref = { &pf_a, cases[i].vf < 8 ? &vfs_a[cases[i].vf] : &fake_vf };
		struct vs_error err = { 0 };
		static struct fake_kernel k;

		fk_init(&k, 8);
		assert_int_equal(vs_vf_config_parse(&t, cases[i].opt, cases[i].value, NULL), 0);
		assert_true(plan_and_apply(&k.nl, &t, &ref, 1, &err) < 0);
		if (strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("--%s %s: got '%s' want '%s...'", cases[i].opt, cases[i].value, err.msg, cases[i].msg);
		assert_int_equal(k.nreq, 0);
		fk_free(&k);
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
	assert_string_equal(err.msg, "em1: VF 1: min-tx-rate 500 above max-tx-rate 100");
	c.max_tx_rate = 0; /* 0: no limit, as the kernel reads it */
	assert_int_equal(vs_vfctl_validate(&pf_a, &c, NULL), 0);

	c = cfg(1);
	c.qos = 3;
	vs_error_clear(&err);
	assert_int_equal(vs_vfctl_validate(&pf_a, &c, &err), -EINVAL);
	assert_string_equal(err.msg, "em1: VF 1: qos or vlan-proto without a vlan ID");

	/* a value set in code rather than parsed is checked all the same */
	c = cfg(1);
	c.vlan = 4095;
	vs_error_clear(&err);
	assert_int_equal(vs_vfctl_validate(&pf_a, &c, &err), -ERANGE);
	assert_string_equal(err.msg, "em1: VF 1: vlan 4095: out of range (expected 0-4094)");

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

/* ---- against the fake kernel: state, fixed order, in-order stop ---- */

static struct vs_vf_config want(int index)
{
	return cfg(index);
}

/* The VF settings of request i, decoded by the fake from the raw bytes. */
static size_t entries_of(const struct fake_kernel *k, size_t i, uint32_t *types, uint32_t *vfs)
{
	size_t list_len;

	return fk_setlink_entries(k, i, types, vfs, FK_MAX_VFS, &list_len);
}

static size_t last_setlink(const struct fake_kernel *k)
{
	for (size_t i = k->nreq; i > 0; i--)
		if (((struct nlmsghdr *)k->req[i - 1])->nlmsg_type == RTM_SETLINK)
			return i - 1;
	fail_msg("no RTM_SETLINK sent");
	return 0;
}

static void test_apply_ok(void **state)
{
	static struct fake_kernel k;
	struct vs_vf_config cfgs[2] = { want(0), want(1) };
	struct vs_vfctl_outcome o = { 0 };
	uint32_t types[2], vfs[2];

	fk_init(&k, 4);
	for (int i = 0; i < 2; i++) {
		cfgs[i].spoofchk = 0;
		cfgs[i].trust = 1;
	}
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", cfgs, 2, &o, NULL), 0);
	/* the current values, then one request for both VFs */
	assert_int_equal(k.nreq, 2);
	assert_int_equal(((struct nlmsghdr *)k.req[0])->nlmsg_type, RTM_GETLINK);
	assert_int_equal(k.nsetlink, 1);
	assert_int_equal(o.requests, 1);
	assert_int_equal(entries_of(&k, 1, types, vfs), 2);
	assert_int_equal(types[1], FK_BIT(IFLA_VF_SPOOFCHK) | FK_BIT(IFLA_VF_TRUST));
	assert_int_equal(o.in_effect[1], (1u << VS_ATTR_SPOOFCHK) | (1u << VS_ATTR_TRUST));
	for (int i = 0; i < 2; i++) {
		assert_int_equal(k.pf[0].vfs[i].spoofchk, 0);
		assert_int_equal(k.pf[0].vfs[i].trust, 1);
	}
	assert_int_equal(k.pf[0].vfs[2].trust, 0);
	vs_vfctl_outcome_free(&o);
	fk_free(&k);
}

/* A VF resetting answers EBUSY / EAGAIN for a while: retried with a
 * backoff, and it goes through; a driver that stays busy is given up on
 * within the retry budget, with the kernel's error. */
static void test_apply_retries_transient(void **state)
{
	static struct fake_kernel k;
	struct vs_vf_config cfg = want(0);
	struct vs_vfctl_outcome o = { 0 };
	struct vs_error err = { 0 };
	struct timespec t0, t1;

	fk_init(&k, 2);
	cfg.trust = 1;
	k.busy = 3;
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", &cfg, 1, &o, &err), 0);
	assert_int_equal(k.nsetlink, 4);
	assert_int_equal(k.pf[0].vfs[0].trust, 1);
	k.busy = 2;
	k.busy_error = -EAGAIN;
	cfg.trust = 0;
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", &cfg, 1, &o, &err), 0);
	assert_int_equal(k.pf[0].vfs[0].trust, 0);
	k.busy = 1000000;
	cfg.trust = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", &cfg, 1, &o, &err), -EAGAIN);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 3);
	assert_non_null(strstr(err.msg, "em1: VF 0: trust on"));
	assert_int_equal(k.pf[0].vfs[0].trust, 0);
	vs_vfctl_outcome_free(&o);
	fk_free(&k);
}

/* Settings that already have the value are not in the request bytes; a VF
 * with nothing left is not in it at all; nothing left: nothing sent. */
static void test_apply_leaves_out_unchanged(void **state)
{
	static struct fake_kernel k;
	struct vs_vf_config cfgs[3] = { want(0), want(1), want(2) };
	struct vs_vfctl_outcome o = { 0 };
	uint32_t types[3], vfs[3];

	fk_init(&k, 3);
	k.pf[0].vfs[0].trust = 1;          /* VF 0: trust already on */
	k.pf[0].vfs[1].trust = 1;          /* VF 1: both already as asked */
	k.pf[0].vfs[1].spoofchk = 0;
	for (int i = 0; i < 3; i++) {
		cfgs[i].spoofchk = 0;
		cfgs[i].trust = 1;
	}
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", cfgs, 3, &o, NULL), 0);
	assert_int_equal(entries_of(&k, last_setlink(&k), types, vfs), 2);
	assert_int_equal(vfs[0], 0);
	assert_int_equal(types[0], FK_BIT(IFLA_VF_SPOOFCHK));
	assert_int_equal(vfs[1], 2);
	assert_int_equal(types[1], FK_BIT(IFLA_VF_SPOOFCHK) | FK_BIT(IFLA_VF_TRUST));
	assert_int_equal(o.unchanged[0], 1u << VS_ATTR_TRUST);
	assert_int_equal(o.unchanged[1], (1u << VS_ATTR_SPOOFCHK) | (1u << VS_ATTR_TRUST));
	assert_int_equal(o.in_effect[0], (1u << VS_ATTR_SPOOFCHK) | (1u << VS_ATTR_TRUST));
	vs_vfctl_outcome_free(&o);

	/* a second run has nothing to do */
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", cfgs, 3, &o, NULL), 0);
	assert_int_equal(o.requests, 0);
	assert_int_equal(k.nsetlink, 1);
	vs_vfctl_outcome_free(&o);
	fk_free(&k);
}

/* igb: no per-VF link state.  In one entry the kernel sets spoofchk, then
 * stops at link-state: trust (after it in the kernel's order) is not set,
 * and VFs after the refused one are not touched.  The message names
 * link-state, not trust. */
static void test_refusal_names_setting_in_kernel_order(void **state)
{
	static struct fake_kernel k;
	struct vs_vf_config cfgs[3] = { want(4), want(5), want(6) };
	struct vs_vfctl_outcome o = { 0 };
	struct vs_error err = { 0 };

	fk_init(&k, 7);
	k.pf[0].refuse = FK_BIT(IFLA_VF_LINK_STATE);
	for (int i = 0; i < 3; i++) {
		cfgs[i].trust = 1;             /* given first on the command line */
		cfgs[i].link_state = IFLA_VF_LINK_STATE_DISABLE;
		cfgs[i].spoofchk = 0;
	}
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", cfgs, 3, &o, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "em1: VF 4: link-state disable: Operation not supported");
	assert_true(o.read_back);
	assert_int_equal(o.refused_vf, 4);
	assert_int_equal(o.refused_setting, VS_ATTR_LINK_STATE);
	assert_int_equal(k.pf[0].vfs[4].spoofchk, 0);  /* before link-state: applied */
	assert_int_equal(k.pf[0].vfs[4].trust, 0);     /* after it: never reached */
	assert_int_equal(k.pf[0].vfs[5].spoofchk, 1);  /* next VF: never reached */
	assert_int_equal(o.in_effect[0], 1u << VS_ATTR_SPOOFCHK);
	assert_int_equal(o.in_effect[1], 0);
	vs_vfctl_outcome_free(&o);
	fk_free(&k);
}

/* The refused setting is found over what was SENT: VF 0's trust was
 * already on (not sent), VF 1 is refused at trust. */
static void test_refusal_after_left_out_setting(void **state)
{
	static struct fake_kernel k;
	struct vs_vf_config cfgs[3] = { want(0), want(1), want(2) };
	struct vs_vfctl_outcome o = { 0 };
	struct vs_error err = { 0 };

	fk_init(&k, 3);
	k.pf[0].refuse = FK_BIT(IFLA_VF_TRUST);
	k.pf[0].vfs[0].trust = 1;
	for (int i = 0; i < 3; i++) {
		cfgs[i].spoofchk = 0;
		cfgs[i].trust = 1;
	}
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", cfgs, 3, &o, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "em1: VF 1: trust on: Operation not supported");
	assert_int_equal(k.pf[0].vfs[0].spoofchk, 0);
	assert_int_equal(k.pf[0].vfs[1].spoofchk, 0);
	assert_int_equal(k.pf[0].vfs[2].spoofchk, 1);
	assert_int_equal(o.in_effect[0], (1u << VS_ATTR_SPOOFCHK) | (1u << VS_ATTR_TRUST));
	vs_vfctl_outcome_free(&o);
	fk_free(&k);
}

/* veth-like: no VF list to read; everything is sent and the first setting
 * of the request is named, with the extack text. */
static void test_apply_refused_no_read_back(void **state)
{
	struct vs_vf_config c = cfg(0);
	struct vs_vfctl_outcome o = { 0 };
	struct vs_error err = { 0 };
	static struct fake_kernel k;
	uint32_t types[1], vfs[1];

	fk_init(&k, 1);
	k.pf[0].no_list = true;                  /* RTM_GETLINK: nothing to read */
	k.pf[0].refuse = FK_BIT(IFLA_VF_LINK_STATE);
	k.setlink_extack = "not here";
	c.link_state = IFLA_VF_LINK_STATE_ENABLE;
	c.trust = 1;
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", &c, 1, &o, &err), -EOPNOTSUPP);
	assert_false(o.read_back);
	assert_string_equal(err.msg, "em1: VF 0: link-state enable: Operation not supported (not here) "
				     "(the first setting of the request; VF settings cannot be read back)");
	/* read, everything sent in one request, read back */
	assert_int_equal(k.nreq, 3);
	assert_int_equal(k.nsetlink, 1);
	assert_int_equal(entries_of(&k, 1, types, vfs), 1);
	assert_int_equal(types[0], FK_BIT(IFLA_VF_LINK_STATE) | FK_BIT(IFLA_VF_TRUST));
	vs_vfctl_outcome_free(&o);
	fk_free(&k);
}

/* --max-tx-rate alone: min comes from the kernel, as iproute2 does. */
static void test_rate_completed_from_kernel(void **state)
{
	static struct fake_kernel k;
	struct vs_vf_config c = cfg(0);
	struct vs_vfctl_outcome o = { 0 };
	struct vs_error err = { 0 };

	fk_init(&k, 1);
	k.pf[0].vfs[0].min_rate = 10;
	k.pf[0].vfs[0].max_rate = 20;
	c.max_tx_rate = 100;
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", &c, 1, &o, &err), 0);
	assert_int_equal(k.pf[0].vfs[0].min_rate, 10);
	assert_int_equal(k.pf[0].vfs[0].max_rate, 100);
	vs_vfctl_outcome_free(&o);
	fk_free(&k);

	/* nothing to read the other rate from (no VF list, as on a veth):
	 * refused, no RTM_SETLINK sent */
	fk_init(&k, 1);
	k.pf[0].no_list = true;
	c = cfg(0);
	c.min_tx_rate = 5;
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", &c, 1, &o, &err), -ENODATA);
	assert_non_null(strstr(err.msg, "em1: VF 0: min-tx-rate alone"));
	assert_int_equal(k.nreq, 1);
	assert_int_equal(((struct nlmsghdr *)k.req[0])->nlmsg_type, RTM_GETLINK);
	assert_int_equal(k.nsetlink, 0);
	vs_vfctl_outcome_free(&o);
	fk_free(&k);
}

/* A driver that refuses the zero MAC with EINVAL gets the placeholder. */
static void test_reset_placeholder_mac(void **state)
{
	static const unsigned char placeholder[6] = VS_VFCTL_PLACEHOLDER_MAC;
	static struct fake_kernel k;
	struct vs_vf_config c;
	struct vs_vfctl_outcome o = { 0 };

	fk_init(&k, 1);
	k.pf[0].refuse_zero_mac = true;
	k.pf[0].vfs[0].mac[0] = 0x52;
	k.pf[0].vfs[0].spoofchk = 0;
	vs_vf_config_reset(&c, 0);
	assert_int_equal(vs_vfctl_reset(&k.nl, "em1", &c, 1, &o, NULL), 0);
	assert_true(o.placeholder_mac);
	assert_int_equal(k.nsetlink, 2);
	assert_memory_equal(k.pf[0].vfs[0].mac, placeholder, 6);
	assert_int_equal(k.pf[0].vfs[0].spoofchk, 1);
	vs_vfctl_outcome_free(&o);
	fk_free(&k);
}

/* igb after vf set: reset must not send link-state (igb reports auto and
 * refuses to set it); every other setting comes back in ONE request. */
static void test_reset_igb(void **state)
{
	static struct fake_kernel k;
	struct vs_vf_config c[4];
	struct vs_vfctl_outcome o = { 0 };
	uint32_t types[4], vfs[4];

	fk_init(&k, 7);
	k.pf[0].refuse = FK_BIT(IFLA_VF_LINK_STATE);
	for (int i = 0; i < 4; i++) {
		k.pf[0].vfs[i].mac[0] = 0x52;
		k.pf[0].vfs[i].mac[5] = (unsigned char)i;
		k.pf[0].vfs[i].vlan = 200;
		k.pf[0].vfs[i].spoofchk = 0;
		k.pf[0].vfs[i].trust = 1;
		vs_vf_config_reset(&c[i], i);
	}
	assert_int_equal(vs_vfctl_reset(&k.nl, "em1", c, 4, &o, NULL), 0);
	assert_int_equal(k.nsetlink, 1);
	assert_int_equal(o.skipped, 0);
	assert_int_equal(entries_of(&k, last_setlink(&k), types, vfs), 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(types[i], FK_BIT(IFLA_VF_MAC) | FK_BIT(IFLA_VF_VLAN) | FK_BIT(IFLA_VF_SPOOFCHK) |
						   FK_BIT(IFLA_VF_TRUST));
		assert_int_equal(k.pf[0].vfs[i].vlan, 0);
		assert_int_equal(k.pf[0].vfs[i].spoofchk, 1);
		assert_int_equal(k.pf[0].vfs[i].trust, 0);
		assert_int_equal(k.pf[0].vfs[i].mac[0], 0);
	}
	vs_vfctl_outcome_free(&o);
	fk_free(&k);
}

/* A driver without trust that does not report it either: reset finds it
 * refused (the last in the kernel's order), drops it and goes on. */
static void test_reset_skips_unsupported(void **state)
{
	static struct fake_kernel k;
	struct vs_vf_config c[2];
	struct vs_vfctl_outcome o = { 0 };
	uint32_t types[2], vfs[2];

	fk_init(&k, 2);
	k.pf[0].refuse = FK_BIT(IFLA_VF_TRUST);
	for (int i = 0; i < 2; i++) {
		k.pf[0].vfs[i].trust = -1;
		k.pf[0].vfs[i].spoofchk = 0;
		vs_vf_config_reset(&c[i], i);
	}
	assert_int_equal(vs_vfctl_reset(&k.nl, "em1", c, 2, &o, NULL), 0);
	assert_int_equal(o.skipped, 1u << VS_ATTR_TRUST);
	assert_int_equal(k.nsetlink, 2);
	/* the retry: VF 0 was done before the refusal, VF 1 without trust */
	assert_int_equal(entries_of(&k, last_setlink(&k), types, vfs), 1);
	assert_int_equal(vfs[0], 1);
	assert_int_equal(types[0], FK_BIT(IFLA_VF_SPOOFCHK));
	assert_int_equal(k.pf[0].vfs[0].spoofchk, 1);
	assert_int_equal(k.pf[0].vfs[1].spoofchk, 1);
	vs_vfctl_outcome_free(&o);
	fk_free(&k);
}

/* 1024 VFs: two settings fit one IFLA_VFINFO_LIST (one request); a reset
 * with every setting does not, and is split into lists under 64 KiB. */
static void test_large_requests(void **state)
{
	static struct fake_kernel k;
	static struct vs_vf_config c[FK_MAX_VFS];
	static uint32_t types[FK_MAX_VFS], vfs[FK_MAX_VFS];
	struct vs_vfctl_outcome o = { 0 };
	size_t total = 0, list_len;

	fk_init(&k, FK_MAX_VFS);
	for (int i = 0; i < FK_MAX_VFS; i++) {
		c[i] = cfg(i);
		c[i].spoofchk = 0;
		c[i].trust = 1;
	}
	assert_int_equal(vs_vfctl_apply(&k.nl, "em1", c, FK_MAX_VFS, &o, NULL), 0);
	assert_int_equal(k.nsetlink, 1);
	assert_int_equal(fk_setlink_entries(&k, last_setlink(&k), types, vfs, FK_MAX_VFS, &list_len), FK_MAX_VFS);
	for (int i = 0; i < FK_MAX_VFS; i++)
		assert_int_equal(k.pf[0].vfs[i].trust, 1);
	vs_vfctl_outcome_free(&o);

	for (int i = 0; i < FK_MAX_VFS; i++) {
		k.pf[0].vfs[i].mac[0] = 0x52;
		k.pf[0].vfs[i].vlan = 7;
		k.pf[0].vfs[i].max_rate = 100;
		vs_vf_config_reset(&c[i], i);
	}
	k.nsetlink = 0;
	assert_int_equal(vs_vfctl_reset(&k.nl, "em1", c, FK_MAX_VFS, &o, NULL), 0);
	assert_int_equal(o.requests, 2);
	for (size_t r = 0; r < k.nreq; r++) {
		if (((struct nlmsghdr *)k.req[r])->nlmsg_type != RTM_SETLINK)
			continue;
		total += fk_setlink_entries(&k, r, types, vfs, FK_MAX_VFS, &list_len);
		assert_true(list_len <= 65535);
	}
	assert_true(total >= FK_MAX_VFS); /* the first run's request counted too */
	for (int i = 0; i < FK_MAX_VFS; i++) {
		assert_int_equal(k.pf[0].vfs[i].trust, 0);
		assert_int_equal(k.pf[0].vfs[i].vlan, 0);
		assert_int_equal(k.pf[0].vfs[i].max_rate, 0);
	}
	vs_vfctl_outcome_free(&o);
	fk_free(&k);
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
		cmocka_unit_test(test_apply_retries_transient),
		cmocka_unit_test(test_apply_leaves_out_unchanged),
		cmocka_unit_test(test_refusal_names_setting_in_kernel_order),
		cmocka_unit_test(test_refusal_after_left_out_setting),
		cmocka_unit_test(test_apply_refused_no_read_back),
		cmocka_unit_test(test_rate_completed_from_kernel),
		cmocka_unit_test(test_reset_placeholder_mac),
		cmocka_unit_test(test_reset_igb),
		cmocka_unit_test(test_reset_skips_unsupported),
		cmocka_unit_test(test_large_requests),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
