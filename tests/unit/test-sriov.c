/* numvfs and bind on generated trees, with a fake "kernel" behind the write
 * hook: it enforces the kernel's rules (N -> M needs 0 first: EBUSY; above
 * sriov_totalvfs: ERANGE), creates virtfn links some polls after the write,
 * binds per driver_override at drivers_probe, and fails writes on request.
 * Time is a fake clock advanced by the sleep hook, so the timeout path runs
 * instantly and exactly. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "host-tree.h"
#include "inventory.h"
#include "sriov.h"

#define PF "0000:01:00.0"

struct fake {
	char *root;
	struct vs_sysfs fs;
	char log[32][128];          /* "PATH=VALUE" of every write that reached the kernel */
	int n_log;
	char notes[32][128];        /* what the note hook was told */
	int n_notes;
	const char *fail_suffix;    /* fail writes to a path ending so... */
	const char *fail_value;     /* ...with this value (NULL: any) */
	int fail_code;
	int appear_after;           /* sleeps before new VFs appear; -1 never */
	int appear_count;           /* how many of them appear; -1 all */
	int pending;
	int sleeps;
	long long clock;
	bool probe_binds;
	const char *host_driver;    /* what drivers_probe binds without override */
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static void fake_add_vfs(struct fake *f)
{
	int n = f->appear_count < 0 ? f->pending : f->appear_count;
	char rel[PATH_MAX], target[PATH_MAX];

	for (int i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), "/fakevf-%d", i);
		snprintf(target, sizeof(target), "%s%s", f->root, rel);
		mkdir(target, 0755);
		snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/" PF "/virtfn%d", i);
		assert_int_equal(ht_link(f->root, rel, target), 0);
	}
	f->pending = 0;
}

static int fake_numvfs(struct fake *f, const char *path, const char *value)
{
	long cur, total, n = atol(value);
	char rel[PATH_MAX];

	assert_int_equal(vs_sysfs_read_long(&f->fs, &cur, "/sys/bus/pci/devices/" PF "/sriov_numvfs"), 0);
	assert_int_equal(vs_sysfs_read_long(&f->fs, &total, "/sys/bus/pci/devices/" PF "/sriov_totalvfs"), 0);
	if (n > total)
		return -ERANGE;
	if (n != 0 && cur != 0 && n != cur)
		return -EBUSY;
	assert_int_equal(ht_put(f->root, path, value), 0);
	if (n == 0) {
		for (long i = 0; i < cur; i++) {
			snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/" PF "/virtfn%ld", i);
			ht_unlink(f->root, rel);
		}
		return 0;
	}
	f->pending = (int)n;
	if (f->appear_after == 0)
		fake_add_vfs(f);
	return 0;
}

static int fake_probe(struct fake *f, const char *vf)
{
	char ovr[64] = "", rel[PATH_MAX], target[PATH_MAX];
	const char *drv;

	if (!f->probe_binds)
		return 0;
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/driver_override", vf);
	ht_get(f->root, rel, ovr, sizeof(ovr));
	drv = ovr[0] && strcmp(ovr, "(null)") ? ovr : f->host_driver;
	snprintf(target, sizeof(target), "%s/sys/bus/pci/drivers/%s", f->root, drv ? drv : "");
	if (!drv || access(target, F_OK) < 0)
		return 0; /* no driver matched: the kernel leaves it unbound */
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/driver", vf);
	return ht_link(f->root, rel, target);
}

static int fake_write(struct vs_sriov_ctx *ctx, const char *path, const char *value)
{
	struct fake *f = ctx->data;
	char rel[PATH_MAX];

	assert_true(f->n_log < 32);
	snprintf(f->log[f->n_log++], sizeof(f->log[0]), "%s=%s", path, value);
	if (f->fail_suffix && ends_with(path, f->fail_suffix) && (!f->fail_value || !strcmp(f->fail_value, value)))
		return -f->fail_code;
	if (ends_with(path, "/sriov_numvfs"))
		return fake_numvfs(f, path, value);
	if (ends_with(path, "/driver/unbind")) {
		snprintf(rel, sizeof(rel), "%.*s", (int)(strlen(path) - strlen("/unbind")), path);
		return ht_unlink(f->root, rel);
	}
	if (!strcmp(path, "/sys/bus/pci/drivers_probe"))
		return fake_probe(f, value);
	return ht_put(f->root, path, value);
}

