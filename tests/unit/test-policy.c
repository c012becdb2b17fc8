/* The guest's policy element and its merge with the host's configuration
 * file (the file itself: test-conf.c, test-conf-setup.c). */
#include "config.h"

#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "conf-sample.h"
#include "conf.h"
#include "policy.h"
#include "xml.h"

#define NS "https://virt-sriov.org/xmlns/policy/1"

static int parse_policy(const char *body, struct vs_policy *p, struct vs_error *err)
{
	char xml[4096];

	snprintf(xml, sizeof(xml), "<p:policy xmlns:p='%s'>\n%s</p:policy>", NS, body);
	memset(p, 0, sizeof(*p));
	return vs_policy_parse_string(xml, p, err);
}

static void test_settings_parse(void **state)
{
	struct vs_vf_config c;
	struct vs_error err = { 0 };

	vs_vf_config_init(&c, 0);
	assert_int_equal(vs_vf_config_parse(&c, "spoofchk", "off", &err), 0);
	assert_int_equal(c.spoofchk, 0);
	assert_int_equal(vs_vf_config_parse(&c, "trust", "on", &err), 0);
	assert_int_equal(c.trust, 1);
	assert_int_equal(vs_vf_config_parse(&c, "link-state", "disable", &err), 0);
	assert_int_equal(c.link_state, IFLA_VF_LINK_STATE_DISABLE);
	assert_int_equal(vs_vf_config_parse(&c, "vlan-proto", "802.1ad", &err), 0);
	assert_int_equal(c.vlan_proto, ETH_P_8021AD);
	assert_int_equal(vs_vf_config_parse(&c, "max-tx-rate", "4294967295", &err), 0);
	assert_true(c.max_tx_rate == 4294967295LL);
	assert_int_equal(vs_vf_config_parse(&c, "mac", "52:54:00:AA:bb:01", &err), 0);
	assert_true(c.has_mac);
	assert_int_equal(c.mac[3], 0xaa);
	assert_int_equal(err.code, 0);

	assert_int_equal(vs_vf_config_parse(&c, "vlan", "4095", &err), -ERANGE);
	assert_string_equal(err.msg, "vlan 4095: out of range (0-4094)");
	assert_int_equal(vs_vf_config_parse(&c, "qos", "8", NULL), -ERANGE);
	assert_int_equal(vs_vf_config_parse(&c, "max-tx-rate", "-1", NULL), -ERANGE);
	/* one grammar: the words of the policy are the words of `vf set` */
	assert_int_equal(vs_vf_config_parse(&c, "trust", "Yes", NULL), 0);
	assert_int_equal(c.trust, 1);
	assert_int_equal(vs_vf_config_parse(&c, "spoofchk", "maybe", NULL), -EINVAL);
	assert_int_equal(vs_vf_config_parse(&c, "colour", "blue", NULL), -ENOENT);
	/* a refused value leaves the field as it was */
	assert_int_equal(c.spoofchk, 0);
}

static void test_policy_parse(void **state)
{
	struct vs_policy p;
	struct vs_error err = { 0 };

	assert_int_equal(parse_policy("<p:vf spoofchk='off'/>\n"
				      "<p:vf network='pool-list' trust='on'/>\n"
				      "<p:vf guest-mac='52:54:00:6D:90:03' max-tx-rate='500'/>\n"
				      "<p:vf address='0:3:10.1' vlan='42'/>\n", &p, &err), 0);
	assert_int_equal(p.n, 4);
	assert_int_equal(p.rules[0].sel, VS_SEL_ALL);
	assert_null(p.rules[0].match);
	assert_int_equal(p.rules[1].sel, VS_SEL_NETWORK);
	assert_string_equal(p.rules[1].match, "pool-list");
	assert_string_equal(p.rules[2].match, "52:54:00:6d:90:03");  /* normalized */
	assert_string_equal(p.rules[3].match, "0000:03:10.1");
	assert_int_equal(p.rules[3].cfg.vlan, 42);
	vs_policy_free(&p);
}

static void expect_policy_error(const char *body, const char *needle)
{
	struct vs_policy p;
	struct vs_error err = { 0 };

	assert_int_equal(parse_policy(body, &p, &err), -EINVAL);
	if (!strstr(err.msg, needle))
		fail_msg("error '%s' does not mention '%s'", err.msg, needle);
	assert_int_equal(p.n, 0);
}

