#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "ovsdb.h"
#include "pciaddr.h"

struct check_def;
typedef int (*check_fn)(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def);

struct check_def {
	const char *id;
	const char *title;
	check_fn fn;
};

static _printf_(6, 7) int add(struct vs_check_report *rep, const struct check_def *def, enum vs_check_status st,
			      const char *device, const char *remedy, const char *fmt, ...)
{
	struct vs_check_result *res;
	va_list ap;
	int r;

	r = vs_grow((void **)&rep->results, &rep->alloc, rep->n + 1, sizeof(*rep->results));
	if (r < 0)
		return r;
	res = &rep->results[rep->n];
	*res = (struct vs_check_result){ .id = def->id, .title = def->title, .status = st };
	va_start(ap, fmt);
	r = vasprintf(&res->message, fmt, ap);
	va_end(ap);
	if (r < 0) {
		res->message = NULL;
		return -ENOMEM;
	}
	rep->n++;
	res->device = device ? strdup(device) : NULL;
	res->remedy = remedy && st != VS_CHECK_PASS ? strdup(remedy) : NULL;
	if ((device && !res->device) || (remedy && st != VS_CHECK_PASS && !res->remedy))
		return -ENOMEM;
	return 0;
}

static const char *pf_label(const struct vs_pf *pf, char *buf, size_t len)
{
	if (pf->netdev[0])
		snprintf(buf, len, "%s (%s)", pf->address, pf->netdev);
	else
		snprintf(buf, len, "%s", pf->address);
	return buf;
}

static const char *pf_name(const struct vs_pf *pf)
{
	return pf->netdev[0] ? pf->netdev : pf->address;
}

/* ---- IOMMU ---- */

enum iommu_kind { IOMMU_NONE = -1, IOMMU_INTEL, IOMMU_AMD, IOMMU_ARM };

static const struct {
	const char *table, *what, *grub_options;
} iommu_kinds[] = {
	[IOMMU_INTEL] = { "DMAR", "Intel VT-d", "intel_iommu=on iommu=pt" },
	[IOMMU_AMD] = { "IVRS", "AMD-Vi", "amd_iommu=on iommu=pt" },
	[IOMMU_ARM] = { "IORT", "Arm SMMU", "iommu.passthrough=1" },
};

static enum iommu_kind iommu_table(const struct vs_sysfs *s)
{
	for (size_t i = 0; i < ELEMENTSOF(iommu_kinds); i++)
		if (vs_sysfs_exists(s, "/sys/firmware/acpi/tables/%s", iommu_kinds[i].table) == 1)
			return (enum iommu_kind)i;
	return IOMMU_NONE;
}

static int iommu_groups(const struct vs_sysfs *s)
{
	char **names = NULL;
	int n = vs_sysfs_list(s, &names, "/sys/kernel/iommu_groups");

	vs_strv_free(names);
	return n < 0 ? 0 : n;
}

static void grub_remedy(char *buf, size_t len, enum iommu_kind kind)
{
	snprintf(buf, len, "add '%s' to GRUB_CMDLINE_LINUX in /etc/default/grub, then run update-grub and reboot",
		 iommu_kinds[kind == IOMMU_NONE ? IOMMU_INTEL : kind].grub_options);
}

static int check_iommu_acpi(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	enum iommu_kind kind = iommu_table(ctx->sysfs);

	if (kind != IOMMU_NONE)
		return add(rep, def, VS_CHECK_PASS, NULL, NULL, "ACPI %s table found (%s)",
			   iommu_kinds[kind].table, iommu_kinds[kind].what);
	if (iommu_groups(ctx->sysfs) > 0)
		return add(rep, def, VS_CHECK_PASS, NULL, NULL, "no ACPI IOMMU table, but the kernel has IOMMU groups");
	return add(rep, def, VS_CHECK_FAIL, NULL,
		   "enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the BIOS/UEFI setup",
		   "no DMAR, IVRS or IORT ACPI table: the firmware does not offer an IOMMU");
}

