/* The VF settings value and its one table (see vfconfig.h). */
#include "config.h"

#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "vfconfig.h"

static const struct vs_vf_word on_off_words[] = {
	{ "on", 1 }, { "off", 0 }, { "yes", 1 }, { "no", 0 }, { "true", 1 }, { "false", 0 }, { NULL, 0 },
};
static const struct vs_vf_word link_words[] = {
	{ "auto", IFLA_VF_LINK_STATE_AUTO },
	{ "enable", IFLA_VF_LINK_STATE_ENABLE },
	{ "disable", IFLA_VF_LINK_STATE_DISABLE },
	{ NULL, 0 },
};
static const struct vs_vf_word proto_words[] = {
	{ "802.1Q", ETH_P_8021Q }, { "802.1ad", ETH_P_8021AD }, { NULL, 0 },
};

#define RATE_MAX 0xffffffffLL /* IFLA_VF_RATE carries u32 Mbit/s */
#define F(f) offsetof(struct vs_vf_config, f)
const struct vs_vf_field vs_vf_fields[] = {
	{ "mac", "mac", VS_KIND_MAC, F(mac), false, 0, NULL,
	  "a unicast MAC like 52:54:00:12:34:56", VS_ATTR_MAC, "M" },
	{ "vlan", "vlan", VS_KIND_INT, F(vlan), false, 4094, NULL, "0-4094", VS_ATTR_VLAN, "ID[:QOS[:PROTO]]" },
	{ "qos", "qos", VS_KIND_INT, F(qos), false, 7, NULL, "0-7", VS_ATTR_VLAN, "0-7" },
	{ "vlan-proto", "vlan_proto", VS_KIND_WORD, F(vlan_proto), false, 0, proto_words,
	  "802.1Q or 802.1ad", VS_ATTR_VLAN, "802.1Q|802.1ad" },
	{ "spoofchk", "spoofchk", VS_KIND_BOOL, F(spoofchk), false, 1, on_off_words, "on or off",
	  VS_ATTR_SPOOFCHK, "on|off" },
	{ "trust", "trust", VS_KIND_BOOL, F(trust), false, 1, on_off_words, "on or off", VS_ATTR_TRUST, "on|off" },
	{ "link-state", "link_state", VS_KIND_WORD, F(link_state), false, 0, link_words,
	  "auto, enable or disable", VS_ATTR_LINK_STATE, "auto|enable|disable" },
	{ "min-tx-rate", "min_tx_rate", VS_KIND_INT, F(min_tx_rate), true, RATE_MAX, NULL,
	  "Mbit/s, 0-4294967295", VS_ATTR_RATE, "MBPS" },
	{ "max-tx-rate", "max_tx_rate", VS_KIND_INT, F(max_tx_rate), true, RATE_MAX, NULL,
	  "Mbit/s, 0-4294967295", VS_ATTR_RATE, "MBPS" },
	{ "query-rss", "query_rss", VS_KIND_BOOL, F(query_rss), false, 1, on_off_words, "on or off",
	  VS_ATTR_QUERY_RSS, "on|off" },
	{ "rate-group", "rate_group", VS_KIND_NAME, F(rate_group), false, VS_RATE_GROUP_MAX - 1, NULL,
	  "a devlink rate group's name (letters, digits, _ - .) or none", VS_ATTR_RATE_GROUP, "NAME|none" },
};
const size_t vs_vf_n_fields = ELEMENTSOF(vs_vf_fields);

#define FOREACH_FIELD(f) for (const struct vs_vf_field *f = vs_vf_fields; f < vs_vf_fields + vs_vf_n_fields; f++)

static const struct {
	const char *name;
	const char *kernel;
} attrs[VS_ATTR_MAX] = {
	[VS_ATTR_MAC] = { "mac", "IFLA_VF_MAC" },
	[VS_ATTR_VLAN] = { "vlan", "IFLA_VF_VLAN" },
	[VS_ATTR_RATE] = { "tx-rate", "IFLA_VF_RATE" },
	[VS_ATTR_SPOOFCHK] = { "spoofchk", "IFLA_VF_SPOOFCHK" },
	[VS_ATTR_LINK_STATE] = { "link-state", "IFLA_VF_LINK_STATE" },
	[VS_ATTR_QUERY_RSS] = { "query-rss", "IFLA_VF_RSS_QUERY_EN" },
	[VS_ATTR_TRUST] = { "trust", "IFLA_VF_TRUST" },
	[VS_ATTR_RATE_GROUP] = { "rate-group", "DEVLINK_ATTR_RATE_PARENT_NODE_NAME" },
};

