/* The VF settings value and its one table: the one grammar, the rules of a
 * request, formatting, JSON both ways, merge/pick/diff and the comparison
 * the executor uses to leave out what is already in effect. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>

#include "vfconfig.h"

static struct vs_vf_config cfg(void)
{
	struct vs_vf_config c;

	vs_vf_config_init(&c, 3);
	return c;
}

static struct vs_vf_config parsed(const char *const *kv)
{
	struct vs_vf_config c = cfg();
	struct vs_error err = { 0 };

	for (; *kv; kv += 2)
		if (vs_vf_config_parse(&c, kv[0], kv[1], &err) != 0)
			fail_msg("%s %s: %s", kv[0], kv[1], err.msg);
	return c;
}

#define PARSED(...) parsed((const char *const[]){ __VA_ARGS__, NULL })

/* Every name of the table parses and prints back as written. */
static void test_table_round_trip(void **state)
{
	static const char *const values[][2] = {
		{ "mac", "52:54:00:12:34:56" }, { "vlan", "4094" }, { "qos", "7" }, { "vlan-proto", "802.1ad" },
		{ "spoofchk", "off" }, { "trust", "on" }, { "link-state", "disable" },
		{ "min-tx-rate", "10" }, { "max-tx-rate", "4294967295" }, { "query-rss", "on" },
		{ "rate-group", "gold" },
	};
	char buf[64];

	assert_int_equal(vs_vf_n_fields, ELEMENTSOF(values));
	for (size_t i = 0; i < vs_vf_n_fields; i++) {
		const struct vs_vf_field *f = vs_vf_field_find(values[i][0]);
		struct vs_vf_config c = cfg();

		assert_non_null(f);
		assert_ptr_equal(f, &vs_vf_fields[i]);
		assert_false(vs_vf_field_is_set(f, &c));
		assert_int_equal(vs_vf_config_parse(&c, f->name, values[i][1], NULL), 0);
		assert_true(vs_vf_field_is_set(f, &c));
		vs_vf_field_format(f, &c, buf, sizeof(buf));
		assert_string_equal(buf, values[i][1]);
	}
	assert_null(vs_vf_field_find("colour"));
}

/* One grammar: what the policy and the config file accept, vf set accepts. */
static void test_one_grammar(void **state)
{
	static const struct { const char *name, *value; int r, want; } cases[] = {
		{ "trust", "on", 0, 1 }, { "trust", "YES", 0, 1 }, { "trust", "true", 0, 1 },
		{ "spoofchk", "Off", 0, 0 }, { "spoofchk", "no", 0, 0 }, { "spoofchk", "false", 0, 0 },
		{ "spoofchk", "maybe", -EINVAL, -1 }, { "spoofchk", "1", -EINVAL, -1 }, { "spoofchk", "", -EINVAL, -1 },
		{ "link-state", "ENABLE", 0, IFLA_VF_LINK_STATE_ENABLE }, { "link-state", "up", -EINVAL, -1 },
		{ "vlan-proto", "802.1q", 0, ETH_P_8021Q }, { "vlan-proto", "qinq", -EINVAL, -1 },
		{ "vlan", "0", 0, 0 }, { "vlan", "4095", -ERANGE, -1 }, { "vlan", "-1", -ERANGE, -1 },
		{ "vlan", "x", -EINVAL, -1 }, { "qos", "8", -ERANGE, -1 },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		const struct vs_vf_field *f = vs_vf_field_find(cases[i].name);
		struct vs_vf_config c = cfg();
		struct vs_error err = { 0 };
		int r = vs_vf_config_parse(&c, cases[i].name, cases[i].value, &err);

		if (r != cases[i].r)
			fail_msg("%s '%s': got %d want %d (%s)", cases[i].name, cases[i].value, r, cases[i].r, err.msg);
		if (r == 0) {
			assert_int_equal(*(const int *)((const char *)&c + f->off), cases[i].want);
		} else {
			/* the message names the setting and the value; nothing was set */
			assert_int_equal(strncmp(err.msg, cases[i].name, strlen(cases[i].name)), 0);
			assert_false(vs_vf_field_is_set(f, &c));
		}
	}
	assert_int_equal(vs_vf_config_parse(&(struct vs_vf_config){ 0 }, "colour", "red", NULL), -ENOENT);
}

static void test_vlan_short_form(void **state)
{
	struct vs_vf_config c = PARSED("vlan", "100:5:802.1ad");
	struct vs_error err = { 0 };

	assert_int_equal(c.vlan, 100);
	assert_int_equal(c.qos, 5);
	assert_int_equal(c.vlan_proto, ETH_P_8021AD);
	c = cfg();
	assert_int_equal(vs_vf_config_parse(&c, "vlan", "5:8", &err), -ERANGE);
	assert_string_equal(err.msg, "vlan 5:8: QoS 8: out of range (0-7)");
	vs_error_clear(&err);
	assert_int_equal(vs_vf_config_parse(&c, "vlan", "5:1:2:3", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "too many ':' parts"));
}