static int check_iommu_groups(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	char remedy[256];
	int n = iommu_groups(ctx->sysfs);

	if (n > 0)
		return add(rep, def, VS_CHECK_PASS, NULL, NULL, "%d IOMMU groups", n);
	grub_remedy(remedy, sizeof(remedy), iommu_table(ctx->sysfs));
	return add(rep, def, VS_CHECK_FAIL, NULL, remedy,
		   "no IOMMU groups in /sys/kernel/iommu_groups: devices cannot be assigned to guests");
}

struct cmdline {
	bool on, pt;
	char off[64];     /* the token that turns the IOMMU off, "" none */
};

static bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, word, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

static void parse_cmdline(char *line, struct cmdline *c)
{
	static const char *const vendor[] = { "intel_iommu=", "amd_iommu=" };
	char *save = NULL;

	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		for (size_t i = 0; i < ELEMENTSOF(vendor); i++) {
			const char *v = t + strlen(vendor[i]);

			if (strncmp(t, vendor[i], strlen(vendor[i])))
				continue;
			c->on |= list_has(v, "on");
			if (list_has(v, "off"))
				vs_strlcpy(c->off, t, sizeof(c->off));
		}
		if (!strcmp(t, "iommu=pt") || !strcmp(t, "iommu.passthrough=1"))
			c->pt = true;
		if (!strcmp(t, "iommu=off"))
			vs_strlcpy(c->off, t, sizeof(c->off));
	}
}

static int check_iommu_cmdline(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	enum iommu_kind kind = iommu_table(ctx->sysfs);
	int groups = iommu_groups(ctx->sysfs);
	struct cmdline c = { 0 };
	char line[4096], remedy[300];
	int r = vs_sysfs_read(ctx->sysfs, line, sizeof(line), "/proc/cmdline");

	if (r < 0)
		return add(rep, def, VS_CHECK_WARN, NULL, "run the check as root on the host itself",
			   "cannot read /proc/cmdline: %s", strerror(-r));
	parse_cmdline(line, &c);
	grub_remedy(remedy, sizeof(remedy), kind);
	if (c.off[0]) {
		snprintf(remedy, sizeof(remedy), "remove '%s' from GRUB_CMDLINE_LINUX in /etc/default/grub, "
			 "then run update-grub and reboot", c.off);
		return add(rep, def, VS_CHECK_FAIL, NULL, remedy, "the kernel command line turns the IOMMU off (%s)", c.off);
	}
	if (groups == 0 && c.on)
		return add(rep, def, VS_CHECK_FAIL, NULL,
			   "look for DMAR/IOMMU errors in dmesg and check VT-d/AMD-Vi is enabled in the firmware",
			   "the IOMMU is asked for on the kernel command line but the kernel made no IOMMU groups");
	if (groups == 0)
		return add(rep, def, VS_CHECK_FAIL, NULL, remedy, "no %s on the kernel command line",
			   iommu_kinds[kind == IOMMU_NONE ? IOMMU_INTEL : kind].grub_options);
	if (!c.pt)
		return add(rep, def, VS_CHECK_WARN, NULL, remedy,
			   "IOMMU on, but no iommu=pt: host devices pay for DMA translation too");
	return add(rep, def, VS_CHECK_PASS, NULL, NULL, "IOMMU on, passthrough mode for host devices");
}

/* ---- vfio-pci ---- */

static bool module_installed(const char *modules_dir, const char *ko)
{
	char path[PATH_MAX], line[1024];
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(path, sizeof(path), "%s/modules.dep", modules_dir);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (colon)
			*colon = '\0';
		if (strstr(line, ko))
			return true;
	}
	return false;
}