static void fake_sleep(struct vs_sriov_ctx *ctx, unsigned ms)
{
	struct fake *f = ctx->data;

	f->clock += ms;
	if (++f->sleeps == f->appear_after && f->pending)
		fake_add_vfs(f);
}

static long long fake_now(struct vs_sriov_ctx *ctx)
{
	return ((struct fake *)ctx->data)->clock;
}

static void fake_note(struct vs_sriov_ctx *ctx, const char *path, const char *value)
{
	struct fake *f = ctx->data;

	assert_true(f->n_notes < 32);
	snprintf(f->notes[f->n_notes++], sizeof(f->notes[0]), "%s=%s", path, value);
}

#define FAKE(f, ctx, ...) fake_init(f, ctx, (const char *const[]){ __VA_ARGS__, NULL })

static void fake_init(struct fake *f, struct vs_sriov_ctx *ctx, const char *const *args)
{
	memset(f, 0, sizeof(*f));
	f->root = ht_generate(args);
	assert_non_null(f->root);
	assert_int_equal(vs_sysfs_init(&f->fs, f->root), 0);
	f->appear_count = -1;
	f->probe_binds = true;
	vs_sriov_ctx_init(ctx, &f->fs);
	ctx->write = fake_write;
	ctx->sleep = fake_sleep;
	ctx->now_ms = fake_now;
	ctx->note = fake_note;
	ctx->data = f;
}

static void assert_contains(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("'%s' does not contain '%s'", s, part);
}

static long numvfs_now(struct fake *f)
{
	long v = -1;

	assert_int_equal(vs_sysfs_read_long(&f->fs, &v, "/sys/bus/pci/devices/" PF "/sriov_numvfs"), 0);
	return v;
}

static void test_create_waits_for_vfs(void **state)
{
	struct vs_numvfs_req req = { .pf = PF, .numvfs = 4 };
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	struct fake f;

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=0");
	f.appear_after = 3;
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), 0);
	assert_int_equal(f.n_log, 1);
	assert_string_equal(f.log[0], "/sys/bus/pci/devices/" PF "/sriov_numvfs=4");
	/* returned only once the VFs were there, not at the write */
	assert_int_equal(f.sleeps, 3);
	assert_int_equal(vs_sriov_vfs_present(&f.fs, PF, 4), 4);
	ht_remove(f.root);
}

static void test_change_goes_through_zero(void **state)
{
	struct vs_numvfs_req req = { .pf = PF, .numvfs = 4 };
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	struct fake f;

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=7");
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), 0);
	assert_int_equal(f.n_log, 2);
	assert_string_equal(f.log[0], "/sys/bus/pci/devices/" PF "/sriov_numvfs=0");
	assert_string_equal(f.log[1], "/sys/bus/pci/devices/" PF "/sriov_numvfs=4");
	assert_int_equal(numvfs_now(&f), 4);
	assert_int_equal(vs_sriov_vfs_present(&f.fs, PF, 7), 4);

	/* same count again: nothing written */
	f.n_log = 0;
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), 0);
	assert_int_equal(f.n_log, 0);

	/* down to 0: one write, no wait */
	req.numvfs = 0;
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), 0);
	assert_int_equal(f.n_log, 1);
	assert_int_equal(vs_sriov_vfs_present(&f.fs, PF, 4), 0);
	ht_remove(f.root);
}

static void test_no_autoprobe_before_creating(void **state)
{
	struct vs_numvfs_req req = { .pf = PF, .numvfs = 2, .no_autoprobe = true };
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	char buf[16];
	struct fake f;

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=3,autoprobe=1");
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), 0);
	assert_int_equal(f.n_log, 3);
	assert_string_equal(f.log[0], "/sys/bus/pci/devices/" PF "/sriov_numvfs=0");
	assert_string_equal(f.log[1], "/sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe=0");
	assert_string_equal(f.log[2], "/sys/bus/pci/devices/" PF "/sriov_numvfs=2");
	assert_int_equal(ht_get(f.root, "/sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "0");
	ht_remove(f.root);
}

static void test_above_totalvfs_writes_nothing(void **state)
{
	struct vs_numvfs_req req = { .pf = PF, .numvfs = 8 };
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	char *before, *after;
	struct fake f;

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=7");
	before = ht_snapshot(f.root);
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), -ERANGE);
	assert_contains(err.msg, PF);
	assert_contains(err.msg, "8 VFs requested");
	assert_contains(err.msg, "at most 7");
	assert_int_equal(f.n_log, 0);
	assert_int_equal(f.n_notes, 0);
	after = ht_snapshot(f.root);
	assert_string_equal(before, after);
	free(before);
	free(after);

	vs_error_clear(&err);
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &(struct vs_numvfs_req){ .pf = "0000:09:00.0", .numvfs = 1 }, &err),
			 -ENODEV);
	assert_contains(err.msg, "0000:09:00.0: not an SR-IOV PF");
	ht_remove(f.root);
}

