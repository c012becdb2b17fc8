/* The lean virt-sriov hands every command it does not run itself to the
 * full program (cli.h): exec, the command line unchanged. */
#include "config.h"

#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef VS_CLI_FULL_PROGRAM
#define VS_CLI_FULL_PROGRAM "/usr/libexec/virt-sriov/virt-sriov-full"
#endif

/* virt-sriov-full beside this program (the build tree); "" when none. */
static void beside_self(char *out, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	out[0] = '\0';
	if (n <= 0)
		return;
	self[n] = '\0';
	if ((size_t)snprintf(out, len, "%s/virt-sriov-full", dirname(self)) >= len || access(out, X_OK) < 0)
		out[0] = '\0';
}

int vs_cli_exec_full(struct vs_cli *cli, int argc, char **argv)
{
	const char *env = getenv("VIRT_SRIOV_FULL");
	char path[PATH_MAX];

	(void)argc;
	(void)argv;
	if (env && *env)
		snprintf(path, sizeof(path), "%s", env);
	else
		beside_self(path, sizeof(path));
	if (!path[0])
		snprintf(path, sizeof(path), "%s", VS_CLI_FULL_PROGRAM);
	execv(path, cli->argv);
	return vs_cli_fail(VS_EXIT_FAILURE, "cannot run %s (the program for %s): %s", path, argv[0],
			   strerror(errno));
}
