/* The guest's policy element (read, write, edit) and its merge with the
 * host's configuration (conf.c) into what each VF gets. */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "policy.h"
#include "pciaddr.h"
#include "xml.h"

/* ---- the guest's policy element ---- */

struct selector_def {
	enum vs_selector sel;
	const char *attr;             /* NULL: no attribute selects all */
};

static const struct selector_def selectors[] = {
	{ VS_SEL_ALL, NULL },
	{ VS_SEL_NETWORK, "network" },
	{ VS_SEL_GUEST_MAC, "guest-mac" },
	{ VS_SEL_ADDRESS, "address" },
};

const char *vs_selector_name(enum vs_selector sel)
{
	return selectors[sel].attr ? selectors[sel].attr : "all";
}

static const struct selector_def *selector_by_attr(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(selectors); i++)
		if (selectors[i].attr && strcmp(selectors[i].attr, name) == 0)
			return &selectors[i];
	return NULL;
}

void vs_policy_free(struct vs_policy *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->rules[i].match);
	free(p->rules);
	p->rules = NULL;
	p->n = p->alloc = 0;
}

/* Canonical text for a selector value, so that "0000:03:10.1" given as
 * "0:3:10.1" or a MAC in upper case still match. */
static int selector_normalize(enum vs_selector sel, const char *in, char **out)
{
	char buf[VS_PCI_ADDR_MAX];
	unsigned char mac[6];

	switch (sel) {
	case VS_SEL_ADDRESS:
		if (vs_pci_addr_normalize(in, buf) < 0)
			return -EINVAL;
		break;
	case VS_SEL_GUEST_MAC:
		if (vs_parse_mac(in, mac) < 0)
			return -EINVAL;
		vs_format_mac(mac, buf);
		break;
	case VS_SEL_NETWORK:
		if (!vs_libvirt_name_valid(in))
			return -EINVAL;
		*out = strdup(in);
		return *out ? 0 : -ENOMEM;
	case VS_SEL_ALL:
		*out = NULL;
		return 0;
	}
	*out = strdup(buf);
	return *out ? 0 : -ENOMEM;
}

struct vs_policy_rule *vs_policy_rule_get(struct vs_policy *p, enum vs_selector sel, const char *match, bool create)
{
	_cleanup_free_ char *norm = NULL;
	struct vs_policy_rule *r;

	if (selector_normalize(sel, match, &norm) < 0)
		return NULL;
	for (size_t i = 0; i < p->n; i++) {
		r = &p->rules[i];
		if (r->sel == sel && (sel == VS_SEL_ALL || strcmp(r->match, norm) == 0))
			return r;
	}
	if (!create || vs_grow((void **)&p->rules, &p->alloc, p->n + 1, sizeof(*p->rules)) < 0)
		return NULL;
	r = &p->rules[p->n++];
	r->sel = sel;
	r->match = TAKE_PTR(norm);
	r->line = 0;
	r->bridge = (struct vs_rep_bridge){ 0 };
	vs_vf_config_init(&r->cfg, -1);
	return r;
}

int vs_policy_rule_remove(struct vs_policy *p, enum vs_selector sel, const char *match)
{
	struct vs_policy_rule *r = vs_policy_rule_get(p, sel, match, false);
	size_t i;

	if (!r)
		return -ENOENT;
	i = (size_t)(r - p->rules);
	free(r->match);
	memmove(r, r + 1, (p->n - i - 1) * sizeof(*r));
	p->n--;
	return 0;
}

