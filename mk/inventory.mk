# Inventory: libpci access, the PF/VF scan, the one VF locator (vflocate: no
# libpci, the hook uses it), VF sets, `list` and `show`.
src_lib_libvirtsriov_a_SOURCES += \
	src/lib/pci.c src/lib/pci.h \
	src/lib/inventory.c src/lib/inventory.h \
	src/lib/vftables.c src/lib/vftables.h \
	src/lib/vflocate.c src/lib/vflocate.h \
	src/lib/vfset.c src/lib/vfset.h \
	src/lib/indexset.c src/lib/indexset.h

if HAVE_CMOCKA
INV_TEST_CFLAGS = $(CMOCKA_TEST_CFLAGS) -DGEN_HOST_TREE='"$(abs_top_builddir)/tests/tools/gen-host-tree"'
check_PROGRAMS += tests/unit/test-pci tests/unit/test-inventory tests/unit/test-inventory-nl tests/unit/test-vfset \
	tests/unit/test-vflocate
TESTS += tests/unit/test-pci tests/unit/test-inventory tests/unit/test-inventory-nl tests/unit/test-vfset \
	tests/unit/test-vflocate
tests_unit_test_pci_SOURCES = tests/unit/test-pci.c tests/unit/host-tree.c tests/unit/host-tree.h
tests_unit_test_pci_CFLAGS = $(INV_TEST_CFLAGS)
tests_unit_test_pci_LDADD = $(CMOCKA_TEST_LIBS)
# test-inventory and test-inventory-nl read VF settings through netlink.c
# from the one fake kernel.
tests_unit_test_inventory_SOURCES = tests/unit/test-inventory.c tests/unit/host-tree.c tests/unit/host-tree.h \
	$(FAKE_KERNEL_SOURCES)
tests_unit_test_inventory_CFLAGS = $(INV_TEST_CFLAGS)
tests_unit_test_inventory_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_inventory_nl_SOURCES = tests/unit/test-inventory-nl.c tests/unit/host-tree.c tests/unit/host-tree.h \
	$(FAKE_KERNEL_SOURCES)
tests_unit_test_inventory_nl_CFLAGS = $(INV_TEST_CFLAGS)
tests_unit_test_inventory_nl_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_vfset_SOURCES = tests/unit/test-vfset.c tests/unit/host-tree.c tests/unit/host-tree.h
tests_unit_test_vfset_CFLAGS = $(INV_TEST_CFLAGS)
tests_unit_test_vfset_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_vflocate_SOURCES = tests/unit/test-vflocate.c tests/unit/host-tree.c tests/unit/host-tree.h
tests_unit_test_vflocate_CFLAGS = $(INV_TEST_CFLAGS)
tests_unit_test_vflocate_LDADD = $(CMOCKA_TEST_LIBS)
endif
# The tests drive the generator: it must be built before they run.
tests/unit/test-pci.log tests/unit/test-inventory.log tests/unit/test-inventory-nl.log tests/unit/test-vfset.log \
	tests/unit/test-vflocate.log: tests/tools/gen-host-tree$(EXEEXT)

TESTS += tests/integration/list-json.sh tests/integration/names.sh
dist_check_SCRIPTS += tests/integration/list-json.sh tests/integration/names.sh
# virt-sriov capture: a generated host read back from its capture
TESTS += tests/integration/capture-tree.sh
dist_check_SCRIPTS += tests/integration/capture-tree.sh
tests/integration/capture-tree.log: tests/tools/gen-host-tree$(EXEEXT)
