/* Every sysfs access of the project goes through one root, so that a
 * generated or captured host tree is used exactly like the live one
 * (`--sysfs-root DIR` / VIRT_SRIOV_SYSFS_ROOT).  Paths given to these
 * functions are absolute as on a live host ("/sys/bus/pci/devices/..."). */
#pragma once

#include <limits.h>
#include <stddef.h>

#include "util.h"

/* A device's name under /sys/bus/pci/devices ("0000:01:10.0", long enough
 * for odd domains) or of a non-PCI SR-IOV device ("netdevsim1"), and a
 * driver's name. */
#define VS_PCI_ADDR_MAX 32
#define VS_DRIVER_MAX 64

struct vs_sysfs {
	char root[PATH_MAX]; /* "" for the live host; never ends in '/' */
};

/* root NULL: $VIRT_SRIOV_SYSFS_ROOT, else the live host. */
int vs_sysfs_init(struct vs_sysfs *s, const char *root);
static inline int vs_sysfs_is_live(const struct vs_sysfs *s) { return s->root[0] == '\0'; }

/* Build root + formatted path.  -ENAMETOOLONG when it does not fit. */
int vs_sysfs_path(const struct vs_sysfs *s, char *buf, size_t len, const char *fmt, ...) _printf_(4, 5);
int vs_sysfs_vpath(const struct vs_sysfs *s, char *buf, size_t len, const char *fmt, va_list ap);

/* Read a small attribute file, trailing newline/space stripped.
 * Returns its length or a negative errno (-ENOENT, -EACCES, -EFBIG...). */
int vs_sysfs_read(const struct vs_sysfs *s, char *buf, size_t len, const char *fmt, ...) _printf_(4, 5);
/* Read an integer attribute (base 0: "0x1521" and "7" both work).
 * Garbage gives -EINVAL (never a silent 0). */
int vs_sysfs_read_long(const struct vs_sysfs *s, long *out, const char *fmt, ...) _printf_(3, 4);
/* Read a hex ID attribute such as "vendor" ("0x8086"). */
int vs_sysfs_read_hex(const struct vs_sysfs *s, unsigned *out, const char *fmt, ...) _printf_(3, 4);
/* Basename of a symlink's target ("driver" -> "igb", "physfn" -> "0000:01:00.0"). */
int vs_sysfs_link_base(const struct vs_sysfs *s, char *buf, size_t len, const char *fmt, ...) _printf_(4, 5);
/* Write a value to an attribute (no newline added).  Returns 0 or -errno. */
int vs_sysfs_write(const struct vs_sysfs *s, const char *value, const char *fmt, ...) _printf_(3, 4);
/* 1 exists, 0 does not, negative on other errors. */
int vs_sysfs_exists(const struct vs_sysfs *s, const char *fmt, ...) _printf_(2, 3);

/* List the entries of a directory (without . and ..), sorted with
 * vs_sysfs_name_cmp.  *names is a NULL-terminated array; free with
 * vs_strv_free.  Returns the count or a negative errno. */
int vs_sysfs_list(const struct vs_sysfs *s, char ***names, const char *fmt, ...) _printf_(3, 4);
void vs_strv_free(char **v);

/* Natural order: "virtfn2" < "virtfn10"; digit runs compare as numbers. */
int vs_sysfs_name_cmp(const char *a, const char *b);
