/* Text output: aligned tables, the inventory as one, a VF setting as a word. */
#include "config.h"

#include <string.h>

#include "table-out.h"

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

/* The devlink columns (ESWITCH to TX MAX/SHARE) are there only when a PF
 * reports an eswitch mode: a host without switchdev NICs sees no change. */
enum { COL_DEV, COL_VFS, COL_NETDEV, COL_DRIVER, COL_GROUP, COL_NUMA, COL_MAC, COL_VLAN,
       COL_SPOOF, COL_TRUST, COL_LINK, COL_ESWITCH, COL_REP, COL_RATE, COL_USER, N_COLS };

static const char *const headers[N_COLS] = {
	"DEVICE", "VF", "NETDEV", "DRIVER", "GROUP", "NUMA", "MAC", "VLAN",
	"SPOOFCHK", "TRUST", "LINK", "ESWITCH", "REPRESENTOR", "TX MAX/SHARE (Mbps)", "IN USE BY",
};

/* Scratch space for one row's formatted numbers. */
struct row_buf {
	char dev[VS_PCI_ADDR_MAX + 4], vfs[32], group[16], numa[16], mac[18], vlan[48];
	char spoof[16], trust[16], link[16], rate[72 + VS_DEVLINK_NAME_MAX];
};

static bool devlink_columns(const struct vs_host *host)
{
	for (size_t i = 0; i < host->n_pfs; i++)
		if (host->pfs[i].eswitch_mode >= 0)
			return true;
	return false;
}

/* The row without the devlink columns where the table has none. */
static int add_row(struct vs_table *t, const char **cells, bool dl)
{
	const char *row[N_COLS];
	size_t n = 0;

	for (int c = 0; c < N_COLS; c++)
		if (dl || c < COL_ESWITCH || c > COL_RATE)
			row[n++] = cells[c];
	return vs_table_add(t, row);
}

void vs_format_mbps(uint64_t bytes_per_s, char *buf, size_t len)
{
	uint64_t bits = bytes_per_s * 8;

	if (bytes_per_s <= UINT64_MAX / 8 && bits % 1000000 == 0)
		snprintf(buf, len, "%llu", (unsigned long long)(bits / 1000000));
	else
		snprintf(buf, len, "%.6g", (double)bytes_per_s * 8 / 1e6);
}

/* "10/2 grp1": tx_max/tx_share in Mbit/s, then the group. */
static const char *rate_text(const struct vs_vf_devlink *d, char *buf, size_t len)
{
	char max[32], share[32];

	if (!d->has_rate)
		return NULL;
	vs_format_mbps(d->tx_max, max, sizeof(max));
	vs_format_mbps(d->tx_share, share, sizeof(share));
	snprintf(buf, len, "%s/%s%s%s", max, share, d->rate_parent[0] ? " " : "", d->rate_parent);
	return buf;
}

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

static int add_pf_row(struct vs_table *t, const struct vs_pf *pf, bool dl)
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
	cells[COL_ESWITCH] = vs_eswitch_mode_name(pf->eswitch_mode);
	return add_row(t, cells, dl);
}

static void vf_settings(const struct vs_pf *pf, const struct vs_vf *vf, struct row_buf *b, const char **cells)
{
	const struct vs_vf_config *c = &vf->config;

	if (pf->vf_settings_na || !vf->config_known) {
		for (int i = COL_MAC; i <= COL_LINK; i++)
			cells[i] = pf->vf_settings_na ? "-" : "?";
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

static int add_vf_row(struct vs_table *t, const struct vs_pf *pf, const struct vs_vf *vf, bool usage_known, bool dl)
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
	vf_settings(pf, vf, &b, cells);
	cells[COL_ESWITCH] = "";
	cells[COL_REP] = vf->dl.representor[0] ? vf->dl.representor : NULL;
	cells[COL_RATE] = rate_text(&vf->dl, b.rate, sizeof(b.rate));
	cells[COL_USER] = !usage_known ? "?" : vf->in_use_by ? vf->in_use_by : NULL;
	return add_row(t, cells, dl);
}

int vs_print_host_table(const struct vs_host *host)
{
	bool dl = devlink_columns(host);
	const char *head[N_COLS];
	struct vs_table *t;
	size_t n = 0;
	int r;

	for (int c = 0; c < N_COLS; c++)
		if (dl || c < COL_ESWITCH || c > COL_RATE)
			head[n++] = headers[c];
	t = vs_table_new(n, head);
	r = t ? 0 : -ENOMEM;
	for (size_t i = 0; r == 0 && i < host->n_pfs; i++) {
		const struct vs_pf *pf = &host->pfs[i];

		r = add_pf_row(t, pf, dl);
		for (size_t j = 0; r == 0 && j < pf->n_vfs; j++)
			r = add_vf_row(t, pf, &pf->vfs[j], host->usage_known, dl);
	}
	if (r == 0 && host->n_pfs)
		vs_table_print(t, stdout);
	else if (r == 0)
		puts("No SR-IOV PF found.");
	vs_table_free(t);
	return r;
}
