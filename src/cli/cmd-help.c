/* virt-sriov help [COMMAND]: the overview, or COMMAND's help.
 *
 * COMMAND's help is what `COMMAND --help` prints, by running it so: one
 * text per command, in its own cmd-*.c, never a second copy to keep in step. */
#include "config.h"

#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "json-out.h"

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

static json_object *command_json(const struct vs_command *c)
{
	json_object *o = json_object_new_object();

	vs_json_set(o, "name", json_object_new_string(c->name));
	vs_json_set(o, "args", json_object_new_string(c->args));
	vs_json_set(o, "help", json_object_new_string(c->help));
	return o;
}

/* --json: {"commands": [{"name", "args", "help"}]}, the command table (one
 * entry with COMMAND): what scripts and tests loop over. */
static int print_json(const struct vs_command *cmd)
{
	json_object *doc = vs_json_doc_new(), *a = json_object_new_array();

	for (const struct vs_command *c = cmd ? cmd : vs_commands; a && c->name; c++) {
		json_object_array_add(a, command_json(c));
		if (cmd)
			break;
	}
	if (!doc) {
		json_object_put(a);
		return vs_cli_fail(VS_EXIT_FAILURE, "help: out of memory");
	}
	vs_json_set(doc, "commands", a);
	return vs_json_doc_print(doc) < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

int vs_cmd_help(struct vs_cli *cli, int argc, char **argv)
{
	const struct vs_command *cmd;
	char *help_argv[3] = { NULL, (char *)"--help", NULL };
	int r = parse_args(cli, argc, argv, &cmd);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	if (cli->json)
		return print_json(cmd);
	if (!cmd) {
		vs_cli_usage(stdout, cli->prog);
		return VS_EXIT_OK;
	}
	help_argv[0] = (char *)cmd->name;
	optind = 0; /* the command runs its own getopt from argv[1] */
	return vs_cli_stop(cmd->fn(cli, 2, help_argv));
}
