#include "config.h"

#include <limits.h>
#include <string.h>

#include "eswitch.h"
#include "hostsetup.h"
#include "libvirt.h"
#include "vfctl.h"

static const char *const step_names[] = {
	[VS_STEP_AUTOPROBE] = "autoprobe", [VS_STEP_ESWITCH_EARLY] = "eswitch", [VS_STEP_NUMVFS] = "numvfs",
	[VS_STEP_ESWITCH] = "eswitch", [VS_STEP_DRIVER] = "driver",
	[VS_STEP_SETTINGS] = "settings", [VS_STEP_POOL] = "pool",
};

const char *vs_setup_step_name(enum vs_setup_step s)
{
	return s < VS_STEP_COUNT ? step_names[s] : "?";
}

static const char *pf_label(const struct vs_pf *pf)
{
	return pf->netdev[0] ? pf->netdev : pf->address;
}

static const char *path_of(const struct vs_conf *c)
{
	return c->path ? c->path : "";
}

/* ---- resolving the configuration against the host ---- */

void vs_want_free(struct vs_want *w)
{
	for (size_t i = 0; i < w->n_pfs; i++)
		free(w->pfs[i].vfs);
	free(w->pfs);
	free(w->pools);
	memset(w, 0, sizeof(*w));
}

static bool names_one_pf(const char *name)
{
	unsigned v, d;
	char tail;

	/* vendor:device names every PF of a kind, maybe none on this host */
	return !(strlen(name) == 9 && name[4] == ':' && sscanf(name, "%4x:%4x%c", &v, &d, &tail) == 2);
}

static const struct vs_pf *find_pf(const struct vs_host *host, const char *name)
{
	for (size_t i = 0; i < host->n_pfs; i++)
		if (vs_conf_pf_match(name, &host->pfs[i]) == 2)
			return &host->pfs[i];
	return NULL;
}

/* The PF a section needs on this host (NULL when it needs none). */
static const char *section_pf(const struct vs_conf_section *s, int *line)
{
	*line = s->line;
	if (s->kind == VS_CONF_PF && (s->numvfs >= 0 || s->autoprobe >= 0 || s->eswitch >= 0))
		return s->name;
	if (s->kind == VS_CONF_VFS)
		return s->pf;
	*line = s->pf_line;
	return s->kind == VS_CONF_POOL ? s->pf : NULL;
}

static int check_present(const struct vs_conf *conf, const struct vs_host *host, struct vs_error *err)
{
	for (size_t i = 0; i < conf->n; i++) {
		const struct vs_conf_section *s = &conf->sections[i];
		char label[300];
		int line;
		const char *name = section_pf(s, &line);

		if (!name || !names_one_pf(name) || find_pf(host, name))
			continue;
		vs_conf_section_label(s, label, sizeof(label));
		return vs_error_set(err, -ENOENT, "%s:%d: %s: no SR-IOV PF '%s' on this host (see virt-sriov list)",
				    path_of(conf), line, label, name);
	}
	return 0;
}

struct int_key {
	const char *key;
	size_t off, line_off;
};

static const struct int_key numvfs_key = { "numvfs", offsetof(struct vs_conf_section, numvfs),
					   offsetof(struct vs_conf_section, numvfs_line) };
static const struct int_key autoprobe_key = { "drivers-autoprobe", offsetof(struct vs_conf_section, autoprobe),
					      offsetof(struct vs_conf_section, autoprobe_line) };
static const struct int_key eswitch_key = { "eswitch", offsetof(struct vs_conf_section, eswitch),
					    offsetof(struct vs_conf_section, eswitch_line) };

static int sec_int(const struct vs_conf_section *s, size_t off)
{
	return *(const int *)((const char *)s + off);
}

/* The most specific [pf] section that gives the key for pf: by netdev or
 * address over vendor:device; two of the same rank disagree. */
static int pick(const struct vs_conf *conf, const struct vs_pf *pf, const struct int_key *k, int *value,
		const struct vs_conf_section **from, struct vs_error *err)
{
	int best = 0;

	*value = -1;
	*from = NULL;
	for (size_t i = 0; i < conf->n; i++) {
		const struct vs_conf_section *s = &conf->sections[i];
		int rank = s->kind == VS_CONF_PF ? vs_conf_pf_match(s->name, pf) : 0;

		if (rank == 0 || sec_int(s, k->off) < 0 || rank < best)
			continue;
		if (rank == best)
			return vs_error_set(err, -EINVAL, "%s:%d: %s for %s (%s) is also given at line %d",
					    path_of(conf), sec_int(s, k->line_off), k->key, pf_label(pf), pf->address,
					    sec_int(*from, k->line_off));
		best = rank;
		*value = sec_int(s, k->off);
		*from = s;
	}
	return 0;
}

static int check_driver(const struct vs_conf *conf, const struct vs_sysfs *sysfs, const struct vs_conf_section *s,
			struct vs_error *err)
{
	int r;

	if (!s->driver || !strcmp(s->driver, VS_DRIVER_HOST))
		return 0;
	r = vs_sysfs_exists(sysfs, "/sys/bus/pci/drivers/%s", s->driver);
	if (r == 0)
		return vs_error_set(err, -ENOENT, "%s:%d: driver = %s: the driver is not loaded (modprobe %s, or list "
				    "it in /etc/modules-load.d/)", path_of(conf), s->driver_line, s->driver, s->driver);
	return r < 0 ? vs_error_set(err, r, "%s:%d: looking for driver %s: %s", path_of(conf), s->driver_line,
				    s->driver, strerror(-r)) : 0;
}

