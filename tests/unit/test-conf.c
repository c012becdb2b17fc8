/* The configuration file parser: sections, the hook's keys and gates, and
 * the refusals with FILE:LINE (apply's keys: test-conf-setup.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "conf-sample.h"
#include "conf.h"

static void test_conf_parse(void **state)
{
	struct vs_conf c;
	struct vs_error err = { 0 };

	assert_int_equal(vs_conf_parse_string(conf_text, "t.conf", &c, &err), 0);
	assert_int_equal(c.n, 5);
	assert_int_equal(c.sections[0].kind, VS_CONF_DEFAULTS);
	assert_true(c.sections[0].defaults.max_tx_rate == 100);
	assert_string_equal(c.sections[1].name, "8086:1521");
	assert_int_equal(c.sections[1].allow_trust_on, 1);
	assert_int_equal(c.sections[1].allow_spoofchk_off, -1);
	assert_int_equal(c.sections[3].kind, VS_CONF_POOL);
	assert_int_equal(c.sections[3].line, 12);
	assert_string_equal(c.sections[4].name, "0000:03:00.0");
	vs_conf_free(&c);
}

static void expect_conf_error(const char *text, const char *needle)
{
	struct vs_conf c;
	struct vs_error err = { 0 };

	assert_int_equal(vs_conf_parse_string(text, "/etc/x.conf", &c, &err), -EINVAL);
	if (!strstr(err.msg, needle))
		fail_msg("error '%s' does not mention '%s'", err.msg, needle);
}

static void test_conf_errors(void **state)
{
	expect_conf_error("[defaults]\nspofchk = off\n", "/etc/x.conf:2: unknown key 'spofchk'");
	expect_conf_error("trust = on\n", "/etc/x.conf:1: 'trust' outside a section");
	expect_conf_error("[vf em1]\n", "/etc/x.conf:1: unknown section [vf]");
	expect_conf_error("[pf]\n", "[pf] needs a name");
	expect_conf_error("[defaults x]\n", "[defaults] takes no name");
	expect_conf_error("[pf em1]\n[pf em1]\n", "/etc/x.conf:2: section [pf em1] given twice (first at line 1)");
	expect_conf_error("[pf em1]\ntrust = on\ntrust = off\n", "/etc/x.conf:3: 'trust' given twice");
	expect_conf_error("[pf em1]\nvlan = 5000\n", "/etc/x.conf:2: vlan 5000: out of range (0-4094)");
	expect_conf_error("[pf em1]\nallow-trust-on = perhaps\n", "allow-trust-on 'perhaps'");
	expect_conf_error("[pf em1]\nmac = 52:54:00:00:00:01\n", "unknown key 'mac'");
	expect_conf_error("[pf ../../x]\n", "[pf ../../x]: expected a netdev name");
	expect_conf_error("[pool a/b]\n", "not a valid network name");
	expect_conf_error("[pf em1\n", "must end with ']'");
	expect_conf_error("[pf em1]\njust words\n", "/etc/x.conf:2: expected 'key = value'");
}

static void test_conf_missing_file(void **state)
{
	struct vs_conf c;

	assert_int_equal(vs_conf_load("/nonexistent/virt-sriov.conf", &c, NULL), 0);
	assert_int_equal(c.n, 0);
	vs_conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_parse),
		cmocka_unit_test(test_conf_errors),
		cmocka_unit_test(test_conf_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
