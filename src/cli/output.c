#include "config.h"

#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <string.h>

#include "cli.h"
#include "libvirt.h"
#include "netlink.h"
#include "output.h"
#include "policy.h"

json_object *vs_json_str(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

json_object *vs_json_int(long long v)
{
	return v < 0 ? NULL : json_object_new_int64(v);
}

json_object *vs_json_bool(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v != 0);
}

json_object *vs_json_hex4(unsigned id)
{
	char buf[16];

	if (id == 0)
		return NULL;
	snprintf(buf, sizeof(buf), "%04x", id);
	return json_object_new_string(buf);
}

int vs_json_set(json_object *obj, const char *key, json_object *val)
{
	if (json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

int vs_json_print(json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE);

	if (!s || puts(s) == EOF || fflush(stdout) != 0)
		return -EIO;
	return 0;
}

/* ---- tables ---- */

struct vs_table {
	size_t ncols, nrows, rows_alloc;
	char **cells;   /* nrows * ncols, row 0 the headers */
	size_t *width;
};

struct vs_table *vs_table_new(size_t ncols, const char *const *headers)
{
	struct vs_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ncols = ncols;
	t->width = calloc(ncols, sizeof(*t->width));
	if (!t->width || vs_table_add(t, headers) < 0) {
		vs_table_free(t);
		return NULL;
	}
	return t;
}

int vs_table_add(struct vs_table *t, const char *const *cells)
{
	size_t base = t->nrows * t->ncols;

	if (vs_grow((void **)&t->cells, &t->rows_alloc, base + t->ncols, sizeof(char *)) < 0)
		return -ENOMEM;
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = cells[c] ? cells[c] : "-";

		t->cells[base + c] = strdup(s);
		if (!t->cells[base + c])
			return -ENOMEM;
		if (strlen(s) > t->width[c])
			t->width[c] = strlen(s);
	}
	t->nrows++;
	return 0;
}

void vs_table_print(const struct vs_table *t, FILE *out)
{
	for (size_t r = 0; r < t->nrows; r++) {
		size_t last = t->ncols;

		/* no trailing blanks: stop after the last non-empty cell */
		while (last > 1 && !t->cells[r * t->ncols + last - 1][0])
			last--;
		for (size_t c = 0; c < last; c++) {
			const char *s = t->cells[r * t->ncols + c];

			if (c + 1 == last)
				fprintf(out, "%s\n", s);
			else
				fprintf(out, "%-*s  ", (int)t->width[c], s);
		}
	}
}

void vs_table_free(struct vs_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->cells && i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	/* a row that failed half way leaves its strdup'ed cells past nrows */
	for (size_t i = t->nrows * t->ncols; t->cells && i < t->rows_alloc && t->cells[i]; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->width);
	free(t);
}

void vs_print_host_warnings(const struct vs_host *host)
{
	for (size_t i = 0; host && i < host->n_warnings; i++)
		vs_cli_warn("%s", host->warnings[i]);
}

/* ---- words ---- */

const char *vs_setting_text(const struct vs_vf_config *c, const char *name, char *buf, size_t len)
{
	const struct vs_vf_field *f = vs_vf_field_find(name);

	if (!f || !vs_vf_field_is_set(f, c))
		return NULL;
	vs_vf_field_format(f, c, buf, len);
	return buf;
}

/* ---- inventory as a table ---- */

enum { COL_DEV, COL_VFS, COL_NETDEV, COL_DRIVER, COL_GROUP, COL_NUMA, COL_MAC, COL_VLAN,
       COL_SPOOF, COL_TRUST, COL_LINK, COL_USER, N_COLS };

static const char *const headers[N_COLS] = {
	"DEVICE", "VF", "NETDEV", "DRIVER", "GROUP", "NUMA", "MAC", "VLAN",
	"SPOOFCHK", "TRUST", "LINK", "IN USE BY",
};

/* Scratch space for one row's formatted numbers. */
struct row_buf {
	char dev[VS_PCI_ADDR_MAX + 4], vfs[32], group[16], numa[16], mac[18], vlan[48];
	char spoof[16], trust[16], link[16];
};

static const char *num_or_unknown(char *buf, size_t len, long long v)
{
	if (v < 0)
		return "?";
	snprintf(buf, len, "%lld", v);
	return buf;
}

static const char *unknown_if_null(const char *s)
{
	return s ? s : "?";
}

