# Remote hosts (issue 17): the inventory from libvirt's node devices, so
# that the commands that only read devices work over a remote URI.
src_lib_libvirtsriov_a_SOURCES += src/lib/nodedev.c src/lib/nodedev.h

if HAVE_CMOCKA
# node device XML recorded from libvirt (tests/data/nodedev) parsed and
# turned into the inventory; the scan on the test driver (node-*.xml)
check_PROGRAMS += tests/unit/test-nodedev
TESTS += tests/unit/test-nodedev
tests_unit_test_nodedev_SOURCES = tests/unit/test-nodedev.c
tests_unit_test_nodedev_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_nodedev_LDADD = $(CMOCKA_TEST_LIBS)
endif

# list --json --source libvirt against list --json (sysfs) of one host
dist_check_SCRIPTS += tests/integration/remote-source.sh
TESTS += tests/integration/remote-source.sh
