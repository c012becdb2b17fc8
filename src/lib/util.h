/* Small shared helpers: cleanup attributes and the error-reporting convention.
 *
 * Convention for all of src/lib: functions return 0 (or a count) on success
 * and a negative errno on failure.  They never print and never exit.  Where a
 * caller needs to tell the user *which* device and value failed, the function
 * takes a `struct vs_error *` (may be NULL) and fills it with one line. */
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))

static inline void vs_freep(void *p) { free(*(void **)p); }
static inline void vs_fclosep(FILE **f) { if (*f) fclose(*f); }
static inline void vs_closep(int *fd) { if (*fd >= 0) close(*fd); }

#define _cleanup_free_ _cleanup_(vs_freep)
#define _cleanup_fclose_ _cleanup_(vs_fclosep)
#define _cleanup_close_ _cleanup_(vs_closep)

/* Hand ownership out of a _cleanup_ variable. */
#define TAKE_PTR(p) ({ __typeof__(p) _tp = (p); (p) = NULL; _tp; })
#define TAKE_FD(fd) ({ int _tf = (fd); (fd) = -1; _tf; })

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

struct vs_error {
	int code;          /* negative errno, 0 when no error was recorded */
	char msg[1024];    /* one line, names the device and the value */
};

/* Record an error and return `code` (a negative errno), so that library code
 * can write `return vs_error_set(err, -EINVAL, "%s: ...", dev);`.  `err` may be
 * NULL.  A second call does not overwrite the first message: the first
 * failure is the one the user needs to see. */
int vs_error_set(struct vs_error *err, int code, const char *fmt, ...) _printf_(3, 4);
void vs_error_clear(struct vs_error *err);

/* Growable array helper: ensures room for `need` elements of `size` bytes. */
int vs_grow(void **array, size_t *alloc, size_t need, size_t size);

/* Safe integer parsing; the whole string must be a number (surrounding
 * whitespace allowed).  Returns 0 or -EINVAL/-ERANGE. */
int vs_parse_long(const char *s, int base, long *out);
int vs_parse_ulong(const char *s, int base, unsigned long *out);

/* "52:54:00:12:34:56" <-> bytes.  Parse returns -EINVAL on bad syntax. */
int vs_parse_mac(const char *s, unsigned char mac[6]);
void vs_format_mac(const unsigned char mac[6], char out[18]);

/* Copy with truncation check: -ENAMETOOLONG when src does not fit. */
int vs_strlcpy(char *dst, const char *src, size_t size);

/* All of buf to fd, across short writes and EINTR.  0 or -errno. */
int vs_write_all(int fd, const void *buf, size_t len);

/* A name libvirt takes for a network or domain: libvirt refuses '/'; we
 * also refuse empty, over-long, blank and control characters. */
bool vs_libvirt_name_valid(const char *name);
