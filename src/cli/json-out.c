/* JSON output: the envelope of every --json, values with null for the
 * "unknown" sentinels, printing, and the inventory (PF, VF, host) as the
 * objects of `list --json`. */
#include "config.h"

#include <limits.h>

#include "cli.h"
#include "json-out.h"

/* ---- the envelope ---- */

/* One run prints at most one document: what it collected until then. */
static struct {
	const bool *json;
	json_object *warnings;        /* strings, until the document is printed */
	char *error;                  /* the first vs_cli_fail with exit status 1 */
	bool printed;
} doc_state;

void vs_json_watch(const bool *json)
{
	doc_state.json = json;
}

bool vs_json_on(void)
{
	return doc_state.json && *doc_state.json;
}

bool vs_json_add_warning(const char *msg)
{
	if (!vs_json_on() || doc_state.printed)
		return false;
	if (!doc_state.warnings)
		doc_state.warnings = json_object_new_array();
	return doc_state.warnings && json_object_array_add(doc_state.warnings, json_object_new_string(msg)) == 0;
}

void vs_json_note_error(int status, const char *msg)
{
	if (status == VS_EXIT_FAILURE && vs_json_on() && !doc_state.error)
		doc_state.error = strdup(msg);
}

json_object *vs_json_doc_new(void)
{
	json_object *doc = json_object_new_object();

	/* "warnings" second, filled when printed: both lead every document */
	if (doc && (vs_json_set(doc, "version", json_object_new_int(VS_JSON_VERSION)) < 0 ||
		    vs_json_set(doc, "warnings", json_object_new_array()) < 0)) {
		json_object_put(doc);
		return NULL;
	}
	return doc;
}

static int doc_finish(json_object *doc)
{
	json_object *w = NULL;

	if (!json_object_object_get_ex(doc, "warnings", &w) || !json_object_is_type(w, json_type_array))
		return -EINVAL;
	for (size_t i = 0; doc_state.warnings && i < json_object_array_length(doc_state.warnings); i++)
		if (json_object_array_add(w, json_object_get(json_object_array_get_idx(doc_state.warnings, i))) < 0)
			return -ENOMEM;
	json_object_put(TAKE_PTR(doc_state.warnings));
	if (doc_state.error && !json_object_object_get_ex(doc, "error", NULL))
		return vs_json_set(doc, "error", json_object_new_string(doc_state.error));
	return 0;
}

int vs_json_doc_print(json_object *doc)
{
	int r = doc ? doc_finish(doc) : -ENOMEM;

	if (r == 0 && !doc_state.printed)
		r = vs_json_print(doc);
	doc_state.printed = true;
	json_object_put(doc);
	return r;
}

int vs_json_finish(int status)
{
	if (status == VS_EXIT_FAILURE && vs_json_on() && !doc_state.printed)
		vs_json_doc_print(vs_json_doc_new());
	json_object_put(TAKE_PTR(doc_state.warnings));
	free(TAKE_PTR(doc_state.error));
	doc_state.printed = false;
	return status;
}

int vs_json_doc_merge(json_object *doc, json_object *obj)
{
	int r = 0;

	if (!obj)
		return -ENOMEM;
	json_object_object_foreach(obj, key, val) {
		if (r < 0)
			break;
		if (strcmp(key, "warnings") == 0) {
			for (size_t i = 0; i < json_object_array_length(val); i++)
				vs_json_add_warning(json_object_get_string(json_object_array_get_idx(val, i)));
			continue;
		}
		r = vs_json_set(doc, key, json_object_get(val));
	}
	json_object_put(obj);
	return r;
}

void vs_json_add_write(json_object *writes, const char *root, const char *path, const char *value)
{
	json_object *w = json_object_new_object();
	char full[PATH_MAX];

	snprintf(full, sizeof(full), "%s%s", root, path);
	vs_json_set(w, "path", json_object_new_string(full));
	vs_json_set(w, "value", json_object_new_string(value));
	if (json_object_array_add(writes, w) < 0)
		json_object_put(w);
}

json_object *vs_json_settings(const struct vs_vf_config *c)
{
	json_object *o = vs_vf_config_to_json(c);

	return o ? o : json_object_new_object();
}

/* ---- values ---- */

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

static int print_flags(json_object *obj, int flags)
{
	const char *s = json_object_to_json_string_ext(obj, flags);

	if (!s || puts(s) == EOF || fflush(stdout) != 0)
		return -EIO;
	return 0;
}

