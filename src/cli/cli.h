/* Shared state of one virt-sriov invocation and the command table. */
#pragma once

#include <stdbool.h>

#include "sysfs.h"
#include "util.h"

enum {
	VS_EXIT_OK = 0,
	VS_EXIT_FAILURE = 1,
	VS_EXIT_USAGE = 2,
};

struct vs_cli {
	const char *prog;
	const char *uri;          /* -c URI; NULL: $LIBVIRT_DEFAULT_URI, then qemu:///system */
	struct vs_sysfs sysfs;
	bool json;
	bool dry_run;
};

struct vs_command {
	const char *name;
	int (*fn)(struct vs_cli *cli, int argc, char **argv);
	const char *args;         /* usage after the command name */
	const char *help;         /* one line */
};

extern const struct vs_command vs_commands[];

/* "virt-sriov: <msg>" on stderr; returns `status` for `return vs_cli_fail(...)`. */
int vs_cli_fail(int status, const char *fmt, ...) _printf_(2, 3);
void vs_cli_warn(const char *fmt, ...) _printf_(1, 2);
/* Print the library error (or a fallback) and return VS_EXIT_FAILURE. */
int vs_cli_fail_err(const struct vs_error *err, const char *what);
/* The URI to use: -c, $LIBVIRT_DEFAULT_URI, qemu:///system. */
const char *vs_cli_uri(const struct vs_cli *cli);

#define VS_CMD(name) int vs_cmd_##name(struct vs_cli *cli, int argc, char **argv)
VS_CMD(list);
VS_CMD(show);
VS_CMD(check);
VS_CMD(numvfs);
VS_CMD(bind);
VS_CMD(vf);
VS_CMD(xml);
VS_CMD(network);
VS_CMD(attach);
VS_CMD(detach);
VS_CMD(policy);
VS_CMD(plan);
VS_CMD(reconcile);
VS_CMD(apply);
