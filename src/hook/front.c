/* The hook as installed: libvirt runs hooks/qemu.d/virt-sriov and
 * hooks/network.d/virt-sriov for every operation of every guest and network
 * (about ten per guest start and stop), and the hook acts on four of them.
 * This front decides from argv alone (hook-action.c) and, for the others,
 * exits 0 at once: linked against libc only, without reading stdin (libvirt
 * ignores EPIPE on a hook's input), so a guest without VFs pays what
 * /bin/true costs.  For the four it execs the full hook with argv unchanged:
 * argv[0] still names qemu.d or network.d, and stdin is still unread.
 *
 * The full hook is VS_HOOK_PROGRAM ($(pkglibexecdir)/virt-sriov-hook), or
 * $VIRT_SRIOV_HOOK_PROGRAM for the build tree's tests (libvirt itself passes
 * a hook only LC_ALL, PATH and HOME). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "hook-action.h"

int main(int argc, char **argv)
{
	const char *full = getenv("VIRT_SRIOV_HOOK_PROGRAM");
	enum vs_hook_driver d;
	enum vs_hook_action a = vs_hook_action_from_argv(argc, argv, &d);
	int e;

	if (a == VS_HOOK_NONE)
		return 0;
	if (!full || !*full)
		full = VS_HOOK_PROGRAM;
	execv(full, argv);
	e = errno;
	/* As the full hook would: a guest must not start without its settings
	 * (exit 1 at prepare / port-created); teardown never fails. */
	fprintf(stderr, "virt-sriov-hook: cannot run %s: %s\n", full, strerror(e));
	openlog("virt-sriov-hook", LOG_PID, LOG_DAEMON);
	syslog(LOG_ERR, "%s: cannot run %s: %s", vs_hook_action_name(a), full, strerror(e));
	return a == VS_HOOK_PREPARE || a == VS_HOOK_PORT_CREATED;
}
