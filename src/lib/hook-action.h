/* What libvirt ran the hook for, from its argv alone: the one table of
 * drivers (from the hook's path) and operations (OP SUBOP) the hook acts on.
 *
 * Used by the full hook (hook.c) and by the front installed in libvirt's
 * hook folders (src/hook/front.c), which runs for every operation of every
 * guest and network and must cost no more than /bin/true: so this file
 * depends on libc alone, and the front links nothing else. */
#pragma once

enum vs_hook_driver { VS_HOOK_DRIVER_UNKNOWN, VS_HOOK_QEMU, VS_HOOK_NETWORK };

enum vs_hook_action {
	VS_HOOK_NONE,                 /* every other operation: exit 0 at once */
	VS_HOOK_PREPARE,              /* qemu prepare begin */
	VS_HOOK_RELEASE,              /* qemu release end */
	VS_HOOK_PORT_CREATED,         /* network port-created begin */
	VS_HOOK_PORT_DELETED,         /* network port-deleted begin */
};

/* "qemu" / "network" from the hook's path (.../qemu.d/NAME, .../network.d/NAME,
 * or a file named qemu / network). */
enum vs_hook_driver vs_hook_driver_from_path(const char *argv0);
enum vs_hook_action vs_hook_action_of(enum vs_hook_driver d, const char *op, const char *subop);
/* From argv as libvirt passes it (PATH NAME OP SUBOP EXTRA); the driver
 * from the path, or from OP when the path does not say. */
enum vs_hook_action vs_hook_action_from_argv(int argc, char **argv, enum vs_hook_driver *d);

/* "prepare", "release", "port-created", "port-deleted"; "none" otherwise. */
const char *vs_hook_action_name(enum vs_hook_action a);
/* The action of that name (as vs_hook_action_name spells it), else NONE. */
enum vs_hook_action vs_hook_action_from_name(const char *name);
enum vs_hook_driver vs_hook_action_driver(enum vs_hook_action a);
/* The driver's first action in libvirt's order: prepare for qemu,
 * port-created for network. */
enum vs_hook_action vs_hook_action_first(enum vs_hook_driver d);