/* Each errno the kernel gives for sriov_numvfs, and what the user reads. */
static void test_kernel_refusals(void **state)
{
	static const struct {
		const char *value;
		int code;
		const char *meaning;
		const char *left;
	} cases[] = {
		{ "0", EBUSY, "VFs are in use (bound to vfio-pci or held by a guest)", "now has 7 VFs" },
		{ "3", ERANGE, "more VFs than the PF allows", "now has 0 VFs" },
		{ "3", EINVAL, "refused this count", "now has 0 VFs" },
		{ "3", ENOMEM, "pci=realloc", "now has 0 VFs" },
		{ "0", ENOENT, "no driver is bound to the PF", "now has 7 VFs" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct vs_numvfs_req req = { .pf = PF, .numvfs = 3 };
		struct vs_error err = { 0 };
		struct vs_sriov_ctx ctx;
		struct fake f;

		FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=7");
		f.fail_suffix = "/sriov_numvfs";
		f.fail_value = cases[i].value;
		f.fail_code = cases[i].code;
		assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), -cases[i].code);
		assert_contains(err.msg, PF);
		assert_contains(err.msg, cases[i].meaning);
		assert_contains(err.msg, cases[i].left);
		assert_int_equal(numvfs_now(&f), !strcmp(cases[i].value, "0") ? 7 : 0);
		ht_remove(f.root);
	}
}

static void test_timeout(void **state)
{
	struct vs_numvfs_req req = { .pf = PF, .numvfs = 4, .timeout_ms = 2000 };
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	struct fake f;

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=0");
	f.appear_after = 1;
	f.appear_count = 2; /* the driver made only 2 of them */
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), -ETIMEDOUT);
	assert_contains(err.msg, "only 2 of 4 VFs appeared within 2000 ms");
	/* bounded: it polled until the deadline and then stopped */
	assert_int_equal(f.clock, 2000);
	assert_int_equal(f.sleeps, 2000 / VS_NUMVFS_POLL_MS);
	ht_remove(f.root);

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=0");
	f.appear_after = -1;
	vs_error_clear(&err);
	req.timeout_ms = 0; /* the default */
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), -ETIMEDOUT);
	assert_int_equal(f.clock, VS_NUMVFS_TIMEOUT_MS);
	assert_contains(err.msg, "only 0 of 4");
	ht_remove(f.root);
}

/* The wait tells its caller (which may draw a progress line) only once it
 * has lasted a second, then at most five times a second, and once at the
 * end; a short wait is never told. */
struct told {
	long long at[64];
	int have[64];
	bool done[64];
	int n;
};

static void record_progress(struct vs_sriov_ctx *ctx, const char *pf, int have, int want, bool done)
{
	struct told *t = ctx->progress_data;

	assert_string_equal(pf, PF);
	assert_int_equal(want, 4);
	assert_true(t->n < 64);
	t->at[t->n] = fake_now(ctx);
	t->have[t->n] = have;
	t->done[t->n++] = done;
}

