/* Changing the number of VFs of a PF and binding VFs to drivers, through
 * sysfs under the invocation's root.
 *
 * The kernel is reached only through the hooks of struct vs_sriov_ctx (sysfs
 * write, sleep, clock).  NULL hooks mean the real thing; tests put a fake
 * "kernel" there that creates virtfn links or driver links when it sees a
 * write, or fails the write with the errno a real kernel gives. */
#pragma once

#include <stdbool.h>

#include "inventory.h"
#include "sysfs.h"
#include "util.h"

#define VS_NUMVFS_TIMEOUT_MS 10000
#define VS_NUMVFS_POLL_MS 50
/* A wait is told about after a second, then at most every 200 ms. */
#define VS_NUMVFS_PROGRESS_AFTER_MS 1000
#define VS_NUMVFS_PROGRESS_EVERY_MS 200

struct vs_sriov_ctx;

/* Make one write; returns 0 or a negative errno (what write(2) gave). */
typedef int (*vs_sriov_write_fn)(struct vs_sriov_ctx *ctx, const char *path, const char *value);
typedef void (*vs_sriov_sleep_fn)(struct vs_sriov_ctx *ctx, unsigned ms);
typedef long long (*vs_sriov_clock_fn)(struct vs_sriov_ctx *ctx);
/* Told about every write before it is made (and in a dry run instead). */
typedef void (*vs_sriov_note_fn)(struct vs_sriov_ctx *ctx, const char *path, const char *value);
/* The wait for a PF's new VFs (pf: its address): have of want exist.  Told
 * only once the wait has lasted VS_NUMVFS_PROGRESS_AFTER_MS, then at most
 * every VS_NUMVFS_PROGRESS_EVERY_MS, and then once with done set when the
 * wait ends either way (to clear what it showed). */
typedef void (*vs_sriov_progress_fn)(struct vs_sriov_ctx *ctx, const char *pf, int have, int want, bool done);

struct vs_sriov_ctx {
	const struct vs_sysfs *sysfs;
	bool dry_run;              /* note the writes, make none, do not wait */
	unsigned poll_ms;
	vs_sriov_write_fn write;   /* NULL: vs_sysfs_write under sysfs */
	vs_sriov_sleep_fn sleep;   /* NULL: nanosleep */
	vs_sriov_clock_fn now_ms;  /* NULL: CLOCK_MONOTONIC */
	vs_sriov_note_fn note;     /* NULL: not told */
	void *data;                /* for the hooks */
	vs_sriov_progress_fn progress;  /* NULL: not told (the library never prints) */
	void *progress_data;
};

void vs_sriov_ctx_init(struct vs_sriov_ctx *ctx, const struct vs_sysfs *sysfs);

struct vs_numvfs_req {
	const char *pf;            /* PCI address */
	int numvfs;
	bool no_autoprobe;         /* sriov_drivers_autoprobe=0 before creating */
	unsigned timeout_ms;       /* 0: VS_NUMVFS_TIMEOUT_MS */
};

/* Set sriov_numvfs, through 0 when changing a non-zero count, and wait until
 * virtfn0..N-1 exist with their devices.  Refuses N above sriov_totalvfs
 * before writing anything (-ERANGE).  A kernel refusal comes back as its
 * errno with a message saying what it means; a timeout as -ETIMEDOUT. */
int vs_sriov_set_numvfs(struct vs_sriov_ctx *ctx, const struct vs_numvfs_req *req, struct vs_error *err);

/* Count of virtfnI (I < n) that exist with their target; n when all do. */
int vs_sriov_vfs_present(const struct vs_sysfs *sysfs, const char *pf, int n);

/* Before removing or re-creating the VFs of pf (every VF goes away when a
 * non-zero count changes): -EBUSY naming the first VF a guest uses. */
int vs_sriov_check_vfs_free(const struct vs_pf *pf, int new_numvfs, struct vs_error *err);

/* "host" as a driver name: clear driver_override and let the PF's VF driver
 * take the VF back. */
#define VS_DRIVER_HOST "host"

struct vs_bind_req {
	const char *vf;            /* PCI address */
	const char *driver;        /* "vfio-pci", VS_DRIVER_HOST or a driver name */
	const char *pf_driver;     /* for the message when "host" finds no driver; may be NULL */
};

/* driver_override + unbind from the current driver + drivers_probe, then
 * check the driver link.  Returns 0 when bound as wanted (or already was),
 * -ENODEV when the probe did not bind it (err says what to do). */
int vs_sriov_bind(struct vs_sriov_ctx *ctx, const struct vs_bind_req *req, struct vs_error *err);

/* Write one sysfs attribute through the context: told to ctx->note, skipped
 * on dry_run, through ctx->write when set (tests), else to sysfs. */
int vs_sriov_write(struct vs_sriov_ctx *ctx, const char *value, const char *fmt, ...) _printf_(3, 4);

/* The VF driver that usually goes with a PF driver ("igb" -> "igbvf"); NULL unknown. */
const char *vs_sriov_vf_driver_for(const char *pf_driver);