static void test_policy_errors(void **state)
{
	expect_policy_error("<p:vf spoofchk='nope'/>\n", "line 2: spoofchk nope: expected on or off");
	expect_policy_error("<p:vf colour='red'/>\n", "unknown attribute 'colour'");
	expect_policy_error("<p:vf address='0000:03:10.1' network='x'/>\n", "two selectors");
	expect_policy_error("<p:vf address='../../etc'/>\n", "address '../../etc' is not valid");
	expect_policy_error("<p:vf network='a/b'/>\n", "network 'a/b' is not valid");
	expect_policy_error("<p:other/>\n", "unexpected element <other>");
	expect_policy_error("<vf xmlns='urn:x'/>\n", "unexpected element <vf>");
}

/* What `vf set` refuses, a rule refuses: each rule by itself, where it
 * gives both sides of a rule between settings (a QoS or protocol may still
 * go with the VLAN another rule or the host gives). */
static void test_policy_vf_set_rules(void **state)
{
	struct vs_policy p;

	expect_policy_error("<p:vf mac='01:00:5e:00:00:01'/>\n", "line 2: mac 01:00:5e:00:00:01: multicast MAC");
	expect_policy_error("<p:vf mac='ff:ff:ff:ff:ff:ff'/>\n", "line 2: mac ff:ff:ff:ff:ff:ff: multicast MAC");
	expect_policy_error("<p:vf address='0000:03:10.1' mac='00:00:00:00:00:00'/>\n", "line 2: mac 00:00:00:00:00:00: all-zero");
	expect_policy_error("<p:vf spoofchk='on'/>\n<p:vf network='n' min-tx-rate='500' max-tx-rate='100'/>\n",
			    "line 3: min-tx-rate 500 above max-tx-rate 100");
	expect_policy_error("<p:vf vlan='0' qos='3'/>\n", "line 2: vlan 0 with QoS 3");
	/* max 0 is no limit, as for the kernel */
	assert_int_equal(parse_policy("<p:vf min-tx-rate='500' max-tx-rate='0'/>\n", &p, NULL), 0);
	vs_policy_free(&p);
	/* across rules: checked on what each VF gets (vs_policy_resolve) */
	assert_int_equal(parse_policy("<p:vf qos='2' min-tx-rate='500'/>\n"
				      "<p:vf address='0000:03:10.1' vlan='5' max-tx-rate='1000'/>\n", &p, NULL), 0);
	assert_int_equal(p.n, 2);
	vs_policy_free(&p);
}

static void test_policy_duplicates(void **state)
{
	struct vs_policy p;

	expect_policy_error("<p:vf spoofchk='on'/>\n<p:vf trust='off'/>\n",
			    "line 3: a second rule for all VFs (the first is at line 2): one rule per selector");
	/* the same VF, MAC or network however it is spelled */
	expect_policy_error("<p:vf address='0000:03:10.1' trust='off'/>\n<p:vf spoofchk='on'/>\n"
			    "<p:vf address='0:3:10.1' trust='on'/>\n",
			    "line 4: a second rule for address 0000:03:10.1 (the first is at line 2)");
	expect_policy_error("<p:vf guest-mac='52:54:00:aa:00:01' trust='off'/>\n<p:vf guest-mac='52:54:00:AA:00:01'/>\n"
			    "<p:vf network='n' trust='off'/>\n<p:vf guest-mac='52:54:00:aa:00:01' trust='on'/>\n"
			    "<p:vf network='n'/>\n",
			    "line 3: a second rule for guest-mac 52:54:00:aa:00:01 (the first is at line 2)");
	expect_policy_error("<p:vf network='n' trust='off'/>\n<p:vf guest-mac='52:54:00:00:00:01'/>\n<p:vf network='n'/>\n",
			    "line 4: a second rule for network n (the first is at line 2)");
	/* one rule of each kind, and rules for different VFs, are fine */
	assert_int_equal(parse_policy("<p:vf trust='off'/>\n<p:vf address='0000:03:10.1' trust='off'/>\n"
				      "<p:vf address='0000:03:10.3' trust='off'/>\n<p:vf network='n'/>\n<p:vf network='m'/>\n",
				      &p, NULL), 0);
	assert_int_equal(p.n, 5);
	vs_policy_free(&p);
}