/* Values the kernel would refuse, refused here with the line. */
static int check_settings(const struct vs_conf *conf, const struct vs_pf *pf, int count,
			  const struct vs_conf_section *s, struct vs_error *err)
{
	struct vs_pf tmp = *pf;
	struct vs_vf_config cfg = s->defaults;
	struct vs_error sub = { 0 };
	char label[300];

	if (vs_vf_config_is_empty(&s->defaults))
		return 0;
	vs_conf_section_label(s, label, sizeof(label));
	tmp.numvfs = count;          /* the VFs it will have */
	cfg.index = (int)s->vf_set[0];
	if (vs_vfctl_validate(&tmp, &cfg, &sub) < 0)
		return vs_error_set(err, sub.code, "%s:%d: %s: %s", path_of(conf), s->settings_line, label, sub.msg);
	return 0;
}

static int assign_vfs(const struct vs_conf *conf, const struct vs_pf *pf, struct vs_want_pf *w,
		      const struct vs_conf_section *s, struct vs_error *err)
{
	char label[300], other[300];

	vs_conf_section_label(s, label, sizeof(label));
	for (size_t i = 0; i < s->n_vf_set; i++) {
		unsigned idx = s->vf_set[i];

		if (idx >= (unsigned)w->count)
			return vs_error_set(err, -ERANGE, "%s:%d: %s: VF %u is beyond the %d VF%s %s (%s) %s", path_of(conf),
					    s->line, label, idx, w->count, w->count == 1 ? "" : "s", pf_label(pf), pf->address,
					    w->numvfs >= 0 ? "is set to have (numvfs)" : "has (sriov_numvfs); set numvfs in its [pf] section");
		if (w->vfs[idx]) {
			vs_conf_section_label(w->vfs[idx], other, sizeof(other));
			return vs_error_set(err, -EINVAL, "%s:%d: %s: VF %u of %s (%s) is also in %s (line %d)",
					    path_of(conf), s->line, label, idx, pf_label(pf), pf->address, other,
					    w->vfs[idx]->line);
		}
		w->vfs[idx] = s;
	}
	return 0;
}

static int check_host_driver(const struct vs_conf *conf, const struct vs_pf *pf, const struct vs_want_pf *w,
			     const struct vs_conf_section *s, struct vs_error *err)
{
	int autoprobe = w->autoprobe >= 0 ? w->autoprobe : pf->drivers_autoprobe;

	if (!s->driver || strcmp(s->driver, VS_DRIVER_HOST) || autoprobe != 0 || vs_sriov_vf_driver_for(pf->driver))
		return 0;
	return vs_error_set(err, -EINVAL, "%s:%d: driver = host for %s (%s): with sriov_drivers_autoprobe off the "
			    "kernel probes a VF only for a named driver, and the VF driver of %s is not known: "
			    "give its name", path_of(conf), s->driver_line, pf_label(pf), pf->address,
			    pf->driver[0] ? pf->driver : "an unbound PF");
}

static int want_pf_vfs(const struct vs_conf *conf, const struct vs_sysfs *sysfs, const struct vs_pf *pf,
		       struct vs_want_pf *w, struct vs_error *err)
{
	int r = 0;

	for (size_t i = 0; i < conf->n && r == 0; i++) {
		const struct vs_conf_section *s = &conf->sections[i];

		if (s->kind != VS_CONF_VFS || !vs_conf_pf_match(s->pf, pf))
			continue;
		r = assign_vfs(conf, pf, w, s, err);
		if (r == 0)
			r = check_driver(conf, sysfs, s, err);
		if (r == 0)
			r = check_host_driver(conf, pf, w, s, err);
		if (r == 0)
			r = check_settings(conf, pf, w->count, s, err);
	}
	return r;
}

static bool want_pf_empty(const struct vs_want_pf *w)
{
	for (int i = 0; i < w->count; i++)
		if (w->vfs[i])
			return false;
	return w->numvfs < 0 && w->autoprobe < 0 && w->eswitch < 0;
}

static int want_pf(const struct vs_conf *conf, const struct vs_sysfs *sysfs, const struct vs_pf *pf,
		   struct vs_want_pf *w, struct vs_error *err)
{
	int r;

	memset(w, 0, sizeof(*w));
	snprintf(w->address, sizeof(w->address), "%s", pf->address);
	r = pick(conf, pf, &numvfs_key, &w->numvfs, &w->numvfs_sec, err);
	if (r == 0)
		r = pick(conf, pf, &autoprobe_key, &w->autoprobe, &w->autoprobe_sec, err);
	if (r == 0)
		r = pick(conf, pf, &eswitch_key, &w->eswitch, &w->eswitch_sec, err);
	if (r < 0)
		return r;
	/* read through devlink (vs_scan_opts.dl); unknown: no devlink eswitch */
	if (w->eswitch >= 0 && pf->eswitch_mode < 0)
		return vs_error_set(err, -EOPNOTSUPP, "%s:%d: eswitch = %s for %s (%s): the PF has no devlink eswitch "
				    "(driver %s)", path_of(conf), w->eswitch_sec->eswitch_line,
				    vs_eswitch_mode_name(w->eswitch), pf_label(pf), pf->address,
				    pf->driver[0] ? pf->driver : "none");
	if (w->numvfs > pf->totalvfs)
		return vs_error_set(err, -ERANGE, "%s:%d: numvfs = %d for %s (%s): the PF allows at most %d "
				    "(sriov_totalvfs)", path_of(conf), w->numvfs_sec->numvfs_line, w->numvfs,
				    pf_label(pf), pf->address, pf->totalvfs);
	w->count = w->numvfs >= 0 ? w->numvfs : (pf->numvfs > 0 ? pf->numvfs : 0);
	w->vfs = calloc((size_t)w->count + 1, sizeof(*w->vfs));
	if (!w->vfs)
		return -ENOMEM;
	return want_pf_vfs(conf, sysfs, pf, w, err);
}

