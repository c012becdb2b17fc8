/* VF sets: "0000:01:10.0", "em1#3", "em1#0-3,7". */
#include "config.h"

#include <string.h>

#include "vfset.h"

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
	struct vs_pf *pf = vs_host_find_pf(host, pfname);
	size_t count;
	int r;

	if (!pf)
		return vs_error_set(err, -ENODEV, "'%s': %s is not an SR-IOV PF on this host (no PF has that netdev or PCI address)",
				    spec, pfname);
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

static int resolve_address(const struct vs_host *host, const char *spec, struct vs_vf_ref **out, size_t *n,
			   struct vs_error *err)
{
	struct vs_vf_ref *ref;
	struct vs_pf *pf;
	struct vs_vf *vf;

	if (vs_host_find_vf(host, spec, &pf, &vf) < 0) {
		if (vs_host_find_pf(host, spec))
			return vs_error_set(err, -EINVAL, "'%s' is a PF; name a VF as %s#N or by its PCI address", spec, spec);
		return vs_error_set(err, -ENOENT, "'%s': no such VF (give a VF PCI address or PF#N)", spec);
	}
	ref = calloc(1, sizeof(*ref));
	if (!ref)
		return -ENOMEM;
	ref->pf = pf;
	ref->vf = vf;
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
		return resolve_address(host, spec, out, n, err);
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