static void test_policy_structure(void **state)
{
	/* a rule inside a rule was read as the outer rule alone */
	expect_policy_error("<p:vf spoofchk='on'>\n  <p:vf address='0000:03:10.1' trust='on'/>\n</p:vf>\n",
			    "line 3: <vf> inside the <vf> of line 2: rules do not nest");
	expect_policy_error("<p:vf spoofchk='on'><x:vf xmlns:x='urn:x' trust='on'/></p:vf>\n",
			    "line 2: <vf> inside the <vf> of line 2: rules do not nest");
	expect_policy_error("<p:vf spoofchk='on'>trust</p:vf>\n", "line 2: text 'trust' in <vf>: settings are attributes");
	expect_policy_error("trust='on'\n<p:vf spoofchk='on'/>\n", "line 1: text 'trust='on'' in <policy>");
	/* a setting in another namespace was applied as ours */
	expect_policy_error("<p:vf xmlns:o='urn:example:other' o:trust='on'/>\n",
			    "line 2: attribute 'o:trust' (namespace urn:example:other) on <vf>: settings and selectors take no prefix");
	expect_policy_error("<p:vf p:address='0000:03:10.1' spoofchk='on'/>\n", "line 2: attribute 'p:address' (namespace " NS ")");
	expect_policy_error("<p:vf xmlns:o='urn:example:other' spoofchk='on' o:comment='x'/>\n", "attribute 'o:comment'");
	expect_policy_error("<p:vf xml:lang='en' spoofchk='on'/>\n", "attribute 'xml:lang'");
}

static void test_policy_element_attributes(void **state)
{
	struct vs_policy p = { 0 };
	struct vs_error err = { 0 };

	assert_int_equal(vs_policy_parse_string("<p:policy xmlns:p='" NS "' trust='on'>\n<p:vf spoofchk='on'/>\n</p:policy>",
						&p, &err), -EINVAL);
	assert_string_equal(err.msg, "policy line 1: attribute 'trust' on <policy>: settings go on <vf>");
	assert_int_equal(p.n, 0);
}

static void test_policy_twice_in_domain(void **state)
{
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	struct vs_policy p = { 0 };
	struct vs_error err = { 0 };

	/* the second was ignored, whatever it asked for */
	assert_int_equal(vs_xml_parse("<domain>\n<metadata>\n<x:policy xmlns:x='" NS "'><x:vf spoofchk='on'/></x:policy>\n"
				      "<o:other xmlns:o='urn:o'/>\n<y:policy xmlns:y='" NS "'>\n<y:vf trust='on'/></y:policy>\n"
				      "</metadata>\n</domain>", "d", &doc, NULL), 0);
	assert_int_equal(vs_policy_from_domain(doc, &p, &err), -EINVAL);
	assert_string_equal(err.msg, "policy line 5: a second <policy> element (the first is at line 3): give one");
	assert_int_equal(p.n, 0);
}

static void test_policy_in_domain(void **state)
{
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	struct vs_policy p = { 0 };

	/* another tool's element in <metadata> is not ours */
	assert_int_equal(vs_xml_parse("<domain><metadata><sr:vfs xmlns:sr='http://example.org/sriov-tool/1'>"
				      "<sr:vf pf='em1' vf='1' spoofchk='off'/></sr:vfs></metadata></domain>",
				      "d", &doc, NULL), 0);
	assert_int_equal(vs_policy_from_domain(doc, &p, NULL), 0);
	assert_int_equal(p.n, 0);
	xmlFreeDoc(doc);
	doc = NULL;
	assert_int_equal(vs_xml_parse("<domain><metadata><x:policy xmlns:x='" NS "'><x:vf trust='on'/></x:policy>"
				      "</metadata></domain>", "d", &doc, NULL), 0);
	assert_int_equal(vs_policy_from_domain(doc, &p, NULL), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.rules[0].cfg.trust, 1);
	vs_policy_free(&p);
	/* virDomainGetMetadata returns the element without its namespace */
	assert_int_equal(vs_policy_parse_string("<policy>\n  <vf spoofchk=\"off\"/>\n</policy>\n", &p, NULL), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.rules[0].cfg.spoofchk, 0);
	vs_policy_free(&p);
	/* but a namespace-less element inside a domain is not ours */
	xmlFreeDoc(doc);
	doc = NULL;
	assert_int_equal(vs_xml_parse("<domain><metadata><policy><vf trust='on'/></policy></metadata></domain>",
				      "d", &doc, NULL), 0);
	assert_int_equal(vs_policy_from_domain(doc, &p, NULL), 0);
	assert_int_equal(p.n, 0);
}

