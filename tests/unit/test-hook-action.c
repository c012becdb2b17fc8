/* The hook's one decision table (hook-action.c), shared by the front that
 * libvirt runs and the full hook.  Linked with the library archive and
 * cmocka only: a dependency of hook-action.o beyond libc fails this link. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hook-action.h"

static void test_driver_from_path(void **state)
{
	assert_int_equal(vs_hook_driver_from_path("/etc/libvirt/hooks/qemu.d/virt-sriov"), VS_HOOK_QEMU);
	assert_int_equal(vs_hook_driver_from_path("/etc/libvirt/hooks/network.d/virt-sriov"), VS_HOOK_NETWORK);
	assert_int_equal(vs_hook_driver_from_path("qemu.d/virt-sriov"), VS_HOOK_QEMU);
	assert_int_equal(vs_hook_driver_from_path("/etc/libvirt/hooks/qemu"), VS_HOOK_QEMU);
	assert_int_equal(vs_hook_driver_from_path("network"), VS_HOOK_NETWORK);
	/* the file's own name wins over its folder's */
	assert_int_equal(vs_hook_driver_from_path("/x/qemu.d/network"), VS_HOOK_NETWORK);
	assert_int_equal(vs_hook_driver_from_path("virt-sriov-hook"), VS_HOOK_DRIVER_UNKNOWN);
	assert_int_equal(vs_hook_driver_from_path("/usr/libexec/virt-sriov/virt-sriov-hook"), VS_HOOK_DRIVER_UNKNOWN);
	assert_int_equal(vs_hook_driver_from_path("/x/lxc.d/virt-sriov"), VS_HOOK_DRIVER_UNKNOWN);
	assert_int_equal(vs_hook_driver_from_path("/x/myqemu.d/virt-sriov"), VS_HOOK_DRIVER_UNKNOWN);
	assert_int_equal(vs_hook_driver_from_path("/x/qemu.d.old/virt-sriov"), VS_HOOK_DRIVER_UNKNOWN);
	assert_int_equal(vs_hook_driver_from_path("/qemu.d/"), VS_HOOK_QEMU);
	assert_int_equal(vs_hook_driver_from_path(""), VS_HOOK_DRIVER_UNKNOWN);
	assert_int_equal(vs_hook_driver_from_path(NULL), VS_HOOK_DRIVER_UNKNOWN);
}

static void test_action_of(void **state)
{
	assert_int_equal(vs_hook_action_of(VS_HOOK_QEMU, "prepare", "begin"), VS_HOOK_PREPARE);
	assert_int_equal(vs_hook_action_of(VS_HOOK_QEMU, "prepare", "end"), VS_HOOK_NONE);
	assert_int_equal(vs_hook_action_of(VS_HOOK_QEMU, "release", "end"), VS_HOOK_RELEASE);
	assert_int_equal(vs_hook_action_of(VS_HOOK_QEMU, "release", "begin"), VS_HOOK_NONE);
	assert_int_equal(vs_hook_action_of(VS_HOOK_QEMU, "start", "begin"), VS_HOOK_NONE);
	assert_int_equal(vs_hook_action_of(VS_HOOK_QEMU, "port-created", "begin"), VS_HOOK_NONE);
	assert_int_equal(vs_hook_action_of(VS_HOOK_NETWORK, "port-created", "begin"), VS_HOOK_PORT_CREATED);
	assert_int_equal(vs_hook_action_of(VS_HOOK_NETWORK, "port-deleted", "begin"), VS_HOOK_PORT_DELETED);
	assert_int_equal(vs_hook_action_of(VS_HOOK_NETWORK, "prepare", "begin"), VS_HOOK_NONE);
	assert_int_equal(vs_hook_action_of(VS_HOOK_DRIVER_UNKNOWN, "prepare", "begin"), VS_HOOK_NONE);
	assert_int_equal(vs_hook_action_of(VS_HOOK_QEMU, NULL, "begin"), VS_HOOK_NONE);
	assert_int_equal(vs_hook_action_of(VS_HOOK_QEMU, "prepare", NULL), VS_HOOK_NONE);
}

static enum vs_hook_action from_argv(const char *argv0, const char *op, const char *subop, enum vs_hook_driver *d)
{
	char *argv[] = { (char *)argv0, (char *)"g1", (char *)op, (char *)subop, (char *)"-", NULL };

	return vs_hook_action_from_argv(5, argv, d);
}