static bool is_ours(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, VS_POLICY_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

/* virDomainGetMetadata hands the element back without its namespace. */
static bool is_bare(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !n->ns && strcmp((const char *)n->name, name) == 0;
}

/* An attribute in a namespace is another application's, or ours spelled
 * with a prefix: other:trust="on" was applied as trust, which nobody on
 * this host asked for.  Neither is what `vf set` takes. */
static int refuse_prefixed(xmlNodePtr el, xmlAttrPtr a, struct vs_error *err)
{
	const char *prefix = a->ns->prefix ? (const char *)a->ns->prefix : "";

	return vs_error_set(err, -EINVAL, "policy line %ld: attribute '%s:%s' (namespace %s) on <%s>: "
			    "settings and selectors take no prefix", xmlGetLineNo(el), prefix, a->name,
			    a->ns->href ? (const char *)a->ns->href : "", el->name);
}

static int rule_attr(xmlNodePtr vf, xmlAttrPtr a, struct vs_policy_rule *r, struct vs_error *err)
{
	const char *name = (const char *)a->name;
	_cleanup_xmlchar_ xmlChar *value = NULL;
	const struct selector_def *sd = selector_by_attr(name);
	long line = xmlGetLineNo(vf);
	struct vs_error sub = { 0 };
	int rc;

	if (a->ns)
		return refuse_prefixed(vf, a, err);
	if (!(value = xmlNodeGetContent((xmlNodePtr)a)))
		return -ENOMEM;
	if (sd) {
		if (r->sel != VS_SEL_ALL)
			return vs_error_set(err, -EINVAL, "policy line %ld: <vf> has two selectors (%s and %s): give one",
					    line, vs_selector_name(r->sel), name);
		r->sel = sd->sel;
		if (selector_normalize(sd->sel, (const char *)value, &r->match) < 0)
			return vs_error_set(err, -EINVAL, "policy line %ld: %s '%s' is not valid", line, name, value);
		return 0;
	}
	rc = vs_rep_bridge_parse(&r->bridge, name, (const char *)value, false, &sub);
	if (rc != -ENOENT)
		return rc < 0 ? vs_error_set(err, -EINVAL, "policy line %ld: %s", line, sub.msg) : 0;
	rc = vs_vf_config_parse(&r->cfg, name, (const char *)value, &sub);
	if (rc == -ENOENT)
		return vs_error_set(err, -EINVAL, "policy line %ld: unknown attribute '%s' on <vf>", line, name);
	if (rc < 0)
		return vs_error_set(err, -EINVAL, "policy line %ld: %s", line, sub.msg);
	return 0;
}

/* Text where only elements belong was dropped unread: name it (its first
 * words, on one line) rather than guess what it meant. */
static int refuse_text(xmlNodePtr parent, xmlNodePtr t, struct vs_error *err)
{
	const char *s = (const char *)t->content;
	int len = 0;

	while (s && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	while (s && len < 24 && (unsigned char)s[len] >= 0x20 && s[len] != 0x7f)
		len++;
	while (len > 0 && s[len - 1] == ' ')
		len--;
	return vs_error_set(err, -EINVAL, "policy line %ld: text '%.*s' in <%s>: settings are attributes",
			    xmlGetLineNo(parent), len, s ? s : "", parent->name);
}

/* Comments and blanks are all a <vf> may hold: a <vf> inside a <vf> was
 * read as the outer rule alone, its settings silently dropped. */
static int rule_content(xmlNodePtr vf, struct vs_error *err)
{
	for (xmlNodePtr c = vf->children; c; c = c->next) {
		if (c->type == XML_COMMENT_NODE || xmlIsBlankNode(c))
			continue;
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			return refuse_text(vf, c, err);
		return vs_error_set(err, -EINVAL, "policy line %ld: <%s> inside the <vf> of line %ld: rules do not nest",
				    xmlGetLineNo(c), c->name, xmlGetLineNo(vf));
	}
	return 0;
}

/* Each rule meets the rules of `vf set` by itself (a unicast MAC, min
 * rate not above max), except what it may leave to another rule or the
 * host: a QoS or protocol for a VLAN given elsewhere.  What a VF gets from
 * all of them is checked again when it is resolved. */
static int rule_check(const struct vs_policy_rule *r, struct vs_error *err)
{
	struct vs_vf_config c = r->cfg;
	struct vs_error sub = { 0 };

	if (c.vlan < 0)
		c.qos = c.vlan_proto = -1;
	if (vs_vf_config_check(&c, &sub) < 0)
		return vs_error_set(err, -EINVAL, "policy line %ld: %s", r->line, sub.msg);
	return 0;
}

static int parse_rule(xmlNodePtr vf, bool bare, struct vs_policy *out, struct vs_error *err)
{
	struct vs_policy_rule *r;
	int rc;

	if (!(bare ? is_bare(vf, "vf") : is_ours(vf, "vf")))
		return vs_error_set(err, -EINVAL, "policy line %ld: unexpected element <%s> (only <vf> is allowed)",
				    xmlGetLineNo(vf), vf->name);
	rc = rule_content(vf, err);
	if (rc < 0)
		return rc;
	rc = vs_grow((void **)&out->rules, &out->alloc, out->n + 1, sizeof(*out->rules));
	if (rc < 0)
		return rc;
	r = &out->rules[out->n++];
	r->sel = VS_SEL_ALL;
	r->match = NULL;
	r->line = xmlGetLineNo(vf);
	r->bridge = (struct vs_rep_bridge){ 0 };
	vs_vf_config_init(&r->cfg, -1);
	for (xmlAttrPtr a = vf->properties; a; a = a->next) {
		rc = rule_attr(vf, a, r, err);
		if (rc < 0)
			return rc;
	}
	return rule_check(r, err);
}

static bool same_selector(const struct vs_policy_rule *a, const struct vs_policy_rule *b)
{
	return a->sel == b->sel && (a->sel == VS_SEL_ALL || strcmp(a->match, b->match) == 0);
}

/* By selector, then in document order. */
static int rule_cmp(const void *pa, const void *pb)
{
	const struct vs_policy_rule *a = *(const struct vs_policy_rule *const *)pa;
	const struct vs_policy_rule *b = *(const struct vs_policy_rule *const *)pb;
	int d = (int)a->sel - (int)b->sel;

	if (d == 0 && a->sel != VS_SEL_ALL)
		d = strcmp(a->match, b->match);
	return d ? d : (a > b) - (a < b);
}

/* Two rules for one selector were merged field by field, the later one
 * winning: more often an old copy left in place than a plan, so it is
 * refused.  Sorted rather than compared in pairs: a policy may hold many
 * thousand rules, and the hook has seconds. */
static int refuse_duplicates(const struct vs_policy *p, struct vs_error *err)
{
	_cleanup_free_ const struct vs_policy_rule **v = NULL;
	const struct vs_policy_rule *first = NULL, *second = NULL;

	if (p->n < 2)
		return 0;
	if (!(v = calloc(p->n, sizeof(*v))))
		return -ENOMEM;
	for (size_t i = 0; i < p->n; i++)
		v[i] = &p->rules[i];
	qsort(v, p->n, sizeof(*v), rule_cmp);
	/* the first repeat in document order: the second rule of its group */
	for (size_t i = 1; i < p->n; i++)
		if (same_selector(v[i - 1], v[i]) && (i < 2 || !same_selector(v[i - 2], v[i - 1])) &&
		    (!second || v[i] < second)) {
			first = v[i - 1];
			second = v[i];
		}
	if (!second)
		return 0;
	return vs_error_set(err, -EINVAL, "policy line %ld: a second rule for %s%s%s (the first is at line %ld): "
			    "one rule per selector", second->line,
			    second->sel == VS_SEL_ALL ? "all VFs" : vs_selector_name(second->sel),
			    second->match ? " " : "", second->match ? second->match : "", first->line);
}

/* The element's own attributes: it has none, so whatever is there was
 * meant for a <vf> or for another application. */
static int policy_attrs(xmlNodePtr node, struct vs_error *err)
{
	xmlAttrPtr a = node->properties;

	if (!a)
		return 0;
	if (a->ns)
		return refuse_prefixed(node, a, err);
	return vs_error_set(err, -EINVAL, "policy line %ld: attribute '%s' on <%s>: settings go on <vf>",
			    xmlGetLineNo(node), a->name, node->name);
}

static int parse_children(xmlNodePtr node, bool bare, struct vs_policy *out, struct vs_error *err)
{
	int rc = policy_attrs(node, err);

	for (xmlNodePtr c = node->children; rc == 0 && c; c = c->next) {
		if (c->type == XML_COMMENT_NODE || xmlIsBlankNode(c))
			continue;
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			rc = refuse_text(node, c, err);
		else
			rc = parse_rule(c, bare, out, err);
	}
	return rc < 0 ? rc : refuse_duplicates(out, err);
}

static int parse_node(xmlNodePtr node, bool bare, struct vs_policy *out, struct vs_error *err)
{
	int rc = parse_children(node, bare, out, err);

	if (rc < 0)
		vs_policy_free(out);
	return rc;
}

int vs_policy_parse_node(xmlNodePtr node, struct vs_policy *out, struct vs_error *err)
{
	if (!node || !is_ours(node, VS_POLICY_ELEMENT))
		return vs_error_set(err, -EINVAL, "policy: not a <policy> element in namespace %s", VS_POLICY_NS);
	return parse_node(node, false, out, err);
}

/* libvirt keeps one element per namespace, but the XML given to the hook
 * or to `plan` may hold two: reading the first alone ignored whatever the
 * second asked for. */
int vs_policy_from_domain(xmlDocPtr doc, struct vs_policy *out, struct vs_error *err)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), found = NULL;

	for (xmlNodePtr m = root ? root->children : NULL; m; m = m->next) {
		if (m->type != XML_ELEMENT_NODE || m->ns || strcmp((const char *)m->name, "metadata") != 0)
			continue;
		for (xmlNodePtr c = m->children; c; c = c->next) {
			if (!is_ours(c, VS_POLICY_ELEMENT))
				continue;
			if (found)
				return vs_error_set(err, -EINVAL, "policy line %ld: a second <policy> element (the first is at "
						    "line %ld): give one", xmlGetLineNo(c), xmlGetLineNo(found));
			found = c;
		}
	}
	return found ? vs_policy_parse_node(found, out, err) : 0;
}

