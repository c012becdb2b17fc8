/* Shared state of one virt-sriov invocation and the command table. */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sysfs.h"
#include "util.h"

enum {
	VS_EXIT_OK = 0,
	VS_EXIT_FAILURE = 1,
	VS_EXIT_USAGE = 2,
	/* Not an exit status (above 255): --help was printed, stop with
	 * VS_EXIT_OK.  Only parse_args returns it; see below. */
	VS_EXIT_DONE = 256,
};

/* Every command parses its arguments the same way, in its cmd-*.c:
 *
 *     static int parse_args(struct vs_cli *cli, int argc, char **argv, struct NAME_args *a);
 *
 * argv[0] is the command name (argv[1] the verb, where the command has
 * verbs: main.c found it, cli->cmd); the options come from the command
 * table through vs_cli_getopt (options.h), and it ends with vs_cli_ready,
 * the remote-URI and root checks.  `a` holds what the command itself takes
 * (check takes nothing but --json and has none).  It returns
 *   VS_EXIT_OK     `a` is filled: run the command;
 *   VS_EXIT_DONE   the help is on stdout: stop, exit status 0;
 *   VS_EXIT_USAGE  the message is on stderr: stop, exit status 2;
 *   VS_EXIT_FAILURE  it needs root: stop, exit status 1.
 * The command then writes
 *
 *     r = parse_args(cli, argc, argv, &a);
 *     if (r != VS_EXIT_OK)
 *             return vs_cli_stop(r);
 *
 * `COMMAND --help` and `help COMMAND` print the same text, made from the
 * table (vs_cli_command_usage). */
static inline int vs_cli_stop(int status)
{
	return status == VS_EXIT_DONE ? VS_EXIT_OK : status;
}

struct vs_cli {
	const char *prog;
	const char *uri;          /* -c URI; NULL: $LIBVIRT_DEFAULT_URI, then qemu:///system */
	struct vs_sysfs sysfs;
	bool json;
	bool dry_run;
	char **argv;              /* the whole command line, for vs_cli_exec_full */
	const struct vs_command *cmd;  /* the command (or verb) being run, from the table */
	const char *source;       /* --source libvirt|sysfs, or NULL */
	bool libvirt_source;      /* devices from libvirt's node devices (nodedev.h): a remote
				     URI or --source libvirt; set by vs_cli_ready */
	char remote[256];         /* the host a remote URI names; "" local */
};

/* What a command (or one of its options) needs, checked once before it
 * does anything (vs_cli_ready, main.c).  Root: unless the run is dry, or the
 * thing written is the user's own (--sysfs-root DIR, $VIRT_SRIOV_STATE_DIR,
 * a libvirt URI other than a local .../system one). */
enum {
	VS_NEED_SYSFS = 1 << 0,   /* writes sysfs */
	VS_NEED_NETLINK = 1 << 1, /* sets VFs over rtnetlink */
	VS_NEED_STATE = 1 << 2,   /* writes the state directory */
	VS_NEED_LIBVIRT = 1 << 3, /* changes things through libvirt */
	VS_LOCAL = 1 << 4,        /* reads this host's devices: refuses a remote URI */
	VS_TAKES_DRY_RUN = 1 << 5,  /* takes -n, --dry-run after its name too */
	VS_TAKES_SETTINGS = 1 << 6, /* takes every VF setting (vfconfig.h) as an option */
	VS_REMOTE_OK = 1 << 7,    /* reads devices, from libvirt's node devices over a remote
				     URI (or with --source libvirt): not refused as VS_LOCAL is */
};

/* One option of a command: the getopt table and the --help text at once. */
struct vs_opt {
	const char *name;         /* --NAME */
	int id;                   /* what vs_cli_getopt returns (> 0) */
	char short_name;          /* -X too, or 0 */
	const char *arg;          /* the argument in the help ("SEC"); NULL: takes none */
	const char *help;         /* one line, wrapped when printed; NULL: not shown */
	unsigned needs;           /* VS_LOCAL, VS_NEED_*: what giving it adds */
};

/* The command table: a command, or one of its verbs (vf set).  A command
 * with verbs has no options of its own. */
struct vs_command {
	const char *name;         /* "numvfs"; a verb's full name: "vf set" */
	int (*fn)(struct vs_cli *cli, int argc, char **argv);  /* NULL for a verb */
	const char *args;         /* synopsis after the name, as in the README */
	const char *help;         /* one line */
	const char *about;        /* what --help says after the usage line, or NULL */
	const struct vs_opt *opts;  /* NULL-name terminated; NULL: none */
	unsigned needs;
	const struct vs_command *verbs;  /* NULL-name terminated; NULL: none */
};

extern const struct vs_command vs_commands[];
extern const struct vs_opt vs_global_opts[];

/* The command (or verb, when argv[1] names one) of argv; NULL if none. */
const struct vs_command *vs_cli_find(const char *name, const char *verb);
/* The overview: global options and the command table. */
void vs_cli_usage(FILE *out, const char *prog);
/* COMMAND --help: its usage, made from the table. */
void vs_cli_command_usage(FILE *out, const struct vs_cli *cli, const struct vs_command *cmd);

/* `virt-sriov` is two programs: what most runs need (vf set/reset, check,
 * help) is linked against neither libxml2 (with ICU and libstdc++) nor
 * libvirt, and starts as fast as `ip`; every other command execs the full
 * program, `$(pkglibexecdir)/virt-sriov-full`, with the same command line
 * ($VIRT_SRIOV_FULL, or virt-sriov-full beside the program, first: the
 * build tree).  Returns only on failure, with an exit status. */
int vs_cli_exec_full(struct vs_cli *cli, int argc, char **argv);

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
VS_CMD(eswitch);
VS_CMD(vf);
VS_CMD(xml);
VS_CMD(network);
VS_CMD(attach);
VS_CMD(detach);
VS_CMD(policy);
VS_CMD(plan);
VS_CMD(reconcile);
VS_CMD(migrate_check);
/* Put back the VFs saved by the hook (cmd-reconcile.c, shared with apply):
 * of every guest (ALL), of the guests conn does not run (NOT_RUNNING), or of
 * the state files written before this boot (BEFORE_BOOT, without libvirt).
 * One line (or JSON plan into out) per guest.  Returns how many guests'
 * state was acted on (or planned, in a dry run); -EIO if any VF stayed. */
enum vs_reconcile_scope { VS_RECONCILE_ALL, VS_RECONCILE_NOT_RUNNING, VS_RECONCILE_BEFORE_BOOT };
struct _virConnect;
struct json_object;
int vs_cli_reconcile(struct vs_cli *cli, enum vs_reconcile_scope scope, struct _virConnect *conn,
		     struct json_object *out);
VS_CMD(apply);
VS_CMD(capture);
VS_CMD(help);

/* The VF-count wait's progress line on stderr (cmd-numvfs.c), set on ctx
 * when stderr is a terminal and the output is not JSON. */
struct vs_sriov_ctx;
void vs_cli_wait_progress(const struct vs_cli *cli, struct vs_sriov_ctx *ctx);
