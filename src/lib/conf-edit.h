/* Changes written into virt-sriov.conf (the commands' --save): the file's
 * own lines are kept (comments, blank lines, order); a key is replaced on
 * its line or added after the last key of its section, a section missing
 * is added at the end.  The whole result is parsed by conf.c before it
 * replaces the file, atomically (a temporary file in the same directory
 * with the file's mode and owner, fsync, rename): a result the parser
 * refuses leaves the file as it was. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util.h"

struct vs_conf_edit {
	char *path;                   /* the file written (a symlink's target) */
	char **lines;                 /* without their '\n' */
	size_t n, alloc;
	bool exists;
	mode_t mode;                  /* the file's, kept; 0644 for a new file */
	uid_t uid;
	gid_t gid;
};

/* Read the file's lines; a missing file is an empty one (created by
 * vs_conf_edit_commit).  Not a regular file, unreadable, over 1 MiB:
 * -errno naming the path. */
int vs_conf_edit_open(const char *path, struct vs_conf_edit *e, struct vs_error *err);
void vs_conf_edit_free(struct vs_conf_edit *e);
/* Is "[KIND NAME]" (NAME NULL for [defaults]) in the file, as written? */
bool vs_conf_edit_has_section(const struct vs_conf_edit *e, const char *kind, const char *name);
/* KEY = VALUE in [KIND NAME]: the key's line replaced (a comment after the
 * value kept), else a line added to the section, else the section added. */
int vs_conf_edit_set(struct vs_conf_edit *e, const char *kind, const char *name, const char *key, const char *value,
		     struct vs_error *err);
/* The whole text, each line ending in '\n'. */
char *vs_conf_edit_text(const struct vs_conf_edit *e);
/* Parse the result as vs_conf_load would: -EINVAL with conf.c's message
 * ("PATH:LINE: ...") when it refuses it. */
int vs_conf_edit_check(const struct vs_conf_edit *e, struct vs_error *err);
/* vs_conf_edit_check, then the atomic replacement.  On any failure the
 * file is left untouched. */
int vs_conf_edit_commit(const struct vs_conf_edit *e, struct vs_error *err);