/* ---- one field ---- */

static long long get(const struct vs_vf_field *f, const struct vs_vf_config *c)
{
	const void *p = (const char *)c + f->off;

	if (f->kind == VS_KIND_MAC)
		return c->has_mac ? 1 : -1;
	if (f->kind == VS_KIND_NAME)
		return c->has_rate_group ? 1 : -1;
	return f->wide ? *(const long long *)p : *(const int *)p;
}

static void put(const struct vs_vf_field *f, struct vs_vf_config *c, long long v)
{
	void *p = (char *)c + f->off;

	if (f->wide)
		*(long long *)p = v;
	else
		*(int *)p = (int)v;
}

/* Copy one field (the MAC with its flag). */
static void copy_field(const struct vs_vf_field *f, struct vs_vf_config *dst, const struct vs_vf_config *src)
{
	if (f->kind == VS_KIND_MAC) {
		dst->has_mac = src->has_mac;
		memcpy(dst->mac, src->mac, sizeof(dst->mac));
	} else if (f->kind == VS_KIND_NAME) {
		dst->has_rate_group = src->has_rate_group;
		memcpy(dst->rate_group, src->rate_group, sizeof(dst->rate_group));
	} else {
		put(f, dst, get(f, src));
	}
}

static void clear_field(const struct vs_vf_field *f, struct vs_vf_config *c)
{
	if (f->kind == VS_KIND_MAC)
		c->has_mac = false;
	else if (f->kind == VS_KIND_NAME)
		c->has_rate_group = false;
	else
		put(f, c, -1);
}

