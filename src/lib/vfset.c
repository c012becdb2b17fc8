/* Device names: PFs and VFs as admins name them, and VF sets
 * ("0000:01:10.0", "01:10.0", "em1v3", "em1#3", "em1#0-3,7"). */
#include "config.h"

#include <string.h>

#include "pciaddr.h"
#include "vfset.h"
#include "vflocate.h"

#define DEVICES "/sys/bus/pci/devices"
#define NET "/sys/class/net"

/* ---- names to devices, from sysfs alone ---- */

/* A name that can be one component of a sysfs path. */
static bool path_safe(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

static int short_candidates(const struct vs_sysfs *fs, const struct vs_pci_addr *want, char ***found)
{
	char **devs = NULL;
	size_t n = 0;
	int r = vs_sysfs_list(fs, &devs, DEVICES);

	if (r < 0)
		return r;
	for (char **d = devs; *d; d++) {
		struct vs_pci_addr a;

		if (vs_pci_addr_parse(*d, &a) == 0 && a.bus == want->bus && a.slot == want->slot &&
		    a.function == want->function)
			devs[n++] = *d;
		else
			free(*d);
	}
	devs[n] = NULL;
	*found = devs;
	return (int)n;
}

static int short_address(const struct vs_sysfs *fs, const char *name, const struct vs_pci_addr *a,
			 char buf[VS_PCI_ADDR_MAX], const char **out, struct vs_error *err)
{
	char **found = NULL, list[512] = "";
	size_t len = 0;
	int n = short_candidates(fs, a, &found);

	if (n <= 0) {
		vs_strv_free(found);
		return 0; /* no such device: the lookup says so */
	}
	for (int i = 0; i < n; i++) {
		if (n == 1 || strncmp(found[i], "0000:", 5) == 0) {
			vs_strlcpy(buf, found[i], VS_PCI_ADDR_MAX);
			*out = buf;
			vs_strv_free(found);
			return 0;
		}
	}
	for (int i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", found[i]);
	vs_strv_free(found);
	return vs_error_set(err, -EINVAL, "'%s' is in %d PCI domains: %s; give the full address", name, n, list);
}

int vs_name_canon(const struct vs_sysfs *fs, const char *name, char buf[VS_PCI_ADDR_MAX], const char **out,
		  struct vs_error *err)
{
	struct vs_pci_addr a;

	*out = name;
	if (vs_pci_addr_parse_unpadded(name, &a) == 0) {
		vs_pci_addr_format(&a, buf);
		*out = buf;
		return 0;
	}
	if (vs_pci_addr_parse_short(name, &a) < 0)
		return 0;
	return short_address(fs, name, &a, buf, out, err);
}

/* The device behind a name: a PCI address, or a netdev's device. */
static int name_device(const struct vs_sysfs *fs, const char *name, char dev[VS_PCI_ADDR_MAX], bool *pci)
{
	char buf[VS_PCI_ADDR_MAX];
	const char *c;
	struct vs_pci_addr a;

	if (vs_name_canon(fs, name, buf, &c, NULL) < 0)
		return -ENOENT;
	*pci = true;
	if (vs_pci_addr_parse(c, &a) == 0)
		return vs_strlcpy(dev, c, VS_PCI_ADDR_MAX) < 0 ? -ENOENT : 0;
	if (!path_safe(c) || vs_sysfs_link_base(fs, dev, VS_PCI_ADDR_MAX, NET "/%s/device", c) < 0)
		return -ENOENT;
	*pci = vs_sysfs_exists(fs, DEVICES "/%s", dev) == 1;
	/* a non-PCI PF (netdevsim) is known by its netdev's device */
	if (!*pci && vs_sysfs_exists(fs, NET "/%s/device/sriov_numvfs", c) != 1)
		return -ENOENT;
	return 0;
}

int vs_name_pf_of(const struct vs_sysfs *fs, const char *name, unsigned kinds, char out[VS_PCI_ADDR_MAX])
{
	_cleanup_free_ char *part = NULL;
	const char *hash = name ? strchr(name, '#') : NULL;
	char dev[VS_PCI_ADDR_MAX];
	bool pci;

	if (!name)
		return -ENOENT;
	if (hash) {
		part = strndup(name, (size_t)(hash - name));
		if (!part)
			return -ENOMEM;
		name = part;
		kinds = VS_NAME_PF;
	}
	if (name_device(fs, name, dev, &pci) < 0)
		return -ENOENT;
	if (!pci)
		return kinds & VS_NAME_PF ? vs_strlcpy(out, dev, VS_PCI_ADDR_MAX) : -ENOENT;
	if ((kinds & VS_NAME_VF) && vs_vf_physfn(fs, dev, out) == 0)
		return 0;
	if ((kinds & VS_NAME_PF) && vs_sysfs_exists(fs, DEVICES "/%s/sriov_totalvfs", dev) == 1)
		return vs_strlcpy(out, dev, VS_PCI_ADDR_MAX);
	return -ENOENT;
}

/* ---- names on a scanned host ---- */

static const char *kind_word(unsigned kinds)
{
	return kinds == VS_NAME_PF ? "PF" : kinds == VS_NAME_VF ? "VF" : "PF or VF";
}

static bool find_vf(const struct vs_host *host, const char *name, struct vs_vf_ref *out)
{
	for (size_t i = 0; i < host->n_pfs; i++) {
		for (size_t j = 0; j < host->pfs[i].n_vfs; j++) {
			struct vs_vf *vf = &host->pfs[i].vfs[j];

			if ((vf->address[0] && !strcmp(vf->address, name)) || (vf->netdev[0] && !strcmp(vf->netdev, name))) {
				*out = (struct vs_vf_ref){ &host->pfs[i], vf };
				return true;
			}
		}
	}
	return false;
}

static const char *pf_label(const struct vs_pf *pf)
{
	return pf->netdev[0] ? pf->netdev : pf->address;
}

/* One name without '#'. */
static int resolve_plain(const struct vs_host *host, const char *name, unsigned kinds, struct vs_vf_ref *out,
			 struct vs_error *err)
{
	char buf[VS_PCI_ADDR_MAX];
	const char *c;
	struct vs_pf *pf;
	int r = vs_name_canon(&host->sysfs, name, buf, &c, err);

	if (r < 0)
		return r;
	pf = vs_host_find_pf(host, c);
	if (pf && !(kinds & VS_NAME_PF))
		return vs_error_set(err, -EINVAL, "'%s' is a PF; name a VF as %s#N, by its netdev or by its PCI address",
				    name, name);
	if (pf) {
		*out = (struct vs_vf_ref){ pf, NULL };
		return 0;
	}
	if (!find_vf(host, c, out))
		return vs_host_unknown_name(host, kind_word(kinds), name, err);
	if (!(kinds & VS_NAME_VF))
		return vs_error_set(err, -EINVAL, "'%s' is VF %u of PF %s (%s); name the PF", name, out->vf->index,
				    pf_label(out->pf), out->pf->address);
	return 0;
}

int vs_name_resolve(const struct vs_host *host, const char *name, unsigned kinds, struct vs_vf_ref *out,
		    struct vs_error *err)
{
	_cleanup_free_ struct vs_vf_ref *refs = NULL;
	size_t n = 0;
	int r;

	if (!name || !*name)
		return vs_error_set(err, -EINVAL, "empty device name");
	if (!strchr(name, '#'))
		return resolve_plain(host, name, kinds, out, err);
	if (!(kinds & VS_NAME_VF))
		return vs_error_set(err, -EINVAL, "'%s' names VFs; give a PF (its netdev or PCI address)", name);
	r = vs_vfset_resolve(host, name, &refs, &n, err);
	if (r < 0)
		return r;
	if (n != 1)
		return vs_error_set(err, -EINVAL, "'%s' names %zu VFs; give one", name, n);
	*out = refs[0];
	return 0;
}

struct vs_pf *vs_name_pf(const struct vs_host *host, const char *name, struct vs_error *err)
{
	struct vs_vf_ref ref;

	return vs_name_resolve(host, name, VS_NAME_PF, &ref, err) < 0 ? NULL : ref.pf;
}

/* ---- VF sets ---- */

static struct vs_vf *pf_vf(const struct vs_pf *pf, unsigned index)
{
	if (pf->numvfs >= 0 && index >= (unsigned)pf->numvfs)
		return NULL;
	for (size_t i = 0; i < pf->n_vfs; i++)
		if (pf->vfs[i].index == index)
			return &pf->vfs[i];
	return NULL;
}

static int resolve_indexes(const struct vs_host *host, const char *spec, const char *pfname,
			   const char *set, struct vs_vf_ref **out, size_t *n, struct vs_error *err)
{
	_cleanup_free_ unsigned *idx = NULL;
	_cleanup_free_ struct vs_vf_ref *refs = NULL;
	struct vs_error sub = { 0 };
	struct vs_pf *pf = vs_name_pf(host, pfname, &sub);
	size_t count;
	int r;

	if (!pf)
		return vs_error_set(err, sub.code, "'%s': %s", spec, sub.msg);
	r = vs_index_set_parse(spec, set, &idx, &count, err);
	if (r < 0)
		return r;
	refs = calloc(count, sizeof(*refs));
	if (!refs)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		refs[i].pf = pf;
		refs[i].vf = pf_vf(pf, idx[i]);
		if (!refs[i].vf && pf->numvfs >= 0 && idx[i] < (unsigned)pf->numvfs)
			return vs_error_set(err, -ENOENT, "'%s': VF %u of PF %s (%s) has no PCI device (see warnings)",
					    spec, idx[i], pfname, pf->address);
		if (!refs[i].vf)
			return vs_error_set(err, -ENOENT, "'%s': PF %s (%s) has %d VFs; there is no VF %u",
					    spec, pfname, pf->address, pf->numvfs >= 0 ? pf->numvfs : (int)pf->n_vfs, idx[i]);
	}
	*out = TAKE_PTR(refs);
	*n = count;
	return 0;
}

static int resolve_one_name(const struct vs_host *host, const char *spec, struct vs_vf_ref **out, size_t *n,
			    struct vs_error *err)
{
	struct vs_vf_ref *ref = calloc(1, sizeof(*ref));
	int r;

	if (!ref)
		return -ENOMEM;
	r = resolve_plain(host, spec, VS_NAME_VF, ref, err);
	if (r < 0) {
		free(ref);
		return r;
	}
	*out = ref;
	*n = 1;
	return 0;
}

int vs_vfset_resolve(const struct vs_host *host, const char *spec, struct vs_vf_ref **out, size_t *n, struct vs_error *err)
{
	_cleanup_free_ char *pfname = NULL;
	const char *hash;

	if (!spec || !*spec)
		return vs_error_set(err, -EINVAL, "empty VF name");
	hash = strchr(spec, '#');
	if (!hash)
		return resolve_one_name(host, spec, out, n, err);
	if (hash == spec)
		return vs_error_set(err, -EINVAL, "'%s': no PF before '#' (write PF#N)", spec);
	if (!hash[1])
		return vs_error_set(err, -EINVAL, "'%s': no VF index after '#' (write PF#N or PF#0-3,7)", spec);
	pfname = strndup(spec, (size_t)(hash - spec));
	if (!pfname)
		return -ENOMEM;
	return resolve_indexes(host, spec, pfname, hash + 1, out, n, err);
}

int vs_vfset_resolve_one(const struct vs_host *host, const char *spec, struct vs_vf_ref *out, struct vs_error *err)
{
	_cleanup_free_ struct vs_vf_ref *refs = NULL;
	size_t n = 0;
	int r = vs_vfset_resolve(host, spec, &refs, &n, err);

	if (r < 0)
		return r;
	if (n != 1)
		return vs_error_set(err, -EINVAL, "--vf %s names %zu VFs: give one", spec, n);
	*out = refs[0];
	return 0;
}
