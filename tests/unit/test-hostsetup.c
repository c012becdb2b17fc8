/* virt-sriov apply's library on generated host trees: validation of the
 * configuration against the host (FILE:LINE, nothing written), the planned
 * changes and their order, the guest guard, and whole runs against a fake
 * "kernel" behind the sriov write hook (VFs appear at a numvfs write, bind
 * follows driver_override at drivers_probe) with VF settings in a table. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/rtnetlink.h>

#include "conf.h"
#include "fake-kernel.h"
#include "host-tree.h"
#include "hostsetup.h"

#define PF "0000:01:00.0"
#define NVF 7

struct fx {
	char *root;
	struct vs_sysfs fs;
	struct vs_conf conf;
	char vf_target[NVF][PATH_MAX];  /* virtfnN links of the full PF */
	char writes[64][160];
	int n_writes;
	struct fake_kernel k;            /* the PF's VF table: k.pf[0], "em1" */
	char reports[32][256];
	int n_reports;
};

static void fx_tree(struct fx *f, const char *const *args)
{
	memset(f, 0, sizeof(*f));
	f->root = ht_generate(args);
	assert_non_null(f->root);
	assert_int_equal(vs_sysfs_init(&f->fs, f->root), 0);
	fk_init(&f->k, NVF);
}

#define FX(f, ...) fx_tree(f, (const char *const[]){ __VA_ARGS__, NULL })

static void fx_conf(struct fx *f, const char *text)
{
	struct vs_error err = { 0 };

	vs_conf_free(&f->conf);
	if (vs_conf_parse_string(text, "t.conf", &f->conf, &err) < 0)
		fail_msg("%s", err.msg);
}

/* VF entries of the last RTM_SETLINK the fake kernel got. */
static size_t last_setlink_vfs(struct fx *f)
{
	uint32_t types[NVF + 1], vfs[NVF + 1];
	size_t len;

	for (size_t i = f->k.nreq; i > 0; i--)
		if (((const struct nlmsghdr *)f->k.req[i - 1])->nlmsg_type == RTM_SETLINK)
			return fk_setlink_entries(&f->k, i - 1, types, vfs, NVF + 1, &len);
	return 0;
}

static void fx_free(struct fx *f)
{
	fk_free(&f->k);
	vs_conf_free(&f->conf);
	ht_remove(f->root);
}

static struct vs_host *scan_host(struct fx *f)
{
	struct vs_scan_opts opts = { .sysfs = &f->fs };
	struct vs_host *host = NULL;

	assert_int_equal(vs_inventory_scan(&opts, &host, NULL), 0);
	return host;
}

/* ---- validation ---- */