static const struct vs_want_pf *want_find(const struct vs_want *want, const char *address)
{
	for (size_t i = 0; i < want->n_pfs; i++)
		if (!strcmp(want->pfs[i].address, address))
			return &want->pfs[i];
	return NULL;
}

static int check_pool(const struct vs_conf *conf, const struct vs_host *host, const struct vs_want *want,
		      const struct vs_conf_section *s, struct vs_error *err)
{
	const struct vs_pf *pf;
	const struct vs_want_pf *w;
	int count;

	if (!s->pf)
		return (s->vf_set || s->autostart >= 0 || s->start >= 0)
			       ? vs_error_set(err, -EINVAL, "%s:%d: [pool %s]: vfs, autostart and start need "
					      "pf = (the PF the pool is made from)", path_of(conf), s->line, s->name)
			       : 0;
	pf = find_pf(host, s->pf);
	if (!pf)
		return vs_error_set(err, -ENOENT, "%s:%d: [pool %s]: no SR-IOV PF '%s' on this host", path_of(conf),
				    s->pf_line, s->name, s->pf);
	w = want_find(want, pf->address);
	count = w ? w->count : pf->numvfs;
	for (size_t i = 0; i < s->n_vf_set; i++)
		if ((int)s->vf_set[i] >= count)
			return vs_error_set(err, -ERANGE, "%s:%d: [pool %s]: VF %u is beyond the %d VFs of %s (%s)",
					    path_of(conf), s->vfs_line, s->name, s->vf_set[i], count, pf_label(pf),
					    pf->address);
	return 0;
}

static int want_pools(const struct vs_conf *conf, const struct vs_host *host, struct vs_want *out,
		      struct vs_error *err)
{
	for (size_t i = 0; i < conf->n; i++) {
		const struct vs_conf_section *s = &conf->sections[i];
		int r;

		if (s->kind != VS_CONF_POOL)
			continue;
		r = check_pool(conf, host, out, s, err);
		if (r < 0)
			return r;
		if (s->pf)
			out->pools[out->n_pools++] = s;
	}
	return 0;
}

int vs_want_resolve(const struct vs_conf *conf, const struct vs_host *host, const struct vs_sysfs *sysfs,
		    struct vs_want *out, struct vs_error *err)
{
	int r;

	memset(out, 0, sizeof(*out));
	out->conf = conf;
	r = check_present(conf, host, err);
	out->pfs = calloc(host->n_pfs + 1, sizeof(*out->pfs));
	out->pools = calloc(conf->n + 1, sizeof(*out->pools));
	if (r == 0 && (!out->pfs || !out->pools))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < host->n_pfs; i++) {
		struct vs_want_pf *w = &out->pfs[out->n_pfs];

		r = want_pf(conf, sysfs, &host->pfs[i], w, err);
		if (r < 0 || !want_pf_empty(w))
			out->n_pfs++; /* freed with the rest */
		else
			free(w->vfs);
	}
	if (r == 0)
		r = want_pools(conf, host, out, err);
	if (r < 0)
		vs_want_free(out);
	return r;
}

/* ---- the differences ---- */

void vs_changes_free(struct vs_changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].pool_xml);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static struct vs_change *change_add(struct vs_changes *out, enum vs_setup_step step, const struct vs_pf *pf,
				    const struct vs_conf_section *sec, int line)
{
	struct vs_change *c;

	if (vs_grow((void **)&out->v, &out->alloc, out->n + 1, sizeof(*out->v)) < 0)
		return NULL;
	c = &out->v[out->n++];
	memset(c, 0, sizeof(*c));
	c->step = step;
	snprintf(c->pf, sizeof(c->pf), "%s", pf->address);
	snprintf(c->pf_netdev, sizeof(c->pf_netdev), "%s", pf->netdev);
	snprintf(c->pf_driver, sizeof(c->pf_driver), "%s", pf->driver);
	c->vf = -1;
	c->from = c->to = -1;
	vs_vf_config_init(&c->cfg, -1);
	c->sec = sec;
	c->line = line;
	return c;
}

/* The PF of a want as the host has it now (re-read between steps). */
static const struct vs_pf *host_pf(const struct vs_host *host, const struct vs_want_pf *w, struct vs_error *err)
{
	const struct vs_pf *pf = vs_host_find_pf(host, w->address);

	if (!pf)
		vs_error_set(err, -ENODEV, "%s: the PF is gone from the host", w->address);
	return pf;
}

static const struct vs_vf *find_vf(const struct vs_pf *pf, int index)
{
	for (size_t i = 0; i < pf->n_vfs; i++)
		if ((int)pf->vfs[i].index == index)
			return &pf->vfs[i];
	return NULL;
}

