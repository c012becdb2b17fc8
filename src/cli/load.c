/* The inventory a command works on: the scan, then VF settings over
 * rtnetlink and guest usage from libvirt, as the command asks. */
#include "config.h"

#include <string.h>

#include "devlink.h"
#include "load.h"
#include "netlink.h"
#include "pciaddr.h"
#include "vfset.h"

void vs_print_host_warnings(const struct vs_host *host)
{
	for (size_t i = 0; host && i < host->n_warnings; i++)
		vs_cli_warn("%s", host->warnings[i]);
}

int vs_cli_load_host(struct vs_cli *cli, char *const *only, unsigned flags, struct vs_host **out)
{
	struct vs_scan_opts opts = { .sysfs = &cli->sysfs, .non_pci = flags & VS_LOAD_NON_PCI,
				     .no_names = !(flags & VS_LOAD_NAMES) };
	struct vs_error err = { 0 }, nlerr = { 0 }, dlerr = { 0 };
	size_t n = 0;
	int r;

	for (; only && only[n]; n++) {
		if (n + 1 >= ELEMENTSOF(opts.only))
			return vs_cli_fail(VS_EXIT_USAGE, "at most %zu PF names at once", ELEMENTSOF(opts.only) - 1);
		opts.only[n] = only[n];
	}
#ifndef VS_CLI_LEAN
	if (cli->libvirt_source)
		return vs_cli_load_libvirt(cli, &opts, flags, out);
#endif
	if ((flags & VS_LOAD_SETTINGS) && vs_nl_open(&opts.nl, &nlerr) < 0)
		opts.nl = NULL;
	/* A kernel without devlink (-ENOENT) has no eswitch to report. */
	if ((flags & VS_LOAD_DEVLINK) && vs_sysfs_is_live(&cli->sysfs) && vs_devlink_open(&opts.dl, &dlerr) < 0)
		opts.dl = NULL;
	r = vs_inventory_scan(&opts, out, &err);
	if (opts.nl)
		vs_nl_close(opts.nl);
	vs_devlink_close(opts.dl);
	if (r < 0)
		return vs_cli_fail_err(&err, "inventory");
	if ((flags & VS_LOAD_SETTINGS) && nlerr.code)
		vs_host_warn(*out, "cannot open rtnetlink (%s); VF settings unknown", nlerr.msg);
	if (dlerr.code && dlerr.code != -ENOENT)
		vs_host_warn(*out, "cannot open devlink (%s); eswitch modes, representors and rates unknown", dlerr.msg);
	return VS_EXIT_OK;
}


#define NAMED_MAX 15 /* vs_scan_opts.only */

struct named_pfs {
	char addrs[NAMED_MAX][VS_PCI_ADDR_MAX];
	char *only[NAMED_MAX + 1];
	size_t n;
};

static int add_pf(struct named_pfs *p, const char *address)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->addrs[i], address))
			return 0;
	if (p->n >= NAMED_MAX)
		return -E2BIG;
	vs_strlcpy(p->addrs[p->n], address, VS_PCI_ADDR_MAX);
	p->only[p->n] = p->addrs[p->n];
	p->only[++p->n] = NULL;
	return 0;
}

/* VFSETs where only VFs may be named, else one device per name. */
static int resolve(const struct vs_host *host, const char *name, unsigned kinds, struct vs_vf_ref **refs,
		   size_t *n, struct vs_error *err)
{
	if (kinds == VS_NAME_VF)
		return vs_vfset_resolve(host, name, refs, n, err);
	*refs = calloc(1, sizeof(**refs));
	*n = 1;
	return *refs ? vs_name_resolve(host, name, kinds, *refs, err) : -ENOMEM;
}

/* Every name resolved on the host; with p, their PFs added to it. */
static int resolve_names(const struct vs_host *host, char *const *names, unsigned kinds, unsigned flags,
			 struct named_pfs *p)
{
	for (; *names; names++) {
		_cleanup_free_ struct vs_vf_ref *refs = NULL;
		struct vs_error err = { 0 };
		size_t n = 0;

		int r = resolve(host, *names, kinds, &refs, &n, &err);

		if (r == -EINVAL && (flags & VS_LOAD_BAD_NAME_USAGE))
			return vs_cli_fail(VS_EXIT_USAGE, "%s", err.msg[0] ? err.msg : *names);
		if (r < 0)
			return vs_cli_fail_err(&err, *names);
		for (size_t i = 0; p && i < n; i++)
			if (add_pf(p, refs[i].pf->address) < 0)
				return vs_cli_fail(VS_EXIT_USAGE, "at most %d PFs at once", NAMED_MAX);
	}
	return VS_EXIT_OK;
}