static void test_from_argv(void **state)
{
	enum vs_hook_driver d;
	char *short_argv[] = { (char *)"/h/qemu.d/virt-sriov", (char *)"g1", (char *)"prepare", NULL };

	assert_int_equal(from_argv("/h/qemu.d/virt-sriov", "prepare", "begin", &d), VS_HOOK_PREPARE);
	assert_int_equal(d, VS_HOOK_QEMU);
	assert_int_equal(from_argv("/h/network.d/virt-sriov", "port-deleted", "begin", &d), VS_HOOK_PORT_DELETED);
	assert_int_equal(d, VS_HOOK_NETWORK);
	/* the path names the driver: a network op run from qemu.d is not ours */
	assert_int_equal(from_argv("/h/qemu.d/virt-sriov", "port-created", "begin", &d), VS_HOOK_NONE);
	assert_int_equal(d, VS_HOOK_QEMU);
	assert_int_equal(from_argv("/h/qemu.d/virt-sriov", "started", "begin", &d), VS_HOOK_NONE);
	/* run by another name: OP tells the driver */
	assert_int_equal(from_argv("virt-sriov-hook", "port-created", "begin", &d), VS_HOOK_PORT_CREATED);
	assert_int_equal(d, VS_HOOK_NETWORK);
	assert_int_equal(from_argv("virt-sriov-hook", "release", "end", &d), VS_HOOK_RELEASE);
	assert_int_equal(d, VS_HOOK_QEMU);
	assert_int_equal(from_argv("virt-sriov-hook", "stopped", "end", &d), VS_HOOK_NONE);
	assert_int_equal(d, VS_HOOK_DRIVER_UNKNOWN);
	/* too few arguments: nothing to do */
	assert_int_equal(vs_hook_action_from_argv(3, short_argv, &d), VS_HOOK_NONE);
	assert_int_equal(vs_hook_action_from_argv(0, NULL, &d), VS_HOOK_NONE);
}

static void test_names(void **state)
{
	assert_string_equal(vs_hook_action_name(VS_HOOK_PREPARE), "prepare");
	assert_string_equal(vs_hook_action_name(VS_HOOK_RELEASE), "release");
	assert_string_equal(vs_hook_action_name(VS_HOOK_PORT_CREATED), "port-created");
	assert_string_equal(vs_hook_action_name(VS_HOOK_PORT_DELETED), "port-deleted");
	assert_string_equal(vs_hook_action_name(VS_HOOK_NONE), "none");
	assert_int_equal(vs_hook_action_from_name("prepare"), VS_HOOK_PREPARE);
	assert_int_equal(vs_hook_action_from_name("release"), VS_HOOK_RELEASE);
	assert_int_equal(vs_hook_action_from_name("port-created"), VS_HOOK_PORT_CREATED);
	assert_int_equal(vs_hook_action_from_name("port-deleted"), VS_HOOK_PORT_DELETED);
	assert_int_equal(vs_hook_action_driver(VS_HOOK_PREPARE), VS_HOOK_QEMU);
	assert_int_equal(vs_hook_action_driver(VS_HOOK_RELEASE), VS_HOOK_QEMU);
	assert_int_equal(vs_hook_action_driver(VS_HOOK_PORT_CREATED), VS_HOOK_NETWORK);
	assert_int_equal(vs_hook_action_driver(VS_HOOK_PORT_DELETED), VS_HOOK_NETWORK);
	assert_int_equal(vs_hook_action_driver(VS_HOOK_NONE), VS_HOOK_DRIVER_UNKNOWN);
	assert_int_equal(vs_hook_action_from_name("none"), VS_HOOK_NONE);
	assert_int_equal(vs_hook_action_from_name("start"), VS_HOOK_NONE);
	assert_int_equal(vs_hook_action_from_name(NULL), VS_HOOK_NONE);
	/* what `plan` assumes without --op */
	assert_int_equal(vs_hook_action_first(VS_HOOK_QEMU), VS_HOOK_PREPARE);
	assert_int_equal(vs_hook_action_first(VS_HOOK_NETWORK), VS_HOOK_PORT_CREATED);
	assert_int_equal(vs_hook_action_first(VS_HOOK_DRIVER_UNKNOWN), VS_HOOK_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_driver_from_path),
		cmocka_unit_test(test_action_of),
		cmocka_unit_test(test_from_argv),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