static int check_vfio(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	if (vs_sysfs_exists(ctx->sysfs, "/sys/bus/pci/drivers/vfio-pci") == 1)
		return add(rep, def, VS_CHECK_PASS, NULL, NULL, "vfio-pci driver loaded");
	if (vs_sysfs_exists(ctx->sysfs, "/sys/module/vfio_pci") == 1)
		return add(rep, def, VS_CHECK_PASS, NULL, NULL, "vfio_pci module loaded");
	if (!ctx->modules_dir)
		return add(rep, def, VS_CHECK_FAIL, NULL, "modprobe vfio-pci (and list vfio-pci in /etc/modules)",
			   "vfio-pci is not loaded");
	if (module_installed(ctx->modules_dir, "/vfio-pci.ko"))
		return add(rep, def, VS_CHECK_WARN, NULL, "modprobe vfio-pci (and list vfio-pci in /etc/modules)",
			   "vfio-pci is installed in %s but not loaded", ctx->modules_dir);
	return add(rep, def, VS_CHECK_FAIL, NULL,
		   "install a kernel built with CONFIG_VFIO_PCI (Debian: linux-image-amd64), then modprobe vfio-pci",
		   "vfio-pci is neither loaded nor installed in %s", ctx->modules_dir);
}

/* ---- PFs ---- */

static int check_pfs(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	char label[64], remedy[128];
	int r = 0;

	if (!ctx->host)
		return add(rep, def, VS_CHECK_FAIL, NULL, "check that sysfs is mounted and readable (run as root on the host)",
			   "the host inventory failed: %s", ctx->host_error ? ctx->host_error : "unknown error");
	if (ctx->host->n_pfs == 0)
		return add(rep, def, VS_CHECK_FAIL, NULL,
			   "enable SR-IOV in the BIOS/UEFI setup (globally and for the NIC) and use a driver with SR-IOV",
			   "no PCI device offers SR-IOV (none has sriov_totalvfs)");
	for (size_t i = 0; i < ctx->host->n_pfs && r >= 0; i++) {
		const struct vs_pf *pf = &ctx->host->pfs[i];

		pf_label(pf, label, sizeof(label));
		snprintf(remedy, sizeof(remedy), "virt-sriov numvfs %s %d", pf_name(pf), pf->totalvfs);
		if (pf->numvfs > 0)
			r = add(rep, def, VS_CHECK_PASS, pf->address, NULL, "%s, %s: %d of %d VFs exist", label,
				pf->driver[0] ? pf->driver : "no driver", pf->numvfs, pf->totalvfs);
		else
			r = add(rep, def, VS_CHECK_WARN, pf->address, remedy, "%s, %s: no VFs yet (up to %d)", label,
				pf->driver[0] ? pf->driver : "no driver", pf->totalvfs);
	}
	return r;
}

/* What the inventory found odd (a physfn link to nowhere, garbage in
 * sriov_numvfs...): the tree the other checks read cannot be trusted there. */
static int check_sysfs(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	int r = 0;

	if (!ctx->host)
		return 0;
	if (ctx->host->n_warnings == 0)
		return add(rep, def, VS_CHECK_PASS, NULL, NULL, "PF and VF attributes and links agree");
	for (size_t i = 0; i < ctx->host->n_warnings && r >= 0; i++)
		r = add(rep, def, VS_CHECK_WARN, NULL,
			"look for the PF driver's messages in dmesg; re-creating the VFs (numvfs PF 0, then N) often clears it",
			"%s", ctx->host->warnings[i]);
	return r;
}

/* ---- ACS ---- */

#define ACS_SV 0x0001
#define ACS_RR 0x0004
#define ACS_CR 0x0008
#define ACS_UF 0x0010
/* what the kernel requires for isolation (drivers/iommu/iommu.c REQ_ACS_FLAGS) */
#define ACS_REQUIRED (ACS_SV | ACS_RR | ACS_CR | ACS_UF)

static bool is_pci_address(const char *s)
{
	struct vs_pci_addr a;

	return vs_pci_addr_parse(s, &a) == 0;
}