static void test_wait_progress(void **state)
{
	struct vs_numvfs_req req = { .pf = PF, .numvfs = 4, .timeout_ms = 2000 };
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	struct told t = { 0 };
	struct fake f;

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=0");
	ctx.progress = record_progress;
	ctx.progress_data = &t;
	f.appear_after = 1500 / VS_NUMVFS_POLL_MS;
	f.appear_count = 2;
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), -ETIMEDOUT);
	assert_int_equal(t.n, 6);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(t.at[i], 1000 + 200 * i);
		assert_false(t.done[i]);
	}
	assert_int_equal(t.have[0], 0);
	assert_int_equal(t.have[4], 2);
	assert_true(t.done[5]);
	assert_int_equal(t.at[5], 2000);
	ht_remove(f.root);

	/* VFs there within the second: never told */
	memset(&t, 0, sizeof(t));
	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=0");
	ctx.progress = record_progress;
	ctx.progress_data = &t;
	f.appear_after = 3;
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), 0);
	assert_int_equal(t.n, 0);
	ht_remove(f.root);

	/* told, then the VFs came: the end is told with all of them */
	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=0");
	ctx.progress = record_progress;
	ctx.progress_data = &t;
	f.appear_after = 1100 / VS_NUMVFS_POLL_MS;
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), 0);
	assert_int_equal(t.n, 2);
	assert_false(t.done[0]);
	assert_true(t.done[1]);
	assert_int_equal(t.have[1], 4);
	ht_remove(f.root);
}

static void test_numvfs_dry_run(void **state)
{
	struct vs_numvfs_req req = { .pf = PF, .numvfs = 2, .no_autoprobe = true };
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	char *before, *after;
	struct fake f;

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=7");
	ctx.dry_run = true;
	before = ht_snapshot(f.root);
	assert_int_equal(vs_sriov_set_numvfs(&ctx, &req, &err), 0);
	after = ht_snapshot(f.root);
	assert_string_equal(before, after);
	assert_int_equal(f.n_log, 0);
	assert_int_equal(f.n_notes, 3);
	assert_string_equal(f.notes[0], "/sys/bus/pci/devices/" PF "/sriov_numvfs=0");
	assert_string_equal(f.notes[1], "/sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe=0");
	assert_string_equal(f.notes[2], "/sys/bus/pci/devices/" PF "/sriov_numvfs=2");
	assert_int_equal(f.sleeps, 0);
	free(before);
	free(after);
	ht_remove(f.root);
}

static void test_vfs_in_use(void **state)
{
	struct vs_vf vfs[4] = { { .index = 0, .address = "0000:01:10.0" }, { .index = 1, .address = "0000:01:10.1" },
				{ .index = 2, .address = "0000:01:10.2" }, { .index = 3, .address = "0000:01:10.3" } };
	struct vs_pf pf = { .address = PF, .numvfs = 4, .totalvfs = 7, .vfs = vfs, .n_vfs = 4 };
	struct vs_error err = { 0 };

	assert_int_equal(vs_sriov_check_vfs_free(&pf, 2, &err), 0);
	vfs[3].in_use_by = "guest1";
	assert_int_equal(vs_sriov_check_vfs_free(&pf, 4, &err), 0);
	/* raising the count also re-creates every VF */
	assert_int_equal(vs_sriov_check_vfs_free(&pf, 6, &err), -EBUSY);
	assert_contains(err.msg, "0000:01:10.3");
	assert_contains(err.msg, "guest1");
	assert_contains(err.msg, "from 4 to 6");
	assert_contains(err.msg, "--force");
}

static const char *vf_of(struct fake *f, int i, char *buf, size_t len)
{
	assert_int_equal(vs_sysfs_link_base(&f->fs, buf, len, "/sys/bus/pci/devices/" PF "/virtfn%d", i), 0);
	return buf;
}

static const char *driver_of(struct fake *f, const char *vf, char *buf, size_t len)
{
	if (vs_sysfs_link_base(&f->fs, buf, len, "/sys/bus/pci/devices/%s/driver", vf) < 0)
		buf[0] = '\0';
	return buf;
}

