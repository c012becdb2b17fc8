/* The configuration file's host-setup keys (virt-sriov apply): [pf] numvfs
 * and drivers-autoprobe, [vfs PF#SET] with driver and static settings,
 * [pool] pf/vfs/autostart/start; the comment rule that keeps '#' in
 * "[vfs em1#0-5]"; and every refusal with its FILE:LINE and value. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/if_link.h>
#include <cmocka.h>

#include "conf.h"
#include "policy.h"

static const char good[] =
	"# a host\n"
	"[pf em1]\n"
	"numvfs = 7\n"
	"drivers-autoprobe = no   # VFs stay unbound until bound\n"
	"allow-spoofchk-off = yes\n"
	"\n"
	"[vfs em1#0-5]\n"
	"driver = vfio-pci\n"
	"spoofchk = on\n"
	"[vfs em1#6]   ; the host's own VF\n"
	"driver = host\n"
	"mac = 02:00:00:00:01:06\n"
	"trust = on\n"
	"link-state = enable\n"
	"[vfs 0000:3:0.0#0,2,4-5]\n"
	"max-tx-rate = 100\n"
	"[vfs 8086:1521#1]\n"
	"vlan = 5\n"
	"[pool tenants]\n"
	"pf = em1\n"
	"vfs = 0-3,5\n"
	"autostart = yes\n"
	"start = no\n"
	"[pool by-address]\n"
	"pf = 0000:3:0.1\n"
	"[pool hook-only]\n"
	"allow-trust-on = no\n";

static void test_good(void **state)
{
	struct vs_conf c;
	struct vs_error err = { 0 };
	const struct vs_conf_section *s;

	(void)state;
	assert_int_equal(vs_conf_parse_string(good, "g.conf", &c, &err), 0);
	assert_int_equal(c.n, 8);
	s = &c.sections[0];
	assert_int_equal(s->numvfs, 7);
	assert_int_equal(s->numvfs_line, 3);
	assert_int_equal(s->autoprobe, 0);
	assert_int_equal(s->autoprobe_line, 4);
	assert_int_equal(s->allow_spoofchk_off, 1);

	s = &c.sections[1];
	assert_int_equal(s->kind, VS_CONF_VFS);
	assert_string_equal(s->name, "em1#0-5");
	assert_string_equal(s->pf, "em1");
	assert_int_equal(s->n_vf_set, 6);
	assert_int_equal(s->vf_set[5], 5);
	assert_string_equal(s->driver, "vfio-pci");
	assert_int_equal(s->driver_line, 8);
	assert_int_equal(s->defaults.spoofchk, 1);
	assert_int_equal(s->settings_line, 9);

	s = &c.sections[2];
	assert_string_equal(s->name, "em1#6");
	assert_string_equal(s->driver, "host");
	assert_true(s->defaults.has_mac);
	assert_int_equal(s->defaults.mac[5], 0x06);
	assert_int_equal(s->defaults.trust, 1);
	assert_int_equal(s->defaults.link_state, IFLA_VF_LINK_STATE_ENABLE);
	assert_int_equal(s->settings_line, 12);

	s = &c.sections[3];   /* the PF part is normalized like [pf ADDRESS] */
	assert_string_equal(s->pf, "0000:03:00.0");
	assert_string_equal(s->name, "0000:03:00.0#0,2,4-5");
	assert_int_equal(s->n_vf_set, 4);
	assert_int_equal(s->vf_set[2], 4);
	assert_null(s->driver);
	assert_true(s->defaults.max_tx_rate == 100);

	assert_string_equal(c.sections[4].pf, "8086:1521");

	s = &c.sections[5];
	assert_int_equal(s->kind, VS_CONF_POOL);
	assert_string_equal(s->pf, "em1");
	assert_int_equal(s->pf_line, 20);
	assert_int_equal(s->n_vf_set, 5);
	assert_int_equal(s->vfs_line, 21);
	assert_int_equal(s->autostart, 1);
	assert_int_equal(s->start, 0);

	assert_string_equal(c.sections[6].pf, "0000:03:00.1");
	assert_int_equal(c.sections[6].autostart, -1);
	assert_null(c.sections[7].pf);   /* a pool the hook knows, apply leaves alone */
	assert_int_equal(c.sections[7].numvfs, -1);
	vs_conf_free(&c);
}

/* The hook's sections see nothing of [vfs]: its settings are apply's. */
static void test_vfs_not_for_hook(void **state)
{
	struct vs_conf c;
	struct vs_vf_config out;
	struct vs_vf_where w = { .address = "0000:01:10.0", .index = 0, .pf_netdev = "em1",
				 .pf_address = "0000:01:00.0", .pf_vendor = 0x8086, .pf_device = 0x1521 };

	(void)state;
	assert_int_equal(vs_conf_parse_string("[vfs em1#0]\nspoofchk = off\n", "v.conf", &c, NULL), 0);
	assert_int_equal(vs_policy_resolve(&c, NULL, &w, &out, NULL), 0);
	assert_int_equal(out.spoofchk, -1);
	vs_conf_free(&c);
}

