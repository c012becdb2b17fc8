/* The VF settings value: one home for what a VF can be given (MAC, VLAN,
 * spoof check, trust, link state, rates, RSS query), with "not set"
 * sentinels, and ONE table that every front end reads: the command line
 * (--NAME), the guest's policy element (NAME="..."), virt-sriov.conf
 * (NAME = ...), the hook's state files and --json (json key), the netlink
 * encoder (the attribute each setting travels in) and the tables printed.
 *
 * Adding a setting: a field in struct vs_vf_config, a row in the table in
 * vfconfig.c, and, if it travels in a new attribute, an entry in enum
 * vs_vf_attr plus its encoder in netlink.c.  See docs/architecture.md.
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* A devlink rate group's name, with its NUL (the kernel takes any string;
 * virt-sriov keeps to letters, digits, '_', '-', '.'). */
#define VS_RATE_GROUP_MAX 64

/* Per-VF settings, as the kernel reports them or as a request wants them.
 * Every field has a "not set / unknown" sentinel so one struct serves both:
 * -1 for numbers, has_mac = false for the MAC. */
struct vs_vf_config {
	int index;              /* VF number on its PF */
	bool has_mac;
	unsigned char mac[6];
	int vlan;               /* 0-4094 */
	int qos;                /* 0-7 */
	int vlan_proto;         /* ETH_P_8021Q or ETH_P_8021AD, host order */
	int spoofchk;           /* 0/1 */
	int trust;              /* 0/1 */
	int link_state;         /* IFLA_VF_LINK_STATE_AUTO/ENABLE/DISABLE */
	int query_rss;          /* 0/1 */
	long long min_tx_rate;  /* Mbps */
	long long max_tx_rate;  /* Mbps */
	/* switchdev only: the devlink rate group that is the VF's leaf's
	 * parent; "" (written "none") for no group */
	bool has_rate_group;
	char rate_group[VS_RATE_GROUP_MAX];
};

/* The attributes settings travel in, in the order the kernel's
 * do_setvfinfo applies them (it stops at the first refusal): the executor
 * blames the first one sent that is not in effect.  Several settings can
 * share one (vlan, qos and vlan-proto; both rates). */
enum vs_vf_attr {
	VS_ATTR_MAC,
	VS_ATTR_VLAN,
	VS_ATTR_RATE,
	VS_ATTR_SPOOFCHK,
	VS_ATTR_LINK_STATE,
	VS_ATTR_QUERY_RSS,
	VS_ATTR_TRUST,
	VS_ATTR_RATE_GROUP,     /* no rtnetlink attribute: devlink rate parent (switchdev) */
	VS_ATTR_MAX,
};

enum vs_vf_kind {
	VS_KIND_MAC,            /* 52:54:00:12:34:56 */
	VS_KIND_INT,            /* a number in [0, max] */
	VS_KIND_BOOL,           /* on|off, yes|no, true|false; a JSON boolean */
	VS_KIND_WORD,           /* one of the row's words (auto/enable/disable, 802.1Q/802.1ad) */
	VS_KIND_NAME,           /* a name (rate group), "none" for no name */
};

struct vs_vf_word {
	const char *text;
	int value;
};

struct vs_vf_field {
	const char *name;       /* the setting's name: option, attribute, config key */
	const char *json;       /* key in state files and --json */
	enum vs_vf_kind kind;
	size_t off;             /* the field in struct vs_vf_config */
	bool wide;              /* long long (rates) rather than int */
	long long max;          /* VS_KIND_INT */
	const struct vs_vf_word *words;  /* VS_KIND_BOOL/WORD: NULL-text terminated; the first spelling
					    of a value is how it is written back */
	const char *expect;     /* what a valid value looks like, for messages */
	enum vs_vf_attr attr;
	const char *metavar;    /* the value in a usage line ("on|off") */
};

/* The table, in the order settings are listed and written out. */
extern const struct vs_vf_field vs_vf_fields[];
extern const size_t vs_vf_n_fields;

const struct vs_vf_field *vs_vf_field_find(const char *name);
bool vs_vf_field_is_set(const struct vs_vf_field *f, const struct vs_vf_config *c);
/* The value as it is written ("on", "enable", "802.1ad", "100"). */
void vs_vf_field_format(const struct vs_vf_field *f, const struct vs_vf_config *c, char *buf, size_t len);
/* The kernel attribute's name ("IFLA_VF_VLAN"; 802.1ad goes as IFLA_VF_VLAN_LIST) and
 * a short name for the group ("vlan", "tx-rate"). */