/* The PFs of the names, from sysfs alone when it tells, else from a cheap
 * scan of every PF (which also says which name is unknown, listing the
 * PFs). */
static int named_pfs(struct vs_cli *cli, char *const *names, unsigned kinds, unsigned flags, struct named_pfs *p)
{
	struct vs_host *all = NULL;
	int r;

	for (char *const *nm = names; *nm; nm++) {
		char a[VS_PCI_ADDR_MAX];

		if (vs_name_pf_of(&cli->sysfs, *nm, kinds, a) < 0 || add_pf(p, a) < 0)
			break;
		if (!nm[1])
			return VS_EXIT_OK;
	}
	p->n = 0;
	p->only[0] = NULL;
	r = vs_cli_load_host(cli, NULL, flags & VS_LOAD_NON_PCI, &all);
	if (r == VS_EXIT_OK)
		r = resolve_names(all, names, kinds, flags, p);
	vs_host_free(all);
	return r;
}

/* One listing of libvirt's node devices (a round trip per device, over
 * ssh for a remote host), then only the PFs the names name. */
static int named_libvirt(struct vs_cli *cli, char *const *names, unsigned kinds, unsigned flags,
			 struct vs_host **out)
{
	struct named_pfs p = { .n = 0 };
	int r = vs_cli_load_host(cli, NULL, flags, out);

	if (r == VS_EXIT_OK)
		r = resolve_names(*out, names, kinds, flags, &p);
	for (size_t i = (*out)->n_pfs; r == VS_EXIT_OK && i-- > 0;) {
		bool named = false;

		for (size_t j = 0; j < p.n; j++)
			named = named || !strcmp(p.addrs[j], (*out)->pfs[i].address);
		if (!named)
			vs_host_drop_pf(*out, i);
	}
	if (r != VS_EXIT_OK) {
		vs_host_free(*out);
		*out = NULL;
	}
	return r;
}

int vs_cli_load_named(struct vs_cli *cli, char *const *names, unsigned kinds, unsigned flags, struct vs_host **out)
{
	struct named_pfs p = { .n = 0 };
	int r;

	if (!names || !*names)
		return vs_cli_load_host(cli, NULL, flags, out);
	if (cli->libvirt_source)
		return named_libvirt(cli, names, kinds, flags, out);
	r = named_pfs(cli, names, kinds, flags, &p);
	if (r == VS_EXIT_OK)
		r = vs_cli_load_host(cli, p.only, flags, out);
	if (r == VS_EXIT_OK && (r = resolve_names(*out, names, kinds, flags, NULL)) != VS_EXIT_OK) {
		vs_host_free(*out);
		*out = NULL;
	}
	return r;
}

int vs_cli_vf_address(struct vs_cli *cli, const char *name, char out[VS_PCI_ADDR_MAX])
{
	char *names[] = { (char *)name, NULL };
	struct vs_host *host = NULL;
	struct vs_error err = { 0 };
	struct vs_vf_ref ref;
	int r;

	if (vs_pci_addr_normalize(name, out) == 0)
		return VS_EXIT_OK;
	r = vs_cli_load_named(cli, names, VS_NAME_VF, VS_LOAD_NON_PCI, &host);
	if (r != VS_EXIT_OK)
		return r;
	if (vs_vfset_resolve_one(host, name, &ref, &err) < 0)
		r = vs_cli_fail_err(&err, name);
	else if (!ref.vf->address[0])
		r = vs_cli_fail(VS_EXIT_FAILURE, "%s: VF %u of %s has no PCI address", name, ref.vf->index,
				ref.pf->address);
	else
		vs_strlcpy(out, ref.vf->address, VS_PCI_ADDR_MAX);
	vs_host_free(host);
	return r;
}
