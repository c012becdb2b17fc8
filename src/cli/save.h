/* --save of vf set, numvfs and bind: the change also written into
 * virt-sriov.conf (conf-edit.h), so that virt-sriov apply makes it again at
 * boot; without --save, one note that it lasts until reboot. */
#pragma once

#include <stdbool.h>

#include "cli.h"
#include "conf-edit.h"
#include "conf.h"
#include "inventory.h"

struct vs_cli_save {
	bool save;                    /* --save */
	const char *config;           /* --config FILE; NULL: vs_conf_path() */
	bool opened;
	struct vs_conf_edit edit;
};

/* KEY = VALUE in [pf NAME] of this PF: the section that names it by netdev
 * or address when there is one, else a new one by its netdev (or address).
 * An exit status; on failure the error is printed. */
int vs_cli_save_pf(struct vs_cli_save *s, const struct vs_pf *pf, const char *key, const char *value);
/* KEY = VALUE in [vfs SPEC] for a VFSET as given (PF#SET), or [vfs PF#N]
 * for a VF given by its address. */
int vs_cli_save_vfs(struct vs_cli_save *s, const struct vs_host *host, const char *spec, const char *key,
		    const char *value);
/* Before the change is made: the edited file must parse (exit 1 naming the
 * line otherwise, nothing changed). */
int vs_cli_save_check(struct vs_cli_save *s);
/* After the change: the file replaced (with --save; printed, not written,
 * in a dry run), or the note that the change lasts until reboot (not with
 * --json, not in a dry run).  Frees s. */
int vs_cli_save_finish(const struct vs_cli *cli, struct vs_cli_save *s);
void vs_cli_save_free(struct vs_cli_save *s);