static const struct {
	const char *conf;
	int code;
	const char *msg;
} invalid[] = {
	{ "[pf em1]\nnumvfs = 8\n", -ERANGE,
	  "t.conf:2: numvfs = 8 for em1 (0000:01:00.0): the PF allows at most 7 (sriov_totalvfs)" },
	{ "\n[pf em9]\nnumvfs = 2\n", -ENOENT, "t.conf:2: [pf em9]: no SR-IOV PF 'em9' on this host" },
	{ "[vfs 0000:02:00.0#0]\ndriver = host\n", -ENOENT, "t.conf:1: [vfs 0000:02:00.0#0]: no SR-IOV PF '0000:02:00.0'" },
	{ "[pool p]\n\npf = em7\n", -ENOENT, "t.conf:3: [pool p]: no SR-IOV PF 'em7'" },
	{ "[vfs em1#0-3]\ndriver = vfio-pci\n[vfs 0000:01:00.0#3-4]\ndriver = host\n", -EINVAL,
	  "t.conf:3: [vfs 0000:01:00.0#3-4]: VF 3 of em1 (0000:01:00.0) is also in [vfs em1#0-3] (line 1)" },
	{ "[vfs em1#0-3]\nspoofchk = on\n[vfs 8086:1521#2]\ntrust = off\n", -EINVAL, "VF 2 of em1 (0000:01:00.0) is also in" },
	{ "[vfs em1#7]\ndriver = host\n", -ERANGE, "t.conf:1: [vfs em1#7]: VF 7 is beyond the 7 VFs em1 (0000:01:00.0) has" },
	{ "[pf em3]\nnumvfs = 2\n[vfs em3#1-2]\ndriver = host\n", -ERANGE,
	  "t.conf:3: [vfs em3#1-2]: VF 2 is beyond the 2 VFs em3 (0000:01:00.2) is set to have (numvfs)" },
	{ "[pool p]\npf = em3\nvfs = 0\n", -ERANGE, "t.conf:3: [pool p]: VF 0 is beyond the 0 VFs of em3" },
	{ "[vfs em1#0]\ndriver = ixgbevf\n", -ENOENT, "t.conf:2: driver = ixgbevf: the driver is not loaded (modprobe ixgbevf" },
	{ "[vfs em1#0]\nmin-tx-rate = 100\nmax-tx-rate = 10\n", -EINVAL, "t.conf:2: [vfs em1#0]: em1: VF 0:" },
	{ "[vfs em1#0]\nqos = 3\n", -EINVAL, "t.conf:2: [vfs em1#0]:" },
	{ "[vfs 0000:5e:00.0#0]\nspoofchk = off\n", -ENODEV,
	  "t.conf:2: [vfs 0000:5e:00.0#0]: 0000:5e:00.0: the PF has no netdev" },
	{ "[pf em1]\nnumvfs = 3\n[pf 0000:01:00.0]\nnumvfs = 2\n", -EINVAL,
	  "t.conf:4: numvfs for em1 (0000:01:00.0) is also given at line 2" },
	{ "[pool p]\nautostart = no\n", -EINVAL, "t.conf:1: [pool p]: vfs, autostart and start need pf =" },
};

static void test_invalid(void **state)
{
	struct fx f;
	struct vs_host *host;

	(void)state;
	FX(&f, "--profile", "r730", "--profile", "nvme");
	host = scan_host(&f);
	for (size_t i = 0; i < ELEMENTSOF(invalid); i++) {
		struct vs_want want;
		struct vs_error err = { 0 };
		int r;

		fx_conf(&f, invalid[i].conf);
		r = vs_want_resolve(&f.conf, host, &f.fs, &want, &err);
		if (r == 0) {
			vs_want_free(&want);
			fail_msg("accepted: %s", invalid[i].conf);
		}
		if (r != invalid[i].code || !strstr(err.msg, invalid[i].msg))
			fail_msg("%s\n  got %d: %s\n  want %d: %s", invalid[i].conf, r, err.msg, invalid[i].code,
				 invalid[i].msg);
	}
	vs_host_free(host);
	fx_free(&f);
}

/* A PF named by vendor:device that this host does not have is no error:
 * one file serves many hosts. */
static void test_kind_absent_is_fine(void **state)
{
	struct fx f;
	struct vs_host *host;
	struct vs_want want;

	(void)state;
	FX(&f, "--profile", "r730");
	host = scan_host(&f);
	fx_conf(&f, "[pf 15b3:1017]\nnumvfs = 8\n[vfs 15b3:1017#0-7]\ndriver = vfio-pci\n[pf em9]\nspoofchk = on\n");
	assert_int_equal(vs_want_resolve(&f.conf, host, &f.fs, &want, NULL), 0);
	assert_int_equal(want.n_pfs, 0);
	vs_want_free(&want);
	vs_host_free(host);
	fx_free(&f);
}

/* "host" with autoprobe off must be a named driver; for a PF driver whose
 * VF driver is not known the name has to come from the file. */
static void test_host_needs_name(void **state)
{
	struct fx f;
	struct vs_host *host;
	struct vs_want want;
	struct vs_error err = { 0 };

	(void)state;
	FX(&f, "--pf", "addr=0000:02:00.0,total=4,num=2,netdev=x1,driver=oddnic,vfdriver=oddvf");
	host = scan_host(&f);
	fx_conf(&f, "[pf x1]\ndrivers-autoprobe = no\n[vfs x1#1]\ndriver = host\n");
	assert_int_equal(vs_want_resolve(&f.conf, host, &f.fs, &want, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "t.conf:4: driver = host for x1 (0000:02:00.0): with sriov_drivers_autoprobe off"));
	fx_conf(&f, "[pf x1]\ndrivers-autoprobe = yes\n[vfs x1#1]\ndriver = host\n");
	assert_int_equal(vs_want_resolve(&f.conf, host, &f.fs, &want, NULL), 0);
	vs_want_free(&want);
	vs_host_free(host);
	fx_free(&f);
}

