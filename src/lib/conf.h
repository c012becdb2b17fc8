/* The host's configuration file, /etc/virt-sriov/virt-sriov.conf
 * ($VIRT_SRIOV_CONF): what the hook gives every VF a guest gets and what a
 * guest may ask for ([defaults], [pf NAME], [pool NAME]), and the host
 * setup of virt-sriov apply ([pf] numvfs, [vfs PF#SET], [pool] pf/vfs).
 * VF settings are written as everywhere else (vfconfig.h); see
 * virt-sriov.conf(5). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "inventory.h"
#include "representor.h"
#include "util.h"
#include "vfconfig.h"

#define VS_CONF_DEFAULT_PATH VS_SYSCONFDIR "/virt-sriov/virt-sriov.conf"

/* Keys a section can take (conf.c's own and every VF setting): room for
 * the line of each. */
#define VS_CONF_KEYS_MAX 64

enum vs_conf_kind {
	VS_CONF_DEFAULTS,             /* [defaults] */
	VS_CONF_PF,                   /* [pf NAME]: netdev, PCI address or vendor:device */
	VS_CONF_POOL,                 /* [pool NAME]: a libvirt network */
	VS_CONF_VFS,                  /* [vfs PF#SET]: some VFs of a PF (virt-sriov apply only) */
};

struct vs_conf_section {
	enum vs_conf_kind kind;
	char *name;                   /* NULL for [defaults] */
	int line;
	/* [defaults]/[pf]/[pool]: what the hook gives every VF a guest gets;
	 * [vfs]: the VFs' static settings, written by virt-sriov apply */
	struct vs_vf_config defaults;
	int settings_line;            /* first settings key; 0 none */
	int allow_spoofchk_off;       /* -1 not said here, 0 no, 1 yes */
	int allow_trust_on;

	/* Host setup (virt-sriov apply).  -1 / NULL / 0 (lines) when not given. */
	int numvfs, numvfs_line;      /* [pf] numvfs = N */
	int autoprobe, autoprobe_line;/* [pf] drivers-autoprobe = yes|no */
	int eswitch, eswitch_line;    /* [pf] eswitch = legacy|switchdev: VS_ESWITCH_LEGACY (0) or
					 VS_ESWITCH_SWITCHDEV (1) of devlink.h */
	char *pf;                     /* [vfs] the PF of the name; [pool] pf = (netdev or address) */
	int pf_line;
	unsigned *vf_set;             /* [vfs] the SET of the name; [pool] vfs = (NULL: every VF) */
	size_t n_vf_set;
	int vfs_line;
	char *driver;                 /* [vfs] driver = vfio-pci|host|NAME */
	int driver_line;
	int autostart, start;         /* [pool] autostart = / start = yes|no (-1: yes) */
	/* [pf] representor-bridge / representor-ovs-bridge: the bridge the
	 * representor of each VF joins when the guest's policy names none */
	struct vs_rep_bridge rep_bridge;
	int key_lines[VS_CONF_KEYS_MAX];/* the line of each key given (vs_conf_key_line) */
};

struct vs_conf {
	char *path;
	struct vs_conf_section *sections;
	size_t n, alloc;
};

void vs_conf_free(struct vs_conf *c);
/* Parse text; `path` names the file in errors ("PATH:LINE: ...").  Unknown
 * sections and keys, duplicates and bad values are errors (-EINVAL). */
int vs_conf_parse_string(const char *text, const char *path, struct vs_conf *out, struct vs_error *err);
/* Load a file; a missing file is an empty configuration (every gate shut).
 * Whoever can write the file opens the gates, so, as sshd's StrictModes:
 * the file (a symlink is followed) must be a regular file owned by root or
 * by the effective uid (a user's own file for a user's own `plan`; the
 * hook runs as root, so there it means root) and not writable by group or
 * others: -EPERM naming the file, its owner and mode and the fix.  A FIFO,
 * a device or a directory is -EINVAL without waiting on it; a dangling
 * symlink is -ENOENT (not an empty configuration); over 1 MiB -EFBIG. */
int vs_conf_load(const char *path, struct vs_conf *out, struct vs_error *err);
/* $VIRT_SRIOV_CONF, else VS_CONF_DEFAULT_PATH. */
const char *vs_conf_path(void);
/* "[pf em1]", "[vfs em1#0-5]", "[defaults]". */
void vs_conf_section_label(const struct vs_conf_section *s, char *buf, size_t len);
/* The line where a key ("allow-trust-on", "max-tx-rate") was given in s;
 * 0 when it was not. */
int vs_conf_key_line(const struct vs_conf_section *s, const char *key);
/* Does a [pf]/[vfs] name (netdev, PCI address or vendor:device) name this
 * PF?  0 no; 1 by vendor:device; 2 by netdev or address (more specific). */
int vs_conf_pf_match(const char *name, const struct vs_pf *pf);
