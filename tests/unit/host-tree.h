/* Generated sysfs host trees for unit tests (tests/tools/gen-host-tree). */
#pragma once

#include <stddef.h>

/* Run the generator with args (NULL-terminated) into a fresh temporary
 * directory; returns its malloc'ed path, NULL on failure. */
char *ht_generate(const char *const *args);
/* rm -rf the tree and free the path. */
void ht_remove(char *root);
/* Write (create or replace) ROOT/rel with content.  0 or -errno. */
int ht_put(const char *root, const char *rel, const char *content);
/* Read ROOT/rel into buf (trailing newline stripped).  Length or -errno. */
int ht_get(const char *root, const char *rel, char *buf, size_t len);
/* Replace a symlink ROOT/rel by one pointing at target. */
int ht_link(const char *root, const char *rel, const char *target);
/* Remove ROOT/rel (a file, a link or an empty directory). */
int ht_unlink(const char *root, const char *rel);
/* Every entry of the tree with its type, link target or content, sorted:
 * two snapshots compare equal when nothing was written. */
char *ht_snapshot(const char *root);