/* ---- planning ---- */

static int plan(struct fx *f, struct vs_host *host, bool predict, struct vs_changes *cs, struct vs_error *err)
{
	struct vs_want want;
	struct vs_plan_env env = { .sysfs = &f->fs, .predict = predict };
	int r = vs_want_resolve(&f->conf, host, &f->fs, &want, err);

	memset(cs, 0, sizeof(*cs));
	if (r == 0)
		r = vs_setup_plan(&env, &want, host, VS_STEPS_ALL, cs, err);
	vs_want_free(&want);
	return r;
}

static void assert_lines(const struct vs_changes *cs, const char *const *want)
{
	char buf[512];
	size_t n = 0;

	for (; want[n]; n++) {
		if (n >= cs->n)
			fail_msg("change %zu missing: %s", n, want[n]);
		vs_change_describe(&cs->v[n], buf, sizeof(buf));
		if (strcmp(buf, want[n]))
			fail_msg("change %zu:\n  got:  %s\n  want: %s", n, buf, want[n]);
	}
	assert_int_equal(cs->n, n);
}

static const char r730_conf[] =
	"[pf 8086:1521]\n"
	"drivers-autoprobe = no\n"
	"[pf em1]\n"
	"numvfs = 7\n"              /* as it is */
	"drivers-autoprobe = yes\n" /* more specific than the kind: as it is */
	"[pf em3]\n"
	"numvfs = 2\n"
	"[vfs em3#0]\n"
	"driver = vfio-pci\n"
	"[vfs em3#1]\n"
	"driver = host\n"
	"spoofchk = off\n"
	"[vfs em1#5-6]\n"
	"driver = vfio-pci\n"
	"[vfs p2p1#0-3]\n"
	"driver = vfio-pci\n";

/* Ordered by step, then PF, then VF; VFs still to be created are "new"; the
 * autoprobe of em3 is off before its VFs appear, so host needs a bind. */
static void test_plan_order(void **state)
{
	struct fx f;
	struct vs_host *host;
	struct vs_changes cs;

	(void)state;
	FX(&f, "--profile", "r730");
	host = scan_host(&f);
	fx_conf(&f, r730_conf);
	assert_int_equal(plan(&f, host, true, &cs, NULL), 0);
	assert_lines(&cs, (const char *const[]){
		"em2 (0000:01:00.1): sriov_drivers_autoprobe 1 -> 0",
		"em3 (0000:01:00.2): sriov_drivers_autoprobe 1 -> 0",
		"em4 (0000:01:00.3): sriov_drivers_autoprobe 1 -> 0",
		"em3 (0000:01:00.2): numvfs 0 -> 2",
		"em1#5 (0000:01:12.4): driver igbvf -> vfio-pci",
		"em1#6 (0000:01:13.0): driver igbvf -> vfio-pci",
		"em3#0: driver none -> vfio-pci (new VF)",
		"em3#1: driver none -> igbvf (new VF)",
		/* on vfio-pci without the override: pinned, so a reprobe keeps them */
		"p2p1#0 (0000:19:10.0): driver vfio-pci -> vfio-pci",
		"p2p1#1 (0000:19:10.2): driver vfio-pci -> vfio-pci",
		"p2p1#2 (0000:19:10.4): driver vfio-pci -> vfio-pci",
		"p2p1#3 (0000:19:10.6): driver vfio-pci -> vfio-pci",
		"em3#1: spoofchk off (current settings unknown)",
		NULL });
	assert_int_equal(cs.v[3].step, VS_STEP_NUMVFS);
	assert_int_equal(cs.v[3].line, 7);
	assert_int_equal(cs.v[12].step, VS_STEP_SETTINGS);
	assert_int_equal(cs.v[12].line, 12);
	vs_changes_free(&cs);
	vs_host_free(host);
	fx_free(&f);
}

/* The host already as configured: nothing to do.  Settings compare by
 * value; only the ones that differ are planned. */
