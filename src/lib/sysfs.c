#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "sysfs.h"

int vs_sysfs_init(struct vs_sysfs *s, const char *root)
{
	size_t n;

	if (!root)
		root = getenv("VIRT_SRIOV_SYSFS_ROOT");
	if (!root)
		root = "";
	if (vs_strlcpy(s->root, root, sizeof(s->root)) < 0)
		return -ENAMETOOLONG;
	n = strlen(s->root);
	while (n > 0 && s->root[n - 1] == '/')
		s->root[--n] = '\0';
	return 0;
}

int vs_sysfs_vpath(const struct vs_sysfs *s, char *buf, size_t len, const char *fmt, va_list ap)
{
	size_t rl = strlen(s->root);
	int n;

	if (rl >= len)
		return -ENAMETOOLONG;
	memcpy(buf, s->root, rl);
	n = vsnprintf(buf + rl, len - rl, fmt, ap);
	if (n < 0 || (size_t)n >= len - rl)
		return -ENAMETOOLONG;
	return 0;
}

/* Expand the caller's "fmt, ..." into path; returns the error from the caller. */
#define FORMAT_PATH_OR_RETURN(s, path, fmt)                                   \
	do {                                                                  \
		va_list ap_;                                                  \
		int r_;                                                       \
		va_start(ap_, fmt);                                           \
		r_ = vs_sysfs_vpath(s, path, sizeof(path), fmt, ap_);        \
		va_end(ap_);                                                  \
		if (r_ < 0)                                                   \
			return r_;                                            \
	} while (0)

int vs_sysfs_path(const struct vs_sysfs *s, char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vs_sysfs_vpath(s, buf, len, fmt, ap);
	va_end(ap);
	return r;
}

static int read_file(const char *path, char *buf, size_t len)
{
	_cleanup_close_ int fd = -1;
	size_t total = 0;
	ssize_t n;

	if (len == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (total == len - 1) {
			char extra;

			n = read(fd, &extra, 1);
			if (n > 0)
				return -EFBIG;
			break;
		}
		n = read(fd, buf + total, len - 1 - total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		total += (size_t)n;
	}
	while (total > 0 && isspace((unsigned char)buf[total - 1]))
		total--;
	buf[total] = '\0';
	return (int)total;
}

int vs_sysfs_read(const struct vs_sysfs *s, char *buf, size_t len, const char *fmt, ...)
{
	char path[PATH_MAX];

	FORMAT_PATH_OR_RETURN(s, path, fmt);
	return read_file(path, buf, len);
}

static int vread_long(const struct vs_sysfs *s, long *out, int base, const char *fmt, va_list ap)
{
	char path[PATH_MAX], buf[64];
	int r;

	r = vs_sysfs_vpath(s, path, sizeof(path), fmt, ap);
	if (r < 0)
		return r;
	r = read_file(path, buf, sizeof(buf));
	if (r < 0)
		return r == -EFBIG ? -EINVAL : r;
	return vs_parse_long(buf, base, out);
}

int vs_sysfs_read_long(const struct vs_sysfs *s, long *out, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vread_long(s, out, 0, fmt, ap);
	va_end(ap);
	return r;
}

int vs_sysfs_read_hex(const struct vs_sysfs *s, unsigned *out, const char *fmt, ...)
{
	va_list ap;
	long v;
	int r;

	va_start(ap, fmt);
	r = vread_long(s, &v, 16, fmt, ap);
	va_end(ap);
	if (r < 0)
		return r;
	if (v < 0 || v > 0xffffffffL)
		return -ERANGE;
	*out = (unsigned)v;
	return 0;
}

int vs_sysfs_link_base(const struct vs_sysfs *s, char *buf, size_t len, const char *fmt, ...)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	FORMAT_PATH_OR_RETURN(s, path, fmt);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	while (n > 1 && target[n - 1] == '/')
		target[--n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	return vs_strlcpy(buf, base, len);
}

int vs_sysfs_write(const struct vs_sysfs *s, const char *value, const char *fmt, ...)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	size_t len = strlen(value);
	ssize_t n;

	FORMAT_PATH_OR_RETURN(s, path, fmt);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_TRUNC);
	if (fd < 0)
		return -errno;
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

int vs_sysfs_exists(const struct vs_sysfs *s, const char *fmt, ...)
{
	char path[PATH_MAX];
	struct stat st;

	FORMAT_PATH_OR_RETURN(s, path, fmt);
	if (stat(path, &st) == 0)
		return 1;
	return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
}

void vs_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

int vs_sysfs_name_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *sa, *sb;
			size_t la, lb;
			int c;

			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (sa = a; isdigit((unsigned char)*a); a++)
				;
			for (sb = b; isdigit((unsigned char)*b); b++)
				;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			c = memcmp(sa, sb, la);
			if (c)
				return c;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int name_qsort_cmp(const void *a, const void *b)
{
	return vs_sysfs_name_cmp(*(char *const *)a, *(char *const *)b);
}

int vs_sysfs_list(const struct vs_sysfs *s, char ***names, const char *fmt, ...)
{
	char path[PATH_MAX];
	DIR *dir;
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, alloc = 0;
	int r;

	FORMAT_PATH_OR_RETURN(s, path, fmt);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		r = vs_grow((void **)&v, &alloc, n + 2, sizeof(*v));
		if (r < 0)
			break;
		v[n] = strdup(de->d_name);
		if (!v[n]) {
			r = -ENOMEM;
			break;
		}
		v[++n] = NULL;
	}
	closedir(dir);
	if (r < 0) {
		vs_strv_free(v);
		return r;
	}
	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v)
			return -ENOMEM;
	}
	qsort(v, n, sizeof(*v), name_qsort_cmp);
	*names = v;
	return (int)n;
}
