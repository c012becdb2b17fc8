/* virt-sriov.conf changed line by line: what the admin wrote stays as
 * written, and conf.c judges the result before it reaches the disk. */
#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf-edit.h"
#include "conf.h"

#define EDIT_MAX (1 << 20)

void vs_conf_edit_free(struct vs_conf_edit *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->lines[i]);
	free(e->lines);
	free(e->path);
	memset(e, 0, sizeof(*e));
}

static int insert_line(struct vs_conf_edit *e, size_t at, const char *text)
{
	char *copy = strdup(text);

	if (!copy || vs_grow((void **)&e->lines, &e->alloc, e->n + 1, sizeof(*e->lines)) < 0) {
		free(copy);
		return -ENOMEM;
	}
	memmove(e->lines + at + 1, e->lines + at, (e->n - at) * sizeof(*e->lines));
	e->lines[at] = copy;
	e->n++;
	return 0;
}

static int split_lines(struct vs_conf_edit *e, char *text)
{
	char *line = text, *next;
	int r = 0;

	for (; *line && r == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		r = insert_line(e, e->n, line);
	}
	return r;
}

/* The edit writes the file a symlink points to, not a file in its place. */
static int resolve_path(const char *path, struct vs_conf_edit *e, struct stat *st, struct vs_error *err)
{
	char real[PATH_MAX];

	if (lstat(path, st) == 0 && S_ISLNK(st->st_mode)) {
		if (!realpath(path, real))
			return vs_error_set(err, -errno, "%s: cannot follow the symlink: %s", path, strerror(errno));
		path = real;
	}
	e->path = strdup(path);
	if (!e->path)
		return -ENOMEM;
	if (stat(e->path, st) < 0) {
		if (errno != ENOENT)
			return vs_error_set(err, -errno, "%s: %s", e->path, strerror(errno));
		return 0;
	}
	if (!S_ISREG(st->st_mode))
		return vs_error_set(err, -EINVAL, "%s: not a regular file: refusing to replace it", e->path);
	if (st->st_size > EDIT_MAX)
		return vs_error_set(err, -EFBIG, "%s: larger than %d bytes", e->path, EDIT_MAX);
	e->exists = true;
	return 0;
}

static int read_text(const char *path, char **out, struct vs_error *err)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char *buf = calloc(1, EDIT_MAX + 1);
	size_t n;

	if (!buf)
		return -ENOMEM;
	if (!f) {
		free(buf);
		return vs_error_set(err, -errno, "%s: %s", path, strerror(errno));
	}
	n = fread(buf, 1, EDIT_MAX + 1, f);
	if (ferror(f) || n > EDIT_MAX || memchr(buf, '\0', n)) {
		free(buf);
		return vs_error_set(err, -EINVAL, "%s: cannot read it as a text file of at most %d bytes", path, EDIT_MAX);
	}
	*out = buf;
	return 0;
}

int vs_conf_edit_open(const char *path, struct vs_conf_edit *e, struct vs_error *err)
{
	_cleanup_free_ char *text = NULL;
	struct stat st;
	int r;

	memset(e, 0, sizeof(*e));
	e->mode = 0644;
	e->uid = geteuid();
	e->gid = getegid();
	r = resolve_path(path, e, &st, err);
	if (r == 0 && e->exists) {
		e->mode = st.st_mode & 07777;
		e->uid = st.st_uid;
		e->gid = st.st_gid;
		r = read_text(e->path, &text, err);
	}
	if (r == 0 && text)
		r = split_lines(e, text);
	if (r < 0)
		vs_conf_edit_free(e);
	return r;
}

/* "[kind name]" with any blanks and a comment after it: kind and name, as
 * conf.c splits them. */
static bool header_is(const char *line, const char *kind, const char *name)
{
	const char *p = line + strspn(line, " \t"), *end, *w, *n;
	size_t wl, nl;

	if (*p != '[' || !(end = strchr(p, ']')))
		return false;
	w = p + 1 + strspn(p + 1, " \t");
	wl = strcspn(w, " \t]");
	n = w + wl + strspn(w + wl, " \t");
	nl = (size_t)(end - n);
	while (nl > 0 && isspace((unsigned char)n[nl - 1]))
		nl--;
	if (wl != strlen(kind) || strncmp(w, kind, wl) != 0)
		return false;
	return name ? nl == strlen(name) && strncmp(n, name, nl) == 0 : nl == 0;
}

static bool is_header(const char *line)
{
	return line[strspn(line, " \t")] == '[';
}

static ssize_t find_section(const struct vs_conf_edit *e, const char *kind, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (header_is(e->lines[i], kind, name))
			return (ssize_t)i;
	return -1;
}

bool vs_conf_edit_has_section(const struct vs_conf_edit *e, const char *kind, const char *name)
{
	return find_section(e, kind, name) >= 0;
}