static void test_plan_in_state(void **state)
{
	struct fx f;
	struct vs_host *host;
	struct vs_changes cs;
	struct vs_pf *em1;
	char rel[128];

	(void)state;
	FX(&f, "--profile", "r730");
	fx_conf(&f, "[pf em1]\nnumvfs = 7\ndrivers-autoprobe = yes\n[vfs em1#0-5]\ndriver = host\n"
		    "[vfs em1#6]\nmac = 02:00:00:00:01:06\nspoofchk = off\nmax-tx-rate = 100\n"
		    "[pf p2p1]\nnumvfs = 4\n[vfs p2p1#0-3]\ndriver = vfio-pci\n");
	for (int i = 0; i < 4; i++) {
		static const char *const vfs[] = { "0000:19:10.0", "0000:19:10.2", "0000:19:10.4", "0000:19:10.6" };

		snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/driver_override", vfs[i]);
		assert_int_equal(ht_put(f.root, rel, "vfio-pci"), 0);
	}
	host = scan_host(&f);
	em1 = vs_host_find_pf(host, "em1");
	assert_non_null(em1);
	em1->vfs[6].config_known = true;
	assert_int_equal(vs_vf_config_parse(&em1->vfs[6].config, "mac", "02:00:00:00:01:06", NULL), 0);
	em1->vfs[6].config.spoofchk = 0;
	em1->vfs[6].config.trust = 0;
	em1->vfs[6].config.min_tx_rate = 0;
	em1->vfs[6].config.max_tx_rate = 100;
	assert_int_equal(plan(&f, host, true, &cs, NULL), 0);
	assert_lines(&cs, (const char *const[]){ NULL });
	vs_changes_free(&cs);

	em1->vfs[6].config.spoofchk = 1;
	em1->vfs[6].config.max_tx_rate = 0;
	assert_int_equal(plan(&f, host, true, &cs, NULL), 0);
	assert_lines(&cs, (const char *const[]){ "em1#6 (0000:01:13.0): spoofchk off, max-tx-rate 100", NULL });
	vs_changes_free(&cs);
	vs_host_free(host);
	fx_free(&f);
}

/* A guest holds em1#2: its PF's count and its driver stay; its settings
 * are the hook's while the guest runs. */
static void test_guest_holds_vf(void **state)
{
	struct fx f;
	struct vs_host *host;
	struct vs_changes cs;
	struct vs_error err = { 0 };
	struct vs_pf *em1;

	(void)state;
	FX(&f, "--profile", "r730");
	host = scan_host(&f);
	em1 = vs_host_find_pf(host, "em1");
	em1->vfs[2].in_use_by = strdup("web1");
	host->usage_known = true;

	fx_conf(&f, "[pf em1]\nnumvfs = 3\n");
	assert_int_equal(plan(&f, host, true, &cs, &err), -EBUSY);
	assert_string_equal(err.msg, "t.conf:2: numvfs = 3 for em1 (0000:01:00.0) refused: VF 2 (0000:01:11.0) is used "
				     "by guest 'web1', and changing the count removes every VF first");
	vs_changes_free(&cs);

	vs_error_clear(&err);
	fx_conf(&f, "[vfs em1#1-2]\ndriver = vfio-pci\n");
	assert_int_equal(plan(&f, host, true, &cs, &err), -EBUSY);
	assert_string_equal(err.msg, "t.conf:2: driver = vfio-pci for em1#2 (0000:01:11.0) refused: the VF is used by "
				     "guest 'web1'");
	vs_changes_free(&cs);

	fx_conf(&f, "[vfs em1#1-2]\ntrust = on\n");
	assert_int_equal(plan(&f, host, true, &cs, NULL), 0);
	assert_lines(&cs, (const char *const[]){ "em1#1 (0000:01:10.4): trust on (current settings unknown)", NULL });
	vs_changes_free(&cs);

	/* libvirt not asked: a VF on vfio-pci may be in a running guest */
	host->usage_known = false;
	fx_conf(&f, "[pf p2p1]\nnumvfs = 8\n");
	vs_error_clear(&err);
	assert_int_equal(plan(&f, host, true, &cs, &err), -EBUSY);
	assert_non_null(strstr(err.msg, "VF 0 (0000:19:10.0) is on vfio-pci and libvirt was not asked"));
	vs_changes_free(&cs);
	vs_host_free(host);
	fx_free(&f);
}

