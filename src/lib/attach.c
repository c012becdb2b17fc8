/* Choosing a free VF, the attach lock and the reservations.  The libvirt
 * side of attach and detach is in attach-domain.c. */
#include "config.h"

#include <json-c/json.h>
#include <net/if.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "attach.h"
#include "statedir.h"

/* ---- choosing ---- */

static bool reserved(const struct vs_choose_in *in, const char *address)
{
	for (size_t i = 0; i < in->n_reserved; i++)
		if (strcmp(in->reserved[i].address, address) == 0)
			return true;
	return false;
}

/* A device of the VF's IOMMU group is fine when it is a VF that is neither
 * held nor reserved, or a device no driver has claimed: VFIO needs the
 * whole group. */
static bool member_busy(const struct vs_choose_in *in, const struct vs_group_member *m)
{
	struct vs_pf *pf;
	struct vs_vf *vf;

	if (vs_host_find_vf(in->host, m->address, &pf, &vf) < 0)
		return m->has_driver;
	return vf->in_use_by != NULL || reserved(in, vf->address);
}

enum vs_busy vs_attach_vf_busy(const struct vs_choose_in *in, size_t i, const char **dev)
{
	const struct vs_vf *vf = &in->pf->vfs[i];
	const struct vs_vf_facts *f = in->facts ? &in->facts[i] : NULL;

	*dev = NULL;
	if (vf->in_use_by)
		return VS_VF_HELD;
	if (reserved(in, vf->address))
		return VS_VF_RESERVED;
	if (f && f->netdev_up && !in->force)
		return VS_VF_NETDEV_UP;
	for (size_t g = 0; f && g < f->n_group; g++) {
		if (member_busy(in, &f->group[g])) {
			*dev = f->group[g].address;
			return VS_VF_GROUP_SHARED;
		}
	}
	return VS_VF_FREE;
}

static void add_holder(struct vs_choose_out *out, const char *guest)
{
	size_t len = strlen(out->holders);
	const char *p = out->holders;

	/* already listed? */
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == strlen(guest) && strncmp(p, guest, n) == 0)
			return;
		p += n + (p[n] == ',');
	}
	if (len && strcmp(out->holders + len - 3, "...") == 0)
		return;
	if (len + strlen(guest) + 5 >= sizeof(out->holders)) {
		snprintf(out->holders + len, sizeof(out->holders) - len, "%s...", len ? "," : "");
		return;
	}
	snprintf(out->holders + len, sizeof(out->holders) - len, "%s%s", len ? "," : "", guest);
}

static const char *pf_name(const struct vs_pf *pf)
{
	return pf->netdev[0] ? pf->netdev : pf->address;
}

static void reason(const struct vs_choose_out *out, int k, char *part, size_t len)
{
	switch (k) {
	case VS_VF_HELD:
		snprintf(part, len, "held by guest%s %s", strchr(out->holders, ',') ? "s" : "", out->holders);
		break;
	case VS_VF_RESERVED:
		snprintf(part, len, "reserved by attaches in flight");
		break;
	case VS_VF_NETDEV_UP:
		snprintf(part, len, "on host driver with netdev up (--force takes them)");
		break;
	default:
		snprintf(part, len, "in an IOMMU group with a device in use (%s)", out->blocker);
		break;
	}
}

/* "5 held by guests a,b, 2 on host driver with netdev up" */
static void describe(const struct vs_choose_out *out, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int k = VS_VF_HELD; k < VS_VF_BUSY_MAX && used < len; k++) {
		char part[512];

		if (!out->count[k])
			continue;
		reason(out, k, part, sizeof(part));
		used += (size_t)snprintf(buf + used, len - used, "%s%u %s", used ? ", " : "", out->count[k], part);
	}
}

int vs_attach_choose(const struct vs_choose_in *in, struct vs_choose_out *out, struct vs_error *err)
{
	char why[768];

	memset(out, 0, sizeof(*out));
	out->index = -1;
	for (size_t i = 0; i < in->pf->n_vfs; i++) {
		const char *dev;
		enum vs_busy b = vs_attach_vf_busy(in, i, &dev);

		if (b == VS_VF_FREE && out->index < 0)
			out->index = (int)i;
		out->count[b]++;
		if (b == VS_VF_HELD)
			add_holder(out, in->pf->vfs[i].in_use_by);
		if (b == VS_VF_GROUP_SHARED && !out->blocker[0])
			vs_strlcpy(out->blocker, dev, sizeof(out->blocker));
	}
	if (out->index >= 0)
		return 0;
	if (in->pf->n_vfs == 0)
		return vs_error_set(err, -ENOSPC, "no free VF on PF %s: it has no VFs (create some with `virt-sriov numvfs %s N`)",
				    pf_name(in->pf), pf_name(in->pf));
	describe(out, why, sizeof(why));
	return vs_error_set(err, -ENOSPC, "no free VF on PF %s (%zu VFs: %s)", pf_name(in->pf), in->pf->n_vfs, why);
}

