/* The hook's memory between a guest's start and its release: one JSON file
 * per guest, named by its UUID (never by its name), under
 * VS_RUNSTATEDIR/virt-sriov ($VIRT_SRIOV_STATE_DIR for tests).  The files
 * are read and written through statedir.h: replaced atomically, mode 0600
 * in a 0700 directory of ours, so a crash leaves the old file or the new. */
#pragma once

#include <json-c/json.h>
#include <net/if.h>
#include <stdbool.h>

#include "representor.h"
#include "sysfs.h"
#include "util.h"
#include "vfconfig.h"

#define VS_UUID_LEN 36
#define VS_STATE_VERSION 1
/* The largest state file load reads; save refuses to write a larger one,
 * so whatever is saved can be put back. */
#define VS_STATE_MAX (1 << 20)

struct vs_state_vf {
	char address[VS_PCI_ADDR_MAX];
	char pf[IFNAMSIZ];            /* PF netdev the settings are sent to */
	char pf_address[VS_PCI_ADDR_MAX];
	int index;
	char *network;                /* pool it came from; NULL for a domain device */
	struct vs_vf_config saved;    /* what to put back: only the fields changed */
	struct vs_vf_config applied;
};

/* A representor the hook brought up (and put in a bridge) at the start:
 * release takes it out of the bridge again. */
struct vs_state_rep {
	char vf[VS_PCI_ADDR_MAX];
	char netdev[IFNAMSIZ];
	struct vs_rep_bridge bridge;  /* kind NONE: only brought up */
};

struct vs_state {
	char uuid[VS_UUID_LEN + 1];
	char *name;                   /* for messages only */
	char *policy;                 /* the guest's policy element, for the network hook */
	struct vs_state_vf *vfs;
	size_t n, alloc;
	struct vs_state_rep *reps;
	size_t n_reps, alloc_reps;
};

/* Canonical 8-4-4-4-12 hex form only: it becomes a file name. */
bool vs_uuid_valid(const char *s);

/* $VIRT_SRIOV_STATE_DIR, else VS_RUNSTATEDIR "/virt-sriov". */
const char *vs_state_dir(void);

void vs_state_free(struct vs_state *st);
/* -ENOENT when the guest has no state file. */
int vs_state_load(const char *dir, const char *uuid, struct vs_state *st, struct vs_error *err);
/* Creates dir (0700) when missing.  Atomic replace.  -EFBIG, writing
 * nothing, when the file would be over VS_STATE_MAX. */
int vs_state_save(const char *dir, const struct vs_state *st, struct vs_error *err);
int vs_state_remove(const char *dir, const char *uuid, struct vs_error *err);
/* UUIDs that have a state file, sorted; NULL-terminated, free with vs_strv_free.
 * A missing directory is an empty list. */
int vs_state_list(const char *dir, char ***uuids, struct vs_error *err);

/* Exclusive lock over the directory's state (guests starting side by side),
 * waiting at most timeout_ms.  *fd is closed to unlock. */
int vs_state_lock(const char *dir, int timeout_ms, int *fd, struct vs_error *err);
/* Exclusive lock over one guest's state file (DIR/UUID.lock).  Taken
 * after vs_state_lock when both are held, never before. */
int vs_state_lock_guest(const char *dir, const char *uuid, int timeout_ms, int *fd, struct vs_error *err);
/* Unlock; when the guest has no state file left, remove the lock file too
 * (safely: vs_statedir_unlock_remove). */
void vs_state_unlock_guest(const char *dir, const char *uuid, int fd);

/* What killed writers leave: a guest's lock file without its state file,
 * and half-written temporary files (UUID.json.XXXXXX).  Each guest's lock
 * is tried without waiting: a guest someone is working on is left alone.
 * Returns how many files were removed. */
int vs_state_sweep(const char *dir, struct vs_error *err);
struct vs_state_vf *vs_state_find_vf(struct vs_state *st, const char *address);
/* Append a VF entry (zeroed configs); NULL on no memory. */
struct vs_state_vf *vs_state_add_vf(struct vs_state *st, const char *address);
void vs_state_remove_vf(struct vs_state *st, struct vs_state_vf *vf);
/* The representor entry of a VF, created when asked; NULL when absent or
 * no memory. */
struct vs_state_rep *vs_state_rep(struct vs_state *st, const char *vf, bool create);
void vs_state_remove_rep(struct vs_state *st, struct vs_state_rep *rep);
/* Something to keep: VFs, representors or the policy. */
bool vs_state_has_content(const struct vs_state *st);
