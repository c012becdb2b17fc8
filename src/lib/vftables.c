/* VF tables in a file: what a captured host's rtnetlink reported. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "vftables.h"

int vs_vftables_find(const struct vs_sysfs *s, char *buf, size_t len)
{
	struct stat st;

	if (vs_sysfs_is_live(s))
		return -ENOENT;
	if ((size_t)snprintf(buf, len, "%s%s", s->root, VS_VFTABLES_FILE) >= len)
		return -ENAMETOOLONG;
	return stat(buf, &st) == 0 && S_ISREG(st.st_mode) ? 0 : -ENOENT;
}

static int read_entry(json_object *v, struct vs_vf_config *c)
{
	json_object *ix;

	c->index = -1;
	if (json_object_object_get_ex(v, "index", &ix) && json_object_is_type(ix, json_type_int))
		c->index = json_object_get_int(ix);
	if (c->index < 0 || vs_vf_config_from_json(v, c) < 0)
		return -EINVAL;
	return 0;
}

int vs_vftables_parse(json_object *arr, const char *path, const char *pf, struct vs_pf_vf_list *out,
		      struct vs_error *err)
{
	size_t n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (!json_object_is_type(arr, json_type_array))
		return vs_error_set(err, -EINVAL, "%s: %s: expected an array of VFs", path, pf);
	out->vfs = calloc(n ? n : 1, sizeof(*out->vfs));
	if (!out->vfs)
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (read_entry(json_object_array_get_idx(arr, i), &out->vfs[i]) < 0)
			r = vs_error_set(err, -EINVAL, "%s: %s: entry %zu: expected {\"index\": N, ...} with the keys of "
					 "list --json", path, pf, i);
		out->n = i + 1;
	}
	out->num_vf = (int)out->n;
	if (r < 0)
		vs_pf_vf_list_free(out);
	return r;
}

int vs_vftables_read(const char *path, const char *pf, struct vs_pf_vf_list *out, struct vs_error *err)
{
	json_object *root = json_object_from_file(path), *arr;
	int r;

	memset(out, 0, sizeof(*out));
	out->num_vf = -1;
	if (!root)
		return vs_error_set(err, -EINVAL, "%s: not a JSON file of VF tables: %s", path, json_util_get_last_err());
	r = json_object_object_get_ex(root, pf, &arr) ? vs_vftables_parse(arr, path, pf, out, err) : -ENODEV;
	json_object_put(root);
	return r;
}

json_object *vs_vftables_new(void)
{
	return json_object_new_object();
}

int vs_vftables_add(json_object *tables, const char *pf, const struct vs_vf_config *c)
{
	json_object *arr, *settings = vs_vf_config_to_json(c), *vf = json_object_new_object();

	/* "index" first: the file is read by people too */
	if (!settings || !vf || json_object_object_add(vf, "index", json_object_new_int(c->index)) < 0) {
		json_object_put(settings);
		json_object_put(vf);
		return -ENOMEM;
	}
	json_object_object_foreach(settings, key, val)
		json_object_object_add(vf, key, json_object_get(val));
	json_object_put(settings);
	if (!json_object_object_get_ex(tables, pf, &arr)) {
		arr = json_object_new_array();
		if (!arr || json_object_object_add(tables, pf, arr) < 0) {
			json_object_put(vf);
			return -ENOMEM;
		}
	}
	return json_object_array_add(arr, vf) < 0 ? -ENOMEM : 0;
}

int vs_vftables_write(json_object *tables, const char *path, struct vs_error *err)
{
	if (json_object_to_file_ext(path, tables, JSON_C_TO_STRING_PRETTY) < 0)
		return vs_error_set(err, -EIO, "%s: cannot write the VF tables: %s", path, json_util_get_last_err());
	return 0;
}
