#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The lean program (see cli.h) runs vf, check and help itself; the full
 * program runs everything. */
#ifdef VS_CLI_LEAN
#define FULL(fn) vs_cli_exec_full
#else
#define FULL(fn) fn
#endif

const struct vs_command vs_commands[] = {
	{ "list",      FULL(vs_cmd_list),      "[PF...]", "PFs, VFs, drivers, IOMMU groups, VF settings and users" },
	{ "show",      FULL(vs_cmd_show),      "PF|VF", "one device in detail" },
	{ "check",     vs_cmd_check,     "", "host readiness for SR-IOV passthrough (PASS/WARN/FAIL)" },
	{ "numvfs",    FULL(vs_cmd_numvfs),    "PF N [--no-autoprobe] [--timeout SEC]", "create or remove VFs and wait for them" },
	{ "bind",      FULL(vs_cmd_bind),      "VF... --driver vfio-pci|host|NAME [--force]", "bind VFs to a driver" },
	{ "vf",        vs_cmd_vf,        "set|reset VFSET [settings]", "per-VF settings over rtnetlink" },
	{ "xml",       FULL(vs_cmd_xml),       "network PF | hostdev VF [options]", "print libvirt XML from templates" },
	{ "network",   FULL(vs_cmd_network),   "apply PF... | list | remove NAME", "hostdev pools through the libvirt API" },
	{ "attach",    FULL(vs_cmd_attach),    "DOMAIN (--pf PF|--network NET|--vf VF) [options]", "attach a free VF to a guest" },
	{ "detach",    FULL(vs_cmd_detach),    "DOMAIN (--vf VF|--mac MAC|--all) [options]", "detach VFs from a guest" },
	{ "policy",    FULL(vs_cmd_policy),    "set|show|clear DOMAIN [settings]", "per-guest VF policy in the domain metadata" },
	{ "plan",      FULL(vs_cmd_plan),      "--domain-xml FILE [--op prepare|release]", "what the hook would do for a guest" },
	{ "reconcile", FULL(vs_cmd_reconcile), "", "put back VFs whose guest is gone" },
	{ "capture",   FULL(vs_cmd_capture),   "DIR", "snapshot of this host's SR-IOV state for --sysfs-root DIR" },
	{ "apply",     FULL(vs_cmd_apply),     "[--no-libvirt] [--config FILE] [--timeout SEC]", "bring the host to /etc/virt-sriov/virt-sriov.conf" },
	{ "help",      vs_cmd_help,      "[COMMAND]", "this overview, or COMMAND's help (as COMMAND --help)" },
	{ NULL, NULL, NULL, NULL },
};

int vs_cli_fail(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("virt-sriov: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

void vs_cli_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("virt-sriov: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int vs_cli_fail_err(const struct vs_error *err, const char *what)
{
	if (err && err->code && err->msg[0])
		return vs_cli_fail(VS_EXIT_FAILURE, "%s", err->msg);
	return vs_cli_fail(VS_EXIT_FAILURE, "%s: %s", what, strerror(err && err->code ? -err->code : EIO));
}

const char *vs_cli_uri(const struct vs_cli *cli)
{
	const char *env;

	if (cli->uri)
		return cli->uri;
	env = getenv("LIBVIRT_DEFAULT_URI");
	if (env && *env)
		return env;
	return "qemu:///system";
}

void vs_cli_usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-c URI] [--sysfs-root DIR] [--json] [-n|--dry-run] COMMAND [ARGS]\n"
		"\n"
		"Manage SR-IOV Virtual Functions for libvirt guests.\n"
		"\n"
		"Commands:\n", prog);
	for (const struct vs_command *c = vs_commands; c->name; c++)
		fprintf(out, "  %-10s %-s\n  %-10s   %s\n", c->name, c->args, "", c->help);
	fprintf(out,
		"\n"
		"Options:\n"
		"  -c, --connect URI     libvirt URI (default $LIBVIRT_DEFAULT_URI, then qemu:///system)\n"
		"      --sysfs-root DIR  read and write sysfs under DIR (also $VIRT_SRIOV_SYSFS_ROOT)\n"
		"      --json            machine-readable output\n"
		"  -n, --dry-run         show what would change, change nothing\n"
		"  -h, --help            this help\n"
		"  -V, --version         print the version\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "sysfs-root", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct vs_cli cli = { .prog = "virt-sriov", .argv = argv };
	const char *sysfs_root = NULL;
	int c;

	/* '+': stop at the command name; its own options belong to it. */
	while ((c = getopt_long(argc, argv, "+c:nhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cli.uri = optarg; break;
		case 'S': sysfs_root = optarg; break;
		case 'j': cli.json = true; break;
		case 'n': cli.dry_run = true; break;
		case 'h': vs_cli_usage(stdout, cli.prog); return VS_EXIT_OK;
		case 'V': printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION); return VS_EXIT_OK;
		default: vs_cli_usage(stderr, cli.prog); return VS_EXIT_USAGE;
		}
	}
	if (vs_sysfs_init(&cli.sysfs, sysfs_root) < 0)
		return vs_cli_fail(VS_EXIT_USAGE, "--sysfs-root: path too long: %s", sysfs_root);
	if (optind >= argc) {
		vs_cli_usage(stderr, cli.prog);
		return VS_EXIT_USAGE;
	}
	for (const struct vs_command *cmd = vs_commands; cmd->name; cmd++) {
		if (strcmp(cmd->name, argv[optind]) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;

			optind = 0; /* let the command run its own getopt from argv[1] */
			return cmd->fn(&cli, sub_argc, sub_argv);
		}
	}
	return vs_cli_fail(VS_EXIT_USAGE, "unknown command '%s' (see --help)", argv[optind]);
}
