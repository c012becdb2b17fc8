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
 * argv[0] is the command (or subcommand) name, so getopt starts at argv[1];
 * `a` holds what the command itself takes (check takes nothing but --json and
 * has none).  It returns
 *   VS_EXIT_OK     `a` is filled: run the command;
 *   VS_EXIT_DONE   the help is on stdout: stop, exit status 0;
 *   VS_EXIT_USAGE  the message is on stderr: stop, exit status 2.
 * The command then writes
 *
 *     r = parse_args(cli, argc, argv, &a);
 *     if (r != VS_EXIT_OK)
 *             return vs_cli_stop(r);
 *
 * `COMMAND --help` and `help COMMAND` print the same text: help runs the
 * command with "--help". */
static inline int vs_cli_stop(int status)
{
	return status == VS_EXIT_DONE ? VS_EXIT_OK : status;
}

/* "--help" or "-h" where a verb is expected (vf --help, xml -h): there
 * getopt, which starts after the verb, never sees it. */
static inline bool vs_cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

struct vs_cli {
	const char *prog;
	const char *uri;          /* -c URI; NULL: $LIBVIRT_DEFAULT_URI, then qemu:///system */
	struct vs_sysfs sysfs;
	bool json;
	bool dry_run;
	char **argv;              /* the whole command line, for vs_cli_exec_full */
};

struct vs_command {
	const char *name;
	int (*fn)(struct vs_cli *cli, int argc, char **argv);
	const char *args;         /* usage after the command name */
	const char *help;         /* one line */
};

extern const struct vs_command vs_commands[];

/* The overview: global options and the command table. */
void vs_cli_usage(FILE *out, const char *prog);

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
VS_CMD(vf);
VS_CMD(xml);
VS_CMD(network);
VS_CMD(attach);
VS_CMD(detach);
VS_CMD(policy);
VS_CMD(plan);
VS_CMD(reconcile);
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
