# netlink area: rtnetlink VF settings (builder, parser, transport seam),
# vf set / vf reset, and their tests.
src_lib_libvirtsriov_a_SOURCES += \
	src/lib/netlink.c \
	src/lib/vfctl.c src/lib/vfctl.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-netlink tests/unit/test-vfctl
TESTS += tests/unit/test-netlink tests/unit/test-vfctl
tests_unit_test_netlink_SOURCES = tests/unit/test-netlink.c tests/tools/fake-nl.c tests/tools/fake-nl.h
tests_unit_test_netlink_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_netlink_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_vfctl_SOURCES = tests/unit/test-vfctl.c $(FAKE_KERNEL_SOURCES)
tests_unit_test_vfctl_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_vfctl_LDADD = $(CMOCKA_TEST_LIBS)
endif

TESTS += tests/integration/netlink-kernel.sh tests/integration/vf-cli.sh
dist_check_SCRIPTS += tests/integration/netlink-kernel.sh tests/integration/vf-cli.sh

# Run by tests/integration/netlink-kernel.sh inside a private network
# namespace against the real kernel; not a test of its own.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-netlink-kernel
tests_unit_test_netlink_kernel_SOURCES = tests/unit/test-netlink-kernel.c
tests_unit_test_netlink_kernel_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_netlink_kernel_LDADD = $(CMOCKA_TEST_LIBS)
endif

# `make bench-vf` (also part of `make bench`): vf set of 64 VFs in one
# request against 64 `ip link set` runs; figures go to docs/benchmarks.md.
bench-vf: all
	bash $(srcdir)/bench/vf-set.sh $(abs_top_builddir)
bench: bench-vf
.PHONY: bench-vf
