/* VF policy: what a guest asks for (an element in the domain's <metadata>)
 * and its merge with what the host allows and presets (virt-sriov.conf,
 * conf.h) into one vs_vf_config per VF.
 *
 * The guest's element, in its own namespace:
 *
 *   <vsp:policy xmlns:vsp="https://virt-sriov.org/xmlns/policy/1">
 *     <vsp:vf spoofchk="off"/>                              (every VF of the guest)
 *     <vsp:vf network="vfpool" max-tx-rate="1000"/>         (VFs from that pool)
 *     <vsp:vf guest-mac="52:54:00:6d:90:03" trust="on"/>     (the interface with that MAC)
 *     <vsp:vf address="0000:03:10.1" vlan="42" mac="..."/>  (that VF)
 *   </vsp:policy>
 *
 * A more specific selector wins field by field (all < network < guest-mac <
 * address).  The element is refused, naming its line, where it could be
 * read two ways or says what `vf set` would refuse: a second <policy>, a
 * second rule for one selector, a <vf> inside a <vf>, text, attributes in
 * a namespace (other:trust is not our trust), a rule that breaks the rules
 * of vs_vf_config_check by itself (a multicast MAC, min above max rate). */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "util.h"
#include "vfconfig.h"

#define VS_POLICY_NS "https://virt-sriov.org/xmlns/policy/1"
#define VS_POLICY_PREFIX "vsp"      /* the key given to virDomainSetMetadata */
#define VS_POLICY_ELEMENT "policy"

/* ---- the guest's policy ---- */

enum vs_selector {
	VS_SEL_ALL,        /* ascending precedence */
	VS_SEL_NETWORK,
	VS_SEL_GUEST_MAC,
	VS_SEL_ADDRESS,
};

struct vs_policy_rule {
	enum vs_selector sel;
	char *match;                  /* network name, MAC or PCI address; NULL for all */
	struct vs_vf_config cfg;
	struct vs_rep_bridge bridge;  /* bridge= / ovs-bridge=: the representor's, not the VF's */
	long line;                    /* in the element it was read from; 0 when made here */
};

struct vs_policy {
	struct vs_policy_rule *rules;
	size_t n, alloc;
};

void vs_policy_free(struct vs_policy *p);
/* Parse our element (node must be it).  -EINVAL with err naming the line,
 * the attribute and the value. */
int vs_policy_parse_node(xmlNodePtr node, struct vs_policy *out, struct vs_error *err);
/* Find and parse our element under /domain/metadata; an absent element is
 * an empty policy (returns 0), a second one -EINVAL. */
int vs_policy_from_domain(xmlDocPtr doc, struct vs_policy *out, struct vs_error *err);
/* Parse the element from a string: in our namespace (as a state file
 * keeps it), or without one (as virDomainGetMetadata returns it). */
int vs_policy_parse_string(const char *xml, struct vs_policy *out, struct vs_error *err);
/* Serialize as one element in our namespace.  Caller frees *out. */
int vs_policy_format(const struct vs_policy *p, char **out);
/* The same without a namespace, as virDomainSetMetadata wants it (libvirt
 * puts the element in the namespace it is given). */
int vs_policy_format_bare(const struct vs_policy *p, char **out);
/* The rule with this selector (creating it when create is set); NULL when absent. */
struct vs_policy_rule *vs_policy_rule_get(struct vs_policy *p, enum vs_selector sel, const char *match, bool create);
int vs_policy_rule_remove(struct vs_policy *p, enum vs_selector sel, const char *match);
const char *vs_selector_name(enum vs_selector sel);

/* ---- the merge ---- */

/* Where a VF sits, for matching sections and selectors.  Unknown: NULL. */
struct vs_vf_where {
	const char *address;          /* the VF */
	int index;
	const char *pf_netdev;
	const char *pf_address;
	unsigned pf_vendor, pf_device;
	const char *network;          /* pool it came from */
	const char *guest_mac;        /* the guest interface's MAC */
};

/* out = host defaults ([defaults] < [pf] < [pool]) with the guest's policy
 * over them; the guest's spoofchk off / trust on are checked against the
 * gates (most specific of [pool], [pf], [defaults]; shut by default).
 * -EPERM with err naming the VF, the setting and where to allow it. */
int vs_policy_resolve(const struct vs_conf *conf, const struct vs_policy *pol,
		      const struct vs_vf_where *w, struct vs_vf_config *out, struct vs_error *err);
/* The bridge the VF's representor joins: the most specific rule of the
 * guest's policy that names one, else the most specific [pf] section's
 * representor-bridge / representor-ovs-bridge; kind NONE when nothing does. */
void vs_policy_bridge(const struct vs_conf *conf, const struct vs_policy *pol, const struct vs_vf_where *w,
		      struct vs_rep_bridge *out);