/* "key = ..." (not a comment): the key as conf.c reads it. */
static bool key_is(const char *line, const char *key)
{
	const char *p = line + strspn(line, " \t");
	size_t kl = strlen(key);

	return strncmp(p, key, kl) == 0 && p[kl + strspn(p + kl, " \t")] == '=';
}

/* A comment after the value (" # why"), as conf.c cuts it; "" none. */
static const char *trailing_comment(const char *line)
{
	for (const char *c = line; *c; c++)
		if ((*c == '#' || *c == ';') && c > line && isspace((unsigned char)c[-1]))
			return c - 1;
	return "";
}

static int set_in_section(struct vs_conf_edit *e, size_t header, const char *key, const char *value)
{
	_cleanup_free_ char *line = NULL;
	size_t end = header + 1, after = header + 1;

	for (; end < e->n && !is_header(e->lines[end]); end++) {
		const char *p = e->lines[end] + strspn(e->lines[end], " \t");

		if (key_is(e->lines[end], key)) {
			if (asprintf(&line, "%s = %s%s", key, value, trailing_comment(e->lines[end])) < 0)
				return -ENOMEM;
			free(e->lines[end]);
			e->lines[end] = TAKE_PTR(line);
			return 0;
		}
		/* after the section's last key: the comments and blank lines
		 * before the next section belong to that section */
		if (*p && *p != '#' && *p != ';')
			after = end + 1;
	}
	if (asprintf(&line, "%s = %s", key, value) < 0)
		return -ENOMEM;
	return insert_line(e, after, line);
}

int vs_conf_edit_set(struct vs_conf_edit *e, const char *kind, const char *name, const char *key, const char *value,
		     struct vs_error *err)
{
	ssize_t header = find_section(e, kind, name);
	_cleanup_free_ char *text = NULL;
	int r;

	if (strpbrk(value, "\n#;") || strchr(key, '=') || (name && strpbrk(name, "\n]")))
		return vs_error_set(err, -EINVAL, "[%s %s] %s = %s: not a value the file can hold", kind, name ? name : "",
				    key, value);
	if (header >= 0)
		return set_in_section(e, (size_t)header, key, value);
	if (e->n > 0 && e->lines[e->n - 1][0] && (r = insert_line(e, e->n, "")) < 0)
		return r;
	if (asprintf(&text, "[%s%s%s]", kind, name ? " " : "", name ? name : "") < 0)
		return -ENOMEM;
	r = insert_line(e, e->n, text);
	return r < 0 ? r : set_in_section(e, e->n - 1, key, value);
}

char *vs_conf_edit_text(const struct vs_conf_edit *e)
{
	size_t len = 1, used = 0;
	char *text;

	for (size_t i = 0; i < e->n; i++)
		len += strlen(e->lines[i]) + 1;
	text = malloc(len);
	for (size_t i = 0; text && i < e->n; i++)
		used += (size_t)sprintf(text + used, "%s\n", e->lines[i]);
	if (text)
		text[used] = '\0';
	return text;
}

int vs_conf_edit_check(const struct vs_conf_edit *e, struct vs_error *err)
{
	_cleanup_free_ char *text = vs_conf_edit_text(e);
	struct vs_conf conf;
	int r;

	if (!text)
		return -ENOMEM;
	r = vs_conf_parse_string(text, e->path, &conf, err);
	if (r < 0)
		return r;
	vs_conf_free(&conf);
	return 0;
}

/* The temporary file gets the mode and owner before its content: it is
 * never readable by more than the file it replaces. */
static int write_temp(const struct vs_conf_edit *e, const char *text, const char *tmp)
{
	_cleanup_close_ int fd = mkostemp((char *)tmp, O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	if (fchmod(fd, e->mode) < 0 || (fchown(fd, e->uid, e->gid) < 0 && errno != EPERM))
		return -errno;
	r = vs_write_all(fd, text, strlen(text));
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r == 0 && close(TAKE_FD(fd)) < 0)
		r = -errno;
	return r;
}

static void sync_dir(const char *dir)
{
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0)
		(void)fsync(fd);
}

int vs_conf_edit_commit(const struct vs_conf_edit *e, struct vs_error *err)
{
	_cleanup_free_ char *text = vs_conf_edit_text(e), *dir_copy = strdup(e->path), *tmp = NULL;
	const char *dir;
	int r;

	if (!text || !dir_copy)
		return -ENOMEM;
	r = vs_conf_edit_check(e, err);
	if (r < 0)
		return r;
	dir = dirname(dir_copy);
	if (asprintf(&tmp, "%s/.virt-sriov.conf.XXXXXX", dir) < 0)
		return -ENOMEM;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return vs_error_set(err, -errno, "%s: cannot create the directory: %s", dir, strerror(errno));
	r = write_temp(e, text, tmp);
	if (r == 0 && rename(tmp, e->path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return vs_error_set(err, r, "%s: cannot replace it (through %s): %s", e->path, tmp, strerror(-r));
	}
	sync_dir(dir);
	return 0;
}