/* The bridges above a device, nearest first, from its real sysfs path. */
static int upstream_bridges(const struct vs_sysfs *s, const char *dev, char (*out)[VS_PCI_ADDR_MAX], size_t max)
{
	char path[PATH_MAX], real[PATH_MAX];
	size_t n = 0;
	char *slash;
	int r = vs_sysfs_path(s, path, sizeof(path), "/sys/bus/pci/devices/%s", dev);

	if (r < 0)
		return r;
	if (!realpath(path, real))
		return -errno;
	for (;;) {
		slash = strrchr(real, '/');
		if (!slash)
			break;
		*slash = '\0';
		slash = strrchr(real, '/');
		if (!slash || !is_pci_address(slash + 1) || n == max)
			break;
		vs_strlcpy(out[n++], slash + 1, VS_PCI_ADDR_MAX);
	}
	return (int)n;
}

/* "" when the bridge isolates its downstream devices, else why not. */
static void acs_problem(struct vs_pci *pci, const char *bridge, char *why, size_t len)
{
	unsigned cap, ctrl, need;
	int r = vs_pci_read_acs(pci, bridge, &cap, &ctrl, NULL);

	why[0] = '\0';
	if (r == -ENOENT) {
		snprintf(why, len, "%s has no ACS capability", bridge);
		return;
	}
	if (r < 0) {
		snprintf(why, len, "%s: config space unreadable (%s)", bridge, strerror(-r));
		return;
	}
	/* as the kernel: a feature the capability lacks counts as hard-wired on */
	need = ACS_REQUIRED & cap;
	if ((ctrl & need) != need)
		snprintf(why, len, "%s has ACS but does not enable it (capability 0x%04x, control 0x%04x)",
			 bridge, cap, ctrl);
}

static int acs_one(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def,
		   const struct vs_pf *pf)
{
	char bridges[16][VS_PCI_ADDR_MAX], label[64], why[640], remedy[800];
	int n = upstream_bridges(ctx->sysfs, pf->address, bridges, ELEMENTSOF(bridges));

	pf_label(pf, label, sizeof(label));
	if (n < 0)
		return add(rep, def, VS_CHECK_WARN, pf->address, "check the sysfs tree",
			   "%s: cannot find its place in the PCI hierarchy: %s", label, strerror(-n));
	if (n == 0)
		return add(rep, def, VS_CHECK_PASS, pf->address, NULL, "%s: on the root bus, no bridge above it", label);
	if (!ctx->pci)
		return add(rep, def, VS_CHECK_WARN, pf->address, "run the check as root (config space needs it)",
			   "%s: cannot read the config space of the bridges above it", label);
	for (int i = 0; i < n; i++) {
		acs_problem(ctx->pci, bridges[i], why, sizeof(why));
		if (!why[0])
			continue;
		snprintf(remedy, sizeof(remedy), "devices below %s can talk to each other without the IOMMU and share "
			 "an IOMMU group: use a slot on a root port with ACS (see the IOMMU group check)", bridges[i]);
		return add(rep, def, VS_CHECK_WARN, pf->address, remedy, "%s: %s", label, why);
	}
	return add(rep, def, VS_CHECK_PASS, pf->address, NULL, "%s: ACS enabled on %d bridge%s up to %s", label, n,
		   n == 1 ? "" : "s", bridges[n - 1]);
}

static int check_acs(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	int r = 0;

	for (size_t i = 0; ctx->host && i < ctx->host->n_pfs && r >= 0; i++)
		r = acs_one(ctx, rep, def, &ctx->host->pfs[i]);
	return r;
}

/* ---- IOMMU group sharing ---- */

struct group_seen {
	int *ids;
	size_t n, alloc;
};

static bool seen_group(struct group_seen *g, int id)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->ids[i] == id)
			return true;
	if (vs_grow((void **)&g->ids, &g->alloc, g->n + 1, sizeof(*g->ids)) == 0)
		g->ids[g->n++] = id;
	return false;
}

static const struct vs_vf *pf_vf(const struct vs_pf *pf, const char *address)
{
	for (size_t i = 0; i < pf->n_vfs; i++)
		if (!strcmp(pf->vfs[i].address, address))
			return &pf->vfs[i];
	return NULL;
}

