#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <string.h>
#include <unistd.h>

#include "state.h"
#include "statedir.h"
#include "sysfs.h"

bool vs_uuid_valid(const char *s)
{
	if (!s || strlen(s) != VS_UUID_LEN)
		return false;
	for (int i = 0; i < VS_UUID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

const char *vs_state_dir(void)
{
	const char *d = getenv("VIRT_SRIOV_STATE_DIR");

	return d && *d ? d : VS_RUNSTATEDIR "/virt-sriov";
}

void vs_state_free(struct vs_state *st)
{
	for (size_t i = 0; i < st->n; i++)
		free(st->vfs[i].network);
	free(st->vfs);
	free(st->reps);
	free(st->name);
	free(st->policy);
	memset(st, 0, sizeof(*st));
}

struct vs_state_vf *vs_state_find_vf(struct vs_state *st, const char *address)
{
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->vfs[i].address, address) == 0)
			return &st->vfs[i];
	return NULL;
}

struct vs_state_vf *vs_state_add_vf(struct vs_state *st, const char *address)
{
	struct vs_state_vf *vf;

	if (vs_grow((void **)&st->vfs, &st->alloc, st->n + 1, sizeof(*st->vfs)) < 0)
		return NULL;
	vf = &st->vfs[st->n++];
	memset(vf, 0, sizeof(*vf));
	vs_strlcpy(vf->address, address, sizeof(vf->address));
	vs_vf_config_init(&vf->saved, -1);
	vs_vf_config_init(&vf->applied, -1);
	return vf;
}

void vs_state_remove_vf(struct vs_state *st, struct vs_state_vf *vf)
{
	size_t i = (size_t)(vf - st->vfs);

	free(vf->network);
	memmove(vf, vf + 1, (st->n - i - 1) * sizeof(*vf));
	st->n--;
}

struct vs_state_rep *vs_state_rep(struct vs_state *st, const char *vf, bool create)
{
	struct vs_state_rep *rep;

	for (size_t i = 0; i < st->n_reps; i++)
		if (strcmp(st->reps[i].vf, vf) == 0)
			return &st->reps[i];
	if (!create || vs_grow((void **)&st->reps, &st->alloc_reps, st->n_reps + 1, sizeof(*st->reps)) < 0)
		return NULL;
	rep = &st->reps[st->n_reps++];
	memset(rep, 0, sizeof(*rep));
	vs_strlcpy(rep->vf, vf, sizeof(rep->vf));
	return rep;
}

void vs_state_remove_rep(struct vs_state *st, struct vs_state_rep *rep)
{
	size_t i = (size_t)(rep - st->reps);

	memmove(rep, rep + 1, (st->n_reps - i - 1) * sizeof(*rep));
	st->n_reps--;
}

bool vs_state_has_content(const struct vs_state *st)
{
	return st->n || st->n_reps || st->policy;
}

static int add(json_object *o, const char *key, json_object *v)
{
	if (!v)
		return -ENOMEM;
	return json_object_object_add(o, key, v) < 0 ? -ENOMEM : 0;
}

/* ---- state <-> JSON ---- */

