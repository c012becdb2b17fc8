/* What `attach` and `detach` share on the command line: the connection,
 * the inventory, the host config and the hook's environment. */
#pragma once

#include <json-c/json.h>
#include <libvirt/libvirt.h>

#include "attach.h"
#include "cli.h"
#include "conf.h"
#include "hook-exec.h"

struct vs_cli_attach {
	struct vs_attach_env env;
	struct vs_hook_env hook;
	struct vs_hook_nl nl;
	struct vs_conf conf;
};

/* Returns an exit status; on failure the error is printed. */
int vs_cli_attach_open(struct vs_cli *cli, struct vs_cli_attach *ctx);
void vs_cli_attach_close(struct vs_cli_attach *ctx);

/* "spoofchk=off trust=on" (malloc'ed, "" when nothing is set). */
char *vs_cli_settings_text(const struct vs_vf_config *cfg);
json_object *vs_cli_settings_json(const struct vs_vf_config *cfg);
/* "live", "config" or "live+config" */
const char *vs_cli_flags_text(unsigned flags);