/* ---- whole runs against the fake kernel ---- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static void vf_rel(char *buf, size_t len, int i, const char *attr)
{
	snprintf(buf, len, "/sys/bus/pci/devices/" PF "/virtfn%d%s%s", i, attr ? "/" : "", attr ? attr : "");
}

static int bind_to(struct fx *f, const char *vf_dir, const char *driver)
{
	char rel[PATH_MAX + 16], target[PATH_MAX];

	snprintf(rel, sizeof(rel), "%s/driver", vf_dir);
	if (!driver) {
		ht_unlink(f->root, rel); /* unbound already is fine */
		return 0;
	}
	snprintf(target, sizeof(target), "%s/sys/bus/pci/drivers/%s", f->root, driver);
	return ht_link(f->root, rel, target);
}

/* The kernel makes VFs 0..n-1 and probes them when autoprobe is on. */
static int fk_numvfs(struct fx *f, const char *path, const char *value)
{
	long cur, n = atol(value);
	char rel[PATH_MAX], probe[8] = "";

	assert_int_equal(vs_sysfs_read_long(&f->fs, &cur, "/sys/bus/pci/devices/" PF "/sriov_numvfs"), 0);
	if (n > NVF)
		return -ERANGE;
	if (n && cur && n != cur)
		return -EBUSY;
	assert_int_equal(ht_put(f->root, path, value), 0);
	ht_get(f->root, "/sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe", probe, sizeof(probe));
	for (int i = 0; i < NVF; i++) {
		vf_rel(rel, sizeof(rel), i, NULL);
		ht_unlink(f->root, rel);
		if (i >= n)
			continue;
		assert_int_equal(ht_link(f->root, rel, f->vf_target[i]), 0);
		vf_rel(rel, sizeof(rel), i, "driver_override");
		assert_int_equal(ht_put(f->root, rel, "(null)"), 0);
		vf_rel(rel, sizeof(rel), i, NULL);
		assert_int_equal(bind_to(f, rel, strcmp(probe, "0") ? "igbvf" : NULL), 0);
	}
	return 0;
}

/* As pci_device_can_probe: a VF without an override is probed only while
 * its PF's sriov_drivers_autoprobe is on. */
static int fk_probe(struct fx *f, const char *vf)
{
	char rel[PATH_MAX], ovr[64] = "", probe[8] = "";

	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/driver_override", vf);
	ht_get(f->root, rel, ovr, sizeof(ovr));
	ht_get(f->root, "/sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe", probe, sizeof(probe));
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s", vf);
	if (strcmp(ovr, "(null)"))
		return bind_to(f, rel, ovr);
	return strcmp(probe, "0") ? bind_to(f, rel, "igbvf") : 0;
}

static int fk_write(struct vs_sriov_ctx *ctx, const char *path, const char *value)
{
	struct fx *f = ctx->data;
	char rel[PATH_MAX];

	assert_true(f->n_writes < 64);
	snprintf(f->writes[f->n_writes++], sizeof(f->writes[0]), "%s=%s", path, strcmp(value, "\n") ? value : "\\n");
	if (ends_with(path, "/sriov_numvfs"))
		return fk_numvfs(f, path, value);
	if (ends_with(path, "/driver/unbind")) {
		snprintf(rel, sizeof(rel), "%.*s", (int)(strlen(path) - strlen("/unbind")), path);
		return ht_unlink(f->root, rel);
	}
	if (!strcmp(path, "/sys/bus/pci/drivers_probe"))
		return fk_probe(f, value);
	return ht_put(f->root, path, strcmp(value, "\n") ? value : "(null)");
}

static void fk_sleep(struct vs_sriov_ctx *ctx, unsigned ms)
{
	(void)ctx;
	(void)ms;
}

