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
#include "util.h"
#include "vfconfig.h"

#define VS_CONF_DEFAULT_PATH VS_SYSCONFDIR "/virt-sriov/virt-sriov.conf"

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
	char *pf;                     /* [vfs] the PF of the name; [pool] pf = (netdev or address) */
	int pf_line;
	unsigned *vf_set;             /* [vfs] the SET of the name; [pool] vfs = (NULL: every VF) */
	size_t n_vf_set;
	int vfs_line;
	char *driver;                 /* [vfs] driver = vfio-pci|host|NAME */
	int driver_line;
	int autostart, start;         /* [pool] autostart = / start = yes|no (-1: yes) */
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
/* Load a file; a missing file is an empty configuration (every gate shut). */
int vs_conf_load(const char *path, struct vs_conf *out, struct vs_error *err);
/* $VIRT_SRIOV_CONF, else VS_CONF_DEFAULT_PATH. */
const char *vs_conf_path(void);
/* "[pf em1]", "[vfs em1#0-5]", "[defaults]". */
void vs_conf_section_label(const struct vs_conf_section *s, char *buf, size_t len);
/* Does a [pf]/[vfs] name (netdev, PCI address or vendor:device) name this
 * PF?  0 no; 1 by vendor:device; 2 by netdev or address (more specific). */
int vs_conf_pf_match(const char *name, const struct vs_pf *pf);