int vs_policy_parse_string(const char *xml, struct vs_policy *out, struct vs_error *err)
{
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	xmlNodePtr root;
	int rc;

	rc = vs_xml_parse(xml, "policy", &doc, err);
	if (rc < 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (is_bare(root, VS_POLICY_ELEMENT))
		return parse_node(root, true, out, err);
	return vs_policy_parse_node(root, out, err);
}

static int add_attr(const char *name, const char *value, void *data)
{
	return xmlNewProp((xmlNodePtr)data, BAD_CAST name, BAD_CAST value) ? 0 : -ENOMEM;
}

static int add_setting_attr(const struct vs_vf_field *f, const char *value, void *data)
{
	return add_attr(f->name, value, data);
}

static int format_rule(xmlNodePtr root, xmlNsPtr ns, const struct vs_policy_rule *r)
{
	xmlNodePtr vf = xmlNewChild(root, ns, BAD_CAST "vf", NULL);

	if (!vf)
		return -ENOMEM;
	if (r->sel != VS_SEL_ALL && add_attr(vs_selector_name(r->sel), r->match, vf) < 0)
		return -ENOMEM;
	if (r->bridge.kind != VS_BRIDGE_NONE &&
	    add_attr(vs_rep_key_of(r->bridge.kind)->policy_key, r->bridge.name, vf) < 0)
		return -ENOMEM;
	return vs_vf_config_foreach(&r->cfg, add_setting_attr, vf);
}

static int format_policy(const struct vs_policy *p, bool with_ns, char **out)
{
	_cleanup_xmldoc_ xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root;
	xmlNsPtr ns = NULL;
	int rc;

	if (!doc || !(root = xmlNewNode(NULL, BAD_CAST VS_POLICY_ELEMENT)))
		return -ENOMEM;
	xmlDocSetRootElement(doc, root);
	if (with_ns) {
		ns = xmlNewNs(root, BAD_CAST VS_POLICY_NS, BAD_CAST VS_POLICY_PREFIX);
		if (!ns)
			return -ENOMEM;
		xmlSetNs(root, ns);
	}
	for (size_t i = 0; i < p->n; i++) {
		rc = format_rule(root, ns, &p->rules[i]);
		if (rc < 0)
			return rc;
	}
	*out = vs_xml_dump(doc);
	return *out ? 0 : -ENOMEM;
}

int vs_policy_format(const struct vs_policy *p, char **out)
{
	return format_policy(p, true, out);
}

int vs_policy_format_bare(const struct vs_policy *p, char **out)
{
	return format_policy(p, false, out);
}

/* ---- the merge ---- */

/* Host sections in increasing precedence; rank 0 = no match. */
static int section_rank(const struct vs_conf_section *s, const struct vs_vf_where *w)
{
	char vd[16];

	switch (s->kind) {
	case VS_CONF_DEFAULTS:
		return 1;
	case VS_CONF_PF:
		snprintf(vd, sizeof(vd), "%04x:%04x", w->pf_vendor, w->pf_device);
		if (strcasecmp(s->name, vd) == 0)
			return 2;
		if ((w->pf_netdev && strcmp(s->name, w->pf_netdev) == 0) ||
		    (w->pf_address && strcmp(s->name, w->pf_address) == 0))
			return 3;
		return 0;
	case VS_CONF_POOL:
		return w->network && strcmp(s->name, w->network) == 0 ? 4 : 0;
	case VS_CONF_VFS:
		return 0; /* static settings of virt-sriov apply, not the hook's */
	}
	return 0;
}

static bool rule_matches(const struct vs_policy_rule *r, const struct vs_vf_where *w)
{
	switch (r->sel) {
	case VS_SEL_ALL: return true;
	case VS_SEL_NETWORK: return w->network && strcmp(r->match, w->network) == 0;
	case VS_SEL_GUEST_MAC: return w->guest_mac && strcasecmp(r->match, w->guest_mac) == 0;
	case VS_SEL_ADDRESS: return w->address && strcmp(r->match, w->address) == 0;
	}
	return false;
}

struct gate {
	const char *key;
	const char *what;             /* the refused request */
	size_t off;                   /* gate in struct vs_conf_section */
	size_t field;                 /* setting in struct vs_vf_config */
	int refused_value;
};

static const struct gate gates[] = {
	{ "allow-spoofchk-off", "spoofchk off", offsetof(struct vs_conf_section, allow_spoofchk_off),
	  offsetof(struct vs_vf_config, spoofchk), 0 },
	{ "allow-trust-on", "trust on", offsetof(struct vs_conf_section, allow_trust_on),
	  offsetof(struct vs_vf_config, trust), 1 },
};

#define GATE(s, g) (*(const int *)((const char *)(s) + (g)->off))

/* Names are matched as libvirt and the file give them (UTF-8 included) and
 * made one printable line only here, where they go into a message. */
static const char *printable(const char *in, char *buf, size_t len)
{
	snprintf(buf, len, "%s", in ? in : "");
	for (char *c = buf; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return buf;
}

static int contradiction(const struct vs_conf *conf, const struct vs_conf_section *a, const struct vs_conf_section *b,
			 const char *key, const char *va, const char *vb, const struct vs_vf_where *w,
			 struct vs_error *err)
{
	const char *path = conf->path ? conf->path : vs_conf_path();
	int line_a = vs_conf_key_line(a, key), line_b = vs_conf_key_line(b, key);
	char la[300], lb[300];

	vs_conf_section_label(a, la, sizeof(la));
	vs_conf_section_label(b, lb, sizeof(lb));
	return vs_error_set(err, -EINVAL, "VF %s (%s#%d): %s = %s in %s (%s:%d) but %s = %s in %s (%s:%d), and both "
			    "name PF %s (%s): give the key in one of them; refusing rather than guess (no gate opens)",
			    w->address, w->pf_netdev ? w->pf_netdev : w->pf_address, w->index, key, va, la, path,
			    line_a ? line_a : a->line, key, vb, lb, path, line_b ? line_b : b->line,
			    w->pf_netdev ? w->pf_netdev : "-", w->pf_address ? w->pf_address : "-");
}

/* Two sections of one rank that both match a VF name one device (a PF by
 * its netdev and by its address): what they say is merged, and a key they
 * give different values is refused, for gates and settings alike. */
static int sections_agree(const struct vs_conf *conf, const struct vs_conf_section *a,
			  const struct vs_conf_section *b, const struct vs_vf_where *w, struct vs_error *err)
{
	char va[64], vb[64];

	for (size_t i = 0; i < ELEMENTSOF(gates); i++) {
		int x = GATE(a, &gates[i]), y = GATE(b, &gates[i]);

		if (x >= 0 && y >= 0 && x != y)
			return contradiction(conf, a, b, gates[i].key, x ? "yes" : "no", y ? "yes" : "no", w, err);
	}
	for (size_t i = 0; i < vs_vf_n_fields; i++) {
		const struct vs_vf_field *f = &vs_vf_fields[i];

		if (!vs_vf_field_is_set(f, &a->defaults) || !vs_vf_field_is_set(f, &b->defaults))
			continue;
		vs_vf_field_format(f, &a->defaults, va, sizeof(va));
		vs_vf_field_format(f, &b->defaults, vb, sizeof(vb));
		if (strcmp(va, vb) != 0)
			return contradiction(conf, a, b, f->name, va, vb, w, err);
	}
	return 0;
}

/* Whether two names are one device needs the host (conf.c has no sysfs):
 * checked here, with the VF's PF known, for every VF a guest gets. */
static int check_same_rank(const struct vs_conf *conf, const struct vs_vf_where *w, struct vs_error *err)
{
	for (size_t i = 0; i < conf->n; i++) {
		int rank = section_rank(&conf->sections[i], w), rc;

		for (size_t j = i + 1; rank && j < conf->n; j++) {
			if (section_rank(&conf->sections[j], w) != rank)
				continue;
			rc = sections_agree(conf, &conf->sections[i], &conf->sections[j], w, err);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int gate_check(const struct vs_conf *conf, const struct gate *g, const struct vs_vf_where *w, struct vs_error *err)
{
	const struct vs_conf_section *decided = NULL;
	int best = 0, allow = 0;
	char label[300], net[256];

	for (size_t i = 0; i < conf->n; i++) {
		const struct vs_conf_section *s = &conf->sections[i];
		int rank = section_rank(s, w), v = GATE(s, g);

		if (rank > best && v >= 0) {
			best = rank;
			allow = v;
			decided = s;
		}
	}
	if (allow)
		return 0;
	if (decided) {
		vs_conf_section_label(decided, label, sizeof(label));
		return vs_error_set(err, -EPERM, "VF %s (%s#%d): %s is not allowed: %s = no in %s (%s:%d)",
				    w->address, w->pf_netdev ? w->pf_netdev : w->pf_address, w->index, g->what,
				    g->key, label, conf->path ? conf->path : "", decided->line);
	}
	return vs_error_set(err, -EPERM, "VF %s (%s#%d): %s is not allowed by the host: set %s = yes in [pf %s]%s%s%s of %s",
			    w->address, w->pf_netdev ? w->pf_netdev : w->pf_address, w->index, g->what, g->key,
			    w->pf_netdev ? w->pf_netdev : w->pf_address, w->network ? " or [pool " : "",
			    printable(w->network, net, sizeof(net)), w->network ? "]" : "",
			    conf->path ? conf->path : vs_conf_path());
}

int vs_policy_resolve(const struct vs_conf *conf, const struct vs_policy *pol,
		      const struct vs_vf_where *w, struct vs_vf_config *out, struct vs_error *err)
{
	struct vs_vf_config guest;
	struct vs_error sub = { 0 };
	int rc;

	vs_vf_config_init(out, w->index);
	vs_vf_config_init(&guest, w->index);
	rc = check_same_rank(conf, w, err);
	if (rc < 0)
		return rc;
	for (int rank = 1; rank <= 4; rank++)
		for (size_t i = 0; i < conf->n; i++)
			if (section_rank(&conf->sections[i], w) == rank)
				vs_vf_config_merge(out, &conf->sections[i].defaults);
	for (int sel = VS_SEL_ALL; sel <= VS_SEL_ADDRESS; sel++)
		for (size_t i = 0; pol && i < pol->n; i++)
			if ((int)pol->rules[i].sel == sel && rule_matches(&pol->rules[i], w))
				vs_vf_config_merge(&guest, &pol->rules[i].cfg);
	for (size_t i = 0; i < ELEMENTSOF(gates); i++) {
		/* Asking for what the host already presets is not asking for more. */
		if (*(const int *)((const char *)&guest + gates[i].field) != gates[i].refused_value ||
		    *(const int *)((const char *)out + gates[i].field) == gates[i].refused_value)
			continue;
		rc = gate_check(conf, &gates[i], w, err);
		if (rc < 0)
			return rc;
	}
	vs_vf_config_merge(out, &guest);
	/* rules between settings hold for what the VF gets, whichever rule
	 * or section gave each setting */
	rc = vs_vf_config_check(out, &sub);
	if (rc < 0)
		return vs_error_set(err, -EINVAL, "VF %s: %s", w->address ? w->address : "?", sub.msg);
	return 0;
}

void vs_policy_bridge(const struct vs_conf *conf, const struct vs_policy *pol, const struct vs_vf_where *w,
		      struct vs_rep_bridge *out)
{
	int best = 0;

	*out = (struct vs_rep_bridge){ 0 };
	for (size_t i = 0; pol && i < pol->n; i++) {
		const struct vs_policy_rule *r = &pol->rules[i];

		if (r->bridge.kind != VS_BRIDGE_NONE && rule_matches(r, w) && (int)r->sel + 1 > best) {
			best = (int)r->sel + 1;
			*out = r->bridge;
		}
	}
	if (best)
		return;
	for (size_t i = 0; conf && i < conf->n; i++) {
		const struct vs_conf_section *s = &conf->sections[i];
		int rank = section_rank(s, w);

		if (s->rep_bridge.kind != VS_BRIDGE_NONE && rank > best) {
			best = rank;
			*out = s->rep_bridge;
		}
	}
}