/* In a dry run, VFs that numvfs re-creates do not exist yet. */
static bool vfs_renewed(const struct vs_plan_env *env, const struct vs_want_pf *w, const struct vs_pf *pf)
{
	return env->predict && w->numvfs >= 0 && w->numvfs != pf->numvfs;
}

static int plan_autoprobe(const struct vs_want_pf *w, const struct vs_pf *pf, struct vs_changes *out)
{
	struct vs_change *c;

	if (w->autoprobe < 0 || w->autoprobe == pf->drivers_autoprobe)
		return 0;
	c = change_add(out, VS_STEP_AUTOPROBE, pf, w->autoprobe_sec, w->autoprobe_sec->autoprobe_line);
	if (!c)
		return -ENOMEM;
	c->from = pf->drivers_autoprobe;
	c->to = w->autoprobe;
	return 0;
}

/* Every VF goes away when a non-zero count changes: refuse while a guest
 * holds one, or may hold one and libvirt was not asked. */
static int numvfs_guard(const struct vs_conf *conf, const struct vs_host *host, const struct vs_want_pf *w,
			const struct vs_pf *pf, struct vs_error *err)
{
	for (size_t i = 0; pf->numvfs > 0 && i < pf->n_vfs; i++) {
		const struct vs_vf *vf = &pf->vfs[i];

		if (host->usage_known && vf->in_use_by)
			return vs_error_set(err, -EBUSY, "%s:%d: numvfs = %d for %s (%s) refused: VF %u (%s) is used by "
					    "guest '%s', and changing the count removes every VF first", path_of(conf),
					    w->numvfs_sec->numvfs_line, w->numvfs, pf_label(pf), pf->address, vf->index,
					    vf->address, vf->in_use_by);
		if (!host->usage_known && !strcmp(vf->driver, "vfio-pci"))
			return vs_error_set(err, -EBUSY, "%s:%d: numvfs = %d for %s (%s) refused: VF %u (%s) is on vfio-pci "
					    "and libvirt was not asked which guest holds it", path_of(conf),
					    w->numvfs_sec->numvfs_line, w->numvfs, pf_label(pf), pf->address, vf->index,
					    vf->address);
	}
	return 0;
}

static int plan_numvfs(const struct vs_conf *conf, const struct vs_host *host, const struct vs_want_pf *w,
		       const struct vs_pf *pf, struct vs_changes *out, struct vs_error *err)
{
	struct vs_change *c;
	int r;

	if (w->numvfs < 0 || w->numvfs == pf->numvfs)
		return 0;
	r = numvfs_guard(conf, host, w, pf, err);
	if (r < 0)
		return r;
	c = change_add(out, VS_STEP_NUMVFS, pf, w->numvfs_sec, w->numvfs_sec->numvfs_line);
	if (!c)
		return -ENOMEM;
	c->from = pf->numvfs;
	c->to = w->numvfs;
	return 0;
}

struct bind_now {
	char driver[VS_DRIVER_MAX];
	char override[VS_DRIVER_MAX];
};

static void read_override(const struct vs_sysfs *sysfs, const char *vf, char *buf, size_t len)
{
	if (vs_sysfs_read(sysfs, buf, len, "/sys/bus/pci/devices/%s/driver_override", vf) < 0 ||
	    !strcmp(buf, "(null)"))
		buf[0] = '\0';
}

/* A VF still to be made: unbound without autoprobe, else on the PF's VF driver. */
static int autoprobe_of(const struct vs_want_pf *w, const struct vs_pf *pf)
{
	return w->autoprobe >= 0 ? w->autoprobe : pf->drivers_autoprobe;
}

/* The kernel probes a VF only when its PF's sriov_drivers_autoprobe is on
 * or the VF has a driver_override (pci_device_can_probe): with autoprobe
 * off, "host" has to be the VF driver's name, pinned like any other. */
static const char *driver_wanted(const struct vs_want_pf *w, const struct vs_pf *pf, const char *driver)
{
	const char *d;

	if (strcmp(driver, VS_DRIVER_HOST) || autoprobe_of(w, pf) != 0)
		return driver;
	d = vs_sriov_vf_driver_for(pf->driver);
	return d ? d : driver;
}

static void predict_bind(const struct vs_want_pf *w, const struct vs_pf *pf, struct bind_now *b)
{
	int autoprobe = autoprobe_of(w, pf);
	const char *d = vs_sriov_vf_driver_for(pf->driver);

	snprintf(b->driver, sizeof(b->driver), "%s", autoprobe != 0 && d ? d : "");
	b->override[0] = '\0';
}

/* As vs_sriov_bind decides that nothing is to be written. */
static bool bind_done(const char *want, const char *pf_driver, const struct bind_now *b)
{
	const char *expect;

	if (strcmp(want, VS_DRIVER_HOST))
		return !strcmp(b->driver, want) && !strcmp(b->override, want);
	if (b->override[0] || !b->driver[0])
		return false;
	expect = vs_sriov_vf_driver_for(pf_driver);
	return expect ? !strcmp(b->driver, expect) : strcmp(b->driver, "vfio-pci") != 0;
}

/* The driver a VF ends up on: "host" means the PF's VF driver. */
static const char *bind_target(const char *want, const char *pf_driver)
{
	const char *d;

	if (strcmp(want, VS_DRIVER_HOST))
		return want;
	d = vs_sriov_vf_driver_for(pf_driver);
	return d ? d : "";
}