int vs_json_print(json_object *obj)
{
	return print_flags(obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
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
 * when not known; none where settings do not apply (NVMe). */
static int set_settings(json_object *obj, const struct vs_pf *pf, const struct vs_vf *vf)
{
	if (pf->vf_settings_na)
		return 0;
	if (vs_json_set(obj, "config_known", json_object_new_boolean(vf->config_known)) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < vs_vf_n_fields; i++) {
		const struct vs_vf_field *f = &vs_vf_fields[i];
		json_object *v = vf->config_known ? vs_vf_field_json(f, &vf->config) : NULL;

		if (vs_json_set(obj, f->json, v) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* ---- devlink (switchdev mode) ---- */

json_object *vs_json_mbps(uint64_t bytes_per_s)
{
	uint64_t bits = bytes_per_s * 8;

	if (bytes_per_s > UINT64_MAX / 8)
		return json_object_new_double((double)bytes_per_s * 8 / 1e6);
	if (bits % 1000000 == 0)
		return json_object_new_int64((int64_t)(bits / 1000000));
	return json_object_new_double((double)bits / 1e6);
}

static json_object *new_obj(struct json_field *f, size_t n)
{
	json_object *obj = json_object_new_object();

	if (!obj || set_fields(obj, f, n) < 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static json_object *fn_word(int v, const char *zero, const char *one)
{
	return v < 0 || v > 1 ? NULL : json_object_new_string(v ? one : zero);
}

static json_object *vf_rate(const struct vs_vf_devlink *d)
{
	if (!d->has_rate)
		return NULL;
	struct json_field f[] = {
		{ "tx_max", vs_json_mbps(d->tx_max) },
		{ "tx_share", vs_json_mbps(d->tx_share) },
		{ "group", vs_json_str(d->rate_parent) },
	};

	return new_obj(f, ELEMENTSOF(f));
}

/* null where the VF has no devlink port (legacy mode, no devlink). */
static json_object *vf_devlink(const struct vs_vf *vf)
{
	const struct vs_vf_devlink *d = &vf->dl;
	char mac[18];

	if (!d->has_port)
		return NULL;
	if (d->has_hw_addr)
		vs_format_mac(d->hw_addr, mac);
	struct json_field f[] = {
		{ "port", json_object_new_int64(d->port) },
		{ "representor", vs_json_str(d->representor) },
		{ "representor_up", vs_json_bool(d->representor_up) },
		{ "function_state", fn_word(d->state, "inactive", "active") },
		{ "function_opstate", fn_word(d->opstate, "detached", "attached") },
		{ "function_hw_addr", d->has_hw_addr ? json_object_new_string(mac) : NULL },
		{ "rate", vf_rate(d) },
	};

	return new_obj(f, ELEMENTSOF(f));
}

static json_object *rate_groups(const struct vs_pf *pf)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < pf->n_rate_groups; i++) {
		const struct vs_devlink_rate *g = &pf->rate_groups[i];
		struct json_field f[] = {
			{ "name", json_object_new_string(g->name) },
			{ "tx_max", vs_json_mbps(g->tx_max) },
			{ "tx_share", vs_json_mbps(g->tx_share) },
			{ "parent", vs_json_str(g->parent) },
		};
		json_object *o = new_obj(f, ELEMENTSOF(f));

		if (!o || json_object_array_add(a, o) < 0) {
			json_object_put(o);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

/* null where the PF has no devlink eswitch (or it was not asked). */
static json_object *pf_devlink(const struct vs_pf *pf)
{
	if (pf->eswitch_mode < 0)
		return NULL;
	struct json_field f[] = {
		{ "handle", vs_json_str(pf->devlink) },
		{ "switch_id", vs_json_str(pf->switch_id) },
		{ "rate_groups", rate_groups(pf) },
	};

	return new_obj(f, ELEMENTSOF(f));
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
		{ "in_use_by", vf_in_use_by(vf, usage_known) },
		{ "devlink", vf_devlink(vf) },
	};

	if (!obj || set_fields(obj, head, ELEMENTSOF(head)) < 0 || set_settings(obj, pf, vf) < 0 ||
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
		{ "vf_settings", json_object_new_boolean(!pf->vf_settings_na) },
		{ "complete", json_object_new_boolean(pf->vf_configs_known || pf->vf_settings_na) },
		{ "eswitch_mode", vs_json_str(vs_eswitch_mode_name(pf->eswitch_mode)) },
		{ "devlink", pf_devlink(pf) },
		{ "vfs", vf_array(pf, usage_known) },
	};

	if (!obj || set_fields(obj, f, ELEMENTSOF(f)) < 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

int vs_json_host(json_object *doc, const struct vs_host *host)
{
	json_object *pfs = json_object_new_array();
	int r = pfs ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < host->n_pfs; i++) {
		json_object *pf = vs_json_pf(&host->pfs[i], host->usage_known);

		r = pf ? json_object_array_add(pfs, pf) : -ENOMEM;
	}
	if (r == 0)
		r = vs_json_set(doc, "pfs", TAKE_PTR(pfs));
	if (r == 0)
		r = vs_json_set(doc, "usage_known", json_object_new_boolean(host->usage_known));
	json_object_put(pfs);
	return r;
}