static void test_bind_vfio(void **state)
{
	char vf[32], drv[64], want[3][128];
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	struct fake f;

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=2,driver=igb,vfdriver=igbvf");
	vf_of(&f, 0, vf, sizeof(vf));
	assert_string_equal(driver_of(&f, vf, drv, sizeof(drv)), "igbvf");
	assert_int_equal(vs_sriov_bind(&ctx, &(struct vs_bind_req){ .vf = vf, .driver = "vfio-pci" }, &err), 0);
	snprintf(want[0], sizeof(want[0]), "/sys/bus/pci/devices/%s/driver_override=vfio-pci", vf);
	snprintf(want[1], sizeof(want[1]), "/sys/bus/pci/devices/%s/driver/unbind=%s", vf, vf);
	snprintf(want[2], sizeof(want[2]), "/sys/bus/pci/drivers_probe=%s", vf);
	assert_int_equal(f.n_log, 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(f.log[i], want[i]);
	assert_string_equal(driver_of(&f, vf, drv, sizeof(drv)), "vfio-pci");

	/* already there: nothing written */
	f.n_log = 0;
	assert_int_equal(vs_sriov_bind(&ctx, &(struct vs_bind_req){ .vf = vf, .driver = "vfio-pci" }, &err), 0);
	assert_int_equal(f.n_log, 0);

	/* and back to the host driver the PF's driver implies */
	f.host_driver = "igbvf";
	assert_int_equal(vs_sriov_bind(&ctx, &(struct vs_bind_req){ .vf = vf, .driver = "host", .pf_driver = "igb" },
				       &err), 0);
	assert_int_equal(f.n_log, 3);
	assert_string_equal(f.log[0] + strlen(f.log[0]) - 2, "=\n");
	assert_string_equal(driver_of(&f, vf, drv, sizeof(drv)), "igbvf");
	ht_remove(f.root);
}

static void test_bind_host(void **state)
{
	struct vs_bind_req req = { .driver = "host", .pf_driver = "igb" };
	char vf[32], drv[64], ovr[PATH_MAX];
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	struct fake f;

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=2,driver=igb,vfdriver=igbvf,vfio=1");
	req.vf = vf_of(&f, 0, vf, sizeof(vf));
	assert_string_equal(driver_of(&f, vf, drv, sizeof(drv)), "vfio-pci");
	f.host_driver = "igbvf";
	assert_int_equal(vs_sriov_bind(&ctx, &req, &err), 0);
	assert_string_equal(driver_of(&f, vf, drv, sizeof(drv)), "igbvf");
	snprintf(ovr, sizeof(ovr), "/sys/bus/pci/devices/%s/driver_override", vf);
	assert_int_equal(ht_get(f.root, ovr, drv, sizeof(drv)), 0);
	ht_remove(f.root);

	/* igbvf not loaded: the VF ends up with no driver, and the user is told which one */
	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=2,driver=igb,vfdriver=igbvf,vfio=1");
	req.vf = vf_of(&f, 0, vf, sizeof(vf));
	f.host_driver = NULL;
	vs_error_clear(&err);
	assert_int_equal(vs_sriov_bind(&ctx, &req, &err), -ENODEV);
	assert_contains(err.msg, vf);
	assert_contains(err.msg, "igbvf did not bind");
	assert_contains(err.msg, "modprobe igbvf");
	ht_remove(f.root);
}

/* The kernel probes a VF of a PF with sriov_drivers_autoprobe=0 only when it
 * has an override: "host" must name the VF driver rather than clear it. */
static void test_bind_host_without_autoprobe(void **state)
{
	struct vs_bind_req req = { .driver = "host", .pf_driver = "igb" };
	char vf[32], drv[64], ovr[PATH_MAX];
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	struct fake f;

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=2,driver=igb,vfdriver=igbvf,vfio=1,autoprobe=0");
	req.vf = vf_of(&f, 0, vf, sizeof(vf));
	f.host_driver = "igbvf";
	assert_int_equal(vs_sriov_bind(&ctx, &req, &err), 0);
	assert_string_equal(driver_of(&f, vf, drv, sizeof(drv)), "igbvf");
	snprintf(ovr, sizeof(ovr), "/sys/bus/pci/devices/%s/driver_override", vf);
	assert_int_equal(ht_get(f.root, ovr, drv, sizeof(drv)), 5);
	assert_string_equal(drv, "igbvf");
	ht_remove(f.root);

	/* a PF driver whose VF driver is unknown: refused before any write */
	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=2,driver=igb,vfdriver=igbvf,vfio=1,autoprobe=0");
	req.vf = vf_of(&f, 0, vf, sizeof(vf));
	req.pf_driver = "mystery";
	vs_error_clear(&err);
	assert_int_equal(vs_sriov_bind(&ctx, &req, &err), -EINVAL);
	assert_contains(err.msg, "sriov_drivers_autoprobe is 0");
	assert_contains(err.msg, "--driver");
	assert_string_equal(driver_of(&f, vf, drv, sizeof(drv)), "vfio-pci");
	ht_remove(f.root);
}

static void test_bind_vfio_not_loaded(void **state)
{
	char vf[32], drv[64], *before, *after;
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	struct fake f;

	/* no vfio-pci driver at all: refused before anything is written */
	FAKE(&f, &ctx, "--no-vfio-pci", "--pf", "addr=" PF ",total=7,num=2,driver=igb,vfdriver=igbvf");
	vf_of(&f, 0, vf, sizeof(vf));
	before = ht_snapshot(f.root);
	assert_int_equal(vs_sriov_bind(&ctx, &(struct vs_bind_req){ .vf = vf, .driver = "vfio-pci" }, &err), -ENOENT);
	assert_contains(err.msg, vf);
	assert_contains(err.msg, "modprobe vfio-pci");
	assert_contains(err.msg, "nothing changed");
	assert_int_equal(f.n_log, 0);
	after = ht_snapshot(f.root);
	assert_string_equal(before, after);
	free(before);
	free(after);
	ht_remove(f.root);

	/* the driver is there but its probe does not take the VF (IOMMU off) */
	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=2,driver=igb,vfdriver=igbvf");
	vf_of(&f, 0, vf, sizeof(vf));
	f.probe_binds = false;
	vs_error_clear(&err);
	assert_int_equal(vs_sriov_bind(&ctx, &(struct vs_bind_req){ .vf = vf, .driver = "vfio-pci" }, &err), -ENODEV);
	assert_contains(err.msg, vf);
	assert_contains(err.msg, "vfio-pci did not bind (is the vfio-pci module loaded? modprobe vfio-pci");
	assert_string_equal(driver_of(&f, vf, drv, sizeof(drv)), "");
	ht_remove(f.root);
}

static void test_bind_dry_run(void **state)
{
	char vf[32], *before, *after;
	struct vs_error err = { 0 };
	struct vs_sriov_ctx ctx;
	struct fake f;

	FAKE(&f, &ctx, "--pf", "addr=" PF ",total=7,num=2,driver=igb,vfdriver=igbvf");
	ctx.dry_run = true;
	vf_of(&f, 1, vf, sizeof(vf));
	before = ht_snapshot(f.root);
	assert_int_equal(vs_sriov_bind(&ctx, &(struct vs_bind_req){ .vf = vf, .driver = "vfio-pci" }, &err), 0);
	after = ht_snapshot(f.root);
	assert_string_equal(before, after);
	assert_int_equal(f.n_log, 0);
	assert_int_equal(f.n_notes, 3);
	assert_contains(f.notes[2], "/sys/bus/pci/drivers_probe=");
	free(before);
	free(after);

	vs_error_clear(&err);
	assert_int_equal(vs_sriov_bind(&ctx, &(struct vs_bind_req){ .vf = vf, .driver = "../evil" }, &err), -EINVAL);
	assert_contains(err.msg, "'../evil' is not a driver name");
	ht_remove(f.root);
}

static void test_vf_driver_table(void **state)
{
	assert_string_equal(vs_sriov_vf_driver_for("igb"), "igbvf");
	assert_string_equal(vs_sriov_vf_driver_for("ixgbe"), "ixgbevf");
	assert_string_equal(vs_sriov_vf_driver_for("ice"), "iavf");
	assert_null(vs_sriov_vf_driver_for("nosuchdriver"));
	assert_null(vs_sriov_vf_driver_for(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_waits_for_vfs),
		cmocka_unit_test(test_change_goes_through_zero),
		cmocka_unit_test(test_no_autoprobe_before_creating),
		cmocka_unit_test(test_bind_host_without_autoprobe),
		cmocka_unit_test(test_above_totalvfs_writes_nothing),
		cmocka_unit_test(test_kernel_refusals),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_wait_progress),
		cmocka_unit_test(test_numvfs_dry_run),
		cmocka_unit_test(test_vfs_in_use),
		cmocka_unit_test(test_bind_vfio),
		cmocka_unit_test(test_bind_host),
		cmocka_unit_test(test_bind_vfio_not_loaded),
		cmocka_unit_test(test_bind_dry_run),
		cmocka_unit_test(test_vf_driver_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