static int driver_guard(const struct vs_conf *conf, const struct vs_host *host, const struct vs_conf_section *s,
			const struct vs_pf *pf, const struct vs_vf *vf, struct vs_error *err)
{
	const char *who = host->usage_known ? vf->in_use_by : NULL;

	if (who)
		return vs_error_set(err, -EBUSY, "%s:%d: driver = %s for %s#%u (%s) refused: the VF is used by guest '%s'",
				    path_of(conf), s->driver_line, s->driver, pf_label(pf), vf->index, vf->address, who);
	if (!host->usage_known && !strcmp(vf->driver, "vfio-pci"))
		return vs_error_set(err, -EBUSY, "%s:%d: driver = %s for %s#%u (%s) refused: the VF is on vfio-pci and "
				    "libvirt was not asked which guest holds it", path_of(conf), s->driver_line,
				    s->driver, pf_label(pf), vf->index, vf->address);
	return 0;
}

static int plan_driver(const struct vs_plan_env *env, const struct vs_want *want, const struct vs_host *host,
		       const struct vs_want_pf *w, const struct vs_pf *pf, int i, struct vs_changes *out,
		       struct vs_error *err)
{
	const struct vs_conf_section *s = w->vfs[i];
	const struct vs_vf *vf = vfs_renewed(env, w, pf) ? NULL : find_vf(pf, i);
	const char *driver = s && s->driver ? driver_wanted(w, pf, s->driver) : NULL;
	struct bind_now b;
	struct vs_change *c;
	int r;

	if (!driver)
		return 0;
	if (vf) {
		snprintf(b.driver, sizeof(b.driver), "%s", vf->driver);
		read_override(env->sysfs, vf->address, b.override, sizeof(b.override));
	} else {
		predict_bind(w, pf, &b);
	}
	if (bind_done(driver, pf->driver, &b))
		return 0;
	/* pinning the override of a VF already on its driver moves nothing */
	if (vf && strcmp(b.driver, bind_target(driver, pf->driver)) &&
	    (r = driver_guard(want->conf, host, s, pf, vf, err)) < 0)
		return r;
	c = change_add(out, VS_STEP_DRIVER, pf, s, s->driver_line);
	if (!c)
		return -ENOMEM;
	c->vf = i;
	c->unknown = !vf;
	snprintf(c->vf_address, sizeof(c->vf_address), "%s", vf ? vf->address : "");
	snprintf(c->driver_from, sizeof(c->driver_from), "%s", b.driver);
	snprintf(c->driver_to, sizeof(c->driver_to), "%s", driver);
	return 0;
}

static int plan_settings(const struct vs_plan_env *env, const struct vs_want_pf *w, const struct vs_pf *pf, int i,
			 struct vs_changes *out)
{
	const struct vs_conf_section *s = w->vfs[i];
	const struct vs_vf *vf = vfs_renewed(env, w, pf) ? NULL : find_vf(pf, i);
	struct vs_vf_config diff;
	struct vs_change *c;

	if (!s || vs_vf_config_is_empty(&s->defaults))
		return 0;
	/* while a guest has it, the VF's settings are the hook's */
	if (vf && vf->in_use_by)
		return 0;
	vs_vf_config_init(&diff, i);
	vs_vf_config_diff(&s->defaults, vf && vf->config_known ? &vf->config : NULL, &diff);
	if (vs_vf_config_is_empty(&diff))
		return 0;
	c = change_add(out, VS_STEP_SETTINGS, pf, s, s->settings_line);
	if (!c)
		return -ENOMEM;
	c->vf = i;
	c->unknown = !vf || !vf->config_known;
	snprintf(c->vf_address, sizeof(c->vf_address), "%s", vf ? vf->address : "");
	c->cfg = diff;
	c->cfg.index = i;
	return 0;
}