static void vlan_text(const struct vs_vf_config *c, char *buf, size_t len)
{
	const char *proto = c->vlan_proto == 0x88a8 ? " 802.1ad" : "";

	if (c->vlan < 0)
		snprintf(buf, len, "?");
	else if (c->qos > 0)
		snprintf(buf, len, "%d:%d%s", c->vlan, c->qos, proto);
	else
		snprintf(buf, len, "%d%s", c->vlan, proto);
}

static int add_pf_row(struct vs_table *t, const struct vs_pf *pf)
{
	struct row_buf b;
	const char *cells[N_COLS] = { 0 };

	if (pf->numvfs < 0)
		snprintf(b.vfs, sizeof(b.vfs), "?/%d", pf->totalvfs);
	else
		snprintf(b.vfs, sizeof(b.vfs), "%d/%d", pf->numvfs, pf->totalvfs);
	cells[COL_DEV] = pf->address;
	cells[COL_VFS] = b.vfs;
	cells[COL_NETDEV] = pf->netdev[0] ? pf->netdev : NULL;
	cells[COL_DRIVER] = pf->driver[0] ? pf->driver : NULL;
	cells[COL_GROUP] = num_or_unknown(b.group, sizeof(b.group), pf->iommu_group);
	cells[COL_NUMA] = num_or_unknown(b.numa, sizeof(b.numa), pf->numa_node);
	for (int c = COL_MAC; c < N_COLS; c++)
		cells[c] = "";
	return vs_table_add(t, cells);
}

static void vf_settings(const struct vs_vf *vf, struct row_buf *b, const char **cells)
{
	const struct vs_vf_config *c = &vf->config;

	if (!vf->config_known) {
		for (int i = COL_MAC; i <= COL_LINK; i++)
			cells[i] = "?";
		return;
	}
	if (c->has_mac)
		vs_format_mac(c->mac, b->mac);
	cells[COL_MAC] = c->has_mac ? b->mac : "?";
	vlan_text(c, b->vlan, sizeof(b->vlan));
	cells[COL_VLAN] = b->vlan;
	cells[COL_SPOOF] = unknown_if_null(vs_setting_text(c, "spoofchk", b->spoof, sizeof(b->spoof)));
	cells[COL_TRUST] = unknown_if_null(vs_setting_text(c, "trust", b->trust, sizeof(b->trust)));
	cells[COL_LINK] = unknown_if_null(vs_setting_text(c, "link-state", b->link, sizeof(b->link)));
}

static int add_vf_row(struct vs_table *t, const struct vs_pf *pf, const struct vs_vf *vf, bool usage_known)
{
	struct row_buf b;
	const char *cells[N_COLS] = { 0 };

	snprintf(b.dev, sizeof(b.dev), "  %s", vf->address[0] ? vf->address : "-");
	snprintf(b.vfs, sizeof(b.vfs), "%u", vf->index);
	cells[COL_DEV] = b.dev;
	cells[COL_VFS] = b.vfs;
	cells[COL_NETDEV] = vf->netdev[0] ? vf->netdev : NULL;
	cells[COL_DRIVER] = vf->driver[0] ? vf->driver : NULL;
	cells[COL_GROUP] = num_or_unknown(b.group, sizeof(b.group), vf->iommu_group);
	cells[COL_NUMA] = num_or_unknown(b.numa, sizeof(b.numa), pf->numa_node);
	vf_settings(vf, &b, cells);
	cells[COL_USER] = !usage_known ? "?" : vf->in_use_by ? vf->in_use_by : NULL;
	return vs_table_add(t, cells);
}

int vs_print_host_table(const struct vs_host *host)
{
	struct vs_table *t = vs_table_new(N_COLS, headers);
	int r = t ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < host->n_pfs; i++) {
		const struct vs_pf *pf = &host->pfs[i];

		r = add_pf_row(t, pf);
		for (size_t j = 0; r == 0 && j < pf->n_vfs; j++)
			r = add_vf_row(t, pf, &pf->vfs[j], host->usage_known);
	}
	if (r == 0 && host->n_pfs)
		vs_table_print(t, stdout);
	else if (r == 0)
		puts("No SR-IOV PF found.");
	vs_table_free(t);
	return r;
}

/* ---- inventory as JSON ---- */

struct json_field {
	const char *key;
	json_object *val;
};

static int set_fields(json_object *obj, struct json_field *f, size_t n)
{
	int r = 0;

	for (size_t i = 0; i < n; i++) {
		if (r < 0)
			json_object_put(f[i].val);
		else
			r = vs_json_set(obj, f[i].key, f[i].val);
	}
	return r;
}

static json_object *vf_in_use_by(const struct vs_vf *vf, bool usage_known)
{
	return usage_known ? vs_json_str(vf->in_use_by) : NULL;
}