const struct vs_vf_field *vs_vf_field_find(const char *name)
{
	FOREACH_FIELD(f)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

bool vs_vf_field_is_set(const struct vs_vf_field *f, const struct vs_vf_config *c)
{
	return get(f, c) >= 0;
}

static const char *word_of(const struct vs_vf_word *w, long long value)
{
	for (; w && w->text; w++)
		if (w->value == value)
			return w->text;
	return NULL;
}

void vs_vf_field_format(const struct vs_vf_field *f, const struct vs_vf_config *c, char *buf, size_t len)
{
	const char *w = f->words ? word_of(f->words, get(f, c)) : NULL;
	char mac[18];

	if (f->kind == VS_KIND_MAC) {
		vs_format_mac(c->mac, mac);
		snprintf(buf, len, "%s", mac);
	} else if (f->kind == VS_KIND_NAME) {
		snprintf(buf, len, "%s", c->rate_group[0] ? c->rate_group : "none");
	} else if (w) {
		snprintf(buf, len, "%s", w);
	} else {
		snprintf(buf, len, "%lld", get(f, c));
	}
}

const char *vs_vf_attr_name(enum vs_vf_attr a)
{
	return a < VS_ATTR_MAX ? attrs[a].name : "?";
}

static int proto_of(const struct vs_vf_config *c)
{
	return c->vlan_proto > 0 ? c->vlan_proto : ETH_P_8021Q;
}

const char *vs_vf_attr_kernel_name(const struct vs_vf_config *c, enum vs_vf_attr a)
{
	if (a == VS_ATTR_VLAN && proto_of(c) != ETH_P_8021Q)
		return "IFLA_VF_VLAN_LIST";
	return a < VS_ATTR_MAX ? attrs[a].kernel : "?";
}

/* ---- the whole value ---- */

void vs_vf_config_init(struct vs_vf_config *c, int index)
{
	memset(c, 0, sizeof(*c));
	c->index = index;
	FOREACH_FIELD(f)
		clear_field(f, c);
}

bool vs_vf_config_is_empty(const struct vs_vf_config *c)
{
	FOREACH_FIELD(f)
		if (vs_vf_field_is_set(f, c))
			return false;
	return true;
}

void vs_vf_config_reset(struct vs_vf_config *c, int index)
{
	vs_vf_config_init(c, index);
	c->has_mac = true; /* all zero */
	c->vlan = 0;
	c->qos = 0;
	c->vlan_proto = ETH_P_8021Q;
	c->spoofchk = 1;
	c->trust = 0;
	c->link_state = IFLA_VF_LINK_STATE_AUTO;
	c->min_tx_rate = c->max_tx_rate = 0;
	/* no rate group: only a PF in switchdev mode has them, and its
	 * reset adds it (vfroute.h) */
}

void vs_vf_config_merge(struct vs_vf_config *dst, const struct vs_vf_config *src)
{
	FOREACH_FIELD(f)
		if (vs_vf_field_is_set(f, src))
			copy_field(f, dst, src);
}

void vs_vf_config_pick(struct vs_vf_config *dst, const struct vs_vf_config *src, const struct vs_vf_config *mask)
{
	FOREACH_FIELD(f)
		if (vs_vf_field_is_set(f, mask) && !vs_vf_field_is_set(f, dst) && vs_vf_field_is_set(f, src))
			copy_field(f, dst, src);
}

void vs_vf_config_drop(struct vs_vf_config *c, enum vs_vf_attr a)
{
	FOREACH_FIELD(f)
		if (f->attr == a)
			clear_field(f, c);
}

int vs_vf_config_foreach(const struct vs_vf_config *c, vs_vf_setting_fn fn, void *data)
{
	char buf[VS_RATE_GROUP_MAX];
	int r;

	FOREACH_FIELD(f) {
		if (!vs_vf_field_is_set(f, c))
			continue;
		vs_vf_field_format(f, c, buf, sizeof(buf));
		r = fn(f, buf, data);
		if (r < 0)
			return r;
	}
	return 0;
}

void vs_vf_config_describe(const struct vs_vf_config *c, char *buf, size_t len)
{
	size_t used = 0;
	char v[VS_RATE_GROUP_MAX];

	if (len)
		buf[0] = '\0';
	FOREACH_FIELD(f) {
		if (!vs_vf_field_is_set(f, c) || used >= len)
			continue;
		vs_vf_field_format(f, c, v, sizeof(v));
		used += (size_t)snprintf(buf + used, len - used, "%s%s %s", used ? ", " : "", f->name, v);
	}
}

/* ---- parsing: the one grammar ---- */

static int parse_word(const struct vs_vf_field *f, const char *value, long long *out)
{
	for (const struct vs_vf_word *w = f->words; w->text; w++) {
		if (strcasecmp(w->text, value) == 0) {
			*out = w->value;
			return 0;
		}
	}
	return -EINVAL;
}

/* A rate group: a word an admin types and devlink shows unquoted; "none"
 * is no group (the leaf's parent removed). */
static int parse_name(struct vs_vf_config *c, const char *label, const char *value, struct vs_error *err)
{
	size_t n = strlen(value);

	if (strcasecmp(value, "none") == 0) {
		c->has_rate_group = true;
		c->rate_group[0] = '\0';
		return 0;
	}
	if (n == 0 || n >= VS_RATE_GROUP_MAX ||
	    strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != n)
		return vs_error_set(err, -EINVAL, "%s: not a rate group name (expected %d characters at most, "
				    "letters, digits, '_', '-', '.', or none)", label, VS_RATE_GROUP_MAX - 1);
	memcpy(c->rate_group, value, n + 1);
	c->has_rate_group = true;
	return 0;
}

static int parse_one(const struct vs_vf_field *f, struct vs_vf_config *c, const char *label, const char *value,
		     struct vs_error *err)
{
	long long v;
	long n;
	int r;

	switch (f->kind) {
	case VS_KIND_NAME:
		return parse_name(c, label, value, err);
	case VS_KIND_MAC:
		if (vs_parse_mac(value, c->mac) < 0)
			return vs_error_set(err, -EINVAL, "%s: not a MAC address (expected %s)", label, f->expect);
		c->has_mac = true;
		return 0;
	case VS_KIND_INT:
		r = vs_parse_long(value, 10, &n);
		if (r == -EINVAL)
			return vs_error_set(err, -EINVAL, "%s: not a number (expected %s)", label, f->expect);
		if (r < 0 || n < 0 || n > f->max)
			return vs_error_set(err, -ERANGE, "%s: out of range (%s)", label, f->expect);
		v = n;
		break;
	default:
		if (parse_word(f, value, &v) < 0)
			return vs_error_set(err, -EINVAL, "%s: expected %s", label, f->expect);
	}
	put(f, c, v);
	return 0;
}

/* vlan ID[:QOS[:PROTO]]: the command line's short form, accepted everywhere. */
static int parse_vlan(struct vs_vf_config *c, const char *value, struct vs_error *err)
{
	static const char *const parts[] = { "vlan", "qos", "vlan-proto" };
	static const char *const labels[] = { "ID", "QoS", "protocol" };
	char buf[64], label[128], *p = buf, *next;
	int r = 0;

	if (vs_strlcpy(buf, value, sizeof(buf)) < 0)
		return vs_error_set(err, -EINVAL, "vlan %.32s...: too long (expected ID[:QOS[:PROTO]])", value);
	if (strchr(value, ':') && (p = strchr(strchr(value, ':') + 1, ':')) && strchr(p + 1, ':'))
		return vs_error_set(err, -EINVAL, "vlan %s: too many ':' parts (expected ID[:QOS[:PROTO]])", value);
	p = buf;
	for (size_t i = 0; p && r == 0; i++, p = next) {
		next = strchr(p, ':');
		if (next)
			*next++ = '\0';
		if (i == 0)
			snprintf(label, sizeof(label), "vlan %s", value);
		else
			snprintf(label, sizeof(label), "vlan %s: %s %s", value, labels[i], p);
		r = parse_one(vs_vf_field_find(parts[i]), c, label, p, err);
	}
	return r;
}

int vs_vf_config_parse(struct vs_vf_config *c, const char *name, const char *value, struct vs_error *err)
{
	const struct vs_vf_field *f = vs_vf_field_find(name);
	char label[128];

	if (!f)
		return -ENOENT;
	if (!value)
		value = "";
	if (strcmp(name, "vlan") == 0 && strchr(value, ':'))
		return parse_vlan(c, value, err);
	snprintf(label, sizeof(label), "%s %s", name, value);
	return parse_one(f, c, label, value, err);
}

/* ---- the rules of a request ---- */

static int check_mac(const struct vs_vf_config *c, struct vs_error *err)
{
	static const unsigned char zero[6];
	char s[18];

	if (!c->has_mac)
		return 0;
	vs_format_mac(c->mac, s);
	if (memcmp(c->mac, zero, sizeof(zero)) == 0)
		return vs_error_set(err, -EINVAL, "mac %s: all-zero MAC (vf reset clears the MAC)", s);
	if (c->mac[0] & 1)
		return vs_error_set(err, -EINVAL, "mac %s: multicast MAC, a VF needs a unicast one", s);
	return 0;
}

static int check_range(const struct vs_vf_config *c, struct vs_error *err)
{
	char v[32];

	FOREACH_FIELD(f) {
		long long x = get(f, c);

		if (x < 0 || f->kind == VS_KIND_MAC || f->kind == VS_KIND_NAME)
			continue;
		vs_vf_field_format(f, c, v, sizeof(v));
		if (f->kind == VS_KIND_INT ? x > f->max : !word_of(f->words, x))
			return vs_error_set(err, -ERANGE, "%s %s: out of range (expected %s)", f->name, v,
					    f->expect);
	}
	return 0;
}

static int check_vlan(const struct vs_vf_config *c, struct vs_error *err)
{
	if (c->vlan < 0 && (c->qos >= 0 || c->vlan_proto >= 0))
		return vs_error_set(err, -EINVAL, "qos or vlan-proto without a vlan ID");
	if (c->qos > 0 && c->vlan == 0)
		return vs_error_set(err, -EINVAL, "vlan 0 with QoS %d: QoS needs a VLAN ID other than 0", c->qos);
	return 0;
}

int vs_vf_config_check(const struct vs_vf_config *c, struct vs_error *err)
{
	int r = check_mac(c, err);

	if (r == 0)
		r = check_range(c, err);
	if (r == 0)
		r = check_vlan(c, err);
	/* The kernel's rule: max 0 means no limit, otherwise min <= max. */
	if (r == 0 && c->min_tx_rate >= 0 && c->max_tx_rate > 0 && c->min_tx_rate > c->max_tx_rate)
		r = vs_error_set(err, -EINVAL, "min-tx-rate %lld above max-tx-rate %lld", c->min_tx_rate,
				 c->max_tx_rate);
	return r;
}

/* ---- per attribute: what the executor sends and compares ---- */

bool vs_vf_attr_present(const struct vs_vf_config *c, enum vs_vf_attr a)
{
	FOREACH_FIELD(f)
		if (f->attr == a && vs_vf_field_is_set(f, c))
			return true;
	return false;
}

static bool same_vlan(const struct vs_vf_config *w, const struct vs_vf_config *h)
{
	/* VLAN 0 means "no VLAN": its QoS and protocol are not kept. */
	if (h->vlan < 0 || w->vlan != h->vlan)
		return false;
	return w->vlan == 0 || ((w->qos > 0 ? w->qos : 0) == (h->qos > 0 ? h->qos : 0) && proto_of(w) == proto_of(h));
}

bool vs_vf_attr_in_effect(const struct vs_vf_config *want, const struct vs_vf_config *have, enum vs_vf_attr a)
{
	if (a == VS_ATTR_VLAN)
		return same_vlan(want, have);
	if (a == VS_ATTR_MAC)
		return have->has_mac && memcmp(want->mac, have->mac, 6) == 0;
	if (a == VS_ATTR_RATE_GROUP)
		return !want->has_rate_group ||
		       (have->has_rate_group && strcmp(want->rate_group, have->rate_group) == 0);
	FOREACH_FIELD(f) {
		if (f->attr != a || !vs_vf_field_is_set(f, want))
			continue;
		/* a flag the kernel reports as anything but 0/1 is not known */
		if (get(f, have) < 0 || get(f, have) != get(f, want))
			return false;
	}
	return true;
}

void vs_vf_config_diff(const struct vs_vf_config *want, const struct vs_vf_config *have, struct vs_vf_config *diff)
{
	FOREACH_FIELD(f)
		if (vs_vf_field_is_set(f, want) && (!have || !vs_vf_attr_in_effect(want, have, f->attr)))
			copy_field(f, diff, want);
}

void vs_vf_attr_format(const struct vs_vf_config *c, enum vs_vf_attr a, char *buf, size_t len)
{
	char mn[24] = "current", mx[24] = "current";

	if (a == VS_ATTR_VLAN) {
		snprintf(buf, len, "%d qos %d proto %s", c->vlan, c->qos > 0 ? c->qos : 0,
			 proto_of(c) == ETH_P_8021AD ? "802.1ad" : "802.1Q");
	} else if (a == VS_ATTR_RATE) {
		if (c->min_tx_rate >= 0)
			snprintf(mn, sizeof(mn), "%lld", c->min_tx_rate);
		if (c->max_tx_rate >= 0)
			snprintf(mx, sizeof(mx), "%lld", c->max_tx_rate);
		snprintf(buf, len, "min %s max %s Mbps", mn, mx);
	} else {
		buf[0] = '\0';
		FOREACH_FIELD(f)
			if (f->attr == a)
				vs_vf_field_format(f, c, buf, len);
	}
}

/* ---- JSON ---- */

json_object *vs_vf_field_json(const struct vs_vf_field *f, const struct vs_vf_config *c)
{
	char buf[VS_RATE_GROUP_MAX];

	if (!vs_vf_field_is_set(f, c))
		return NULL;
	if (f->kind == VS_KIND_INT)
		return json_object_new_int64(get(f, c));
	if (f->kind == VS_KIND_BOOL)
		return json_object_new_boolean(get(f, c) != 0);
	if (f->kind == VS_KIND_WORD && !word_of(f->words, get(f, c)))
		return NULL; /* a value the kernel reports that has no name */
	vs_vf_field_format(f, c, buf, sizeof(buf));
	return json_object_new_string(buf);
}

json_object *vs_vf_config_to_json(const struct vs_vf_config *c)
{
	json_object *o = json_object_new_object();

	FOREACH_FIELD(f) {
		json_object *v;

		if (!o || !vs_vf_field_is_set(f, c))
			continue;
		v = vs_vf_field_json(f, c);
		if (v && json_object_object_add(o, f->json, v) < 0) {
			json_object_put(v);
			v = NULL;
		}
		if (!v && (f->kind != VS_KIND_WORD || word_of(f->words, get(f, c)))) {
			json_object_put(o);
			o = NULL;
		}
	}
	return o;
}

static int field_from_json(const struct vs_vf_field *f, json_object *v, struct vs_vf_config *c)
{
	json_type want = f->kind == VS_KIND_INT ? json_type_int : f->kind == VS_KIND_BOOL ? json_type_boolean
											    : json_type_string;
	long long n;

	if (!json_object_is_type(v, want))
		return -EINVAL;
	if (f->kind == VS_KIND_BOOL) {
		put(f, c, json_object_get_boolean(v) ? 1 : 0);
		return 0;
	}
	if (f->kind != VS_KIND_INT)
		return vs_vf_config_parse(c, f->name, json_object_get_string(v), NULL) < 0 ? -EINVAL : 0;
	n = json_object_get_int64(v);
	if (n < 0 || n > f->max)
		return -EINVAL;
	put(f, c, n);
	return 0;
}

int vs_vf_config_from_json(json_object *o, struct vs_vf_config *c)
{
	json_object *v;

	vs_vf_config_init(c, c->index);
	if (!json_object_is_type(o, json_type_object))
		return -EINVAL;
	FOREACH_FIELD(f)
		if (json_object_object_get_ex(o, f->json, &v) && field_from_json(f, v, c) < 0)
			return -EINVAL;
	return 0;
}