static const struct {
	const char *text;
	const char *msg;      /* the whole message must contain this */
} bad[] = {
	{ "[pf em1]\nnumvfs = 7\nnumvfs = 6\n", "b.conf:3: 'numvfs' given twice" },
	{ "[pf em1]\nnumvfs = -1\n", "b.conf:2: numvfs '-1' is not a VF count" },
	{ "[pf em1]\nnumvfs = 70000\n", "b.conf:2: numvfs '70000'" },
	{ "[pf em1]\nnumvfs = seven\n", "b.conf:2: numvfs 'seven'" },
	{ "[pf em1]\ndrivers-autoprobe = maybe\n", "b.conf:2: drivers-autoprobe 'maybe' is not valid" },
	{ "[pf em1]\ndriver = vfio-pci\n", "b.conf:2: unknown key 'driver' in [pf] (it belongs in [vfs])" },
	{ "[defaults]\nnumvfs = 2\n", "b.conf:2: unknown key 'numvfs' in [defaults] (it belongs in [pf])" },
	{ "[vfs em1#0]\nnumvfs = 2\n", "unknown key 'numvfs' in [vfs]" },
	{ "[vfs em1#0]\nallow-trust-on = yes\n", "b.conf:2: unknown key 'allow-trust-on' in [vfs] (it belongs in [defaults], [pf], [pool])" },
	{ "[vfs em1#0]\npf = em1\n", "unknown key 'pf' in [vfs] (it belongs in [pool], [rate-group])" },
	{ "[vfs em1]\n", "b.conf:1: [vfs em1]: expected PF#SET" },
	{ "[vfs #0]\n", "[vfs #0]: expected PF#SET" },
	{ "[vfs em1#]\n", "b.conf:1: [vfs em1#]: '': empty VF index list" },
	{ "[vfs em1#5-2]\n", "goes backwards" },
	{ "[vfs em1#x]\n", "'x' is not a VF index" },
	{ "[vfs ../x#0]\n", "[vfs ../x]: expected a netdev name" },
	{ "[vfs em1#0-1]\n[vfs em1#0-1]\n", "b.conf:2: section [vfs em1#0-1] given twice (first at line 1)" },
	{ "[vfs em1#0]\ndriver = ../evil\n", "b.conf:2: driver '../evil' is not a driver name" },
	{ "[vfs em1#0]\ndriver =\n", "b.conf:2: driver '' is not a driver name" },
	{ "[vfs em1#0]\nmac = 52:54:00:zz:00:01\n", "b.conf:2: mac 52:54:00:zz:00:01: not a MAC address" },
	{ "[vfs em1#0]\nmac = 01:00:5e:00:00:01\n", "b.conf:2: mac 01:00:5e:00:00:01: multicast MAC" },
	{ "[vfs em1#0]\nmac = 00:00:00:00:00:00\n", "b.conf:2: mac 00:00:00:00:00:00: all-zero MAC" },
	{ "[vfs em1#0-1]\nmac = 02:00:00:00:00:01\n", "b.conf:2: mac '02:00:00:00:00:01': a MAC is for one VF, [vfs em1#0-1] names 2 VFs" },
	{ "[vfs em1#0]\nvlan = 4095\n", "b.conf:2: vlan 4095: out of range (0-4094)" },
	{ "[pool p]\npf = 8086:1521\n", "b.conf:2: pf '8086:1521': expected the PF's netdev name or PCI address" },
	{ "[pool p]\nvfs = 0-3,x\n", "b.conf:2: vfs '0-3,x'" },
	{ "[pool p]\nautostart = sometimes\n", "b.conf:2: autostart 'sometimes' is not valid (expected yes or no)" },
	{ "[pool p]\nstart = 1\n", "b.conf:2: start '1' is not valid" },
	{ "[pool p]\nnumvfs = 1\n", "unknown key 'numvfs' in [pool] (it belongs in [pf])" },
	/* a '#' glued to a value is part of it, not a comment */
	{ "[pf em1]\nnumvfs = 7#comment\n", "b.conf:2: numvfs '7#comment'" },
	{ "[nic em1]\n", "unknown section [nic] (expected [defaults], [pf NAME], [vfs PF#SET], [pool NAME] or [rate-group NAME])" },
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vs_conf c;
		struct vs_error err = { 0 };
		int r = vs_conf_parse_string(bad[i].text, "b.conf", &c, &err);

		if (r == 0) {
			vs_conf_free(&c);
			fail_msg("accepted: %s", bad[i].text);
		}
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("%s\n  got:  %s\n  want: %s", bad[i].text, err.msg, bad[i].msg);
	}
}

/* Comments: at the start of a line or after a blank, '#' and ';' alike. */
static void test_comments(void **state)
{
	struct vs_conf c;

	(void)state;
	assert_int_equal(vs_conf_parse_string("[vfs em1#1] # x\ndriver = host ; y\n#[pf em2]\n;numvfs = 9\n", "c.conf",
					      &c, NULL), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.sections[0].name, "em1#1");
	assert_string_equal(c.sections[0].driver, "host");
	vs_conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_vfs_not_for_hook),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_comments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