static void test_policy_roundtrip(void **state)
{
	struct vs_policy p = { 0 }, q = { 0 };
	_cleanup_free_ char *xml = NULL, *bare = NULL;
	struct vs_policy_rule *r;

	r = vs_policy_rule_get(&p, VS_SEL_ADDRESS, "0000:01:10.0", true);
	assert_non_null(r);
	vs_vf_config_parse(&r->cfg, "spoofchk", "off", NULL);
	vs_vf_config_parse(&r->cfg, "link-state", "enable", NULL);
	r = vs_policy_rule_get(&p, VS_SEL_ALL, NULL, true);
	vs_vf_config_parse(&r->cfg, "vlan-proto", "802.1ad", NULL);
	/* the same selector finds the same rule */
	assert_ptr_equal(vs_policy_rule_get(&p, VS_SEL_ADDRESS, "0:1:10.0", false), &p.rules[0]);
	assert_int_equal(vs_policy_format(&p, &xml), 0);
	assert_non_null(strstr(xml, "xmlns:vsp=\"" NS "\""));
	assert_int_equal(vs_policy_parse_string(xml, &q, NULL), 0);
	assert_int_equal(q.n, 2);
	assert_string_equal(q.rules[0].match, "0000:01:10.0");
	assert_int_equal(q.rules[0].cfg.spoofchk, 0);
	assert_int_equal(q.rules[0].cfg.link_state, IFLA_VF_LINK_STATE_ENABLE);
	assert_int_equal(q.rules[1].cfg.vlan_proto, ETH_P_8021AD);
	assert_int_equal(vs_policy_format_bare(&p, &bare), 0);
	assert_null(strstr(bare, "xmlns"));
	assert_int_equal(vs_policy_rule_remove(&p, VS_SEL_ADDRESS, "0000:01:10.0"), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(vs_policy_rule_remove(&p, VS_SEL_ADDRESS, "0000:01:10.0"), -ENOENT);
	vs_policy_free(&p);
	vs_policy_free(&q);
}

static int resolve(const struct vs_conf *c, const char *policy_body, const struct vs_vf_where *w,
		   struct vs_vf_config *out, struct vs_error *err)
{
	struct vs_policy p = { 0 };
	int r;

	if (policy_body)
		assert_int_equal(parse_policy(policy_body, &p, NULL), 0);
	r = vs_policy_resolve(c, &p, w, out, err);
	vs_policy_free(&p);
	return r;
}

static const struct vs_vf_where em1_vf1 = {
	.address = "0000:03:10.3", .index = 1, .pf_netdev = "em1", .pf_address = "0000:03:00.0",
	.pf_vendor = 0x8086, .pf_device = 0x1521,
};

static void test_resolve_precedence(void **state)
{
	struct vs_conf c;
	struct vs_vf_config out;
	struct vs_vf_where w = em1_vf1, other = em1_vf1;

	assert_int_equal(vs_conf_parse_string(conf_text, "t.conf", &c, NULL), 0);
	/* host only: [pf em1] (netdev) beats [pf 8086:1521] beats [defaults] */
	assert_int_equal(resolve(&c, NULL, &w, &out, NULL), 0);
	assert_true(out.max_tx_rate == 300);
	assert_int_equal(out.spoofchk, 1);
	assert_int_equal(out.trust, 0);           /* [pf 0000:03:00.0] */
	assert_int_equal(out.index, 1);
	other.pf_netdev = "em9";
	other.pf_address = "0000:09:00.0";
	assert_int_equal(resolve(&c, NULL, &other, &out, NULL), 0);
	assert_true(out.max_tx_rate == 200);
	other.pf_device = 0x10fb;
	assert_int_equal(resolve(&c, NULL, &other, &out, NULL), 0);
	assert_true(out.max_tx_rate == 100);
	/* guest: address > guest-mac > network > all, over the host */
	w.network = "pool-x";
	w.guest_mac = "52:54:00:00:00:01";
	assert_int_equal(resolve(&c,
				 "<p:vf address='0000:03:10.3' max-tx-rate='4'/>"
				 "<p:vf guest-mac='52:54:00:00:00:01' max-tx-rate='3' min-tx-rate='1'/>"
				 "<p:vf network='pool-x' max-tx-rate='2' vlan='7'/>"
				 "<p:vf max-tx-rate='1' query-rss='on'/>", &w, &out, NULL), 0);
	assert_true(out.max_tx_rate == 4);
	assert_true(out.min_tx_rate == 1);
	assert_int_equal(out.vlan, 7);
	assert_int_equal(out.query_rss, 1);
	/* rules for other VFs do not apply */
	assert_int_equal(resolve(&c, "<p:vf address='0000:03:10.1' max-tx-rate='4'/>", &w, &out, NULL), 0);
	assert_true(out.max_tx_rate == 300);
	vs_conf_free(&c);
}

static void test_resolve_gates(void **state)
{
	struct vs_conf c, none;
	struct vs_vf_config out;
	struct vs_error err = { 0 };
	struct vs_vf_where w = em1_vf1;

	assert_int_equal(vs_conf_parse_string(conf_text, "t.conf", &c, NULL), 0);
	assert_int_equal(vs_conf_parse_string("", "/etc/virt-sriov/virt-sriov.conf", &none, NULL), 0);
	/* shut by default, and the message says where to open it */
	assert_int_equal(resolve(&none, "<p:vf spoofchk='off'/>", &w, &out, &err), -EPERM);
	assert_string_equal(err.msg, "VF 0000:03:10.3 (em1#1): spoofchk off is not allowed by the host: "
			    "set allow-spoofchk-off = yes in [pf em1] of /etc/virt-sriov/virt-sriov.conf");
	/* asking for the safe values needs no gate */
	assert_int_equal(resolve(&none, "<p:vf spoofchk='on' trust='off'/>", &w, &out, NULL), 0);
	/* em1 allows spoofchk off; trust on comes from [pf 8086:1521] */
	assert_int_equal(resolve(&c, "<p:vf spoofchk='off' trust='on'/>", &w, &out, NULL), 0);
	assert_int_equal(out.spoofchk, 0);
	assert_int_equal(out.trust, 1);
	/* a pool that says no wins over its PF's yes */
	w.network = "lockdown";
	vs_error_clear(&err);
	assert_int_equal(resolve(&c, "<p:vf spoofchk='off'/>", &w, &out, &err), -EPERM);
	assert_non_null(strstr(err.msg, "allow-spoofchk-off = no in [pool lockdown] (t.conf:12)"));
	vs_conf_free(&c);
	vs_conf_free(&none);
}

static void test_resolve_host_preset(void **state)
{
	struct vs_conf c;
	struct vs_vf_config out;

	/* the admin turned spoofchk off for the PF: a guest asking the same is fine */
	assert_int_equal(vs_conf_parse_string("[pf em1]\nspoofchk = off\n", "t.conf", &c, NULL), 0);
	assert_int_equal(resolve(&c, "<p:vf spoofchk='off'/>", &em1_vf1, &out, NULL), 0);
	assert_int_equal(out.spoofchk, 0);
	vs_conf_free(&c);
}

static void expect_resolve_error(const char *conf, const char *policy, int code, const char *needle1,
				 const char *needle2)
{
	struct vs_conf c;
	struct vs_vf_config out;
	struct vs_error err = { 0 };

	assert_int_equal(vs_conf_parse_string(conf, "/etc/v.conf", &c, NULL), 0);
	assert_int_equal(resolve(&c, policy, &em1_vf1, &out, &err), code);
	if (!strstr(err.msg, needle1) || !strstr(err.msg, needle2))
		fail_msg("error '%s' does not mention '%s' and '%s'", err.msg, needle1, needle2);
	vs_conf_free(&c);
}

/* [pf em1] and [pf 0000:03:00.0] are one PF: one rule for gates and
 * settings (merged), and a key they disagree on is refused, never an open
 * gate, whichever comes first. */
static void test_resolve_same_pf(void **state)
{
	struct vs_conf c;
	struct vs_vf_config out;

	expect_resolve_error("[pf em1]\nallow-trust-on = yes\n[pf 0000:03:00.0]\nallow-trust-on = no\n",
			     "<p:vf trust='on'/>", -EINVAL, "allow-trust-on = yes in [pf em1] (/etc/v.conf:2)",
			     "allow-trust-on = no in [pf 0000:03:00.0] (/etc/v.conf:4)");
	expect_resolve_error("[pf 0000:03:00.0]\nallow-trust-on = no\n\n[pf em1]\nallow-trust-on = yes\n",
			     "<p:vf trust='on'/>", -EINVAL, "(/etc/v.conf:2)", "(/etc/v.conf:5)");
	/* the config is wrong for the PF even when the guest does not ask */
	expect_resolve_error("[pf em1]\nallow-spoofchk-off = yes\n[pf 0000:03:00.0]\nallow-spoofchk-off = no\n",
			     NULL, -EINVAL, "allow-spoofchk-off", "[pf 0000:03:00.0]");
	expect_resolve_error("[pf em1]\nspoofchk = on\nmax-tx-rate = 100\n[pf 0000:03:00.0]\nmax-tx-rate = 200\n",
			     NULL, -EINVAL, "max-tx-rate = 100 in [pf em1] (/etc/v.conf:3)",
			     "max-tx-rate = 200 in [pf 0000:03:00.0] (/etc/v.conf:5)");
	/* what they agree on, or say alone, is merged */
	assert_int_equal(vs_conf_parse_string("[pf em1]\nmax-tx-rate = 100\nallow-trust-on = yes\n"
					      "[pf 0000:03:00.0]\nvlan = 5\nallow-trust-on = yes\nmax-tx-rate = 100\n",
					      "/etc/v.conf", &c, NULL), 0);
	assert_int_equal(resolve(&c, "<p:vf trust='on'/>", &em1_vf1, &out, NULL), 0);
	assert_true(out.max_tx_rate == 100);
	assert_int_equal(out.vlan, 5);
	assert_int_equal(out.trust, 1);
	vs_conf_free(&c);
	/* a PF's name is not another PF's: em2's gate stays em2's */
	assert_int_equal(vs_conf_parse_string("[pf em2]\nallow-trust-on = yes\n[pf 0000:03:00.0]\nallow-trust-on = no\n",
					      "/etc/v.conf", &c, NULL), 0);
	assert_int_equal(resolve(&c, "<p:vf trust='on'/>", &em1_vf1, &out, NULL), -EPERM);
	vs_conf_free(&c);
}

/* Names match as given (UTF-8 included) and are made printable only in
 * messages. */
static void test_resolve_raw_names(void **state)
{
	struct vs_conf c;
	struct vs_vf_config out;
	struct vs_error err = { 0 };
	struct vs_vf_where w = em1_vf1;

	assert_int_equal(vs_conf_parse_string("[pool caf\xc3\xa9]\nallow-trust-on = yes\nmax-tx-rate = 7\n",
					      "/etc/v.conf", &c, NULL), 0);
	w.network = "caf\xc3\xa9";
	assert_int_equal(resolve(&c, "<p:vf network='caf\xc3\xa9' trust='on'/>", &w, &out, NULL), 0);
	assert_int_equal(out.trust, 1);
	assert_true(out.max_tx_rate == 7);
	w.network = "caf??";
	assert_int_equal(resolve(&c, "<p:vf trust='on'/>", &w, &out, NULL), -EPERM);
	w.network = "two\nlines";
	assert_int_equal(resolve(&c, "<p:vf trust='on'/>", &w, &out, &err), -EPERM);
	assert_null(strchr(err.msg, '\n'));
	assert_non_null(strstr(err.msg, "[pool two?lines]"));
	vs_conf_free(&c);
}

static void test_pick(void **state)
{
	struct vs_vf_config saved, cur, mask;

	vs_vf_config_init(&saved, 1);
	vs_vf_config_init(&cur, 1);
	vs_vf_config_init(&mask, 1);
	cur.spoofchk = 1;
	cur.trust = 0;
	cur.vlan = 3;
	cur.has_mac = true;
	cur.mac[5] = 9;
	mask.spoofchk = 0;
	mask.has_mac = true;
	saved.spoofchk = 0;           /* saved before: kept */
	vs_vf_config_pick(&saved, &cur, &mask);
	assert_int_equal(saved.spoofchk, 0);
	assert_true(saved.has_mac);
	assert_int_equal(saved.mac[5], 9);
	assert_int_equal(saved.trust, -1);    /* not in the mask */
	assert_int_equal(saved.vlan, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings_parse),
		cmocka_unit_test(test_policy_parse),
		cmocka_unit_test(test_policy_errors),
		cmocka_unit_test(test_policy_vf_set_rules),
		cmocka_unit_test(test_policy_duplicates),
		cmocka_unit_test(test_policy_structure),
		cmocka_unit_test(test_policy_element_attributes),
		cmocka_unit_test(test_policy_twice_in_domain),
		cmocka_unit_test(test_policy_in_domain),
		cmocka_unit_test(test_policy_roundtrip),
		cmocka_unit_test(test_resolve_precedence),
		cmocka_unit_test(test_resolve_gates),
		cmocka_unit_test(test_resolve_host_preset),
		cmocka_unit_test(test_resolve_same_pf),
		cmocka_unit_test(test_resolve_raw_names),
		cmocka_unit_test(test_pick),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
