#include "config.h"

#include <limits.h>
#include <string.h>
#include <time.h>

#include "sriov.h"
#include "vflocate.h"

void vs_sriov_ctx_init(struct vs_sriov_ctx *ctx, const struct vs_sysfs *sysfs)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->sysfs = sysfs;
	ctx->poll_ms = VS_NUMVFS_POLL_MS;
}

int vs_sriov_write(struct vs_sriov_ctx *ctx, const char *value, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	if (ctx->note)
		ctx->note(ctx, path, value);
	if (ctx->dry_run)
		return 0;
	if (ctx->write)
		return ctx->write(ctx, path, value);
	return vs_sysfs_write(ctx->sysfs, value, "%s", path);
}

static long long now_ms(struct vs_sriov_ctx *ctx)
{
	struct timespec ts;

	if (ctx->now_ms)
		return ctx->now_ms(ctx);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(struct vs_sriov_ctx *ctx, unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	if (ctx->sleep) {
		ctx->sleep(ctx, ms);
		return;
	}
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* What a refused sriov_numvfs write means, in the kernel's and the PF
 * drivers' use of these codes (drivers/pci/iov.c sriov_numvfs_store). */
static const struct {
	int code;
	const char *meaning;
} numvfs_errors[] = {
	{ EBUSY, "VFs are in use (bound to vfio-pci or held by a guest)" },
	{ EPERM, "the PF driver refuses while VFs are assigned to guests" },
	{ ERANGE, "more VFs than the PF allows (sriov_totalvfs)" },
	{ EINVAL, "the PF driver or its firmware refused this count" },
	{ ENOMEM, "not enough bus numbers, MMIO space or memory for the VFs "
		  "(enable SR-IOV in the BIOS/UEFI setup, or boot with pci=realloc)" },
	{ ENOENT, "no driver is bound to the PF, or its driver cannot create VFs through sysfs" },
	{ EIO, "the device or its firmware failed (see dmesg)" },
	{ EACCES, "permission denied (run as root)" },
};

static const char *numvfs_meaning(int code)
{
	for (size_t i = 0; i < ELEMENTSOF(numvfs_errors); i++)
		if (numvfs_errors[i].code == -code)
			return numvfs_errors[i].meaning;
	return strerror(-code);
}

static int numvfs_write(struct vs_sriov_ctx *ctx, const char *pf, int n, int now, struct vs_error *err)
{
	char value[16];
	int r;

	snprintf(value, sizeof(value), "%d", n);
	r = vs_sriov_write(ctx, value, "/sys/bus/pci/devices/%s/sriov_numvfs", pf);
	if (r < 0)
		return vs_error_set(err, r, "%s: writing sriov_numvfs=%d failed: %s (%s); the PF now has %d VFs",
				    pf, n, numvfs_meaning(r), strerror(-r), now);
	return 0;
}

int vs_sriov_vfs_present(const struct vs_sysfs *sysfs, const char *pf, int n)
{
	int count = 0;

	for (int i = 0; i < n; i++) {
		int r = vs_sysfs_exists(sysfs, "/sys/bus/pci/devices/%s/virtfn%d", pf, i);

		if (r < 0)
			return r;
		count += r;
	}
	return count;
}

struct wait {
	long long start, told;        /* told: when progress was last called; -1 never */
};

static void tell(struct vs_sriov_ctx *ctx, struct wait *w, const char *pf, int have, int n, bool done)
{
	long long t = now_ms(ctx);

	if (!ctx->progress || (done && w->told < 0))
		return;
	if (!done && (t - w->start < VS_NUMVFS_PROGRESS_AFTER_MS ||
		      (w->told >= 0 && t - w->told < VS_NUMVFS_PROGRESS_EVERY_MS)))
		return;
	w->told = t;
	ctx->progress(ctx, pf, have, n, done);
}

static int wait_vfs(struct vs_sriov_ctx *ctx, const char *pf, int n, unsigned timeout_ms, struct vs_error *err)
{
	struct wait w = { .start = now_ms(ctx), .told = -1 };
	long long deadline = w.start + timeout_ms;

	for (;;) {
		int have = vs_sriov_vfs_present(ctx->sysfs, pf, n);
		bool late = now_ms(ctx) >= deadline;

		if (have < 0 || have == n || late)
			tell(ctx, &w, pf, have, n, true);
		if (have < 0)
			return vs_error_set(err, have, "%s: looking for its VFs: %s", pf, strerror(-have));
		if (have == n)
			return 0;
		if (late)
			return vs_error_set(err, -ETIMEDOUT,
					    "%s: only %d of %d VFs appeared within %u ms (sriov_numvfs is written; "
					    "see dmesg, or wait longer with --timeout)", pf, have, n, timeout_ms);
		tell(ctx, &w, pf, have, n, false);
		sleep_ms(ctx, ctx->poll_ms ? ctx->poll_ms : VS_NUMVFS_POLL_MS);
	}
}

static int read_counts(struct vs_sriov_ctx *ctx, const char *pf, long *total, long *cur, struct vs_error *err)
{
	int r = vs_sysfs_read_long(ctx->sysfs, total, "/sys/bus/pci/devices/%s/sriov_totalvfs", pf);

	if (r == -ENOENT)
		return vs_error_set(err, -ENODEV, "%s: not an SR-IOV PF (no sriov_totalvfs)", pf);
	if (r < 0)
		return vs_error_set(err, r, "%s: reading sriov_totalvfs: %s", pf, strerror(-r));
	r = vs_sysfs_read_long(ctx->sysfs, cur, "/sys/bus/pci/devices/%s/sriov_numvfs", pf);
	if (r < 0)
		return vs_error_set(err, r, "%s: reading sriov_numvfs: %s", pf, strerror(-r));
	return 0;
}

static int create_vfs(struct vs_sriov_ctx *ctx, const struct vs_numvfs_req *req, struct vs_error *err)
{
	int r;

	if (req->no_autoprobe) {
		r = vs_sriov_write(ctx, "0", "/sys/bus/pci/devices/%s/sriov_drivers_autoprobe", req->pf);
		if (r < 0)
			return vs_error_set(err, r, "%s: writing sriov_drivers_autoprobe=0 failed: %s; the PF now has 0 VFs",
					    req->pf, strerror(-r));
	}
	return numvfs_write(ctx, req->pf, req->numvfs, 0, err);
}

int vs_sriov_set_numvfs(struct vs_sriov_ctx *ctx, const struct vs_numvfs_req *req, struct vs_error *err)
{
	unsigned timeout = req->timeout_ms ? req->timeout_ms : VS_NUMVFS_TIMEOUT_MS;
	long total, cur;
	int r;

	r = read_counts(ctx, req->pf, &total, &cur, err);
	if (r < 0)
		return r;
	if (req->numvfs < 0)
		return vs_error_set(err, -EINVAL, "%s: %d is not a VF count", req->pf, req->numvfs);
	if (req->numvfs > total)
		return vs_error_set(err, -ERANGE, "%s: %d VFs requested, the PF allows at most %ld (sriov_totalvfs)",
				    req->pf, req->numvfs, total);
	if (cur != req->numvfs) {
		/* the kernel refuses N -> M with EBUSY: every VF goes first */
		if (cur != 0) {
			r = numvfs_write(ctx, req->pf, 0, (int)cur, err);
			if (r < 0)
				return r;
		}
		if (req->numvfs > 0) {
			r = create_vfs(ctx, req, err);
			if (r < 0)
				return r;
		}
	}
	if (ctx->dry_run || req->numvfs == 0)
		return 0;
	return wait_vfs(ctx, req->pf, req->numvfs, timeout, err);
}

int vs_sriov_check_vfs_free(const struct vs_pf *pf, int new_numvfs, struct vs_error *err)
{
	if (pf->numvfs == new_numvfs)
		return 0;
	for (size_t i = 0; i < pf->n_vfs; i++) {
		const struct vs_vf *vf = &pf->vfs[i];

		if (!vf->in_use_by)
			continue;
		return vs_error_set(err, -EBUSY,
				    "%s: VF %u (%s) is used by guest '%s'; changing numvfs from %d to %d "
				    "removes every VF first (detach it, or use --force)",
				    pf->address, vf->index, vf->address, vf->in_use_by, pf->numvfs, new_numvfs);
	}
	return 0;
}

static const struct {
	const char *pf, *vf;
} vf_drivers[] = {
	{ "igb", "igbvf" },       { "ixgbe", "ixgbevf" },   { "i40e", "iavf" },
	{ "ice", "iavf" },        { "mlx5_core", "mlx5_core" }, { "mlx4_core", "mlx4_core" },
	{ "bnxt_en", "bnxt_en" }, { "qede", "qede" },       { "hinic", "hinic" },
	{ "nvme", "nvme" },       { "enic", "enic" },       { "sfc", "sfc" },
	{ "cxgb4", "cxgb4vf" },   { "be2net", "be2net" },   { "liquidio", "liquidio_vf" },
};

const char *vs_sriov_vf_driver_for(const char *pf_driver)
{
	if (!pf_driver)
		return NULL;
	for (size_t i = 0; i < ELEMENTSOF(vf_drivers); i++)
		if (!strcmp(vf_drivers[i].pf, pf_driver))
			return vf_drivers[i].vf;
	return NULL;
}

struct bind_state {
	char driver[VS_DRIVER_MAX];    /* "" unbound */
	char override[VS_DRIVER_MAX];  /* "" none */
};

static int read_bind_state(const struct vs_sysfs *s, const char *vf, struct bind_state *st, struct vs_error *err)
{
	int r = vs_sysfs_link_base(s, st->driver, sizeof(st->driver), "/sys/bus/pci/devices/%s/driver", vf);

	if (r == -ENOENT)
		st->driver[0] = '\0';
	else if (r < 0)
		return vs_error_set(err, r, "%s: reading its driver: %s", vf, strerror(-r));
	if (vs_sysfs_exists(s, "/sys/bus/pci/devices/%s", vf) != 1)
		return vs_error_set(err, -ENODEV, "%s: no such PCI device", vf);
	r = vs_sysfs_read(s, st->override, sizeof(st->override), "/sys/bus/pci/devices/%s/driver_override", vf);
	/* kernels before 3.16 (and some captured trees) have no override */
	if (r == -ENOENT)
		st->override[0] = '\0';
	else if (r < 0)
		return vs_error_set(err, r, "%s: reading driver_override: %s", vf, strerror(-r));
	/* the kernel shows an empty override as "(null)" */
	if (!strcmp(st->override, "(null)"))
		st->override[0] = '\0';
	return 0;
}

static bool is_host(const struct vs_bind_req *req)
{
	return !strcmp(req->driver, VS_DRIVER_HOST);
}

/* Already where the request wants it: nothing to write. */
static bool bind_done(const struct vs_bind_req *req, const struct bind_state *st)
{
	const char *expect;

	if (!is_host(req))
		return !strcmp(st->driver, req->driver) && !strcmp(st->override, req->driver);
	if (st->override[0] || !st->driver[0])
		return false;
	expect = vs_sriov_vf_driver_for(req->pf_driver);
	return expect ? !strcmp(st->driver, expect) : strcmp(st->driver, "vfio-pci") != 0;
}

static int bind_refuse_early(struct vs_sriov_ctx *ctx, const struct vs_bind_req *req, struct vs_error *err)
{
	int r;

	if (!req->driver[0] || strchr(req->driver, '/') || strlen(req->driver) >= VS_DRIVER_MAX)
		return vs_error_set(err, -EINVAL, "%s: '%s' is not a driver name", req->vf, req->driver);
	if (is_host(req))
		return 0;
	/* unbinding first and then finding no driver would leave the VF with none */
	r = vs_sysfs_exists(ctx->sysfs, "/sys/bus/pci/drivers/%s", req->driver);
	if (r == 0)
		return vs_error_set(err, -ENOENT, "%s: driver %s is not loaded (modprobe %s); nothing changed",
				    req->vf, req->driver, req->driver);
	return r < 0 ? vs_error_set(err, r, "%s: looking for driver %s: %s", req->vf, req->driver, strerror(-r)) : 0;
}

static int bind_verify(struct vs_sriov_ctx *ctx, const struct vs_bind_req *req, int probe_r, struct vs_error *err)
{
	struct bind_state st;
	const char *want = is_host(req) ? vs_sriov_vf_driver_for(req->pf_driver) : req->driver;
	char why[160] = "";
	int r = read_bind_state(ctx->sysfs, req->vf, &st, err);

	if (r < 0)
		return r;
	if (bind_done(req, &st))
		return 0;
	if (probe_r < 0)
		snprintf(why, sizeof(why), "drivers_probe: %s; ", strerror(-probe_r));
	if (st.driver[0])
		return vs_error_set(err, -ENODEV, "%s: bound to %s, not %s (%sdriver_override is '%s')",
				    req->vf, st.driver, want ? want : "the host VF driver", why, st.override);
	if (!want)
		return vs_error_set(err, -ENODEV, "%s: no driver took the VF back (%sload the VF driver of its PF)",
				    req->vf, why);
	if (!strcmp(want, "vfio-pci"))
		return vs_error_set(err, -ENODEV, "%s: vfio-pci did not bind (%sis the vfio-pci module loaded? "
				    "modprobe vfio-pci; is the IOMMU on? see virt-sriov check)", req->vf, why);
	return vs_error_set(err, -ENODEV, "%s: %s did not bind (%sis the %s module loaded? modprobe %s)",
			    req->vf, want, why, want, want);
}

/* With sriov_drivers_autoprobe=0 on the PF the kernel probes a VF only when
 * it has a driver_override, so "back to the host" must name the VF driver
 * instead of clearing the override. */
static int host_driver_for_noautoprobe(struct vs_sriov_ctx *ctx, const struct vs_bind_req *req,
				       struct vs_bind_req *out, struct vs_error *err)
{
	char pf[VS_PCI_ADDR_MAX];
	long autoprobe;

	*out = *req;
	if (!is_host(req) ||
	    vs_vf_physfn(ctx->sysfs, req->vf, pf) < 0 ||
	    vs_sysfs_read_long(ctx->sysfs, &autoprobe, "/sys/bus/pci/devices/%s/sriov_drivers_autoprobe", pf) < 0 ||
	    autoprobe != 0)
		return 0;
	out->driver = vs_sriov_vf_driver_for(req->pf_driver);
	if (!out->driver)
		return vs_error_set(err, -EINVAL, "%s: sriov_drivers_autoprobe is 0 on its PF %s and the VF driver of %s "
				    "is not known: name it with --driver", req->vf, pf, req->pf_driver ? req->pf_driver : "the PF");
	return 0;
}

int vs_sriov_bind(struct vs_sriov_ctx *ctx, const struct vs_bind_req *orig, struct vs_error *err)
{
	struct vs_bind_req host_req, *req = &host_req;
	struct bind_state st;
	int r;

	r = host_driver_for_noautoprobe(ctx, orig, &host_req, err);
	if (r < 0)
		return r;
	r = bind_refuse_early(ctx, req, err);
	if (r < 0)
		return r;
	r = read_bind_state(ctx->sysfs, req->vf, &st, err);
	if (r < 0 || bind_done(req, &st))
		return r;
	/* "\n" is how the kernel is told to forget an override */
	r = vs_sriov_write(ctx, is_host(req) ? "\n" : req->driver, "/sys/bus/pci/devices/%s/driver_override", req->vf);
	if (r < 0)
		return vs_error_set(err, r, "%s: writing driver_override=%s: %s", req->vf, req->driver, strerror(-r));
	/* bound right but without the override: keep the binding, pin it */
	if (!is_host(req) && !strcmp(st.driver, req->driver))
		return 0;
	if (st.driver[0]) {
		r = vs_sriov_write(ctx, req->vf, "/sys/bus/pci/devices/%s/driver/unbind", req->vf);
		if (r < 0)
			return vs_error_set(err, r, "%s: unbinding from %s: %s (driver_override is now set)",
					    req->vf, st.driver, strerror(-r));
	}
	r = vs_sriov_write(ctx, req->vf, "/sys/bus/pci/drivers_probe");
	if (ctx->dry_run)
		return 0;
	return bind_verify(ctx, req, r, err);
}