static void check_is(struct vs_vf_config c, int r, const char *msg)
{
	struct vs_error err = { 0 };

	assert_int_equal(vs_vf_config_check(&c, &err), r);
	if (msg)
		assert_string_equal(err.msg, msg);
}

/* The rules of a request, the same for vf set, policy and config. */
static void test_check_rules(void **state)
{
	struct vs_vf_config c;

	check_is(PARSED("mac", "52:54:00:00:00:01", "vlan", "5", "qos", "3"), 0, NULL);
	check_is(PARSED("mac", "01:00:5e:00:00:01"), -EINVAL,
		     "mac 01:00:5e:00:00:01: multicast MAC, a VF needs a unicast one");
	check_is(PARSED("mac", "00:00:00:00:00:00"), -EINVAL,
		     "mac 00:00:00:00:00:00: all-zero MAC (vf reset clears the MAC)");
	check_is(PARSED("qos", "3"), -EINVAL, "qos or vlan-proto without a vlan ID");
	check_is(PARSED("vlan", "0", "qos", "3"), -EINVAL, "vlan 0 with QoS 3: QoS needs a VLAN ID other than 0");
	check_is(PARSED("min-tx-rate", "500", "max-tx-rate", "100"), -EINVAL,
		     "min-tx-rate 500 above max-tx-rate 100");
	/* max 0 is "no limit", as the kernel reads it */
	check_is(PARSED("min-tx-rate", "500", "max-tx-rate", "0"), 0, NULL);
	/* values set in code, not parsed, are held to the same ranges */
	c = cfg();
	c.link_state = 7;
	check_is(c, -ERANGE, "link-state 7: out of range (expected auto, enable or disable)");
	c = cfg();
	c.trust = 2;
	check_is(c, -ERANGE, NULL);
}

static void test_json_round_trip(void **state)
{
	struct vs_vf_config c = PARSED("mac", "52:54:00:aa:bb:cc", "vlan", "7:2:802.1ad", "spoofchk", "off",
				       "link-state", "auto", "max-tx-rate", "100", "min-tx-rate", "5");
	struct vs_vf_config back = cfg();
	json_object *o = vs_vf_config_to_json(&c), *v;

	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "spoofchk", &v) && json_object_is_type(v, json_type_boolean));
	assert_false(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(o, "vlan_proto", &v));
	assert_string_equal(json_object_get_string(v), "802.1ad");
	assert_true(json_object_object_get_ex(o, "max_tx_rate", &v) && json_object_get_int64(v) == 100);
	assert_false(json_object_object_get_ex(o, "trust", NULL)); /* not set: absent */
	assert_int_equal(vs_vf_config_from_json(o, &back), 0);
	assert_int_equal(back.index, 3);
	assert_memory_equal(&back, &c, sizeof(c));
	/* strict: the wrong type or a value out of range is refused */
	json_object_object_add(o, "trust", json_object_new_string("on"));
	assert_int_equal(vs_vf_config_from_json(o, &back), -EINVAL);
	json_object_object_add(o, "trust", json_object_new_boolean(1));
	json_object_object_add(o, "qos", json_object_new_int(9));
	assert_int_equal(vs_vf_config_from_json(o, &back), -EINVAL);
	json_object_put(o);
}

static void test_merge_pick_drop(void **state)
{
	struct vs_vf_config a = PARSED("spoofchk", "off", "vlan", "5"), b = PARSED("trust", "on", "vlan", "9");
	struct vs_vf_config have = PARSED("spoofchk", "on", "trust", "off", "vlan", "0", "mac", "52:54:00:00:00:07");
	struct vs_vf_config saved = cfg();
	char text[128];

	vs_vf_config_merge(&a, &b);
	vs_vf_config_describe(&a, text, sizeof(text));
	assert_string_equal(text, "vlan 9, spoofchk off, trust on");
	/* save what a request changes, keeping what was saved before */
	saved.trust = 1;
	vs_vf_config_pick(&saved, &have, &a);
	assert_int_equal(saved.trust, 1);
	assert_int_equal(saved.spoofchk, 1);
	assert_int_equal(saved.vlan, 0);
	assert_false(saved.has_mac);
	vs_vf_config_drop(&a, VS_ATTR_VLAN);
	vs_vf_config_describe(&a, text, sizeof(text));
	assert_string_equal(text, "spoofchk off, trust on");
}

