#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "statedir.h"
#include "sysfs.h"

static bool name_ok(const char *name)
{
	return name && *name && !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static int bad_name(const char *dir, const char *name, struct vs_error *err)
{
	return vs_error_set(err, -EINVAL, "%s: '%s' is not a file name in the state directory", dir,
			    name ? name : "(null)");
}

/* ---- the directory ---- */

static int open_dir_failed(const char *dir, int e, struct vs_error *err)
{
	struct stat sb;

	/* O_DIRECTORY|O_NOFOLLOW says ENOTDIR for a symlink too */
	if (e == ENOTDIR || e == ELOOP) {
		if (lstat(dir, &sb) == 0 && S_ISLNK(sb.st_mode))
			return vs_error_set(err, -ELOOP, "%s: the state directory is a symlink: refusing to use it", dir);
		return vs_error_set(err, -ENOTDIR, "%s: the state directory is not a directory", dir);
	}
	return vs_error_set(err, -e, "%s: %s", dir, strerror(e));
}

/* Whoever else can write here can make the hook, run as root, "put back"
 * VF settings of their choosing, or swap a file for a symlink. */
static int check_dir(const char *dir, int fd, struct vs_error *err)
{
	struct stat sb;

	if (fstat(fd, &sb) < 0)
		return vs_error_set(err, -errno, "%s: %s", dir, strerror(errno));
	if (sb.st_uid != geteuid())
		return vs_error_set(err, -EPERM, "%s: the state directory is owned by uid %u, not uid %u: refusing to use it",
				    dir, (unsigned)sb.st_uid, (unsigned)geteuid());
	if (sb.st_mode & (S_IWGRP | S_IWOTH))
		return vs_error_set(err, -EPERM,
				    "%s: the state directory has mode %04o, writable by group or others: refusing to use it",
				    dir, (unsigned)(sb.st_mode & 07777));
	return 0;
}

/* A descriptor of the checked directory.  -ENOENT without a message when
 * it is missing and create is false: no directory means no files. */
static int open_dir(const char *dir, bool create, struct vs_error *err)
{
	_cleanup_close_ int fd = -1;
	int r;

	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return vs_error_set(err, -errno, "%s: cannot create the state directory: %s", dir, strerror(errno));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && !create)
		return -ENOENT;
	if (fd < 0)
		return open_dir_failed(dir, errno, err);
	r = check_dir(dir, fd, err);
	return r < 0 ? r : TAKE_FD(fd);
}

int vs_statedir_ensure(const char *dir, struct vs_error *err)
{
	int fd = open_dir(dir, true, err);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* ---- files in it ---- */

/* Not a FIFO that would hang the hook, not a file another user made. */
static int check_file(const char *dir, const char *name, int fd, struct vs_error *err)
{
	struct stat sb;

	if (fstat(fd, &sb) < 0)
		return vs_error_set(err, -errno, "%s/%s: %s", dir, name, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return vs_error_set(err, -EINVAL, "%s/%s: not a regular file: refusing to use it", dir, name);
	if (sb.st_uid != geteuid())
		return vs_error_set(err, -EPERM, "%s/%s: owned by uid %u, not uid %u: refusing to use it", dir, name,
				    (unsigned)sb.st_uid, (unsigned)geteuid());
	return 0;
}

/* -ENOENT without a message when the file is missing and not created. */
static int open_file(const char *dir, int dfd, const char *name, int flags, struct vs_error *err)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	_cleanup_close_ int fd = openat(dfd, name, flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	int r;

	if (fd < 0 && errno == ELOOP)
		return vs_error_set(err, -ELOOP, "%s/%s: a symlink: refusing to use it", dir, name);
	if (fd < 0 && errno == ENOENT && !(flags & O_CREAT))
		return -ENOENT;
	if (fd < 0)
		return vs_error_set(err, -errno, "%s/%s: %s", dir, name, strerror(errno));
	r = check_file(dir, name, fd, err);
	return r < 0 ? r : TAKE_FD(fd);
}

/* ---- lock ---- */

static int wait_lock(int fd, const char *dir, const char *name, int timeout_ms, struct vs_error *err)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	const char *sep = name ? "/" : "";

	if (!name)
		name = "";
	for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; waited += 10) {
		if (errno != EWOULDBLOCK)
			return vs_error_set(err, -errno, "%s%s%s: cannot lock: %s", dir, sep, name, strerror(errno));
		if (waited >= timeout_ms)
			return vs_error_set(err, -ETIMEDOUT, "%s%s%s: cannot lock: another process still holds it after %d ms",
					    dir, sep, name, waited);
		nanosleep(&tick, NULL);
	}
	return 0;
}

/* Still DIR/NAME: a holder that removed the file before unlocking
 * (vs_statedir_unlock_remove) leaves its waiters an orphan lock. */
