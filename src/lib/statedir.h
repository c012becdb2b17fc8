/* The one owner of the files in the state directory (the hook's per-guest
 * state, attach's lock and reservations).
 *
 * The directory holds what the hook must put back after a crash, and it
 * is run as root: it is used only when it is a real directory (not a
 * symlink) owned by the effective user and writable by nobody else, and a
 * file in it is read only when it is a regular file of that user.  Writes
 * go to a unique temporary name, are fsync'ed and renamed, so a crash
 * leaves the old content or the new, never a mix.
 *
 * NAME arguments are plain file names in DIR: no '/', not "." or "..". */
#pragma once

#include <stddef.h>

#include "util.h"

/* Create DIR (0700) when missing and check it as above. */
int vs_statedir_ensure(const char *dir, struct vs_error *err);

/* Exclusive flock, polled every 10 ms for at most timeout_ms (a hung
 * holder gives a message, not a hang): -ETIMEDOUT when it stays held.
 * NAME NULL locks the directory itself, leaving nothing in it; otherwise
 * DIR/NAME is created (0600) as the lock file.  Close *fd to unlock; the
 * kernel drops the lock of a killed holder. */
int vs_statedir_lock(const char *dir, const char *name, int timeout_ms, int *fd, struct vs_error *err);
/* Remove the lock file DIR/NAME while still holding it, then close fd:
 * nothing is left behind, and a waiter that got the removed file's lock
 * sees it is no longer DIR/NAME and locks the name anew (vs_statedir_lock
 * checks), so two holders never coexist. */
int vs_statedir_unlock_remove(const char *dir, const char *name, int fd);

/* Replace DIR/NAME with `len` bytes of data, mode 0600, atomically.  DIR
 * is created when missing. */
int vs_statedir_write(const char *dir, const char *name, const void *data, size_t len, struct vs_error *err);

/* The whole of DIR/NAME, NUL-terminated, in *out (free it); its length in
 * *len when len is not NULL.  -ENOENT, with err untouched, when the file or
 * the directory is missing; -EFBIG when it is longer than max bytes. */
int vs_statedir_read(const char *dir, const char *name, size_t max, char **out, size_t *len,
		     struct vs_error *err);

/* Missing already (file or directory) is fine. */
int vs_statedir_remove(const char *dir, const char *name, struct vs_error *err);

/* Names in DIR that end with `suffix`, with the suffix cut off, sorted;
 * NULL-terminated, free with vs_strv_free.  Returns the count; a missing
 * directory has none. */
int vs_statedir_list(const char *dir, const char *suffix, char ***names, struct vs_error *err);