const char *vs_vf_attr_kernel_name(const struct vs_vf_config *c, enum vs_vf_attr a);
const char *vs_vf_attr_name(enum vs_vf_attr a);

void vs_vf_config_init(struct vs_vf_config *c, int index);
/* true when no field other than index is set */
bool vs_vf_config_is_empty(const struct vs_vf_config *c);

/* One setting by name, in the one grammar of every front end: on|off (also
 * yes|no, true|false), any case; vlan also as ID[:QOS[:PROTO]].  -ENOENT for
 * an unknown name (err not set); -EINVAL for a malformed value, -ERANGE for
 * one out of range, err reading "NAME VALUE: what is wrong (expected ...)". */
int vs_vf_config_parse(struct vs_vf_config *c, const char *name, const char *value, struct vs_error *err);

/* The rules between and within values that a request must meet: a unicast,
 * non-zero MAC; QoS and protocol only with a VLAN, QoS only with a VLAN
 * other than 0; min-tx-rate <= max-tx-rate (max 0: no limit, as for the
 * kernel); values in range.  -EINVAL/-ERANGE with err naming the settings. */
int vs_vf_config_check(const struct vs_vf_config *c, struct vs_error *err);

/* Call fn for each setting set in c, with its name and its value as text. */
typedef int (*vs_vf_setting_fn)(const struct vs_vf_field *f, const char *value, void *data);
int vs_vf_config_foreach(const struct vs_vf_config *c, vs_vf_setting_fn fn, void *data);
/* "vlan 5, spoofchk off" (every setting set, table order); "" when empty. */
void vs_vf_config_describe(const struct vs_vf_config *c, char *buf, size_t len);

/* Copy every field set in src over dst (dst->index kept). */
void vs_vf_config_merge(struct vs_vf_config *dst, const struct vs_vf_config *src);
/* Copy from src the fields that are set in mask and not yet set in dst
 * (what to save before applying mask, keeping what was saved before). */
void vs_vf_config_pick(struct vs_vf_config *dst, const struct vs_vf_config *src, const struct vs_vf_config *mask);
/* Clear in c the settings of one attribute. */
void vs_vf_config_drop(struct vs_vf_config *c, enum vs_vf_attr a);

/* Does `c` set anything that travels in attribute a? */
bool vs_vf_attr_present(const struct vs_vf_config *c, enum vs_vf_attr a);
/* Does `have` (read from the kernel) already carry what `want` asks for in
 * attribute a?  VLAN 0 means "no VLAN": its QoS and protocol do not count;
 * a rate not set in want matches any. */
bool vs_vf_attr_in_effect(const struct vs_vf_config *want, const struct vs_vf_config *have, enum vs_vf_attr a);
/* diff = the settings of want whose attribute `have` does not already
 * carry (vs_vf_attr_in_effect): what the executor would send.  have NULL:
 * not known, everything differs. */
void vs_vf_config_diff(const struct vs_vf_config *want, const struct vs_vf_config *have, struct vs_vf_config *diff);
/* The value of attribute a as the user writes it ("5 qos 0 proto 802.1Q",
 * "min 0 max 100 Mbps"), for messages. */
void vs_vf_attr_format(const struct vs_vf_config *c, enum vs_vf_attr a, char *buf, size_t len);

/* As JSON with the keys of `list --json` (mac, vlan, qos, vlan_proto,
 * spoofchk, trust, link_state, min_tx_rate, max_tx_rate, query_rss); only
 * the settings that are set.  NULL on no memory. */
json_object *vs_vf_config_to_json(const struct vs_vf_config *c);
/* One setting's JSON value (null: not set), for objects that list every key. */
json_object *vs_vf_field_json(const struct vs_vf_field *f, const struct vs_vf_config *c);
/* The reverse, strict: a key of the wrong type or a value out of range is
 * -EINVAL; unknown keys are ignored (the object may carry more).  c->index kept. */
int vs_vf_config_from_json(json_object *o, struct vs_vf_config *c);

/* vf reset and the executor's defaults: spoofchk on, trust off, VLAN 0,
 * link-state auto, rates 0, MAC all-zero (rate group not set: the
 * switchdev reset adds "none", vfroute.h). */
void vs_vf_config_reset(struct vs_vf_config *c, int index);