/* members: the group's devices; the first one that is not a VF of pf wins */
static int report_group(struct vs_check_report *rep, const struct check_def *def, const struct vs_pf *pf,
			const struct vs_vf *vf, char **members, int n)
{
	const char *stranger = NULL;
	char remedy[200];

	for (int i = 0; i < n && !stranger; i++)
		if (!pf_vf(pf, members[i]))
			stranger = members[i];
	snprintf(remedy, sizeof(remedy), "give all %d devices of IOMMU group %d to one guest, or move the card to a "
		 "slot whose root port has ACS", n, vf->iommu_group);
	if (stranger)
		return add(rep, def, VS_CHECK_FAIL, vf->address, remedy,
			   "IOMMU group %d: VF %s (%s#%u) shares it with %s%s, which is not a VF of %s: "
			   "they cannot go to different guests", vf->iommu_group, vf->address, pf_name(pf), vf->index,
			   stranger, !strcmp(stranger, pf->address) ? " (its PF)" : "", pf_name(pf));
	return add(rep, def, VS_CHECK_WARN, vf->address, remedy,
		   "IOMMU group %d holds %d VFs of %s (%s and %s): they can only go to one guest, together",
		   vf->iommu_group, n, pf_name(pf), members[0], members[1]);
}

struct group_tally {
	struct group_seen seen;
	size_t vfs, grouped, bad;
};

static int group_vf(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def,
		    const struct vs_pf *pf, const struct vs_vf *vf, struct group_tally *t)
{
	char **members = NULL;
	int n, r = 0;

	t->vfs++;
	if (vf->iommu_group < 0)
		return 0;
	t->grouped++;
	if (seen_group(&t->seen, vf->iommu_group))
		return 0;
	n = vs_sysfs_list(ctx->sysfs, &members, "/sys/kernel/iommu_groups/%d/devices", vf->iommu_group);
	if (n > 1) {
		t->bad++;
		r = report_group(rep, def, pf, vf, members, n);
	}
	vs_strv_free(members);
	return r;
}

static int check_groups(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	struct group_tally t = { 0 };
	int r = 0;

	for (size_t i = 0; ctx->host && i < ctx->host->n_pfs && r >= 0; i++)
		for (size_t j = 0; j < ctx->host->pfs[i].n_vfs && r >= 0; j++)
			r = group_vf(ctx, rep, def, &ctx->host->pfs[i], &ctx->host->pfs[i].vfs[j], &t);
	free(t.seen.ids);
	if (r < 0 || t.vfs == 0 || t.bad > 0)
		return r;
	if (t.grouped < t.vfs)
		return add(rep, def, VS_CHECK_WARN, NULL, "turn the IOMMU on first (see the IOMMU checks above)",
			   "%zu of %zu VFs have no IOMMU group", t.vfs - t.grouped, t.vfs);
	return add(rep, def, VS_CHECK_PASS, NULL, NULL, "each of the %zu VFs has an IOMMU group of its own", t.vfs);
}

/* ---- sriov_drivers_autoprobe ---- */

static bool vfs_meant_for_vfio(const struct vs_sysfs *s, const struct vs_pf *pf)
{
	char ovr[VS_DRIVER_MAX];

	for (size_t i = 0; i < pf->n_vfs; i++) {
		if (!strcmp(pf->vfs[i].driver, "vfio-pci"))
			return true;
		if (vs_sysfs_read(s, ovr, sizeof(ovr), "/sys/bus/pci/devices/%s/driver_override", pf->vfs[i].address) > 0 &&
		    !strcmp(ovr, "vfio-pci"))
			return true;
	}
	return false;
}

