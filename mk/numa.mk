# NUMA: host nodes from sysfs, a guest's node from its domain XML, attach --numa.
src_lib_libvirtsriov_a_SOURCES += src/lib/numa.c src/lib/numa.h src/lib/attach-numa.c
# check --guests (the lean program hands it to the full one)
virt_sriov_full_SOURCES += src/cli/check-numa.c src/cli/check-numa.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-numa
TESTS += tests/unit/test-numa
tests_unit_test_numa_SOURCES = tests/unit/test-numa.c tests/unit/host-tree.c tests/unit/host-tree.h
tests_unit_test_numa_CFLAGS = $(CMOCKA_TEST_CFLAGS) -DGEN_HOST_TREE='"$(abs_top_builddir)/tests/tools/gen-host-tree"'
tests_unit_test_numa_LDADD = $(CMOCKA_TEST_LIBS)
endif

# Against a private real libvirtd (tests/integration/libvirtd-harness.sh).
TESTS += tests/integration/numa-libvirtd.sh
dist_check_SCRIPTS += tests/integration/numa-libvirtd.sh
tests/unit/test-numa.log tests/integration/numa-libvirtd.log: tests/tools/gen-host-tree$(EXEEXT) virt-sriov$(EXEEXT)
