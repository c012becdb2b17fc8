/* Host readiness for SR-IOV passthrough, in the manner of virt-host-validate:
 * a table of checks, each adding PASS/WARN/FAIL results with a message and,
 * for WARN/FAIL, what to do about it. */
#pragma once

#include <json-c/json.h>

#include "inventory.h"
#include "pci.h"
#include "sysfs.h"
#include "util.h"

enum vs_check_status {
	VS_CHECK_PASS,
	VS_CHECK_WARN,
	VS_CHECK_FAIL,
};

struct vs_check_result {
	const char *id;       /* stable key for scripts: "iommu-groups", "acs"... */
	const char *title;    /* "Checking if IOMMU is enabled by kernel" */
	enum vs_check_status status;
	char *device;         /* PCI address the result is about; NULL host-wide */
	char *message;
	char *remedy;         /* NULL when there is nothing to do */
};

struct vs_check_report {
	struct vs_check_result *results;
	size_t n, alloc;
	const char *skipped[16];      /* ids of the checks ctx->remote left out */
	size_t n_skipped;
};

struct vs_check_ctx {
	const struct vs_sysfs *sysfs;  /* also prefixes /proc/cmdline and /sys/module */
	const struct vs_host *host;    /* NULL: the inventory failed, host_error says why */
	const char *host_error;
	/* the host is remote (its inventory from libvirt's node devices): only
	 * the checks the inventory answers run; the others go to skipped */
	bool remote;
	struct vs_pci *pci;            /* NULL: ACS cannot be read */
	/* Live host only: /lib/modules/$(uname -r), where an unloaded vfio-pci
	 * module is looked for.  NULL on a captured or generated tree. */
	const char *modules_dir;
	/* virt-sriov.conf when it asks for host setup (VF counts, drivers, VF
	 * settings), NULL otherwise; unit_dir: where systemd keeps the enabled
	 * units (/etc/systemd/system, under the root of a captured tree):
	 * virt-sriov.service must be in one of its *.wants/ for the setup to
	 * be made at boot. */
	const char *setup_conf;
	const char *unit_dir;
	/* An Open vSwitch bridge virt-sriov.conf gives representors (NULL:
	 * none, or not the live host), where (its section), and ovsdb's
	 * socket (NULL: ovsdb.h's default). */
	const char *ovs_bridge;
	const char *ovs_bridge_where;
	const char *ovsdb_sock;
	/* The inventory with devlink read (vs_scan_opts.dl) and non-PCI PFs
	 * (netdevsim): the switchdev check.  NULL: devlink not read (a
	 * captured or generated tree, a kernel without devlink). */
	const struct vs_host *devlink_host;
};

/* One result made outside the table (the CLI's checks through libvirt);
 * id and title are kept as given (static strings). */
int vs_check_add(struct vs_check_report *rep, const char *id, const char *title, enum vs_check_status st,
		 const char *device, const char *remedy, const char *msg);

/* Run every check.  Returns 0 or -ENOMEM; check failures are results. */
int vs_check_run(const struct vs_check_ctx *ctx, struct vs_check_report *rep);
void vs_check_report_free(struct vs_check_report *rep);

enum vs_check_status vs_check_worst(const struct vs_check_report *rep);
const char *vs_check_status_name(enum vs_check_status s);
/* First result with this id (and device, when not NULL); NULL none. */
const struct vs_check_result *vs_check_find(const struct vs_check_report *rep, const char *id, const char *device);

/* [{check, title, status, message, remedy, device?}, ...]; NULL on ENOMEM. */
struct json_object *vs_check_report_json(const struct vs_check_report *rep);