static int plan_vfs(const struct vs_plan_env *env, const struct vs_want *want, const struct vs_host *host,
		    enum vs_setup_step step, struct vs_changes *out, struct vs_error *err)
{
	for (size_t p = 0; p < want->n_pfs; p++) {
		const struct vs_want_pf *w = &want->pfs[p];
		const struct vs_pf *pf = host_pf(host, w, err);

		if (!pf)
			return -ENODEV;
		for (int i = 0; i < w->count; i++) {
			int r = step == VS_STEP_DRIVER ? plan_driver(env, want, host, w, pf, i, out, err)
						       : plan_settings(env, w, pf, i, out);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* The mode changes before numvfs for drivers that need the PF without VFs
 * (then there are none yet at boot), after it for the others; either way
 * the VFs are affected: refused while a guest holds one. */
static int plan_eswitch(const struct vs_conf *conf, const struct vs_host *host, const struct vs_want_pf *w,
			const struct vs_pf *pf, enum vs_setup_step step, struct vs_changes *out, struct vs_error *err)
{
	bool early = vs_eswitch_driver_of(pf->driver)->prep == VS_ESWITCH_PREP_NO_VFS;
	struct vs_change *c;

	if (w->eswitch < 0 || w->eswitch == pf->eswitch_mode || early != (step == VS_STEP_ESWITCH_EARLY))
		return 0;
	for (size_t i = 0; host->usage_known && i < pf->n_vfs; i++)
		if (pf->vfs[i].in_use_by)
			return vs_error_set(err, -EBUSY, "%s:%d: eswitch = %s for %s (%s) refused: VF %u is used by guest "
					    "'%s'", path_of(conf), w->eswitch_sec->eswitch_line,
					    vs_eswitch_mode_name(w->eswitch), pf_label(pf), pf->address, pf->vfs[i].index,
					    pf->vfs[i].in_use_by);
	c = change_add(out, step, pf, w->eswitch_sec, w->eswitch_sec->eswitch_line);
	if (!c)
		return -ENOMEM;
	c->from = pf->eswitch_mode;
	c->to = w->eswitch;
	return 0;
}

static int plan_pf_steps(const struct vs_want *want, const struct vs_host *host, enum vs_setup_step step,
			 struct vs_changes *out, struct vs_error *err)
{
	for (size_t p = 0; p < want->n_pfs; p++) {
		const struct vs_want_pf *w = &want->pfs[p];
		const struct vs_pf *pf = host_pf(host, w, err);
		int r;

		if (!pf)
			return -ENODEV;
		if (step == VS_STEP_AUTOPROBE)
			r = plan_autoprobe(w, pf, out);
		else if (step == VS_STEP_NUMVFS)
			r = plan_numvfs(want->conf, host, w, pf, out, err);
		else
			r = plan_eswitch(want->conf, host, w, pf, step, out, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* "0,1,2,5" from a [pool]'s VF set, as vs_pool_xml takes it. */
static char *set_text(const struct vs_conf_section *s)
{
	size_t len = s->n_vf_set * 7 + 1, used = 0;
	char *buf;

	if (!s->vf_set)
		return NULL;
	buf = malloc(len);
	if (!buf)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; i < s->n_vf_set; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%u", i ? "," : "", s->vf_set[i]);
	return buf;
}

static int pool_xml(const struct vs_plan_env *env, const struct vs_conf *conf, const struct vs_host *host,
		    const struct vs_conf_section *s, char **xml, struct vs_error *err)
{
	_cleanup_free_ char *vfs = set_text(s);
	struct vs_pool_request req = { .pf = s->pf, .name = s->name, .vfs = vfs, .vlan = -1 };
	struct vs_error sub = { 0 };
	char name[256];

	if (s->vf_set && !vfs)
		return -ENOMEM;
	if (vs_pool_xml(host, env->paths, &req, name, sizeof(name), xml, &sub) < 0)
		return vs_error_set(err, sub.code ? sub.code : -EINVAL, "%s:%d: [pool %s]: %s", path_of(conf),
				    s->line, s->name, sub.msg);
	return 0;
}

static int plan_pool(const struct vs_plan_env *env, const struct vs_want *want, const struct vs_host *host,
		     const struct vs_conf_section *s, struct vs_changes *out, struct vs_error *err)
{
	const struct vs_pf *pf = vs_host_find_pf(host, s->pf);
	const struct vs_want_pf *w = pf ? want_find(want, pf->address) : NULL;
	_cleanup_free_ char *xml = NULL;
	struct vs_pool_result res = { 0 };
	struct vs_change *c;
	int r;

	if (!pf)
		return vs_error_set(err, -ENODEV, "[pool %s]: PF %s is gone from the host", s->name, s->pf);
	/* its VF addresses are known once the VFs exist */
	if (!(s->vf_set && w && vfs_renewed(env, w, pf))) {
		r = pool_xml(env, want->conf, host, s, &xml, err);
		if (r == 0)
			r = vs_libvirt_pool_apply_start(env->conn, xml, s->autostart != 0, s->start != 0, true, &res, err);
		if (r < 0)
			return r;
		if (!res.changes)
			return 0;
	}
	c = change_add(out, VS_STEP_POOL, pf, s, s->line);
	if (!c)
		return -ENOMEM;
	c->pool = s->name;
	c->pool_changes = res.changes;
	c->pool_autostart = s->autostart != 0;
	c->pool_start = s->start != 0;
	c->unknown = !xml;
	c->pool_xml = TAKE_PTR(xml);
	return 0;
}

int vs_setup_plan(const struct vs_plan_env *env, const struct vs_want *want, const struct vs_host *host,
		  unsigned steps, struct vs_changes *out, struct vs_error *err)
{
	int r = 0;

	for (enum vs_setup_step st = 0; st < VS_STEP_COUNT && r == 0; st++) {
		if (!(steps & VS_STEP_BIT(st)))
			continue;
		if (st == VS_STEP_AUTOPROBE || st == VS_STEP_NUMVFS || st == VS_STEP_ESWITCH_EARLY || st == VS_STEP_ESWITCH)
			r = plan_pf_steps(want, host, st, out, err);
		else if (st == VS_STEP_DRIVER || st == VS_STEP_SETTINGS)
			r = plan_vfs(env, want, host, st, out, err);
		else
			for (size_t i = 0; env->conn && i < want->n_pools && r == 0; i++)
				r = plan_pool(env, want, host, want->pools[i], out, err);
	}
	return r;
}

/* ---- one line per change ---- */

static void describe_pool(const struct vs_change *c, char *buf, size_t len)
{
	static const struct { unsigned bit; const char *word; } words[] = {
		{ VS_POOL_DEFINED, "define" }, { VS_POOL_UPDATED, "update" }, { VS_POOL_DESTROYED, "stop" },
		{ VS_POOL_AUTOSTART, "autostart on" }, { VS_POOL_STARTED, "start" },
	};
	size_t used = (size_t)snprintf(buf, len, "pool %s (%s): ", c->pool, c->pf_netdev[0] ? c->pf_netdev : c->pf);

	if (c->unknown) {
		snprintf(buf + used, len - used, "define or update once the VFs exist");
		return;
	}
	for (size_t i = 0, n = 0; i < ELEMENTSOF(words) && used < len; i++)
		if (c->pool_changes & words[i].bit)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", n++ ? ", " : "", words[i].word);
}

static void vf_label(const struct vs_change *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s#%d%s%s%s", c->pf_netdev[0] ? c->pf_netdev : c->pf, c->vf,
		 c->vf_address[0] ? " (" : "", c->vf_address, c->vf_address[0] ? ")" : "");
}

void vs_change_describe(const struct vs_change *c, char *buf, size_t len)
{
	char who[128], settings[512] = "";

	if (c->vf >= 0)
		vf_label(c, who, sizeof(who));
	else if (c->pf_netdev[0])
		snprintf(who, sizeof(who), "%s (%s)", c->pf_netdev, c->pf);
	else
		snprintf(who, sizeof(who), "%s", c->pf);
	switch (c->step) {
	case VS_STEP_AUTOPROBE:
	case VS_STEP_NUMVFS:
		snprintf(buf, len, "%s: %s %d -> %d", who, c->step == VS_STEP_NUMVFS ? "numvfs" : "sriov_drivers_autoprobe",
			 c->from, c->to);
		return;
	case VS_STEP_ESWITCH_EARLY:
	case VS_STEP_ESWITCH:
		snprintf(buf, len, "%s: eswitch %s -> %s", who, c->from < 0 ? "unknown" : vs_eswitch_mode_name(c->from),
			 vs_eswitch_mode_name(c->to));
		return;
	case VS_STEP_DRIVER:
		snprintf(buf, len, "%s: driver %s -> %s%s", who, c->driver_from[0] ? c->driver_from : "none", c->driver_to,
			 c->unknown ? " (new VF)" : "");
		return;
	case VS_STEP_SETTINGS:
		vs_vf_config_describe(&c->cfg, settings, sizeof(settings));
		snprintf(buf, len, "%s: %s%s", who, settings, c->unknown ? " (current settings unknown)" : "");
		return;
	case VS_STEP_POOL:
	case VS_STEP_COUNT:
		break;
	}
	describe_pool(c, buf, len);
}

/* ---- doing it ---- */

static int do_autoprobe(const struct vs_setup_env *env, const struct vs_change *c, struct vs_error *err)
{
	int r = vs_sriov_write(env->sriov, c->to ? "1" : "0", "/sys/bus/pci/devices/%s/sriov_drivers_autoprobe", c->pf);

	return r < 0 ? vs_error_set(err, r, "%s: writing sriov_drivers_autoprobe=%d: %s", c->pf, c->to, strerror(-r)) : 0;
}

static int do_numvfs(const struct vs_setup_env *env, const struct vs_change *c, struct vs_error *err)
{
	struct vs_numvfs_req req = { .pf = c->pf, .numvfs = c->to, .timeout_ms = env->timeout_ms };

	return vs_sriov_set_numvfs(env->sriov, &req, err);
}

static int do_eswitch(const struct vs_setup_env *env, const struct vs_host *host, const struct vs_change *c,
		      struct vs_error *err)
{
	struct vs_eswitch_env e = { .sriov = env->sriov, .dl = env->dl, .timeout_ms = env->timeout_ms };
	const struct vs_pf *pf = vs_host_find_pf(host, c->pf);

	if (!pf)
		return vs_error_set(err, -ENODEV, "%s: the PF is gone from the host", c->pf);
	if (!env->dl)
		return vs_error_set(err, -EOPNOTSUPP, "%s: eswitch %s: devlink is not available", c->pf,
				    vs_eswitch_mode_name(c->to));
	return vs_eswitch_change(&e, pf, c->to, err);
}

static int do_driver(const struct vs_setup_env *env, const struct vs_change *c, struct vs_error *err)
{
	struct vs_bind_req req = { .vf = c->vf_address, .driver = c->driver_to, .pf_driver = c->pf_driver };

	if (!c->vf_address[0])
		return vs_error_set(err, -ENODEV, "%s: VF %d does not exist", c->pf, c->vf);
	return vs_sriov_bind(env->sriov, &req, err);
}

static int do_pool(const struct vs_setup_env *env, struct vs_change *c, struct vs_error *err)
{
	struct vs_pool_result res;
	int r;

	if (!c->pool_xml)
		return vs_error_set(err, -EINVAL, "[pool %s]: no XML made", c->pool);
	r = vs_libvirt_pool_apply_start(env->conn, c->pool_xml, c->pool_autostart, c->pool_start, false, &res, err);
	c->pool_changes = res.changes;
	/* what was done before the failure (defined, autostart on) is said too */
	if (r < 0 && res.changes && env->report)
		env->report(env->data, c);
	if (r < 0 && res.failed == VS_STAGE_START && err) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		vs_error_clear(err);
		return vs_error_set(err, r, "%s (its VFs must exist first: numvfs in [pf %s]; or start = no in "
				    "[pool %s])", why, c->pf_netdev[0] ? c->pf_netdev : c->pf, c->pool);
	}
	return r;
}

static int set_vfs(const struct vs_setup_env *env, const char *ifname, struct vs_vf_config *cfgs, size_t n,
		   struct vs_error *err)
{
	struct vs_vfctl_outcome o = { 0 };
	int r;

	if (!env->nl)
		return vs_error_set(err, -ENOTCONN, "%s: VF settings: %s", ifname,
				    env->nl_error ? env->nl_error : "no rtnetlink");
	r = vs_vfctl_apply(env->nl, ifname, cfgs, n, &o, err);
	vs_vfctl_outcome_free(&o);
	return r;
}

/* Settings changes of one PF come one after the other: one request. */
static int do_settings(const struct vs_setup_env *env, struct vs_changes *cs, size_t first, size_t *next,
		       struct vs_error *err)
{
	_cleanup_free_ struct vs_vf_config *cfgs = NULL;
	size_t end = first;

	while (end < cs->n && cs->v[end].step == VS_STEP_SETTINGS && !strcmp(cs->v[end].pf, cs->v[first].pf))
		end++;
	*next = end;
	cfgs = calloc(end - first, sizeof(*cfgs));
	if (!cfgs)
		return -ENOMEM;
	for (size_t i = first; i < end; i++)
		cfgs[i - first] = cs->v[i].cfg;
	if (!cs->v[first].pf_netdev[0])
		return vs_error_set(err, -ENODEV, "%s: the PF has no netdev for VF settings", cs->v[first].pf);
	return set_vfs(env, cs->v[first].pf_netdev, cfgs, end - first, err);
}

static void report_range(const struct vs_setup_env *env, const struct vs_changes *cs, size_t from, size_t to)
{
	for (size_t i = from; env->report && i < to; i++)
		env->report(env->data, &cs->v[i]);
}

static int execute(const struct vs_setup_env *env, const struct vs_host *host, struct vs_changes *cs,
		   struct vs_error *err)
{
	size_t i = 0, next;
	int r = 0;

	while (i < cs->n && r == 0) {
		struct vs_change *c = &cs->v[i];

		next = i + 1;
		switch (c->step) {
		case VS_STEP_AUTOPROBE: r = do_autoprobe(env, c, err); break;
		case VS_STEP_NUMVFS: r = do_numvfs(env, c, err); break;
		case VS_STEP_ESWITCH_EARLY:
		case VS_STEP_ESWITCH: r = do_eswitch(env, host, c, err); break;
		case VS_STEP_DRIVER: r = do_driver(env, c, err); break;
		case VS_STEP_SETTINGS: r = do_settings(env, cs, i, &next, err); break;
		case VS_STEP_POOL: r = do_pool(env, c, err); break;
		case VS_STEP_COUNT: break;
		}
		if (r == 0)
			report_range(env, cs, i, next);
		i = next;
	}
	return r;
}

struct setup_state {
	struct vs_host *host;
	struct vs_want want;
	struct vs_plan_env plan;
};

static void state_clear(struct setup_state *st)
{
	vs_want_free(&st->want);
	vs_host_free(st->host);
	st->host = NULL;
}

static int state_load(const struct vs_setup_env *env, struct setup_state *st, struct vs_error *err)
{
	int r;

	state_clear(st);
	r = env->scan(env->data, &st->host, err);
	if (r < 0)
		return r;
	return vs_want_resolve(env->conf, st->host, env->sriov->sysfs, &st->want, err);
}

/* One step on a fresh look at the host; returns the count of changes. */
static int run_step(const struct vs_setup_env *env, struct setup_state *st, enum vs_setup_step step, bool reload,
		    struct vs_error *err)
{
	struct vs_changes cs = { 0 };
	int r = reload ? state_load(env, st, err) : 0;

	if (r == 0)
		r = vs_setup_plan(&st->plan, &st->want, st->host, VS_STEP_BIT(step), &cs, err);
	if (r == 0)
		r = execute(env, st->host, &cs, err);
	if (r == 0)
		r = (int)cs.n;
	vs_changes_free(&cs);
	return r;
}

int vs_setup_run(const struct vs_setup_env *env, struct vs_error *err)
{
	struct setup_state st = { .plan = { .sysfs = env->sriov->sysfs, .conn = env->conn, .paths = env->paths,
					    .predict = true } };
	struct vs_changes all = { 0 };
	int r = state_load(env, &st, err), total = 0;
	bool stale = false;

	/* everything planned first: whatever is refused, nothing was written */
	if (r == 0)
		r = vs_setup_plan(&st.plan, &st.want, st.host, VS_STEPS_ALL, &all, err);
	if (r == 0 && env->dry_run) {
		if (env->before_settings)
			env->before_settings(env->data);
		report_range(env, &all, 0, all.n);
		r = (int)all.n;
	}
	st.plan.predict = false;
	for (enum vs_setup_step s = 0; r == 0 && !env->dry_run && s < VS_STEP_COUNT; s++) {
		if (s == VS_STEP_POOL && !env->conn)
			break;
		if (s == VS_STEP_SETTINGS && env->before_settings && env->before_settings(env->data) > 0)
			stale = true;
		/* new VFs, new drivers: the host is read again before what depends on them */
		r = run_step(env, &st, s, stale && s >= VS_STEP_NUMVFS, err);
		if (stale && s >= VS_STEP_NUMVFS)
			stale = false;
		if (r > 0) {
			total += r;
			stale = stale || s == VS_STEP_NUMVFS || s == VS_STEP_DRIVER || s == VS_STEP_ESWITCH_EARLY ||
				s == VS_STEP_ESWITCH;
			r = 0;
		}
	}
	if (r == 0 && !env->dry_run)
		r = total;
	vs_changes_free(&all);
	state_clear(&st);
	return r;
}
