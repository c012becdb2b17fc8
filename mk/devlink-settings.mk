# VF settings through devlink in switchdev mode: the routing rule (which
# setting goes by rtnetlink, which by devlink, what a driver refuses) and
# its test against the fake kernel and the fake devlink.
src_lib_libvirtsriov_a_SOURCES += src/lib/vfroute.c src/lib/vfroute.h
# The hook sets VFs of PFs in switchdev mode through devlink: libnl-genl-3
# (after hook.mk, which defines these).
virt_sriov_hook_LDADD += $(LIBNL_GENL_LIBS)
tests_tools_virt_sriov_hook_fake_LDADD += $(LIBNL_GENL_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-vfroute
TESTS += tests/unit/test-vfroute
tests_unit_test_vfroute_SOURCES = tests/unit/test-vfroute.c $(FAKE_KERNEL_SOURCES) $(FAKE_DEVLINK_SOURCES)
tests_unit_test_vfroute_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_vfroute_LDADD = $(CMOCKA_TEST_LIBS)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-hook-switchdev
TESTS += tests/unit/test-hook-switchdev
tests_unit_test_hook_switchdev_SOURCES = tests/unit/test-hook-switchdev.c $(FAKE_KERNEL_SOURCES) $(FAKE_DEVLINK_SOURCES)
tests_unit_test_hook_switchdev_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_hook_switchdev_LDADD = $(CMOCKA_TEST_LIBS)
endif
