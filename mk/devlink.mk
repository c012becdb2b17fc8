# devlink area: devlink over generic netlink (eswitch mode, ports, rates),
# its byte-level test against recorded kernel replies, and the fake devlink
# the layers above test against.
src_lib_libvirtsriov_a_SOURCES += src/lib/devlink.c src/lib/devlink.h
# libnl-genl-3 for the programs that read devlink; the hook links none of it.
VS_LIBS += $(LIBNL_GENL_LIBS)
virt_sriov_LDADD += $(LIBNL_GENL_LIBS)

# The fake devlink for the layers above; it writes with fake-nl.c, which
# $(FAKE_KERNEL_SOURCES) brings (a test without the fake kernel adds it).
FAKE_DEVLINK_SOURCES = tests/tools/fake-devlink.c tests/tools/fake-devlink.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-devlink
TESTS += tests/unit/test-devlink
tests_unit_test_devlink_SOURCES = tests/unit/test-devlink.c tests/unit/devlink-recorded.h $(FAKE_DEVLINK_SOURCES) \
	tests/tools/fake-nl.c tests/tools/fake-nl.h
tests_unit_test_devlink_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_devlink_LDADD = $(CMOCKA_TEST_LIBS)
endif

# The inventory's devlink part (eswitch mode, ports, representors, rates)
# from the fake devlink on a generated host tree.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-inventory-devlink
TESTS += tests/unit/test-inventory-devlink
tests_unit_test_inventory_devlink_SOURCES = tests/unit/test-inventory-devlink.c tests/unit/host-tree.c \
	tests/unit/host-tree.h $(FAKE_DEVLINK_SOURCES) tests/tools/fake-nl.c tests/tools/fake-nl.h
tests_unit_test_inventory_devlink_CFLAGS = $(INV_TEST_CFLAGS)
tests_unit_test_inventory_devlink_LDADD = $(CMOCKA_TEST_LIBS)
endif

# virt-sriov eswitch: the driver table and steps (src/lib/eswitch.c), the
# command (the full program: it asks libvirt which guest holds a VF).
src_lib_libvirtsriov_a_SOURCES += src/lib/eswitch.c src/lib/eswitch.h
virt_sriov_full_SOURCES += src/cli/cmd-eswitch.c

# The eswitch change per driver and eswitch = in apply's plan.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-eswitch
TESTS += tests/unit/test-eswitch
tests_unit_test_eswitch_SOURCES = tests/unit/test-eswitch.c tests/unit/host-tree.c tests/unit/host-tree.h \
	$(FAKE_DEVLINK_SOURCES) tests/tools/fake-nl.c tests/tools/fake-nl.h
tests_unit_test_eswitch_CFLAGS = $(INV_TEST_CFLAGS)
tests_unit_test_eswitch_LDADD = $(CMOCKA_TEST_LIBS)
endif
EXTRA_DIST += tests/tools/devlink-rec2c.py