static int autoprobe_one(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def,
			 const struct vs_pf *pf)
{
	char label[64], remedy[200];
	long ap;
	int r = vs_sysfs_read_long(ctx->sysfs, &ap, "/sys/bus/pci/devices/%s/sriov_drivers_autoprobe", pf->address);

	pf_label(pf, label, sizeof(label));
	if (r < 0)
		return add(rep, def, VS_CHECK_WARN, pf->address, "check the kernel exposes sriov_drivers_autoprobe (4.12+)",
			   "%s: cannot read sriov_drivers_autoprobe: %s", label, strerror(-r));
	snprintf(remedy, sizeof(remedy), "echo 0 > /sys/bus/pci/devices/%s/sriov_drivers_autoprobe, or create the VFs "
		 "with virt-sriov numvfs %s N --no-autoprobe", pf->address, pf_name(pf));
	if (ap == 0)
		return add(rep, def, VS_CHECK_PASS, pf->address, NULL, "%s: 0, new VFs stay unbound", label);
	if (!strcmp(pf->driver, "nvme"))
		return add(rep, def, VS_CHECK_WARN, pf->address, remedy,
			   "%s: 1 on an NVMe PF: nvme probes each new VF and fails until its secondary controller is set up", label);
	if (vfs_meant_for_vfio(ctx->sysfs, pf))
		return add(rep, def, VS_CHECK_WARN, pf->address, remedy,
			   "%s: 1 while its VFs go to vfio-pci: new VFs are first bound to the host VF driver", label);
	return add(rep, def, VS_CHECK_PASS, pf->address, NULL, "%s: 1, new VFs get the host VF driver", label);
}

static int check_autoprobe(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	int r = 0;

	for (size_t i = 0; ctx->host && i < ctx->host->n_pfs && r >= 0; i++)
		r = autoprobe_one(ctx, rep, def, &ctx->host->pfs[i]);
	return r;
}

/* ---- the boot unit ---- */

/* Enabled the systemd way: a symlink in some TARGET.wants/ (read here, no
 * systemctl: it may not run in a container or on a captured tree). */
static bool unit_enabled(const char *unit_dir, const char *unit, char *where, size_t len)
{
	DIR *d = opendir(unit_dir);
	struct dirent *de;
	char path[PATH_MAX];
	struct stat st;
	bool found = false;

	while (d && !found && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 6 || strcmp(de->d_name + n - 6, ".wants") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", unit_dir, de->d_name, unit);
		found = lstat(path, &st) == 0;
		if (found)
			snprintf(where, len, "%s", path);
	}
	if (d)
		closedir(d);
	return found;
}

static int check_unit(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	char where[PATH_MAX];

	if (!ctx->setup_conf || !ctx->unit_dir)
		return 0;
	if (unit_enabled(ctx->unit_dir, "virt-sriov.service", where, sizeof(where)))
		return add(rep, def, VS_CHECK_PASS, NULL, NULL, "virt-sriov.service is enabled (%s)", where);
	return add(rep, def, VS_CHECK_WARN, NULL, "systemctl enable virt-sriov.service",
		   "%s asks for host setup (VF counts, drivers or VF settings) but virt-sriov.service is not enabled "
		   "(no %s/*.wants/virt-sriov.service): it is not made again at boot", ctx->setup_conf, ctx->unit_dir);
}

/* ---- switchdev: representors ---- */

/* "eth1, eth2" (up to len) of the VFs for which pick says yes; how many. */
static size_t vf_list(const struct vs_pf *pf, bool (*pick)(const struct vs_vf *), char *buf, size_t len)
{
	size_t n = 0, used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < pf->n_vfs; i++) {
		const struct vs_vf *vf = &pf->vfs[i];
		int w;

		if (!pick(vf))
			continue;
		if (vf->dl.representor[0])
			w = snprintf(buf + used, len - used, "%s%s (VF %u)", n ? ", " : "", vf->dl.representor, vf->index);
		else
			w = snprintf(buf + used, len - used, "%sVF %u", n ? ", " : "", vf->index);
		if (w > 0 && used + (size_t)w < len)
			used += (size_t)w;
		n++;
	}
	return n;
}