/* The PF as a host has it after boot: no VFs. */
static void fx_boot_tree(struct fx *f)
{
	char rel[PATH_MAX];

	FX(f, "--pf", "addr=" PF ",total=7,num=7,netdev=em1,driver=igb,vfdriver=igbvf");
	for (int i = 0; i < NVF; i++) {
		char path[PATH_MAX];
		ssize_t n;

		vf_rel(rel, sizeof(rel), i, NULL);
		snprintf(path, sizeof(path), "%s%s", f->root, rel);
		n = readlink(path, f->vf_target[i], sizeof(f->vf_target[i]) - 1);
		assert_true(n > 0);
		f->vf_target[i][n] = '\0';
		assert_int_equal(ht_unlink(f->root, rel), 0);
	}
	assert_int_equal(ht_put(f->root, "/sys/bus/pci/devices/" PF "/sriov_numvfs", "0"), 0);
}

static int cb_scan(void *data, struct vs_host **out, struct vs_error *err)
{
	struct fx *f = data;
	struct vs_scan_opts opts = { .sysfs = &f->fs, .nl = &f->k.nl };
	int r = vs_inventory_scan(&opts, out, err);

	return r < 0 ? r : 0;
}

static void cb_report(void *data, const struct vs_change *c)
{
	struct fx *f = data;

	assert_true(f->n_reports < 32);
	vs_change_describe(c, f->reports[f->n_reports++], sizeof(f->reports[0]));
}

static int run(struct fx *f, bool dry_run, struct vs_error *err)
{
	struct vs_sriov_ctx sriov;
	struct vs_setup_env env = { .conf = &f->conf, .dry_run = dry_run, .scan = cb_scan, .nl = &f->k.nl,
				    .report = cb_report, .data = f, .sriov = &sriov };

	vs_sriov_ctx_init(&sriov, &f->fs);
	sriov.write = fk_write;
	sriov.sleep = fk_sleep;
	sriov.data = f;
	sriov.dry_run = dry_run;
	f->n_reports = 0;
	f->n_writes = 0;
	f->k.nsetlink = 0;
	return vs_setup_run(&env, err);
}

static void assert_reports(const struct fx *f, const char *const *want)
{
	int n = 0;

	for (; want[n]; n++) {
		if (n >= f->n_reports)
			fail_msg("report %d missing: %s", n, want[n]);
		if (strcmp(f->reports[n], want[n]))
			fail_msg("report %d:\n  got:  %s\n  want: %s", n, f->reports[n], want[n]);
	}
	assert_int_equal(f->n_reports, n);
}

static void assert_file(const struct fx *f, const char *rel, const char *want)
{
	char buf[256] = "";

	assert_true(ht_get(f->root, rel, buf, sizeof(buf)) >= 0);
	assert_string_equal(buf, want);
}

static const char *driver_of(struct fx *f, int i, char *buf, size_t len)
{
	char rel[PATH_MAX];

	vf_rel(rel, sizeof(rel), i, "driver");
	return vs_sysfs_link_base(&f->fs, buf, len, "%s", rel) < 0 ? "" : buf;
}

static const char boot_conf[] =
	"[pf em1]\n"
	"numvfs = 3\n"
	"drivers-autoprobe = no\n"
	"[vfs em1#0-1]\n"
	"driver = vfio-pci\n"
	"spoofchk = on\n"
	"[vfs em1#2]\n"
	"driver = host\n"
	"mac = 02:00:00:00:01:02\n"
	"spoofchk = off\n"
	"trust = on\n";