/* What the executor leaves out: per attribute, as the kernel carries it. */
static void test_in_effect_and_diff(void **state)
{
	struct vs_vf_config have = PARSED("vlan", "5", "qos", "2", "spoofchk", "on", "trust", "off",
					  "min-tx-rate", "0", "max-tx-rate", "100");
	struct vs_vf_config want = PARSED("vlan", "5", "spoofchk", "on", "trust", "on", "max-tx-rate", "100");
	struct vs_vf_config diff = cfg();
	char text[128];

	/* VLAN 5 with QoS 0 asked, QoS 2 in effect: not the same */
	assert_false(vs_vf_attr_in_effect(&want, &have, VS_ATTR_VLAN));
	assert_true(vs_vf_attr_in_effect(&want, &have, VS_ATTR_SPOOFCHK));
	assert_false(vs_vf_attr_in_effect(&want, &have, VS_ATTR_TRUST));
	/* a rate not asked for matches any */
	assert_true(vs_vf_attr_in_effect(&want, &have, VS_ATTR_RATE));
	vs_vf_config_diff(&want, &have, &diff);
	vs_vf_config_describe(&diff, text, sizeof(text));
	assert_string_equal(text, "vlan 5, trust on");
	/* VLAN 0 is "no VLAN": its QoS does not count */
	want = PARSED("vlan", "0");
	have.vlan = 0;
	assert_true(vs_vf_attr_in_effect(&want, &have, VS_ATTR_VLAN));
	/* unknown current state: everything differs */
	diff = cfg();
	vs_vf_config_diff(&want, NULL, &diff);
	assert_int_equal(diff.vlan, 0);
}

/* A rate group: a name, "none" for none; merged, compared and carried in
 * JSON like every other setting. */
static void test_rate_group(void **state)
{
	struct vs_vf_config c = PARSED("rate-group", "tenant-A.1"), none = PARSED("rate-group", "NONE"), d = cfg();
	struct vs_error err = { 0 };
	json_object *j;
	char buf[128];

	assert_true(c.has_rate_group);
	assert_string_equal(c.rate_group, "tenant-A.1");
	assert_true(none.has_rate_group);
	assert_string_equal(none.rate_group, "");
	vs_vf_config_describe(&none, buf, sizeof(buf));
	assert_string_equal(buf, "rate-group none");
	assert_int_equal(vs_vf_config_parse(&d, "rate-group", "a b", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "rate-group a b: not a rate group name"));
	assert_false(d.has_rate_group);
	memset(buf, 'x', 64);
	buf[64] = '\0';
	assert_int_equal(vs_vf_config_parse(&d, "rate-group", buf, NULL), -EINVAL);
	assert_int_equal(vs_vf_config_check(&c, NULL), 0);
	/* in effect only with the same name; not asked for: anything holds */
	assert_false(vs_vf_attr_in_effect(&c, &none, VS_ATTR_RATE_GROUP));
	assert_true(vs_vf_attr_in_effect(&c, &c, VS_ATTR_RATE_GROUP));
	assert_true(vs_vf_attr_in_effect(&d, &none, VS_ATTR_RATE_GROUP));
	vs_vf_config_diff(&c, &none, &d);
	assert_true(d.has_rate_group);
	assert_string_equal(d.rate_group, "tenant-A.1");
	j = vs_vf_config_to_json(&none);
	assert_string_equal(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN), "{\"rate_group\":\"none\"}");
	assert_int_equal(vs_vf_config_from_json(j, &d), 0);
	assert_true(d.has_rate_group && d.rate_group[0] == '\0');
	json_object_put(j);
	vs_vf_config_drop(&c, VS_ATTR_RATE_GROUP);
	assert_true(vs_vf_config_is_empty(&c));
}

static void test_attr_names(void **state)
{
	struct vs_vf_config c = PARSED("vlan", "5:1:802.1ad", "min-tx-rate", "1");
	char buf[64];

	assert_string_equal(vs_vf_attr_kernel_name(&c, VS_ATTR_VLAN), "IFLA_VF_VLAN_LIST");
	assert_string_equal(vs_vf_attr_kernel_name(&c, VS_ATTR_TRUST), "IFLA_VF_TRUST");
	vs_vf_attr_format(&c, VS_ATTR_VLAN, buf, sizeof(buf));
	assert_string_equal(buf, "5 qos 1 proto 802.1ad");
	vs_vf_attr_format(&c, VS_ATTR_RATE, buf, sizeof(buf));
	assert_string_equal(buf, "min 1 max current Mbps");
	/* every setting travels in an attribute the kernel orders */
	for (size_t i = 0; i < vs_vf_n_fields; i++)
		assert_true(vs_vf_fields[i].attr < VS_ATTR_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_round_trip),
		cmocka_unit_test(test_one_grammar),
		cmocka_unit_test(test_vlan_short_form),
		cmocka_unit_test(test_check_rules),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_merge_pick_drop),
		cmocka_unit_test(test_in_effect_and_diff),
		cmocka_unit_test(test_attr_names),
		cmocka_unit_test(test_rate_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
