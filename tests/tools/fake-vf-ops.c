#include "config.h"

#include <string.h>

#include "fake-vf-ops.h"
#include "netlink.h"
#include "state.h"

static int load(const char *path, json_object **out, struct vs_error *err)
{
	*out = json_object_from_file(path);
	return *out ? 0 : vs_error_set(err, -EIO, "fake VF table %s: cannot read", path);
}

static int get_pf(json_object *root, const char *pf, json_object **arr, struct vs_error *err)
{
	if (!json_object_object_get_ex(root, pf, arr) || !json_object_is_type(*arr, json_type_array))
		return vs_error_set(err, -ENODEV, "%s: RTM_GETLINK: No such device", pf);
	return 0;
}

static int fake_get(void *ctx, const char *pf, struct vs_pf_vf_list *out, struct vs_error *err)
{
	json_object *root, *arr;
	int r = load(ctx, &root, err);

	memset(out, 0, sizeof(*out));
	if (r == 0)
		r = get_pf(root, pf, &arr, err);
	if (r == 0) {
		out->n = json_object_array_length(arr);
		out->num_vf = (int)out->n;
		out->vfs = calloc(out->n + 1, sizeof(*out->vfs));
		r = out->vfs ? 0 : -ENOMEM;
	}
	for (size_t i = 0; r == 0 && i < out->n; i++) {
		json_object *v = json_object_array_get_idx(arr, i), *ix;

		r = json_object_object_get_ex(v, "index", &ix) ? 0 : -EINVAL;
		out->vfs[i].index = json_object_get_int(ix);
		if (r == 0)
			r = vs_vf_config_from_json(v, &out->vfs[i]);
	}
	json_object_put(root);
	return r;
}

static int refused(json_object *root, const char *pf, json_object *req)
{
	json_object *refuse, *what;

	if (!json_object_object_get_ex(root, "_refuse", &refuse) ||
	    !json_object_object_get_ex(refuse, pf, &what))
		return 0;
	return json_object_object_get_ex(req, json_object_get_string(what), NULL);
}

static int merge_one(json_object *root, json_object *arr, const char *pf, const struct vs_vf_config *c,
		     struct vs_error *err)
{
	json_object *req = vs_vf_config_to_json(c);
	int r = -ENOENT;

	if (refused(root, pf, req)) {
		json_object_put(req);
		return vs_error_set(err, -EOPNOTSUPP, "%s: VF %d: refused by the fake driver", pf, c->index);
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *v = json_object_array_get_idx(arr, i), *ix;

		if (!json_object_object_get_ex(v, "index", &ix) || json_object_get_int(ix) != c->index)
			continue;
		json_object_object_foreach(req, key, val)
			json_object_object_add(v, key, json_object_get(val));
		r = 0;
	}
	json_object_put(req);
	return r < 0 ? vs_error_set(err, r, "%s: VF %d: no such VF", pf, c->index) : 0;
}

static void log_request(const char *path, const char *pf, size_t n)
{
	char log[4096];
	FILE *f;

	snprintf(log, sizeof(log), "%s.log", path);
	f = fopen(log, "ae");
	if (f) {
		fprintf(f, "SETLINK %s %zu\n", pf, n);
		fclose(f);
	}
}

static int fake_set(void *ctx, const char *pf, const struct vs_vf_config *cfgs, size_t n, struct vs_error *err)
{
	json_object *root, *arr;
	int r = load(ctx, &root, err);

	if (r == 0)
		log_request(ctx, pf, n);
	if (r == 0)
		r = get_pf(root, pf, &arr, err);
	/* Like the kernel: VFs before the refused one stay changed. */
	for (size_t i = 0; r == 0 && i < n; i++)
		r = merge_one(root, arr, pf, &cfgs[i], err);
	if (json_object_to_file_ext(ctx, root, JSON_C_TO_STRING_PRETTY) < 0 && r == 0)
		r = vs_error_set(err, -EIO, "fake VF table %s: cannot write", (const char *)ctx);
	json_object_put(root);
	return r;
}

static int kernel_set(void *ctx, const char *pf, const struct vs_vf_config *cfgs, size_t n, struct vs_error *err)
{
	struct vs_nl *nl = NULL;
	int r = vs_nl_open(&nl, err);

	log_request(ctx, pf, n);
	if (r == 0)
		r = vs_nl_set_vfs(nl, pf, cfgs, n, err);
	if (nl)
		vs_nl_close(nl);
	return r;
}

int vs_fake_vf_ops(struct vs_vf_ops *ops, const char *path)
{
	ops->get_vfs = fake_get;
	ops->set_vfs = getenv("VIRT_SRIOV_FAKE_SET_KERNEL") ? kernel_set : fake_set;
	ops->ctx = (void *)path;
	return 0;
}
