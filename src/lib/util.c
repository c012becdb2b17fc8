#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int vs_error_set(struct vs_error *err, int code, const char *fmt, ...)
{
	if (err && err->code == 0) {
		va_list ap;

		err->code = code ? code : -EIO;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

void vs_error_clear(struct vs_error *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}

int vs_grow(void **array, size_t *alloc, size_t need, size_t size)
{
	size_t n;
	void *p;

	if (need <= *alloc)
		return 0;
	n = *alloc ? *alloc : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			return -ENOMEM;
		n *= 2;
	}
	p = realloc(*array, n * size);
	if (!p)
		return -ENOMEM;
	memset((char *)p + *alloc * size, 0, (n - *alloc) * size);
	*array = p;
	*alloc = n;
	return 0;
}

static bool only_space(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

int vs_parse_long(const char *s, int base, long *out)
{
	char *end;
	long v;

	if (!s || only_space(s))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s || !only_space(end))
		return -EINVAL;
	*out = v;
	return 0;
}

int vs_parse_ulong(const char *s, int base, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || only_space(s))
		return -EINVAL;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s || !only_space(end))
		return -EINVAL;
	*out = v;
	return 0;
}

int vs_parse_mac(const char *s, unsigned char mac[6])
{
	unsigned int b[6];
	char tail;

	if (!s || strlen(s) != 17)
		return -EINVAL;
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return -EINVAL;
	}
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (unsigned char)b[i];
	return 0;
}

void vs_format_mac(const unsigned char mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

int vs_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (n >= size) {
		if (size) {
			memcpy(dst, src, size - 1);
			dst[size - 1] = '\0';
		}
		return -ENAMETOOLONG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

int vs_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

bool vs_libvirt_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > 200 || strchr(name, '/'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (iscntrl((unsigned char)name[i]) || name[i] == ' ')
			return false;
	return true;
}
