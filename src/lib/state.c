#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "state.h"
#include "sysfs.h"

#define VS_STATE_MAX (1 << 20)

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

static int state_from_json(json_object *o, const char *uuid, struct vs_state *st)
{
	json_object *vfs;
	int r;

	if (!json_object_is_type(o, json_type_object) ||
	    copy_string(o, "uuid", st->uuid, sizeof(st->uuid), true) < 0 || strcmp(st->uuid, uuid) != 0)
		return -EINVAL;
	if (dup_string(o, "name", &st->name) < 0 || dup_string(o, "policy", &st->policy) < 0)
		return -ENOMEM;
	if (!json_object_object_get_ex(o, "vfs", &vfs) || !json_object_is_type(vfs, json_type_array))
		return -EINVAL;
	for (size_t i = 0; i < json_object_array_length(vfs); i++) {
		r = vf_from_json(json_object_array_get_idx(vfs, i), st);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- files ---- */

static int state_path(const char *dir, const char *uuid, char *buf, size_t len)
{
	int n;

	if (!vs_uuid_valid(uuid))
		return -EINVAL;
	n = snprintf(buf, len, "%s/%s.json", dir, uuid);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int read_all(int fd, char **out)
{
	_cleanup_free_ char *buf = malloc(VS_STATE_MAX + 1);
	size_t total = 0;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	while ((n = read(fd, buf + total, VS_STATE_MAX + 1 - total)) > 0) {
		total += (size_t)n;
		if (total > VS_STATE_MAX)
			return -EFBIG;
	}
	if (n < 0)
		return -errno;
	buf[total] = '\0';
	*out = TAKE_PTR(buf);
	return 0;
}

int vs_state_load(const char *dir, const char *uuid, struct vs_state *st, struct vs_error *err)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *text = NULL;
	json_object *o;
	int r;

	memset(st, 0, sizeof(*st));
	r = state_path(dir, uuid, path, sizeof(path));
	if (r < 0)
		return vs_error_set(err, r, "state: '%s' is not a guest UUID", uuid);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : vs_error_set(err, -errno, "%s: %s", path, strerror(errno));
	r = read_all(fd, &text);
	if (r < 0)
		return vs_error_set(err, r, "%s: %s", path, strerror(-r));
	o = json_tokener_parse(text);
	r = o ? state_from_json(o, uuid, st) : -EINVAL;
	json_object_put(o);
	if (r < 0) {
		vs_state_free(st);
		return vs_error_set(err, r, "%s: not a valid virt-sriov state file", path);
	}
	return 0;
}

static int ensure_dir(const char *dir, struct vs_error *err)
{
	struct stat sb;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return vs_error_set(err, -errno, "%s: cannot create state directory: %s", dir, strerror(errno));
	if (lstat(dir, &sb) < 0)
		return vs_error_set(err, -errno, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return vs_error_set(err, -ENOTDIR, "%s: state directory is not a directory", dir);
	return 0;
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static void fsync_dir(const char *dir)
{
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0)
		fsync(fd);
}

static int write_atomic(const char *dir, const char *path, const char *text, struct vs_error *err)
{
	char tmp[PATH_MAX];
	_cleanup_close_ int fd = -1;
	int r;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return vs_error_set(err, -ENAMETOOLONG, "%s: path too long", path);
	fd = mkostemp(tmp, O_CLOEXEC);      /* mode 0600 */
	if (fd < 0)
		return vs_error_set(err, -errno, "%s: cannot create: %s", tmp, strerror(errno));
	r = write_all(fd, text, strlen(text));
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return vs_error_set(err, r, "%s: cannot write state: %s", path, strerror(-r));
	}
	fsync_dir(dir);
	return 0;
}

int vs_state_save(const char *dir, const struct vs_state *st, struct vs_error *err)
{
	char path[PATH_MAX];
	json_object *o;
	int r;

	r = state_path(dir, st->uuid, path, sizeof(path));
	if (r < 0)
		return vs_error_set(err, r, "state: '%s' is not a guest UUID", st->uuid);
	r = ensure_dir(dir, err);
	if (r < 0)
		return r;
	o = state_to_json(st);
	if (!o)
		return vs_error_set(err, -ENOMEM, "%s: out of memory", path);
	r = write_atomic(dir, path, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE), err);
	json_object_put(o);
	return r;
}

int vs_state_remove(const char *dir, const char *uuid, struct vs_error *err)
{
	char path[PATH_MAX];
	int r = state_path(dir, uuid, path, sizeof(path));

	if (r < 0)
		return vs_error_set(err, r, "state: '%s' is not a guest UUID", uuid);
	if (unlink(path) < 0 && errno != ENOENT)
		return vs_error_set(err, -errno, "%s: %s", path, strerror(errno));
	fsync_dir(dir);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int vs_state_list(const char *dir, char ***uuids, struct vs_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = calloc(1, sizeof(*v));
	size_t n = 0, alloc = 1;
	int r = 0;

	if (!v || (!d && errno != ENOENT)) {
		r = v ? vs_error_set(err, -errno, "%s: %s", dir, strerror(errno)) : -ENOMEM;
		free(v);
		return r;
	}
	while (d && r == 0 && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len != VS_UUID_LEN + 5 || strcmp(de->d_name + VS_UUID_LEN, ".json") != 0)
			continue;
		r = vs_grow((void **)&v, &alloc, n + 2, sizeof(*v));
		if (r == 0 && !(v[n] = strndup(de->d_name, VS_UUID_LEN)))
			r = -ENOMEM;
		if (r == 0 && !vs_uuid_valid(v[n]))
			free(v[n]);
		else if (r == 0)
			n++;
		v[n] = NULL;
	}
	if (d)
		closedir(d);
	qsort(v, n, sizeof(*v), cmp_str);
	*uuids = v;
	return r < 0 ? (vs_strv_free(v), r) : (int)n;
}

int vs_state_lock(const char *dir, int timeout_ms, int *fd, struct vs_error *err)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	int r = ensure_dir(dir, err);

	if (r < 0)
		return r;
	/* The directory itself is the lock: nothing is left behind in it. */
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (*fd < 0)
		return vs_error_set(err, -errno, "%s: %s", dir, strerror(errno));
	for (int waited = 0; flock(*fd, LOCK_EX | LOCK_NB) < 0; waited += 10) {
		if (errno != EWOULDBLOCK || waited >= timeout_ms) {
			r = errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
			close(*fd);
			*fd = -1;
			return vs_error_set(err, r, "%s: cannot lock the state directory: %s", dir, strerror(-r));
		}
		nanosleep(&tick, NULL);
	}
	return 0;
}