static bool no_representor(const struct vs_vf *vf) { return !vf->dl.has_port || !vf->dl.representor[0]; }
static bool representor_down(const struct vs_vf *vf) { return !no_representor(vf) && vf->dl.representor_up == 0; }

/* In switchdev mode a VF's traffic passes its representor: one missing
 * cuts the VF off; one down is a warning (the hook brings it up when a
 * guest starts). */
static int switchdev_one(struct vs_check_report *rep, const struct check_def *def, const struct vs_pf *pf)
{
	char label[64], list[512], remedy[640];
	size_t n;

	pf_label(pf, label, sizeof(label));
	n = vf_list(pf, no_representor, list, sizeof(list));
	if (n)
		return add(rep, def, VS_CHECK_FAIL, pf->address, "check the driver created the VF ports (devlink port show "
			   "on the PF), or go back to legacy: virt-sriov eswitch PF legacy",
			   "%s: switchdev mode, but %zu of %zu VFs have no representor: %s", label, n, pf->n_vfs, list);
	n = vf_list(pf, representor_down, list, sizeof(list));
	snprintf(remedy, sizeof(remedy), "ip link set dev REPRESENTOR up for the VFs in use (the hook does it when a "
		 "guest starts); down: %s", list);
	if (n)
		return add(rep, def, VS_CHECK_WARN, pf->address, remedy, "%s: switchdev mode, %zu of %zu representors are "
			   "down: %s", label, n, pf->n_vfs, list);
	return add(rep, def, VS_CHECK_PASS, pf->address, NULL, "%s: switchdev mode, each of its %zu VFs has a "
		   "representor, up", label, pf->n_vfs);
}

static int check_switchdev(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	const struct vs_host *h = ctx->devlink_host;
	int r = 0;

	for (size_t i = 0; h && i < h->n_pfs && r >= 0; i++)
		if (h->pfs[i].eswitch_mode == VS_ESWITCH_SWITCHDEV)
			r = switchdev_one(rep, def, &h->pfs[i]);
	return r;
}

/* Representors in an OVS bridge carry the VFs' traffic through
 * ovs-vswitchd in software unless hw-offload is on: it works, slowly. */
static int check_ovs_offload(const struct vs_check_ctx *ctx, struct vs_check_report *rep, const struct check_def *def)
{
	struct vs_ovsdb db;
	struct vs_error err = { 0 };
	bool on = false;
	int r;

	if (!ctx->ovs_bridge)
		return 0;
	r = vs_ovsdb_connect(&db, ctx->ovsdb_sock, 0, &err);
	if (r == 0)
		r = vs_ovsdb_hw_offload(&db, &on, &err);
	vs_ovsdb_close(&db);
	if (r < 0)
		return add(rep, def, VS_CHECK_WARN, NULL, "start Open vSwitch (systemctl start openvswitch-switch)",
			   "representors join OVS bridge %s (%s) but the database cannot be read: %s", ctx->ovs_bridge,
			   ctx->ovs_bridge_where, err.msg);
	if (on)
		return add(rep, def, VS_CHECK_PASS, NULL, NULL, "other_config:hw-offload is true (OVS bridge %s, %s)",
			   ctx->ovs_bridge, ctx->ovs_bridge_where);
	return add(rep, def, VS_CHECK_WARN, NULL,
		   "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true, then restart openvswitch-switch",
		   "OVS hw-offload is off (other_config:hw-offload is not \"true\"): representors join OVS bridge %s "
		   "(%s), and the VFs' traffic is switched by ovs-vswitchd in software", ctx->ovs_bridge,
		   ctx->ovs_bridge_where);
}