/* From a config file alone: the boot of a host, then the same again. */
static void test_run_boot(void **state)
{
	struct fx f;
	struct vs_error err = { 0 };
	char d[64];

	(void)state;
	fx_boot_tree(&f);
	fx_conf(&f, boot_conf);
	f.k.pf[0].vfs[2].mac[0] = 0x5a; /* igbvf's random MAC */

	assert_int_equal(run(&f, false, &err), 6);
	assert_reports(&f, (const char *const[]){
		"em1 (0000:01:00.0): sriov_drivers_autoprobe 1 -> 0",
		"em1 (0000:01:00.0): numvfs 0 -> 3",
		"em1#0 (0000:01:10.0): driver none -> vfio-pci",
		"em1#1 (0000:01:10.4): driver none -> vfio-pci",
		/* autoprobe off: the kernel probes the VF only for a named driver */
		"em1#2 (0000:01:11.0): driver none -> igbvf",
		"em1#2 (0000:01:11.0): mac 02:00:00:00:01:02, spoofchk off, trust on",
		NULL });
	assert_file(&f, "/sys/bus/pci/devices/" PF "/sriov_numvfs", "3");
	assert_file(&f, "/sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe", "0");
	assert_string_equal(driver_of(&f, 0, d, sizeof(d)), "vfio-pci");
	assert_string_equal(driver_of(&f, 1, d, sizeof(d)), "vfio-pci");
	assert_string_equal(driver_of(&f, 2, d, sizeof(d)), "igbvf");
	assert_file(&f, "/sys/bus/pci/devices/0000:01:10.0/driver_override", "vfio-pci");
	assert_file(&f, "/sys/bus/pci/devices/0000:01:11.0/driver_override", "igbvf");
	/* VFs 0-1 already had spoofchk on: one request for the one VF that differs */
	assert_int_equal(f.k.nsetlink, 1);
	assert_int_equal(last_setlink_vfs(&f), 1);
	assert_int_equal(f.k.pf[0].vfs[2].trust, 1);
	assert_int_equal(f.k.pf[0].vfs[2].mac[0], 0x02);
	/* autoprobe went off before the VFs were made */
	assert_string_equal(f.writes[0], "/sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe=0");
	assert_string_equal(f.writes[1], "/sys/bus/pci/devices/" PF "/sriov_numvfs=3");

	assert_int_equal(run(&f, false, &err), 0);
	assert_reports(&f, (const char *const[]){ NULL });
	assert_int_equal(f.n_writes, 0);
	assert_int_equal(f.k.nsetlink, 0);
	fx_free(&f);
}

/* Anything refused: nothing written, whatever came before it in the order. */
static void test_run_refused_writes_nothing(void **state)
{
	struct fx f;
	struct vs_error err = { 0 };
	char *before, *after;

	(void)state;
	fx_boot_tree(&f);
	fx_conf(&f, "[pf em1]\nnumvfs = 3\ndrivers-autoprobe = no\n[vfs em1#0-3]\ndriver = vfio-pci\n");
	before = ht_snapshot(f.root);
	assert_int_equal(run(&f, false, &err), -ERANGE);
	assert_non_null(strstr(err.msg, "t.conf:4: [vfs em1#0-3]: VF 3 is beyond the 3 VFs em1"));
	after = ht_snapshot(f.root);
	assert_string_equal(before, after);
	assert_int_equal(f.n_writes, 0);
	assert_int_equal(f.n_reports, 0);
	free(before);
	free(after);
	fx_free(&f);
}

/* A dry run reports the whole plan and writes nothing. */
static void test_run_dry(void **state)
{
	struct fx f;
	struct vs_error err = { 0 };
	char *before, *after;

	(void)state;
	fx_boot_tree(&f);
	fx_conf(&f, boot_conf);
	before = ht_snapshot(f.root);
	assert_int_equal(run(&f, true, &err), 8);
	assert_reports(&f, (const char *const[]){
		"em1 (0000:01:00.0): sriov_drivers_autoprobe 1 -> 0",
		"em1 (0000:01:00.0): numvfs 0 -> 3",
		"em1#0: driver none -> vfio-pci (new VF)",
		"em1#1: driver none -> vfio-pci (new VF)",
		"em1#2: driver none -> igbvf (new VF)",
		/* what new VFs start with is the driver's business: all listed */
		"em1#0: spoofchk on (current settings unknown)",
		"em1#1: spoofchk on (current settings unknown)",
		"em1#2: mac 02:00:00:00:01:02, spoofchk off, trust on (current settings unknown)",
		NULL });
	after = ht_snapshot(f.root);
	assert_string_equal(before, after);
	assert_int_equal(f.n_writes, 0);
	free(before);
	free(after);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_kind_absent_is_fine),
		cmocka_unit_test(test_host_needs_name),
		cmocka_unit_test(test_plan_order),
		cmocka_unit_test(test_plan_in_state),
		cmocka_unit_test(test_guest_holds_vf),
		cmocka_unit_test(test_run_boot),
		cmocka_unit_test(test_run_refused_writes_nothing),
		cmocka_unit_test(test_run_dry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
