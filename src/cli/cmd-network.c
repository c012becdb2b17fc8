#include "config.h"

#include "cli.h"

/* Placeholder until the issue that delivers this command lands. */
int vs_cmd_network(struct vs_cli *cli, int argc, char **argv)
{
	return vs_cli_fail(VS_EXIT_FAILURE, "'network' is not implemented yet");
}