/* ---- facts from sysfs ---- */

static bool netdev_up(const struct vs_sysfs *fs, const char *netdev)
{
	char buf[64];
	long flags;

	if (!netdev[0])
		return false;
	if (vs_sysfs_read_long(fs, &flags, "/sys/class/net/%s/flags", netdev) == 0)
		return flags & IFF_UP;
	return vs_sysfs_read(fs, buf, sizeof(buf), "/sys/class/net/%s/operstate", netdev) >= 0 &&
	       strcmp(buf, "up") == 0;
}

/* PCI bridges sit in groups without being handed to anyone. */
static bool is_bridge(const struct vs_sysfs *fs, const char *dev)
{
	unsigned cls;

	return vs_sysfs_read_hex(fs, &cls, "/sys/bus/pci/devices/%s/class", dev) == 0 && (cls >> 8) == 0x0604;
}

static int group_facts(const struct vs_sysfs *fs, const struct vs_vf *vf, struct vs_vf_facts *f)
{
	char **names = NULL, drv[VS_DRIVER_MAX];
	size_t alloc = 0;
	int n, r = 0;

	if (vf->iommu_group < 0)
		return 0;
	n = vs_sysfs_list(fs, &names, "/sys/kernel/iommu_groups/%d/devices", vf->iommu_group);
	if (n < 0)
		return n == -ENOENT ? 0 : n;
	for (int i = 0; r == 0 && i < n; i++) {
		struct vs_group_member *m;

		if (strcmp(names[i], vf->address) == 0 || is_bridge(fs, names[i]))
			continue;
		r = vs_grow((void **)&f->group, &alloc, f->n_group + 1, sizeof(*f->group));
		if (r < 0)
			break;
		m = &f->group[f->n_group++];
		vs_strlcpy(m->address, names[i], sizeof(m->address));
		m->has_driver = vs_sysfs_link_base(fs, drv, sizeof(drv), "/sys/bus/pci/devices/%s/driver", names[i]) >= 0;
	}
	vs_strv_free(names);
	return r;
}

void vs_attach_facts_free(struct vs_vf_facts *facts, size_t n)
{
	for (size_t i = 0; facts && i < n; i++)
		free(facts[i].group);
	free(facts);
}

int vs_attach_facts(const struct vs_sysfs *fs, const struct vs_pf *pf, struct vs_vf_facts **facts,
		    struct vs_error *err)
{
	struct vs_vf_facts *f = calloc(pf->n_vfs + 1, sizeof(*f));
	int r = 0;

	if (!f)
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i < pf->n_vfs; i++) {
		f[i].netdev_up = netdev_up(fs, pf->vfs[i].netdev);
		r = group_facts(fs, &pf->vfs[i], &f[i]);
	}
	if (r < 0) {
		vs_attach_facts_free(f, pf->n_vfs);
		return vs_error_set(err, r, "PF %s: cannot read the IOMMU groups of its VFs: %s", pf_name(pf), strerror(-r));
	}
	*facts = f;
	return 0;
}

/* ---- the lock ---- */

int vs_attach_lock(const char *dir, int timeout_ms, int *fd, struct vs_error *err)
{
	struct vs_error sub = { 0 };
	int r = vs_statedir_lock(dir, VS_ATTACH_LOCK, timeout_ms, fd, &sub);

	if (r == -ETIMEDOUT)
		return vs_error_set(err, r, "%s/%s: another attach still holds the lock after %d ms", dir, VS_ATTACH_LOCK,
				    timeout_ms);
	return r < 0 ? vs_error_set(err, r, "%s", sub.msg) : 0;
}

/* ---- reservations ---- */

/* An entry is about 100 bytes: room for thousands of attaches in flight. */
#define VS_ATTACH_RESERVED_MAX (1 << 20)

