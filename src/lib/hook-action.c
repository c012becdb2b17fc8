/* libc only: the hook's front (src/hook/front.c) links this file and
 * nothing else of the library (hook-action.h). */
#include "config.h"

#include <string.h>

#include "hook-action.h"
#include "util.h"   /* macros only: no link dependency */

/* libvirt runs every executable of hooks/qemu.d/ and hooks/network.d/ (or
 * the single-file hooks/qemu, hooks/network): the same program serves both
 * and tells them apart by where it was run from. */
static const struct {
	enum vs_hook_driver driver;
	const char *file, *dir;
} drivers[] = {
	{ VS_HOOK_QEMU, "qemu", "qemu.d" },
	{ VS_HOOK_NETWORK, "network", "network.d" },
};

/* The operations the hook acts on, in the order libvirt runs them for a
 * driver; each action is named after its OP. */
static const struct {
	enum vs_hook_action action;
	enum vs_hook_driver driver;
	const char *op, *subop;
} actions[] = {
	{ VS_HOOK_PREPARE, VS_HOOK_QEMU, "prepare", "begin" },
	{ VS_HOOK_RELEASE, VS_HOOK_QEMU, "release", "end" },
	{ VS_HOOK_PORT_CREATED, VS_HOOK_NETWORK, "port-created", "begin" },
	{ VS_HOOK_PORT_DELETED, VS_HOOK_NETWORK, "port-deleted", "begin" },
};

enum vs_hook_driver vs_hook_driver_from_path(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
	const char *base = slash ? slash + 1 : argv0, *dir = argv0;

	if (!argv0)
		return VS_HOOK_DRIVER_UNKNOWN;
	for (size_t i = 0; i < ELEMENTSOF(drivers); i++)
		if (strcmp(base, drivers[i].file) == 0)
			return drivers[i].driver;
	if (!slash)
		return VS_HOOK_DRIVER_UNKNOWN;
	/* the last directory of the path: between the two last slashes */
	for (const char *p = argv0; p < slash; p++)
		if (*p == '/')
			dir = p + 1;
	for (size_t i = 0; i < ELEMENTSOF(drivers); i++)
		if ((size_t)(slash - dir) == strlen(drivers[i].dir) && strncmp(dir, drivers[i].dir, (size_t)(slash - dir)) == 0)
			return drivers[i].driver;
	return VS_HOOK_DRIVER_UNKNOWN;
}

enum vs_hook_action vs_hook_action_of(enum vs_hook_driver d, const char *op, const char *subop)
{
	for (size_t i = 0; op && subop && i < ELEMENTSOF(actions); i++)
		if (actions[i].driver == d && strcmp(actions[i].op, op) == 0 && strcmp(actions[i].subop, subop) == 0)
			return actions[i].action;
	return VS_HOOK_NONE;
}

enum vs_hook_action vs_hook_action_from_argv(int argc, char **argv, enum vs_hook_driver *d)
{
	const char *op = argc > 3 ? argv[2] : NULL, *subop = argc > 3 ? argv[3] : NULL;
	enum vs_hook_action a;

	*d = vs_hook_driver_from_path(argc > 0 ? argv[0] : NULL);
	if (*d != VS_HOOK_DRIVER_UNKNOWN)
		return vs_hook_action_of(*d, op, subop);
	/* run by another name (by hand, a wrapper): OP alone tells the driver */
	for (size_t i = 0; i < ELEMENTSOF(drivers); i++) {
		a = vs_hook_action_of(drivers[i].driver, op, subop);
		if (a != VS_HOOK_NONE) {
			*d = drivers[i].driver;
			return a;
		}
	}
	return VS_HOOK_NONE;
}

const char *vs_hook_action_name(enum vs_hook_action a)
{
	for (size_t i = 0; i < ELEMENTSOF(actions); i++)
		if (actions[i].action == a)
			return actions[i].op;
	return "none";
}

enum vs_hook_action vs_hook_action_from_name(const char *name)
{
	for (size_t i = 0; name && i < ELEMENTSOF(actions); i++)
		if (strcmp(actions[i].op, name) == 0)
			return actions[i].action;
	return VS_HOOK_NONE;
}

enum vs_hook_driver vs_hook_action_driver(enum vs_hook_action a)
{
	for (size_t i = 0; i < ELEMENTSOF(actions); i++)
		if (actions[i].action == a)
			return actions[i].driver;
	return VS_HOOK_DRIVER_UNKNOWN;
}

enum vs_hook_action vs_hook_action_first(enum vs_hook_driver d)
{
	for (size_t i = 0; i < ELEMENTSOF(actions); i++)
		if (actions[i].driver == d)
			return actions[i].action;
	return VS_HOOK_NONE;
}
