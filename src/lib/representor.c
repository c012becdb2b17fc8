/* VF representors from sysfs, and the bridge keys: see representor.h. */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "representor.h"

/* ---- finding a representor ---- */

/* Digits only, no sign, no leading zero but "0", up to 65535. */
static const char *parse_num(const char *s, int *out)
{
	long v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p) || (p[0] == '0' && isdigit((unsigned char)p[1])))
		return NULL;
	while (isdigit((unsigned char)*p) && v <= 65535)
		v = v * 10 + (*p++ - '0');
	if (v > 65535)
		return NULL;
	*out = (int)v;
	return p;
}

static bool num_only(const char *s, int *out)
{
	const char *end = parse_num(s, out);

	return end && *end == '\0';
}

bool vs_representor_parse_name(const char *name, int *pfnum, int *vf)
{
	const char *p;

	if (!name || strncmp(name, "pf", 2) != 0 || !(p = parse_num(name + 2, pfnum)) || strncmp(p, "vf", 2) != 0)
		return false;
	p = parse_num(p + 2, vf);
	return p && *p == '\0';
}

/* The PF's own P where its phys_port_name says "pf<P>"; "p<N>" is P for
 * mlx5's uplink but a port index elsewhere: a hint, checked against the
 * representors present.  -1 when there is none. */
static int pf_hint(const struct vs_sysfs *s, const char *pf, bool *exact)
{
	char name[64];
	int n;

	*exact = false;
	if (vs_sysfs_read(s, name, sizeof(name), "/sys/class/net/%s/phys_port_name", pf) <= 0)
		return -1;
	if (strncmp(name, "pf", 2) == 0 && num_only(name + 2, &n)) {
		*exact = true;
		return n;
	}
	return name[0] == 'p' && num_only(name + 1, &n) ? n : -1;
}

struct rep_scan {
	const char *switch_id;
	int vf;
	int want_pf;                  /* -1: any */
	struct vs_representor found[2];/* with want_pf, and the first of any P */
	int pfnums;                   /* distinct P seen on this switch: 0, 1, or 2 (several) */
	int first_pf;
};

static void scan_one(const struct vs_sysfs *s, const char *dev, struct rep_scan *sc)
{
	char id[VS_SWITCH_ID_MAX], port[64];
	int p, v;

	if (vs_sysfs_read(s, id, sizeof(id), "/sys/class/net/%s/phys_switch_id", dev) <= 0 ||
	    strcmp(id, sc->switch_id) != 0 ||
	    vs_sysfs_read(s, port, sizeof(port), "/sys/class/net/%s/phys_port_name", dev) <= 0 ||
	    !vs_representor_parse_name(port, &p, &v))
		return;
	if (sc->pfnums == 0) {
		sc->pfnums = 1;
		sc->first_pf = p;
	} else if (p != sc->first_pf) {
		sc->pfnums = 2;
	}
	if (v != sc->vf)
		return;
	for (int i = 0; i < 2; i++) {
		if ((i == 0 && p != sc->want_pf) || sc->found[i].netdev[0])
			continue;
		sc->found[i] = (struct vs_representor){ .pfnum = p, .vf = v };
		vs_strlcpy(sc->found[i].netdev, dev, sizeof(sc->found[i].netdev));
	}
}

int vs_representor_find(const struct vs_sysfs *s, const char *pf, int vf, struct vs_representor *out,
			struct vs_error *err)
{
	struct rep_scan sc = { .vf = vf };
	char id[VS_SWITCH_ID_MAX];
	char **devs = NULL;
	bool exact;
	int r;

	memset(out, 0, sizeof(*out));
	if (vs_sysfs_read(s, id, sizeof(id), "/sys/class/net/%s/phys_switch_id", pf) <= 0)
		return vs_error_set(err, -ENOENT, "PF %s has no switch id (not in switchdev mode): VF %d has no representor",
				    pf, vf);
	sc.switch_id = id;
	sc.want_pf = pf_hint(s, pf, &exact);
	r = vs_sysfs_list(s, &devs, "/sys/class/net");
	if (r < 0)
		return vs_error_set(err, r, "PF %s: cannot list /sys/class/net: %s", pf, strerror(-r));
	for (char **d = devs; *d; d++)
		if (strcmp(*d, pf) != 0)
			scan_one(s, *d, &sc);
	vs_strv_free(devs);
	if (sc.found[0].netdev[0])
		*out = sc.found[0];
	else if (!exact && sc.pfnums == 1 && sc.found[1].netdev[0])
		*out = sc.found[1];
	else
		return vs_error_set(err, -ENOENT, "PF %s (switch %s): no representor pf%dvf%d for VF %d", pf, id,
				    sc.want_pf >= 0 ? sc.want_pf : 0, vf, vf);
	vs_strlcpy(out->switch_id, id, sizeof(out->switch_id));
	return 0;
}

/* ---- the bridge keys ---- */

const struct vs_rep_key vs_rep_keys[] = {
	{ VS_BRIDGE_LINUX, "bridge", "representor-bridge", "Linux bridge" },
	{ VS_BRIDGE_OVS, "ovs-bridge", "representor-ovs-bridge", "Open vSwitch bridge" },
};
const size_t vs_rep_n_keys = ELEMENTSOF(vs_rep_keys);

const struct vs_rep_key *vs_rep_key_find(const char *key, bool conf)
{
	for (size_t i = 0; i < ELEMENTSOF(vs_rep_keys); i++)
		if (strcmp(conf ? vs_rep_keys[i].conf_key : vs_rep_keys[i].policy_key, key) == 0)
			return &vs_rep_keys[i];
	return NULL;
}

const struct vs_rep_key *vs_rep_key_of(enum vs_bridge_kind kind)
{
	for (size_t i = 0; i < ELEMENTSOF(vs_rep_keys); i++)
		if (vs_rep_keys[i].kind == kind)
			return &vs_rep_keys[i];
	return NULL;
}

/* A bridge is a netdev (an OVS bridge too: its internal port). */
static bool bridge_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s == '"' || *s == '\\' || isspace((unsigned char)*s) ||
		    (unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

int vs_rep_bridge_parse(struct vs_rep_bridge *b, const char *key, const char *value, bool conf,
			struct vs_error *err)
{
	const struct vs_rep_key *k = vs_rep_key_find(key, conf);

	if (!k)
		return -ENOENT;
	if (b->kind != VS_BRIDGE_NONE) {
		const struct vs_rep_key *other = vs_rep_key_of(b->kind);

		return vs_error_set(err, -EINVAL, "%s '%s': %s '%s' is given already: a representor joins one bridge",
				    key, value, conf ? other->conf_key : other->policy_key, b->name);
	}
	if (!bridge_name_valid(value))
		return vs_error_set(err, -EINVAL, "%s '%s' is not a bridge name (1-%d characters, no '/', ':', quotes "
				    "or blanks)", key, value, IFNAMSIZ - 1);
	b->kind = k->kind;
	vs_strlcpy(b->name, value, sizeof(b->name));
	return 0;
}