static bool pid_alive(long pid)
{
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

static int reservation_from_json(json_object *o, struct vs_reservation *r)
{
	json_object *a, *d, *p, *s;

	memset(r, 0, sizeof(*r));
	if (!json_object_object_get_ex(o, "address", &a) || !json_object_object_get_ex(o, "domain", &d) ||
	    !json_object_object_get_ex(o, "pid", &p) || !json_object_object_get_ex(o, "since", &s))
		return -EINVAL;
	if (vs_strlcpy(r->address, json_object_get_string(a), sizeof(r->address)) < 0 ||
	    vs_strlcpy(r->domain, json_object_get_string(d), sizeof(r->domain)) < 0)
		return -EINVAL;
	r->pid = (long)json_object_get_int64(p);
	r->since = json_object_get_int64(s);
	return 0;
}

static int parse_all(const char *text, struct vs_reservation **out, size_t *n)
{
	json_object *root = json_tokener_parse(text);
	size_t alloc = 0;
	int r = 0;

	/* a broken file must not block attaches forever: start afresh */
	if (!root || !json_object_is_type(root, json_type_array)) {
		json_object_put(root);
		return 0;
	}
	for (size_t i = 0; r == 0 && i < json_object_array_length(root); i++) {
		r = vs_grow((void **)out, &alloc, *n + 1, sizeof(**out));
		if (r == 0 && reservation_from_json(json_object_array_get_idx(root, i), &(*out)[*n]) == 0)
			(*n)++;
	}
	json_object_put(root);
	return r;
}

/* Every entry of the file, in force or not. */
static int load_all(const char *dir, struct vs_reservation **out, size_t *n, struct vs_error *err)
{
	_cleanup_free_ char *text = NULL;
	struct vs_error sub = { 0 };
	int r;

	*out = NULL;
	*n = 0;
	r = vs_statedir_read(dir, VS_ATTACH_RESERVED, VS_ATTACH_RESERVED_MAX, &text, NULL, &sub);
	if (r == -ENOENT || r == -EFBIG)       /* none yet, or broken as above */
		return 0;
	if (r < 0)
		return vs_error_set(err, r, "%s", sub.msg);
	r = parse_all(text, out, n);
	if (r < 0) {
		free(*out);
		*out = NULL;
		return vs_error_set(err, r, "%s/%s: %s", dir, VS_ATTACH_RESERVED, strerror(-r));
	}
	return 0;
}

static bool in_force(const struct vs_reservation *r, long long now)
{
	return pid_alive(r->pid) || now - r->since < VS_ATTACH_GRACE_S;
}

int vs_reservations_load(const char *dir, long long now, struct vs_reservation **out, size_t *n,
			 struct vs_error *err)
{
	size_t k = 0;
	int r = load_all(dir, out, n, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < *n; i++)
		if (in_force(&(*out)[i], now))
			(*out)[k++] = (*out)[i];
	*n = k;
	return 0;
}

static json_object *reservation_json(const struct vs_reservation *r)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "address", json_object_new_string(r->address));
	json_object_object_add(o, "domain", json_object_new_string(r->domain));
	json_object_object_add(o, "pid", json_object_new_int64(r->pid));
	json_object_object_add(o, "since", json_object_new_int64(r->since));
	return o;
}

static int save_all(const char *dir, const struct vs_reservation *v, size_t n, struct vs_error *err)
{
	json_object *root = json_object_new_array();
	const char *text;
	int r;

	if (!root)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		json_object_array_add(root, reservation_json(&v[i]));
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	r = text ? vs_statedir_write(dir, VS_ATTACH_RESERVED, text, strlen(text), err) : -ENOMEM;
	json_object_put(root);
	return r;
}

int vs_reservation_update(const char *dir, const struct vs_reservation *res, bool add, struct vs_error *err)
{
	_cleanup_free_ struct vs_reservation *v = NULL;
	long long now = (long long)time(NULL);
	size_t n, k = 0;
	int r = load_all(dir, &v, &n, err);

	if (r < 0)
		return r;
	/* drop ours and every entry no longer in force */
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].address, res->address) != 0 && in_force(&v[i], now))
			v[k++] = v[i];
	if (add) {
		r = vs_grow((void **)&v, &n, k + 1, sizeof(*v));
		if (r < 0)
			return r;
		v[k++] = *res;
	}
	return save_all(dir, v, k, err);
}

const char *vs_attach_kind_name(enum vs_attach_kind k)
{
	static const char *const names[] = {
		[VS_ATTACH_HOSTDEV] = "hostdev", [VS_ATTACH_INTERFACE] = "interface", [VS_ATTACH_NETWORK] = "network",
	};

	return k < ELEMENTSOF(names) ? names[k] : "?";
}