static bool still_named(int dfd, const char *name, int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && fstatat(dfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

static long since_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int vs_statedir_lock(const char *dir, const char *name, int timeout_ms, int *fd, struct vs_error *err)
{
	_cleanup_close_ int dfd = -1;
	struct timespec t0;
	int r;

	*fd = -1;
	if (name && !name_ok(name))
		return bad_name(dir, name, err);
	dfd = open_dir(dir, true, err);
	if (dfd < 0)
		return dfd;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		_cleanup_close_ int lfd = name ? open_file(dir, dfd, name, O_RDWR | O_CREAT, err) : dup(dfd);
		long left = timeout_ms - since_ms(&t0);

		if (lfd < 0)
			return name ? lfd : vs_error_set(err, -errno, "%s: %s", dir, strerror(errno));
		r = wait_lock(lfd, dir, name, left > 0 ? (int)left : 0, err);
		if (r < 0)
			return r;
		if (!name || still_named(dfd, name, lfd)) {
			*fd = TAKE_FD(lfd);
			return 0;
		}
	}
}

int vs_statedir_unlock_remove(const char *dir, const char *name, int fd)
{
	_cleanup_close_ int dfd = -1;
	int r = 0;

	if (fd < 0)
		return 0;
	if (!name_ok(name))
		r = -EINVAL;
	else if ((dfd = open_dir(dir, false, NULL)) < 0)
		r = dfd;
	/* still ours: only then is the name the lock we hold */
	else if (still_named(dfd, name, fd) && unlinkat(dfd, name, 0) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* ---- write ---- */

/* Fills the temporary file; the caller renames or unlinks it. */
static int fill_tmp(int fd, const void *data, size_t len)
{
	int r;

	/* mkostemp's 0600 is before the umask, which libvirtd passes down */
	if (fchmod(fd, 0600) < 0)
		return -errno;
	r = vs_write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	return r;
}

int vs_statedir_write(const char *dir, const char *name, const void *data, size_t len, struct vs_error *err)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	_cleanup_close_ int dfd = -1, fd = -1;
	int r;

	if (!name_ok(name))
		return bad_name(dir, name, err);
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return vs_error_set(err, -ENAMETOOLONG, "%s/%s: path too long", dir, name);
	dfd = open_dir(dir, true, err);
	if (dfd < 0)
		return dfd;
	/* a unique name in the same directory: two writers never share a
	 * temporary file, and rename() within one file system is atomic */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return vs_error_set(err, -errno, "%s: cannot create: %s", tmp, strerror(errno));
	r = fill_tmp(fd, data, len);
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return vs_error_set(err, r, "%s: cannot write: %s", path, strerror(-r));
	}
	/* makes the rename durable; the new content is in place whatever it
	 * says, so a failure here is not the caller's failure */
	fsync(dfd);
	return 0;
}

/* ---- read, remove, list ---- */

static int read_all(int fd, size_t max, char **out, size_t *len)
{
	_cleanup_free_ char *buf = malloc(max + 1);
	size_t total = 0;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	while ((n = read(fd, buf + total, max + 1 - total)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		total += (size_t)n;
		if (total > max)
			return -EFBIG;
	}
	buf[total] = '\0';
	if (len)
		*len = total;
	*out = TAKE_PTR(buf);
	return 0;
}

int vs_statedir_read(const char *dir, const char *name, size_t max, char **out, size_t *len,
		     struct vs_error *err)
{
	_cleanup_close_ int dfd = -1, fd = -1;
	int r;

	*out = NULL;
	if (!name_ok(name))
		return bad_name(dir, name, err);
	dfd = open_dir(dir, false, err);
	if (dfd < 0)
		return dfd;
	fd = open_file(dir, dfd, name, O_RDONLY, err);
	if (fd < 0)
		return fd;
	r = read_all(fd, max, out, len);
	if (r < 0)
		return vs_error_set(err, r, "%s/%s: cannot read: %s", dir, name, strerror(-r));
	return 0;
}

int vs_statedir_remove(const char *dir, const char *name, struct vs_error *err)
{
	_cleanup_close_ int dfd = -1;

	if (!name_ok(name))
		return bad_name(dir, name, err);
	dfd = open_dir(dir, false, err);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return dfd;
	if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
		return vs_error_set(err, -errno, "%s/%s: cannot remove: %s", dir, name, strerror(errno));
	fsync(dfd);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends to the NULL-terminated *v (vs_grow zeroes the slot after). */
static int collect(DIR *d, const char *suffix, char ***v, size_t *n, size_t *alloc)
{
	size_t slen = strlen(suffix);
	struct dirent *de;

	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (!name_ok(de->d_name) || len <= slen || strcmp(de->d_name + len - slen, suffix) != 0)
			continue;
		if (vs_grow((void **)v, alloc, *n + 2, sizeof(**v)) < 0 || !((*v)[*n] = strndup(de->d_name, len - slen)))
			return -ENOMEM;
		(*n)++;
	}
	return 0;
}

int vs_statedir_list(const char *dir, const char *suffix, char ***names, struct vs_error *err)
{
	_cleanup_close_ int dfd = -1;
	char **v = calloc(1, sizeof(*v));
	size_t n = 0, alloc = 1;
	DIR *d = NULL;
	int r = 0;

	*names = NULL;
	if (!v)
		return -ENOMEM;
	dfd = open_dir(dir, false, err);
	if (dfd >= 0 && !(d = fdopendir(dfd)))
		r = vs_error_set(err, -errno, "%s: %s", dir, strerror(errno));
	else if (d) {
		dfd = -1;       /* closedir() closes it */
		r = collect(d, suffix, &v, &n, &alloc);
		closedir(d);
	} else if (dfd != -ENOENT)
		r = dfd;
	if (r < 0) {
		vs_strv_free(v);
		return r;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	*names = v;
	return (int)n;
}
