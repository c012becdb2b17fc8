/* virt-sriov help [COMMAND]: the overview, or COMMAND's help.
 *
 * COMMAND's help is what `COMMAND --help` prints, by running it so: one
 * text per command, in its own cmd-*.c, never a second copy to keep in step. */
#include "config.h"

#include <getopt.h>
#include <string.h>

#include "cli.h"

static void usage(const char *prog)
{
	printf("Usage: %s help [COMMAND]\n"
	       "Without COMMAND: the overview (as --help).  With it: what COMMAND --help prints.\n", prog);
}

/* *cmd: the command asked about, NULL for the overview. */
static int parse_args(struct vs_cli *cli, int argc, char **argv, const struct vs_command **cmd)
{
	*cmd = NULL;
	if (argc > 1 && vs_cli_is_help(argv[1])) {
		usage(cli->prog);
		return VS_EXIT_DONE;
	}
	if (argc > 2)
		return vs_cli_fail(VS_EXIT_USAGE, "help: expected at most one COMMAND (see help --help)");
	if (argc < 2)
		return VS_EXIT_OK;
	for (const struct vs_command *c = vs_commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			*cmd = c;
	if (!*cmd)
		return vs_cli_fail(VS_EXIT_USAGE, "help: unknown command '%s' (see --help)", argv[1]);
	return VS_EXIT_OK;
}

int vs_cmd_help(struct vs_cli *cli, int argc, char **argv)
{
	const struct vs_command *cmd;
	char *help_argv[3] = { NULL, (char *)"--help", NULL };
	int r = parse_args(cli, argc, argv, &cmd);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	if (!cmd) {
		vs_cli_usage(stdout, cli->prog);
		return VS_EXIT_OK;
	}
	help_argv[0] = (char *)cmd->name;
	optind = 0; /* the command runs its own getopt from argv[1] */
	return vs_cli_stop(cmd->fn(cli, 2, help_argv));
}
