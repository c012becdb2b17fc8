#include "config.h"

#include "cli.h"

/* Placeholder until the issue that delivers this command lands. */
int vs_cmd_detach(struct vs_cli *cli, int argc, char **argv)
{
	return vs_cli_fail(VS_EXIT_FAILURE, "'detach' is not implemented yet");
}
