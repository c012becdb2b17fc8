/* Command-line options: a command's options parsed from its table
 * (vs_cli_getopt, below), the VF settings as options (one per field of
 * vfconfig.h), and the library's messages about them as usage errors
 * naming options. */
#pragma once

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "vfconfig.h"

/* "[--mac M] [--vlan ID[:QOS[:PROTO]]] ..." for every VF setting, wrapped
 * before `width` columns, continuation lines starting with `indent`;
 * `col` is where the first option starts.  Ends with a newline. */
void vs_cli_settings_usage(FILE *out, size_t col, const char *indent, size_t width);
/* --NAME VALUE into cfg; on error the message (exit status 2 returned)
 * names the option.  `what` starts the message ("vf set"). */
int vs_cli_parse_setting(struct vs_vf_config *cfg, const char *name, const char *value, const char *what);
/* The rules between settings (vs_vf_config_check), as a usage error. */
int vs_cli_check_settings(const struct vs_vf_config *cfg, const char *what);
/* A usage error (exit status 2) from a library message, setting names as options. */
int vs_cli_usage_error(const char *what, const struct vs_error *err);
/* Setting names in a library message turned into options ("vlan 5" -> "--vlan 5"). */
void vs_cli_optify(const char *msg, char *out, size_t len);
/* A VLAN ID (0-4094) as xml and network take it (--vlan ID, no QoS): an
 * exit status, the usage error printed. */
int vs_cli_parse_vlan_id(const char *what, const char *s, int *out);

/* A command's options, parsed from its table (cli->cmd, struct vs_opt):
 *
 *     struct vs_getopt g;
 *     int c;
 *
 *     vs_cli_getopt_init(&g, cli, argc, argv);
 *     while ((c = vs_cli_getopt(&g)) > 0)
 *             switch (c) { case 't': ... g.arg ... }
 *     if (c < 0)
 *             return g.status;
 *     ... g.pos[0 .. g.npos) are the other arguments, in order; g.pos[g.npos] is NULL ...
 *     return vs_cli_ready(&g);
 *
 * It takes --json, -h/--help (and -n/--dry-run where the command does)
 * itself; options may come before, between and after the other arguments,
 * and one that looks like a negative number ("-1") is one of those, never
 * an option.  A usage error is one line: g.status VS_EXIT_USAGE; --help:
 * the help printed, VS_EXIT_DONE. */
enum { VS_OPT_SETTING = 2000, VS_OPT_JSON, VS_OPT_OPTIONS, VS_OPT_COMMANDS, VS_OPT_SOURCE };

struct vs_getopt {
	struct vs_cli *cli;
	int argc;
	char **argv;
	struct option longs[48];
	struct vs_opt opts[48];       /* longs[i] is opts[i] */
	char shorts[48];
	char *arg;                /* the option's argument */
	const char *name;         /* the option's long name */
	char **pos;               /* the other arguments (in argv) */
	int npos;
	unsigned given;           /* the needs of the options given */
	const char *local_opt;    /* the first option given that made it VS_LOCAL */
	int status;
};

void vs_cli_getopt_init(struct vs_getopt *g, struct vs_cli *cli, int argc, char **argv);
int vs_cli_getopt(struct vs_getopt *g);
/* The whole loop for a command without options of its own (list, show,
 * check, capture): the common ones taken, g->pos filled.  VS_EXIT_OK, or
 * g->status (--help printed, or a usage error). */
int vs_cli_getopt_common(struct vs_getopt *g, struct vs_cli *cli, int argc, char **argv);
/* "--NAME" and its help, for `help --options` and the usage:
 * every option a command takes, the ones vs_cli_getopt adds included.
 * fn returns < 0 to stop. */
typedef int (*vs_opt_fn)(const struct vs_opt *o, bool setting, void *data);
int vs_cli_foreach_opt(const struct vs_command *cmd, vs_opt_fn fn, void *data);
/* The options were parsed: refuse a remote URI for a command that reads
 * this host's devices (exit status 2), or say that the command needs root
 * (exit status 1), before it does anything (main.c).  Returns VS_EXIT_OK
 * or the status, the message printed. */
int vs_cli_ready(const struct vs_getopt *g);
/* A command with verbs run without one (cli->cmd is the command): its
 * help for --help (VS_EXIT_DONE), else a usage error naming the verbs. */
int vs_cli_no_verb(struct vs_cli *cli, int argc, char **argv);