/* The VF settings with the keys of vfconfig.h; every key present, null
 * when not known. */
static int set_settings(json_object *obj, const struct vs_vf *vf)
{
	for (size_t i = 0; i < vs_vf_n_fields; i++) {
		const struct vs_vf_field *f = &vs_vf_fields[i];
		json_object *v = vf->config_known ? vs_vf_field_json(f, &vf->config) : NULL;

		if (vs_json_set(obj, f->json, v) < 0)
			return -ENOMEM;
	}
	return 0;
}

json_object *vs_json_vf(const struct vs_pf *pf, const struct vs_vf *vf, bool usage_known)
{
	json_object *obj = json_object_new_object();
	struct json_field head[] = {
		{ "index", json_object_new_int64(vf->index) },
		{ "address", vs_json_str(vf->address) },
		{ "driver", vs_json_str(vf->driver) },
		{ "netdev", vs_json_str(vf->netdev) },
		{ "iommu_group", vs_json_int(vf->iommu_group) },
		{ "vendor_id", vs_json_hex4(pf->vendor_id) },
		{ "device_id", vs_json_hex4(pf->vf_device_id) },
	};
	struct json_field tail[] = {
		{ "config_known", json_object_new_boolean(vf->config_known) },
		{ "in_use_by", vf_in_use_by(vf, usage_known) },
	};

	if (!obj || set_fields(obj, head, ELEMENTSOF(head)) < 0 || set_settings(obj, vf) < 0 ||
	    set_fields(obj, tail, ELEMENTSOF(tail)) < 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static json_object *string_array(char *const *v)
{
	json_object *a = json_object_new_array();

	for (; a && v && *v; v++) {
		if (json_object_array_add(a, json_object_new_string(*v)) < 0) {
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

static json_object *vf_array(const struct vs_pf *pf, bool usage_known)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < pf->n_vfs; i++) {
		json_object *vf = vs_json_vf(pf, &pf->vfs[i], usage_known);

		if (!vf || json_object_array_add(a, vf) < 0) {
			json_object_put(vf);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

json_object *vs_json_pf(const struct vs_pf *pf, bool usage_known)
{
	json_object *obj = json_object_new_object();
	struct json_field f[] = {
		{ "address", vs_json_str(pf->address) },
		{ "pci", json_object_new_boolean(!pf->non_pci) },
		{ "netdev", vs_json_str(pf->netdev) },
		{ "netdevs", string_array(pf->netdevs) },
		{ "driver", vs_json_str(pf->driver) },
		{ "vendor_id", vs_json_hex4(pf->vendor_id) },
		{ "device_id", vs_json_hex4(pf->device_id) },
		{ "vendor", vs_json_str(pf->vendor_name) },
		{ "device", vs_json_str(pf->device_name) },
		{ "numa_node", vs_json_int(pf->numa_node) },
		{ "iommu_group", vs_json_int(pf->iommu_group) },
		{ "totalvfs", vs_json_int(pf->totalvfs) },
		{ "numvfs", vs_json_int(pf->numvfs) },
		{ "vf_device_id", vs_json_hex4(pf->vf_device_id) },
		{ "vf_offset", vs_json_int(pf->vf_offset) },
		{ "vf_stride", vs_json_int(pf->vf_stride) },
		{ "drivers_autoprobe", vs_json_bool(pf->drivers_autoprobe) },
		{ "complete", json_object_new_boolean(pf->vf_configs_known) },
		{ "vfs", vf_array(pf, usage_known) },
	};

	if (!obj || set_fields(obj, f, ELEMENTSOF(f)) < 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

json_object *vs_json_host(const struct vs_host *host)
{
	json_object *root = json_object_new_object(), *pfs = json_object_new_array();
	json_object *warnings = json_object_new_array();
	int r = root && pfs && warnings ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < host->n_pfs; i++) {
		json_object *pf = vs_json_pf(&host->pfs[i], host->usage_known);

		r = pf ? json_object_array_add(pfs, pf) : -ENOMEM;
	}
	for (size_t i = 0; r == 0 && i < host->n_warnings; i++)
		r = json_object_array_add(warnings, json_object_new_string(host->warnings[i]));
	if (r == 0)
		r = vs_json_set(root, "pfs", TAKE_PTR(pfs));
	if (r == 0)
		r = vs_json_set(root, "usage_known", json_object_new_boolean(host->usage_known));
	if (r == 0)
		r = vs_json_set(root, "warnings", TAKE_PTR(warnings));
	json_object_put(pfs);
	json_object_put(warnings);
	if (r < 0) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

/* ---- loading ---- */

static void load_usage(struct vs_cli *cli, struct vs_host *host)
{
	struct vs_error err = { 0 };
	virConnectPtr conn = NULL;

	if (vs_libvirt_open(vs_cli_uri(cli), true, &conn, &err) < 0) {
		vs_host_warn(host, "%s; in_use_by unknown", err.msg[0] ? err.msg : "cannot connect to libvirt");
		return;
	}
	if (vs_libvirt_fill_usage(conn, host, &err) < 0)
		vs_host_warn(host, "%s; in_use_by unknown", err.msg[0] ? err.msg : "cannot list guests");
	virConnectClose(conn);
}

int vs_cli_load_host(struct vs_cli *cli, char *const *only, unsigned flags, struct vs_host **out)
{
	struct vs_scan_opts opts = { .sysfs = &cli->sysfs, .non_pci = flags & VS_LOAD_NON_PCI,
				     .no_names = !(flags & VS_LOAD_NAMES) };
	struct vs_error err = { 0 }, nlerr = { 0 };
	size_t n = 0;
	int r;

	for (; only && only[n]; n++) {
		if (n + 1 >= ELEMENTSOF(opts.only))
			return vs_cli_fail(VS_EXIT_USAGE, "at most %zu PF names at once", ELEMENTSOF(opts.only) - 1);
		opts.only[n] = only[n];
	}
	if ((flags & VS_LOAD_SETTINGS) && vs_nl_open(&opts.nl, &nlerr) < 0)
		opts.nl = NULL;
	r = vs_inventory_scan(&opts, out, &err);
	if (opts.nl)
		vs_nl_close(opts.nl);
	if (r < 0)
		return vs_cli_fail_err(&err, "inventory");
	if ((flags & VS_LOAD_SETTINGS) && nlerr.code)
		vs_host_warn(*out, "cannot open rtnetlink (%s); VF settings unknown", nlerr.msg);
	if (flags & VS_LOAD_USAGE)
		load_usage(cli, *out);
	return VS_EXIT_OK;
}

void vs_cli_setting_options(struct option *opts, size_t *n, int val)
{
	for (size_t i = 0; i < vs_vf_n_fields; i++)
		opts[(*n)++] = (struct option){ vs_vf_fields[i].name, required_argument, NULL, val };
}

/* The library names settings as the configuration file and the policy do
 * ("vlan 5000: out of range"); on the command line they are options. */
void vs_cli_optify(const char *msg, char *out, size_t len)
{
	size_t used = 0;

	for (const char *p = msg; *p && used + 1 < len;) {
		const struct vs_vf_field *hit = NULL;

		for (size_t i = 0; (p == msg || p[-1] == ' ') && i < vs_vf_n_fields; i++) {
			size_t l = strlen(vs_vf_fields[i].name);

			if (strncmp(p, vs_vf_fields[i].name, l) == 0 && (p[l] == ' ' || p[l] == '\0') &&
			    (!hit || l > strlen(hit->name)))
				hit = &vs_vf_fields[i];
		}
		if (hit && used + 3 < len) {
			out[used++] = '-';
			out[used++] = '-';
		}
		out[used++] = *p++;
	}
	out[used] = '\0';
}

int vs_cli_parse_setting(struct vs_vf_config *cfg, const char *name, const char *value, const char *what)
{
	struct vs_error err = { 0 };
	char msg[sizeof(err.msg) + 64];
	int r = vs_vf_config_parse(cfg, name, value, &err);

	if (r == -ENOENT)
		return vs_cli_fail(VS_EXIT_USAGE, "%s: unknown setting --%s", what, name);
	if (r < 0) {
		vs_cli_optify(err.msg, msg, sizeof(msg));
		return vs_cli_fail(VS_EXIT_USAGE, "%s: %s", what, msg);
	}
	return VS_EXIT_OK;
}

int vs_cli_usage_error(const char *what, const struct vs_error *err)
{
	char msg[sizeof(err->msg) + 64];

	vs_cli_optify(err->msg, msg, sizeof(msg));
	return vs_cli_fail(VS_EXIT_USAGE, "%s: %s", what, msg);
}

int vs_cli_check_settings(const struct vs_vf_config *cfg, const char *what)
{
	struct vs_error err = { 0 };
	char msg[sizeof(err.msg) + 64];

	if (vs_vf_config_check(cfg, &err) == 0)
		return VS_EXIT_OK;
	vs_cli_optify(err.msg, msg, sizeof(msg));
	return vs_cli_fail(VS_EXIT_USAGE, "%s: %s", what, msg);
}
