/* The libvirt XML virt-sriov writes: the templates that `virt-sriov xml`,
 * `network apply` and `attach` fill through the libxml2 tree (XPath to the
 * elements to set or repeat; never text substitution), and the checks on
 * the names and values that go into them. */
#pragma once

#include <stdbool.h>

#include "inventory.h"
#include "util.h"
#include "xml.h"

enum vs_template_kind {
	VS_TEMPLATE_NETWORK_PF,       /* network-pf.xml */
	VS_TEMPLATE_NETWORK_VFS,      /* network-vfs.xml */
	VS_TEMPLATE_HOSTDEV,          /* hostdev.xml */
	VS_TEMPLATE_INTERFACE,        /* interface-hostdev.xml */
	VS_TEMPLATE_FAILOVER_VIRTIO,  /* failover-virtio.xml */
	VS_TEMPLATE_FAILOVER_VF,      /* failover-vf.xml */
};

const char *vs_template_name(enum vs_template_kind kind);

/* Where a template comes from, in order: an explicit file (--template),
 * sysconf_dir/NAME (/etc/virt-sriov/templates: one file overrides one
 * template), or, when env_dir is set ($VIRT_SRIOV_TEMPLATE_DIR, for tests),
 * env_dir/NAME instead of sysconf_dir's; else the built-in copy. */
struct vs_template_paths {
	const char *file;
	const char *sysconf_dir;
	const char *env_dir;
};
/* The defaults of an installed virt-sriov (VS_SYSCONFDIR and
 * $VIRT_SRIOV_TEMPLATE_DIR). */
void vs_template_paths_default(struct vs_template_paths *p, const char *file);
/* Resolve the template: 0 and its file's path in out, or 1 and
 * "built-in NAME" in out for the compiled-in default; -errno with err for
 * a --template file that is missing or any override that cannot be read. */
int vs_template_find(const struct vs_template_paths *p, enum vs_template_kind kind,
		     char *out, size_t len, struct vs_error *err);
/* The compiled-in text of a template (xml-templates/NAME at build time). */
const char *vs_template_builtin(enum vs_template_kind kind);
/* Generated from xml-templates/ (mk/libvirt.mk); ends with { NULL, NULL }. */
struct vs_builtin_template {
	const char *name;
	const char *text;
};
extern const struct vs_builtin_template vs_builtin_templates[];

struct vs_network_spec {
	const char *name;             /* pool name */
	const char *pf_netdev;        /* <pf dev=...>; NULL with addresses */
	const char *const *vf_addresses;  /* explicit list; NULL for <pf> */
	size_t n_vf_addresses;
	int vlan;                     /* -1: none */
};

struct vs_hostdev_spec {
	const char *vf_address;
	bool interface;               /* <interface type='hostdev'> */
	bool has_mac;
	unsigned char mac[6];
	int vlan;                     /* -1: none */
};

/* Fill a parsed template.  -EINVAL with err naming `what` (the file) and the
 * missing element's XPath when the template lacks something to fill. */
int vs_xmlgen_network(xmlDocPtr doc, const char *what, const struct vs_network_spec *spec, struct vs_error *err);
int vs_xmlgen_hostdev(xmlDocPtr doc, const char *what, const struct vs_hostdev_spec *spec, struct vs_error *err);

/* A virtio-net failover pair: a virtio interface (teaming persistent) and an
 * interface on a hostdev pool (teaming transient, naming the first one's
 * alias), both with one MAC.  The VF comes from the pool, so that the
 * destination of a migration hands out a VF of its own. */
enum vs_backup_kind {
	VS_BACKUP_USER,               /* <interface type='user'>: no host setup */
	VS_BACKUP_BRIDGE,             /* <source bridge=...> */
	VS_BACKUP_NETWORK,            /* <source network=...>, not a hostdev pool */
};

struct vs_failover_spec {
	const char *pool;             /* the hostdev pool of the VF half */
	enum vs_backup_kind backup;
	const char *backup_source;    /* bridge or network; NULL for user */
	unsigned char mac[6];
};

#define VS_FAILOVER_ALIAS_MAX 32
/* "ua-failover-52540012abcd": libvirt takes user aliases only with "ua-". */
void vs_failover_alias(const unsigned char mac[6], char out[VS_FAILOVER_ALIAS_MAX]);
/* A random unicast, locally administered MAC. */
int vs_failover_random_mac(unsigned char mac[6]);
/* Both halves, each a complete <interface> (virtio first: libvirt and QEMU
 * need it before the VF that names it); -EINVAL with err for a bad name or
 * MAC. */
int vs_xmlgen_failover_string(const struct vs_template_paths *p, const struct vs_failover_spec *spec,
			      char **virtio, char **vf, struct vs_error *err);

/* Find, parse and fill a template in one go; *out is the serialized XML. */
int vs_xmlgen_network_string(const struct vs_template_paths *p, const struct vs_network_spec *spec,
			     char **out, struct vs_error *err);
int vs_xmlgen_hostdev_string(const struct vs_template_paths *p, const struct vs_hostdev_spec *spec,
			     char **out, struct vs_error *err);

/* A valid libvirt name from a PF: "sriov-" + netdev, or the PCI address
 * with ':' and '.' turned into '-' when the PF has no netdev. */
int vs_pool_default_name(const struct vs_pf *pf, char *out, size_t len);
/* libvirt refuses '/' in names; we also refuse empty and over-long ones. */


/* A hostdev pool for one PF of the inventory: default name, optional VF
 * index set ("0-3,12") turned into VF addresses, optional VLAN.  Fills
 * name_out with the pool's name and *xml with the generated document. */
struct vs_pool_request {
	const char *pf;               /* netdev or PCI address */
	const char *name;             /* NULL: vs_pool_default_name */
	const char *vfs;              /* NULL: <pf dev>, every VF */
	int vlan;                     /* -1: none */
};
int vs_pool_xml(const struct vs_host *host, const struct vs_template_paths *p, const struct vs_pool_request *req,
		char *name_out, size_t name_len, char **xml, struct vs_error *err);

/* A hostdev pool of the VFs of every PF of pfs on NUMA node `node` (as
 * numa.h counts a PF of unknown node), as an address list: libvirt takes
 * one <pf dev> per pool.  Name: req->name, else "sriov-nodeN".  -ENODEV
 * with err naming the PFs' nodes when none of them is there. */
struct vs_numa_host;
struct vs_numa_pool_request {
	char *const *pfs;             /* netdevs or PCI addresses */
	size_t n_pfs;
	int node;
	const char *name;             /* NULL: sriov-nodeN */
	int vlan;                     /* -1: none */
	const struct vs_numa_host *numa;
};
int vs_pool_numa_xml(const struct vs_host *host, const struct vs_template_paths *p,
		     const struct vs_numa_pool_request *req, char *name_out, size_t name_len, char **xml,
		     struct vs_error *err);