static const struct check_def checks[] = {
	{ "iommu-acpi", "Checking for device assignment IOMMU support", check_iommu_acpi },
	{ "iommu-groups", "Checking if IOMMU is enabled by kernel", check_iommu_groups },
	{ "iommu-cmdline", "Checking kernel command line for IOMMU options", check_iommu_cmdline },
	{ "vfio-pci", "Checking for vfio-pci", check_vfio },
	{ "sriov-pfs", "Checking for SR-IOV capable PFs", check_pfs },
	{ "sysfs", "Checking the PCI sysfs attributes are consistent", check_sysfs },
	{ "acs", "Checking ACS on the path to the root port", check_acs },
	{ "iommu-group-sharing", "Checking VFs have IOMMU groups of their own", check_groups },
	{ "autoprobe", "Checking sriov_drivers_autoprobe", check_autoprobe },
	{ "boot-unit", "Checking virt-sriov.service makes the host setup at boot", check_unit },
	{ "ovs-hw-offload", "Checking Open vSwitch offloads the representors' bridge", check_ovs_offload },
	{ "switchdev", "Checking PFs in switchdev mode have their VF representors", check_switchdev },
};

/* The checks the inventory alone answers: also for a remote host. */
static bool inventory_only(const char *id)
{
	static const char *const ids[] = { "sriov-pfs" };

	for (size_t i = 0; i < ELEMENTSOF(ids); i++)
		if (!strcmp(ids[i], id))
			return true;
	return false;
}

int vs_check_run(const struct vs_check_ctx *ctx, struct vs_check_report *rep)
{
	for (size_t i = 0; i < ELEMENTSOF(checks); i++) {
		int r;

		if (ctx->remote && !inventory_only(checks[i].id)) {
			if (rep->n_skipped < ELEMENTSOF(rep->skipped))
				rep->skipped[rep->n_skipped++] = checks[i].id;
			continue;
		}
		if ((r = checks[i].fn(ctx, rep, &checks[i])) < 0)
			return r;
	}
	return 0;
}

void vs_check_report_free(struct vs_check_report *rep)
{
	for (size_t i = 0; i < rep->n; i++) {
		free(rep->results[i].device);
		free(rep->results[i].message);
		free(rep->results[i].remedy);
	}
	free(rep->results);
	*rep = (struct vs_check_report){ 0 };
}

enum vs_check_status vs_check_worst(const struct vs_check_report *rep)
{
	enum vs_check_status w = VS_CHECK_PASS;

	for (size_t i = 0; i < rep->n; i++)
		if (rep->results[i].status > w)
			w = rep->results[i].status;
	return w;
}

const char *vs_check_status_name(enum vs_check_status s)
{
	static const char *const names[] = { "PASS", "WARN", "FAIL" };

	return (unsigned)s < ELEMENTSOF(names) ? names[s] : "FAIL";
}

const struct vs_check_result *vs_check_find(const struct vs_check_report *rep, const char *id, const char *device)
{
	for (size_t i = 0; i < rep->n; i++) {
		const struct vs_check_result *res = &rep->results[i];

		if (strcmp(res->id, id))
			continue;
		if (!device || (res->device && !strcmp(res->device, device)))
			return res;
	}
	return NULL;
}

static struct json_object *json_str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

struct json_object *vs_check_report_json(const struct vs_check_report *rep)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < rep->n; i++) {
		const struct vs_check_result *res = &rep->results[i];
		struct json_object *o = json_object_new_object();

		if (!o) {
			json_object_put(arr);
			return NULL;
		}
		json_object_object_add(o, "check", json_object_new_string(res->id));
		json_object_object_add(o, "title", json_object_new_string(res->title));
		json_object_object_add(o, "status", json_object_new_string(vs_check_status_name(res->status)));
		json_object_object_add(o, "message", json_object_new_string(res->message));
		json_object_object_add(o, "remedy", json_str_or_null(res->remedy));
		if (res->device)
			json_object_object_add(o, "device", json_object_new_string(res->device));
		json_object_array_add(arr, o);
	}
	return arr;
}

int vs_check_add(struct vs_check_report *rep, const char *id, const char *title, enum vs_check_status st,
		 const char *device, const char *remedy, const char *msg)
{
	const struct check_def def = { id, title, NULL };

	return add(rep, &def, st, device, remedy, "%s", msg);
}