static const char *get_string(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static json_object *vf_to_json(const struct vs_state_vf *vf)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (add(o, "address", json_object_new_string(vf->address)) < 0 ||
	    add(o, "pf", json_object_new_string(vf->pf)) < 0 ||
	    add(o, "pf_address", json_object_new_string(vf->pf_address)) < 0 ||
	    add(o, "index", json_object_new_int(vf->index)) < 0 ||
	    (vf->network && add(o, "network", json_object_new_string(vf->network)) < 0) ||
	    add(o, "saved", vs_vf_config_to_json(&vf->saved)) < 0 ||
	    add(o, "applied", vs_vf_config_to_json(&vf->applied)) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static const char *const bridge_kinds[] = { [VS_BRIDGE_LINUX] = "linux", [VS_BRIDGE_OVS] = "ovs" };

static json_object *rep_to_json(const struct vs_state_rep *rep)
{
	json_object *o = json_object_new_object();

	if (!o || add(o, "vf", json_object_new_string(rep->vf)) < 0 ||
	    add(o, "netdev", json_object_new_string(rep->netdev)) < 0 ||
	    (rep->bridge.kind && (add(o, "bridge", json_object_new_string(rep->bridge.name)) < 0 ||
				  add(o, "bridge_kind", json_object_new_string(bridge_kinds[rep->bridge.kind])) < 0))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int reps_to_json(json_object *o, const struct vs_state *st)
{
	json_object *a;
	int r;

	if (!st->n_reps)
		return 0;
	if ((r = add(o, "representors", a = json_object_new_array())) < 0)
		return r;
	for (size_t i = 0; r == 0 && i < st->n_reps; i++) {
		json_object *v = rep_to_json(&st->reps[i]);

		r = v ? json_object_array_add(a, v) : -ENOMEM;
	}
	return r;
}

static json_object *state_to_json(const struct vs_state *st)
{
	json_object *o = json_object_new_object(), *vfs = json_object_new_array();
	int r;

	if (!o || !vfs) {
		json_object_put(o);
		json_object_put(vfs);
		return NULL;
	}
	r = add(o, "vfs", vfs);
	for (size_t i = 0; r == 0 && i < st->n; i++) {
		json_object *v = vf_to_json(&st->vfs[i]);

		r = v ? json_object_array_add(vfs, v) : -ENOMEM;
	}
	if (r == 0)
		r = add(o, "version", json_object_new_int(VS_STATE_VERSION));
	if (r == 0)
		r = add(o, "uuid", json_object_new_string(st->uuid));
	if (r == 0 && st->name)
		r = add(o, "name", json_object_new_string(st->name));
	if (r == 0 && st->policy)
		r = add(o, "policy", json_object_new_string(st->policy));
	if (r == 0)
		r = reps_to_json(o, st);
	if (r < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int copy_string(json_object *o, const char *key, char *dst, size_t len, bool required)
{
	const char *s = get_string(o, key);

	if (!s)
		return required ? -EINVAL : 0;
	return vs_strlcpy(dst, s, len) < 0 ? -EINVAL : 0;
}

static int dup_string(json_object *o, const char *key, char **dst)
{
	const char *s = get_string(o, key);

	if (s && !(*dst = strdup(s)))
		return -ENOMEM;
	return 0;
}

static int vf_from_json(json_object *o, struct vs_state *st)
{
	json_object *v;
	struct vs_state_vf *vf;
	char address[VS_PCI_ADDR_MAX];

	if (copy_string(o, "address", address, sizeof(address), true) < 0)
		return -EINVAL;
	vf = vs_state_add_vf(st, address);
	if (!vf)
		return -ENOMEM;
	if (copy_string(o, "pf", vf->pf, sizeof(vf->pf), true) < 0 ||
	    copy_string(o, "pf_address", vf->pf_address, sizeof(vf->pf_address), false) < 0 ||
	    !json_object_object_get_ex(o, "index", &v) || !json_object_is_type(v, json_type_int))
		return -EINVAL;
	vf->index = json_object_get_int(v);
	if (vf->index < 0 || dup_string(o, "network", &vf->network) < 0)
		return -EINVAL;
	vf->saved.index = vf->applied.index = vf->index;
	if (!json_object_object_get_ex(o, "saved", &v) || vs_vf_config_from_json(v, &vf->saved) < 0)
		return -EINVAL;
	if (json_object_object_get_ex(o, "applied", &v) && vs_vf_config_from_json(v, &vf->applied) < 0)
		return -EINVAL;
	return 0;
}

static int rep_from_json(json_object *o, struct vs_state *st)
{
	char vf[VS_PCI_ADDR_MAX], name[IFNAMSIZ] = "";
	struct vs_state_rep *rep;
	const char *kind = get_string(o, "bridge_kind");

	if (copy_string(o, "vf", vf, sizeof(vf), true) < 0 || !(rep = vs_state_rep(st, vf, true)))
		return -EINVAL;
	if (copy_string(o, "netdev", rep->netdev, sizeof(rep->netdev), true) < 0 ||
	    copy_string(o, "bridge", name, sizeof(name), false) < 0)
		return -EINVAL;
	for (int k = VS_BRIDGE_LINUX; kind && k <= VS_BRIDGE_OVS; k++)
		if (strcmp(kind, bridge_kinds[k]) == 0)
			rep->bridge.kind = (enum vs_bridge_kind)k;
	if ((kind || name[0]) && (rep->bridge.kind == VS_BRIDGE_NONE || !name[0]))
		return -EINVAL;
	memcpy(rep->bridge.name, name, sizeof(name));
	return 0;
}

static int reps_from_json(json_object *o, struct vs_state *st)
{
	json_object *a;

	if (!json_object_object_get_ex(o, "representors", &a))
		return 0;
	if (!json_object_is_type(a, json_type_array))
		return -EINVAL;
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (rep_from_json(json_object_array_get_idx(a, i), st) < 0)
			return -EINVAL;
	return 0;
}

static int state_from_json(json_object *o, const char *uuid, struct vs_state *st)
{
	json_object *vfs;
	int r;

	if (!json_object_is_type(o, json_type_object) ||
	    copy_string(o, "uuid", st->uuid, sizeof(st->uuid), true) < 0 || strcmp(st->uuid, uuid) != 0)
		return -EINVAL;
	if (dup_string(o, "name", &st->name) < 0 || dup_string(o, "policy", &st->policy) < 0)
		return -ENOMEM;
	if (!json_object_object_get_ex(o, "vfs", &vfs) || !json_object_is_type(vfs, json_type_array) ||
	    reps_from_json(o, st) < 0)
		return -EINVAL;
	for (size_t i = 0; i < json_object_array_length(vfs); i++) {
		r = vf_from_json(json_object_array_get_idx(vfs, i), st);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- files ---- */

/* UUID.json: checked, since the UUID comes from libvirt's XML and becomes
 * a file name. */
static int state_name(const char *uuid, char name[static VS_UUID_LEN + 6], struct vs_error *err)
{
	if (!vs_uuid_valid(uuid))
		return vs_error_set(err, -EINVAL, "state: '%s' is not a guest UUID", uuid);
	snprintf(name, VS_UUID_LEN + 6, "%s.json", uuid);
	return 0;
}

int vs_state_load(const char *dir, const char *uuid, struct vs_state *st, struct vs_error *err)
{
	char name[VS_UUID_LEN + 6];
	_cleanup_free_ char *text = NULL;
	json_object *o;
	int r;

	memset(st, 0, sizeof(*st));
	r = state_name(uuid, name, err);
	if (r == 0)
		r = vs_statedir_read(dir, name, VS_STATE_MAX, &text, NULL, err);
	if (r < 0)
		return r;
	o = json_tokener_parse(text);
	r = o ? state_from_json(o, uuid, st) : -EINVAL;
	json_object_put(o);
	if (r < 0) {
		vs_state_free(st);
		return vs_error_set(err, r, "%s/%s: not a valid virt-sriov state file", dir, name);
	}
	return 0;
}

int vs_state_save(const char *dir, const struct vs_state *st, struct vs_error *err)
{
	char name[VS_UUID_LEN + 6];
	const char *text;
	json_object *o;
	int r;

	r = state_name(st->uuid, name, err);
	if (r < 0)
		return r;
	o = state_to_json(st);
	if (!o)
		return vs_error_set(err, -ENOMEM, "%s/%s: out of memory", dir, name);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	/* a file load refuses would leave release nothing to put back */
	if (strlen(text) > VS_STATE_MAX)
		r = vs_error_set(err, -EFBIG, "%s/%s: would be %zu bytes, more than the %d a state file may have "
				 "(the policy is %zu bytes): not written", dir, name, strlen(text), VS_STATE_MAX,
				 st->policy ? strlen(st->policy) : 0);
	else
		r = vs_statedir_write(dir, name, text, strlen(text), err);
	json_object_put(o);
	return r;
}

int vs_state_remove(const char *dir, const char *uuid, struct vs_error *err)
{
	char name[VS_UUID_LEN + 6];
	int r = state_name(uuid, name, err);

	return r < 0 ? r : vs_statedir_remove(dir, name, err);
}

int vs_state_list(const char *dir, char ***uuids, struct vs_error *err)
{
	char **v;
	int n = vs_statedir_list(dir, ".json", &v, err), k = 0;

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		if (vs_uuid_valid(v[i]))
			v[k++] = v[i];
		else
			free(v[i]);
	}
	v[k] = NULL;
	*uuids = v;
	return k;
}

int vs_state_lock(const char *dir, int timeout_ms, int *fd, struct vs_error *err)
{
	/* The directory itself is the lock: nothing is left behind in it. */
	return vs_statedir_lock(dir, NULL, timeout_ms, fd, err);
}

int vs_state_lock_guest(const char *dir, const char *uuid, int timeout_ms, int *fd, struct vs_error *err)
{
	char name[VS_UUID_LEN + 6];

	*fd = -1;
	if (!vs_uuid_valid(uuid))
		return vs_error_set(err, -EINVAL, "state: '%s' is not a guest UUID", uuid);
	snprintf(name, sizeof(name), "%s.lock", uuid);
	return vs_statedir_lock(dir, name, timeout_ms, fd, err);
}

void vs_state_unlock_guest(const char *dir, const char *uuid, int fd)
{
	char name[VS_UUID_LEN + 6], json[VS_UUID_LEN + 6];
	_cleanup_free_ char *text = NULL;

	if (fd < 0)
		return;
	snprintf(name, sizeof(name), "%s.lock", uuid);
	snprintf(json, sizeof(json), "%s.json", uuid);
	/* a state file left (for reconcile): keep its lock file too */
	if (!vs_uuid_valid(uuid) || vs_statedir_read(dir, json, 0, &text, NULL, NULL) != -ENOENT)
		close(fd);
	else
		vs_statedir_unlock_remove(dir, name, fd);
}

/* The guest a leftover belongs to: UUID.lock, or UUID.json.XXXXXX as
 * vs_statedir_write's mkostemp names it; false for anything else. */
static bool leftover_of(const char *name, char uuid[VS_UUID_LEN + 1], bool *tmp)
{
	size_t len = strlen(name);

	if (len < VS_UUID_LEN + 5)
		return false;
	memcpy(uuid, name, VS_UUID_LEN);
	uuid[VS_UUID_LEN] = '\0';
	if (!vs_uuid_valid(uuid))
		return false;
	*tmp = len == VS_UUID_LEN + 12 && strncmp(name + VS_UUID_LEN, ".json.", 6) == 0;
	return *tmp || strcmp(name + VS_UUID_LEN, ".lock") == 0;
}

/* Under the guest's lock (not waited for): its temporary files go, and
 * its lock file too when no state file is left. */
static int sweep_guest(const char *dir, const char *uuid, char **names)
{
	char u[VS_UUID_LEN + 1], lock[PATH_MAX];
	bool tmp, had_lock;
	int fd, n = 0;

	if ((size_t)snprintf(lock, sizeof(lock), "%s/%s.lock", dir, uuid) >= sizeof(lock))
		return 0;
	had_lock = access(lock, F_OK) == 0;
	if (vs_state_lock_guest(dir, uuid, 0, &fd, NULL) < 0)
		return 0;   /* someone works on this guest now */
	for (char **p = names; *p; p++)
		if (leftover_of(*p, u, &tmp) && tmp && strcmp(u, uuid) == 0 && vs_statedir_remove(dir, *p, NULL) == 0)
			n++;
	vs_state_unlock_guest(dir, uuid, fd);
	return n + (had_lock && access(lock, F_OK) < 0);
}

int vs_state_sweep(const char *dir, struct vs_error *err)
{
	char **names = NULL, uuid[VS_UUID_LEN + 1], last[VS_UUID_LEN + 1] = "";
	bool tmp;
	int n = vs_statedir_list(dir, "", &names, err), removed = 0;

	if (n < 0)
		return n;
	/* sorted: a guest's files are next to each other */
	for (char **p = names; *p; p++) {
		if (!leftover_of(*p, uuid, &tmp) || strcmp(uuid, last) == 0)
			continue;
		strcpy(last, uuid);
		removed += sweep_guest(dir, uuid, names);
	}
	vs_strv_free(names);
	return removed;
}
